/* multiboot.h - Multiboot v1 loading of an ELF32 kernel and its modules
 * into guest RAM, the boot information structure, and the hand-off block
 * the boot ROM reads (docs/boot.md). */
#ifndef EMU_MULTIBOOT_H
#define EMU_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>
#include "cmdline.h"

#define MB_HEADER_MAGIC     0x1BADB002u
#define MB_BOOT_MAGIC       0x2BADB002u   /* in EAX at the kernel entry */
#define MB_SEARCH_LIMIT     8192u

/* The hand-off block: the loader writes it, the boot ROM reads it. */
#define MB_HANDOFF_ADDR     0x500u
#define MB_HANDOFF_MAGIC    0x6B6C6D6Du   /* "mmlk" little-endian */
struct mb_handoff {
	uint32_t magic;      /* MB_HANDOFF_MAGIC when a kernel is loaded */
	uint32_t entry;      /* physical entry point */
	uint32_t info;       /* physical address of the Multiboot info (-> EBX) */
	uint32_t eax;        /* MB_BOOT_MAGIC */
};

/* Where the boot information lives (as QEMU puts it: from 0x9000). */
#define MB_INFO_ADDR        0x9000u
#define MB_INFO_END         0x9FC00u
/* Low memory a kernel image may not overlap (hand-off block and info). */
#define MB_LOW_RESERVED_END 0xA0000u
/* The memory map reports what SeaBIOS (QEMU's BIOS) reports: 1 KiB of
 * EBDA below 640 KiB and the top 128 KiB of RAM reserved. */
#define MB_EBDA_START       0x9FC00u
#define MB_FW_RESERVED      0x20000u
#define MB_USABLE_END(ram)  ((uint32_t)(ram) - MB_FW_RESERVED)
#define MB_HOLE_START       0xA0000u
#define MB_HOLE_END         0x100000u

/* Multiboot information flags. */
#define MBI_MEMORY      (1u << 0)
#define MBI_BOOTDEV     (1u << 1)
#define MBI_CMDLINE     (1u << 2)
#define MBI_MODS        (1u << 3)
#define MBI_MMAP        (1u << 6)
#define MBI_LOADER_NAME (1u << 9)

/* How the loader reaches guest memory (the bus in the machine, a plain
 * array in tests). write() is only called for ranges inside RAM. */
struct guest_mem {
	void (*write)(void *opaque, uint32_t paddr, const void *src, uint32_t len);
	void *opaque;
	uint32_t ram_size;
};

struct mb_result {
	uint32_t entry;       /* physical */
	uint32_t info_addr;
	uint32_t kernel_start, kernel_end;   /* physical extent of the segments */
	uint32_t mods_end;
};

/* Load the ELF kernel image `img` (named `name` in messages), its modules
 * and the boot information. Returns 0, or -1 with one line in err naming
 * the file and the defect; nothing is written to guest memory on error. */
int multiboot_load_image(const struct guest_mem *m, const char *name,
			 const uint8_t *img, size_t len, const char *append,
			 const struct module_opt *mods, int nmods,
			 struct mb_result *out, char *err, int errlen);
/* The same, reading the kernel and module files. */
int multiboot_load(const struct guest_mem *m, const char *kernel, const char *append,
		   const struct module_opt *mods, int nmods, struct mb_result *out,
		   char *err, int errlen);

/* Read a whole file (for the loader and -bios). Returns a malloc'd buffer
 * or NULL (errno set). */
uint8_t *read_file(const char *path, size_t *len);

#endif
