/* errno-base.h - Linux's error numbers (the i386 values, defined in the
 * ABI header shared with the SDK); system calls return -E... on failure. Not named linux/errno.h: host code that sees
 * guest/include would get it from the C library's <errno.h>. */
#ifndef LINUX_ERRNO_H
#define LINUX_ERRNO_H
#include <uapi/asm-generic/errno.h>
#endif
