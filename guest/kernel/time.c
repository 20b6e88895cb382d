/* time.c - the 8254 PIT on IRQ 0 drives jiffies at HZ. */
#include <linux/kernel.h>
#include <asm/io.h>
#include <asm/ptrace.h>
#include <linux/sched.h>

#define HZ 100
#define PIT_TICK_RATE 1193182u
#define LATCH ((PIT_TICK_RATE + HZ / 2) / HZ)
#define PIT_CH0 0x40
#define PIT_MODE 0x43

volatile unsigned long jiffies;

static void timer_interrupt(int irq, struct pt_regs *regs)
{
	(void)irq;
	jiffies++;
	scheduler_tick(regs);
}

/* Channel 0, lobyte/hibyte, mode 2 (rate generator), binary, at HZ. The
 * tick count is never printed: it depends on host speed under QEMU. */
void time_init(void)
{
	outb(0x34, PIT_MODE);
	outb(LATCH & 0xff, PIT_CH0);
	outb(LATCH >> 8, PIT_CH0);
	request_irq(0, timer_interrupt);
}
