/* stackgrow - grow the stack by N pages (default 64) through recursion.
 *
 *   stackgrow [PAGES]
 *
 * Each level keeps one 4 KiB frame and writes all of it, so every level
 * faults in one new stack page below the last: the kernel must extend the
 * stack VMA downwards (Linux's expand_stack).  Prints the depth every 16
 * pages and the stack pointer span at the bottom; the checksum (the sum of
 * two words per frame, each its depth) is PAGES * (PAGES + 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uintptr_t top;

/* Recurse `left` more levels; returns a checksum so no frame is optimised away. */
static unsigned long dive(int depth, int left)
{
	volatile unsigned int frame[1024];	/* one 4 KiB page */
	for (unsigned i = 0; i < 1024; i += 16)
		frame[i] = (unsigned int)depth;
	if (depth % 16 == 0)
		printf("stackgrow: depth %d, sp about %p\n", depth, (void *)frame);
	unsigned long sum = frame[0];
	if (left > 0)
		sum += dive(depth + 1, left - 1);
	else
		printf("stackgrow: bottom at depth %d, %lu KiB below the first frame\n", depth,
		       (unsigned long)(top - (uintptr_t)frame) / 1024);
	return sum + frame[16];
}

int main(int argc, char **argv)
{
	int pages = argc > 1 ? atoi(argv[1]) : 64;
	unsigned char here;
	top = (uintptr_t)&here;
	printf("stackgrow: growing the stack by %d pages\n", pages);
	unsigned long sum = dive(1, pages - 1);
	printf("stackgrow: done, %d frames, checksum %lu\n", pages, sum);
	return 0;
}
