/* fmtcheck - guest side of the printf conformance test: formats every case
 * of fmt_cases.h with the mmulab libc's snprintf and prints one line per
 * case, "index|return value|buffer", for test_printf.c to compare with the
 * host glibc. */
#include <stdio.h>
#include <string.h>
#include "fmt_cases.h"

int main(void)
{
	struct fmt_case c;
	char buf[FMT_BUF];
	int i;
	for (i = 0; fmt_case(i, &c); i++) {
		memset(buf, 0, sizeof(buf));
		strcpy(buf, "untouched");
		int r = FMT_CASE_RUN(&c, buf, snprintf);
		printf("%d|%d|", i, r);
		fputs(buf, stdout);
		putchar('\n');
	}
	printf("cases %d\n", i);
	return 0;
}
