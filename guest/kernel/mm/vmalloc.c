/* vmalloc.c - virtually contiguous kernel memory built page by page.
 *
 * Areas live in [VMALLOC_START, VMALLOC_END), kept in `vmlist` sorted by
 * address. Each area is one page longer than asked: the last page stays
 * unmapped (the guard), so running off the end faults instead of
 * corrupting the next area. Frames may come from HighMem: they are only
 * ever reached through this mapping.
 */
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/mm_events.h>

static struct vm_struct *vmlist;
static unsigned long vmalloc_pages;

/* First-fit search for `size` bytes (guard included) in the vmalloc range;
 * links and returns a new vm_struct, or NULL. */
static struct vm_struct *get_vm_area(unsigned long size)
{
	struct vm_struct *area = kmalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return 0;
	unsigned long addr = VMALLOC_START;
	struct vm_struct **p;
	for (p = &vmlist; *p; p = &(*p)->next) {
		struct vm_struct *tmp = *p;
		if (addr + size <= (unsigned long)tmp->addr)
			break;
		addr = (unsigned long)tmp->addr + tmp->size;
	}
	if (addr + size < addr || addr + size > VMALLOC_END) {
		kfree(area);
		return 0;
	}
	area->addr = (void *)addr;
	area->size = size;
	area->pages = 0;
	area->nr_pages = 0;
	area->next = *p;
	*p = area;
	return area;
}

/* Unmap [addr, addr + pages pages) from the kernel page tables. Page
 * tables stay (they are shared by every future address space). */
static void unmap_kernel_range(unsigned long addr, unsigned int pages)
{
	for (unsigned int i = 0; i < pages; i++) {
		pte_t *pte = kernel_pte(addr + i * PAGE_SIZE, 0);
		if (pte)
			*pte = 0;
	}
	if (pages == 1)
		__flush_tlb_one(addr);
	else
		__flush_tlb();
}

static void free_area_pages(struct vm_struct *area)
{
	for (unsigned int i = 0; i < area->nr_pages; i++)
		__free_page(area->pages[i]);
	kfree(area->pages);
}

/* Allocate `size` bytes (rounded up to pages) of virtually contiguous
 * memory; NULL if address space, frames or page tables run out. */
void *vmalloc(unsigned long size)
{
	if (!size || size > VMALLOC_END - VMALLOC_START)
		return 0;
	size = PAGE_ALIGN(size);
	struct vm_struct *area = get_vm_area(size + PAGE_SIZE);
	if (!area)
		return 0;
	unsigned int nr = size >> PAGE_SHIFT;
	unsigned long addr = (unsigned long)area->addr;
	area->pages = kzalloc(nr * sizeof(struct page *), GFP_KERNEL);
	if (!area->pages)
		goto fail;
	for (unsigned int i = 0; i < nr; i++) {
		struct page *page = alloc_page(GFP_HIGHUSER | __GFP_OWNER(MMOWN_VMALLOC));
		if (!page)
			goto fail;
		area->pages[area->nr_pages++] = page;
		pte_t *pte = kernel_pte(addr + i * PAGE_SIZE, 1);
		if (!pte)
			goto fail;
		*pte = page_to_phys(page) | PAGE_KERNEL;
	}
	vmalloc_pages += nr;
	mm_event(MMEV_VMALLOC, 0, nr, 0, MMZONE_NONE, MMOWN_VMALLOC, 0, addr, 0);
	return area->addr;
fail:;
	struct vm_struct **p;
	for (p = &vmlist; *p != area; p = &(*p)->next)
		;
	*p = area->next;
	if (area->pages) {
		unmap_kernel_range(addr, area->nr_pages);
		free_area_pages(area);
	}
	kfree(area);
	return 0;
}

/* Release an area vmalloc() returned (NULL is ignored). */
void vfree(const void *addr)
{
	if (!addr)
		return;
	struct vm_struct **p;
	for (p = &vmlist; *p; p = &(*p)->next)
		if ((*p)->addr == addr)
			break;
	struct vm_struct *area = *p;
	if (!area)
		panic("vfree: bad address %p", addr);
	*p = area->next;
	unmap_kernel_range((unsigned long)area->addr, area->nr_pages);
	mm_event(MMEV_VFREE, 0, area->nr_pages, 0, MMZONE_NONE, MMOWN_VMALLOC, 0,
		 (u32)area->addr, 0);
	vmalloc_pages -= area->nr_pages;
	free_area_pages(area);
	kfree(area);
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	return a >= VMALLOC_START && a < VMALLOC_END;
}

unsigned long vmalloc_used_pages(void)
{
	return vmalloc_pages;
}
