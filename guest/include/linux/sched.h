/* sched.h - processes: struct task_struct, the scheduler, fork/exit/wait,
 * signals and resource limits. Uniprocessor and non-preemptive inside the
 * kernel: the kernel runs with interrupts off (interrupt gates) except in
 * the idle loop, and a task is switched only in schedule(). */
#ifndef LINUX_SCHED_H
#define LINUX_SCHED_H
#include <linux/list.h>
#include <linux/mm_struct.h>
#include <asm/ptrace.h>
#include <uapi/asm/signal.h>
#include <uapi/asm-generic/resource.h>

#define THREAD_SIZE 8192	/* kernel stack: two pages (order 1) */
#define TASK_COMM_LEN 16
#define NR_OPEN 16
#define PID_MAX 32768

/* state */
#define TASK_RUNNING 0
#define TASK_INTERRUPTIBLE 1
#define EXIT_ZOMBIE 16

/* signal numbers and sigaction flags: the ABI header shared with the
 * SDK */
#define _NSIG 64
#define SIG_DFL 0UL
#define SIG_IGN 1UL

/* RLIMIT_*, RLIM_INFINITY and struct rlimit: the ABI header shared with
 * the SDK */
#define RLIM_NLIMITS 16

struct file;

struct k_sigaction {
	unsigned long handler, flags, restorer;
	u64 mask;
};

struct task_struct {
	int pid;
	int state;
	char comm[TASK_COMM_LEN];
	struct task_struct *parent;
	struct list_head tasks;		/* all tasks, in pid order of creation */
	struct list_head children, sibling;
	struct mm_struct *mm;		/* NULL for kernel threads */
	struct mm_struct *active_mm;	/* the address space in CR3 */
	unsigned long thread_esp;	/* saved kernel ESP while switched out */
	void *stack;			/* THREAD_SIZE bytes; pt_regs at the top */
	int exit_code;			/* wait status once a zombie */
	u64 pending;			/* bit (sig - 1) */
	u64 blocked;
	struct k_sigaction sighand[_NSIG];
	unsigned long timeout;		/* jiffies when a sleep ends, or 0 */
	struct file *files[NR_OPEN];
	struct rlimit rlim[RLIM_NLIMITS];
	u64 tls_array[3];		/* GDT entries 6..8 */
	unsigned long clear_child_tid;
	bool need_resched;
	u8 fpu_state[512] __attribute__((aligned(16)));	/* FXSAVE/FNSAVE image */
};

#define task_pt_regs(t) ((struct pt_regs *)((char *)(t)->stack + THREAD_SIZE) - 1)
#define user_mode(regs) (((regs)->cs & 3) == 3)

extern struct task_struct *current;
extern struct task_struct init_task;	/* pid 0: the boot thread, then idle */
extern struct list_head task_list;

/* kernel/sched.c */
void sched_init(void);
void schedule(void);
void scheduler_tick(struct pt_regs *regs);
void wake_up_process(struct task_struct *t);
void cpu_idle(void) __noreturn;
struct task_struct *find_task_by_pid(int pid);
int alloc_pid(void);
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

/* kernel/fpu.c */
void fpu_init(void);
void fpu_reset(struct task_struct *t);
void fpu_copy(struct task_struct *child);
void fpu_switch(struct task_struct *prev, struct task_struct *next);

/* kernel/fork.c */
int do_fork(struct pt_regs *regs);
struct task_struct *alloc_task(void);
void free_task(struct task_struct *t);

/* kernel/exit.c */
void do_exit(int status) __noreturn;
int do_wait4(int pid, int *status, int options);
void note_init_fork(void);

/* kernel/exec.c */
int do_execve(const char *path, char *const argv[], char *const envp[], struct pt_regs *regs,
	      bool from_kernel);
int kernel_execve_init(const char *cmdline);

/* kernel/signal.c */
int send_sig(int sig, struct task_struct *t);
void do_signal(struct pt_regs *regs);
void force_sig_segv(unsigned long addr, struct pt_regs *regs, unsigned long error);
long sys_rt_sigaction(int sig, const void *act, void *oact, unsigned long size);
long sys_rt_sigprocmask(int how, const void *set, void *oset, unsigned long size);
long sys_kill(int pid, int sig);
long sys_sigreturn(struct pt_regs *regs);
long sys_rt_sigreturn(struct pt_regs *regs);

/* kernel/syscall.c */
void do_syscall(struct pt_regs *regs);
void exit_to_user_mode(struct pt_regs *regs);

/* entry.S */
void switch_to_asm(unsigned long *prev_esp, unsigned long next_esp);
void ret_from_fork(void);
#endif
