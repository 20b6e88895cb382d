/* sys_internal.h - helpers shared by the files of the system half of cpu/
 * (seg.c, desc.c, stkframe.c, far.c, intr.c, task.c, sysinsn.c, model.c, io.c,
 * v86.c). Not for the core half, not for use outside cpu/.
 *
 * Descriptor layout (Intel SDM vol. 3, 3.4.5), as two little-endian dwords:
 *   lo: limit 15:0 (0-15), base 15:0 (16-31)
 *   hi: base 23:16 (0-7), type (8-11), S (12), DPL (13-14), P (15),
 *       limit 19:16 (16-19), AVL (20), 0 (21), D/B (22), G (23), base 31:24
 * Gate layout: lo: offset 15:0, selector (16-31); hi: param count (0-4),
 *   type (8-11), DPL, P, offset 31:16 (16-31).
 */
#ifndef CPU_SYS_INTERNAL_H
#define CPU_SYS_INTERNAL_H

#include "cpu_internal.h"

struct desc {
	uint32_t lo, hi;
};

/* Descriptor types with S = 0 (system). */
enum {
	SYS_TSS16_AVAIL = 1, SYS_LDT = 2, SYS_TSS16_BUSY = 3, SYS_CALLGATE16 = 4,
	SYS_TASKGATE = 5, SYS_INTGATE16 = 6, SYS_TRAPGATE16 = 7,
	SYS_TSS32_AVAIL = 9, SYS_TSS32_BUSY = 11, SYS_CALLGATE32 = 12,
	SYS_INTGATE32 = 14, SYS_TRAPGATE32 = 15
};

/* Type bits of code/data descriptors (S = 1). */
#define DT_ACCESSED 1u
#define DT_W        2u   /* data: writable */
#define DT_R        2u   /* code: readable */
#define DT_E        4u   /* data: expand-down */
#define DT_C        4u   /* code: conforming */
#define DT_CODE     8u

static inline uint32_t desc_type(struct desc d) { return (d.hi >> 8) & 0xF; }
static inline int desc_s(struct desc d) { return (d.hi >> 12) & 1; }
static inline int desc_dpl(struct desc d) { return (d.hi >> 13) & 3; }
static inline int desc_p(struct desc d) { return (d.hi >> 15) & 1; }
static inline uint32_t desc_base(struct desc d)
{
	return (d.lo >> 16) | ((d.hi & 0xFF) << 16) | (d.hi & 0xFF000000u);
}
/* Limit in bytes, granularity applied. */
static inline uint32_t desc_limit(struct desc d)
{
	uint32_t lim = (d.lo & 0xFFFF) | (d.hi & 0x000F0000u);
	if (d.hi & SEGF_G)
		lim = (lim << 12) | 0xFFF;
	return lim;
}
static inline int desc_is_code(struct desc d) { return desc_s(d) && (desc_type(d) & DT_CODE); }
static inline int desc_is_data(struct desc d) { return desc_s(d) && !(desc_type(d) & DT_CODE); }
static inline int desc_is_conforming(struct desc d)
{
	return desc_is_code(d) && (desc_type(d) & DT_C);
}
/* Gate fields. */
static inline uint16_t gate_sel(struct desc d) { return (uint16_t)(d.lo >> 16); }
static inline uint32_t gate_off(struct desc d, int is32)
{
	return is32 ? ((d.lo & 0xFFFF) | (d.hi & 0xFFFF0000u)) : (d.lo & 0xFFFF);
}
static inline int gate_params(struct desc d) { return d.hi & 0x1F; }

static inline int sys_is_tss(uint32_t type)
{
	return type == SYS_TSS16_AVAIL || type == SYS_TSS16_BUSY ||
	       type == SYS_TSS32_AVAIL || type == SYS_TSS32_BUSY;
}

/* ---- desc.c */

/* Read the descriptor that `sel` names from the GDT or the LDT. A selector
 * whose index lies beyond the table limit (or that names an LDT while LDTR is
 * unusable) raises `vec` with error code (sel & ~3) | ext. On success stores
 * the descriptor and its linear address (for later accessed/busy writes). */
void desc_fetch(struct cpu *c, uint16_t sel, int vec, int ext, struct desc *d, uint32_t *addr);
/* As desc_fetch but returns 0 instead of raising for a limit violation
 * (LAR/LSL/VERR/VERW). Page faults still raise. */
int desc_try_fetch(struct cpu *c, uint16_t sel, struct desc *d, uint32_t *addr);
/* The processor sets the accessed bit with a locked write of the type byte
 * only when it is clear (SDM 3.4.5.1); a write fault here is possible when
 * the GDT page is read-only for the supervisor and CR0.WP is set. Inline:
 * every segment load asks, and the bit is nearly always set already. */
static inline void desc_set_accessed(struct cpu *c, uint32_t addr, struct desc *d)
{
	if (!desc_s(*d) || (d->hi & (DT_ACCESSED << 8)))
		return;
	d->hi |= DT_ACCESSED << 8;
	cpu_write_lin_sys(c, addr + 5, 1, (d->hi >> 8) & 0xFF);
}
/* Write the high dword back (busy bit changes). */
void desc_write_hi(struct cpu *c, uint32_t addr, uint32_t hi);
/* Fill a segment cache from a descriptor. */
static inline void desc_to_cache(struct desc d, uint16_t sel, struct seg_cache *sc)
{
	sc->sel = sel;
	sc->base = desc_base(d);
	sc->limit = desc_limit(d);
	sc->flags = d.hi & 0x00FFFF00u;
}
/* The unusable (null-loaded) cache: P = 0, so the core refuses accesses. */
void seg_cache_null(struct seg_cache *sc, uint16_t sel);

/* ---- seg.c */

/* Protected-mode SS load check for a stack switch (interrupt, call gate,
 * task switch): new SS must be non-null, RPL == DPL == `cpl`, writable data,
 * present. Failures raise `vec` (#TS or #GP) with sel|ext, not present #SS. */
void seg_check_stack(struct cpu *c, uint16_t sel, int cpl, int vec, int ext, struct desc *d,
		     uint32_t *addr);
/* After a return to an outer level: null each of ES, DS, FS, GS whose
 * descriptor is data or non-conforming code with DPL < the new CPL. */
void seg_null_outer(struct cpu *c);
/* Load CS from a checked descriptor, set CPL, tell the core when the
 * default operand size or mode changed. */
void seg_load_cs(struct cpu *c, uint16_t sel, struct desc d, uint32_t addr, int cpl);
/* Load a register from a checked descriptor (accessed bit written). */
void seg_commit(struct cpu *c, int sreg, uint16_t sel, struct desc *d, uint32_t addr);
/* Task-switch flavour of the data/stack segment load: errors raise #TS
 * (or #NP/#SS for not present) as the task-switch pseudo-code says. */
void seg_load_task(struct cpu *c, int sreg, uint16_t sel, int ext);

/* ---- stkframe.c: pushes/pops on an explicit stack (not yet committed) */

struct stk {
	struct seg_cache ss;  /* the stack segment */
	uint32_t esp;         /* running stack pointer */
	int user;             /* paging privilege of the accesses */
	int err_vec;          /* exception for a limit violation (#SS) */
	uint32_t err_code;    /* its error code */
};
/* The offset mask of the stack size: ESP wraps at 64 KiB on a 16-bit stack. */
static inline uint32_t stk_mask(const struct stk *k)
{
	return (k->ss.flags & SEGF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
}
/* Start from the current SS:ESP at the current CPL. */
static inline void stk_current(struct cpu *c, struct stk *k)
{
	k->ss = c->s.seg[S_SS];
	k->esp = c->s.gpr[R_ESP];
	k->user = c->cpl == 3;
	k->err_vec = EX_SS;
	k->err_code = 0;
}
/* Is [off, off+len) inside the segment (off already masked)? */
static inline int stk_range_ok(const struct stk *k, uint32_t off, uint32_t len)
{
	uint32_t top = stk_mask(k);
	uint32_t last = off + len - 1;

	if (off > top || last > top || last < off)
		return 0;
	if ((k->ss.flags & SEGF_S) && !(SEGF_TYPE(k->ss.flags) & DT_CODE) &&
	    (SEGF_TYPE(k->ss.flags) & DT_E))
		return off > k->ss.limit;
	return last <= k->ss.limit;
}
/* Check that `bytes` more bytes can be pushed (limit, expand-down). */
void stk_check_push(struct cpu *c, const struct stk *k, uint32_t bytes);
/* Check that `bytes` at the current top can be popped. */
void stk_check_pop(struct cpu *c, const struct stk *k, uint32_t bytes);
/* Each push and pop checks its own slot too, as the frame checks do not
 * cover every caller's use (inline: delivery and IRET push and pop a few
 * slots each). */
static inline void stk_push(struct cpu *c, struct stk *k, int size, uint32_t val)
{
	uint32_t mask = stk_mask(k);
	uint32_t off = (k->esp - (uint32_t)size) & mask;

	if (!stk_range_ok(k, off, (uint32_t)size))
		cpu_raise(c, k->err_vec, 1, k->err_code);
	cpu_write_lin(c, k->ss.base + off, size, k->user, val);
	k->esp = (k->esp & ~mask) | off;
}
/* Read without moving ESP: `off` bytes above the current top. */
static inline uint32_t stk_peek(struct cpu *c, const struct stk *k, uint32_t off, int size)
{
	uint32_t mask = stk_mask(k);
	uint32_t o = (k->esp + off) & mask;

	if (!stk_range_ok(k, o, (uint32_t)size))
		cpu_raise(c, k->err_vec, 1, k->err_code);
	return cpu_read_lin(c, k->ss.base + o, size, k->user);
}
static inline uint32_t stk_pop(struct cpu *c, struct stk *k, int size)
{
	uint32_t mask = stk_mask(k);
	uint32_t v = stk_peek(c, k, 0, size);

	k->esp = (k->esp & ~mask) | ((k->esp + (uint32_t)size) & mask);
	return v;
}
/* Push and pop within a frame that stk_check_push()/stk_check_pop() has
 * just accepted as a whole. On a 32-bit stack (B set: no 64 KiB wrap) every
 * slot of an accepted frame lies inside it, so stk_push()'s per-slot check
 * could not fail and is skipped; a 16-bit stack, where a slot may straddle
 * the wrap and fail on its own, keeps it. */
static inline __attribute__((always_inline)) void stk_push_in_frame(struct cpu *c, struct stk *k,
								      int size, uint32_t val)
{
	if (__builtin_expect((k->ss.flags & SEGF_DB) != 0, 1)) {
		k->esp -= (uint32_t)size;
		cpu_write_lin(c, k->ss.base + k->esp, size, k->user, val);
		return;
	}
	stk_push(c, k, size, val);
}
static inline __attribute__((always_inline)) uint32_t stk_pop_in_frame(struct cpu *c, struct stk *k,
									 int size)
{
	if (__builtin_expect((k->ss.flags & SEGF_DB) != 0, 1)) {
		uint32_t v = cpu_read_lin(c, k->ss.base + k->esp, size, k->user);
		k->esp += (uint32_t)size;
		return v;
	}
	return stk_pop(c, k, size);
}

/* Move the stack pointer by `delta` bytes (wrapping as the stack size says). */
static inline void stk_adjust(struct stk *k, uint32_t delta)
{
	uint32_t mask = stk_mask(k);

	k->esp = (k->esp & ~mask) | ((k->esp + delta) & mask);
}
/* Store k->esp into ESP (low 16 bits only for a 16-bit stack). */
static inline void stk_commit_esp(struct cpu *c, const struct stk *k)
{
	uint32_t mask = stk_mask(k);

	c->s.gpr[R_ESP] = (c->s.gpr[R_ESP] & ~mask) | (k->esp & mask);
}

/* ---- task.c */

enum task_reason { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT };
/* Switch to the task whose TSS descriptor (already fetched at `addr`, type
 * and presence checked by the caller) is `d`. `next_eip` is the EIP saved in
 * the old TSS. For TASK_INT with has_err, the error code is pushed on the
 * new task's stack. */
void task_switch(struct cpu *c, uint16_t sel, struct desc d, uint32_t addr,
		 enum task_reason why, uint32_t next_eip, int ext, int has_err, uint32_t err);
/* The inner-level stack (SS:ESP for privilege `dpl`) from the current
 * TSS, 32- or 16-bit; #TS(TR selector | ext) if the TSS is too short. */
void tss_stack(struct cpu *c, int dpl, uint16_t *ss, uint32_t *esp, int ext);
/* Via a task gate: fetch and check the TSS the gate names (#GP/#NP). */
void task_gate(struct cpu *c, struct desc gate, enum task_reason why, uint32_t next_eip,
	       int ext, int has_err, uint32_t err);

/* ---- v86.c */

/* IRET from CPL 0 to virtual-8086 mode: the remaining frame (ESP, SS, ES,
 * DS, FS, GS) is popped from k; EIP, CS and EFLAGS were popped already. */
/* Far RET / IRET helpers (far.c): check the return CS; pop and load the
 * outer SS:ESP. */
void ret_check_cs(struct cpu *c, uint16_t cs, struct desc *cd, uint32_t *cd_addr);
/* Its checks of the descriptor read (type, RPL/DPL/CPL, present). */
void ret_check_cs_desc(struct cpu *c, uint16_t cs, struct desc cd);
uint32_t ret_to_outer(struct cpu *c, struct stk *k, int size, uint16_t cs,
		      struct desc cd, uint32_t cd_addr, uint32_t eip);

void v86_enter_from_iret(struct cpu *c, struct stk *k, uint32_t eip, uint16_t cs,
			 uint32_t eflags);
/* Load ES/CS/SS/DS/FS/GS as v86 (real-style) segments: base sel<<4, limit
 * 0xFFFF, DPL 3 data. */
void v86_load_seg(struct cpu *c, int sreg, uint16_t sel);

/* ---- model.c (sys_eflags_mask and sys_tsc are in cpu_internal.h) */

/* CPUID leaf 1 EDX for a model: exactly the features implemented. */
uint32_t cpuid_features(enum cpu_model m);

/* Set c->cpl from the current mode and CS. */
void sys_update_cpl(struct cpu *c);

/* ---- sysinsn.c */

/* sys_require_cpl0() is in cpu_internal.h (the core uses it too). */
/* #UD in real mode and in virtual-8086 mode (LLDT, LTR, LAR, ...). */
void sys_require_pmode(struct cpu *c);

#endif
