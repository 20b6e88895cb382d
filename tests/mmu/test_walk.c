/* test_walk.c - the page walk: accessed/dirty bits, every #PF error-code
 * bit, 4 MiB pages and their reserved bits, page-straddling accesses,
 * paging off.
 *
 * A/D expectations (SDM vol. 3 4.8; QEMU 7.2's walker behaves the same):
 * the PDE's A bit is set when the walk uses it to reach a page table (even
 * if the PTE then turns out not present or the access is refused); the
 * final entry's A (and, for a write, D) is set only when the access is
 * allowed. Error code (SDM 4.7): bit 0 P (1 = protection / reserved bit,
 * 0 = not present), bit 1 W/R, bit 2 U/S, bit 3 RSVD.
 */
#include "helpers.h"

#define LIN   0x00403000u
#define TABLE 0x3000u
#define FRAME 0x50000u

Test(walk, accessed_and_dirty)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, LIN, TABLE, P | W | U, FRAME, P | W | U);
	uint32_t v;
	cr_assert_eq(mmu_read(e.m, LIN, 4, 0, &v), 0);
	cr_expect_eq(rd32(e.b, pde_addr(LIN)), TABLE | P | W | U | A);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LIN)), FRAME | P | W | U | A);
	cr_assert_eq(mmu_write(e.m, LIN + 4, 4, 0, 0x1234), 0);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LIN)), FRAME | P | W | U | A | D);
	cr_expect_eq(rd32(e.b, pde_addr(LIN)), TABLE | P | W | U | A);  /* no D in a PDE */
	cr_expect_eq(rd32(e.b, FRAME + 4), 0x1234u);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	/* read: A in PDE, A in PTE; write (D clear in the TLB): walks again, D */
	cr_expect_eq(s.walks, 2u);
	cr_expect_eq(s.ad_writes, 3u);
	env_free(&e);
}

Test(walk, rmw_read_sets_dirty_and_faults_as_write)
{
	struct env e = env_new(M486, CR0_WP);
	map4k(e.b, LIN, TABLE, P | W | U, FRAME, P | U);   /* read-only */
	uint32_t v;
	cr_expect_eq(mmu_read_rmw(e.m, LIN, 4, 1, &v), MMU_PF);
	cr_expect_eq(mmu_fault(e.m)->error_code, P | 2u | 4u);
	wr32(e.b, pte_addr_in(TABLE, LIN), FRAME | P | U | W);
	mmu_set_cr3(e.m, PGDIR);
	cr_expect_eq(mmu_read_rmw(e.m, LIN, 4, 1, &v), 0);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LIN)), FRAME | P | U | W | A | D);
	env_free(&e);
}

Test(walk, not_present_pde)
{
	struct env e = env_new(M486, 0);
	wr32(e.b, pde_addr(LIN), TABLE | W | U);   /* P = 0 */
	static const struct { enum mmu_access acc; int user; uint32_t ec; } c[] = {
		{ MMU_READ, 0, 0 }, { MMU_WRITE, 0, 2 }, { MMU_READ, 1, 4 }, { MMU_WRITE, 1, 6 },
		{ MMU_FETCH, 0, 0 }, { MMU_FETCH, 1, 4 },
	};
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t pa;
		cr_expect_eq(mmu_translate(e.m, LIN + 8, c[i].acc, c[i].user, &pa), MMU_PF);
		cr_expect_eq(mmu_fault(e.m)->error_code, c[i].ec);
		cr_expect_eq(mmu_fault(e.m)->lin, LIN + 8);
	}
	cr_expect_eq(rd32(e.b, pde_addr(LIN)), TABLE | W | U);   /* untouched */
	env_free(&e);
}

Test(walk, not_present_pte_sets_pde_accessed_only)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, LIN, TABLE, P | W | U, FRAME, W | U);   /* PTE not present */
	uint32_t pa;
	cr_expect_eq(mmu_translate(e.m, LIN, MMU_WRITE, 1, &pa), MMU_PF);
	cr_expect_eq(mmu_fault(e.m)->error_code, 6u);
	cr_expect_eq(rd32(e.b, pde_addr(LIN)), TABLE | P | W | U | A);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LIN)), FRAME | W | U);
	env_free(&e);
}

Test(walk, protection_fault_leaves_pte_alone)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, LIN, TABLE, P | W | U, FRAME, P | W);   /* supervisor page */
	uint32_t pa;
	cr_expect_eq(mmu_translate(e.m, LIN, MMU_READ, 1, &pa), MMU_PF);
	cr_expect_eq(mmu_fault(e.m)->error_code, 5u);
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LIN)), FRAME | P | W);
	cr_expect_eq(rd32(e.b, pde_addr(LIN)), TABLE | P | W | U | A);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.fills, 0u);   /* nothing cached for a refused access */
	env_free(&e);
}

Test(walk, large_pages_pse)
{
	struct env e = env_new(MPENTIUM, 0);
	const uint32_t lin = 0x00C05678u;
	wr32(e.b, pde_addr(lin), 0x00800000u | P | W | PS);
	uint32_t pa;
	/* CR4.PSE = 0: PS is ignored, the PDE points at a page table at 0x800000 */
	wr32(e.b, pte_addr_in(0x00800000u, lin), 0x00060000u | P | W);
	cr_assert_eq(mmu_translate(e.m, lin, MMU_READ, 0, &pa), 0);
	cr_expect_eq(pa, 0x00060678u);
	mmu_set_cr4(e.m, CR4_PSE);
	cr_assert_eq(mmu_translate(e.m, lin, MMU_READ, 0, &pa), 0);
	cr_expect_eq(pa, 0x00805678u);
	cr_expect_eq(rd32(e.b, pde_addr(lin)), 0x00800000u | P | W | PS | A);
	cr_assert_eq(mmu_translate(e.m, lin, MMU_WRITE, 0, &pa), 0);
	cr_expect_eq(rd32(e.b, pde_addr(lin)), 0x00800000u | P | W | PS | A | D);
	struct tlb_geom g = mmu_tlb_geom(e.m, TLB_D4M);
	cr_expect_eq(g.sets, 2);
	struct tlb_entry_view v;
	int found = 0;
	for (int s = 0; s < g.sets; s++)
		for (int w = 0; w < g.ways; w++) {
			mmu_tlb_entry(e.m, TLB_D4M, s, w, &v);
			if (v.valid) {
				found++;
				cr_expect_eq(v.lin_page, lin >> 22);
				cr_expect_eq(v.pfn, 0x800u);
				cr_expect(v.large);
				cr_expect(v.d);
			}
		}
	cr_expect_eq(found, 1);
	env_free(&e);
}

Test(walk, large_pages_absent_on_486)
{
	/* no PSE on the 486: PS is an ignored bit and CR4 is not there */
	struct env e = env_new(M486, 0);
	const uint32_t lin = 0x00C05678u;
	mmu_set_cr4(e.m, CR4_PSE);
	wr32(e.b, pde_addr(lin), 0x00800000u | P | W | PS);
	wr32(e.b, pte_addr_in(0x00800000u, lin), 0x00060000u | P | W);
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, lin, MMU_READ, 0, &pa), 0);
	cr_expect_eq(pa, 0x00060678u);
	env_free(&e);
}

Test(walk, reserved_bits_of_4m_pde)
{
	for (int bit = 13; bit <= 21; bit++) {
		struct env e = env_new(MPENTIUM, 0);
		mmu_set_cr4(e.m, CR4_PSE);
		const uint32_t lin = 0x00C00000u;
		uint32_t pde = 0x00800000u | P | W | U | PS | (1u << bit);
		wr32(e.b, pde_addr(lin), pde);
		uint32_t pa;
		cr_expect_eq(mmu_translate(e.m, lin, MMU_WRITE, 1, &pa), MMU_PF);
		cr_expect_eq(mmu_fault(e.m)->error_code, 0xFu, "bit %d", bit);
		cr_expect_eq(mmu_translate(e.m, lin, MMU_READ, 0, &pa), MMU_PF);
		cr_expect_eq(mmu_fault(e.m)->error_code, 0x9u);
		cr_expect_eq(rd32(e.b, pde_addr(lin)), pde);   /* no A on a reserved-bit fault */
		env_free(&e);
	}
	/* without the RSVD feature (has_rsvd_bit = 0) the bits are ignored */
	struct mmu_config c = model_config(MPENTIUM);
	c.has_rsvd_bit = 0;
	struct env e = env_new_cfg(&c, 0);
	mmu_set_cr4(e.m, CR4_PSE);
	wr32(e.b, pde_addr(0x00C00000u), 0x00800000u | P | PS | (1u << 13));
	uint32_t pa;
	cr_expect_eq(mmu_translate(e.m, 0x00C00010u, MMU_READ, 0, &pa), 0);
	cr_expect_eq(pa, 0x00800010u);
	env_free(&e);
}

Test(walk, straddling_access_checks_both_pages_first)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, LIN, TABLE, P | W | U, FRAME, P | W | U | A | D);
	map4k(e.b, LIN + 0x1000, TABLE, P | W | U, FRAME + 0x1000, W | U);   /* not present */
	wr32(e.b, FRAME + 0xFFC, 0x11111111u);
	cr_expect_eq(mmu_write(e.m, LIN + 0xFFE, 4, 1, 0xAABBCCDDu), MMU_PF);
	cr_expect_eq(mmu_fault(e.m)->lin, LIN + 0x1000);
	cr_expect_eq(mmu_fault(e.m)->error_code, 6u);
	cr_expect_eq(rd32(e.b, FRAME + 0xFFC), 0x11111111u);   /* nothing written */
	wr32(e.b, pte_addr_in(TABLE, LIN + 0x1000), (FRAME + 0x1000) | P | W | U);
	cr_assert_eq(mmu_write(e.m, LIN + 0xFFE, 4, 1, 0xAABBCCDDu), 0);
	cr_expect_eq(bus_read(e.b, FRAME + 0xFFE, 2), 0xCCDDu);
	cr_expect_eq(bus_read(e.b, FRAME + 0x1000, 2), 0xAABBu);
	uint32_t v;
	cr_assert_eq(mmu_read(e.m, LIN + 0xFFF, 2, 1, &v), 0);
	cr_expect_eq(v, 0xBBCCu);
	uint64_t q;
	cr_assert_eq(mmu_read64(e.m, LIN + 0xFFC, 1, &q), 0);
	cr_expect_eq(q, 0x0000AABBCCDD1111ull);
	env_free(&e);
}

Test(walk, paging_off_is_identity_with_a20)
{
	struct bus *b = bus_create(4u << 20);
	struct mmu_config c = model_config(M486);
	struct mmu *m = mmu_create(b, &c);
	cr_assert_eq(mmu_write(m, 0x123456u, 4, 0, 0xFEEDu), 0);
	cr_expect_eq(bus_read(b, 0x123456u, 4), 0xFEEDu);
	bus_set_a20(b, 0);
	uint32_t v;
	cr_assert_eq(mmu_read(m, 0x123456u, 4, 1, &v), 0);
	cr_expect_eq(v, bus_read(b, 0x023456u, 4));
	/* translations come back final, with bit 20 cleared */
	uint32_t pa;
	cr_assert_eq(mmu_translate(m, 0x123456u, MMU_FETCH, 0, &pa), 0);
	cr_expect_eq(pa, 0x023456u);
	struct mmu_walk w;
	mmu_peek(m, 0x123456u, &w);
	cr_expect(w.present);
	cr_expect_eq(w.paddr, 0x023456u);
	struct tlb_stats s;
	mmu_tlb_stats(m, TLB_D4K, &s);
	cr_expect_eq(s.lookups, 0u);   /* no TLB without paging */
	mmu_destroy(m);
	bus_destroy(b);
}

Test(walk, peek_has_no_side_effects)
{
	struct env e = env_new(M486, 0);
	map4k(e.b, LIN, TABLE, P | W | U, FRAME, P | U);
	struct mmu_walk w;
	mmu_peek(e.m, LIN + 0x10, &w);
	cr_expect(w.present);
	cr_expect_eq(w.paddr, FRAME + 0x10);
	cr_expect_eq(w.pde_addr, pde_addr(LIN));
	cr_expect_eq(w.pte_addr, pte_addr_in(TABLE, LIN));
	cr_expect_eq(w.pte, FRAME | P | U);
	cr_expect(w.user_ok);
	cr_expect(!w.write_ok);
	cr_expect(!w.large);
	cr_expect_eq(rd32(e.b, pde_addr(LIN)), TABLE | P | W | U);   /* no A */
	cr_expect_eq(rd32(e.b, pte_addr_in(TABLE, LIN)), FRAME | P | U);
	struct tlb_stats s;
	mmu_tlb_stats(e.m, TLB_D4K, &s);
	cr_expect_eq(s.lookups + s.walks + s.fills, 0u);
	uint64_t gen = mmu_generation(e.m);
	mmu_peek(e.m, 0x7FFFF000u, &w);   /* PDE not present */
	cr_expect(!w.present);
	cr_expect_eq(mmu_generation(e.m), gen);
	env_free(&e);
}
