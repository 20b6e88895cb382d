/* test_tr.c - TR6/TR7 (i386 PRM 12.3, i486 PRM 10.6) and the --tlb parser.
 *
 * TR6: 31..12 linear address, 11 V, 10 D, 9 D#, 8 U, 7 U#, 6 W, 5 W#, 0 C.
 * TR7: 31..12 physical address, 4 HT (386) / PL (486), 3..2 REP;
 *      486 also 11 PCD, 10 PWT, 9..7 LRU. */
#include <stdio.h>
#include "helpers.h"

#define TR6_C  0x001u
#define TR6_WN 0x020u
#define TR6_W  0x040u
#define TR6_UN 0x080u
#define TR6_U  0x100u
#define TR6_DN 0x200u
#define TR6_D  0x400u
#define TR6_V  0x800u
#define TR7_HT 0x010u

Test(tr, write_then_translate_386)
{
	struct env e = env_new(M386, 0);
	/* entry for linear 0x00403000 -> 0x00060000 in set 3 (bits 14..12), way 2 */
	mmu_tr_write(e.m, 7, 0x00060000u | TR7_HT | (2u << 2));
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_V | TR6_D | TR6_U | TR6_W);
	struct tlb_entry_view v;
	mmu_tlb_entry(e.m, TLB_D4K, 3, 2, &v);
	cr_expect(v.valid);
	cr_expect_eq(v.lin_page, 0x403u);
	cr_expect_eq(v.pfn, 0x60u);
	cr_expect(v.d && v.u && v.w);
	/* the page tables are empty, yet the access hits the written entry */
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, 0x00403ABCu, MMU_WRITE, 1, &pa), 0);
	cr_expect_eq(pa, 0x00060ABCu);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.walks, 0u);
	cr_expect_eq(s.flushes[FLUSH_TR6], 1u);
	cr_expect_eq(mmu_tr_read(e.m, 6), 0x00403000u | TR6_V | TR6_D | TR6_U | TR6_W);
	env_free(&e);
}

Test(tr, lookup_386)
{
	struct env e = env_new(M386, 0);
	mmu_tr_write(e.m, 7, 0x00060000u | TR7_HT | (1u << 2));
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_V | TR6_U);   /* D=0 U=1 W=0 */
	/* every pair "don't care" (both bits set): hit in way 1 */
	mmu_tr_write(e.m, 7, 0);
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_D | TR6_DN | TR6_U | TR6_UN | TR6_W | TR6_WN | TR6_C);
	cr_expect_eq(mmu_tr_read(e.m, 7), 0x00060000u | TR7_HT | (1u << 2));
	/* require D=0, U=1, W=0: hit */
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_DN | TR6_U | TR6_WN | TR6_C);
	cr_expect_eq(mmu_tr_read(e.m, 7) & TR7_HT, TR7_HT);
	/* require W=1: miss */
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_DN | TR6_U | TR6_W | TR6_C);
	cr_expect_eq(mmu_tr_read(e.m, 7) & TR7_HT, 0u);
	/* another page: miss */
	mmu_tr_write(e.m, 6, 0x00404000u | TR6_D | TR6_DN | TR6_U | TR6_UN | TR6_W | TR6_WN | TR6_C);
	cr_expect_eq(mmu_tr_read(e.m, 7) & TR7_HT, 0u);
	/* lookups leave statistics alone */
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.lookups, 0u);
	env_free(&e);
}

Test(tr, tr6_sees_walked_entries_486)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, 0x00403000u, 0x3000, P | W | U, 0x00070000u, P | U | PCD | A);
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, 0x00403000u, MMU_READ, 0, &pa), 0);
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_D | TR6_DN | TR6_U | TR6_UN | TR6_W | TR6_WN | TR6_C);
	/* way 0 of an empty set; PLRU after a fill of way 0: B0=1 B1=1 -> LRU
	 * field 011 at bits 9..7; PCD from the PTE */
	cr_expect_eq(mmu_tr_read(e.m, 7), 0x00070000u | 0x800u | (3u << 7) | 0x10u | (0u << 2));
	env_free(&e);
}

Test(tr, write_486_pl_and_replacement)
{
	struct env e = env_new(M486, 0);
	/* PL=1: REP picks way 2; PCD/PWT stored */
	mmu_tr_write(e.m, 7, 0x00060000u | 0x800u | 0x400u | TR7_HT | (2u << 2));
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_V | TR6_W);
	struct tlb_entry_view v;
	mmu_tlb_entry(e.m, TLB_D4K, 3, 2, &v);
	cr_expect(v.valid && v.w && !v.u && !v.d);
	/* PL=0: the replacement logic picks: set 3 has ways 0, 1, 3 empty -> 0 */
	mmu_tr_write(e.m, 7, 0x00061000u);
	mmu_tr_write(e.m, 6, 0x0040B000u | TR6_V);
	mmu_tlb_entry(e.m, TLB_D4K, 3, 0, &v);
	cr_expect(v.valid);
	cr_expect_eq(v.lin_page, 0x40Bu);
	/* lookup of the first: PCD, PWT back, REP 2, LRU bits (fill of way 2:
	 * B0=0 B2=1, then way 0: B0=1 B1=1 -> B2 B1 B0 = 111) */
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_D | TR6_DN | TR6_U | TR6_UN | TR6_W | TR6_WN | TR6_C);
	cr_expect_eq(mmu_tr_read(e.m, 7), 0x00060000u | 0x800u | 0x400u | (7u << 7) | TR7_HT | (2u << 2));
	/* V=0 writes an invalid entry */
	mmu_tr_write(e.m, 7, TR7_HT | (2u << 2));
	mmu_tr_write(e.m, 6, 0x00403000u);
	mmu_tlb_entry(e.m, TLB_D4K, 3, 2, &v);
	cr_expect(!v.valid);
	env_free(&e);
}

Test(tr, absent_on_pentium)
{
	struct env e = env_new(MPENTIUM, 0);
	mmu_tr_write(e.m, 7, 0x00060000u | TR7_HT);
	mmu_tr_write(e.m, 6, 0x00403000u | TR6_V);
	struct tlb_entry_view v;
	mmu_tlb_entry(e.m, TLB_D4K, 3, 0, &v);
	cr_expect(!v.valid);
	env_free(&e);
}

/* ---- --tlb */

Test(tlbopt, geometry)
{
	char err[128];
	struct mmu_config c = model_config(M486);
	cr_assert_eq(mmu_config_parse_tlb(&c, "entries=64,ways=4", err, sizeof(err)), 0);
	cr_expect_eq(c.dtlb.sets, 16);
	cr_expect_eq(c.dtlb.ways, 4);
	cr_expect_eq(c.split, 0);
	cr_assert_eq(mmu_config_parse_tlb(&c, "ways=2,policy=fifo", err, sizeof(err)), 0);
	cr_expect_eq(c.dtlb.sets, 32);
	cr_expect_eq(c.policy, TLB_FIFO);
	cr_assert_eq(mmu_config_parse_tlb(&c, "split=on", err, sizeof(err)), 0);
	cr_expect_eq(c.split, 1);
	cr_expect_eq(c.itlb.sets, 32);
	cr_expect_eq(c.itlb.ways, 2);

	struct mmu_config p = model_config(MPENTIUM);
	cr_assert_eq(mmu_config_parse_tlb(&p, "policy=lru", err, sizeof(err)), 0);
	cr_expect_eq(p.itlb.sets, 8);    /* geometry untouched */
	cr_expect_eq(p.dtlb.sets, 16);
	cr_expect_eq(p.policy, TLB_LRU);
	cr_assert_eq(mmu_config_parse_tlb(&p, "split=off,policy=rr", err, sizeof(err)), 0);
	cr_expect_eq(p.split, 0);
	cr_expect_eq(p.policy, TLB_RR);
	cr_assert_eq(mmu_config_parse_tlb(&p, "policy=random", err, sizeof(err)), 0);
	cr_expect_eq(p.policy, TLB_RANDOM);
	cr_assert_eq(mmu_config_parse_tlb(&p, "", err, sizeof(err)), 0);
	/* the result runs */
	struct env e = env_new_cfg(&c, 0);
	cr_expect_eq(mmu_tlb_geom(e.m, TLB_I4K).sets, 32);
	env_free(&e);
}

Test(tlbopt, errors)
{
	static const struct { const char *spec, *word; } bad[] = {
		{ "entries=7,ways=4", "multiple" },
		{ "entries=96,ways=4", "power of two" },
		{ "entries=24,ways=3", "plru" },
		{ "ways=17", "ways" },
		{ "ways=0", "ways" },
		{ "entries=abc", "entries" },
		{ "entries=", "entries" },
		{ "policy=foo", "policy" },
		{ "split=maybe", "split" },
		{ "colour=red", "unknown key" },
		{ "entries", "key=value" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[128];
		struct mmu_config c = model_config(M486), orig = c;
		cr_expect_eq(mmu_config_parse_tlb(&c, bad[i].spec, err, sizeof(err)), -1, "%s", bad[i].spec);
		cr_expect_not_null(strstr(err, bad[i].word), "%s -> '%s'", bad[i].spec, err);
		cr_expect_null(strchr(err, '\n'));
		cr_expect_eq(memcmp(&c, &orig, sizeof(c)), 0, "config changed on error");
	}
	/* lru accepts three ways */
	char err[128];
	struct mmu_config c = model_config(M486);
	cr_expect_eq(mmu_config_parse_tlb(&c, "entries=24,ways=3,policy=lru", err, sizeof(err)), 0);
}
