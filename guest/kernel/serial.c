/* serial.c - the console: a polled 16550A UART on COM1 (0x3F8). */
#include <linux/kernel.h>
#include <asm/io.h>

#define COM1 0x3F8
#define UART_THR 0	/* transmit holding register (DLAB=0) */
#define UART_IER 1
#define UART_DLL 0	/* divisor latch (DLAB=1) */
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20

/* Program 115200 8N1, FIFOs on, interrupts off: output is polled. */
void serial_init(void)
{
	outb(0x00, COM1 + UART_IER);
	outb(0x80, COM1 + UART_LCR);	/* DLAB */
	outb(0x01, COM1 + UART_DLL);	/* 115200 / 1 */
	outb(0x00, COM1 + UART_DLM);
	outb(0x03, COM1 + UART_LCR);	/* 8N1 */
	outb(0x07, COM1 + UART_FCR);
	outb(0x03, COM1 + UART_MCR);	/* DTR, RTS */
}

/* Send one byte, waiting until the transmitter can take it. A missing UART
 * reads 0xFF, which has THRE set, so this never spins forever. */
void serial_putc(char c)
{
	for (int spin = 0; spin < 100000; spin++)
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb((u8)c, COM1 + UART_THR);
}

#define UART_RBR 0
#define UART_LSR_DR 0x01

/* One received byte, or -1 if none is waiting (polled, no IRQ). */
int serial_getc(void)
{
	u8 lsr = inb(COM1 + UART_LSR);
	if (lsr == 0xFF || !(lsr & UART_LSR_DR))
		return -1;
	return inb(COM1 + UART_RBR);
}
