/* time.h - time values and sleeping. */
#ifndef _TIME_H
#define _TIME_H
#include <sys/types.h>
struct timespec {
	time_t tv_sec;
	long tv_nsec;
};
struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
typedef int clockid_t;
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(clockid_t clk, struct timespec *ts);
time_t time(time_t *t);
#endif
