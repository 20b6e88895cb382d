/* divdi3.c - 64-bit division helpers that gcc calls on i386 (__udivdi3 and
 * friends, normally from libgcc). The system's libgcc is built with
 * ENDBR32, which a 386, 486 or Pentium does not have (#UD): so the libc
 * carries its own, in plain i386 code. Written with shifts and 32-bit
 * operations only, so the compiler never calls back into them. */
#include <stdint.h>

/* Quotient of n / d; the remainder in *rem if rem is not NULL. d = 0 is
 * the caller's bug; it gives all-ones, like x86 has no way to say. */
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;
	if (d == 0) {
		if (rem)
			*rem = n;
		return ~0ULL;
	}
	if ((d >> 32) == 0 && (n >> 32) < d) {
		/* One DIVL: quotient fits 32 bits. */
		uint32_t lo = (uint32_t)n, hi = (uint32_t)(n >> 32), qq, r;
		__asm__("divl %4" : "=a"(qq), "=d"(r) : "a"(lo), "d"(hi), "rm"((uint32_t)d));
		if (rem)
			*rem = r;
		return qq;
	}
	/* Shift-subtract, one quotient bit per step. */
	int shift = 0;
	while (!(d >> 63) && (d << 1) <= n) {
		d <<= 1;
		shift++;
	}
	for (int i = 0; i <= shift; i++) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
		d >>= 1;
	}
	if (rem)
		*rem = n;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;
	__udivmoddi4(n, d, &r);
	return r;
}

/* Signed: C truncates toward zero; the remainder has the dividend's sign. */
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem)
{
	int neg_q = (n < 0) != (d < 0), neg_r = n < 0;
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t ur, uq = __udivmoddi4(un, ud, &ur);
	if (rem)
		*rem = neg_r ? -(int64_t)ur : (int64_t)ur;
	return neg_q ? -(int64_t)uq : (int64_t)uq;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	return __divmoddi4(n, d, 0);
}

int64_t __moddi3(int64_t n, int64_t d)
{
	int64_t r;
	__divmoddi4(n, d, &r);
	return r;
}
