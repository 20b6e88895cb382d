/* mallocstress - guest-side allocator test, run on the host Linux kernel by
 * run_programs.py.  Exits 0 when every check holds; prints "FAIL ..." and
 * exits 1 otherwise.
 *
 *   mallocstress [SEED [ITERATIONS]]
 *
 * Checks: coalescing (a heap of freed small blocks serves one large block
 * without growing), trimming (freeing a large top of heap lowers the
 * break), the mmap threshold (>= 128 KiB gets its own mapping, freed with
 * munmap), calloc zeroing and overflow, realloc keeping contents, 8-byte
 * alignment, double free caught (SIGABRT), and a random malloc/free/realloc
 * workload whose every block carries a pattern verified before release.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL %s:%d: ", __FILE__, __LINE__); \
	printf(__VA_ARGS__); putchar('\n'); failures++; } } while (0)

static uint32_t state;
static uint32_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

#define SLOTS 512
static struct { unsigned char *p; size_t n; unsigned char tag; } slot[SLOTS];

static void fill(unsigned char *p, size_t n, unsigned char tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(tag + i * 7);
}

static int verify(const unsigned char *p, size_t n, unsigned char tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(tag + i * 7))
			return 0;
	return 1;
}

static size_t random_size(void)
{
	uint32_t r = rnd() % 100;
	if (r < 70)
		return rnd() % 257;
	if (r < 97)
		return rnd() % 8192;
	return 128 * 1024 + rnd() % (256 * 1024);	/* mmap'd */
}

static void test_coalesce(void)
{
	static void *blk[1000];
	struct mallinfo_lite a, b;
	for (int i = 0; i < 1000; i++) {
		blk[i] = malloc(100);
		CHECK(blk[i] != NULL, "malloc(100) #%d", i);
	}
	/* free in a scrambled order so merges happen in both directions */
	for (int i = 0; i < 1000; i++)
		free(blk[(i * 617) % 1000]);
	malloc_stats_get(&a);
	void *big = malloc(100 * 1000);
	malloc_stats_get(&b);
	CHECK(big != NULL, "malloc(100000) after frees");
	CHECK(b.heap_bytes == a.heap_bytes, "heap grew from %zu to %zu: freed blocks did not coalesce",
	      a.heap_bytes, b.heap_bytes);
	free(big);
}

static void test_trim(void)
{
	static void *blk[1000];
	for (int i = 0; i < 1000; i++)
		blk[i] = malloc(1000);
	char *peak = sbrk(0);
	for (int i = 999; i >= 0; i--)
		free(blk[i]);
	char *after = sbrk(0);
	CHECK(after < peak && peak - after >= 512 * 1024,
	      "break %p after freeing 1 MB, peak %p: top of heap not trimmed", (void *)after, (void *)peak);
}

static void test_mmap_threshold(void)
{
	struct mallinfo_lite a, b, c;
	malloc_stats_get(&a);
	char *small = malloc(MMAP_THRESHOLD - 1);
	malloc_stats_get(&b);
	CHECK(b.mmap_count == a.mmap_count, "%d bytes were mmap'd", MMAP_THRESHOLD - 1);
	char *large = malloc(MMAP_THRESHOLD);
	malloc_stats_get(&c);
	CHECK(c.mmap_count == a.mmap_count + 1 && c.mmap_bytes >= a.mmap_bytes + MMAP_THRESHOLD,
	      "%d bytes not mmap'd (count %zu -> %zu)", MMAP_THRESHOLD, a.mmap_count, c.mmap_count);
	memset(large, 0x5a, MMAP_THRESHOLD);
	free(large);
	malloc_stats_get(&c);
	CHECK(c.mmap_count == a.mmap_count && c.mmap_bytes == a.mmap_bytes, "free did not munmap");
	free(small);
}

static void test_edges(void)
{
	errno = 0;
	CHECK(calloc(0x10000, 0x10001) == NULL && errno == ENOMEM, "calloc overflow not refused");
	errno = 0;
	CHECK(malloc((size_t)-16) == NULL && errno == ENOMEM, "malloc(SIZE_MAX-15) not refused");
	unsigned char *z = calloc(1000, 3);
	int zero = 1;
	for (int i = 0; z && i < 3000; i++)
		zero &= z[i] == 0;
	CHECK(z && zero, "calloc memory not zero");
	/* reuse: dirty a block, free it, calloc the same size again */
	memset(z, 0xff, 3000);
	free(z);
	z = calloc(3000, 1);
	zero = 1;
	for (int i = 0; z && i < 3000; i++)
		zero &= z[i] == 0;
	CHECK(z && zero, "calloc of a reused block not zero");
	free(z);

	char *r = realloc(NULL, 10);
	CHECK(r != NULL, "realloc(NULL, 10)");
	memcpy(r, "123456789", 10);
	r = realloc(r, 100000);
	CHECK(r && !memcmp(r, "123456789", 10), "realloc grow lost data");
	r = realloc(r, 300000);		/* heap -> mmap */
	CHECK(r && !memcmp(r, "123456789", 10), "realloc to mmap lost data");
	r = realloc(r, 5);		/* mmap -> heap */
	CHECK(r && !memcmp(r, "12345", 5), "realloc shrink lost data");
	CHECK(realloc(r, 0) == NULL, "realloc(p, 0) should free and return NULL");
	free(NULL);
}

static void test_double_free(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		close(2);		/* the abort message is expected */
		char *p = malloc(64);
		free(p);
		free(p);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	      "double free not caught (status 0x%x)", status);
}

static void test_random(int iterations)
{
	for (int it = 0; it < iterations; it++) {
		int s = (int)(rnd() % SLOTS);
		uint32_t op = rnd() % 3;
		if (slot[s].p && !verify(slot[s].p, slot[s].n, slot[s].tag)) {
			CHECK(0, "iteration %d slot %d: block %p (%zu bytes) corrupted", it, s,
			      (void *)slot[s].p, slot[s].n);
			return;
		}
		if (op == 0 || !slot[s].p) {
			free(slot[s].p);
			size_t n = random_size();
			slot[s].p = malloc(n);
			slot[s].n = n;
			slot[s].tag = (unsigned char)rnd();
			if (!slot[s].p) {
				CHECK(0, "malloc(%zu) failed", n);
				return;
			}
			CHECK(((uintptr_t)slot[s].p & 7) == 0, "malloc(%zu) = %p misaligned", n,
			      (void *)slot[s].p);
			fill(slot[s].p, n, slot[s].tag);
		} else if (op == 1) {
			size_t n = random_size();
			unsigned char *q = realloc(slot[s].p, n);
			if (!q && n) {
				CHECK(0, "realloc(%zu) failed", n);
				return;
			}
			size_t keep = n < slot[s].n ? n : slot[s].n;
			if (q && !verify(q, keep, slot[s].tag)) {
				CHECK(0, "realloc %zu -> %zu lost contents", slot[s].n, n);
				return;
			}
			slot[s].p = q;
			slot[s].n = n;
			if (q)
				fill(q, n, slot[s].tag);
		} else {
			free(slot[s].p);
			slot[s].p = NULL;
		}
	}
	for (int s = 0; s < SLOTS; s++) {
		if (slot[s].p)
			CHECK(verify(slot[s].p, slot[s].n, slot[s].tag), "slot %d corrupted at the end", s);
		free(slot[s].p);
		slot[s].p = NULL;
	}
	struct mallinfo_lite mi;
	malloc_stats_get(&mi);
	CHECK(mi.mmap_count == 0, "%zu mmap'd blocks leaked", mi.mmap_count);
}

int main(int argc, char **argv)
{
	state = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 12345;
	if (!state)
		state = 1;
	int iterations = argc > 2 ? atoi(argv[2]) : 100000;
	test_coalesce();
	test_trim();
	test_mmap_threshold();
	test_edges();
	test_double_free();
	test_random(iterations);
	printf("mallocstress: %s (%d failures)\n", failures ? "FAILED" : "ok", failures);
	return failures ? 1 : 0;
}
