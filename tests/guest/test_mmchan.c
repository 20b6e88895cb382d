/* test_mmchan.c - the emulator side of the mm channel: record decoding,
 * the port protocol (probe, one OUT per event), validation of hostile
 * records, and finding the introspection table in the real kernel ELF.
 *
 * Records are built byte by byte from the layout documented in
 * docs/mm-channel.md, not through struct mmchan_event, so a layout change
 * in the header shows up here. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_bus.h"
#include "mmchan.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A valid slab_grow record for cache 0xC1234560 "size-64". */
static void make_record(uint8_t *r, uint16_t type, uint32_t seq)
{
	memset(r, 0, 48);
	put16(r + 0, type);
	put16(r + 2, 48);
	put32(r + 4, seq);
	put32(r + 8, 0x1234);		/* pfn */
	put32(r + 12, 59);		/* count */
	r[16] = 1;			/* order */
	r[17] = MMZONE_NORMAL;
	r[18] = MMOWN_SLAB;
	put32(r + 20, 0xC1234560);	/* cache */
	put32(r + 24, 0xC1234000);	/* addr */
	memcpy(r + 32, "size-64", 7);
}

Test(mmchan_decode, fields_in_documented_places)
{
	uint8_t r[48];
	struct mmchan_event ev;
	make_record(r, MMEV_SLAB_GROW, 7);
	cr_assert_eq(mmchan_decode(r, sizeof(r), &ev), 0);
	cr_expect_eq(ev.type, MMEV_SLAB_GROW);
	cr_expect_eq(ev.length, 48);
	cr_expect_eq(ev.seq, 7);
	cr_expect_eq(ev.pfn, 0x1234);
	cr_expect_eq(ev.count, 59);
	cr_expect_eq(ev.order, 1);
	cr_expect_eq(ev.zone, MMZONE_NORMAL);
	cr_expect_eq(ev.owner, MMOWN_SLAB);
	cr_expect_eq(ev.cache, 0xC1234560u);
	cr_expect_eq(ev.addr, 0xC1234000u);
	cr_expect_eq(ev.pid, 0);
	cr_expect_str_eq(ev.name, "size-64");
}

Test(mmchan_decode, rejects_bad_records)
{
	uint8_t r[48];
	struct mmchan_event ev;
	make_record(r, MMEV_SLAB_GROW, 1);
	cr_expect_eq(mmchan_decode(r, 47, &ev), -1, "short buffer");
	make_record(r, MMEV_NONE, 1);
	cr_expect_eq(mmchan_decode(r, 48, &ev), -1, "type 0");
	make_record(r, MMEV_TYPE_MAX, 1);
	cr_expect_eq(mmchan_decode(r, 48, &ev), -1, "type past the last");
	make_record(r, MMEV_PAGE_ALLOC, 1);
	put16(r + 2, 40);
	cr_expect_eq(mmchan_decode(r, 48, &ev), -1, "length below 48");
	make_record(r, MMEV_PAGE_ALLOC, 1);
	r[17] = 3;
	cr_expect_eq(mmchan_decode(r, 48, &ev), -1, "zone 3");
	make_record(r, MMEV_PAGE_ALLOC, 1);
	r[18] = MMOWN_MAX;
	cr_expect_eq(mmchan_decode(r, 48, &ev), -1, "owner past the last");
	make_record(r, MMEV_PAGE_ALLOC, 1);
	r[16] = 32;
	cr_expect_eq(mmchan_decode(r, 48, &ev), -1, "order 32");
}

Test(mmchan_decode, accepts_longer_records_and_zone_none)
{
	uint8_t r[48];
	struct mmchan_event ev;
	make_record(r, MMEV_CACHE_CREATE, 1);
	put16(r + 2, 64);	/* a future, longer record */
	r[17] = MMZONE_NONE;
	cr_expect_eq(mmchan_decode(r, 48, &ev), 0);
	cr_expect_eq(ev.zone, 0xFF);
}

Test(mmchan_decode, unterminated_name_is_cut)
{
	uint8_t r[48];
	struct mmchan_event ev;
	make_record(r, MMEV_CACHE_CREATE, 1);
	memset(r + 32, 'x', 16);
	cr_assert_eq(mmchan_decode(r, 48, &ev), 0);
	cr_expect_eq(strlen(ev.name), 15);
}

/* The process half's records: the same layout, other meanings. */
Test(mmchan_decode, process_events)
{
	uint8_t r[48];
	struct mmchan_event ev;
	memset(r, 0, sizeof(r));
	put16(r + 0, MMEV_FAULT);
	put16(r + 2, 48);
	put32(r + 4, 9);
	put32(r + 12, 6);		/* count: error code (user write) */
	r[16] = MMFAULT_DEMAND_ZERO;	/* order: outcome */
	put32(r + 20, 0x08048123);	/* cache: EIP */
	put32(r + 24, 0x0804c010);	/* addr: CR2 */
	put32(r + 28, 3);		/* pid */
	cr_assert_eq(mmchan_decode(r, sizeof(r), &ev), 0);
	cr_expect_eq(ev.type, MMEV_FAULT);
	cr_expect_eq(ev.count, 6);
	cr_expect_eq(ev.order, MMFAULT_DEMAND_ZERO);
	cr_expect_eq(ev.cache, 0x08048123u);
	cr_expect_eq(ev.addr, 0x0804c010u);
	cr_expect_eq(ev.pid, 3);

	static const uint16_t types[] = { MMEV_VMA_ADD, MMEV_VMA_REMOVE, MMEV_VMA_CHANGE,
					  MMEV_FORK, MMEV_EXIT, MMEV_OOM_KILL };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(r, 0, sizeof(r));
		put16(r + 0, types[i]);
		put16(r + 2, 48);
		put32(r + 12, 0xbffff000);
		put32(r + 20, 0x73);
		put32(r + 24, 0xbfffe000);
		put32(r + 28, 2);
		memcpy(r + 32, "[stack]", 7);
		cr_assert_eq(mmchan_decode(r, sizeof(r), &ev), 0, "type %u", types[i]);
		cr_expect_eq(ev.type, types[i]);
		cr_expect_eq(ev.addr, 0xbfffe000u);
		cr_expect_eq(ev.count, 0xbffff000u);
		cr_expect_eq(ev.cache, 0x73u);
		cr_expect_eq(ev.pid, 2);
		cr_expect_str_eq(ev.name, "[stack]");
	}
}

Test(mmchan_names, stable_strings)
{
	cr_expect_str_eq(mmchan_type_name(MMEV_VMA_ADD), "vma_add");
	cr_expect_str_eq(mmchan_type_name(MMEV_VMA_REMOVE), "vma_remove");
	cr_expect_str_eq(mmchan_type_name(MMEV_VMA_CHANGE), "vma_change");
	cr_expect_str_eq(mmchan_type_name(MMEV_FAULT), "fault");
	cr_expect_str_eq(mmchan_type_name(MMEV_FORK), "fork");
	cr_expect_str_eq(mmchan_type_name(MMEV_EXIT), "exit");
	cr_expect_str_eq(mmchan_type_name(MMEV_OOM_KILL), "oom_kill");
	for (unsigned t = 1; t < MMEV_TYPE_MAX; t++)
		cr_expect(mmchan_type_name(t) != NULL, "type %u has a name", t);
	cr_expect_str_eq(mmchan_fault_name(MMFAULT_DEMAND_ZERO), "demand_zero");
	cr_expect_str_eq(mmchan_fault_name(MMFAULT_COW), "cow");
	cr_expect_str_eq(mmchan_fault_name(MMFAULT_STACK_GROWTH), "stack_growth");
	cr_expect_str_eq(mmchan_fault_name(MMFAULT_SIGSEGV), "sigsegv");
	cr_expect_str_eq(mmchan_fault_name(MMFAULT_MAX), "unknown");
	cr_expect_str_eq(mmchan_type_name(MMEV_PAGE_ALLOC), "page_alloc");
	cr_expect_str_eq(mmchan_type_name(MMEV_KUNMAP), "kunmap");
	cr_expect_str_eq(mmchan_type_name(999), "unknown");
	cr_expect_str_eq(mmchan_owner_name(MMOWN_PAGE_TABLE), "page_table");
	cr_expect_str_eq(mmchan_owner_name(MMOWN_MAX), "unknown");
	cr_expect_str_eq(mmchan_zone_name(MMZONE_HIGHMEM), "HighMem");
	cr_expect_str_eq(mmchan_zone_name(MMZONE_NONE), "none");
	cr_expect_str_eq(mmchan_zone_name(7), "unknown");
}

/* ---- the port protocol, through a bus ---- */

static struct mmchan_event got[8];
static int ngot;

static void collect(void *opaque, const struct mmchan_event *ev)
{
	cr_assert_eq(opaque, (void *)&ngot);
	if (ngot < 8)
		got[ngot] = *ev;
	ngot++;
}

Test(mmchan_port, probe_answers_only_when_enabled)
{
	struct bus *b = fake_bus_new();
	struct mmchan *ch = mmchan_create(b, collect, &ngot);
	cr_assert(ch);
	cr_expect_eq(b->io_port, 0xE0);
	cr_expect_eq(b->io_count, 4);
	cr_expect_eq(bus_in(b, MMCHAN_PORT, 4), 0x4D4D4348u);
	cr_expect_eq(bus_in(b, MMCHAN_PORT, 1), 0xFFu, "only a 32-bit IN probes");
	cr_expect_eq(bus_in(b, MMCHAN_PORT + 1, 4), 0xFFFFFFFFu);
	mmchan_set_enabled(ch, 0);
	cr_expect_eq(bus_in(b, MMCHAN_PORT, 4), 0xFFFFFFFFu, "disabled looks like an empty slot");
	mmchan_destroy(ch);
	free(b);
}

Test(mmchan_port, one_out_delivers_one_event)
{
	struct bus *b = fake_bus_new();
	struct mmchan *ch = mmchan_create(b, collect, &ngot);
	ngot = 0;
	make_record(b->ram + 0x1000, MMEV_SLAB_GROW, 1);
	make_record(b->ram + 0x2000, MMEV_PAGE_FREE, 2);
	bus_out(b, MMCHAN_PORT, 4, 0x1000);
	bus_out(b, MMCHAN_PORT, 4, 0x2000);
	cr_assert_eq(ngot, 2);
	cr_expect_eq(got[0].type, MMEV_SLAB_GROW);
	cr_expect_str_eq(got[0].name, "size-64");
	cr_expect_eq(got[1].type, MMEV_PAGE_FREE);
	cr_expect_eq(got[1].seq, 2);
	struct mmchan_stats st;
	mmchan_get_stats(ch, &st);
	cr_expect_eq(st.events, 2);
	cr_expect_eq(st.rejected, 0);
	cr_expect_eq(st.lost, 0);
	mmchan_destroy(ch);
	free(b);
}

Test(mmchan_port, hostile_writes_are_rejected_not_followed)
{
	struct bus *b = fake_bus_new();
	struct mmchan *ch = mmchan_create(b, collect, &ngot);
	ngot = 0;
	make_record(b->ram + FAKE_RAM_SIZE - 48, MMEV_PAGE_ALLOC, 1);
	bus_out(b, MMCHAN_PORT, 4, FAKE_RAM_SIZE - 48);	/* last 48 bytes of RAM: fine */
	bus_out(b, MMCHAN_PORT, 4, FAKE_RAM_SIZE - 47);	/* runs past RAM */
	bus_out(b, MMCHAN_PORT, 4, 0xFFFFFFF0u);		/* wraps around 4 GiB */
	bus_out(b, MMCHAN_PORT, 4, 0x8000);		/* zeroes: type 0 */
	bus_out(b, MMCHAN_PORT, 2, FAKE_RAM_SIZE - 48);	/* 16-bit OUT: ignored */
	bus_out(b, MMCHAN_PORT + 2, 4, FAKE_RAM_SIZE - 48);/* other port: ignored */
	cr_expect_eq(ngot, 1);
	struct mmchan_stats st;
	mmchan_get_stats(ch, &st);
	cr_expect_eq(st.events, 1);
	cr_expect_eq(st.rejected, 3);
	mmchan_set_enabled(ch, 0);
	bus_out(b, MMCHAN_PORT, 4, FAKE_RAM_SIZE - 48);
	cr_expect_eq(ngot, 1, "disabled: nothing delivered");
	mmchan_destroy(ch);
	free(b);
}

Test(mmchan_port, sequence_gaps_count_as_lost)
{
	struct bus *b = fake_bus_new();
	struct mmchan *ch = mmchan_create(b, NULL, NULL);
	make_record(b->ram + 0x100, MMEV_OBJ_ALLOC, 5);
	bus_out(b, MMCHAN_PORT, 4, 0x100);
	make_record(b->ram + 0x100, MMEV_OBJ_FREE, 9);
	bus_out(b, MMCHAN_PORT, 4, 0x100);
	struct mmchan_stats st;
	mmchan_get_stats(ch, &st);
	cr_expect_eq(st.events, 2);
	cr_expect_eq(st.lost, 3, "6, 7 and 8 never arrived");
	mmchan_destroy(ch);
	free(b);
}

/* ---- introspection ---- */

Test(mmchan_introspect, read_checks_magic_version_size)
{
	struct bus *b = fake_bus_new();
	struct mmulab_introspect t, out;
	memset(&t, 0, sizeof(t));
	t.magic = MMULAB_INTROSPECT_MAGIC;
	t.version = MMULAB_INTROSPECT_VERSION;
	t.size = sizeof(t);
	t.mem_map_pa = 0x00500000;
	t.max_pfn = 32736;
	memcpy(b->ram + 0x3000, &t, sizeof(t));
	cr_assert_eq(mmchan_read_introspect(b, 0x3000, &out), 0);
	cr_expect_eq(out.mem_map_pa, 0x00500000u);
	cr_expect_eq(out.max_pfn, 32736u);
	/* the magic is 'M','M','I','T' in guest memory */
	cr_expect_eq(memcmp(b->ram + 0x3000, "MMIT", 4), 0);

	cr_expect_eq(mmchan_read_introspect(b, 0x3001, &out), -1, "misplaced");
	cr_expect_eq(mmchan_read_introspect(b, FAKE_RAM_SIZE - 8, &out), -1, "past RAM");
	b->ram[0x3004] = 2;
	cr_expect_eq(mmchan_read_introspect(b, 0x3000, &out), -1, "version 2");
	free(b);
}

Test(mmchan_introspect, missing_or_non_elf_file)
{
	uint32_t v, p;
	cr_expect_eq(mmchan_find_introspect("/nonexistent/kernel.elf", &v, &p), -1);
	char path[] = "/tmp/mmchan-test-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "not an elf file at all", 22), 22);
	close(fd);
	cr_expect_eq(mmchan_find_introspect(path, &v, &p), -1);
	unlink(path);
}

/* The bundled kernel: the symbol exists, is linked in the higher half and
 * loaded 0xC0000000 lower (kernel.ld), and the file holds the statically
 * initialised magic at that place. */
Test(mmchan_introspect, finds_table_in_bundled_kernel)
{
	const char *k = getenv("MMULAB_GUEST_KERNEL");
	cr_assert(k, "MMULAB_GUEST_KERNEL not set by meson");
	uint32_t v = 0, p = 0;
	cr_assert_eq(mmchan_find_introspect(k, &v, &p), 0);
	cr_expect_geq(v, 0xC0100000u);
	cr_expect_eq(v - p, 0xC0000000u);

	/* Find the file offset through the program headers by hand (ELF32). */
	FILE *f = fopen(k, "rb");
	cr_assert(f);
	unsigned char eh[52];
	cr_assert_eq(fread(eh, 1, sizeof(eh), f), sizeof(eh));
	uint32_t phoff = eh[28] | eh[29] << 8 | eh[30] << 16 | (uint32_t)eh[31] << 24;
	unsigned phentsize = eh[42] | eh[43] << 8, phnum = eh[44] | eh[45] << 8;
	long file_off = -1;
	for (unsigned i = 0; i < phnum; i++) {
		unsigned char ph[32];
		cr_assert_eq(fseek(f, (long)(phoff + i * phentsize), SEEK_SET), 0);
		cr_assert_eq(fread(ph, 1, sizeof(ph), f), sizeof(ph));
		uint32_t type = ph[0] | ph[1] << 8 | ph[2] << 16 | (uint32_t)ph[3] << 24;
		uint32_t off = ph[4] | ph[5] << 8 | ph[6] << 16 | (uint32_t)ph[7] << 24;
		uint32_t va = ph[8] | ph[9] << 8 | ph[10] << 16 | (uint32_t)ph[11] << 24;
		uint32_t filesz = ph[16] | ph[17] << 8 | ph[18] << 16 | (uint32_t)ph[19] << 24;
		if (type == 1 && v >= va && v - va + 8 <= filesz)
			file_off = (long)(off + (v - va));
	}
	cr_assert(file_off >= 0, "table not in a loaded, file-backed segment");
	unsigned char head[8];
	cr_assert_eq(fseek(f, file_off, SEEK_SET), 0);
	cr_assert_eq(fread(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	cr_expect_eq(memcmp(head, "MMIT", 4), 0);
	cr_expect_eq(head[4] | head[5] << 8, MMULAB_INTROSPECT_VERSION);
	cr_expect_eq(head[6] | head[7] << 8, MMULAB_INTROSPECT_SIZE);
}
