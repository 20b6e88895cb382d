/* segv - die by SIGSEGV in one of the classic ways.
 *
 *   segv null      read through a NULL pointer
 *   segv kernel    read the kernel's first address, 0xC0000000 (PAGE_OFFSET)
 *   segv text      write into our own code (the text segment is R+X)
 *   segv mprotect  write to a page made read-only with mprotect
 *
 * No handler is installed: the kernel's default action ends the process,
 * and the parent sees "killed by signal 11".  If the access does not
 * fault, segv says so and exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	volatile unsigned char *addr;
	int write = 0;
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "null")) {
		addr = (volatile unsigned char *)(uintptr_t)0;
	} else if (!strcmp(mode, "kernel")) {
		addr = (volatile unsigned char *)(uintptr_t)0xC0000000u;
	} else if (!strcmp(mode, "text")) {
		addr = (volatile unsigned char *)(uintptr_t)main;
		write = 1;
	} else if (!strcmp(mode, "mprotect")) {
		unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || (p[0] = 1, mprotect(p, 4096, PROT_READ)) < 0) {
			perror("segv: mmap/mprotect");
			return 2;
		}
		addr = p;
		write = 1;
	} else {
		fprintf(stderr, "usage: segv null|kernel|text|mprotect\n");
		return 2;
	}
	printf("segv: %s %s at %p\n", write ? "writing" : "reading", mode, (void *)addr);
	fflush(stdout);
	if (write)
		*addr = 0x90;
	else
		(void)*addr;
	printf("segv: no fault!\n");
	return 1;
}
