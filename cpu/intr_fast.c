/* intr_fast.c - the common cases of protected-mode interrupt delivery and
 * IRET in one straight pass over the MMU's fast tables (sys_fast.h says
 * why that is exact): the exceptions and INT 80h of a flat 32-bit kernel,
 * at the same privilege or from ring 3 with the TSS stack, and the IRETs
 * that return from them.
 *
 * Each function makes the checks of the general path (intr.c's
 * prot_deliver/deliver_same/deliver_inner, iret_prot and far.c's
 * ret_check_cs/ret_to_outer, seg.c's seg_check_stack, task.c's tss_stack)
 * on the values the general path would read, and declines at the first
 * one that fails or that the general path would treat in a way not done
 * here (task gates, 16-bit gates and TSSs, conforming code, LDT selectors,
 * clear accessed bits, which the general path writes, 16-bit or
 * expand-down stacks, frames across a page boundary, v86 frames). Only
 * then does it count the fast-table hits, one per access of the general
 * path, write the frame and load the registers, in effect as the general
 * path does: it cannot fault any more. An access that misses the fast
 * tables is made through the MMU where the general path makes it, after
 * counting the hits before it; from there a case not handled here goes on
 * in the general path's next stage (see intr_fast_deliver, iret_cs_miss).
 */
#include "sys_fast.h"

int sys_fast_off;

/* Descriptor high-dword bits. */
#define D_A    (DT_ACCESSED << 8)
#define D_W    (DT_W << 8)
#define D_EC   (DT_E << 8)       /* expand-down (data) / conforming (code) */
#define D_CODE (DT_CODE << 8)
#define D_S    (1u << 12)
#define D_DPL  (3u << 13)
#define D_P    (1u << 15)

/* Present non-conforming code with A set: the type bits that matter. */
#define CODE_MASK (D_P | D_S | D_CODE | D_EC | D_A)
#define CODE_OK   (D_P | D_S | D_CODE | D_A)
/* A stack for privilege `dpl`: present writable expand-up data, A set,
 * DPL as given, 32-bit (B). */
#define STACK_MASK (D_P | D_S | D_CODE | D_EC | D_W | D_A | D_DPL | SEGF_DB)
#define STACK_OK(dpl) (D_P | D_S | D_W | D_A | ((uint32_t)(dpl) << 13) | SEGF_DB)
/* The cached SS of a present writable expand-up 32-bit data segment. */
#define SS_MASK (SEGF_P | SEGF_S | (0xEu << 8) | SEGF_DB)
#define SS_OK   (SEGF_P | SEGF_S | (DT_W << 8) | SEGF_DB)

/* seg_load_cs() for a descriptor whose accessed bit is set (so it writes
 * nothing): the cache, CPL, and the core told of a new code size or CPL. */
static inline void load_cs(struct cpu *c, uint16_t sel, struct desc d, int cpl)
{
	struct seg_cache *cs = &c->s.seg[S_CS];
	uint32_t old_flags = cs->flags;
	int old_cpl = c->cpl;

	desc_to_cache(d, (uint16_t)((sel & ~3u) | (unsigned)cpl), cs);
	c->cpl = cpl;
	if (((old_flags ^ cs->flags) & SEGF_DB) || old_cpl != cpl)
		cpu_code_changed(c);
}

/* Is [esp - bytes, esp) of a 32-bit expand-up stack with this limit inside
 * it (stk_check_push()), without wrapping below 0? */
static inline int push_ok(uint32_t esp, uint32_t bytes, uint32_t limit)
{
	uint32_t last = esp - 1;

	return last >= esp - bytes && last <= limit;
}

/* Write the n dwords v[0..n) that the general path pushes in that order
 * below the linear address `top`: through `se` (all in its page: n hits)
 * or, when the fast tables do not have the page, one write each through
 * the MMU as stk_push_in_frame() does, which may miss and fault half-way
 * like the general path (whose earlier pushes then stay written too). */
static void frame_push(struct cpu *c, struct mmu_fast_entry *se, uint32_t top, int user,
		       const uint32_t *v, int n)
{
	if (se) {
		uint8_t *p = sf_host(se, top - 4 * (uint32_t)n);
		se->hits += (uint64_t)n;
		for (int i = 0; i < n; i++)
			sf_st32(p + 4 * (n - 1 - i), v[i]);
		return;
	}
	for (int i = 0; i < n; i++)
		cpu_write_lin(c, top - 4 * (uint32_t)(i + 1), 4, user, v[i]);
}

int intr_fast_deliver(struct cpu *c, int vec, enum intr_kind kind, int has_err, uint32_t err,
		      uint32_t ret_eip)
{
	struct mmu_fast_entry *ge, *ce = NULL, *se;
	struct desc gate, cd = { 0, 0 };
	uint32_t ga, cd_addr = 0, off, fl, clear, v[6];
	uint16_t sel;
	int dpl, n, soft = kind == INTR_SOFTWARE || kind == INTR_INT3 || kind == INTR_INTO;
	/* How far the general path's reads have been done through the MMU
	 * (counted, where a fast-table miss took them): 0 none, 1 the gate,
	 * 2 the gate and the code segment's descriptor. From 1 on, a case
	 * not handled here continues in the general path's next stage
	 * (intr.c) rather than from the start. */
	int stage = 0;

	if (sys_fast_off || cpu_v86(c) || (uint32_t)vec * 8 + 7 > c->s.idtr_limit)
		return 0;
	/* The gate: lo and hi, two supervisor reads. */
	ga = c->s.idtr_base + (uint32_t)vec * 8;
	ge = sf_peek(c, 0, 0, ga, 8);
	if (ge) {
		gate.lo = sf_ld32(sf_host(ge, ga));
		gate.hi = sf_ld32(sf_host(ge, ga) + 4);
	} else {
		/* The general path's first access, as it makes it: a miss,
		 * a walk or a #PF here is its own, with nothing changed. */
		gate.lo = cpu_read_lin_sys(c, ga, 4);
		gate.hi = cpu_read_lin_sys(c, ga + 4, 4);
		stage = 1;
	}
	/* S = 0, type 14 or 15, present; DPL >= CPL for INT n/INT3/INTO. */
	if ((((gate.hi >> 8) & 0x1F) | 1) != SYS_TRAPGATE32 || !desc_p(gate) ||
	    (soft && desc_dpl(gate) < c->cpl))
		goto hand_over;
	/* The code segment's descriptor, from the GDT. */
	sel = gate_sel(gate);
	if ((sel & ~3u) == 0 || (sel & 4) || (sel & ~7u) + 7 > c->s.gdtr_limit)
		goto hand_over;
	cd_addr = c->s.gdtr_base + (sel & ~7u);
	ce = sf_peek(c, 0, 0, cd_addr, 8);
	if (ce) {
		cd.lo = sf_ld32(sf_host(ce, cd_addr));
		cd.hi = sf_ld32(sf_host(ce, cd_addr) + 4);
	} else {
		/* Read through the MMU as desc_fetch() does, after counting
		 * the gate's hits (the general path's order: the miss may
		 * drop the gate's fast entry, which folds its count). */
		if (stage == 0)
			ge->hits += 2;
		cd.lo = cpu_read_lin_sys(c, cd_addr, 4);
		cd.hi = cpu_read_lin_sys(c, cd_addr + 4, 4);
		stage = 2;
	}
	if ((cd.hi & CODE_MASK) != CODE_OK)
		goto hand_over;
	dpl = desc_dpl(cd);
	off = gate_off(gate, 1);
	if (dpl > c->cpl || off > desc_limit(cd))
		goto hand_over;
	n = has_err ? 4 : 3;
	clear = FL_TF | FL_NT | FL_RF | ((gate.hi & (1u << 8)) ? 0 : FL_IF);

	if (dpl == c->cpl) {
		/* deliver_same(): EFLAGS, CS, EIP (, error code) on this stack. */
		const struct seg_cache *ss = &c->s.seg[S_SS];
		uint32_t esp = c->s.gpr[R_ESP], bytes = 4 * (uint32_t)n;

		if ((ss->flags & SS_MASK) != SS_OK || !push_ok(esp, bytes, ss->limit))
			goto hand_over;
		se = sf_peek(c, 1, c->cpl == 3, ss->base + esp - bytes, bytes);
		if (stage == 0)
			ge->hits += 2;
		if (stage < 2)
			ce->hits += 2;
		v[0] = fl = cpu_get_eflags(c);
		v[1] = c->s.seg[S_CS].sel;
		v[2] = ret_eip;
		v[3] = err;
		frame_push(c, se, ss->base + esp, c->cpl == 3, v, n);
		c->s.gpr[R_ESP] = esp - bytes;
	} else {
		/* deliver_inner(): SS:ESP for `dpl` from the 32-bit TSS (ESP read,
		 * then SS), checked as seg_check_stack() does; old SS, ESP,
		 * EFLAGS, CS, EIP (, error code) on the new stack. */
		const struct seg_cache *tr = &c->s.seg[S_TR];
		struct mmu_fast_entry *te, *sde;
		struct desc sd;
		uint32_t toff = 4 + 8 * (uint32_t)dpl, ta, nesp, ss_addr, sbase;
		uint32_t bytes = 4 * (uint32_t)(n + 2);
		uint16_t nss;

		if (!(SEGF_TYPE(tr->flags) & 8) || toff + 7 > tr->limit)
			goto hand_over;
		ta = tr->base + toff;
		te = sf_peek(c, 0, 0, ta, 6);
		if (!te)
			goto hand_over;
		nesp = sf_ld32(sf_host(te, ta));
		nss = sf_ld16(sf_host(te, ta) + 4);
		if ((nss & 3) != (unsigned)dpl)
			goto hand_over;
		sde = sf_gdt_desc(c, nss, &sd, &ss_addr);
		if (!sde || (sd.hi & STACK_MASK) != STACK_OK(dpl) || !push_ok(nesp, bytes, desc_limit(sd)))
			goto hand_over;
		sbase = desc_base(sd);
		se = sf_peek(c, 1, dpl == 3, sbase + nesp - bytes, bytes);
		if (stage == 0)
			ge->hits += 2;
		if (stage < 2)
			ce->hits += 2;
		te->hits += 2;
		sde->hits += 2;
		v[0] = c->s.seg[S_SS].sel;
		v[1] = c->s.gpr[R_ESP];
		v[2] = fl = cpu_get_eflags(c);
		v[3] = c->s.seg[S_CS].sel;
		v[4] = ret_eip;
		v[5] = err;
		frame_push(c, se, sbase + nesp, dpl == 3, v, n + 2);
		desc_to_cache(sd, nss, &c->s.seg[S_SS]);
		c->s.gpr[R_ESP] = nesp - bytes;
		clear |= FL_VM;   /* clear already (not v86): as cpu_set_eflags's mask */
	}
	/* cpu_set_eflags(c, 0, clear): every bit of `clear` exists on every
	 * model, VM stays clear and TF ends clear, so nothing else to tell
	 * the core; the arithmetic flags were materialised above. */
	c->s.eflags = (fl & ~clear) | 2;
	load_cs(c, sel, cd, dpl);
	c->s.eip = off;
	return 1;

hand_over:
	if (stage == 0)
		return 0;
	if (stage == 1)
		prot_deliver_gate(c, vec, kind, has_err, err, ret_eip, gate);
	else
		prot_deliver_code(c, kind, has_err, err, ret_eip, gate, cd, cd_addr);
	return 1;
}

/* IRET's SS pop for a return to an outer level (ret_to_outer()): ESP and
 * SS from the frame at p (the dwords after EFLAGS), SS a GDT stack segment
 * for rpl whose descriptor is in the fast tables. Returns that fast entry
 * (not yet counted) with *sd, *nss and *nesp, or NULL for the general
 * path, having changed nothing. */
static inline struct mmu_fast_entry *iret_outer_ss(struct cpu *c, const uint8_t *p, int rpl,
					    struct desc *sd, uint16_t *nss, uint32_t *nesp)
{
	uint32_t ss_addr;
	*nesp = sf_ld32(p);
	*nss = sf_ld16(p + 4);
	if ((*nss & 3) != (unsigned)rpl)
		return NULL;
	struct mmu_fast_entry *sde = sf_gdt_desc(c, *nss, sd, &ss_addr);
	if (!sde || (sd->hi & STACK_MASK) != STACK_OK(rpl))
		return NULL;
	return sde;
}

/* IRET's end at the same level: the three dwords popped, CS and EFLAGS
 * loaded. */
static inline void iret_commit_same(struct cpu *c, uint32_t esp, uint16_t cs, struct desc cd,
			     uint32_t eip, uint32_t fl, uint32_t mask)
{
	c->s.gpr[R_ESP] = esp + 12;
	load_cs(c, cs, cd, c->cpl);
	c->s.eip = eip;
	cpu_set_eflags(c, fl, mask);
}

/* IRET's end at an outer level: CS and SS loaded, ESP from the frame, the
 * data segment registers the new level may not use nulled. */
static inline void iret_commit_outer(struct cpu *c, uint16_t cs, struct desc cd, int rpl,
			      struct desc sd, uint16_t nss, uint32_t nesp, uint32_t eip,
			      uint32_t fl, uint32_t mask)
{
	load_cs(c, cs, cd, rpl);
	desc_to_cache(sd, nss, &c->s.seg[S_SS]);
	c->s.gpr[R_ESP] = nesp;
	c->s.eip = eip;
	cpu_set_eflags(c, fl, mask);
	seg_null_outer(c);
}

/* The rest of iret_fast() when CS's descriptor is not in the fast tables
 * (after a CR3 load emptied them, say): the frame's three pops are
 * counted as the hits they are, then the descriptor is read through the
 * MMU as desc_fetch() does (a miss, a walk, a #PF are the general path's
 * own), and the return finishes here when the rest is plain and in the
 * fast tables, else in the general path after its descriptor read. */
static __attribute__((noinline)) int iret_cs_miss(struct cpu *c, struct mmu_fast_entry *fe,
						  uint32_t eip, uint16_t cs, uint32_t fl,
						  uint32_t cd_addr, uint32_t mask)
{
	const struct seg_cache *ss = &c->s.seg[S_SS];
	struct mmu_fast_entry *fe2, *sde;
	struct desc cd, sd;
	struct stk k;
	uint32_t esp = c->s.gpr[R_ESP], nesp;
	uint16_t nss;
	int rpl = cs & 3, user = c->cpl == 3;
	const uint8_t *p;

	fe->hits += 3;
	cd.lo = cpu_read_lin_sys(c, cd_addr, 4);
	cd.hi = cpu_read_lin_sys(c, cd_addr + 4, 4);
	if (rpl < c->cpl || (cd.hi & (CODE_MASK | D_DPL)) != (CODE_OK | ((uint32_t)rpl << 13)) ||
	    eip > desc_limit(cd))
		goto general;
	if (rpl == c->cpl) {
		iret_commit_same(c, esp, cs, cd, eip, fl, mask);
		return 1;
	}
	/* ret_to_outer()'s pops of ESP and SS (the read above may have
	 * dropped the frame's entry: look again) and SS's descriptor. */
	if (esp + 19 < esp || esp + 19 > ss->limit)
		goto general;
	fe2 = sf_peek(c, 0, user, ss->base + esp + 12, 8);
	if (!fe2)
		goto general;
	p = sf_host(fe2, ss->base + esp + 12);
	sde = iret_outer_ss(c, p, rpl, &sd, &nss, &nesp);
	if (!sde)
		goto general;
	fe2->hits += 2;
	sde->hits += 2;
	iret_commit_outer(c, cs, cd, rpl, sd, nss, nesp, eip, fl, mask);
	return 1;

general:
	stk_current(c, &k);
	k.esp = esp + 12;
	iret_prot_tail(c, 32, &k, eip, cs, fl, cd, cd_addr);
	return 1;
}

int iret_fast(struct cpu *c, uint32_t mask)
{
	const struct seg_cache *ss = &c->s.seg[S_SS];
	struct mmu_fast_entry *fe, *ce, *sde = NULL;
	struct desc cd, sd;
	uint32_t esp = c->s.gpr[R_ESP], lin, eip, fl, cd_addr, nesp = 0;
	uint16_t cs, nss = 0;
	int rpl, user = c->cpl == 3;
	const uint8_t *p;

	if (sys_fast_off || (ss->flags & SS_MASK) != SS_OK)
		return 0;
	/* EIP, CS, EFLAGS: stk_check_pop(12) on a 32-bit expand-up stack. */
	if (esp + 11 < esp || esp + 11 > ss->limit)
		return 0;
	lin = ss->base + esp;
	fe = sf_peek(c, 0, user, lin, 12);
	if (!fe)
		return 0;
	p = sf_host(fe, lin);
	eip = sf_ld32(p);
	cs = sf_ld16(p + 4);
	fl = sf_ld32(p + 8);
	/* VM in the image: v86 return at CPL 0 (or ignored above it). */
	if (fl & FL_VM)
		return 0;
	/* ret_check_cs(): a GDT selector; RPL >= CPL, non-conforming code
	 * with DPL == RPL. */
	rpl = cs & 3;
	if ((cs & ~3u) == 0 || (cs & 4) || (cs & ~7u) + 7 > c->s.gdtr_limit)
		return 0;
	cd_addr = c->s.gdtr_base + (cs & ~7u);
	ce = sf_peek(c, 0, 0, cd_addr, 8);
	if (!ce)
		return iret_cs_miss(c, fe, eip, cs, fl, cd_addr, mask);
	cd.lo = sf_ld32(sf_host(ce, cd_addr));
	cd.hi = sf_ld32(sf_host(ce, cd_addr) + 4);
	if (rpl < c->cpl || (cd.hi & (CODE_MASK | D_DPL)) != (CODE_OK | ((uint32_t)rpl << 13)) ||
	    eip > desc_limit(cd))
		return 0;
	if (rpl > c->cpl) {
		/* ret_to_outer(): ESP and SS follow (stk_check_pop(8)); SS must be
		 * a stack for RPL. The frame's five dwords in one entry. */
		if (esp + 19 < esp || esp + 19 > ss->limit)
			return 0;
		fe = sf_peek(c, 0, user, lin, 20);
		if (!fe)
			return 0;
		sde = iret_outer_ss(c, p + 12, rpl, &sd, &nss, &nesp);
		if (!sde)
			return 0;
	}
	fe->hits += 3;
	ce->hits += 2;
	if (sde) {
		fe->hits += 2;
		sde->hits += 2;
		iret_commit_outer(c, cs, cd, rpl, sd, nss, nesp, eip, fl, mask);
		return 1;
	}
	iret_commit_same(c, esp, cs, cd, eip, fl, mask);
	return 1;
}
