/* cmos.h - MC146818-style CMOS RAM and real-time clock at 0x70/0x71.
 * The clock shows 2000-01-01 00:00:00 plus virtual time, so runs are
 * reproducible; the guest may set it (an offset is kept). */
#ifndef EMU_CMOS_H
#define EMU_CMOS_H

#include <stdint.h>
#include "../mmu/bus.h"
#include "vclock.h"

struct cmos {
	uint8_t ram[128];
	uint8_t index;
	uint8_t nmi_disabled;      /* bit 7 of the last index write */
	int64_t offset_s;          /* guest-set time minus virtual time */
	const struct vclock *clock;
};

/* Fill the memory-size registers from ram_size (bytes). */
void cmos_init(struct cmos *c, const struct vclock *clock, uint32_t ram_size);

/* Calendar of `secs` seconds after 2000-01-01 00:00:00 (wday: 1 = Sunday,
 * as the RTC counts). */
struct cmos_date { int year, month, day, hour, min, sec, wday; };
void cmos_date_of(int64_t secs, struct cmos_date *d);
int64_t cmos_secs_of(const struct cmos_date *d);

extern const struct io_ops cmos_io_ops;   /* 0x70-0x71 */

#endif
