/* highmem.c - kmap/kunmap (the PKMAP area) and kmap_atomic (fixmap slots)
 * for frames above max_low_pfn, which have no permanent kernel address.
 *
 * pkmap_count[i] for PKMAP slot i: 0 = free, 1 = unmapped by kunmap but
 * perhaps still in the TLB, n > 1 = mapped with n - 1 users. Slots at 1 are
 * recycled in bulk with one TLB flush when the search wraps around
 * (flush_all_zero_pkmaps), so kunmap never has to flush.
 */
#include <linux/highmem.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/mm_events.h>

static int pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static unsigned int last_pkmap_nr;
static pte_t *pkmap_page_table;

void kmap_init(void)
{
	pkmap_page_table = kernel_pte(PKMAP_BASE, 0);
	BUG_ON(!pkmap_page_table);
}

/* Clear every slot whose users are gone, then flush the TLB once. */
static void flush_all_zero_pkmaps(void)
{
	for (int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		pkmap_page_table[i] = 0;
		mm_event(MMEV_KUNMAP, page_to_pfn(pkmap_page[i]), 1, 0, MMZONE_HIGHMEM, 0, 0,
			 PKMAP_ADDR(i), 0);
		pkmap_page[i] = 0;
	}
	__flush_tlb();
}

/* Find or make a PKMAP slot for a highmem page; NULL when all 1024 slots
 * are in use (Linux would sleep here; this kernel has nothing to wait for). */
static void *map_new_virtual(struct page *page)
{
	for (int tries = 0; tries < 2 * LAST_PKMAP; tries++) {
		last_pkmap_nr = (last_pkmap_nr + 1) & (LAST_PKMAP - 1);
		if (!last_pkmap_nr)
			flush_all_zero_pkmaps();
		if (pkmap_count[last_pkmap_nr])
			continue;
		unsigned long va = PKMAP_ADDR(last_pkmap_nr);
		pkmap_page_table[last_pkmap_nr] = page_to_phys(page) | PAGE_KERNEL;
		pkmap_count[last_pkmap_nr] = 1;
		pkmap_page[last_pkmap_nr] = page;
		mm_event(MMEV_KMAP, page_to_pfn(page), 1, 0, MMZONE_HIGHMEM, 0, 0, va, 0);
		return (void *)va;
	}
	return 0;
}

/* A kernel address for any page. Lowmem pages have one already; highmem
 * pages get a PKMAP slot (reused if the page is mapped already) until the
 * matching kunmap. */
void *kmap(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	u32 flags = local_irq_save();
	void *va = 0;
	for (int i = 0; i < LAST_PKMAP; i++)
		if (pkmap_count[i] > 0 && pkmap_page[i] == page) {
			va = (void *)PKMAP_ADDR(i);
			break;
		}
	if (!va)
		va = map_new_virtual(page);
	if (va)
		pkmap_count[PKMAP_NR((unsigned long)va)]++;
	local_irq_restore(flags);
	if (!va)
		panic("kmap: all %d PKMAP slots in use", LAST_PKMAP);
	return va;
}

void kunmap(struct page *page)
{
	if (!PageHighMem(page))
		return;
	u32 flags = local_irq_save();
	for (int i = 0; i < LAST_PKMAP; i++)
		if (pkmap_count[i] > 1 && pkmap_page[i] == page) {
			pkmap_count[i]--;
			break;
		}
	local_irq_restore(flags);
}

/* A short-lived mapping in the fixmap slot of `type`, which must not nest
 * with another user of the same type; flushes only that one TLB entry. */
void *kmap_atomic(struct page *page, enum km_type type)
{
	if (!PageHighMem(page))
		return page_address(page);
	enum fixed_addresses idx = FIX_KMAP_BEGIN + type;
	set_fixmap(idx, page_to_phys(page), PAGE_KERNEL);
	return (void *)__fix_to_virt(idx);
}

void kunmap_atomic(void *kvaddr, enum km_type type)
{
	if ((unsigned long)kvaddr < FIXADDR_START)
		return;		/* a lowmem page: nothing was mapped */
	clear_fixmap(FIX_KMAP_BEGIN + type);
}

/* Slots with users (for the checker). */
unsigned int pkmap_in_use(void)
{
	unsigned int n = 0;
	for (int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] > 1;
	return n;
}
