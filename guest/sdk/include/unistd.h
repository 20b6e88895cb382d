/* unistd.h - POSIX system call wrappers of the mmulab user libc. */
#ifndef _UNISTD_H
#define _UNISTD_H
#include <sys/types.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

extern char **environ;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
off64_t lseek64(int fd, off64_t off, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);
int unlink(const char *path);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int access(const char *path, int mode);
int isatty(int fd);

pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
__attribute__((noreturn)) void _exit(int status);
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);

int brk(void *addr);
void *sbrk(intptr_t increment);
/* The raw brk system call: returns the new (or unchanged) break. */
void *__brk(void *addr);

unsigned int sleep(unsigned int seconds);
int usleep(unsigned long usec);
long sysconf(int name);
int getpagesize(void);
int sched_yield(void);
#define _SC_PAGESIZE	30
#define _SC_PAGE_SIZE	_SC_PAGESIZE
#endif
