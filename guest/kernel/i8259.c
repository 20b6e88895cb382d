/* i8259.c - the two cascaded 8259A interrupt controllers, and IRQ dispatch. */
#include <linux/kernel.h>
#include <asm/io.h>
#include <asm/ptrace.h>

#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_IMR 0x21
#define PIC_SLAVE_CMD 0xA0
#define PIC_SLAVE_IMR 0xA1
#define PIC_CASCADE_IR 2
#define OCW3_READ_ISR 0x0B
#define PIC_EOI 0x20

static unsigned int cached_irq_mask = 0xffff;	/* 1 = masked */
static irq_handler_t irq_handlers[NR_IRQS];
static unsigned long irq_counts[NR_IRQS];

static void write_masks(void)
{
	outb(cached_irq_mask & 0xff, PIC_MASTER_IMR);
	outb(cached_irq_mask >> 8, PIC_SLAVE_IMR);
}

/* ICW1..ICW4: edge triggered, cascaded, vectors 0x20 (master) and 0x28
 * (slave), slave on IR2, 8086 mode, normal EOI. Everything starts masked
 * except the cascade line. */
void init_i8259(void)
{
	outb(0xff, PIC_MASTER_IMR);
	outb(0xff, PIC_SLAVE_IMR);
	outb(0x11, PIC_MASTER_CMD);
	io_delay();
	outb(FIRST_EXTERNAL_VECTOR, PIC_MASTER_IMR);
	io_delay();
	outb(1u << PIC_CASCADE_IR, PIC_MASTER_IMR);
	io_delay();
	outb(0x01, PIC_MASTER_IMR);
	io_delay();
	outb(0x11, PIC_SLAVE_CMD);
	io_delay();
	outb(FIRST_EXTERNAL_VECTOR + 8, PIC_SLAVE_IMR);
	io_delay();
	outb(PIC_CASCADE_IR, PIC_SLAVE_IMR);
	io_delay();
	outb(0x01, PIC_SLAVE_IMR);
	io_delay();
	cached_irq_mask = 0xffff & ~(1u << PIC_CASCADE_IR);
	write_masks();
}

void enable_irq(int irq)
{
	cached_irq_mask &= ~(1u << irq);
	write_masks();
}

void disable_irq(int irq)
{
	cached_irq_mask |= 1u << irq;
	write_masks();
}

/* End of interrupt: the slave too for IRQ 8..15. */
void ack_irq(int irq)
{
	if (irq >= 8)
		outb(PIC_EOI, PIC_SLAVE_CMD);
	outb(PIC_EOI, PIC_MASTER_CMD);
}

/* IRQ 7 and 15 also arrive when a request vanished before INTA: then the
 * in-service bit is clear and no EOI may be sent (to the slave). */
bool irq_is_spurious(int irq)
{
	if (irq != 7 && irq != 15)
		return false;
	u16 port = irq == 7 ? PIC_MASTER_CMD : PIC_SLAVE_CMD;
	outb(OCW3_READ_ISR, port);
	bool in_service = inb(port) & 0x80;
	if (!in_service && irq == 15)
		outb(PIC_EOI, PIC_MASTER_CMD);	/* the master did see the cascade */
	return !in_service;
}

void request_irq(int irq, irq_handler_t h)
{
	irq_handlers[irq] = h;
	enable_irq(irq);
}

/* Run the handler of one IRQ, then acknowledge it. */
void do_irq(int irq, struct pt_regs *regs)
{
	if (irq_is_spurious(irq))
		return;
	irq_counts[irq]++;
	if (irq_handlers[irq])
		irq_handlers[irq](irq, regs);
	ack_irq(irq);
}
