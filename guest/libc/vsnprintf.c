/* vsnprintf.c - formatted output for printk.
 *
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-', '0', a width, a
 * precision for strings, and the length modifiers l, ll (64-bit) and z.
 *
 * No libgcc: the distribution's libgcc is built with CET (ENDBR32, a P6
 * hint NOP that is #UD on a 386 or 486), so 64-bit division is done here
 * with the 386's own DIVL.
 */
#include <linux/kernel.h>
#include <linux/string.h>

struct outbuf {
	char *buf;
	size_t size, len;
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* *n /= base, returning the remainder: the high half first, then the
 * remainder and the low half as one 64-by-32 DIVL (cannot overflow, since
 * the remainder is below base). */
static u32 div64_32(u64 *n, u32 base)
{
	u32 hi = (u32)(*n >> 32), lo = (u32)*n;
	u32 qhi = hi / base, rem = hi % base, qlo;
	__asm__("divl %4" : "=a"(qlo), "=d"(rem) : "a"(lo), "d"(rem), "rm"(base));
	*n = ((u64)qhi << 32) | qlo;
	return rem;
}

/* Emit v in `base`, padded to `width` with `pad`, left-justified if `left`. */
static void put_num(struct outbuf *o, u64 v, unsigned base, bool neg, int width,
		    char pad, bool left, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[div64_32(&v, base)];
	} while (v);
	if (neg)
		tmp[n++] = '-';
	if (neg && pad == '0') {	/* sign goes before the zeros */
		put(o, '-');
		n--;
		width--;
	}
	int fill = width > n ? width - n : 0;
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n)
		put(o, tmp[--n]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

/* Format into buf (always NUL-terminated if size > 0); return the length
 * the full output would have. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		int width = 0, prec = -1;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		int lng = 0;
		while (*fmt == 'l' || *fmt == 'z') {
			if (*fmt == 'l')
				lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng >= 2 ? va_arg(ap, long long) : va_arg(ap, long);
			bool neg = v < 0;
			put_num(&o, neg ? -(u64)v : (u64)v, 10, neg, width, pad, left, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			u64 v = lng >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned long);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			put_num(&o, v, base, false, width, pad, left, *fmt == 'X');
			break;
		}
		case 'p':
			put_num(&o, (unsigned long)va_arg(ap, void *), 16, false, 8, '0', false, false);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = 0;
			while (s[n] && (prec < 0 || n < prec))
				n++;
			int fill = width > n ? width - n : 0;
			if (!left)
				while (fill-- > 0)
					put(&o, ' ');
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (left)
				while (fill-- > 0)
					put(&o, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

/* snprintf - vsnprintf with variable arguments. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
