/* sysenter.c - SYSENTER and SYSEXIT (P6; SDM vol. 2): fast transfers to
 * ring 0 and back with flat segments built from IA32_SYSENTER_CS, without
 * reading any descriptor.
 */
#include "sys_internal.h"

/* A flat 4 GiB, 32-bit, present segment cache of the given type and DPL. */
static void flat_seg(struct seg_cache *sc, uint16_t sel, uint32_t type, int dpl)
{
	sc->sel = sel;
	sc->base = 0;
	sc->limit = 0xFFFFFFFFu;
	sc->flags = (type << 8) | SEGF_S | ((uint32_t)dpl << 13) | SEGF_P | SEGF_DB | SEGF_G;
}

void sys_sysenter(struct cpu *c)
{
	uint16_t cs = c->s.sysenter_cs;

	if (!cpu_has(c, FEAT_SYSENTER))
		cpu_raise(c, EX_UD, 0, 0);
	if (!cpu_pmode(c) || (cs & 0xFFFCu) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	cpu_set_eflags(c, 0, FL_VM | FL_IF | FL_RF);
	flat_seg(&c->s.seg[S_CS], cs & 0xFFFCu, DT_CODE | DT_R | DT_ACCESSED, 0);
	flat_seg(&c->s.seg[S_SS], (uint16_t)((cs & 0xFFFCu) + 8), DT_W | DT_ACCESSED, 0);
	c->cpl = 0;
	c->s.gpr[R_ESP] = c->s.sysenter_esp;
	c->s.eip = c->s.sysenter_eip;
	cpu_code_changed(c);
}

void sys_sysexit(struct cpu *c)
{
	uint16_t cs = c->s.sysenter_cs;

	if (!cpu_has(c, FEAT_SYSENTER))
		cpu_raise(c, EX_UD, 0, 0);
	if (!cpu_pmode(c) || cpu_v86(c) || c->cpl != 0 || (cs & 0xFFFCu) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	flat_seg(&c->s.seg[S_CS], (uint16_t)((cs + 16) | 3), DT_CODE | DT_R | DT_ACCESSED, 3);
	flat_seg(&c->s.seg[S_SS], (uint16_t)((cs + 24) | 3), DT_W | DT_ACCESSED, 3);
	c->cpl = 3;
	c->s.gpr[R_ESP] = c->s.gpr[R_ECX];
	c->s.eip = c->s.gpr[R_EDX];
	cpu_code_changed(c);
}
