/* cpu.c - creating, resetting and inspecting a CPU: the power-on state,
 * whole-state get/set (with lazy flags materialised), hooks and counters.
 */
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* EDX after RESET: the processor signature (family, model, stepping), the
 * same value CPUID leaf 1 reports (model.c): i386DX B1 step 0303h (no
 * CPUID); IntelDX4 0480h; Pentium P54C 052Bh; Pentium II (Klamath)
 * 0633h. */
static uint32_t reset_signature(enum cpu_model m)
{
	switch (m) {
	case CPU_386: return 0x0303;
	case CPU_486: return 0x0480;
	case CPU_PENTIUM: return 0x052B;
	default: return 0x0633;
	}
}

struct cpu *cpu_create(enum cpu_model model, struct bus *bus, struct mmu *mmu)
{
	/* One allocation for both halves: core_of() relies on it. */
	struct cpu_with_core *cc = calloc(1, sizeof *cc);
	if (!cc)
		return NULL;
	struct cpu *c = &cc->cpu;
	c->core = &cc->core;
	c->model = model;
	c->bus = bus;
	c->mmu = mmu;
	if (blocks_init(c)) {
		free(cc);
		return NULL;
	}
	cpu_reset(c);
	return c;
}

void cpu_destroy(struct cpu *c)
{
	if (!c)
		return;
	blocks_free(c);
	free((struct cpu_with_core *)c);
}

enum cpu_model cpu_model(const struct cpu *c) { return c->model; }

static void seg_reset(struct seg_cache *s, uint16_t sel, uint32_t base, uint32_t flags)
{
	s->sel = sel;
	s->base = base;
	s->limit = 0xFFFF;
	s->flags = flags;
}

/* The RESET state of Intel SDM vol. 3, table 9-1. CR0 is 60000010h on the
 * 486 and later (CD, NW, ET set); on the 386 the i386 manual leaves the
 * undefined bits set: 7FFFFFE0h (ET clear: no coprocessor). */
void cpu_reset(struct cpu *c)
{
	struct core *k = core_of(c);
	struct cpu_state *s = &c->s;
	memset(s, 0, sizeof *s);
	s->gpr[R_EDX] = reset_signature(c->model);
	s->eip = 0xFFF0;
	s->eflags = 0x2;
	for (int n = 0; n < 6; n++)
		seg_reset(&s->seg[n], 0, 0, 0x9300);       /* present, data R/W, accessed */
	seg_reset(&s->seg[S_CS], 0xF000, 0xFFFF0000u, 0x9B00);  /* code R/X, accessed */
	seg_reset(&s->seg[S_LDTR], 0, 0, 0x8200);
	seg_reset(&s->seg[S_TR], 0, 0, 0x8B00);
	s->gdtr_limit = s->idtr_limit = 0xFFFF;
	s->cr0 = c->model == CPU_386 ? 0x7FFFFFE0u : 0x60000010u;
	s->dr[6] = 0xFFFF0FF0u;
	s->dr[7] = 0x400;
	c->cpl = 0;
	c->intr_line = 0;
	c->nmi_pending = 0;
	c->nmi_blocked = 0;
	c->stop_requested = 0;
	c->shutdown = 0;
	c->inhibit_irq = 0;
	c->exc_depth = 0;
	c->first_exc = -1;
	k->lf_op = LF_NONE;
	k->no_db_trap = 0;
	k->irq_shadow = 0;
	k->attn = 1;
	k->user_entered = 0;
	fetch_invalidate(k);
	mmu_reset(c->mmu);
	mmu_set_cr0(c->mmu, s->cr0);
	mmu_set_cr3(c->mmu, 0);
	mmu_set_cr4(c->mmu, 0);
	blocks_flush(c);
}

uint64_t cpu_insn_count(const struct cpu *c) { return cpu_retired(c); }

void cpu_get_state(const struct cpu *c, struct cpu_state *out)
{
	const struct core *k = core_of(c);
	*out = c->s;
	out->tsc = sys_tsc_peek(c);   /* the TSC advances with retired instructions */
	if (k->lf_op != LF_NONE)
		out->eflags = (c->s.eflags & ~FL_ARITH) | flags_compute(k, c->s.eflags);
}

void cpu_set_state(struct cpu *c, const struct cpu_state *in)
{
	struct core *k = core_of(c);
	c->s = *in;
	c->s.eflags |= 2;
	k->lf_op = LF_NONE;
	fetch_invalidate(k);
	k->no_db_trap = 0;
	k->irq_shadow = 0;
	k->attn = 1;
	c->inhibit_irq = 0;
	if (!(in->cr0 & CR0_PE))
		c->cpl = 0;
	else if (in->eflags & FL_VM)
		c->cpl = 3;
	else
		c->cpl = (int)SEGF_DPL(in->seg[S_SS].flags);   /* SS.DPL == CPL, as QEMU keeps it */
	mmu_set_cr0(c->mmu, in->cr0);
	mmu_set_cr4(c->mmu, in->cr4);
	mmu_set_cr3(c->mmu, in->cr3);
}

/* The caller reads c->insn_eip directly, at any moment: the run loop then
 * keeps it exact at every instruction (one instruction per block, exec.c). */
const uint32_t *cpu_insn_eip_source(const struct cpu *c)
{
	core_of(c)->eip_exact = 1;
	core_attn((struct cpu *)(uintptr_t)c);
	return &c->insn_eip;
}

void cpu_last_pc(const struct cpu *c, uint16_t *cs, uint32_t *eip)
{
	if (cs)
		*cs = c->insn_cs;
	if (eip)
		*eip = cpu_insn_eip(c);
}

void cpu_set_hooks(struct cpu *c, const struct cpu_hooks *h)
{
	if (h)
		c->hooks = *h;
	else
		memset(&c->hooks, 0, sizeof c->hooks);
}
