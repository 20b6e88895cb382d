/* test_pit.c - 8254 timer modes against the data sheet's timing, with the
 * count loaded at the write (see emu/pit.c). One tick = 1/1193182 s. */
#include <criterion/criterion.h>
#include "pit.h"

static struct pit p;
static uint64_t now_ns;
static int irq_edges;

static uint64_t now_cb(void *o) { (void)o; return now_ns; }
static const struct vclock clk = { now_cb, NULL };
static void irq_cb(void *o, int irq, int level) { (void)o; (void)irq; irq_edges += level; }

/* ns at which exactly t ticks have elapsed since time 0. */
static uint64_t at_tick(uint64_t t) { return (t * 1000000000ull + PIT_HZ - 1) / PIT_HZ; }

static void out(uint16_t port, uint8_t v) { pit_io_ops.out(&p, port, 1, v); }
static uint8_t in(uint16_t port) { return (uint8_t)pit_io_ops.in(&p, port, 1); }

static void setup(void)
{
	now_ns = 0;
	irq_edges = 0;
	pit_init(&p, &clk, (struct irq_line){ irq_cb, NULL, 0 });
}
TestSuite(pit, .init = setup);

static uint16_t latch_read(int ch)
{
	uint16_t v;

	out(0x43, (uint8_t)(ch << 6));
	v = in((uint16_t)(0x40 + ch));
	return (uint16_t)(v | in((uint16_t)(0x40 + ch)) << 8);
}

Test(pit, mode0_interrupt_on_terminal_count)
{
	out(0x43, 0x30);            /* ch0, lo/hi, mode 0 */
	out(0x40, 100);
	cr_assert_eq(pit_out(&p, 0, 0), 0, "OUT low after the control word");
	out(0x40, 0);
	cr_assert_eq(latch_read(0), 100);
	now_ns = at_tick(40);
	cr_assert_eq(latch_read(0), 60);
	cr_assert_eq(pit_out(&p, 0, now_ns), 0);
	now_ns = at_tick(99);
	cr_assert_eq(pit_out(&p, 0, now_ns), 0);
	now_ns = at_tick(100);
	cr_assert_eq(pit_out(&p, 0, now_ns), 1, "OUT high at terminal count");
	now_ns = at_tick(101);
	cr_assert_eq(latch_read(0), 0xFFFF, "the counter keeps counting and wraps");
	cr_assert_eq(pit_next_event(&p, 0), at_tick(100));
	pit_update(&p, now_ns);
	cr_assert_eq(irq_edges, 1);
	pit_update(&p, at_tick(5000));
	cr_assert_eq(irq_edges, 1, "mode 0 interrupts once");
	cr_assert_eq(pit_next_event(&p, now_ns), VCLOCK_NEVER);
}

Test(pit, mode2_rate_generator)
{
	out(0x43, 0x34);            /* ch0, lo/hi, mode 2 */
	out(0x40, 10);
	out(0x40, 0);
	cr_assert_eq(pit_out(&p, 0, 0), 1);
	now_ns = at_tick(3);
	cr_assert_eq(latch_read(0), 7);
	cr_assert_eq(pit_out(&p, 0, at_tick(8)), 1);
	cr_assert_eq(pit_out(&p, 0, at_tick(9)), 0, "OUT low for the tick the count is 1");
	cr_assert_eq(pit_out(&p, 0, at_tick(10)), 1, "reloaded: period N");
	cr_assert_eq(pit_out(&p, 0, at_tick(19)), 0);
	cr_assert_eq(pit_next_event(&p, 0), at_tick(10));
	cr_assert_eq(pit_next_event(&p, at_tick(10)), at_tick(20));
	for (int k = 1; k <= 5; k++)
		pit_update(&p, at_tick(10 * (uint64_t)k));
	cr_assert_eq(irq_edges, 5, "one IRQ0 per period");
}

Test(pit, mode3_square_wave)
{
	out(0x43, 0x36);            /* ch0, lo/hi, mode 3 */
	out(0x40, 8);
	out(0x40, 0);
	for (int t = 0; t < 4; t++)
		cr_assert_eq(pit_out(&p, 0, at_tick((uint64_t)t)), 1, "high half, tick %d", t);
	for (int t = 4; t < 8; t++)
		cr_assert_eq(pit_out(&p, 0, at_tick((uint64_t)t)), 0, "low half, tick %d", t);
	cr_assert_eq(pit_out(&p, 0, at_tick(8)), 1);
	now_ns = at_tick(1);
	cr_assert_eq(latch_read(0), 6, "mode 3 counts down by two");
	out(0x43, 0x36);
	out(0x40, 7);               /* odd: high (N+1)/2, low (N-1)/2 */
	out(0x40, 0);
	cr_assert_eq(pit_out(&p, 0, now_ns + at_tick(3)), 1);
	cr_assert_eq(pit_out(&p, 0, now_ns + at_tick(4)), 0);
}

Test(pit, mode4_software_strobe)
{
	out(0x43, 0x38);            /* ch0, lo/hi, mode 4 */
	out(0x40, 5);
	out(0x40, 0);
	cr_assert_eq(pit_out(&p, 0, at_tick(4)), 1);
	cr_assert_eq(pit_out(&p, 0, at_tick(5)), 0, "one-tick strobe at terminal count");
	cr_assert_eq(pit_out(&p, 0, at_tick(6)), 1);
}

Test(pit, lobyte_only_and_hibyte_only)
{
	out(0x43, 0x14);            /* ch0, lobyte, mode 2 */
	out(0x40, 50);
	cr_assert_eq(in(0x40), 50, "lobyte read");
	out(0x43, 0x24);            /* ch0, hibyte, mode 2 */
	out(0x40, 2);               /* count 0x200 */
	now_ns = at_tick(0x100);
	cr_assert_eq(in(0x40), 0x01, "hibyte of 0x100");
}

Test(pit, zero_means_65536)
{
	out(0x43, 0x34);
	out(0x40, 0);
	out(0x40, 0);
	cr_assert_eq(pit_next_event(&p, 0), at_tick(65536));
	now_ns = at_tick(1);
	cr_assert_eq(latch_read(0), 0xFFFF);
}

Test(pit, latch_holds_value_until_read)
{
	out(0x43, 0x34);
	out(0x40, 0x00);
	out(0x40, 0x10);            /* 0x1000 */
	now_ns = at_tick(0x10);
	out(0x43, 0x00);            /* latch */
	now_ns = at_tick(0x80);
	out(0x43, 0x00);            /* a second latch is ignored */
	cr_assert_eq(in(0x40), 0xF0);
	cr_assert_eq(in(0x40), 0x0F);
	cr_assert_eq(in(0x40), 0x80, "after the latch is read, live counts again");
}

Test(pit, read_back_status_and_count)
{
	out(0x43, 0x34);
	out(0x40, 0x00);
	out(0x40, 0x01);
	now_ns = at_tick(0x10);
	out(0x43, 0xC2);            /* read-back: count and status of ch0 */
	cr_assert_eq(in(0x40), 0xB4, "status: OUT 1, null count 0, rw 3, mode 2");
	cr_assert_eq(in(0x40), 0xF0);
	cr_assert_eq(in(0x40), 0x00);
	out(0x43, 0x34);
	out(0x43, 0xE2);            /* read-back: status only */
	cr_assert_eq(in(0x40) & 0x40, 0x40, "null count after a control word");
}

Test(pit, channel2_gate_and_port61)
{
	out(0x43, 0xB0);            /* ch2, lo/hi, mode 0 */
	out(0x42, 20);
	out(0x42, 0);
	cr_assert_eq(port61_io_ops.in(&p, 0x61, 1) & 0x20, 0, "OUT2 low while counting");
	port61_io_ops.out(&p, 0x61, 1, 0x03);
	cr_assert_eq(port61_io_ops.in(&p, 0x61, 1) & 0x03, 0x03, "gate and speaker bits read back");
	now_ns = at_tick(20);
	cr_assert_eq(port61_io_ops.in(&p, 0x61, 1) & 0x20, 0x20, "OUT2 high at terminal count");
	/* Mode 1 on channel 2 waits for a gate edge. */
	port61_io_ops.out(&p, 0x61, 1, 0x00);
	out(0x43, 0xB2);
	out(0x42, 10);
	out(0x42, 0);
	now_ns = at_tick(100);
	cr_assert_eq(pit_out(&p, 2, now_ns), 1, "no trigger yet: OUT high");
	port61_io_ops.out(&p, 0x61, 1, 0x01);
	cr_assert_eq(pit_out(&p, 2, now_ns + at_tick(5)), 0, "one-shot running: OUT low");
	cr_assert_eq(pit_out(&p, 2, now_ns + at_tick(10)), 1, "high at terminal count");
}

Test(pit, port61_refresh_toggles)
{
	int a, b;

	now_ns = 0;
	a = port61_io_ops.in(&p, 0x61, 1) & 0x10;
	now_ns = 15085;
	b = port61_io_ops.in(&p, 0x61, 1) & 0x10;
	cr_assert_neq(a, b);
}
