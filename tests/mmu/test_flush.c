/* test_flush.c - full TLB flushes (tlb.c's tlb_flush_all), and INVLPG
 * (tlb_invalidate_lin), with entries of
 * every kind in the TLBs: 4 KiB and 4 MiB, global or not, held in the fast
 * tables with hits counted there and not yet folded. After each flush,
 * against a snapshot taken just before it:
 *   - exactly the entries the rule drops are gone (all; or, for a CR3 write
 *     with CR4.PGE, all but the global ones), the others unchanged with
 *     their hit counts (pending fast hits included);
 *   - every set's hits, misses, fills and evictions are unchanged (hits of
 *     dropped entries retired into the set), one flush of the cause is
 *     counted in each TLB, the generation changed once, one flush event
 *     per TLB;
 *   - the bookkeeping agrees with the entries: nvalid, each set's vmask,
 *     the busy bitmap, nlarge, and no fast entry owned by a dropped entry
 *     (every fast entry's owner valid and its fastmask bit set). */
#include "helpers.h"
#include "fastpath.h"
#include "mmu_internal.h"

#define BASE   0x10000000u   /* 2 tables of 4 KiB pages */
#define TAB0   0x3000u
#define NPAGES 64
#define BIG    0x20000000u   /* 4 MiB pages, global or not */
#define FRAMES 0x100000u

static uint64_t rnd_state;
static uint32_t rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rnd_state >> 32);
}

static int flush_events, listening;
static void on_event(void *opaque, const struct mmu_event *ev)
{
	(void)opaque;
	if (ev->kind == MMU_EV_FLUSH)
		flush_events++;
}

struct snap {
	struct tlb_entry_view e[TLB_COUNT][64][16];
	struct tlb_set_stats s[TLB_COUNT][64];
	struct tlb_stats t[TLB_COUNT];
	uint64_t gen;
};

static void take(struct mmu *m, struct snap *sn)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_geom g = mmu_tlb_geom(m, id);
		cr_assert_leq(g.sets, 64);
		cr_assert_leq(g.ways, 16);
		for (int s = 0; s < g.sets; s++) {
			for (int w = 0; w < g.ways; w++)
				mmu_tlb_entry(m, id, s, w, &sn->e[id][s][w]);
			mmu_tlb_set_stats(m, id, s, &sn->s[id][s]);
		}
		mmu_tlb_stats(m, id, &sn->t[id]);
	}
	sn->gen = mmu_generation(m);
}

/* The internal bookkeeping agrees with the entries. */
static void consistent(struct mmu *m)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb *t = &m->tlb[id];
		int nvalid = 0, nlarge = 0;
		for (int s = 0; s < t->sets; s++) {
			unsigned vm = 0;
			for (int w = 0; w < t->ways; w++) {
				struct tlb_ent *e = tlb_at(t, s, w);
				if (e->valid) {
					vm |= 1u << w;
					nvalid++;
					nlarge += e->large && !t->large;
				} else {
					cr_assert_eq(e->fastmask, 0);
				}
			}
			cr_assert_eq(t->s[s].vmask, vm, "tlb %d set %d vmask", id, s);
			int busy = (t->busy[s >> 6] >> (s & 63)) & 1;
			cr_assert_eq(busy, vm != 0, "tlb %d set %d busy", id, s);
		}
		cr_assert_eq(t->nvalid, nvalid, "tlb %d nvalid", id);
		cr_assert_eq(t->nlarge, nlarge, "tlb %d nlarge", id);
	}
	int nfl = 0;
	for (int k = 0; k < 4; k++)
		for (uint32_t i = 0; i < MMU_FAST_SIZE; i++) {
			struct mmu_fast_entry *fe = &m->fast.t[k >> 1][k & 1][i];
			struct tlb_ent *o = fe->owner;
			if (!o)
				continue;
			cr_assert_neq(fe->tag, MMU_FAST_INVALID);
			cr_assert(o->valid, "fast entry %d/%u owned by a dropped entry", k, i);
			cr_assert(o->fastmask & (1u << k));
			nfl += o->large;
		}
	cr_assert_eq(m->n_fast_large, nfl);
}

static void check_flush(struct mmu *m, const struct snap *b, enum tlb_flush_cause cause,
			int keep_global, int events_before)
{
	struct snap *a = calloc(1, sizeof(*a));
	take(m, a);
	consistent(m);
	int ntlb = 0;
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_geom g = mmu_tlb_geom(m, id);
		if (!g.sets)
			continue;
		ntlb++;
		for (int s = 0; s < g.sets; s++) {
			for (int w = 0; w < g.ways; w++) {
				const struct tlb_entry_view *x = &b->e[id][s][w], *y = &a->e[id][s][w];
				if (x->valid && keep_global && x->g) {
					cr_assert(y->valid, "global entry kept");
					cr_assert_eq(y->lin_page, x->lin_page);
					cr_assert_eq(y->pfn, x->pfn);
					cr_assert_eq(y->hits, x->hits, "its hits (fast ones too)");
				} else {
					cr_assert(!y->valid, "tlb %d set %d way %d dropped", id, s, w);
				}
			}
			cr_assert_eq(a->s[id][s].hits, b->s[id][s].hits, "set hits retired, not lost");
			cr_assert_eq(a->s[id][s].misses, b->s[id][s].misses);
			cr_assert_eq(a->s[id][s].fills, b->s[id][s].fills);
			cr_assert_eq(a->s[id][s].evictions, b->s[id][s].evictions);
		}
		for (int c = 0; c < FLUSH_CAUSES; c++)
			cr_assert_eq(a->t[id].flushes[c], b->t[id].flushes[c] + (c == (int)cause));
		cr_assert_eq(a->t[id].hits, b->t[id].hits);
		cr_assert_eq(a->t[id].walks, b->t[id].walks);
	}
	cr_assert_eq(a->gen, b->gen + 1, "one generation change per flush");
	cr_assert_eq(flush_events, events_before + (listening ? ntlb : 0), "one flush event per TLB");
	free(a);
}

/* INVLPG of lin: exactly the entries translating lin are gone (its 4 KiB
 * entry, every large entry for its 4 MiB page, global or not), all else as
 * before, with every set's statistics unchanged and one INVLPG counted. */
static void check_invlpg(struct mmu *m, const struct snap *b, uint32_t lin)
{
	struct snap *a = calloc(1, sizeof(*a));
	take(m, a);
	consistent(m);
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_geom g = mmu_tlb_geom(m, id);
		for (int s = 0; s < g.sets; s++) {
			for (int w = 0; w < g.ways; w++) {
				const struct tlb_entry_view *x = &b->e[id][s][w], *y = &a->e[id][s][w];
				int match = x->valid && x->lin_page == (x->large ? lin >> 22 : lin >> 12);
				cr_assert_eq(y->valid, x->valid && !match, "tlb %d set %d way %d", id, s, w);
				if (y->valid)
					cr_assert_eq(y->hits, x->hits);
			}
			cr_assert_eq(a->s[id][s].hits, b->s[id][s].hits, "set hits retired, not lost");
			cr_assert_eq(a->s[id][s].misses, b->s[id][s].misses);
		}
		if (g.sets)
			cr_assert_eq(a->t[id].flushes[FLUSH_INVLPG], b->t[id].flushes[FLUSH_INVLPG] + 1);
	}
	free(a);
}

static void run(struct mmu_config c, uint32_t seed, int with_listener)
{
	struct env e = env_new_cfg(&c, CR0_WP);
	flush_events = 0;
	listening = with_listener;
	if (with_listener)
		mmu_set_listener(e.m, 1u << MMU_EV_FLUSH, on_event, NULL);
	mmu_set_cr4(e.m, CR4_PSE | CR4_PGE);
	rnd_state = seed;
	for (int t = 0; t < 2; t++)
		for (uint32_t k = 0; k < NPAGES; k++) {
			uint32_t lin = BASE + t * 0x400000u + k * 0x1000u;
			uint32_t fl = P | W | U | ((rnd() & 3) == 0 ? G : 0) | (rnd() & 1 ? A | D : 0);
			map4k(e.b, lin, TAB0 + t * 0x1000u, P | W | U | A, FRAMES + (k + t * NPAGES) * 0x1000u, fl);
		}
	wr32(e.b, pde_addr(BIG), 0x400000u | PS | P | W | U | G);
	wr32(e.b, pde_addr(BIG + 0x400000u), 0x800000u | PS | P | W | U);
	int checked = 0, kept = 0;
	for (int i = 0; i < 4000; i++) {
		uint32_t r = rnd();
		uint32_t lin;
		if (r % 8 == 0)
			lin = BIG + (r >> 8) % 0x800000u;
		else
			lin = BASE + ((r >> 3) % 2) * 0x400000u + ((r >> 8) % NPAGES) * 0x1000u + (r >> 20) % 0x1000u;
		lin &= ~3u;
		uint32_t v;
		int user = (r >> 4) & 1;
		switch ((r >> 5) % 8) {
		case 0: case 1: case 2:
			(void)mmu_read_fast(e.m, lin, 4, user, &v);
			break;
		case 3: case 4:
			(void)mmu_write_fast(e.m, lin, 4, user, r);
			break;
		case 5:
			(void)mmu_translate(e.m, lin, MMU_FETCH, user, &v);
			break;
		default:
			if (i % 7 != 0)
				break;
			struct snap *b = calloc(1, sizeof(*b));
			take(e.m, b);
			int before = flush_events;
			int kind = (r >> 9) % 4;
			if (kind == 3) {
				mmu_invlpg(e.m, lin);
				check_invlpg(e.m, b, lin);
			} else if (kind == 0) {
				mmu_set_cr3(e.m, PGDIR);
				check_flush(e.m, b, FLUSH_CR3, 1, before);
				for (int id = 0; id < TLB_COUNT; id++)
					kept += e.m->tlb[id].nvalid;
			} else if (kind == 1) {
				mmu_flush(e.m, FLUSH_CR3);   /* as CR3 with PGE off */
				check_flush(e.m, b, FLUSH_CR3, 0, before);
			} else {
				mmu_set_cr0(e.m, CR0_PE | CR0_PG);
				mmu_set_cr0(e.m, CR0_PE | CR0_PG | CR0_WP);
				/* two flushes (no global entry kept): all gone */
				for (int id = 0; id < TLB_COUNT; id++)
					cr_assert_eq(e.m->tlb[id].nvalid, 0);
				consistent(e.m);
			}
			free(b);
			checked++;
		}
		consistent(e.m);
	}
	cr_assert_gt(checked, 50);
	if (c.has_pge)
		cr_assert_gt(kept, 20, "some flushes kept global entries");
	env_free(&e);
}

Test(flush, exact_p6) { run(model_config(MP6), 1, 0); }
Test(flush, exact_p6_with_flush_listener) { run(model_config(MP6), 2, 1); }
/* 4 MiB pages held as large entries in the 4 KiB TLBs (nlarge) */
Test(flush, exact_p6_no_large_tlb)
{
	struct mmu_config c = model_config(MP6);
	c.dtlb_large = c.itlb_large = (struct tlb_geom){ 0, 0 };
	run(c, 3, 0);
}
Test(flush, exact_486_lru) { struct mmu_config c = model_config(M486); c.policy = TLB_LRU; run(c, 4, 0); }
