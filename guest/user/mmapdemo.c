/* mmapdemo - an anonymous private mapping and the four ways munmap can
 * cut a VMA: all of it, its head, its tail, and a hole in the middle
 * (which splits one VMA into two).
 *
 * After each step it prints the part of /proc/self/maps that falls inside
 * the demo's 16-page window, one line per VMA:
 *   vma <start>-<end> <perms>
 * clipped to the window (a neighbouring mapping the kernel merged with
 * ours does not show).  Data left mapped must survive every cut, and a
 * forked child touching the hole must die by SIGSEGV.  With -a the whole
 * of /proc/self/maps is printed too, after each step.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE	4096UL
#define NPAGES	16

static uintptr_t win_lo, win_hi;
static int show_all;
static char maps[16384];

/* Print the VMAs of /proc/self/maps that intersect [win_lo, win_hi). */
static void show_maps(const char *what)
{
	printf("step: %s\n", what);
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0) {
		printf("maps unavailable\n");
		return;
	}
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof(maps) && (n = read(fd, maps + len, sizeof(maps) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	maps[len] = 0;
	if (show_all)
		printf("%s", maps);
	for (char *line = maps; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *end;
		uintptr_t lo = strtoul(line, &end, 16), hi = 0;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 16);
		if (lo < win_hi && hi > win_lo) {
			while (*end == ' ')
				end++;
			printf("vma %08lx-%08lx %.4s\n", (unsigned long)(lo < win_lo ? win_lo : lo),
			       (unsigned long)(hi > win_hi ? win_hi : hi), end);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	printf("end\n");
}

static char *map_window(void)
{
	char *p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmapdemo: mmap");
		exit(1);
	}
	win_lo = (uintptr_t)p;
	win_hi = win_lo + NPAGES * PAGE;
	for (int i = 0; i < NPAGES; i++)
		memset(p + i * PAGE, 'A' + i, PAGE);
	printf("mmapdemo: mapped %d pages at %p\n", NPAGES, (void *)p);
	return p;
}

static void cut(char *p, int first, int count, const char *what)
{
	if (munmap(p + first * PAGE, (size_t)count * PAGE) < 0) {
		perror("mmapdemo: munmap");
		exit(1);
	}
	printf("mmapdemo: munmap pages %d..%d (%s)\n", first, first + count - 1, what);
}

/* Pages [first, last] must still hold their fill pattern. */
static int intact(char *p, int first, int last)
{
	for (int i = first; i <= last; i++)
		for (size_t k = 0; k < PAGE; k += 512)
			if (p[i * PAGE + k] != 'A' + i)
				return 0;
	return 1;
}

int main(int argc, char **argv)
{
	show_all = argc > 1 && !strcmp(argv[1], "-a");
	char *p = map_window();
	show_maps("mapped");
	cut(p, 0, NPAGES, "whole VMA");
	show_maps("whole unmapped");

	p = map_window();
	show_maps("mapped again");
	cut(p, 0, 4, "head");
	show_maps("head unmapped");
	cut(p, 12, 4, "tail");
	show_maps("tail unmapped");
	cut(p, 7, 2, "hole");
	show_maps("hole punched");

	int ok = intact(p, 4, 6) && intact(p, 9, 11);
	printf("mmapdemo: remaining data intact: %s\n", ok ? "yes" : "no");

	pid_t pid = fork();
	if (pid == 0) {
		volatile char *hole = p + 7 * PAGE;
		*hole = 1;		/* must fault: nothing is mapped here */
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	int segv = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
	printf("mmapdemo: touching the hole: %s\n", segv ? "SIGSEGV" : "no fault");
	return ok && segv ? 0 : 1;
}
