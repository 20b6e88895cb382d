/* test_libc.c - the mmulab libc's strto*, atoi, ctype, string functions and
 * strerror against glibc, case by case.  LIBCCHECK is the guest program
 * built against our libc; LIBCCHECK_REF is the same source built with
 * "gcc -m32 -static" against glibc (the reference), so both are i386
 * programs and every line of their output must match. */
#include <criterion/criterion.h>
#include "outcmp.h"

Test(user_libc, matches_glibc)
{
	struct outcmp r;
	outcmp_run("LIBCCHECK", "LIBCCHECK_REF", &r);
	cr_expect(r.same_length, "outputs differ in length after %d lines", r.lines);
	cr_expect_eq(r.status_prog, 0, "libccheck failed");
	cr_expect_eq(r.status_ref, 0, "libccheck_glibc failed");
	cr_expect(r.lines > 500, "only %d lines", r.lines);
	cr_assert_eq(r.bad, 0, "%d of %d lines differ from glibc", r.bad, r.lines);
}
