/* test_cmos.c - CMOS RAM and RTC: memory-size bytes as a PC/AT BIOS sets
 * them, the clock from virtual time, BCD/binary and 12/24 h formats. */
#include <criterion/criterion.h>
#include "cmos.h"

static struct cmos c;
static uint64_t now_ns;
static uint64_t now_cb(void *o) { (void)o; return now_ns; }
static const struct vclock clk = { now_cb, NULL };

static uint8_t rd(uint8_t r) { cmos_io_ops.out(&c, 0x70, 1, r); return (uint8_t)cmos_io_ops.in(&c, 0x71, 1); }
static void wr(uint8_t r, uint8_t v) { cmos_io_ops.out(&c, 0x70, 1, r); cmos_io_ops.out(&c, 0x71, 1, v); }

Test(cmos, memory_size_32m)
{
	cmos_init(&c, &clk, 32u << 20);
	cr_assert_eq(rd(0x15) | rd(0x16) << 8, 640);
	cr_assert_eq(rd(0x17) | rd(0x18) << 8, 31744, "KiB above 1 MiB");
	cr_assert_eq(rd(0x30) | rd(0x31) << 8, 31744);
	cr_assert_eq(rd(0x34) | rd(0x35) << 8, 256, "64 KiB units above 16 MiB");
}

Test(cmos, memory_size_caps)
{
	cmos_init(&c, &clk, 128u << 20);
	cr_assert_eq(rd(0x17) | rd(0x18) << 8, 0xFFFF, "capped at 64 MiB - 1 KiB");
	cr_assert_eq(rd(0x34) | rd(0x35) << 8, (128 - 16) * 16);
	cmos_init(&c, &clk, 3072u << 20);
	cr_assert_eq(rd(0x34) | rd(0x35) << 8, (3072 - 16) * 16, "3 GiB is below the 0xFFFF cap");
	cmos_init(&c, &clk, 8u << 20);
	cr_assert_eq(rd(0x34) | rd(0x35) << 8, 0);
}

Test(cmos, clock_starts_2000_in_bcd)
{
	now_ns = 0;
	cmos_init(&c, &clk, 32u << 20);
	cr_assert_eq(rd(0x09), 0x00);
	cr_assert_eq(rd(0x08), 0x01);
	cr_assert_eq(rd(0x07), 0x01);
	cr_assert_eq(rd(0x06), 0x07, "2000-01-01 was a Saturday (day 7)");
	cr_assert_eq(rd(0x32), 0x20);
	cr_assert_eq(rd(0x0D), 0x80);
	cr_assert_eq(rd(0x0B) & 0x06, 0x02, "BCD, 24 hour");
	now_ns = (uint64_t)(13 * 3600 + 59 * 60 + 58) * 1000000000ull;
	cr_assert_eq(rd(0x04), 0x13);
	cr_assert_eq(rd(0x02), 0x59);
	cr_assert_eq(rd(0x00), 0x58);
	/* 2000 is a leap year: day 59 (0-based) is Feb 29. */
	now_ns = 59ull * 86400 * 1000000000ull;
	cr_assert_eq(rd(0x08), 0x02);
	cr_assert_eq(rd(0x07), 0x29);
}

Test(cmos, binary_and_12_hour)
{
	now_ns = (uint64_t)(15 * 3600) * 1000000000ull;
	cmos_init(&c, &clk, 32u << 20);
	wr(0x0B, 0x04);             /* binary, 12 hour */
	cr_assert_eq(rd(0x04), 0x80 | 3, "3 PM");
	cr_assert_eq(rd(0x08), 1);
	wr(0x0B, 0x00);             /* BCD, 12 hour */
	now_ns = 0;
	cr_assert_eq(rd(0x04), 0x12, "midnight is 12 AM");
}

Test(cmos, guest_sets_the_time)
{
	now_ns = 0;
	cmos_init(&c, &clk, 32u << 20);
	wr(0x09, 0x26);
	wr(0x08, 0x11);
	wr(0x07, 0x21);
	wr(0x04, 0x23);
	cr_assert_eq(rd(0x09), 0x26);
	cr_assert_eq(rd(0x08), 0x11);
	cr_assert_eq(rd(0x07), 0x21);
	cr_assert_eq(rd(0x06), 0x07, "2026-11-21 is a Saturday");
	now_ns = 3600ull * 1000000000ull;
	cr_assert_eq(rd(0x04), 0x00);
	cr_assert_eq(rd(0x07), 0x22, "the clock runs on: next day");
}

Test(cmos, update_in_progress_and_ram)
{
	cmos_init(&c, &clk, 32u << 20);
	now_ns = 500000000;
	cr_assert_eq(rd(0x0A) & 0x80, 0);
	now_ns = 999900000;
	cr_assert_eq(rd(0x0A) & 0x80, 0x80, "UIP in the last 244 us of a second");
	wr(0x40, 0x5A);
	cr_assert_eq(rd(0x40), 0x5A);
	cmos_io_ops.out(&c, 0x70, 1, 0x80 | 0x40);
	cr_assert_eq(c.nmi_disabled, 1, "bit 7 of the index masks NMI");
	cr_assert_eq(cmos_io_ops.in(&c, 0x71, 1), 0x5A);
}
