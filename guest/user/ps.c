/* ps - list processes from /proc/<pid>/stat: PID, PPID, state, command. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read a small file into buf (NUL-terminated); returns its length or -1. */
static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t n;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	return (int)len;
}

/* Print one process.  The stat line is "pid (comm) S ppid ..."; comm may
 * itself contain ')' so we split at the last one. */
static void show(const char *pid)
{
	char path[64], stat[512];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (read_file(path, stat, sizeof(stat)) <= 0)
		return;		/* it exited meanwhile */
	char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return;
	*close_paren = 0;
	const char *comm = open_paren + 1;
	char state = close_paren[2];
	long ppid = strtol(close_paren + 4, NULL, 10);
	printf("%5s %5ld %c %s\n", pid, ppid, state, comm);
}

static int numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int main(void)
{
	DIR *d = opendir("/proc");
	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	printf("  PID  PPID S CMD\n");
	struct dirent *e;
	while ((e = readdir(d)))
		if (numeric(e->d_name))
			show(e->d_name);
	closedir(d);
	return 0;
}
