/* page.h - the kernel's virtual layout and address conversions.
 *
 * Virtual memory map (Linux i386, 3G/1G split, no PAE):
 *
 *  0x00000000 .. 0xBFFFFFFF  user space (part 2)
 *  0xC0000000 .. high_memory lowmem: physical 0.. mapped 1:1 at PAGE_OFFSET,
 *                            at most 896 MiB (MAXMEM)
 *  high_memory + 8..16 MiB   gap (VMALLOC_OFFSET) catching stray accesses
 *  VMALLOC_START .. _END     vmalloc areas, each followed by a 4 KiB guard
 *  PKMAP_BASE (0xFF800000)   4 MiB of persistent kmaps of highmem pages
 *  FIXADDR_START .. TOP      fixmap: compile-time-indexed single pages
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H
#include <linux/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define PAGE_OFFSET 0xC0000000UL
/* Lowmem limit: 896 MiB leaves 128 MiB of kernel space for vmalloc etc. */
#define MAXMEM (896UL << 20)
#define MAXMEM_PFN (MAXMEM >> PAGE_SHIFT)

#define __pa(x) ((phys_addr_t)(x) - PAGE_OFFSET)
#define __va(x) ((void *)((unsigned long)(x) + PAGE_OFFSET))
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

/* xv6-style page table index helpers: a linear address is
 * PDX (10 bits) | PTX (10 bits) | offset (12 bits). */
#define PDXSHIFT 22
#define PTXSHIFT 12
#define PDX(va) (((u32)(va) >> PDXSHIFT) & 0x3FF)
#define PTX(va) (((u32)(va) >> PTXSHIFT) & 0x3FF)
#define PGADDR(d, t, o) ((u32)((d) << PDXSHIFT | (t) << PTXSHIFT | (o)))
#define PTE_ADDR(pte) ((u32)(pte) & ~0xFFFu)
#define PTE_FLAGS(pte) ((u32)(pte) & 0xFFFu)
#define NPDENTRIES 1024
#define NPTENTRIES 1024
#define PGDIR_SIZE (1UL << PDXSHIFT)	/* bytes mapped by one PDE: 4 MiB */
#define PGDIR_MASK (~(PGDIR_SIZE - 1))

/* Page directory / table entry bits (Intel SDM vol. 3, 4.3). */
#define _PAGE_PRESENT 0x001
#define _PAGE_RW 0x002
#define _PAGE_USER 0x004
#define _PAGE_PWT 0x008
#define _PAGE_PCD 0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY 0x040
#define _PAGE_PSE 0x080
#define _PAGE_GLOBAL 0x100
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_ACCESSED)

/* Physical window reserved for the kernel image: 1 MiB .. 4 MiB, fixed so
 * that the boot summary does not move when the code grows a few bytes. */
#define KERNEL_LOAD_PHYS 0x00100000UL
#define KERNEL_WINDOW_END 0x00400000UL

/* The boot map set up in head.S covers this much physical memory. */
#define EARLY_MAP_SIZE (16UL << 20)

#ifndef __ASSEMBLER__
extern unsigned long high_memory;	/* virtual end of the direct map */
#endif
#endif
