/* bootrom.h - the built-in boot ROM image (roms/bootrom.S, embedded by
 * roms/rom2c.py at build time). */
#ifndef EMU_BOOTROM_H
#define EMU_BOOTROM_H

#include <stddef.h>
#include <stdint.h>

extern const size_t bootrom_image_size;
extern const uint8_t bootrom_image[];

#endif
