/* test_alu.c - ADD..CMP, INC/DEC, NEG/NOT, TEST: results and all six
 * arithmetic flags, worked out from the Intel SDM definitions (CF: carry/
 * borrow out of the top bit; OF: signed overflow; AF: carry/borrow out of
 * bit 3; PF: even parity of the low byte; logic ops clear CF and OF). */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(alu, .init = setup, .fini = teardown);

struct alu_case {
	const char *name;
	uint8_t code[8];
	int len;
	uint32_t eax, ebx, fl_in;
	uint32_t eax_out, fl_out;   /* fl_out: the six arithmetic flags */
};

#define F(x) (FL_##x)
static const struct alu_case cases[] = {
	/* add al, bl */
	{ "add8 carry+zero", { 0x00, 0xD8 }, 2, 0xFF, 0x01, 0, 0x00, F(CF) | F(ZF) | F(AF) | F(PF) },
	{ "add8 overflow", { 0x00, 0xD8 }, 2, 0x7F, 0x01, 0, 0x80, F(OF) | F(SF) | F(AF) },
	{ "add8 keeps high bits", { 0x00, 0xD8 }, 2, 0x12345601, 0x02, 0, 0x12345603, F(PF) },
	/* add eax, ebx */
	{ "add32 no flags", { 0x01, 0xD8 }, 2, 0x10, 0x21, 0, 0x31, 0 },
	{ "add32 signed ovf", { 0x01, 0xD8 }, 2, 0x80000000, 0x80000000, 0, 0, F(CF) | F(OF) | F(ZF) | F(PF) },
	/* sub eax, ebx */
	{ "sub32 borrow", { 0x29, 0xD8 }, 2, 0, 1, 0, 0xFFFFFFFF, F(CF) | F(SF) | F(AF) | F(PF) },
	{ "sub32 ovf", { 0x29, 0xD8 }, 2, 0x80000000, 1, 0, 0x7FFFFFFF, F(OF) | F(AF) | F(PF) },
	{ "sub32 equal", { 0x29, 0xD8 }, 2, 1234, 1234, F(CF), 0, F(ZF) | F(PF) },
	/* adc eax, ebx with CF=1 */
	{ "adc32 carry in", { 0x11, 0xD8 }, 2, 0xFFFFFFFF, 0, F(CF), 0, F(CF) | F(ZF) | F(AF) | F(PF) },
	{ "adc32 no carry in", { 0x11, 0xD8 }, 2, 0xFFFFFFFF, 0, 0, 0xFFFFFFFF, F(SF) | F(PF) },
	{ "adc32 7fffffff+0+1", { 0x11, 0xD8 }, 2, 0x7FFFFFFF, 0, F(CF), 0x80000000, F(OF) | F(SF) | F(AF) | F(PF) },
	/* sbb al, bl with CF=1 */
	{ "sbb8 0-0-1", { 0x18, 0xD8 }, 2, 0, 0, F(CF), 0xFF, F(CF) | F(SF) | F(AF) | F(PF) },
	{ "sbb8 80-7f-1", { 0x18, 0xD8 }, 2, 0x80, 0x7F, F(CF), 0, F(OF) | F(ZF) | F(AF) | F(PF) },
	{ "sbb8 ff-ff-1", { 0x18, 0xD8 }, 2, 0xFF, 0xFF, F(CF), 0xFF, F(CF) | F(SF) | F(AF) | F(PF) },
	/* and eax, ebx clears CF/OF */
	{ "and32 zero", { 0x21, 0xD8 }, 2, 0xF0F0F0F0, 0x0F0F0F0F, F(CF) | F(OF), 0, F(ZF) | F(PF) },
	/* or al, bl */
	{ "or8 sign", { 0x08, 0xD8 }, 2, 0x80, 0x01, F(CF), 0x81, F(SF) | F(PF) },
	/* xor al, al */
	{ "xor8 self", { 0x30, 0xC0 }, 2, 0xAB, 0, F(CF), 0, F(ZF) | F(PF) },
	/* cmp eax, ebx: eax unchanged */
	{ "cmp32 below", { 0x39, 0xD8 }, 2, 5, 7, 0, 5, F(CF) | F(SF) | F(AF) },
	/* inc eax keeps CF */
	{ "inc32 ovf keeps CF", { 0x40 }, 1, 0x7FFFFFFF, 0, F(CF), 0x80000000, F(CF) | F(OF) | F(SF) | F(AF) | F(PF) },
	{ "dec32 keeps CF clear", { 0x48 }, 1, 0, 0, 0, 0xFFFFFFFF, F(SF) | F(AF) | F(PF) },
	{ "dec32 80000000", { 0x48 }, 1, 0x80000000, 0, F(CF), 0x7FFFFFFF, F(CF) | F(OF) | F(AF) | F(PF) },
	/* neg eax */
	{ "neg32 zero", { 0xF7, 0xD8 }, 2, 0, 0, F(CF), 0, F(ZF) | F(PF) },
	{ "neg32 min", { 0xF7, 0xD8 }, 2, 0x80000000, 0, 0, 0x80000000, F(CF) | F(OF) | F(SF) | F(PF) },
	{ "neg32 one", { 0xF7, 0xD8 }, 2, 1, 0, 0, 0xFFFFFFFF, F(CF) | F(SF) | F(AF) | F(PF) },
	/* add ax, bx */
	{ "add16 keeps upper", { 0x66, 0x01, 0xD8 }, 3, 0x1234FFFF, 1, 0, 0x12340000, F(CF) | F(ZF) | F(AF) | F(PF) },
	/* test al, 80h */
	{ "test8 imm", { 0xA8, 0x80 }, 2, 0x80, 0, F(CF) | F(OF), 0x80, F(SF) },
	/* add eax, -1 (83 /0 ib sign-extended) */
	{ "add32 imm8 sext", { 0x83, 0xC0, 0xFF }, 3, 1, 0, 0, 0, F(CF) | F(ZF) | F(AF) | F(PF) },
	/* not eax: flags untouched */
	{ "not32", { 0xF7, 0xD0 }, 2, 0x0F0F0000, 0, F(CF) | F(ZF), 0xF0F0FFFF, F(CF) | F(ZF) },
};

Test(alu, table)
{
	for (size_t n = 0; n < sizeof cases / sizeof cases[0]; n++) {
		const struct alu_case *k = &cases[n];
		uint8_t code[16];
		memcpy(code, k->code, (size_t)k->len);
		code[k->len] = 0xF4;
		tm_pm32(&t);
		t.s.gpr[R_EAX] = k->eax;
		t.s.gpr[R_EBX] = k->ebx;
		t.s.eflags = 2 | k->fl_in;
		tm_set(&t);
		tm_code(&t, code, (size_t)k->len + 1);
		cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT, "%s", k->name);
		cr_assert_eq(tm_vector(&t), -1, "%s: exception", k->name);
		cr_expect_eq(t.s.gpr[R_EAX], k->eax_out, "%s: eax %08x", k->name, t.s.gpr[R_EAX]);
		cr_expect_eq(t.s.eflags & ARITH, k->fl_out, "%s: flags %03x want %03x", k->name,
			     t.s.eflags & ARITH, k->fl_out);
	}
}

/* add dword [0x10000], 5 ; hlt - read-modify-write memory destination. */
Test(alu, memory_destination)
{
	static const uint8_t code[] = { 0x83, 0x05, 0x00, 0x00, 0x01, 0x00, 0x05, 0xF4 };
	tm_wr(&t, 0x10000, 4, 0xFFFFFFFE);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, 0x10000, 4), 3);
	/* FFFFFFFE + 5: carry out of bit 31 and of bit 3; 03h has even parity */
	cr_expect_eq(t.s.eflags & ARITH, FL_CF | FL_AF | FL_PF);
}

/* adc byte [ebx+ecx*4+8], dl with SIB addressing and CF in. */
Test(alu, sib_adc)
{
	static const uint8_t code[] = { 0x10, 0x54, 0x8B, 0x08, 0xF4 };
	t.s.gpr[R_EBX] = 0x10000;
	t.s.gpr[R_ECX] = 3;
	t.s.gpr[R_EDX] = 0x10;
	t.s.eflags |= FL_CF;
	tm_set(&t);
	tm_wr(&t, 0x10000 + 12 + 8, 1, 0x0F);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, 0x10014, 1), 0x20);
	cr_expect_eq(t.s.eflags & ARITH, FL_AF);
}

/* Real mode: sub bx, [bp+si+4] uses SS by default. */
Test(alu, real_mode_bp_si)
{
	static const uint8_t code[] = { 0x2B, 0x5A, 0x04, 0xF4 };
	tm_real(&t);
	t.s.seg[S_SS].sel = 0x2000;
	t.s.seg[S_SS].base = 0x20000;
	t.s.gpr[R_EBP] = 0x100;
	t.s.gpr[R_ESI] = 0x10;
	t.s.gpr[R_EBX] = 0xABCD0005;
	tm_set(&t);
	tm_wr(&t, 0x20114, 2, 6);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EBX], 0xABCDFFFF);
	cr_expect_eq(t.s.eflags & ARITH, FL_CF | FL_SF | FL_AF | FL_PF);
}

/* CMP with a faulting write never happens; but an RMW ADD to a read-only
 * segment is #GP(0) and leaves memory and flags untouched. */
Test(alu, rmw_readonly_segment_gp)
{
	/* mov ds... done via state: DS = read-only data at DATA_ADDR.
	 * add dword [0], 1 */
	static const uint8_t code[] = { 0x83, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0xF4 };
	t.s.seg[S_DS].sel = SEL_RODATA;
	t.s.seg[S_DS].base = DATA_ADDR;
	t.s.seg[S_DS].limit = 0xFFF;
	t.s.seg[S_DS].flags = 0x409100;
	t.s.eflags = 2 | FL_ZF;
	tm_set(&t);
	tm_wr(&t, DATA_ADDR, 4, 41);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 41);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 0);          /* error code */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);  /* faulting EIP */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 8, 4), SEL_CODE32);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4) & ARITH, FL_ZF);  /* flags pushed unchanged */
}
