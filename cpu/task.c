/* task.c - hardware task switching (SDM vol. 3, 7.3) with 32-bit and
 * 16-bit TSSs, reached by JMP/CALL to a TSS or task gate, by an interrupt
 * through a task gate, and by IRET with EFLAGS.NT set.
 *
 * TSS layouts used here:
 *   32-bit (limit >= 0x67): 0 link, 4+8n ESPn, 8+8n SSn, 0x1C CR3, 0x20 EIP,
 *     0x24 EFLAGS, 0x28.. EAX ECX EDX EBX ESP EBP ESI EDI, 0x48.. ES CS SS
 *     DS FS GS (4 bytes apart), 0x60 LDT, 0x64 T, 0x66 I/O map base.
 *   16-bit (limit >= 0x2B): 0 link, 2+4n SPn, 4+4n SSn, 0x0E IP, 0x10 FLAGS,
 *     0x12.. AX CX DX BX SP BP SI DI, 0x22.. ES CS SS DS, 0x2A LDT.
 *
 * TLB: a switch to a 32-bit TSS loads CR3 through mmu_set_cr3(), so the
 * MMU applies the CR3 rule (non-global entries flushed, even when the value
 * is unchanged). A 16-bit TSS has no CR3 and leaves the TLB alone.
 */
#include "sys_internal.h"

#define TSS_BUSY (2u << 8)

struct tss_image {
	uint32_t cr3, eip, eflags;
	uint32_t gpr[8];
	uint16_t seg[6];  /* ES CS SS DS FS GS */
	uint16_t ldt;
	int trap;         /* T bit (32-bit TSS): #DB when the task starts */
};

void tss_stack(struct cpu *c, int dpl, uint16_t *ss, uint32_t *esp, int ext)
{
	const struct seg_cache *tr = &c->s.seg[S_TR];
	uint32_t err = (tr->sel & 0xFFFCu) | (ext ? 1u : 0u);

	if (SEGF_TYPE(tr->flags) & 8) {
		uint32_t off = 4 + 8 * (uint32_t)dpl;
		if (off + 7 > tr->limit)
			cpu_raise(c, EX_TS, 1, err);
		*esp = cpu_read_lin_sys(c, tr->base + off, 4);
		*ss = (uint16_t)cpu_read_lin_sys(c, tr->base + off + 4, 2);
	} else {
		uint32_t off = 2 + 4 * (uint32_t)dpl;
		if (off + 3 > tr->limit)
			cpu_raise(c, EX_TS, 1, err);
		*esp = cpu_read_lin_sys(c, tr->base + off, 2);
		*ss = (uint16_t)cpu_read_lin_sys(c, tr->base + off + 2, 2);
	}
}

static void tss_read(struct cpu *c, uint32_t b, int is32, struct tss_image *t)
{
	if (is32) {
		t->cr3 = cpu_read_lin_sys(c, b + 0x1C, 4);
		t->eip = cpu_read_lin_sys(c, b + 0x20, 4);
		t->eflags = cpu_read_lin_sys(c, b + 0x24, 4);
		for (int i = 0; i < 8; i++)
			t->gpr[i] = cpu_read_lin_sys(c, b + 0x28 + 4 * (uint32_t)i, 4);
		for (int i = 0; i < 6; i++)
			t->seg[i] = (uint16_t)cpu_read_lin_sys(c, b + 0x48 + 4 * (uint32_t)i, 2);
		t->ldt = (uint16_t)cpu_read_lin_sys(c, b + 0x60, 2);
		t->trap = cpu_read_lin_sys(c, b + 0x64, 2) & 1;
	} else {
		t->trap = 0;
		t->cr3 = 0;
		t->eip = cpu_read_lin_sys(c, b + 0x0E, 2);
		t->eflags = cpu_read_lin_sys(c, b + 0x10, 2);
		for (int i = 0; i < 8; i++)
			t->gpr[i] = cpu_read_lin_sys(c, b + 0x12 + 2 * (uint32_t)i, 2);
		for (int i = 0; i < 4; i++)
			t->seg[i] = (uint16_t)cpu_read_lin_sys(c, b + 0x22 + 2 * (uint32_t)i, 2);
		t->seg[4] = t->seg[5] = 0;
		t->ldt = (uint16_t)cpu_read_lin_sys(c, b + 0x2A, 2);
	}
}

/* Save the outgoing task's dynamic state: EIP, EFLAGS, general and segment
 * registers (not CR3, not LDTR: those are static fields). */
static void tss_save(struct cpu *c, uint32_t b, int is32, uint32_t eip, uint32_t eflags)
{
	if (is32) {
		cpu_write_lin_sys(c, b + 0x20, 4, eip);
		cpu_write_lin_sys(c, b + 0x24, 4, eflags);
		for (int i = 0; i < 8; i++)
			cpu_write_lin_sys(c, b + 0x28 + 4 * (uint32_t)i, 4, c->s.gpr[i]);
		for (int i = 0; i < 6; i++)
			cpu_write_lin_sys(c, b + 0x48 + 4 * (uint32_t)i, 2, c->s.seg[i].sel);
	} else {
		cpu_write_lin_sys(c, b + 0x0E, 2, eip & 0xFFFF);
		cpu_write_lin_sys(c, b + 0x10, 2, eflags & 0xFFFF);
		for (int i = 0; i < 8; i++)
			cpu_write_lin_sys(c, b + 0x12 + 2 * (uint32_t)i, 2, c->s.gpr[i] & 0xFFFF);
		for (int i = 0; i < 4; i++)
			cpu_write_lin_sys(c, b + 0x22 + 2 * (uint32_t)i, 2, c->s.seg[i].sel);
	}
}

/* Load LDTR for the new task: null, or an LDT descriptor in the GDT;
 * every other case is #TS(LDT selector). */
static void task_load_ldt(struct cpu *c, uint16_t sel, int ext)
{
	struct desc d;
	uint32_t addr;
	uint32_t err = (sel & 0xFFFCu) | (ext ? 1u : 0u);

	if ((sel & ~3u) == 0) {
		seg_cache_null(&c->s.seg[S_LDTR], sel);
		return;
	}
	if (sel & 4)
		cpu_raise(c, EX_TS, 1, err);
	desc_fetch(c, sel, EX_TS, ext, &d, &addr);
	if (desc_s(d) || desc_type(d) != SYS_LDT || !desc_p(d))
		cpu_raise(c, EX_TS, 1, err);
	desc_to_cache(d, sel, &c->s.seg[S_LDTR]);
}

void task_switch(struct cpu *c, uint16_t sel, struct desc d, uint32_t addr,
		 enum task_reason why, uint32_t next_eip, int ext, int has_err, uint32_t err)
{
	struct seg_cache *tr = &c->s.seg[S_TR];
	int n32 = (desc_type(d) & 8) != 0;
	int o32 = (SEGF_TYPE(tr->flags) & 8) != 0;
	uint32_t nbase = desc_base(d);
	uint32_t e = ext ? 1u : 0u;
	uint32_t old_eflags, old_hi = 0, old_addr = 0;
	struct tss_image t;
	int v86;

	/* Checks before anything changes. */
	if (desc_limit(d) < (n32 ? 0x67u : 0x2Bu))
		cpu_raise(c, EX_TS, 1, (sel & 0xFFFCu) | e);
	if (tr->limit < (o32 ? 0x5Fu : 0x29u))
		cpu_raise(c, EX_TS, 1, (tr->sel & 0xFFFCu) | e);
	tss_read(c, nbase, n32, &t);
	if (why == TASK_JMP || why == TASK_IRET) {
		old_addr = c->s.gdtr_base + (tr->sel & ~7u);
		old_hi = cpu_read_lin_sys(c, old_addr + 4, 4);
	}

	/* Save the old task. IRET saves NT clear (the old task is done). */
	old_eflags = cpu_get_eflags(c);
	if (why == TASK_IRET)
		old_eflags &= ~FL_NT;
	tss_save(c, tr->base, o32, next_eip, old_eflags);

	/* Busy bits and nesting. */
	if (why == TASK_JMP || why == TASK_IRET)
		desc_write_hi(c, old_addr, old_hi & ~TSS_BUSY);
	if (why == TASK_CALL || why == TASK_INT) {
		cpu_write_lin_sys(c, nbase, 2, tr->sel);
		t.eflags |= FL_NT;
	}
	if (why != TASK_IRET)
		desc_write_hi(c, addr, d.hi | TSS_BUSY);
	d.hi |= TSS_BUSY;
	desc_to_cache(d, sel, tr);
	c->s.cr0 |= CR0_TS;

	/* Load the new task: registers first, so that a fault in the segment
	 * loads below is taken in the new task's context. */
	if (n32) {
		c->s.cr3 = t.cr3 & (c->model >= CPU_486 ? 0xFFFFF018u : 0xFFFFF000u);
		mmu_set_cr3(c->mmu, c->s.cr3);
		cpu_set_eflags(c, t.eflags | 2u, sys_eflags_mask(c));
		for (int i = 0; i < 8; i++)
			c->s.gpr[i] = t.gpr[i];
		c->s.eip = t.eip;
	} else {
		cpu_set_eflags(c, t.eflags | 2u, sys_eflags_mask(c) & 0xFFFF);
		for (int i = 0; i < 8; i++)
			c->s.gpr[i] = 0xFFFF0000u | t.gpr[i];
		c->s.eip = t.eip & 0xFFFF;
	}
	v86 = n32 && (t.eflags & FL_VM);
	for (int i = 0; i < 6; i++)
		seg_cache_null(&c->s.seg[i], t.seg[i]);
	seg_cache_null(&c->s.seg[S_LDTR], t.ldt);
	c->cpl = v86 ? 3 : (t.seg[S_CS] & 3);
	cpu_code_changed(c);

	task_load_ldt(c, t.ldt, ext);
	if (v86) {
		for (int i = 0; i < 6; i++)
			v86_load_seg(c, i, t.seg[i]);
	} else {
		seg_load_task(c, S_CS, t.seg[S_CS], ext);
		seg_load_task(c, S_SS, t.seg[S_SS], ext);
		seg_load_task(c, S_DS, t.seg[S_DS], ext);
		seg_load_task(c, S_ES, t.seg[S_ES], ext);
		seg_load_task(c, S_FS, t.seg[S_FS], ext);
		seg_load_task(c, S_GS, t.seg[S_GS], ext);
	}

	if (has_err) {
		struct stk k;
		stk_current(c, &k);
		k.err_code = e;
		stk_push(c, &k, n32 ? 4 : 2, err);
		stk_commit_esp(c, &k);
	}
	if (c->s.eip > c->s.seg[S_CS].limit)
		cpu_raise(c, EX_GP, 1, e);
	if (t.trap) {
		/* Debug trap on entry (SDM vol. 3, 17.3.1.5): taken before the
		 * new task's first instruction, with DR6.BT set. */
		c->s.dr[6] |= 1u << 15;
		c->insn_eip = c->s.eip;
		c->insn_cs = c->s.seg[S_CS].sel;
		cpu_raise(c, EX_DB, 0, 0);
	}
}

void task_gate(struct cpu *c, struct desc gate, enum task_reason why, uint32_t next_eip,
	       int ext, int has_err, uint32_t err)
{
	uint16_t tsel = gate_sel(gate);
	uint32_t e = (tsel & 0xFFFCu) | (ext ? 1u : 0u);
	struct desc d;
	uint32_t addr, t;

	if (tsel & 4)
		cpu_raise(c, EX_GP, 1, e);
	desc_fetch(c, tsel, EX_GP, ext, &d, &addr);
	t = desc_type(d);
	if (desc_s(d) || (t != SYS_TSS16_AVAIL && t != SYS_TSS32_AVAIL))
		cpu_raise(c, EX_GP, 1, e);
	if (!desc_p(d))
		cpu_raise(c, EX_NP, 1, e);
	task_switch(c, tsel, d, addr, why, next_eip, ext, has_err, err);
}
