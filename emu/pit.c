/* pit.c - 8254 programmable interval timer (Intel 8254 data sheet).
 *
 * Modelling choices (docs/machine.md): the count is loaded at the instant
 * it is written (no extra load clock), as QEMU does; a new count in modes
 * 2/3 takes effect at once; BCD counting is not modelled (counts are
 * binary; -d guest_errors reports BCD use); the gate of channel 2 restarts
 * modes 1, 2, 3 and 5 on its rising edge and holds OUT high in modes 2/3
 * while low. IRQ0 rises at each rising edge of channel 0's OUT, which
 * is what the edge-triggered PIC latches (see raise_irq0()).
 */
#include <string.h>
#include "log.h"
#include "pit.h"

/* Whole input-clock ticks elapsed since the channel started counting. */
static uint64_t ticks_since(const struct pit_channel *c, uint64_t now)
{
	if (now <= c->load_time)
		return 0;
	return (uint64_t)((unsigned __int128)(now - c->load_time) * PIT_HZ / 1000000000u);
}

/* First ns at which `ticks` ticks have elapsed. */
static uint64_t time_of_tick(const struct pit_channel *c, uint64_t ticks)
{
	unsigned __int128 ns = ((unsigned __int128)ticks * 1000000000u + PIT_HZ - 1) / PIT_HZ;

	return c->load_time + (uint64_t)ns;
}

/* Counting runs: a count was written and, for gate-triggered modes, the
 * gate has triggered; modes 2/3 stop while the gate is low. */
static int running(const struct pit_channel *c)
{
	if (!c->armed)
		return 0;
	if ((c->mode == 2 || c->mode == 3) && !c->gate)
		return 0;
	return 1;
}

uint32_t pit_counter(const struct pit *p, int ch, uint64_t now)
{
	const struct pit_channel *c = &p->ch[ch];
	uint64_t d, ph;

	if (!running(c))
		return c->count & 0xFFFF;
	d = ticks_since(c, now);
	switch (c->mode) {
	case 2:
		return (uint32_t)(c->count - d % c->count) & 0xFFFF;
	case 3:
		ph = d % c->count;
		if (ph >= (c->count + 1) / 2)
			ph -= (c->count + 1) / 2;
		return (uint32_t)((c->count & ~1u) - 2 * ph) & 0xFFFF;
	default:   /* 0, 1, 4, 5: count down and wrap through 0xFFFF */
		return (uint32_t)(c->count - d) & 0xFFFF;
	}
}

int pit_out(const struct pit *p, int ch, uint64_t now)
{
	const struct pit_channel *c = &p->ch[ch];
	uint64_t d;

	if (!running(c))
		return c->mode != 0;
	d = ticks_since(c, now);
	switch (c->mode) {
	case 0: case 1: return d >= c->count;
	case 2: return d % c->count != c->count - 1;
	case 3: return d % c->count < (c->count + 1) / 2;
	default: return d != c->count;   /* 4, 5: one-tick strobe */
	}
}

uint64_t pit_next_event(const struct pit *p, uint64_t now)
{
	const struct pit_channel *c = &p->ch[0];
	uint64_t d;

	if (!running(c))
		return VCLOCK_NEVER;
	d = ticks_since(c, now);
	if (c->mode == 2 || c->mode == 3) {
		uint64_t k = d / c->count + 1;   /* next period boundary */

		if (k <= c->irq_done)
			k = c->irq_done + 1;
		return time_of_tick(c, k * c->count);
	}
	if (c->irq_done)
		return VCLOCK_NEVER;
	return time_of_tick(c, c->count);
}

/* A rising edge of OUT0 on IRQ0. The line is left high, as OUT is high
 * right after the edge in every mode (mode 2 drops it only for the tick
 * before the next reload): the PIC needs the request to stay up until it
 * is acknowledged, or it becomes a spurious IRQ7. */
static void raise_irq0(struct pit *p)
{
	irq_set(&p->irq0, 0);
	irq_set(&p->irq0, 1);
}

void pit_update(struct pit *p, uint64_t now)
{
	struct pit_channel *c = &p->ch[0];
	uint64_t d;

	if (!running(c))
		return;
	d = ticks_since(c, now);
	if (c->mode == 2 || c->mode == 3) {
		uint64_t k = d / c->count;

		if (k > c->irq_done) {
			/* Missed periods coalesce into one edge, as a PIC would. */
			c->irq_done = k;
			raise_irq0(p);
		}
	} else if (!c->irq_done && d >= c->count) {
		c->irq_done = 1;
		raise_irq0(p);
	}
}

void pit_init(struct pit *p, const struct vclock *clock, struct irq_line irq0)
{
	memset(p, 0, sizeof(*p));
	p->clock = clock;
	p->irq0 = irq0;
	for (int i = 0; i < 3; i++) {
		p->ch[i].gate = i != 2;   /* channel 2's gate is port 0x61 bit 0 */
		p->ch[i].rw = 3;
		p->ch[i].count = 0x10000;
	}
}

static void start_counting(struct pit *p, int ch, uint64_t now)
{
	struct pit_channel *c = &p->ch[ch];

	c->load_time = now;
	c->irq_done = 0;
	c->null_count = 0;
	/* Modes 1 and 5 wait for a gate edge; on channels 0/1 the gate is tied
	 * high, so they start at once as on a PC. */
	c->armed = !((c->mode == 1 || c->mode == 5) && ch == 2);
}

static void write_count(struct pit *p, int ch, uint8_t val, uint64_t now)
{
	struct pit_channel *c = &p->ch[ch];
	uint32_t n;

	switch (c->rw) {
	case 1: n = val; break;
	case 2: n = (uint32_t)val << 8; break;
	default:
		if (!c->write_msb) {
			c->write_lsb_val = val;
			c->write_msb = 1;
			if (c->mode == 0)
				c->armed = 0;   /* mode 0 stops on the first byte */
			return;
		}
		c->write_msb = 0;
		n = c->write_lsb_val | ((uint32_t)val << 8);
		break;
	}
	if (n == 0)
		n = 0x10000;
	if (n == 1 && (c->mode == 2 || c->mode == 3)) {
		if (log_on(LOG_GUEST_ERR))
			log_line("pit: count 1 is illegal in mode %d; using 2", c->mode);
		n = 2;
	}
	c->count = n;
	start_counting(p, ch, now);
}

static uint8_t status_byte(const struct pit *p, int ch, uint64_t now)
{
	const struct pit_channel *c = &p->ch[ch];

	return (uint8_t)(pit_out(p, ch, now) << 7 | c->null_count << 6 | c->rw << 4 |
			 c->mode << 1 | c->bcd);
}

static void latch_count(struct pit *p, int ch, uint64_t now)
{
	struct pit_channel *c = &p->ch[ch];

	if (c->latched)
		return;   /* a second latch before reading is ignored */
	c->latch = (uint16_t)pit_counter(p, ch, now);
	c->latched = c->rw == 3 ? 2 : 1;
	c->latch_msb = c->rw == 2;
}

static void write_control(struct pit *p, uint8_t val, uint64_t now)
{
	int ch = val >> 6;
	struct pit_channel *c;

	if (ch == 3) {                     /* read-back command */
		for (int i = 0; i < 3; i++) {
			if (!(val & (2u << i)))
				continue;
			if (!(val & 0x20))
				latch_count(p, i, now);
			if (!(val & 0x10) && !p->ch[i].status_latched) {
				p->ch[i].status = status_byte(p, i, now);
				p->ch[i].status_latched = 1;
			}
		}
		return;
	}
	c = &p->ch[ch];
	if (((val >> 4) & 3) == 0) {       /* counter latch command */
		latch_count(p, ch, now);
		return;
	}
	c->rw = (val >> 4) & 3;
	c->mode = (val >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;                  /* 6, 7 are aliases of 2, 3 */
	c->bcd = val & 1;
	if (c->bcd && log_on(LOG_GUEST_ERR))
		log_line("pit: BCD counting on channel %d is not modelled (binary used)", ch);
	c->write_msb = c->read_msb = 0;
	c->latched = 0;
	c->status_latched = 0;
	c->null_count = 1;
	c->armed = 0;
	c->irq_done = 0;
}

static uint8_t read_count(struct pit *p, int ch, uint64_t now)
{
	struct pit_channel *c = &p->ch[ch];
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = 0;
		return c->status;
	}
	if (c->latched) {
		uint8_t b = c->latch_msb ? (uint8_t)(c->latch >> 8) : (uint8_t)c->latch;

		c->latched--;
		c->latch_msb = 1;
		return b;
	}
	v = (uint16_t)pit_counter(p, ch, now);
	switch (c->rw) {
	case 1: return (uint8_t)v;
	case 2: return (uint8_t)(v >> 8);
	default:
		c->read_msb ^= 1;
		return c->read_msb ? (uint8_t)v : (uint8_t)(v >> 8);
	}
}

static uint32_t pit_in(void *opaque, uint16_t port, int size)
{
	struct pit *p = opaque;

	(void)size;
	if ((port & 3) == 3)
		return 0xFF;   /* the control word register cannot be read */
	return read_count(p, port & 3, vclock_now(p->clock));
}

static void pit_out_port(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct pit *p = opaque;
	uint64_t now = vclock_now(p->clock);

	(void)size;
	if ((port & 3) == 3)
		write_control(p, (uint8_t)val, now);
	else
		write_count(p, port & 3, (uint8_t)val, now);
}

const struct io_ops pit_io_ops = { pit_in, pit_out_port };

/* Port 0x61 (system control port B): bit 0 gate of channel 2, bit 1
 * speaker data enable, bit 4 refresh request toggling every 15.085 us,
 * bit 5 channel 2 OUT. */
static uint32_t port61_in(void *opaque, uint16_t port, int size)
{
	struct pit *p = opaque;
	uint64_t now = vclock_now(p->clock);

	(void)port; (void)size;
	return (uint32_t)(p->ch[2].gate | p->speaker << 1 | ((now / 15085) & 1) << 4 |
			  pit_out(p, 2, now) << 5);
}

static void port61_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct pit *p = opaque;
	struct pit_channel *c = &p->ch[2];
	int gate = val & 1;
	uint64_t now = vclock_now(p->clock);

	(void)port; (void)size;
	p->speaker = (val >> 1) & 1;
	if (gate && !c->gate && !c->null_count) {
		/* Rising gate edge: modes 1, 2, 3, 5 (re)start from the count. */
		if (c->mode == 1 || c->mode == 5 || c->mode == 2 || c->mode == 3) {
			c->load_time = now;
			c->armed = 1;
		}
	}
	c->gate = (uint8_t)gate;
}

const struct io_ops port61_io_ops = { port61_in, port61_out };
