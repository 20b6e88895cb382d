/* uaccess.h - copying to and from user space. The kernel touches user
 * addresses directly (flat segments, no SMAP); a fault there is handled by
 * do_page_fault like a user fault, and if the address is bad the faulting
 * instruction's __ex_table fixup makes the copy return what is left. */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H
#include <linux/types.h>
#include <asm/page.h>

static inline bool access_ok(unsigned long addr, unsigned long size)
{
	return addr <= PAGE_OFFSET && size <= PAGE_OFFSET - addr;
}

/* Does ring 0 honour CR0.WP (mm/init.c: test_wp_bit)? A 386 does not: a
 * kernel write to a read-only user page simply happens, which would write
 * through a copy-on-write frame into the other process's memory. There,
 * copy_to_user first breaks COW and checks write rights by hand
 * (__verify_write, as Linux 2.0-2.4 did on the 386). */
extern int wp_works_ok;
int __verify_write(unsigned long addr, unsigned long size);

/* Copy n bytes; returns the number of bytes NOT copied. */
static inline unsigned long __copy_user(void *to, const void *from, unsigned long n)
{
	int d0, d1;
	__asm__ volatile("1: rep movsb\n"
			 "2:\n"
			 ".section __ex_table,\"a\"\n"
			 ".long 1b, 2b\n"
			 ".previous"
			 : "+c"(n), "=&D"(d0), "=&S"(d1)
			 : "1"(to), "2"(from)
			 : "memory");
	return n;
}
static inline unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	if (!access_ok((unsigned long)to, n))
		return n;
	if (!wp_works_ok && __verify_write((unsigned long)to, n))
		return n;
	return __copy_user(to, from, n);
}
static inline unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	if (!access_ok((unsigned long)from, n))
		return n;
	return __copy_user(to, from, n);
}
/* Copy a NUL-terminated string of at most max bytes (NUL included);
 * returns its length, -EFAULT or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, const char *src, long max);
#endif
