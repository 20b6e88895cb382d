/* hello.c - a first program for the mmulab SDK: prints its arguments,
 * touches some heap, and reports where the kernel put things. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from pid %d, %d argument%s\n", getpid(), argc, argc == 1 ? "" : "s");
	for (int i = 0; i < argc; i++)
		printf("  argv[%d] = \"%s\"\n", i, argv[i]);
	char *buf = malloc(64 * 1024);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	memset(buf, 0xaa, 64 * 1024);
	printf("64 KiB heap block at %p, break now %p\n", (void *)buf, sbrk(0));
	free(buf);
	return 0;
}
