/* test_entbits.c - tlb_ent_write's flag bytes (mmu_internal.h): valid,
 * large, d, u, w, g, pcd and pwt are written as one word built by a
 * multiply (tlb_flag_word). Every combination of the entry's D, PCD, PWT
 * and G bits, the effective U and W bits, the page size and the global
 * rule (CR4.PGE on a model with PGE) must give the fields the field-by-field
 * rule gives, and leave the neighbouring fields as documented. */
#include "helpers.h"
#include "mmu_internal.h"

static void check_all(struct mmu *m, int pge_on)
{
	struct tlb *t = &m->tlb[TLB_D4K];
	struct tlb_ent *e = &t->e[0];
	for (uint32_t ent = 0; ent < 0x200; ent++)
		for (uint32_t uw = 0; uw < 8; uw++)
			for (int large = 0; large < 2; large++) {
				memset(e, 0xA5, sizeof(*e));
				int nlarge = t->nlarge;
				tlb_ent_write(m, t, e, large, 0x12345678u, 0x9ABCD000u, 0x1004u,
					      ent, uw);
				t->nlarge = nlarge;
				cr_assert_eq(e->valid, 1);
				cr_assert_eq(e->large, large);
				cr_assert_eq(e->d, (ent & D) != 0, "ent %x", ent);
				cr_assert_eq(e->u, (uw & U) != 0, "uw %x", uw);
				cr_assert_eq(e->w, (uw & W) != 0, "uw %x", uw);
				cr_assert_eq(e->g, pge_on && (ent & G), "ent %x", ent);
				cr_assert_eq(e->pcd, (ent & PCD) != 0, "ent %x", ent);
				cr_assert_eq(e->pwt, (ent & PWT) != 0, "ent %x", ent);
				cr_assert_eq(e->fastmask, 0);
				cr_assert_eq(e->hits, 0);
				cr_assert_eq(e->src_addr, 0x1004u);
				cr_assert_eq(e->tag, large ? 0x12345678u >> 22 : 0x12345678u >> 12);
				cr_assert_eq(e->pfn, large ? 0x9A800u : 0x9ABCDu);
			}
}

Test(entbits, every_flag_combination)
{
	struct mmu_config c = model_config(MP6);
	struct bus *b = bus_create(1u << 20);
	struct mmu *m = mmu_create(b, &c);
	cr_assert(m);
	check_all(m, 0);          /* CR4.PGE clear: never global */
	mmu_set_cr4(m, CR4_PGE);
	check_all(m, 1);
	mmu_destroy(m);
	bus_destroy(b);
}
