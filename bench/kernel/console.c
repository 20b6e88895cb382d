/* console.c - COM1 output and the isa-debug-exit power switch. */
#include "bench.h"

#define COM1 0x3F8
#define DEBUG_EXIT_PORT 0xF4

/* 115200 8N1, no interrupts, FIFOs on: both engines accept output without
 * this, but a real 16550A needs it. */
void serial_init(void)
{
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0xC7);
	outb(COM1 + 4, 0x03);
}

static void putc_(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (u8)c);
}

void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

void puthex(u32 v)
{
	puts_("0x");
	for (int i = 7; i >= 0; i--)
		putc_("0123456789abcdef"[(v >> (4 * i)) & 0xF]);
}

void putdec(u32 v)
{
	char b[11];
	int i = 0;

	do {
		b[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		putc_(b[--i]);
}

/* The host exit status becomes (code << 1) | 1. Without the device the
 * write is ignored and the CPU stops with interrupts off. */
void power_off(u32 code)
{
	outl(DEBUG_EXIT_PORT, code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The one line bench/run.py and the checksum test parse. */
void finish(const char *name, u32 iters, u32 checksum)
{
	puts_("bench=");
	puts_(name);
	puts_(" n=");
	putdec(iters);
	puts_(" checksum=");
	puthex(checksum);
	puts_("\n");
	power_off(EXIT_OK);
}
