/* bootmem.c - the boot-time allocator: a bump pointer through lowmem RAM,
 * used before mem_map exists (boot page tables, mem_map itself). Its pages
 * stay reserved forever, as Linux's bootmem allocations did. */
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/e820.h>

unsigned long bootmem_start_pfn, bootmem_end_pfn;
unsigned long bootmem_used_pages;	/* handed out (the range may skip modules) */
static unsigned long bootmem_limit_pfn;

/* Start handing out pages at `start_pfn`, never at or past `limit_pfn`. */
void bootmem_init(unsigned long start_pfn, unsigned long limit_pfn)
{
	bootmem_start_pfn = bootmem_end_pfn = start_pfn;
	bootmem_limit_pfn = limit_pfn;
}

void bootmem_set_limit(unsigned long limit_pfn)
{
	bootmem_limit_pfn = limit_pfn;
}

/* Does [pfn, pfn + pages) overlap a range reserved so far (a module)? */
static bool overlaps_reserved(unsigned long pfn, unsigned long pages)
{
	u64 start = PFN_PHYS((u64)pfn), end = PFN_PHYS((u64)(pfn + pages));
	for (int i = 0; i < nr_reserved; i++)
		if (start < reserved[i].end && reserved[i].start < end)
			return true;
	return false;
}

/* Zeroed, page-aligned memory of `size` bytes; the range must be RAM,
 * clear of reserved ranges (modules) and mapped (below the limit). The
 * pointer only moves up: anything it skips is non-RAM or reserved anyway,
 * so [bootmem_start_pfn, bootmem_end_pfn) can be reserved as a whole.
 * Panics when there is no room: nothing can run without these. */
void *alloc_bootmem_pages(unsigned long size)
{
	unsigned long pages = PFN_UP(size);
	unsigned long pfn = bootmem_end_pfn;
	while (pfn + pages <= bootmem_limit_pfn &&
	       (!e820_all_ram(PFN_PHYS((u64)pfn), PFN_PHYS((u64)(pfn + pages))) ||
		overlaps_reserved(pfn, pages)))
		pfn++;
	if (pfn + pages > bootmem_limit_pfn)
		panic("out of boot memory (%lu pages wanted)", pages);
	bootmem_end_pfn = pfn + pages;
	bootmem_used_pages += pages;
	void *p = __va(PFN_PHYS(pfn));
	memset(p, 0, pages * PAGE_SIZE);
	return p;
}
