/* helpers.h - shared set-up for the mmu/ tests: a small bus, page tables
 * built by hand, and model configurations as DESIGN §4 describes them
 * (the tests keep their own copies so that they do not depend on cpu/). */
#ifndef TESTS_MMU_HELPERS_H
#define TESTS_MMU_HELPERS_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "bus.h"
#include "mmu.h"

#define P   0x001u
#define W   0x002u
#define U   0x004u
#define PWT 0x008u
#define PCD 0x010u
#define A   0x020u
#define D   0x040u
#define PS  0x080u
#define G   0x100u

#define PGDIR 0x1000u   /* page directory */
#define PGTAB 0x2000u   /* first page table */

enum model { M386, M486, MPENTIUM, MP6, MODEL_COUNT };

static inline struct mmu_config model_config(enum model mo)
{
	struct mmu_config c;
	memset(&c, 0, sizeof(c));
	c.fast_path = 1;
	c.random_seed = 1;
	switch (mo) {
	case M386:
		c.dtlb = (struct tlb_geom){ 8, 4 };
		c.policy = TLB_PTR386;
		c.prot386 = 1;
		c.tr_model = 386;
		break;
	case M486:
		c.dtlb = (struct tlb_geom){ 8, 4 };
		c.policy = TLB_PLRU;
		c.has_wp = c.has_invlpg = 1;
		c.tr_model = 486;
		break;
	case MPENTIUM:
		c.split = 1;
		c.itlb = (struct tlb_geom){ 8, 4 };
		c.dtlb = (struct tlb_geom){ 16, 4 };
		c.dtlb_large = (struct tlb_geom){ 2, 4 };
		c.policy = TLB_PLRU;
		c.has_wp = c.has_invlpg = c.has_pse = c.has_rsvd_bit = 1;
		break;
	case MP6:
		c.split = 1;
		c.itlb = (struct tlb_geom){ 8, 4 };
		c.dtlb = (struct tlb_geom){ 16, 4 };
		c.itlb_large = (struct tlb_geom){ 1, 2 };
		c.dtlb_large = (struct tlb_geom){ 2, 4 };
		c.policy = TLB_PLRU;
		c.has_wp = c.has_invlpg = c.has_pse = c.has_rsvd_bit = c.has_pge = 1;
		break;
	default:
		break;
	}
	return c;
}

static inline uint32_t rd32(struct bus *b, uint32_t pa)
{
	return bus_read(b, pa, 4);
}

static inline void wr32(struct bus *b, uint32_t pa, uint32_t v)
{
	bus_write(b, pa, 4, v);
}

static inline uint32_t pde_addr(uint32_t lin)
{
	return PGDIR + ((lin >> 22) << 2);
}

/* PTE address for lin when its page table is at `table`. */
static inline uint32_t pte_addr_in(uint32_t table, uint32_t lin)
{
	return table + (((lin >> 12) & 0x3FF) << 2);
}

/* Map lin -> pa through the page table at `table` with the given flags. */
static inline void map4k(struct bus *b, uint32_t lin, uint32_t table, uint32_t pde_flags,
			 uint32_t pa, uint32_t pte_flags)
{
	wr32(b, pde_addr(lin), table | pde_flags);
	wr32(b, pte_addr_in(table, lin), pa | pte_flags);
}

struct env {
	struct bus *b;
	struct mmu *m;
};

/* 16 MiB of RAM, the model's MMU, paging on with CR3 = PGDIR. */
static inline struct env env_new_cfg(const struct mmu_config *c, uint32_t cr0_extra)
{
	struct env e;
	e.b = bus_create(16u << 20);
	cr_assert_not_null(e.b);
	e.m = mmu_create(e.b, c);
	cr_assert_not_null(e.m);
	mmu_set_cr3(e.m, PGDIR);
	mmu_set_cr0(e.m, CR0_PE | CR0_PG | cr0_extra);
	return e;
}

static inline struct env env_new(enum model mo, uint32_t cr0_extra)
{
	struct mmu_config c = model_config(mo);
	return env_new_cfg(&c, cr0_extra);
}

static inline void env_free(struct env *e)
{
	mmu_destroy(e->m);
	bus_destroy(e->b);
}

#endif
