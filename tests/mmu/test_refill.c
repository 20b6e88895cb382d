/* test_refill.c - the fused TLB refill (mmu/refill.h) against the general
 * miss path. Two MMUs get the same random accesses and table edits: one
 * with no listener (misses take the fused refill whenever it applies), one
 * with a listener of MMU_EV_WALK, which sends every miss down the general
 * path (mmu.c's miss, walk.c's pg_walk, tlb.c's tlb_fill_at). Results,
 * faults, memory (A/D bits), TLB contents, replacement state, per-set and
 * per-TLB statistics, the generation and the fast tables must be the same,
 * for every model and replacement policy. The sequences cover the cases
 * the fused path declines (faults, a PTE that is its own PDE, tables in a
 * code frame or outside RAM) and those it takes (4 KiB and 4 MiB pages,
 * A/D already set or not, evictions of entries held in the fast tables). */
#include "pairseq.h"

static uint64_t walks_heard;
static void on_walk(void *opaque, const struct mmu_event *ev)
{
	(void)opaque;
	if (ev->kind == MMU_EV_WALK)
		walks_heard++;
}

static void run(struct mmu_config c, uint32_t seed)
{
	struct pair p;
	pair_init(&p, &c, &c, PAIR_FAST_EXACT);
	walks_heard = 0;
	mmu_set_listener(p.g.m, 1u << MMU_EV_WALK, on_walk, NULL);
	pair_run(&p, seed, 30000);
	/* the sequence exercised misses, evictions, A/D writes and faults */
	struct tlb_stats st;
	mmu_tlb_stats(p.f.m, TLB_D4K, &st);
	cr_log_info("walks %llu evictions %llu ad %llu hits %llu", (unsigned long long)st.walks, (unsigned long long)st.evictions, (unsigned long long)st.ad_writes, (unsigned long long)st.hits);
	cr_expect_gt(st.walks, 3000u);
	cr_expect_gt(st.evictions, 1000u);
	cr_expect_gt(st.ad_writes, 500u);
	cr_expect_gt(st.hits, 5000u);
	uint64_t walks = 0;
	for (int id = 0; id < TLB_COUNT; id++) {
		mmu_tlb_stats(p.g.m, id, &st);
		walks += st.walks;
	}
	cr_expect_eq(walks_heard, walks, "the general MMU's walks all went through the listener");
	pair_free(&p);
}

Test(refill, same_as_general_386) { run(model_config(M386), 1); }
Test(refill, same_as_general_486_plru) { run(with_policy(M486, TLB_PLRU), 2); }
Test(refill, same_as_general_486_lru) { run(with_policy(M486, TLB_LRU), 3); }
Test(refill, same_as_general_486_fifo) { run(with_policy(M486, TLB_FIFO), 4); }
Test(refill, same_as_general_486_random) { run(with_policy(M486, TLB_RANDOM), 5); }
Test(refill, same_as_general_486_rr) { run(with_policy(M486, TLB_RR), 6); }
Test(refill, same_as_general_pentium) { run(model_config(MPENTIUM), 7); }
Test(refill, same_as_general_p6) { run(model_config(MP6), 8); }
Test(refill, same_as_general_p6_lru) { run(with_policy(MP6, TLB_LRU), 9); }

/* PSE without a 4 MiB TLB: large entries live in the 4 KiB TLB (nlarge) */
Test(refill, same_as_general_p6_no_large_tlb)
{
	struct mmu_config c = model_config(MP6);
	c.dtlb_large = c.itlb_large = (struct tlb_geom){ 0, 0 };
	run(c, 10);
}

/* 8 ways: the plru victim table's largest case */
Test(refill, same_as_general_p6_8way)
{
	struct mmu_config c = model_config(MP6);
	c.dtlb = (struct tlb_geom){ 4, 8 };
	run(c, 11);
}

/* the fast path off: the fused refill fills without installing */
Test(refill, same_as_general_fast_path_off)
{
	struct mmu_config c = model_config(MP6);
	c.fast_path = 0;
	run(c, 12);
}
