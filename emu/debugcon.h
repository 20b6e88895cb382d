/* debugcon.h - the Bochs/QEMU debug console port (0xE9 by default):
 * bytes written go to a character back end; a read returns 0xE9 so a
 * guest can detect the port. */
#ifndef EMU_DEBUGCON_H
#define EMU_DEBUGCON_H

#include <stdint.h>
#include "../mmu/bus.h"

struct debugcon {
	void (*tx_byte)(void *opaque, uint8_t b);
	void *opaque;
};
extern const struct io_ops debugcon_io_ops;

#endif
