/* page_alloc.c - mem_map, the zones and the buddy allocator.
 *
 * Each zone keeps free blocks of 2^order pages, order 0..MAX_ORDER-1, on
 * free_area[order]. A block's first page (its head) carries PG_buddy and
 * its order in page->private. Allocation takes the smallest block that fits
 * and splits off the unused halves (expand). Freeing merges a block with its
 * buddy (the block whose pfn differs only in bit `order`) as long as the
 * buddy is a free block of the same order, then lists the result.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/highmem.h>
#include <asm/processor.h>
#include <asm/e820.h>
#include <asm/mm_events.h>

struct zone zones[MAX_NR_ZONES];
struct page *mem_map;
static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "Normal", "HighMem" };

static void set_page_order(struct page *page, unsigned int order)
{
	page->private = order;
	SetPageFlag(page, PG_buddy);
}

static void rmv_page_order(struct page *page)
{
	ClearPageFlag(page, PG_buddy);
	page->private = 0;
}

/* Is `buddy` the head of a free block of exactly `order` in the same zone?
 * Only then may it merge. */
static bool page_is_buddy(struct page *page, struct page *buddy, unsigned int order)
{
	if (!pfn_valid(page_to_pfn(buddy)))
		return false;
	if (page_zonenum(buddy) != page_zonenum(page))
		return false;
	return PageBuddy(buddy) && buddy->private == order;
}

/* Put a block of 2^order pages starting at `page` (its pfn aligned to the
 * order) back, merging upwards with free buddies. */
static void __free_one_page(struct page *page, struct zone *zone, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	zone->free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);
		if (buddy_pfn < zone->zone_start_pfn ||
		    buddy_pfn >= zone->zone_start_pfn + zone->spanned_pages ||
		    !page_is_buddy(page, buddy, order))
			break;
		list_del(&buddy->lru);
		zone->free_area[order].nr_free--;
		rmv_page_order(buddy);
		pfn &= ~(1UL << order);		/* the merged block starts at the lower half */
		order++;
	}
	page = pfn_to_page(pfn);
	set_page_order(page, order);
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
}

/* Split a block of order `high` (at `page`) down to order `low`: the upper
 * halves go back on the lists, the lowest 2^low pages stay with the caller. */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high)
{
	unsigned long size = 1UL << high;
	while (high > low) {
		high--;
		size >>= 1;
		struct page *half = &page[size];
		list_add(&half->lru, &zone->free_area[high].free_list);
		zone->free_area[high].nr_free++;
		set_page_order(half, high);
	}
}

/* Take a block of 2^order pages off the zone's lists, or NULL. */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	for (unsigned int cur = order; cur < MAX_ORDER; cur++) {
		struct free_area *area = &zone->free_area[cur];
		if (list_empty(&area->free_list))
			continue;
		struct page *page = list_entry(area->free_list.next, struct page, lru);
		list_del(&page->lru);
		rmv_page_order(page);
		area->nr_free--;
		zone->free_pages -= 1UL << order;
		expand(zone, page, order, cur);
		return page;
	}
	return 0;
}

/* Would taking 2^order pages leave the zone above `mark` free pages, with
 * enough of the remainder in blocks of at least `order` that the large
 * blocks are not all gone? (Linux's __zone_watermark_ok, without lowmem
 * reserves.) */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark)
{
	long min = (long)mark;
	long free = (long)z->free_pages - (1L << order) + 1;
	if (free <= min)
		return false;
	for (unsigned int o = 0; o < order; o++) {
		free -= (long)z->free_area[o].nr_free << o;
		min >>= 1;
		if (free <= min)
			return false;
	}
	return true;
}

/* The zones a request may use, best first: HighMem (if allowed), Normal,
 * DMA; only DMA for __GFP_DMA. */
static int gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_HIGHMEM)
		return ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

/* Try each permitted zone with one watermark; NULL if none has room. */
static struct page *get_page_from_zones(gfp_t gfp, unsigned int order, int wmark, bool high)
{
	for (int zi = gfp_zone(gfp); zi >= 0; zi--) {
		struct zone *z = &zones[zi];
		if (!z->managed_pages)
			continue;
		unsigned long mark = z->watermark[wmark];
		if (high)
			mark -= mark / 2;
		if (!zone_watermark_ok(z, order, mark))
			continue;
		u32 flags = local_irq_save();
		struct page *page = __rmqueue(z, order);
		if (page)
			z->pgalloc++;
		local_irq_restore(flags);
		if (page)
			return page;
	}
	return 0;
}

/* Allocate 2^order contiguous frames. First above the low watermark of
 * each zone, then (there is no reclaim yet) down to the min watermark,
 * which __GFP_HIGH halves. Returns the head page with _count 1, or NULL. */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	if (order >= MAX_ORDER)
		return 0;
	struct page *page = get_page_from_zones(gfp, order, WMARK_LOW, false);
	if (!page)
		page = get_page_from_zones(gfp, order, WMARK_MIN, gfp & __GFP_HIGH);
	if (!page) {
		zones[gfp_zone(gfp)].alloc_fail++;
		return 0;
	}
	unsigned owner = (gfp >> __GFP_OWNER_SHIFT) & 0xf;
	if (!owner)
		owner = MMOWN_KERNEL;
	for (unsigned long i = 0; i < (1UL << order); i++)
		set_page_owner(&page[i], owner);
	page->_count = 1;
	if (gfp & __GFP_ZERO) {
		for (unsigned long i = 0; i < (1UL << order); i++) {
			void *p = kmap_atomic(&page[i], KM_USER0);
			memset(p, 0, PAGE_SIZE);
			kunmap_atomic(p, KM_USER0);
		}
	}
	mm_event_pages(MMEV_PAGE_ALLOC, page, order, owner);
	return page;
}

/* Drop a reference to a block; the last one returns it to the buddy lists.
 * `order` must be the order it was allocated with. */
void __free_pages(struct page *page, unsigned int order)
{
	BUG_ON(page->_count <= 0);
	if (--page->_count)
		return;
	BUG_ON(PageReserved(page) || PageBuddy(page) || PageSlab(page));
	struct zone *zone = page_zone(page);
	mm_event_pages(MMEV_PAGE_FREE, page, order, MMOWN_FREE);
	for (unsigned long i = 0; i < (1UL << order); i++)
		set_page_owner(&page[i], MMOWN_FREE);
	u32 flags = local_irq_save();
	zone->pgfree++;
	__free_one_page(page, zone, order);
	local_irq_restore(flags);
}

/* Lowmem pages by kernel virtual address (never highmem). */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);
	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page(addr), order);
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].free_pages;
	return n;
}

/* Hand a boot-reserved block of 2^order pages (aligned, one zone) to the
 * buddy allocator (mem_init). */
static void __free_pages_bootmem(struct page *page, unsigned int order)
{
	unsigned long n = 1UL << order;
	for (unsigned long i = 0; i < n; i++) {
		ClearPageFlag(&page[i], PG_reserved);
		set_page_owner(&page[i], MMOWN_FREE);
		page[i]._count = 0;
	}
	struct zone *zone = page_zone(page);
	zone->managed_pages += n;
	__free_one_page(page, zone, order);
}

/* Allocate mem_map for every frame below max_pfn, mark them all reserved,
 * and lay out the zones: DMA below 16 MiB, Normal up to max_low_pfn,
 * HighMem above. Pages reach the buddy lists later, in mem_init(). */
void free_area_init(void)
{
	mem_map = alloc_bootmem_pages(max_pfn * sizeof(struct page));
	unsigned long bounds[MAX_NR_ZONES + 1] = {
		0, min(MAX_DMA_PFN, max_low_pfn), max_low_pfn, max_pfn
	};
	printk(KERN_INFO "Zone ranges:\n");
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		strncpy(z->name, zone_names[zi], sizeof(z->name) - 1);
		for (int o = 0; o < MAX_ORDER; o++)
			INIT_LIST_HEAD(&z->free_area[o].free_list);
		z->zone_start_pfn = bounds[zi];
		z->spanned_pages = bounds[zi + 1] - bounds[zi];
		for (unsigned long pfn = bounds[zi]; pfn < bounds[zi + 1]; pfn++) {
			struct page *p = pfn_to_page(pfn);
			p->flags = (1UL << PG_reserved) | ((unsigned long)zi << PG_ZONE_SHIFT);
			if (zi == ZONE_HIGHMEM)
				SetPageFlag(p, PG_highmem);
			set_page_owner(p, MMOWN_RESERVED);
			p->_count = 1;
			p->_mapcount = -1;
			INIT_LIST_HEAD(&p->lru);
			if (e820_pfn_is_ram(pfn))
				z->present_pages++;
		}
		if (z->spanned_pages)
			printk(KERN_INFO "  %-8s 0x%08lx -> 0x%08lx\n", z->name,
			       PFN_PHYS(bounds[zi]), PFN_PHYS(bounds[zi + 1]));
		else
			printk(KERN_INFO "  %-8s empty\n", z->name);
	}
	for (int zi = 0; zi < MAX_NR_ZONES; zi++)
		printk(KERN_INFO "  %s zone: %lu pages present\n", zones[zi].name,
		       zones[zi].present_pages);
}

/* Integer square root (Newton's method). */
static unsigned long int_sqrt(unsigned long x)
{
	if (x < 2)
		return x;
	unsigned long r = x, y = (x + 1) / 2;
	while (y < r) {
		r = y;
		y = (r + x / r) / 2;
	}
	return r;
}

/* min_free_kbytes = sqrt(16 * lowmem KiB), clamped to 128..65536, shared
 * between the lowmem zones by size; HighMem gets a small fixed reserve.
 * low = min * 5/4, high = min * 3/2, as Linux. */
static void setup_per_zone_wmarks(void)
{
	unsigned long lowmem_pages = zones[ZONE_DMA].managed_pages + zones[ZONE_NORMAL].managed_pages;
	unsigned long min_free_kbytes = int_sqrt(lowmem_pages * 4 * 16);
	min_free_kbytes = min(max(min_free_kbytes, 128UL), 65536UL);
	unsigned long pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		unsigned long m;
		if (zi == ZONE_HIGHMEM)
			m = min(max(z->managed_pages / 1024, 32UL), 128UL);
		else
			m = lowmem_pages ? pages_min * z->managed_pages / lowmem_pages : 0;
		if (!z->managed_pages)
			m = 0;
		z->watermark[WMARK_MIN] = m;
		z->watermark[WMARK_LOW] = m + m / 4;
		z->watermark[WMARK_HIGH] = m + m / 2;
	}
}

static bool pfn_reserved(unsigned long pfn, u8 *owner)
{
	u32 pa = PFN_PHYS(pfn);
	for (int i = 0; i < nr_reserved; i++)
		if (pa >= reserved[i].start && pa < reserved[i].end) {
			*owner = reserved[i].owner;
			return true;
		}
	return false;
}

/* Does [start, end) (pfns) meet a reserved range? */
static bool range_reserved(unsigned long start, unsigned long end)
{
	for (int i = 0; i < nr_reserved; i++)
		if (PFN_PHYS(start) < reserved[i].end && reserved[i].start < PFN_PHYS(end))
			return true;
	return false;
}

/* Announce a run of reserved frames with one owner on the mm channel. */
static void reserve_event(unsigned long start, unsigned long end, u8 owner)
{
	if (end > start)
		mm_event(MMEV_RESERVE, start, end - start, 0, MMZONE_NONE, owner, 0, 0, 0);
}

/* Release every RAM frame not reserved (BIOS page 0, kernel window,
 * bootmem, modules) to the buddy allocator, in the largest aligned blocks
 * that stay inside one RAM entry, one zone and clear of reservations (the
 * result is the same as page by page, since buddies merge fully either
 * way, only faster). Announce the reserved frames on the mm channel as
 * non-overlapping runs with their owners, set the watermarks, print the
 * totals. */
void mem_init(void)
{
	reserve_range(0, PAGE_SIZE, MMOWN_RESERVED);
	reserve_range(KERNEL_LOAD_PHYS, PFN_PHYS(min_low_pfn), MMOWN_KERNEL_IMAGE);
	reserve_range(PFN_PHYS(bootmem_start_pfn), PFN_PHYS(bootmem_end_pfn), MMOWN_BOOTMEM);
	unsigned long reserved_pages = 0, ram_pages = 0;
	unsigned long run_start = 0, run_end = 0;
	u8 run_owner = 0;
	for (unsigned long pfn = 0; pfn < max_pfn;) {
		unsigned long ram_end = e820_ram_end(pfn);
		if (!ram_end) {
			pfn++;
			continue;
		}
		struct page *p = pfn_to_page(pfn);
		u8 owner;
		if (pfn_reserved(pfn, &owner)) {
			set_page_owner(p, owner);
			reserved_pages++;
			ram_pages++;
			if (pfn != run_end || owner != run_owner) {
				reserve_event(run_start, run_end, run_owner);
				run_start = pfn;
				run_owner = owner;
			}
			run_end = pfn + 1;
			pfn++;
			continue;
		}
		struct zone *z = page_zone(p);
		unsigned long limit = min(ram_end, z->zone_start_pfn + z->spanned_pages);
		unsigned int order = MAX_ORDER - 1;
		while (order && ((pfn & ((1UL << order) - 1)) || pfn + (1UL << order) > limit ||
				 range_reserved(pfn, pfn + (1UL << order))))
			order--;
		__free_pages_bootmem(p, order);
		ram_pages += 1UL << order;
		pfn += 1UL << order;
	}
	reserve_event(run_start, run_end, run_owner);
	setup_per_zone_wmarks();
	printk(KERN_INFO "Memory: %luk/%luk available (%luk kernel window, %luk boot tables and mem_map, %luk reserved, %luk highmem)\n",
	       nr_free_pages() << 2, ram_pages << 2,
	       (PFN_PHYS(min_low_pfn) - KERNEL_LOAD_PHYS) >> 10,
	       bootmem_used_pages << 2, reserved_pages << 2,
	       zones[ZONE_HIGHMEM].managed_pages << 2);
}

/* The zone table and /proc/buddyinfo: free blocks per order. */
void show_free_areas(void)
{
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		if (!z->managed_pages)
			continue;
		printk(KERN_INFO "%s free:%lukB min:%lukB low:%lukB high:%lukB present:%lukB managed:%lukB\n",
		       z->name, z->free_pages << 2, z->watermark[WMARK_MIN] << 2,
		       z->watermark[WMARK_LOW] << 2, z->watermark[WMARK_HIGH] << 2,
		       z->present_pages << 2, z->managed_pages << 2);
	}
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		if (!z->managed_pages)
			continue;
		printk(KERN_INFO "Node 0, zone %8s", z->name);
		for (int o = 0; o < MAX_ORDER; o++)
			printk(" %6lu", z->free_area[o].nr_free);
		printk("\n");
	}
}
