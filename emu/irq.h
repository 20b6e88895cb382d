/* irq.h - an interrupt request line from a device to the interrupt
 * controller. The level is what the device drives; edge detection is the
 * PIC's business. */
#ifndef EMU_IRQ_H
#define EMU_IRQ_H

struct irq_line {
	void (*set)(void *opaque, int irq, int level);
	void *opaque;
	int irq;
};

static inline void irq_set(const struct irq_line *l, int level)
{
	if (l->set)
		l->set(l->opaque, l->irq, level);
}

#endif
