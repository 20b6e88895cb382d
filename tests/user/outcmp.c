/* outcmp.c - see outcmp.h. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outcmp.h"

void outcmp_run(const char *prog_env, const char *ref_env, struct outcmp *r)
{
	const char *prog = getenv(prog_env), *ref = getenv(ref_env);
	cr_assert(prog && ref, "%s and %s must name the two binaries", prog_env, ref_env);
	FILE *p = popen(prog, "r"), *q = popen(ref, "r");
	cr_assert(p && q, "cannot start %s or %s", prog, ref);
	char a[1024], b[1024];
	memset(r, 0, sizeof(*r));
	for (;;) {
		char *ra = fgets(a, sizeof(a), p), *rb = fgets(b, sizeof(b), q);
		if (!ra || !rb) {
			r->same_length = !ra && !rb;
			break;
		}
		if (strcmp(a, b) && r->bad++ < 30)
			cr_log_error("line %d:\n  ours  %s  glibc %s", r->lines + 1, a, b);
		r->lines++;
	}
	r->status_prog = pclose(p);
	r->status_ref = pclose(q);
}
