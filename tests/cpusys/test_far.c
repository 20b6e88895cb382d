/* Far JMP/CALL/RET (SDM vol. 2 pseudo-code of JMP, CALL and RET; vol. 3,
 * 5.8 "Privilege level checking when transferring program control between
 * code segments"). */
#include <criterion/criterion.h>
#include "harness.h"

static struct cpu *pm(void)
{
	struct cpu *c = h_new(CPU_486);
	h_pmode(c);
	return c;
}

Test(far, real_mode_call_ret)
{
	struct cpu *c = h_new(CPU_386);
	c->s.seg[S_CS].sel = 0x100;
	c->s.seg[S_CS].base = 0x1000;
	/* CALL FAR 2000:0010 (16-bit): push CS, IP; SP 7000 → 6FFC. */
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x2000, 0x10, 16, 0x55)), -1);
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FFC);
	cr_assert_eq(h_rd(0x6FFE, 2), 0x100);
	cr_assert_eq(h_rd(0x6FFC, 2), 0x55);
	cr_assert_eq(c->s.seg[S_CS].base, 0x20000);
	cr_assert_eq(c->s.eip, 0x10);
	/* RETF 4: pop IP, CS, then release 4 bytes → SP 7004. */
	cr_assert_eq(H_TRY(c, cpu_far_ret(c, 16, 4)), -1);
	cr_assert_eq(c->s.gpr[R_ESP], 0x7004);
	cr_assert_eq(c->s.seg[S_CS].sel, 0x100);
	cr_assert_eq(c->s.eip, 0x55);
	/* JMP FAR beyond the 64 KiB CS limit: #GP(0). */
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x3000, 0x12345, 32)), EX_GP);
	h_free(c);
}

Test(far, direct_code_rules)
{
	struct cpu *c = pm();
	h_ring3(c);
	/* Non-conforming DPL 0 from CPL 3: #GP(sel). */
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_CODE0, 0x1000, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_CODE0);
	/* Data segment as a target: #GP(sel). */
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, SEL_DATA3, 0x1000, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_DATA0 + 0x10);
	/* Null: #GP(0). */
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0, 0x1000, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* Conforming DPL 0 from CPL 3: allowed, CPL stays 3, CS.RPL = 3. */
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xE, 1, 0, 1, 1, 1);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x50, 0x3000, 32, 0x77)), -1);
	cr_assert_eq(c->cpl, 3);
	cr_assert_eq(c->s.seg[S_CS].sel, 0x53);
	cr_assert_eq(c->s.gpr[R_ESP], H_STK3 - 8);
	cr_assert_eq(h_rd(H_STK3 - 8, 4), 0x77);
	cr_assert_eq(h_rd(H_STK3 - 4, 4), SEL_CODE3);
	/* Not present: #NP(sel). */
	h_desc(H_GDT, 11, 0, 0xFFFFF, 0xA, 1, 3, 0, 1, 1);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x5B, 0, 32)), EX_NP);
	cr_assert_eq(h_exc_err, 0x58);
	/* Offset beyond the limit: #GP(0). */
	h_desc(H_GDT, 11, 0, 0xFFF, 0xA, 1, 3, 1, 1, 0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x5B, 0x1000, 32)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x5B, 0xFFF, 32)), -1);
	cr_assert_eq(c->s.eip, 0xFFF);
	h_free(c);
}

Test(far, call_gate_with_parameters_and_ret_to_outer)
{
	struct cpu *c = pm();
	/* 32-bit call gate, DPL 3, to ring-0 code at 0x6000, 2 dword params. */
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_CODE0, 0x6000, 3, 2, 1);
	h_ring3(c);
	h_wr(H_STK3, 4, 0x11111111);      /* param 0 (top of stack) */
	h_wr(H_STK3 + 4, 4, 0x22222222);  /* param 1 */
	seg_load(c, S_DS, SEL_DATA3);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x53, 0xDEAD, 32, 0x08048100u)), -1);
	/* New stack 0x10:0x9000 from the TSS: SS, ESP, param 1, param 0, CS,
	 * EIP → ESP 0x9000 - 24 = 0x8FE8. The gate's offset wins over the
	 * instruction's. */
	cr_assert_eq(c->cpl, 0);
	cr_assert_eq(c->s.seg[S_SS].sel, SEL_DATA0);
	cr_assert_eq(c->s.gpr[R_ESP], 0x8FE8);
	cr_assert_eq(h_rd(0x8FFC, 4), SEL_DATA3);
	cr_assert_eq(h_rd(0x8FF8, 4), H_STK3);
	cr_assert_eq(h_rd(0x8FF4, 4), 0x22222222);
	cr_assert_eq(h_rd(0x8FF0, 4), 0x11111111);
	cr_assert_eq(h_rd(0x8FEC, 4), SEL_CODE3);
	cr_assert_eq(h_rd(0x8FE8, 4), 0x08048100u);
	cr_assert_eq(c->s.seg[S_CS].sel, SEL_CODE0);
	cr_assert_eq(c->s.eip, 0x6000);

	/* The callee loads DS with kernel data, then RETF 8: pop EIP, CS (RPL 3
	 * > CPL 0), release 8 bytes, pop ESP, SS, release 8 bytes on the
	 * caller's stack too → ESP = 0x8008. DS (DPL 0) is nulled. */
	seg_load(c, S_DS, SEL_DATA0);
	cr_assert_eq(H_TRY(c, cpu_far_ret(c, 32, 8)), -1);
	cr_assert_eq(c->cpl, 3);
	cr_assert_eq(c->s.seg[S_CS].sel, SEL_CODE3);
	cr_assert_eq(c->s.seg[S_SS].sel, SEL_DATA3);
	cr_assert_eq(c->s.gpr[R_ESP], H_STK3 + 8);
	cr_assert_eq(c->s.eip, 0x08048100u);
	cr_assert_eq(c->s.seg[S_DS].sel, 0);
	h_free(c);
}

Test(far, call_gate_16bit_one_param)
{
	struct cpu *c = pm();
	/* 16-bit gate, 1 word param, DPL 3 → ring 0 at 0x1234 (low 16 bits). */
	h_gate(H_GDT, 10, SYS_CALLGATE16, SEL_CODE0, 0xABCD1234u, 3, 1, 1);
	h_ring3(c);
	h_wr(H_STK3, 2, 0xBEEF);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x53, 0, 32, 0x4567)), -1);
	/* Words: SS, SP, param, CS, IP → 0x9000 - 10 = 0x8FF6. */
	cr_assert_eq(c->s.gpr[R_ESP], 0x8FF6);
	cr_assert_eq(h_rd(0x8FFE, 2), SEL_DATA3);
	cr_assert_eq(h_rd(0x8FFC, 2), H_STK3 & 0xFFFF);
	cr_assert_eq(h_rd(0x8FFA, 2), 0xBEEF);
	cr_assert_eq(h_rd(0x8FF8, 2), SEL_CODE3);
	cr_assert_eq(h_rd(0x8FF6, 2), 0x4567);
	cr_assert_eq(c->s.eip, 0x1234);
	h_free(c);
}

Test(far, call_gate_checks)
{
	struct cpu *c = pm();
	h_ring3(c);
	/* Gate DPL 0 < CPL 3: #GP(gate sel). */
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_CODE0, 0x6000, 0, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x53, 0, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0x50);
	/* Gate not present: #NP(gate sel). */
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_CODE0, 0x6000, 3, 0, 0);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x53, 0, 32, 0)), EX_NP);
	cr_assert_eq(h_exc_err, 0x50);
	/* Gate to a data segment: #GP(target sel). */
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_DATA0, 0x6000, 3, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_far_call(c, 0x53, 0, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_DATA0);
	/* JMP through a gate to more privileged non-conforming code: #GP(code
	 * sel) (JMP never changes CPL). */
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_CODE0, 0x6000, 3, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x53, 0, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_CODE0);
	/* ... but to same-level code it works, with the gate's offset. */
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_CODE3, 0x6000, 3, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_far_jmp(c, 0x53, 0, 32)), -1);
	cr_assert_eq(c->s.eip, 0x6000);
	cr_assert_eq(c->s.seg[S_CS].sel, SEL_CODE3);
	h_free(c);
}

Test(far, ret_to_outer_checks)
{
	struct cpu *c = pm();
	/* Frame at 0x7000: EIP, CS 0x1B, ESP, SS. */
	h_wr(0x7000, 4, 0x2000);
	h_wr(0x7004, 4, SEL_CODE3);
	h_wr(0x7008, 4, 0x8000);
	h_wr(0x700C, 4, 0x21);  /* SS RPL 1 != CS RPL 3: #GP(SS sel) */
	cr_assert_eq(H_TRY(c, cpu_far_ret(c, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0x20);
	h_wr(0x700C, 4, 0);     /* null SS: #GP(0) */
	cr_assert_eq(H_TRY(c, cpu_far_ret(c, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* Return to a more privileged level (RPL 0 from CPL 3): #GP(CS). */
	h_ring3(c);
	h_wr(H_STK3, 4, 0x2000);
	h_wr(H_STK3 + 4, 4, SEL_CODE0);
	cr_assert_eq(H_TRY(c, cpu_far_ret(c, 32, 0)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_CODE0);
	cr_assert_eq(c->s.gpr[R_ESP], H_STK3);
	h_free(c);
}
