/* test_shift.c - shifts and rotates by 0, 1, N and >= the operand size
 * (count masked to 5 bits), SHLD/SHRD. Expected values from the SDM
 * pseudo-code; flags Intel leaves undefined for a case are masked out
 * (the `mask` column). */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(shift, .init = setup, .fini = teardown);

struct sh_case {
	const char *name;
	uint8_t code[4];
	int len;
	uint32_t eax, ebx, ecx, fl_in;
	uint32_t eax_out, fl_out, mask;
};

#define F(x) (FL_##x)
#define ALLF ARITH
static const struct sh_case cases[] = {
	{ "shl8 1", { 0xD2, 0xE0 }, 2, 0x81, 0, 1, 0, 0x02, F(CF) | F(OF), ALLF & ~F(AF) },
	{ "shl8 0 keeps flags", { 0xD2, 0xE0 }, 2, 0x81, 0, 0, ALLF, 0x81, ALLF, ALLF },
	{ "shl8 8", { 0xD2, 0xE0 }, 2, 0x01, 0, 8, 0, 0x00, F(CF) | F(ZF) | F(PF), F(CF) | F(ZF) | F(PF) | F(SF) },
	{ "shl32 32 = 0", { 0xD3, 0xE0 }, 2, 0x12345678, 0, 32, F(CF) | F(ZF), 0x12345678, F(CF) | F(ZF), ALLF },
	{ "shl32 33 = 1", { 0xD3, 0xE0 }, 2, 0x40000000, 0, 33, 0, 0x80000000, F(OF) | F(SF) | F(PF), ALLF & ~F(AF) },
	{ "shl32 by 1 (D1)", { 0xD1, 0xE0 }, 2, 0xC0000000, 0, 0, 0, 0x80000000, F(CF) | F(SF) | F(PF), ALLF & ~F(AF) },
	{ "shr8 1", { 0xD2, 0xE8 }, 2, 0x81, 0, 1, 0, 0x40, F(CF) | F(OF), ALLF & ~F(AF) },
	{ "shr32 31", { 0xD3, 0xE8 }, 2, 0x80000000, 0, 31, 0, 1, 0, F(CF) | F(ZF) | F(SF) | F(PF) },
	{ "shr32 by 1 (D1)", { 0xD1, 0xE8 }, 2, 0x00000003, 0, 0, 0, 1, F(CF), ALLF & ~F(AF) },
	{ "sar8 7", { 0xD2, 0xF8 }, 2, 0x80, 0, 7, 0, 0xFF, F(SF) | F(PF), F(CF) | F(ZF) | F(SF) | F(PF) },
	{ "sar8 1", { 0xD2, 0xF8 }, 2, 0x81, 0, 1, F(OF), 0xC0, F(CF) | F(SF) | F(PF), ALLF & ~F(AF) },
	{ "sar8 31", { 0xD2, 0xF8 }, 2, 0x80, 0, 31, 0, 0xFF, F(SF) | F(PF), F(ZF) | F(SF) | F(PF) },
	{ "sar32 by 1 (D1)", { 0xD1, 0xF8 }, 2, 0xFFFFFFFF, 0, 0, 0, 0xFFFFFFFF, F(CF) | F(SF) | F(PF), ALLF & ~F(AF) },
	{ "rol8 1", { 0xD2, 0xC0 }, 2, 0x81, 0, 1, F(SF) | F(ZF), 0x03, F(CF) | F(OF) | F(SF) | F(ZF), ALLF },
	{ "rol8 8", { 0xD2, 0xC0 }, 2, 0x81, 0, 8, 0, 0x81, F(CF), ALLF & ~F(OF) },
	{ "rol32 0 keeps flags", { 0xD3, 0xC0 }, 2, 0x81, 0, 32, F(OF), 0x81, F(OF), ALLF },
	{ "ror8 1", { 0xD2, 0xC8 }, 2, 0x01, 0, 1, 0, 0x80, F(CF) | F(OF), ALLF },
	{ "rcl8 1", { 0xD2, 0xD0 }, 2, 0x80, 0, 1, F(CF), 0x01, F(CF) | F(OF), ALLF },
	{ "rcl8 9 = no-op", { 0xD2, 0xD0 }, 2, 0x80, 0, 9, F(CF), 0x80, F(CF), F(CF) | F(ZF) | F(SF) | F(PF) | F(AF) },
	{ "rcl8 2", { 0xD2, 0xD0 }, 2, 0x80, 0, 2, F(CF), 0x03, 0, F(CF) | F(ZF) | F(SF) | F(PF) | F(AF) },
	{ "rcr32 1", { 0xD3, 0xD8 }, 2, 1, 0, 1, 0, 0, F(CF), ALLF },
	{ "rcl16 17 = no-op", { 0x66, 0xD3, 0xD0 }, 3, 0x8001, 0, 17, 0, 0x8001, 0, F(CF) },
	{ "rol16 4", { 0x66, 0xD3, 0xC0 }, 3, 0xFFFF1234, 0, 4, 0, 0xFFFF2341, F(CF), F(CF) },
	{ "shld32 8", { 0x0F, 0xA5, 0xD8 }, 3, 0x12345678, 0x9ABCDEF0, 8, 0, 0x3456789A, F(PF), ALLF & ~(F(OF) | F(AF)) },
	{ "shrd32 4", { 0x0F, 0xAD, 0xD8 }, 3, 0x12345678, 0x9ABCDEF0, 4, 0, 0x01234567, F(CF), ALLF & ~(F(OF) | F(AF)) },
	{ "shrd32 4 fill", { 0x0F, 0xAD, 0xD8 }, 3, 0x12345678, 0x0000000F, 4, 0, 0xF1234567, F(CF) | F(SF), ALLF & ~(F(OF) | F(AF)) },
	{ "shld32 0", { 0x0F, 0xA5, 0xD8 }, 3, 0x12345678, 0x9ABCDEF0, 32, ALLF, 0x12345678, ALLF, ALLF },
	{ "shld32 1 OF", { 0x0F, 0xA5, 0xD8 }, 3, 0x40000000, 0x80000000, 1, 0, 0x80000001, F(OF) | F(SF), ALLF & ~F(AF) },
	{ "shld16 4", { 0x66, 0x0F, 0xA5, 0xD8 }, 4, 0x1234, 0xABCD, 4, 0, 0x234A, F(CF), ALLF & ~(F(OF) | F(AF)) },
	{ "shrd16 4", { 0x66, 0x0F, 0xAD, 0xD8 }, 4, 0x1234, 0xABCD, 4, 0, 0xD123, F(SF), ALLF & ~(F(OF) | F(AF)) },
};

Test(shift, table)
{
	for (size_t n = 0; n < sizeof cases / sizeof cases[0]; n++) {
		const struct sh_case *k = &cases[n];
		uint8_t code[8];
		memcpy(code, k->code, (size_t)k->len);
		code[k->len] = 0xF4;
		tm_pm32(&t);
		t.s.gpr[R_EAX] = k->eax;
		t.s.gpr[R_EBX] = k->ebx;
		t.s.gpr[R_ECX] = k->ecx;
		t.s.eflags = 2 | k->fl_in;
		tm_set(&t);
		tm_code(&t, code, (size_t)k->len + 1);
		cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT, "%s", k->name);
		cr_expect_eq(t.s.gpr[R_EAX], k->eax_out, "%s: eax %08x", k->name, t.s.gpr[R_EAX]);
		cr_expect_eq(t.s.eflags & k->mask, k->fl_out & k->mask, "%s: flags %03x want %03x",
			     k->name, t.s.eflags & k->mask, k->fl_out & k->mask);
	}
}

/* shl dword [DATA], 4 ; rcr byte [DATA+4], 1 (C1 /4 ib, D0 /3) */
Test(shift, memory_forms)
{
	static const uint8_t code[] = { 0xC1, 0x25, 0x00, 0x00, 0x01, 0x00, 0x04,
		0xD0, 0x1D, 0x04, 0x00, 0x01, 0x00, 0xF4 };
	tm_wr(&t, DATA_ADDR, 4, 0x1234567F);
	tm_wr(&t, DATA_ADDR + 4, 1, 0x02);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0x234567F0);
	/* SHL by 4 left CF = bit 28 of 1234567Fh = 1; RCR then rotates it in */
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 4, 1), 0x81);
	cr_expect_eq(t.s.eflags & FL_CF, 0);
}
