/* ctl.c - control transfer: Jcc, JMP/CALL/RET near and far, LOOP/JCXZ,
 * INT n/INT3/INTO/ICEBP/IRET, HLT, BOUND. Far forms and interrupts are the
 * system half's (cpu_far_*, cpu_soft_int, cpu_iret); this file decodes
 * their operands. On entry c->s.eip already points after the instruction.
 */
#include "core.h"

/* Near jump: the target wraps to 16 bits with a 16-bit operand size and
 * must lie within the CS limit (#GP(0) otherwise, nothing changed). */
void jump_near(struct cpu *c, uint32_t target, int osz)
{
	if (osz == 2)
		target &= 0xFFFF;
	if (target > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, 0);
	c->s.eip = target;
}

void op_jcc(struct cpu *c, const struct insn *i)
{
	if (cond_true(c, i->op & 0xF))
		jump_near(c, c->s.eip + i->imm, i->osz);
}

void op_jmp_rel(struct cpu *c, const struct insn *i) { jump_near(c, c->s.eip + i->imm, i->osz); }

/* A relative jump with a 32-bit operand size: jump_near() without the
 * 16-bit wrap. */
static inline void jump_rel32(struct cpu *c, const struct insn *i)
{
	uint32_t target = c->s.eip + i->imm;
	if (target > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, 0);
	c->s.eip = target;
}

void op_jmp_rel32(struct cpu *c, const struct insn *i) { jump_rel32(c, i); }

/* Jcc with a 32-bit operand size, one handler per condition (chosen by
 * decode_insn), so that the condition is evaluated by cond_eval() with a
 * constant code. */
#define JCC32(name, cc) \
	void op_##name##32(struct cpu *c, const struct insn *i) \
	{ \
		if (cond_eval(c, cc)) \
			jump_rel32(c, i); \
	}
JCC32(jo, 0) JCC32(jno, 1) JCC32(jb, 2) JCC32(jae, 3) JCC32(je, 4) JCC32(jne, 5)
JCC32(jbe, 6) JCC32(ja, 7) JCC32(js, 8) JCC32(jns, 9) JCC32(jp, 10) JCC32(jnp, 11)
JCC32(jl, 12) JCC32(jge, 13) JCC32(jle, 14) JCC32(jg, 15)

/* Push the return address only once the target passed its limit check. */
static void call_near(struct cpu *c, uint32_t target, int osz)
{
	if (osz == 2)
		target &= 0xFFFF;
	if (target > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, 0);
	push(c, c->s.eip, osz);
	c->s.eip = target;
}

void op_call_rel(struct cpu *c, const struct insn *i) { call_near(c, c->s.eip + i->imm, i->osz); }

/* RET / RET imm16 (C3 / C2). */
void op_ret(struct cpu *c, const struct insn *i)
{
	uint32_t t = stack_peek(c, 0, i->osz);
	jump_near(c, t, i->osz);
	sp_add(c, (uint32_t)i->osz + ((i->op == 0xC2) ? (i->imm & 0xFFFF) : 0));
}

/* CALL rel32 and RET (E8 / C3 with a 32-bit operand size), chosen by
 * decode_insn: the stack hit path of push()/stack_peek() with nothing to
 * save around it. The target's CS limit check comes first as in the
 * general handlers (#GP before any stack access for CALL; for RET after
 * the read, before ESP moves); any other case goes to the general handler,
 * which starts the instruction again from the same state. */
void op_call_rel32(struct cpu *c, const struct insn *i)
{
	uint32_t target = c->s.eip + i->imm;
	if (target > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, 0);
	uint32_t off = c->s.gpr[R_ESP] - 4, lin;
	struct mmu_fast_entry *e;
	if (__builtin_expect(stack_fast(c, off, 4, &lin) && (e = fast_entry(c, lin, 4, 1)) != NULL, 1)) {
		e->hits++;
		store_host((uint8_t *)((uintptr_t)lin + e->addend), 4, c->s.eip);
		c->s.gpr[R_ESP] = off;
		c->s.eip = target;
		return;
	}
	op_call_rel(c, i);
}

void op_ret32(struct cpu *c, const struct insn *i)
{
	uint32_t off = c->s.gpr[R_ESP], lin;
	struct mmu_fast_entry *e;
	if (__builtin_expect(stack_fast(c, off, 4, &lin) && (e = fast_entry(c, lin, 4, 0)) != NULL, 1)) {
		uint32_t target = load_host((const uint8_t *)((uintptr_t)lin + e->addend), 4);
		e->hits++;
		if (target > c->s.seg[S_CS].limit)
			cpu_raise(c, EX_GP, 1, 0);
		c->s.eip = target;
		c->s.gpr[R_ESP] = off + 4;
		return;
	}
	op_ret(c, i);
}

void op_jmp_rm(struct cpu *c, const struct insn *i) { jump_near(c, rm_read(c, i, i->osz), i->osz); }
void op_call_rm(struct cpu *c, const struct insn *i) { call_near(c, rm_read(c, i, i->osz), i->osz); }

void op_jmp_far(struct cpu *c, const struct insn *i)
{
	cpu_far_jmp(c, (uint16_t)i->imm2, i->imm, i->osz * 8);
}

void op_call_far(struct cpu *c, const struct insn *i)
{
	cpu_far_call(c, (uint16_t)i->imm2, i->imm, i->osz * 8, c->s.eip);
}

/* m16:16 / m16:32 operand: offset first, then the selector. */
static void far_operand(struct cpu *c, const struct insn *i, uint16_t *sel, uint32_t *off)
{
	uint32_t ea = insn_ea(c, i);
	*off = mem_read(c, i->seg, ea, i->osz);
	uint32_t so = ea + i->osz;
	if (i->asz == 2)
		so &= 0xFFFF;
	*sel = (uint16_t)mem_read(c, i->seg, so, 2);
}

void op_jmp_far_m(struct cpu *c, const struct insn *i)
{
	uint16_t sel;
	uint32_t off;
	far_operand(c, i, &sel, &off);
	cpu_far_jmp(c, sel, off, i->osz * 8);
}

void op_call_far_m(struct cpu *c, const struct insn *i)
{
	uint16_t sel;
	uint32_t off;
	far_operand(c, i, &sel, &off);
	cpu_far_call(c, sel, off, i->osz * 8, c->s.eip);
}

void op_retf(struct cpu *c, const struct insn *i)
{
	cpu_far_ret(c, i->osz * 8, (uint16_t)((i->op == 0xCA) ? i->imm : 0));
}

void op_int3(struct cpu *c, const struct insn *i) { (void)i; cpu_soft_int(c, EX_BP, INTR_INT3, c->s.eip); }
void op_int_imm(struct cpu *c, const struct insn *i) { cpu_soft_int(c, (int)(i->imm & 0xFF), INTR_SOFTWARE, c->s.eip); }

void op_into(struct cpu *c, const struct insn *i)
{
	(void)i;
	if (cpu_get_eflags(c) & FL_OF)
		cpu_soft_int(c, EX_OF, INTR_INTO, c->s.eip);
}

/* F1 (ICEBP/INT1): a #DB trap after the instruction, without the gate DPL
 * check of INT n. */
void op_int1(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_soft_int(c, EX_DB, INTR_EXCEPTION, c->s.eip);
}

void op_iret(struct cpu *c, const struct insn *i) { cpu_iret(c, i->osz * 8); }

/* LOOP/LOOPE/LOOPNE (E2/E1/E0): the count register is CX or ECX by the
 * address size. */
void op_loop(struct cpu *c, const struct insn *i)
{
	uint32_t n = (c->s.gpr[R_ECX] - 1) & (i->asz == 4 ? 0xFFFFFFFFu : 0xFFFFu);
	int go = n != 0;
	if (go && i->op == 0xE1)
		go = (cpu_get_eflags(c) & FL_ZF) != 0;
	else if (go && i->op == 0xE0)
		go = !(cpu_get_eflags(c) & FL_ZF);
	if (go)
		jump_near(c, c->s.eip + i->imm, i->osz);   /* may fault: ECX not yet written */
	reg_write(c, R_ECX, i->asz, n);
}

void op_jcxz(struct cpu *c, const struct insn *i)
{
	uint32_t n = i->asz == 4 ? c->s.gpr[R_ECX] : c->s.gpr[R_ECX] & 0xFFFF;
	if (n == 0)
		jump_near(c, c->s.eip + i->imm, i->osz);
}

void op_hlt(struct cpu *c, const struct insn *i)
{
	(void)i;
	sys_hlt(c);
	core_attn(c);   /* s.halted may now be set */
}

/* BOUND r, m: #BR unless lower <= r <= upper (signed, operand size). */
void op_bound(struct cpu *c, const struct insn *i)
{
	uint32_t ea = insn_ea(c, i);
	int n = i->osz;
	int32_t idx = (int32_t)sext(reg_read(c, i->reg, n), n);
	int32_t lo = (int32_t)sext(mem_read(c, i->seg, ea, n), n);
	uint32_t hi_off = ea + (uint32_t)n;
	if (i->asz == 2)
		hi_off &= 0xFFFF;
	int32_t hi = (int32_t)sext(mem_read(c, i->seg, hi_off, n), n);
	if (idx < lo || idx > hi)
		cpu_raise(c, EX_BR, 0, 0);
}
