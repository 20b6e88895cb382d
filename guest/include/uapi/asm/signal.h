/* asm/signal.h - signal numbers and sigaction flags of the Linux i386
 * ABI (Linux's arch/x86 uapi asm/signal.h and asm-generic/signal-defs.h),
 * shared by the kernel (<uapi/asm/signal.h>, through <linux/sched.h> and
 * signal.c) and the SDK's <signal.h> (<asm/signal.h>). Each side keeps
 * its own SIG_DFL/SIG_IGN spelling (an integer in the kernel, a handler
 * pointer for programs). */
#ifndef UAPI_ASM_SIGNAL_H
#define UAPI_ASM_SIGNAL_H
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGURG		23
#define SIGWINCH	28

/* sa_flags */
#define SA_NOCLDSTOP	0x00000001
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* rt_sigprocmask's how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2
#endif
