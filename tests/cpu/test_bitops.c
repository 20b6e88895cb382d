/* test_bitops.c - BT/BTS/BTR/BTC (register and memory, bit offsets beyond
 * the operand and negative), BSF/BSR, BSWAP. Only CF is defined for BT*,
 * only ZF for BSF/BSR. */
#include "table.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); }
static void teardown(void) { tm_fini(&t); }
TestSuite(bitops, .init = setup, .fini = teardown);

static const struct row rows[] = {
	{ "bt reg 31", { 0x0F, 0xA3, 0xD8 }, 3, 0x80000000, 31, 0, 0, 0, 0x80000000, 0, F(CF), F(CF), NOVEC },
	{ "bt reg 63 masks", { 0x0F, 0xA3, 0xD8 }, 3, 0x80000000, 63, 0, 0, 0, 0x80000000, 0, F(CF), F(CF), NOVEC },
	{ "bt reg clear", { 0x0F, 0xA3, 0xD8 }, 3, 0x7FFFFFFF, 31, 0, 0, F(CF), 0x7FFFFFFF, 0, 0, F(CF), NOVEC },
	{ "btc imm 33", { 0x0F, 0xBA, 0xF8, 0x21 }, 4, 0, 0, 0, 0, F(CF), 2, 0, 0, F(CF), NOVEC },
	{ "bsf", { 0x0F, 0xBC, 0xC3 }, 3, 0, 0x00018000, 0, 0, F(ZF), 15, 0, 0, F(ZF), NOVEC },
	{ "bsf zero", { 0x0F, 0xBC, 0xC3 }, 3, 1234, 0, 0, 0, 0, 1234, 0, F(ZF), F(ZF), NOVEC },
	{ "bsr", { 0x0F, 0xBD, 0xC3 }, 3, 0, 0x00018000, 0, 0, F(ZF), 16, 0, 0, F(ZF), NOVEC },
	{ "bsr top", { 0x0F, 0xBD, 0xC3 }, 3, 0, 0x80000001, 0, 0, 0, 31, 0, 0, F(ZF), NOVEC },
	{ "bswap eax", { 0x0F, 0xC8 }, 2, 0x12345678, 0, 0, 0, 0, 0x78563412, 0, 0, 0, NOVEC },
};

Test(bitops, table) { run_rows(&t, rows, sizeof rows / sizeof rows[0]); }

/* bts dword [DATA], ebx with EBX = 33: bit 1 of the dword at DATA+4. */
Test(bitops, bts_memory_beyond_operand)
{
	static const uint8_t code[] = { 0x0F, 0xAB, 0x1D, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	tm_pm32(&t);
	t.s.gpr[R_EBX] = 33;
	tm_set(&t);
	tm_wr(&t, DATA_ADDR + 4, 4, 0x10);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0);
	cr_expect_eq(tm_rd(&t, DATA_ADDR + 4, 4), 0x12);
	cr_expect_eq(t.s.eflags & FL_CF, 0);
}

/* btr dword [DATA], ebx with EBX = -1: bit 31 of the dword at DATA-4. */
Test(bitops, btr_memory_negative_offset)
{
	static const uint8_t code[] = { 0x0F, 0xB3, 0x1D, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	tm_pm32(&t);
	t.s.gpr[R_EBX] = 0xFFFFFFFF;
	tm_set(&t);
	tm_wr(&t, DATA_ADDR - 4, 4, 0x80000001);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, DATA_ADDR - 4, 4), 1);
	cr_expect_eq(t.s.eflags & FL_CF, FL_CF);
}

/* bt word [DATA], bx with BX = 17: bit 1 of the word at DATA+2. */
Test(bitops, bt_word_memory)
{
	static const uint8_t code[] = { 0x66, 0x0F, 0xA3, 0x1D, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	tm_pm32(&t);
	t.s.gpr[R_EBX] = 17;
	tm_set(&t);
	tm_wr(&t, DATA_ADDR, 4, 0x00020000);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.eflags & FL_CF, FL_CF);
}
