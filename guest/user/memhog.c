/* memhog - allocate memory 1 KiB at a time, writing every byte, until
 * malloc fails or the kernel kills us (the OOM killer's demo).
 *
 *   memhog [-s STEP_MiB] [LIMIT_MiB]
 *
 * Prints a progress line every STEP_MiB (default 4).  With LIMIT_MiB it
 * stops there and exits 0; when malloc fails it exits 1 after saying so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long step = 4, limit = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			step = strtoul(argv[++i], NULL, 0);
		else
			limit = strtoul(argv[i], NULL, 0);
	}
	if (!step)
		step = 1;
	printf("memhog: allocating 1 KiB blocks, progress every %lu MiB%s\n", step,
	       limit ? "" : ", until malloc fails or we are killed");
	unsigned long kib = 0;
	for (;;) {
		if (limit && kib >= limit * 1024) {
			printf("memhog: reached %lu MiB, exiting\n", limit);
			return 0;
		}
		unsigned char *p = malloc(1024);
		if (!p) {
			printf("memhog: malloc failed after %lu KiB (%lu MiB)\n", kib, kib / 1024);
			return 1;
		}
		memset(p, (int)(kib & 0xff) | 1, 1024);
		kib++;
		if (kib % (step * 1024) == 0)
			printf("memhog: %lu MiB allocated and written\n", kib / 1024);
	}
}
