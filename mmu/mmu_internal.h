/* mmu_internal.h - what the files of mmu/ share. Not for use outside mmu/.
 *
 * Reference (Intel SDM vol. 3 ch. 4, i386 PRM ch. 5, i486 PRM ch. 10):
 *
 *   CR3   31..12 page directory base
 *   PDE   31..12 page table base (or 31..22 frame of a 4 MiB page when
 *         PS=1 and CR4.PSE=1; then 21..13 are reserved), 8 G, 7 PS,
 *         6 D (4 MiB only), 5 A, 4 PCD, 3 PWT, 2 U/S, 1 R/W, 0 P
 *   PTE   31..12 frame, 8 G, 6 D, 5 A, 4 PCD, 3 PWT, 2 U/S, 1 R/W, 0 P
 *   #PF error code: 0 P (protection, not not-present), 1 W/R, 2 U/S,
 *         3 RSVD (reserved bit set in a paging entry)
 *
 * Effective protection: U = PDE.U & PTE.U, W = PDE.W & PTE.W (both
 * levels, the more restrictive wins: i386 PRM 5.2.4.3, SDM 4.6).
 *   user access:       needs U; a write also needs W
 *   supervisor read:   always allowed
 *   supervisor write:  386 (prot386) or CR0.WP=0: always allowed;
 *                      486+ with CR0.WP=1: needs W
 * Code fetches are checked as reads (no NX without PAE).
 */
#ifndef MMU_MMU_INTERNAL_H
#define MMU_MMU_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mmu.h"
#include "fastpath.h"
#include "bus_internal.h"

#define PTE_P   0x001u
#define PTE_W   0x002u
#define PTE_U   0x004u
#define PTE_PWT 0x008u
#define PTE_PCD 0x010u
#define PTE_A   0x020u
#define PTE_D   0x040u
#define PDE_PS  0x080u
#define PTE_G   0x100u
#define PDE_RSVD_4M 0x003FE000u   /* bits 21..13 of a 4 MiB PDE */

#define PFEC_P    0x1u
#define PFEC_W    0x2u
#define PFEC_U    0x4u
#define PFEC_RSVD 0x8u

#define CR4_PAE (1u << 5)

#define PDX(lin) ((lin) >> 22)
#define PTX(lin) (((lin) >> 12) & 0x3FFu)

#define TLB_MAX_WAYS 16

/* One TLB entry as the hardware holds it. */
struct tlb_ent {
	uint32_t tag;        /* lin >> 12, or lin >> 22 when large */
	uint32_t pfn;        /* frame of the page base (4 KiB units) */
	uint32_t src_addr;   /* physical address of the PTE (or 4 MiB PDE) it came from */
	uint8_t valid, large, d, u, w, g, pcd, pwt;
	uint8_t fastmask;    /* fast tables that may hold this entry: bit (write*2+user) */
	uint32_t fetch_mark; /* low 32 bits of the generation at its last MMU_FETCH use */
	uint64_t hits;       /* hits since it was filled (fast entries hold more, fast.c) */
};

struct tlb_set {
	uint64_t retired_hits; /* hits of entries no longer in the set */
	uint64_t misses, fills, evictions;
	uint32_t plru;         /* tree bits, node n (heap order from 1) at bit n-1 */
	uint8_t ptr;           /* round-robin pointer */
	uint8_t mru;           /* most recently used way (fast path rule) */
	uint16_t vmask;        /* valid ways, bit per way */
	uint8_t age[TLB_MAX_WAYS]; /* LRU: recency rank, FIFO: fill rank; 0 = newest */
};

struct tlb {
	int sets, ways;        /* sets == 0: absent */
	int large;             /* holds 4 MiB pages only */
	int nlarge;            /* valid 4 MiB entries held in this 4 KiB TLB (tlb.c) */
	int nvalid;            /* valid entries (flushes stop once none is left) */
	uint16_t full;         /* vmask of a set with every way valid */
	uint32_t shift;        /* set index = (lin >> shift) & set_mask */
	uint32_t set_mask;
	struct tlb_ent *e;     /* e[set * ways + way] */
	struct tlb_set *s;
	uint64_t *busy;        /* bit per set holding a valid entry (flush scan) */
	/* plru: a use of way w sets tree bits to (bits & plru_and[w]) |
	 * plru_or[w]; plru_vic[bits] is the victim for ways <= 8 (repl.c). */
	uint16_t plru_and[TLB_MAX_WAYS], plru_or[TLB_MAX_WAYS];
	uint8_t plru_vic[128];
	uint64_t walks, ad_writes;
	uint64_t flushes[FLUSH_CAUSES];
};

struct stale_seen;

struct mmu {
	struct mmu_fast fast;  /* first: fastpath.h relies on it */
	struct bus *bus;
	struct mmu_config cfg;
	uint32_t cr0, cr3, cr4;
	/* Host address of the page directory (CR3's frame, A20 applied) once
	 * the fused refill has found it plain RAM not marked as code; NULL
	 * until then, and again after any change of CR3 or of the bus's
	 * frames (bus_changed). */
	uint8_t *pd_host;
	struct tlb tlb[TLB_COUNT];
	uint32_t fill_ptr386;  /* the 386 rule's 2-bit fill pointer */
	uint32_t rng;          /* TLB_RANDOM state (xorshift32) */
	struct mmu_fault fault;
	int fast_on;           /* fast entries may be installed now */
	/* The fused hit (hit.h): hit_on = fast_on and CR0.PG; hit_need[inst]
	 * [user] the flag bytes (tlb_flag_word's layout) an entry must have
	 * set for the access: U for user accesses, D for the write table, W
	 * for writes unless a supervisor write ignores it (pg_allowed). Kept
	 * up to date by hit_update, on every change of CR0 and of fast_on. */
	int hit_on;
	uint64_t hit_need[2][2];
	uint64_t dummy_hits;   /* hit sink for paging-off fast entries */
	int n_fast_large;      /* fast entries owned by 4 MiB TLB entries */

	uint32_t ev_mask;
	void (*ev_fn)(void *opaque, const struct mmu_event *ev);
	void *ev_opaque;

	const uint32_t *stale_eip;
	void (*stale_fn)(void *opaque, const struct mmu_stale_report *r);
	void *stale_opaque;
	uint64_t *stale_keys;  /* open-addressed set of reported (eip, page) */
	uint32_t stale_cap, stale_count;

	uint32_t tr6, tr7;
};

/* ---- walk.c */
struct walk_res {
	uint32_t paddr;            /* translation of the walked address */
	uint32_t pde_addr, pde, pte_addr, pte; /* entries as left in memory */
	int large, u, w, d, g, pcd, pwt;
	uint32_t error_code;       /* on MMU_PF */
	unsigned ad_writes;        /* A/D updates written back */
};
/* Is an access with these effective bits allowed under the model's rules?
 * (Inline: every TLB hit on the slow path asks.) */
static inline int pg_allowed(const struct mmu *m, int u, int w, enum mmu_access acc, int user)
{
	if (user) {
		if (!u)
			return 0;
		return acc != MMU_WRITE || w;
	}
	if (acc != MMU_WRITE)
		return 1;
	/* Supervisor write: the 386 ignores R/W in ring 0; later models only
	 * when CR0.WP is clear. */
	if (m->cfg.prot386 || !m->cfg.has_wp || !(m->cr0 & CR0_WP))
		return 1;
	return w;
}
/* Walk the tables for lin. commit: set A/D bits in memory and check the
 * access (acc, user), returning MMU_PF with r->error_code on a fault; !commit:
 * read only (bus_peek), no permission check; MMU_PF when not present or a
 * reserved bit is set. */
int pg_walk(const struct mmu *m, uint32_t lin, enum mmu_access acc, int user, int commit,
	    struct walk_res *r);

/* Where a translation came from (mmu.c's xlate and refill.h), for the
 * fast-entry install after the access. host: set only by the fused
 * refill, when the access it was told of (inst >= 0) is to plain RAM it
 * may use in place: the host address of the page, whose fast entry the
 * refill has already installed when allowed; t, set and way are then not
 * set (nothing is left to install). */
struct xl_src {
	struct tlb *t;
	int set, way;
	uint8_t *host;
};

/* ---- tlb.c */
static inline int tlb_index(const struct tlb *t, uint32_t lin)
{
	return (int)((lin >> t->shift) & t->set_mask);
}
static inline struct tlb_ent *tlb_at(struct tlb *t, int set, int way)
{
	return &t->e[set * t->ways + way];
}
/* The ways of set: tlb_at(t, set, way) is tlb_set_ents(t, set) + way. */
static inline struct tlb_ent *tlb_set_ents(struct tlb *t, int set)
{
	return &t->e[set * t->ways];
}
/* tlb_index for a caller that knows t->shift (12 for a 4 KiB TLB, 22 for
 * a 4 MiB one) and passes it as a constant. */
static inline int tlb_index_sh(const struct tlb *t, uint32_t lin, int shift)
{
	return (int)((lin >> shift) & t->set_mask);
}
/* The lowest valid way of set that translates lin, or -1 (inline: every
 * slow-path lookup probes one or two sets); shift is t->shift. Only the
 * valid ways are looked at, so a set emptied by a flush costs one test. */
static inline int tlb_probe(struct tlb *t, int set, uint32_t lin, int shift)
{
	const struct tlb_ent *e = tlb_set_ents(t, set);
	if (!t->nlarge) {
		/* Every valid entry has the TLB's own page size (nlarge
		 * counts the exceptions, large entries in a 4 KiB TLB). */
		uint32_t tag = lin >> shift;
		if (t->ways == 4) {
			/* the models' usual 4 ways unrolled, without the set's
			 * valid mask: a way's valid byte is only read when its
			 * tag matches (an invalid entry keeps its old tag) */
			for (int w = 0; w < 4; w++)
				if (e[w].tag == tag && e[w].valid)
					return w;
			return -1;
		}
		unsigned vm = t->s[set].vmask;
		if (vm == t->full) {
			/* all valid: no mask */
			for (int w = 0; w < t->ways; w++)
				if (e[w].tag == tag)
					return w;
			return -1;
		}
		for (; vm; vm &= vm - 1) {
			int w = __builtin_ctz(vm);
			if (e[w].tag == tag)
				return w;
		}
		return -1;
	}
	uint32_t tag4 = lin >> 12, tag4m = lin >> 22;
	for (unsigned vm = t->s[set].vmask; vm; vm &= vm - 1) {
		int w = __builtin_ctz(vm);
		if (e[w].tag == (e[w].large ? tag4m : tag4))
			return w;
	}
	return -1;
}
/* Drop (set, way) if valid; changes the generation if it served a fetch. */
void tlb_drop(struct mmu *m, struct tlb *t, int set, int way);
/* Empty every TLB (reset): hits retired, no flush counted, no generation
 * change (the caller makes the one change). */
void tlb_clear_all(struct mmu *m);
/* Count (set, way), just made valid, in nvalid, the set's vmask and the
 * busy bitmap. */
static inline void tlb_set_valid(struct tlb *t, int set, int way)
{
	t->nvalid++;
	t->s[set].vmask |= (uint16_t)(1u << way);
	t->busy[set >> 6] |= 1ull << (set & 63);
}
void tlb_fill_at(struct mmu *m, struct tlb *t, int set, int way, uint32_t lin,
		 const struct walk_res *r);
/* The fields of a fresh entry (e just made valid) from a successful walk:
 * `ent` is the PTE (4 KiB) or PDE (4 MiB) as the walk left it in memory,
 * uw the effective U and W bits of both levels (PTE_U | PTE_W positions),
 * src_addr the address of ent. Shared by tlb_fill_at and the fused refill
 * (refill.h). */
/* The flag bytes of an entry (valid .. pwt, 8 consecutive bytes) as one
 * little-endian word: byte 0 valid, 1 large, 2 d, 3 u, 4 w, 5 g, 6 pcd,
 * 7 pwt. The D, U, W, PCD and PWT bytes come from one multiply: `bits`
 * holds them at their PTE positions (6, 2, 1, 4, 3), and multiplying by
 * TLB_FLAG_SPREAD copies each bit b to b + 10, b + 22, b + 31, b + 44 and
 * b + 53. Those 25 positions are all different (no carries) and bits 16,
 * 24, 32, 48 and 56 (the d, u, w, pcd and pwt bytes) are reached only by
 * D + 10, U + 22, W + 31, PCD + 44 and PWT + 53, so the mask keeps exactly
 * those (tests/mmu/test_entbits.c checks every input). One store instead
 * of eight: every refill writes them. */
#define TLB_FLAG_BITS   (PTE_D | PTE_U | PTE_W | PTE_PCD | PTE_PWT)
#define TLB_FLAG_SPREAD ((1ull << 10) | (1ull << 22) | (1ull << 31) | (1ull << 44) | (1ull << 53))
#define TLB_FLAG_MASK   ((1ull << 16) | (1ull << 24) | (1ull << 32) | (1ull << 48) | (1ull << 56))
static inline uint64_t tlb_flag_word(uint32_t bits, int large, int g)
{
	return (((uint64_t)(bits & TLB_FLAG_BITS) * TLB_FLAG_SPREAD) & TLB_FLAG_MASK) |
	       1u | (uint64_t)(large != 0) << 8 | (uint64_t)(g != 0) << 40;
}
_Static_assert(offsetof(struct tlb_ent, large) == offsetof(struct tlb_ent, valid) + 1 &&
	       offsetof(struct tlb_ent, d) == offsetof(struct tlb_ent, valid) + 2 &&
	       offsetof(struct tlb_ent, u) == offsetof(struct tlb_ent, valid) + 3 &&
	       offsetof(struct tlb_ent, w) == offsetof(struct tlb_ent, valid) + 4 &&
	       offsetof(struct tlb_ent, g) == offsetof(struct tlb_ent, valid) + 5 &&
	       offsetof(struct tlb_ent, pcd) == offsetof(struct tlb_ent, valid) + 6 &&
	       offsetof(struct tlb_ent, pwt) == offsetof(struct tlb_ent, valid) + 7,
	       "tlb_flag_word's byte order is struct tlb_ent's");
static inline void tlb_ent_write(struct mmu *m, struct tlb *t, struct tlb_ent *e, int large,
				 uint32_t lin, uint32_t paddr, uint32_t src_addr, uint32_t ent,
				 uint32_t uw)
{
	e->tag = large ? lin >> 22 : lin >> 12;
	e->pfn = large ? (paddr & 0xFFC00000u) >> 12 : paddr >> 12;
	e->src_addr = src_addr;
	/* valid, large, d, u, w, g, pcd, pwt */
	uint64_t flags = tlb_flag_word((ent & (PTE_D | PTE_PCD | PTE_PWT)) | (uw & (PTE_U | PTE_W)),
				       large,
				       (ent & PTE_G) && m->cfg.has_pge && (m->cr4 & CR4_PGE));
	memcpy(&e->valid, &flags, sizeof(flags));
	e->fastmask = 0;
	e->fetch_mark = (uint32_t)m->fast.gen - 1;   /* not (yet) used by a fetch */
	e->hits = 0;
	if (large && !t->large)
		t->nlarge++;
}
void tlb_flush_all(struct mmu *m, enum tlb_flush_cause cause, int keep_global);
/* Drop whatever translates lin; count an INVLPG when counted. */
void tlb_invalidate_lin(struct mmu *m, uint32_t lin, int counted);
/* tlb_invalidate_lin(lin, 0) when the data side's TLBs are known to hold
 * nothing for lin (the fused hit's lookup missed, with no large entries in
 * the 4 KiB TLB): the instruction side's, which a split model has. */
void tlb_invalidate_lin_iside(struct mmu *m, uint32_t lin);
void mmu_emit(struct mmu *m, enum mmu_event_kind kind, int tlb, int set, int way,
	      uint32_t lin, uint32_t paddr, uint32_t ec, enum tlb_flush_cause cause);
static inline int mmu_wants(const struct mmu *m, enum mmu_event_kind k)
{
	return __builtin_expect((m->ev_mask >> k) & 1, 0);
}

/* ---- repl.c */
/* Policies whose hits change replacement state: for them the fast path
 * may hold only each set's most recently used way. */
static inline int repl_needs_mru(const struct mmu *m)
{
	return m->cfg.policy == TLB_PLRU || m->cfg.policy == TLB_LRU;
}
void repl_init_tlb(struct tlb *t);   /* the plru tables, after the geometry is set */
void repl_init_set(const struct mmu *m, struct tlb *t, struct tlb_set *s);
void repl_touch(struct mmu *m, struct tlb *t, int set, int way, int fill);
/* way became the set's most recently used: the previous one leaves the
 * fast path (plru/lru). */
void repl_mru_change(struct mmu *m, struct tlb *t, int set, int way);
/* repl_touch with the default policy (plru) inline: a use is an AND and an
 * OR of the tree bits, and the fast-path bookkeeping only runs when the
 * most recently used way changes. */
static inline void repl_use(struct mmu *m, struct tlb *t, int set, int way, int fill)
{
	if (m->cfg.policy == TLB_PLRU) {
		struct tlb_set *s = &t->s[set];
		s->plru = (s->plru & t->plru_and[way]) | t->plru_or[way];
		if (s->mru != way)
			repl_mru_change(m, t, set, way);
		return;
	}
	repl_touch(m, t, set, way, fill);
}
/* The victim way for a fill of set: the policy's full rule
 * (repl_victim_policy) only once every way is valid and the policy is not
 * plru with at most 8 ways, whose victim is a table lookup. Inline: every
 * refill asks. */
int repl_victim_policy(struct mmu *m, struct tlb *t, int set);
static inline int repl_victim(struct mmu *m, struct tlb *t, int set)
{
	const struct tlb_set *s = &t->s[set];
	if (m->cfg.policy == TLB_RR)
		return s->ptr;
	if (s->vmask != t->full)
		return __builtin_ctz(~(unsigned)s->vmask);   /* the lowest invalid way */
	if (m->cfg.policy == TLB_PLRU && t->ways <= 8)
		return t->plru_vic[s->plru];
	return repl_victim_policy(m, t, set);
}
uint32_t repl_state(const struct mmu *m, const struct tlb *t, int set);

/* ---- fast.c */
void fast_flush_all(struct mmu *m);
/* Empty one fast entry, folding its hits into its owner's count. */
static inline void fast_clear_entry(struct mmu_fast_entry *fe, struct mmu *m)
{
	struct tlb_ent *o = fe->owner;
	if (o) {
		o->hits += fe->hits;
		if (o->large)
			m->n_fast_large--;
	}
	fe->tag = MMU_FAST_INVALID;
	fe->owner = NULL;
	fe->hits = 0;
}
/* Take e (valid) out of the fast tables, folding their hits into e->hits. */
void fast_drop_entry(struct mmu *m, struct tlb_ent *e);
/* Take a 4 KiB entry e (or an invalid one: then its fastmask is 0) out of
 * the fast tables, folding their hits into e->hits: a 4 KiB entry sits in
 * at most one slot of each table (the one its page indexes), so this is
 * one owner test per fastmask bit. Table k = write * 2 + user is
 * t[k >> 1][k & 1], the k-th of the four tables laid out one after the
 * other in t. */
static inline void fast_drop_ent_4k(struct mmu *m, struct tlb_ent *e)
{
	unsigned mask = e->fastmask;
	if (!mask)
		return;
	struct mmu_fast_entry *slot = (struct mmu_fast_entry *)(void *)m->fast.t +
				      (e->tag & (MMU_FAST_SIZE - 1));
	do {
		struct mmu_fast_entry *fe = slot + __builtin_ctz(mask) * MMU_FAST_SIZE;
		if (fe->owner == e) {
			/* fast_clear_entry for an owner known to be e, 4 KiB */
			e->hits += fe->hits;
			fe->tag = MMU_FAST_INVALID;
			fe->owner = NULL;
			fe->hits = 0;
		}
		mask &= mask - 1;
	} while (__builtin_expect(mask != 0, 0));   /* usually one table */
	e->fastmask = 0;
}
/* fast_drop_entry with the common case inline: a 4 MiB entry may sit
 * anywhere (fast.c scans), a 4 KiB one is fast_drop_ent_4k. */
static inline void fast_drop_ent(struct mmu *m, struct tlb_ent *e)
{
	if (e->fastmask && e->large) {
		fast_drop_entry(m, e);
		return;
	}
	fast_drop_ent_4k(m, e);
}
/* The fused hit's MRU change (hit.h): e, a 4 KiB entry (or invalid: then
 * its fastmask is 0), stops being its set's most recently used, so its
 * fast entries must stop matching; they are disarmed (fastpath.h,
 * MMU_FAST_DISARMED) and stay e's, with their pending hits (fastmask
 * unchanged), for a later fused hit to re-arm. */
static inline void fast_disarm_ent_4k(struct mmu *m, struct tlb_ent *e)
{
	unsigned mask = e->fastmask;
	if (!mask)
		return;
	struct mmu_fast_entry *slot = (struct mmu_fast_entry *)(void *)m->fast.t +
				      (e->tag & (MMU_FAST_SIZE - 1));
	do {
		struct mmu_fast_entry *fe = slot + __builtin_ctz(mask) * MMU_FAST_SIZE;
		if (fe->owner == e)
			fe->tag |= MMU_FAST_DISARMED;
		mask &= mask - 1;
	} while (__builtin_expect(mask != 0, 0));
}
/* Hits of e counted in fast entries and not yet folded into e->hits. */
uint64_t fast_pending_hits(const struct mmu *m, const struct tlb_ent *e);
void fast_drop_code_frame(struct mmu *m, uint32_t pfn);
/* Point the fast-table slot fe at the linear page lpage, backed by the RAM
 * frame ppage at host, for the TLB entry e (NULL: paging off), after
 * clearing what the slot held. The owner's fastmask and n_fast_large are
 * the caller's (fast_install adds a table to them, the refill sets them
 * for a fresh entry). */
static inline void fast_fill_slot(struct mmu *m, struct mmu_fast_entry *fe, uint32_t lpage,
				  uint32_t ppage, uint8_t *host, struct tlb_ent *e)
{
	if (fe->tag != MMU_FAST_INVALID)
		fast_clear_entry(fe, m);
	fe->tag = lpage;
	fe->ppage = ppage;
	fe->addend = (uintptr_t)host - (uintptr_t)lpage;
	fe->owner = e;
	fe->hits = 0;
}

/* Install the fast entry for a successful one-page access of lin (write:
 * the write table) through (t, set, way), or through no TLB entry (t NULL:
 * paging off), when fast.c's rules allow it. Inline: every fast-table miss
 * that hits the TLB comes here. */
static inline void fast_install(struct mmu *m, int write, int user, uint32_t lin, uint32_t paddr,
				struct tlb *t, int set, int way)
{
	if (!m->fast_on)
		return;
	struct tlb_ent *e = NULL;
	if (t) {
		e = tlb_at(t, set, way);
		if (!e->valid || (write && !e->d))
			return;
		if (repl_needs_mru(m) && t->s[set].mru != way)
			return;
	}
	uint32_t lpage = lin & ~(PAGE_SIZE - 1);
	struct mmu_fast_entry *fe = &m->fast.t[write][user != 0][(lin >> PAGE_SHIFT) & (MMU_FAST_SIZE - 1)];
	if (e && fe->tag == lpage && fe->owner == e)
		return;   /* already there */
	uint32_t ppage = (paddr & bus_hot(m->bus)->a20_mask) & ~(PAGE_SIZE - 1);
	/* Plain RAM (and for writes, not code) in one flag test. */
	uint8_t *host = bus_frame_ptr(m->bus, ppage >> PAGE_SHIFT,
				      write ? BUS_FR_NOTRAM | BUS_FR_CODE : BUS_FR_NOTRAM);
	if (!host)
		return;
	fast_fill_slot(m, fe, lpage, ppage, host, e);
	if (e) {
		e->fastmask |= (uint8_t)(1u << (write * 2 + (user != 0)));
		if (e->large)
			m->n_fast_large++;
	}
}

void fast_update_enable(struct mmu *m);
void hit_update(struct mmu *m);

/* ---- stale.c */
void stale_check(struct mmu *m, uint32_t lin, const struct tlb_ent *e);
void stale_free(struct mmu *m);

/* Every change of the flush generation goes through here, so that the
 * CPU (which caches its code page translation and runs decoded blocks
 * without re-checking the generation per instruction) hears of it. */
static inline void mmu_gen_bump(struct mmu *m)
{
	m->fast.gen++;
	if (m->fast.gen_notify)
		*m->fast.gen_notify = 1;
}

/* The code-fetch model (docs/mmu.md, "Code fetches and the generation"):
 * an entry that served an MMU_FETCH translation is marked with the current
 * generation; dropping an entry so marked changes the generation, since a
 * translation the CPU holds may rest on it. Marks of older generations are
 * dead: the CPU re-translated (or will) after that change. A stale mark
 * that matches after 2^32 changes only costs one needless change. */
static inline void ent_mark_fetch(struct mmu *m, struct tlb_ent *e)
{
	e->fetch_mark = (uint32_t)m->fast.gen;
}
static inline int ent_fetch_live(const struct mmu *m, const struct tlb_ent *e)
{
	return e->fetch_mark == (uint32_t)m->fast.gen;
}

#endif
