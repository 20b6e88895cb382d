/* mmu.c - the paging unit: control registers, flush rules, the lookup
 * model, and linear-memory accesses.
 *
 * Lookup model (docs/mmu.md): every data access (and every call of
 * mmu_translate) looks the TLB of its side up; the CPU fetches code by
 * calling mmu_translate(MMU_FETCH) once per new code page and keeps that
 * translation until mmu_generation() changes, which happens on flushes and
 * when an entry that served a fetch is dropped (mmu_internal.h,
 * ent_mark_fetch; docs/mmu.md "Code fetches and the generation").
 *
 * A TLB hit is checked against the cached U/W bits. A protection failure
 * faults from the cached entry (the hardware does not re-walk) and, as on
 * Intel processors, the fault invalidates the entries for that address. A
 * write through an entry whose D bit is clear walks again (setting D in
 * memory) and refreshes the entry in place.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mmu_internal.h"
#include "refill.h"
#include "hit.h"

_Static_assert(offsetof(struct mmu, fast) == 0, "fastpath.h needs the fast tables first");

static const struct mmu_config default_config = {
	.split = 0,
	.dtlb = { 8, 4 },
	.policy = TLB_PLRU,
	.random_seed = 1,
	.has_wp = 1,
	.has_invlpg = 1,
	.tr_model = 486,
	.fast_path = 1,
};

static int pow2(int x)
{
	return x > 0 && (x & (x - 1)) == 0;
}

static int geom_ok(struct tlb_geom g, enum tlb_policy p)
{
	if (!pow2(g.sets) || g.ways < 1 || g.ways > TLB_MAX_WAYS)
		return 0;
	return p != TLB_PLRU || pow2(g.ways);
}

/* The bus tells us when host pointers in the fast path may have gone
 * wrong, and when the A20 gate moved (a flush cause of its own). */
static void bus_changed(void *opaque, enum bus_change what, uint32_t pfn)
{
	struct mmu *m = opaque;
	m->pd_host = NULL;   /* the directory's frame may have changed meaning */
	switch (what) {
	case BUS_CHANGE_A20:
		tlb_flush_all(m, FLUSH_A20, 0);
		fast_flush_all(m);
		break;
	case BUS_CHANGE_CODE:
		fast_drop_code_frame(m, pfn);
		break;
	case BUS_CHANGE_MAP:
		fast_flush_all(m);
		break;
	}
}

/* Allocate one TLB (nothing for sets == 0, an absent TLB). */
static int tlb_alloc(struct tlb *t, struct tlb_geom g, int large)
{
	t->sets = g.sets;
	t->ways = g.ways;
	t->large = large;
	t->nlarge = 0;
	t->nvalid = 0;
	t->full = (uint16_t)((1u << g.ways) - 1);
	t->shift = large ? 22 : 12;
	t->set_mask = g.sets ? (uint32_t)g.sets - 1 : 0;
	if (!g.sets)
		return 0;
	repl_init_tlb(t);
	t->e = calloc((size_t)g.sets * (size_t)g.ways, sizeof(*t->e));
	t->s = calloc((size_t)g.sets, sizeof(*t->s));
	t->busy = calloc(((size_t)g.sets + 63) / 64, sizeof(*t->busy));
	return t->e && t->s && t->busy ? 0 : -1;
}

/* A missing or impossible geometry is replaced rather than refused, so a
 * half-filled config still gives a working MMU; --tlb validation happens in
 * mmu_config_parse_tlb. */
struct mmu *mmu_create(struct bus *bus, const struct mmu_config *cfg)
{
	if (!bus)
		return NULL;
	if (!cfg)
		cfg = &default_config;
	struct mmu *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->bus = bus;
	m->cfg = *cfg;
	struct mmu_config *c = &m->cfg;

	/* The geometry: a missing or impossible one becomes the 486's 8x4. */
	if (!geom_ok(c->dtlb, c->policy))
		c->dtlb = (struct tlb_geom){ 8, 4 };
	if (c->split && !geom_ok(c->itlb, c->policy))
		c->itlb = c->dtlb;
	struct tlb_geom none = { 0, 0 };
	struct tlb_geom i4k = c->split ? c->itlb : none;
	struct tlb_geom d4m = c->has_pse && geom_ok(c->dtlb_large, c->policy) ? c->dtlb_large : none;
	struct tlb_geom i4m = c->split && c->has_pse && geom_ok(c->itlb_large, c->policy)
				      ? c->itlb_large : none;
	if (tlb_alloc(&m->tlb[TLB_D4K], c->dtlb, 0) || tlb_alloc(&m->tlb[TLB_I4K], i4k, 0) ||
	    tlb_alloc(&m->tlb[TLB_D4M], d4m, 1) || tlb_alloc(&m->tlb[TLB_I4M], i4m, 1) ||
	    bus_add_listener(bus, bus_changed, m)) {
		mmu_destroy(m);
		return NULL;
	}
	fast_flush_all(m);   /* make the calloc'ed fast tables empty */
	mmu_reset(m);
	return m;
}

void mmu_destroy(struct mmu *m)
{
	if (!m)
		return;
	bus_remove_listener(m->bus, m);
	for (int id = 0; id < TLB_COUNT; id++) {
		free(m->tlb[id].e);
		free(m->tlb[id].s);
		free(m->tlb[id].busy);
	}
	stale_free(m);
	free(m);
}

/* Power-on state. Statistics are cumulative and survive a reset (which
 * counts as a FLUSH_RESET). */
void mmu_reset(struct mmu *m)
{
	m->cr0 = m->cr3 = m->cr4 = 0;
	m->pd_host = NULL;
	tlb_clear_all(m);   /* keeps the entries' hits in the statistics */
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb *t = &m->tlb[id];
		for (int s = 0; s < t->sets; s++)
			repl_init_set(m, t, &t->s[s]);
	}
	m->fill_ptr386 = 0;
	m->rng = m->cfg.random_seed ? m->cfg.random_seed : 0x2545F491u;
	m->tr6 = m->tr7 = 0;
	m->fault = (struct mmu_fault){ 0 };
	fast_flush_all(m);
	fast_update_enable(m);
	for (int id = 0; id < TLB_COUNT; id++)
		if (m->tlb[id].sets)
			m->tlb[id].flushes[FLUSH_RESET]++;
	mmu_gen_bump(m);
}

const struct mmu_config *mmu_config(const struct mmu *m)
{
	return &m->cfg;
}

void mmu_set_cr0(struct mmu *m, uint32_t cr0)
{
	uint32_t changed = (m->cr0 ^ cr0) & (CR0_PG | CR0_WP | CR0_PE);
	m->cr0 = cr0;
	hit_update(m);
	if (changed) {
		tlb_flush_all(m, FLUSH_CR0, 0);
		/* Paging-off fast entries are identity maps: gone too. */
		fast_flush_all(m);
	}
}

void mmu_set_cr3(struct mmu *m, uint32_t cr3)
{
	m->cr3 = cr3;
	m->pd_host = NULL;
	tlb_flush_all(m, FLUSH_CR3, m->cfg.has_pge && (m->cr4 & CR4_PGE));
}

void mmu_set_cr4(struct mmu *m, uint32_t cr4)
{
	uint32_t changed = (m->cr4 ^ cr4) & (CR4_PSE | CR4_PGE | CR4_PAE);
	m->cr4 = cr4;
	if (changed)
		tlb_flush_all(m, FLUSH_CR4, 0);
}

void mmu_invlpg(struct mmu *m, uint32_t lin)
{
	tlb_invalidate_lin(m, lin, 1);
}

void mmu_flush(struct mmu *m, enum tlb_flush_cause cause)
{
	if ((unsigned)cause >= FLUSH_CAUSES)
		cause = FLUSH_RESET;
	tlb_flush_all(m, cause, 0);
}

uint64_t mmu_generation(const struct mmu *m)
{
	return m->fast.gen;
}

void mmu_set_gen_notify(struct mmu *m, int *flag)
{
	m->fast.gen_notify = flag;
}

const struct mmu_fault *mmu_fault(const struct mmu *m)
{
	return &m->fault;
}

/* Record a #PF for the CPU and apply the SDM rule that a page fault
 * invalidates the TLB entries for its linear address. */
static inline __attribute__((always_inline)) int
pf_raise(struct mmu *m, uint32_t lin, uint32_t ec, const int iside_only)
{
	m->fault.lin = lin;
	m->fault.error_code = ec;
	/* A page fault invalidates what the TLBs hold for the address. */
	if (iside_only)
		tlb_invalidate_lin_iside(m, lin);
	else
		tlb_invalidate_lin(m, lin, 0);
	if (mmu_wants(m, MMU_EV_FAULT))
		mmu_emit(m, MMU_EV_FAULT, TLB_COUNT, -1, -1, lin, 0, ec, FLUSH_CAUSES);
	return MMU_PF;
}

static int raise_pf(struct mmu *m, uint32_t lin, uint32_t ec)
{
	return pf_raise(m, lin, ec, 0);
}

/* raise_pf for a data access whose lookup (the fused hit's) found that
 * neither TLB of the data side holds lin, the 4 KiB one without large
 * entries, and that changed nothing since: the invalidation has nothing
 * to drop there, so only the instruction side is looked at. */
static __attribute__((noinline, cold)) int raise_pf_data_missed(struct mmu *m, uint32_t lin,
							     uint32_t ec)
{
	return pf_raise(m, lin, ec, 1);
}

static inline uint32_t ent_paddr(const struct tlb_ent *e, uint32_t lin)
{
	return e->large ? (e->pfn << 12) + (lin & 0x3FFFFFu) : (e->pfn << 12) | (lin & 0xFFFu);
}

/* The miss path: walk, then fill. `pref` (or NULL) is the entry whose D bit
 * was clear: its miss is already counted and it is refreshed in place. */
static int miss(struct mmu *m, uint32_t lin, enum mmu_access acc, int user, uint32_t *paddr,
		struct tlb *t4, struct tlb *tl, const struct xl_src *pref, struct xl_src *src)
{
	struct walk_res r;
	int rc = pg_walk(m, lin, acc, user, 1, &r);
	struct tlb *t = (!rc && r.large && tl->sets) ? tl : t4;
	int set = tlb_index(t, lin);
	t->walks++;
	t->ad_writes += r.ad_writes;
	if (!pref) {
		t->s[set].misses++;
		if (mmu_wants(m, MMU_EV_MISS))
			mmu_emit(m, MMU_EV_MISS, (int)(t - m->tlb), set, -1, lin, 0, 0, FLUSH_CAUSES);
	}
	if (mmu_wants(m, MMU_EV_WALK))
		mmu_emit(m, MMU_EV_WALK, (int)(t - m->tlb), set, -1, lin, rc ? 0 : r.paddr,
			 rc ? r.error_code : 0, FLUSH_CAUSES);
	if (rc)
		return raise_pf(m, lin, r.error_code);

	int way;
	if (pref && pref->t == t && pref->set == set) {
		way = pref->way;
	} else {
		if (pref)
			tlb_drop(m, pref->t, pref->set, pref->way);
		way = repl_victim(m, t, set);
		struct tlb_ent *v = tlb_at(t, set, way);
		if (v->valid) {
			t->s[set].evictions++;
			if (mmu_wants(m, MMU_EV_EVICT))
				mmu_emit(m, MMU_EV_EVICT, (int)(t - m->tlb), set, way,
					 v->large ? v->tag << 22 : v->tag << 12, v->pfn << 12, 0,
					 FLUSH_CAUSES);
		}
	}
	tlb_fill_at(m, t, set, way, lin, &r);
	if (acc == MMU_FETCH)
		ent_mark_fetch(m, tlb_at(t, set, way));
	if (mmu_wants(m, MMU_EV_FILL))
		mmu_emit(m, MMU_EV_FILL, (int)(t - m->tlb), set, way, lin, r.paddr, 0, FLUSH_CAUSES);
	*paddr = r.paddr;
	src->t = t;
	src->set = set;
	src->way = way;
	return 0;
}

/* Translate lin for acc at privilege user with full TLB behaviour. inst:
 * the access is within one page and may install a fast entry in table
 * inst (0 read, 1 write), or -1; only the fused refill uses it (it sets
 * src->host when it has done the install). missed (a constant): paging is
 * on and the fused hit (hit.h) has found that neither TLB of the data side
 * holds lin, so the miss path starts at once (and the 4 KiB TLB holds no
 * large entries: the fused hit declines when it does). */
static inline __attribute__((always_inline)) int
xlate_inline(struct mmu *m, uint32_t lin, enum mmu_access acc, int user, int inst,
	     uint32_t *paddr, struct xl_src *src, const int missed)
{
	src->t = NULL;
	src->host = NULL;
	if (!missed && !(m->cr0 & CR0_PG)) {
		*paddr = lin;
		return 0;
	}
	int iside = m->cfg.split && acc == MMU_FETCH;
	struct tlb *t4 = &m->tlb[iside ? TLB_I4K : TLB_D4K];
	struct tlb *tl = &m->tlb[iside ? TLB_I4M : TLB_D4M];

	struct tlb *t = t4;
	int set4 = tlb_index_sh(t4, lin, 12);
	int set = set4;
	int way = -1;
	if (!missed) {
		way = tlb_probe(t4, set, lin, 12);
		if (way < 0 && tl->nvalid) {   /* (an empty TLB cannot hit) */
			t = tl;
			set = tlb_index_sh(tl, lin, 22);
			way = tlb_probe(tl, set, lin, 22);
		}
	}
	if (way < 0) {
		/* Listeners of the miss path's events get the general path,
		 * which emits them; the fused one emits nothing. */
		if (!(m->ev_mask & REFILL_GENERAL_EVENTS)) {
			int rc = tlb_refill(m, lin, acc, user, inst, t4, set4,
					    tlb_set_ents(t4, set4), tl, paddr, src, missed);
			if (rc == REFILL_FAULT)   /* (the error code in *paddr) */
				return missed ? raise_pf_data_missed(m, lin, *paddr) :
						raise_pf(m, lin, *paddr);
			if (rc != REFILL_DECLINED)
				return rc;
		}
		return miss(m, lin, acc, user, paddr, t4, tl, NULL, src);
	}

	struct tlb_ent *e = tlb_at(t, set, way);
	if (m->stale_fn)
		stale_check(m, lin, e);
	if (!pg_allowed(m, e->u, e->w, acc, user)) {
		e->hits++;
		if (mmu_wants(m, MMU_EV_HIT))
			mmu_emit(m, MMU_EV_HIT, (int)(t - m->tlb), set, way, lin, ent_paddr(e, lin),
				 0, FLUSH_CAUSES);
		return raise_pf(m, lin, PFEC_P | (acc == MMU_WRITE ? PFEC_W : 0) |
					       (user ? PFEC_U : 0));
	}
	if (acc == MMU_WRITE && !e->d) {
		/* The entry cannot take the write: walk again to set D. */
		t->s[set].misses++;
		if (mmu_wants(m, MMU_EV_MISS))
			mmu_emit(m, MMU_EV_MISS, (int)(t - m->tlb), set, way, lin, 0, 0, FLUSH_CAUSES);
		struct xl_src pref = { t, set, way, NULL };
		return miss(m, lin, acc, user, paddr, t4, tl, &pref, src);
	}
	e->hits++;
	repl_use(m, t, set, way, 0);
	if (mmu_wants(m, MMU_EV_HIT))
		mmu_emit(m, MMU_EV_HIT, (int)(t - m->tlb), set, way, lin, ent_paddr(e, lin), 0,
			 FLUSH_CAUSES);
	if (acc == MMU_FETCH)
		ent_mark_fetch(m, e);
	*paddr = ent_paddr(e, lin);
	src->t = t;
	src->set = set;
	src->way = way;
	return 0;
}

/* xlate_inline out of line, for the paths that are not per-access hot
 * (code translations, straddling accesses). */
static int xlate(struct mmu *m, uint32_t lin, enum mmu_access acc, int user, int inst,
		 uint32_t *paddr, struct xl_src *src)
{
	return xlate_inline(m, lin, acc, user, inst, paddr, src, 0);
}

/* The address handed back is final: A20 applied, so that it names the same
 * frame the bus and the smc hook use. */
int mmu_translate(struct mmu *m, uint32_t lin, enum mmu_access acc, int user, uint32_t *paddr)
{
	struct xl_src src;
	uint32_t pa = 0;
	int rc = xlate(m, lin, acc, user, -1, &pa, &src);
	if (!rc)
		*paddr = pa & bus_hot(m->bus)->a20_mask;
	return rc;
}

/* Sizes 1 and 2 stay, any other becomes 4 (4 tested first: the CPU's
 * commonest). */
static inline int fix_size(int size)
{
	if (__builtin_expect(size == 4, 1))
		return 4;
	return size == 1 || size == 2 ? size : 4;
}

/* Translate [lin, lin+len) (len <= 8) for acc: both pages, first page
 * first, before anything is accessed. pa[1] is the second page's address. */
static inline __attribute__((always_inline)) int xlate_range(struct mmu *m, uint32_t lin, uint32_t len, enum mmu_access acc, int user,
		       uint32_t pa[2], uint32_t *n1, struct xl_src *src)
{
	int rc = xlate(m, lin, acc, user, -1, &pa[0], src);
	if (rc)
		return rc;
	uint32_t off = lin & (PAGE_SIZE - 1);
	if (off + len <= PAGE_SIZE) {
		*n1 = len;
		return 0;
	}
	*n1 = PAGE_SIZE - off;
	struct xl_src src2;
	rc = xlate(m, lin + *n1, acc, user, -1, &pa[1], &src2);
	src->t = NULL;   /* straddling accesses do not go in the fast path */
	return rc;
}

/* An access within one page: translate (inst: the fast table it may
 * install in), then plain RAM in place (what bus_read/bus_write do for it;
 * the A20 mask cannot split a page) and the fast entry, unless the fused
 * refill has done both already (src.host). */
static inline __attribute__((always_inline)) int read_page(struct mmu *m, uint32_t lin, int size,
							    int user, enum mmu_access acc,
							    uint32_t *val, const int missed)
{
	uint32_t pa = 0;   /* set whenever xlate_inline succeeds; GCC -O2 cannot see it */
	struct xl_src src;
	int inst = acc == MMU_WRITE;
	int rc = xlate_inline(m, lin, acc, user, inst, &pa, &src, missed);
	if (rc)
		return rc;
	if (src.host) {
		*val = mmu_host_load(src.host + (lin & (PAGE_SIZE - 1)), size);
		return 0;
	}
	uint32_t a = pa & bus_hot(m->bus)->a20_mask;
	const uint8_t *host = bus_frame_ptr(m->bus, a >> PAGE_SHIFT, BUS_FR_NOTRAM);
	if (host)
		*val = mmu_host_load(host + (a & (PAGE_SIZE - 1)), size);
	else
		*val = bus_read(m->bus, pa, size);
	if (src.t || !(m->cr0 & CR0_PG))
		fast_install(m, inst, user, lin, pa, src.t, src.set, src.way);
	return 0;
}

/* mmu_read / mmu_read_rmw after the fused hit has declined: acc is
 * MMU_READ or (for the read half of a read-modify-write) MMU_WRITE. Only
 * a successful access within one page may install a fast-path entry.
 * Inline in both, so that each has its acc as a constant. */
static inline __attribute__((always_inline)) int
do_read(struct mmu *m, uint32_t lin, int size, int user, enum mmu_access acc, uint32_t *val)
{
	size = fix_size(size);
	/* (user as a constant in each copy: the permission tests and the
	 * fast table's address fold) */
	if ((lin & (PAGE_SIZE - 1)) <= PAGE_SIZE - (uint32_t)size)
		return user ? read_page(m, lin, size, 1, acc, val, 0) :
			      read_page(m, lin, size, 0, acc, val, 0);
	uint32_t pa[2], n1;
	struct xl_src src;
	int rc = xlate_range(m, lin, (uint32_t)size, acc, user, pa, &n1, &src);
	if (rc)
		return rc;
	uint32_t v = 0;
	for (uint32_t i = 0; i < (uint32_t)size; i++) {
		uint32_t a = i < n1 ? pa[0] + i : pa[1] + (i - n1);
		v |= bus_read(m->bus, a, 1) << (8 * i);
	}
	*val = v;
	return 0;
}

static __attribute__((noinline)) int read_general(struct mmu *m, uint32_t lin, int size, int user,
						  uint32_t *val)
{
	return do_read(m, lin, size, user, MMU_READ, val);
}

static __attribute__((noinline)) int rmw_general(struct mmu *m, uint32_t lin, int size, int user,
						 uint32_t *val)
{
	return do_read(m, lin, size, user, MMU_WRITE, val);
}

/* The rest of a one-page access that missed both TLBs of the data side
 * (the fused hit looked): the miss path without a second lookup. */
static __attribute__((noinline)) int read_missed(struct mmu *m, uint32_t lin, int size, int user,
						 uint32_t *val)
{
	return user ? read_page(m, lin, size, 1, MMU_READ, val, 1) :
		      read_page(m, lin, size, 0, MMU_READ, val, 1);
}

static __attribute__((noinline)) int rmw_missed(struct mmu *m, uint32_t lin, int size, int user,
						uint32_t *val)
{
	return user ? read_page(m, lin, size, 1, MMU_WRITE, val, 1) :
		      read_page(m, lin, size, 0, MMU_WRITE, val, 1);
}

/* Sizes the fused hit takes (any other is widened or split by the
 * general path), within one page. */
static inline int hit_size_ok(uint32_t lin, int size)
{
	return (size == 4 || size == 1 || size == 2) &&
	       (lin & (PAGE_SIZE - 1)) + (uint32_t)size <= PAGE_SIZE;
}

/* The fused hit (hit.h) for what tlb_hit_probe found, and the access;
 * the general path if it declines. */
static __attribute__((noinline)) int read_hit(struct mmu *m, uint32_t lin, int size, int user,
					      uint32_t *val, int r)
{
	uint8_t *host;
	if ((user ? tlb_hit_at(m, lin, 1, 0, r, &host) : tlb_hit_at(m, lin, 0, 0, r, &host)) == HIT_DONE) {
		*val = mmu_host_load(host, size);
		return 0;
	}
	return read_general(m, lin, size, user, val);
}

static __attribute__((noinline)) int rmw_hit(struct mmu *m, uint32_t lin, int size, int user,
					     uint32_t *val, int r)
{
	uint8_t *host;
	if ((user ? tlb_hit_at(m, lin, 1, 1, r, &host) : tlb_hit_at(m, lin, 0, 1, r, &host)) == HIT_DONE) {
		*val = mmu_host_load(host, size);
		return 0;
	}
	return rmw_general(m, lin, size, user, val);
}

/* The 4 MiB TLB's part of the fused hit's lookup (tlb_hit_probe_large),
 * then the fused hit or the miss path. */
static __attribute__((noinline)) int read_large(struct mmu *m, uint32_t lin, int size, int user,
						uint32_t *val)
{
	int r = tlb_hit_probe_large(m, lin);
	return r >= 0 ? read_hit(m, lin, size, user, val, r) : read_missed(m, lin, size, user, val);
}

static __attribute__((noinline)) int rmw_large(struct mmu *m, uint32_t lin, int size, int user,
					       uint32_t *val)
{
	int r = tlb_hit_probe_large(m, lin);
	return r >= 0 ? rmw_hit(m, lin, size, user, val, r) : rmw_missed(m, lin, size, user, val);
}

/* mmu_read and mmu_read_rmw: the lookup of the fused hit (hit.h) first;
 * then the fused hit, the miss path when no entry holds lin, or the
 * general path. */
int mmu_read(struct mmu *m, uint32_t lin, int size, int user, uint32_t *val)
{
	if (__builtin_expect(hit_size_ok(lin, size), 1)) {
		int r = tlb_hit_probe(m, lin);
		if (__builtin_expect(r >= 0, 1))
			return read_hit(m, lin, size, user, val, r);
		if (r == -HIT_MISSED)
			return read_missed(m, lin, size, user, val);
		if (r == -HIT_LARGE)
			return read_large(m, lin, size, user, val);
	}
	return read_general(m, lin, size, user, val);
}

int mmu_read_rmw(struct mmu *m, uint32_t lin, int size, int user, uint32_t *val)
{
	if (__builtin_expect(hit_size_ok(lin, size), 1)) {
		int r = tlb_hit_probe(m, lin);
		if (__builtin_expect(r >= 0, 1))
			return rmw_hit(m, lin, size, user, val, r);
		if (r == -HIT_MISSED)
			return rmw_missed(m, lin, size, user, val);
		if (r == -HIT_LARGE)
			return rmw_large(m, lin, size, user, val);
	}
	return rmw_general(m, lin, size, user, val);
}

/* mmu_write's access within one page, as read_page. */
static inline __attribute__((always_inline)) int write_page(struct mmu *m, uint32_t lin, int size,
							     int user, uint32_t val, const int missed)
{
	uint32_t pa = 0;   /* as in read_page */
	struct xl_src src;
	int rc = xlate_inline(m, lin, MMU_WRITE, user, 1, &pa, &src, missed);
	if (rc)
		return rc;
	if (src.host) {
		mmu_host_store(src.host + (lin & (PAGE_SIZE - 1)), size, val);
		return 0;
	}
	/* Plain RAM not holding code is written in place (what bus_write
	 * does for it, with no smc hook to call). */
	uint32_t a = pa & bus_hot(m->bus)->a20_mask;
	uint8_t *host = bus_frame_ptr(m->bus, a >> PAGE_SHIFT, BUS_FR_NOTRAM | BUS_FR_CODE);
	if (host)
		mmu_host_store(host + (a & (PAGE_SIZE - 1)), size, val);
	else
		bus_write(m->bus, pa, size, val);
	if (src.t || !(m->cr0 & CR0_PG))
		fast_install(m, 1, user, lin, pa, src.t, src.set, src.way);
	return 0;
}

static __attribute__((noinline)) int write_missed(struct mmu *m, uint32_t lin, int size, int user,
						  uint32_t val)
{
	return user ? write_page(m, lin, size, 1, val, 1) : write_page(m, lin, size, 0, val, 1);
}

static __attribute__((noinline)) int write_general(struct mmu *m, uint32_t lin, int size, int user,
						   uint32_t val);

static __attribute__((noinline)) int write_hit(struct mmu *m, uint32_t lin, int size, int user,
					       uint32_t val, int r)
{
	uint8_t *host;
	if ((user ? tlb_hit_at(m, lin, 1, 1, r, &host) : tlb_hit_at(m, lin, 0, 1, r, &host)) == HIT_DONE) {
		mmu_host_store(host, size, val);
		return 0;
	}
	return write_general(m, lin, size, user, val);
}

static __attribute__((noinline)) int write_large(struct mmu *m, uint32_t lin, int size, int user,
						 uint32_t val)
{
	int r = tlb_hit_probe_large(m, lin);
	return r >= 0 ? write_hit(m, lin, size, user, val, r) : write_missed(m, lin, size, user, val);
}

/* As mmu_read, with the fused hit inline (write_hit's body): it saves a
 * call and a second computation of the set on every hit. mmu_read keeps
 * its fused hit out of line because there the larger function's register
 * saves would weigh on the miss path (callgrind: +1 host instruction per
 * guest instruction on the tlb workload, whose every access misses). */
int mmu_write(struct mmu *m, uint32_t lin, int size, int user, uint32_t val)
{
	if (__builtin_expect(hit_size_ok(lin, size), 1)) {
		int r = tlb_hit_probe(m, lin);
		if (__builtin_expect(r >= 0, 1)) {
			uint8_t *host;
			if ((user ? tlb_hit_at(m, lin, 1, 1, r, &host) : tlb_hit_at(m, lin, 0, 1, r, &host)) == HIT_DONE) {
				mmu_host_store(host, size, val);
				return 0;
			}
			return write_general(m, lin, size, user, val);
		}
		if (r == -HIT_MISSED)
			return write_missed(m, lin, size, user, val);
		if (r == -HIT_LARGE)
			return write_large(m, lin, size, user, val);
	}
	return write_general(m, lin, size, user, val);
}

static __attribute__((noinline)) int write_general(struct mmu *m, uint32_t lin, int size, int user,
						   uint32_t val)
{
	size = fix_size(size);
	if ((lin & (PAGE_SIZE - 1)) <= PAGE_SIZE - (uint32_t)size)
		return user ? write_page(m, lin, size, 1, val, 0) : write_page(m, lin, size, 0, val, 0);
	uint32_t pa[2], n1;
	struct xl_src src;
	int rc = xlate_range(m, lin, (uint32_t)size, MMU_WRITE, user, pa, &n1, &src);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < (uint32_t)size; i++) {
		uint32_t a = i < n1 ? pa[0] + i : pa[1] + (i - n1);
		bus_write(m->bus, a, 1, (val >> (8 * i)) & 0xFF);
	}
	return 0;
}

int mmu_read64(struct mmu *m, uint32_t lin, int user, uint64_t *val)
{
	uint32_t pa[2], n1;
	struct xl_src src;
	int rc = xlate_range(m, lin, 8, MMU_READ, user, pa, &n1, &src);
	if (rc)
		return rc;
	uint64_t v = 0;
	if (n1 == 8) {
		v = bus_read(m->bus, pa[0], 4) | (uint64_t)bus_read(m->bus, pa[0] + 4, 4) << 32;
	} else {
		for (uint32_t i = 0; i < 8; i++) {
			uint32_t a = i < n1 ? pa[0] + i : pa[1] + (i - n1);
			v |= (uint64_t)bus_read(m->bus, a, 1) << (8 * i);
		}
	}
	*val = v;
	return 0;
}

/* ---- inspection */

struct tlb_geom mmu_tlb_geom(const struct mmu *m, enum tlb_id t)
{
	struct tlb_geom g = { 0, 0 };
	if ((unsigned)t < TLB_COUNT && m->tlb[t].sets) {
		g.sets = m->tlb[t].sets;
		g.ways = m->tlb[t].ways;
	}
	return g;
}

void mmu_tlb_entry(const struct mmu *m, enum tlb_id id, int set, int way,
		   struct tlb_entry_view *out)
{
	*out = (struct tlb_entry_view){ 0 };
	if ((unsigned)id >= TLB_COUNT)
		return;
	const struct tlb *t = &m->tlb[id];
	if (set < 0 || set >= t->sets || way < 0 || way >= t->ways)
		return;
	const struct tlb_ent *e = &t->e[set * t->ways + way];
	out->valid = e->valid;
	out->lin_page = e->tag;
	out->pfn = e->pfn;
	out->d = e->d;
	out->u = e->u;
	out->w = e->w;
	out->g = e->g;
	out->large = e->large;
	out->hits = e->valid ? e->hits + fast_pending_hits(m, e) : e->hits;
}

uint32_t mmu_tlb_repl_state(const struct mmu *m, enum tlb_id id, int set)
{
	if ((unsigned)id >= TLB_COUNT || set < 0 || set >= m->tlb[id].sets)
		return 0;
	return repl_state(m, &m->tlb[id], set);
}

void mmu_tlb_set_stats(const struct mmu *m, enum tlb_id id, int set, struct tlb_set_stats *out)
{
	*out = (struct tlb_set_stats){ 0 };
	if ((unsigned)id >= TLB_COUNT || set < 0 || set >= m->tlb[id].sets)
		return;
	const struct tlb *t = &m->tlb[id];
	const struct tlb_set *s = &t->s[set];
	out->hits = s->retired_hits;
	for (int w = 0; w < t->ways; w++) {
		const struct tlb_ent *e = &t->e[set * t->ways + w];
		out->hits += e->hits;
		if (e->valid)
			out->hits += fast_pending_hits(m, e);
	}
	out->misses = s->misses;
	out->lookups = out->hits + out->misses;
	out->fills = s->fills;
	out->evictions = s->evictions;
}

void mmu_tlb_stats(const struct mmu *m, enum tlb_id id, struct tlb_stats *out)
{
	*out = (struct tlb_stats){ 0 };
	if ((unsigned)id >= TLB_COUNT)
		return;
	const struct tlb *t = &m->tlb[id];
	for (int s = 0; s < t->sets; s++) {
		struct tlb_set_stats ss;
		mmu_tlb_set_stats(m, id, s, &ss);
		out->lookups += ss.lookups;
		out->hits += ss.hits;
		out->misses += ss.misses;
		out->fills += ss.fills;
		out->evictions += ss.evictions;
	}
	out->walks = t->walks;
	out->ad_writes = t->ad_writes;
	memcpy(out->flushes, t->flushes, sizeof(out->flushes));
}

void mmu_set_listener(struct mmu *m, uint32_t mask,
		      void (*fn)(void *opaque, const struct mmu_event *ev), void *opaque)
{
	m->ev_fn = fn;
	m->ev_opaque = opaque;
	m->ev_mask = fn ? mask : 0;
	fast_update_enable(m);
}
