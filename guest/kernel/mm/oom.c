/* oom.c - overcommit accounting (Linux's __vm_enough_memory) and the OOM
 * killer (mm/oom_kill.c, reduced to its classic rule: kill the process
 * with the most resident pages). No swap exists. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/errno-base.h>
#include <asm/mm_events.h>

int sysctl_overcommit_memory;		/* 0 guess, 1 always, 2 never */
int sysctl_overcommit_ratio = 50;	/* percent of RAM in mode 2 */
unsigned long vm_committed_pages;	/* Committed_AS */

unsigned long totalram_pages(void)
{
	unsigned long n = 0;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].managed_pages;
	return n;
}

/* The CommitLimit of mode 2. */
unsigned long vm_commit_limit(void)
{
	return totalram_pages() * sysctl_overcommit_ratio / 100;
}

/* May `pages` more pages of private writable memory be promised? Charge
 * them and return 0, or return -ENOMEM. Mode 1 always says yes; mode 0
 * refuses only a single request larger than RAM (there is no swap); mode
 * 2 keeps the total promise under CommitLimit. */
int vm_enough_memory(long pages)
{
	if (sysctl_overcommit_memory == 1 ||
	    (sysctl_overcommit_memory == 0 && (unsigned long)pages <= totalram_pages()) ||
	    (sysctl_overcommit_memory == 2 && vm_committed_pages + pages <= vm_commit_limit())) {
		vm_committed_pages += pages;
		return 0;
	}
	return -ENOMEM;
}

void vm_unacct_memory(long pages)
{
	vm_committed_pages -= pages;
}

/* Out of frames and nothing to reclaim: pick the user process with the
 * largest resident set (never init), log it and SIGKILL it. Its memory
 * comes back when it exits; the faulting task retries meanwhile. */
void out_of_memory(void)
{
	struct task_struct *victim = 0;
	struct list_head *l;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (!t->mm || t->pid <= 1 || t->state == EXIT_ZOMBIE)
			continue;
		if (t->pending & (1ULL << (SIGKILL - 1)))
			return;		/* a victim is already on its way out */
		if (!victim || t->mm->rss > victim->mm->rss)
			victim = t;
	}
	if (!victim)
		panic("Out of memory and no killable processes");
	printk(KERN_ERR "Out of memory: Killed process %d (%s)\n", victim->pid, victim->comm);
	mm_event_proc(MMEV_OOM_KILL, victim->pid, 0, victim->mm->rss, 0, 0, victim->comm);
	send_sig(SIGKILL, victim);
}
