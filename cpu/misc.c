/* misc.c - flag instructions, data movement, conversions, XCHG/XLAT,
 * far pointer loads, NOP/UD, and the x87 escape opcodes of an FPU-less
 * machine.
 */
#include "core.h"

void op_clc(struct cpu *c, const struct insn *i) { (void)i; c->s.eflags = cpu_get_eflags(c) & ~FL_CF; }
void op_stc(struct cpu *c, const struct insn *i) { (void)i; c->s.eflags = cpu_get_eflags(c) | FL_CF; }
void op_cmc(struct cpu *c, const struct insn *i) { (void)i; c->s.eflags = cpu_get_eflags(c) ^ FL_CF; }
void op_cld(struct cpu *c, const struct insn *i) { (void)i; c->s.eflags &= ~FL_DF; }
void op_std(struct cpu *c, const struct insn *i) { (void)i; c->s.eflags |= FL_DF; }

static int iopl(const struct cpu *c) { return (int)((c->s.eflags & FL_IOPL) >> 12); }

/* CLI/STI: IF when CPL <= IOPL (v86: IOPL = 3); otherwise the virtual
 * interrupt flag under CR4.VME (v86) or CR4.PVI (CPL 3), else #GP(0). */
static void set_if(struct cpu *c, int on)
{
	uint32_t bit = FL_IF;
	if (cpu_pmode(c)) {
		int allowed = cpu_v86(c) ? iopl(c) == 3 : c->cpl <= iopl(c);
		if (!allowed) {
			int vme = cpu_v86(c) ? (c->s.cr4 & CR4_VME) != 0 :
				  (c->cpl == 3 && (c->s.cr4 & CR4_PVI));
			if (!vme || (on && (c->s.eflags & FL_VIP)))
				cpu_raise(c, EX_GP, 1, 0);
			bit = FL_VIF;
		}
	}
	if (on) {
		if (bit == FL_IF && !(c->s.eflags & FL_IF)) {
			c->inhibit_irq = 1;
			core_attn(c);
		}
		c->s.eflags |= bit;
	} else {
		c->s.eflags &= ~bit;
	}
}

void op_cli(struct cpu *c, const struct insn *i) { (void)i; set_if(c, 0); }
void op_sti(struct cpu *c, const struct insn *i) { (void)i; set_if(c, 1); }

void op_lahf(struct cpu *c, const struct insn *i)
{
	(void)i;
	reg_write(c, 4, 1, (cpu_get_eflags(c) & 0xD7) | 2);   /* AH */
}

void op_sahf(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t ah = (c->s.gpr[R_EAX] >> 8) & 0xFF;
	uint32_t m = FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF;
	c->s.eflags = (cpu_get_eflags(c) & ~m) | (ah & m);
}

/* SALC (D6, undocumented): AL = CF ? FFh : 00h, flags unchanged. */
void op_salc(struct cpu *c, const struct insn *i)
{
	(void)i;
	reg_write(c, R_EAX, 1, get_cf(c) ? 0xFF : 0);
}

void op_setcc(struct cpu *c, const struct insn *i)
{
	rm_write(c, i, 1, (uint32_t)cond_true(c, i->op & 0xF));
}

/* CMOVcc reads its source whatever the condition (and may fault). */
void op_cmovcc(struct cpu *c, const struct insn *i)
{
	uint32_t v = rm_read(c, i, i->osz);
	if (cond_true(c, i->op & 0xF))
		reg_write(c, i->reg, i->osz, v);
}

void op_cbw(struct cpu *c, const struct insn *i)
{
	if (i->osz == 2)
		reg_write(c, R_EAX, 2, sext(c->s.gpr[R_EAX] & 0xFF, 1));
	else
		c->s.gpr[R_EAX] = sext(c->s.gpr[R_EAX] & 0xFFFF, 2);
}

void op_cwd(struct cpu *c, const struct insn *i)
{
	if (i->osz == 2)
		reg_write(c, R_EDX, 2, (c->s.gpr[R_EAX] & 0x8000) ? 0xFFFF : 0);
	else
		c->s.gpr[R_EDX] = (c->s.gpr[R_EAX] & 0x80000000u) ? 0xFFFFFFFFu : 0;
}

void op_mov_rm_r(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	rm_write(c, i, size, reg_read(c, i->reg, size));
}

void op_mov_r_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	reg_write(c, i->reg, size, rm_read(c, i, size));
}

/* 89/8B with a 32-bit register and a memory operand (chosen by
 * decode_insn): op_mov_rm_r/op_mov_r_rm without the size dispatch. */
HANDLER_FLATTEN void op_mov_m_r32(struct cpu *c, const struct insn *i)
{
	mem_write(c, i->seg, insn_ea(c, i), 4, c->s.gpr[i->reg]);
}

HANDLER_FLATTEN void op_mov_r32_m(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->reg] = mem_read(c, i->seg, insn_ea(c, i), 4);
}

/* The same, C7 /0 (MOV m32, imm32) and MOVZX/MOVSX with memory once per
 * address form of a 32-bit address size (chosen by decode_insn), with the
 * offset computed for that form and the plain cases inline (core.h's
 * READ_FORM_HANDLER, WRITE_FORM_HANDLER); anything else is handed to the handler above,
 * which starts over with every check (nothing has changed yet). */
#define MOV32_EA_FORMS(fs, form)                                                \
WRITE_FORM_HANDLER(op_mov_m_r32_##fs, form, 4, op_mov_m_r32, c->s.gpr[i->reg])  \
READ_FORM_HANDLER(op_mov_r32_m_##fs, form, 4, op_mov_r32_m, c->s.gpr[i->reg] = v;) \
WRITE_FORM_HANDLER(op_mov_m32_imm_##fs, form, 4, op_mov_m32_imm, i->imm)        \
READ_FORM_HANDLER(op_movzx_r32_m8_##fs, form, 1, op_movzx_r32_m8, c->s.gpr[i->dst] = v;) \
READ_FORM_HANDLER(op_movzx_r32_m16_##fs, form, 2, op_movzx_r32_m16, c->s.gpr[i->dst] = v;) \
READ_FORM_HANDLER(op_movsx_r32_m8_##fs, form, 1, op_movsx_r32_m8,               \
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int8_t)v;)                       \
READ_FORM_HANDLER(op_movsx_r32_m16_##fs, form, 2, op_movsx_r32_m16,             \
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int16_t)v;)
MOV32_EA_FORMS(b, EAF_B)
MOV32_EA_FORMS(bis, EAF_BIS)
MOV32_EA_FORMS(is, EAF_IS)
MOV32_EA_FORMS(d, EAF_D)
#define EA_ROW(name) { op_##name##_b, op_##name##_bis, op_##name##_is, op_##name##_d }
const insn_fn mov_m_r32_ea[EAF_COUNT] = EA_ROW(mov_m_r32);
const insn_fn mov_r32_m_ea[EAF_COUNT] = EA_ROW(mov_r32_m);
const insn_fn mov_m32_imm_ea[EAF_COUNT] = EA_ROW(mov_m32_imm);
/* [sign][word] as decode.c's mov_x */
const insn_fn movx_r32_m_ea[2][2][EAF_COUNT] = {
	{ EA_ROW(movzx_r32_m8), EA_ROW(movzx_r32_m16) },
	{ EA_ROW(movsx_r32_m8), EA_ROW(movsx_r32_m16) },
};

/* 89/8B with two 32-bit registers (chosen by decode_insn, which puts the
 * destination in i->dst and the source in i->src). */
void op_mov_rr32(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = c->s.gpr[i->src];
}

/* MOV Ew,Sreg: a register destination gets the selector zero-extended to
 * the operand size (as P6 and QEMU); memory always 16 bits. */
void op_mov_rm_sreg(struct cpu *c, const struct insn *i)
{
	uint32_t sel = c->s.seg[i->reg].sel;
	if (i->mod == 3)
		reg_write(c, i->rm, i->osz, sel);
	else
		mem_write(c, i->seg, insn_ea(c, i), 2, sel);
}

/* MOV Sreg,Ew. Loading SS holds off interrupts and the single-step trap
 * for one instruction. */
void op_mov_sreg_rm(struct cpu *c, const struct insn *i)
{
	uint16_t sel = (uint16_t)rm_read(c, i, 2);
	seg_load(c, i->reg, sel);
	if (i->reg == S_SS) {
		c->inhibit_irq = 1;
		core_attn(c);
		core_of(c)->no_db_trap = 1;
	}
}

void op_lea(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->osz, insn_ea(c, i));
}

/* LEA with 32-bit operand and address sizes, by the form of the address
 * (chosen by decode_insn): base + disp, base + index * scale + disp,
 * index * scale + disp. insn_ea()'s sum without its tests. */
void op_lea32_b(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->reg] = c->s.gpr[i->base] + i->disp;
}

void op_lea32_bi(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->reg] = c->s.gpr[i->base] + (c->s.gpr[i->index] << i->scale) + i->disp;
}

void op_lea32_i(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->reg] = (c->s.gpr[i->index] << i->scale) + i->disp;
}

void op_mov_a_moffs(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	reg_write(c, R_EAX, size, mem_read(c, i->seg, i->disp, size));
}

void op_mov_moffs_a(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	mem_write(c, i->seg, i->disp, size, reg_read(c, R_EAX, size));
}

void op_mov_r_imm(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->op < 0xB8 ? 1 : i->osz, i->imm);
}

/* Memory forms of MOV with a constant size (chosen by decode_insn): C7
 * and C6 with a memory operand, 88 and 8A with a memory operand, A1 and
 * A3 with a 32-bit operand size. rm_write/rm_read and the moffs handlers
 * without the size and operand-kind dispatch. */
HANDLER_FLATTEN void op_mov_m32_imm(struct cpu *c, const struct insn *i)
{
	mem_write(c, i->seg, insn_ea(c, i), 4, i->imm);
}

HANDLER_FLATTEN void op_mov_m8_imm(struct cpu *c, const struct insn *i)
{
	mem_write(c, i->seg, insn_ea(c, i), 1, i->imm & 0xFF);
}

HANDLER_FLATTEN void op_mov_m8_r8(struct cpu *c, const struct insn *i)
{
	mem_write(c, i->seg, insn_ea(c, i), 1, reg_read(c, i->reg, 1));
}

HANDLER_FLATTEN void op_mov_r8_m8(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, 1, mem_read(c, i->seg, insn_ea(c, i), 1));
}

HANDLER_FLATTEN void op_mov_a32_moffs(struct cpu *c, const struct insn *i)
{
	c->s.gpr[R_EAX] = mem_read(c, i->seg, i->disp, 4);
}

HANDLER_FLATTEN void op_mov_moffs_a32(struct cpu *c, const struct insn *i)
{
	mem_write(c, i->seg, i->disp, 4, c->s.gpr[R_EAX]);
}

/* B8+r with a 32-bit operand size (chosen by decode_insn). */
void op_mov_r32_imm(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->reg] = i->imm;
}

void op_mov_rm_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	rm_write(c, i, size, i->imm & size_mask(size));
}

void op_movzx(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->osz, rm_read(c, i, (i->op & 1) ? 2 : 1));
}

void op_movsx(struct cpu *c, const struct insn *i)
{
	int ss = (i->op & 1) ? 2 : 1;
	reg_write(c, i->reg, i->osz, sext(rm_read(c, i, ss), ss));
}

/* MOVZX/MOVSX with a 32-bit destination (chosen by decode_insn). The
 * byte-register forms read the low byte of register i->src (AL..BL) or,
 * the _rh forms, its second byte (AH..BH): a constant shift rather than
 * one by i->cnt. The 16-bit ones read the low half of i->src. */
void op_movzx_r32_r8(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint8_t)c->s.gpr[i->src];
}

void op_movzx_r32_rh(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint8_t)(c->s.gpr[i->src] >> 8);
}

void op_movzx_r32_r16(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint16_t)c->s.gpr[i->src];
}

void op_movsx_r32_r8(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int8_t)c->s.gpr[i->src];
}

void op_movsx_r32_rh(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int8_t)(c->s.gpr[i->src] >> 8);
}

void op_movsx_r32_r16(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int16_t)c->s.gpr[i->src];
}

HANDLER_FLATTEN void op_movzx_r32_m8(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = mem_read(c, i->seg, insn_ea(c, i), 1);
}

HANDLER_FLATTEN void op_movzx_r32_m16(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = mem_read(c, i->seg, insn_ea(c, i), 2);
}

HANDLER_FLATTEN void op_movsx_r32_m8(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int8_t)mem_read(c, i->seg, insn_ea(c, i), 1);
}

HANDLER_FLATTEN void op_movsx_r32_m16(struct cpu *c, const struct insn *i)
{
	c->s.gpr[i->dst] = (uint32_t)(int32_t)(int16_t)mem_read(c, i->seg, insn_ea(c, i), 2);
}

void op_xchg_r_a(struct cpu *c, const struct insn *i)
{
	uint32_t a = reg_read(c, R_EAX, i->osz);
	reg_write(c, R_EAX, i->osz, reg_read(c, i->reg, i->osz));
	reg_write(c, i->reg, i->osz, a);
}

void op_xchg_rm_r(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t r = reg_read(c, i->reg, size);
	if (i->mod == 3) {
		reg_write(c, i->reg, size, reg_read(c, i->rm, size));
		reg_write(c, i->rm, size, r);
		return;
	}
	uint32_t ea = insn_ea(c, i);
	uint32_t m = mem_read_rmw(c, i->seg, ea, size);
	mem_write(c, i->seg, ea, size, r);
	reg_write(c, i->reg, size, m);
}

void op_xlat(struct cpu *c, const struct insn *i)
{
	uint32_t off = c->s.gpr[R_EBX] + (c->s.gpr[R_EAX] & 0xFF);
	if (i->asz == 2)
		off &= 0xFFFF;
	reg_write(c, R_EAX, 1, mem_read(c, i->seg, off, 1));
}

/* LES LDS (C4 C5), LSS LFS LGS (0F B2 B4 B5): offset then selector. */
void op_lxs(struct cpu *c, const struct insn *i)
{
	int sreg;
	switch (i->op) {
	case 0xC4: sreg = S_ES; break;
	case 0xC5: sreg = S_DS; break;
	case 0xB2: sreg = S_SS; break;
	case 0xB4: sreg = S_FS; break;
	default: sreg = S_GS; break;
	}
	uint32_t ea = insn_ea(c, i);
	uint32_t off = mem_read(c, i->seg, ea, i->osz);
	uint32_t sel_off = ea + i->osz;
	if (i->asz == 2)
		sel_off &= 0xFFFF;
	uint16_t sel = (uint16_t)mem_read(c, i->seg, sel_off, 2);
	seg_load(c, sreg, sel);
	reg_write(c, i->reg, i->osz, off);
}

void op_nop(struct cpu *c, const struct insn *i) { (void)c; (void)i; }

void op_ud(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_raise(c, EX_UD, 0, 0);
}

/* D8-DF with no FPU: #NM when CR0.EM or CR0.TS, else nothing happens (no
 * memory operand is touched, no register written), so FNINIT/FNSTSW probes
 * find no coprocessor. */
void op_esc(struct cpu *c, const struct insn *i)
{
	(void)i;
	if (c->s.cr0 & (CR0_EM | CR0_TS))
		cpu_raise(c, EX_NM, 0, 0);
}

/* WAIT/FWAIT: #NM when CR0.MP and CR0.TS are both set. */
void op_wait(struct cpu *c, const struct insn *i)
{
	(void)i;
	if ((c->s.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
		cpu_raise(c, EX_NM, 0, 0);
}
