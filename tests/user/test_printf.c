/* test_printf.c - the mmulab libc's snprintf against the host glibc.
 *
 * Runs the guest program fmtcheck (a static i386 binary; this host's Linux
 * runs it natively) and formats the same cases of fmt_cases.h with glibc's
 * snprintf, which is the reference: every line must match.  A second test
 * compares with the same program built with "gcc -m32 -static" against
 * the i386 glibc (FMTCHECK_REF), where long and pointers are 32 bits too.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outcmp.h"
#include "fmt_cases.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"

Test(user_printf, matches_glibc)
{
	const char *prog = getenv("FMTCHECK");
	cr_assert(prog != NULL, "FMTCHECK must name the fmtcheck binary");
	FILE *p = popen(prog, "r");
	cr_assert(p != NULL);

	char line[1024], expect[1024], buf[FMT_BUF];
	struct fmt_case c;
	int i = 0, bad = 0;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "cases ", 6)) {
			cr_expect_eq(atoi(line + 6), i, "guest counted %s cases, host %d", line + 6, i);
			break;
		}
		cr_assert(fmt_case(i, &c), "guest printed more cases than exist (line %s)", line);
		memset(buf, 0, sizeof(buf));
		strcpy(buf, "untouched");
		int r = FMT_CASE_RUN(&c, buf, snprintf);
		snprintf(expect, sizeof(expect), "%d|%d|%s", i, r, buf);
		if (strcmp(line, expect)) {
			if (bad++ < 30)
				cr_log_error("case %d fmt \"%s\" size %zu: guest \"%s\", glibc \"%s\"", i,
					     c.fmt, c.size, line, expect);
		}
		i++;
	}
	int status = pclose(p);
	cr_expect_eq(status, 0, "fmtcheck exit status %d", status);
	cr_expect(i > 1000, "only %d cases ran", i);
	cr_assert_eq(fmt_case(i, &c), 0, "guest stopped after %d cases", i);
	cr_assert_eq(bad, 0, "%d of %d formats differ from glibc", bad, i);
}

Test(user_printf, matches_i386_glibc)
{
	struct outcmp r;
	outcmp_run("FMTCHECK", "FMTCHECK_REF", &r);
	cr_expect(r.same_length, "outputs differ in length after %d lines", r.lines);
	cr_expect_eq(r.status_prog, 0);
	cr_expect_eq(r.status_ref, 0);
	cr_expect(r.lines > 1000, "only %d lines", r.lines);
	cr_assert_eq(r.bad, 0, "%d of %d lines differ from the i386 glibc", r.bad, r.lines);
}
