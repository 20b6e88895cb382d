/* sysstress - call every system call the libc wraps with random arguments.
 *
 *   sysstress [SEED [CALLS [PER_CHILD]]]     defaults: 1 2000 50
 *
 * The random calls run in forked children, PER_CHILD calls each, so that
 * calls which legitimately destroy the caller (munmap or mprotect of its
 * own text or stack, brk, exit, a signal sent to itself, a lowered rlimit)
 * only end that child.  A child first closes every descriptor below 64, so
 * random reads and writes can neither block on a terminal nor scribble on
 * the console.  The arguments come from a fixed-seed generator: the same
 * seed gives the same calls.
 *
 * Documented ways a child may end: exit status 0 (all calls made), any
 * status from a random exit/exit_group, or death by SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE, SIGTRAP (its memory was unmapped or corrupted by a
 * random call), by a signal it sent to itself, or by SIGXCPU, SIGXFSZ,
 * SIGKILL after a random setrlimit.  Stop signals are never sent (a
 * stopped child would hang the run), mmap never gets MAP_POPULATE or
 * MAP_LOCKED (a random length would fill memory), and kill only targets
 * the child itself.  The parent itself only forks, waits
 * and counts, must never die, and exits 0 after printing "sysstress: done".
 * The kernel must survive all of it.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned int seed_state;
static unsigned char scratch[8192] __attribute__((aligned(4096)));

static uint32_t rnd(void)
{
	/* xorshift32: small, deterministic, full period over nonzero states */
	uint32_t x = seed_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return seed_state = x;
}

/* One argument from the classes that find kernel bugs: zero, -1, small
 * numbers, random words, pointers into our scratch buffer, kernel
 * addresses, unmapped low addresses, and page-aligned addresses. */
static long arg(void)
{
	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return -1;
	case 2: return (long)(rnd() % 64);
	case 3: return (long)rnd();
	case 4: return (long)(uintptr_t)scratch;
	case 5: return (long)(uintptr_t)(scratch + rnd() % sizeof(scratch));
	case 6: return (long)(0xC0000000u + (rnd() & 0x3fffffffu));
	case 7: return (long)(rnd() & 0xfff);
	case 8: return (long)(rnd() & ~0xfffu);
	default: return (long)(rnd() % 0x20000);
	}
}

/* Paths that exist or not, none of them a program we could exec. */
static const char *const paths[] = { "/", "/proc", "/proc/self/maps", "/proc/meminfo",
				     "/nonexistent", "", "/proc/self/stat" };

static long path_arg(void)
{
	if (rnd() % 4 == 0)
		return arg();
	return (long)(uintptr_t)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
}

/* The calls under test; "special" ones get constrained arguments. */
static const int calls[] = {
	SYS_read, SYS_write, SYS_open, SYS_close, SYS__llseek, SYS_lseek, SYS_brk,
	SYS_mmap2, SYS_mmap, SYS_munmap, SYS_mprotect, SYS_fork, SYS_execve, SYS_wait4,
	SYS_waitpid, SYS_getpid, SYS_getppid, SYS_kill, SYS_nanosleep, SYS_uname,
	SYS_set_thread_area, SYS_set_tid_address, SYS_getuid32, SYS_geteuid32,
	SYS_getgid32, SYS_getegid32, SYS_ugetrlimit, SYS_setrlimit, SYS_fstat64,
	SYS_getdents64, SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_exit, SYS_exit_group,
};
#define NCALLS ((int)(sizeof(calls) / sizeof(calls[0])))

/* Make one random call of number nr (in a child). */
static void one_call(int nr)
{
	long a1 = arg(), a2 = arg(), a3 = arg(), a4 = arg(), a5 = arg(), a6 = arg();
	switch (nr) {
	case SYS_exit:
	case SYS_exit_group:
		if (rnd() % 8)		/* mostly skip, so children get some work done */
			return;
		break;
	case SYS_open:
	case SYS_execve:
		a1 = path_arg();
		break;
	case SYS_kill:
		/* Only ourselves: a random pid could be anyone on a host. */
		a1 = getpid();
		a2 = rnd() % 8 == 0 ? (long)(rnd() % 70) : (rnd() % 2 ? 0 : SIGCHLD);
		if (a2 >= SIGSTOP && a2 <= 22)	/* STOP, TSTP, TTIN, TTOU: would hang */
			a2 = 0;
		break;
	case SYS_munmap:
	case SYS_mprotect:
		/* Usually aimed at the scratch page only, so children live long
		 * enough to reach the other calls; sometimes fully random. */
		if (rnd() % 4)
			a1 = (long)(uintptr_t)(scratch + 4096);
		break;
	case SYS_mmap2:
		if (rnd() % 4)
			a4 &= ~0x10L;	/* usually no MAP_FIXED */
		/* No MAP_POPULATE/MAP_LOCKED: a random 3 GiB length would be filled. */
		a4 &= ~0xa000L;
		break;
	case SYS_nanosleep: {
		/* Never sleep long: a valid request is at most 1 ms. */
		static struct timespec ts;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(rnd() % 1000000);
		if (rnd() % 2)
			a1 = (long)(uintptr_t)&ts;
		else if (a1 == (long)(uintptr_t)scratch || (a1 > (long)(uintptr_t)scratch &&
			 a1 < (long)(uintptr_t)(scratch + sizeof(scratch))))
			a1 = 0;
		break;
	}
	case SYS_fork: {
		/* The grandchild leaves at once: no fork bombs. */
		long r = __sys0(SYS_fork);
		if (r == 0)
			__sys1(SYS_exit_group, 0);
		if (r > 0)
			__sys4(SYS_wait4, r, 0, 0, 0);
		return;
	}
	case SYS_wait4:
	case SYS_waitpid:
		a3 |= 1;		/* WNOHANG: we have no children to wait for */
		break;
	}
	__syscall6(nr, a1, a2, a3, a4, a5, a6);
}

static void child(int first, int count)
{
	for (int fd = 0; fd < 64; fd++)
		__sys1(SYS_close, fd);
	for (int i = 0; i < count; i++) {
		int nr = calls[rnd() % NCALLS];
		(void)first;
		one_call(nr);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	int total = argc > 2 ? atoi(argv[2]) : 2000;
	int per = argc > 3 ? atoi(argv[3]) : 50;
	if (per <= 0)
		per = 50;
	int nchildren = (total + per - 1) / per;
	printf("sysstress: seed %lu, %d calls in %d children of %d\n", seed, total, nchildren, per);

	int exited0 = 0, exited_other = 0, by_signal[NSIG] = { 0 };
	for (int c = 0; c < nchildren; c++) {
		/* Each child gets its own stream, derived from the seed and its index. */
		seed_state = (unsigned)(seed * 2654435761u) ^ (unsigned)(c * 40503u + 0x9e3779b9u);
		if (!seed_state)
			seed_state = 1;
		for (int k = 0; k < 8; k++)
			rnd();
		int count = total - c * per < per ? total - c * per : per;
		pid_t pid = fork();
		if (pid < 0) {
			perror("sysstress: fork");
			return 1;
		}
		if (pid == 0)
			child(c * per, count);
		int status;
		/* WUNTRACED: a child stopped by some path we did not foresee is
		 * killed rather than waited for forever. */
		while (waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status)) {
			printf("sysstress: child %d stopped by signal %d, killing it\n", c,
			       WSTOPSIG(status));
			kill(pid, SIGKILL);
		}
		if (!WIFSIGNALED(status) && !WIFEXITED(status)) {
			perror("sysstress: waitpid");
			return 1;
		}
		if (WIFSIGNALED(status))
			by_signal[WTERMSIG(status)]++;
		else if (WEXITSTATUS(status) == 0)
			exited0++;
		else
			exited_other++;
	}
	printf("sysstress: children completed %d, exited early %d\n", exited0, exited_other);
	for (int s = 1; s < NSIG; s++)
		if (by_signal[s])
			printf("sysstress: %d killed by signal %d (%s)\n", by_signal[s], s, strsignal(s));
	printf("sysstress: done\n");
	return 0;
}
