/* multiboot.h - Multiboot v1 structures (the Multiboot Specification 0.6.96). */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_PAGE_ALIGN 0x00000001
#define MULTIBOOT_MEMORY_INFO 0x00000002

#define MBI_MEMORY (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)

#ifndef __ASSEMBLER__
#include <linux/types.h>

struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;	/* KiB below 1 MiB / above 1 MiB */
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	/* drives, config table, loader name, APM, VBE follow: unused */
} __attribute__((packed));

struct multiboot_mod {
	u32 mod_start, mod_end, string, reserved;
} __attribute__((packed));

/* One memory map entry; `size` does not count itself. */
struct multiboot_mmap {
	u32 size;
	u64 addr, len;
	u32 type;
} __attribute__((packed));
#endif /* __ASSEMBLER__ */
#endif
