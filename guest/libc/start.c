/* start.c - from the kernel's initial stack to main(). */
#include <stdlib.h>
#include <stdint.h>
#include "libc_internal.h"

char **environ;
unsigned long *__auxv;
unsigned long __page_size = 4096;

int main(int argc, char **argv, char **envp);

/* Called by crt0 with sp pointing at argc.  Finds argv, envp and the
 * auxiliary vector by walking the layout the kernel built, records the
 * environment and page size, runs main and exits with its result (which
 * also flushes stdout and runs atexit handlers). */
__attribute__((noreturn, used)) void __libc_start(unsigned long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	__auxv = (unsigned long *)(p + 1);
	for (unsigned long *a = __auxv; a[0] != AT_NULL; a += 2)
		if (a[0] == AT_PAGESZ && a[1])
			__page_size = a[1];
	environ = envp;
	exit(main(argc, argv, envp));
}

/* Value of auxiliary vector entry `type`, or 0 when absent. */
unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
