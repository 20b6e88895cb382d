/* memhog - allocate memory 1 KiB at a time, writing every byte, until
 * malloc fails or the kernel kills us (the OOM killer's demo).
 *
 *   memhog [-s STEP_MiB] [LIMIT_MiB]
 *   memhog -r ROUNDS [LIMIT_MiB]
 *
 * Prints a progress line every STEP_MiB (default 4).  With LIMIT_MiB it
 * stops there and exits 0; when malloc fails it exits 1 after saying so.
 *
 * -r ROUNDS is the benchmark form (bench/run.py's "memhog" workload, run
 * as init with "init=/bin/memhog -r N"): ROUNDS times, a child hogs
 * silently until it is killed (or malloc fails, or LIMIT is reached) and
 * the parent waits for it; then one line
 *
 *   bench=memhog n=ROUNDS checksum=0xXXXXXXXX
 *
 * and exit 0.  The checksum folds each child's wait status and the number
 * of KiB it had written when it died, which the child keeps in a shared
 * page because a SIGKILLed process cannot report anything itself.  Both
 * follow from the kernel's allocator and OOM policy alone (no time, no
 * addresses), so every engine must print the same line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* FNV-1a over 32-bit words with a shift-xor, as bench/kernel's mix(). */
static unsigned int mix(unsigned int h, unsigned int v)
{
	h = (h ^ v) * 16777619u;
	return h ^ (h >> 15);
}

/* Allocate and write 1 KiB blocks until LIMIT MiB (0: no limit), storing
 * the running count in *kib; returns 0 at the limit, 1 when malloc fails. */
static int hog_quietly(volatile unsigned long *kib, unsigned long limit)
{
	for (;;) {
		if (limit && *kib >= limit * 1024)
			return 0;
		unsigned char *p = malloc(1024);
		if (!p)
			return 1;
		memset(p, (int)(*kib & 0xff) | 1, 1024);
		++*kib;
	}
}

static int bench_rounds(unsigned long rounds, unsigned long limit)
{
	volatile unsigned long *kib = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (kib == MAP_FAILED) {
		perror("memhog: mmap");
		return 2;
	}
	unsigned int h = 2166136261u;
	for (unsigned long r = 0; r < rounds; r++) {
		*kib = 0;
		pid_t pid = fork();
		if (pid < 0) {
			perror("memhog: fork");
			return 2;
		}
		if (pid == 0)
			_exit(hog_quietly(kib, limit));
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			perror("memhog: waitpid");
			return 2;
		}
		h = mix(mix(h, (unsigned int)status), (unsigned int)*kib);
	}
	printf("bench=memhog n=%lu checksum=0x%08x\n", rounds, h);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long step = 4, limit = 0, rounds = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			step = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = strtoul(argv[++i], NULL, 0);
		else
			limit = strtoul(argv[i], NULL, 0);
	}
	if (rounds)
		return bench_rounds(rounds, limit);
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
