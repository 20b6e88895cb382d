/* test_mem.c - segment limit and type checks (SDM vol. 3, 5.3-5.4):
 * execute-only and code segments, expand-down with B = 0/1, SS faults as
 * #SS, null segments, real-mode 64 KiB wrap faults. */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(mem, .init = setup, .fini = teardown);

/* mov eax, ds:[ebx] */
static const uint8_t load[] = { 0x8B, 0x03, 0xF4 };

static int load_at(uint32_t off)
{
	t.s.gpr[R_EBX] = off;
	t.s.eip = CODE_ADDR;
	t.s.halted = 0;
	t.s.gpr[R_ESP] = STACK_TOP;
	tm_set(&t);
	tm_code(&t, load, sizeof load);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	return tm_vector(&t);
}

Test(mem, execute_only_code_read)
{
	/* mov eax, cs:[DATA] with CS execute-only */
	static const uint8_t code[] = { 0x2E, 0xA1, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	t.s.seg[S_CS].flags = 0xCF9900;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
}

Test(mem, readable_code_read_ok_write_gp)
{
	static const uint8_t rd[] = { 0x2E, 0xA1, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	static const uint8_t wr[] = { 0x2E, 0xA3, 0x00, 0x00, 0x01, 0x00, 0xF4 };
	tm_wr(&t, DATA_ADDR, 4, 0x5151);
	cr_assert_eq(tm_exec(&t, rd, sizeof rd), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);
	cr_expect_eq(t.s.gpr[R_EAX], 0x5151);
	tm_pm32(&t);
	cr_assert_eq(tm_exec(&t, wr, sizeof wr), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0x5151);
}

Test(mem, expand_up_limit)
{
	t.s.seg[S_DS].base = DATA_ADDR;
	t.s.seg[S_DS].limit = 0xFFF;
	t.s.seg[S_DS].flags = 0x409300;
	cr_expect_eq(load_at(0xFFC), -1);
	cr_expect_eq(load_at(0xFFD), EX_GP);     /* last byte at 1000h */
	cr_expect_eq(load_at(0xFFFFFFFF), EX_GP);
}

Test(mem, expand_down_big)
{
	t.s.seg[S_DS].base = DATA_ADDR;
	t.s.seg[S_DS].limit = 0xFFF;
	t.s.seg[S_DS].flags = 0x409700;          /* expand-down, B = 1 */
	cr_expect_eq(load_at(0xFFF), EX_GP);
	cr_expect_eq(load_at(0x1000), -1);
	cr_expect_eq(load_at(0xFFFFFFFC), -1);
	cr_expect_eq(load_at(0xFFFFFFFE), EX_GP);   /* wraps past 4 GiB */
}

Test(mem, expand_down_small)
{
	t.s.seg[S_DS].base = DATA_ADDR;
	t.s.seg[S_DS].limit = 0xFFF;
	t.s.seg[S_DS].flags = 0x009700;          /* expand-down, B = 0: upper bound FFFFh */
	cr_expect_eq(load_at(0xFFFC), -1);
	cr_expect_eq(load_at(0xFFFD), EX_GP);
	cr_expect_eq(load_at(0x10000), EX_GP);
}

/* mov eax, [ebp] beyond the SS limit: #SS(0). */
Test(mem, ss_fault_is_ss)
{
	static const uint8_t code[] = { 0x8B, 0x45, 0x00, 0xF4 };
	t.s.seg[S_SS].limit = 0x9FFF;
	t.s.seg[S_SS].flags = 0x409300;
	t.s.gpr[R_EBP] = 0xA000;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_SS);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 0);
}

/* A null DS (P clear in the cache) faults on use. */
Test(mem, null_segment)
{
	static const uint8_t code[] = { 0x8E, 0xD8, 0x8B, 0x03, 0xF4 };   /* mov ds,ax ; mov eax,[ebx] */
	t.s.gpr[R_EAX] = 0;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 2);
}

/* Real mode: a word at offset FFFFh crosses the 64 KiB limit: #GP. */
Test(mem, real_mode_offset_ffff)
{
	static const uint8_t code[] = { 0xA1, 0xFF, 0xFF, 0xF4 };
	tm_real(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
}

/* Paging with a user page: a CPL 0 write to a read-only page is allowed
 * with CR0.WP = 0 and faults with WP = 1 (486+). */
Test(mem, paging_wp)
{
	static const uint8_t code[] = { 0x89, 0x03, 0xF4 };   /* mov [ebx], eax */
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_wr(&t, pd, 4, pt | 7);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(&t, pt + 4 * k, 4, (k << 12) | 3);
	tm_wr(&t, pt + 4 * 0x10, 4, 0x10000 | 5);     /* 10000h: user, read-only */
	t.s.cr3 = pd;
	t.s.cr0 |= CR0_PG;
	t.s.gpr[R_EBX] = DATA_ADDR;
	t.s.gpr[R_EAX] = 0x99;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0x99);
	tm_pm32(&t);
	t.s.cr3 = pd;
	t.s.cr0 |= CR0_PG | CR0_WP;
	t.s.gpr[R_EBX] = DATA_ADDR;
	t.s.gpr[R_EAX] = 0x77;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_PF);
	cr_expect_eq(t.s.cr2, DATA_ADDR);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 3);    /* P | W, supervisor */
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0x99);
}

/* A memory-destination ALU instruction translates once on the fast path
 * but counts as the read and the write it is: with the host fast path on
 * and off, the TLB statistics, registers and memory come out the same.
 * Paging on (identity map of the first 4 MiB), p6 and 386 TLBs.
 *   mov ebx, 10000h; mov ecx, 50
 *   l: add [ebx], eax; or [ebx+4], ecx; add dword [ebx+8], 7
 *      xor [ebx+1000h], eax; inc eax; dec ecx; jne l; hlt                */
static void rmw_run(struct tm *t, enum cpu_model m, int fast)
{
	static const uint8_t code[] = { 0xBB, 0x00, 0x00, 0x01, 0x00, 0xB9, 50, 0, 0, 0,
		0x01, 0x03, 0x09, 0x4B, 0x04, 0x83, 0x43, 0x08, 0x07,
		0x31, 0x83, 0x00, 0x10, 0x00, 0x00, 0x40, 0x49, 0x75, 0xED, 0xF4 };
	tm_init_fast(t, m, fast);
	tm_pm32(t);
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_wr(t, pd, 4, pt | 3);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(t, pt + 4 * k, 4, (k << 12) | 3);
	t->s.cr3 = pd;
	t->s.cr0 |= CR0_PG;
	t->s.gpr[R_EAX] = 0x01020304;
	tm_set(t);
	tm_code(t, code, sizeof code);
	cr_assert_eq(tm_run(t, 10000), CPU_STOP_HLT);
}

static void rmw_compare(enum cpu_model m)
{
	struct tm on, off;
	rmw_run(&on, m, 1);
	rmw_run(&off, m, 0);
	for (int g = 0; g < 8; g++)
		cr_expect_eq(on.s.gpr[g], off.s.gpr[g]);
	for (uint32_t a = DATA_ADDR; a < DATA_ADDR + 0x1010; a += 4)
		cr_expect_eq(tm_rd(&on, a, 4), tm_rd(&off, a, 4));
	cr_expect_eq(tm_rd(&on, DATA_ADDR + 8, 4), 350);
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats a, b;
		mmu_tlb_stats(on.mmu, (enum tlb_id)id, &a);
		mmu_tlb_stats(off.mmu, (enum tlb_id)id, &b);
		cr_expect_eq(a.lookups, b.lookups, "tlb %d lookups %llu vs %llu", id,
			     (unsigned long long)a.lookups, (unsigned long long)b.lookups);
		cr_expect_eq(a.hits, b.hits, "tlb %d", id);
		cr_expect_eq(a.misses, b.misses, "tlb %d", id);
		cr_expect_eq(a.fills, b.fills, "tlb %d", id);
		cr_expect_eq(a.evictions, b.evictions, "tlb %d", id);
	}
	struct tlb_stats d;
	mmu_tlb_stats(on.mmu, TLB_D4K, &d);
	/* 4 read-modify-writes x 50, two lookups each (the 386 TLB is unified:
	 * one code fetch lookup more) */
	cr_expect(d.lookups == 400 || (m == CPU_386 && d.lookups == 401), "lookups %llu",
		  (unsigned long long)d.lookups);
	tm_fini(&on);
	tm_fini(&off);
}

Test(mem, rmw_counts_as_read_and_write_p6) { rmw_compare(CPU_P6); }
Test(mem, rmw_counts_as_read_and_write_386) { rmw_compare(CPU_386); }
