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

_Noreturn static void seg_fault(struct cpu *c, int sreg)
{
	if (sreg == S_SS)
		cpu_raise(c, EX_SS, 1, 0);
	cpu_raise(c, EX_GP, 1, 0);
}

/* Check [off, off+size) against segment sreg for a read (write = 0) or a
 * write (write = 1) and return the linear address. Inlined into the
 * accessors below; the common protected-mode expand-up case is a handful
 * of compares. */
static inline uint32_t seg_lin(struct cpu *c, int sreg, uint32_t off, int size, int write)
{
	const struct seg_cache *s = &c->s.seg[sreg];
	uint32_t last = off + (uint32_t)size - 1;

	if (__builtin_expect((c->s.cr0 & CR0_PE) && !(c->s.eflags & FL_VM), 1)) {
		uint32_t fl = s->flags;
		uint32_t type = SEGF_TYPE(fl);
		if (!(fl & SEGF_P))
			seg_fault(c, sreg);
		if (write) {
			/* Code segments and read-only data cannot be written. */
			if ((type & 0xA) != 0x2)
				seg_fault(c, sreg);
		} else if ((type & 0xA) == 8) {
			seg_fault(c, sreg);           /* execute-only code */
		}
		if (__builtin_expect((type & 0xC) == 4, 0)) {
			/* Expand-down data: valid offsets limit+1 .. 64K-1 or 4G-1. */
			uint32_t upper = (fl & SEGF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
			if (off <= s->limit || last > upper || last < off)
				seg_fault(c, sreg);
			return s->base + off;
		}
	}
	if (last > s->limit || last < off)
		seg_fault(c, sreg);
	return s->base + off;
}

uint32_t seg_check(struct cpu *c, int sreg, uint32_t off, int size, int write)
{
	return seg_lin(c, sreg, off, size, write);
}

/* The MMU's inline fast path (mmu/fastpath.h) with a fixed-size copy per
 * operand size; misses take the full mmu_read/mmu_read_rmw/mmu_write. */
static inline uint32_t load_host(const uint8_t *p, int size)
{
	uint32_t v;
	if (size == 4) {
		memcpy(&v, p, 4);
	} else if (size == 2) {
		uint16_t w;
		memcpy(&w, p, 2);
		v = w;
	} else {
		v = *p;
	}
	return v;
}

uint32_t cpu_read(struct cpu *c, int sreg, uint32_t off, int size)
{
	uint32_t lin = seg_lin(c, sreg, off, size, 0), v;
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 0, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		++*e->hits;
		return load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);
	}
	if (mmu_read(c->mmu, lin, size, user, &v))
		cpu_raise_pf(c);
	return v;
}

/* The read half of a read-modify-write: the write checks apply (a
 * read-only segment faults before anything is read), and the MMU
 * translates with write intent. */
uint32_t cpu_read_rmw(struct cpu *c, int sreg, uint32_t off, int size)
{
	uint32_t lin = seg_lin(c, sreg, off, size, 1), v;
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 1, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		++*e->hits;
		return load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);
	}
	if (mmu_read_rmw(c->mmu, lin, size, user, &v))
		cpu_raise_pf(c);
	return v;
}

void cpu_write(struct cpu *c, int sreg, uint32_t off, int size, uint32_t val)
{
	uint32_t lin = seg_lin(c, sreg, off, size, 1);
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 1, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		uint8_t *p = (uint8_t *)((uintptr_t)lin + e->addend);
		++*e->hits;
		if (size == 4) {
			memcpy(p, &val, 4);
		} else if (size == 2) {
			uint16_t w = (uint16_t)val;
			memcpy(p, &w, 2);
		} else {
			*p = (uint8_t)val;
		}
		return;
	}
	if (mmu_write(c->mmu, lin, size, user, val))
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
