/* test_uart.c - 16550A registers, FIFOs, IIR priorities, loopback, OUT2
 * gating (PC16550D data sheet). */
#include <criterion/criterion.h>
#include <string.h>
#include "uart.h"

static struct uart u;
static uint8_t txbuf[64];
static int ntx, irq_level;

static void tx(void *o, uint8_t b) { (void)o; txbuf[ntx++ % 64] = b; }
static void irq_cb(void *o, int irq, int level) { (void)o; cr_assert_eq(irq, 4); irq_level = level; }
static void out(int reg, uint8_t v) { uart_io_ops.out(&u, (uint16_t)(0x3F8 + reg), 1, v); }
static uint8_t in(int reg) { return (uint8_t)uart_io_ops.in(&u, (uint16_t)(0x3F8 + reg), 1); }

static void setup(void)
{
	ntx = irq_level = 0;
	uart_init(&u, (struct irq_line){ irq_cb, NULL, 4 }, tx, NULL);
}
TestSuite(uart, .init = setup);

Test(uart, reset_values)
{
	cr_assert_eq(in(1), 0x00, "IER");
	cr_assert_eq(in(2), 0x01, "IIR: no interrupt, no FIFO");
	cr_assert_eq(in(5), 0x60, "LSR: THRE and TEMT");
	cr_assert_eq(in(4), 0x00, "MCR");
}

Test(uart, divisor_latch_and_scratch)
{
	out(3, 0x80);
	out(0, 0x01);
	out(1, 0x00);
	cr_assert_eq(in(0), 0x01);
	cr_assert_eq(in(1), 0x00);
	out(3, 0x03);
	cr_assert_eq(in(3), 0x03);
	out(0, 'A');
	cr_assert_eq(ntx, 1, "with DLAB clear, offset 0 is THR");
	cr_assert_eq(txbuf[0], 'A');
	out(7, 0xC3);
	cr_assert_eq(in(7), 0xC3);
}

Test(uart, thre_interrupt_and_out2_gating)
{
	out(1, 0x02);               /* ETBEI with THR empty: pending at once */
	cr_assert_eq(in(2) & 0x0F, 0x02);
	cr_assert_eq(irq_level, 0, "OUT2 clear: no IRQ");
	out(1, 0x00);
	out(4, 0x08);               /* OUT2 */
	out(1, 0x02);
	cr_assert_eq(irq_level, 1);
	cr_assert_eq(in(2) & 0x0F, 0x02);
	cr_assert_eq(in(2) & 0x0F, 0x01, "reading IIR cleared the THRE source");
	cr_assert_eq(irq_level, 0);
	out(0, 'x');
	cr_assert_eq(irq_level, 1, "another byte sent, THR empty again");
}

Test(uart, receive_without_fifo_and_overrun)
{
	out(4, 0x08);
	out(1, 0x01);               /* ERBFI */
	uart_receive(&u, 'a');
	cr_assert_eq(irq_level, 1);
	cr_assert_eq(in(2) & 0x0F, 0x04);
	cr_assert_eq(in(5) & 0x01, 0x01);
	uart_receive(&u, 'b');      /* overrun: no FIFO */
	cr_assert_eq(in(5) & 0x02, 0x02, "OE");
	cr_assert_eq(in(5) & 0x02, 0x00, "reading LSR clears OE");
	cr_assert_eq(in(0), 'b');
	cr_assert_eq(in(5) & 0x01, 0);
	cr_assert_eq(irq_level, 0);
}

Test(uart, line_status_has_top_priority)
{
	out(4, 0x08);
	out(1, 0x07);               /* RLS, THRE, RDA */
	uart_receive(&u, 'a');
	uart_receive(&u, 'b');      /* overrun */
	cr_assert_eq(in(2) & 0x0F, 0x06, "RLS above RDA and THRE");
	(void)in(5);
	cr_assert_eq(in(2) & 0x0F, 0x04, "then received data");
	(void)in(0);
	cr_assert_eq(in(2) & 0x0F, 0x02, "then THRE");
}

Test(uart, fifo_trigger_levels_and_timeout)
{
	out(2, 0x81);               /* FIFO on, trigger 8 */
	out(1, 0x01);
	out(4, 0x08);
	cr_assert_eq(in(2) & 0xC0, 0xC0, "IIR bits 7:6 with FIFOs");
	for (int i = 0; i < 7; i++)
		uart_receive(&u, (uint8_t)('0' + i));
	cr_assert_eq(in(2) & 0x0F, 0x01, "below the trigger level");
	uart_receive(&u, '7');
	cr_assert_eq(in(2) & 0x0F, 0x04, "trigger level reached");
	for (int i = 0; i < 6; i++)
		cr_assert_eq(in(0), '0' + i);
	cr_assert_eq(in(2) & 0x0F, 0x01);
	uart_input_idle(&u);
	cr_assert_eq(in(2) & 0x0F, 0x0C, "character timeout");
	cr_assert_eq(in(0), '6');
	cr_assert_eq(in(2) & 0x0F, 0x01, "reading RBR clears the timeout");
	cr_assert_eq(in(0), '7');
	cr_assert_eq(in(5) & 1, 0);
}

Test(uart, fifo_holds_16_then_overruns)
{
	out(2, 0x01);
	for (int i = 0; i < 16; i++) {
		cr_assert(uart_can_receive(&u));
		uart_receive(&u, (uint8_t)i);
	}
	cr_assert(!uart_can_receive(&u));
	uart_receive(&u, 99);
	cr_assert_eq(in(5) & 0x02, 0x02, "overrun");
	for (int i = 0; i < 16; i++)
		cr_assert_eq(in(0), i, "FIFO order kept, byte 16 lost");
	out(2, 0x03);               /* clear receive FIFO */
	uart_receive(&u, 1);
	out(2, 0x03);
	cr_assert_eq(in(5) & 1, 0);
	out(2, 0x00);               /* FIFO off */
	cr_assert_eq(in(2) & 0xC0, 0x00);
}

Test(uart, loopback)
{
	out(4, 0x1F);               /* loop, OUT2, OUT1, RTS, DTR */
	(void)in(6);
	cr_assert_eq(in(6) & 0xF0, 0xF0, "CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2");
	out(0, 0x5A);
	cr_assert_eq(ntx, 0, "nothing on the line in loopback");
	cr_assert_eq(in(5) & 1, 1);
	cr_assert_eq(in(0), 0x5A);
	out(4, 0x10);               /* loop only */
	cr_assert_eq(in(6), 0x0F, "CTS, DSR, DCD changed; RI trailing edge");
	out(1, 0x08);
	out(4, 0x11);
	cr_assert_eq(in(2) & 0x0F, 0x00, "modem status interrupt");
	cr_assert_eq(irq_level, 0, "IRQ off in loopback");
}
