/* optable.c - the i386 opcode map as data (Intel SDM vol. 2, appendix A).
 *
 * One entry per opcode byte for the one-byte map and the 0F map, and one
 * row of eight per ModRM.reg group. Entries left out are #UD. Prefix bytes
 * (26 2E 36 3E 64 65 66 67 F0 F2 F3) never reach the tables: decode.c eats
 * them first.
 */
#include "optable.h"

#define O(h, fl)        { op_##h, (fl), FEAT_NONE, 0 }
#define OF_(h, fl, ft)  { op_##h, (fl), (ft), 0 }
#define GRP(g, fl)      { NULL, (fl) | D_GRP | D_M, FEAT_NONE, (g) }
#define UD              { op_ud, D_UD, FEAT_NONE, 0 }

/* The eight ALU rows 00-3F share one pattern: Eb,Gb Ev,Gv Gb,Eb Gv,Ev
 * AL,Ib eAX,Iz. */
#define ALU_ROW(base) \
	[(base) + 0] = O(alu_rm_r, D_M | D_LOCK), [(base) + 1] = O(alu_rm_r, D_M | D_LOCK), \
	[(base) + 2] = O(alu_rm_r, D_M), [(base) + 3] = O(alu_rm_r, D_M), \
	[(base) + 4] = O(alu_a_imm, D_IB), [(base) + 5] = O(alu_a_imm, D_IZ)

#define X8(first, e) [(first)] = e, [(first) + 1] = e, [(first) + 2] = e, [(first) + 3] = e, \
	[(first) + 4] = e, [(first) + 5] = e, [(first) + 6] = e, [(first) + 7] = e

const struct opinfo op_table[256] = {
	ALU_ROW(0x00), ALU_ROW(0x08), ALU_ROW(0x10), ALU_ROW(0x18),
	ALU_ROW(0x20), ALU_ROW(0x28), ALU_ROW(0x30),
	[0x38] = O(alu_rm_r, D_M), [0x39] = O(alu_rm_r, D_M), [0x3A] = O(alu_rm_r, D_M),
	[0x3B] = O(alu_rm_r, D_M), [0x3C] = O(alu_a_imm, D_IB), [0x3D] = O(alu_a_imm, D_IZ),
	[0x06] = O(push_sreg, 0), [0x07] = O(pop_sreg, 0), [0x0E] = O(push_sreg, 0),
	[0x16] = O(push_sreg, 0), [0x17] = O(pop_sreg, 0), [0x1E] = O(push_sreg, 0),
	[0x1F] = O(pop_sreg, 0),
	[0x27] = O(daa, 0), [0x2F] = O(das, 0), [0x37] = O(aaa, 0), [0x3F] = O(aas, 0),
	X8(0x40, O(inc_r, 0)), X8(0x48, O(dec_r, 0)),
	X8(0x50, O(push_r, 0)), X8(0x58, O(pop_r, 0)),
	[0x60] = O(pusha, 0), [0x61] = O(popa, 0), [0x62] = O(bound, D_M | D_MEM),
	[0x63] = O(arpl, D_M),
	[0x68] = O(push_imm, D_IZ), [0x69] = O(imul_r_rm_imm, D_M | D_IZ),
	[0x6A] = O(push_imm, D_IBS), [0x6B] = O(imul_r_rm_imm, D_M | D_IBS),
	[0x6C] = O(ins, 0), [0x6D] = O(ins, 0), [0x6E] = O(outs, 0), [0x6F] = O(outs, 0),
	X8(0x70, O(jcc, D_IBS)), X8(0x78, O(jcc, D_IBS)),
	[0x80] = GRP(G1, D_IB), [0x81] = GRP(G1, D_IZ), [0x82] = GRP(G1, D_IB),
	[0x83] = GRP(G1, D_IBS),
	[0x84] = O(test_rm_r, D_M), [0x85] = O(test_rm_r, D_M),
	[0x86] = O(xchg_rm_r, D_M | D_LOCK), [0x87] = O(xchg_rm_r, D_M | D_LOCK),
	[0x88] = O(mov_rm_r, D_M), [0x89] = O(mov_rm_r, D_M), [0x8A] = O(mov_r_rm, D_M),
	[0x8B] = O(mov_r_rm, D_M), [0x8C] = O(mov_rm_sreg, D_M), [0x8D] = O(lea, D_M | D_MEM),
	[0x8E] = O(mov_sreg_rm, D_M), [0x8F] = GRP(G1A, 0),
	[0x90] = O(nop, 0), [0x91] = O(xchg_r_a, 0), [0x92] = O(xchg_r_a, 0),
	[0x93] = O(xchg_r_a, 0), [0x94] = O(xchg_r_a, 0), [0x95] = O(xchg_r_a, 0),
	[0x96] = O(xchg_r_a, 0), [0x97] = O(xchg_r_a, 0),
	[0x98] = O(cbw, 0), [0x99] = O(cwd, 0), [0x9A] = O(call_far, D_AP), [0x9B] = O(wait, 0),
	[0x9C] = O(pushf, 0), [0x9D] = O(popf, 0), [0x9E] = O(sahf, 0), [0x9F] = O(lahf, 0),
	[0xA0] = O(mov_a_moffs, D_MOFFS), [0xA1] = O(mov_a_moffs, D_MOFFS),
	[0xA2] = O(mov_moffs_a, D_MOFFS), [0xA3] = O(mov_moffs_a, D_MOFFS),
	[0xA4] = O(movs, 0), [0xA5] = O(movs, 0), [0xA6] = O(cmps, 0), [0xA7] = O(cmps, 0),
	[0xA8] = O(test_a_imm, D_IB), [0xA9] = O(test_a_imm, D_IZ),
	[0xAA] = O(stos, 0), [0xAB] = O(stos, 0), [0xAC] = O(lods, 0), [0xAD] = O(lods, 0),
	[0xAE] = O(scas, 0), [0xAF] = O(scas, 0),
	X8(0xB0, O(mov_r_imm, D_IB)), X8(0xB8, O(mov_r_imm, D_IZ)),
	[0xC0] = GRP(G2, D_IB), [0xC1] = GRP(G2, D_IB), [0xC2] = O(ret, D_IW), [0xC3] = O(ret, 0),
	[0xC4] = O(lxs, D_M | D_MEM), [0xC5] = O(lxs, D_M | D_MEM),
	[0xC6] = GRP(G11B, 0), [0xC7] = GRP(G11V, 0),
	[0xC8] = O(enter, D_ENTER), [0xC9] = O(leave, 0), [0xCA] = O(retf, D_IW), [0xCB] = O(retf, 0),
	[0xCC] = O(int3, 0), [0xCD] = O(int_imm, D_IB), [0xCE] = O(into, 0), [0xCF] = O(iret, 0),
	[0xD0] = GRP(G2, 0), [0xD1] = GRP(G2, 0), [0xD2] = GRP(G2, 0), [0xD3] = GRP(G2, 0),
	[0xD4] = O(aam, D_IB), [0xD5] = O(aad, D_IB), [0xD6] = O(salc, 0), [0xD7] = O(xlat, 0),
	X8(0xD8, O(esc, D_M)),
	[0xE0] = O(loop, D_IBS), [0xE1] = O(loop, D_IBS), [0xE2] = O(loop, D_IBS),
	[0xE3] = O(jcxz, D_IBS),
	[0xE4] = O(in_imm, D_IB), [0xE5] = O(in_imm, D_IB), [0xE6] = O(out_imm, D_IB),
	[0xE7] = O(out_imm, D_IB),
	[0xE8] = O(call_rel, D_IZ | D_JZ), [0xE9] = O(jmp_rel, D_IZ | D_JZ), [0xEA] = O(jmp_far, D_AP),
	[0xEB] = O(jmp_rel, D_IBS),
	[0xEC] = O(in_dx, 0), [0xED] = O(in_dx, 0), [0xEE] = O(out_dx, 0), [0xEF] = O(out_dx, 0),
	[0xF1] = O(int1, 0), [0xF4] = O(hlt, 0), [0xF5] = O(cmc, 0),
	[0xF6] = GRP(G3B, 0), [0xF7] = GRP(G3V, 0),
	[0xF8] = O(clc, 0), [0xF9] = O(stc, 0), [0xFA] = O(cli, 0), [0xFB] = O(sti, 0),
	[0xFC] = O(cld, 0), [0xFD] = O(std, 0), [0xFE] = GRP(G4, 0), [0xFF] = GRP(G5, 0),
};

const struct opinfo op_table0f[256] = {
	[0x00] = GRP(G6, 0), [0x01] = GRP(G7, 0), [0x02] = O(lar, D_M), [0x03] = O(lsl, D_M),
	[0x06] = O(clts, 0), [0x08] = OF_(invd, 0, FEAT_INVD), [0x09] = OF_(invd, 0, FEAT_INVD),
	[0x0B] = UD,
	X8(0x18, O(nop, D_M | D_P6)),
	[0x20] = O(mov_from_cr, D_M | D_REGF), [0x21] = O(mov_from_dr, D_M | D_REGF),
	[0x22] = O(mov_to_cr, D_M | D_REGF), [0x23] = O(mov_to_dr, D_M | D_REGF),
	[0x24] = OF_(mov_from_tr, D_M | D_REGF, FEAT_TR67),
	[0x26] = OF_(mov_to_tr, D_M | D_REGF, FEAT_TR67),
	[0x30] = OF_(wrmsr, 0, FEAT_MSR), [0x31] = OF_(rdtsc, 0, FEAT_RDTSC),
	[0x32] = OF_(rdmsr, 0, FEAT_MSR),
	[0x34] = OF_(sysenter, 0, FEAT_SYSENTER), [0x35] = OF_(sysexit, 0, FEAT_SYSENTER),
	X8(0x40, OF_(cmovcc, D_M, FEAT_CMOV)), X8(0x48, OF_(cmovcc, D_M, FEAT_CMOV)),
	X8(0x80, O(jcc, D_IZ | D_JZ)), X8(0x88, O(jcc, D_IZ | D_JZ)),
	X8(0x90, O(setcc, D_M)), X8(0x98, O(setcc, D_M)),
	[0xA0] = O(push_sreg, 0), [0xA1] = O(pop_sreg, 0), [0xA2] = OF_(cpuid, 0, FEAT_CPUID),
	[0xA3] = O(bt_rm_r, D_M), [0xA4] = O(shld, D_M | D_IB), [0xA5] = O(shld, D_M),
	[0xA8] = O(push_sreg, 0), [0xA9] = O(pop_sreg, 0),
	[0xAB] = O(bt_rm_r, D_M | D_LOCK), [0xAC] = O(shrd, D_M | D_IB), [0xAD] = O(shrd, D_M),
	[0xAF] = O(imul_r_rm, D_M),
	[0xB0] = OF_(cmpxchg, D_M | D_LOCK, FEAT_CMPXCHG),
	[0xB1] = OF_(cmpxchg, D_M | D_LOCK, FEAT_CMPXCHG),
	[0xB2] = O(lxs, D_M | D_MEM), [0xB3] = O(bt_rm_r, D_M | D_LOCK),
	[0xB4] = O(lxs, D_M | D_MEM), [0xB5] = O(lxs, D_M | D_MEM),
	[0xB6] = O(movzx, D_M), [0xB7] = O(movzx, D_M),
	[0xBA] = GRP(G8, D_IB), [0xBB] = O(bt_rm_r, D_M | D_LOCK),
	[0xBC] = O(bsf, D_M), [0xBD] = O(bsr, D_M), [0xBE] = O(movsx, D_M), [0xBF] = O(movsx, D_M),
	[0xC0] = OF_(xadd, D_M | D_LOCK, FEAT_XADD), [0xC1] = OF_(xadd, D_M | D_LOCK, FEAT_XADD),
	[0xC7] = GRP(G9, 0),
	X8(0xC8, OF_(bswap, 0, FEAT_BSWAP)),
};

const struct opinfo op_groups[G_COUNT][8] = {
	/* 80-83: ADD OR ADC SBB AND SUB XOR CMP */
	[G1] = { O(alu_rm_imm, D_LOCK), O(alu_rm_imm, D_LOCK), O(alu_rm_imm, D_LOCK),
		 O(alu_rm_imm, D_LOCK), O(alu_rm_imm, D_LOCK), O(alu_rm_imm, D_LOCK),
		 O(alu_rm_imm, D_LOCK), O(alu_rm_imm, 0) },
	[G1A] = { O(pop_rm, 0), UD, UD, UD, UD, UD, UD, UD },
	/* ROL ROR RCL RCR SHL SHR SAL(=SHL, undocumented /6) SAR */
	[G2] = { O(shift_rm, 0), O(shift_rm, 0), O(shift_rm, 0), O(shift_rm, 0),
		 O(shift_rm, 0), O(shift_rm, 0), O(shift_rm, 0), O(shift_rm, 0) },
	/* TEST TEST(/1 alias) NOT NEG MUL IMUL DIV IDIV */
	[G3B] = { O(test_rm_imm, D_IB), O(test_rm_imm, D_IB), O(not_rm, D_LOCK),
		  O(neg_rm, D_LOCK), O(mul_rm, 0), O(imul_rm, 0), O(div_rm, 0), O(idiv_rm, 0) },
	[G3V] = { O(test_rm_imm, D_IZ), O(test_rm_imm, D_IZ), O(not_rm, D_LOCK),
		  O(neg_rm, D_LOCK), O(mul_rm, 0), O(imul_rm, 0), O(div_rm, 0), O(idiv_rm, 0) },
	[G4] = { O(inc_rm, D_LOCK), O(dec_rm, D_LOCK), UD, UD, UD, UD, UD, UD },
	[G5] = { O(inc_rm, D_LOCK), O(dec_rm, D_LOCK), O(call_rm, 0), O(call_far_m, D_MEM),
		 O(jmp_rm, 0), O(jmp_far_m, D_MEM), O(push_rm, 0), UD },
	[G11B] = { O(mov_rm_imm, D_IB), UD, UD, UD, UD, UD, UD, UD },
	[G11V] = { O(mov_rm_imm, D_IZ), UD, UD, UD, UD, UD, UD, UD },
	[G6] = { O(sldt, 0), O(str, 0), O(lldt, 0), O(ltr, 0), O(verr, 0), O(verw, 0), UD, UD },
	[G7] = { O(sgdt, D_MEM), O(sidt, D_MEM), O(lgdt, D_MEM), O(lidt, D_MEM), O(smsw, 0), UD,
		 O(lmsw, 0), OF_(invlpg, D_MEM, FEAT_INVLPG) },
	[G8] = { UD, UD, UD, UD, O(bt_rm_imm, 0), O(bt_rm_imm, D_LOCK), O(bt_rm_imm, D_LOCK),
		 O(bt_rm_imm, D_LOCK) },
	[G9] = { UD, OF_(cmpxchg8b, D_MEM | D_LOCK, FEAT_CMPXCHG8B), UD, UD, UD, UD, UD, UD },
};
