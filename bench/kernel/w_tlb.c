/* w_tlb.c - TLB-miss-bound workload: 32 MiB mapped with 4 KiB pages at
 * TLB_VA; each iteration reads one word of every one of its 8192 pages
 * in a pseudo-random order, far more pages than any TLB holds. */
#include "bench.h"

#define TLB_VA    0x40000000u
#define TLB_PA    0x01000000u     /* frames 16 MiB .. 48 MiB */
#define TLB_PAGES 8192u

/* The order: an LCG modulo 2^13 with a = 1 (mod 4) and c odd has full
 * period (Knuth, TAOCP 3.2.1.2), so 8192 steps visit every page once. */
static inline u32 next_page(u32 p)
{
	return (p * 1664525u + 1013904223u) & (TLB_PAGES - 1);
}

/* The word read in page p: its offset moves with p so that the host's
 * caches do not see the same set every time. */
static inline u32 *word_of(u32 base, u32 p)
{
	return (u32 *)(base + p * PAGE_SIZE + ((p * 68) & 0xFFC));
}

u32 bench_tlb(u32 iters)
{
	for (u32 t = 0; t < TLB_PAGES / 1024; t++) {
		u32 *pt = pgtable_alloc();

		for (u32 i = 0; i < 1024; i++)
			pt[i] = (TLB_PA + ((t * 1024 + i) << 12)) | PTE_P | PTE_W;
		kernel_pgdir[PDX(TLB_VA) + t] = (u32)pt | PTE_P | PTE_W;
	}
	write_cr3((u32)kernel_pgdir);

	/* Known contents, written through the identity map. */
	for (u32 p = 0; p < TLB_PAGES; p++)
		*word_of(TLB_PA, p) = p * 2654435761u;

	u32 h = MIX_INIT, p = 0;

	for (u32 it = 0; it < iters; it++) {
		for (u32 k = 0; k < TLB_PAGES; k++) {
			h = mix(h, *(volatile u32 *)word_of(TLB_VA, p));
			p = next_page(p);
		}
	}
	return h;
}
