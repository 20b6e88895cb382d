/* System instructions: LGDT/LIDT, LLDT, LTR, MOV CRn/DRn/TRn, LMSW, CLTS,
 * LAR/LSL/VERR/VERW, INVLPG, HLT. Expected values from the SDM vol. 2
 * pseudo-code and the per-model register sets (vol. 3, 2.5). */
#include <criterion/criterion.h>
#include "harness.h"

Test(sysinsn, lgdt_16bit_masks_base)
{
	struct cpu *c = h_new(CPU_386);
	/* Operand size 16: only 24 bits of base are loaded. */
	cr_assert_eq(H_TRY(c, sys_lgdt(c, 0xAB123456u, 0x17, 16)), -1);
	cr_assert_eq(c->s.gdtr_base, 0x123456u);
	cr_assert_eq(c->s.gdtr_limit, 0x17);
	cr_assert_eq(H_TRY(c, sys_lidt(c, 0xAB123456u, 0x7FF, 32)), -1);
	cr_assert_eq(c->s.idtr_base, 0xAB123456u);
	/* At CPL 3: #GP(0). */
	h_pmode(c);
	h_ring3(c);
	cr_assert_eq(H_TRY(c, sys_lgdt(c, 0, 0, 32)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	h_free(c);
}

Test(sysinsn, lldt_ltr_mode_and_privilege)
{
	struct cpu *c = h_new(CPU_486);
	/* Real mode: LLDT/LTR/LAR are #UD. */
	cr_assert_eq(H_TRY(c, sys_lldt(c, 0x38)), EX_UD);
	cr_assert_eq(H_TRY(c, sys_ltr(c, 0x30)), EX_UD);
	uint32_t v;
	cr_assert_eq(H_TRY(c, sys_lar(c, 0x08, &v)), EX_UD);
	h_pmode(c);
	/* v86: #UD too. */
	c->s.eflags |= FL_VM;
	c->cpl = 3;
	cr_assert_eq(H_TRY(c, sys_ltr(c, 0x30)), EX_UD);
	c->s.eflags &= ~FL_VM;
	h_ring3(c);
	cr_assert_eq(H_TRY(c, sys_ltr(c, 0x30)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	h_free(c);
}

Test(sysinsn, ltr_checks_and_busy)
{
	struct cpu *c = h_new(CPU_486);
	h_pmode(c);
	/* Null: #GP(0). TI = 1: #GP(sel). */
	cr_assert_eq(H_TRY(c, sys_ltr(c, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	cr_assert_eq(H_TRY(c, sys_ltr(c, 0x34)), EX_GP);
	cr_assert_eq(h_exc_err, 0x34);
	/* Busy TSS (A is busy): #GP(sel). Data segment: #GP(sel). */
	cr_assert_eq(H_TRY(c, sys_ltr(c, SEL_TSS_A)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_TSS_A);
	cr_assert_eq(H_TRY(c, sys_ltr(c, SEL_DATA0)), EX_GP);
	/* Available TSS B: loads, and the descriptor becomes busy (type 0xB). */
	cr_assert_eq(H_TRY(c, sys_ltr(c, SEL_TSS_B)), -1);
	cr_assert_eq(h_ram[H_GDT + 48 + 5] & 0x0F, 0xB);
	cr_assert_eq(c->s.seg[S_TR].base, H_TSS_B);
	cr_assert_eq(c->s.seg[S_TR].limit, 0x67);
	/* Not present: #NP(sel). */
	h_desc(H_GDT, 10, 0x5000, 0x67, SYS_TSS32_AVAIL, 0, 0, 0, 0, 0);
	cr_assert_eq(H_TRY(c, sys_ltr(c, 0x50)), EX_NP);
	cr_assert_eq(h_exc_err, 0x50);
	h_free(c);
}

Test(sysinsn, lldt_checks)
{
	struct cpu *c = h_new(CPU_486);
	h_pmode(c);
	/* Null makes LDTR unusable without a fault. */
	cr_assert_eq(H_TRY(c, sys_lldt(c, 0)), -1);
	/* Not an LDT: #GP(sel). */
	cr_assert_eq(H_TRY(c, sys_lldt(c, SEL_TSS_B)), EX_GP);
	cr_assert_eq(h_exc_err, SEL_TSS_B);
	cr_assert_eq(H_TRY(c, sys_lldt(c, SEL_LDT)), -1);
	cr_assert_eq(c->s.seg[S_LDTR].base, H_LDT);
	cr_assert_eq(c->s.seg[S_LDTR].limit, 0x1F);
	h_free(c);
}

Test(sysinsn, cr0_rules)
{
	struct cpu *c = h_new(CPU_486);
	/* PG without PE: #GP(0). */
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 0, CR0_PG)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* NW without CD on a 486: #GP(0). */
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 0, CR0_NW)), EX_GP);
	/* PE set: ET reads as 1 on the 486; the MMU and the core are told. */
	int cc = h_code_changed;
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 0, CR0_PE | CR0_WP)), -1);
	cr_assert_eq(c->s.cr0, CR0_PE | CR0_WP | CR0_ET);
	cr_assert_eq(h_cr0_calls, 1);
	cr_assert_gt(h_code_changed, cc);
	/* The 386 has no WP: the bit is ignored; ET is writable (no FPU). */
	struct cpu *o = h_new(CPU_386);
	cr_assert_eq(H_TRY(o, sys_mov_to_cr(o, 0, CR0_PE | CR0_WP)), -1);
	cr_assert_eq(o->s.cr0, CR0_PE);
	h_free(o);
	/* LMSW cannot clear PE but can set MP/EM/TS. */
	cr_assert_eq(H_TRY(c, sys_lmsw(c, 0x000E)), -1);
	cr_assert_eq(c->s.cr0 & 0xF, 0xF);
	cr_assert_eq(H_TRY(c, sys_clts(c)), -1);
	cr_assert_eq(c->s.cr0 & CR0_TS, 0);
	h_free(c);
}

Test(sysinsn, cr3_cr4_per_model)
{
	struct cpu *c = h_new(CPU_486);
	/* 386/486: no CR4 → #UD. CR1, CR5: #UD. */
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 4, 0)), EX_UD);
	cr_assert_eq(H_TRY(c, sys_mov_from_cr(c, 4)), EX_UD);
	cr_assert_eq(H_TRY(c, sys_mov_from_cr(c, 1)), EX_UD);
	/* CR3 goes to the MMU; low bits other than PCD/PWT are dropped. */
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 3, 0x0012301Fu)), -1);
	cr_assert_eq(c->s.cr3, 0x00123018u);
	cr_assert_eq(h_mmu_cr3, 0x00123018u);
	c->model = CPU_PENTIUM;
	/* Pentium: PSE and TSD exist, PGE does not → #GP(0). */
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 4, CR4_PGE)), EX_GP);
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 4, CR4_PSE)), -1);
	cr_assert_eq(h_mmu_cr4, CR4_PSE);
	/* VME is not implemented (CPUID does not claim it): #GP(0). */
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 4, CR4_VME)), EX_GP);
	c->model = CPU_P6;
	cr_assert_eq(H_TRY(c, sys_mov_to_cr(c, 4, CR4_PSE | CR4_PGE)), -1);
	cr_assert_eq(H_TRY(c, sys_mov_from_cr(c, 4)), -1);
	/* CPL 3: #GP(0) for MOV CR. */
	h_pmode(c);
	h_ring3(c);
	cr_assert_eq(H_TRY(c, sys_mov_from_cr(c, 0)), EX_GP);
	h_free(c);
}

Test(sysinsn, debug_registers)
{
	struct cpu *c = h_new(CPU_386);
	/* DR4/DR5 alias DR6/DR7. */
	cr_assert_eq(H_TRY(c, sys_mov_to_dr(c, 5, 0x1)), -1);
	cr_assert_eq(c->s.dr[7], 0x1);
	cr_assert_eq(H_TRY(c, sys_mov_from_dr(c, 7)), -1);
	cr_assert_eq(H_TRY(c, sys_mov_to_dr(c, 0, 0xC0001000u)), -1);
	cr_assert_eq(c->s.dr[0], 0xC0001000u);
	/* DR7.GD: the next DR access is a #DB with DR6.BD set, GD cleared. */
	c->s.dr[7] = 1u << 13;
	cr_assert_eq(H_TRY(c, sys_mov_from_dr(c, 0)), EX_DB);
	cr_assert(c->s.dr[6] & (1u << 13));
	cr_assert_eq(c->s.dr[7] & (1u << 13), 0);
	h_free(c);
}

Test(sysinsn, test_registers)
{
	struct cpu *c = h_new(CPU_386);
	/* TR6/TR7 go to the MMU (the stub echoes reads with bit 31 flipped). */
	cr_assert_eq(H_TRY(c, sys_mov_to_tr(c, 6, 0x12345000u)), -1);
	cr_assert_eq(h_tr[6], 0x12345000u);
	cr_assert_eq(H_TRY(c, sys_mov_from_tr(c, 6)), -1);
	cr_assert_eq(c->s.tr[6], 0x92345000u);
	/* TR3 only on the 486; TR6 not on the Pentium: #UD. */
	cr_assert_eq(H_TRY(c, sys_mov_to_tr(c, 3, 1)), EX_UD);
	c->model = CPU_486;
	cr_assert_eq(H_TRY(c, sys_mov_to_tr(c, 3, 1)), -1);
	c->model = CPU_PENTIUM;
	cr_assert_eq(H_TRY(c, sys_mov_to_tr(c, 6, 1)), EX_UD);
	h_free(c);
}

Test(sysinsn, lar_lsl_verr_verw)
{
	struct cpu *c = h_new(CPU_486);
	uint32_t v = 0;
	h_pmode(c);
	/* LAR of flat ring-0 code: high dword & 0x00F0FF00 (G, D, P, DPL 0,
	 * S, type A, accessed bit as in memory). */
	cr_assert(sys_lar(c, SEL_CODE0, &v));
	cr_assert_eq(v, 0x00C09A00u);
	/* LSL: limit 0xFFFFF pages = 0xFFFFFFFF bytes. */
	cr_assert(sys_lsl(c, SEL_CODE0, &v));
	cr_assert_eq(v, 0xFFFFFFFFu);
	/* Null and beyond-limit selectors: ZF = 0, no fault. */
	cr_assert(!sys_lar(c, 0, &v));
	cr_assert(!sys_lsl(c, 0x1F8, &v));
	/* LSL of a TSS works, of a call gate not; LAR of a call gate works,
	 * of an interrupt gate not. */
	cr_assert(sys_lsl(c, SEL_TSS_B, &v));
	cr_assert_eq(v, 0x67);
	h_gate(H_GDT, 10, SYS_CALLGATE32, SEL_CODE0, 0x1000, 3, 0, 1);
	cr_assert(!sys_lsl(c, 0x50, &v));
	cr_assert(sys_lar(c, 0x50, &v));
	h_gate(H_GDT, 11, SYS_INTGATE32, SEL_CODE0, 0x1000, 3, 0, 1);
	cr_assert(!sys_lar(c, 0x58, &v));
	/* Not present still passes LAR. */
	h_desc(H_GDT, 12, 0, 0xFFFF, 0x2, 1, 0, 0, 0, 0);
	cr_assert(sys_lar(c, 0x60, &v));
	/* From CPL 3: DPL 0 data fails; conforming code passes. */
	h_ring3(c);
	cr_assert(!sys_lar(c, SEL_DATA0, &v));
	cr_assert(!sys_verr(c, SEL_DATA0));
	h_desc(H_GDT, 13, 0, 0xFFFF, 0xE, 1, 0, 1, 0, 0);
	cr_assert(sys_verr(c, 0x6B));
	cr_assert(!sys_verw(c, 0x6B));
	/* VERR/VERW on ring-3 segments. */
	cr_assert(sys_verr(c, SEL_CODE3));
	cr_assert(!sys_verw(c, SEL_CODE3));
	cr_assert(sys_verw(c, SEL_DATA3));
	/* Execute-only code: VERR fails. */
	h_desc(H_GDT, 14, 0, 0xFFFF, 0x8, 1, 3, 1, 0, 0);
	cr_assert(!sys_verr(c, 0x73));
	h_free(c);
}

Test(sysinsn, invlpg_invd_hlt)
{
	struct cpu *c = h_new(CPU_386);
	/* No INVLPG/INVD on the 386: #UD. */
	cr_assert_eq(H_TRY(c, sys_invlpg(c, 0x1000)), EX_UD);
	cr_assert_eq(H_TRY(c, sys_invd(c)), EX_UD);
	c->model = CPU_486;
	cr_assert_eq(H_TRY(c, sys_invlpg(c, 0xC0001234u)), -1);
	cr_assert_eq(h_invlpg_lin, 0xC0001234u);
	cr_assert_eq(H_TRY(c, sys_hlt(c)), -1);
	cr_assert(c->s.halted);
	c->s.halted = 0;
	h_pmode(c);
	h_ring3(c);
	/* CPL 3: #GP(0) and not halted. */
	cr_assert_eq(H_TRY(c, sys_hlt(c)), EX_GP);
	cr_assert(!c->s.halted);
	cr_assert_eq(H_TRY(c, sys_invlpg(c, 0)), EX_GP);
	h_free(c);
}
