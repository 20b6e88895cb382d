/* stkframe.c - pushes and pops on an explicitly described stack, for frames
 * built before anything is committed (interrupt delivery to an inner level,
 * call gates, returns to an outer level, task-switch error codes). The
 * core's stack.c does the ordinary PUSH/POP instructions.
 *
 * Limit rules (SDM vol. 3, 3.4.5.1 and 5.3): an expand-up stack allows
 * offsets 0..limit; an expand-down one allows limit+1..0xFFFF, or
 * ..0xFFFFFFFF when B is set. ESP wraps at 64 KiB on a 16-bit stack.
 */
#include "sys_internal.h"

static uint32_t stk_mask(const struct stk *k)
{
	return (k->ss.flags & SEGF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
}

void stk_current(struct cpu *c, struct stk *k)
{
	k->ss = c->s.seg[S_SS];
	k->esp = c->s.gpr[R_ESP];
	k->user = c->cpl == 3;
	k->err_vec = EX_SS;
	k->err_code = 0;
}

/* Is [off, off+len) inside the segment? */
static int stk_range_ok(const struct stk *k, uint32_t off, uint32_t len)
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

void stk_check_push(struct cpu *c, const struct stk *k, uint32_t bytes)
{
	uint32_t mask = stk_mask(k);
	uint32_t off = (k->esp - bytes) & mask;

	/* A 16-bit frame that wraps below 0 splits; check each part. */
	if (off + bytes - 1 > mask) {
		if (!stk_range_ok(k, off, mask - off + 1) ||
		    !stk_range_ok(k, 0, bytes - (mask - off + 1)))
			cpu_raise(c, k->err_vec, 1, k->err_code);
		return;
	}
	if (!stk_range_ok(k, off, bytes))
		cpu_raise(c, k->err_vec, 1, k->err_code);
}

void stk_check_pop(struct cpu *c, const struct stk *k, uint32_t bytes)
{
	uint32_t mask = stk_mask(k);
	uint32_t off = k->esp & mask;

	if (off + bytes - 1 > mask) {
		if (!stk_range_ok(k, off, mask - off + 1) ||
		    !stk_range_ok(k, 0, bytes - (mask - off + 1)))
			cpu_raise(c, k->err_vec, 1, k->err_code);
		return;
	}
	if (!stk_range_ok(k, off, bytes))
		cpu_raise(c, k->err_vec, 1, k->err_code);
}

void stk_push(struct cpu *c, struct stk *k, int size, uint32_t val)
{
	uint32_t mask = stk_mask(k);
	uint32_t off = (k->esp - (uint32_t)size) & mask;

	if (!stk_range_ok(k, off, (uint32_t)size))
		cpu_raise(c, k->err_vec, 1, k->err_code);
	cpu_write_lin(c, k->ss.base + off, size, k->user, val);
	k->esp = (k->esp & ~mask) | off;
}

uint32_t stk_peek(struct cpu *c, const struct stk *k, uint32_t off, int size)
{
	uint32_t mask = stk_mask(k);
	uint32_t o = (k->esp + off) & mask;

	if (!stk_range_ok(k, o, (uint32_t)size))
		cpu_raise(c, k->err_vec, 1, k->err_code);
	return cpu_read_lin(c, k->ss.base + o, size, k->user);
}

uint32_t stk_pop(struct cpu *c, struct stk *k, int size)
{
	uint32_t mask = stk_mask(k);
	uint32_t v = stk_peek(c, k, 0, size);

	k->esp = (k->esp & ~mask) | ((k->esp + (uint32_t)size) & mask);
	return v;
}

void stk_adjust(struct stk *k, uint32_t delta)
{
	uint32_t mask = stk_mask(k);

	k->esp = (k->esp & ~mask) | ((k->esp + delta) & mask);
}

void stk_commit_esp(struct cpu *c, const struct stk *k)
{
	uint32_t mask = stk_mask(k);

	c->s.gpr[R_ESP] = (c->s.gpr[R_ESP] & ~mask) | (k->esp & mask);
}
