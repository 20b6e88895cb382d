/* stkframe.c - pushes and pops on an explicitly described stack, for frames
 * built before anything is committed (interrupt delivery to an inner level,
 * call gates, returns to an outer level, task-switch error codes). The
 * core's stack.c does the ordinary PUSH/POP instructions.
 *
 * Limit rules (SDM vol. 3, 3.4.5.1 and 5.3): an expand-up stack allows
 * offsets 0..limit; an expand-down one allows limit+1..0xFFFF, or
 * ..0xFFFFFFFF when B is set. ESP wraps at 64 KiB on a 16-bit stack.
 *
 * The single-slot pushes and pops are inline in sys_internal.h; the
 * whole-frame checks, which split a 16-bit frame that wraps, are here.
 */
#include "sys_internal.h"

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
