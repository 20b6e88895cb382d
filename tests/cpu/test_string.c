/* test_string.c - string instructions with and without REP/REPE/REPNE, in
 * both address sizes and directions; a fault in the middle of a REP leaves
 * ECX/ESI/EDI describing the iterations done, EIP on the instruction; a
 * pending interrupt stops a REP between iterations. */
#include <criterion/criterion.h>
#include <string.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(string, .init = setup, .fini = teardown);

static int ack(void *o) { (void)o; cpu_set_intr(t.cpu, 0); return 0x30; }

Test(string, rep_stosb)
{
	static const uint8_t code[] = { 0xF3, 0xAA, 0xF4 };
	t.s.gpr[R_EAX] = 0x5A;
	t.s.gpr[R_EDI] = DATA_ADDR;
	t.s.gpr[R_ECX] = 100;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.gpr[R_EDI], DATA_ADDR + 100);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 99, 1), 0x5A);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 100, 1), 0);
}

Test(string, rep_zero_count_does_nothing)
{
	static const uint8_t code[] = { 0xF3, 0xAA, 0xF4 };
	t.s.gpr[R_EAX] = 0x5A;
	t.s.gpr[R_EDI] = DATA_ADDR;
	t.s.gpr[R_ECX] = 0;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EDI], DATA_ADDR);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 1), 0);
}

Test(string, rep_movsd_forward)
{
	static const uint8_t code[] = { 0xF3, 0xA5, 0xF4 };
	for (uint32_t k = 0; k < 8; k++)
		tm_wr(&t, DATA_ADDR + 4 * k, 4, 0x11111111u * k);
	t.s.gpr[R_ESI] = DATA_ADDR;
	t.s.gpr[R_EDI] = DATA_ADDR + 0x100;
	t.s.gpr[R_ECX] = 8;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	for (uint32_t k = 0; k < 8; k++)
		cr_expect_eq(tm_rd(&t, DATA_ADDR + 0x100 + 4 * k, 4), 0x11111111u * k);
	cr_expect_eq(t.s.gpr[R_ESI], DATA_ADDR + 32);
}

/* 16-bit code: std ; rep movsb copies backwards with SI/DI, CX. */
Test(string, real_mode_backwards)
{
	static const uint8_t code[] = { 0xFD, 0xF3, 0xA4, 0xF4 };
	tm_real(&t);
	t.s.seg[S_DS].sel = 0x1000;
	t.s.seg[S_DS].base = 0x10000;
	t.s.seg[S_ES].sel = 0x2000;
	t.s.seg[S_ES].base = 0x20000;
	t.s.gpr[R_ESI] = 0xABCD0003;   /* upper halves must be ignored and kept */
	t.s.gpr[R_EDI] = 0x12340013;
	t.s.gpr[R_ECX] = 0xFFFF0004;
	tm_set(&t);
	tm_wr(&t, 0x10000, 4, 0x44332211);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, 0x20010, 4), 0x44332211);
	cr_expect_eq(t.s.gpr[R_ECX], 0xFFFF0000);
	cr_expect_eq(t.s.gpr[R_ESI], 0xABCDFFFF);
	cr_expect_eq(t.s.gpr[R_EDI], 0x1234000F);
}

Test(string, repe_cmpsb_stops_at_difference)
{
	static const uint8_t code[] = { 0xF3, 0xA6, 0xF4 };
	tm_poke(&t, DATA_ADDR, "abcdXfgh", 8);
	tm_poke(&t, DATA_ADDR + 0x100, "abcdYfgh", 8);
	t.s.gpr[R_ESI] = DATA_ADDR;
	t.s.gpr[R_EDI] = DATA_ADDR + 0x100;
	t.s.gpr[R_ECX] = 8;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ECX], 3);
	cr_expect_eq(t.s.gpr[R_ESI], DATA_ADDR + 5);
	cr_expect_eq(t.s.eflags & (FL_ZF | FL_CF | FL_SF), FL_CF | FL_SF);   /* 'X' - 'Y' = -1 */
}

Test(string, repne_scasb_finds_zero)
{
	static const uint8_t code[] = { 0xF2, 0xAE, 0xF4 };
	tm_poke(&t, DATA_ADDR, "hello\0xx", 8);
	t.s.gpr[R_EAX] = 0;
	t.s.gpr[R_EDI] = DATA_ADDR;
	t.s.gpr[R_ECX] = 0xFFFFFFFF;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ECX], 0xFFFFFFFF - 6);
	cr_expect_eq(t.s.gpr[R_EDI], DATA_ADDR + 6);
	cr_expect(t.s.eflags & FL_ZF);
}

Test(string, lodsw_and_std_stosd)
{
	static const uint8_t code[] = { 0x66, 0xAD, 0xFD, 0xAB, 0xF4 };
	tm_wr(&t, DATA_ADDR, 2, 0xBEEF);
	t.s.gpr[R_EAX] = 0x12340000;
	t.s.gpr[R_ESI] = DATA_ADDR;
	t.s.gpr[R_EDI] = DATA_ADDR + 0x20;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0x1234BEEF);
	cr_expect_eq(t.s.gpr[R_ESI], DATA_ADDR + 2);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 0x20, 4), 0x1234BEEF);
	cr_expect_eq(t.s.gpr[R_EDI], DATA_ADDR + 0x1C);
}

/* ES limit 0Fh: the 17th STOSB faults #GP(0) with 16 bytes written. */
Test(string, fault_mid_rep_segment_limit)
{
	static const uint8_t code[] = { 0xF3, 0xAA, 0xF4 };
	t.s.seg[S_ES].base = DATA_ADDR;
	t.s.seg[S_ES].limit = 0x0F;
	t.s.seg[S_ES].flags = 0x409300;
	t.s.gpr[R_EAX] = 0x77;
	t.s.gpr[R_EDI] = 0;
	t.s.gpr[R_ECX] = 32;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(t.s.gpr[R_ECX], 16);
	cr_expect_eq(t.s.gpr[R_EDI], 16);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 15, 1), 0x77);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 16, 1), 0);
}

/* Paging: REP STOSB runs into a not-present page: #PF, CR2 at the page,
 * error code W=1 P=0, 8 bytes written. */
Test(string, fault_mid_rep_page)
{
	static const uint8_t code[] = { 0xF3, 0xAA, 0xF4 };
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_wr(&t, pd, 4, pt | 3);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(&t, pt + 4 * k, 4, (k << 12) | 3);
	tm_wr(&t, pt + 4 * 0x12, 4, 0);           /* 12000h not present */
	t.s.cr3 = pd;
	t.s.cr0 |= CR0_PG;
	t.s.gpr[R_EAX] = 0x66;
	t.s.gpr[R_EDI] = 0x11FF8;
	t.s.gpr[R_ECX] = 16;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_PF);
	cr_expect_eq(t.s.cr2, 0x12000);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 2);      /* error code: write, not present */
	cr_expect_eq(t.s.gpr[R_ECX], 8);
	cr_expect_eq(t.s.gpr[R_EDI], 0x12000);
	cr_expect_eq(tm_rd(&t, 0x11FFF, 1), 0x66);
}

/* A deliverable interrupt pauses REP between iterations; the return EIP is
 * the REP instruction itself, which then resumes.
 *   sti ; rep stosb ; hlt   with INTR high: the STI shadow lets the REP
 *   start, the interrupt then stops it after one iteration. */
Test(string, rep_interruptible)
{
	static const uint8_t code[] = { 0xFB, 0xF3, 0xAA, 0xF4 };
	t.s.gpr[R_EAX] = 1;
	t.s.gpr[R_EDI] = DATA_ADDR;
	t.s.gpr[R_ECX] = 1000;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cpu_set_intr_ack(t.cpu, ack, NULL);
	cpu_set_intr(t.cpu, 1);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), 0x30);
	cr_expect_eq(t.s.gpr[R_ECX], 999);
	cr_expect_eq(t.s.gpr[R_EDI], DATA_ADDR + 1);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);
}

/* TF set: one REP iteration, then the #DB trap with EIP on the REP. */
Test(string, rep_single_step_iteration)
{
	static const uint8_t code[] = { 0xF3, 0xAA, 0xF4 };
	t.s.gpr[R_EDI] = DATA_ADDR;
	t.s.gpr[R_ECX] = 3;
	t.s.eflags |= FL_TF;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1), CPU_STOP_LIMIT);
	cr_expect_eq(t.s.gpr[R_ECX], 2);
	cr_expect_eq(t.s.eip, STUB_ADDR + 8 * EX_DB);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);
}

/* REP INSB from an unclaimed port reads all ones. */
Test(string, rep_insb_unclaimed_port)
{
	static const uint8_t code[] = { 0xF3, 0x6C, 0xF4 };
	t.s.gpr[R_EDX] = 0x1234;
	t.s.gpr[R_EDI] = DATA_ADDR;
	t.s.gpr[R_ECX] = 4;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0xFFFFFFFF);
	cr_expect_eq(t.s.gpr[R_EDI], DATA_ADDR + 4);
}
