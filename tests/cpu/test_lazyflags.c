/* test_lazyflags.c - the lazy-flag shortcuts agree with the flags they
 * stand for. cond_true() and get_cf() answer from the lazy record without
 * computing EFLAGS; here every condition code (SDM vol. 2, "Jcc": O, NO, B,
 * AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G) is evaluated on the
 * materialised EFLAGS instead and both must agree, for random records of
 * every kind and size the handlers produce. (flags_compute() itself is
 * checked against QEMU by the conformance corpus.)
 */
#include <criterion/criterion.h>
#include "harness.h"
#include "core.h"

static uint32_t rng = 0x9E3779B9u;
static uint32_t next(void) { return tm_xorshift(&rng); }

static int cond_of_eflags(uint32_t f, int cc)
{
	int cf = !!(f & FL_CF), zf = !!(f & FL_ZF), sf = !!(f & FL_SF);
	int of = !!(f & FL_OF), pf = !!(f & FL_PF);
	int r;
	switch (cc >> 1) {
	case 0: r = of; break;
	case 1: r = cf; break;
	case 2: r = zf; break;
	case 3: r = cf | zf; break;
	case 4: r = sf; break;
	case 5: r = pf; break;
	case 6: r = sf != of; break;
	default: r = zf | (sf != of); break;
	}
	return (cc & 1) ? !r : r;
}

/* A random operand with edge values (0, all ones, sign bits) often. */
static uint32_t operand(int size)
{
	static const uint32_t edge[] = { 0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF,
		0x7FFFFFFF, 0x80000000, 0xFFFFFFFF };
	uint32_t v = (next() & 3) ? next() : edge[next() % 11];
	return v & size_mask(size);
}

Test(lazyflags, conditions_and_cf_match_materialised_eflags)
{
	struct tm t;
	tm_init(&t, CPU_P6);
	tm_pm32(&t);
	struct cpu *c = t.cpu;
	struct core *k = core_of(c);
	static const int sizes[] = { 1, 2, 4 };
	for (int n = 0; n < 200000; n++) {
		int size = sizes[next() % 3];
		uint32_t m = size_mask(size), a = operand(size), b = operand(size);
		c->s.eflags = 2 | (next() & (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF));
		k->lf_op = LF_NONE;
		int kind = (int)(next() % 9);
		switch (kind) {
		case 0: lf_set(c, LF_ADD, size, a, b, (a + b + (next() & 1)) & m); break;  /* ADD/ADC */
		case 1: lf_set(c, LF_SUB, size, a, b, (a - b - (next() & 1)) & m); break;  /* SUB/SBB/CMP */
		case 2: lf_set_logic(c, size, (a & b) & m); break;
		case 3: lf_set(c, LF_INC, size, a, next() & 1, (a + 1) & m); break;
		case 4: lf_set(c, LF_DEC, size, a, next() & 1, (a - 1) & m); break;
		case 5: lf_set_res(c, size, a, next() & (FL_CF | FL_OF | FL_AF)); break;
		case 6: case 7: case 8: {                 /* 32-bit shifts, count 1..31 */
			uint32_t x = operand(4), cnt = 1 + next() % 31;
			if (kind == 6)
				lf_set(c, LF_SHL, 4, x, cnt, x << cnt);
			else if (kind == 7)
				lf_set(c, LF_SHR, 4, x, cnt, x >> cnt);
			else
				lf_set(c, LF_SAR, 4, x, cnt, (uint32_t)((int32_t)x >> cnt));
			break;
		}
		default: break;   /* LF_NONE: straight from EFLAGS */
		}
		/* flags_compute() is pure; cpu_get_eflags() would replace the
		 * record by the EFLAGS it computes. */
		uint32_t f = (c->s.eflags & ~FL_ARITH) | flags_compute(k, c->s.eflags);
		/* Each question on the same record: asking for PF materialises
		 * EFLAGS (and ends the record), so the record is put back. */
		struct core saved = *k;
		uint32_t saved_eflags = c->s.eflags;
		for (int cc = 0; cc < 16; cc++) {
			*k = saved;
			c->s.eflags = saved_eflags;
			cr_assert_eq(cond_true(c, cc), cond_of_eflags(f, cc),
				     "case %d kind %d size %d cc %d a %x b %x", n, kind, size, cc, a, b);
		}
		*k = saved;
		c->s.eflags = saved_eflags;
		cr_assert_eq(get_cf(c), !!(f & FL_CF), "case %d kind %d", n, kind);
	}
	tm_fini(&t);
}
