/* processor.h - control registers and TLB flushing. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H
#include <linux/types.h>

#define X86_CR0_PE 0x00000001
#define X86_CR0_WP 0x00010000
#define X86_CR0_PG 0x80000000
#define X86_EFLAGS_IF 0x00000200
#define X86_EFLAGS_AC 0x00040000

static inline u32 read_cr0(void) { u32 v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline void write_cr0(u32 v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }
static inline u32 read_cr2(void) { u32 v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline u32 read_cr3(void) { u32 v; __asm__ volatile("movl %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(u32 v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cli" : : : "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("sti" : : : "memory"); }
static inline u32 local_irq_save(void)
{
	u32 f;
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(f) : : "memory");
	return f;
}
static inline void local_irq_restore(u32 f) { __asm__ volatile("pushl %0; popfl" : : "r"(f) : "memory", "cc"); }
static inline void halt(void) { __asm__ volatile("hlt"); }

/* CPU family found by probing EFLAGS (no CPUID assumed): 3 or 4+. */
extern int boot_cpu_family;
void identify_cpu(void);

/* Drop every non-global translation: reload CR3 (works on the 386). */
static inline void __flush_tlb(void) { write_cr3(read_cr3()); }
/* Drop one translation: INVLPG on a 486 or later, a full flush on a 386. */
static inline void __flush_tlb_one(unsigned long va)
{
	if (boot_cpu_family >= 4)
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	else
		__flush_tlb();
}
#endif
