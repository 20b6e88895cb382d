/* mem.c - segmented memory access: the segment limit and type checks of
 * the protected-mode rules (Intel SDM vol. 3, 5.3 and 5.4), then the MMU at
 * the current privilege.
 *
 * The descriptor cache holds the effective limit (granularity applied);
 * real mode and v86 mode use whatever limit is cached (64 KiB normally)
 * with no type checks. A segment register loaded with a null selector in
 * protected mode has P clear in its cache: any access through it is #GP(0).
 */
#include <string.h>
#include "core.h"
#include "../mmu/fastpath.h"

_Noreturn void seg_fault(struct cpu *c, int sreg)
{
	if (sreg == S_SS)
		cpu_raise(c, EX_SS, 1, 0);
	cpu_raise(c, EX_GP, 1, 0);
}

uint32_t seg_check(struct cpu *c, int sreg, uint32_t off, int size, int write)
{
	return seg_lin(c, sreg, off, size, write);
}

/* The slow halves of core.h's mem_read/mem_read_rmw/mem_write: the full
 * MMU access after a fast-path miss, #PF on failure. */
uint32_t mem_read_miss(struct cpu *c, uint32_t lin, int size, int user)
{
	uint32_t v;
	if (mmu_read(c->mmu, lin, size, user, &v))
		cpu_raise_pf(c);
	return v;
}

uint32_t mem_read_rmw_miss(struct cpu *c, uint32_t lin, int size, int user)
{
	uint32_t v;
	if (mmu_read_rmw(c->mmu, lin, size, user, &v))
		cpu_raise_pf(c);
	return v;
}

void mem_write_miss(struct cpu *c, uint32_t lin, int size, int user, uint32_t val)
{
	if (mmu_write(c->mmu, lin, size, user, val))
		cpu_raise_pf(c);
}

/* The contract's out-of-line entry points (cpu_internal.h) for the system
 * half; the core's own handlers use the inline forms directly. */
uint32_t cpu_read(struct cpu *c, int sreg, uint32_t off, int size)
{
	return mem_read(c, sreg, off, size);
}

uint32_t cpu_read_rmw(struct cpu *c, int sreg, uint32_t off, int size)
{
	return mem_read_rmw(c, sreg, off, size);
}

void cpu_write(struct cpu *c, int sreg, uint32_t off, int size, uint32_t val)
{
	mem_write(c, sreg, off, size, val);
}

/* The linear accessors of the system half (descriptor tables, TSS, stack
 * frames of interrupt delivery) go through the MMU's inline fast path too:
 * mmu_*_fast() are exactly mmu_read()/mmu_write() (fastpath.h), only
 * cheaper when the page is in the fast tables. The size is dispatched to
 * a constant first: with a variable size the fast path's copy is a byte
 * loop. */
static inline __attribute__((always_inline)) uint32_t read_lin(struct cpu *c, uint32_t lin, int size,
								 int user)
{
	uint32_t v;
	int f = size == 4 ? mmu_read_fast(c->mmu, lin, 4, user, &v) :
		size == 2 ? mmu_read_fast(c->mmu, lin, 2, user, &v) :
		size == 1 ? mmu_read_fast(c->mmu, lin, 1, user, &v) :
			    mmu_read_fast(c->mmu, lin, size, user, &v);
	if (f)
		cpu_raise_pf(c);
	return v;
}

static inline __attribute__((always_inline)) void write_lin(struct cpu *c, uint32_t lin, int size,
							      int user, uint32_t val)
{
	int f = size == 4 ? mmu_write_fast(c->mmu, lin, 4, user, val) :
		size == 2 ? mmu_write_fast(c->mmu, lin, 2, user, val) :
		size == 1 ? mmu_write_fast(c->mmu, lin, 1, user, val) :
			    mmu_write_fast(c->mmu, lin, size, user, val);
	if (f)
		cpu_raise_pf(c);
}

uint32_t cpu_read_lin_sys(struct cpu *c, uint32_t lin, int size) { return read_lin(c, lin, size, 0); }
void cpu_write_lin_sys(struct cpu *c, uint32_t lin, int size, uint32_t val) { write_lin(c, lin, size, 0, val); }
uint32_t cpu_read_lin(struct cpu *c, uint32_t lin, int size, int user) { return read_lin(c, lin, size, user); }
void cpu_write_lin(struct cpu *c, uint32_t lin, int size, int user, uint32_t val)
{
	write_lin(c, lin, size, user, val);
}
