/* signal.c - signals (Linux's kernel/signal.c and arch/x86/kernel/signal.c
 * for i386): a pending and a blocked mask per task, sigaction, the default
 * actions (terminate, or ignore for SIGCHLD/SIGURG/SIGWINCH/SIGCONT), and
 * handlers run on the user stack through Linux's i386 signal frames: the
 * old sigframe (restorer calls sigreturn, 119) or, for SA_SIGINFO, the
 * rt_sigframe with siginfo and ucontext (rt_sigreturn, 173). A handler
 * needs SA_RESTORER (there is no vDSO). The FPU/SSE state is not saved in
 * the frame. SIGKILL and the SIGSEGV of a bad access always terminate. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>
#include <asm/segment.h>

/* The i386 user-visible layouts (Linux's uapi/asm/sigcontext.h,
 * signal.h, ucontext.h). */
struct sigcontext {
	u16 gs, __gsh, fs, __fsh, es, __esh, ds, __dsh;
	u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
	u32 trapno, err, eip;
	u16 cs, __csh;
	u32 eflags, esp_at_signal;
	u16 ss, __ssh;
	u32 fpstate, oldmask, cr2;
};
struct sigframe {
	u32 pretcode;
	int sig;
	struct sigcontext sc;
	u32 extramask;
};
struct k_siginfo { int si_signo, si_errno, si_code; u32 fields[29]; };	/* 128 bytes */
struct k_ucontext {
	u32 uc_flags, uc_link;
	u32 ss_sp;
	int ss_flags;
	u32 ss_size;
	struct sigcontext uc_mcontext;
	u64 uc_sigmask;
};
struct rt_sigframe {
	u32 pretcode;
	int sig;
	u32 pinfo, puc;
	struct k_siginfo info;
	struct k_ucontext uc;
};

#define sigbit(sig) (1ULL << ((sig) - 1))
#define X86_EFLAGS_IF_BIT 0x200

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

static void save_sigcontext(struct sigcontext *sc, const struct pt_regs *regs, u64 mask)
{
	memset(sc, 0, sizeof(*sc));
	sc->gs = regs->gs;
	sc->fs = regs->fs;
	sc->es = regs->es;
	sc->ds = regs->ds;
	sc->edi = regs->edi;
	sc->esi = regs->esi;
	sc->ebp = regs->ebp;
	sc->esp = regs->esp;
	sc->ebx = regs->ebx;
	sc->edx = regs->edx;
	sc->ecx = regs->ecx;
	sc->eax = regs->eax;
	sc->trapno = regs->vector;
	sc->err = regs->error_code;
	sc->eip = regs->eip;
	sc->cs = regs->cs;
	sc->eflags = regs->eflags;
	sc->esp_at_signal = regs->esp;
	sc->ss = regs->ss;
	sc->oldmask = (u32)mask;
}

/* A data selector a user may return with: null, user data, or a TLS slot
 * with RPL 3; anything else becomes null (a later use faults in user mode,
 * never in the kernel's return path). */
static u32 user_selector(u32 sel, u32 dflt)
{
	sel &= 0xffff;
	if (sel == 0 || sel == __USER_DS)
		return sel;
	if ((sel & 7) == 3 && (sel >> 3) >= GDT_ENTRY_TLS_MIN &&
	    (sel >> 3) < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return sel;
	return dflt;
}

/* Load the registers a handler's frame saved. Code and stack segments are
 * forced to the user ones and only the arithmetic, direction, trap and
 * alignment flags come from the frame (Linux's FIX_EFLAGS). */
static void restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
	const u32 fix_eflags = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;
	regs->gs = user_selector(sc->gs, 0);
	regs->fs = user_selector(sc->fs, 0);
	regs->es = user_selector(sc->es, __USER_DS);
	regs->ds = user_selector(sc->ds, __USER_DS);
	regs->edi = sc->edi;
	regs->esi = sc->esi;
	regs->ebp = sc->ebp;
	regs->esp = sc->esp;
	regs->ebx = sc->ebx;
	regs->edx = sc->edx;
	regs->ecx = sc->ecx;
	regs->eax = sc->eax;
	regs->eip = sc->eip;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->eflags = (regs->eflags & ~fix_eflags) | (sc->eflags & fix_eflags) | X86_EFLAGS_IF_BIT;
	regs->vector = ~0u;	/* not a system call any more */
}

/* Build the frame for handler ka on the user stack and point the
 * registers at the handler. Returns false if the frame cannot be written
 * (the caller then kills the task with SIGSEGV, as Linux does). */
static bool setup_frame(int sig, struct k_sigaction *ka, struct pt_regs *regs)
{
	u64 mask = current->blocked;
	if (!(ka->flags & SA_RESTORER))
		return false;
	if (ka->flags & SA_SIGINFO) {
		struct rt_sigframe f;
		memset(&f, 0, sizeof(f));
		/* The handler starts with ESP + 4 aligned to 16 (i386 ABI). */
		unsigned long sp = ((regs->esp - sizeof(f)) & ~15UL) - 4;
		f.pretcode = ka->restorer;
		f.sig = sig;
		f.pinfo = sp + offsetof(struct rt_sigframe, info);
		f.puc = sp + offsetof(struct rt_sigframe, uc);
		f.info.si_signo = sig;
		f.info.si_code = 0;	/* SI_USER */
		save_sigcontext(&f.uc.uc_mcontext, regs, mask);
		f.uc.uc_sigmask = mask;
		f.uc.ss_flags = 2;	/* SS_DISABLE: no alternate stack */
		if (regs->esp < sizeof(f) + 16 || copy_to_user((void *)sp, &f, sizeof(f)))
			return false;
		regs->esp = sp;
		regs->eax = sig;
		regs->edx = f.pinfo;
		regs->ecx = f.puc;
	} else {
		struct sigframe f;
		unsigned long sp = ((regs->esp - sizeof(f)) & ~15UL) - 4;
		f.pretcode = ka->restorer;
		f.sig = sig;
		save_sigcontext(&f.sc, regs, mask);
		f.extramask = (u32)(mask >> 32);
		if (regs->esp < sizeof(f) + 16 || copy_to_user((void *)sp, &f, sizeof(f)))
			return false;
		regs->esp = sp;
		regs->eax = sig;
		regs->edx = regs->ecx = 0;
	}
	regs->eip = ka->handler;
	regs->cs = __USER_CS;
	regs->ss = regs->ds = regs->es = __USER_DS;
	regs->eflags &= ~0x100u;	/* no single-stepping into the handler */
	current->blocked |= ka->mask;
	if (!(ka->flags & SA_NODEFER))
		current->blocked |= sigbit(sig);
	current->blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	if (ka->flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
	return true;
}

/* On the way back to user mode: act on the pending signals, lowest first;
 * the first one with a handler gets a frame (the others wait until the
 * handler returns). */
void do_signal(struct pt_regs *regs)
{
	while (current->pending & ~(current->blocked & ~(sigbit(SIGKILL) | sigbit(SIGSEGV)))) {
		u64 p = current->pending & ~(current->blocked & ~(sigbit(SIGKILL) | sigbit(SIGSEGV)));
		int sig = (u32)p ? __builtin_ctz((u32)p) + 1 : __builtin_ctz((u32)(p >> 32)) + 33;
		current->pending &= ~sigbit(sig);
		struct k_sigaction *ka = &current->sighand[sig - 1];
		if (sig == SIGKILL || (ka->handler == SIG_DFL && !sig_ignored_by_default(sig)))
			do_exit(sig);
		if (ka->handler == SIG_DFL || ka->handler == SIG_IGN)
			continue;
		if (!setup_frame(sig, ka, regs)) {
			printk(KERN_INFO "%s[%d]: bad signal frame for signal %d at sp %08lx\n",
			       current->comm, current->pid, sig, (unsigned long)regs->esp);
			do_exit(SIGSEGV);
		}
		return;
	}
}

/* sigreturn (119): the restorer popped the signal number, so the frame
 * starts 8 bytes below ESP. Returns the restored EAX. */
long sys_sigreturn(struct pt_regs *regs)
{
	struct sigframe f;
	if (copy_from_user(&f, (void *)(regs->esp - 8), sizeof(f))) {
		force_sig_segv(regs->esp - 8, regs, 0);
		return regs->eax;
	}
	current->blocked = ((u64)f.extramask << 32 | f.sc.oldmask) &
			   ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	restore_sigcontext(regs, &f.sc);
	return regs->eax;
}

/* rt_sigreturn (173): the restorer returned into it, the frame starts 4
 * bytes below ESP. */
long sys_rt_sigreturn(struct pt_regs *regs)
{
	struct rt_sigframe f;
	if (copy_from_user(&f, (void *)(regs->esp - 4), sizeof(f))) {
		force_sig_segv(regs->esp - 4, regs, 0);
		return regs->eax;
	}
	current->blocked = f.uc.uc_sigmask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	restore_sigcontext(regs, &f.uc.uc_mcontext);
	return regs->eax;
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
		/* No process groups: each process is its own, so 0 and -PGID
		 * name the caller's group, i.e. the caller alone. */
		bool match = pid > 0 ? t->pid == pid
			   : pid == -1 ? t->pid > 1 && t != current
			   : pid == 0 || -pid == current->pid ? t == current : false;
		if (!match)
			continue;
		found++;
		if (!sig)
			continue;	/* kill(pid, 0): existence check only */
		/* init only gets the signals it has a handler for (Linux's
		 * SIGNAL_UNKILLABLE): nothing a user sends can power off the
		 * machine by accident. */
		if (t->pid == 1 && (sig == SIGKILL || sig == SIGSTOP ||
				    t->sighand[sig - 1].handler == SIG_DFL))
			continue;
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
