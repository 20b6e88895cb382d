/* brkdemo - grow and shrink the program break, touching the new pages.
 *
 * Each step prints one line:
 *   brk <op> <delta>: <old> -> <new>
 * where <op> is "grow" or "shrink"; the test suite checks new - old ==
 * delta.  Memory returned by a shrink and grown again reads as zero
 * (the kernel hands out fresh demand-zero pages).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char _end[];

/* Move the break by delta and report it; returns the old break. */
static char *step(intptr_t delta)
{
	char *old = sbrk(0);
	if (sbrk(delta) == (void *)-1) {
		printf("brk %s %ld: failed: %s\n", delta < 0 ? "shrink" : "grow",
		       (long)(delta < 0 ? -delta : delta), strerror(errno));
		return NULL;
	}
	char *now = sbrk(0);
	printf("brk %s %ld: %p -> %p\n", delta < 0 ? "shrink" : "grow",
	       (long)(delta < 0 ? -delta : delta), (void *)old, (void *)now);
	return old;
}

/* Write every page of [p, p+n) and read it back. */
static int touch(char *p, size_t n, char v)
{
	for (size_t i = 0; i < n; i += 4096)
		p[i] = v;
	for (size_t i = 0; i < n; i += 4096)
		if (p[i] != v)
			return -1;
	return 0;
}

int main(void)
{
	char *start = sbrk(0);
	printf("brkdemo: end of bss %p, initial break %p\n", (void *)_end, (void *)start);
	static const intptr_t grows[] = { 4096, 65536, 1 << 20 };
	int bad = 0;
	for (unsigned i = 0; i < sizeof(grows) / sizeof(grows[0]); i++) {
		char *old = step(grows[i]);
		if (!old || touch(old, (size_t)grows[i], (char)(i + 1)) < 0)
			bad = 1;
	}
	printf("brkdemo: touched %ld bytes of new heap\n", (long)((char *)sbrk(0) - start));

	char *top = sbrk(0);
	if (!step(-(1 << 20)) || !step(-65536))
		bad = 1;
	/* Grow over what was given back: it must read as zero again. */
	char *old = step(65536);
	if (!old) {
		bad = 1;
	} else {
		int zero = 1;
		for (size_t i = 0; i < 65536; i++)
			zero &= old[i] == 0;
		printf("brkdemo: regrown memory reads zero: %s\n", zero ? "yes" : "no");
		bad |= !zero;
	}
	(void)top;
	/* Below the start of the heap the kernel refuses. */
	errno = 0;
	int r = brk(start - 65536);
	printf("brkdemo: brk below the heap start refused: %s\n", r < 0 ? "yes" : "no");
	bad |= r == 0;
	if (brk(start) < 0)
		bad = 1;
	printf("brkdemo: back to %p, %s\n", (void *)sbrk(0), bad ? "FAILED" : "ok");
	return bad;
}
