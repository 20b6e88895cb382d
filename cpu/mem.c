/* mem.c - segmented memory access: the segment limit and type checks of
 * the protected-mode rules (Intel SDM vol. 3, 5.3 and 5.4), then the MMU at
 * the current privilege.
 *
 * The descriptor cache holds the effective limit (granularity applied);
 * real mode and v86 mode use whatever limit is cached (64 KiB normally)
 * with no type checks. A segment register loaded with a null selector in
 * protected mode has P clear in its cache: any access through it is #GP(0).
 */
#include "core.h"
#include "../mmu/fastpath.h"

_Noreturn static void seg_fault(struct cpu *c, int sreg)
{
	if (sreg == S_SS)
		cpu_raise(c, EX_SS, 1, 0);
	cpu_raise(c, EX_GP, 1, 0);
}

/* Check [off, off+size) against segment sreg for a read (write = 0) or a
 * write (write = 1) and return the linear address. */
uint32_t seg_check(struct cpu *c, int sreg, uint32_t off, int size, int write)
{
	const struct seg_cache *s = &c->s.seg[sreg];
	uint32_t last = off + (uint32_t)size - 1;

	if (!(c->s.cr0 & CR0_PE) || (c->s.eflags & FL_VM)) {
		if (off > s->limit || last > s->limit || last < off)
			seg_fault(c, sreg);
		return s->base + off;
	}
	uint32_t fl = s->flags;
	if (!(fl & SEGF_P))
		seg_fault(c, sreg);
	uint32_t type = SEGF_TYPE(fl);
	if (write) {
		/* Code segments and read-only data cannot be written. */
		if ((type & 8) || !(type & 2))
			seg_fault(c, sreg);
	} else if ((type & 0xA) == 8) {
		seg_fault(c, sreg);           /* execute-only code */
	}
	if (!(type & 8) && (type & 4)) {
		/* Expand-down data: valid offsets are limit+1 .. 64K-1 or 4G-1. */
		uint32_t upper = (fl & SEGF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
		if (off <= s->limit || last > upper || last < off)
			seg_fault(c, sreg);
	} else if (off > s->limit || last > s->limit || last < off) {
		seg_fault(c, sreg);
	}
	return s->base + off;
}

uint32_t cpu_read(struct cpu *c, int sreg, uint32_t off, int size)
{
	uint32_t lin = seg_check(c, sreg, off, size, 0), v;
	if (mmu_read_fast(c->mmu, lin, size, c->cpl == 3, &v))
		cpu_raise_pf(c);
	return v;
}

/* The read half of a read-modify-write: the write checks apply (a
 * read-only segment faults before anything is read), and the MMU
 * translates with write intent. */
uint32_t cpu_read_rmw(struct cpu *c, int sreg, uint32_t off, int size)
{
	uint32_t lin = seg_check(c, sreg, off, size, 1), v;
	if (mmu_read_rmw_fast(c->mmu, lin, size, c->cpl == 3, &v))
		cpu_raise_pf(c);
	return v;
}

void cpu_write(struct cpu *c, int sreg, uint32_t off, int size, uint32_t val)
{
	uint32_t lin = seg_check(c, sreg, off, size, 1);
	if (mmu_write_fast(c->mmu, lin, size, c->cpl == 3, val))
		cpu_raise_pf(c);
}

uint32_t cpu_read_lin_sys(struct cpu *c, uint32_t lin, int size)
{
	uint32_t v;
	if (mmu_read(c->mmu, lin, size, 0, &v))
		cpu_raise_pf(c);
	return v;
}

void cpu_write_lin_sys(struct cpu *c, uint32_t lin, int size, uint32_t val)
{
	if (mmu_write(c->mmu, lin, size, 0, val))
		cpu_raise_pf(c);
}

uint32_t cpu_read_lin(struct cpu *c, uint32_t lin, int size, int user)
{
	uint32_t v;
	if (mmu_read(c->mmu, lin, size, user, &v))
		cpu_raise_pf(c);
	return v;
}

void cpu_write_lin(struct cpu *c, uint32_t lin, int size, int user, uint32_t val)
{
	if (mmu_write(c->mmu, lin, size, user, val))
		cpu_raise_pf(c);
}
