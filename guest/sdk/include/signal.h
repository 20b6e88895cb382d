/* signal.h - signals (Linux i386 numbers) and a minimal sigaction. */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <sys/types.h>

/* Signal numbers, SA_* and SIG_BLOCK..: the ABI header shared with the
 * kernel (guest/include/uapi/asm/signal.h). */
#include <asm/signal.h>

#define NSIG		65

typedef void (*sighandler_t)(int);
#define SIG_DFL		((sighandler_t)0)
#define SIG_IGN		((sighandler_t)1)
#define SIG_ERR		((sighandler_t)-1)

/* The kernel's 64-signal mask (rt_sigaction's sigsetsize is 8). */
typedef struct {
	unsigned long sig[2];
} sigset_t;

struct sigaction {
	sighandler_t sa_handler;
	sigset_t sa_mask;
	unsigned long sa_flags;
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int kill(pid_t pid, int sig);
int raise(int sig);
const char *strsignal(int sig);
#endif
