/* debugexit.h - QEMU's isa-debug-exit: a write of V ends the emulator with
 * exit status (V << 1) | 1, so a guest can report success or failure. */
#ifndef EMU_DEBUGEXIT_H
#define EMU_DEBUGEXIT_H

#include <stdint.h>
#include "../mmu/bus.h"

struct debugexit {
	int requested;
	int status;
	void (*on_exit)(void *opaque, int status);
	void *opaque;
};

/* The exit status for a written value (truncated to 8 bits by the host's
 * exit(), as in QEMU). */
static inline int debugexit_status(uint32_t val) { return (int)((val << 1) | 1); }

extern const struct io_ops debugexit_io_ops;

#endif
