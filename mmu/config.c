/* config.c - the --tlb override: "entries=N,ways=W,split=on|off,policy=P".
 *
 * entries and ways apply to each 4 KiB TLB (code and data alike; a key not
 * given keeps each TLB's own value); split=on
 * gives a unified configuration a code TLB shaped like its data TLB;
 * split=off makes the data TLB serve fetches too. The 4 MiB TLBs keep the
 * model's geometry. The result is checked as a whole, so keys may come in
 * any order: sets (entries / ways) must be a power of two, ways at most 16
 * (and a power of two for plru).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu_internal.h"

static const struct {
	const char *name;
	enum tlb_policy p;
} policies[] = {
	{ "plru", TLB_PLRU }, { "lru", TLB_LRU }, { "fifo", TLB_FIFO },
	{ "random", TLB_RANDOM }, { "rr", TLB_RR }, { "ptr386", TLB_PTR386 },
};

static int parse_num(const char *s, size_t n, long *out)
{
	if (n == 0 || n > 9)
		return -1;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int is_pow2(long x)
{
	return x > 0 && (x & (x - 1)) == 0;
}

/* Reshape one TLB: a missing entries or ways keeps that TLB's own. */
static int geom_apply(struct tlb_geom *g, long entries, long ways, enum tlb_policy policy,
		      char *err, int errlen)
{
	if (ways < 0)
		ways = g->ways > 0 ? g->ways : 4;
	if (entries < 0)
		entries = (long)g->sets * g->ways > 0 ? (long)g->sets * g->ways : 32;
	if (entries % ways) {
		snprintf(err, (size_t)errlen, "--tlb: entries=%ld is not a multiple of ways=%ld",
			 entries, ways);
		return 0;
	}
	if (!is_pow2(entries / ways)) {
		snprintf(err, (size_t)errlen,
			 "--tlb: entries/ways = %ld sets, which is not a power of two", entries / ways);
		return 0;
	}
	if (policy == TLB_PLRU && !is_pow2(ways)) {
		snprintf(err, (size_t)errlen, "--tlb: policy=plru needs a power-of-two ways, not %ld",
			 ways);
		return 0;
	}
	g->sets = (int)(entries / ways);
	g->ways = (int)ways;
	return 1;
}

int mmu_config_parse_tlb(struct mmu_config *cfg, const char *spec, char *err, int errlen)
{
	struct mmu_config c = *cfg;
	long entries = -1, ways = -1;
	const char *p = spec ? spec : "";
	char dummy[2];
	if (!err || errlen <= 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = 0;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (!eq) {
			snprintf(err, (size_t)errlen, "--tlb: '%.*s' is not key=value", (int)len, p);
			return -1;
		}
		size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
		const char *v = eq + 1;
		if (klen == 7 && !strncmp(p, "entries", 7)) {
			if (parse_num(v, vlen, &entries) || entries < 1) {
				snprintf(err, (size_t)errlen, "--tlb: entries='%.*s' is not a positive number",
					 (int)vlen, v);
				return -1;
			}
		} else if (klen == 4 && !strncmp(p, "ways", 4)) {
			if (parse_num(v, vlen, &ways) || ways < 1 || ways > TLB_MAX_WAYS) {
				snprintf(err, (size_t)errlen, "--tlb: ways='%.*s' must be 1 to %d",
					 (int)vlen, v, TLB_MAX_WAYS);
				return -1;
			}
		} else if (klen == 5 && !strncmp(p, "split", 5)) {
			if (vlen == 2 && !strncmp(v, "on", 2)) {
				if (!c.split)
					c.itlb = c.dtlb;
				c.split = 1;
			} else if (vlen == 3 && !strncmp(v, "off", 3)) {
				c.split = 0;
			} else {
				snprintf(err, (size_t)errlen, "--tlb: split='%.*s' must be on or off",
					 (int)vlen, v);
				return -1;
			}
		} else if (klen == 6 && !strncmp(p, "policy", 6)) {
			size_t i;
			for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
				if (strlen(policies[i].name) == vlen && !strncmp(v, policies[i].name, vlen))
					break;
			if (i == sizeof(policies) / sizeof(policies[0])) {
				snprintf(err, (size_t)errlen,
					 "--tlb: policy='%.*s' is not one of plru, lru, fifo, random, rr",
					 (int)vlen, v);
				return -1;
			}
			c.policy = policies[i].p;
		} else {
			snprintf(err, (size_t)errlen,
				 "--tlb: unknown key '%.*s' (entries, ways, split, policy)", (int)klen, p);
			return -1;
		}
		p = end ? end + 1 : p + len;
	}

	if (!geom_apply(&c.dtlb, entries, ways, c.policy, err, errlen))
		return -1;
	if (c.split && !geom_apply(&c.itlb, entries, ways, c.policy, err, errlen))
		return -1;
	*cfg = c;
	return 0;
}
