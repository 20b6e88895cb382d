/* uart.h - 16550A UART (COM1 at 0x3F8, IRQ4 on the PC). */
#ifndef EMU_UART_H
#define EMU_UART_H

#include <stdint.h>
#include "../mmu/bus.h"
#include "irq.h"

#define UART_FIFO 16

struct uart_fifo {
	uint8_t buf[UART_FIFO];
	int head, count;
};

struct uart {
	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
	uint8_t rbr;                 /* non-FIFO receive holding register */
	uint16_t divisor;
	int thr_ipending;            /* THR empty interrupt armed */
	int timeout_ipending;        /* character timeout (FIFO mode) */
	struct uart_fifo rx, tx;
	int irq_level;
	struct irq_line irq;
	void (*tx_byte)(void *opaque, uint8_t b);
	void *tx_opaque;
};

void uart_init(struct uart *u, struct irq_line irq,
	       void (*tx_byte)(void *opaque, uint8_t b), void *tx_opaque);
/* Room for one more received byte without overrun (the host side polls
 * input only while this is true, so no input is lost). */
int uart_can_receive(const struct uart *u);
/* A byte arrives on the line (from the host side). */
void uart_receive(struct uart *u, uint8_t b);
/* The host has no more input for now: a FIFO holding fewer bytes than the
 * trigger level raises the character-timeout interrupt (our stand-in for
 * "four character times without input"). */
void uart_input_idle(struct uart *u);

extern const struct io_ops uart_io_ops;   /* base..base+7, opaque: struct uart */

#endif
