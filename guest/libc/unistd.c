/* unistd.c - thin wrappers around the Linux i386 system calls. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <asm/ldt.h>
#include <sys/ioctl.h>
#include "libc_internal.h"

#define RET(x) return __syscall_ret((unsigned long)(x))

ssize_t read(int fd, void *buf, size_t n) { RET(__sys3(SYS_read, fd, buf, n)); }
ssize_t write(int fd, const void *buf, size_t n) { RET(__sys3(SYS_write, fd, buf, n)); }
int close(int fd) { RET(__sys1(SYS_close, fd)); }
int dup(int fd) { RET(__sys1(SYS_dup, fd)); }
int dup2(int oldfd, int newfd) { RET(__sys2(SYS_dup2, oldfd, newfd)); }
int pipe(int fds[2]) { RET(__sys1(SYS_pipe, fds)); }
int unlink(const char *path) { RET(__sys1(SYS_unlink, path)); }
int chdir(const char *path) { RET(__sys1(SYS_chdir, path)); }
int access(const char *path, int mode) { RET(__sys2(SYS_access, path, mode)); }
int fstat(int fd, struct stat *st) { RET(__sys2(SYS_fstat64, fd, st)); }
int stat(const char *path, struct stat *st) { RET(__sys2(SYS_stat64, path, st)); }
int uname(struct utsname *u) { RET(__sys1(SYS_uname, u)); }
int sysinfo(struct sysinfo *info) { RET(__sys1(SYS_sysinfo, info)); }
int getdents64(int fd, void *buf, size_t n) { RET(__sys3(SYS_getdents64, fd, buf, n)); }
int sched_yield(void) { RET(__sys0(SYS_sched_yield)); }

/* open(path, flags[, mode]): mode is read only when O_CREAT is given. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	RET(__sys3(SYS_open, path, flags | O_LARGEFILE, mode));
}

char *getcwd(char *buf, size_t size)
{
	long r = __syscall_ret(__sys2(SYS_getcwd, buf, size));
	return r < 0 ? NULL : buf;
}

/* 64-bit seek through _llseek (high and low halves, result by pointer). */
off64_t lseek64(int fd, off64_t off, int whence)
{
	off64_t result;
	long r = __syscall_ret(__sys5(SYS__llseek, fd, (unsigned long)((unsigned long long)off >> 32),
				      (unsigned long)off, &result, whence));
	return r < 0 ? -1 : result;
}

/* 32-bit seek; a position beyond 2 GiB cannot be returned (EOVERFLOW). */
off_t lseek(int fd, off_t off, int whence)
{
	off64_t r = lseek64(fd, off, whence);
	if (r > 0x7fffffffLL) {
		errno = EOVERFLOW;
		return -1;
	}
	return (off_t)r;
}

/* fork flushes stdio first so buffered output is not written twice. */
pid_t fork(void)
{
	__stdio_flush_all();
	RET(__sys0(SYS_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	__stdio_flush_all();
	RET(__sys3(SYS_execve, path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* execvp: a name without '/' is tried in each directory of $PATH
 * (default "/bin"), the way a shell searches. */
int execvp(const char *file, char *const argv[])
{
	char buf[512];
	if (strchr(file, '/'))
		return execve(file, argv, environ);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/bin";
	int err = ENOENT;
	while (*path) {
		size_t dl = strcspn(path, ":");
		if (dl + strlen(file) + 2 <= sizeof(buf)) {
			memcpy(buf, path, dl);
			buf[dl] = '/';
			strcpy(buf + dl + 1, file);
			execve(buf, argv, environ);
			if (errno != ENOENT)
				err = errno;
		}
		path += dl;
		if (*path == ':')
			path++;
	}
	errno = err;
	return -1;
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	RET(__sys3(SYS_ioctl, fd, req, arg));
}

/* A terminal answers TCGETS (0x5401); anything else says ENOTTY. */
int isatty(int fd)
{
	char termios[64];
	return ioctl(fd, 0x5401, termios) == 0;
}

/* exit_group ends every thread; plain exit (1) would end only the caller. */
void _exit(int status)
{
	for (;;) {
		__sys1(SYS_exit_group, status);
		__sys1(SYS_exit, status);
	}
}

void _Exit(int status) { _exit(status); }

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	RET(__sys4(SYS_wait4, pid, status, options, ru));
}

pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }

pid_t getpid(void) { return (pid_t)__sys0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)__sys0(SYS_getppid); }
pid_t gettid(void) { return (pid_t)__sys0(SYS_gettid); }
uid_t getuid(void) { return (uid_t)__sys0(SYS_getuid32); }
uid_t geteuid(void) { return (uid_t)__sys0(SYS_geteuid32); }
gid_t getgid(void) { return (gid_t)__sys0(SYS_getgid32); }
gid_t getegid(void) { return (gid_t)__sys0(SYS_getegid32); }

int getrlimit(int resource, struct rlimit *rl) { RET(__sys2(SYS_ugetrlimit, resource, rl)); }
int setrlimit(int resource, const struct rlimit *rl) { RET(__sys2(SYS_setrlimit, resource, rl)); }

int set_thread_area(struct user_desc *u) { RET(__sys1(SYS_set_thread_area, u)); }
int get_thread_area(struct user_desc *u) { RET(__sys1(SYS_get_thread_area, u)); }
/* set_tid_address cannot fail; it returns the caller's thread id. */
int set_tid_address(int *tidptr) { return (int)__sys1(SYS_set_tid_address, tidptr); }

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	RET(__sys2(SYS_nanosleep, req, rem));
}

int clock_gettime(clockid_t clk, struct timespec *ts) { RET(__sys2(SYS_clock_gettime, clk, ts)); }

time_t time(time_t *t)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return (time_t)-1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 }, rem = { 0, 0 };
	if (nanosleep(&ts, &rem) < 0)
		return (unsigned int)rem.tv_sec;
	return 0;
}

int usleep(unsigned long usec)
{
	struct timespec ts = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };
	return nanosleep(&ts, NULL);
}

int getpagesize(void) { return (int)__page_size; }

long sysconf(int name)
{
	if (name == _SC_PAGESIZE)
		return (long)__page_size;
	errno = EINVAL;
	return -1;
}
