/* mman.c - the address-space calls: brk/sbrk, mmap2/old mmap, munmap, mprotect. */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Current break as libc last saw it (0 until first asked). */
static uintptr_t cur_brk;

/* The raw call: Linux returns the new break on success and the old one on
 * failure (never -errno), so callers compare with what they asked for. */
void *__brk(void *addr)
{
	return (void *)__sys1(SYS_brk, addr);
}

int brk(void *addr)
{
	uintptr_t r = (uintptr_t)__brk(addr);
	cur_brk = r;
	if (r != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* sbrk: move the break by `increment` bytes, returning the old break. */
void *sbrk(intptr_t increment)
{
	if (!cur_brk)
		cur_brk = (uintptr_t)__brk(0);
	uintptr_t old = cur_brk;
	if (!increment)
		return (void *)old;
	uintptr_t want = old + (uintptr_t)increment;
	if ((increment > 0 && want < old) || (increment < 0 && want > old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk((void *)want) < 0)
		return (void *)-1;
	return (void *)old;
}

void *mmap2(void *addr, size_t len, int prot, int flags, int fd, unsigned long pgoff)
{
	return (void *)__syscall_ret((unsigned long)__syscall6(SYS_mmap2, (long)addr, (long)len, prot,
								flags, fd, (long)pgoff));
}

/* mmap in bytes; mmap2 counts the offset in 4096-byte units. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (off & 4095) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return mmap2(addr, len, prot, flags, fd, (unsigned long)off >> 12);
}

/* System call 90 predates six-register calls: it takes one pointer to a
 * block holding the six arguments. */
void *old_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	unsigned long args[6] = { (unsigned long)addr, len, (unsigned long)prot,
				  (unsigned long)flags, (unsigned long)fd, (unsigned long)off };
	return (void *)__syscall_ret((unsigned long)__sys1(SYS_mmap, args));
}

int munmap(void *addr, size_t len)
{
	return (int)__syscall_ret((unsigned long)__sys2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret((unsigned long)__sys3(SYS_mprotect, addr, len, prot));
}
