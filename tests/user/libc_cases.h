/* libc_cases.h - conversion, ctype and string cases shared by the guest
 * program libccheck.c (mmulab libc) and the host test test_libc.c (glibc,
 * the reference).  Each side prints/computes one line per case with
 * libc_case_line(); the host compares line by line.  Only results that are
 * The reference side is the same source built with "gcc -m32 -static"
 * against glibc, so both sides are i386 (long is 32 bits on both).
 */
#ifndef LIBC_CASES_H
#define LIBC_CASES_H

/* Strings for the strto* family (the flag is unused by the comparison;
 * it marks inputs whose value fits 32 bits in base 10). */
static const struct {
	const char *s;
	int fits32;
} lc_nums[] = {
	{ "0", 1 }, { "42", 1 }, { "-42", 1 }, { "  +17xyz", 1 }, { "\t\f\r 99 ", 1 },
	{ "0x1f", 1 }, { "0X1F", 1 }, { "0x", 1 }, { "0xg", 1 }, { "017", 1 }, { "08", 1 },
	{ "z", 1 }, { "Zz", 1 }, { "", 1 }, { "-", 1 }, { "+", 1 }, { "   ", 1 },
	{ "2147483647", 1 }, { "-2147483648", 1 }, { "4294967295", 0 }, { "2147483648", 0 },
	{ "-2147483649", 0 }, { "9223372036854775807", 0 }, { "9223372036854775808", 0 },
	{ "-9223372036854775808", 0 }, { "-9223372036854775809", 0 },
	{ "18446744073709551615", 0 }, { "18446744073709551616", 0 }, { "99999999999999999999999", 0 },
	{ "101010", 1 }, { "777", 1 }, { "ffffffff", 0 }, { "7fffffff", 1 }, { "-ff", 1 },
	{ "1e3", 1 }, { "12abc", 1 }, { "0b101", 1 }, { "-0", 1 }, { "00000000000000000000012", 1 },
};
static const int lc_bases[] = { 0, 2, 8, 10, 16, 36 };

static const char *const lc_strs[] = {
	"", "a", "hello, world", "aaa", "abcabc", "the quick brown fox", "x,y;;z", ",,,",
};
static const char *const lc_sets[] = { "", "a", "lo", "abc", ",;", " ", "xyz", "ol" };

#define LC_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int lc_sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

static long lc_off(const char *base, const char *p) { return p ? (long)(p - base) : -1L; }

/* Write case i into line (at most n bytes) using the libc in scope;
 * returns 0 when i is past the end.  SNPRINTF is passed in so each side
 * uses its own (the format set used here is tested by fmt_cases.h). */
#define LIBC_CASE_LINE(i, line, n, SNPRINTF) ({					\
	int more_ = 1, k_ = (i);						\
	int nnum_ = LC_N(lc_nums) * LC_N(lc_bases);				\
	line[0] = 0;								\
	if (k_ < nnum_) {							\
		const char *s_ = lc_nums[k_ / LC_N(lc_bases)].s;			\
		int b_ = lc_bases[k_ % LC_N(lc_bases)];				\
		char *e1_, *e2_, *e3_ = 0, *e4_ = 0;				\
		errno = 0;							\
		long long ll_ = strtoll(s_, &e1_, b_);				\
		int er1_ = errno;						\
		errno = 0;							\
		unsigned long long ull_ = strtoull(s_, &e2_, b_);		\
		int er2_ = errno;						\
		long l_ = 0, er3_ = 0, er4_ = 0;				\
		unsigned long ul_ = 0;						\
		errno = 0;							\
		l_ = strtol(s_, &e3_, b_);					\
		er3_ = errno;							\
		errno = 0;							\
		ul_ = strtoul(s_, &e4_, b_);					\
		er4_ = errno;							\
		SNPRINTF(line, n, "strto \"%s\" base %d: ll %lld/%ld/%d ull %llu/%ld/%d l %ld/%ld/%ld ul %lu/%ld/%ld atoi %d", \
			 s_, b_, ll_, lc_off(s_, e1_), er1_, ull_, lc_off(s_, e2_), er2_, \
			 l_, lc_off(s_, e3_), er3_, ul_, lc_off(s_, e4_), er4_,	\
			 lc_nums[k_ / LC_N(lc_bases)].fits32 && b_ == 10 ? atoi(s_) : 0); \
	} else if ((k_ -= nnum_) < 257) {					\
		int c_ = k_ - 1;						\
		int m_ = (!!isalnum(c_)) | (!!isalpha(c_)) << 1 | (!!isblank(c_)) << 2 | \
			 (!!iscntrl(c_)) << 3 | (!!isdigit(c_)) << 4 | (!!isgraph(c_)) << 5 | \
			 (!!islower(c_)) << 6 | (!!isprint(c_)) << 7 | (!!ispunct(c_)) << 8 | \
			 (!!isspace(c_)) << 9 | (!!isupper(c_)) << 10 | (!!isxdigit(c_)) << 11; \
		SNPRINTF(line, n, "ctype %d: %x lower %d upper %d", c_, m_, tolower(c_), toupper(c_)); \
	} else if ((k_ -= 257) < LC_N(lc_strs) * LC_N(lc_sets)) {		\
		const char *s_ = lc_strs[k_ / LC_N(lc_sets)], *t_ = lc_sets[k_ % LC_N(lc_sets)]; \
		char cat_[96], tok_[64], *save_, *w_;				\
		int ntok_ = 0;							\
		strcpy(cat_, s_);						\
		strncat(cat_, t_, 2);						\
		strcpy(tok_, s_);						\
		for (w_ = strtok_r(tok_, t_[0] ? t_ : ",", &save_); w_; w_ = strtok_r(0, t_[0] ? t_ : ",", &save_)) \
			ntok_ = ntok_ * 31 + (int)strlen(w_) + 1;			\
		SNPRINTF(line, n, "str \"%s\" \"%s\": chr %ld rchr %ld str %ld spn %zu cspn %zu pbrk %ld " \
			 "cmp %d ncmp %d mcmp %d mchr %ld cat \"%s\" tok %d len %zu", s_, t_, \
			 lc_off(s_, strchr(s_, t_[0])), lc_off(s_, strrchr(s_, t_[0])),	\
			 lc_off(s_, strstr(s_, t_)), strspn(s_, t_), strcspn(s_, t_),	\
			 lc_off(s_, strpbrk(s_, t_)), lc_sign(strcmp(s_, t_)),		\
			 lc_sign(strncmp(s_, t_, 2)), lc_sign(memcmp(s_, t_, 1)),	\
			 lc_off(s_, memchr(s_, t_[0], strlen(s_))), cat_, ntok_, strlen(cat_)); \
	} else if ((k_ -= LC_N(lc_strs) * LC_N(lc_sets)) < 40) {		\
		SNPRINTF(line, n, "strerror %d: %s", k_ + 1, strerror(k_ + 1));	\
	} else {								\
		more_ = 0;							\
	}									\
	more_;									\
})
#endif
