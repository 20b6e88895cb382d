/* w_int.c - integer workload: xorshift, array updates, multiplies, an
 * occasional division and a call per round, all under paging with the
 * working set in a few pages (TLB hits only). */
#include "bench.h"

#define ROUND 4096

static u32 table[256];

/* Kept out of line so that each round also has a call and a return. */
static u32 __attribute__((noinline)) fold(u32 h, u32 x, u32 it)
{
	for (int i = 0; i < 8; i++)
		h = mix(h, table[(x + it + (u32)i * 31) & 255] ^ x);
	return h;
}

/* One iteration is ROUND xorshift32 steps (Marsaglia's 13/17/5). */
u32 bench_int(u32 iters)
{
	u32 x = 2463534242u, h = MIX_INIT;

	for (u32 it = 0; it < iters; it++) {
		for (u32 i = 0; i < ROUND; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			table[i & 255] += x;
			u32 a = table[(x >> 8) & 255];
			h = mix(h, a);
			if ((x & 7) == 0)
				h += a / ((x >> 24) | 1);
		}
		h = fold(h, x, it);
	}
	return h;
}
