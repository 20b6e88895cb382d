/* flags.c - lazy arithmetic flags and EFLAGS access.
 *
 * The common flag-setting operations (ADD/ADC, SUB/SBB/CMP/NEG, logic,
 * INC/DEC) record their operands and result in struct core instead of
 * computing six flags; the flags are computed when something reads them
 * (Jcc, PUSHF, an exception, cpu_get_state). Other instructions write
 * s.eflags directly after materialising.
 */
#include "core.h"

static int parity8(uint32_t v)
{
	return !__builtin_parity(v & 0xFF);
}

uint32_t flags_szp(uint32_t res, int size)
{
	uint32_t f = 0;
	res &= size_mask(size);
	if (res == 0)
		f |= FL_ZF;
	if (res & sign_bit(size))
		f |= FL_SF;
	if (parity8(res))
		f |= FL_PF;
	return f;
}

/* The six arithmetic flags from the recorded operation; CF for INC/DEC
 * is the one they found (saved in lf_cf: those instructions keep it). */
uint32_t flags_compute(const struct core *k, uint32_t eflags)
{
	uint32_t a = k->lf_a, b = k->lf_b, res = k->lf_res;
	uint32_t top = sign_bit(k->lf_size);
	uint32_t f = flags_szp(res, k->lf_size);

	switch (k->lf_op) {
	case LF_ADD:
		if (((a & b) | ((a | b) & ~res)) & top)
			f |= FL_CF;
		/* fall through */
	case LF_INC:
		f |= (a ^ b ^ res) & FL_AF;
		if ((a ^ res) & (b ^ res) & top)
			f |= FL_OF;
		break;
	case LF_SUB:
		if (((~a & b) | (~(a ^ b) & res)) & top)
			f |= FL_CF;
		/* fall through */
	case LF_DEC:
		f |= (a ^ b ^ res) & FL_AF;
		if ((a ^ b) & (a ^ res) & top)
			f |= FL_OF;
		break;
	case LF_LOGIC:
		break;
	default:
		return eflags & FL_ARITH;
	}
	if (k->lf_op == LF_INC || k->lf_op == LF_DEC)
		f |= k->lf_cf;
	return f;
}

uint32_t cpu_get_eflags(struct cpu *c)
{
	struct core *k = core_of(c);
	if (k->lf_op != LF_NONE) {
		c->s.eflags = (c->s.eflags & ~FL_ARITH) | flags_compute(k, c->s.eflags);
		k->lf_op = LF_NONE;
	}
	return c->s.eflags;
}

/* EFLAGS bits that exist on each model (others read as 0, bit 1 as 1). */
static uint32_t eflags_mask(struct cpu *c)
{
	uint32_t m = 0x37FD5;                 /* 386: CF..VM */
	if (c->model >= CPU_486)
		m |= FL_AC;
	if (cpu_has(c, FEAT_CPUID))
		m |= FL_ID;
	if (c->model >= CPU_PENTIUM)
		m |= FL_VIF | FL_VIP;
	return m;
}

void cpu_set_eflags(struct cpu *c, uint32_t val, uint32_t mask)
{
	uint32_t f = cpu_get_eflags(c);
	mask &= eflags_mask(c);
	c->s.eflags = (f & ~mask) | (val & mask) | 2;
	if ((f ^ c->s.eflags) & FL_VM)
		core_of(c)->fetch_mode = code_mode(c);   /* fetch_insn's shortcut compares it */
	if (c->s.eflags & FL_TF)
		core_attn(c);   /* the run loop reads TF only while attn is set */
}

/* Condition codes 0..15 in Jcc/SETcc/CMOVcc order. */
int cond_true(struct cpu *c, int cc)
{
	struct core *k = core_of(c);
	int r;
	/* Fast cases straight from a lazy result: Z/NZ after anything, and the
	 * unsigned/sign tests after a logic op. */
	if (k->lf_op != LF_NONE && (cc >> 1) == 2) {
		r = (k->lf_res & size_mask(k->lf_size)) == 0;
		return (cc & 1) ? !r : r;
	}
	if ((cc >> 1) == 1) {
		r = get_cf(c);
		return (cc & 1) ? !r : r;
	}
	if ((k->lf_op == LF_SUB || k->lf_op == LF_LOGIC) && (cc >> 1) != 5) {
		/* After CMP/SUB/SBB or a logic op (the compare-and-branch
		 * idiom): CF, ZF, SF and OF straight from the lazy record with
		 * flags_compute()'s formulas, leaving the flags lazy. */
		uint32_t a = k->lf_a, b = k->lf_b, res = k->lf_res, top = sign_bit(k->lf_size);
		int cf = 0, of = 0;
		if (k->lf_op == LF_SUB) {
			cf = (((~a & b) | (~(a ^ b) & res)) & top) != 0;
			of = ((a ^ b) & (a ^ res) & top) != 0;
		}
		int zf = (res & size_mask(k->lf_size)) == 0, sf = (res & top) != 0;
		switch (cc >> 1) {
		case 0: r = of; break;
		case 3: r = cf || zf; break;
		case 4: r = sf; break;
		case 6: r = sf != of; break;
		default: r = zf || sf != of; break;   /* 7: LE/NG */
		}
		return (cc & 1) ? !r : r;
	}
	uint32_t f = cpu_get_eflags(c);
	switch (cc >> 1) {
	case 0: r = (f & FL_OF) != 0; break;
	case 1: r = (f & FL_CF) != 0; break;
	case 2: r = (f & FL_ZF) != 0; break;
	case 3: r = (f & (FL_CF | FL_ZF)) != 0; break;
	case 4: r = (f & FL_SF) != 0; break;
	case 5: r = (f & FL_PF) != 0; break;
	case 6: r = !(f & FL_SF) != !(f & FL_OF); break;
	default: r = ((f & FL_ZF) != 0) || (!(f & FL_SF) != !(f & FL_OF)); break;
	}
	return (cc & 1) ? !r : r;
}
