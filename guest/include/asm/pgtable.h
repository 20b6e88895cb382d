/* pgtable.h - kernel page tables, the fixmap, PKMAP and vmalloc bounds. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H
#include <asm/page.h>

/* The kernel's page directory (physical = __pa(swapper_pg_dir)). */
extern pde_t swapper_pg_dir[NPDENTRIES];

/* fixmap: slot i is the page at FIXADDR_TOP - i * PAGE_SIZE. */
enum fixed_addresses {
	FIX_HOLE,
	FIX_WP_TEST,		/* read-only mapping for the CR0.WP probe */
	FIX_KMAP_BEGIN,		/* kmap_atomic slots, one per km_type */
	FIX_KMAP_END = FIX_KMAP_BEGIN + 4 - 1,
	__end_of_fixed_addresses
};
#define FIXADDR_TOP 0xFFFFF000UL
#define FIXADDR_SIZE ((unsigned long)__end_of_fixed_addresses << PAGE_SHIFT)
#define FIXADDR_START (FIXADDR_TOP - FIXADDR_SIZE)
#define __fix_to_virt(x) (FIXADDR_TOP - ((unsigned long)(x) << PAGE_SHIFT))

/* PKMAP: one page table's worth of persistent kmap slots, 4 MiB aligned
 * below the fixmap. */
#define LAST_PKMAP 1024
#define PKMAP_BASE ((FIXADDR_START - PAGE_SIZE * (LAST_PKMAP + 1)) & PGDIR_MASK)
#define PKMAP_NR(virt) (((virt) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr) (PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))

#define VMALLOC_OFFSET (8UL << 20)
/* At least 8 MiB of unmapped gap after the direct map. */
#define VMALLOC_START ((high_memory + 2 * VMALLOC_OFFSET - 1) & ~(VMALLOC_OFFSET - 1))
#define VMALLOC_END (PKMAP_BASE - 2 * PAGE_SIZE)

/* Return the PTE slot for kernel address va, allocating a page table when
 * `alloc` is set (GFP_KERNEL; NULL if that fails or !alloc and none). */
pte_t *kernel_pte(unsigned long va, int alloc);
extern unsigned long nr_kernel_page_tables;
void set_fixmap(enum fixed_addresses idx, phys_addr_t phys, u32 flags);
void clear_fixmap(enum fixed_addresses idx);
void paging_init(void);
void test_wp_bit(void);
#endif
