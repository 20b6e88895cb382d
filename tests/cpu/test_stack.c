/* test_stack.c - PUSH/POP forms, PUSHA/POPA, PUSHF/POPF privilege rules,
 * ENTER with nesting levels, LEAVE, 16-bit stacks (SDM vol. 2). */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(stack, .init = setup, .fini = teardown);

/* push esp pushes the value before the decrement; pop esp loads ESP. */
Test(stack, push_pop_esp)
{
	static const uint8_t code[] = { 0x54, 0x5C, 0xF4 };
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4), STACK_TOP);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP);
}

Test(stack, pusha_popa)
{
	static const uint8_t code[] = { 0x60, 0x61, 0xF4 };
	for (int r = 0; r < 8; r++)
		if (r != R_ESP)
			t.s.gpr[r] = 0x1000u * (uint32_t)(r + 1);
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1), CPU_STOP_LIMIT);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP - 32);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4), 0x1000);          /* EAX first */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 20, 4), STACK_TOP);      /* original ESP */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 32, 4), 0x8000);         /* EDI last */
	tm_wr(&t, STACK_TOP - 20, 4, 0xDEAD);                       /* POPA skips ESP */
	tm_wr(&t, STACK_TOP - 4, 4, 0xAAAA);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP);
	cr_expect_eq(t.s.gpr[R_EAX], 0xAAAA);
	cr_expect_eq(t.s.gpr[R_EDI], 0x8000);
}

/* push 12345678h ; push -2 (6A sign-extends) ; pushw 1234h */
Test(stack, push_immediates)
{
	static const uint8_t code[] = { 0x68, 0x78, 0x56, 0x34, 0x12, 0x6A, 0xFE,
		0x66, 0x68, 0x34, 0x12, 0xF4 };
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4), 0x12345678);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 8, 4), 0xFFFFFFFE);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 10, 2), 0x1234);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP - 10);
}

/* pop dword [esp+4]: the address uses ESP after the increment. */
Test(stack, pop_mem_esp_based)
{
	static const uint8_t code[] = { 0x8F, 0x44, 0x24, 0x04, 0xF4 };
	t.s.gpr[R_ESP] = STACK_TOP - 16;
	tm_set(&t);
	tm_wr(&t, STACK_TOP - 16, 4, 0xFEEDF00D);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP - 12);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 8, 4), 0xFEEDF00D);
}

/* enter 8, 2 with EBP = 8F00h holding the caller's frame pointer chain. */
Test(stack, enter_nested)
{
	static const uint8_t code[] = { 0xC8, 0x08, 0x00, 0x02, 0xF4 };
	t.s.gpr[R_EBP] = 0x8F00;
	tm_set(&t);
	tm_wr(&t, 0x8F00 - 4, 4, 0xAAAA1111);     /* outer frame pointer copied */
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	uint32_t frame = STACK_TOP - 4;
	cr_expect_eq(tm_rd(&t, frame, 4), 0x8F00);                /* old EBP */
	cr_expect_eq(tm_rd(&t, frame - 4, 4), 0xAAAA1111);        /* level 1 copy */
	cr_expect_eq(tm_rd(&t, frame - 8, 4), frame);             /* new frame pointer */
	cr_expect_eq(t.s.gpr[R_EBP], frame);
	cr_expect_eq(t.s.gpr[R_ESP], frame - 8 - 8);
}

/* enter 8,0 ; leave restores ESP/EBP. */
Test(stack, enter_leave)
{
	static const uint8_t code[] = { 0xC8, 0x08, 0x00, 0x00, 0xC9, 0xF4 };
	t.s.gpr[R_EBP] = 0x1234;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1), CPU_STOP_LIMIT);
	cr_expect_eq(t.s.gpr[R_EBP], STACK_TOP - 4);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP - 12);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EBP], 0x1234);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP);
}

/* Real mode (16-bit stack): push ax wraps SP at 0 within SS. */
Test(stack, real_mode_sp_wrap)
{
	static const uint8_t code[] = { 0x50, 0xF4 };
	tm_real(&t);
	t.s.seg[S_SS].sel = 0x2000;
	t.s.seg[S_SS].base = 0x20000;
	t.s.gpr[R_ESP] = 0xABCD0000;
	t.s.gpr[R_EAX] = 0x4242;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ESP], 0xABCDFFFE);
	cr_expect_eq(tm_rd(&t, 0x2FFFE, 2), 0x4242);
}

/* popfd at CPL 0: IOPL and IF change, VM and RF do not, reserved bits stay. */
Test(stack, popf_cpl0)
{
	static const uint8_t code[] = { 0x9D, 0xF4 };
	t.s.gpr[R_ESP] = STACK_TOP - 4;
	tm_set(&t);
	tm_wr(&t, STACK_TOP - 4, 4, 0x00037ED7u | 0x8028u | FL_VM | FL_RF);   /* no TF */
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.eflags & (FL_IOPL | FL_IF | FL_VM | FL_RF | FL_CF | FL_NT), FL_IOPL | FL_IF | FL_CF | FL_NT);
	cr_expect_eq(t.s.eflags & 0x8028, 0);   /* reserved bits 3, 5, 15 */
	cr_expect(t.s.eflags & 2);
}

/* pushfd clears VM and RF in the image. */
Test(stack, pushf_image)
{
	static const uint8_t code[] = { 0x9C, 0xF4 };
	t.s.eflags = 2 | FL_RF | FL_CF | FL_DF;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4), 2 | FL_CF | FL_DF);
}

/* 16-bit POPF cannot touch the upper half (AC etc.). */
Test(stack, popf16_low_half)
{
	static const uint8_t code[] = { 0x66, 0x9D, 0xF4 };
	t.s.gpr[R_ESP] = STACK_TOP - 2;
	t.s.eflags = 2 | FL_AC;
	tm_set(&t);
	tm_wr(&t, STACK_TOP - 2, 2, 0x0001);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.eflags & (FL_AC | FL_CF), FL_AC | FL_CF);
}

