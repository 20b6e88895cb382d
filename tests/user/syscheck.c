/* syscheck - exercise each system-call wrapper of the mmulab libc with
 * valid arguments and print what the kernel answered, one "key: value"
 * line each.  run_programs.py runs it on the host kernel and checks the
 * values against what Python sees of the same process and files (pid,
 * uid, uname, rlimits, file sizes, directory entries...), which validates
 * the numbers, argument order and structure layouts of the ABI.
 *
 *   syscheck DIR SH  DIR: an empty scratch directory; SH: our sh, exec'd by a child
 */
#include <asm/ldt.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int got_usr1;

static void on_usr1(int sig)
{
	got_usr1 += sig;
}

static volatile int got_usr2;

/* An SA_SIGINFO handler: the second argument points at the kernel's
 * siginfo, whose first word is the signal number. */
static void on_usr2_info(int sig, void *info, void *ctx)
{
	(void)ctx;
	got_usr2 = sig * 100 + *(int *)info;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: syscheck DIR\n");
		return 2;
	}
	char path[512];
	printf("pid: %d\nppid: %d\n", getpid(), getppid());
	printf("uid: %u %u\ngid: %u %u\n", getuid(), geteuid(), getgid(), getegid());
	printf("tid: %d\n", set_tid_address(NULL));

	struct utsname u;
	if (uname(&u) == 0)
		printf("uname: %s|%s|%s|%s\n", u.sysname, u.nodename, u.release, u.machine);

	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0)
		printf("rlimit_as: %lu %lu\n", rl.rlim_cur, rl.rlim_max);
	rl.rlim_cur = 100 << 20;
	printf("setrlimit_as: %d\n", setrlimit(RLIMIT_AS, &rl));
	getrlimit(RLIMIT_AS, &rl);
	printf("rlimit_as_after: %lu\n", rl.rlim_cur);
	if (getrlimit(RLIMIT_STACK, &rl) == 0)
		printf("rlimit_stack: %lu\n", rl.rlim_cur);

	/* files: create, write, seek, read back, fstat */
	snprintf(path, sizeof(path), "%s/file", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0640);
	char buf[8192];
	for (int i = 0; i < 6000; i++)
		buf[i] = (char)('a' + i % 26);
	printf("write: %ld\n", (long)write(fd, buf, 6000));
	printf("lseek_cur: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	printf("lseek_set: %ld\n", (long)lseek(fd, 4096, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	printf("read: %ld %.5s\n", (long)read(fd, buf, sizeof(buf)), buf);
	printf("lseek64_end: %lld\n", (long long)lseek64(fd, -10, SEEK_END));
	struct stat st;
	if (fstat(fd, &st) == 0)
		printf("fstat: size %lld mode %o nlink %u ino %llu blksize %lu\n", st.st_size, st.st_mode,
		       st.st_nlink, st.st_ino, st.st_blksize);
	/* a file mapping through mmap2 with a page offset: page 1 starts 'a'+4096%26 */
	char *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	printf("mmap_file: %s %c\n", m == MAP_FAILED ? "failed" : "ok", m == MAP_FAILED ? '?' : m[0]);
	close(fd);
	/* (results saved first: argument evaluation order is unspecified) */
	long rr = read(fd, buf, 1);
	printf("read_closed: %ld %d\n", rr, errno);
	snprintf(path, sizeof(path), "%s/missing/x", argv[1]);
	int ro = open(path, O_RDONLY);
	printf("open_missing: %d %d\n", ro, errno);
	snprintf(path, sizeof(path), "%s/file", argv[1]);
	if (stat(path, &st) == 0)
		printf("stat: size %lld\n", st.st_size);

	/* directories */
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/entry%d", argv[1], i);
		close(open(path, O_WRONLY | O_CREAT, 0600));
	}
	DIR *d = opendir(argv[1]);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	printf("dir_entries: %d\n", n);

	/* memory: old mmap, mprotect, munmap */
	char *a = old_mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("old_mmap: %s\n", a == MAP_FAILED ? "failed" : "ok");
	if (a != MAP_FAILED) {
		a[0] = 1;
		a[4096] = 2;
		printf("mprotect: %d\n", mprotect(a, 4096, PROT_READ));
		printf("munmap: %d\n", munmap(a, 8192));
	}
	int ru = munmap((char *)4097, 4096);
	printf("munmap_unaligned: %d %d\n", ru, errno);

	/* TLS: install a descriptor, load it into %gs and read through it */
	static unsigned int tls_word = 0x5a5a1234;
	struct user_desc ud = { .entry_number = (unsigned)-1, .base_addr = (unsigned)(uintptr_t)&tls_word,
				.limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1, .useable = 1 };
	int r = set_thread_area(&ud);
	if (r == 0) {
		unsigned int sel = ud.entry_number * 8 + 3, v;
		__asm__ volatile("movw %w1, %%gs\n\tmovl %%gs:0, %0" : "=r"(v) : "r"(sel));
		printf("set_thread_area: entry %u value %x\n", ud.entry_number, v);
	} else {
		printf("set_thread_area: failed %d\n", errno);
	}

	/* signals: handler and return through __restore_rt; blocking */
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigemptyset(&sa.sa_mask);
	printf("sigaction: %d\n", sigaction(SIGUSR1, &sa, NULL));
	raise(SIGUSR1);
	printf("handler_ran: %d\n", got_usr1);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	printf("blocked_pending: %d\n", got_usr1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after_unblock: %d\n", got_usr1);
	printf("kill0: %d\n", kill(getpid(), 0));

	/* SA_SIGINFO handlers get the rt frame and return through rt_sigreturn */
	struct sigaction si = { .sa_handler = (sighandler_t)(void *)on_usr2_info, .sa_flags = SA_SIGINFO };
	sigemptyset(&si.sa_mask);
	sigaction(SIGUSR2, &si, NULL);
	raise(SIGUSR2);
	printf("siginfo_handler: %d\n", got_usr2);

	/* time */
	struct timespec ts = { 0, 2000000 };
	printf("nanosleep: %d\n", nanosleep(&ts, NULL));
	ts.tv_nsec = 2000000000;
	int rn = nanosleep(&ts, NULL);
	printf("nanosleep_bad: %d %d\n", rn, errno);

	/* processes: wait with no child, fork + execve with arguments and environment */
	int rw = waitpid(-1, NULL, 0);
	printf("wait_nochild: %d %d\n", rw, errno);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { "sh", "-c", "echo exec: ok", NULL };
		char *env[] = { "X=1", NULL };
		execve(argc > 2 ? argv[2] : "/bin/sh", args, env);
		_exit(99);
	}
	int status;
	printf("waitpid: %d\n", waitpid(pid, &status, 0) == pid);
	printf("child_status: %d\n", WEXITSTATUS(status));
	char *none[] = { "x", NULL };
	snprintf(path, sizeof(path), "%s/missing", argv[1]);
	int re = execve(path, none, none);
	printf("execve_missing: %d %d\n", re, errno);
	printf("brk0: %s\n", sbrk(0) != (void *)-1 ? "ok" : "failed");
	printf("environ_first: %s\n", environ && environ[0] ? environ[0] : "(none)");
	printf("pagesize: %d\n", getpagesize());
	return 0;
}
