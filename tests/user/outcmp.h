/* outcmp.h - run two i386 programs (ours and the glibc-built reference)
 * and compare their standard output line by line. */
#ifndef TESTS_USER_OUTCMP_H
#define TESTS_USER_OUTCMP_H

struct outcmp {
	int lines;        /* lines compared */
	int bad;          /* lines that differ (the first 30 are logged) */
	int same_length;  /* both outputs ended after the same line */
	int status_prog;  /* pclose() statuses: 0 is exit status 0 */
	int status_ref;
};

/* Run the programs named by the environment variables prog_env and
 * ref_env (the test asserts that both are set and both start) and fill
 * *r. */
void outcmp_run(const char *prog_env, const char *ref_env, struct outcmp *r);
#endif
