/* sys_fast.h - the system half's look into the MMU's fast tables
 * (mmu/fastpath.h), for the fast paths of interrupt delivery and IRET
 * (intr_fast.c). Not for use outside cpu/.
 *
 * A fast path first finds, without counting anything, the fast-table entry
 * that each of the general path's memory accesses would hit; when every
 * one of them would hit and every check passes, it counts the hits and
 * does the work. A fast-table hit is an mmu_read()/mmu_write() that
 * changes nothing but the hit count kept in the entry (fastpath.h), so a
 * run of hits leaves the tables as they were whatever their order: the
 * fast path may look entries up first and count them after, and the TLB
 * contents and statistics come out as the general path's. A check that
 * fails or an unusual descriptor makes it decline before it has changed
 * anything, and the general path runs from the start with every check,
 * fault and TLB effect of its own. An access that would miss is made
 * through the MMU at the point where the general path makes it, after the
 * hits before it have been counted (a miss may drop entries, which folds
 * their counts), and later lookups start again from there (intr_fast.c).
 */
#ifndef CPU_SYS_FAST_H
#define CPU_SYS_FAST_H

#include <string.h>
#include "sys_internal.h"
#include "../mmu/fastpath.h"

/* Test hook: while set, the fast paths decline and the general paths run
 * (tests compare the two). */
extern int sys_fast_off;

/* The fast-table entry that every access of 1, 2 or 4 bytes inside the
 * linear range [lin, lin + len) would hit (table `write`, privilege
 * `user`), or NULL when they would not all hit the same one: the entry
 * mmu_fast_lookup() gives for the range's first dword, when the range
 * stays in that page (each access inside it then finds the same entry by
 * its own first byte and passes the same tests). Counts nothing. */
static inline __attribute__((always_inline)) struct mmu_fast_entry *
sf_peek(const struct cpu *c, int write, int user, uint32_t lin, uint32_t len)
{
	if (__builtin_expect(((lin ^ (lin + len - 1)) & ~(PAGE_SIZE - 1)) != 0, 0))
		return NULL;
	return mmu_fast_lookup(c->mmu, write, user, lin, 4);
}

/* Host address of `lin` through a matching entry. */
static inline uint8_t *sf_host(const struct mmu_fast_entry *e, uint32_t lin)
{
	return (uint8_t *)((uintptr_t)lin + e->addend);
}

static inline uint32_t sf_ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint16_t sf_ld16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static inline void sf_st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* The entry holding the GDT descriptor `sel` names (the two dword reads
 * of desc_fetch()), with the descriptor in *d and its address in *addr;
 * NULL for a null selector, an LDT selector, one beyond the GDT limit, or
 * a descriptor not in the read table (supervisor); *d is then 0. */
static inline __attribute__((always_inline)) struct mmu_fast_entry *
sf_gdt_desc(const struct cpu *c, uint16_t sel, struct desc *d, uint32_t *addr)
{
	uint32_t index = sel & ~7u;
	struct mmu_fast_entry *e;

	d->lo = d->hi = 0;
	*addr = c->s.gdtr_base + index;
	if ((sel & ~3u) == 0 || (sel & 4) || index + 7 > c->s.gdtr_limit)
		return NULL;
	e = sf_peek(c, 0, 0, *addr, 8);
	if (e) {
		const uint8_t *p = sf_host(e, *addr);
		d->lo = sf_ld32(p);
		d->hi = sf_ld32(p + 4);
	}
	return e;
}

/* ---- intr_fast.c */

/* Protected-mode delivery through a present 32-bit interrupt or trap gate
 * to a non-conforming code segment whose accessed bit is set, at the same
 * privilege or to an inner one with the TSS stack (32-bit TSS, a present
 * writable expand-up 32-bit stack segment already accessed). Returns 0,
 * having changed nothing, when it declines at once; 1 when the delivery
 * is done (or has raised), exactly as prot_deliver() would have done it:
 * where the gate or the code descriptor is not in the fast tables it
 * reads them through the MMU, as the general path does, and where the
 * case then turns out not to be one of its own it finishes in
 * prot_deliver_gate() or prot_deliver_code(). Not in v86 mode. */
int intr_fast_deliver(struct cpu *c, int vec, enum intr_kind kind, int has_err, uint32_t err,
		      uint32_t ret_eip);
/* A 32-bit IRET in protected mode with NT clear, not in v86 mode (the
 * caller's tests), to the same privilege or an outer one, to a
 * non-conforming code segment and (outer) a present writable expand-up
 * 32-bit stack segment, both from the GDT with their accessed bits set,
 * with the frame in the fast tables and EFLAGS.VM clear in the image.
 * `mask`: the EFLAGS bits this IRET may write at the current CPL
 * (iret_mask() without the model's limits, which cpu_set_eflags()
 * applies). Returns 0, having changed nothing, when it declines; 1 when
 * the IRET is done (or has raised) exactly as iret_prot() would have done
 * it (a CS descriptor not in the fast tables is read through the MMU, and
 * the general path's iret_prot_tail() finishes what is not plain then). */
int iret_fast(struct cpu *c, uint32_t mask);

/* ---- intr.c: the general paths' later stages, for intr_fast.c. */

/* Delivery after the gate's read: its checks, the code segment's
 * descriptor read, then prot_deliver_code(). */
void prot_deliver_gate(struct cpu *c, int vec, enum intr_kind kind, int has_err, uint32_t err,
		       uint32_t ret_eip, struct desc gate);
/* Delivery after the code segment's descriptor read (cd at cd_addr):
 * its checks, the stack, the frame, the new state. */
void prot_deliver_code(struct cpu *c, enum intr_kind kind, int has_err, uint32_t err,
		       uint32_t ret_eip, struct desc gate, struct desc cd, uint32_t cd_addr);
/* IRET (opsize 16/32) after the frame's pops (k past them) and the read
 * of CS's descriptor: ret_check_cs()'s checks and the rest of iret_prot(). */
void iret_prot_tail(struct cpu *c, int opsize, struct stk *k, uint32_t eip, uint16_t cs,
		    uint32_t fl, struct desc cd, uint32_t cd_addr);

#endif
