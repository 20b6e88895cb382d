/* hello_glibc.c - an ordinary program built with the host toolchain as
 * "gcc -m32 -static" against glibc: the kind of binary a user brings to
 * mmulab.  Kept so the system tests can later run it on the bundled kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *p = malloc(64);
	if (!p)
		return 1;
	strcpy(p, "hello, world");
	printf("%s from a glibc static binary, argc %d\n", p, argc);
	free(p);
	return argc > 1 ? atoi(argv[1]) : 0;
}
