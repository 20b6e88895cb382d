/* vga.h - VGA text memory at 0xB8000 (32 KiB window, the first 4000 bytes
 * are the 80x25 screen of character/attribute pairs) as an MMIO region, so
 * a window can draw it. No VGA registers are modelled. */
#ifndef EMU_VGA_H
#define EMU_VGA_H

#include <stdint.h>
#include "../mmu/bus.h"

#define VGA_TEXT_BASE 0xB8000u
#define VGA_TEXT_SIZE 0x8000u
#define VGA_COLS 80
#define VGA_ROWS 25

struct vga {
	uint8_t text[VGA_TEXT_SIZE];
	uint64_t writes;   /* bumped on each write: a cheap "changed" test */
};

void vga_init(struct vga *v);
extern const struct mmio_ops vga_mmio_ops;

#endif
