/* cmos.c - CMOS RAM and RTC (Motorola MC146818A data sheet; the PC/AT
 * BIOS layout for the memory-size bytes).
 *
 * Register map kept: 0x00-0x09 time/date (BCD or binary, 12/24 h per
 * status B), 0x0A-0x0D status A-D, 0x10 floppy types, 0x14 equipment,
 * 0x15/0x16 base memory (KiB), 0x17/0x18 and 0x30/0x31 extended memory
 * above 1 MiB (KiB, at most 0xFFFF), 0x34/0x35 memory above 16 MiB (64 KiB
 * units, as SeaBIOS/QEMU use), 0x32 century. Alarms and the periodic
 * interrupt (IRQ8) are not modelled.
 */
#include <string.h>
#include "cmos.h"

enum { REG_SEC = 0, REG_MIN = 2, REG_HOUR = 4, REG_WDAY = 6, REG_DAY = 7, REG_MONTH = 8,
       REG_YEAR = 9, REG_A = 0x0A, REG_B = 0x0B, REG_C = 0x0C, REG_D = 0x0D,
       REG_CENTURY = 0x32 };
#define B_24H 0x02
#define B_BINARY 0x04

/* Days since 2000-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 730425;   /* 730425: 0000-03-01 .. 2000-01-01 */
}

void cmos_date_of(int64_t secs, struct cmos_date *d)
{
	int64_t days = secs / 86400, rem = secs % 86400;
	int64_t z, era, doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	d->hour = (int)(rem / 3600);
	d->min = (int)(rem / 60 % 60);
	d->sec = (int)(rem % 60);
	d->wday = (int)(((days + 6) % 7 + 7) % 7) + 1;   /* 2000-01-01 was a Saturday */
	z = days + 730425;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->year = (int)(yoe + era * 400 + (d->month <= 2));
}

int64_t cmos_secs_of(const struct cmos_date *d)
{
	return days_from_civil(d->year, d->month, d->day) * 86400 + d->hour * 3600 +
	       d->min * 60 + d->sec;
}

static int64_t now_secs(const struct cmos *c)
{
	return (int64_t)(vclock_now(c->clock) / 1000000000u) + c->offset_s;
}

static uint8_t to_reg(const struct cmos *c, int v)
{
	if (c->ram[REG_B] & B_BINARY)
		return (uint8_t)v;
	return (uint8_t)((v / 10) << 4 | v % 10);
}

static int from_reg(const struct cmos *c, uint8_t v)
{
	if (c->ram[REG_B] & B_BINARY)
		return v;
	return (v >> 4) * 10 + (v & 0xF);
}

static uint8_t hour_reg(const struct cmos *c, int h)
{
	if (c->ram[REG_B] & B_24H)
		return to_reg(c, h);
	/* 12-hour mode: 1..12, bit 7 set for PM. */
	return (uint8_t)(to_reg(c, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0));
}

static int hour_of_reg(const struct cmos *c, uint8_t v)
{
	int h;

	if (c->ram[REG_B] & B_24H)
		return from_reg(c, v);
	h = from_reg(c, v & 0x7F) % 12;
	return (v & 0x80) ? h + 12 : h;
}

void cmos_init(struct cmos *c, const struct vclock *clock, uint32_t ram_size)
{
	uint32_t ext_k = ram_size > (1u << 20) ? (ram_size - (1u << 20)) >> 10 : 0;
	uint32_t high64 = ram_size > (16u << 20) ? (ram_size - (16u << 20)) >> 16 : 0;

	memset(c, 0, sizeof(*c));
	c->clock = clock;
	c->ram[REG_A] = 0x26;           /* 32.768 kHz time base, 1024 Hz rate */
	c->ram[REG_B] = B_24H;          /* BCD, 24-hour, no interrupts */
	c->ram[REG_D] = 0x80;           /* valid RAM and time */
	c->ram[0x10] = 0x00;            /* no floppy drives */
	c->ram[0x14] = 0x06;            /* coprocessor present, display: EGA/VGA */
	c->ram[0x15] = 0x80;            /* 640 KiB base memory */
	c->ram[0x16] = 0x02;
	if (ext_k > 0xFFFF)
		ext_k = 0xFFFF;
	if (high64 > 0xFFFF)
		high64 = 0xFFFF;
	c->ram[0x17] = c->ram[0x30] = (uint8_t)ext_k;
	c->ram[0x18] = c->ram[0x31] = (uint8_t)(ext_k >> 8);
	c->ram[0x34] = (uint8_t)high64;
	c->ram[0x35] = (uint8_t)(high64 >> 8);
	c->ram[REG_CENTURY] = 0x20;
}

/* Read a register, computing the clock ones from virtual time. */
static uint8_t cmos_read_reg(struct cmos *c, uint8_t r)
{
	struct cmos_date d;
	uint64_t ns;

	if (r <= REG_YEAR || r == REG_CENTURY)
		cmos_date_of(now_secs(c), &d);
	switch (r) {
	case REG_SEC: return to_reg(c, d.sec);
	case REG_MIN: return to_reg(c, d.min);
	case REG_HOUR: return hour_reg(c, d.hour);
	case REG_WDAY: return to_reg(c, d.wday);
	case REG_DAY: return to_reg(c, d.day);
	case REG_MONTH: return to_reg(c, d.month);
	case REG_YEAR: return to_reg(c, d.year % 100);
	case REG_CENTURY: return to_reg(c, d.year / 100);
	case 1: case 3: case 5: return c->ram[r];   /* alarms: stored only */
	case REG_A:
		/* UIP is set during the last 244 us before each update. */
		ns = vclock_now(c->clock) % 1000000000u;
		return (uint8_t)((c->ram[REG_A] & 0x7F) | (ns >= 1000000000u - 244000u ? 0x80 : 0));
	case REG_C: {
		uint8_t v = c->ram[REG_C];

		c->ram[REG_C] = 0;   /* reading C clears the interrupt flags */
		return v;
	}
	default:
		return c->ram[r];
	}
}

static void cmos_write_reg(struct cmos *c, uint8_t r, uint8_t v)
{
	struct cmos_date d;

	if (r <= REG_YEAR && r != 1 && r != 3 && r != 5) {
		int64_t vsecs = (int64_t)(vclock_now(c->clock) / 1000000000u);

		cmos_date_of(vsecs + c->offset_s, &d);
		switch (r) {
		case REG_SEC: d.sec = from_reg(c, v); break;
		case REG_MIN: d.min = from_reg(c, v); break;
		case REG_HOUR: d.hour = hour_of_reg(c, v); break;
		case REG_DAY: d.day = from_reg(c, v); break;
		case REG_MONTH: d.month = from_reg(c, v); break;
		case REG_YEAR: d.year = d.year / 100 * 100 + from_reg(c, v); break;
		default: return;   /* day of week follows the date */
		}
		c->offset_s = cmos_secs_of(&d) - vsecs;
		return;
	}
	switch (r) {
	case REG_C: case REG_D: return;            /* read-only */
	case REG_A: c->ram[REG_A] = v & 0x7F; return;
	case REG_CENTURY: {
		int64_t vsecs = (int64_t)(vclock_now(c->clock) / 1000000000u);

		cmos_date_of(vsecs + c->offset_s, &d);
		d.year = from_reg(c, v) * 100 + d.year % 100;
		c->offset_s = cmos_secs_of(&d) - vsecs;
		return;
	}
	default: c->ram[r] = v; return;
	}
}

static uint32_t cmos_in(void *opaque, uint16_t port, int size)
{
	struct cmos *c = opaque;

	(void)size;
	if (!(port & 1))
		return 0xFF;   /* the index register is write-only */
	return cmos_read_reg(c, c->index);
}

static void cmos_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct cmos *c = opaque;

	(void)size;
	if (!(port & 1)) {
		c->index = val & 0x7F;
		c->nmi_disabled = (val >> 7) & 1;
	} else {
		cmos_write_reg(c, c->index, (uint8_t)val);
	}
}

const struct io_ops cmos_io_ops = { cmos_in, cmos_out };
