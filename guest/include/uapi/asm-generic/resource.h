/* asm-generic/resource.h - resource-limit numbers and struct rlimit of
 * the Linux i386 ABI (getrlimit/setrlimit/ugetrlimit), shared by the
 * kernel (<uapi/asm-generic/resource.h>, through <linux/sched.h>) and
 * the SDK's <sys/resource.h> (<asm-generic/resource.h>). */
#ifndef UAPI_ASM_GENERIC_RESOURCE_H
#define UAPI_ASM_GENERIC_RESOURCE_H
#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_NPROC	6
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_AS	9
#define RLIM_INFINITY	(~0UL)

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};
#endif
