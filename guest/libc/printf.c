/* printf.c - the printf engine and the snprintf/vsnprintf/sprintf family.
 *
 * Conversions: d i u o x X c s p %; flags '-' '+' ' ' '#' '0'; width and
 * precision as digits or '*'; length modifiers hh h l ll j z t.  Semantics
 * follow ISO C as glibc implements it (the test suite compares against the
 * host glibc): a precision on an integer is a minimum digit count and
 * disables '0' padding, "%.0d" of 0 prints no digits, '#' makes octal start
 * with 0 and prefixes nonzero hex with 0x, %p prints like %#lx or "(nil)".
 * No floating point: %e %f %g %a are printed literally.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include "libc_internal.h"

enum {
	F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16,
};

static void emit(struct fmt_sink *s, const char *p, size_t n)
{
	if (n) {
		s->out(s, p, n);
		s->count += n;
	}
}

static void emit_pad(struct fmt_sink *s, char c, int n)
{
	char buf[32];
	memset(buf, c, sizeof(buf));
	while (n > 0) {
		int k = n > (int)sizeof(buf) ? (int)sizeof(buf) : n;
		emit(s, buf, (size_t)k);
		n -= k;
	}
}

/* Emit p[0..n) padded to `width` on the side the flags say (always spaces). */
static void emit_field(struct fmt_sink *s, const char *p, int n, int width, int flags)
{
	int fill = width > n ? width - n : 0;
	if (!(flags & F_LEFT))
		emit_pad(s, ' ', fill);
	emit(s, p, (size_t)n);
	if (flags & F_LEFT)
		emit_pad(s, ' ', fill);
}

/* Format one integer.  `v` is the magnitude, `neg` its sign, `is_signed`
 * whether '+'/' ' apply; `prec` < 0 means no precision was given. */
static void emit_int(struct fmt_sink *s, unsigned long long v, int neg, int is_signed,
		     unsigned base, int upper, int flags, int width, int prec)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char prefix[3];
	int np = 0;

	if (!(prec == 0 && v == 0)) {
		unsigned long long x = v;
		do {
			tmp[sizeof(tmp) - 1 - n++] = dig[x % base];
			x /= base;
		} while (x);
	}
	int zeros = prec > n ? prec - n : 0;
	if ((flags & F_ALT) && base == 8 && zeros == 0 && (n == 0 || tmp[sizeof(tmp) - n] != '0'))
		zeros = 1;
	if (is_signed) {
		if (neg)
			prefix[np++] = '-';
		else if (flags & F_PLUS)
			prefix[np++] = '+';
		else if (flags & F_SPACE)
			prefix[np++] = ' ';
	}
	if ((flags & F_ALT) && base == 16 && v != 0) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}
	int len = np + zeros + n;
	int fill = width > len ? width - len : 0;
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0) {
		zeros += fill;
		fill = 0;
	}
	if (!(flags & F_LEFT))
		emit_pad(s, ' ', fill);
	emit(s, prefix, (size_t)np);
	emit_pad(s, '0', zeros);
	emit(s, tmp + sizeof(tmp) - n, (size_t)n);
	if (flags & F_LEFT)
		emit_pad(s, ' ', fill);
}

/* Parse a decimal number at *pp, advancing it; saturates instead of overflowing. */
static int parse_num(const char **pp)
{
	int v = 0;
	while (**pp >= '0' && **pp <= '9') {
		if (v < 100000000)
			v = v * 10 + (**pp - '0');
		(*pp)++;
	}
	return v;
}

/* Run the format and feed the output to `s`; returns the character count. */
int __vformat(struct fmt_sink *s, const char *fmt, va_list ap)
{
	const char *p = fmt;
	while (*p) {
		if (*p != '%') {
			const char *q = p;
			while (*q && *q != '%')
				q++;
			emit(s, p, (size_t)(q - p));
			p = q;
			continue;
		}
		const char *spec = p++;
		int flags = 0, width = 0, prec = -1, len = 0;	/* len: -2 hh, -1 h, 1 l, 2 ll */
		for (;; p++) {
			if (*p == '-')
				flags |= F_LEFT;
			else if (*p == '+')
				flags |= F_PLUS;
			else if (*p == ' ')
				flags |= F_SPACE;
			else if (*p == '#')
				flags |= F_ALT;
			else if (*p == '0')
				flags |= F_ZERO;
			else
				break;
		}
		if (*p == '*') {
			p++;
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = width == INT32_MIN ? INT32_MAX : -width;
			}
		} else {
			width = parse_num(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				p++;
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
			} else {
				prec = parse_num(&p);
			}
		}
		for (;; p++) {
			if (*p == 'h')
				len = len == -1 ? -2 : -1;
			else if (*p == 'l')
				len = len == 1 ? 2 : 1;
			else if (*p == 'j' || *p == 'q' || *p == 'L')
				len = 2;
			else if (*p == 'z' || *p == 't')
				len = 1;
			else
				break;
		}
		char conv = *p;
		if (conv)
			p++;
		switch (conv) {
		case 'd':
		case 'i': {
			long long v;
			if (len == 2)
				v = va_arg(ap, long long);
			else if (len == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			if (len == -1)
				v = (short)v;
			else if (len == -2)
				v = (signed char)v;
			unsigned long long m = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
			emit_int(s, m, v < 0, 1, 10, 0, flags, width, prec);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X': {
			unsigned long long v;
			if (len == 2)
				v = va_arg(ap, unsigned long long);
			else if (len == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			if (len == -1)
				v = (unsigned short)v;
			else if (len == -2)
				v = (unsigned char)v;
			unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			emit_int(s, v, 0, 0, base, conv == 'X', flags, width, prec);
			break;
		}
		case 'p': {
			void *ptr = va_arg(ap, void *);
			if (!ptr)
				emit_field(s, "(nil)", 5, width, flags);
			else
				emit_int(s, (uintptr_t)ptr, 0, 0, 16, 0, flags | F_ALT, width, prec);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit_field(s, &c, 1, width, flags);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = (prec < 0 || prec >= 6) ? "(null)" : "";
			int n = (int)(prec < 0 ? strlen(str) : strnlen(str, (size_t)prec));
			emit_field(s, str, n, width, flags);
			break;
		}
		case '%':
			emit(s, "%", 1);
			break;
		default:
			/* Unknown or unsupported conversion: print the spec as written. */
			emit(s, spec, (size_t)(p - spec));
			break;
		}
	}
	return (int)s->count;
}

struct buf_sink {
	struct fmt_sink sink;
	char *buf;
	size_t size;		/* capacity including the NUL */
	size_t len;		/* bytes stored (never more than size - 1) */
};

static void buf_out(struct fmt_sink *s, const char *p, size_t n)
{
	struct buf_sink *b = (struct buf_sink *)s;
	if (b->size == 0)
		return;
	size_t room = b->size - 1 - b->len;
	if (n > room)
		n = room;
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

/* C99 vsnprintf: stores at most size-1 characters and a NUL (if size > 0),
 * returns the length the whole output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { { buf_out, 0 }, buf, size, 0 };
	int r = __vformat(&b.sink, fmt, ap);
	if (size)
		buf[b.len] = 0;
	return r;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)INT32_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}
