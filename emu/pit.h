/* pit.h - 8254 programmable interval timer at 0x40-0x43 (channel 0 drives
 * IRQ0, channel 2 the speaker through port 0x61). Input clock 1.193182 MHz
 * of virtual time. */
#ifndef EMU_PIT_H
#define EMU_PIT_H

#include <stdint.h>
#include "../mmu/bus.h"
#include "irq.h"
#include "vclock.h"

#define PIT_HZ 1193182u

struct pit_channel {
	uint32_t count;        /* reload value, 1..0x10000 */
	uint64_t load_time;    /* ns when counting (re)started */
	uint8_t mode;          /* 0..5 */
	uint8_t rw;            /* 1 lsb, 2 msb, 3 lsb then msb */
	uint8_t bcd;
	uint8_t gate;
	uint8_t armed;         /* a count has been written and counting runs */
	uint8_t null_count;
	uint8_t write_msb;     /* rw 3: next write is the msb */
	uint8_t read_msb;      /* rw 3: next read is the msb */
	uint8_t write_lsb_val;
	uint8_t latched;       /* bytes of latched count left (0..2) */
	uint16_t latch;
	uint8_t latch_msb;     /* rw 3 latched: next byte is msb */
	uint8_t status_latched;
	uint8_t status;
	uint64_t irq_done;     /* period index (or 1 for one-shots) already signalled */
};

struct pit {
	struct pit_channel ch[3];
	uint8_t speaker;       /* port 0x61 bit 1 */
	struct irq_line irq0;
	const struct vclock *clock;
};

void pit_init(struct pit *p, const struct vclock *clock, struct irq_line irq0);

/* Counter value and OUT level of channel c at time now (ns). */
uint32_t pit_counter(const struct pit *p, int c, uint64_t now);
int pit_out(const struct pit *p, int c, uint64_t now);

/* Raise IRQ0 for the channel-0 events at or before now. */
void pit_update(struct pit *p, uint64_t now);
/* Time (ns) of the next IRQ0 event after now, or VCLOCK_NEVER. */
uint64_t pit_next_event(const struct pit *p, uint64_t now);

extern const struct io_ops pit_io_ops;     /* 0x40-0x43 */
extern const struct io_ops port61_io_ops;  /* 0x61 (opaque: struct pit) */

#endif
