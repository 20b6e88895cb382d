/* test_priv.c - CPL 3: IOPL-sensitive CLI/STI, POPF's silent masking, I/O
 * permission, privileged instructions, user/supervisor paging, INT n gate
 * DPL. Every sequence ends in HLT, which is itself #GP(0) at CPL 3, so a
 * #GP whose pushed EIP is the HLT means "everything before ran". The ring-0
 * frame (SDM vol. 3, 6.12.1): STACK0-4 SS, -8 ESP, -12 EFLAGS, -16 CS,
 * -20 EIP, -24 error code. */
#include <criterion/criterion.h>
#include "harness.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); }
static void teardown(void) { tm_fini(&t); }
TestSuite(priv, .init = setup, .fini = teardown);

static uint32_t frame(int off) { return tm_rd(&t, STACK0 - (uint32_t)off, 4); }

/* Run code at CPL 3; returns the vector; *eip = the pushed EIP. */
static int run3(int iopl, const uint8_t *code, size_t n, uint32_t *eip)
{
	tm_ring3(&t, iopl);
	cr_assert_eq(tm_exec(&t, code, n), CPU_STOP_HLT);
	*eip = frame(20);
	cr_expect_eq(frame(16), SEL_UCODE);
	return tm_vector(&t);
}

Test(priv, cli_iopl0_gp)
{
	static const uint8_t code[] = { 0xFA, 0xF4 };
	uint32_t eip;
	cr_expect_eq(run3(0, code, sizeof code, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR);
	cr_expect_eq(frame(24), 0);
}

Test(priv, sti_iopl0_gp)
{
	static const uint8_t code[] = { 0xFB, 0xF4 };
	uint32_t eip;
	cr_expect_eq(run3(0, code, sizeof code, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR);
}

Test(priv, cli_iopl3_allowed)
{
	static const uint8_t code[] = { 0xFB, 0xFA, 0xF4 };   /* sti ; cli ; hlt */
	uint32_t eip;
	cr_expect_eq(run3(3, code, sizeof code, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR + 2);                     /* the HLT faulted */
	cr_expect_eq(frame(12) & FL_IF, 0);
}

/* popfd at CPL 3, IOPL 0: IF and IOPL bits are ignored, CF is loaded. */
Test(priv, popf_masks_silently)
{
	static const uint8_t code[] = { 0x9D, 0xF4 };
	tm_ring3(&t, 0);
	t.s.gpr[R_ESP] = STACK_TOP - 4;
	tm_set(&t);
	tm_wr(&t, STACK_TOP - 4, 4, FL_IF | FL_IOPL | FL_CF | 2);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(frame(20), CODE_ADDR + 1);
	cr_expect_eq(frame(12) & (FL_IF | FL_IOPL | FL_CF), FL_CF);
}

/* in al, dx at CPL 3 > IOPL with no I/O bitmap in the TSS: #GP(0). */
Test(priv, in_without_permission)
{
	static const uint8_t code[] = { 0xEC, 0xF4 };
	uint32_t eip;
	cr_expect_eq(run3(0, code, sizeof code, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR);
}

Test(priv, mov_cr0_gp_smsw_ok)
{
	static const uint8_t movcr[] = { 0x0F, 0x20, 0xC0, 0xF4 };
	uint32_t eip;
	cr_expect_eq(run3(0, movcr, sizeof movcr, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR);
	static const uint8_t smsw[] = { 0x0F, 0x01, 0xE0, 0xF4 };
	cr_expect_eq(run3(0, smsw, sizeof smsw, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR + 3);
	cr_expect_eq(t.s.gpr[R_EAX], t.s.cr0);
}

/* int 80h through a DPL 0 gate from CPL 3: #GP(80h*8 + 2). */
Test(priv, int_gate_dpl)
{
	static const uint8_t code[] = { 0xCD, 0x80, 0xF4 };
	uint32_t eip;
	cr_expect_eq(run3(0, code, sizeof code, &eip), EX_GP);
	cr_expect_eq(eip, CODE_ADDR);
	cr_expect_eq(frame(24), 0x80 * 8 + 2);
}

/* A CPL 3 write to a supervisor page: #PF, error code P | W | U. */
Test(priv, user_write_supervisor_page)
{
	static const uint8_t code[] = { 0x89, 0x03, 0xF4 };
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_ring3(&t, 0);
	tm_wr(&t, pd, 4, pt | 7);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(&t, pt + 4 * k, 4, (k << 12) | 7);
	tm_wr(&t, pt + 4 * 0x10, 4, 0x10000 | 3);     /* 10000h: supervisor only */
	t.s.cr3 = pd;
	t.s.cr0 |= CR0_PG;
	t.s.gpr[R_EBX] = DATA_ADDR;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_PF);
	cr_expect_eq(t.s.cr2, DATA_ADDR);
	cr_expect_eq(frame(24), 7);
	cr_expect_eq(frame(20), CODE_ADDR);
}

/* Virtual-8086 mode at CS:IP = 0100h:0000h (CODE_ADDR), SS:SP = 0000h:9000h. */
static void enter_v86(int iopl, int vme)
{
	tm_pm32(&t);
	for (int n = 0; n < 6; n++) {
		t.s.seg[n].sel = 0;
		t.s.seg[n].base = 0;
		t.s.seg[n].limit = 0xFFFF;
		t.s.seg[n].flags = 0xF300;
	}
	t.s.seg[S_CS].sel = CODE_ADDR >> 4;
	t.s.seg[S_CS].base = CODE_ADDR;
	t.s.seg[S_CS].flags = 0xFB00;
	t.s.eip = 0;
	t.s.eflags = 2 | FL_VM | ((uint32_t)iopl << 12);
	if (vme)
		t.s.cr4 |= CR4_VME;
	tm_set(&t);
}

/* v86 frame on the ring-0 stack: -36 EIP, -40 error code. */
Test(priv, v86_pushf_iopl0_gp)
{
	static const uint8_t code[] = { 0x9C, 0xF4 };
	enter_v86(0, 0);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(frame(36), 0);          /* IP of the PUSHF */
}

/* IOPL 3: PUSHF runs (the image has VM clear); HLT then faults. */
Test(priv, v86_pushf_iopl3)
{
	static const uint8_t code[] = { 0xFB, 0x9C, 0xF4 };   /* sti ; pushf ; hlt */
	enter_v86(3, 0);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(frame(36), 2);          /* the HLT */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 2, 2), 2 | FL_IF | FL_IOPL);
}

/* CR4.VME with IOPL 0: CLI clears VIF, PUSHF shows VIF as IF and IOPL 3. */
Test(priv, v86_vme_cli_pushf)
{
	static const uint8_t code[] = { 0xFA, 0x9C, 0xF4 };   /* cli ; pushf ; hlt */
	enter_v86(0, 1);
	t.s.eflags |= FL_VIF | FL_IF;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(frame(36), 2);
	cr_expect_eq(frame(28) & (FL_IF | FL_VIF), FL_IF);    /* IF kept, VIF cleared */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 2, 2), 2 | FL_IOPL);  /* IF image = VIF = 0 */
}
