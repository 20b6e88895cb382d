/* bus_internal.h - what mmu/ knows about the bus beyond bus.h. Not for use
 * outside mmu/.
 *
 * The MMU's host fast path keeps host pointers into RAM. It must drop them
 * when the meaning of a frame changes: the A20 gate moves, a frame becomes
 * code (writes must then reach the smc hook), or a device is mapped over
 * RAM. The bus tells its listeners about each such change.
 */
#ifndef MMU_BUS_INTERNAL_H
#define MMU_BUS_INTERNAL_H

#include "bus.h"

enum bus_change {
	BUS_CHANGE_A20,   /* the A20 gate changed; pfn unused */
	BUS_CHANGE_CODE,  /* frame pfn was marked as code */
	BUS_CHANGE_MAP,   /* an MMIO region was mapped; pfn unused */
};

typedef void (*bus_listener_fn)(void *opaque, enum bus_change what, uint32_t pfn);

/* Register / remove a listener (at most BUS_MAX_LISTENERS at a time).
 * Returns 0, or -1 when the table is full. */
#define BUS_MAX_LISTENERS 8
int bus_add_listener(struct bus *b, bus_listener_fn fn, void *opaque);
void bus_remove_listener(struct bus *b, void *opaque);

/* The A20 mask applied to physical addresses (~0 or ~(1 << 20)). */
uint32_t bus_a20_mask(const struct bus *b);

#endif
