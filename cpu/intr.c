/* intr.c - delivering exceptions and interrupts (SDM vol. 2, INT n/INTO/
 * INT3 pseudo-code; vol. 3, chapter 6) and returning with IRET.
 *
 * Delivery is done in two steps: every check and every stack write first,
 * then the new CS:EIP, SS:ESP and EFLAGS are committed. A fault in the first
 * step leaves the interrupted state intact, and cpu_raise() brings us back
 * through the run loop to cpu_deliver(), which then applies the double-fault
 * rules (c->exc_depth says a delivery was under way, c->first_exc for what).
 */
#include "sys_fast.h"

/* Exception classes for the double-fault matrix (SDM vol. 3, table 6-5). */
enum { CLASS_BENIGN, CLASS_CONTRIB, CLASS_PF, CLASS_DF };

static int exc_class(int vec)
{
	switch (vec) {
	case EX_DE: case EX_TS: case EX_NP: case EX_SS: case EX_GP:
		return CLASS_CONTRIB;
	case EX_PF:
		return CLASS_PF;
	case EX_DF:
		return CLASS_DF;
	default:
		return CLASS_BENIGN;
	}
}

static int kind_is_soft(enum intr_kind k)
{
	return k == INTR_SOFTWARE || k == INTR_INT3 || k == INTR_INTO;
}

/* ---- real mode: the IVT at IDTR.base, 4 bytes a vector, FLAGS CS IP
 * pushed as words, IF TF AC cleared. No error codes in real mode. */
static void real_deliver(struct cpu *c, int vec, uint32_t ret_eip)
{
	struct stk k;
	uint32_t off = (uint32_t)vec * 4;
	uint16_t ip, cs;

	if (off + 3 > c->s.idtr_limit)
		cpu_raise(c, EX_GP, 1, 0);
	stk_current(c, &k);
	stk_check_push(c, &k, 6);
	ip = (uint16_t)cpu_read_lin_sys(c, c->s.idtr_base + off, 2);
	cs = (uint16_t)cpu_read_lin_sys(c, c->s.idtr_base + off + 2, 2);
	stk_push_in_frame(c, &k, 2, cpu_get_eflags(c) & 0xFFFF);
	stk_push_in_frame(c, &k, 2, c->s.seg[S_CS].sel);
	stk_push_in_frame(c, &k, 2, ret_eip & 0xFFFF);
	stk_commit_esp(c, &k);
	cpu_set_eflags(c, 0, FL_IF | FL_TF | FL_AC);
	seg_load_real(c, S_CS, cs);
	c->s.eip = ip;
}

/* Interrupt/trap gate to a more privileged level (or to ring 0 from v86):
 * stack from the TSS, old SS:ESP (and v86 segments) pushed on it. */
static void deliver_inner(struct cpu *c, struct desc gate, uint16_t sel, struct desc cd,
			  uint32_t cd_addr, int has_err, uint32_t err, uint32_t ret_eip, int ext)
{
	int is32 = desc_type(gate) & 8;
	int size = is32 ? 4 : 2;
	int v86 = cpu_v86(c);
	int ncpl = desc_dpl(cd);
	uint32_t e = ext ? 1u : 0u;
	uint32_t off = gate_off(gate, is32);
	uint16_t nss;
	uint32_t nesp, ss_addr, eflags;
	struct desc sd;
	struct stk k;
	uint32_t n = 5 + (v86 ? 4 : 0) + (has_err ? 1 : 0);

	tss_stack(c, ncpl, &nss, &nesp, ext);
	seg_check_stack(c, nss, ncpl, EX_TS, ext, &sd, &ss_addr);
	desc_to_cache(sd, nss, &k.ss);
	k.esp = nesp;
	k.user = ncpl == 3;
	k.err_vec = EX_SS;
	k.err_code = (nss & 0xFFFCu) | e;
	stk_check_push(c, &k, n * (uint32_t)size);
	if (off > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, e);
	desc_set_accessed(c, ss_addr, &sd);
	desc_set_accessed(c, cd_addr, &cd);

	eflags = cpu_get_eflags(c);
	if (v86) {
		stk_push_in_frame(c, &k, size, c->s.seg[S_GS].sel);
		stk_push_in_frame(c, &k, size, c->s.seg[S_FS].sel);
		stk_push_in_frame(c, &k, size, c->s.seg[S_DS].sel);
		stk_push_in_frame(c, &k, size, c->s.seg[S_ES].sel);
	}
	stk_push_in_frame(c, &k, size, c->s.seg[S_SS].sel);
	stk_push_in_frame(c, &k, size, c->s.gpr[R_ESP]);
	stk_push_in_frame(c, &k, size, eflags);
	stk_push_in_frame(c, &k, size, c->s.seg[S_CS].sel);
	stk_push_in_frame(c, &k, size, ret_eip);
	if (has_err)
		stk_push_in_frame(c, &k, size, err);

	/* Commit. */
	desc_to_cache(sd, nss, &c->s.seg[S_SS]);
	c->s.gpr[R_ESP] = (sd.hi & SEGF_DB) ? k.esp : ((nesp & 0xFFFF0000u) | (k.esp & 0xFFFF));
	if (v86) {
		seg_cache_null(&c->s.seg[S_GS], 0);
		seg_cache_null(&c->s.seg[S_FS], 0);
		seg_cache_null(&c->s.seg[S_DS], 0);
		seg_cache_null(&c->s.seg[S_ES], 0);
	}
	cpu_set_eflags(c, 0, FL_TF | FL_NT | FL_RF | FL_VM |
		       ((desc_type(gate) & 1) ? 0 : FL_IF));
	seg_load_cs(c, sel, cd, cd_addr, ncpl);
	if (v86)
		cpu_code_changed(c);
	c->s.eip = off;
}

/* Interrupt/trap gate at the same privilege (or to a conforming segment). */
static void deliver_same(struct cpu *c, struct desc gate, uint16_t sel, struct desc cd,
			 uint32_t cd_addr, int has_err, uint32_t err, uint32_t ret_eip, int ext)
{
	int is32 = desc_type(gate) & 8;
	int size = is32 ? 4 : 2;
	uint32_t e = ext ? 1u : 0u;
	uint32_t off = gate_off(gate, is32);
	struct stk k;

	stk_current(c, &k);
	k.err_code = e;
	stk_check_push(c, &k, (uint32_t)((3 + (has_err ? 1 : 0)) * size));
	if (off > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, e);
	desc_set_accessed(c, cd_addr, &cd);
	stk_push_in_frame(c, &k, size, cpu_get_eflags(c));
	stk_push_in_frame(c, &k, size, c->s.seg[S_CS].sel);
	stk_push_in_frame(c, &k, size, ret_eip);
	if (has_err)
		stk_push_in_frame(c, &k, size, err);
	stk_commit_esp(c, &k);
	cpu_set_eflags(c, 0, FL_TF | FL_NT | FL_RF | ((desc_type(gate) & 1) ? 0 : FL_IF));
	seg_load_cs(c, sel, cd, cd_addr, c->cpl);
	c->s.eip = off;
}

/* Protected-mode (and v86) delivery through the IDT, in three stages
 * (intr_fast.c hands over to the second or third when it has done the
 * reads of the ones before): read the gate; check it and read the code
 * segment's descriptor; check that and deliver. */
static void prot_deliver(struct cpu *c, int vec, enum intr_kind kind, int has_err, uint32_t err,
			 uint32_t ret_eip)
{
	uint32_t e = kind_is_soft(kind) ? 0u : 1u;
	struct desc gate;

	/* The common cases in one pass (intr_fast.c); it declines, having
	 * changed nothing, whenever the code below has more to do. */
	if (intr_fast_deliver(c, vec, kind, has_err, err, ret_eip))
		return;
	/* INT n in v86 mode is IOPL-sensitive (no VME): #GP(0). */
	if (cpu_v86(c) && kind == INTR_SOFTWARE && ((c->s.eflags & FL_IOPL) >> 12) < 3)
		cpu_raise(c, EX_GP, 1, 0);
	if ((uint32_t)vec * 8 + 7 > c->s.idtr_limit)
		cpu_raise(c, EX_GP, 1, (uint32_t)vec * 8 + 2 + e);
	gate.lo = cpu_read_lin_sys(c, c->s.idtr_base + (uint32_t)vec * 8, 4);
	gate.hi = cpu_read_lin_sys(c, c->s.idtr_base + (uint32_t)vec * 8 + 4, 4);
	prot_deliver_gate(c, vec, kind, has_err, err, ret_eip, gate);
}

void prot_deliver_gate(struct cpu *c, int vec, enum intr_kind kind, int has_err, uint32_t err,
		       uint32_t ret_eip, struct desc gate)
{
	int ext = !kind_is_soft(kind);
	uint32_t e = ext ? 1u : 0u;
	uint32_t idt_err = (uint32_t)vec * 8 + 2 + e;
	struct desc cd;
	uint32_t t, cd_addr;
	uint16_t sel;

	t = desc_type(gate);
	if (desc_s(gate) || !(t == SYS_TASKGATE || t == SYS_INTGATE16 || t == SYS_TRAPGATE16 ||
			      t == SYS_INTGATE32 || t == SYS_TRAPGATE32))
		cpu_raise(c, EX_GP, 1, idt_err);
	/* Gate DPL applies to INT n, INT3 and INTO only. */
	if (kind_is_soft(kind) && desc_dpl(gate) < c->cpl)
		cpu_raise(c, EX_GP, 1, (uint32_t)vec * 8 + 2);
	if (!desc_p(gate))
		cpu_raise(c, EX_NP, 1, idt_err);
	if (t == SYS_TASKGATE) {
		task_gate(c, gate, TASK_INT, ret_eip, ext, has_err, err);
		return;
	}
	sel = gate_sel(gate);
	if ((sel & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, e);
	desc_fetch(c, sel, EX_GP, ext, &cd, &cd_addr);
	prot_deliver_code(c, kind, has_err, err, ret_eip, gate, cd, cd_addr);
}

void prot_deliver_code(struct cpu *c, enum intr_kind kind, int has_err, uint32_t err,
		       uint32_t ret_eip, struct desc gate, struct desc cd, uint32_t cd_addr)
{
	int ext = !kind_is_soft(kind);
	uint32_t e = ext ? 1u : 0u;
	uint16_t sel = gate_sel(gate);

	if (!desc_is_code(cd) || desc_dpl(cd) > c->cpl)
		cpu_raise(c, EX_GP, 1, (sel & 0xFFFCu) | e);
	if (!desc_p(cd))
		cpu_raise(c, EX_NP, 1, (sel & 0xFFFCu) | e);
	if (!desc_is_conforming(cd) && desc_dpl(cd) < c->cpl) {
		if (cpu_v86(c) && desc_dpl(cd) != 0)
			cpu_raise(c, EX_GP, 1, (sel & 0xFFFCu) | e);
		deliver_inner(c, gate, sel, cd, cd_addr, has_err, err, ret_eip, ext);
	} else {
		if (cpu_v86(c))
			cpu_raise(c, EX_GP, 1, (sel & 0xFFFCu) | e);
		deliver_same(c, gate, sel, cd, cd_addr, has_err, err, ret_eip, ext);
	}
}

static void intr_deliver(struct cpu *c, int vec, enum intr_kind kind, int has_err, uint32_t err,
			 uint32_t ret_eip)
{
	if (c->hooks.on_interrupt)
		c->hooks.on_interrupt(c->hooks.opaque, vec,
				      kind == INTR_EXCEPTION || kind == INTR_INT3 || kind == INTR_INTO,
				      has_err ? err : 0, ret_eip);
	if (!cpu_pmode(c))
		real_deliver(c, vec, ret_eip);
	else
		prot_deliver(c, vec, kind, has_err, err, ret_eip);
	c->s.halted = 0;
	if (kind == INTR_NMI)
		c->nmi_blocked = 1;  /* until the next IRET (SDM vol. 3, 6.7.1) */
}

/* Double-fault rules (SDM vol. 3, 6.15 "Interrupt 8"): a contributory
 * exception during delivery of a contributory one, or a page fault or
 * contributory exception during delivery of a page fault, becomes #DF;
 * anything during delivery of #DF is a triple fault (shutdown). Other
 * pairs are handled serially: the second one is delivered. */
void cpu_deliver(struct cpu *c, int vector, int has_err, uint32_t err)
{
	if (c->exc_depth > 0) {
		int first = c->first_exc;
		int fc = first < 0 ? CLASS_BENIGN : exc_class(first);
		int sc = exc_class(vector);

		if (fc == CLASS_DF) {
			c->shutdown = 1;
			c->exc_depth = 0;
			c->first_exc = -1;
			return;
		}
		if ((fc == CLASS_CONTRIB && sc == CLASS_CONTRIB) ||
		    (fc == CLASS_PF && (sc == CLASS_CONTRIB || sc == CLASS_PF))) {
			vector = EX_DF;
			has_err = 1;
			err = 0;
		}
	}
	/* A fault during this delivery restarts from here, not from the
	 * instruction that was executing before. */
	c->insn_eip = c->s.eip;
	c->insn_cs = c->s.seg[S_CS].sel;
	c->exc_depth = 1;
	c->first_exc = vector;
	intr_deliver(c, vector, INTR_EXCEPTION, has_err, err, c->s.eip);
	c->exc_depth = 0;
	c->first_exc = -1;
}

void cpu_deliver_external(struct cpu *c, int vector, enum intr_kind kind)
{
	c->insn_eip = c->s.eip;
	c->insn_cs = c->s.seg[S_CS].sel;
	c->exc_depth = 1;
	c->first_exc = -1;
	intr_deliver(c, vector, kind == INTR_NMI ? INTR_NMI : INTR_EXTERNAL, 0, 0, c->s.eip);
	c->exc_depth = 0;
}

void cpu_soft_int(struct cpu *c, int vector, enum intr_kind kind, uint32_t next_eip)
{
	c->exc_depth = 1;
	c->first_exc = -1;
	intr_deliver(c, vector, kind, 0, 0, next_eip);
	c->exc_depth = 0;
}

/* ---- IRET */

/* EFLAGS bits IRET may change from privilege `cpl` (SDM vol. 2, IRET):
 * IF only when CPL <= IOPL, IOPL only at CPL 0; VM is never written here
 * (the v86 return path sets it). A 16-bit IRET writes the low half only.
 * VIF and VIP are left alone: the SDM lets a CPL-0 IRET load them, QEMU
 * (the conformance reference) does not, and without CR4.VME nothing
 * depends on them; only the return to v86 mode loads them. */
static uint32_t iret_priv_mask(struct cpu *c, int cpl, int opsize)
{
	uint32_t m = ~(FL_VM | FL_VIF | FL_VIP);
	int iopl = (int)((c->s.eflags & FL_IOPL) >> 12);

	if (cpl > 0)
		m &= ~FL_IOPL;
	if (cpl > iopl)
		m &= ~FL_IF;
	if (opsize == 16)
		m &= 0xFFFF;
	return m;
}

/* The same limited to the model's bits (sys_eflags_mask()); the fast
 * path leaves that to cpu_set_eflags(), which applies the same mask. */
static uint32_t iret_mask(struct cpu *c, int cpl, int opsize)
{
	return sys_eflags_mask(c) & iret_priv_mask(c, cpl, opsize);
}

static void iret_real(struct cpu *c, int opsize)
{
	int size = opsize / 8;
	struct stk k;
	uint32_t eip, fl, mask;
	uint16_t cs;

	stk_current(c, &k);
	stk_check_pop(c, &k, 3u * (uint32_t)size);
	eip = stk_pop_in_frame(c, &k, size);
	cs = (uint16_t)stk_pop_in_frame(c, &k, size);
	fl = stk_pop_in_frame(c, &k, size);
	if (eip > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, 0);
	if (cpu_v86(c)) {
		/* IOPL 3 v86: IOPL and VM stay as they are. */
		mask = iret_mask(c, 3, opsize);
		stk_commit_esp(c, &k);
		v86_load_seg(c, S_CS, cs);
	} else {
		/* Real mode: VIF and VIP are kept (SDM: AND 257FD5H). */
		mask = iret_mask(c, 0, opsize);
		stk_commit_esp(c, &k);
		seg_load_real(c, S_CS, cs);
	}
	c->s.eip = eip;
	cpu_set_eflags(c, fl, mask);
}

/* IRET with NT set: return to the task in the back link of the current
 * TSS, which must be a busy TSS in the GDT. */
static void iret_task(struct cpu *c)
{
	uint16_t link = (uint16_t)cpu_read_lin_sys(c, c->s.seg[S_TR].base, 2);
	struct desc d;
	uint32_t addr, t;

	if (link & 4)
		cpu_raise(c, EX_TS, 1, link & 0xFFFCu);
	desc_fetch(c, link, EX_TS, 0, &d, &addr);
	t = desc_type(d);
	if (desc_s(d) || (t != SYS_TSS16_BUSY && t != SYS_TSS32_BUSY))
		cpu_raise(c, EX_TS, 1, link & 0xFFFCu);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, link & 0xFFFCu);
	task_switch(c, link, d, addr, TASK_IRET, c->s.eip, 0, 0, 0);
}

static void iret_prot(struct cpu *c, int opsize)
{
	int size = opsize / 8;
	struct stk k;
	uint32_t eip, fl, cd_addr;
	uint16_t cs;
	struct desc cd;

	stk_current(c, &k);
	stk_check_pop(c, &k, 3u * (uint32_t)size);
	eip = stk_pop_in_frame(c, &k, size);
	cs = (uint16_t)stk_pop_in_frame(c, &k, size);
	fl = stk_pop_in_frame(c, &k, size);
	if (opsize == 32 && (fl & FL_VM) && c->cpl == 0) {
		v86_enter_from_iret(c, &k, eip, cs, fl);
		return;
	}
	if ((cs & ~3u) == 0)
		cpu_raise(c, EX_GP, 1, 0);
	desc_fetch(c, cs, EX_GP, 0, &cd, &cd_addr);
	iret_prot_tail(c, opsize, &k, eip, cs, fl, cd, cd_addr);
}

void iret_prot_tail(struct cpu *c, int opsize, struct stk *k, uint32_t eip, uint16_t cs,
		    uint32_t fl, struct desc cd, uint32_t cd_addr)
{
	int size = opsize / 8;
	uint32_t mask;
	int rpl;

	ret_check_cs_desc(c, cs, cd);
	rpl = cs & 3;
	mask = iret_mask(c, c->cpl, opsize);

	if (rpl > c->cpl) {
		/* Return to an outer level: SS:ESP follow on the stack. */
		c->s.gpr[R_ESP] = ret_to_outer(c, k, size, cs, cd, cd_addr, eip);
		c->s.eip = eip;
		cpu_set_eflags(c, fl, mask);
		seg_null_outer(c);
		return;
	}
	if (eip > desc_limit(cd))
		cpu_raise(c, EX_GP, 1, 0);
	stk_commit_esp(c, k);
	seg_load_cs(c, cs, cd, cd_addr, c->cpl);
	c->s.eip = eip;
	cpu_set_eflags(c, fl, mask);
}

void cpu_iret(struct cpu *c, int opsize)
{
	/* Any IRET, even one that then faults, ends NMI blocking. */
	c->nmi_blocked = 0;
	if (!cpu_pmode(c)) {
		iret_real(c, opsize);
	} else if (cpu_v86(c)) {
		if (((c->s.eflags & FL_IOPL) >> 12) < 3)
			cpu_raise(c, EX_GP, 1, 0);
		iret_real(c, opsize);
	} else if (c->s.eflags & FL_NT) {
		/* NT is not one of the lazy arithmetic flags: s.eflags holds it
		 * (no need to materialise the others just to test it). */
		iret_task(c);
	} else if (opsize != 32 || !iret_fast(c, iret_priv_mask(c, c->cpl, 32))) {
		iret_prot(c, opsize);
	}
}
