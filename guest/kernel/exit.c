/* exit.c - process exit and wait (Linux's kernel/exit.c): exit_mm drops
 * the address space (mmput), the task becomes a zombie holding its wait
 * status, children go to init, the parent is woken; wait4 reaps. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>
#include <asm/mm_events.h>

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
	mm_event_proc(MMEV_EXIT, t->pid, 0, (u32)status, 0, 0, 0);
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
		/* init_exit_checks=off skips the leak and consistency checks
		 * (half a million instructions at -m 128), so that a boot
		 * whose init exits at once bounds "reset to the first user
		 * program" tightly (bench/run.py's boot workload). */
		if (!cmdline_has("init_exit_checks=off"))
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

/* Per-program accounting for init's children (the demo tour): when init
 * forks with no other child alive, the free page count plus init's own
 * resident pages is recorded; when its last child is reaped it must be the
 * same again (slab caches shrunk both times), else the program leaked. */
static unsigned long child_baseline;
static bool child_baseline_valid;

static unsigned long init_footprint(void)
{
	kmem_cache_shrink_all();
	return nr_free_pages() + (current->mm ? current->mm->rss : 0);
}

void note_init_fork(void)
{
	if (current->pid == 1 && list_empty(&current->children)) {
		child_baseline = init_footprint();
		child_baseline_valid = true;
	}
}

static void check_after_reap(int pid, const char *comm)
{
	if (current->pid != 1 || !child_baseline_valid || !list_empty(&current->children))
		return;
	child_baseline_valid = false;
	unsigned long now = init_footprint();
	if (now != child_baseline)
		printk(KERN_ERR "mm: LEAK: after %s[%d] exited %lu pages are free, %lu before it\n",
		       comm, pid, now, child_baseline);
}

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
			char comm[TASK_COMM_LEN];
			memcpy(comm, c->comm, TASK_COMM_LEN);
			if (status && copy_to_user(status, &st, sizeof(st)))
				return -EFAULT;
			release_task(c);
			check_after_reap(cpid, comm);
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
