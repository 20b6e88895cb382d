/* test_block.c - the decoded-block run loop: what executes must be exactly
 * what per-instruction execution gives, whatever was decoded ahead.
 * Expected values follow from the instruction semantics (Intel SDM vol. 2)
 * and, for stores into code, SDM vol. 3 11.6 (P6 family: a write to a code
 * location that is prefetched or decoded invalidates it).
 */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(block, .init = setup, .fini = teardown);

/* A jump into the middle of an instruction that was decoded as part of an
 * earlier block: the bytes decode afresh from the new start.
 *   0: mov ecx, 0            B9 00 00 00 00
 *   5: mov eax, 40404040h    B8 40 40 40 40   (from 6: inc eax x4)
 *  10: inc ecx               41
 *  11: cmp ecx, 2            83 F9 02
 *  14: je 18                 74 02
 *  16: jmp 6                 EB F4
 *  18: hlt                   F4                                        */
Test(block, jump_into_decoded_instruction)
{
	static const uint8_t code[] = { 0xB9, 0, 0, 0, 0, 0xB8, 0x40, 0x40, 0x40, 0x40,
		0x41, 0x83, 0xF9, 0x02, 0x74, 0x02, 0xEB, 0xF4, 0xF4 };
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0x40404044u);
	cr_expect_eq(t.s.gpr[R_ECX], 2);
	cr_expect_eq(t.s.eip, CODE_ADDR + 19);
}

/* A store into an instruction three instructions further on in the same
 * straight-line run, which was decoded before the store executed.
 *   0: mov byte [CODE_ADDR+9], 40h   C6 05 <addr> 40  (nop -> inc eax)
 *   7: nop; 8: nop; 9: nop; 10: hlt                                      */
Test(block, store_into_later_instruction_of_the_run)
{
	uint8_t code[] = { 0xC6, 0x05, 0, 0, 0, 0, 0x40, 0x90, 0x90, 0x90, 0xF4 };
	uint32_t target = CODE_ADDR + 9;
	memcpy(&code[2], &target, 4);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(tm_rd(&t, target, 1), 0x40);
	cr_expect_eq(t.s.eip, CODE_ADDR + 11);
}

/* Stores to data bytes that share the page with the running code leave
 * the code alone: a loop adds to a counter just behind it.
 *   0: mov ecx, 100      B9 64 00 00 00
 *   5: inc dword [D]     FF 05 <D>
 *  11: dec ecx           49
 *  12: jne 5             75 F7
 *  14: hlt               F4
 *  16: D: dd 0                                                          */
Test(block, data_stores_in_the_code_page)
{
	uint8_t code[20] = { 0xB9, 100, 0, 0, 0, 0xFF, 0x05, 0, 0, 0, 0, 0x49, 0x75, 0xF7, 0xF4 };
	uint32_t d = CODE_ADDR + 16;
	memcpy(&code[7], &d, 4);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, d, 4), 100);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.eip, CODE_ADDR + 15);
}

/* An instruction budget that ends in the middle of a run of instructions
 * stops exactly there, and the next run goes on from it. */
Test(block, budget_ends_inside_a_run)
{
	static const uint8_t code[] = { 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	uint64_t n0 = cpu_insn_count(t.cpu);
	cr_assert_eq(tm_run(&t, 4), CPU_STOP_LIMIT);
	cr_expect_eq(t.s.gpr[R_EAX], 4);
	cr_expect_eq(t.s.eip, CODE_ADDR + 4);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 4);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 6);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 7);
}

/* CS limit in the middle of a straight run (SDM vol. 3 5.3): the
 * instructions inside it execute, the first one whose last byte is past
 * the limit faults with #GP(0) and EIP pointing at it. */
Test(block, cs_limit_inside_a_run)
{
	static const uint8_t code[] = { 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	t.s.seg[S_CS].limit = CODE_ADDR + 5;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(t.s.gpr[R_EAX], 6);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 0);             /* error code 0 */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 6);
}

/* The decoded run reaches past the CS limit but a fault inside the limit
 * ends it first: that fault is the one delivered, not #GP.
 *   0: inc eax; 1: div ecx (ECX = 0: #DE); 3..6: inc eax; 7: hlt         */
Test(block, fault_before_cs_limit)
{
	static const uint8_t code[] = { 0x40, 0xF7, 0xF1, 0x40, 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	t.s.seg[S_CS].limit = CODE_ADDR + 3;
	t.s.gpr[R_ECX] = 0;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_DE);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);
}
