/* test_libc.c - the mmulab libc's strto*, atoi, ctype, string functions and
 * strerror against glibc, case by case.  LIBCCHECK is the guest program
 * built against our libc; LIBCCHECK_REF is the same source built with
 * "gcc -m32 -static" against glibc (the reference), so both are i386
 * programs and every line of their output must match. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(user_libc, matches_glibc)
{
	const char *prog = getenv("LIBCCHECK"), *ref = getenv("LIBCCHECK_REF");
	cr_assert(prog && ref, "LIBCCHECK and LIBCCHECK_REF must name the two binaries");
	FILE *p = popen(prog, "r"), *q = popen(ref, "r");
	cr_assert(p && q);
	char a[1024], b[1024];
	int n = 0, bad = 0;
	for (;;) {
		char *ra = fgets(a, sizeof(a), p), *rb = fgets(b, sizeof(b), q);
		if (!ra || !rb) {
			cr_expect(!ra && !rb, "outputs differ in length after %d lines", n);
			break;
		}
		if (strcmp(a, b) && bad++ < 30)
			cr_log_error("line %d:\n  ours  %s  glibc %s", n + 1, a, b);
		n++;
	}
	cr_expect_eq(pclose(p), 0, "libccheck failed");
	cr_expect_eq(pclose(q), 0, "libccheck_glibc failed");
	cr_expect(n > 500, "only %d lines", n);
	cr_assert_eq(bad, 0, "%d of %d lines differ from glibc", bad, n);
}
