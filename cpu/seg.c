/* seg.c - loading segment registers: MOV/POP Sreg and LDS/LES/LFS/LGS/LSS
 * (SDM vol. 2, MOV and POP pseudo-code), the real-mode and v86 forms, and
 * the variants used by far transfers, returns and task switches.
 *
 * An unusable (null) register keeps its selector and gets flags == 0, so
 * its P bit is clear; the core's access checks refuse it with #GP(0).
 */
#include "sys_internal.h"

void sys_update_cpl(struct cpu *c)
{
	if (!cpu_pmode(c))
		c->cpl = 0;
	else if (cpu_v86(c))
		c->cpl = 3;
	else
		c->cpl = c->s.seg[S_CS].sel & 3;
}

/* Real mode loads change only the selector and the base; limit and
 * attributes stay as they were (this is what makes "unreal mode" work on
 * silicon). CS additionally becomes 16-bit readable code at DPL 0. */
void seg_load_real(struct cpu *c, int sreg, uint16_t sel)
{
	struct seg_cache *sc = &c->s.seg[sreg];

	sc->sel = sel;
	sc->base = (uint32_t)sel << 4;
	if (sreg == S_CS) {
		uint32_t old = sc->flags;
		sc->flags = (sc->flags & SEGF_G) | SEGF_P | SEGF_S |
			    ((DT_CODE | DT_R | DT_ACCESSED) << 8);
		if (!(old & SEGF_P))
			sc->limit = 0xFFFF;
		if ((old ^ sc->flags) & SEGF_DB)
			cpu_code_changed(c);
	} else if (!(sc->flags & SEGF_P)) {
		/* Never loaded since a protected-mode null load: make it usable. */
		sc->limit = 0xFFFF;
		sc->flags = SEGF_P | SEGF_S | ((DT_W | DT_ACCESSED) << 8);
	}
}

void seg_commit(struct cpu *c, int sreg, uint16_t sel, struct desc *d, uint32_t addr)
{
	desc_set_accessed(c, addr, d);
	desc_to_cache(*d, sel, &c->s.seg[sreg]);
}

void seg_load_cs(struct cpu *c, uint16_t sel, struct desc d, uint32_t addr, int cpl)
{
	struct seg_cache *cs = &c->s.seg[S_CS];
	uint32_t old_flags = cs->flags;
	int old_cpl = c->cpl;

	desc_set_accessed(c, addr, &d);
	desc_to_cache(d, (uint16_t)((sel & ~3u) | (unsigned)cpl), cs);
	c->cpl = cpl;
	if (((old_flags ^ cs->flags) & SEGF_DB) || old_cpl != cpl)
		cpu_code_changed(c);
}

void seg_check_stack(struct cpu *c, uint16_t sel, int cpl, int vec, int ext, struct desc *d,
		     uint32_t *addr)
{
	uint32_t e = ext ? 1u : 0u;

	if ((sel & ~3u) == 0)
		cpu_raise(c, vec, 1, e);
	desc_fetch(c, sel, vec, ext, d, addr);
	if ((sel & 3) != (unsigned)cpl || desc_dpl(*d) != cpl || !desc_is_data(*d) ||
	    !(desc_type(*d) & DT_W))
		cpu_raise(c, vec, 1, (sel & 0xFFFCu) | e);
	if (!desc_p(*d))
		cpu_raise(c, EX_SS, 1, (sel & 0xFFFCu) | e);
}

static inline void null_if_below(struct seg_cache *sc, int cpl)
{
	uint32_t type = SEGF_TYPE(sc->flags);

	/* DPL first: the usual case (user segments on a return to ring 3)
	 * stops there. */
	if ((int)SEGF_DPL(sc->flags) < cpl && (sc->flags & SEGF_P) &&
	    (!(type & DT_CODE) || !(type & DT_C)))
		seg_cache_null(sc, 0);
}

void seg_null_outer(struct cpu *c)
{
	null_if_below(&c->s.seg[S_ES], c->cpl);
	null_if_below(&c->s.seg[S_DS], c->cpl);
	null_if_below(&c->s.seg[S_FS], c->cpl);
	null_if_below(&c->s.seg[S_GS], c->cpl);
}

/* Protected-mode MOV/POP/LxS checks (SDM vol. 2, MOV: "IF SS is loaded"
 * and "IF DS, ES, FS, or GS is loaded with non-null selector"). */
static void seg_load_prot(struct cpu *c, int sreg, uint16_t sel)
{
	struct desc d;
	uint32_t addr;
	uint32_t err = sel & 0xFFFCu;
	int rpl = sel & 3;

	if (sreg == S_SS) {
		if ((sel & ~3u) == 0)
			cpu_raise(c, EX_GP, 1, 0);
		desc_fetch(c, sel, EX_GP, 0, &d, &addr);
		if (rpl != c->cpl || !desc_is_data(d) || !(desc_type(d) & DT_W) ||
		    desc_dpl(d) != c->cpl)
			cpu_raise(c, EX_GP, 1, err);
		if (!desc_p(d))
			cpu_raise(c, EX_SS, 1, err);
		seg_commit(c, sreg, sel, &d, addr);
		return;
	}
	if (sreg == S_CS)
		cpu_raise(c, EX_UD, 0, 0); /* MOV CS: the decoder should not get here */

	if ((sel & ~3u) == 0) {
		seg_cache_null(&c->s.seg[sreg], sel);
		return;
	}
	desc_fetch(c, sel, EX_GP, 0, &d, &addr);
	if (!desc_s(d) || (desc_is_code(d) && !(desc_type(d) & DT_R)))
		cpu_raise(c, EX_GP, 1, err);
	if (!desc_is_conforming(d) && (rpl > desc_dpl(d) || c->cpl > desc_dpl(d)))
		cpu_raise(c, EX_GP, 1, err);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, err);
	seg_commit(c, sreg, sel, &d, addr);
}

void seg_load(struct cpu *c, int sreg, uint16_t sel)
{
	if (!cpu_pmode(c))
		seg_load_real(c, sreg, sel);
	else if (cpu_v86(c))
		v86_load_seg(c, sreg, sel);
	else
		seg_load_prot(c, sreg, sel);
}

/* The segment loads of a task switch (SDM vol. 3, 7.3 step 13 and the
 * #TS conditions of table 7-1), done after the new task's state is in
 * place, so a fault is taken in the context of the new task. */
void seg_load_task(struct cpu *c, int sreg, uint16_t sel, int ext)
{
	struct desc d;
	uint32_t addr;
	uint32_t e = ext ? 1u : 0u;
	uint32_t err = (sel & 0xFFFCu) | e;
	int rpl = sel & 3;

	if (sreg == S_CS) {
		if ((sel & ~3u) == 0)
			cpu_raise(c, EX_TS, 1, e);
		desc_fetch(c, sel, EX_TS, ext, &d, &addr);
		if (!desc_is_code(d))
			cpu_raise(c, EX_TS, 1, err);
		if (desc_is_conforming(d) ? desc_dpl(d) > rpl : desc_dpl(d) != rpl)
			cpu_raise(c, EX_TS, 1, err);
		if (!desc_p(d))
			cpu_raise(c, EX_NP, 1, err);
		seg_load_cs(c, sel, d, addr, rpl);
		return;
	}
	if (sreg == S_SS) {
		seg_check_stack(c, sel, c->cpl, EX_TS, ext, &d, &addr);
		seg_commit(c, sreg, sel, &d, addr);
		return;
	}
	if ((sel & ~3u) == 0) {
		seg_cache_null(&c->s.seg[sreg], sel);
		return;
	}
	desc_fetch(c, sel, EX_TS, ext, &d, &addr);
	if (!desc_s(d) || (desc_is_code(d) && !(desc_type(d) & DT_R)))
		cpu_raise(c, EX_TS, 1, err);
	if (!desc_is_conforming(d) && (desc_dpl(d) < c->cpl || desc_dpl(d) < rpl))
		cpu_raise(c, EX_TS, 1, err);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, err);
	seg_commit(c, sreg, sel, &d, addr);
}
