/* cpu_internal.h - what the parts of cpu/ share. Not for use outside cpu/.
 *
 * cpu/ is written in two halves that meet here:
 *  - "core": the decoder and its opcode tables, the decoded-instruction
 *    cache, instruction semantics (ALU, shifts, mul/div, BCD, bit ops,
 *    string ops, stack, near control flow, I/O instructions), lazy flags,
 *    segmented memory access with limit/rights checks, the run loop,
 *    exception raising (longjmp) and interrupt polling.
 *    Files: decode*.c, exec.c, alu.c, flags.c, string.c, mem.c, block.c, ...
 *  - "system": descriptor loads and their checks, far JMP/CALL/RET,
 *    INT/IRET and exception/interrupt delivery (double fault, triple
 *    fault), call gates, task switches, system instructions (LGDT ... LTR,
 *    MOV CR/DR/TR, LAR/LSL/VERR/VERW/ARPL, INVLPG, CPUID, MSRs,
 *    SYSENTER/SYSEXIT, HLT), I/O permission, virtual-8086 rules, CPU models.
 *    Files: seg.c, desc.c, far.c, intr.c, task.c, sysinsn.c, model.c, io.c, v86.c
 *
 * Each half may add fields to struct cpu only inside its own block below.
 */
#ifndef CPU_CPU_INTERNAL_H
#define CPU_CPU_INTERNAL_H

#include <setjmp.h>
#include <stdint.h>
#include "cpu.h"

/* Exception vectors (Intel SDM vol. 3, table 6-1). */
enum {
	EX_DE = 0, EX_DB = 1, EX_NMI = 2, EX_BP = 3, EX_OF = 4, EX_BR = 5, EX_UD = 6,
	EX_NM = 7, EX_DF = 8, EX_TS = 10, EX_NP = 11, EX_SS = 12, EX_GP = 13,
	EX_PF = 14, EX_MF = 16, EX_AC = 17, EX_MC = 18
};

/* Control register bits beyond those in mmu.h. */
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_ET (1u << 4)
#define CR0_NE (1u << 5)
#define CR0_AM (1u << 18)
#define CR0_NW (1u << 29)
#define CR0_CD (1u << 30)
#define CR4_VME (1u << 0)
#define CR4_PVI (1u << 1)
#define CR4_TSD (1u << 2)
#define CR4_DE  (1u << 3)

/* How an interrupt came to be, for delivery rules (software INT n checks
 * gate DPL against CPL; in v86 mode INT n is IOPL-sensitive; exceptions
 * push error codes; external interrupts ignore gate DPL). */
enum intr_kind { INTR_EXTERNAL, INTR_EXCEPTION, INTR_SOFTWARE, INTR_INT3, INTR_INTO, INTR_NMI };

struct cpu {
	struct cpu_state s;       /* architectural state; s.eflags arithmetic
				     bits may be stale while flags are lazy:
				     use cpu_get_eflags()/cpu_set_eflags() */
	enum cpu_model model;
	struct bus *bus;
	struct mmu *mmu;
	int cpl;                  /* current privilege level (0 in real mode, 3 in v86) */

	/* Instruction boundary bookkeeping. */
	uint64_t insns;           /* retired instructions (inside cpu_run() lags by
				     the running block's: see cpu_retired()) */
	uint32_t insn_eip;        /* EIP of the instruction being executed (faults restart
				     here); inside a decoded block only for its last
				     instruction: read it with cpu_insn_eip() */
	uint16_t insn_cs;
	int intr_line;            /* INTR level from the PIC */
	int nmi_pending;
	int stop_requested;
	int shutdown;             /* triple fault happened */
	int inhibit_irq;          /* STI / MOV SS shadow: no interrupt before the next insn */
	jmp_buf jmp;              /* cpu_raise() longjmps here */
	int (*intr_ack)(void *opaque);
	void *intr_ack_opaque;
	struct cpu_hooks hooks;

	/* ---- core block (decoder, lazy flags, decoded blocks) ---- */
	void *core;               /* owned by the core half */

	/* ---- system block (delivery state, models) ---- */
	int exc_depth;            /* nested delivery for #DF/triple-fault rules */
	int first_exc;            /* vector being delivered when a second one hit (-1: none) */
	void *sys;                /* owned by the system half */
	uint64_t tsc_last;        /* s.tsc as the system half last set it */
	uint64_t tsc_insns;       /* c->insns at that moment (TSC counts retired insns) */
	int nmi_blocked;          /* an NMI was delivered and no IRET has run since:
				     the run loop should hold further NMIs pending */
};

/* ===== provided by the core half ===== */

/* Raise an exception from inside an instruction: restores EIP to the
 * instruction start (faults) and longjmps to the run loop, which calls
 * cpu_deliver(). has_err selects whether err is pushed. */
_Noreturn void cpu_raise(struct cpu *c, int vector, int has_err, uint32_t err);
/* #PF from an MMU result: sets CR2, raises with the MMU's error code. */
_Noreturn void cpu_raise_pf(struct cpu *c);

/* EFLAGS with lazy arithmetic flags materialised / replaced. set writes the
 * bits in `mask` only (callers apply the privilege rules of POPF/IRET). */
uint32_t cpu_get_eflags(struct cpu *c);
void cpu_set_eflags(struct cpu *c, uint32_t val, uint32_t mask);

/* Segmented access: offset within segment sreg, with limit (expand-up and
 * expand-down, 16/32-bit) and type checks for the access kind; raises #GP(0)
 * or #SS(0) as the SDM says; then the MMU at the CPL's privilege. */
uint32_t cpu_read(struct cpu *c, int sreg, uint32_t off, int size);
void cpu_write(struct cpu *c, int sreg, uint32_t off, int size, uint32_t val);
/* Linear accesses for implicit supervisor-mode reads/writes of system
 * structures (GDT, LDT, IDT, TSS): always checked as supervisor; raise #PF. */
uint32_t cpu_read_lin_sys(struct cpu *c, uint32_t lin, int size);
void cpu_write_lin_sys(struct cpu *c, uint32_t lin, int size, uint32_t val);
/* Linear accesses at the current privilege (stack pushes during delivery
 * use the new CPL explicitly). */
uint32_t cpu_read_lin(struct cpu *c, uint32_t lin, int size, int user);
void cpu_write_lin(struct cpu *c, uint32_t lin, int size, int user, uint32_t val);

/* Instructions retired so far, exact at any moment, also in the middle of
 * an instruction (the run loop counts c->insns once per block; this adds
 * the running block's instructions before the current one). Readers of the
 * count inside cpu_run() use this rather than c->insns. */
uint64_t cpu_retired(const struct cpu *c);
/* EIP of the instruction being executed (as c->insn_eip outside the run
 * loop's blocks; inside one, c->insn_eip is only kept for the block's last
 * instruction, see exec.c). Readers inside cpu_run() use this. */
uint32_t cpu_insn_eip(const struct cpu *c);

/* Drop decoded instructions and the cached code-page translation (after a
 * mode change, CS reload with a different default size, CR0/CR3/CR4 write). */
void cpu_code_changed(struct cpu *c);

/* ===== provided by the system half ===== */

/* Load a segment register in the current mode: real/v86 (base = sel << 4),
 * or protected mode with every check (null, type, limit, DPL/RPL/CPL,
 * present) raising #GP/#NP/#SS/#TS(sel) as MOV/POP/LxS do. */
void seg_load(struct cpu *c, int sreg, uint16_t sel);
/* Load the cache directly (reset, real mode CS from far transfers). */
void seg_load_real(struct cpu *c, int sreg, uint16_t sel);

/* Far transfers. `opsize` is 16 or 32 (operand size of the instruction);
 * `next_eip` is the EIP after the instruction (pushed by CALL). */
void cpu_far_jmp(struct cpu *c, uint16_t sel, uint32_t off, int opsize);
void cpu_far_call(struct cpu *c, uint16_t sel, uint32_t off, int opsize, uint32_t next_eip);
void cpu_far_ret(struct cpu *c, int opsize, uint16_t imm);
void cpu_iret(struct cpu *c, int opsize);

/* INT n / INT3 / INTO from an instruction (kind INTR_SOFTWARE/INT3/INTO);
 * `next_eip` is the return address. */
void cpu_soft_int(struct cpu *c, int vector, enum intr_kind kind, uint32_t next_eip);
/* Deliver an exception raised with cpu_raise (called by the run loop with
 * c->s.eip at the faulting instruction, or after it for traps). Applies the
 * double-fault rules; a fault during #DF delivery sets c->shutdown. */
void cpu_deliver(struct cpu *c, int vector, int has_err, uint32_t err);
/* Deliver an external interrupt (vector from the PIC) or NMI. */
void cpu_deliver_external(struct cpu *c, int vector, enum intr_kind kind);

/* I/O permission for IN/OUT/INS/OUTS: returns normally when allowed (CPL <=
 * IOPL, or the TSS bitmap allows in protected/v86 mode), raises #GP(0). */
void cpu_io_check(struct cpu *c, uint16_t port, int size);

/* System instructions. Each checks its own privilege/mode rules and raises.
 * Operands are decoded by the core and passed as values. */
void sys_lgdt(struct cpu *c, uint32_t base, uint16_t limit, int opsize);
void sys_lidt(struct cpu *c, uint32_t base, uint16_t limit, int opsize);
void sys_lldt(struct cpu *c, uint16_t sel);
void sys_ltr(struct cpu *c, uint16_t sel);
void sys_lmsw(struct cpu *c, uint16_t val);
void sys_clts(struct cpu *c);
void sys_mov_to_cr(struct cpu *c, int n, uint32_t val);
uint32_t sys_mov_from_cr(struct cpu *c, int n);
void sys_mov_to_dr(struct cpu *c, int n, uint32_t val);
uint32_t sys_mov_from_dr(struct cpu *c, int n);
void sys_mov_to_tr(struct cpu *c, int n, uint32_t val);
uint32_t sys_mov_from_tr(struct cpu *c, int n);
/* LAR/LSL/VERR/VERW: return 1 (ZF=1) and *out when the selector passes. */
int sys_lar(struct cpu *c, uint16_t sel, uint32_t *out);
int sys_lsl(struct cpu *c, uint16_t sel, uint32_t *out);
int sys_verr(struct cpu *c, uint16_t sel);
int sys_verw(struct cpu *c, uint16_t sel);
void sys_invlpg(struct cpu *c, uint32_t lin);
void sys_invd(struct cpu *c);            /* INVD and WBINVD */
void sys_cpuid(struct cpu *c);
void sys_rdmsr(struct cpu *c);
void sys_wrmsr(struct cpu *c);
void sys_rdtsc(struct cpu *c);
void sys_sysenter(struct cpu *c);
void sys_sysexit(struct cpu *c);
void sys_hlt(struct cpu *c);

/* Does this model have the instruction group? Used by the decoder to raise
 * #UD (e.g. feature "bswap", "cmpxchg8b", "cmov", "cpuid", "rdtsc", "invlpg",
 * "sysenter", "rdmsr", "tr67"). */
enum cpu_feature {
	FEAT_BSWAP, FEAT_XADD, FEAT_CMPXCHG, FEAT_INVLPG, FEAT_INVD, FEAT_CPUID,
	FEAT_RDTSC, FEAT_MSR, FEAT_CMPXCHG8B, FEAT_CMOV, FEAT_SYSENTER, FEAT_TR67,
	FEAT_RSM_UD, FEAT_COUNT
};
int cpu_has(const struct cpu *c, enum cpu_feature f);

/* #GP(0) unless CPL is 0 (real mode counts as 0, v86 as 3). The core
 * should call it before reading the memory operand of LGDT, LIDT, LLDT,
 * LTR and LMSW: the privilege fault comes before any operand #PF (QEMU's
 * order too), and the sys_* functions then check again harmlessly. */
void sys_require_cpl0(struct cpu *c);

/* EFLAGS bits that exist on this model (for POPF/IRET/task switch masks):
 * AC from the 486, ID on models with CPUID, VIF/VIP from the Pentium. */
uint32_t sys_eflags_mask(const struct cpu *c);
/* The time-stamp counter now (advances by one per retired instruction;
 * a write to c->s.tsc through cpu_set_state rebases it). Refreshes s.tsc:
 * cpu_get_state should call it so the TSC it reports is current. */
uint64_t sys_tsc(struct cpu *c);
/* The same value without refreshing anything, for cpu_get_state(). */
uint64_t sys_tsc_peek(const struct cpu *c);

/* Mode tests. */
static inline int cpu_pmode(const struct cpu *c) { return (c->s.cr0 & CR0_PE) != 0; }
static inline int cpu_v86(const struct cpu *c) { return (c->s.eflags & FL_VM) != 0; }

#endif
