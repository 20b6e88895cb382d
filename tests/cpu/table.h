/* table.h - a table-driven single-instruction runner shared by the family
 * tests: load EAX/EBX/ECX/EDX and EFLAGS, run `code` + HLT in flat 32-bit
 * protected mode, compare EAX, EDX, the flags under `mask`, and the
 * exception vector (-1: none). */
#ifndef TESTS_CPU_TABLE_H
#define TESTS_CPU_TABLE_H

#include <criterion/criterion.h>
#include <string.h>
#include "harness.h"

struct row {
	const char *name;
	uint8_t code[10];
	int len;
	uint32_t eax, ebx, ecx, edx, fl_in;
	uint32_t eax_out, edx_out, fl_out, mask;
	int vec;
};

static inline void run_rows(struct tm *t, const struct row *rows, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct row *r = &rows[k];
		uint8_t code[16];
		memcpy(code, r->code, (size_t)r->len);
		code[r->len] = 0xF4;
		tm_pm32(t);
		t->s.gpr[R_EAX] = r->eax;
		t->s.gpr[R_EBX] = r->ebx;
		t->s.gpr[R_ECX] = r->ecx;
		t->s.gpr[R_EDX] = r->edx;
		t->s.eflags = 2 | r->fl_in;
		tm_set(t);
		tm_code(t, code, (size_t)r->len + 1);
		cr_assert_eq(tm_run(t, 10), CPU_STOP_HLT, "%s", r->name);
		cr_expect_eq(tm_vector(t), r->vec, "%s: vector %d", r->name, tm_vector(t));
		if (r->vec >= 0) {
			/* a fault: registers untouched, EIP of the instruction pushed */
			cr_expect_eq(tm_rd(t, STACK_TOP - 12, 4), CODE_ADDR, "%s: fault eip", r->name);
			continue;
		}
		cr_expect_eq(t->s.gpr[R_EAX], r->eax_out, "%s: eax %08x", r->name, t->s.gpr[R_EAX]);
		cr_expect_eq(t->s.gpr[R_EDX], r->edx_out, "%s: edx %08x", r->name, t->s.gpr[R_EDX]);
		cr_expect_eq(t->s.eflags & r->mask, r->fl_out & r->mask, "%s: flags %03x want %03x",
			     r->name, t->s.eflags & r->mask, r->fl_out & r->mask);
	}
}

#define F(x) (FL_##x)
#define CO (FL_CF | FL_OF)
#define NOVEC (-1)

#endif
