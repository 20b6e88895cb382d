/* alu.c - integer arithmetic and logic: ADD..CMP, INC/DEC, TEST, NOT/NEG,
 * MUL/IMUL/DIV/IDIV, XADD, CMPXCHG, CMPXCHG8B (Intel SDM vol. 2).
 *
 * Undefined flags follow QEMU (the conformance reference): logic ops clear
 * AF; MUL/IMUL set SF/ZF/PF from the low half of the result and clear AF;
 * DIV/IDIV leave all flags unchanged.
 */
#include "core.h"

/* One of the eight ALU operations (ModRM.reg / opcode bits 5:3 order:
 * ADD OR ADC SBB AND SUB XOR CMP); records lazy flags, returns the result. */
static uint32_t alu_res(struct cpu *c, int op, uint32_t a, uint32_t b, int size, int *lfop)
{
	uint32_t m = size_mask(size);
	switch (op) {
	case 0: *lfop = LF_ADD; return (a + b) & m;
	case 1: *lfop = LF_LOGIC; return a | b;
	case 2: *lfop = LF_ADD; return (a + b + (uint32_t)get_cf(c)) & m;
	case 3: *lfop = LF_SUB; return (a - b - (uint32_t)get_cf(c)) & m;
	case 4: *lfop = LF_LOGIC; return a & b;
	case 6: *lfop = LF_LOGIC; return a ^ b;
	default: *lfop = LF_SUB; return (a - b) & m;
	}
}

static uint32_t alu(struct cpu *c, int op, uint32_t a, uint32_t b, int size)
{
	int lfop;
	uint32_t r = alu_res(c, op, a, b, size, &lfop);
	lf_set(c, lfop, size, a, b, r);
	return r;
}

/* Memory destination: the flags change only once the write succeeded, so
 * a faulting write leaves EFLAGS as it was for the restart. */
static void alu_mem(struct cpu *c, const struct insn *i, int op, uint32_t b, int size)
{
	uint32_t ea = insn_ea(c, i);
	if (op == 7) {
		alu(c, op, mem_read(c, i->seg, ea, size), b, size);
		return;
	}
	int lfop;
	uint32_t a = mem_read_rmw(c, i->seg, ea, size);
	uint32_t r = alu_res(c, op, a, b, size, &lfop);
	mem_write(c, i->seg, ea, size, r);
	lf_set(c, lfop, size, a, b, r);
}

/* 00-3B: Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev. Bit 1 of the opcode: reg is the
 * destination. */
void op_alu_rm_r(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i), op = (i->op >> 3) & 7;
	uint32_t g = reg_read(c, i->reg, size);
	if (i->op & 2) {
		uint32_t r = alu(c, op, g, rm_read(c, i, size), size);
		if (op != 7)
			reg_write(c, i->reg, size, r);
	} else if (i->mod == 3) {
		uint32_t r = alu(c, op, reg_read(c, i->rm, size), g, size);
		if (op != 7)
			reg_write(c, i->rm, size, r);
	} else {
		alu_mem(c, i, op, g, size);
	}
}

/* The 32-bit operation `op` on a and b with the lazy flags recorded: the
 * same results as alu() at size 4, without the size dispatch. */
static inline uint32_t alu32(struct cpu *c, int op, uint32_t a, uint32_t b)
{
	struct core *k = core_of(c);
	uint32_t r;
	int lfop;
	switch (op) {
	case 0: r = a + b; lfop = LF_ADD; break;
	case 1: r = a | b; lfop = LF_LOGIC; break;
	case 2: r = a + b + (uint32_t)get_cf(c); lfop = LF_ADD; break;
	case 3: r = a - b - (uint32_t)get_cf(c); lfop = LF_SUB; break;
	case 4: r = a & b; lfop = LF_LOGIC; break;
	case 6: r = a ^ b; lfop = LF_LOGIC; break;
	default: r = a - b; lfop = LF_SUB; break;
	}
	k->lf_op = lfop;
	k->lf_size = 4;
	k->lf_a = a;
	k->lf_b = b;
	k->lf_res = r;
	return r;
}

/* 01/03/09/.../3B with two 32-bit registers (chosen by decode_insn): the
 * commonest integer form, so it skips op_alu_rm_r's size and operand
 * dispatch. Bit 1 of the opcode says which register is the destination. */
void op_alu_rr32(struct cpu *c, const struct insn *i)
{
	int op = (i->op >> 3) & 7;
	int dst = (i->op & 2) ? i->reg : i->rm, src = (i->op & 2) ? i->rm : i->reg;
	uint32_t r = alu32(c, op, c->s.gpr[dst], c->s.gpr[src]);
	if (op != 7)
		c->s.gpr[dst] = r;
}

/* 81/83 with a 32-bit register destination (chosen by decode_insn); the
 * immediate is already extended to 32 bits. */
void op_alu_r32_imm(struct cpu *c, const struct insn *i)
{
	int op = i->reg;
	uint32_t r = alu32(c, op, c->s.gpr[i->rm], i->imm);
	if (op != 7)
		c->s.gpr[i->rm] = r;
}

void op_alu_a_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i), op = (i->op >> 3) & 7;
	uint32_t r = alu(c, op, reg_read(c, R_EAX, size), i->imm & size_mask(size), size);
	if (op != 7)
		reg_write(c, R_EAX, size, r);
}

/* Group 1 (80-83): Eb,Ib / Ev,Iz / Eb,Ib / Ev,Ib sign-extended. */
void op_alu_rm_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i), op = i->reg;
	uint32_t b = i->imm & size_mask(size);
	if (i->mod == 3) {
		uint32_t r = alu(c, op, reg_read(c, i->rm, size), b, size);
		if (op != 7)
			reg_write(c, i->rm, size, r);
		return;
	}
	alu_mem(c, i, op, b, size);
}

/* INC/DEC keep CF: carry the current CF into the new lazy record. */
static uint32_t incdec(struct cpu *c, uint32_t a, int size, int dec)
{
	uint32_t cf = get_cf(c) ? FL_CF : 0;
	uint32_t r = (dec ? a - 1 : a + 1) & size_mask(size);
	lf_set(c, dec ? LF_DEC : LF_INC, size, a, 1, r);
	core_of(c)->lf_cf = cf;
	return r;
}

void op_inc_r(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->osz, incdec(c, reg_read(c, i->reg, i->osz), i->osz, 0));
}

void op_dec_r(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->osz, incdec(c, reg_read(c, i->reg, i->osz), i->osz, 1));
}

static void incdec_rm(struct cpu *c, const struct insn *i, int dec)
{
	int size = opsz_w(i);
	if (i->mod == 3) {
		reg_write(c, i->rm, size, incdec(c, reg_read(c, i->rm, size), size, dec));
		return;
	}
	uint32_t ea = insn_ea(c, i);
	uint32_t a = mem_read_rmw(c, i->seg, ea, size);
	uint32_t r = (dec ? a - 1 : a + 1) & size_mask(size);
	mem_write(c, i->seg, ea, size, r);
	incdec(c, a, size, dec);
}

void op_inc_rm(struct cpu *c, const struct insn *i) { incdec_rm(c, i, 0); }
void op_dec_rm(struct cpu *c, const struct insn *i) { incdec_rm(c, i, 1); }

void op_test_rm_r(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t r = rm_read(c, i, size) & reg_read(c, i->reg, size);
	lf_set(c, LF_LOGIC, size, 0, 0, r);
}

void op_test_a_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	lf_set(c, LF_LOGIC, size, 0, 0, reg_read(c, R_EAX, size) & i->imm & size_mask(size));
}

void op_test_rm_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	lf_set(c, LF_LOGIC, size, 0, 0, rm_read(c, i, size) & i->imm & size_mask(size));
}

void op_not_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	if (i->mod == 3) {
		reg_write(c, i->rm, size, ~reg_read(c, i->rm, size));
		return;
	}
	uint32_t ea = insn_ea(c, i);
	mem_write(c, i->seg, ea, size, ~mem_read_rmw(c, i->seg, ea, size) & size_mask(size));
}

void op_neg_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t a, r, ea = 0;
	if (i->mod == 3) {
		a = reg_read(c, i->rm, size);
		r = (0 - a) & size_mask(size);
		reg_write(c, i->rm, size, r);
	} else {
		ea = insn_ea(c, i);
		a = mem_read_rmw(c, i->seg, ea, size);
		r = (0 - a) & size_mask(size);
		mem_write(c, i->seg, ea, size, r);
	}
	lf_set(c, LF_SUB, size, 0, a, r);
}

/* Flags of MUL/IMUL: CF = OF = `wide`; SF/ZF/PF from the low result. */
static void mul_flags(struct cpu *c, uint32_t low, int size, int wide)
{
	uint32_t f = flags_szp(low, size);
	if (wide)
		f |= FL_CF | FL_OF;
	flags_set_arith(c, f);
}

void op_mul_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t src = rm_read(c, i, size);
	if (size == 1) {
		uint32_t r = (c->s.gpr[R_EAX] & 0xFF) * src;
		reg_write(c, R_EAX, 2, r);
		mul_flags(c, r & 0xFF, 1, (r >> 8) != 0);
	} else if (size == 2) {
		uint32_t r = (c->s.gpr[R_EAX] & 0xFFFF) * src;
		reg_write(c, R_EAX, 2, r);
		reg_write(c, R_EDX, 2, r >> 16);
		mul_flags(c, r & 0xFFFF, 2, (r >> 16) != 0);
	} else {
		uint64_t r = (uint64_t)c->s.gpr[R_EAX] * src;
		c->s.gpr[R_EAX] = (uint32_t)r;
		c->s.gpr[R_EDX] = (uint32_t)(r >> 32);
		mul_flags(c, (uint32_t)r, 4, (r >> 32) != 0);
	}
}

void op_imul_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	int32_t src = (int32_t)sext(rm_read(c, i, size), size);
	if (size == 1) {
		int32_t r = (int8_t)c->s.gpr[R_EAX] * src;
		reg_write(c, R_EAX, 2, (uint32_t)r);
		mul_flags(c, (uint32_t)r & 0xFF, 1, r != (int8_t)r);
	} else if (size == 2) {
		int32_t r = (int16_t)c->s.gpr[R_EAX] * src;
		reg_write(c, R_EAX, 2, (uint32_t)r);
		reg_write(c, R_EDX, 2, (uint32_t)r >> 16);
		mul_flags(c, (uint32_t)r & 0xFFFF, 2, r != (int16_t)r);
	} else {
		int64_t r = (int64_t)(int32_t)c->s.gpr[R_EAX] * src;
		c->s.gpr[R_EAX] = (uint32_t)r;
		c->s.gpr[R_EDX] = (uint32_t)((uint64_t)r >> 32);
		mul_flags(c, (uint32_t)r, 4, r != (int32_t)r);
	}
}

/* Truncating IMUL of two operands at size 2 or 4. */
static uint32_t imul_trunc(struct cpu *c, uint32_t a, uint32_t b, int size)
{
	int64_t r = (int64_t)(int32_t)sext(a, size) * (int32_t)sext(b, size);
	uint32_t low = (uint32_t)r & size_mask(size);
	int wide = size == 2 ? r != (int16_t)r : r != (int32_t)r;
	mul_flags(c, low, size, wide);
	return low;
}

void op_imul_r_rm(struct cpu *c, const struct insn *i)
{
	uint32_t r = imul_trunc(c, reg_read(c, i->reg, i->osz), rm_read(c, i, i->osz), i->osz);
	reg_write(c, i->reg, i->osz, r);
}

void op_imul_r_rm_imm(struct cpu *c, const struct insn *i)
{
	uint32_t r = imul_trunc(c, rm_read(c, i, i->osz), i->imm, i->osz);
	reg_write(c, i->reg, i->osz, r);
}

void op_div_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t d = rm_read(c, i, size);
	if (d == 0)
		cpu_raise(c, EX_DE, 0, 0);
	if (size == 1) {
		uint32_t n = c->s.gpr[R_EAX] & 0xFFFF, q = n / d;
		if (q > 0xFF)
			cpu_raise(c, EX_DE, 0, 0);
		reg_write(c, R_EAX, 2, ((n % d) << 8) | q);
	} else if (size == 2) {
		uint32_t n = ((c->s.gpr[R_EDX] & 0xFFFF) << 16) | (c->s.gpr[R_EAX] & 0xFFFF);
		uint32_t q = n / d;
		if (q > 0xFFFF)
			cpu_raise(c, EX_DE, 0, 0);
		reg_write(c, R_EAX, 2, q);
		reg_write(c, R_EDX, 2, n % d);
	} else {
		uint64_t n = ((uint64_t)c->s.gpr[R_EDX] << 32) | c->s.gpr[R_EAX];
		uint64_t q = n / d;
		if (q > 0xFFFFFFFFu)
			cpu_raise(c, EX_DE, 0, 0);
		c->s.gpr[R_EAX] = (uint32_t)q;
		c->s.gpr[R_EDX] = (uint32_t)(n % d);
	}
}

void op_idiv_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	int64_t d = (int32_t)sext(rm_read(c, i, size), size);
	if (d == 0)
		cpu_raise(c, EX_DE, 0, 0);
	int64_t n, q, r;
	if (size == 1)
		n = (int16_t)c->s.gpr[R_EAX];
	else if (size == 2)
		n = (int32_t)(((c->s.gpr[R_EDX] & 0xFFFF) << 16) | (c->s.gpr[R_EAX] & 0xFFFF));
	else
		n = (int64_t)(((uint64_t)c->s.gpr[R_EDX] << 32) | c->s.gpr[R_EAX]);
	if (size == 4 && n == INT64_MIN && d == -1)
		cpu_raise(c, EX_DE, 0, 0);
	q = n / d;
	r = n % d;
	int64_t lim = (int64_t)1 << (size * 8 - 1);
	if (q >= lim || q < -lim)
		cpu_raise(c, EX_DE, 0, 0);
	if (size == 1) {
		reg_write(c, R_EAX, 2, (((uint32_t)r & 0xFF) << 8) | ((uint32_t)q & 0xFF));
	} else {
		reg_write(c, R_EAX, size, (uint32_t)q);
		reg_write(c, R_EDX, size, (uint32_t)r);
	}
}

/* XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP. */
void op_xadd(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t src = reg_read(c, i->reg, size), dst, r;
	if (i->mod == 3) {
		dst = reg_read(c, i->rm, size);
		r = (dst + src) & size_mask(size);
		reg_write(c, i->reg, size, dst);
		reg_write(c, i->rm, size, r);
	} else {
		uint32_t ea = insn_ea(c, i);
		dst = mem_read_rmw(c, i->seg, ea, size);
		r = (dst + src) & size_mask(size);
		mem_write(c, i->seg, ea, size, r);
		reg_write(c, i->reg, size, dst);
	}
	lf_set(c, LF_ADD, size, dst, src, r);
}

/* CMPXCHG: compare accumulator with DEST; equal: DEST = SRC, else
 * accumulator = DEST. The destination is written either way (the
 * processor always does a write cycle). */
void op_cmpxchg(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t acc = reg_read(c, R_EAX, size), src = reg_read(c, i->reg, size), dst;
	if (i->mod == 3) {
		dst = reg_read(c, i->rm, size);
		if (dst == acc)
			reg_write(c, i->rm, size, src);
		else
			reg_write(c, R_EAX, size, dst);
	} else {
		uint32_t ea = insn_ea(c, i);
		dst = mem_read_rmw(c, i->seg, ea, size);
		mem_write(c, i->seg, ea, size, dst == acc ? src : dst);
		if (dst != acc)
			reg_write(c, R_EAX, size, dst);
	}
	lf_set(c, LF_SUB, size, acc, dst, (acc - dst) & size_mask(size));
}

/* CMPXCHG8B m64: EDX:EAX vs m64; equal: m64 = ECX:EBX, ZF = 1; else
 * EDX:EAX = m64, ZF = 0 (m64 rewritten unchanged). */
void op_cmpxchg8b(struct cpu *c, const struct insn *i)
{
	uint32_t ea = insn_ea(c, i);
	uint32_t lo = mem_read_rmw(c, i->seg, ea, 4);
	uint32_t hi = mem_read_rmw(c, i->seg, ea + 4, 4);
	uint32_t f = cpu_get_eflags(c);
	if (lo == c->s.gpr[R_EAX] && hi == c->s.gpr[R_EDX]) {
		mem_write(c, i->seg, ea, 4, c->s.gpr[R_EBX]);
		mem_write(c, i->seg, ea + 4, 4, c->s.gpr[R_ECX]);
		c->s.eflags = f | FL_ZF;
	} else {
		mem_write(c, i->seg, ea, 4, lo);
		mem_write(c, i->seg, ea + 4, 4, hi);
		c->s.gpr[R_EAX] = lo;
		c->s.gpr[R_EDX] = hi;
		c->s.eflags = f & ~FL_ZF;
	}
}
