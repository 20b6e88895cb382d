/* Virtual-8086 mode: entry by IRET from CPL 0 with VM in the popped
 * EFLAGS, INT n from v86 (IOPL-sensitive; through a ring-0 gate with GS FS
 * DS ES pushed and cleared), IRET inside v86 (SDM vol. 3, 20.2-20.3;
 * vol. 2 IRET "RETURN-TO-VIRTUAL-8086-MODE"). */
#include <criterion/criterion.h>
#include "harness.h"

static struct cpu *c;

static void setup(void)
{
	c = h_new(CPU_486);
	h_pmode(c);
	/* A 32-bit IRET frame at 0x7000: EIP CS EFLAGS ESP SS ES DS FS GS. */
	h_wr(0x7000, 4, 0x0100);
	h_wr(0x7004, 4, 0x2000);
	h_wr(0x7008, 4, FL_VM | FL_IF | 0x2);  /* IOPL 0 */
	h_wr(0x700C, 4, 0xFFFE);
	h_wr(0x7010, 4, 0x3000);
	h_wr(0x7014, 4, 0x4000);
	h_wr(0x7018, 4, 0x5000);
	h_wr(0x701C, 4, 0x6000);
	h_wr(0x7020, 4, 0x7000);
}

static void teardown(void)
{
	h_free(c);
}

TestSuite(v86, .init = setup, .fini = teardown);

Test(v86, enter_by_iret)
{
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert(c->s.eflags & FL_VM);
	cr_assert_eq(c->cpl, 3);
	cr_assert_eq(c->s.eip, 0x100);
	cr_assert_eq(c->s.seg[S_CS].base, 0x20000);
	cr_assert_eq(c->s.seg[S_SS].base, 0x30000);
	cr_assert_eq(c->s.seg[S_ES].base, 0x40000);
	cr_assert_eq(c->s.seg[S_DS].base, 0x50000);
	cr_assert_eq(c->s.seg[S_FS].base, 0x60000);
	cr_assert_eq(c->s.seg[S_GS].base, 0x70000);
	cr_assert_eq(c->s.seg[S_GS].limit, 0xFFFF);
	cr_assert_eq(c->s.gpr[R_ESP], 0xFFFE);
}

Test(v86, iret_vm_ignored_above_cpl0)
{
	/* At CPL 3, a 32-bit IRET popping VM does not enter v86 mode. */
	h_ring3(c);
	c->s.gpr[R_ESP] = 0x7000;
	h_wr(0x7004, 4, SEL_CODE3);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert_eq(c->s.eflags & FL_VM, 0);
	cr_assert_eq(c->s.gpr[R_ESP], 0x700C);
}

Test(v86, int_n_iopl_sensitive)
{
	h_gate(H_IDT, 0x21, SYS_INTGATE32, SEL_CODE0, 0x4000, 3, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	/* IOPL 0 < 3: INT n is #GP(0). */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x21, INTR_SOFTWARE, 0x102)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	cr_assert(c->s.eflags & FL_VM);
}

Test(v86, int_from_v86_to_ring0)
{
	h_gate(H_IDT, 0x21, SYS_INTGATE32, SEL_CODE0, 0x4000, 3, 0, 1);
	h_wr(0x7008, 4, FL_VM | FL_IF | FL_IOPL | 0x2);  /* IOPL 3 */
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	/* INT 21h with IOPL 3: ring-0 stack from the TSS (0x10:0x9000);
	 * push GS FS DS ES SS ESP EFLAGS CS EIP → 36 bytes → 0x8FDC. */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x21, INTR_SOFTWARE, 0x102)), -1);
	cr_assert_eq(c->cpl, 0);
	cr_assert_eq(c->s.eflags & FL_VM, 0);
	cr_assert_eq(c->s.gpr[R_ESP], 0x8FDC);
	cr_assert_eq(h_rd(0x8FFC, 4), 0x7000);  /* GS */
	cr_assert_eq(h_rd(0x8FF8, 4), 0x6000);  /* FS */
	cr_assert_eq(h_rd(0x8FF4, 4), 0x5000);  /* DS */
	cr_assert_eq(h_rd(0x8FF0, 4), 0x4000);  /* ES */
	cr_assert_eq(h_rd(0x8FEC, 4), 0x3000);  /* SS */
	cr_assert_eq(h_rd(0x8FE8, 4), 0xFFFE);  /* ESP */
	cr_assert(h_rd(0x8FE4, 4) & FL_VM);     /* EFLAGS with VM */
	cr_assert_eq(h_rd(0x8FE0, 4), 0x2000);  /* CS */
	cr_assert_eq(h_rd(0x8FDC, 4), 0x102);   /* EIP */
	cr_assert_eq(c->s.seg[S_DS].sel, 0);
	cr_assert_eq(c->s.seg[S_GS].flags & SEGF_P, 0);
	cr_assert_eq(c->s.eip, 0x4000);
	/* IRET from ring 0 goes back into v86 mode. */
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert(c->s.eflags & FL_VM);
	cr_assert_eq(c->s.seg[S_DS].base, 0x50000);
	cr_assert_eq(c->s.eip, 0x102);
	cr_assert_eq(c->s.gpr[R_ESP], 0xFFFE);
}

Test(v86, gate_to_nonzero_dpl_code_faults)
{
	/* From v86 the handler must be DPL 0 code: a gate to ring-1 code
	 * gives #GP(code sel + EXT) for an external interrupt. */
	h_gate(H_IDT, 0x22, SYS_INTGATE32, SEL_CODE1, 0x4000, 3, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x22, INTR_EXTERNAL)), EX_GP);
	cr_assert_eq(h_exc_err, (SEL_CODE1 & ~3) | 1);
}

Test(v86, iret_inside_v86)
{
	h_wr(0x7008, 4, FL_VM | FL_IOPL | 0x2);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	/* v86 with IOPL 3: a 16-bit IRET pops IP CS FLAGS; IOPL stays. */
	c->s.gpr[R_ESP] = 0x100;
	h_wr(0x30100, 2, 0x0200);
	h_wr(0x30102, 2, 0x2100);
	h_wr(0x30104, 2, 0x0203);  /* IF CF, IOPL 0 */
	cr_assert_eq(H_TRY(c, cpu_iret(c, 16)), -1);
	cr_assert_eq(c->s.eip, 0x200);
	cr_assert_eq(c->s.seg[S_CS].base, 0x21000);
	cr_assert_eq(c->s.eflags & FL_IOPL, FL_IOPL);
	cr_assert(c->s.eflags & FL_VM);
	cr_assert_eq(c->s.eflags & (FL_IF | FL_CF), FL_IF | FL_CF);
	/* With IOPL < 3, IRET in v86 is #GP(0). */
	c->s.eflags &= ~FL_IOPL;
	cr_assert_eq(H_TRY(c, cpu_iret(c, 16)), EX_GP);
}
