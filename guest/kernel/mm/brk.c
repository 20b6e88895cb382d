/* brk.c - the program break (Linux's sys_brk/do_brk): the heap is an
 * anonymous read-write VMA from start_brk up to brk, grown or shrunk by
 * whole pages. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/errno-base.h>

/* Returns the new break, or the old one when the request is refused
 * (below start_brk, over RLIMIT_DATA, into another mapping, or refused
 * by the overcommit policy), as Linux does. */
long sys_brk(unsigned long brk)
{
	struct mm_struct *mm = current->mm;
	if (brk < mm->start_brk || brk > TASK_SIZE)
		return mm->brk;
	unsigned long newbrk = PAGE_ALIGN(brk), oldbrk = PAGE_ALIGN(mm->brk);
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) {
		if (!do_munmap(mm, newbrk, oldbrk - newbrk))
			mm->brk = brk;
		return mm->brk;
	}
	unsigned long rlim = current->rlim[RLIMIT_DATA].rlim_cur;
	if (rlim != RLIM_INFINITY &&
	    (brk - mm->start_brk) + (mm->end_data - mm->start_data) > rlim)
		return mm->brk;
	if (find_vma_intersection(mm, oldbrk, newbrk + PAGE_SIZE))
		return mm->brk;
	unsigned long pages = (newbrk - oldbrk) >> PAGE_SHIFT;
	rlim = current->rlim[RLIMIT_AS].rlim_cur;
	if (rlim != RLIM_INFINITY && mm->total_vm + pages > rlim >> PAGE_SHIFT)
		return mm->brk;
	if (vm_enough_memory(pages))
		return mm->brk;
	if (!insert_vm_area(mm, oldbrk, newbrk,
			    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT,
			    "[heap]")) {
		vm_unacct_memory(pages);
		return mm->brk;
	}
	mm->brk = brk;
	return brk;
}
