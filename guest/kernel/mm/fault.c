/* fault.c - the page fault handler (Linux's arch/x86/mm/fault.c).
 *
 * Error code bits (Intel SDM vol. 3, 4.7): bit 0 P (protection violation,
 * else not present), bit 1 W/R (write), bit 2 U/S (from ring 3). CR2 holds
 * the linear address. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/errno-base.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/mm_events.h>

#define PF_PROT 1
#define PF_WRITE 2
#define PF_USER 4

/* A kernel-space address missing from this pgd but present in
 * swapper_pg_dir: vmalloc made a page table after this pgd was copied.
 * Copy the PDE (Linux's vmalloc_fault). Returns true if fixed. */
static bool vmalloc_fault(unsigned long addr)
{
	pde_t *pgd = __va(read_cr3() & PAGE_MASK);
	unsigned i = PDX(addr);
	if (pgd == swapper_pg_dir || !(swapper_pg_dir[i] & _PAGE_PRESENT) ||
	    (pgd[i] & _PAGE_PRESENT))
		return false;
	pgd[i] = swapper_pg_dir[i];
	return true;
}

static void no_context(struct pt_regs *regs, unsigned long addr)
{
	const struct exception_table_entry *fix = search_exception_tables(regs->eip);
	if (fix) {
		regs->eip = fix->fixup;
		return;
	}
	printk(KERN_EMERG "BUG: unable to handle kernel %s at virtual address %08lx\n",
	       addr < PAGE_SIZE ? "NULL pointer dereference" : "paging request", addr);
	die("page fault", regs);
}

/* Is the access allowed by the VMA (Linux's access_error)? */
static bool access_error(unsigned long error, struct vm_area_struct *vma)
{
	if (error & PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error & PF_PROT)
		return true;	/* read of a present page: no read right */
	return !(vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE));
}

extern u8 mm_fault_outcome;

/* Report a user-space fault (or a bad kernel one) on the mm channel. */
static void fault_event(struct pt_regs *regs, unsigned long addr, unsigned long error,
			unsigned outcome)
{
	mm_event_proc(MMEV_FAULT, current->pid, addr, error, regs->eip, outcome, 0);
}

void do_page_fault(struct pt_regs *regs)
{
	unsigned long addr = read_cr2();
	unsigned long error = regs->error_code;
	struct mm_struct *mm = current->mm;

	if (addr >= TASK_SIZE) {
		if (!(error & (PF_USER | PF_PROT)) && vmalloc_fault(addr))
			return;
		goto bad_area;
	}
	if (!mm)
		goto bad_area;
retry:;
	unsigned outcome = 0;
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (!vma)
		goto bad_area;
	if (vma->vm_start > addr) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto bad_area;
		/* A push may write a little below ESP (PUSHA: 32 bytes); far
		 * below it is a wild access, not stack growth. */
		if ((error & PF_USER) && addr + 65536 + 32 * sizeof(long) < regs->esp)
			goto bad_area;
		if (expand_stack(vma, addr))
			goto bad_area;
		outcome = MMFAULT_STACK_GROWTH;
	}
	if (access_error(error, vma))
		goto bad_area;
	if (handle_mm_fault(mm, vma, addr, error & PF_WRITE)) {
		fault_event(regs, addr, error, MMFAULT_OOM);
		out_of_memory();
		if (current->pending & (1ULL << (SIGKILL - 1))) {
			if (!user_mode(regs))
				no_context(regs, addr);
			return;	/* exit_to_user_mode kills us */
		}
		schedule();	/* let the victim run and exit */
		goto retry;
	}
	fault_event(regs, addr, error, outcome ? outcome : mm_fault_outcome);
	return;

bad_area:
	fault_event(regs, addr, error, user_mode(regs) ? MMFAULT_SIGSEGV : MMFAULT_KERNEL);
	if (user_mode(regs)) {
		force_sig_segv(addr, regs, error);
		return;
	}
	no_context(regs, addr);
}

/* For CPUs without CR0.WP in ring 0: make every page of [addr, addr+size)
 * present and writable for current, as a user write fault would (stack
 * growth, demand-zero, COW break). 0, or -EFAULT if a page may not be
 * written. */
int __verify_write(unsigned long addr, unsigned long size)
{
	struct mm_struct *mm = current->mm;
	if (!size)
		return 0;
	if (!mm)
		return -EFAULT;
	for (unsigned long a = addr & PAGE_MASK; a <= addr + size - 1; a += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, a);
		if (!vma)
			return -EFAULT;
		if (vma->vm_start > a &&
		    (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(vma, a)))
			return -EFAULT;
		if (!(vma->vm_flags & VM_WRITE) || handle_mm_fault(mm, vma, a, 1))
			return -EFAULT;
		if (a + PAGE_SIZE == 0)
			break;
	}
	return 0;
}
