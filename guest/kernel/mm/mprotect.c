/* mprotect.c - change the protection of a range (Linux's mm/mprotect.c):
 * split the VMAs at both ends, change their flags, update the PTEs, merge
 * the pieces back with equal neighbours where possible. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/errno-base.h>

unsigned long prot_to_vm_flags(unsigned long prot);
int vma_set_flags(struct mm_struct *mm, unsigned long s, unsigned long e, unsigned long flags);

long sys_mprotect(unsigned long start, unsigned long len, unsigned long prot)
{
	struct mm_struct *mm = current->mm;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	unsigned long end = start + len;
	if (end < start || end > TASK_SIZE || (prot & ~7UL))
		return -EINVAL;
	if (!len)
		return 0;
	/* Every page of the range must be mapped (else ENOMEM, as Linux). */
	unsigned long a = start;
	for (struct vm_area_struct *v = find_vma(mm, start); a < end; v = vma_next(mm, v)) {
		if (!v || v->vm_start > a)
			return -ENOMEM;
		a = v->vm_end;
	}
	unsigned long newbits = prot_to_vm_flags(prot) & (VM_READ | VM_WRITE | VM_EXEC);
	/* VMA by VMA: the frames stay, only flags and PTE bits change. */
	for (a = start; a < end;) {
		struct vm_area_struct *v = find_vma(mm, a);
		unsigned long s = a, e = min(v->vm_end, end);
		unsigned long flags = (v->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | newbits;
		if (flags != v->vm_flags) {
			long pages = (e - s) >> PAGE_SHIFT;
			bool acct = !(flags & VM_SHARED) && (flags & VM_WRITE);
			if (acct && !(v->vm_flags & VM_ACCOUNT) && vm_enough_memory(pages))
				return -ENOMEM;
			int r = vma_set_flags(mm, s, e, flags | (acct ? VM_ACCOUNT : 0));
			if (r)
				return r;
			change_protection(mm, s, e, (flags & VM_WRITE) != 0);
		}
		a = e;
	}
	return 0;
}
