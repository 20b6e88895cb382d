/* mmchan.c - the kernel side of the mmulab channel: allocator events sent
 * with one OUT each, and the introspection table (see mm_channel.h and
 * docs/mm-channel.md). */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/io.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/mm_events.h>


bool mmchan_enabled;
static struct mmchan_event ev_record __attribute__((aligned(64)));
static u32 ev_seq;

/* The table the emulator finds by ELF symbol. Statically initialised with
 * the magic so that it is recognisable even before introspect_init(). */
struct mmulab_introspect mmulab_introspect __attribute__((used, aligned(64))) = {
	.magic = MMULAB_INTROSPECT_MAGIC,
	.version = MMULAB_INTROSPECT_VERSION,
	.size = sizeof(struct mmulab_introspect),
	.page_offset = PAGE_OFFSET,
	.event_port = MMCHAN_PORT,
};

/* Ask whether an emulator listens on the port: only then are events sent.
 * On QEMU or hardware the IN returns all ones and the kernel stays quiet. */
void mmchan_init(void)
{
	mmchan_enabled = inl(MMCHAN_PORT) == MMCHAN_PRESENT;
}

/* Fill the record and hand its physical address to the emulator. The
 * record is reused: the emulator copies it during the OUT. Interrupts are
 * off meanwhile so that an IRQ-time event cannot overwrite it half-made. */
static void send_event(u16 type, u32 pfn, u32 count, u8 order, u8 zone, u8 owner,
		       u32 cache, u32 addr, u32 pid, const char *name)
{
	u32 f = local_irq_save();
	struct mmchan_event *e = &ev_record;
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->length = sizeof(*e);
	e->seq = ++ev_seq;
	e->pfn = pfn;
	e->count = count;
	e->order = order;
	e->zone = zone;
	e->owner = owner;
	e->cache = cache;
	e->addr = addr;
	e->pid = pid;
	if (name)
		strncpy(e->name, name, MMCHAN_NAME_LEN);
	outl(__pa(e), MMCHAN_PORT);
	local_irq_restore(f);
}

void mm_event(u16 type, u32 pfn, u32 count, u8 order, u8 zone, u8 owner,
	      u32 cache, u32 addr, const char *name)
{
	if (!mmchan_enabled)
		return;
	/* A user frame belongs to the process it is being allocated for. */
	u32 pid = owner == MMOWN_USER && type == MMEV_PAGE_ALLOC ? current->pid : 0;
	send_event(type, pfn, count, order, zone, owner, cache, addr, pid, name);
}

void mm_event_proc(u16 type, u32 pid, u32 addr, u32 count, u32 cache, u8 order,
		   const char *name)
{
	if (!mmchan_enabled)
		return;
	send_event(type, 0, count, order, 0, 0, cache, addr, pid, name);
}

void mm_event_vma(u16 type, u32 pid, const struct vm_area_struct *v)
{
	mm_event_proc(type, pid, v->vm_start, v->vm_end, v->vm_flags, 0, v->vm_name);
}

void mm_event_pages(u16 type, struct page *page, unsigned int order, unsigned owner)
{
	mm_event(type, page_to_pfn(page), 1u << order, order, page_zonenum(page), owner, 0, 0, 0);
}

struct kmem_cache *kmem_cache_cache(void);

/* Fill in the addresses and layout once the allocators exist, then mark
 * the table ready. */
void introspect_init(void)
{
	struct mmulab_introspect *t = &mmulab_introspect;
	t->high_memory = high_memory;
	t->vmalloc_start = VMALLOC_START;
	t->vmalloc_end = VMALLOC_END;
	t->pkmap_base = PKMAP_BASE;
	t->fixaddr_start = FIXADDR_START;
	t->swapper_pg_dir_pa = __pa(swapper_pg_dir);

	t->mem_map_va = (u32)mem_map;
	t->mem_map_pa = __pa(mem_map);
	t->max_pfn = max_pfn;
	t->max_low_pfn = max_low_pfn;
	t->page_size = sizeof(struct page);
	t->page_off_flags = offsetof(struct page, flags);
	t->page_off_count = offsetof(struct page, _count);
	t->page_off_mapcount = offsetof(struct page, _mapcount);
	t->page_off_private = offsetof(struct page, private);
	t->page_off_mapping = offsetof(struct page, mapping);
	t->page_off_index = offsetof(struct page, index);
	t->page_off_lru = offsetof(struct page, lru);
	t->pg_reserved = PG_reserved;
	t->pg_buddy = PG_buddy;
	t->pg_slab = PG_slab;
	t->pg_highmem = PG_highmem;
	t->pg_owner_shift = PG_OWNER_SHIFT;
	t->pg_owner_bits = PG_OWNER_BITS;
	t->pg_zone_shift = PG_ZONE_SHIFT;
	t->pg_zone_bits = PG_ZONE_BITS;

	t->zones_va = (u32)zones;
	t->zones_pa = __pa(zones);
	t->nr_zones = MAX_NR_ZONES;
	t->zone_size = sizeof(struct zone);
	t->zone_off_start_pfn = offsetof(struct zone, zone_start_pfn);
	t->zone_off_spanned = offsetof(struct zone, spanned_pages);
	t->zone_off_present = offsetof(struct zone, present_pages);
	t->zone_off_free_pages = offsetof(struct zone, free_pages);
	t->zone_off_watermark = offsetof(struct zone, watermark);
	t->zone_off_free_area = offsetof(struct zone, free_area);
	t->free_area_size = sizeof(struct free_area);
	t->free_area_off_list = offsetof(struct free_area, free_list);
	t->free_area_off_nr_free = offsetof(struct free_area, nr_free);
	t->max_order = MAX_ORDER;

	t->cache_chain_va = (u32)&cache_chain;
	t->cache_size = sizeof(struct kmem_cache);
	t->cache_off_next = offsetof(struct kmem_cache, next);
	t->cache_off_name = offsetof(struct kmem_cache, name);
	t->cache_off_objsize = offsetof(struct kmem_cache, objsize);
	t->cache_off_num = offsetof(struct kmem_cache, num);
	t->cache_off_gfporder = offsetof(struct kmem_cache, gfporder);
	t->cache_off_active = offsetof(struct kmem_cache, num_active);
	t->cache_off_slabs = offsetof(struct kmem_cache, num_slabs);
	__asm__ volatile("" : : : "memory");
	t->ready = 1;
}
