/* fmt_cases.h - the printf conformance cases, shared by the guest program
 * (fmtcheck.c, built against the mmulab libc) and the host test
 * (test_printf.c, which formats the same cases with the host glibc and
 * compares).  Self-contained: no library calls, so both sides enumerate
 * exactly the same cases in the same order.
 *
 * Only combinations ISO C defines are generated: '#' only with o x X,
 * '0' and precision never with c s p... except a precision on %s, and
 * no '+'/' ' on %p.
 */
#ifndef FMT_CASES_H
#define FMT_CASES_H
#include <stddef.h>

enum fmt_kind { K_INT, K_UINT, K_LONG, K_ULONG, K_LL, K_ULL, K_SIZE, K_CHAR, K_STR, K_PTR, K_SHORT,
		K_SCHAR };

struct fmt_case {
	char fmt[48];
	enum fmt_kind kind;
	long long ival;			/* K_INT K_LONG K_LL K_CHAR K_SHORT K_SCHAR */
	unsigned long long uval;	/* K_UINT K_ULONG K_ULL K_SIZE K_PTR */
	const char *sval;		/* K_STR */
	int nstars, star1, star2;	/* '*' arguments before the value */
	size_t size;			/* snprintf buffer size (truncation cases) */
};

#define FMT_BUF 256

static const char *const fc_flags_int[] = { "", "-", "0", "+", " ", "-+", "0+", "0 ", "+ ", "-0" };
static const char *const fc_flags_hex[] = { "", "-", "0", "#", "#0", "-#", "+", " " };
static const char *const fc_flags_str[] = { "", "-" };
static const char *const fc_widths[] = { "", "1", "5", "12" };
static const char *const fc_precs[] = { "", ".0", ".1", ".3", ".10" };

static const long long fc_ints[] = { 0, 1, -1, 7, -42, 1234, 2147483647LL, -2147483647LL - 1 };
static const unsigned long long fc_uints[] = { 0, 1, 8, 42, 0x7fffffffULL, 0xdeadbeefULL, 0xffffffffULL };
static const long long fc_lls[] = { 0, -1, 1234567890123LL, -9223372036854775807LL - 1,
				    9223372036854775807LL };
static const unsigned long long fc_ulls[] = { 0, 255, 0x123456789abcdefULL, 18446744073709551615ULL };
static const char *const fc_strs[] = { "", "a", "hello", "hello, world!" };
static const long long fc_chars[] = { 'A', 'z', ' ', '%' };
static const long long fc_shorts[] = { 0, 40000, -1, 70000, 255, 128 };

#define FC_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void fc_cat(char *d, const char *s)
{
	while (*d)
		d++;
	while ((*d++ = *s++))
		;
}

/* Build "%<flags><width><prec><conv>" into c->fmt. */
static void fc_make(struct fmt_case *c, const char *flags, const char *width, const char *prec,
		    const char *conv)
{
	c->fmt[0] = '%';
	c->fmt[1] = 0;
	fc_cat(c->fmt, flags);
	fc_cat(c->fmt, width);
	fc_cat(c->fmt, prec);
	fc_cat(c->fmt, conv);
	c->nstars = 0;
	c->size = FMT_BUF;
}

/* The cases as one flat sequence: fills *c for case i and returns 1, or
 * returns 0 when i is past the end. */
static int fmt_case(int i, struct fmt_case *c)
{
	int nf, nw = FC_N(fc_widths), np = FC_N(fc_precs);
	c->sval = 0;
	c->ival = 0;
	c->uval = 0;

	/* 1. signed: d and i over every flag/width/precision */
	static const char *const sconv[] = { "d", "i" };
	nf = FC_N(fc_flags_int);
	int block = 2 * FC_N(fc_ints) * nf * nw * np;
	if (i < block) {
		int k = i;
		int f = k % nf; k /= nf;
		int w = k % nw; k /= nw;
		int p = k % np; k /= np;
		int v = k % FC_N(fc_ints); k /= FC_N(fc_ints);
		fc_make(c, fc_flags_int[f], fc_widths[w], fc_precs[p], sconv[k]);
		c->kind = K_INT;
		c->ival = fc_ints[v];
		return 1;
	}
	i -= block;

	/* 2. unsigned: u o x X */
	static const char *const uconv[] = { "u", "o", "x", "X" };
	nf = FC_N(fc_flags_hex);
	block = 4 * FC_N(fc_uints) * nf * nw * np;
	if (i < block) {
		int k = i;
		int f = k % nf; k /= nf;
		int w = k % nw; k /= nw;
		int p = k % np; k /= np;
		int v = k % FC_N(fc_uints); k /= FC_N(fc_uints);
		const char *fl = fc_flags_hex[f];
		if (k == 0 && fl[0] == '#')	/* '#' is undefined for u */
			fl = fl[1] == '0' ? "0" : "";
		if (k == 0 && fl[0] == '-' && fl[1] == '#')
			fl = "-";
		fc_make(c, fl, fc_widths[w], fc_precs[p], uconv[k]);
		c->kind = K_UINT;
		c->uval = fc_uints[v];
		return 1;
	}
	i -= block;

	/* 3. long and long long, size_t: width x precision with a few flags */
	static const char *const lconv[] = { "ld", "lld", "lu", "llu", "lx", "llX", "zu", "zx", "lli" };
	static const char *const lflags[] = { "", "-", "0", "+" };
	int nlv = FC_N(fc_lls);
	block = FC_N(lconv) * nlv * FC_N(lflags) * nw * np;
	if (i < block) {
		int k = i;
		int f = k % FC_N(lflags); k /= FC_N(lflags);
		int w = k % nw; k /= nw;
		int p = k % np; k /= np;
		int v = k % nlv; k /= nlv;
		const char *conv = lconv[k];
		fc_make(c, (conv[1] == 'd' || conv[2] == 'd' || conv[2] == 'i') ? lflags[f] :
			   (f == 3 ? "" : lflags[f]), fc_widths[w], fc_precs[p], conv);
		switch (k) {
		/* long and size_t values stay within 32 bits: the host side is
		 * LP64, the guest ILP32, and both must format the same value. */
		case 0: c->kind = K_LONG; c->ival = (int)fc_lls[v]; break;
		case 1: case 8: c->kind = K_LL; c->ival = fc_lls[v]; break;
		case 2: c->kind = K_ULONG; c->uval = (unsigned)fc_ulls[v % FC_N(fc_ulls)]; break;
		case 3: case 5: c->kind = K_ULL; c->uval = fc_ulls[v % FC_N(fc_ulls)]; break;
		case 4: c->kind = K_ULONG; c->uval = (unsigned)fc_ulls[v % FC_N(fc_ulls)]; break;
		default: c->kind = K_SIZE; c->uval = (unsigned)fc_ulls[v % FC_N(fc_ulls)]; break;
		}
		return 1;
	}
	i -= block;

	/* 4. h and hh: the int argument is converted to short / char first */
	static const char *const hconv[] = { "hd", "hu", "hhd", "hhu", "hx", "hhx" };
	block = FC_N(hconv) * FC_N(fc_shorts) * nw;
	if (i < block) {
		int k = i;
		int w = k % nw; k /= nw;
		int v = k % FC_N(fc_shorts); k /= FC_N(fc_shorts);
		fc_make(c, "", fc_widths[w], "", hconv[k]);
		c->kind = K_INT;
		c->ival = fc_shorts[v];
		return 1;
	}
	i -= block;

	/* 5. strings: flags - and none, widths, precisions */
	nf = FC_N(fc_flags_str);
	block = FC_N(fc_strs) * nf * nw * np;
	if (i < block) {
		int k = i;
		int f = k % nf; k /= nf;
		int w = k % nw; k /= nw;
		int p = k % np; k /= np;
		fc_make(c, fc_flags_str[f], fc_widths[w], fc_precs[p], "s");
		c->kind = K_STR;
		c->sval = fc_strs[k];
		return 1;
	}
	i -= block;

	/* 6. characters */
	block = FC_N(fc_chars) * nf * nw;
	if (i < block) {
		int k = i;
		int f = k % nf; k /= nf;
		int w = k % nw; k /= nw;
		fc_make(c, fc_flags_str[f], fc_widths[w], "", "c");
		c->kind = K_CHAR;
		c->ival = fc_chars[k];
		return 1;
	}
	i -= block;

	/* 7. pointers (non-null: "(nil)" is glibc's own spelling, also ours) */
	static const unsigned long long ptrs[] = { 0x1, 0x8048000, 0xdeadbeef, 0 };
	block = FC_N(ptrs) * nf * nw;
	if (i < block) {
		int k = i;
		int f = k % nf; k /= nf;
		int w = k % nw; k /= nw;
		fc_make(c, fc_flags_str[f], fc_widths[w], "", "p");
		c->kind = K_PTR;
		c->uval = ptrs[k];
		return 1;
	}
	i -= block;

	/* 8. '*' width and precision, including negative values */
	static const int stars[] = { -8, -1, 0, 3, 9 };
	block = FC_N(stars) * FC_N(stars);
	if (i < block) {
		fc_make(c, "", "*", ".*", "d");
		c->kind = K_INT;
		c->ival = -123;
		c->nstars = 2;
		c->star1 = stars[i % FC_N(stars)];
		c->star2 = stars[i / FC_N(stars)];
		return 1;
	}
	i -= block;

	/* 9. fixed text, %% and truncation into small buffers */
	static const char *const texts[] = { "plain text", "100%% sure", "%%%d%%", "[%5d|%-5d]",
					     "a%cb", "%s and %s", "%08.3x" };
	static const size_t sizes[] = { 0, 1, 2, 5, FMT_BUF };
	block = FC_N(texts) * FC_N(sizes);
	if (i < block) {
		const char *t = texts[i % FC_N(texts)];
		c->fmt[0] = 0;
		fc_cat(c->fmt, t);
		c->nstars = 0;
		c->size = sizes[i / FC_N(texts)];
		switch (i % FC_N(texts)) {
		case 2: case 6: c->kind = K_INT; c->ival = 77; break;
		case 3: c->kind = K_INT; c->ival = -7; c->nstars = -1; break;	/* value twice */
		case 4: c->kind = K_CHAR; c->ival = '='; break;
		case 5: c->kind = K_STR; c->sval = "x"; c->nstars = -1; break;	/* value twice */
		default: c->kind = K_INT; c->ival = 0; break;
		}
		return 1;
	}
	return 0;
}

/* Format case c with the snprintf in scope; returns snprintf's result. */
#define FMT_CASE_RUN(c, buf, SNPRINTF) ({					\
	int r_;									\
	const struct fmt_case *c_ = (c);					\
	switch (c_->kind) {							\
	case K_INT: case K_CHAR: case K_SHORT: case K_SCHAR:			\
		if (c_->nstars == 2)						\
			r_ = SNPRINTF(buf, c_->size, c_->fmt, c_->star1, c_->star2, (int)c_->ival); \
		else if (c_->nstars == -1)					\
			r_ = SNPRINTF(buf, c_->size, c_->fmt, (int)c_->ival, (int)c_->ival); \
		else								\
			r_ = SNPRINTF(buf, c_->size, c_->fmt, (int)c_->ival);	\
		break;								\
	case K_UINT: r_ = SNPRINTF(buf, c_->size, c_->fmt, (unsigned)c_->uval); break; \
	case K_LONG: r_ = SNPRINTF(buf, c_->size, c_->fmt, (long)c_->ival); break; \
	case K_ULONG: r_ = SNPRINTF(buf, c_->size, c_->fmt, (unsigned long)c_->uval); break; \
	case K_LL: r_ = SNPRINTF(buf, c_->size, c_->fmt, (long long)c_->ival); break; \
	case K_ULL: r_ = SNPRINTF(buf, c_->size, c_->fmt, (unsigned long long)c_->uval); break; \
	case K_SIZE: r_ = SNPRINTF(buf, c_->size, c_->fmt, (size_t)c_->uval); break; \
	case K_PTR: r_ = SNPRINTF(buf, c_->size, c_->fmt, (void *)(size_t)c_->uval); break; \
	case K_STR:								\
		if (c_->nstars == -1)						\
			r_ = SNPRINTF(buf, c_->size, c_->fmt, c_->sval, c_->sval); \
		else								\
			r_ = SNPRINTF(buf, c_->size, c_->fmt, c_->sval);	\
		break;								\
	default: r_ = -1000; break;						\
	}									\
	r_;									\
})
#endif
