/* Task switches (SDM vol. 3, 7.3 "Task switching", table 7-2 for the busy
 * flag, NT and back-link per cause). TSS A is current (busy) at H_TSS_A,
 * TSS B is available at H_TSS_B. */
#include <criterion/criterion.h>
#include "harness.h"

static struct cpu *c;

static void setup(void)
{
	c = h_new(CPU_486);
	h_pmode(c);
	/* TSS A's static CR3, used when we come back to it. */
	h_wr(H_TSS_A + 0x1C, 4, 0x00060000);
	/* TSS B: CR3, EIP, EFLAGS, EAX, ESP, segments, LDT. */
	h_wr(H_TSS_B + 0x1C, 4, 0x00050000);
	h_wr(H_TSS_B + 0x20, 4, 0x5000);
	h_wr(H_TSS_B + 0x24, 4, 0x202);
	h_wr(H_TSS_B + 0x28, 4, 0xAAAA);
	h_wr(H_TSS_B + 0x38, 4, 0x7800);
	h_wr(H_TSS_B + 0x48, 2, SEL_DATA0);  /* ES */
	h_wr(H_TSS_B + 0x4C, 2, SEL_CODE0);  /* CS */
	h_wr(H_TSS_B + 0x50, 2, SEL_DATA0);  /* SS */
	h_wr(H_TSS_B + 0x54, 2, SEL_DATA0);  /* DS */
	h_wr(H_TSS_B + 0x60, 2, SEL_LDT);
	c->s.gpr[R_EAX] = 0x1111;
	c->s.eflags = 0x2;
}

static void teardown(void)
{
	h_free(c);
}

TestSuite(task, .init = setup, .fini = teardown);

static int busy(int index)
{
	return (h_ram[H_GDT + 8 * index + 5] & 0x2) != 0;
}

Test(task, call_and_iret_back)
{
	/* CALL FAR to TSS B: old state saved in A (EIP = next instruction),
	 * A stays busy, B becomes busy, B's back link = A, NT set in the new
	 * EFLAGS, CR0.TS set, CR3 loaded from B (and given to the MMU). */
	cr_assert_eq(H_TRY(c, cpu_far_call(c, SEL_TSS_B, 0, 32, 0x1240)), -1);
	cr_assert_eq(h_rd(H_TSS_A + 0x20, 4), 0x1240);
	cr_assert_eq(h_rd(H_TSS_A + 0x28, 4), 0x1111);
	cr_assert_eq(h_rd(H_TSS_A + 0x4C, 2), SEL_CODE0);
	cr_assert(busy(5));
	cr_assert(busy(6));
	cr_assert_eq(h_rd(H_TSS_B, 2), SEL_TSS_A);
	cr_assert(c->s.eflags & FL_NT);
	cr_assert(c->s.cr0 & CR0_TS);
	cr_assert_eq(c->s.cr3, 0x50000);
	cr_assert_eq(h_mmu_cr3, 0x50000);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_B);
	cr_assert_eq(c->s.gpr[R_EAX], 0xAAAA);
	cr_assert_eq(c->s.gpr[R_ESP], 0x7800);
	cr_assert_eq(c->s.eip, 0x5000);
	cr_assert_eq(c->s.seg[S_LDTR].base, H_LDT);
	cr_assert_eq(c->s.seg[S_FS].flags & SEGF_P, 0);  /* null FS */

	/* IRET with NT: back to A through the link. B's busy bit is cleared,
	 * its saved EFLAGS has NT clear; A's state comes back. */
	c->s.eip = 0x5010;
	c->s.gpr[R_EAX] = 0xBBBB;
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert(!busy(6));
	cr_assert(busy(5));
	cr_assert_eq(h_rd(H_TSS_B + 0x20, 4), 0x5010);
	cr_assert_eq(h_rd(H_TSS_B + 0x28, 4), 0xBBBB);
	cr_assert_eq(h_rd(H_TSS_B + 0x24, 4) & FL_NT, 0);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_A);
	cr_assert_eq(c->s.eip, 0x1240);
	cr_assert_eq(c->s.gpr[R_EAX], 0x1111);
	cr_assert_eq(c->s.cr3, 0x60000);
	cr_assert_eq(c->s.eflags & FL_NT, 0);
}

Test(task, jmp_clears_old_busy)
{
	/* JMP: A's busy bit cleared, B busy, no back link, NT not set. */
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), -1);
	cr_assert(!busy(5));
	cr_assert(busy(6));
	cr_assert_eq(h_rd(H_TSS_B, 2), 0);
	cr_assert_eq(c->s.eflags & FL_NT, 0);
	/* JMP to the now-busy B from B: #GP(sel). */
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_TSS_B);
}

Test(task, tss_checks)
{
	/* Busy TSS as a JMP target: #GP(sel). */
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_A, 0, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_TSS_A);
	/* TSS descriptor DPL 0 from CPL 3: #GP(sel). */
	h_ring3(c);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, SEL_TSS_B, 0, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_TSS_B);
	h_pmode(c);
	/* 32-bit TSS limit below 0x67: #TS(sel); nothing changed. */
	h_desc(H_GDT, 6, H_TSS_B, 0x60, SYS_TSS32_AVAIL, 0, 0, 1, 0, 0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), EX_TS);
	cr_assert_eq(h_exc_err, SEL_TSS_B);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_A);
	cr_assert(busy(5));
	/* Not present: #NP(sel). */
	h_desc(H_GDT, 6, H_TSS_B, 0x67, SYS_TSS32_AVAIL, 0, 0, 0, 0, 0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), EX_NP);
	cr_assert_eq(h_exc_err, SEL_TSS_B);
}

Test(task, bad_segment_in_new_task)
{
	/* CS in the new TSS is a data segment: the switch completes (TR = B)
	 * and #TS(CS sel) is raised in the context of the new task. */
	h_wr(H_TSS_B + 0x4C, 2, SEL_DATA0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), EX_TS);
	cr_assert_eq(h_exc_err, SEL_DATA0);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_B);
	/* A bad LDT selector: #TS(LDT sel). */
	teardown();
	setup();
	h_wr(H_TSS_B + 0x60, 2, SEL_DATA0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), EX_TS);
	cr_assert_eq(h_exc_err, SEL_DATA0);
}

Test(task, task_gate_in_idt_with_error_code)
{
	/* #GP(0x18) through a task gate in the IDT: a nested switch (link,
	 * NT, both busy), the error code pushed on the new task's stack. */
	h_gate(H_IDT, EX_GP, SYS_TASKGATE, SEL_TSS_B, 0, 0, 0, 1);
	c->s.eip = 0x1234;
	cr_assert_eq(H_TRY(c, cpu_deliver(c, EX_GP, 1, 0x18)), -1);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_B);
	cr_assert_eq(h_rd(H_TSS_B, 2), SEL_TSS_A);
	cr_assert(c->s.eflags & FL_NT);
	cr_assert(busy(5) && busy(6));
	cr_assert_eq(c->s.gpr[R_ESP], 0x77FC);
	cr_assert_eq(h_rd(0x77FC, 4), 0x18);
	/* The old task's EIP is the faulting instruction. */
	cr_assert_eq(h_rd(H_TSS_A + 0x20, 4), 0x1234);
}

Test(task, task_gate_via_far_call)
{
	/* A task gate in the GDT (DPL 3) named by CALL from CPL 3. */
	h_gate(H_GDT, 10, SYS_TASKGATE, SEL_TSS_B, 0, 3, 0, 1);
	h_ring3(c);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x53, 0, 32, 0x99)), -1);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_B);
	cr_assert_eq(c->cpl, 0);
	cr_assert_eq(h_rd(H_TSS_A + 0x20, 4), 0x99);
	cr_assert_eq(h_rd(H_TSS_A + 0x4C, 2), SEL_CODE3);
	/* A task gate naming a busy TSS: #GP(TSS sel). */
	h_gate(H_GDT, 11, SYS_TASKGATE, SEL_TSS_A, 0, 3, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x58, 0, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_TSS_A);
}

Test(task, sixteen_bit_tss)
{
	/* A 286 TSS at 0x3600: IP 0x0100, FLAGS 0x0002, AX 0x1234, SP 0x0800,
	 * segments ES CS SS DS. No CR3: the MMU is not told. */
	uint32_t t = 0x3600;
	h_desc(H_GDT, 12, t, 0x2B, SYS_TSS16_AVAIL, 0, 0, 1, 0, 0);
	h_desc(H_GDT, 13, 0, 0xFFFF, 0xA, 1, 0, 1, 0, 0);  /* 16-bit code */
	h_wr(t + 0x0E, 2, 0x0100);
	h_wr(t + 0x10, 2, 0x0002);
	h_wr(t + 0x12, 2, 0x1234);
	h_wr(t + 0x1A, 2, 0x0800);
	h_wr(t + 0x22, 2, SEL_DATA0);
	h_wr(t + 0x24, 2, 0x68);
	h_wr(t + 0x26, 2, SEL_DATA0);
	h_wr(t + 0x28, 2, SEL_DATA0);
	int calls = h_cr3_calls;
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x60, 0, 32)), -1);
	cr_assert_eq(h_cr3_calls, calls);
	cr_assert_eq(c->s.eip, 0x100);
	cr_assert_eq(c->s.gpr[R_EAX] & 0xFFFF, 0x1234);
	cr_assert_eq(c->s.gpr[R_ESP] & 0xFFFF, 0x0800);
	cr_assert_eq(c->s.seg[S_CS].sel, 0x68);
	cr_assert_eq(c->s.seg[S_CS].flags & SEGF_DB, 0);
	cr_assert_eq(h_ram[H_GDT + 8 * 12 + 5] & 0xF, SYS_TSS16_BUSY);
	/* 16-bit TSS limit below 0x2B: #TS. */
	h_desc(H_GDT, 14, t, 0x2A, SYS_TSS16_AVAIL, 0, 0, 1, 0, 0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x70, 0, 32)), EX_TS);
	cr_assert_eq(h_exc_err, 0x70);
}

Test(task, t_bit_traps_on_entry)
{
	/* T = 1 in TSS B: the switch completes, then #DB (a trap: EIP is the
	 * new task's first instruction) with DR6.BT (bit 15) set. */
	h_wr(H_TSS_B + 0x64, 2, 1);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_TSS_B, 0, 32)), EX_DB);
	cr_assert_eq(c->s.seg[S_TR].sel, SEL_TSS_B);
	cr_assert_eq(c->s.eip, 0x5000);
	cr_assert(c->s.dr[6] & (1u << 15));
}
