/* bcd.c - decimal adjust: DAA DAS AAA AAS AAM AAD (Intel SDM vol. 2).
 *
 * Undefined flags follow QEMU: DAA/DAS clear OF; AAA/AAS leave OF SF ZF PF
 * unchanged; AAM/AAD set SF ZF PF from AL and clear CF OF AF.
 */
#include "core.h"

void op_daa(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t f = cpu_get_eflags(c), al = c->s.gpr[R_EAX] & 0xFF, old = al, nf = 0;
	if ((al & 0x0F) > 9 || (f & FL_AF)) {
		al = (al + 6) & 0xFF;
		nf |= FL_AF;
	}
	if (old > 0x99 || (f & FL_CF)) {
		al = (al + 0x60) & 0xFF;
		nf |= FL_CF;
	}
	reg_write(c, R_EAX, 1, al);
	flags_set_arith(c, nf | flags_szp(al, 1));
}

void op_das(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t f = cpu_get_eflags(c), al = c->s.gpr[R_EAX] & 0xFF, old = al, nf = 0;
	if ((al & 0x0F) > 9 || (f & FL_AF)) {
		nf |= FL_AF;
		if (al < 6 || (f & FL_CF))
			nf |= FL_CF;
		al = (al - 6) & 0xFF;
	}
	if (old > 0x99 || (f & FL_CF)) {
		al = (al - 0x60) & 0xFF;
		nf |= FL_CF;
	}
	reg_write(c, R_EAX, 1, al);
	flags_set_arith(c, nf | flags_szp(al, 1));
}

/* AAA: AX + 106h when the low digit overflowed (486+ behaviour). */
void op_aaa(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t f = cpu_get_eflags(c), al = c->s.gpr[R_EAX] & 0xFF, ah = (c->s.gpr[R_EAX] >> 8) & 0xFF;
	if ((al & 0x0F) > 9 || (f & FL_AF)) {
		ah = (ah + 1 + (al > 0xF9)) & 0xFF;
		al = (al + 6) & 0x0F;
		f |= FL_CF | FL_AF;
	} else {
		al &= 0x0F;
		f &= ~(FL_CF | FL_AF);
	}
	reg_write(c, R_EAX, 2, (ah << 8) | al);
	flags_set_arith(c, f);
}

void op_aas(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t f = cpu_get_eflags(c), al = c->s.gpr[R_EAX] & 0xFF, ah = (c->s.gpr[R_EAX] >> 8) & 0xFF;
	if ((al & 0x0F) > 9 || (f & FL_AF)) {
		ah = (ah - 1 - (al < 6)) & 0xFF;
		al = (al - 6) & 0x0F;
		f |= FL_CF | FL_AF;
	} else {
		al &= 0x0F;
		f &= ~(FL_CF | FL_AF);
	}
	reg_write(c, R_EAX, 2, (ah << 8) | al);
	flags_set_arith(c, f);
}

/* AAM imm8: AH = AL / imm8, AL = AL % imm8; imm8 = 0 is #DE. */
void op_aam(struct cpu *c, const struct insn *i)
{
	uint32_t base = i->imm & 0xFF, al = c->s.gpr[R_EAX] & 0xFF;
	if (base == 0)
		cpu_raise(c, EX_DE, 0, 0);
	uint32_t r = al % base;
	reg_write(c, R_EAX, 2, ((al / base) << 8) | r);
	flags_set_arith(c, flags_szp(r, 1));
}

/* AAD imm8: AL = (AH * imm8 + AL) & FFh, AH = 0. */
void op_aad(struct cpu *c, const struct insn *i)
{
	uint32_t base = i->imm & 0xFF, ax = c->s.gpr[R_EAX];
	uint32_t al = (((ax >> 8) & 0xFF) * base + (ax & 0xFF)) & 0xFF;
	reg_write(c, R_EAX, 2, al);
	flags_set_arith(c, flags_szp(al, 1));
}
