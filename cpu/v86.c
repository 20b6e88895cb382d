/* v86.c - virtual-8086 mode (SDM vol. 3, chapter 20): segment loads and
 * the entry by IRET from CPL 0. The exit by interrupt is in intr.c
 * (deliver_inner), the IOPL-sensitive INT n rule in prot_deliver(), and
 * IRET inside v86 in cpu_iret(). CR4.VME is not implemented.
 */
#include "sys_internal.h"

/* In v86 mode every segment is a 64 KiB, DPL 3, present, writable data
 * segment at sel << 4 (CS: readable code), 16-bit. */
void v86_load_seg(struct cpu *c, int sreg, uint16_t sel)
{
	struct seg_cache *sc = &c->s.seg[sreg];
	uint32_t type = sreg == S_CS ? (DT_CODE | DT_R | DT_ACCESSED) : (DT_W | DT_ACCESSED);

	sc->sel = sel;
	sc->base = (uint32_t)sel << 4;
	sc->limit = 0xFFFF;
	sc->flags = SEGF_P | SEGF_S | (3u << 13) | (type << 8);
}

void v86_enter_from_iret(struct cpu *c, struct stk *k, uint32_t eip, uint16_t cs,
			 uint32_t eflags)
{
	uint32_t esp, ss, es, ds, fs, gs;

	stk_check_pop(c, k, 24);
	esp = stk_pop(c, k, 4);
	ss = stk_pop(c, k, 4);
	es = stk_pop(c, k, 4);
	ds = stk_pop(c, k, 4);
	fs = stk_pop(c, k, 4);
	gs = stk_pop(c, k, 4);
	if (eip > 0xFFFF)
		cpu_raise(c, EX_GP, 1, 0);

	cpu_set_eflags(c, eflags | 2u, sys_eflags_mask(c));
	v86_load_seg(c, S_CS, cs);
	v86_load_seg(c, S_SS, (uint16_t)ss);
	v86_load_seg(c, S_ES, (uint16_t)es);
	v86_load_seg(c, S_DS, (uint16_t)ds);
	v86_load_seg(c, S_FS, (uint16_t)fs);
	v86_load_seg(c, S_GS, (uint16_t)gs);
	c->s.gpr[R_ESP] = esp;
	c->s.eip = eip;
	c->cpl = 3;
	cpu_code_changed(c);
}
