/* sys/resource.h - resource limits (Linux i386 numbering). */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H
/* RLIMIT_*, RLIM_INFINITY, struct rlimit: the ABI header shared with the
 * kernel (guest/include/uapi/asm-generic/resource.h). */
#include <asm-generic/resource.h>

typedef unsigned long rlim_t;
/* getrlimit uses ugetrlimit (191), which reports RLIM_INFINITY unclipped. */
int getrlimit(int resource, struct rlimit *rl);
int setrlimit(int resource, const struct rlimit *rl);
#endif
