/* test_tlb.c - the architectural TLB: replacement sequences per policy
 * (worked by hand below), every flush cause, global pages, split and large
 * TLBs, stale entries, the stale checker, events, statistics. */
#include "helpers.h"

/* Pages whose linear page number is a multiple of 8 all fall in set 0 of an
 * 8-set TLB. Page k lives at lin BASE + k * 0x8000, frame FR(k). */
#define BASE  0x10000000u
#define TABLE 0x3000u
#define LINK(k) (BASE + (uint32_t)(k) * 0x8000u)
#define FR(k) (0x100000u + (uint32_t)(k) * 0x1000u)

static void map_pages(struct env *e, int n, uint32_t pte_extra)
{
	for (int k = 0; k < n; k++)
		map4k(e->b, LINK(k), TABLE, P | W | U, FR(k), P | W | U | pte_extra);
}

static void touch(struct env *e, int k)
{
	uint32_t v;
	cr_assert_eq(mmu_read(e->m, LINK(k), 4, 0, &v), 0);
}

/* Which page (k) sits in set 0, way w of the D-side 4 KiB TLB; -1 if empty. */
static int way_page(struct env *e, int w)
{
	struct tlb_entry_view v;
	mmu_tlb_entry(e->m, TLB_D4K, 0, w, &v);
	if (!v.valid)
		return -1;
	return (int)((v.lin_page - (BASE >> 12)) / 8);
}

static struct env env_policy(enum tlb_policy p)
{
	struct mmu_config c = model_config(M486);
	c.policy = p;
	struct env e = env_new_cfg(&c, 0);
	map_pages(&e, 8, A);
	return e;
}

#define EXPECT_WAYS(e, a, b, c, d)                                               \
	do {                                                                      \
		cr_expect_eq(way_page(&(e), 0), (a));                             \
		cr_expect_eq(way_page(&(e), 1), (b));                             \
		cr_expect_eq(way_page(&(e), 2), (c));                             \
		cr_expect_eq(way_page(&(e), 3), (d));                             \
	} while (0)

/* PLRU, i486 rule (B0 root, B1 ways 0/1, B2 ways 2/3; repl_state bit 0 =
 * B0, bit 1 = B1, bit 2 = B2). Pages A=0 B=1 C=2 D=3 E=4 F=5:
 *   A miss -> way 0 (empty first)   B0=1 B1=1        bits 011
 *   B miss -> way 1                 B0=1 B1=0        bits 001
 *   C miss -> way 2                 B0=0 B2=1        bits 100
 *   D miss -> way 3                 B0=0 B2=0        bits 000
 *   A hit  (way 0)                  B0=1 B1=1        bits 011
 *   E miss: B0=1 -> ways 2/3, B2=0 -> way 2 (C out); B0=0 B2=1: bits 110
 *   F miss: B0=0 -> ways 0/1, B1=1 -> way 1 (B out); B0=1 B1=0: bits 101
 *   ways: A F E D */
Test(repl, plru_worked_example)
{
	struct env e = env_policy(TLB_PLRU);
	static const int seq[] = { 0, 1, 2, 3 };
	static const uint32_t bits[] = { 3, 1, 4, 0 };
	for (int i = 0; i < 4; i++) {
		touch(&e, seq[i]);
		cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), bits[i], "step %d", i);
	}
	touch(&e, 0);
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 3u);
	touch(&e, 4);
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 6u);
	touch(&e, 5);
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 5u);
	EXPECT_WAYS(e, 0, 5, 4, 3);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.lookups, 7u);
	cr_expect_eq(s.hits, 1u);
	cr_expect_eq(s.misses, 6u);
	cr_expect_eq(s.fills, 6u);
	cr_expect_eq(s.evictions, 2u);
	env_free(&e);
}

/* LRU: A B C D fill ways 0-3; A hit (order A D C B); E evicts B (way 1);
 * F evicts C (way 2); D hit (order D F E A); G=6 evicts A (way 0).
 * ways: G E F D */
Test(repl, lru_worked_example)
{
	struct env e = env_policy(TLB_LRU);
	static const int seq[] = { 0, 1, 2, 3, 0, 4, 5, 3, 6 };
	for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		touch(&e, seq[i]);
	EXPECT_WAYS(e, 6, 4, 5, 3);
	/* ranks, 2 bits per way, 0 = most recent: G (way 0) 0, D (way 3) 1,
	 * F (way 2) 2, E (way 1) 3 */
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 0u | 3u << 2 | 2u << 4 | 1u << 6);
	env_free(&e);
}

/* FIFO: A B C D fill ways 0-3; the A hit changes nothing; E evicts A (the
 * oldest fill, way 0); F evicts B (way 1). ways: E F C D. After INVLPG of
 * C, G fills the empty way 2. */
Test(repl, fifo_worked_example)
{
	struct env e = env_policy(TLB_FIFO);
	static const int seq[] = { 0, 1, 2, 3, 0, 4, 5 };
	for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		touch(&e, seq[i]);
	EXPECT_WAYS(e, 4, 5, 2, 3);
	mmu_invlpg(e.m, LINK(2));
	touch(&e, 6);
	EXPECT_WAYS(e, 4, 5, 6, 3);
	env_free(&e);
}

/* Round robin: the set's pointer names the victim even when another way is
 * empty. A B C D -> ways 0-3 (pointer back at 0); A hit; E -> way 0
 * (pointer 1); INVLPG C empties way 2; F -> way 1 all the same (B out).
 * ways: E F - D */
Test(repl, rr_worked_example)
{
	struct env e = env_policy(TLB_RR);
	static const int seq[] = { 0, 1, 2, 3, 0, 4 };
	for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		touch(&e, seq[i]);
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 1u);
	mmu_invlpg(e.m, LINK(2));
	touch(&e, 5);
	EXPECT_WAYS(e, 4, 5, -1, 3);
	env_free(&e);
}

/* Random: xorshift32 (x ^= x << 13; x ^= x >> 17; x ^= x << 5) from seed
 * 1 gives 0x00042021, 0x04080601, 0x9DCCA8C5, 0x1255994F: victims (mod 4)
 * ways 1, 1, 1, 3. A B C D fill ways 0-3; E -> way 1; F -> way 1;
 * G -> way 1; H -> way 3. ways: A G C H */
Test(repl, random_worked_example)
{
	struct env e = env_policy(TLB_RANDOM);
	map_pages(&e, 8, A);
	static const int seq[] = { 0, 1, 2, 3, 4, 5, 6 };
	for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		touch(&e, seq[i]);
	EXPECT_WAYS(e, 0, 6, 2, 3);
	touch(&e, 7);
	EXPECT_WAYS(e, 0, 6, 2, 7);
	env_free(&e);
}

/* The 386 rule assumed here: one 2-bit pointer for the whole TLB, advanced
 * by every fill in any set; a full set loses the way it names. A B C D fill
 * set 0 (pointer 0->1->2->3->0); a fill in set 1 moves it to 1; E then
 * replaces way 1 (B) and the pointer moves to 2; F replaces way 2 (C).
 * ways: A E F D */
Test(repl, ptr386_worked_example)
{
	struct env e = env_policy(TLB_PTR386);
	map4k(e.b, BASE + 0x1000, TABLE, P | W | U, 0x200000, P | W | U | A);   /* set 1 */
	for (int k = 0; k < 4; k++)
		touch(&e, k);
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 0u);
	uint32_t v;
	cr_assert_eq(mmu_read(e.m, BASE + 0x1000, 4, 0, &v), 0);
	cr_expect_eq(mmu_tlb_repl_state(e.m, TLB_D4K, 0), 1u);
	touch(&e, 0);   /* a hit does not move the pointer */
	touch(&e, 4);
	touch(&e, 5);
	EXPECT_WAYS(e, 0, 4, 5, 3);
	env_free(&e);
}

Test(repl, plru_generic_eight_ways)
{
	/* 8 ways, 7 tree bits. Fill 0..7 (ways 0..7), hit 0, then one miss.
	 * After the fills the last use was way 7: every node on its path
	 * points left (root 0, node 3 = 0, node 7 = 0), the others were
	 * set pointing away from earlier uses: node 2 (ways 0-3) was last
	 * touched by way 3 -> 0, node 4 (0/1) by way 1 -> 0, node 5 (2/3)
	 * by way 3 -> 0, node 6 (4/5) by way 5 -> 0. Hit 0: root=1, node2=1,
	 * node4=1. Victim: root 1 -> right half, node 3 = 0 -> ways 4/5,
	 * node 6 = 0 -> way 4. */
	struct mmu_config c = model_config(M486);
	c.dtlb = (struct tlb_geom){ 8, 8 };
	struct env e = env_new_cfg(&c, 0);
	map_pages(&e, 9, A);
	for (int k = 0; k < 8; k++)
		touch(&e, k);
	touch(&e, 0);
	touch(&e, 8);
	struct tlb_entry_view v;
	mmu_tlb_entry(e.m, TLB_D4K, 0, 4, &v);
	cr_expect_eq(v.lin_page, LINK(8) >> 12);
	env_free(&e);
}

/* ---- flushes */

static int valid_count(struct env *e, enum tlb_id id)
{
	struct tlb_geom g = mmu_tlb_geom(e->m, id);
	int n = 0;
	for (int s = 0; s < g.sets; s++)
		for (int w = 0; w < g.ways; w++) {
			struct tlb_entry_view v;
			mmu_tlb_entry(e->m, id, s, w, &v);
			n += v.valid;
		}
	return n;
}

static void fill_four(struct env *e)
{
	map_pages(e, 4, A);
	for (int k = 0; k < 4; k++)
		touch(e, k);
	cr_assert_eq(valid_count(e, TLB_D4K), 4);
}

Test(flush, cr3_load)
{
	struct env e = env_new(M386, 0);
	fill_four(&e);
	uint64_t g = mmu_generation(e.m);
	mmu_set_cr3(e.m, PGDIR);   /* same value: still a flush */
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	cr_expect_gt(mmu_generation(e.m), g);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.flushes[FLUSH_CR3], 2u);   /* env_new loaded CR3 once */
	env_free(&e);
}

Test(flush, cr0_bits)
{
	struct env e = env_new(M486, 0);
	fill_four(&e);
	mmu_set_cr0(e.m, CR0_PE | CR0_PG | (1u << 3));   /* TS: no flush */
	cr_expect_eq(valid_count(&e, TLB_D4K), 4);
	mmu_set_cr0(e.m, CR0_PE | CR0_PG | CR0_WP);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	fill_four(&e);
	mmu_set_cr0(e.m, CR0_PE);   /* PG off */
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.flushes[FLUSH_CR0], 3u);   /* env_new, WP, PG */
	env_free(&e);
}

Test(flush, cr4_bits)
{
	struct env e = env_new(MPENTIUM, 0);
	fill_four(&e);
	mmu_set_cr4(e.m, 1u << 3);   /* DE: no flush */
	cr_expect_eq(valid_count(&e, TLB_D4K), 4);
	mmu_set_cr4(e.m, (1u << 3) | CR4_PSE);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.flushes[FLUSH_CR4], 1u);
	env_free(&e);
}

Test(flush, invlpg_one_page)
{
	struct env e = env_new(M486, 0);
	fill_four(&e);
	mmu_invlpg(e.m, LINK(2) + 0x345);
	cr_expect_eq(valid_count(&e, TLB_D4K), 3);
	cr_expect_eq(way_page(&e, 2), -1);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.flushes[FLUSH_INVLPG], 1u);
	env_free(&e);
}

Test(flush, task_switch_reset_a20)
{
	struct env e = env_new(M486, 0);
	fill_four(&e);
	mmu_flush(e.m, FLUSH_TASK_SWITCH);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	fill_four(&e);
	bus_set_a20(e.b, 0);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	fill_four(&e);
	mmu_reset(e.m);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.flushes[FLUSH_TASK_SWITCH], 1u);
	cr_expect_eq(s.flushes[FLUSH_A20], 1u);
	cr_expect_geq(s.flushes[FLUSH_RESET], 1u);
	env_free(&e);
}

Test(flush, global_pages_p6)
{
	struct env e = env_new(MP6, 0);
	map_pages(&e, 2, A);
	map4k(e.b, LINK(1), TABLE, P | W | U, FR(1), P | W | U | A | G);
	/* G without CR4.PGE: not global */
	touch(&e, 0);
	touch(&e, 1);
	mmu_set_cr3(e.m, PGDIR);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	mmu_set_cr4(e.m, CR4_PGE);
	touch(&e, 0);
	touch(&e, 1);
	mmu_set_cr3(e.m, PGDIR);
	cr_expect_eq(valid_count(&e, TLB_D4K), 1);
	struct tlb_entry_view v;
	mmu_tlb_entry(e.m, TLB_D4K, 8, 0, &v);   /* 16 sets: page +8 is set 8 */
	cr_expect(v.valid && v.g);
	/* a task switch or INVLPG drops it; so does clearing PGE */
	mmu_invlpg(e.m, LINK(1));
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	touch(&e, 1);
	mmu_set_cr4(e.m, 0);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	touch(&e, 1);
	mmu_set_cr4(e.m, CR4_PGE);
	touch(&e, 1);
	mmu_flush(e.m, FLUSH_TASK_SWITCH);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	env_free(&e);
}

Test(flush, global_ignored_before_p6)
{
	struct env e = env_new(MPENTIUM, 0);
	map4k(e.b, LINK(0), TABLE, P | W | U, FR(0), P | W | U | A | G);
	mmu_set_cr4(e.m, CR4_PGE);
	touch(&e, 0);
	mmu_set_cr3(e.m, PGDIR);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	env_free(&e);
}

/* ---- stale entries */

Test(stale, old_translation_persists_until_invlpg)
{
	struct env e = env_new(M486, 0);
	map_pages(&e, 1, A);
	wr32(e.b, FR(0), 0xAAAAAAAAu);
	wr32(e.b, FR(7), 0xBBBBBBBBu);
	uint32_t v;
	cr_assert_eq(mmu_read(e.m, LINK(0), 4, 0, &v), 0);
	cr_expect_eq(v, 0xAAAAAAAAu);
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), FR(7) | P | W | U | A);
	cr_assert_eq(mmu_read(e.m, LINK(0), 4, 0, &v), 0);
	cr_expect_eq(v, 0xAAAAAAAAu);   /* stale, as on silicon */
	/* even not-present in memory: the TLB still translates */
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), 0);
	cr_expect_eq(mmu_read(e.m, LINK(0), 4, 0, &v), 0);
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), FR(7) | P | W | U | A);
	mmu_invlpg(e.m, LINK(0));
	cr_assert_eq(mmu_read(e.m, LINK(0), 4, 0, &v), 0);
	cr_expect_eq(v, 0xBBBBBBBBu);
	env_free(&e);
}

Test(stale, old_translation_goes_on_eviction)
{
	struct env e = env_new(M486, 0);
	map_pages(&e, 5, A);
	wr32(e.b, FR(0), 0xAAAAAAAAu);
	wr32(e.b, FR(7), 0xBBBBBBBBu);
	touch(&e, 0);
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), FR(7) | P | W | U | A);
	/* 4 more pages in set 0: PLRU evicts page 0 at the fourth (the three
	 * fills after it take the empty ways, the fourth the PLRU victim,
	 * which is way 0: fills 1, 2, 3 leave B0=0, B1=0 -> way 0) */
	for (int k = 1; k <= 4; k++)
		touch(&e, k);
	cr_expect_eq(way_page(&e, 0), 4);
	uint32_t v;
	cr_assert_eq(mmu_read(e.m, LINK(0), 4, 0, &v), 0);
	cr_expect_eq(v, 0xBBBBBBBBu);
	env_free(&e);
}

Test(stale, nothing_cached_for_not_present)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, LINK(0), TABLE, P | W | U, FR(0), W | U);
	uint32_t v;
	cr_expect_eq(mmu_read(e.m, LINK(0), 4, 0, &v), MMU_PF);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), FR(0) | P | W | U);
	cr_expect_eq(mmu_read(e.m, LINK(0), 4, 0, &v), 0);   /* no INVLPG needed */
	env_free(&e);
}

Test(stale, dirty_clear_entry_walks_again)
{
	struct env e = env_new(M486, 0);
	map_pages(&e, 1, A);
	touch(&e, 0);
	cr_expect_eq(way_page(&e, 0), 0);
	/* the kernel now makes the page not present without INVLPG: the write
	 * through the D=0 entry walks again, sees it and faults (P=0) */
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), 0);
	cr_expect_eq(mmu_write(e.m, LINK(0), 4, 0, 1), MMU_PF);
	cr_expect_eq(mmu_fault(e.m)->error_code, 2u);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	/* and a refresh in place when it is still there */
	map_pages(&e, 1, A);
	touch(&e, 0);
	cr_assert_eq(mmu_write(e.m, LINK(0), 4, 0, 1), 0);
	struct tlb_entry_view tv;
	mmu_tlb_entry(e.m, TLB_D4K, 0, 0, &tv);
	cr_expect(tv.valid && tv.d);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.evictions, 0u);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LINK(0))), FR(0) | P | W | U | A | D);
	env_free(&e);
}

static struct mmu_stale_report reports[8];
static int n_reports;

static void on_stale(void *opaque, const struct mmu_stale_report *r)
{
	(void)opaque;
	if (n_reports < 8)
		reports[n_reports] = *r;
	n_reports++;
}

Test(stale, checker_reports_once_per_eip_and_page)
{
	struct env e = env_new(M486, 0);
	uint32_t eip = 0x1234;
	n_reports = 0;
	mmu_set_stale_check(e.m, &eip, on_stale, NULL);
	map_pages(&e, 1, A);
	touch(&e, 0);
	touch(&e, 0);
	cr_expect_eq(n_reports, 0);
	wr32(e.b, pte_addr_in(TABLE, LINK(0)), FR(7) | P | W | U | A);
	touch(&e, 0);
	touch(&e, 0);
	cr_assert_eq(n_reports, 1);
	cr_expect_eq(reports[0].eip, 0x1234u);
	cr_expect_eq(reports[0].lin, LINK(0));
	cr_expect_eq(reports[0].pte_addr, pte_addr_in(TABLE, LINK(0)));
	cr_expect_eq(reports[0].cached_paddr, FR(0));
	cr_expect_eq(reports[0].mem_paddr, FR(7));
	eip = 0x5678;
	touch(&e, 0);
	cr_expect_eq(n_reports, 2);
	mmu_invlpg(e.m, LINK(0));
	touch(&e, 0);
	cr_expect_eq(n_reports, 2);
	env_free(&e);
}

/* ---- split and large TLBs */

Test(tlb, split_sides)
{
	struct env e = env_new(MPENTIUM, 0);
	map_pages(&e, 1, A);
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, LINK(0), MMU_FETCH, 0, &pa), 0);
	cr_expect_eq(valid_count(&e, TLB_I4K), 1);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	touch(&e, 0);
	cr_expect_eq(valid_count(&e, TLB_D4K), 1);
	struct env u = env_new(M486, 0);
	map_pages(&u, 1, A);
	cr_expect_eq(mmu_tlb_geom(u.m, TLB_I4K).sets, 0);
	cr_assert_eq(mmu_translate(u.m, LINK(0), MMU_FETCH, 0, &pa), 0);
	cr_expect_eq(valid_count(&u, TLB_D4K), 1);   /* unified */
	env_free(&u);
	env_free(&e);
}

Test(tlb, large_page_in_small_tlb_is_splintered)
{
	/* pentium: no code 4 MiB TLB in this configuration, so a fetch from a
	 * 4 MiB page is held in the code TLB, in the set of the 4 KiB piece */
	struct env e = env_new(MPENTIUM, 0);
	mmu_set_cr4(e.m, CR4_PSE);
	wr32(e.b, pde_addr(0x00C00000u), 0x00800000u | P | W | PS | A);
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, 0x00C00000u, MMU_FETCH, 0, &pa), 0);
	cr_assert_eq(mmu_translate(e.m, 0x00C01000u, MMU_FETCH, 0, &pa), 0);
	cr_expect_eq(pa, 0x00801000u);
	cr_expect_eq(valid_count(&e, TLB_I4K), 2);
	struct tlb_entry_view v;
	mmu_tlb_entry(e.m, TLB_I4K, 1, 0, &v);
	cr_expect(v.valid && v.large);
	cr_expect_eq(v.lin_page, 0x00C00000u >> 22);
	mmu_invlpg(e.m, 0x00E00000u);   /* same 4 MiB page: both go */
	cr_expect_eq(valid_count(&e, TLB_I4K), 0);
	env_free(&e);
}

Test(tlb, p6_large_tlbs)
{
	struct env e = env_new(MP6, 0);
	mmu_set_cr4(e.m, CR4_PSE);
	for (uint32_t i = 0; i < 3; i++)
		wr32(e.b, pde_addr(0x00400000u * (i + 1)), (0x00400000u * (i + 1)) | P | W | PS | A);
	uint32_t pa;
	for (uint32_t i = 0; i < 3; i++)
		cr_assert_eq(mmu_translate(e.m, 0x00400000u * (i + 1), MMU_FETCH, 0, &pa), 0);
	/* code 4 MiB TLB: 1 set x 2 ways */
	cr_expect_eq(valid_count(&e, TLB_I4M), 2);
	cr_expect_eq(valid_count(&e, TLB_I4K), 0);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_I4M, &s);
	cr_expect_eq(s.evictions, 1u);
	env_free(&e);
}

/* ---- events */

static int ev_count[8];

static void on_event(void *opaque, const struct mmu_event *ev)
{
	(void)opaque;
	ev_count[ev->kind]++;
}

Test(tlb, events)
{
	struct env e = env_new(M486, 0);
	memset(ev_count, 0, sizeof(ev_count));
	mmu_set_listener(e.m, (1u << MMU_EV_FILL) | (1u << MMU_EV_EVICT) | (1u << MMU_EV_HIT) |
				      (1u << MMU_EV_FAULT) | (1u << MMU_EV_FLUSH),
			 on_event, NULL);
	map_pages(&e, 5, A);
	for (int k = 0; k < 5; k++)
		touch(&e, k);
	touch(&e, 4);
	uint32_t v;
	cr_expect_eq(mmu_read(e.m, 0x7F000000u, 4, 0, &v), MMU_PF);
	mmu_set_cr3(e.m, PGDIR);
	cr_expect_eq(ev_count[MMU_EV_FILL], 5);
	cr_expect_eq(ev_count[MMU_EV_EVICT], 1);
	cr_expect_eq(ev_count[MMU_EV_HIT], 1);
	cr_expect_eq(ev_count[MMU_EV_FAULT], 1);
	cr_expect_eq(ev_count[MMU_EV_FLUSH], 1);
	cr_expect_eq(ev_count[MMU_EV_WALK], 0);   /* not selected */
	env_free(&e);
}

/* ---- statistics */

Test(tlb, stats_per_set_and_large)
{
	struct env e = env_new(MPENTIUM, 0);
	mmu_set_cr4(e.m, CR4_PSE);
	map_pages(&e, 2, A);
	wr32(e.b, pde_addr(0x00C00000u), 0x00800000u | P | W | PS | A | D);
	uint32_t v;
	touch(&e, 0);
	touch(&e, 0);
	touch(&e, 1);
	cr_assert_eq(mmu_read(e.m, 0x00C00000u, 4, 0, &v), 0);
	cr_assert_eq(mmu_read(e.m, 0x00C01000u, 4, 0, &v), 0);   /* same 4 MiB entry */
	cr_assert_eq(mmu_read(e.m, 0x00C02000u, 4, 0, &v), 0);
	/* D4K: pages 0 and 1 are 8 pages apart: sets 0 and 8 of 16 */
	struct tlb_set_stats s0, s8;
	mmu_tlb_set_stats(e.m, TLB_D4K, 0, &s0);
	mmu_tlb_set_stats(e.m, TLB_D4K, 8, &s8);
	cr_expect_eq(s0.lookups, 2u);
	cr_expect_eq(s0.hits, 1u);
	cr_expect_eq(s0.misses, 1u);
	cr_expect_eq(s0.fills, 1u);
	cr_expect_eq(s8.lookups, 1u);
	struct tlb_stats d4k, d4m;
	mmu_tlb_stats(e.m, TLB_D4K, &d4k);
	mmu_tlb_stats(e.m, TLB_D4M, &d4m);
	cr_expect_eq(d4k.lookups, 3u);
	cr_expect_eq(d4k.walks, 2u);
	cr_expect_eq(d4m.lookups, 3u);
	cr_expect_eq(d4m.hits, 2u);
	cr_expect_eq(d4m.misses, 1u);
	cr_expect_eq(d4m.walks, 1u);
	/* 4 MiB TLB index: (0x00C00000 >> 22) & 1 = 1 */
	struct tlb_entry_view tv;
	mmu_tlb_entry(e.m, TLB_D4M, 1, 0, &tv);
	cr_expect(tv.valid && tv.large);
	cr_expect_eq(tv.hits, 2u);
	/* hits survive the entry in the set's count */
	mmu_set_cr3(e.m, PGDIR);
	mmu_tlb_stats(e.m, TLB_D4M, &d4m);
	cr_expect_eq(d4m.hits, 2u);
	env_free(&e);
}

Test(tlb, reset_keeps_statistics)
{
	struct env e = env_new(M486, 0);
	map_pages(&e, 1, A);
	touch(&e, 0);
	touch(&e, 0);
	mmu_reset(e.m);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.hits, 1u);
	cr_expect_eq(s.misses, 1u);
	cr_expect_eq(valid_count(&e, TLB_D4K), 0);
	/* paging is off after reset: linear = physical */
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, LINK(0), MMU_READ, 0, &pa), 0);
	cr_expect_eq(pa, LINK(0));
	env_free(&e);
}
