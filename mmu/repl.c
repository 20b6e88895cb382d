/* repl.c - TLB replacement policies, one set at a time.
 *
 *  plru    tree pseudo-LRU (the i486's 3 bits for 4 ways, generalised to any
 *          power-of-two number of ways: ways-1 bits). Node n of the tree
 *          (heap order, root = 1) is bit n-1. A bit of 0 means "the victim
 *          is in the lower half", 1 "in the upper half"; a use points every
 *          node on the way's path away from it. For 4 ways this is the
 *          i486's B0 (bit 0), B1 (bit 1, ways 0/1), B2 (bit 2, ways 2/3):
 *          use of way 0 sets B0=1 B1=1, way 1 B0=1 B1=0, way 2 B0=0 B2=1,
 *          way 3 B0=0 B2=0.
 *  lru     true LRU: a recency rank per way (0 = most recent).
 *  fifo    the way filled longest ago goes first; hits change nothing.
 *  random  xorshift32 from cfg.random_seed; hits change nothing.
 *  rr      a pointer per set names the victim whether or not the way is
 *          valid, and advances after each fill of that way.
 *  ptr386  one 2-bit pointer for the whole TLB, advanced by every fill in
 *          any set; the victim is the way it names (assumption, see
 *          docs/mmu.md).
 * Every policy except rr fills an invalid way (the lowest) first.
 */
#include "mmu_internal.h"

static void plru_use(uint32_t *bits, int ways, int way);
static int plru_victim(uint32_t bits, int ways);

/* A use of a way changes the tree bits on its path and no others, so it
 * is an AND with the path's bits cleared and an OR of their new values;
 * the victim for up to 8 ways (7 bits) is a table lookup. Both come from
 * the tree walks below, once per TLB. */
void repl_init_tlb(struct tlb *t)
{
	uint32_t nodes = (1u << (t->ways - 1)) - 1;
	for (int w = 0; w < t->ways && w < TLB_MAX_WAYS; w++) {
		uint32_t ones = 0, zeros = nodes;
		plru_use(&ones, t->ways, w);    /* path bits set to 1 */
		plru_use(&zeros, t->ways, w);   /* path bits set to 0 */
		/* on the path: the bits the first walk set and those the
		 * second cleared */
		uint32_t path = ones | (nodes & ~zeros);
		t->plru_and[w] = (uint16_t)~path;
		t->plru_or[w] = (uint16_t)ones;
	}
	if (t->ways <= 8)
		for (uint32_t bits = 0; bits < (1u << (t->ways - 1)) && bits < 128; bits++)
			t->plru_vic[bits] = (uint8_t)plru_victim(bits, t->ways);
}

void repl_init_set(const struct mmu *m, struct tlb *t, struct tlb_set *s)
{
	(void)m;
	s->plru = 0;
	s->ptr = 0;
	s->mru = 0;
	for (int w = 0; w < t->ways; w++)
		s->age[w] = (uint8_t)w;
}

static void plru_use(uint32_t *bits, int ways, int way)
{
	int node = 1, lo = 0, n = ways;
	while (n > 1) {
		int half = n / 2;
		if (way < lo + half) {
			*bits |= 1u << (node - 1);
			node = 2 * node;
		} else {
			*bits &= ~(1u << (node - 1));
			node = 2 * node + 1;
			lo += half;
		}
		n = half;
	}
}

static int plru_victim(uint32_t bits, int ways)
{
	int node = 1, lo = 0, n = ways;
	while (n > 1) {
		int half = n / 2;
		if ((bits >> (node - 1)) & 1) {
			node = 2 * node + 1;
			lo += half;
		} else {
			node = 2 * node;
		}
		n = half;
	}
	return lo;
}

/* Make `way` rank 0, ageing the ways that were more recent than it. */
static void rank_front(struct tlb_set *s, int ways, int way)
{
	uint8_t old = s->age[way];
	for (int w = 0; w < ways; w++)
		if (s->age[w] < old)
			s->age[w]++;
	s->age[way] = 0;
}

/* Record a use (hit) or a fill of `way`. For plru/lru, the most recently
 * used way is the only one the fast path may hold: when it changes, the
 * previous one's fast entries go. */
void repl_touch(struct mmu *m, struct tlb *t, int set, int way, int fill)
{
	struct tlb_set *s = &t->s[set];
	switch (m->cfg.policy) {
	case TLB_PLRU:
		s->plru = (s->plru & t->plru_and[way]) | t->plru_or[way];
		break;
	case TLB_LRU:
		rank_front(s, t->ways, way);
		break;
	case TLB_FIFO:
		if (fill)
			rank_front(s, t->ways, way);
		break;
	case TLB_RR:
		if (fill && way == s->ptr)
			s->ptr = (uint8_t)((s->ptr + 1) % t->ways);
		break;
	case TLB_PTR386:
		if (fill)
			m->fill_ptr386 = (m->fill_ptr386 + 1) & 3;
		break;
	case TLB_RANDOM:
		break;
	}
	if (repl_needs_mru(m) && s->mru != way)
		repl_mru_change(m, t, set, way);
}

void repl_mru_change(struct mmu *m, struct tlb *t, int set, int way)
{
	struct tlb_set *s = &t->s[set];
	fast_drop_ent(m, tlb_at(t, set, s->mru));
	s->mru = (uint8_t)way;
}

static uint32_t xorshift32(uint32_t *x)
{
	uint32_t v = *x;
	v ^= v << 13;
	v ^= v >> 17;
	v ^= v << 5;
	return *x = v;
}

/* A full set (repl_victim, mmu_internal.h, answers the other cases). */
int repl_victim_policy(struct mmu *m, struct tlb *t, int set)
{
	struct tlb_set *s = &t->s[set];
	switch (m->cfg.policy) {
	case TLB_PLRU:
		return t->ways <= 8 ? t->plru_vic[s->plru] : plru_victim(s->plru, t->ways);
	case TLB_LRU:
	case TLB_FIFO: {
		int v = 0;
		for (int w = 1; w < t->ways; w++)
			if (s->age[w] > s->age[v])
				v = w;
		return v;
	}
	case TLB_RANDOM:
		return (int)(xorshift32(&m->rng) % (uint32_t)t->ways);
	case TLB_PTR386:
		return (int)(m->fill_ptr386 % (uint32_t)t->ways);
	case TLB_RR:
		break;
	}
	return 0;
}

/* For display: plru tree bits; lru/fifo ranks packed 2 bits per way (4 bits
 * per way when there are more than 4 ways, as many as fit); rr the set's
 * pointer; ptr386 the TLB-wide pointer; random 0. */
uint32_t repl_state(const struct mmu *m, const struct tlb *t, int set)
{
	const struct tlb_set *s = &t->s[set];
	switch (m->cfg.policy) {
	case TLB_PLRU:
		return s->plru;
	case TLB_LRU:
	case TLB_FIFO: {
		int width = t->ways <= 4 ? 2 : 4;
		uint32_t v = 0;
		for (int w = 0; w < t->ways && (w + 1) * width <= 32; w++)
			v |= (uint32_t)s->age[w] << (w * width);
		return v;
	}
	case TLB_RR:
		return s->ptr;
	case TLB_PTR386:
		return m->fill_ptr386;
	case TLB_RANDOM:
		break;
	}
	return 0;
}
