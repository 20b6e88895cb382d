/* signal.c - signals, reduced: a pending mask, sigaction bookkeeping and
 * the default actions (terminate, or ignore for SIGCHLD/SIGURG/SIGWINCH/
 * SIGCONT). Handlers are recorded but not yet delivered: a caught signal
 * is treated as ignored, except SIGKILL and the faults the kernel raises,
 * which always terminate. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>

#define sigbit(sig) (1ULL << ((sig) - 1))

static bool sig_ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Mark sig pending for t and wake it if it sleeps. */
int send_sig(int sig, struct task_struct *t)
{
	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (t->state == EXIT_ZOMBIE)
		return 0;
	t->pending |= sigbit(sig);
	wake_up_process(t);
	return 0;
}

/* A fault the process cannot continue from: log it as Linux does and
 * make SIGSEGV's default action happen whatever the handler. */
void force_sig_segv(unsigned long addr, struct pt_regs *regs, unsigned long error)
{
	printk(KERN_INFO "%s[%d]: segfault at %lx ip %08lx error %lx\n", current->comm,
	       current->pid, addr, (unsigned long)regs->eip, error);
	current->sighand[SIGSEGV - 1].handler = SIG_DFL;
	current->blocked &= ~sigbit(SIGSEGV);
	send_sig(SIGSEGV, current);
}

/* On the way back to user mode: act on the lowest pending signal. */
void do_signal(struct pt_regs *regs)
{
	(void)regs;
	while (current->pending & ~(current->blocked & ~(sigbit(SIGKILL) | sigbit(SIGSEGV)))) {
		u64 p = current->pending & ~(current->blocked & ~(sigbit(SIGKILL) | sigbit(SIGSEGV)));
		int sig = (u32)p ? __builtin_ctz((u32)p) + 1 : __builtin_ctz((u32)(p >> 32)) + 33;
		current->pending &= ~sigbit(sig);
		unsigned long h = current->sighand[sig - 1].handler;
		if (sig == SIGKILL || (h == SIG_DFL && !sig_ignored_by_default(sig)))
			do_exit(sig);
	}
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	struct list_head *l;
	int found = 0;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (!t->mm || t->state == EXIT_ZOMBIE)
			continue;
		if (pid > 0 ? t->pid != pid : (pid == -1 ? (t->pid <= 1 || t == current) : 0))
			continue;
		found++;
		if (sig)
			send_sig(sig, t);
	}
	return found ? 0 : -ESRCH;
}

long sys_rt_sigaction(int sig, const void *act, void *oact, unsigned long size)
{
	if (sig < 1 || sig > _NSIG || sig == SIGKILL || sig == SIGSTOP || size != 8)
		return act || sig < 1 || sig > _NSIG ? -EINVAL : 0;
	struct k_sigaction *k = &current->sighand[sig - 1], n;
	if (act && copy_from_user(&n, act, sizeof(n)))
		return -EFAULT;
	if (oact && copy_to_user(oact, k, sizeof(*k)))
		return -EFAULT;
	if (act)
		*k = n;
	return 0;
}

long sys_rt_sigprocmask(int how, const void *set, void *oset, unsigned long size)
{
	if (size != 8)
		return -EINVAL;
	u64 old = current->blocked, n;
	if (set) {
		if (copy_from_user(&n, set, 8))
			return -EFAULT;
		n &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
		if (how == 0)
			current->blocked |= n;
		else if (how == 1)
			current->blocked &= ~n;
		else if (how == 2)
			current->blocked = n;
		else
			return -EINVAL;
	}
	if (oset && copy_to_user(oset, &old, 8))
		return -EFAULT;
	return 0;
}
