/* libc_internal.h - declarations shared inside the user libc only. */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H
#include <stddef.h>

/* Auxiliary vector types (Linux include/uapi/linux/auxvec.h). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_RANDOM	25

extern unsigned long *__auxv;
extern unsigned long __page_size;
unsigned long getauxval(unsigned long type);

/* stdio: write out every stream's buffered output (at exit, before fork). */
void __stdio_flush_all(void);

/* printf core: feed formatted output to `out` (n bytes at a time). */
struct fmt_sink {
	void (*out)(struct fmt_sink *s, const char *p, size_t n);
	size_t count;		/* total characters produced so far */
};
int __vformat(struct fmt_sink *s, const char *fmt, __builtin_va_list ap);

void __restore_rt(void);
void __restore(void);
#endif
