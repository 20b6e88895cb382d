/* decode.c - turn instruction bytes into a struct insn: prefixes, opcode
 * (one-byte or 0F map), ModRM/SIB in 16- and 32-bit addressing,
 * displacement and immediates, then the validity checks (LOCK, model
 * features, register-only forms). The table lookup is optable.c's data.
 */
#include <string.h>
#include "optable.h"

/* Is feature f present on this model? The system half's cpu_has() answers
 * for a struct cpu; the decoder has only the model, so it asks with a
 * zeroed cpu carrying just the model (cpu_has looks at the model only). */
static int model_has(enum cpu_model model, int feat)
{
	static struct cpu probe[CPU_MODEL_COUNT];
	static uint32_t known[CPU_MODEL_COUNT], have[CPU_MODEL_COUNT];
	if (model >= CPU_MODEL_COUNT || feat >= 32)
		return 0;
	if (!(known[model] & (1u << feat))) {
		probe[model].model = model;
		if (cpu_has(&probe[model], (enum cpu_feature)feat))
			have[model] |= 1u << feat;
		known[model] |= 1u << feat;
	}
	return (have[model] >> feat) & 1;
}

/* Bytes needed beyond pos: the 15-byte limit first, then availability. */
#define NEED(n) do { \
		if (pos + (n) > 15) return DEC_TOOLONG; \
		if (pos + (n) > avail) return DEC_MORE; \
	} while (0)

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* 16-bit ModRM base/index pairs (Intel SDM vol. 2, table 2-1). */
static const uint8_t ea16_base[8] = { R_EBX, R_EBX, R_EBP, R_EBP, EA_NONE, EA_NONE, R_EBP, R_EBX };
static const uint8_t ea16_index[8] = { R_ESI, R_EDI, R_ESI, R_EDI, R_ESI, R_EDI, EA_NONE, EA_NONE };

/* The 32-bit ALU forms of alu.c, by operation (ADD OR ADC SBB AND SUB XOR
 * CMP). */
#define ALU32_ROW(form) { op_add_##form, op_or_##form, op_adc_##form, op_sbb_##form, \
			  op_and_##form, op_sub_##form, op_xor_##form, op_cmp_##form }
static const insn_fn alu_rr32[8] = ALU32_ROW(rr32);
static const insn_fn alu_r32_imm[8] = ALU32_ROW(r32_imm);
static const insn_fn alu_r32_m[8] = ALU32_ROW(r32_m);
static const insn_fn alu_m_r32[8] = ALU32_ROW(m_r32);
static const insn_fn alu_m_imm32[8] = ALU32_ROW(m_imm32);
/* Jcc with a 32-bit operand size, by condition code. */
static const insn_fn jcc32[16] = {
	op_jo32, op_jno32, op_jb32, op_jae32, op_je32, op_jne32, op_jbe32, op_ja32,
	op_js32, op_jns32, op_jp32, op_jnp32, op_jl32, op_jge32, op_jle32, op_jg32,
};

int decode_generic_only;

/* The address form (core.h's EAF_*) of a memory operand. */
static int ea_form(const struct insn *i)
{
	if (i->base != EA_NONE)
		return i->index != EA_NONE ? EAF_BIS : EAF_B;
	return i->index != EA_NONE ? EAF_IS : EAF_D;
}

/* The handler for a memory operand: the one for its address form from
 * `forms` with a 32-bit address size, else `general` (16-bit addressing
 * wraps the offset, which the form handlers do not). */
static insn_fn by_ea(const struct insn *i, const insn_fn *forms, insn_fn general)
{
	return i->asz == 4 ? forms[ea_form(i)] : general;
}

/* Handlers for the commonest forms with a 32-bit operand size (two
 * registers, a register and an immediate, a register and memory, a
 * constant shift count, an address form of LEA, a condition code): the
 * same semantics as the generic handler the table names, with the
 * operation, size and operand kinds fixed and the registers (i->dst,
 * i->src) and shift count (i->cnt) worked out here once instead of at
 * every execution. Memory forms with a 32-bit address size go one step
 * further, to the handler for their address form (by_ea). Only called for
 * valid instructions with a 32-bit operand size; `twobyte` says the opcode
 * is from the 0F map. */
static void specialise(struct insn *i, int twobyte)
{
	uint8_t op = i->op;
	int reg_form = i->mod == 3;

	if (twobyte) {
		if (op >= 0x80 && op <= 0x8F) {
			i->fn = jcc32[op & 15];
		} else if (op == 0xB6 || op == 0xB7 || op == 0xBE || op == 0xBF) {
			/* MOVZX/MOVSX Gd, Eb/Ew */
			static const insn_fn mov_x[2][2][2] = {
				{ { op_movzx_r32_m8, op_movzx_r32_m16 },
				  { op_movzx_r32_r8, op_movzx_r32_r16 } },
				{ { op_movsx_r32_m8, op_movsx_r32_m16 },
				  { op_movsx_r32_r8, op_movsx_r32_r16 } },
			};
			i->dst = i->reg;
			if (reg_form) {
				if (op & 1) {
					i->src = i->rm;
				} else {
					/* AL CL DL BL AH CH DH BH */
					i->src = i->rm & 3;
				}
			}
			i->fn = mov_x[op >= 0xBE][reg_form][op & 1];
			if (reg_form && !(op & 1) && (i->rm & 4))
				i->fn = op >= 0xBE ? op_movsx_r32_rh : op_movzx_r32_rh;
			if (!reg_form)
				i->fn = by_ea(i, movx_r32_m_ea[op >= 0xBE][op & 1], i->fn);
		} else if (op == 0xAF) {
			/* IMUL Gd, Ed */
			if (reg_form) {
				i->dst = i->reg;
				i->src = i->rm;
				i->fn = op_imul_r32_r32;
			} else {
				i->fn = by_ea(i, imul_r32_m_ea, i->fn);
			}
		}
		return;
	}

	if (op < 0x40 && ((op & 7) == 1 || (op & 7) == 3)) {
		/* ALU Ev,Gv (bit 1 clear) / Gv,Ev (bit 1 set) */
		int alu = (op >> 3) & 7;
		if (reg_form) {
			i->dst = (op & 2) ? i->reg : i->rm;
			i->src = (op & 2) ? i->rm : i->reg;
			i->fn = alu_rr32[alu];
		} else if (op & 2) {
			i->dst = i->reg;
			i->fn = by_ea(i, alu_r32_m_ea[alu], alu_r32_m[alu]);
		} else {
			i->src = i->reg;
			i->fn = by_ea(i, alu_m_r32_ea[alu], alu_m_r32[alu]);
		}
	} else if (op < 0x40 && ((op & 7) == 0 || (op & 7) == 2) && !reg_form) {
		/* ALU Eb,Gb / Gb,Eb with memory */
		i->fn = (op & 2) ? op_alu_r8_m8 : op_alu_m8_r8;
	} else if ((op == 0x80 || op == 0x82) && !reg_form) {
		i->fn = op_alu_m8_imm;
	} else if (op == 0xF6 && !reg_form && i->reg < 2) {
		i->fn = op_test_m8_imm;
	} else if (op == 0xF6 && reg_form && i->reg < 2) {
		/* TEST r8, imm8: the byte's dword, low or second byte, as MOVZX */
		i->dst = i->rm & 3;
		i->fn = (i->rm & 4) ? op_test_rh_imm : op_test_r8_imm;
	} else if (op == 0xF7 && !reg_form && i->reg < 2) {
		i->fn = by_ea(i, test_m32_imm_ea, op_test_m32_imm);
	} else if (op == 0x85 && !reg_form) {
		i->src = i->reg;
		i->fn = by_ea(i, test_m_r32_ea, op_test_m_r32);
	} else if (op < 0x40 && (op & 7) == 5) {
		/* ALU eAX,Iz */
		i->dst = R_EAX;
		i->fn = alu_r32_imm[(op >> 3) & 7];
	} else if (op == 0x81 || op == 0x83) {
		if (reg_form) {
			i->dst = i->rm;
			i->fn = alu_r32_imm[i->reg];
		} else {
			i->fn = by_ea(i, alu_m_imm32_ea[i->reg], alu_m_imm32[i->reg]);
		}
	} else if (op >= 0x40 && op <= 0x4F) {
		i->dst = op & 7;
		i->fn = op < 0x48 ? op_inc_r32 : op_dec_r32;
	} else if (op == 0xFF && !reg_form && i->reg < 2) {
		/* INC/DEC m32 */
		i->fn = by_ea(i, incdec_m32_ea[i->reg], i->fn);
	} else if (op == 0xFF && !reg_form && i->reg == 6) {
		/* PUSH m32 */
		i->fn = by_ea(i, push_m32_ea, i->fn);
	} else if (op == 0xFF && reg_form && i->reg < 2) {
		i->dst = i->rm;
		i->fn = i->reg == 0 ? op_inc_r32 : op_dec_r32;
	} else if (op >= 0x70 && op <= 0x7F) {
		i->fn = jcc32[op & 15];
	} else if (op == 0xE9 || op == 0xEB) {
		i->fn = op_jmp_rel32;
	} else if (op == 0xE8) {
		i->fn = op_call_rel32;
	} else if (op == 0xC3) {
		i->fn = op_ret32;
	} else if (op >= 0x50 && op <= 0x57) {
		i->fn = op_push_r32;
	} else if (op >= 0x58 && op <= 0x5F) {
		i->fn = op_pop_r32;
	} else if (op == 0x85 && reg_form) {
		i->dst = i->rm;
		i->src = i->reg;
		i->fn = op_test_rr32;
	} else if (op == 0xA9) {
		i->dst = R_EAX;
		i->fn = op_test_r32_imm;
	} else if (op == 0xF7 && reg_form && i->reg < 2) {
		i->dst = i->rm;
		i->fn = op_test_r32_imm;
	} else if (op == 0x89 || op == 0x8B) {
		if (reg_form) {
			i->dst = (op & 2) ? i->reg : i->rm;
			i->src = (op & 2) ? i->rm : i->reg;
			i->fn = op_mov_rr32;
		} else {
			i->fn = op == 0x89 ? by_ea(i, mov_m_r32_ea, op_mov_m_r32)
					   : by_ea(i, mov_r32_m_ea, op_mov_r32_m);
		}
	} else if (op >= 0xB8 && op <= 0xBF) {
		i->fn = op_mov_r32_imm;
	} else if ((op == 0xC6 || op == 0xC7) && !reg_form) {
		i->fn = op == 0xC7 ? by_ea(i, mov_m32_imm_ea, op_mov_m32_imm) : op_mov_m8_imm;
	} else if ((op == 0x88 || op == 0x8A) && !reg_form) {
		i->fn = op == 0x88 ? op_mov_m8_r8 : op_mov_r8_m8;
	} else if (op == 0xA1 || op == 0xA3) {
		i->fn = op == 0xA1 ? op_mov_a32_moffs : op_mov_moffs_a32;
	} else if (op == 0x8D && i->asz == 4) {
		if (i->base != EA_NONE && i->index == EA_NONE)
			i->fn = op_lea32_b;
		else if (i->base != EA_NONE)
			i->fn = op_lea32_bi;
		else if (i->index != EA_NONE)
			i->fn = op_lea32_i;
	} else if ((op == 0xC1 || op == 0xD1) && reg_form && i->reg >= 4) {
		/* SHL/SHR/SAL/SAR Ed by a constant; a masked count of 0
		 * changes nothing at all (no flags, no write). */
		i->cnt = op == 0xD1 ? 1 : i->imm & 0x1F;
		i->dst = i->rm;
		if (i->cnt == 0)
			i->fn = op_nop;
		else
			i->fn = i->reg == 5 ? op_shr_r32_imm : i->reg == 7 ? op_sar_r32_imm : op_shl_r32_imm;
	} else if (op == 0x69 || op == 0x6B) {
		/* IMUL Gd, Ed, Iz/Ib (imm already sign-extended) */
		if (reg_form) {
			i->dst = i->reg;
			i->src = i->rm;
			i->fn = op_imul_r32_r32_imm;
		} else {
			i->fn = by_ea(i, imul_r32_m_imm_ea, i->fn);
		}
	} else if (op == 0xD3 && reg_form && i->reg >= 4) {
		i->fn = op_shift_r32;
	} else if ((op == 0xA4 || op == 0xA5 || op == 0xAA || op == 0xAB) && i->asz == 4) {
		/* MOVSB/MOVSD, STOSB/STOSD (REP or not) with 32-bit addressing */
		i->cnt = (op & 1) ? 4 : 1;
		i->fn = op <= 0xA5 ? op_movs_a32 : op_stos_a32;
	}
}

int decode_insn(enum cpu_model model, const uint8_t *b, int avail, int code32, struct insn *i)
{
	int pos = 0, seg = -1;
	const struct opinfo *oi;
	uint16_t f;
	int feat, twobyte = 0;
	uint8_t op;

	memset(i, 0, sizeof *i);
	i->osz = code32 ? 4 : 2;
	i->asz = code32 ? 4 : 2;
	i->base = i->index = EA_NONE;

	/* Prefixes, any number and order, within the 15-byte limit. */
	for (;;) {
		NEED(1);
		op = b[pos];
		switch (op) {
		case 0x26: seg = S_ES; break;
		case 0x2E: seg = S_CS; break;
		case 0x36: seg = S_SS; break;
		case 0x3E: seg = S_DS; break;
		case 0x64: seg = S_FS; break;
		case 0x65: seg = S_GS; break;
		case 0x66: i->osz = code32 ? 2 : 4; break;
		case 0x67: i->asz = code32 ? 2 : 4; break;
		case 0xF0: i->lock = 1; break;
		case 0xF2: case 0xF3: i->rep = op; break;
		default: goto opcode;
		}
		pos++;
	}
opcode:
	pos++;
	if (op == 0x0F) {
		NEED(1);
		op = b[pos++];
		oi = &op_table0f[op];
		twobyte = 1;
	} else {
		oi = &op_table[op];
	}
	i->op = op;
	i->reg = op & 7;          /* register-in-opcode forms */
	f = oi->f;
	feat = oi->feat;
	i->fn = oi->fn;
	if (!oi->fn && !(f & D_GRP)) {
		i->ud = 1;
		f = 0;
	}

	if (f & D_M) {
		NEED(1);
		uint8_t modrm = b[pos++];
		i->mod = modrm >> 6;
		i->reg = (modrm >> 3) & 7;
		i->rm = modrm & 7;
		if (f & D_REGF)
			i->mod = 3;
		if (i->mod != 3) {
			if (i->asz == 2) {
				if (i->mod == 0 && i->rm == 6) {
					NEED(2);
					i->disp = get16(b + pos);
					pos += 2;
				} else {
					i->base = ea16_base[i->rm];
					i->index = ea16_index[i->rm];
					if (i->mod == 1) {
						NEED(1);
						i->disp = (uint32_t)(int32_t)(int8_t)b[pos++];
					} else if (i->mod == 2) {
						NEED(2);
						i->disp = get16(b + pos);
						pos += 2;
					}
				}
				i->seg = (i->base == R_EBP) ? S_SS : S_DS;
			} else {
				int rm = i->rm, base;
				if (rm == 4) {
					NEED(1);
					uint8_t sib = b[pos++];
					i->scale = sib >> 6;
					i->index = ((sib >> 3) & 7) == 4 ? EA_NONE : (sib >> 3) & 7;
					base = sib & 7;
					if (base == 5 && i->mod == 0) {
						i->base = EA_NONE;
						NEED(4);
						i->disp = get32(b + pos);
						pos += 4;
					} else {
						i->base = base;
					}
				} else if (rm == 5 && i->mod == 0) {
					NEED(4);
					i->disp = get32(b + pos);
					pos += 4;
				} else {
					i->base = rm;
				}
				if (i->mod == 1) {
					NEED(1);
					i->disp = (uint32_t)(int32_t)(int8_t)b[pos++];
				} else if (i->mod == 2) {
					NEED(4);
					i->disp = get32(b + pos);
					pos += 4;
				}
				i->seg = (i->base == R_ESP || i->base == R_EBP) ? S_SS : S_DS;
			}
		}
		if (f & D_GRP) {
			const struct opinfo *g = &op_groups[oi->grp][i->reg];
			i->fn = g->fn;
			f = (f & ~D_GRP) | g->f;
			feat = g->feat;
		}
	} else {
		i->mod = 3;
		i->seg = S_DS;
	}
	if (seg >= 0)
		i->seg = seg;
	else if (!(f & D_M))
		i->seg = S_DS;
	i->seg_off = (uint8_t)(i->seg * sizeof(struct seg_cache));

	/* Immediates. */
	if (f & D_IB) {
		NEED(1);
		i->imm = b[pos++];
	} else if (f & D_IBS) {
		NEED(1);
		i->imm = (uint32_t)(int32_t)(int8_t)b[pos++];
	} else if (f & D_IW) {
		NEED(2);
		i->imm = get16(b + pos);
		pos += 2;
	} else if (f & D_IZ) {
		NEED(i->osz);
		i->imm = i->osz == 4 ? get32(b + pos) : get16(b + pos);
		if ((f & D_JZ) && i->osz == 2)
			i->imm = (uint32_t)(int32_t)(int16_t)i->imm;
		pos += i->osz;
	} else if (f & D_MOFFS) {
		NEED(i->asz);
		i->disp = i->asz == 4 ? get32(b + pos) : get16(b + pos);
		pos += i->asz;
	} else if (f & D_AP) {
		NEED(i->osz + 2);
		i->imm = i->osz == 4 ? get32(b + pos) : get16(b + pos);
		i->imm2 = get16(b + pos + i->osz);
		pos += i->osz + 2;
	} else if (f & D_ENTER) {
		NEED(3);
		i->imm = get16(b + pos);
		i->imm2 = b[pos + 2];
		pos += 3;
	}
	i->len = (uint8_t)pos;

	/* Validity. */
	if (f & D_UD)
		i->ud = 1;
	if ((f & D_MEM) && i->mod == 3)
		i->ud = 1;
	if ((f & D_P6) && model != CPU_P6)
		i->ud = 1;
	if (feat != FEAT_NONE && !model_has(model, feat))
		i->ud = 1;
	if (i->lock && (!(f & D_LOCK) || i->mod == 3))
		i->ud = 1;
	if (!twobyte && op == 0x8E && (i->reg == S_CS || i->reg > S_GS))
		i->ud = 1;
	if (!twobyte && op == 0x8C && i->reg > S_GS)
		i->ud = 1;
	if (i->ud)
		i->fn = op_ud;
	else if (i->osz == 4 && !decode_generic_only)
		specialise(i, twobyte);
	return pos;
}

/* Length of one instruction for the Capstone comparison and the monitor:
 * -1 for #UD, #GP (too long) or fewer bytes than the instruction needs. */
int cpu_decode_length(enum cpu_model model, const uint8_t *buf, int avail, int code32)
{
	struct insn i;
	if (avail <= 0)
		return -1;
	int n = decode_insn(model, buf, avail > 15 ? 15 : avail, code32, &i);
	if (n < 0 || i.ud)
		return -1;
	return n;
}
