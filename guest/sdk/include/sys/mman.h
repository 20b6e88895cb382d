/* sys/mman.h - memory mappings (Linux i386 values). */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H
#include <sys/types.h>

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_ANON	MAP_ANONYMOUS
#define MAP_GROWSDOWN	0x0100
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_FAILED	((void *)-1)

/* mmap via mmap2 (offset in 4096-byte units: off must be page aligned). */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *mmap2(void *addr, size_t len, int prot, int flags, int fd, unsigned long pgoff);
/* The original i386 mmap (system call 90): the six arguments in memory. */
void *old_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
#endif
