/* tr.c - the TLB test registers TR6 and TR7 of the 386 and 486
 * (i386 PRM 12.3 / i486 PRM 10.6 "TLB testing").
 *
 * TR6, the command register (both models):
 *   31..12 linear address   11 V   10 D   9 D#   8 U   7 U#   6 W   5 W#
 *   0 C: 0 = write an entry, 1 = look one up
 * TR7, the data register:
 *   386: 31..12 physical address, 4 HT, 3..2 REP
 *   486: 31..12 physical address, 11 PCD, 10 PWT, 9..7 LRU, 4 PL, 3..2 REP
 *
 * Write (C=0): the entry in the set chosen by linear bits 14..12 at way REP
 * (386; 486 when PL=1, else the way the replacement policy picks) gets the
 * tag, V, D, U, W from TR6 and the frame (and PCD/PWT) from TR7.
 * Lookup (C=1): a valid entry with the tag that matches every attribute
 * pair is a hit; TR7 then holds its frame, HT/PL=1 and REP=its way (486:
 * PCD/PWT and the set's LRU bits, B0 at bit 7, B1 at 8, B2 at 9). A miss
 * leaves HT/PL=0. A pair X/X# matches: 01 when the entry's X is 0, 10 when
 * it is 1, 11 always; 00 is undefined and matches nothing here.
 * Lookups change no replacement state and no statistics.
 */
#include "mmu_internal.h"

#define TR6_C   0x001u
#define TR6_WN  0x020u
#define TR6_W   0x040u
#define TR6_UN  0x080u
#define TR6_U   0x100u
#define TR6_DN  0x200u
#define TR6_D   0x400u
#define TR6_V   0x800u
#define TR7_REP_SHIFT 2
#define TR7_HT  0x010u   /* PL on the 486 */
#define TR7_PWT 0x400u
#define TR7_PCD 0x800u
#define TR7_LRU_SHIFT 7

static int pair_match(uint32_t tr6, uint32_t bit, uint32_t nbit, int val)
{
	int x = !!(tr6 & bit), xn = !!(tr6 & nbit);
	if (x && xn)
		return 1;
	if (!x && !xn)
		return 0;
	return val == x;
}

static void tr_lookup(struct mmu *m, struct tlb *t, uint32_t tr6)
{
	uint32_t lin = tr6 & 0xFFFFF000u;
	int set = tlb_index(t, lin);
	uint32_t res = 0;
	if (m->cfg.tr_model == 486 && m->cfg.policy == TLB_PLRU)
		res |= (repl_state(m, t, set) & 7) << TR7_LRU_SHIFT;
	for (int w = 0; w < t->ways; w++) {
		const struct tlb_ent *e = tlb_at(t, set, w);
		if (!e->valid || e->large || e->tag != lin >> 12)
			continue;
		if (!pair_match(tr6, TR6_D, TR6_DN, e->d) || !pair_match(tr6, TR6_U, TR6_UN, e->u) ||
		    !pair_match(tr6, TR6_W, TR6_WN, e->w))
			continue;
		res |= (e->pfn << 12) | TR7_HT | ((uint32_t)(w & 3) << TR7_REP_SHIFT);
		if (m->cfg.tr_model == 486)
			res |= (e->pcd ? TR7_PCD : 0) | (e->pwt ? TR7_PWT : 0);
		break;
	}
	m->tr7 = res;
}

static void tr_store(struct mmu *m, struct tlb *t, uint32_t tr6)
{
	uint32_t lin = tr6 & 0xFFFFF000u;
	int set = tlb_index(t, lin);
	int way;
	if (m->cfg.tr_model == 486 && !(m->tr7 & TR7_HT))
		way = repl_victim(m, t, set);
	else
		way = (int)((m->tr7 >> TR7_REP_SHIFT) & 3) % t->ways;
	t->flushes[FLUSH_TR6]++;
	if (mmu_wants(m, MMU_EV_FLUSH))
		mmu_emit(m, MMU_EV_FLUSH, (int)(t - m->tlb), set, way, lin, 0, 0, FLUSH_TR6);
	tlb_drop(m, t, set, way);
	struct tlb_ent *e = tlb_at(t, set, way);
	e->valid = (tr6 & TR6_V) != 0;
	if (e->valid)
		tlb_set_valid(t, set, way);
	e->large = 0;
	e->tag = lin >> 12;
	e->pfn = m->tr7 >> 12;
	e->src_addr = 0;
	e->d = (tr6 & TR6_D) != 0;
	e->u = (tr6 & TR6_U) != 0;
	e->w = (tr6 & TR6_W) != 0;
	e->g = 0;
	e->pcd = m->cfg.tr_model == 486 && (m->tr7 & TR7_PCD);
	e->pwt = m->cfg.tr_model == 486 && (m->tr7 & TR7_PWT);
	e->fastmask = 0;
	e->fetch_mark = (uint32_t)m->fast.gen - 1;
	e->hits = 0;
	/* Recency and fill order see the new entry; the rr and 386 pointers
	 * only move on the TLB's own fills (REP chose this way). */
	if (e->valid && m->cfg.policy != TLB_PTR386 && m->cfg.policy != TLB_RR)
		repl_touch(m, t, set, way, 1);
	/* A written entry may now answer for the page of the CPU's code
	 * translation (ahead of the entry that did): always a change. */
	mmu_gen_bump(m);
}

void mmu_tr_write(struct mmu *m, int tr, uint32_t val)
{
	if (tr == 7) {
		m->tr7 = val;
		return;
	}
	if (tr != 6)
		return;
	m->tr6 = val;
	struct tlb *t = &m->tlb[TLB_D4K];
	if (!m->cfg.tr_model || !t->sets)
		return;
	if (val & TR6_C)
		tr_lookup(m, t, val);
	else
		tr_store(m, t, val);
}

uint32_t mmu_tr_read(const struct mmu *m, int tr)
{
	if (tr == 6)
		return m->tr6;
	if (tr == 7)
		return m->tr7;
	return 0;
}
