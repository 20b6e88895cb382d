/* test_mmchan_machine.c - the mm channel end to end: the bundled kernel
 * boots on mmulab's machine (-m 16), its events are collected through
 * emu/mmchan and replayed, and the introspection table is used to walk the
 * kernel's free lists, mem_map and slab cache chain from the host.
 *
 * What is asserted comes from the channel's specification
 * (docs/mm-channel.md) and the kernel's documented boot (docs/guest-kernel.md):
 * no record rejected or lost, reserved frames never handed out, every free
 * matching an allocation of the same order, the 16 caches of a boot, free
 * lists whose blocks and counts agree with the zone counters. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "mmchan.h"

#define MAX_EVENTS 4096
#define MAX_PFN 8192

static struct mmchan_event evs[MAX_EVENTS];
static int nev;
static struct machine *m;
static struct mmchan *ch;
static int exit_status;

static void collect(void *opaque, const struct mmchan_event *ev)
{
	(void)opaque;
	if (nev < MAX_EVENTS)
		evs[nev] = *ev;
	nev++;
}

/* Boot the bundled kernel to its power-off with the channel attached
 * (init=none: the boot alone, without the demo tour). */
static void boot(void)
{
	const char *k = getenv("MMULAB_GUEST_KERNEL");
	cr_assert(k, "MMULAB_GUEST_KERNEL not set");
	char *argv[] = { "mmulab", "-kernel", (char *)k, "-nodefaults", "-display", "none",
			 "-serial", "none", "-no-reboot", "-m", "16",
			 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
			 "-append", "init=none", NULL };
	static struct emu_options o;
	char err[256];
	cr_assert_eq(cmdline_parse(15, argv, &o, 0, err, sizeof(err)), 0, "%s", err);
	m = machine_create(&o, err, sizeof(err));
	cr_assert(m, "%s", err);
	nev = 0;
	ch = mmchan_create(m->bus, collect, NULL);
	cr_assert(ch);
	exit_status = machine_run(m);
}

static void shutdown_machine(void)
{
	if (ch)
		mmchan_destroy(ch);
	if (m)
		machine_destroy(m);
	ch = NULL;
	m = NULL;
}

TestSuite(mmchan_machine, .init = boot, .fini = shutdown_machine, .timeout = 120);

Test(mmchan_machine, events_replay_consistently)
{
	cr_assert_eq(exit_status, 1, "the kernel powers off with 0: (0 << 1) | 1");
	struct mmchan_stats st;
	mmchan_get_stats(ch, &st);
	cr_expect_eq(st.rejected, 0);
	cr_expect_eq(st.lost, 0);
	cr_assert(nev > 20 && nev <= MAX_EVENTS, "%d events", nev);
	cr_expect_eq((uint64_t)nev, st.events);

	/* per frame: 0 free, 1 reserved, 2 allocated (head or tail) */
	static uint8_t state[MAX_PFN];
	static int8_t head_order[MAX_PFN];
	memset(state, 0, sizeof(state));
	memset(head_order, -1, sizeof(head_order));
	int caches = 0, kmalloc_caches = 0;
	bool saw_page0 = false, saw_kernel = false;
	for (int i = 0; i < nev; i++) {
		const struct mmchan_event *e = &evs[i];
		cr_assert_eq(e->seq, (uint32_t)i + 1, "sequence numbers count from 1");
		switch (e->type) {
		case MMEV_RESERVE:
			cr_assert_lt(e->pfn + e->count, MAX_PFN + 1);
			for (uint32_t p = e->pfn; p < e->pfn + e->count; p++)
				state[p] = 1;
			saw_page0 |= e->pfn == 0 && e->owner == MMOWN_RESERVED;
			saw_kernel |= e->pfn == 256 && e->owner == MMOWN_KERNEL_IMAGE;
			break;
		case MMEV_PAGE_ALLOC:
			cr_assert_lt(e->order, 11);
			cr_assert_eq(e->count, 1u << e->order);
			cr_assert_eq(e->pfn & (e->count - 1), 0, "blocks are aligned to their order");
			cr_assert_lt(e->pfn + e->count, MAX_PFN + 1);
			for (uint32_t p = e->pfn; p < e->pfn + e->count; p++)
				cr_assert_eq(state[p], 0, "event %d hands out pfn %u, not free", i, p);
			for (uint32_t p = e->pfn; p < e->pfn + e->count; p++)
				state[p] = 2;
			head_order[e->pfn] = (int8_t)e->order;
			cr_expect_eq(e->zone, MMZONE_DMA, "-m 16 has only ZONE_DMA");
			cr_expect_neq(e->owner, MMOWN_FREE);
			break;
		case MMEV_PAGE_FREE:
			cr_assert_eq(head_order[e->pfn], (int8_t)e->order,
				     "event %d frees pfn %u at order %u", i, e->pfn, e->order);
			for (uint32_t p = e->pfn; p < e->pfn + e->count; p++)
				state[p] = 0;
			head_order[e->pfn] = -1;
			break;
		case MMEV_CACHE_CREATE:
			caches++;
			kmalloc_caches += strncmp(e->name, "size-", 5) == 0;
			break;
		}
	}
	cr_expect(saw_page0, "page 0 reserved for the BIOS");
	cr_expect(saw_kernel, "the kernel image reserved from 1 MiB");
	cr_expect_eq(caches, 16, "kmem_cache and 15 kmalloc caches");
	cr_expect_eq(kmalloc_caches, 15);
}

/* Read guest kernel memory (lowmem) by virtual address. */
static uint32_t rd32(const struct mmulab_introspect *t, uint32_t va)
{
	uint32_t v = 0;
	cr_assert_geq(va, t->page_offset);
	cr_assert_eq(bus_peek(m->bus, va - t->page_offset, &v, 4), 4, "va %08x", va);
	return v;
}

Test(mmchan_machine, introspection_walks_the_allocators)
{
	uint32_t va, pa;
	cr_assert_eq(mmchan_find_introspect(getenv("MMULAB_GUEST_KERNEL"), &va, &pa), 0);
	struct mmulab_introspect t;
	cr_assert_eq(mmchan_read_introspect(m->bus, pa, &t), 0);
	cr_assert_eq(t.ready, 1);
	cr_expect_eq(t.page_offset, 0xC0000000u);
	cr_expect_eq(t.event_port, 0xE0u);
	cr_expect_eq(t.mem_map_va - t.mem_map_pa, t.page_offset);
	cr_expect(t.max_pfn >= 3800 && t.max_pfn <= 4096, "16 MiB of RAM: %u frames", t.max_pfn);
	cr_expect_eq(t.max_order, 11);
	cr_expect_eq(t.nr_zones, 3);

	uint64_t total_free = 0;
	for (unsigned z = 0; z < t.nr_zones; z++) {
		uint32_t zone = t.zones_va + z * t.zone_size;
		uint32_t free_pages = rd32(&t, zone + t.zone_off_free_pages);
		uint32_t start = rd32(&t, zone + t.zone_off_start_pfn);
		uint32_t spanned = rd32(&t, zone + t.zone_off_spanned);
		uint64_t listed = 0;
		for (unsigned o = 0; o < t.max_order; o++) {
			uint32_t area = zone + t.zone_off_free_area + o * t.free_area_size;
			uint32_t head = area + t.free_area_off_list;
			uint32_t nr_free = rd32(&t, area + t.free_area_off_nr_free);
			uint32_t n = 0;
			for (uint32_t l = rd32(&t, head); l != head; l = rd32(&t, l)) {
				cr_assert_leq(++n, t.max_pfn, "zone %u order %u list loops", z, o);
				uint32_t page = l - t.page_off_lru;
				uint32_t pfn = (page - t.mem_map_va) / t.page_size;
				cr_assert_eq((page - t.mem_map_va) % t.page_size, 0);
				cr_expect(pfn >= start && pfn + (1u << o) <= start + spanned);
				cr_expect_eq(pfn & ((1u << o) - 1), 0);
				uint32_t flags = rd32(&t, page + t.page_off_flags);
				cr_expect(flags & (1u << t.pg_buddy), "free block head has PG_buddy");
				cr_expect_eq(rd32(&t, page + t.page_off_private), o);
				cr_expect_eq((flags >> t.pg_zone_shift) & ((1u << t.pg_zone_bits) - 1), z);
				cr_expect_eq((flags >> t.pg_owner_shift) & ((1u << t.pg_owner_bits) - 1),
					     MMOWN_FREE);
			}
			cr_expect_eq(n, nr_free, "zone %u order %u", z, o);
			listed += (uint64_t)n << o;
		}
		cr_expect_eq(listed, free_pages, "zone %u", z);
		total_free += free_pages;
	}
	cr_expect(total_free > 2000, "most of 16 MiB is free after boot (%llu pages)",
		  (unsigned long long)total_free);

	/* the slab cache chain: kmem_cache first, then size-32 ... size-131072 */
	uint32_t headva = t.cache_chain_va, n = 0;
	char names[16][MMCHAN_NAME_LEN];
	for (uint32_t l = rd32(&t, headva); l != headva && n < 16; l = rd32(&t, l), n++) {
		uint32_t c = l - t.cache_off_next;
		cr_assert_eq(bus_peek(m->bus, c + t.cache_off_name - t.page_offset, names[n],
				      MMCHAN_NAME_LEN), MMCHAN_NAME_LEN);
		names[n][MMCHAN_NAME_LEN - 1] = 0;
		cr_expect_eq(rd32(&t, c + t.cache_off_active), n == 0 ? 15u : 0u,
			     "%s: only cache descriptors stay allocated after boot", names[n]);
	}
	cr_assert_eq(n, 16);
	cr_expect_str_eq(names[0], "kmem_cache");
	cr_expect_str_eq(names[1], "size-32");
	cr_expect_str_eq(names[15], "size-131072");
}
