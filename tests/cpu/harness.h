/* harness.h - a small machine for the core CPU tests: 16 MiB of RAM, the
 * MMU of the chosen model, a CPU, and helpers to enter real mode or flat
 * 32-bit protected mode with code at CODE_ADDR.
 *
 * Exceptions land in handler stubs: vector v's handler is a HLT at
 * STUB_ADDR + 8*v (IVT entry 0300h:8v in real mode, a 32-bit interrupt
 * gate in protected mode), so a test runs until CPU_STOP_HLT and asks
 * tm_vector() which handler ran.
 */
#ifndef TESTS_CPU_HARNESS_H
#define TESTS_CPU_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "cpu_internal.h"

#define CODE_ADDR  0x1000u
#define STUB_ADDR  0x3000u
#define GDT_ADDR   0x0500u
#define IDT_ADDR   0x0800u
#define STACK_TOP  0x9000u
#define DATA_ADDR  0x10000u

/* GDT selectors built by tm_pm32(). */
#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18
#define SEL_DATA16 0x20
#define SEL_RODATA 0x28   /* read-only data, limit 0xFFF */
#define SEL_XONLY  0x30   /* execute-only code */
#define SEL_EXPDN  0x38   /* expand-down data, limit 0x0FFF, B=1 */
#define SEL_UCODE  0x43   /* ring-3 flat code (RPL 3) */
#define SEL_UDATA  0x4B   /* ring-3 flat data (RPL 3) */
#define SEL_TSS    0x50   /* 32-bit TSS at TSS_ADDR: SS0 = SEL_DATA32, ESP0 = STACK0 */
#define TSS_ADDR   0x4000u
#define STACK0     0x7000u

struct tm {
	struct bus *bus;
	struct mmu *mmu;
	struct cpu *cpu;
	struct cpu_state s;   /* state after the last tm_run() */
};

void tm_init(struct tm *t, enum cpu_model m);
/* As tm_init() with the MMU's host fast path on or off (the statistics
 * must not tell the difference). */
void tm_init_fast(struct tm *t, enum cpu_model m, int fast_path);
void tm_fini(struct tm *t);
/* Real mode, all segments 0, IP = CODE_ADDR, SP = STACK_TOP. */
void tm_real(struct tm *t);
/* Flat 32-bit protected mode at CPL 0, EIP = CODE_ADDR, ESP = STACK_TOP. */
void tm_pm32(struct tm *t);
/* As tm_pm32() but at CPL 3 (user code/data, TR loaded, EFLAGS.IOPL =
 * iopl). Exceptions switch to SS0:ESP0 = SEL_DATA32:STACK0. */
void tm_ring3(struct tm *t, int iopl);
/* Copy bytes to CODE_ADDR (through the bus: self-modifying-code safe). */
void tm_code(struct tm *t, const uint8_t *b, size_t n);
void tm_poke(struct tm *t, uint32_t addr, const void *b, size_t n);
uint32_t tm_rd(struct tm *t, uint32_t addr, int size);
void tm_wr(struct tm *t, uint32_t addr, int size, uint32_t v);
/* Apply t->s to the CPU (after editing registers). */
void tm_set(struct tm *t);
/* Run up to n instructions; t->s holds the state afterwards. */
enum cpu_stop tm_run(struct tm *t, uint64_t n);
/* The vector whose stub the CPU halted in, or -1. */
int tm_vector(struct tm *t);
/* Run a code sequence ending in HLT: load it, run until HLT, return the
 * stop reason. */
enum cpu_stop tm_exec(struct tm *t, const uint8_t *b, size_t n);

/* Paging for the specialised-vs-general handler tests (test_forms,
 * test_stackforms, test_repruns): a page directory at pd whose first entry
 * points at the table at pt, identity-mapping the first 4 MiB as user
 * read/write, except page 20h (not present), 21h (read-only) and 22h
 * (supervisor-only), so that accesses can run into each kind of #PF. */
void tm_map_probe_pages(struct tm *t, uint32_t pd, uint32_t pt);
/* Two machines of model m side by side, both with tm_map_probe_pages:
 * `spec` decodes with the form-specialised handlers, `gen` (run with
 * decode_generic_only set) with the general ones. tm_pair_fini() frees
 * both and leaves decode_generic_only off. */
void tm_pair_init(struct tm *spec, struct tm *gen, enum cpu_model m, uint32_t pd, uint32_t pt);
void tm_pair_fini(struct tm *spec, struct tm *gen);

/* The modes the pair tests run a case in. */
enum tm_mode { TM_PM0, TM_PM3, TM_REAL, TM_MODES };
/* Put t in mode m (tm_pm32, tm_ring3 with IOPL 0, or tm_real), with
 * paging on through the directory at pd outside real mode, and load gpr;
 * the caller sets EFLAGS, segments and whatever else the case needs, then
 * tm_set(). */
void tm_enter(struct tm *t, enum tm_mode m, uint32_t pd, const uint32_t gpr[8]);

#define ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* Marsaglia's xorshift32: the tests' deterministic random numbers. */
static inline uint32_t tm_xorshift(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

#endif
