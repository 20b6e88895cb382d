/* sys/syscall.h - Linux i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl).
 * The same numbers are the ABI of the bundled mmulab kernel. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#define SYS_exit		1
#define SYS_fork		2
#define SYS_read		3
#define SYS_write		4
#define SYS_open		5
#define SYS_close		6
#define SYS_waitpid		7
#define SYS_unlink		10
#define SYS_execve		11
#define SYS_chdir		12
#define SYS_time		13
#define SYS_lseek		19
#define SYS_getpid		20
#define SYS_getuid		24
#define SYS_pause		29
#define SYS_access		33
#define SYS_kill		37
#define SYS_dup			41
#define SYS_pipe		42
#define SYS_brk			45
#define SYS_getgid		47
#define SYS_geteuid		49
#define SYS_getegid		50
#define SYS_ioctl		54
#define SYS_dup2		63
#define SYS_getppid		64
#define SYS_sigaction		67
#define SYS_setrlimit		75
#define SYS_getrlimit		76
#define SYS_gettimeofday	78
#define SYS_mmap		90	/* old_mmap: one pointer to six arguments */
#define SYS_munmap		91
#define SYS_wait4		114
#define SYS_sysinfo		116
#define SYS_sigreturn		119
#define SYS_uname		122
#define SYS_mprotect		125
#define SYS__llseek		140
#define SYS_getdents		141
#define SYS_sched_yield		158
#define SYS_nanosleep		162
#define SYS_rt_sigreturn	173
#define SYS_rt_sigaction	174
#define SYS_rt_sigprocmask	175
#define SYS_getcwd		183
#define SYS_ugetrlimit		191
#define SYS_mmap2		192
#define SYS_stat64		195
#define SYS_lstat64		196
#define SYS_fstat64		197
#define SYS_getuid32		199
#define SYS_getgid32		200
#define SYS_geteuid32		201
#define SYS_getegid32		202
#define SYS_getdents64		220
#define SYS_gettid		224
#define SYS_tkill		238
#define SYS_set_thread_area	243
#define SYS_get_thread_area	244
#define SYS_exit_group		252
#define SYS_set_tid_address	258
#define SYS_clock_gettime	265

/* Raw system call: number and up to six arguments in ebx, ecx, edx, esi,
 * edi, ebp; returns eax as the kernel left it (-4095..-1 is -errno). */
long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* Same, but turns a -errno result into -1 with errno set. */
long syscall(long nr, ...);

#define __sys0(n)		__syscall6((n), 0, 0, 0, 0, 0, 0)
#define __sys1(n, a)		__syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define __sys2(n, a, b)		__syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define __sys3(n, a, b, c)	__syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __sys4(n, a, b, c, d)	__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __sys5(n, a, b, c, d, e) \
	__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#endif
