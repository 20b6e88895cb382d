/* fork.c - process creation (Linux's kernel/fork.c): a task struct and
 * kernel stack, a copy of the parent's address space in which every
 * private writable frame becomes copy-on-write (dup_mmap), the open files
 * shared, and a kernel stack arranged so that the first switch to the
 * child "returns" to user mode with EAX = 0. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/errno-base.h>
#include <asm/processor.h>
#include <asm/mm_events.h>

static struct kmem_cache *task_cachep;

struct task_struct *alloc_task(void)
{
	if (!task_cachep)
		task_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct), 16, 0, 0);
	struct task_struct *t = kmem_cache_alloc(task_cachep, GFP_KERNEL);
	if (!t)
		return 0;
	memset(t, 0, sizeof(*t));
	unsigned long stack = __get_free_pages(GFP_KERNEL, 1);
	if (!stack) {
		kmem_cache_free(task_cachep, t);
		return 0;
	}
	t->stack = (void *)stack;
	fpu_reset(t);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	return t;
}

void free_task(struct task_struct *t)
{
	free_pages((unsigned long)t->stack, 1);
	kmem_cache_free(task_cachep, t);
}

/* Copy every VMA and its page table entries (Linux's dup_mmap). */
static struct mm_struct *dup_mm(struct mm_struct *old, int pid)
{
	struct mm_struct *mm = mm_alloc();
	if (!mm)
		return 0;
	unsigned long saved_cache = mm->free_area_cache;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->free_area_cache = saved_cache;
	memcpy(mm->exe_path, old->exe_path, sizeof(mm->exe_path));
	struct vm_area_struct *v;
	for_each_vma(v, old) {
		if ((v->vm_flags & VM_ACCOUNT) && vm_enough_memory((v->vm_end - v->vm_start) >> PAGE_SHIFT))
			goto fail;
		struct vm_area_struct *n = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
		if (!n) {
			if (v->vm_flags & VM_ACCOUNT)
				vm_unacct_memory((v->vm_end - v->vm_start) >> PAGE_SHIFT);
			goto fail;
		}
		*n = *v;
		n->vm_mm = mm;
		/* Appending in order keeps the list sorted; the tree is
		 * rebuilt node by node. */
		list_add_tail(&n->vm_list, &mm->mmap);
		struct rb_node **link = &mm->mm_rb.rb_node, *parent = 0;
		while (*link) {
			parent = *link;
			link = &parent->rb_right;
		}
		rb_link_node(&n->vm_rb, parent, link);
		rb_insert_color(&n->vm_rb, &mm->mm_rb);
		mm->map_count++;
		mm->total_vm += (n->vm_end - n->vm_start) >> PAGE_SHIFT;
		mm_event_vma(MMEV_VMA_ADD, pid, n);
		if (copy_page_range(mm, old, v))
			goto fail;
	}
	__flush_tlb();	/* the parent's writable PTEs just became read-only */
	return mm;
fail:
	__flush_tlb();
	mmput(mm);
	return 0;
}

/* fork(): the child is a copy of current, runnable, returning 0 from the
 * system call; the parent gets the child's pid or -errno. */
int do_fork(struct pt_regs *regs)
{
	note_init_fork();
	struct task_struct *p = alloc_task();
	if (!p)
		return -ENOMEM;
	int pid = alloc_pid();
	if (pid < 0) {
		free_task(p);
		return -EAGAIN;
	}
	mm_event_proc(MMEV_FORK, pid, 0, current->pid, 0, 0, current->comm);
	p->mm = dup_mm(current->mm, pid);
	if (!p->mm) {
		free_task(p);
		return -ENOMEM;
	}
	p->active_mm = p->mm;
	p->pid = pid;
	memcpy(p->comm, current->comm, TASK_COMM_LEN);
	memcpy(p->rlim, current->rlim, sizeof(p->rlim));
	memcpy(p->sighand, current->sighand, sizeof(p->sighand));
	memcpy(p->tls_array, current->tls_array, sizeof(p->tls_array));
	p->blocked = current->blocked;
	fpu_copy(p);
	for (int i = 0; i < NR_OPEN; i++)
		p->files[i] = current->files[i] ? get_file(current->files[i]) : 0;
	p->parent = current;
	list_add_tail(&p->sibling, &current->children);

	/* Kernel stack: the parent's user registers with EAX = 0, below
	 * them ret_from_fork as the return address of switch_to_asm and
	 * four zeroed callee-saved registers. */
	struct pt_regs *child = task_pt_regs(p);
	*child = *regs;
	child->eax = 0;
	unsigned long *sp = (unsigned long *)child;
	*--sp = (unsigned long)ret_from_fork;
	for (int i = 0; i < 4; i++)
		*--sp = 0;
	p->thread_esp = (unsigned long)sp;
	p->state = TASK_RUNNING;
	list_add_tail(&p->tasks, &task_list);
	return pid;
}
