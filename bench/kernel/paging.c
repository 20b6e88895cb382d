/* paging.c - the kernel's page directory: the first 64 MiB identity-mapped
 * with 4 KiB pages (supervisor only, except the .user pages), and a small
 * pool of page tables the workloads take their windows from. */
#include "bench.h"

#define IDENTITY_MB 64
#define PGTABLE_POOL 32

u32 kernel_pgdir[1024] __attribute__((aligned(4096)));
static u32 pgtable_pool[PGTABLE_POOL][1024] __attribute__((aligned(4096)));
static int pgtable_used;

/* A zeroed page table from the pool (never freed: each boot runs one
 * workload). Running out is a bug in the kernel, reported as such. */
u32 *pgtable_alloc(void)
{
	if (pgtable_used == PGTABLE_POOL) {
		puts_("bench: out of page tables\n");
		power_off(EXIT_EXCEPTION);
	}
	return pgtable_pool[pgtable_used++];
}

/* Copy the identity-map PDEs into another page directory, so that every
 * address space sees the kernel at the same place. */
void pgdir_copy_kernel(u32 *pgdir)
{
	for (u32 i = 0; i < IDENTITY_MB / 4; i++)
		pgdir[i] = kernel_pgdir[i];
}

/* Build the identity map and turn paging on (CR0.PG, CR0.WP off as at
 * reset: nothing here depends on it). The PDEs carry U/S = 1 so that the
 * PTE alone decides which pages ring 3 may touch. */
void paging_init(void)
{
	u32 ustart = (u32)__user_start, uend = (u32)__user_end;

	for (u32 t = 0; t < IDENTITY_MB / 4; t++) {
		u32 *pt = pgtable_alloc();

		for (u32 i = 0; i < 1024; i++) {
			u32 pa = (t << 22) | (i << 12);
			u32 flags = PTE_P | PTE_W;

			if (pa >= ustart && pa < uend)
				flags |= PTE_U;
			pt[i] = pa | flags;
		}
		kernel_pgdir[t] = (u32)pt | PTE_P | PTE_W | PTE_U;
	}
	write_cr3((u32)kernel_pgdir);
	__asm__ volatile("mov %%cr0, %%eax\n\t"
			 "orl $0x80000000, %%eax\n\t"
			 "mov %%eax, %%cr0\n\t"
			 "jmp 1f\n1:" ::: "eax", "memory");
}
