/* bitops.c - BT BTS BTR BTC, BSF BSR, BSWAP.
 *
 * BT* change CF only (the other flags, undefined, are left as they were).
 * The register-offset memory forms address the bit string beyond the
 * operand: the signed offset selects the word/dword at EA + (off >> 3 or 4)
 * scaled, as Intel describes. BSF/BSR with a zero source set ZF and leave
 * the destination unchanged; their other flags follow QEMU (logic flags of
 * the source: SF PF from it, CF OF AF clear).
 */
#include "core.h"

/* Apply BT (0) / BTS (1) / BTR (2) / BTC (3) to value v at bit b; returns
 * the new value and sets CF to the old bit. */
static uint32_t bit_op(struct cpu *c, int kind, uint32_t v, unsigned b)
{
	uint32_t f = cpu_get_eflags(c);
	uint32_t mask = 1u << b;
	c->s.eflags = (v & mask) ? (f | FL_CF) : (f & ~FL_CF);
	switch (kind) {
	case 1: return v | mask;
	case 2: return v & ~mask;
	case 3: return v ^ mask;
	default: return v;
	}
}

static void bt_common(struct cpu *c, const struct insn *i, int kind, uint32_t off, int reg_off)
{
	int size = i->osz;
	unsigned bits = (unsigned)size * 8;
	if (i->mod == 3) {
		uint32_t v = reg_read(c, i->rm, size);
		uint32_t r = bit_op(c, kind, v, off & (bits - 1));
		if (kind)
			reg_write(c, i->rm, size, r);
		return;
	}
	uint32_t ea = insn_ea(c, i);
	if (reg_off) {
		/* Signed bit offset: move to the operand-sized unit holding it. */
		int32_t so = (int32_t)sext(off, size);
		int32_t unit = so >> (size == 4 ? 5 : 4);
		ea += (uint32_t)unit * (uint32_t)size;
		if (i->asz == 2)
			ea &= 0xFFFF;
	}
	unsigned b = off & (bits - 1);
	if (kind == 0) {
		bit_op(c, 0, mem_read(c, i->seg, ea, size), b);
		return;
	}
	uint32_t v = mem_read_rmw(c, i->seg, ea, size);
	uint32_t nv = kind == 1 ? (v | (1u << b)) : kind == 2 ? (v & ~(1u << b)) : (v ^ (1u << b));
	mem_write(c, i->seg, ea, size, nv);
	bit_op(c, 0, v, b);
}

/* 0F A3/AB/B3/BB: BT/BTS/BTR/BTC Ev,Gv. */
void op_bt_rm_r(struct cpu *c, const struct insn *i)
{
	int kind = i->op == 0xA3 ? 0 : i->op == 0xAB ? 1 : i->op == 0xB3 ? 2 : 3;
	bt_common(c, i, kind, reg_read(c, i->reg, i->osz), 1);
}

/* 0F BA /4-/7: BT/BTS/BTR/BTC Ev,Ib (offset taken modulo the size). */
void op_bt_rm_imm(struct cpu *c, const struct insn *i)
{
	bt_common(c, i, i->reg - 4, i->imm & 0xFF, 0);
}

void op_bsf(struct cpu *c, const struct insn *i)
{
	uint32_t v = rm_read(c, i, i->osz);
	if (v)
		reg_write(c, i->reg, i->osz, (uint32_t)__builtin_ctz(v));
	lf_set(c, LF_LOGIC, i->osz, 0, 0, v);
}

void op_bsr(struct cpu *c, const struct insn *i)
{
	uint32_t v = rm_read(c, i, i->osz);
	if (v)
		reg_write(c, i->reg, i->osz, 31u - (uint32_t)__builtin_clz(v));
	lf_set(c, LF_LOGIC, i->osz, 0, 0, v);
}

/* BSWAP r32 (0F C8+r). With a 16-bit operand size the result is
 * undefined; QEMU (the conformance reference) swaps the whole register
 * regardless, and so do we. */
void op_bswap(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->reg] = __builtin_bswap32(c->s.gpr[i->reg]);
}
