/* kernel.h - printk, panic and the small helpers every kernel file uses. */
#ifndef LINUX_KERNEL_H
#define LINUX_KERNEL_H
#include <linux/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __noreturn __attribute__((noreturn))

/* Linux's log levels, as a prefix string (printk strips it). */
#define KERN_EMERG "<0>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Exit statuses through isa-debug-exit (the host sees (code << 1) | 1). */
#define EXIT_OK 0
#define EXIT_SELFTEST_FAILED 1
#define EXIT_PANIC 2
void machine_power_off(int code) __noreturn;

#define BUG_ON(c) do { if (unlikely(c)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)

/* Kernel command line (Multiboot), without the leading kernel path. */
extern char boot_command_line[1024];
bool cmdline_has(const char *opt);
const char *cmdline_get(const char *key);

extern volatile unsigned long jiffies;
#endif
