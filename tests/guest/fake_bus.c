/* fake_bus.c - see fake_bus.h. */
#include "fake_bus.h"
#include <stdlib.h>
#include <string.h>

struct bus *fake_bus_new(void)
{
	return calloc(1, sizeof(struct bus));
}

void bus_map_io(struct bus *b, uint16_t port, uint16_t count, const struct io_ops *ops, void *opaque)
{
	b->io_port = port;
	b->io_count = count;
	b->io = ops;
	b->io_opaque = opaque;
}

uint32_t bus_peek(const struct bus *b, uint32_t paddr, void *dst, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t backed = 0;
	for (uint32_t i = 0; i < len; i++) {
		uint64_t a = (uint64_t)paddr + i;
		if (a < FAKE_RAM_SIZE) {
			d[i] = b->ram[a];
			backed++;
		} else {
			d[i] = 0xFF;
		}
	}
	return backed;
}

/* Port I/O through the registered range; unclaimed ports float high. */
uint32_t bus_in(struct bus *b, uint16_t port, int size)
{
	if (b->io && port >= b->io_port && port < b->io_port + b->io_count)
		return b->io->in(b->io_opaque, port, size);
	return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFFu;
}

void bus_out(struct bus *b, uint16_t port, int size, uint32_t val)
{
	if (b->io && port >= b->io_port && port < b->io_port + b->io_count)
		b->io->out(b->io_opaque, port, size, val);
}
