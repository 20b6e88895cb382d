/* test_gen.c - the code-fetch generation contract (mmu.h, docs/mmu.md):
 * mmu_generation() changes on every flush and paging-regime change, and on
 * the drop of a TLB entry that served an MMU_FETCH translation since the
 * last change; evicting or invalidating entries that only served data
 * accesses leaves it alone. Also: hits counted in the fast path show up in
 * the statistics at once. */
#include "helpers.h"
#include "fastpath.h"

#define TABLE 0x3000u
#define CODE  0x00400000u                 /* code page, set 0 of every TLB */
#define DATA(k) (0x10000000u + (uint32_t)(k) * 0x8000u)  /* set 0 of an 8-set TLB */
#define CODE_FR 0x200000u
#define DATA_FR(k) (0x300000u + (uint32_t)(k) * 0x1000u)
#define TABLE2 0x4000u

static void map_all(struct env *e, uint32_t code_extra)
{
	map4k(e->b, CODE, TABLE2, P | W | U, CODE_FR, P | U | A | code_extra);
	for (int k = 0; k < 16; k++)
		map4k(e->b, DATA(k), TABLE, P | W | U, DATA_FR(k), P | W | U | A);
}

static void fetch(struct env *e, uint32_t lin, int user)
{
	uint32_t pa;
	cr_assert_eq(mmu_translate(e->m, lin, MMU_FETCH, user, &pa), 0);
}

static void read_data(struct env *e, int k)
{
	uint32_t v;
	cr_assert_eq(mmu_read(e->m, DATA(k), 4, 0, &v), 0);
}

/* Is lin's 4 KiB page held in TLB id? */
static int held(struct env *e, enum tlb_id id, uint32_t lin)
{
	struct tlb_geom g = mmu_tlb_geom(e->m, id);
	for (int s = 0; s < g.sets; s++)
		for (int w = 0; w < g.ways; w++) {
			struct tlb_entry_view v;
			mmu_tlb_entry(e->m, id, s, w, &v);
			if (v.valid && !v.large && v.lin_page == lin >> 12)
				return 1;
		}
	return 0;
}

Test(gen, split_data_evictions_keep_generation)
{
	struct env e = env_new(MP6, 0);
	map_all(&e, 0);
	int flag = 0;
	mmu_set_gen_notify(e.m, &flag);
	fetch(&e, CODE, 0);
	uint64_t g = mmu_generation(e.m);
	/* 16 data pages in two sets (0, 8) of the 16x4 data TLB: 8 evictions */
	for (int k = 0; k < 16; k++)
		read_data(&e, k);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.evictions, 8u);
	cr_expect_eq(mmu_generation(e.m), g);
	cr_expect_eq(flag, 0);
	mmu_set_gen_notify(e.m, NULL);
	env_free(&e);
}

Test(gen, unified_changes_when_the_code_entry_goes)
{
	struct env e = env_new(M486, 0);
	map_all(&e, 0);
	fetch(&e, CODE, 0);
	uint64_t g = mmu_generation(e.m);
	int gone = 0;
	for (int k = 0; k < 8; k++) {
		read_data(&e, k);
		int now_gone = !held(&e, TLB_D4K, CODE);
		/* the generation moves exactly when the code entry leaves */
		if (now_gone && !gone)
			cr_expect_eq(mmu_generation(e.m), g + 1, "k=%d", k);
		else
			cr_expect_eq(mmu_generation(e.m), g + (uint64_t)gone, "k=%d", k);
		gone = now_gone;
	}
	cr_expect(gone, "four data pages in the code page's set must evict it");
	env_free(&e);
}

Test(gen, invlpg_of_data_page_keeps_code_page_changes)
{
	struct env e = env_new(MP6, 0);
	map_all(&e, 0);
	fetch(&e, CODE, 0);
	read_data(&e, 0);
	uint64_t g = mmu_generation(e.m);
	mmu_invlpg(e.m, DATA(0));
	cr_expect_eq(mmu_generation(e.m), g);
	cr_expect(!held(&e, TLB_D4K, DATA(0)));
	mmu_invlpg(e.m, CODE);
	cr_expect_gt(mmu_generation(e.m), g);
	cr_expect(!held(&e, TLB_I4K, CODE));
	env_free(&e);
}

Test(gen, fault_invalidating_the_code_entry_changes)
{
	struct env e = env_new(MP6, 0);
	/* a supervisor-only code page fetched in ring 0, then from ring 3 */
	map4k(e.b, CODE, TABLE2, P | W | U, CODE_FR, P | A);
	fetch(&e, CODE, 0);
	uint64_t g = mmu_generation(e.m);
	uint32_t pa;
	cr_expect_eq(mmu_translate(e.m, CODE, MMU_FETCH, 1, &pa), MMU_PF);
	cr_expect_gt(mmu_generation(e.m), g);
	env_free(&e);
}

Test(gen, regime_changes_always_change)
{
	struct env e = env_new(MP6, 0);
	map_all(&e, G);
	mmu_set_cr4(e.m, CR4_PGE);
	uint64_t g = mmu_generation(e.m);
	fetch(&e, CODE, 0);
	/* CR3 load: the global code entry stays, the generation still moves */
	mmu_set_cr3(e.m, PGDIR);
	cr_expect(held(&e, TLB_I4K, CODE));
	cr_expect_gt(mmu_generation(e.m), g);
	g = mmu_generation(e.m);
	mmu_set_cr0(e.m, CR0_PE | CR0_PG | CR0_WP);
	cr_expect_gt(mmu_generation(e.m), g);
	g = mmu_generation(e.m);
	mmu_set_cr4(e.m, 0);
	cr_expect_gt(mmu_generation(e.m), g);
	g = mmu_generation(e.m);
	bus_set_a20(e.b, 0);
	cr_expect_gt(mmu_generation(e.m), g);
	g = mmu_generation(e.m);
	mmu_flush(e.m, FLUSH_TASK_SWITCH);
	cr_expect_gt(mmu_generation(e.m), g);
	g = mmu_generation(e.m);
	mmu_reset(e.m);
	cr_expect_gt(mmu_generation(e.m), g);
	env_free(&e);
}

Test(gen, paging_off_fetch_changes_only_with_the_regime)
{
	struct env e = env_new(M486, 0);
	mmu_set_cr0(e.m, CR0_PE);   /* paging off */
	fetch(&e, CODE, 0);
	uint64_t g = mmu_generation(e.m);
	mmu_invlpg(e.m, CODE);
	cr_expect_eq(mmu_generation(e.m), g);
	mmu_set_cr0(e.m, CR0_PE | CR0_PG);
	cr_expect_gt(mmu_generation(e.m), g);
	env_free(&e);
}

/* A mark from an older generation is dead: after a change the CPU
 * re-translates before relying on the entry again, so dropping it then
 * needs no further change. */
Test(gen, marks_of_older_generations_are_dead)
{
	struct env e = env_new(MP6, 0);
	map_all(&e, G);
	mmu_set_cr4(e.m, CR4_PGE);
	fetch(&e, CODE, 0);
	mmu_set_cr3(e.m, PGDIR);    /* keeps the global entry, changes the generation */
	uint64_t g = mmu_generation(e.m);
	mmu_invlpg(e.m, CODE);
	cr_expect_eq(mmu_generation(e.m), g);
	/* re-translated, it is live again */
	fetch(&e, CODE, 0);
	g = mmu_generation(e.m);
	mmu_invlpg(e.m, CODE);
	cr_expect_gt(mmu_generation(e.m), g);
	env_free(&e);
}

Test(gen, tr6_write_changes)
{
	struct env e = env_new(M486, 0);
	uint64_t g = mmu_generation(e.m);
	mmu_tr_write(e.m, 7, DATA_FR(0) | 0x10);        /* PL=1, REP=0 */
	mmu_tr_write(e.m, 6, CODE | 0x800 | 0x100 | 0x40); /* V, U, W; C=0: write */
	cr_expect_gt(mmu_generation(e.m), g);
	env_free(&e);
}

/* Fast-path hits are counted in the fast entry and must show in the
 * entry view and the set statistics without any slow access between. */
Test(gen, fast_hits_visible_at_once)
{
	struct env e = env_new(MP6, 0);
	map_all(&e, 0);
	uint32_t v;
	cr_assert_eq(mmu_read_fast(e.m, DATA(2), 4, 0, &v), 0);   /* miss: installs */
	for (int i = 0; i < 10; i++)
		cr_assert_eq(mmu_read_fast(e.m, DATA(2), 4, 0, &v), 0);
	struct tlb_entry_view tv = { 0 };
	int found = 0;
	for (int w = 0; w < 4; w++) {
		mmu_tlb_entry(e.m, TLB_D4K, 0, w, &tv);
		if (tv.valid && tv.lin_page == DATA(2) >> 12) {
			found = 1;
			break;
		}
	}
	cr_assert(found);
	cr_expect_eq(tv.hits, 10u);
	struct tlb_set_stats ss;
	mmu_tlb_set_stats(e.m, TLB_D4K, 0, &ss);
	cr_expect_eq(ss.hits, 10u);
	cr_expect_eq(ss.misses, 1u);
	/* dropped: the hits retire into the set */
	mmu_invlpg(e.m, DATA(2));
	mmu_tlb_set_stats(e.m, TLB_D4K, 0, &ss);
	cr_expect_eq(ss.hits, 10u);
	env_free(&e);
}
