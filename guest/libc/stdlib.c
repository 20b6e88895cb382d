/* stdlib.c - conversions, exit/atexit/abort, environment, rand, qsort. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc_internal.h"

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

/* Register fn to run at exit(); handlers run in reverse order. */
int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	__stdio_flush_all();
	_exit(status);
}

/* abort: SIGABRT even if a handler returns or the signal is blocked/ignored. */
void abort(void)
{
	sigset_t set;
	__stdio_flush_all();
	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
	_exit(127);
}

/* Core of the strto* family: parse an unsigned magnitude with C's rules for
 * leading space, sign, and base prefixes; *neg reports the sign and *ovf
 * whether the magnitude exceeded `limit`. */
static unsigned long long parse_ull(const char *s, char **end, int base, int *neg,
				    unsigned long long limit, int *ovf)
{
	const char *p = s;
	unsigned long long v = 0;
	int any = 0;

	*neg = 0;
	*ovf = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	for (;; p++) {
		int d;
		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (isalpha((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		any = 1;
		if (v > (limit - (unsigned)d) / (unsigned)base)
			*ovf = 1;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	return v;
}

long long strtoll(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = parse_ull(s, end, base, &neg, ULLONG_MAX, &ovf);
	if (ovf || (!neg && v > (unsigned long long)LLONG_MAX) ||
	    (neg && v > (unsigned long long)LLONG_MAX + 1)) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = parse_ull(s, end, base, &neg, ULLONG_MAX, &ovf);
	if (ovf || (!neg && v > (unsigned long long)LONG_MAX) ||
	    (neg && v > (unsigned long long)LONG_MAX + 1)) {
		errno = ERANGE;
		return neg ? LONG_MIN : LONG_MAX;
	}
	return neg ? (long)(0 - (unsigned long)v) : (long)v;
}

/* Like C: a minus sign negates the value in unsigned arithmetic. */
unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = parse_ull(s, end, base, &neg, ULLONG_MAX, &ovf);
	if (ovf) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? 0 - v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, ovf;
	unsigned long long v = parse_ull(s, end, base, &neg, ULONG_MAX, &ovf);
	if (ovf) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	return neg ? 0 - (unsigned long)v : (unsigned long)v;
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }

char *getenv(const char *name)
{
	size_t n = strlen(name);
	for (char **e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* rand: a 31-bit linear congruential generator (deterministic per seed). */
static unsigned int rand_state = 1;

int rand_r(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	unsigned int hi = *seed >> 16;
	*seed = *seed * 1103515245u + 12345u;
	return (int)(((hi << 15) ^ (*seed >> 16)) & RAND_MAX);
}

int rand(void) { return rand_r(&rand_state); }
void srand(unsigned int seed) { rand_state = seed; }

static void swap_bytes(char *a, char *b, size_t n)
{
	while (n--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* qsort: insertion sort for short runs, otherwise quicksort on the middle
 * element, recursing into the smaller half to bound the stack. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	while (n > 8) {
		swap_bytes(b, b + (n / 2) * size, size);
		size_t last = 0;
		for (size_t i = 1; i < n; i++)
			if (cmp(b + i * size, b) < 0)
				swap_bytes(b + ++last * size, b + i * size, size);
		swap_bytes(b, b + last * size, size);
		if (last < n - last - 1) {
			qsort(b, last, size, cmp);
			b += (last + 1) * size;
			n -= last + 1;
		} else {
			qsort(b + (last + 1) * size, n - last - 1, size, cmp);
			n = last;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
			swap_bytes(b + (j - 1) * size, b + j * size, size);
}
