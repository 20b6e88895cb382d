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

/* What the MMU's miss path reads on every refill, kept as the first member
 * of struct bus so that it is reachable inline (bus.c asserts the layout).
 * ram and frame_flags never move after bus_create(). A frame whose flags
 * are 0 is plain RAM not holding code: its bytes are ram[pfn << 12 ..],
 * and writes to it need no smc check. Frames at or past nframes are not
 * RAM; those between ram_size and nframes carry BUS_FR_NOTRAM. */
#define BUS_FR_CODE   0x01   /* marked by bus_mark_code */
#define BUS_FR_NOTRAM 0x02   /* not plain RAM: hole, MMIO overlay, past ram_size */
struct bus_hot {
	uint8_t *ram;
	uint8_t *frame_flags;
	uint32_t nframes;        /* entries in frame_flags */
	uint32_t a20_mask;
};
static inline const struct bus_hot *bus_hot(const struct bus *b)
{
	return (const struct bus_hot *)(const void *)b;
}
/* Host address of frame pfn if none of `bad` (BUS_FR_* bits) is set for
 * it, else NULL: the same answer as bus_ram_ptr(pfn << 12, PAGE_SIZE) for
 * bad = BUS_FR_NOTRAM, in one flag test. */
static inline uint8_t *bus_frame_ptr(const struct bus *b, uint32_t pfn, unsigned bad)
{
	const struct bus_hot *h = bus_hot(b);
	if (pfn >= h->nframes || (h->frame_flags[pfn] & bad))
		return NULL;
	return h->ram + ((size_t)pfn << PAGE_SHIFT);
}

#endif
