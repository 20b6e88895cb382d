/* sigcheck - signal handlers and a selector that goes bad under the kernel.
 *
 * 1. a plain handler (old i386 sigframe, sigreturn): runs once, sees its
 *    own signal blocked, and the mask is back afterwards;
 * 2. an SA_SIGINFO handler (rt_sigframe, rt_sigreturn) gets the signal
 *    number in its siginfo and a ucontext;
 * 3. a variable in a callee-saved register survives the handler;
 * 4. %gs holds a TLS selector whose descriptor is then cleared by
 *    set_thread_area: the kernel's return path must not die on it.
 * One line per check, "ok" or "FAILED"; exit status 0 when all pass. The
 * same binary runs on the host's Linux kernel, the reference.
 */
#include <asm/ldt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int usr1_calls, usr1_blocked_inside, usr2_signo, usr2_has_uc;

static void on_usr1(int sig)
{
	sigset_t now;
	usr1_calls++;
	sigprocmask(SIG_BLOCK, NULL, &now);
	usr1_blocked_inside = sigismember(&now, sig);
}

struct siginfo_head { int si_signo, si_errno, si_code; };

static void on_usr2(int sig, struct siginfo_head *info, void *uc)
{
	(void)sig;
	usr2_signo = info ? info->si_signo : -1;
	usr2_has_uc = uc != NULL;
}

static int report(const char *what, int ok)
{
	printf("sigcheck: %s: %s\n", what, ok ? "ok" : "FAILED");
	return !ok;
}

int main(void)
{
	int bad = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	register int keep __asm__("ebx") = 0x5a5a1234;
	__asm__ volatile("" : "+r"(keep));
	raise(SIGUSR1);
	__asm__ volatile("" : "+r"(keep));
	sigset_t after;
	sigprocmask(SIG_BLOCK, NULL, &after);
	bad |= report("plain handler ran once", usr1_calls == 1);
	bad |= report("its signal blocked inside", usr1_blocked_inside == 1);
	bad |= report("mask restored after", !sigismember(&after, SIGUSR1));
	bad |= report("callee-saved register kept", keep == 0x5a5a1234);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = (sighandler_t)(void (*)(void))on_usr2;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	bad |= report("siginfo handler got si_signo", usr2_signo == SIGUSR2);
	bad |= report("siginfo handler got a ucontext", usr2_has_uc);

	struct user_desc d;
	memset(&d, 0, sizeof(d));
	d.entry_number = -1;
	d.base_addr = 0;
	d.limit = 0xfffff;
	d.seg_32bit = 1;
	d.limit_in_pages = 1;
	d.useable = 1;
	int ok = set_thread_area(&d) == 0;
	if (ok) {
		unsigned short sel = (unsigned short)(d.entry_number * 8 + 3);
		__asm__ volatile("movw %0, %%gs" : : "r"(sel));
		/* An empty descriptor (read_exec_only and seg_not_present). */
		struct user_desc e;
		memset(&e, 0, sizeof(e));
		e.entry_number = d.entry_number;
		e.read_exec_only = 1;
		e.seg_not_present = 1;
		ok = set_thread_area(&e) == 0;
		ok &= getpid() > 0;	/* one more trip through the kernel */
		__asm__ volatile("movw %0, %%gs" : : "r"((unsigned short)0));
	}
	bad |= report("stale %gs survives the kernel's return", ok);
	return bad;
}
