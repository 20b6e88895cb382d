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

/* Handlers for the commonest forms with two 32-bit registers, a 32-bit
 * register and an immediate, or a 32-bit MOV to or from memory: same
 * semantics as the generic handler the table names, less dispatch on
 * operand size and kind at run time. Only called for valid one-byte opcodes
 * with a ModRM byte and a 32-bit operand size. */
static void specialise(struct insn *i)
{
	uint8_t op = i->op;
	if (i->mod != 3) {
		if (op == 0x89)
			i->fn = op_mov_m_r32;
		else if (op == 0x8B)
			i->fn = op_mov_r32_m;
		return;
	}
	if (op < 0x40 && ((op & 7) == 1 || (op & 7) == 3))
		i->fn = op_alu_rr32;
	else if (op == 0x81 || op == 0x83)
		i->fn = op_alu_r32_imm;
	else if ((op == 0xC1 || op == 0xD1 || op == 0xD3) && i->reg >= 4)
		i->fn = op_shift_r32;
	else if (op == 0x89 || op == 0x8B)
		i->fn = op_mov_rr32;
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
	else if (!twobyte && i->osz == 4 && (f & D_M))
		specialise(i);
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
