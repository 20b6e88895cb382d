/* memory.c - user page tables: allocation on demand, demand-zero pages,
 * copy-on-write, fork's copy of the page tables, and teardown (Linux's
 * mm/memory.c). Two-level i386 paging: a page directory per mm whose
 * kernel half (PDEs 768..1023) is copied from swapper_pg_dir; page tables
 * are lowmem pages, user frames may be highmem (reached through
 * kmap_atomic). A user frame's _count is the number of PTEs mapping it. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/errno-base.h>
#include <mmulab/mm_channel.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#define USER_PTRS_PER_PGD (TASK_SIZE >> PDXSHIFT)	/* 768 */
#define GFP_PGTABLE (GFP_KERNEL | __GFP_OWNER(MMOWN_PAGE_TABLE))
#define GFP_USERPAGE (GFP_HIGHUSER | __GFP_OWNER(MMOWN_USER))

/* A new page directory: empty user half, the kernel half shared. */
pde_t *pgd_alloc(void)
{
	pde_t *pgd = (pde_t *)get_zeroed_page(GFP_PGTABLE);
	if (!pgd)
		return 0;
	memcpy(pgd + USER_PTRS_PER_PGD, swapper_pg_dir + USER_PTRS_PER_PGD,
	       (NPDENTRIES - USER_PTRS_PER_PGD) * sizeof(pde_t));
	return pgd;
}

void pgd_free(pde_t *pgd)
{
	free_page((unsigned long)pgd);
}

/* The PTE slot for addr in mm, making the page table if `alloc`. */
static pte_t *pte_offset(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	pde_t *pde = &mm->pgd[PDX(addr)];
	if (!(*pde & _PAGE_PRESENT)) {
		if (!alloc)
			return 0;
		unsigned long pt = get_zeroed_page(GFP_PGTABLE);
		if (!pt)
			return 0;
		*pde = __pa(pt) | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
	}
	pte_t *pt = __va(PTE_ADDR(*pde));
	return &pt[PTX(addr)];
}

static void clear_user_page(struct page *p)
{
	void *va = kmap_atomic(p, KM_USER0);
	memset(va, 0, PAGE_SIZE);
	kunmap_atomic(va, KM_USER0);
}

static void copy_user_page(struct page *dst, struct page *src)
{
	void *d = kmap_atomic(dst, KM_USER0), *s = kmap_atomic(src, KM_USER1);
	memcpy(d, s, PAGE_SIZE);
	kunmap_atomic(s, KM_USER1);
	kunmap_atomic(d, KM_USER0);
}

static void flush_one(struct mm_struct *mm, unsigned long addr)
{
	if (current->active_mm == mm)
		__flush_tlb_one(addr);
}

/* Drop the TLB entries of [start, end) if mm is loaded: one INVLPG per
 * page for small ranges, a CR3 reload for large ones (Linux's
 * tlb_single_page_flush_ceiling idea). */
void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	if (current->active_mm != mm)
		return;
	if ((end - start) >> PAGE_SHIFT > 32) {
		__flush_tlb();
		return;
	}
	for (unsigned long a = start; a < end; a += PAGE_SIZE)
		__flush_tlb_one(a);
}

/* Resolve a fault at addr inside vma: page table on demand, a zeroed
 * frame for a never-touched page, a private copy on a write to a shared
 * read-only frame (copy-on-write), or just the W bit when this PTE is the
 * frame's only user. Returns 0, or -ENOMEM. */
/* What the last handle_mm_fault() did (enum mmchan_fault), for the
 * fault handler's MMEV_FAULT event. */
u8 mm_fault_outcome;

int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, int write)
{
	mm_fault_outcome = MMFAULT_SPURIOUS;
	addr &= PAGE_MASK;
	pte_t *ptep = pte_offset(mm, addr, true);
	if (!ptep)
		return -ENOMEM;
	u32 prot = _PAGE_PRESENT | _PAGE_USER;
	if (!(*ptep & _PAGE_PRESENT)) {
		struct page *p = alloc_page(GFP_USERPAGE);
		if (!p)
			return -ENOMEM;
		clear_user_page(p);
		if (vma->vm_flags & VM_WRITE)
			prot |= _PAGE_RW;
		*ptep = page_to_phys(p) | prot;
		mm->rss++;
		mm_fault_outcome = MMFAULT_DEMAND_ZERO;
		return 0;
	}
	if (write && !(*ptep & _PAGE_RW)) {
		struct page *old = pfn_to_page(PTE_ADDR(*ptep) >> PAGE_SHIFT);
		if (page_count(old) == 1 || (vma->vm_flags & VM_SHARED)) {
			*ptep |= _PAGE_RW;
			mm_fault_outcome = MMFAULT_COW_REUSE;
		} else {
			struct page *p = alloc_page(GFP_USERPAGE);
			if (!p)
				return -ENOMEM;
			copy_user_page(p, old);
			*ptep = page_to_phys(p) | prot | _PAGE_RW;
			__free_page(old);
			mm_fault_outcome = MMFAULT_COW;
		}
		flush_one(mm, addr);
	}
	return 0;
}

/* The frame backing addr in mm, demand-zeroing it if needed, whatever the
 * VMA's protection (exec uses it to fill a read-only text segment). */
struct page *get_user_page(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return 0;
	pte_t *ptep = pte_offset(mm, addr, false);
	if (!ptep || !(*ptep & _PAGE_PRESENT)) {
		if (handle_mm_fault(mm, vma, addr, 0))
			return 0;
		ptep = pte_offset(mm, addr, false);
	}
	return pfn_to_page(PTE_ADDR(*ptep) >> PAGE_SHIFT);
}

/* fork: share every present frame of vma between src and dst. Private
 * writable frames become read-only in both, so the first write to either
 * copies (COW). The caller flushes src's TLB. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool cow = !(vma->vm_flags & VM_SHARED);
	for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE_SIZE) {
		if (!(src->pgd[PDX(a)] & _PAGE_PRESENT)) {
			a = (a & PGDIR_MASK) + PGDIR_SIZE - PAGE_SIZE;
			if (a + PAGE_SIZE >= vma->vm_end || a + PAGE_SIZE == 0)
				break;
			continue;
		}
		pte_t *s = pte_offset(src, a, false);
		if (!(*s & _PAGE_PRESENT))
			continue;
		pte_t *d = pte_offset(dst, a, true);
		if (!d)
			return -ENOMEM;
		if (cow)
			*s &= ~_PAGE_RW;
		*d = *s & ~(_PAGE_ACCESSED | _PAGE_DIRTY);
		get_page(pfn_to_page(PTE_ADDR(*s) >> PAGE_SHIFT));
		dst->rss++;
	}
	return 0;
}

/* Unmap [start, end): clear the PTEs, drop the frames' references, flush. */
void zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		if (!(mm->pgd[PDX(a)] & _PAGE_PRESENT)) {
			a = (a & PGDIR_MASK) + PGDIR_SIZE - PAGE_SIZE;
			if (a + PAGE_SIZE >= end || a + PAGE_SIZE == 0)
				break;
			continue;
		}
		pte_t *p = pte_offset(mm, a, false);
		if (!(*p & _PAGE_PRESENT))
			continue;
		struct page *pg = pfn_to_page(PTE_ADDR(*p) >> PAGE_SHIFT);
		*p = 0;
		mm->rss--;
		__free_page(pg);
	}
	flush_tlb_range(mm, start, end);
}

/* Free the page tables of [start, end) that no longer map anything and
 * clear their PDEs (Linux's free_pgtables, simplified: a table is freed
 * when it is empty, wherever its neighbours' VMAs are). */
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	if (end > TASK_SIZE)
		end = TASK_SIZE;
	for (unsigned long a = start & PGDIR_MASK; a < end; a += PGDIR_SIZE) {
		pde_t *pde = &mm->pgd[PDX(a)];
		if (!(*pde & _PAGE_PRESENT))
			continue;
		pte_t *pt = __va(PTE_ADDR(*pde));
		bool empty = true;
		for (int i = 0; i < NPTENTRIES && empty; i++)
			empty = !pt[i];
		if (empty) {
			*pde = 0;
			free_page((unsigned long)pt);
			/* The walker caches nothing of the PDE beyond the TLB. */
			flush_tlb_range(mm, a, a + PAGE_SIZE);
		}
		if (a + PGDIR_SIZE == 0)
			break;
	}
}

/* mprotect: make [start, end) read-only in the page tables when write
 * permission goes away; when it comes, faults grant it page by page. */
void change_protection(struct mm_struct *mm, unsigned long start, unsigned long end, int writable)
{
	if (writable)
		return;
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		if (!(mm->pgd[PDX(a)] & _PAGE_PRESENT))
			continue;
		pte_t *p = pte_offset(mm, a, false);
		*p &= ~_PAGE_RW;
	}
	flush_tlb_range(mm, start, end);
}
