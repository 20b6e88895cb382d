/* signal.c - minimal signal support over rt_sigaction/rt_sigprocmask/kill. */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "libc_internal.h"

/* The kernel's i386 struct sigaction for rt_sigaction: handler, flags,
 * restorer, then the 8-byte mask (differs from our public layout). */
struct k_sigaction {
	sighandler_t handler;
	unsigned long flags;
	void (*restorer)(void);
	sigset_t mask;
};

/* Install a handler; every handler returns through libc's own restorer
 * (SA_RESTORER), so no vDSO is needed.  The kernel's frame, and so the
 * restorer, depends on SA_SIGINFO (see syscall.S). */
int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct k_sigaction kact, kold;
	if (act) {
		kact.handler = act->sa_handler;
		kact.flags = act->sa_flags | SA_RESTORER;
		kact.restorer = (act->sa_flags & SA_SIGINFO) ? __restore_rt : __restore;
		kact.mask = act->sa_mask;
	}
	long r = __syscall_ret((unsigned long)__sys4(SYS_rt_sigaction, sig, act ? &kact : NULL,
						     old ? &kold : NULL, sizeof(sigset_t)));
	if (r < 0)
		return -1;
	if (old) {
		old->sa_handler = kold.handler;
		old->sa_flags = kold.flags;
		old->sa_mask = kold.mask;
	}
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)__syscall_ret((unsigned long)__sys4(SYS_rt_sigprocmask, how, set, old,
							sizeof(sigset_t)));
}

int sigemptyset(sigset_t *set)
{
	set->sig[0] = set->sig[1] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->sig[0] = set->sig[1] = ~0UL;
	return 0;
}

static int bad_signal(int sig)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	set->sig[(sig - 1) / 32] |= 1UL << ((sig - 1) % 32);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	set->sig[(sig - 1) / 32] &= ~(1UL << ((sig - 1) % 32));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	return (set->sig[(sig - 1) / 32] >> ((sig - 1) % 32)) & 1;
}

int kill(pid_t pid, int sig)
{
	return (int)__syscall_ret((unsigned long)__sys2(SYS_kill, pid, sig));
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

static const char *const signames[] = {
	[SIGHUP] = "Hangup", [SIGINT] = "Interrupt", [SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction", [SIGTRAP] = "Trace/breakpoint trap",
	[SIGABRT] = "Aborted", [SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception", [SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1", [SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2", [SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock", [SIGTERM] = "Terminated",
	[SIGCHLD] = "Child exited", [SIGCONT] = "Continued",
	[SIGSTOP] = "Stopped (signal)", [SIGTSTP] = "Stopped",
};

const char *strsignal(int sig)
{
	if (sig > 0 && sig < (int)(sizeof(signames) / sizeof(signames[0])) && signames[sig])
		return signames[sig];
	return "Unknown signal";
}
