/* fastpath.h - inline versions of mmu_read/mmu_write for the CPU's hot path.
 *
 * Contract between mmu/ (owner) and cpu/. Semantics are exactly those of
 * mmu_read(), mmu_write() and mmu_read_rmw() in mmu.h (same results, same
 * faults, same TLB contents and statistics); only the cost differs.
 *
 * How it works (TinyEMU-style): per kind (read; write, also used by the
 * read half of a read-modify-write) and privilege (user 0/1) there is a
 * direct-mapped table of MMU_FAST_SIZE entries indexed by the linear page
 * number. An entry holds the linear page as its tag and the difference
 * between the host address of the frame and the linear page (the addend),
 * so a hit is a compare, an add and a load. Each entry stands for one entry
 * of the architectural TLB model and is dropped whenever the model evicts,
 * flushes or invalidates that entry, or when it stops being the one whose
 * hit changes no replacement state (see docs/mmu.md, "fast path"). A hit
 * also counts as a TLB hit: it is counted in the fast entry itself (one
 * increment on the line already loaded for the tag) and folded into the
 * architectural entry's count when the fast entry goes away; the
 * statistics and inspection functions add the counts still held here, so
 * every figure is the same with the fast path on or off.
 *
 * Entries are only installed for plain RAM frames; for writes only through
 * a TLB entry whose D bit is set and only to frames not marked as code, so
 * MMIO, ROM, the smc hook and A/D updates always take the full path.
 */
#ifndef MMU_FASTPATH_H
#define MMU_FASTPATH_H

#include <stdint.h>
#include <string.h>
#include "mmu.h"

#define MMU_FAST_BITS 8
#define MMU_FAST_SIZE (1u << MMU_FAST_BITS)
#define MMU_FAST_INVALID 1u   /* never a page-aligned tag */
/* A fast entry whose TLB entry stopped being its set's most recently used
 * in the fused hit (mmu/hit.h) is disarmed rather than emptied: its tag
 * becomes the page | MMU_FAST_DISARMED, which no lookup matches, and it
 * keeps its owner, frame and pending hits, so that the next fused hit on
 * that entry only has to clear the bit again. */
#define MMU_FAST_DISARMED 2u

struct mmu_fast_entry {
	uint32_t tag;        /* linear page base, or MMU_FAST_INVALID */
	uint32_t ppage;      /* physical page base (A20 applied) */
	uintptr_t addend;    /* host address = linear address + addend */
	uint64_t hits;       /* hits not yet folded into the owner's count */
	void *owner;         /* the architectural entry (NULL: paging off) */
};

/* The fast tables are the first member of struct mmu. The flush
 * generation lives here too, so that the CPU's per-instruction check of it
 * is a load rather than a call. */
struct mmu_fast {
	struct mmu_fast_entry t[2][2][MMU_FAST_SIZE]; /* [write][user][page & mask] */
	uint64_t gen;        /* what mmu_generation() returns */
	int *gen_notify;     /* set to 1 on every change of gen (mmu_set_gen_notify) */
};

/* As mmu_generation(), inline. */
static inline uint64_t mmu_generation_fast(const struct mmu *m)
{
	return ((const struct mmu_fast *)(const void *)m)->gen;
}

/* Host load/store of 1, 2 or 4 bytes (little-endian host). A switch
 * rather than memcpy with a variable size, which compilers turn into a
 * call or a byte loop when the size is not a constant. */
static inline uint32_t mmu_host_load(const uint8_t *p, int size)
{
	if (size == 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	if (size == 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		return v;
	}
	return *p;
}
static inline void mmu_host_store(uint8_t *p, int size, uint32_t val)
{
	if (size == 4) {
		memcpy(p, &val, 4);
	} else if (size == 2) {
		uint16_t v = (uint16_t)val;
		memcpy(p, &v, 2);
	} else {
		*p = (uint8_t)val;
	}
}

static inline struct mmu_fast_entry *mmu_fast_lookup(struct mmu *m, int write, int user,
						     uint32_t lin, int size)
{
	struct mmu_fast *f = (struct mmu_fast *)(void *)m;
	struct mmu_fast_entry *e = &f->t[write][user != 0][(lin >> PAGE_SHIFT) & (MMU_FAST_SIZE - 1)];
	/* Sizes 1, 2 and 4 only: mmu_read() widens any other size to 4. */
	if (__builtin_expect((size == 1 || size == 2 || size == 4) && e->tag == (lin & ~(PAGE_SIZE - 1)) &&
			     (lin & (PAGE_SIZE - 1)) <= PAGE_SIZE - (uint32_t)size, 1))
		return e;
	return NULL;
}

/* As mmu_read(). */
static inline int mmu_read_fast(struct mmu *m, uint32_t lin, int size, int user, uint32_t *val)
{
	struct mmu_fast_entry *e = mmu_fast_lookup(m, 0, user, lin, size);
	if (e) {
		const uint8_t *p = (const uint8_t *)((uintptr_t)lin + e->addend);
		e->hits++;
		*val = mmu_host_load(p, size);
		return 0;
	}
	return mmu_read(m, lin, size, user, val);
}

/* As mmu_read_rmw(). */
static inline int mmu_read_rmw_fast(struct mmu *m, uint32_t lin, int size, int user, uint32_t *val)
{
	struct mmu_fast_entry *e = mmu_fast_lookup(m, 1, user, lin, size);
	if (e) {
		const uint8_t *p = (const uint8_t *)((uintptr_t)lin + e->addend);
		e->hits++;
		*val = mmu_host_load(p, size);
		return 0;
	}
	return mmu_read_rmw(m, lin, size, user, val);
}

/* As mmu_write(). */
static inline int mmu_write_fast(struct mmu *m, uint32_t lin, int size, int user, uint32_t val)
{
	struct mmu_fast_entry *e = mmu_fast_lookup(m, 1, user, lin, size);
	if (e) {
		uint8_t *p = (uint8_t *)((uintptr_t)lin + e->addend);
		mmu_host_store(p, size, val);
		e->hits++;
		return 0;
	}
	return mmu_write(m, lin, size, user, val);
}

#endif
