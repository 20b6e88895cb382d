/* sched.c - tasks and the scheduler: round robin over runnable tasks,
 * preempting user mode on the PIT tick (a 10 ms slice at HZ=100). The
 * kernel itself is not preemptible: it runs with interrupts off, and a
 * task leaves the CPU only by calling schedule(). pid 0 (init_task, the
 * boot thread) is the idle task; it borrows init_mm as its active_mm. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <asm/desc.h>
#include <asm/processor.h>

extern char boot_stack_top[];
struct task_struct init_task;
struct task_struct *current = &init_task;
LIST_HEAD(task_list);
static int last_pid;

/* Make the boot thread task 0 and the idle task. */
void sched_init(void)
{
	struct task_struct *t = &init_task;
	memset(t, 0, sizeof(*t));
	strncpy(t->comm, "swapper", TASK_COMM_LEN);
	/* The boot stack's lowest THREAD_SIZE bytes are never used as a
	 * pt_regs area (pid 0 never enters user mode). */
	t->stack = (void *)((unsigned long)boot_stack_top - THREAD_SIZE);
	t->active_mm = &init_mm;
	init_mm.mm_count++;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	list_add_tail(&t->tasks, &task_list);
	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->rlim[i].rlim_cur = t->rlim[i].rlim_max = RLIM_INFINITY;
	t->rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;
	t->rlim[RLIMIT_CORE].rlim_cur = 0;
	t->rlim[RLIMIT_NOFILE].rlim_cur = t->rlim[RLIMIT_NOFILE].rlim_max = NR_OPEN;
	fpu_init();
	fpu_reset(t);
}

struct task_struct *find_task_by_pid(int pid)
{
	struct list_head *l;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (t->pid == pid)
			return t;
	}
	return 0;
}

/* The next free pid after the last one handed out (Linux's order). */
int alloc_pid(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		last_pid = last_pid + 1 >= PID_MAX ? 1 : last_pid + 1;
		if (!find_task_by_pid(last_pid))
			return last_pid;
	}
	return -1;
}

/* Load next's page directory if it differs (a CR3 load flushes the TLB's
 * non-global entries: kernel mappings are the same in every pgd). */
void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	if (prev != next)
		write_cr3(__pa(next->pgd));
}

static void context_switch(struct task_struct *prev, struct task_struct *next)
{
	struct mm_struct *mm = next->mm ? next->mm : prev->active_mm;
	if (!next->mm) {
		/* A kernel thread borrows the previous address space. */
		mm->mm_count++;
		next->active_mm = mm;
	}
	switch_mm(prev->active_mm, mm);
	if (!prev->mm) {
		struct mm_struct *old = prev->active_mm;
		prev->active_mm = 0;
		if (old != mm)
			mmdrop(old);
		else
			mm->mm_count--;
	}
	init_tss.esp0 = (u32)next->stack + THREAD_SIZE;
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		gdt_table[GDT_ENTRY_TLS_MIN + i] = next->tls_array[i];
	fpu_switch(prev, next);
	current = next;
	switch_to_asm(&prev->thread_esp, next->thread_esp);
}

/* Pick the next runnable task after current in task_list order (round
 * robin), or the idle task if none; switch to it. Called with interrupts
 * off; returns when this task is chosen again. */
void schedule(void)
{
	struct task_struct *prev = current, *next = 0;
	prev->need_resched = false;
	struct list_head *l = &prev->tasks;
	for (;;) {
		l = l->next;
		if (l == &task_list)
			continue;
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (t != &init_task && t->state == TASK_RUNNING) {
			next = t;
			break;
		}
		if (t == prev)
			break;
	}
	if (!next)
		next = &init_task;
	if (next != prev)
		context_switch(prev, next);
}

void wake_up_process(struct task_struct *t)
{
	if (t->state == TASK_INTERRUPTIBLE)
		t->state = TASK_RUNNING;
}

/* The PIT tick: wake sleepers whose time has come, and ask a task that
 * was running in user mode to give up the CPU. */
void scheduler_tick(struct pt_regs *regs)
{
	struct list_head *l;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (t->state == TASK_INTERRUPTIBLE && t->timeout && (long)(jiffies - t->timeout) >= 0) {
			t->timeout = 0;
			t->state = TASK_RUNNING;
		}
	}
	if (user_mode(regs))
		current->need_resched = true;
}

/* pid 0 after boot: run whatever is runnable, else wait for an interrupt
 * with interrupts briefly on (sti; hlt is atomic with respect to them). */
void cpu_idle(void)
{
	local_irq_disable();
	for (;;) {
		schedule();
		__asm__ volatile("sti; hlt; cli" : : : "memory");
	}
}
