/* fast.c - keeping the host fast path (fastpath.h) a subset of the
 * architectural TLB.
 *
 * Rules (docs/mmu.md, "fast path"):
 *  - an entry is installed only by a successful slow-path access (after
 *    it; the fused refill, refill.h, just before an access to plain RAM),
 *    for the TLB entry that access used, and only if a hit on that entry changes
 *    no replacement state (plru/lru: it is the set's most recently used way;
 *    other policies: any entry);
 *  - only for plain RAM frames; for writes only when the TLB entry's D bit
 *    is set and the frame is not marked as code (one test of the bus's
 *    frame flags, bus_frame_ptr);
 *  - it is dropped when its TLB entry is dropped or stops being the MRU way,
 *    when its frame is marked as code (write tables), and wholesale on A20
 *    changes, MMIO mappings and paging-mode changes;
 *  - nothing is installed while a listener wants hit events or the stale
 *    checker runs, since those must see every hit.
 * Hits through a fast entry are counted in the entry (fe->hits) and added
 * to its TLB entry's count whenever the fast entry is cleared; inspectors
 * add what is still pending (fast_pending_hits).
 */
#include "mmu_internal.h"

void fast_flush_all(struct mmu *m)
{
	for (int wr = 0; wr < 2; wr++)
		for (int u = 0; u < 2; u++)
			for (uint32_t i = 0; i < MMU_FAST_SIZE; i++) {
				struct mmu_fast_entry *fe = &m->fast.t[wr][u][i];
				struct tlb_ent *o = fe->owner;
				if (o) {
					o->hits += fe->hits;
					o->fastmask = 0;
				}
				fe->tag = MMU_FAST_INVALID;
				fe->owner = NULL;
				fe->hits = 0;
			}
	m->n_fast_large = 0;
}

void fast_drop_entry(struct mmu *m, struct tlb_ent *e)
{
	for (unsigned mask = e->fastmask; mask; mask &= mask - 1) {
		int k = __builtin_ctz(mask);
		struct mmu_fast_entry *tab = m->fast.t[k >> 1][k & 1];
		if (e->large) {
			for (uint32_t i = 0; i < MMU_FAST_SIZE && m->n_fast_large; i++)
				if (tab[i].owner == e)
					fast_clear_entry(&tab[i], m);
		} else {
			struct mmu_fast_entry *fe = &tab[e->tag & (MMU_FAST_SIZE - 1)];
			if (fe->owner == e)
				fast_clear_entry(fe, m);
		}
	}
	e->fastmask = 0;
}

uint64_t fast_pending_hits(const struct mmu *m, const struct tlb_ent *e)
{
	uint64_t n = 0;
	for (unsigned mask = e->fastmask; mask; mask &= mask - 1) {
		int k = __builtin_ctz(mask);
		const struct mmu_fast_entry *tab = m->fast.t[k >> 1][k & 1];
		if (e->large) {
			for (uint32_t i = 0; i < MMU_FAST_SIZE; i++)
				if (tab[i].owner == e)
					n += tab[i].hits;
		} else {
			const struct mmu_fast_entry *fe = &tab[e->tag & (MMU_FAST_SIZE - 1)];
			if (fe->owner == e)
				n += fe->hits;
		}
	}
	return n;
}

void fast_drop_code_frame(struct mmu *m, uint32_t pfn)
{
	for (int u = 0; u < 2; u++)
		for (uint32_t i = 0; i < MMU_FAST_SIZE; i++) {
			struct mmu_fast_entry *fe = &m->fast.t[1][u][i];
			if (fe->tag != MMU_FAST_INVALID && fe->ppage >> PAGE_SHIFT == pfn)
				fast_clear_entry(fe, m);
		}
}

/* fast_install is inline in mmu_internal.h (every fast-table miss that
 * hits the TLB installs). */

/* Installs are allowed when configured and nothing needs to see every hit;
 * turning them off empties the tables. */
void fast_update_enable(struct mmu *m)
{
	int on = m->cfg.fast_path && !m->stale_fn && !((m->ev_mask >> MMU_EV_HIT) & 1);
	if (!on && m->fast_on)
		fast_flush_all(m);
	m->fast_on = on;
	hit_update(m);
}

/* The fused hit's view of fast_on, CR0 and the model's rules (hit.h). */
void hit_update(struct mmu *m)
{
	const uint64_t D = 1ull << 16, U = 1ull << 24, W = 1ull << 32;   /* tlb_flag_word */
	int sup_wp = !m->cfg.prot386 && m->cfg.has_wp && (m->cr0 & CR0_WP);
	m->hit_on = m->fast_on && (m->cr0 & CR0_PG) && !m->cfg.no_fused_hit;
	m->hit_need[0][0] = 0;
	m->hit_need[0][1] = U;
	m->hit_need[1][0] = D | (sup_wp ? W : 0);
	m->hit_need[1][1] = D | U | W;
}
