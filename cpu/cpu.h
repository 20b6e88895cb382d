/* cpu.h - the i386 interpreter's public API, used alike by the machine,
 * the monitor, the gdb stub and the tests (owner: cpu/).
 *
 * The CPU executes against a struct bus (physical memory and ports) through
 * a struct mmu (paging and TLB). It never includes SDL, Capstone or libelf.
 */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include <stdint.h>
#include "../mmu/bus.h"
#include "../mmu/mmu.h"

enum cpu_model { CPU_386, CPU_486, CPU_PENTIUM, CPU_P6, CPU_MODEL_COUNT };

/* Parse "386", "486", "pentium", "p6" (also "qemu32"-style aliases are not
 * accepted). Returns 0 and sets *out, or -1. */
int cpu_model_parse(const char *name, enum cpu_model *out);
const char *cpu_model_name(enum cpu_model m);
/* The model's default paging-unit configuration (TLB geometry, policy,
 * features) for mmu_create(); emu/ applies --tlb overrides on top. */
void cpu_model_mmu_config(enum cpu_model m, struct mmu_config *out);

/* General registers, in ModRM encoding order. */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };
/* Segment registers, in ModRM sreg encoding order, then LDTR and TR. */
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_LDTR, S_TR, S_COUNT };

/* EFLAGS bits. */
#define FL_CF   (1u << 0)
#define FL_PF   (1u << 2)
#define FL_AF   (1u << 4)
#define FL_ZF   (1u << 6)
#define FL_SF   (1u << 7)
#define FL_TF   (1u << 8)
#define FL_IF   (1u << 9)
#define FL_DF   (1u << 10)
#define FL_OF   (1u << 11)
#define FL_IOPL (3u << 12)
#define FL_NT   (1u << 14)
#define FL_RF   (1u << 16)
#define FL_VM   (1u << 17)
#define FL_AC   (1u << 18)
#define FL_VIF  (1u << 19)
#define FL_VIP  (1u << 20)
#define FL_ID   (1u << 21)

/* Hidden part of a segment register (the descriptor cache). */
struct seg_cache {
	uint16_t sel;
	uint32_t base;
	uint32_t limit;  /* effective limit in bytes (granularity applied) */
	/* Bits 8..23 of the descriptor's high dword, in place: type (8-11),
	 * S (12), DPL (13-14), P (15), limit 19:16 (16-19, unused here),
	 * AVL (20), reserved (21), D/B (22), G (23). */
	uint32_t flags;
};
#define SEGF_TYPE(f) (((f) >> 8) & 0xF)
#define SEGF_S   (1u << 12)
#define SEGF_DPL(f) (((f) >> 13) & 3)
#define SEGF_P   (1u << 15)
#define SEGF_DB  (1u << 22)
#define SEGF_G   (1u << 23)

/* The whole architecturally visible state, readable and writable at once. */
struct cpu_state {
	uint32_t gpr[8];
	uint32_t eip;
	uint32_t eflags;             /* fully materialised */
	struct seg_cache seg[S_COUNT];
	uint32_t gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	uint32_t cr0, cr2, cr3, cr4;
	uint32_t dr[8];
	uint32_t tr[8];              /* TR3..TR7 (386/486 test registers) */
	uint64_t tsc;
	uint32_t sysenter_cs, sysenter_esp, sysenter_eip;
	int halted;                  /* in HLT, waiting for an interrupt */
};

/* Why cpu_run() returned. */
enum cpu_stop {
	CPU_STOP_LIMIT,     /* the instruction budget was used */
	CPU_STOP_HLT,       /* HLT: nothing to do until an interrupt */
	CPU_STOP_SHUTDOWN,  /* triple fault (or shutdown cycle) */
	CPU_STOP_REQUEST,   /* cpu_request_stop() was called (device, monitor) */
	CPU_STOP_BREAK,     /* debug breakpoint / single-step for the gdb stub */
};

struct cpu;

struct cpu *cpu_create(enum cpu_model model, struct bus *bus, struct mmu *mmu);
void cpu_destroy(struct cpu *c);
enum cpu_model cpu_model(const struct cpu *c);

/* Power-on/RESET state: real mode, CS=F000 base FFFF0000, EIP=FFF0. */
void cpu_reset(struct cpu *c);

/* Run until `max_insns` instructions have retired or a stop event.
 * An instruction that faults counts as retired when its exception has been
 * delivered. */
enum cpu_stop cpu_run(struct cpu *c, uint64_t max_insns);

/* Retired instructions since create (virtual time is derived from this). */
uint64_t cpu_insn_count(const struct cpu *c);

/* Call fn once, the first time after power-on (cpu_create or cpu_reset)
 * that the CPU enters CPL 3, with the instruction count at that moment:
 * "reset to the first user program" for --stats. Costs nothing per
 * instruction: CPL changes already pass through cpu_code_changed(). */
void cpu_set_user_entry_hook(struct cpu *c, void (*fn)(void *opaque, uint64_t insns),
			     void *opaque);

/* The INTR line (level) and the interrupt acknowledge cycle: when INTR is
 * high and EFLAGS.IF allows, the CPU calls ack() to get the vector. */
void cpu_set_intr(struct cpu *c, int level);
void cpu_set_intr_ack(struct cpu *c, int (*ack)(void *opaque), void *opaque);
void cpu_set_nmi(struct cpu *c);

/* Ask cpu_run() to return CPU_STOP_REQUEST after the current instruction. */
void cpu_request_stop(struct cpu *c);

void cpu_get_state(const struct cpu *c, struct cpu_state *out);
/* Replace the whole state; informs the MMU of CR0/CR3/CR4. */
void cpu_set_state(struct cpu *c, const struct cpu_state *in);

/* Last CS:EIP at which an instruction started (for shutdown messages). */
void cpu_last_pc(const struct cpu *c, uint16_t *cs, uint32_t *eip);
/* Where the CPU keeps the EIP of the instruction being executed, for
 * mmu_set_stale_check() (the stale-TLB checker names it in its reports and
 * reports once per (EIP, linear page)). Valid for the CPU's lifetime. */
const uint32_t *cpu_insn_eip_source(const struct cpu *c);

/* Length in bytes of the instruction at buf (avail bytes readable) when
 * decoded in 16-bit (code32 = 0) or 32-bit code for this model; -1 if it
 * does not decode (#UD, or longer than 15 bytes: #GP). Side-effect free. */
int cpu_decode_length(enum cpu_model model, const uint8_t *buf, int avail, int code32);

/* Optional hooks for tracing and debugging (NULL: free). */
struct cpu_hooks {
	void *opaque;
	/* Called when an exception or interrupt is delivered. */
	void (*on_interrupt)(void *opaque, int vector, int is_exception, uint32_t error_code,
			     uint32_t eip);
	/* Called for writes to the 386/486 TR registers, CR writes etc. could be
	 * added here as the UI needs them. */
};
void cpu_set_hooks(struct cpu *c, const struct cpu_hooks *h);

#endif
