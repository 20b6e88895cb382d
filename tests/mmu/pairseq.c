/* pairseq.c - see pairseq.h. */
#include "pairseq.h"

#define BASE   0x10000000u   /* 3 page tables of 4 KiB pages from here */
#define NTAB   3
#define TAB0   0x3000u       /* their frames: TAB0, TAB0 + 0x1000, ... */
#define NPAGES 200           /* mapped pages per table (of 1024) */
#define BIG    0x20000000u   /* a 4 MiB page (when the model has PSE) */
#define SELF   0xFFC00000u   /* the directory maps itself: its last 4 MiB */
#define PGDIR2 0x1F8000u     /* a second directory, above 1 MiB (A20) */
#define FRAMES 0x100000u     /* data frames from 1 MiB */
#define NFRAMES 256


static uint64_t rnd_state;
static uint32_t rnd(void)
{
	/* Knuth's MMIX LCG; the high half has good bits */
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rnd_state >> 32);
}

/* smc hook calls per MMU: A/D writes into a code frame must reach it */
static uint64_t smc_calls[2];
static void smc(void *opaque, uint32_t pa, uint32_t len)
{
	(void)pa;
	(void)len;
	smc_calls[*(const int *)opaque]++;
}
static const int side_f = 0, side_g = 1;

void pair_wr32(struct pair *p, uint32_t pa, uint32_t v)
{
	wr32(p->f.b, pa, v);
	wr32(p->g.b, pa, v);
}

static uint32_t lin_of(uint32_t k)
{
	return BASE + (k / NPAGES) * 0x400000u + (k % NPAGES) * 0x1000u;
}

static void build(struct pair *p)
{
	for (uint32_t k = 0; k < NTAB * NPAGES; k++) {
		uint32_t f = P | (k % 5 ? W : 0) | (k % 7 ? U : 0) | (k % 3 ? A : 0) | (k % 6 ? 0 : D);
		uint32_t lin = lin_of(k);
		uint32_t table = TAB0 + (k / NPAGES) * 0x1000u;
		pair_wr32(p, pde_addr(lin), table | P | W | U);
		pair_wr32(p, pte_addr_in(table, lin), (FRAMES + (k % NFRAMES) * 0x1000u) | f);
	}
	if (p->pse)
		pair_wr32(p, pde_addr(BIG), 0x400000u | PS | P | W | U);
	pair_wr32(p, pde_addr(SELF), PGDIR | P | W);
	/* the second directory: the same tables in another order, and
	 * itself as the self-map */
	for (uint32_t t = 0; t < NTAB; t++)
		pair_wr32(p, PGDIR2 + ((BASE >> 22) + t) * 4, (TAB0 + ((t + 1) % NTAB) * 0x1000u) | P | W | U);
	pair_wr32(p, PGDIR2 + (SELF >> 22) * 4, PGDIR2 | P | W | A);
}

void pair_compare(struct pair *p, int step)
{
	struct mmu *a = p->f.m, *b = p->g.m;
	cr_assert_eq(mmu_generation(a), mmu_generation(b), "step %d: generation", step);
	cr_assert_eq(smc_calls[0], smc_calls[1], "step %d: smc hook calls", step);
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats sa, sb;
		mmu_tlb_stats(a, id, &sa);
		mmu_tlb_stats(b, id, &sb);
		cr_assert_eq(memcmp(&sa, &sb, sizeof(sa)), 0,
			     "step %d: stats of TLB %d differ: walks %llu/%llu ad %llu/%llu fills %llu/%llu",
			     step, id, (unsigned long long)sa.walks, (unsigned long long)sb.walks,
			     (unsigned long long)sa.ad_writes, (unsigned long long)sb.ad_writes,
			     (unsigned long long)sa.fills, (unsigned long long)sb.fills);
		struct tlb_geom g = mmu_tlb_geom(a, id);
		for (int s = 0; s < g.sets; s++) {
			struct tlb_set_stats ta, tb;
			mmu_tlb_set_stats(a, id, s, &ta);
			mmu_tlb_set_stats(b, id, s, &tb);
			cr_assert_eq(memcmp(&ta, &tb, sizeof(ta)), 0, "step %d: TLB %d set %d stats", step, id, s);
			cr_assert_eq(mmu_tlb_repl_state(a, id, s), mmu_tlb_repl_state(b, id, s),
				     "step %d: TLB %d set %d replacement state", step, id, s);
			for (int w = 0; w < g.ways; w++) {
				struct tlb_entry_view va, vb;
				mmu_tlb_entry(a, id, s, w, &va);
				mmu_tlb_entry(b, id, s, w, &vb);
				cr_assert_eq(memcmp(&va, &vb, sizeof(va)), 0,
					     "step %d: entry %d/%d/%d differs", step, id, s, w);
			}
		}
	}
	/* the fast tables, as fast_cmp says */
	const struct mmu_fast *fa = (const struct mmu_fast *)(const void *)a;
	const struct mmu_fast *fb = (const struct mmu_fast *)(const void *)b;
	if (p->fast_cmp == PAIR_FAST_NONE)
		return;
	for (int wr = 0; wr < 2; wr++)
		for (int u = 0; u < 2; u++)
			for (unsigned i = 0; i < MMU_FAST_SIZE; i++) {
				const struct mmu_fast_entry *x = &fa->t[wr][u][i], *y = &fb->t[wr][u][i];
				if (p->fast_cmp == PAIR_FAST_ARMED) {
					/* The fused hit disarms the entries of a way
					 * that stops being the MRU where the general
					 * path empties them (fastpath.h,
					 * MMU_FAST_DISARMED), and the pending hits may
					 * sit in different places (their totals are
					 * compared above, through the entries and the
					 * set statistics). */
					int ax = (x->tag & (PAGE_SIZE - 1)) == 0, ay = (y->tag & (PAGE_SIZE - 1)) == 0;
					cr_assert_eq(ax, ay, "step %d: fast[%d][%d][%u] armed %d vs %d", step, wr, u, i, ax, ay);
					if (!ax)
						continue;
					cr_assert_eq((uintptr_t)x->tag + x->addend, (uintptr_t)bus_ram_ptr(p->f.b, x->ppage, 1),
						     "step %d: fast entry's host address", step);
					cr_assert_eq((uintptr_t)y->tag + y->addend, (uintptr_t)bus_ram_ptr(p->g.b, y->ppage, 1),
						     "step %d: fast entry's host address", step);
				} else {
					cr_assert_eq(x->hits, y->hits, "step %d: fast hits", step);
				}
				cr_assert_eq(x->tag, y->tag, "step %d: fast[%d][%d][%u] tag", step, wr, u, i);
				cr_assert_eq(x->ppage, y->ppage, "step %d: fast ppage", step);
				cr_assert_eq(x->owner == NULL, y->owner == NULL, "step %d: fast owner", step);
			}
}

static void compare_memory(struct pair *p)
{
	static uint8_t ma[1u << 20], mb[1u << 20];
	for (uint32_t base = 0; base < (12u << 20); base += sizeof(ma)) {
		bus_read_block(p->f.b, base, ma, sizeof(ma));
		bus_read_block(p->g.b, base, mb, sizeof(mb));
		cr_assert_eq(memcmp(ma, mb, sizeof(ma)), 0, "memory differs in [%#x, +1 MiB)", base);
	}
}


/* A linear address the sequence uses: mostly mapped 4 KiB pages (a hot
 * subset, so that there are hits too), sometimes the 4 MiB page, the
 * self-map (page tables and the directory as data) or unmapped space. */
static uint32_t pick_lin(uint32_t r, uint32_t r2)
{
	uint32_t off = r2 & 0xFFFu;
	switch (r % 16) {
	case 0:
		return BIG + (r2 & 0x3FFFFFu);
	case 1:
		/* the directory (0xFFFFF000: its PTE is its own PDE) or a table */
		if (r2 & 0x100)
			return 0xFFFFF000u + off;
		return SELF + (r2 & 0x200 ? BIG >> 22 : (BASE >> 22) + (r2 >> 20) % NTAB) * 0x1000u + off;
	case 2:
		return 0x30000000u + off;   /* PDE not present */
	default:
		return lin_of((r2 >> 12) % ((r & 0x80) ? 20 : NTAB * NPAGES)) + off;
	}
}

static void step_both(struct pair *p, int i)
{
	struct mmu *a = p->f.m, *b = p->g.m;
	uint32_t r = rnd(), r2 = rnd(), val = rnd();
	uint32_t lin = pick_lin(r, r2);
	int size = 1 << ((r >> 4) % 3);
	int user = ((r >> 6) & 3) == 0;
	int ra = 0, rb = 0;
	uint32_t va = 0, vb = 0;
	switch ((r >> 8) % 24) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
		ra = mmu_read_fast(a, lin, size, user, &va);
		rb = mmu_read_fast(b, lin, size, user, &vb);
		break;
	case 8: case 9: case 10: case 11:
		ra = mmu_write_fast(a, lin, size, user, val);
		rb = mmu_write_fast(b, lin, size, user, val);
		break;
	case 12: case 13:
		ra = mmu_read_rmw_fast(a, lin, size, user, &va);
		rb = mmu_read_rmw_fast(b, lin, size, user, &vb);
		break;
	case 14:
		ra = mmu_translate(a, lin, MMU_FETCH, user, &va);
		rb = mmu_translate(b, lin, MMU_FETCH, user, &vb);
		break;
	case 15:
		ra = mmu_translate(a, lin, (r >> 20) & 1 ? MMU_WRITE : MMU_READ, user, &va);
		rb = mmu_translate(b, lin, (r >> 20) & 1 ? MMU_WRITE : MMU_READ, user, &vb);
		break;
	case 16: case 17: {
		/* the kernel edits a PTE: frame, P/W/U/A/D (sometimes INVLPG) */
		uint32_t k = (r2 >> 12) % (NTAB * NPAGES);
		uint32_t pa = pte_addr_in(TAB0 + (k / NPAGES) * 0x1000u, lin_of(k));
		uint32_t pte = (FRAMES + (val % NFRAMES) * 0x1000u) | (val >> 8 & (P | W | U | A | D | G | PCD | PWT));
		if (val & 0x30000)
			pte |= P;
		if ((val >> 19 & 31) == 0)
			pte = (val & 0xFFFFF000u) | P | W | U;   /* a frame anywhere, even past RAM */
		pair_wr32(p, pa, pte);
		if ((val >> 12) & 1) {
			mmu_invlpg(a, lin_of(k));
			mmu_invlpg(b, lin_of(k));
		}
		break;
	}
	case 18: {
		/* a PDE: U/W/A of a table, or the 4 MiB one (PS, D, reserved bits) */
		uint32_t t = (val >> 4) % NTAB;
		uint32_t lin4 = BASE + t * 0x400000u;
		uint32_t pde = (TAB0 + t * 0x1000u) | P | (val & (W | U | A));
		if ((val & 0x700) == 0)
			pde &= ~P;
		if ((val >> 11) % 4 == 0) {
			lin4 = BIG;
			pde = ((val >> 13) & 1 ? 0x800000u : 0x400000u) | PS | P | (val & (W | U | A | D | G));
			if ((val >> 14) % 8 == 0)
				pde |= 0x2000u;   /* reserved bit 13 */
			if ((val >> 17) % 8 == 0)
				pde = (TAB0 + 0x1000u) | P | W | U;   /* not PS: a table */
		}
		pair_wr32(p, pde_addr(lin4), pde);
		if ((val >> 20) & 1) {
			mmu_invlpg(a, lin4);
			mmu_invlpg(b, lin4);
		}
		break;
	}
	case 19:
		if ((val & 31) == 0) {
			uint32_t cr3 = (val >> 5) % 4 == 0 ? PGDIR2 : PGDIR;
			mmu_set_cr3(a, cr3);
			mmu_set_cr3(b, cr3);
		} else if ((val & 31) == 4) {
			/* the A20 gate (off: the second directory reads as
			 * the empty frame below 1 MiB) */
			bus_set_a20(p->f.b, (int)(val >> 5) % 4 != 0);
			bus_set_a20(p->g.b, (int)(val >> 5) % 4 != 0);
		} else if ((val & 31) == 1) {
			uint32_t cr0 = CR0_PE | CR0_PG | ((val >> 3) & 1 ? CR0_WP : 0);
			mmu_set_cr0(a, cr0);
			mmu_set_cr0(b, cr0);
		} else if ((val & 31) == 2) {
			uint32_t cr4 = (val >> 3 & 1 ? CR4_PSE : 0) | (val >> 4 & 1 ? CR4_PGE : 0);
			mmu_set_cr4(a, cr4);
			mmu_set_cr4(b, cr4);
		} else if ((val & 31) == 3) {
			/* the directory or a page table becomes "code" (its A/D
			 * writes reach the smc hook, so the fused refill leaves
			 * them alone), or stops being code */
			uint32_t pfn = (val >> 5) % 4 == 0 ? PGDIR >> 12 : (TAB0 >> 12) + (val >> 7) % NTAB;
			if ((val >> 9) % 4 == 0) {
				bus_mark_code(p->f.b, pfn);
				bus_mark_code(p->g.b, pfn);
			} else {
				bus_unmark_code(p->f.b, pfn);
				bus_unmark_code(p->g.b, pfn);
			}
		} else {
			mmu_invlpg(a, lin);
			mmu_invlpg(b, lin);
		}
		break;
	default:
		/* straddling accesses */
		lin = (lin | 0xFFFu) - (val & 1);
		ra = mmu_write_fast(a, lin, 4, user, val);
		rb = mmu_write_fast(b, lin, 4, user, val);
		break;
	}
	cr_assert_eq(ra, rb, "step %d: rc %d vs %d at %#x", i, ra, rb, lin);
	cr_assert_eq(va, vb, "step %d: value %#x vs %#x at %#x", i, va, vb, lin);
	if (ra) {
		cr_assert_eq(mmu_fault(a)->error_code, mmu_fault(b)->error_code, "step %d: error code", i);
		cr_assert_eq(mmu_fault(a)->lin, mmu_fault(b)->lin, "step %d: CR2", i);
	}
}

void pair_init(struct pair *p, const struct mmu_config *cf, const struct mmu_config *cg,
	       enum pair_fast_cmp fast_cmp)
{
	p->pse = cf->has_pse;
	p->fast_cmp = fast_cmp;
	p->f = env_new_cfg(cf, CR0_WP);
	p->g = env_new_cfg(cg, CR0_WP);
	smc_calls[0] = smc_calls[1] = 0;
	bus_set_smc_hook(p->f.b, smc, (void *)&side_f);
	bus_set_smc_hook(p->g.b, smc, (void *)&side_g);
	if (p->pse) {
		mmu_set_cr4(p->f.m, CR4_PSE | CR4_PGE);
		mmu_set_cr4(p->g.m, CR4_PSE | CR4_PGE);
	}
	build(p);
}

void pair_run(struct pair *p, uint32_t seed, int steps)
{
	rnd_state = seed;
	for (int i = 0; i < steps; i++) {
		step_both(p, i);
		if (i % 1000 == 999)
			pair_compare(p, i);
	}
	pair_compare(p, -1);
	compare_memory(p);
}

void pair_free(struct pair *p)
{
	env_free(&p->f);
	env_free(&p->g);
}
