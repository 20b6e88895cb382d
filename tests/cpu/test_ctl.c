/* test_ctl.c - Jcc conditions, CALL/RET near, indirect jumps, LOOP/JCXZ in
 * both address sizes, the CS limit check of near jumps, INT3/INTO, BOUND. */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(ctl, .init = setup, .fini = teardown);

/* SDM vol. 2 Jcc table, evaluated independently of the CPU. */
static int cc_ref(int cc, uint32_t f)
{
	int cf = !!(f & FL_CF), zf = !!(f & FL_ZF), sf = !!(f & FL_SF), of = !!(f & FL_OF),
	    pf = !!(f & FL_PF), r;
	switch (cc >> 1) {
	case 0: r = of; break;
	case 1: r = cf; break;
	case 2: r = zf; break;
	case 3: r = cf || zf; break;
	case 4: r = sf; break;
	case 5: r = pf; break;
	case 6: r = sf != of; break;
	default: r = zf || (sf != of); break;
	}
	return (cc & 1) ? !r : r;
}

/* jcc +1 ; inc eax ; hlt  (70+cc, short form) and 0F 80+cc near form. */
Test(ctl, jcc_all_conditions)
{
	static const uint32_t flag_sets[] = { 0, FL_CF, FL_ZF, FL_SF, FL_OF, FL_PF, FL_SF | FL_OF,
		FL_CF | FL_ZF, FL_ZF | FL_SF, FL_OF | FL_ZF, FL_CF | FL_PF | FL_SF };
	for (int cc = 0; cc < 16; cc++) {
		for (size_t k = 0; k < sizeof flag_sets / sizeof flag_sets[0]; k++) {
			for (int nearf = 0; nearf < 2; nearf++) {
				uint8_t shortc[] = { (uint8_t)(0x70 + cc), 0x01, 0x40, 0xF4 };
				uint8_t nearc[] = { 0x0F, (uint8_t)(0x80 + cc), 0x01, 0, 0, 0, 0x40, 0xF4 };
				tm_pm32(&t);
				t.s.eflags = 2 | flag_sets[k];
				t.s.gpr[R_EAX] = 0;
				tm_set(&t);
				if (nearf)
					tm_code(&t, nearc, sizeof nearc);
				else
					tm_code(&t, shortc, sizeof shortc);
				cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
				int taken = t.s.gpr[R_EAX] == 0;
				cr_expect_eq(taken, cc_ref(cc, flag_sets[k]), "cc %x flags %03x near %d", cc,
					     flag_sets[k], nearf);
			}
		}
	}
}

/* Conditions straight after a CMP (lazy flags): signed/unsigned compare. */
Test(ctl, jcc_after_cmp)
{
	/* cmp eax, ebx ; jl +1 ; inc ecx ; jb +1 ; inc edx ; hlt */
	static const uint8_t code[] = { 0x39, 0xD8, 0x7C, 0x01, 0x41, 0x72, 0x01, 0x42, 0xF4 };
	t.s.gpr[R_EAX] = 0xFFFFFFFF;   /* -1 < 1 signed; not below unsigned */
	t.s.gpr[R_EBX] = 1;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.gpr[R_EDX], 1);
}

/* call +1 ; hlt ; ret 8 */
Test(ctl, call_ret_imm)
{
	static const uint8_t code[] = { 0xE8, 0x01, 0x00, 0x00, 0x00, 0xF4, 0xC2, 0x08, 0x00 };
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, CODE_ADDR + 6);
	cr_expect_eq(t.s.gpr[R_ESP], STACK_TOP + 8);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4), CODE_ADDR + 5);
}

/* call dword [DATA] ; ... target: jmp eax ; ... hlt */
Test(ctl, indirect_call_jmp)
{
	static const uint8_t code[] = { 0xFF, 0x15, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	static const uint8_t target[] = { 0xFF, 0xE0 };
	static const uint8_t final[] = { 0xF4 };
	tm_wr(&t, DATA_ADDR, 4, 0x2000);
	tm_poke(&t, 0x2000, target, sizeof target);
	tm_poke(&t, 0x2100, final, 1);
	t.s.gpr[R_EAX] = 0x2100;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, 0x2101);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 4, 4), CODE_ADDR + 6);
}

/* inc eax ; loop -3 ; hlt  with ECX = 5 */
Test(ctl, loop32)
{
	static const uint8_t code[] = { 0x40, 0xE2, 0xFD, 0xF4 };
	t.s.gpr[R_ECX] = 5;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 5);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
}

/* inc eax ; addr16 loop -4 ; hlt: counts with CX only. */
Test(ctl, loop_addr16)
{
	static const uint8_t code[] = { 0x40, 0x67, 0xE2, 0xFC, 0xF4 };
	t.s.gpr[R_ECX] = 0xABCD0002;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 2);
	cr_expect_eq(t.s.gpr[R_ECX], 0xABCD0000);
}

/* loopne with ZF = 1 falls through after decrementing. */
Test(ctl, loopne_zf)
{
	static const uint8_t code[] = { 0xE0, 0x01, 0x40, 0xF4 };
	t.s.gpr[R_ECX] = 3;
	t.s.eflags |= FL_ZF;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(t.s.gpr[R_ECX], 2);
}

Test(ctl, jecxz)
{
	static const uint8_t code[] = { 0xE3, 0x01, 0x40, 0xF4 };
	t.s.gpr[R_ECX] = 0;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0);
}

/* A near jump past the CS limit is #GP(0) at the jump. */
Test(ctl, jmp_beyond_cs_limit)
{
	static const uint8_t code[] = { 0xE9, 0xFB, 0x0F, 0x00, 0x00, 0xF4 };
	t.s.seg[S_CS].limit = 0x1FFF;
	t.s.seg[S_CS].flags = 0x409B00;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);
}

/* 16-bit code: jmp rel16 wraps IP within 64 KiB. */
Test(ctl, jmp16_wraps)
{
	static const uint8_t code[] = { 0xE9, 0x00, 0xF0 };   /* jmp IP+3-1000h... */
	static const uint8_t final[] = { 0xF4 };
	tm_real(&t);
	t.s.seg[S_CS].sel = 0x1000;
	t.s.seg[S_CS].base = 0x10000;
	t.s.eip = 0x1000;
	tm_set(&t);
	tm_poke(&t, 0x11000, code, sizeof code);
	tm_poke(&t, 0x10000 + ((0x1003 + 0xF000) & 0xFFFF), final, 1);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, ((0x1003 + 0xF000) & 0xFFFF) + 1);
}

Test(ctl, int3_and_into)
{
	static const uint8_t code[] = { 0xCC, 0xF4 };
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_BP);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);   /* trap: after INT3 */
	static const uint8_t code2[] = { 0xCE, 0xF4 };
	tm_pm32(&t);
	tm_code(&t, code2, sizeof code2);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);                              /* OF = 0: nothing */
	tm_pm32(&t);
	t.s.eflags |= FL_OF;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_OF);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);
}

/* bound eax, [DATA] with bounds 0..4. */
Test(ctl, bound)
{
	static const uint8_t code[] = { 0x62, 0x05, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	tm_wr(&t, DATA_ADDR, 4, 0);
	tm_wr(&t, DATA_ADDR + 4, 4, 4);
	t.s.gpr[R_EAX] = 4;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);
	tm_pm32(&t);
	t.s.gpr[R_EAX] = 5;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_BR);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);
	tm_pm32(&t);
	t.s.gpr[R_EAX] = 0xFFFFFFFF;   /* -1 < 0 signed */
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_BR);
}
