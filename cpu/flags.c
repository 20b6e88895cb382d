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

/* SF, ZF, PF of res for the operand size whose sign bit is `top`. */
static inline uint32_t szp(uint32_t res, uint32_t top)
{
	uint32_t f = 0;
	res &= top | (top - 1);
	if (res == 0)
		f |= FL_ZF;
	if (res & top)
		f |= FL_SF;
	if (parity8(res))
		f |= FL_PF;
	return f;
}

uint32_t flags_szp(uint32_t res, int size)
{
	return szp(res, sign_bit(size));
}

/* The six arithmetic flags from the recorded operation (see LF_NONE in
 * core.h for what each kind keeps). */
uint32_t flags_compute(const struct core *k, uint32_t eflags)
{
	int kind = k->lf_op & LF_KIND;
	if (kind == LF_NONE)
		return eflags & FL_ARITH;
	uint32_t a = k->lf_a, b = k->lf_b, res = k->lf_res;
	uint32_t top = lf_top(k->lf_op);
	uint32_t f = szp(res, top);

	switch (kind) {
	case LF_ADD:
		if (((a & b) | ((a | b) & ~res)) & top)
			f |= FL_CF;
		f |= (a ^ b ^ res) & FL_AF;
		if ((a ^ res) & (b ^ res) & top)
			f |= FL_OF;
		break;
	case LF_SUB:
		if (((~a & b) | (~(a ^ b) & res)) & top)
			f |= FL_CF;
		f |= (a ^ b ^ res) & FL_AF;
		if ((a ^ b) & (a ^ res) & top)
			f |= FL_OF;
		break;
	case LF_INC:   /* a + 1; CF kept in lf_b */
		f |= ((a ^ 1 ^ res) & FL_AF) | (b & FL_CF);
		if ((a ^ res) & (1 ^ res) & top)
			f |= FL_OF;
		break;
	case LF_DEC:   /* a - 1; CF kept in lf_b */
		f |= ((a ^ 1 ^ res) & FL_AF) | (b & FL_CF);
		if ((a ^ 1) & (a ^ res) & top)
			f |= FL_OF;
		break;
	case LF_RES:
		f |= b & (FL_CF | FL_OF | FL_AF);
		break;
	case LF_SHL: case LF_SHR: case LF_SAR: {
		/* AF cleared; OF as shift.c's do_shift */
		uint32_t cf = (uint32_t)lf_shift_cf(k->lf_op, a, b);
		f |= cf * FL_CF;
		if (kind == LF_SHL ? ((res & top) != 0) ^ cf : kind == LF_SHR && b == 1 && (a & top))
			f |= FL_OF;
		break;
	}
	default:       /* LF_LOGIC */
		break;
	}
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

void cpu_set_eflags(struct cpu *c, uint32_t val, uint32_t mask)
{
	struct core *k = core_of(c);
	uint32_t f;

	/* Only the bits the model has (others read as 0, bit 1 as 1): the
	 * system half's sys_eflags_mask(), which callers may therefore
	 * leave out of `mask`. */
	mask &= sys_eflags_mask(c);
	/* When all six arithmetic flags are replaced (IRET, POPF, task
	 * switches), the lazy record's values would be masked away:
	 * forget the record instead of computing them. */
	if ((mask & FL_ARITH) == FL_ARITH)
		k->lf_op = LF_NONE;
	f = cpu_get_eflags(c);
	c->s.eflags = (f & ~mask) | (val & mask) | 2;
	if ((f ^ c->s.eflags) & FL_VM)
		core_of(c)->fetch_mode = code_mode(c);   /* block_fetch's shortcut compares it */
	if (c->s.eflags & FL_TF)
		core_attn(c);   /* the run loop reads TF only while attn is set */
}

/* Condition codes 0..15 in Jcc/SETcc/CMOVcc order, straight from the
 * lazy record (cond_eval in core.h). */
int cond_true(struct cpu *c, int cc)
{
	return cond_eval(c, cc);
}
