/* refill.h - the fused TLB refill: the common case of the miss path
 * (mmu.c's miss, walk.c's pg_walk, tlb.c's tlb_fill_at, fast_install with
 * fast.c's rules) in one function, with the pointers and masks computed
 * once.
 *
 * It runs when no listener wants the miss path's events (they come from the
 * general path) and handles a miss whose paging entries are in plain RAM
 * not marked as code: a walk that succeeds, and a walk that faults (not
 * present, reserved bit, protection). Everything else is declined before
 * anything has changed, and the general path then does exactly what it
 * always did:
 *   - a PDE or PTE frame that is not plain RAM, or is code (reads of MMIO
 *     and A/D writes reaching the smc hook go through the bus);
 *   - a PTE that is the PDE itself (a page directory mapping itself as a
 *     page table) whose A bit is clear: the general path reads the PTE
 *     after setting that bit.
 * In the cases it handles it does what the general path does, in the same
 * order: A (and D for a write) set in memory only when clear, each write
 * counted in ad_writes; walks, misses, evictions and fills counted; the
 * victim chosen by the policy, dropped (with its fast entries, and a
 * generation change if it served a fetch) and refilled; the replacement
 * state updated as for a fill; the entry marked for a fetch. Then, for a
 * one-page access (inst >= 0), the fast entry that fast_install would make
 * after the access is made here instead (plain RAM has no side effect to
 * order it against), and the page's host address handed back.
 *
 * A fault is counted as miss() counts it (a walk and a miss in the 4 KiB
 * TLB's set of lin; the A bit written to a PDE that has led to a table,
 * as pg_walk writes it before it reads the PTE, counted in ad_writes;
 * nothing else written, no fill) and handed back as REFILL_FAULT with the
 * error code; the caller raises the #PF (raise_pf: CR2, the invalidation
 * of what the TLBs hold for lin, the fault event).
 *
 * The page directory's host address is kept (struct mmu's pd_host) from
 * one refill to the next: its frame was plain RAM when found, and CR3
 * writes and every bus change (A20, code marks, MMIO maps: the only ways a
 * frame's flags are set) forget it.
 */
#ifndef MMU_REFILL_H
#define MMU_REFILL_H

#include <string.h>

#include "mmu_internal.h"

/* Events whose listeners must see the general miss path (mmu.c's miss). */
#define REFILL_GENERAL_EVENTS ((1u << MMU_EV_MISS) | (1u << MMU_EV_WALK) | \
			       (1u << MMU_EV_FILL) | (1u << MMU_EV_EVICT))
#define REFILL_DECLINED (-1)
#define REFILL_FAULT    (-2)

/* A walk that found a fault: counted as miss() counts it (t4, the TLB a
 * faulting walk is counted in, set4 lin's set there); the error code
 * goes back in *ec for the caller's raise_pf. */
static inline __attribute__((always_inline)) int
refill_fault(struct tlb *t4, int set4, unsigned ad_writes, uint32_t ec, uint32_t *ec_out)
{
	t4->walks++;
	t4->ad_writes += ad_writes;
	t4->s[set4].misses++;
	*ec_out = ec;
	return REFILL_FAULT;
}

/* The commit half of tlb_refill: the walk has succeeded and its A/D bits
 * are in memory; fill (set of t, whose ways are at se, both found by the
 * caller) and install. Inline
 * with `large` a constant, so that each page size gets its own copy
 * without tests of it. */
static inline __attribute__((always_inline)) int
refill_fill(struct mmu *m, const struct bus_hot *h, uint32_t lin, enum mmu_access acc, int user,
	    int inst, struct tlb *t, int set, struct tlb_ent *se, const int large, uint32_t pa,
	    uint32_t src_addr,
	    uint32_t ent, uint32_t uw, unsigned ad_writes, uint32_t *paddr, struct xl_src *src,
	    const int only4k)
{
	const enum tlb_policy policy = m->cfg.policy;
	/* t holds 4 KiB entries only (a constant: the caller knows) */
	const int small = !large && only4k;
	struct tlb_set *s = &t->s[set];

	/* As miss() and tlb_fill_at() with no entry being refreshed. */
	t->walks++;
	if (ad_writes)   /* (usually none: A, and D for writes, already set) */
		t->ad_writes += ad_writes;
	s->misses++;
	int way = repl_victim(m, t, set);
	struct tlb_ent *e = &se[way];
	if (e->valid) {
		/* tlb.c's drop_ent then tlb_set_valid, with nvalid, vmask
		 * and the busy bit left as they are (dropped and refilled). */
		s->evictions++;
		if (small) {
			fast_drop_ent_4k(m, e);
		} else {
			fast_drop_ent(m, e);
			if (e->large && !t->large)
				t->nlarge--;
		}
		s->retired_hits += e->hits;
		if (ent_fetch_live(m, e))
			mmu_gen_bump(m);
	} else {
		tlb_set_valid(t, set, way);
	}
	tlb_ent_write(m, t, e, large, lin, pa, src_addr, ent, uw);
	s->fills++;
	/* repl_use(m, t, set, way, 1), with the MRU change (repl.c) inline;
	 * afterwards way is the set's most recently used for plru and lru,
	 * as fast_install requires. */
	if (policy == TLB_PLRU) {
		s->plru = (s->plru & t->plru_and[way]) | t->plru_or[way];
		if (s->mru != way) {
			if (small)
				fast_drop_ent_4k(m, &se[s->mru]);
			else
				fast_drop_ent(m, &se[s->mru]);
			s->mru = (uint8_t)way;
		}
	} else {
		repl_touch(m, t, set, way, 1);
	}
	if (acc == MMU_FETCH)
		ent_mark_fetch(m, e);
	*paddr = pa;

	/* The access's fast entry, by fast_install's rules: the entry is
	 * valid, its D bit set for a write table (inst 1 only comes with a
	 * write walk), the most recently used way (above); the frame plain
	 * RAM, and for a write table not code. The caller only needs src's
	 * TLB position when it must access (and install) itself. */
	uint32_t ppage = pa & h->a20_mask & ~(PAGE_SIZE - 1);
	uint8_t bad = inst ? BUS_FR_NOTRAM | BUS_FR_CODE : BUS_FR_NOTRAM;
	if (inst < 0 || ppage >> PAGE_SHIFT >= h->nframes ||
	    (h->frame_flags[ppage >> PAGE_SHIFT] & bad)) {
		/* no access, or not plain RAM: the caller goes through the bus */
		src->t = t;
		src->set = set;
		src->way = way;
		return 0;
	}
	uint8_t *host = h->ram + ppage;
	src->host = host;
	if (!m->fast_on)
		return 0;
	uint32_t lpage = lin & ~(PAGE_SIZE - 1);
	struct mmu_fast_entry *fe = &m->fast.t[inst][user != 0][(lin >> PAGE_SHIFT) & (MMU_FAST_SIZE - 1)];
	fast_fill_slot(m, fe, lpage, ppage, host, e);
	e->fastmask = (uint8_t)(1u << (inst * 2 + (user != 0)));
	if (large)
		m->n_fast_large++;
	return 0;
}

/* lin missed both TLBs of its side (t4, where it indexes set4 whose ways
 * are at se4; tl): walk, fill, and for a one-page access (inst: 0 read, 1
 * write fast table; -1 no access to install for) install the fast entry.
 * only4k (a constant): the caller knows that t4 holds no large entries.
 * Returns 0 (paddr, src set), REFILL_FAULT (the #PF error code in
 * *paddr), or REFILL_DECLINED having changed nothing, when the general
 * path must run. A header, inline, so that mmu.c's
 * lookup and this share registers and one stack frame: the whole miss
 * costs one call from the CPU. */
static inline __attribute__((always_inline)) int
tlb_refill(struct mmu *m, uint32_t lin, enum mmu_access acc, int user, int inst,
	   struct tlb *t4, int set4, struct tlb_ent *se4, struct tlb *tl, uint32_t *paddr,
	   struct xl_src *src, const int only4k)
{
	const struct bus_hot *h = bus_hot(m->bus);
	const uint32_t a20 = h->a20_mask;
	const int write = acc == MMU_WRITE;
	const uint32_t bits = PTE_A | (write ? PTE_D : 0);   /* to set in the last level */
	const uint32_t ec = (write ? PFEC_W : 0) | (user ? PFEC_U : 0);   /* of a fault */

	/* The walk, reading only (pg_walk's order and rules). */
	uint8_t *pd = m->pd_host;
	if (!pd) {
		uint32_t pd_pa = m->cr3 & 0xFFFFF000u & a20;
		if (pd_pa >> PAGE_SHIFT >= h->nframes || h->frame_flags[pd_pa >> PAGE_SHIFT])
			return REFILL_DECLINED;
		pd = m->pd_host = h->ram + pd_pa;
	}
	uint8_t *pde_p = pd + (PDX(lin) << 2);
	uint32_t pde;
	memcpy(&pde, pde_p, 4);
	if (!(pde & PTE_P))
		return refill_fault(t4, set4, 0, ec, paddr);

	if ((pde & PDE_PS) && m->cfg.has_pse && (m->cr4 & CR4_PSE)) {
		uint32_t pde_addr = (m->cr3 & 0xFFFFF000u) | (PDX(lin) << 2);
		if (m->cfg.has_rsvd_bit && (pde & PDE_RSVD_4M))
			return refill_fault(t4, set4, 0, ec | PFEC_P | PFEC_RSVD, paddr);
		uint32_t uw = pde & (PTE_U | PTE_W);
		if (!pg_allowed(m, (uw & PTE_U) != 0, (uw & PTE_W) != 0, acc, user))
			return refill_fault(t4, set4, 0, ec | PFEC_P, paddr);
		/* Committed from here on. */
		unsigned ad_writes = 0;
		if ((pde & bits) != bits) {
			pde |= bits;
			memcpy(pde_p, &pde, 4);
			ad_writes++;
		}
		uint32_t pa = (pde & 0xFFC00000u) | (lin & 0x003FFFFFu);
		if (tl->sets) {
			int set = tlb_index_sh(tl, lin, 22);
			return refill_fill(m, h, lin, acc, user, inst, tl, set, tlb_set_ents(tl, set),
					   1, pa, pde_addr, pde, uw, ad_writes, paddr, src, only4k);
		}
		return refill_fill(m, h, lin, acc, user, inst, t4, set4, se4, 1, pa, pde_addr, pde,
				   uw, ad_writes, paddr, src, only4k);
	}

	uint32_t pte_addr = (pde & 0xFFFFF000u) | (PTX(lin) << 2);
	uint32_t pte_pa = pte_addr & a20;
	if (pte_pa >> PAGE_SHIFT >= h->nframes || h->frame_flags[pte_pa >> PAGE_SHIFT] ||
	    (!(pde & PTE_A) && h->ram + pte_pa == pde_p))
		return REFILL_DECLINED;
	uint8_t *pte_p = h->ram + pte_pa;
	uint32_t pte;
	memcpy(&pte, pte_p, 4);
	uint32_t uw = pde & pte & (PTE_U | PTE_W);   /* both levels */
	int fault = !(pte & PTE_P) ? 1 :
		    !pg_allowed(m, (uw & PTE_U) != 0, (uw & PTE_W) != 0, acc, user) ? 2 : 0;
	/* Committed from here on. The PDE has been used to reach the table:
	 * its A bit first (a fault in the PTE too: the PTE was read after
	 * it, which is why the self-map with A clear is declined above). */
	unsigned ad_writes = 0;
	if (!(pde & PTE_A)) {
		pde |= PTE_A;
		memcpy(pde_p, &pde, 4);
		ad_writes++;
	}
	if (__builtin_expect(fault != 0, 0))
		return refill_fault(t4, set4, ad_writes, fault == 1 ? ec : ec | PFEC_P, paddr);
	if ((pte & bits) != bits) {
		pte |= bits;
		memcpy(pte_p, &pte, 4);
		ad_writes++;
	}
	uint32_t pa = (pte & 0xFFFFF000u) | (lin & 0xFFFu);
	return refill_fill(m, h, lin, acc, user, inst, t4, set4, se4, 0, pa, pte_addr, pte, uw,
			   ad_writes, paddr, src, only4k);
}

#endif
