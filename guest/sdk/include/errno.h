/* errno.h - errno; the numbers are the ABI header shared with the kernel
 * (guest/include/uapi/asm-generic/errno.h). */
#ifndef _ERRNO_H
#define _ERRNO_H
extern int errno;

#include <asm-generic/errno.h>

/* Raw system call result to libc convention: -1 and errno for -4095..-1. */
long __syscall_ret(unsigned long r);
#endif
