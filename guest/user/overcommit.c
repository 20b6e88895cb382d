/* overcommit - reserve far more memory than RAM, then (optionally) use it.
 *
 *   overcommit [-n] [MiB]
 *
 * Reserves MiB (default 32 x RAM, RAM from /proc/meminfo or sysinfo) with
 * malloc in 16 MiB blocks that are never touched: each is its own private
 * anonymous mmap, so under overcommit modes 0 and 1 the kernel grants it
 * without using a single frame.  A 32-bit process has at most 3-4 GiB of
 * address space, so the reservation stops early when malloc fails; the
 * amount reserved is reported.  Then, unless -n is given, every page is
 * written, 16 MiB at a time: beyond RAM the OOM killer must step in.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define BLOCK_MIB	16
#define MAX_BLOCKS	256		/* 4 GiB */

/* MemFree or MemTotal (kB) from /proc/meminfo; -1 if unavailable. */
static long meminfo(const char *key)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	size_t kl = strlen(key);
	for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return strtol(p + kl + 1, NULL, 10);
	return -1;
}

/* RAM in MiB: /proc/meminfo first, then sysinfo(2). */
static unsigned long ram_mib(void)
{
	long kb = meminfo("MemTotal");
	if (kb > 0)
		return (unsigned long)kb / 1024;
	struct sysinfo si;
	if (sysinfo(&si) == 0)
		return (unsigned long)((unsigned long long)si.totalram * si.mem_unit >> 20);
	return 128;
}

static char *blocks[MAX_BLOCKS];

int main(int argc, char **argv)
{
	int touch = 1;
	unsigned long want = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n"))
			touch = 0;
		else
			want = strtoul(argv[i], NULL, 0);
	}
	unsigned long ram = ram_mib();
	if (!want)
		want = 32 * ram;
	printf("overcommit: RAM %lu MiB, reserving %lu MiB in %d MiB blocks\n", ram, want, BLOCK_MIB);
	long free_before = meminfo("MemFree");

	int nblocks = 0;
	unsigned long got = 0;
	while (got < want && nblocks < MAX_BLOCKS) {
		char *p = malloc((size_t)BLOCK_MIB << 20);
		if (!p)
			break;
		blocks[nblocks++] = p;
		got += BLOCK_MIB;
	}
	printf("overcommit: reserved %lu MiB (%lu.%02lu x RAM)%s\n", got, got / ram,
	       (got % ram) * 100 / ram, got < want ? ", then malloc failed" : "");
	long free_after = meminfo("MemFree");
	if (free_before >= 0 && free_after >= 0)
		printf("overcommit: MemFree before %ld kB, after %ld kB\n", free_before, free_after);
	if (!touch) {
		printf("overcommit: not touching (-n), done\n");
		return 0;
	}
	for (int i = 0; i < nblocks; i++) {
		for (size_t off = 0; off < ((size_t)BLOCK_MIB << 20); off += 4096)
			blocks[i][off] = 1;
		printf("overcommit: touched %d MiB\n", (i + 1) * BLOCK_MIB);
	}
	printf("overcommit: all %lu MiB touched, done\n", got);
	return 0;
}
