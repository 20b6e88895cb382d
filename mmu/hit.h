/* hit.h - the fused TLB hit: the common case of an access that misses the
 * fast tables but hits the TLB (mmu.c's lookup and hit path in
 * xlate_inline, the replacement update with repl.c's MRU change, the
 * plain-RAM access of read_page/write_page and fast_install) in one inline
 * path, the first thing mmu_read, mmu_read_rmw and mmu_write try.
 *
 * Why it matters: for plru and lru only the most recently used way of a
 * set may sit in the fast tables (a hit on any other way changes the
 * replacement state, which the fast path could not record). When two hot
 * pages share a set, each access to the other one is such a hit: it makes
 * its way the MRU, drops the previous MRU's fast entries and installs its
 * own, and the pages take turns. The bench kernel's pf workload does this
 * about seven times per fault.
 *
 * It runs for a one-page data access of 1, 2 or 4 bytes with paging on
 * and the fast path on (so no listener wants hit events and the stale
 * checker is off: both need the general path); inst is the fast table
 * (0 read; 1 write, for writes and the read half of read-modify-writes).
 * It looks the access up in the data side's TLBs as xlate_inline does (the
 * 4 KiB one, then the 4 MiB one when it holds entries) and answers
 *   HIT_MISSED   neither TLB holds lin: the caller goes on with the miss
 *                path, without probing again (nothing has changed);
 *   HIT_DECLINED the general path must do the access, and nothing has
 *                changed: the 4 KiB TLB holds large entries (nlarge: its
 *                probe is not the simple one), the entry does not allow
 *                the access (the general path raises the #PF from it), a
 *                write through an entry with D clear (the general path
 *                walks again to set D), a frame that is not plain RAM
 *                (MMIO, ROM, holes: the bus) or, for the write table, is
 *                marked as code (the smc hook must see the write);
 *   HIT_DONE     the hit is done and *host is where the access goes.
 * What it does for HIT_DONE is what the general path does, in an order
 * that leaves the same state: the hit counted in e->hits; the replacement
 * state updated as repl_use does (plru inline, with the MRU change dropping
 * the previous MRU way's fast entries, their hits folded into that entry;
 * any other policy through repl_touch); the fast entry installed by
 * fast_install's rules (e is valid, its D bit set for the write table, now
 * the MRU way, the frame plain RAM and not code for the write table; an
 * entry already there is left with its pending hits). No event is emitted:
 * a hit emits only MMU_EV_HIT, whose listeners turn the fast path off.
 * Data accesses never mark entries for fetches.
 */
#ifndef MMU_HIT_H
#define MMU_HIT_H

#include "mmu_internal.h"

enum { HIT_DONE, HIT_MISSED, HIT_DECLINED };

/* The hit on way `way` of set (its ways at se, its state at s) of t, a TLB
 * holding pages of one size (large: the 4 MiB TLB; a constant, so that
 * each size gets its own copy). */
static inline __attribute__((always_inline)) int
hit_commit(struct mmu *m, uint32_t lin, int user, int inst, struct tlb *t, struct tlb_ent *se,
	   struct tlb_set *s, int way, const int large, uint8_t **host)
{
	struct tlb_ent *e = &se[way];
	/* pg_allowed and the D test in one: the flag bytes as a word */
	uint64_t flags, need = m->hit_need[inst][user != 0];
	memcpy(&flags, &e->valid, sizeof(flags));
	if ((flags & need) != need)
		return HIT_DECLINED;
	uint32_t lpage = lin & ~(PAGE_SIZE - 1);
	struct mmu_fast_entry *fe = &m->fast.t[inst][user != 0][(lin >> PAGE_SHIFT) & (MMU_FAST_SIZE - 1)];
	/* e's own fast entry for the page, armed or disarmed: its frame
	 * passed the frame test below when it was installed, and whatever
	 * could change that answer (a code mark for the write tables, A20,
	 * an MMIO map) empties it; so it is re-armed without the test. */
	int there = fe->owner == e && (fe->tag & ~MMU_FAST_DISARMED) == lpage;
	const struct bus_hot *h = bus_hot(m->bus);
	uint32_t ppage = 0;
	if (!there) {
		/* ent_paddr's page, A20 applied: a 4 MiB frame plus lin's
		 * 4 KiB piece of it */
		ppage = ((e->pfn << 12) + (large ? lin & 0x3FF000u : 0)) & h->a20_mask;
		uint8_t bad = inst ? BUS_FR_NOTRAM | BUS_FR_CODE : BUS_FR_NOTRAM;
		if (ppage >> PAGE_SHIFT >= h->nframes || (h->frame_flags[ppage >> PAGE_SHIFT] & bad))
			return HIT_DECLINED;
	}
	/* Committed from here on. */
	e->hits++;
	if (m->cfg.policy == TLB_PLRU) {
		/* repl_use with repl_mru_change inline (the previous MRU's
		 * fast entries are not e's: fe stays as it is) */
		s->plru = (s->plru & t->plru_and[way]) | t->plru_or[way];
		unsigned mru = s->mru;
		if (mru != (unsigned)way) {
			struct tlb_ent *o = &se[mru];
			if (large)
				fast_drop_ent(m, o);
			else
				fast_disarm_ent_4k(m, o);
			s->mru = (uint8_t)way;
		}
	} else {
		repl_touch(m, t, (int)(s - t->s), way, 0);
	}
	/* fast_install, whose tests of e and of the frame passed above */
	if (there) {
		fe->tag = lpage;   /* (re-)armed */
		*host = (uint8_t *)((uintptr_t)lin + fe->addend);
		return HIT_DONE;
	}
	uint8_t *page = h->ram + ppage;
	fast_fill_slot(m, fe, lpage, ppage, page, e);
	e->fastmask |= (uint8_t)(1u << (inst * 2 + (user != 0)));
	if (large)
		m->n_fast_large++;
	*host = page + (lin & (PAGE_SIZE - 1));
	return HIT_DONE;
}

/* The lookup, on its own so that the functions that call it stay small
 * (a miss goes on to the miss path from there, at the cost of no more than
 * the lookup it would have made anyway); the caller has checked that the
 * access is of 1, 2 or 4 bytes within one page. tlb_hit_probe looks in the
 * 4 KiB TLB: it returns the way that holds lin, or negative: HIT_DECLINED,
 * HIT_MISSED (neither TLB holds lin), or HIT_LARGE when the 4 MiB TLB
 * holds entries and must be looked at (tlb_hit_probe_large, out of line in
 * the caller, so that its registers do not weigh on the common case),
 * which returns HIT_LARGE + the way of the 4 MiB TLB or -HIT_MISSED. */
enum { HIT_LARGE = TLB_MAX_WAYS };
static inline __attribute__((always_inline)) int tlb_hit_probe(struct mmu *m, uint32_t lin)
{
	if (!m->hit_on)
		return -HIT_DECLINED;
	struct tlb *t = &m->tlb[TLB_D4K];   /* data side, split or unified */
	if (t->nlarge)
		return -HIT_DECLINED;
	int way = tlb_probe(t, tlb_index_sh(t, lin, 12), lin, 12);
	if (way >= 0)
		return way;
	/* (an empty 4 MiB TLB cannot hit; nor an absent one) */
	return m->tlb[TLB_D4M].nvalid ? -HIT_LARGE : -HIT_MISSED;
}

static inline __attribute__((always_inline)) int tlb_hit_probe_large(struct mmu *m, uint32_t lin)
{
	struct tlb *tl = &m->tlb[TLB_D4M];
	int way = tlb_probe(tl, tlb_index_sh(tl, lin, 22), lin, 22);
	return way >= 0 ? HIT_LARGE + way : -HIT_MISSED;
}

/* The fused hit for what tlb_hit_probe found (r >= 0). */
static inline __attribute__((always_inline)) int
tlb_hit_at(struct mmu *m, uint32_t lin, int user, int inst, int r, uint8_t **host)
{
	/* (what tlb_hit_probe/_large return when >= 0; said for the
	 * compiler, which cannot see it across the call and warns about
	 * plru_and[way] otherwise) */
	if ((unsigned)r >= 2 * HIT_LARGE)
		__builtin_unreachable();
	if (r < HIT_LARGE) {
		struct tlb *t = &m->tlb[TLB_D4K];
		int set = tlb_index_sh(t, lin, 12);
		return hit_commit(m, lin, user, inst, t, tlb_set_ents(t, set), &t->s[set], r, 0, host);
	}
	struct tlb *t = &m->tlb[TLB_D4M];
	int set = tlb_index_sh(t, lin, 22);
	return hit_commit(m, lin, user, inst, t, tlb_set_ents(t, set), &t->s[set], r - HIT_LARGE, 1,
			  host);
}

#endif
