/* vga.c - VGA text memory. */
#include <string.h>
#include "vga.h"

void vga_init(struct vga *v)
{
	memset(v, 0, sizeof(*v));
	/* Blank screen: spaces, light grey on black, as after a BIOS clear. */
	for (unsigned i = 0; i < VGA_COLS * VGA_ROWS; i++) {
		v->text[2 * i] = ' ';
		v->text[2 * i + 1] = 0x07;
	}
}

static uint32_t vga_read(void *opaque, uint32_t off, int size)
{
	const struct vga *v = opaque;
	uint32_t val = 0;

	for (int i = 0; i < size; i++)
		if (off + (uint32_t)i < VGA_TEXT_SIZE)
			val |= (uint32_t)v->text[off + (uint32_t)i] << (8 * i);
	return val;
}

static void vga_write(void *opaque, uint32_t off, int size, uint32_t val)
{
	struct vga *v = opaque;

	for (int i = 0; i < size; i++)
		if (off + (uint32_t)i < VGA_TEXT_SIZE)
			v->text[off + (uint32_t)i] = (uint8_t)(val >> (8 * i));
	v->writes++;
}

const struct mmio_ops vga_mmio_ops = { vga_read, vga_write };
