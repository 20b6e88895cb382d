/* port92.h - system control port A (0x92): bit 1 fast A20 gate, bit 0 a
 * write of 1 resets the system (fast reset). */
#ifndef EMU_PORT92_H
#define EMU_PORT92_H

#include <stdint.h>
#include "../mmu/bus.h"

struct port92 {
	uint8_t val;
	int (*get_a20)(void *opaque);
	void (*set_a20)(void *opaque, int on);
	void (*reset)(void *opaque);
	void *opaque;
};

void port92_init(struct port92 *p, int (*get_a20)(void *opaque),
		 void (*set_a20)(void *opaque, int on), void (*reset)(void *opaque),
		 void *opaque);
extern const struct io_ops port92_io_ops;

#endif
