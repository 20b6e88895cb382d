/* sysinsn.c - the system instructions: descriptor-table registers (LGDT,
 * LIDT, LLDT, LTR), control, debug and test registers (MOV CRn/DRn/TRn,
 * LMSW, CLTS), descriptor probes (LAR, LSL, VERR, VERW), INVLPG, INVD/WBINVD
 * and HLT. Rules from the SDM vol. 2 pseudo-code of each instruction.
 */
#include "sys_internal.h"

void sys_require_cpl0(struct cpu *c)
{
	if (c->cpl != 0)
		cpu_raise(c, EX_GP, 1, 0);
}

void sys_require_pmode(struct cpu *c)
{
	if (!cpu_pmode(c) || cpu_v86(c))
		cpu_raise(c, EX_UD, 0, 0);
}

/* ---- descriptor-table registers */

void sys_lgdt(struct cpu *c, uint32_t base, uint16_t limit, int opsize)
{
	sys_require_cpl0(c);
	c->s.gdtr_base = opsize == 16 ? base & 0xFFFFFFu : base;
	c->s.gdtr_limit = limit;
}

void sys_lidt(struct cpu *c, uint32_t base, uint16_t limit, int opsize)
{
	sys_require_cpl0(c);
	c->s.idtr_base = opsize == 16 ? base & 0xFFFFFFu : base;
	c->s.idtr_limit = limit;
}

/* LLDT: a null selector leaves LDTR unusable (later LDT references #GP);
 * otherwise a present LDT descriptor in the GDT. */
void sys_lldt(struct cpu *c, uint16_t sel)
{
	struct desc d;
	uint32_t addr;

	sys_require_pmode(c);
	sys_require_cpl0(c);
	if ((sel & ~3u) == 0) {
		seg_cache_null(&c->s.seg[S_LDTR], sel);
		return;
	}
	if (sel & 4)
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	desc_fetch(c, sel, EX_GP, 0, &d, &addr);
	if (desc_s(d) || desc_type(d) != SYS_LDT)
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, sel & 0xFFFCu);
	desc_to_cache(d, sel, &c->s.seg[S_LDTR]);
}

/* LTR: an available TSS in the GDT, marked busy in memory as it loads. */
void sys_ltr(struct cpu *c, uint16_t sel)
{
	struct desc d;
	uint32_t addr;
	uint32_t t;

	sys_require_pmode(c);
	sys_require_cpl0(c);
	if ((sel & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	if (sel & 4)
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	desc_fetch(c, sel, EX_GP, 0, &d, &addr);
	t = desc_type(d);
	if (desc_s(d) || (t != SYS_TSS16_AVAIL && t != SYS_TSS32_AVAIL))
		cpu_raise(c, EX_GP, 1, sel & 0xFFFCu);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, sel & 0xFFFCu);
	d.hi |= 2u << 8;  /* busy */
	desc_write_hi(c, addr, d.hi);
	desc_to_cache(d, sel, &c->s.seg[S_TR]);
}

/* ---- CR0 */

/* Bits of CR0 that exist on the model (others are ignored on write). */
static uint32_t cr0_mask(const struct cpu *c)
{
	uint32_t m = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_PG;

	if (c->model >= CPU_486)
		m |= CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD;
	return m;
}

static void cr0_write(struct cpu *c, uint32_t val)
{
	uint32_t old = c->s.cr0;
	uint32_t nv = val & cr0_mask(c);

	if ((nv & CR0_PG) && !(nv & CR0_PE))
		cpu_raise(c, EX_GP, 1, 0);
	if (c->model >= CPU_486) {
		if ((nv & CR0_NW) && !(nv & CR0_CD))
			cpu_raise(c, EX_GP, 1, 0);
		nv |= CR0_ET;  /* hardwired to 1 from the 486 */
	}
	c->s.cr0 = nv;
	if ((old ^ nv) & CR0_PE)
		c->cpl = 0;  /* CPL 0 on either side of the switch; CS is unchanged */
	if ((old ^ nv) & (CR0_PE | CR0_PG | CR0_WP)) {
		mmu_set_cr0(c->mmu, nv);
		cpu_code_changed(c);
	} else if (old != nv) {
		mmu_set_cr0(c->mmu, nv);
	}
}

void sys_lmsw(struct cpu *c, uint16_t val)
{
	uint32_t low = val & 0xFu;

	sys_require_cpl0(c);
	/* LMSW writes PE, MP, EM, TS; it can set PE but never clear it. */
	low |= c->s.cr0 & CR0_PE;
	cr0_write(c, (c->s.cr0 & ~0xFu) | low);
}

void sys_clts(struct cpu *c)
{
	sys_require_cpl0(c);
	c->s.cr0 &= ~CR0_TS;
}

/* ---- CR2, CR3, CR4 */

static uint32_t cr4_mask(const struct cpu *c)
{
	uint32_t m = 0;

	if (c->model >= CPU_PENTIUM)
		m |= CR4_TSD | CR4_PSE;  /* VME, PVI, DE, MCE: not implemented */
	if (c->model >= CPU_P6)
		m |= CR4_PGE;
	return m;
}

/* The privilege check comes before the register-number check: MOV CR5 at
 * CPL 3 is #GP(0), not #UD (as the reference, QEMU 7.2, does). */
void sys_mov_to_cr(struct cpu *c, int n, uint32_t val)
{
	sys_require_cpl0(c);
	if (n == 1 || n > 4 || (n == 4 && c->model < CPU_PENTIUM))
		cpu_raise(c, EX_UD, 0, 0);
	switch (n) {
	case 0:
		cr0_write(c, val);
		break;
	case 2:
		c->s.cr2 = val;
		break;
	case 3:
		/* Page-directory base; PCD/PWT exist from the 486. */
		c->s.cr3 = val & (c->model >= CPU_486 ? 0xFFFFF018u : 0xFFFFF000u);
		mmu_set_cr3(c->mmu, c->s.cr3);
		break;
	case 4: {
		uint32_t old = c->s.cr4;
		if (val & ~cr4_mask(c))
			cpu_raise(c, EX_GP, 1, 0);
		c->s.cr4 = val;
		mmu_set_cr4(c->mmu, val);
		if ((old ^ val) & (CR4_PSE | CR4_PGE))
			cpu_code_changed(c);
		break;
	}
	}
}

uint32_t sys_mov_from_cr(struct cpu *c, int n)
{
	sys_require_cpl0(c);
	if (n == 1 || n > 4 || (n == 4 && c->model < CPU_PENTIUM))
		cpu_raise(c, EX_UD, 0, 0);
	switch (n) {
	case 0:
		return c->s.cr0;
	case 2:
		return c->s.cr2;
	case 3:
		return c->s.cr3;
	default:
		return c->s.cr4;
	}
}

/* ---- debug registers: stored, not acted on (no breakpoints yet).
 * DR4/DR5 alias DR6/DR7 (CR4.DE is not implemented). DR7.GD makes the
 * next DR access a #DB fault with DR6.BD set. */
#define DR6_BD (1u << 13)
#define DR7_GD (1u << 13)

static int dr_index(struct cpu *c, int n)
{
	if (n < 0 || n > 7)
		cpu_raise(c, EX_UD, 0, 0);
	sys_require_cpl0(c);
	if (c->s.dr[7] & DR7_GD) {
		c->s.dr[7] &= ~DR7_GD;
		c->s.dr[6] |= DR6_BD;
		cpu_raise(c, EX_DB, 0, 0);
	}
	return n == 4 ? 6 : n == 5 ? 7 : n;
}

void sys_mov_to_dr(struct cpu *c, int n, uint32_t val)
{
	int i = dr_index(c, n);

	if (i == 6 && c->model >= CPU_486)
		val = (val & 0xE00Fu) | 0xFFFF0FF0u;  /* fixed bits read as on a 486+ */
	else if (i == 7 && c->model >= CPU_486)
		val |= 0x400u;
	c->s.dr[i] = val;
}

uint32_t sys_mov_from_dr(struct cpu *c, int n)
{
	return c->s.dr[dr_index(c, n)];
}

/* ---- test registers: TR6/TR7 (TLB test) on the 386 and 486 go to the
 * MMU; the 486's cache-test registers TR3-TR5 are stored only. */
static void tr_check(struct cpu *c, int n)
{
	if (!cpu_has(c, FEAT_TR67))
		cpu_raise(c, EX_UD, 0, 0);
	if (n == 6 || n == 7 || (c->model == CPU_486 && n >= 3 && n <= 5)) {
		sys_require_cpl0(c);
		return;
	}
	cpu_raise(c, EX_UD, 0, 0);
}

void sys_mov_to_tr(struct cpu *c, int n, uint32_t val)
{
	tr_check(c, n);
	c->s.tr[n] = val;
	if (n >= 6)
		mmu_tr_write(c->mmu, n, val);
}

uint32_t sys_mov_from_tr(struct cpu *c, int n)
{
	tr_check(c, n);
	if (n >= 6)
		c->s.tr[n] = mmu_tr_read(c->mmu, n);
	return c->s.tr[n];
}

/* ---- LAR, LSL, VERR, VERW (SDM vol. 2): never fault for a bad selector,
 * they report it in ZF. Not-present descriptors still pass. */

/* Common visibility test: a null or out-of-table selector fails; data and
 * non-conforming code (and system descriptors) need DPL >= CPL and RPL. */
static int probe(struct cpu *c, uint16_t sel, struct desc *d)
{
	uint32_t addr;

	sys_require_pmode(c);
	if ((sel & ~3u) == 0 || !desc_try_fetch(c, sel, d, &addr))
		return 0;
	if (desc_is_conforming(*d))
		return 1;
	return desc_dpl(*d) >= c->cpl && desc_dpl(*d) >= (sel & 3);
}

int sys_lar(struct cpu *c, uint16_t sel, uint32_t *out)
{
	struct desc d;

	if (!probe(c, sel, &d))
		return 0;
	if (!desc_s(d)) {
		switch (desc_type(d)) {
		case SYS_TSS16_AVAIL: case SYS_LDT: case SYS_TSS16_BUSY:
		case SYS_CALLGATE16: case SYS_TASKGATE:
		case SYS_TSS32_AVAIL: case SYS_TSS32_BUSY: case SYS_CALLGATE32:
			break;
		default:
			return 0;  /* interrupt/trap gates and reserved types */
		}
	}
	*out = d.hi & 0x00F0FF00u;
	return 1;
}

int sys_lsl(struct cpu *c, uint16_t sel, uint32_t *out)
{
	struct desc d;

	if (!probe(c, sel, &d))
		return 0;
	if (!desc_s(d)) {
		switch (desc_type(d)) {
		case SYS_TSS16_AVAIL: case SYS_LDT: case SYS_TSS16_BUSY:
		case SYS_TSS32_AVAIL: case SYS_TSS32_BUSY:
			break;
		default:
			return 0;  /* gates have no limit */
		}
	}
	*out = desc_limit(d);
	return 1;
}

int sys_verr(struct cpu *c, uint16_t sel)
{
	struct desc d;

	if (!probe(c, sel, &d) || !desc_s(d))
		return 0;
	return desc_is_data(d) || (desc_type(d) & DT_R);
}

int sys_verw(struct cpu *c, uint16_t sel)
{
	struct desc d;

	if (!probe(c, sel, &d) || !desc_s(d))
		return 0;
	return desc_is_data(d) && (desc_type(d) & DT_W);
}

/* ---- cache and TLB control, HLT */

void sys_invlpg(struct cpu *c, uint32_t lin)
{
	if (!cpu_has(c, FEAT_INVLPG))
		cpu_raise(c, EX_UD, 0, 0);
	sys_require_cpl0(c);
	mmu_invlpg(c->mmu, lin);
}

void sys_invd(struct cpu *c)
{
	if (!cpu_has(c, FEAT_INVD))
		cpu_raise(c, EX_UD, 0, 0);
	sys_require_cpl0(c);
	/* No caches are modelled: nothing to write back or drop. */
}

void sys_hlt(struct cpu *c)
{
	sys_require_cpl0(c);
	c->s.halted = 1;
}
