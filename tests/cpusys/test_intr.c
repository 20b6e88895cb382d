/* Interrupt and exception delivery and IRET (SDM vol. 2 INT n / IRET
 * pseudo-code, vol. 3 chapter 6). Each expected stack frame is worked out
 * by hand from the pseudo-code in the comment above its checks. */
#include <criterion/criterion.h>
#include "harness.h"

static int hook_vecs[16], hook_n;
static uint32_t hook_errs[16];

static void hook(void *o, int vector, int is_exc, uint32_t err, uint32_t eip)
{
	(void)o; (void)is_exc; (void)eip;
	if (hook_n < 16) {
		hook_errs[hook_n] = err;
		hook_vecs[hook_n++] = vector;
	}
}

static struct cpu *pm(void)
{
	struct cpu *c = h_new(CPU_486);
	h_pmode(c);
	hook_n = 0;
	c->hooks.on_interrupt = hook;
	return c;
}

Test(intr, real_mode_int)
{
	struct cpu *c = h_new(CPU_386);
	/* IVT entry 0x21 at 0x84: 1234:5678. CS = 0100, SS:SP = 0000:7000. */
	h_wr(0x84, 2, 0x5678);
	h_wr(0x86, 2, 0x1234);
	c->s.seg[S_CS].sel = 0x100;
	c->s.seg[S_CS].base = 0x1000;
	c->s.eflags = 0x202 | FL_TF;
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x21, INTR_SOFTWARE, 0x105)), -1);
	/* Push FLAGS, CS, IP (words): SP 7000 → 6FFA; IF and TF cleared. */
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FFA);
	cr_assert_eq(h_rd(0x6FFE, 2), 0x302);
	cr_assert_eq(h_rd(0x6FFC, 2), 0x100);
	cr_assert_eq(h_rd(0x6FFA, 2), 0x105);
	cr_assert_eq(c->s.seg[S_CS].sel, 0x1234);
	cr_assert_eq(c->s.seg[S_CS].base, 0x12340);
	cr_assert_eq(c->s.eip, 0x5678);
	cr_assert_eq(c->s.eflags & (FL_IF | FL_TF), 0);
	/* IRET (16) pops it all back. */
	cr_assert_eq(H_TRY(c, cpu_iret(c, 16)), -1);
	cr_assert_eq(c->s.gpr[R_ESP], 0x7000);
	cr_assert_eq(c->s.seg[S_CS].base, 0x1000);
	cr_assert_eq(c->s.eip, 0x105);
	cr_assert_eq(c->s.eflags, 0x302);
	h_free(c);
}

Test(intr, same_level_interrupt_and_trap_gates)
{
	struct cpu *c = pm();
	c->s.eflags = 0x202;
	h_gate(H_IDT, 0x30, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
	h_gate(H_IDT, 0x31, SYS_TRAPGATE32, SEL_CODE0, 0x5000, 0, 0, 1);
	/* Same privilege: EFLAGS, CS, EIP pushed (dwords): ESP 7000 → 6FF4. */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x30, INTR_SOFTWARE, 0x1236)), -1);
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FF4);
	cr_assert_eq(h_rd(0x6FF4, 4), 0x1236);
	cr_assert_eq(h_rd(0x6FF8, 4), SEL_CODE0);
	cr_assert_eq(h_rd(0x6FFC, 4), 0x202);
	cr_assert_eq(c->s.eip, 0x4000);
	cr_assert_eq(c->s.eflags & FL_IF, 0);  /* interrupt gate clears IF */
	c->s.eflags |= FL_IF;
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x31, INTR_SOFTWARE, 0x4002)), -1);
	cr_assert_eq(c->s.eip, 0x5000);
	cr_assert(c->s.eflags & FL_IF);  /* trap gate keeps IF */
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FE8);
	/* IRET returns to the interrupt gate's handler at the same level. */
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert_eq(c->s.eip, 0x4002);
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FF4);
	h_free(c);
}

Test(intr, exception_error_code_pushed)
{
	struct cpu *c = pm();
	h_gate(H_IDT, EX_GP, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
	c->s.eip = 0x1234;
	/* #GP(0x50): EFLAGS CS EIP then the error code; EIP is the faulting one. */
	cr_assert_eq(H_TRY(c, cpu_deliver(c, EX_GP, 1, 0x50)), -1);
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FF0);
	cr_assert_eq(h_rd(0x6FF0, 4), 0x50);
	cr_assert_eq(h_rd(0x6FF4, 4), 0x1234);
	cr_assert_eq(hook_n, 1);
	cr_assert_eq(hook_vecs[0], EX_GP);
	cr_assert_eq(hook_errs[0], 0x50);
	h_free(c);
}

Test(intr, sixteen_bit_gate)
{
	struct cpu *c = pm();
	c->s.eflags = 0x10202;  /* RF set: pushed, then cleared */
	h_gate(H_IDT, 0x31, SYS_INTGATE16, SEL_CODE0, 0x4321, 0, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x31, INTR_SOFTWARE, 0x12345678)), -1);
	/* A 286 gate pushes words and uses the low 16 bits of the offset. */
	cr_assert_eq(c->s.gpr[R_ESP], 0x6FFA);
	cr_assert_eq(h_rd(0x6FFA, 2), 0x5678);
	cr_assert_eq(h_rd(0x6FFC, 2), SEL_CODE0);
	cr_assert_eq(h_rd(0x6FFE, 2), 0x0202);
	cr_assert_eq(c->s.eip, 0x4321);
	cr_assert_eq(c->s.eflags & FL_RF, 0);
	h_free(c);
}

Test(intr, gate_dpl_applies_to_software_only)
{
	struct cpu *c = pm();
	h_gate(H_IDT, 0x20, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
	h_ring3(c);
	/* INT 20h from CPL 3 through a DPL 0 gate: #GP(20h*8 + 2) = #GP(0x102),
	 * EXT = 0. */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x20, INTR_SOFTWARE, 0x100)), EX_GP);
	cr_assert_eq(h_exc_err, 0x102);
	/* INT3 too (gate DPL check), but not an external interrupt. */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x20, INTR_INT3, 0x100)), EX_GP);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x20, INTR_EXTERNAL)), -1);
	cr_assert_eq(c->cpl, 0);
	h_free(c);
}

Test(intr, idt_limit_and_gate_type)
{
	struct cpu *c = pm();
	/* Gate 0x30 occupies 0x180..0x187; limit 0x186 cuts it: #GP(0x180 + 2
	 * + EXT) = #GP(0x183) for an external interrupt. */
	c->s.idtr_limit = 0x186;
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_GP);
	cr_assert_eq(h_exc_err, 0x183);
	/* From INT n: EXT = 0 → #GP(0x182). */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x30, INTR_SOFTWARE, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0x182);
	/* A call gate in the IDT is not a valid gate type: #GP(vec*8+2+EXT). */
	c->s.idtr_limit = 0x7FF;
	h_gate(H_IDT, 0x30, SYS_CALLGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_GP);
	cr_assert_eq(h_exc_err, 0x183);
	h_free(c);
}

Test(intr, gate_not_present_and_bad_target)
{
	struct cpu *c = pm();
	/* Not-present gate: #NP(vec*8 + 2 + EXT). */
	h_gate(H_IDT, 0x30, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 0);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_NP);
	cr_assert_eq(h_exc_err, 0x183);
	/* Gate selector naming a data segment: #GP(sel + EXT). */
	h_gate(H_IDT, 0x30, SYS_INTGATE32, SEL_DATA0, 0x4000, 0, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_GP);
	cr_assert_eq(h_exc_err, 0x11);
	/* Null selector: #GP(EXT). */
	h_gate(H_IDT, 0x30, SYS_INTGATE32, 0, 0x4000, 0, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x30, INTR_SOFTWARE, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* Not-present code segment: #NP(sel + EXT). */
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xA, 1, 0, 0, 1, 1);
	h_gate(H_IDT, 0x30, SYS_INTGATE32, 0x50, 0x4000, 0, 0, 1);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_NP);
	cr_assert_eq(h_exc_err, 0x51);
	h_free(c);
}

Test(intr, privilege_change_and_iret_back)
{
	struct cpu *c = pm();
	h_gate(H_IDT, 0x80, SYS_INTGATE32, SEL_CODE0, 0xC0001000u, 3, 0, 1);
	h_ring3(c);
	c->s.eflags = 0x202;
	/* INT 80h from CPL 3 through a DPL 3 gate to DPL 0 code: SS0:ESP0 from
	 * the TSS (0x10:0x9000); push SS ESP EFLAGS CS EIP → ESP 0x8FEC. */
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x80, INTR_SOFTWARE, 0x08048010u)), -1);
	cr_assert_eq(c->cpl, 0);
	cr_assert_eq(c->s.seg[S_SS].sel, SEL_DATA0);
	cr_assert_eq(c->s.seg[S_CS].sel, SEL_CODE0);
	cr_assert_eq(c->s.gpr[R_ESP], 0x8FEC);
	cr_assert_eq(h_rd(0x8FEC, 4), 0x08048010u);
	cr_assert_eq(h_rd(0x8FF0, 4), SEL_CODE3);
	cr_assert_eq(h_rd(0x8FF4, 4), 0x202);
	cr_assert_eq(h_rd(0x8FF8, 4), H_STK3);
	cr_assert_eq(h_rd(0x8FFC, 4), SEL_DATA3);
	cr_assert_eq(c->s.eip, 0xC0001000u);
	cr_assert_eq(c->s.eflags & FL_IF, 0);

	/* The handler loads DS with kernel data and leaves ES as user data.
	 * IRET to CPL 3: SS:ESP popped; DS (DPL 0 < CPL 3) is nulled. */
	seg_load(c, S_DS, SEL_DATA0);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert_eq(c->cpl, 3);
	cr_assert_eq(c->s.seg[S_CS].sel, SEL_CODE3);
	cr_assert_eq(c->s.seg[S_SS].sel, SEL_DATA3);
	cr_assert_eq(c->s.gpr[R_ESP], H_STK3);
	cr_assert_eq(c->s.eip, 0x08048010u);
	cr_assert(c->s.eflags & FL_IF);
	cr_assert_eq(c->s.seg[S_DS].sel, 0);
	cr_assert_eq(c->s.seg[S_DS].flags & SEGF_P, 0);
	cr_assert_eq(c->s.seg[S_ES].sel, SEL_DATA3);
	h_free(c);
}

Test(intr, inner_stack_checks)
{
	struct cpu *c = pm();
	h_gate(H_IDT, 0x30, SYS_INTGATE32, SEL_CODE0, 0x1000, 3, 0, 1);
	h_ring3(c);
	/* SS0 with RPL 3 in the TSS: #TS(SS0 + EXT) = #TS(0x13) for external. */
	h_wr(H_TSS_A + 8, 2, 0x13);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_TS);
	cr_assert_eq(h_exc_err, 0x11);
	/* SS0 a small expand-up segment, ESP0 = 0x10: 20 bytes don't fit →
	 * #SS(SS0 + EXT). */
	h_desc(H_GDT, 10, 0, 0xFFF, 0x2, 1, 0, 1, 1, 0);
	h_wr(H_TSS_A + 8, 2, 0x50);
	h_wr(H_TSS_A + 4, 4, 0x10);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_SS);
	cr_assert_eq(h_exc_err, 0x51);
	cr_assert_eq(c->cpl, 3);  /* nothing committed */
	/* TSS too short for SS0:ESP0 (limit 8 < 4 + 7): #TS(TR + EXT). */
	c->s.seg[S_TR].limit = 8;
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_TS);
	cr_assert_eq(h_exc_err, SEL_TSS_A | 1);
	h_free(c);
}

Test(intr, iret_flag_masks)
{
	struct cpu *c = pm();
	/* At CPL 3 with IOPL 0 and IF = 0, a same-level IRET popping IOPL 3
	 * and IF 1: neither may change (IF needs CPL <= IOPL, IOPL CPL 0). */
	h_ring3(c);
	c->s.eflags = 0x002;
	c->s.gpr[R_ESP] = 0x7F00;
	h_wr(0x7F00, 4, 0x2000);      /* EIP */
	h_wr(0x7F04, 4, SEL_CODE3);   /* CS */
	h_wr(0x7F08, 4, 0x3203 | FL_VM);  /* IOPL 3, IF, CF; VM ignored at CPL 3 */
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert_eq(c->s.eflags & (FL_IOPL | FL_IF | FL_VM), 0);
	cr_assert_eq(c->s.eflags & FL_CF, FL_CF);
	cr_assert_eq(c->s.eip, 0x2000);
	/* At CPL 0 both change. */
	struct cpu *k = pm();
	k->s.eflags = 0x002;
	h_wr(0x7000, 4, 0x2000);
	h_wr(0x7004, 4, SEL_CODE0);
	h_wr(0x7008, 4, 0x3202);
	cr_assert_eq(H_TRY(k, cpu_iret(k, 32)), -1);
	cr_assert_eq(k->s.eflags & (FL_IOPL | FL_IF), FL_IOPL | FL_IF);
	h_free(k);
	h_free(c);
}

Test(intr, iret_checks)
{
	struct cpu *c = pm();
	/* Return CS with RPL < CPL: #GP(sel). */
	h_ring3(c);
	c->s.gpr[R_ESP] = 0x7F00;
	h_wr(0x7F00, 4, 0x2000);
	h_wr(0x7F04, 4, SEL_CODE0);
	h_wr(0x7F08, 4, 0x202);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_CODE0);
	/* Null CS: #GP(0). */
	h_wr(0x7F04, 4, 0);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* EIP beyond the limit of the return CS: #GP(0). */
	h_desc(H_GDT, 10, 0, 0xFFF, 0xA, 1, 3, 1, 1, 0);
	h_wr(0x7F04, 4, 0x53);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	cr_assert_eq(c->s.gpr[R_ESP], 0x7F00);
	h_free(c);
}

Test(intr, double_fault_contributory)
{
	struct cpu *c = pm();
	/* #GP delivery finds gate 13 not present → #NP (contributory) while
	 * delivering a contributory exception → #DF with error code 0. */
	h_gate(H_IDT, EX_GP, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 0);
	h_gate(H_IDT, EX_DF, SYS_INTGATE32, SEL_CODE0, 0x8000, 0, 0, 1);
	c->s.eip = 0x1234;
	h_deliver_loop(c, EX_GP, 1, 0x10);
	cr_assert(!c->shutdown);
	cr_assert_eq(c->s.eip, 0x8000);
	cr_assert_eq(hook_n, 2);
	cr_assert_eq(hook_vecs[0], EX_GP);
	cr_assert_eq(hook_vecs[1], EX_DF);
	/* Frame: error code 0, EIP of the faulting instruction. */
	cr_assert_eq(h_rd(c->s.gpr[R_ESP], 4), 0);
	cr_assert_eq(h_rd(c->s.gpr[R_ESP] + 4, 4), 0x1234);
	cr_assert_eq(c->exc_depth, 0);
	h_free(c);
}

Test(intr, triple_fault)
{
	struct cpu *c = pm();
	/* As above, but the #DF gate is not present too: shutdown. */
	h_gate(H_IDT, EX_GP, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 0);
	h_deliver_loop(c, EX_GP, 1, 0);
	cr_assert(c->shutdown);
	cr_assert_eq(hook_n, 2);
	cr_assert_eq(hook_vecs[1], EX_DF);
	h_free(c);
}

Test(intr, page_fault_during_page_fault)
{
	struct cpu *c = pm();
	/* The stack page below ESP is absent: delivering #PF faults with #PF →
	 * #DF; delivering #DF on the same stack faults again → shutdown. */
	h_gate(H_IDT, EX_PF, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
	h_gate(H_IDT, EX_DF, SYS_INTGATE32, SEL_CODE0, 0x8000, 0, 0, 1);
	c->s.gpr[R_ESP] = 0x6000;
	h_unmap_page(0x5000);
	h_deliver_loop(c, EX_PF, 1, 2);
	cr_assert_eq(hook_n, 2);
	cr_assert_eq(hook_vecs[0], EX_PF);
	cr_assert_eq(hook_vecs[1], EX_DF);
	cr_assert(c->shutdown);
	cr_assert_eq(c->s.gpr[R_ESP], 0x6000);
	h_free(c);
}

Test(intr, benign_then_contributory_is_serial)
{
	struct cpu *c = pm();
	/* #DB (benign) whose gate is not present → #NP delivered normally. */
	h_gate(H_IDT, EX_DB, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 0);
	h_gate(H_IDT, EX_NP, SYS_INTGATE32, SEL_CODE0, 0x5000, 0, 0, 1);
	h_deliver_loop(c, EX_DB, 0, 0);
	cr_assert(!c->shutdown);
	cr_assert_eq(hook_n, 2);
	cr_assert_eq(hook_vecs[1], EX_NP);
	cr_assert_eq(c->s.eip, 0x5000);
	/* Its error code: vector 1 * 8 + 2 (IDT) + 1 (EXT) = 0xB. */
	cr_assert_eq(h_rd(c->s.gpr[R_ESP], 4), 0xB);
	h_free(c);
}

Test(intr, conforming_handler_keeps_cpl)
{
	struct cpu *c = pm();
	/* Gate to a conforming DPL 0 segment from CPL 3: no stack switch,
	 * CPL stays 3, CS gets RPL 3. */
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xE, 1, 0, 1, 1, 1);
	h_gate(H_IDT, 0x40, SYS_TRAPGATE32, 0x50, 0x3000, 3, 0, 1);
	h_ring3(c);
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x40, INTR_SOFTWARE, 0x10)), -1);
	cr_assert_eq(c->cpl, 3);
	cr_assert_eq(c->s.seg[S_CS].sel, 0x53);
	cr_assert_eq(c->s.gpr[R_ESP], H_STK3 - 12);
	h_free(c);
}

Test(intr, expand_down_inner_stack)
{
	struct cpu *c = pm();
	h_gate(H_IDT, 0x30, SYS_INTGATE32, SEL_CODE0, 0x1000, 3, 0, 1);
	/* SS0: expand-down, B = 1, limit 0xFFF: valid offsets 0x1000..FFFFFFFF. */
	h_desc(H_GDT, 10, 0, 0xFFF, 0x6, 1, 0, 1, 1, 0);
	h_wr(H_TSS_A + 8, 2, 0x50);
	h_ring3(c);
	/* ESP0 = 0x1010: the 20-byte frame would start at 0xFFC ≤ limit →
	 * #SS(0x50 | EXT). */
	h_wr(H_TSS_A + 4, 4, 0x1010);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), EX_SS);
	cr_assert_eq(h_exc_err, 0x51);
	/* ESP0 = 0x1014: frame at 0x1000..0x1013, inside. */
	h_wr(H_TSS_A + 4, 4, 0x1014);
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, 0x30, INTR_EXTERNAL)), -1);
	cr_assert_eq(c->s.gpr[R_ESP], 0x1000);
	cr_assert_eq(h_rd(0x1000, 4), c->insn_eip);
	h_free(c);
}

Test(intr, iret_outer_stack_not_present)
{
	struct cpu *c = pm();
	/* Frame for a return to CPL 3 whose SS is not present: #SS(SS sel). */
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0x2, 1, 3, 0, 1, 1);
	h_wr(0x7000, 4, 0x2000);
	h_wr(0x7004, 4, SEL_CODE3);
	h_wr(0x7008, 4, 0x202);
	h_wr(0x700C, 4, 0x8000);
	h_wr(0x7010, 4, 0x53);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), EX_SS);
	cr_assert_eq(h_exc_err, 0x50);
	cr_assert_eq(c->cpl, 0);
	/* SS with DPL 0 for a CPL 3 return: #GP(SS sel). */
	h_wr(0x7010, 4, SEL_DATA0 | 3);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_DATA0);
	h_free(c);
}

Test(intr, real_mode_ivt_limit)
{
	struct cpu *c = h_new(CPU_386);
	/* IDTR limit 0x83: vector 0x21's entry (0x84..0x87) is outside →
	 * #GP (real mode pushes no error code, the value is irrelevant). */
	c->s.idtr_limit = 0x83;
	cr_assert_eq(H_TRY(c, cpu_soft_int(c, 0x21, INTR_SOFTWARE, 0)), EX_GP);
	cr_assert_eq(c->s.gpr[R_ESP], 0x7000);
	h_free(c);
}

Test(intr, nmi_blocked_until_iret)
{
	struct cpu *c = pm();
	h_gate(H_IDT, EX_NMI, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
	/* NMI delivery: no error code, EXT; blocks further NMIs until IRET. */
	cr_assert_eq(H_TRY(c, cpu_deliver_external(c, EX_NMI, INTR_NMI)), -1);
	cr_assert_eq(c->s.eip, 0x4000);
	cr_assert(c->nmi_blocked);
	cr_assert_eq(H_TRY(c, cpu_iret(c, 32)), -1);
	cr_assert(!c->nmi_blocked);
	h_free(c);
}
