/* debugcon.c - debug console port. */
#include "debugcon.h"

static uint32_t debugcon_in(void *opaque, uint16_t port, int size)
{
	(void)opaque; (void)port; (void)size;
	return 0xE9;
}

static void debugcon_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct debugcon *d = opaque;

	(void)port; (void)size;
	if (d->tx_byte)
		d->tx_byte(d->opaque, (uint8_t)val);
}

const struct io_ops debugcon_io_ops = { debugcon_in, debugcon_out };
