/* libccheck - guest side of the libc conversion/ctype/string test: prints
 * one line per case of libc_cases.h, computed with the mmulab libc, for
 * test_libc.c to compare with glibc. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libc_cases.h"

int main(void)
{
	char line[512];
	int i;
	for (i = 0; LIBC_CASE_LINE(i, line, sizeof(line), snprintf); i++)
		puts(line);
	printf("cases %d\n", i);
	return 0;
}
