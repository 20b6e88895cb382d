/* debugexit.c - isa-debug-exit. Reads return 0xFF... as an unbacked port. */
#include "debugexit.h"

static uint32_t debugexit_in(void *opaque, uint16_t port, int size)
{
	(void)opaque; (void)port; (void)size;
	return 0xFFFFFFFFu;
}

static void debugexit_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct debugexit *d = opaque;

	(void)port;
	if (size < 4)
		val &= (1u << (8 * size)) - 1;
	d->requested = 1;
	d->status = debugexit_status(val);
	if (d->on_exit)
		d->on_exit(d->opaque, d->status);
}

const struct io_ops debugexit_io_ops = { debugexit_in, debugexit_out };
