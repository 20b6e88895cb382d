/* fpu.c - the floating-point and SSE state of user processes (Linux's
 * arch/x86/kernel/fpu/, eager flavour): when the CPU has an FPU, user code
 * may use it; with FXSR and SSE (CPUID.1:EDX bits 24, 25) CR4.OSFXSR and
 * OSXMMEXCPT let SSE instructions run (else they are #UD, which static
 * glibc's string functions would hit). Each task's state is saved and
 * restored on every switch; a new program starts from the FNINIT state. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/processor.h>

#define X86_CR0_MP 0x00000002
#define X86_CR0_EM 0x00000004
#define X86_CR0_TS 0x00000008
#define X86_CR4_OSFXSR 0x00000200
#define X86_CR4_OSXMMEXCPT 0x00000400
#define X86_EFLAGS_ID 0x00200000

static bool has_fpu, has_fxsr;
static u8 init_fpu_state[512] __attribute__((aligned(16)));

static bool flag_toggles(u32 bit)
{
	u32 a, b;
	__asm__ volatile("pushfl; popl %0; movl %0, %1; xorl %2, %1; pushl %1; popfl;"
			 "pushfl; popl %1; pushl %0; popfl"
			 : "=&r"(a), "=&r"(b) : "r"(bit));
	return (a ^ b) & bit;
}

static void fpu_save(u8 *st)
{
	if (has_fxsr)
		__asm__ volatile("fxsave (%0)" : : "r"(st) : "memory");
	else
		__asm__ volatile("fnsave (%0); fwait" : : "r"(st) : "memory");
}

static void fpu_restore(const u8 *st)
{
	if (has_fxsr)
		__asm__ volatile("fxrstor (%0)" : : "r"(st) : "memory");
	else
		__asm__ volatile("frstor (%0)" : : "r"(st) : "memory");
}

/* Probe the FPU (FNINIT then FNSTSW must read 0) and, with CPUID, FXSR
 * and SSE, on a 486 or later; enable what exists and record the initial
 * state. */
void fpu_init(void)
{
	if (boot_cpu_family < 4) {
		/* A 386 may have no 387 at all: leave x87 code to trap (#NM). */
		write_cr0(read_cr0() | X86_CR0_EM);
		return;
	}
	u32 cr0 = read_cr0();
	write_cr0((cr0 & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP);
	u16 sw = 0xffff;
	__asm__ volatile("fninit; fnstsw %0" : "=m"(sw));
	has_fpu = sw == 0;
	if (!has_fpu) {
		write_cr0(read_cr0() | X86_CR0_EM);
		return;
	}
	if (flag_toggles(X86_EFLAGS_ID)) {
		u32 eax = 1, ebx, ecx, edx;
		__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
		if ((edx & (1u << 24)) && (edx & (1u << 25))) {
			u32 cr4;
			__asm__ volatile("movl %%cr4, %0" : "=r"(cr4));
			cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
			__asm__ volatile("movl %0, %%cr4" : : "r"(cr4));
			has_fxsr = true;
		}
	}
	fpu_save(init_fpu_state);
	if (!has_fxsr)
		__asm__ volatile("fninit");
}

/* A fresh program's state. */
void fpu_reset(struct task_struct *t)
{
	memcpy(t->fpu_state, init_fpu_state, sizeof(init_fpu_state));
	if (t == current && has_fpu)
		fpu_restore(t->fpu_state);
}

/* fork: the child gets the parent's live registers. */
void fpu_copy(struct task_struct *child)
{
	if (has_fpu) {
		fpu_save(child->fpu_state);
		if (!has_fxsr)
			fpu_restore(child->fpu_state);	/* fnsave reinitialised it */
	}
}

void fpu_switch(struct task_struct *prev, struct task_struct *next)
{
	if (!has_fpu)
		return;
	fpu_save(prev->fpu_state);
	fpu_restore(next->fpu_state);
}
