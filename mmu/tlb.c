/* tlb.c - the architectural TLB arrays: probe, fill, drop, flush.
 *
 * A 4 KiB TLB is indexed by the low bits of the linear page number. When a
 * model has no separate 4 MiB TLB but supports 4 MiB pages, a 4 MiB
 * translation is held in the 4 KiB TLB as a "large" entry in the set of the
 * 4 KiB piece being accessed (tag = lin >> 22), so one 4 MiB page may sit in
 * several sets; INVLPG and flushes find them all. A 4 MiB TLB is indexed by
 * the low bits of lin >> 22.
 *
 * Every drop of a valid entry (eviction, flush, invalidation) takes the
 * entry out of the fast path. The generation changes once per flush, and
 * otherwise only when a dropped entry served a code fetch in the current
 * generation (mmu_internal.h, ent_fetch_live).
 */
#include "mmu_internal.h"

void mmu_emit(struct mmu *m, enum mmu_event_kind kind, int tlb, int set, int way,
	      uint32_t lin, uint32_t paddr, uint32_t ec, enum tlb_flush_cause cause)
{
	struct mmu_event ev = {
		.kind = kind, .tlb = (enum tlb_id)tlb, .set = set, .way = way,
		.lin = lin, .paddr = paddr, .error_code = ec, .cause = cause,
	};
	m->ev_fn(m->ev_opaque, &ev);
}

/* Remove a valid entry (no statistics beyond retiring its hit count).
 * Returns whether the generation must change for it; the caller decides
 * when, so that one operation changes it at most once. Inline here so
 * that the flush loops pay no call per entry. */
static inline __attribute__((always_inline)) int
drop_ent_sz(struct mmu *m, struct tlb *t, int set, int way, struct tlb_ent *e, const int small)
{
	/* (small, a constant: e is a 4 KiB entry of a 4 KiB TLB) */
	if (small) {
		fast_drop_ent_4k(m, e);
	} else {
		fast_drop_ent(m, e);   /* folds the fast entries' hits into e->hits */
		if (e->large && !t->large)
			t->nlarge--;
	}
	t->nvalid--;
	t->s[set].vmask &= (uint16_t)~(1u << way);
	if (!t->s[set].vmask)
		t->busy[set >> 6] &= ~(1ull << (set & 63));
	t->s[set].retired_hits += e->hits;
	e->hits = 0;
	e->valid = 0;
	return ent_fetch_live(m, e);
}

static inline int drop_ent(struct mmu *m, struct tlb *t, int set, int way, struct tlb_ent *e)
{
	return drop_ent_sz(m, t, set, way, e, 0);
}

void tlb_drop(struct mmu *m, struct tlb *t, int set, int way)
{
	struct tlb_ent *e = tlb_at(t, set, way);
	if (e->valid && drop_ent(m, t, set, way, e))
		mmu_gen_bump(m);
}

void tlb_clear_all(struct mmu *m)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb *t = &m->tlb[id];
		for (int s = 0; s < t->sets; s++)
			for (int w = 0; w < t->ways; w++) {
				struct tlb_ent *e = tlb_at(t, s, w);
				if (e->valid)
					drop_ent(m, t, s, w, e);
				*e = (struct tlb_ent){ 0 };
			}
	}
}

/* Put the walk's translation of lin into (set, way), which the caller has
 * emptied (or which holds the entry being refreshed). */
void tlb_fill_at(struct mmu *m, struct tlb *t, int set, int way, uint32_t lin,
		 const struct walk_res *r)
{
	struct tlb_ent *e = tlb_at(t, set, way);
	if (e->valid && drop_ent(m, t, set, way, e))
		mmu_gen_bump(m);
	tlb_set_valid(t, set, way);
	tlb_ent_write(m, t, e, r->large, lin, r->paddr, r->large ? r->pde_addr : r->pte_addr,
		      r->large ? r->pde : r->pte, (r->u ? PTE_U : 0) | (r->w ? PTE_W : 0));
	t->s[set].fills++;
	repl_use(m, t, set, way, 1);
}

/* Drop every entry of t (keep_global: except global ones): drop_ent's
 * work with its bookkeeping done once per set (vmask, retired hits), once
 * per 64 sets (busy) and once per TLB (nvalid, nlarge) rather than once
 * per entry. Only the sets that hold entries, and in them only the valid
 * ways, are visited. The TLB's fields are read into locals first: the
 * stores through entry pointers would otherwise make the compiler reload
 * them for every set. Inline with keep_global a constant: without global
 * entries to keep, each set and busy word is simply emptied. */
static inline __attribute__((always_inline)) void flush_tlb(struct mmu *m, struct tlb *t,
							    const int keep_global, const int only4k)
{
	struct tlb_ent *const ents = t->e;
	struct tlb_set *const sets = t->s;
	uint64_t *const busy = t->busy;
	const int ways = t->ways, small = !t->large;
	const int nwords = (t->sets + 63) / 64;
	int dropped = 0, dropped_large = 0;
	for (int i = 0; i < nwords; i++) {
		uint64_t left_sets = 0;   /* sets still holding (global) entries */
		for (uint64_t bm = busy[i]; bm; bm &= bm - 1) {
			int s = i * 64 + __builtin_ctzll(bm);
			struct tlb_set *ts = &sets[s];
			struct tlb_ent *se = &ents[s * ways];
			unsigned left = 0;
			uint64_t retired = 0;
			for (unsigned vm = ts->vmask; vm; vm &= vm - 1) {
				int w = __builtin_ctz(vm);
				struct tlb_ent *e = &se[w];
				if (keep_global && e->g) {
					left |= 1u << w;
					continue;
				}
				/* folds the fast entries' hits (only4k, a
				 * constant: a 4 KiB TLB without large entries) */
				if (only4k)
					fast_drop_ent_4k(m, e);
				else
					fast_drop_ent(m, e);
				dropped_large += e->large;
				retired += e->hits;
				e->hits = 0;
				e->valid = 0;
				dropped++;
			}
			ts->retired_hits += retired;
			ts->vmask = (uint16_t)left;
			if (left)
				left_sets |= 1ull << (s & 63);
		}
		busy[i] = left_sets;
	}
	t->nvalid -= dropped;
	if (small)
		t->nlarge -= dropped_large;   /* large entries held in a 4 KiB TLB */
}

/* Drop every entry (keep_global: except global ones) of every TLB and count
 * one flush of `cause` in each TLB that exists. A flush is a change of the
 * paging regime (CR3, CR0, CR4, A20, reset...): the generation changes once,
 * whatever was dropped. */
void tlb_flush_all(struct mmu *m, enum tlb_flush_cause cause, int keep_global)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb *t = &m->tlb[id];
		if (!t->sets)
			continue;
		t->flushes[cause]++;
		if (t->nvalid) {
			int only4k = !t->large && !t->nlarge;
			if (keep_global)
				only4k ? flush_tlb(m, t, 1, 1) : flush_tlb(m, t, 1, 0);
			else
				only4k ? flush_tlb(m, t, 0, 1) : flush_tlb(m, t, 0, 0);
		}
		if (mmu_wants(m, MMU_EV_FLUSH))
			mmu_emit(m, MMU_EV_FLUSH, id, -1, -1, 0, 0, 0, cause);
	}
	mmu_gen_bump(m);
}

/* A large entry held in a 4 KiB TLB may sit in any set: every valid
 * entry of t is compared. */
static __attribute__((noinline)) int invalidate_scan(struct mmu *m, struct tlb *t, uint32_t lin)
{
	int bump = 0;
	for (int s = 0; s < t->sets; s++)
		for (unsigned vm = t->s[s].vmask; vm; vm &= vm - 1) {
			int w = __builtin_ctz(vm);
			struct tlb_ent *e = tlb_at(t, s, w);
			if (e->tag == (e->large ? lin >> 22 : lin >> 12))
				bump |= drop_ent(m, t, s, w, e);
		}
	return bump;
}

/* What t holds for lin (shift: t->shift as a constant, 12 or 22). A
 * 4 MiB TLB holds lin's 4 MiB page only in its own set, a 4 KiB TLB
 * without large entries lin's page only in its own set: one set, one tag
 * (all its valid ways are still compared: TR6 may have put the same tag in
 * two ways). Returns whether the generation must change. Inline, with
 * the TLB and its shift constants: one call of tlb_invalidate_lin looks at
 * each of the four TLBs. */
static inline __attribute__((always_inline)) int invalidate_in(struct mmu *m, struct tlb *t,
							       uint32_t lin, const int shift)
{
	if (!t->nvalid)   /* (an absent TLB has none) */
		return 0;
	if (shift == 12 && t->nlarge)
		return invalidate_scan(m, t, lin);
	int s = tlb_index_sh(t, lin, shift);
	struct tlb_ent *se = tlb_set_ents(t, s);
	uint32_t tag = lin >> shift;
	int bump = 0;
	for (unsigned vm = t->s[s].vmask; vm; vm &= vm - 1) {
		int w = __builtin_ctz(vm);
		if (se[w].tag == tag)
			bump |= drop_ent_sz(m, t, s, w, &se[w], shift == 12);
	}
	return bump;
}

/* Everything that translates lin: its 4 KiB entry, and every large entry
 * for the 4 MiB page holding it, global or not. The generation changes
 * when one of them served a code fetch (INVLPG of a data page leaves the
 * CPU's code translation alone). counted: an INVLPG, counted (and its
 * event emitted, in TLB order) in every TLB that exists; drops emit
 * nothing, so the events come first. */
void tlb_invalidate_lin(struct mmu *m, uint32_t lin, int counted)
{
	_Static_assert(TLB_I4K == 0 && TLB_D4K == 1 && TLB_I4M == 2 && TLB_D4M == 3 && TLB_COUNT == 4,
		       "the TLBs below, in order");
	if (counted) {
		for (int id = 0; id < TLB_COUNT; id++)
			if (m->tlb[id].sets)
				m->tlb[id].flushes[FLUSH_INVLPG]++;
		if (mmu_wants(m, MMU_EV_FLUSH))
			for (int id = 0; id < TLB_COUNT; id++)
				if (m->tlb[id].sets)
					mmu_emit(m, MMU_EV_FLUSH, id, -1, -1, lin, 0, 0, FLUSH_INVLPG);
	}
	int bump = invalidate_in(m, &m->tlb[TLB_I4K], lin, 12) |
		   invalidate_in(m, &m->tlb[TLB_D4K], lin, 12) |
		   invalidate_in(m, &m->tlb[TLB_I4M], lin, 22) |
		   invalidate_in(m, &m->tlb[TLB_D4M], lin, 22);
	if (bump)
		mmu_gen_bump(m);
}

void tlb_invalidate_lin_iside(struct mmu *m, uint32_t lin)
{
	/* (absent on a unified model: nvalid 0) */
	if (invalidate_in(m, &m->tlb[TLB_I4K], lin, 12) | invalidate_in(m, &m->tlb[TLB_I4M], lin, 22))
		mmu_gen_bump(m);
}
