/* fake_bus.h - a minimal stand-in for mmu/'s bus in the mm channel tests:
 * 64 KiB of RAM from address 0 and one I/O port range. It implements only
 * the bus.h functions emu/mmchan.c calls, with bus.h's documented
 * semantics (bus_peek returns the count of RAM-backed bytes). */
#ifndef TESTS_GUEST_FAKE_BUS_H
#define TESTS_GUEST_FAKE_BUS_H
#include <stdint.h>
#include "bus.h"

#define FAKE_RAM_SIZE 0x10000u

struct bus {
	uint8_t ram[FAKE_RAM_SIZE];
	uint16_t io_port, io_count;
	const struct io_ops *io;
	void *io_opaque;
};

struct bus *fake_bus_new(void);
#endif
