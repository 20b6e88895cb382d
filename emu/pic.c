/* pic.c - 8259A programmable interrupt controller pair (Intel 8259A data
 * sheet: ICW1-4, OCW1-3, fully nested mode with rotation, AEOI, poll). */
#include <string.h>
#include "log.h"
#include "pic.h"

/* Priority rank (0 highest) of the best request in mask, 8 if none. */
static int priority(const struct i8259 *s, uint8_t mask)
{
	int p;

	if (!mask)
		return 8;
	for (p = 0; !(mask & (1u << ((p + s->priority_add) & 7))); p++)
		;
	return p;
}

/* The IR that would interrupt now, or -1: the best unmasked request of
 * higher priority than everything in service. */
static int chip_pending(const struct i8259 *s, int is_master)
{
	int req = priority(s, s->irr & ~s->imr);
	uint8_t serving = s->isr;

	if (req == 8)
		return -1;
	if (s->special_mask)
		serving &= ~s->imr;
	/* Special fully nested mode is not modelled; a slave in service on
	 * IR2 blocks further slave requests as in fully nested mode. */
	(void)is_master;
	if (req < priority(s, serving))
		return (req + s->priority_add) & 7;
	return -1;
}

static void chip_set_line(struct i8259 *s, int ir, int level)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (level) {
		if (!(s->lines & bit))
			s->irr |= bit;
		s->lines |= bit;
	} else {
		/* Edge mode: a request withdrawn before INTA is lost (QEMU does
		 * the same; the CPU then sees a spurious IRQ7). */
		s->irr &= (uint8_t)~bit;
		s->lines &= (uint8_t)~bit;
	}
}

/* Recompute the slave's output into master IR2 and the master's INT. */
static void update(struct pic *p)
{
	int slave_out = chip_pending(&p->chip[1], 0) >= 0;
	int intr;

	chip_set_line(&p->chip[0], 2, slave_out);
	intr = chip_pending(&p->chip[0], 1) >= 0;
	if (intr != p->intr) {
		p->intr = intr;
		if (p->set_intr)
			p->set_intr(p->opaque, intr);
	}
}

static void chip_reset(struct i8259 *s)
{
	memset(s, 0, sizeof(*s));
}

void pic_init(struct pic *p, void (*set_intr)(void *opaque, int level), void *opaque)
{
	memset(p, 0, sizeof(*p));
	chip_reset(&p->chip[0]);
	chip_reset(&p->chip[1]);
	p->set_intr = set_intr;
	p->opaque = opaque;
}

void pic_set_irq(struct pic *p, int irq, int level)
{
	if (irq < 0 || irq > 15)
		return;
	if (irq == 2)
		irq = 9;   /* on the AT, the bus's IRQ2 line is wired to IRQ9 */
	chip_set_line(&p->chip[irq >> 3], irq & 7, level);
	update(p);
}

void pic_irq_line(void *opaque, int irq, int level)
{
	pic_set_irq(opaque, irq, level);
}

/* INTA on one chip for ir: move the request into service. */
static void chip_ack(struct i8259 *s, int ir)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (s->auto_eoi) {
		if (s->rotate_aeoi)
			s->priority_add = (uint8_t)((ir + 1) & 7);
	} else {
		s->isr |= bit;
	}
	s->irr &= (uint8_t)~bit;
}

int pic_ack(struct pic *p)
{
	struct i8259 *m = &p->chip[0], *sl = &p->chip[1];
	int ir = chip_pending(m, 1);
	int vec;

	if (ir < 0) {
		vec = m->vector_base | 7;          /* spurious IRQ7: ISR untouched */
	} else if (ir == 2) {
		int sir = chip_pending(sl, 0);

		chip_ack(m, 2);
		if (sir < 0) {
			vec = sl->vector_base | 7; /* spurious IRQ15 */
		} else {
			chip_ack(sl, sir);
			vec = sl->vector_base | sir;
		}
	} else {
		chip_ack(m, ir);
		vec = m->vector_base | ir;
	}
	update(p);
	return vec;
}

static void chip_eoi(struct i8259 *s, int ir, int rotate)
{
	s->isr &= (uint8_t)~(1u << ir);
	if (rotate)
		s->priority_add = (uint8_t)((ir + 1) & 7);
}

static void write_cmd(struct i8259 *s, uint8_t val)
{
	if (val & 0x10) {                          /* ICW1 */
		uint8_t base = s->vector_base;

		chip_reset(s);
		s->vector_base = base;
		s->init_state = 1;
		s->need_icw4 = val & 1;
		s->single = (val >> 1) & 1;
		if ((val & 0x08) && log_on(LOG_GUEST_ERR))
			log_line("pic: level-triggered mode requested; modelled as edge");
		return;
	}
	if (val & 0x08) {                          /* OCW3 */
		if (val & 0x04)
			s->poll = 1;
		if (val & 0x02)
			s->read_isr = val & 1;
		if (val & 0x40)
			s->special_mask = (val >> 5) & 1;
		return;
	}
	switch (val >> 5) {                        /* OCW2 */
	case 0: s->rotate_aeoi = 0; break;
	case 4: s->rotate_aeoi = 1; break;
	case 1: case 5: {                          /* non-specific EOI (+rotate) */
		int pr = priority(s, s->isr);

		if (pr != 8)
			chip_eoi(s, (pr + s->priority_add) & 7, (val >> 5) == 5);
		break;
	}
	case 3: chip_eoi(s, val & 7, 0); break;    /* specific EOI */
	case 7: chip_eoi(s, val & 7, 1); break;    /* specific EOI + rotate */
	case 6: s->priority_add = (uint8_t)((val + 1) & 7); break;  /* set priority */
	default: break;                            /* 2: no operation */
	}
}

static void write_data(struct i8259 *s, uint8_t val)
{
	switch (s->init_state) {
	case 1:
		s->vector_base = val & 0xF8;
		s->init_state = s->single ? (s->need_icw4 ? 3 : 0) : 2;
		break;
	case 2:
		s->init_state = s->need_icw4 ? 3 : 0;  /* ICW3: cascade wiring is fixed */
		break;
	case 3:
		s->auto_eoi = (val >> 1) & 1;
		s->init_state = 0;
		break;
	default:
		s->imr = val;                          /* OCW1 */
		break;
	}
}

/* Poll command result: 0x80 | IR and the request is acknowledged. */
static uint8_t chip_poll(struct pic *p, int which)
{
	struct i8259 *s = &p->chip[which];
	int ir = chip_pending(s, which == 0);

	s->poll = 0;
	if (ir < 0)
		return 0;
	chip_ack(s, ir);   /* a master IR2 answer means: poll the slave next */
	update(p);
	return (uint8_t)(0x80 | ir);
}

static uint32_t pic_in(void *opaque, uint16_t port, int size)
{
	struct pic *p = opaque;
	int which = (port & 0x80) ? 1 : 0;
	struct i8259 *s = &p->chip[which];

	(void)size;
	if (s->poll)
		return chip_poll(p, which);
	if (port & 1)
		return s->imr;
	return s->read_isr ? s->isr : s->irr;
}

static void pic_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct pic *p = opaque;
	struct i8259 *s = &p->chip[(port & 0x80) ? 1 : 0];

	(void)size;
	if (port & 1)
		write_data(s, (uint8_t)val);
	else
		write_cmd(s, (uint8_t)val);
	update(p);
}

const struct io_ops pic_io_ops = { pic_in, pic_out };
