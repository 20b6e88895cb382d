/* test_misc.c - data movement and conversions, LAHF/SAHF, SETcc/CMOVcc,
 * XCHG/XADD/CMPXCHG/CMPXCHG8B, XLAT, LEA, segment loads in real mode,
 * LDS, IN from an unclaimed port, SALC, the FPU-less ESC/WAIT rules. */
#include "table.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(misc, .init = setup, .fini = teardown);

static const struct row rows[] = {
	{ "lahf", { 0x9F }, 1, 0, 0, 0, 0, F(SF) | F(CF) | F(OF), 0xC300 - 0x4000, 0, 0, 0, NOVEC },
	{ "sahf", { 0x9E }, 1, 0xD500, 0, 0, 0, F(OF), 0xD500, 0, F(SF) | F(ZF) | F(AF) | F(PF) | F(CF) | F(OF), ARITH, NOVEC },
	{ "cbw", { 0x66, 0x98 }, 2, 0x12340080, 0, 0, 0, 0, 0x1234FF80, 0, 0, 0, NOVEC },
	{ "cwde", { 0x98 }, 1, 0x12348000, 0, 0, 0, 0, 0xFFFF8000, 0, 0, 0, NOVEC },
	{ "cwd", { 0x66, 0x99 }, 2, 0x8000, 0, 0, 0x12345678, 0, 0x8000, 0x1234FFFF, 0, 0, NOVEC },
	{ "cdq", { 0x99 }, 1, 0x7FFFFFFF, 0, 0, 0xFFFFFFFF, 0, 0x7FFFFFFF, 0, 0, 0, NOVEC },
	{ "movzx eax,bl", { 0x0F, 0xB6, 0xC3 }, 3, 0xFFFFFFFF, 0x1280, 0, 0, 0, 0x80, 0, 0, 0, NOVEC },
	{ "movsx eax,bx", { 0x0F, 0xBF, 0xC3 }, 3, 0, 0x8001, 0, 0, 0, 0xFFFF8001, 0, 0, 0, NOVEC },
	{ "movsx ax,bl", { 0x66, 0x0F, 0xBE, 0xC3 }, 4, 0x12345678, 0x80, 0, 0, 0, 0x1234FF80, 0, 0, 0, NOVEC },
	{ "xchg eax,ebx", { 0x93 }, 1, 1, 2, 0, 0, 0, 2, 0, 0, 0, NOVEC },
	{ "lea ax,[ebx+ecx*8+10000h]", { 0x66, 0x8D, 0x84, 0xCB, 0x00, 0x00, 0x01, 0x00 }, 8,
	  0xAAAA0000, 0x10, 2, 0, 0, 0xAAAA0020, 0, 0, 0, NOVEC },
	{ "sete al", { 0x0F, 0x94, 0xC0 }, 3, 0xFFFFFFFF, 0, 0, 0, F(ZF), 0xFFFFFF01, 0, 0, 0, NOVEC },
	{ "cmovl taken", { 0x0F, 0x4C, 0xC3 }, 3, 1, 2, 0, 0, F(SF), 2, 0, 0, 0, NOVEC },
	{ "cmovl not taken", { 0x0F, 0x4C, 0xC3 }, 3, 1, 2, 0, 0, F(SF) | F(OF), 1, 0, 0, 0, NOVEC },
	{ "xadd", { 0x0F, 0xC1, 0xD8 }, 3, 0xFFFFFFFF, 1, 0, 0, 0, 0, 0, F(CF) | F(ZF) | F(AF) | F(PF), ARITH, NOVEC },
	{ "cmpxchg reg equal", { 0x0F, 0xB1, 0xCB }, 3, 5, 5, 9, 0, 0, 5, 0, F(ZF) | F(PF), ARITH, NOVEC },
	{ "cmpxchg reg differ", { 0x0F, 0xB1, 0xCB }, 3, 5, 7, 9, 0, 0, 7, 0, F(CF) | F(SF) | F(AF), ARITH, NOVEC },
	{ "salc cf", { 0xD6 }, 1, 0x12345600, 0, 0, 0, F(CF), 0x123456FF, 0, F(CF), ARITH, NOVEC },
	{ "salc nc", { 0xD6 }, 1, 0x123456AA, 0, 0, 0, F(ZF), 0x12345600, 0, F(ZF), ARITH, NOVEC },
	{ "in al,80h unclaimed", { 0xE4, 0x80 }, 2, 0, 0, 0, 0, 0, 0xFF, 0, 0, 0, NOVEC },
	/* no FPU: FNSTSW AX writes nothing, FNINIT is a no-op */
	{ "fninit+fnstsw", { 0xDB, 0xE3, 0xDF, 0xE0 }, 4, 0x1234, 0, 0, 0, 0, 0x1234, 0, 0, 0, NOVEC },
};

Test(misc, table) { run_rows(&t, rows, sizeof rows / sizeof rows[0]); }

Test(misc, ebx_after_cmpxchg)
{
	static const uint8_t code[] = { 0x0F, 0xB1, 0xCB, 0xF4 };   /* cmpxchg ebx, ecx */
	t.s.gpr[R_EAX] = 5;
	t.s.gpr[R_EBX] = 5;
	t.s.gpr[R_ECX] = 9;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EBX], 9);
}

Test(misc, cmpxchg8b)
{
	static const uint8_t code[] = { 0x0F, 0xC7, 0x0D, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	tm_wr(&t, DATA_ADDR, 4, 0x11111111);
	tm_wr(&t, DATA_ADDR + 4, 4, 0x22222222);
	t.s.gpr[R_EAX] = 0x11111111;
	t.s.gpr[R_EDX] = 0x22222222;
	t.s.gpr[R_EBX] = 0xAAAAAAAA;
	t.s.gpr[R_ECX] = 0xBBBBBBBB;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0xAAAAAAAA);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 4, 4), 0xBBBBBBBB);
	cr_expect(t.s.eflags & FL_ZF);
	/* now it differs: EDX:EAX loaded from memory, ZF clear */
	tm_pm32(&t);
	t.s.gpr[R_EAX] = 0x11111111;
	t.s.gpr[R_EDX] = 0x22222222;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0xAAAAAAAA);
	cr_expect_eq(t.s.gpr[R_EDX], 0xBBBBBBBB);
	cr_expect_eq(t.s.eflags & FL_ZF, 0);
}

Test(misc, xchg_memory_and_xlat)
{
	/* xchg [DATA], ebx ; mov ebx, DATA ; xlat */
	static const uint8_t code[] = { 0x87, 0x1D, 0x00, 0x00, 0x01, 0x00,
		0xBB, 0x00, 0x00, 0x01, 0x00, 0xD7, 0xF4 };
	tm_wr(&t, DATA_ADDR, 4, 0x03020100);
	tm_wr(&t, DATA_ADDR + 4, 4, 0x07060504);
	t.s.gpr[R_EBX] = 0x0C0B0A09;
	t.s.gpr[R_EAX] = 0x5;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0x0C0B0A09);
	cr_expect_eq(t.s.gpr[R_EAX], 0x05);   /* table[5] = 05h */
}

/* Real mode: mov ds, ax sets the base to AX << 4; lds si, [100h]. */
Test(misc, real_mode_segment_loads)
{
	static const uint8_t code[] = { 0x8E, 0xD8, 0xC5, 0x36, 0x00, 0x01, 0xF4 };
	tm_real(&t);
	t.s.gpr[R_EAX] = 0x2000;
	tm_set(&t);
	tm_wr(&t, 0x20100, 2, 0x1234);
	tm_wr(&t, 0x20102, 2, 0x3000);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.seg[S_DS].sel, 0x3000);
	cr_expect_eq(t.s.seg[S_DS].base, 0x30000);
	cr_expect_eq(t.s.gpr[R_ESI] & 0xFFFF, 0x1234);
}

/* CR0.EM: ESC opcodes raise #NM; MP+TS: WAIT raises #NM. */
Test(misc, fpu_absent_nm)
{
	static const uint8_t esc[] = { 0xDB, 0xE3, 0xF4 };
	t.s.cr0 |= CR0_EM;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, esc, sizeof esc), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_NM);
	static const uint8_t wait[] = { 0x9B, 0xF4 };
	tm_pm32(&t);
	t.s.cr0 |= CR0_TS;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, wait, sizeof wait), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);          /* TS without MP: WAIT runs */
	tm_pm32(&t);
	t.s.cr0 |= CR0_TS | CR0_MP;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, wait, sizeof wait), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_NM);
}
