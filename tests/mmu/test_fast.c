/* test_fast.c - the host fast path: same results, same TLB contents and
 * the same statistics with it on and off, over random access sequences;
 * it never bypasses A/D updates, MMIO or the smc hook. */
#include "helpers.h"
#include "fastpath.h"

#define BASE  0x10000000u
#define TABLE 0x3000u
#define NPAGES 128

static uint64_t rnd_state;
static uint32_t rnd(void)
{
	/* Knuth's MMIX LCG; the high half has good bits */
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rnd_state >> 32);
}

static void build(struct env *e)
{
	for (uint32_t k = 0; k < NPAGES; k++) {
		/* pages spread over 8 sets; some read-only, some supervisor */
		uint32_t lin = BASE + k * 0x1000u * 3;
		uint32_t f = P | (k % 5 ? W : 0) | (k % 7 ? U : 0);
		map4k(e->b, lin, TABLE, P | W | U, 0x100000u + k * 0x1000u, f);
	}
}

static void compare(struct env *a, struct env *b)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats sa, sb;
		mmu_tlb_stats(a->m, id, &sa);
		mmu_tlb_stats(b->m, id, &sb);
		cr_expect_eq(memcmp(&sa, &sb, sizeof(sa)), 0, "stats of TLB %d differ: hits %llu vs %llu",
			     id, (unsigned long long)sa.hits, (unsigned long long)sb.hits);
		struct tlb_geom g = mmu_tlb_geom(a->m, id);
		for (int s = 0; s < g.sets; s++) {
			struct tlb_set_stats ta, tb;
			mmu_tlb_set_stats(a->m, id, s, &ta);
			mmu_tlb_set_stats(b->m, id, s, &tb);
			cr_expect_eq(memcmp(&ta, &tb, sizeof(ta)), 0, "set %d stats differ", s);
			cr_expect_eq(mmu_tlb_repl_state(a->m, id, s), mmu_tlb_repl_state(b->m, id, s));
			for (int w = 0; w < g.ways; w++) {
				struct tlb_entry_view va, vb;
				mmu_tlb_entry(a->m, id, s, w, &va);
				mmu_tlb_entry(b->m, id, s, w, &vb);
				cr_expect_eq(memcmp(&va, &vb, sizeof(va)), 0, "entry %d/%d/%d differs", id, s, w);
			}
		}
	}
	static uint8_t ma[1u << 20], mb[1u << 20];
	bus_read_block(a->b, 0, ma, sizeof(ma));
	bus_read_block(b->b, 0, mb, sizeof(mb));
	cr_expect_eq(memcmp(ma, mb, sizeof(ma)), 0, "memory differs");
	bus_read_block(a->b, 0x100000, ma, sizeof(ma));
	bus_read_block(b->b, 0x100000, mb, sizeof(mb));
	cr_expect_eq(memcmp(ma, mb, sizeof(ma)), 0, "memory differs");
}

static int fast_entries(struct env *e)
{
	struct mmu_fast *f = (struct mmu_fast *)(void *)e->m;
	int n = 0;
	for (int w = 0; w < 2; w++)
		for (int u = 0; u < 2; u++)
			for (unsigned i = 0; i < MMU_FAST_SIZE; i++)
				n += f->t[w][u][i].tag != MMU_FAST_INVALID;
	return n;
}

static void run_random(enum model mo, enum tlb_policy pol, uint32_t seed)
{
	struct mmu_config c = model_config(mo);
	c.policy = pol;
	struct env on = env_new_cfg(&c, CR0_WP);
	c.fast_path = 0;
	struct env off = env_new_cfg(&c, CR0_WP);
	build(&on);
	build(&off);
	rnd_state = seed;
	int used_fast = 0, faults = 0;
	for (int i = 0; i < 20000; i++) {
		uint32_t r = rnd();
		uint32_t r2 = rnd();
		uint32_t k = r2 % 40;   /* hot pages: most accesses hit */
		if ((r2 >> 24) % 4 == 0)
			k = r2 % NPAGES;
		uint32_t lin = BASE + k * 0x3000u + ((r >> 10) % 0x1000u);
		int size = 1 << ((r >> 22) % 3);
		int user = ((r >> 25) & 3) == 0;
		uint32_t val = rnd();
		int op = (int)((r >> 26) % 16);
		int ra, rb;
		uint32_t va = 0, vb = 0;
		if (op < 7) {
			ra = mmu_read_fast(on.m, lin, size, user, &va);
			rb = mmu_read(off.m, lin, size, user, &vb);
		} else if (op < 11) {
			ra = mmu_write_fast(on.m, lin, size, user, val);
			rb = mmu_write(off.m, lin, size, user, val);
		} else if (op < 13) {
			ra = mmu_read_rmw_fast(on.m, lin, size, user, &va);
			rb = mmu_read_rmw(off.m, lin, size, user, &vb);
		} else if (op == 13) {
			ra = mmu_translate(on.m, lin, MMU_FETCH, user, &va);
			rb = mmu_translate(off.m, lin, MMU_FETCH, user, &vb);
		} else if (op == 14 && (val & 0x30000) == 0) {
			/* the kernel edits a PTE (sometimes without INVLPG) */
			uint32_t pa = pte_addr_in(TABLE, BASE + k * 0x3000u);
			uint32_t pte = (0x100000u + ((val >> 4) % NPAGES) * 0x1000u) |
				       (val & (P | W | U | A | D));
			if (val & 0x700)
				pte |= P | U | W;
			wr32(on.b, pa, pte);
			wr32(off.b, pa, pte);
			if ((val >> 12) & 1) {
				mmu_invlpg(on.m, lin);
				mmu_invlpg(off.m, lin);
			}
			ra = rb = 0;
		} else {
			if ((val & 63) == 0) {
				mmu_set_cr3(on.m, PGDIR);
				mmu_set_cr3(off.m, PGDIR);
			}
			ra = rb = 0;
		}
		cr_assert_eq(ra, rb, "step %d: rc %d vs %d", i, ra, rb);
		cr_assert_eq(va, vb, "step %d: value %#x vs %#x", i, va, vb);
		if (ra) {
			faults++;
			cr_assert_eq(mmu_fault(on.m)->error_code, mmu_fault(off.m)->error_code);
			cr_assert_eq(mmu_fault(on.m)->lin, mmu_fault(off.m)->lin);
		}
		if (fast_entries(&on))
			used_fast = 1;
		cr_assert_eq(fast_entries(&off), 0);
	}
	cr_expect(used_fast, "the fast path was never used");
	/* the sequence exercises hits, misses, evictions and faults */
	struct tlb_stats st;
	mmu_tlb_stats(off.m, TLB_D4K, &st);
	cr_expect_gt(st.hits, 5000u);
	cr_expect_gt(st.evictions, 500u, "evictions %llu fills %llu misses %llu hits %llu", (unsigned long long)st.evictions, (unsigned long long)st.fills, (unsigned long long)st.misses, (unsigned long long)st.hits);
	cr_expect_gt(faults, 100);
	compare(&on, &off);
	env_free(&on);
	env_free(&off);
}

Test(fast, same_as_slow_486_plru) { run_random(M486, TLB_PLRU, 1); }
Test(fast, same_as_slow_486_lru) { run_random(M486, TLB_LRU, 2); }
Test(fast, same_as_slow_486_fifo) { run_random(M486, TLB_FIFO, 3); }
Test(fast, same_as_slow_486_random) { run_random(M486, TLB_RANDOM, 4); }
Test(fast, same_as_slow_486_rr) { run_random(M486, TLB_RR, 5); }
Test(fast, same_as_slow_386) { run_random(M386, TLB_PTR386, 6); }
Test(fast, same_as_slow_pentium) { run_random(MPENTIUM, TLB_PLRU, 7); }
Test(fast, same_as_slow_p6) { run_random(MP6, TLB_PLRU, 8); }

Test(fast, write_with_dirty_clear_takes_slow_path)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, BASE, TABLE, P | W | U, 0x50000, P | W | U);
	uint32_t v;
	cr_assert_eq(mmu_read_fast(e.m, BASE, 4, 0, &v), 0);
	cr_assert_eq(mmu_read_fast(e.m, BASE, 4, 0, &v), 0);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, BASE)), 0x50000u | P | W | U | A);
	cr_assert_eq(mmu_write_fast(e.m, BASE + 8, 4, 0, 0x77), 0);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, BASE)), 0x50000u | P | W | U | A | D);
	cr_expect_eq(rd32(e.b, 0x50008), 0x77u);
	env_free(&e);
}

static int smc_calls;
static void smc(void *opaque, uint32_t pa, uint32_t len)
{
	(void)opaque; (void)pa; (void)len;
	smc_calls++;
}

Test(fast, code_frames_reach_the_smc_hook)
{
	struct env e = env_new(M486, 0);
	bus_set_smc_hook(e.b, smc, NULL);
	smc_calls = 0;
	map4k(e.b, BASE, TABLE, P | W | U, 0x50000, P | W | U | A | D);
	cr_assert_eq(mmu_write_fast(e.m, BASE, 4, 0, 1), 0);
	cr_assert_eq(mmu_write_fast(e.m, BASE, 4, 0, 2), 0);   /* now via the fast path */
	cr_expect_eq(smc_calls, 0);
	bus_mark_code(e.b, 0x50);
	cr_assert_eq(mmu_write_fast(e.m, BASE + 4, 4, 0, 3), 0);
	cr_expect_eq(smc_calls, 1);
	cr_assert_eq(mmu_write_fast(e.m, BASE + 4, 4, 0, 3), 0);
	cr_expect_eq(smc_calls, 2);
	/* paging off too */
	mmu_set_cr0(e.m, CR0_PE);
	cr_assert_eq(mmu_write_fast(e.m, 0x50010, 4, 0, 3), 0);
	cr_assert_eq(mmu_write_fast(e.m, 0x50010, 4, 0, 3), 0);
	cr_expect_eq(smc_calls, 4);
	env_free(&e);
}

static struct { int reads, writes; } mm;
static uint32_t mm_read(void *o, uint32_t off, int size) { (void)o; (void)off; (void)size; mm.reads++; return 0x42; }
static void mm_write(void *o, uint32_t off, int size, uint32_t v) { (void)o; (void)off; (void)size; (void)v; mm.writes++; }
static const struct mmio_ops mm_ops = { mm_read, mm_write };

Test(fast, mmio_and_rom_never_fast)
{
	struct env e = env_new(M486, 0);
	bus_map_mmio(e.b, 0xB8000, 0x1000, &mm_ops, NULL);
	map4k(e.b, BASE, TABLE, P | W | U, 0xB8000, P | W | U | A | D);
	memset(&mm, 0, sizeof(mm));
	uint32_t v;
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(mmu_read_fast(e.m, BASE, 1, 0, &v), 0);
		cr_assert_eq(mmu_write_fast(e.m, BASE, 1, 0, 1), 0);
	}
	cr_expect_eq(mm.reads, 3);
	cr_expect_eq(mm.writes, 3);
	cr_expect_eq(fast_entries(&e), 0);
	env_free(&e);
}

Test(fast, a20_change_drops_paging_off_entries)
{
	struct env e = env_new(M486, 0);
	mmu_set_cr0(e.m, CR0_PE);
	wr32(e.b, 0x00010000, 0x11);
	wr32(e.b, 0x00110000, 0x22);
	uint32_t v;
	cr_assert_eq(mmu_read_fast(e.m, 0x00110000, 4, 0, &v), 0);
	cr_assert_eq(mmu_read_fast(e.m, 0x00110000, 4, 0, &v), 0);
	cr_expect_eq(v, 0x22u);
	bus_set_a20(e.b, 0);
	cr_assert_eq(mmu_read_fast(e.m, 0x00110000, 4, 0, &v), 0);
	cr_expect_eq(v, 0x11u);
	env_free(&e);
}

static void no_report(void *o, const struct mmu_stale_report *r)
{
	(void)o; (void)r;
}

Test(fast, hit_listener_and_checker_turn_it_off)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, BASE, TABLE, P | W | U, 0x50000, P | W | U | A | D);
	uint32_t v;
	cr_assert_eq(mmu_read_fast(e.m, BASE, 4, 0, &v), 0);
	cr_expect_gt(fast_entries(&e), 0);
	uint32_t eip = 0;
	mmu_set_stale_check(e.m, &eip, no_report, NULL);
	cr_expect_eq(fast_entries(&e), 0);
	cr_assert_eq(mmu_read_fast(e.m, BASE, 4, 0, &v), 0);
	cr_expect_eq(fast_entries(&e), 0);
	env_free(&e);
}

Test(fast, odd_sizes_same_as_slow)
{
	/* mmu_read() widens a size other than 1, 2 or 4 to 4 bytes; the fast
	 * path must not read 3 bytes where the slow path reads 4. */
	struct env e = env_new(MP6, 0);
	build(&e);
	wr32(e.b, 0x100000u, 0x44332211u);
	uint32_t v = 0, w = 0;
	cr_assert_eq(mmu_read_fast(e.m, BASE, 4, 0, &v), 0);
	cr_assert_eq(mmu_read_fast(e.m, BASE, 4, 0, &v), 0);
	cr_assert(fast_entries(&e) > 0, "the page should be in the fast tables by now");
	cr_assert_eq(mmu_read(e.m, BASE, 3, 0, &w), 0);
	cr_assert_eq(mmu_read_fast(e.m, BASE, 3, 0, &v), 0);
	cr_expect_eq(v, w, "fast %#x, slow %#x", v, w);
	env_free(&e);
}
