/* exit.c - process exit and wait (Linux's kernel/exit.c): exit_mm drops
 * the address space (mmput), the task becomes a zombie holding its wait
 * status, children go to init, the parent is woken; wait4 reaps. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>

unsigned long free_pages_baseline;

/* After init's address space is gone, with every other process reaped
 * and the slab caches shrunk, the free page count must be what it was
 * just before init started: a difference is a leak (or a double free). */
static void check_free_pages_baseline(void)
{
	struct list_head *l;
	int others = 0;
	list_for_each(l, &task_list)
		others += list_entry(l, struct task_struct, tasks)->pid > 1;
	kmem_cache_shrink_all();
	unsigned long now = nr_free_pages();
	if (others)
		printk(KERN_NOTICE "mm: %d processes still alive, free pages not checked\n", others);
	else if (now == free_pages_baseline)
		printk(KERN_NOTICE "mm: all user memory returned (%lu pages free, as before init)\n", now);
	else
		printk(KERN_ERR "mm: LEAK: %lu pages free, %lu before init\n", now, free_pages_baseline);
	if (mm_check_all())
		printk(KERN_ERR "mm: consistency check failed\n");
}

/* Give the address space up; keep it as active_mm (lazy TLB) until the
 * next switch, as a kernel thread would, so CR3 stays valid. */
static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	if (!mm)
		return;
	mm->mm_count++;		/* for active_mm */
	t->mm = 0;
	mmput(mm);
}

/* status is the wait status: (code << 8) for exit, or the signal number. */
void do_exit(int status)
{
	struct task_struct *t = current;
	if (t->pid == 1) {
		/* The demo is over: check that every frame came back, then
		 * power off with init's exit code, so a headless run's status
		 * is the program's. */
		int code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
		exit_mm(t);
		/* Leave the lazy address space too, so its pgd is freed. */
		struct mm_struct *lazy = t->active_mm;
		switch_mm(lazy, &init_mm);
		t->active_mm = &init_mm;
		init_mm.mm_count++;
		mmdrop(lazy);
		check_free_pages_baseline();
		printk(KERN_NOTICE "init exited with status %d: power off\n", code);
		machine_power_off(code);
	}
	close_files(t);
	exit_mm(t);
	/* Orphans go to init (pid 1). */
	struct task_struct *reaper = find_task_by_pid(1);
	while (!list_empty(&t->children)) {
		struct task_struct *c = list_entry(t->children.next, struct task_struct, sibling);
		list_del(&c->sibling);
		c->parent = reaper;
		list_add_tail(&c->sibling, &reaper->children);
		if (c->state == EXIT_ZOMBIE)
			wake_up_process(reaper);
	}
	t->exit_code = status;
	t->state = EXIT_ZOMBIE;
	wake_up_process(t->parent);
	schedule();
	panic("zombie %d scheduled", t->pid);
}

/* Reap a zombie: free its kernel stack, task struct and the mm it still
 * holds as active_mm (if switched away from). */
static void release_task(struct task_struct *t)
{
	list_del(&t->sibling);
	list_del(&t->tasks);
	free_task(t);
}

#define WNOHANG 1

/* wait4: pid > 0 that child, -1 any child (0 and < -1: any, there are no
 * process groups). Sleeps until one is a zombie unless WNOHANG. */
int do_wait4(int pid, int *status, int options)
{
	for (;;) {
		bool have = false;
		struct list_head *l;
		list_for_each(l, &current->children) {
			struct task_struct *c = list_entry(l, struct task_struct, sibling);
			if (pid > 0 && c->pid != pid)
				continue;
			have = true;
			if (c->state != EXIT_ZOMBIE)
				continue;
			int st = c->exit_code, cpid = c->pid;
			if (status && copy_to_user(status, &st, sizeof(st)))
				return -EFAULT;
			release_task(c);
			return cpid;
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (current->pending & ~current->blocked)
			return -EINTR;
		current->state = TASK_INTERRUPTIBLE;
		schedule();
	}
}
