/* far.c - far JMP, CALL and RET (SDM vol. 2 pseudo-code of each): real
 * and v86 mode, protected mode to code segments, through call gates (with
 * the stack switch and parameter copy), and to TSSs and task gates.
 *
 * c->s.eip is taken to be the address of the next instruction while an
 * instruction executes (what a JMP task switch saves in the old TSS).
 */
#include "sys_internal.h"

static void far_real(struct cpu *c, uint16_t sel, uint32_t off)
{
	if (off > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, 0);
	if (cpu_v86(c))
		v86_load_seg(c, S_CS, sel);
	else
		seg_load_real(c, S_CS, sel);
	c->s.eip = off;
}

/* JMP/CALL straight to a code segment: conforming needs DPL <= CPL,
 * non-conforming RPL <= CPL and DPL == CPL. CPL never changes. */
static void check_direct_code(struct cpu *c, uint16_t sel, struct desc d)
{
	int bad = desc_is_conforming(d) ? desc_dpl(d) > c->cpl
				       : ((sel & 3) > c->cpl || desc_dpl(d) != c->cpl);
	if (bad)
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, sel & 0xFFFCu);
}

/* Gate, TSS and task-gate descriptors need DPL >= CPL and DPL >= RPL. */
static void check_sys_dpl(struct cpu *c, uint16_t sel, struct desc d)
{
	if (desc_dpl(d) < c->cpl || desc_dpl(d) < (sel & 3))
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, sel & 0xFFFCu);
}

/* The code segment a call gate names: non-null, code, DPL <= CPL, present. */
static void gate_target(struct cpu *c, struct desc gate, struct desc *cd, uint32_t *addr)
{
	uint16_t csel = gate_sel(gate);

	if ((csel & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	desc_fetch(c, csel, EX_GP, 0, cd, addr);
	if (!desc_is_code(*cd) || desc_dpl(*cd) > c->cpl)
		cpu_raise(c, EX_GP, 1, csel & 0xFFFCu);
	if (!desc_p(*cd))
		cpu_raise(c, EX_NP, 1, csel & 0xFFFCu);
}

/* Task switch by JMP or CALL to an available TSS descriptor. */
static void far_to_tss(struct cpu *c, uint16_t sel, struct desc d, uint32_t addr,
		       enum task_reason why, uint32_t next_eip)
{
	check_sys_dpl(c, sel, d);
	task_switch(c, sel, d, addr, why, next_eip, 0, 0, 0);
}

void cpu_far_jmp(struct cpu *c, uint16_t sel, uint32_t off, int opsize)
{
	struct desc d, cd;
	uint32_t addr, cd_addr;

	if (!cpu_pmode(c) || cpu_v86(c)) {
		far_real(c, sel, opsize == 16 ? off & 0xFFFF : off);
		return;
	}
	if ((sel & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	desc_fetch(c, sel, EX_GP, 0, &d, &addr);
	if (desc_is_code(d)) {
		check_direct_code(c, sel, d);
		if (off > desc_limit(d))
			cpu_raise(c, EX_GP, 1, 0);
		seg_load_cs(c, sel, d, addr, c->cpl);
		c->s.eip = off;
		return;
	}
	if (desc_s(d))
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	switch (desc_type(d)) {
	case SYS_CALLGATE16:
	case SYS_CALLGATE32: {
		int is32 = desc_type(d) == SYS_CALLGATE32;
		uint32_t goff = gate_off(d, is32);
		check_sys_dpl(c, sel, d);
		gate_target(c, d, &cd, &cd_addr);
		/* JMP never changes privilege: non-conforming needs DPL == CPL. */
		if (!desc_is_conforming(cd) && desc_dpl(cd) != c->cpl)
			cpu_raise(c, EX_GP, 1, gate_sel(d) & 0xFFFCu);
		if (goff > desc_limit(cd))
			cpu_raise(c, EX_GP, 1, 0);
		seg_load_cs(c, gate_sel(d), cd, cd_addr, c->cpl);
		c->s.eip = goff;
		return;
	}
	case SYS_TASKGATE:
		check_sys_dpl(c, sel, d);
		task_gate(c, d, TASK_JMP, c->s.eip, 0, 0, 0);
		return;
	case SYS_TSS16_AVAIL:
	case SYS_TSS32_AVAIL:
		far_to_tss(c, sel, d, addr, TASK_JMP, c->s.eip);
		return;
	default:
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	}
}

/* CALL through a call gate to a more privileged non-conforming segment:
 * the new stack comes from the TSS; old SS:ESP, the gate's parameter count
 * of words/dwords from the old stack, and CS:EIP are pushed on it. */
static void call_gate_inner(struct cpu *c, struct desc gate, struct desc cd, uint32_t cd_addr,
			    uint32_t next_eip)
{
	int is32 = desc_type(gate) == SYS_CALLGATE32;
	int size = is32 ? 4 : 2;
	int ncpl = desc_dpl(cd);
	int nparams = gate_params(gate);
	uint32_t goff = gate_off(gate, is32);
	uint16_t nss;
	uint32_t nesp, ss_addr;
	struct desc sd;
	struct stk old, k;

	tss_stack(c, ncpl, &nss, &nesp, 0);
	seg_check_stack(c, nss, ncpl, EX_TS, 0, &sd, &ss_addr);
	desc_to_cache(sd, nss, &k.ss);
	k.esp = nesp;
	k.user = ncpl == 3;
	k.err_vec = EX_SS;
	k.err_code = nss & 0xFFFCu;
	stk_check_push(c, &k, (uint32_t)((4 + nparams) * size));
	stk_current(c, &old);
	if (nparams)
		stk_check_pop(c, &old, (uint32_t)(nparams * size));
	if (goff > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, 0);
	desc_set_accessed(c, ss_addr, &sd);

	stk_push_in_frame(c, &k, size, c->s.seg[S_SS].sel);
	stk_push_in_frame(c, &k, size, c->s.gpr[R_ESP]);
	for (int i = nparams - 1; i >= 0; i--)
		stk_push_in_frame(c, &k, size, stk_peek(c, &old, (uint32_t)(i * size), size));
	stk_push_in_frame(c, &k, size, c->s.seg[S_CS].sel);
	stk_push_in_frame(c, &k, size, next_eip);

	desc_to_cache(sd, nss, &c->s.seg[S_SS]);
	c->s.gpr[R_ESP] = (sd.hi & SEGF_DB) ? k.esp : ((nesp & 0xFFFF0000u) | (k.esp & 0xFFFF));
	seg_load_cs(c, gate_sel(gate), cd, cd_addr, ncpl);
	c->s.eip = goff;
}

/* Push CS:EIP on the current stack and jump (same privilege). */
static void call_same(struct cpu *c, uint16_t sel, struct desc cd, uint32_t cd_addr,
		      uint32_t off, int size, uint32_t next_eip)
{
	struct stk k;

	stk_current(c, &k);
	stk_check_push(c, &k, 2u * (uint32_t)size);
	if (off > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, 0);
	stk_push_in_frame(c, &k, size, c->s.seg[S_CS].sel);
	stk_push_in_frame(c, &k, size, next_eip);
	stk_commit_esp(c, &k);
	seg_load_cs(c, sel, cd, cd_addr, c->cpl);
	c->s.eip = off;
}

void cpu_far_call(struct cpu *c, uint16_t sel, uint32_t off, int opsize, uint32_t next_eip)
{
	struct desc d, cd;
	uint32_t addr, cd_addr;
	int size = opsize / 8;

	if (!cpu_pmode(c) || cpu_v86(c)) {
		struct stk k;
		if (opsize == 16)
			off &= 0xFFFF;
		stk_current(c, &k);
		stk_check_push(c, &k, 2u * (uint32_t)size);
		if (off > c->s.seg[S_CS].limit)
			cpu_raise(c, EX_GP, 1, 0);
		stk_push_in_frame(c, &k, size, c->s.seg[S_CS].sel);
		stk_push_in_frame(c, &k, size, next_eip);
		stk_commit_esp(c, &k);
		far_real(c, sel, off);
		return;
	}
	if ((sel & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	desc_fetch(c, sel, EX_GP, 0, &d, &addr);
	if (desc_is_code(d)) {
		check_direct_code(c, sel, d);
		call_same(c, sel, d, addr, off, size, next_eip);
		return;
	}
	if (desc_s(d))
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	switch (desc_type(d)) {
	case SYS_CALLGATE16:
	case SYS_CALLGATE32: {
		int is32 = desc_type(d) == SYS_CALLGATE32;
		check_sys_dpl(c, sel, d);
		gate_target(c, d, &cd, &cd_addr);
		if (!desc_is_conforming(cd) && desc_dpl(cd) < c->cpl)
			call_gate_inner(c, d, cd, cd_addr, next_eip);
		else
			call_same(c, gate_sel(d), cd, cd_addr, gate_off(d, is32), is32 ? 4 : 2,
				  next_eip);
		return;
	}
	case SYS_TASKGATE:
		check_sys_dpl(c, sel, d);
		task_gate(c, d, TASK_CALL, next_eip, 0, 0, 0);
		return;
	case SYS_TSS16_AVAIL:
	case SYS_TSS32_AVAIL:
		far_to_tss(c, sel, d, addr, TASK_CALL, next_eip);
		return;
	default:
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	}
}

void cpu_far_ret(struct cpu *c, int opsize, uint16_t imm)
{
	int size = opsize / 8;
	struct stk k;
	uint32_t eip, cd_addr;
	uint16_t cs;
	struct desc cd;
	int rpl;

	stk_current(c, &k);
	stk_check_pop(c, &k, 2u * (uint32_t)size);
	eip = stk_pop_in_frame(c, &k, size);
	cs = (uint16_t)stk_pop_in_frame(c, &k, size);

	if (!cpu_pmode(c) || cpu_v86(c)) {
		if (eip > c->s.seg[S_CS].limit)
			cpu_raise(c, EX_GP, 1, 0);
		stk_adjust(&k, imm);
		stk_commit_esp(c, &k);
		far_real(c, cs, eip);
		return;
	}
	ret_check_cs(c, cs, &cd, &cd_addr);
	rpl = cs & 3;

	if (rpl > c->cpl) {
		/* Return to an outer level: release the parameters on the inner
		 * stack, pop the caller's SS:ESP, release them there too. */
		struct stk outer;

		stk_adjust(&k, imm);
		outer.esp = ret_to_outer(c, &k, size, cs, cd, cd_addr, eip);
		outer.ss = c->s.seg[S_SS];
		stk_adjust(&outer, imm);
		c->s.gpr[R_ESP] = outer.esp;
		c->s.eip = eip;
		seg_null_outer(c);
		return;
	}
	if (eip > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, 0);
	stk_adjust(&k, imm);
	stk_commit_esp(c, &k);
	seg_load_cs(c, cs, cd, cd_addr, c->cpl);
	c->s.eip = eip;
}

/* Far RET and IRET in protected mode: fetch and check the return CS (SDM
 * RET/IRET pseudo-code): null → #GP(0); not code, RPL < CPL, or the DPL
 * rule for conforming/non-conforming code broken → #GP(sel); not present →
 * #NP(sel). */
void ret_check_cs(struct cpu *c, uint16_t cs, struct desc *cd, uint32_t *cd_addr)
{
	if ((cs & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	desc_fetch(c, cs, EX_GP, 0, cd, cd_addr);
	ret_check_cs_desc(c, cs, *cd);
}

void ret_check_cs_desc(struct cpu *c, uint16_t cs, struct desc cd)
{
	int rpl = cs & 3;

	if (!desc_is_code(cd) || rpl < c->cpl ||
	    (desc_is_conforming(cd) ? desc_dpl(cd) > rpl : desc_dpl(cd) != rpl))
		cpu_raise(c, EX_GP, 1, cs & 0xFFFCu);
	if (!desc_p(cd))
		cpu_raise(c, EX_NP, 1, cs & 0xFFFCu);
}

/* Far RET and IRET to an outer level: pop the caller's SS:ESP from the
 * inner stack k, check SS against the return CS's RPL (#GP(sel), #SS(sel)
 * when not present) and EIP against the CS limit, then load CS and SS.
 * Returns the new ESP (only the low 16 bits replaced for a 16-bit SS); the
 * caller writes it and EIP. */
uint32_t ret_to_outer(struct cpu *c, struct stk *k, int size, uint16_t cs,
		      struct desc cd, uint32_t cd_addr, uint32_t eip)
{
	int rpl = cs & 3;
	uint32_t nesp, ss_addr;
	uint16_t nss;
	struct desc sd;

	stk_check_pop(c, k, 2u * (uint32_t)size);
	nesp = stk_pop_in_frame(c, k, size);
	nss = (uint16_t)stk_pop_in_frame(c, k, size);
	if ((nss & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	desc_fetch(c, nss, EX_GP, 0, &sd, &ss_addr);
	if ((nss & 3) != rpl || !desc_is_data(sd) || !(desc_type(sd) & DT_W) ||
	    desc_dpl(sd) != rpl)
		cpu_raise(c, EX_GP, 1, nss & 0xFFFCu);
	if (!desc_p(sd))
		cpu_raise(c, EX_SS, 1, nss & 0xFFFCu);
	if (eip > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, 0);
	desc_set_accessed(c, ss_addr, &sd);
	seg_load_cs(c, cs, cd, cd_addr, rpl);
	desc_to_cache(sd, nss, &c->s.seg[S_SS]);
	if (sd.hi & SEGF_DB)
		return nesp;
	return (c->s.gpr[R_ESP] & 0xFFFF0000u) | (nesp & 0xFFFF);
}
