/* stdlib.h - memory allocation, conversions, process exit. */
#ifndef _STDLIB_H
#define _STDLIB_H
#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define RAND_MAX	0x7fffffff

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);
/* Allocation counters, for demos and tests (not in ISO C). */
struct mallinfo_lite {
	size_t heap_bytes;	/* bytes between the heap's start and the break */
	size_t free_bytes;	/* of those, bytes in free chunks */
	size_t mmap_bytes;	/* bytes in mmap'd large allocations */
	size_t mmap_count;
};
void malloc_stats_get(struct mallinfo_lite *mi);
/* Allocations of at least this many bytes get their own mmap (glibc's default). */
#define MMAP_THRESHOLD	(128 * 1024)

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int abs(int x);
long labs(long x);

__attribute__((noreturn)) void abort(void);
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void _Exit(int status);
int atexit(void (*fn)(void));
char *getenv(const char *name);

int rand(void);
void srand(unsigned int seed);
int rand_r(unsigned int *seed);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
#endif
