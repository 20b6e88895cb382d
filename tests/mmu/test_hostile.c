/* test_hostile.c - whatever the guest puts in its page tables, CR3 and
 * TR6/TR7, the host touches nothing outside guest RAM and never crashes
 * (run it under the ASan+UBSan build). Random tables and accesses; the
 * only assertions are consistency ones that hold for any input. */
#include "helpers.h"
#include "fastpath.h"

static uint64_t st;
static uint32_t rnd(void)
{
	st = st * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(st >> 32);
}

static uint32_t mm_read(void *o, uint32_t off, int size) { (void)o; (void)size; return off * 0x01010101u; }
static void mm_write(void *o, uint32_t off, int size, uint32_t v) { (void)o; (void)off; (void)size; (void)v; }
static const struct mmio_ops mm_ops = { mm_read, mm_write };

static void run(enum model mo, uint32_t seed)
{
	struct mmu_config c = model_config(mo);
	struct bus *b = bus_create(2u << 20);   /* small: most addresses are beyond RAM */
	static uint8_t rom[0x10000];
	bus_load_rom(b, rom, sizeof(rom));
	bus_map_mmio(b, 0xB8000u, 0x8000u, &mm_ops, NULL);
	bus_map_mmio(b, 0xFEC00000u, 0x1000u, &mm_ops, NULL);
	struct mmu *m = mmu_create(b, &c);
	cr_assert_not_null(m);
	st = seed;
	/* fill the first 64 KiB (where CR3 usually points) with random entries
	 * biased to be present and to point into or just past RAM */
	for (uint32_t a = 0; a < 0x10000; a += 4) {
		uint32_t v = rnd();
		if (v & 0x10000)
			v = (v & 0x001FF1FFu) | P;
		bus_write(b, a, 4, v);
	}
	mmu_set_cr4(m, CR4_PSE | CR4_PGE);
	mmu_set_cr3(m, (rnd() & 0xF000u));
	mmu_set_cr0(m, CR0_PE | CR0_PG | CR0_WP);
	for (int i = 0; i < 100000; i++) {
		uint32_t r = rnd(), lin = rnd(), val = rnd();
		int size = 1 << (r % 3), user = (r >> 3) & 1;
		uint32_t v;
		uint64_t q;
		switch ((r >> 4) % 16) {
		case 0: case 1: case 2: case 3:
			if (mmu_read_fast(m, lin, size, user, &v) == 0 && size == 1)
				cr_assert_leq(v, 0xFFu);
			break;
		case 4: case 5: case 6:
			mmu_write_fast(m, lin, size, user, val);
			break;
		case 7:
			mmu_read_rmw_fast(m, lin, size, user, &v);
			break;
		case 8: {
			uint32_t pa;
			mmu_translate(m, lin, MMU_FETCH, user, &pa);
			break;
		}
		case 9:
			mmu_read64(m, lin, user, &q);
			break;
		case 10: {
			struct mmu_walk w;
			mmu_peek(m, lin, &w);
			break;
		}
		case 11:
			if ((val & 15) == 0)
				mmu_set_cr3(m, val & 0x1FF000u);
			else if ((val & 15) == 1)
				mmu_invlpg(m, lin);
			else if ((val & 15) == 2)
				bus_set_a20(b, (int)(val >> 8) & 1);
			else if ((val & 15) == 3)
				bus_mark_code(b, (val >> 8) & 0x3FF);
			else if ((val & 15) == 4)
				mmu_set_cr4(m, val & (CR4_PSE | CR4_PGE));
			break;
		case 12:
			mmu_tr_write(m, 7, val);
			mmu_tr_write(m, 6, lin);
			(void)mmu_tr_read(m, 7);
			break;
		case 13:
			/* the guest rewrites a paging entry through paging */
			mmu_write_fast(m, lin & 0xFFFCu, 4, 0, val);
			break;
		default:
			bus_write(b, rnd() & 0xFFFCu, 4, val);
			break;
		}
	}
	/* the views stay in range */
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_geom g = mmu_tlb_geom(m, id);
		for (int s = 0; s < g.sets; s++) {
			struct tlb_set_stats ss;
			mmu_tlb_set_stats(m, id, s, &ss);
			cr_expect_eq(ss.lookups, ss.hits + ss.misses);
		}
		struct tlb_entry_view v;
		mmu_tlb_entry(m, id, g.sets, 0, &v);   /* out of range: empty */
		cr_expect(!v.valid);
	}
	mmu_destroy(m);
	bus_destroy(b);
}

Test(hostile, random_tables_386, .timeout = 120) { run(M386, 11); }
Test(hostile, random_tables_486, .timeout = 120) { run(M486, 12); }
Test(hostile, random_tables_pentium, .timeout = 120) { run(MPENTIUM, 13); }
Test(hostile, random_tables_p6, .timeout = 120) { run(MP6, 14); }
