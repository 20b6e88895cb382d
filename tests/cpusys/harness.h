/* harness.h - a stand-in for the core half and the MMU so the system half
 * can be tested on its own: flat linear == physical memory (1 MiB), pages
 * that can be marked not-present (to provoke #PF), cpu_raise() recording
 * the exception and longjmp-ing to c->jmp, and MMU calls recorded.
 */
#ifndef TESTS_CPUSYS_HARNESS_H
#define TESTS_CPUSYS_HARNESS_H

#include <setjmp.h>
#include <stdint.h>
#include "sys_internal.h"

#define H_RAM_SIZE 0x100000u

extern uint8_t h_ram[H_RAM_SIZE];
/* Last exception raised: vector (-1: none), whether it had an error code. */
extern volatile int h_exc, h_exc_has_err;
extern volatile uint32_t h_exc_err;
/* MMU calls seen. */
extern int h_cr0_calls, h_cr3_calls, h_cr4_calls, h_invlpg_calls, h_code_changed;
extern uint32_t h_mmu_cr3, h_mmu_cr4, h_invlpg_lin, h_tr[8];

struct cpu *h_new(enum cpu_model m);
void h_free(struct cpu *c);
/* Make linear page `lin` not present (accesses raise #PF). */
void h_unmap_page(uint32_t lin);
/* Hits counted in the stand-in fast tables since h_new(): only the
 * system half's fast paths (intr_fast.c) count there, the accessors
 * below do not. */
uint64_t h_fast_hits(void);
/* Take linear page `lin` out of the stand-in fast tables only: the page
 * stays accessible through the accessors below (a fast-table miss that the
 * full MMU path serves). */
void h_fast_evict(uint32_t lin);

uint32_t h_rd(uint32_t a, int size);
void h_wr(uint32_t a, int size, uint32_t v);

/* Descriptor words for a code/data segment: type (4 bits), S=1, dpl, P,
 * D/B and G as given. */
void h_desc(uint32_t table, int index, uint32_t base, uint32_t limit, uint32_t type, int s,
	    int dpl, int p, int db, int g);
/* A gate: type SYS_*GATE*, selector, offset, dpl, params. */
void h_gate(uint32_t table, int index, uint32_t type, uint16_t sel, uint32_t off, int dpl,
	    int params, int p);

/* Standard protected-mode machine (see harness.c for the layout). */
enum {
	H_GDT = 0x1000, H_IDT = 0x2000, H_TSS_A = 0x3000, H_TSS_B = 0x3400, H_LDT = 0x3800,
	H_STK0 = 0x9000, H_STK1 = 0xA000, H_STK3 = 0x8000,
	SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_CODE3 = 0x1B, SEL_DATA3 = 0x23,
	SEL_TSS_A = 0x28, SEL_TSS_B = 0x30, SEL_LDT = 0x38, SEL_CODE1 = 0x41, SEL_DATA1 = 0x49,
};
void h_pmode(struct cpu *c);
/* Put the CPU at CPL 3 with the ring-3 flat segments (SS:ESP = H_STK3). */
void h_ring3(struct cpu *c);
/* What the core's run loop does: deliver, and on a fault during delivery
 * deliver that one (double-fault rules apply inside cpu_deliver). */
void h_deliver_loop(struct cpu *c, int vec, int has_err, uint32_t err);

/* Run a statement with c->jmp armed; evaluates to the vector raised or -1. */
#define H_TRY(c, stmt)                                  \
	({                                              \
		h_exc = -1;                             \
		if (setjmp((c)->jmp) == 0) {            \
			stmt;                           \
		}                                       \
		h_exc;                                  \
	})

#endif
