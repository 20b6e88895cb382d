/* free - memory usage from /proc/meminfo, in KiB, like procps' free. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char info[8192];

/* Value (kB) of the "Key:" line, or -1 when the kernel does not report it. */
static long field(const char *key)
{
	size_t n = strlen(key);
	for (const char *p = info; *p;) {
		if (!strncmp(p, key, n) && p[n] == ':')
			return strtol(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

static long or0(long v) { return v < 0 ? 0 : v; }

int main(void)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0) {
		perror("free: /proc/meminfo");
		return 1;
	}
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof(info) && (n = read(fd, info + len, sizeof(info) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	info[len] = 0;

	long total = field("MemTotal"), mfree = field("MemFree");
	if (total < 0 || mfree < 0) {
		fprintf(stderr, "free: /proc/meminfo lacks MemTotal/MemFree\n");
		return 1;
	}
	long cache = or0(field("Buffers")) + or0(field("Cached")) + or0(field("SReclaimable"));
	long used = total - mfree - cache;
	if (used < 0)
		used = total - mfree;
	long avail = field("MemAvailable");
	printf("%7s %12s %12s %12s %12s %12s\n", "", "total", "used", "free", "buff/cache", "available");
	printf("%-7s %12ld %12ld %12ld %12ld %12ld\n", "Mem:", total, used, mfree, cache,
	       avail < 0 ? mfree + cache : avail);
	long st = or0(field("SwapTotal")), sf = or0(field("SwapFree"));
	printf("%-7s %12ld %12ld %12ld\n", "Swap:", st, st - sf, sf);
	return 0;
}
