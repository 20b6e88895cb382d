/* shift.c - ROL ROR RCL RCR SHL SHR SAR (group 2) and SHLD/SHRD.
 *
 * Counts are masked to 5 bits (all processors from the 286 on); a masked
 * count of 0 changes nothing. RCL/RCR rotate through 9/17/33 bits. Flags
 * that Intel leaves undefined follow QEMU: the OF formula of the 1-bit form
 * is applied at every count (SHL: MSB(res) ^ CF; SHR: 0 unless count 1;
 * SAR: 0; ROL: MSB(res) ^ CF; ROR: the two top result bits; RCL/RCR:
 * MSB(src) ^ MSB(res); SHLD: MSB(res) ^ CF; SHRD: MSB(res) ^ MSB(dst >>
 * (count - 1))); AF is cleared by shifts and left alone by rotates.
 * Checked against qemu-system-i386 7.2 on ~3600 real-mode cases.
 */
#include "core.h"

/* Compute the shift/rotate `op` (ModRM.reg) of a by count (already masked,
 * non-zero). Returns the result; *fl receives, for a rotate (op < 4), the
 * new arithmetic flags, for a shift only CF and OF (SF, ZF and PF follow
 * from the result, AF is cleared: the caller records them lazily). */
static uint32_t do_shift(struct cpu *c, int op, uint32_t a, unsigned count, int size, uint32_t *fl)
{
	unsigned bits = (unsigned)size * 8;
	uint32_t m = size_mask(size), top = sign_bit(size), r, cf;
	/* Rotates keep SF, ZF, AF and PF, so they need the current flags;
	 * shifts set all six from the result and the count alone, so
	 * materialising the lazy flags for them would be wasted work. */
	uint32_t f = op < 4 ? cpu_get_eflags(c) & FL_ARITH : 0;

	switch (op) {
	case 0: {  /* ROL */
		unsigned n = count % bits;
		r = n ? ((a << n) | (a >> (bits - n))) & m : a;
		cf = r & 1;
		f = (f & ~(FL_CF | FL_OF)) | (cf ? FL_CF : 0) |
		    ((((r & top) != 0) ^ cf) ? FL_OF : 0);
		break;
	}
	case 1: {  /* ROR */
		unsigned n = count % bits;
		r = n ? ((a >> n) | (a << (bits - n))) & m : a;
		cf = (r & top) != 0;
		f = (f & ~(FL_CF | FL_OF)) | (cf ? FL_CF : 0) |
		    ((cf ^ ((r & (top >> 1)) != 0)) ? FL_OF : 0);
		break;
	}
	case 2: case 3: {  /* RCL, RCR through CF: a (bits+1)-bit rotation */
		unsigned n = size == 4 ? count : count % (bits + 1);
		if (n == 0) {
			*fl = f;
			return a;
		}
		uint64_t v = ((uint64_t)((f & FL_CF) != 0) << bits) | a;
		uint64_t vm = ((uint64_t)1 << (bits + 1)) - 1;
		if (op == 2)
			v = ((v << n) | (v >> (bits + 1 - n))) & vm;
		else
			v = ((v >> n) | (v << (bits + 1 - n))) & vm;
		r = (uint32_t)v & m;
		cf = (uint32_t)(v >> bits) & 1;
		f = (f & ~(FL_CF | FL_OF)) | (cf ? FL_CF : 0) | (((a ^ r) & top) ? FL_OF : 0);
		break;
	}
	case 5:  /* SHR */
		r = a >> count;
		cf = (a >> (count - 1)) & 1;
		f = (cf ? FL_CF : 0) | ((count == 1 && (a & top)) ? FL_OF : 0);
		break;
	case 7: {  /* SAR */
		int32_t sa = (int32_t)sext(a, size);
		r = (uint32_t)(sa >> count) & m;
		cf = (uint32_t)(sa >> (count - 1)) & 1;
		f = cf ? FL_CF : 0;
		break;
	}
	default:   /* SHL, SAL (/4 and /6) */
		r = (a << count) & m;
		cf = count <= bits ? (a >> (bits - count)) & 1 : 0;
		f = (cf ? FL_CF : 0) | ((((r & top) != 0) ^ cf) ? FL_OF : 0);
		break;
	}
	*fl = f;
	return r;
}

void op_shift_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	unsigned count;
	if (i->op == 0xD0 || i->op == 0xD1)
		count = 1;
	else if (i->op == 0xD2 || i->op == 0xD3)
		count = c->s.gpr[R_ECX] & 0x1F;
	else
		count = i->imm & 0x1F;
	uint32_t fl, r;
	if (i->mod == 3) {
		if (!count)
			return;
		r = do_shift(c, i->reg, reg_read(c, i->rm, size), count, size, &fl);
		reg_write(c, i->rm, size, r);
	} else {
		uint32_t ea = insn_ea(c, i);
		uint32_t a = mem_read_rmw(c, i->seg, ea, size);
		if (!count)
			return;
		r = do_shift(c, i->reg, a, count, size, &fl);
		mem_write(c, i->seg, ea, size, r);
	}
	if (i->reg < 4)
		flags_set_arith(c, fl);
	else
		lf_set_res(c, size, r, fl);
}

/* SHL/SAL/SHR/SAR of a 32-bit register by CL (D3 with ModRM.reg 4-7 and
 * mod 3, chosen by decode_insn): do_shift's results without its size
 * dispatch or the rotate cases; the flags (AF cleared, OF by the 1-bit
 * formula at every count) are left to the lazy record (LF_SHL/SHR/SAR),
 * which keeps the operand and the count. */
void op_shift_r32(struct cpu *c, const struct insn *i)
{
	unsigned count = c->s.gpr[R_ECX] & 0x1F;
	if (!count)
		return;
	uint32_t a = c->s.gpr[i->rm], r;
	int kind;
	switch (i->reg) {
	case 5: r = a >> count; kind = LF_SHR; break;
	case 7: r = (uint32_t)((int32_t)a >> count); kind = LF_SAR; break;
	default: r = a << count; kind = LF_SHL; break;   /* SHL, SAL */
	}
	c->s.gpr[i->rm] = r;
	lf_set(c, kind, 4, a, count, r);
}

/* SHL/SAL, SHR, SAR of a 32-bit register by a constant (C1 and D1 with
 * mod 3, chosen by decode_insn when the masked count i->cnt is 1..31; a
 * masked count of 0 decodes to NOP): op_shift_r32 with the count and the
 * operation fixed. */
void op_shl_r32_imm(struct cpu *c, const struct insn *i)
{
	uint32_t a = c->s.gpr[i->dst], r = a << i->cnt;
	c->s.gpr[i->dst] = r;
	lf_set(c, LF_SHL, 4, a, i->cnt, r);
}

void op_shr_r32_imm(struct cpu *c, const struct insn *i)
{
	uint32_t a = c->s.gpr[i->dst], r = a >> i->cnt;
	c->s.gpr[i->dst] = r;
	lf_set(c, LF_SHR, 4, a, i->cnt, r);
}

void op_sar_r32_imm(struct cpu *c, const struct insn *i)
{
	uint32_t a = c->s.gpr[i->dst], r = (uint32_t)((int32_t)a >> i->cnt);
	c->s.gpr[i->dst] = r;
	lf_set(c, LF_SAR, 4, a, i->cnt, r);
}

/* SHLD/SHRD: 16-bit forms with counts above 16 shift the 48-bit pattern
 * dst:src:dst, as Intel parts and QEMU do. */
static void shiftd(struct cpu *c, const struct insn *i, int right)
{
	int size = i->osz;
	unsigned count = ((i->op & 1) ? c->s.gpr[R_ECX] : i->imm) & 0x1F;
	uint32_t src = reg_read(c, i->reg, size), a, ea = 0, r, tmp;
	if (i->mod == 3) {
		a = reg_read(c, i->rm, size);
	} else {
		ea = insn_ea(c, i);
		a = mem_read_rmw(c, i->seg, ea, size);
	}
	if (!count)
		return;
	uint64_t v;
	if (size == 4) {
		if (right) {
			v = ((uint64_t)src << 32) | a;
			r = (uint32_t)(v >> count);
			tmp = (uint32_t)(v >> (count - 1));
		} else {
			v = ((uint64_t)a << 32) | src;
			r = (uint32_t)(v >> (32 - count));
			tmp = (uint32_t)(v >> (33 - count));
		}
	} else {
		if (right) {
			v = ((uint64_t)a << 32) | ((uint64_t)src << 16) | a;
			r = (uint32_t)(v >> count) & 0xFFFF;
			tmp = (uint32_t)(v >> (count - 1)) & 0xFFFF;
		} else {
			v = ((uint64_t)a << 32) | ((uint64_t)src << 16) | a;
			r = (uint32_t)(v >> (32 - count)) & 0xFFFF;
			tmp = (uint32_t)(v >> (33 - count)) & 0xFFFF;
		}
	}
	uint32_t top = sign_bit(size);
	uint32_t cf = right ? (tmp & 1) : ((tmp & top) != 0);
	/* OF as QEMU: MSB(result) XOR MSB(the destination shifted by count - 1
	 * alone); for SHRD the bits shifted in from the source do not count
	 * (32-bit), the 16-bit form uses src:dst as one 32-bit value. */
	uint32_t ofsrc = tmp;
	if (right)
		ofsrc = size == 4 ? a >> (count - 1) : ((((src & 0xFFFF) << 16) | a) >> (count - 1)) & 0xFFFF;
	uint32_t f = (cf ? FL_CF : 0) | (((r ^ ofsrc) & top) ? FL_OF : 0);
	if (i->mod == 3)
		reg_write(c, i->rm, size, r);
	else
		mem_write(c, i->seg, ea, size, r);
	lf_set_res(c, size, r, f);
}

void op_shld(struct cpu *c, const struct insn *i) { shiftd(c, i, 0); }
void op_shrd(struct cpu *c, const struct insn *i) { shiftd(c, i, 1); }
