/* init.c - kernel page tables (the lowmem direct map, PKMAP and fixmap page
 * tables), the CR0.WP probe. The i386 counterpart of Linux's
 * arch/x86/mm/init_32.c. */
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/e820.h>
#include <mmulab/mm_channel.h>

pde_t swapper_pg_dir[NPDENTRIES] __attribute__((aligned(4096), section(".bss.page_aligned")));
static u8 wp_test_page[PAGE_SIZE] __attribute__((aligned(4096), section(".bss.page_aligned")));
unsigned long high_memory;
unsigned long nr_kernel_page_tables;	/* made after boot (vmalloc); never freed */
unsigned long max_pfn, max_low_pfn, min_low_pfn;

void bootmem_init(unsigned long start_pfn, unsigned long limit_pfn);
void bootmem_set_limit(unsigned long limit_pfn);
extern char _end[];

/* A zeroed page for a kernel page table: from bootmem before mem_map
 * exists, from the buddy allocator afterwards. */
static void *alloc_page_table(void)
{
	if (!mem_map)
		return alloc_bootmem_pages(PAGE_SIZE);
	unsigned long va = get_zeroed_page(GFP_KERNEL | __GFP_OWNER(MMOWN_PAGE_TABLE));
	if (va)
		nr_kernel_page_tables++;
	return (void *)va;
}

/* The PTE slot for kernel address va in swapper_pg_dir. With `alloc`, a
 * missing page table is created (returns NULL only if memory ran out);
 * without, NULL when there is no page table. */
pte_t *kernel_pte(unsigned long va, int alloc)
{
	pde_t *pde = &swapper_pg_dir[PDX(va)];
	if (!(*pde & _PAGE_PRESENT)) {
		if (!alloc)
			return 0;
		void *pt = alloc_page_table();
		if (!pt)
			return 0;
		*pde = __pa(pt) | _PAGE_TABLE;
	}
	pte_t *pt = __va(PTE_ADDR(*pde));
	return &pt[PTX(va)];
}

/* Map fixmap slot idx to a physical page with the given PTE flags. */
void set_fixmap(enum fixed_addresses idx, phys_addr_t phys, u32 flags)
{
	unsigned long va = __fix_to_virt(idx);
	*kernel_pte(va, 1) = (phys & PAGE_MASK) | flags;
	__flush_tlb_one(va);
}

void clear_fixmap(enum fixed_addresses idx)
{
	unsigned long va = __fix_to_virt(idx);
	*kernel_pte(va, 0) = 0;
	__flush_tlb_one(va);
}

/* Decide lowmem and highmem, build swapper_pg_dir (the direct map of
 * lowmem at PAGE_OFFSET, plus the PKMAP and fixmap page tables) and switch
 * to it, which also drops head.S's identity map. The page tables come from
 * bootmem, which starts after the kernel window (skipping modules) and must
 * stay inside the boot map until CR3 is loaded. */
void paging_init(void)
{
	max_pfn = e820_end_of_ram_pfn();
	max_low_pfn = max_pfn < MAXMEM_PFN ? max_pfn : MAXMEM_PFN;
	high_memory = (unsigned long)__va(PFN_PHYS(max_low_pfn));
	if (max_pfn > max_low_pfn)
		printk(KERN_NOTICE "%luMB HIGHMEM available.\n",
		       (max_pfn - max_low_pfn) >> (20 - PAGE_SHIFT));
	printk(KERN_NOTICE "%luMB LOWMEM available.\n", max_low_pfn >> (20 - PAGE_SHIFT));

	u32 first = KERNEL_WINDOW_END;
	if (__pa(_end) > first)
		first = PAGE_ALIGN(__pa(_end));
	min_low_pfn = PFN_DOWN(first);
	unsigned long limit = PFN_DOWN(EARLY_MAP_SIZE);
	bootmem_init(min_low_pfn, limit < max_low_pfn ? limit : max_low_pfn);

	/* One page table at a time: 1024 PTEs, then the next PDE. */
	for (unsigned long pfn = 0; pfn < max_low_pfn; pfn += NPTENTRIES) {
		pte_t *pt = kernel_pte((unsigned long)__va(PFN_PHYS(pfn)), 1);
		unsigned long n = min(max_low_pfn - pfn, (unsigned long)NPTENTRIES);
		for (unsigned long i = 0; i < n; i++)
			pt[i] = PFN_PHYS(pfn + i) | PAGE_KERNEL;
	}
	kernel_pte(PKMAP_BASE, 1);
	kernel_pte(FIXADDR_START, 1);

	write_cr3(__pa(swapper_pg_dir));
	bootmem_set_limit(max_low_pfn);
}

/* Write to a read-only kernel mapping: with CR0.WP honoured the write
 * faults and the __ex_table fixup skips the "it worked" instruction.
 * Returns 1 if the write faulted. */
static int do_test_wp_bit(void)
{
	char tmp;
	int faulted = 1;
	__asm__ volatile(
		"movb %0, %1\n"
		"1:\tmovb %1, %0\n\t"
		"xorl %2, %2\n"
		"2:\n"
		".section __ex_table, \"a\"\n\t"
		".align 4\n\t"
		".long 1b, 2b\n"
		".previous"
		: "+m"(*(volatile char *)__fix_to_virt(FIX_WP_TEST)), "=q"(tmp), "+r"(faulted)
		:
		: "memory");
	return faulted;
}

/* The boot check Linux printed for a decade: set CR0.WP (it stays set) and
 * see whether ring 0 may still write a read-only page. The 386 has no WP
 * bit and writes; the 486 and later fault. */
int wp_works_ok;

void test_wp_bit(void)
{
	printk(KERN_INFO "Checking if this processor honours the WP bit even in supervisor mode...");
	write_cr0(read_cr0() | X86_CR0_WP);
	set_fixmap(FIX_WP_TEST, __pa(wp_test_page), PAGE_KERNEL_RO);
	int ok = do_test_wp_bit();
	wp_works_ok = ok;
	clear_fixmap(FIX_WP_TEST);
	printk(ok ? "Ok.\n" : "No.\n");
}
