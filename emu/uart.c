/* uart.c - 16550A UART (National Semiconductor PC16550D data sheet).
 *
 * Transmission is instantaneous: a byte written to THR goes to the back end
 * (or, in loopback, into the receive FIFO) at once, so THRE and TEMT read 1
 * and the THR-empty interrupt is armed right after each write. Line
 * settings (divisor, LCR) are kept and read back but do not pace anything.
 */
#include <string.h>
#include "uart.h"

enum {
	IER_RDI = 1, IER_THRI = 2, IER_RLSI = 4, IER_MSI = 8,
	LSR_DR = 1, LSR_OE = 2, LSR_PE = 4, LSR_FE = 8, LSR_BI = 0x10,
	LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_FIFOERR = 0x80,
	LCR_DLAB = 0x80,
	MCR_DTR = 1, MCR_RTS = 2, MCR_OUT1 = 4, MCR_OUT2 = 8, MCR_LOOP = 0x10,
	FCR_ENABLE = 1,
	IIR_NONE = 1, IIR_MSI = 0, IIR_THRI = 2, IIR_RDI = 4, IIR_RLSI = 6, IIR_CTI = 0xC,
};

static int fifo_mode(const struct uart *u) { return u->fcr & FCR_ENABLE; }

static int trigger_level(const struct uart *u)
{
	static const int lv[4] = { 1, 4, 8, 14 };

	return fifo_mode(u) ? lv[u->fcr >> 6] : 1;
}

static int rx_count(const struct uart *u)
{
	return fifo_mode(u) ? u->rx.count : (u->lsr & LSR_DR ? 1 : 0);
}

/* The highest-priority pending interrupt, as IIR bits 3:0. */
static uint8_t pending(const struct uart *u)
{
	if ((u->ier & IER_RLSI) && (u->lsr & (LSR_OE | LSR_PE | LSR_FE | LSR_BI)))
		return IIR_RLSI;
	if ((u->ier & IER_RDI) && rx_count(u) >= trigger_level(u))
		return IIR_RDI;
	if ((u->ier & IER_RDI) && u->timeout_ipending && rx_count(u))
		return IIR_CTI;
	if ((u->ier & IER_THRI) && u->thr_ipending)
		return IIR_THRI;
	if ((u->ier & IER_MSI) && (u->msr & 0x0F))
		return IIR_MSI;
	return IIR_NONE;
}

/* The PC wires the UART's INTR through OUT2: with OUT2 clear the IRQ line
 * stays low (in loopback OUT2 is looped to DCD and the line is off). */
static void update_irq(struct uart *u)
{
	int level = pending(u) != IIR_NONE && (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP);

	if (level != u->irq_level) {
		u->irq_level = level;
		irq_set(&u->irq, level);
	}
}

void uart_init(struct uart *u, struct irq_line irq,
	       void (*tx_byte)(void *opaque, uint8_t b), void *tx_opaque)
{
	memset(u, 0, sizeof(*u));
	u->irq = irq;
	u->tx_byte = tx_byte;
	u->tx_opaque = tx_opaque;
	u->lsr = LSR_THRE | LSR_TEMT;
	u->divisor = 12;           /* 9600 baud, a BIOS's usual choice */
	u->lcr = 0x03;
	u->msr = 0xB0;             /* DCD, DSR, CTS asserted by the host side */
}

static void fifo_clear(struct uart_fifo *f) { f->head = f->count = 0; }

int uart_can_receive(const struct uart *u)
{
	return fifo_mode(u) ? u->rx.count < UART_FIFO : !(u->lsr & LSR_DR);
}

void uart_receive(struct uart *u, uint8_t b)
{
	if (fifo_mode(u)) {
		if (u->rx.count == UART_FIFO) {
			u->lsr |= LSR_OE;   /* the shift register byte is lost */
		} else {
			u->rx.buf[(u->rx.head + u->rx.count++) % UART_FIFO] = b;
		}
	} else {
		if (u->lsr & LSR_DR)
			u->lsr |= LSR_OE;
		u->rbr = b;
	}
	u->lsr |= LSR_DR;
	u->timeout_ipending = 0;
	update_irq(u);
}

void uart_input_idle(struct uart *u)
{
	if (fifo_mode(u) && u->rx.count && !u->timeout_ipending) {
		u->timeout_ipending = 1;
		update_irq(u);
	}
}

static uint8_t read_rbr(struct uart *u)
{
	uint8_t b = 0;

	if (fifo_mode(u)) {
		if (u->rx.count) {
			b = u->rx.buf[u->rx.head];
			u->rx.head = (u->rx.head + 1) % UART_FIFO;
			u->rx.count--;
		}
		if (!u->rx.count)
			u->lsr &= (uint8_t)~LSR_DR;
	} else {
		b = u->rbr;
		u->lsr &= (uint8_t)~LSR_DR;
	}
	u->timeout_ipending = 0;
	return b;
}

static void transmit(struct uart *u, uint8_t b)
{
	if (u->mcr & MCR_LOOP)
		uart_receive(u, b);
	else if (u->tx_byte)
		u->tx_byte(u->tx_opaque, b);
	u->lsr |= LSR_THRE | LSR_TEMT;
	u->thr_ipending = 1;
}

/* In loopback the modem inputs follow the outputs: CTS=RTS, DSR=DTR,
 * RI=OUT1, DCD=OUT2; the delta bits record changes. */
static void set_msr_inputs(struct uart *u, uint8_t in)
{
	uint8_t old = u->msr & 0xF0, d = 0;

	if ((old ^ in) & 0x10) d |= 0x01;                 /* DCTS */
	if ((old ^ in) & 0x20) d |= 0x02;                 /* DDSR */
	if ((old & 0x40) && !(in & 0x40)) d |= 0x04;      /* TERI: RI went off */
	if ((old ^ in) & 0x80) d |= 0x08;                 /* DDCD */
	u->msr = (uint8_t)(in | ((u->msr | d) & 0x0F));
}

static void write_mcr(struct uart *u, uint8_t val)
{
	u->mcr = val & 0x1F;
	if (u->mcr & MCR_LOOP) {
		uint8_t in = 0;

		if (val & MCR_RTS) in |= 0x10;
		if (val & MCR_DTR) in |= 0x20;
		if (val & MCR_OUT1) in |= 0x40;
		if (val & MCR_OUT2) in |= 0x80;
		set_msr_inputs(u, in);
	} else {
		set_msr_inputs(u, 0xB0);
	}
}

static uint32_t uart_in(void *opaque, uint16_t port, int size)
{
	struct uart *u = opaque;
	uint8_t v = 0xFF;

	(void)size;
	switch (port & 7) {
	case 0:
		v = (u->lcr & LCR_DLAB) ? (uint8_t)u->divisor : read_rbr(u);
		break;
	case 1:
		v = (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
		break;
	case 2:
		v = pending(u);
		if (v == IIR_THRI)
			u->thr_ipending = 0;   /* reading IIR with THRE as source clears it */
		if (fifo_mode(u))
			v |= 0xC0;
		break;
	case 3: v = u->lcr; break;
	case 4: v = u->mcr; break;
	case 5:
		v = u->lsr;
		if (fifo_mode(u) && (u->lsr & (LSR_PE | LSR_FE | LSR_BI)))
			v |= LSR_FIFOERR;
		u->lsr &= (uint8_t)~(LSR_OE | LSR_PE | LSR_FE | LSR_BI);
		break;
	case 6:
		v = u->msr;
		u->msr &= 0xF0;
		break;
	case 7: v = u->scr; break;
	}
	update_irq(u);
	return v;
}

static void uart_out(void *opaque, uint16_t port, int size, uint32_t val32)
{
	struct uart *u = opaque;
	uint8_t val = (uint8_t)val32;

	(void)size;
	switch (port & 7) {
	case 0:
		if (u->lcr & LCR_DLAB)
			u->divisor = (uint16_t)((u->divisor & 0xFF00) | val);
		else
			transmit(u, val);
		break;
	case 1:
		if (u->lcr & LCR_DLAB) {
			u->divisor = (uint16_t)((u->divisor & 0xFF) | val << 8);
		} else {
			/* Enabling THRI while THR is empty raises it at once. */
			if ((val & IER_THRI) && !(u->ier & IER_THRI) && (u->lsr & LSR_THRE))
				u->thr_ipending = 1;
			u->ier = val & 0x0F;
		}
		break;
	case 2:
		if ((val ^ u->fcr) & FCR_ENABLE) {
			fifo_clear(&u->rx);
			fifo_clear(&u->tx);
			u->lsr &= (uint8_t)~LSR_DR;
		}
		if (val & 2) {
			fifo_clear(&u->rx);
			u->lsr &= (uint8_t)~LSR_DR;
			u->timeout_ipending = 0;
		}
		if (val & 4)
			fifo_clear(&u->tx);
		u->fcr = (val & FCR_ENABLE) ? (val & 0xC9) : 0;
		break;
	case 3: u->lcr = val; break;
	case 4: write_mcr(u, val); break;
	case 5: break;          /* LSR is read-only (factory test on some parts) */
	case 6: break;
	case 7: u->scr = val; break;
	}
	update_irq(u);
}

const struct io_ops uart_io_ops = { uart_in, uart_out };
