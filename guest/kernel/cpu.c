/* cpu.c - find the CPU family without CPUID (which a 386 lacks). */
#include <linux/kernel.h>
#include <asm/processor.h>

int boot_cpu_family = 3;

/* EFLAGS.AC (bit 18) cannot be changed on a 386, it can from the 486 on.
 * That is all the kernel needs to know: whether INVLPG and CR0.WP exist. */
void identify_cpu(void)
{
	u32 before, after;
	__asm__ volatile(
		"pushfl\n\t"
		"popl %0\n\t"
		"movl %0, %1\n\t"
		"xorl %2, %1\n\t"
		"pushl %1\n\t"
		"popfl\n\t"
		"pushfl\n\t"
		"popl %1\n\t"
		"pushl %0\n\t"
		"popfl"
		: "=&r"(before), "=&r"(after)
		: "i"(X86_EFLAGS_AC));
	boot_cpu_family = ((before ^ after) & X86_EFLAGS_AC) ? 4 : 3;
}
