/* test_hit.c - the fused TLB hit (mmu/hit.h) against the general hit path.
 * Two MMUs get the same random accesses and table edits (test_refill's
 * sequences: hot pages sharing sets, so that most TLB hits miss the fast
 * tables as the most recently used way of a set changes; faults, D-bit
 * refreshes, code frames, A20, CR0/CR3/CR4 changes, INVLPG, straddling
 * accesses). One takes the fused hit whenever it applies; the other
 *   - has no_fused_hit set: the same fast path, the general hit path, so
 *     everything must be the same, fast tables and their pending hits
 *     included; or
 *   - has a listener of MMU_EV_HIT, which turns the fast path off (every
 *     access looks the TLB up through the general path and every hit is
 *     heard): the statistics, TLB contents and replacement state must be
 *     the same, and the hits heard those the fused side counts.
 * Results, faults, memory, the generation and the smc hook calls too, for
 * every model and replacement policy. */
#include "pairseq.h"

static uint64_t hits_heard;
static void on_hit(void *opaque, const struct mmu_event *ev)
{
	(void)opaque;
	if (ev->kind == MMU_EV_HIT)
		hits_heard++;
}

static void run_mode(struct mmu_config c, uint32_t seed, int listener)
{
	struct pair p;
	struct mmu_config cg = c;
	cg.no_fused_hit = !listener;
	pair_init(&p, &c, &cg, listener ? PAIR_FAST_NONE : PAIR_FAST_ARMED);
	hits_heard = 0;
	if (listener)
		mmu_set_listener(p.g.m, 1u << MMU_EV_HIT, on_hit, NULL);
	pair_run(&p, seed, 30000);
	struct tlb_stats st;
	mmu_tlb_stats(p.f.m, TLB_D4K, &st);
	cr_log_info("hits %llu misses %llu evictions %llu", (unsigned long long)st.hits,
		    (unsigned long long)st.misses, (unsigned long long)st.evictions);
	cr_expect_gt(st.hits, 5000u);
	cr_expect_gt(st.evictions, 1000u);
	if (listener) {
		uint64_t hits = 0;
		for (int id = 0; id < TLB_COUNT; id++) {
			mmu_tlb_stats(p.f.m, id, &st);
			hits += st.hits;
		}
		cr_expect_eq(hits_heard, hits, "every hit the fused side counted was heard on the other");
	}
	pair_free(&p);
}


static void run(struct mmu_config c, uint32_t seed)
{
	run_mode(c, seed, 0);
	run_mode(c, seed, 1);
}

Test(hit, same_as_general_386) { run(model_config(M386), 21); }
Test(hit, same_as_general_486_plru) { run(with_policy(M486, TLB_PLRU), 22); }
Test(hit, same_as_general_486_lru) { run(with_policy(M486, TLB_LRU), 23); }
Test(hit, same_as_general_486_fifo) { run(with_policy(M486, TLB_FIFO), 24); }
Test(hit, same_as_general_486_random) { run(with_policy(M486, TLB_RANDOM), 25); }
Test(hit, same_as_general_486_rr) { run(with_policy(M486, TLB_RR), 26); }
Test(hit, same_as_general_pentium) { run(model_config(MPENTIUM), 27); }
Test(hit, same_as_general_p6) { run(model_config(MP6), 28); }
Test(hit, same_as_general_p6_lru) { run(with_policy(MP6, TLB_LRU), 29); }

/* PSE without a 4 MiB TLB: large entries in the 4 KiB TLB (the fused hit
 * declines while there are any) */
Test(hit, same_as_general_p6_no_large_tlb)
{
	struct mmu_config c = model_config(MP6);
	c.dtlb_large = c.itlb_large = (struct tlb_geom){ 0, 0 };
	run(c, 30);
}

Test(hit, same_as_general_p6_8way)
{
	struct mmu_config c = model_config(MP6);
	c.dtlb = (struct tlb_geom){ 4, 8 };
	run(c, 31);
}

/* Two pages in one set of the p6's 4 KiB data TLB, used in turn: after
 * the first two accesses every access hits the TLB on the way that is not
 * the most recently used, so it misses the fast tables and the fused hit
 * takes it (the MRU change drops the other page's fast entry). Checked
 * against the general path after every access, reads, writes and
 * read-modify-writes, user and supervisor. */
Test(hit, ping_pong_in_one_set)
{
	struct mmu_config c = model_config(MP6);
	struct pair p;
	p.pse = 0;
	p.fast_cmp = PAIR_FAST_ARMED;
	struct mmu_config cg = c;
	cg.no_fused_hit = 1;
	p.f = env_new_cfg(&c, CR0_WP);
	p.g = env_new_cfg(&cg, CR0_WP);
	const uint32_t a = 0x00400000u, b = 0x00410000u;   /* pages 0x400, 0x410: set 0 of 16 */
	for (uint32_t k = 0; k < 2; k++) {
		uint32_t lin = k ? b : a;
		pair_wr32(&p, pde_addr(lin), PGTAB | P | W | U | A);
		pair_wr32(&p, pte_addr_in(PGTAB, lin), (0x200000u + k * 0x1000u) | P | W | U | A | D);
	}
	for (int i = 0; i < 400; i++) {
		uint32_t lin = (i & 1 ? b : a) + (uint32_t)(i * 4 % 4000);
		int user = (i >> 3) & 1, ra, rb;
		uint32_t va = 0, vb = 0;
		switch ((i >> 1) % 3) {
		case 0:
			ra = mmu_read_fast(p.f.m, lin, 4, user, &va);
			rb = mmu_read_fast(p.g.m, lin, 4, user, &vb);
			break;
		case 1:
			ra = mmu_write_fast(p.f.m, lin, 2, user, (uint32_t)i);
			rb = mmu_write_fast(p.g.m, lin, 2, user, (uint32_t)i);
			break;
		default:
			ra = mmu_read_rmw_fast(p.f.m, lin, 1, user, &va);
			rb = mmu_read_rmw_fast(p.g.m, lin, 1, user, &vb);
			break;
		}
		cr_assert_eq(ra, 0);
		cr_assert_eq(rb, 0);
		cr_assert_eq(va, vb);
		pair_compare(&p, i);
	}
	struct tlb_stats st;
	mmu_tlb_stats(p.f.m, TLB_D4K, &st);
	cr_expect_eq(st.misses, 2u, "only the first access to each page missed");
	cr_expect_eq(st.hits, 398u);
	env_free(&p.f);
	env_free(&p.g);
}
