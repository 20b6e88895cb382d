/* sysops.c - operand decoding for system instructions: the 0F 00 and 0F 01
 * groups, LAR/LSL, MOV CR/DR/TR, CLTS, INVD, MSRs, RDTSC, CPUID,
 * SYSENTER/SYSEXIT, ARPL. The checks and effects are the system half's
 * sys_* functions; SLDT/STR/SGDT/SIDT/SMSW (plain stores) and ARPL live
 * here.
 */
#include "core.h"

/* 0F 00 and LAR/LSL/ARPL are not recognised in real and v86 mode. */
static void pmode_only(struct cpu *c)
{
	if (!cpu_pmode(c) || cpu_v86(c))
		cpu_raise(c, EX_UD, 0, 0);
}

/* The privileged loads check CPL (sys_require_cpl0) before they touch
 * their memory operand: the SDM tests "#GP(0) if CPL is not 0" before any
 * operand fault, so a CPL 3 LGDT of an unmapped address is #GP(0), not #PF. */

/* Store a selector-sized value: zero-extended to the operand size in a
 * register, 16 bits in memory. */
static void store_sel(struct cpu *c, const struct insn *i, uint32_t v)
{
	if (i->mod == 3)
		reg_write(c, i->rm, i->osz, v);
	else
		cpu_write(c, i->seg, insn_ea(c, i), 2, v);
}

void op_sldt(struct cpu *c, const struct insn *i) { pmode_only(c); store_sel(c, i, c->s.seg[S_LDTR].sel); }
void op_str(struct cpu *c, const struct insn *i) { pmode_only(c); store_sel(c, i, c->s.seg[S_TR].sel); }
void op_lldt(struct cpu *c, const struct insn *i) { pmode_only(c); sys_require_cpl0(c); sys_lldt(c, (uint16_t)rm_read(c, i, 2)); }
void op_ltr(struct cpu *c, const struct insn *i) { pmode_only(c); sys_require_cpl0(c); sys_ltr(c, (uint16_t)rm_read(c, i, 2)); }

static void set_zf(struct cpu *c, int on)
{
	uint32_t f = cpu_get_eflags(c);
	c->s.eflags = on ? (f | FL_ZF) : (f & ~FL_ZF);
}

void op_verr(struct cpu *c, const struct insn *i)
{
	pmode_only(c);
	set_zf(c, sys_verr(c, (uint16_t)rm_read(c, i, 2)));
}

void op_verw(struct cpu *c, const struct insn *i)
{
	pmode_only(c);
	set_zf(c, sys_verw(c, (uint16_t)rm_read(c, i, 2)));
}

/* SGDT/SIDT: limit then base; with a 16-bit operand size the top byte of
 * the base is stored as 0 (QEMU; the 386 manual stores it undefined). */
static void store_dt(struct cpu *c, const struct insn *i, uint16_t limit, uint32_t base)
{
	uint32_t ea = insn_ea(c, i), ea2 = ea + 2;
	if (i->asz == 2)
		ea2 &= 0xFFFF;
	if (i->osz == 2)
		base &= 0x00FFFFFF;
	/* Check both parts before writing either. */
	seg_check(c, i->seg, ea2, 4, 1);
	cpu_write(c, i->seg, ea, 2, limit);
	cpu_write(c, i->seg, ea2, 4, base);
}

void op_sgdt(struct cpu *c, const struct insn *i) { store_dt(c, i, c->s.gdtr_limit, c->s.gdtr_base); }
void op_sidt(struct cpu *c, const struct insn *i) { store_dt(c, i, c->s.idtr_limit, c->s.idtr_base); }

static void load_dt(struct cpu *c, const struct insn *i, uint16_t *limit, uint32_t *base)
{
	uint32_t ea = insn_ea(c, i), ea2 = ea + 2;
	if (i->asz == 2)
		ea2 &= 0xFFFF;
	*limit = (uint16_t)cpu_read(c, i->seg, ea, 2);
	*base = cpu_read(c, i->seg, ea2, 4);
}

void op_lgdt(struct cpu *c, const struct insn *i)
{
	uint16_t limit;
	uint32_t base;
	sys_require_cpl0(c);
	load_dt(c, i, &limit, &base);
	sys_lgdt(c, base, limit, i->osz * 8);
}

void op_lidt(struct cpu *c, const struct insn *i)
{
	uint16_t limit;
	uint32_t base;
	sys_require_cpl0(c);
	load_dt(c, i, &limit, &base);
	sys_lidt(c, base, limit, i->osz * 8);
}

/* SMSW: a register destination receives CR0 at the operand size (P6,
 * QEMU); memory gets the low 16 bits. */
void op_smsw(struct cpu *c, const struct insn *i) { store_sel(c, i, c->s.cr0); }
void op_lmsw(struct cpu *c, const struct insn *i) { sys_require_cpl0(c); sys_lmsw(c, (uint16_t)rm_read(c, i, 2)); }

void op_invlpg(struct cpu *c, const struct insn *i)
{
	sys_invlpg(c, c->s.seg[i->seg].base + insn_ea(c, i));
}

void op_lar(struct cpu *c, const struct insn *i)
{
	uint32_t out;
	pmode_only(c);
	int ok = sys_lar(c, (uint16_t)rm_read(c, i, 2), &out);
	if (ok)
		reg_write(c, i->reg, i->osz, out);
	set_zf(c, ok);
}

void op_lsl(struct cpu *c, const struct insn *i)
{
	uint32_t out;
	pmode_only(c);
	int ok = sys_lsl(c, (uint16_t)rm_read(c, i, 2), &out);
	if (ok)
		reg_write(c, i->reg, i->osz, out);
	set_zf(c, ok);
}

void op_clts(struct cpu *c, const struct insn *i) { (void)i; sys_clts(c); }

/* MOV to/from CR/DR/TR: ModRM.reg names the special register, r/m the
 * general register (mod is ignored: always a register). */
void op_mov_from_cr(struct cpu *c, const struct insn *i) { c->s.gpr[i->rm] = sys_mov_from_cr(c, i->reg); }
void op_mov_to_cr(struct cpu *c, const struct insn *i) { sys_mov_to_cr(c, i->reg, c->s.gpr[i->rm]); }
void op_mov_from_dr(struct cpu *c, const struct insn *i) { c->s.gpr[i->rm] = sys_mov_from_dr(c, i->reg); }
void op_mov_to_dr(struct cpu *c, const struct insn *i) { sys_mov_to_dr(c, i->reg, c->s.gpr[i->rm]); }
void op_mov_from_tr(struct cpu *c, const struct insn *i) { c->s.gpr[i->rm] = sys_mov_from_tr(c, i->reg); }
void op_mov_to_tr(struct cpu *c, const struct insn *i) { sys_mov_to_tr(c, i->reg, c->s.gpr[i->rm]); }

void op_invd(struct cpu *c, const struct insn *i) { (void)i; sys_invd(c); }
void op_wrmsr(struct cpu *c, const struct insn *i) { (void)i; sys_wrmsr(c); }
void op_rdmsr(struct cpu *c, const struct insn *i) { (void)i; sys_rdmsr(c); }
void op_rdtsc(struct cpu *c, const struct insn *i) { (void)i; sys_rdtsc(c); }
void op_cpuid(struct cpu *c, const struct insn *i) { (void)i; sys_cpuid(c); }
void op_sysenter(struct cpu *c, const struct insn *i) { (void)i; sys_sysenter(c); }
void op_sysexit(struct cpu *c, const struct insn *i) { (void)i; sys_sysexit(c); }

/* ARPL Ew, Gw: raise the destination selector's RPL to the source's. */
void op_arpl(struct cpu *c, const struct insn *i)
{
	pmode_only(c);
	uint32_t src = reg_read(c, i->reg, 2), dst, ea = 0;
	if (i->mod == 3) {
		dst = reg_read(c, i->rm, 2);
	} else {
		ea = insn_ea(c, i);
		dst = cpu_read_rmw(c, i->seg, ea, 2);
	}
	int adjust = (dst & 3) < (src & 3);
	if (adjust) {
		dst = (dst & ~3u) | (src & 3);
		if (i->mod == 3)
			reg_write(c, i->rm, 2, dst);
		else
			cpu_write(c, i->seg, ea, 2, dst);
	}
	set_zf(c, adjust);
}
