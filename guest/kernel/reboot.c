/* reboot.c - power off through isa-debug-exit (port 0xF4), the only
 * "power button" the kernel knows (no ACPI). */
#include <linux/kernel.h>
#include <asm/io.h>
#include <asm/processor.h>

#define ISA_DEBUG_EXIT_PORT 0xF4

/* Stop the machine; the host's exit status is (code << 1) | 1. Without the
 * device the write is ignored and the CPU halts with interrupts off. */
void machine_power_off(int code)
{
	local_irq_disable();
	outl((u32)code, ISA_DEBUG_EXIT_PORT);
	for (;;)
		halt();
}
