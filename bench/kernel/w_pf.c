/* w_pf.c - page-fault storm: every access in a 4 MiB window at PF_VA hits
 * a not-present PTE; the #PF handler maps a frame from a small pool at
 * CR2, the access is restarted and completes, and the loop unmaps the page
 * again (PTE = 0, INVLPG). Half the accesses read, half write. */
#include "bench.h"

#define PF_VA      0x80000000u
#define POOL_PA    0x03000000u    /* 64 frames at 48 MiB */
#define POOL_SIZE  64u
#define PER_ITER   256u

static u32 *pf_pt;
static u32 faults, fault_hash = MIX_INIT;

/* Map the next pool frame at the faulting page; fold CR2 and the error
 * code (P = 0, W/R as the access, U/S = 0) into the fault hash. */
static void pf_map(struct trap_frame *f)
{
	u32 cr2 = read_cr2();

	if (cr2 - PF_VA >= 1024 * PAGE_SIZE || (f->error & 1)) {
		puts_("bench: page fault outside the window, cr2 ");
		puthex(cr2);
		puts_(" error ");
		puthex(f->error);
		puts_("\n");
		power_off(EXIT_EXCEPTION);
	}
	pf_pt[PTX(cr2)] = (POOL_PA + (faults % POOL_SIZE) * PAGE_SIZE) | PTE_P | PTE_W;
	faults++;
	fault_hash = mix(mix(fault_hash, cr2), f->error);
}

u32 bench_pf(u32 iters)
{
	u32 *pool = (u32 *)POOL_PA;

	for (u32 i = 0; i < POOL_SIZE * 1024; i++)
		pool[i] = 0;
	pf_pt = pgtable_alloc();
	kernel_pgdir[PDX(PF_VA)] = (u32)pf_pt | PTE_P | PTE_W;
	write_cr3((u32)kernel_pgdir);
	pf_hook = pf_map;

	u32 h = MIX_INIT;

	for (u32 it = 0; it < iters; it++) {
		for (u32 j = 0; j < PER_ITER; j++) {
			u32 page = (j * 389 + it * 7) & 1023;
			u32 va = PF_VA + page * PAGE_SIZE + (j & 63) * 4;
			volatile u32 *p = (volatile u32 *)va;

			if (j & 1)
				*p = j ^ it;
			else
				h = mix(h, *p);
			pf_pt[page] = 0;
			invlpg(va);
		}
	}
	if (faults != iters * PER_ITER) {
		puts_("bench: wrong number of page faults: ");
		putdec(faults);
		puts_("\n");
		power_off(EXIT_EXCEPTION);
	}
	return mix(h, fault_hash);
}
