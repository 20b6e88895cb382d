/* pic.h - the cascaded 8259A pair of the PC/AT: master at 0x20/0x21
 * (IRQ0-7), slave at 0xA0/0xA1 (IRQ8-15) on the master's IR2. Edge
 * triggered, as the PC programs it. */
#ifndef EMU_PIC_H
#define EMU_PIC_H

#include <stdint.h>
#include "../mmu/bus.h"

struct i8259 {
	uint8_t irr, isr, imr;
	uint8_t lines;          /* input levels, for edge detection */
	uint8_t vector_base;    /* ICW2 & 0xF8 */
	uint8_t priority_add;   /* IR with lowest priority is priority_add - 1 */
	uint8_t init_state;     /* 0: operating; 1..3: waiting for ICW2..ICW4 */
	uint8_t need_icw4, single, auto_eoi, rotate_aeoi;
	uint8_t read_isr, poll, special_mask;
};

struct pic {
	struct i8259 chip[2];   /* 0 master, 1 slave */
	int intr;               /* level of the master's INT output */
	void (*set_intr)(void *opaque, int level);
	void *opaque;
};

/* Power-on state; set_intr is called whenever the INT output changes. */
void pic_init(struct pic *p, void (*set_intr)(void *opaque, int level), void *opaque);

/* Drive input line irq (0-15) to level; a rising edge latches IRR. */
void pic_set_irq(struct pic *p, int irq, int level);
/* Adapter for struct irq_line (opaque is the struct pic). */
void pic_irq_line(void *opaque, int irq, int level);

/* The CPU's interrupt acknowledge cycle: returns the vector (a spurious
 * IRQ7/IRQ15 vector when the request went away). */
int pic_ack(struct pic *p);

/* Port handlers for 0x20-0x21 and 0xA0-0xA1 (opaque: struct pic). */
extern const struct io_ops pic_io_ops;

#endif
