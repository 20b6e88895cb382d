/* handlers.h - the list of instruction handlers (X-macro). Each entry
 * H(name) is a function op_name(struct cpu *, const struct insn *) defined
 * in the file named in the comment of its group. No include guard: core.h
 * and the tables expand it with their own H(). */

/* alu.c: integer arithmetic and logic */
H(alu_rm_r) H(alu_a_imm) H(alu_rm_imm) H(inc_r) H(dec_r) H(inc_rm) H(dec_rm)
H(test_rm_r) H(test_a_imm) H(test_rm_imm) H(not_rm) H(neg_rm)
H(mul_rm) H(imul_rm) H(div_rm) H(idiv_rm) H(imul_r_rm) H(imul_r_rm_imm)
H(xadd) H(cmpxchg) H(cmpxchg8b)
H(test_rr32) H(test_r32_imm) H(inc_r32) H(dec_r32)
H(alu_m8_imm) H(alu_m8_r8) H(alu_r8_m8) H(test_m8_imm) H(test_m32_imm) H(test_m_r32)
H(test_r8_imm) H(test_rh_imm) H(imul_r32_r32_imm) H(imul_r32_r32)
/* alu.c: the 32-bit forms of ADD..CMP (ALU32_FORMS) */
H(add_rr32) H(add_r32_imm) H(add_r32_m) H(add_m_r32) H(add_m_imm32)
H(or_rr32) H(or_r32_imm) H(or_r32_m) H(or_m_r32) H(or_m_imm32)
H(adc_rr32) H(adc_r32_imm) H(adc_r32_m) H(adc_m_r32) H(adc_m_imm32)
H(sbb_rr32) H(sbb_r32_imm) H(sbb_r32_m) H(sbb_m_r32) H(sbb_m_imm32)
H(and_rr32) H(and_r32_imm) H(and_r32_m) H(and_m_r32) H(and_m_imm32)
H(sub_rr32) H(sub_r32_imm) H(sub_r32_m) H(sub_m_r32) H(sub_m_imm32)
H(xor_rr32) H(xor_r32_imm) H(xor_r32_m) H(xor_m_r32) H(xor_m_imm32)
H(cmp_rr32) H(cmp_r32_imm) H(cmp_r32_m) H(cmp_m_r32) H(cmp_m_imm32)
/* shift.c: shifts, rotates, double shifts */
H(shift_rm) H(shld) H(shrd) H(shift_r32) H(shl_r32_imm) H(shr_r32_imm) H(sar_r32_imm)
/* bcd.c */
H(daa) H(das) H(aaa) H(aas) H(aam) H(aad)
/* bitops.c */
H(bt_rm_r) H(bt_rm_imm) H(bsf) H(bsr) H(bswap)
/* misc.c: flags, data movement, conversions */
H(clc) H(stc) H(cmc) H(cld) H(std) H(cli) H(sti) H(lahf) H(sahf) H(salc)
H(setcc) H(cmovcc) H(cbw) H(cwd)
H(mov_rm_r) H(mov_r_rm) H(mov_rm_sreg) H(mov_sreg_rm) H(lea) H(mov_a_moffs)
H(mov_moffs_a) H(mov_r_imm) H(mov_rm_imm) H(movzx) H(movsx) H(xchg_r_a)
H(xchg_rm_r) H(xlat) H(lxs) H(nop) H(ud) H(esc) H(wait) H(mov_rr32)
H(mov_m_r32) H(mov_r32_m) H(mov_r32_imm) H(mov_m32_imm) H(mov_m8_imm) H(mov_m8_r8) H(mov_r8_m8)
H(mov_a32_moffs) H(mov_moffs_a32) H(lea32_b) H(lea32_bi) H(lea32_i)
H(movzx_r32_r8) H(movzx_r32_r16) H(movsx_r32_r8) H(movsx_r32_r16)
H(movzx_r32_rh) H(movsx_r32_rh)
H(movzx_r32_m8) H(movzx_r32_m16) H(movsx_r32_m8) H(movsx_r32_m16)
/* stack.c */
H(push_r32) H(pop_r32) H(push_r) H(pop_r) H(push_sreg) H(pop_sreg) H(push_imm) H(pop_rm) H(push_rm)
H(pusha) H(popa) H(pushf) H(popf) H(enter) H(leave)
/* ctl.c: control transfer */
H(jcc) H(jmp_rel) H(call_rel) H(ret) H(jmp_rm) H(call_rm) H(jmp_far)
H(call_far) H(jmp_far_m) H(call_far_m) H(retf) H(int3) H(int_imm) H(into)
H(iret) H(int1) H(loop) H(jcxz) H(hlt) H(bound) H(jmp_rel32) H(call_rel32) H(ret32)
H(jo32) H(jno32) H(jb32) H(jae32) H(je32) H(jne32) H(jbe32) H(ja32)
H(js32) H(jns32) H(jp32) H(jnp32) H(jl32) H(jge32) H(jle32) H(jg32)
/* string.c and io.c */
H(movs) H(cmps) H(stos) H(lods) H(scas) H(ins) H(outs) H(movs_a32) H(stos_a32)
H(in_imm) H(out_imm) H(in_dx) H(out_dx)
/* sysops.c: operand decoding for the system half's instructions */
H(sldt) H(str) H(lldt) H(ltr) H(verr) H(verw) H(sgdt) H(sidt) H(lgdt) H(lidt)
H(smsw) H(lmsw) H(invlpg) H(lar) H(lsl) H(clts) H(mov_from_cr) H(mov_to_cr)
H(mov_from_dr) H(mov_to_dr) H(mov_from_tr) H(mov_to_tr) H(invd) H(wrmsr)
H(rdtsc) H(rdmsr) H(cpuid) H(sysenter) H(sysexit) H(arpl)
