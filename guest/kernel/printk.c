/* printk.c - kernel log output to the serial console, and panic(). */
#include <linux/kernel.h>
#include <asm/processor.h>

void serial_putc(char c);

/* Write a string byte for byte ("\n" stays "\n"): transcripts are compared
 * across engines, so the console adds nothing of its own. */
static void console_write(const char *s)
{
	for (; *s; s++)
		serial_putc(*s);
}

/* Print a formatted message. A leading "<n>" level prefix is dropped: all
 * levels go to the one console (there is no loglevel filtering yet). */
int printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *p = buf;
	int level = 4;	/* no prefix: the default message level, warning */
	if (p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>') {
		level = p[1] - '0';
		p += 3;
	}
	/* "quiet" on the command line: errors and worse only (Linux's
	 * console_loglevel 4), so that a user program's output stands alone. */
	if (level >= 4 && cmdline_has("quiet"))
		return n;
	u32 flags = local_irq_save();
	console_write(p);
	local_irq_restore(flags);
	return n;
}

/* Report a fatal error and stop the machine with EXIT_PANIC. */
void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	machine_power_off(EXIT_PANIC);
}
