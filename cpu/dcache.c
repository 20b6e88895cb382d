/* dcache.c - code fetch and the decoded-instruction cache.
 *
 * Code-fetch lookup model (what the TLB sees): the CPU keeps the
 * translation of the current code page and calls
 * mmu_translate(MMU_FETCH) again only when EIP enters another linear page,
 * when mmu_generation() has changed (an entry was evicted or flushed), or
 * when the CPL changed. An instruction that straddles a page boundary
 * translates the second page too, on every execution.
 *
 * Decoded instructions are cached by the physical address of their first
 * byte and the code size (16/32), in a direct-mapped table. Instructions
 * that straddle a page are never cached (their second half lives in an
 * unrelated frame). Every frame that holds a cached instruction is marked
 * with bus_mark_code(); a write to it calls smc_hook(), which drops each
 * cached instruction that could overlap the written bytes (those starting
 * up to 14 bytes before). So a store into the very next instruction is seen
 * when that instruction is fetched.
 */
#include <stdlib.h>
#include <string.h>
#include "core.h"

static void smc_hook(void *opaque, uint32_t paddr, uint32_t len)
{
	struct cpu *c = opaque;
	struct core *k = core_of(c);
	if (len >= DCACHE_SIZE) {
		dcache_flush(c);
		return;
	}
	uint32_t a = paddr >= 14 ? paddr - 14 : 0;
	uint32_t end = paddr + len;
	for (; a != end; a++) {
		struct dentry *e = &k->dcache[a & (DCACHE_SIZE - 1)];
		if (e->tag == a)
			e->mode = 0;
	}
}

int dcache_init(struct cpu *c)
{
	struct core *k = core_of(c);
	k->dcache = calloc(DCACHE_SIZE, sizeof *k->dcache);
	if (!k->dcache)
		return -1;
	bus_set_smc_hook(c->bus, smc_hook, c);
	return 0;
}

void dcache_free(struct cpu *c)
{
	struct core *k = core_of(c);
	bus_set_smc_hook(c->bus, NULL, NULL);
	free(k->dcache);
	k->dcache = NULL;
}

void dcache_flush(struct cpu *c)
{
	struct core *k = core_of(c);
	for (uint32_t n = 0; n < DCACHE_SIZE; n++)
		k->dcache[n].mode = 0;
	fetch_invalidate(k);
}

void cpu_code_changed(struct cpu *c)
{
	/* Cached decodes are keyed by physical address and code size, so they
	 * survive mode changes; only the code page translation is dropped. */
	fetch_invalidate(core_of(c));
}

static void fetch_translate(struct cpu *c, uint32_t lin)
{
	struct core *k = core_of(c);
	uint32_t pa;
	fetch_invalidate(k);
	if (mmu_translate(c->mmu, lin, MMU_FETCH, c->cpl == 3, &pa))
		cpu_raise_pf(c);
	k->fetch_lin_page = lin >> PAGE_SHIFT;
	k->fetch_phys = pa & ~(PAGE_SIZE - 1);
	k->fetch_gen = mmu_generation_fast(c->mmu);
	k->fetch_cpl = c->cpl;
	k->fetch_valid = 1;
}

static void read_code(struct cpu *c, uint32_t pa, uint8_t *dst, int n)
{
	uint8_t *p = bus_ram_ptr(c->bus, pa, (uint32_t)n);
	if (p) {
		memcpy(dst, p, (size_t)n);
		return;
	}
	for (int j = 0; j < n; j++)
		dst[j] = (uint8_t)bus_read(c->bus, pa + (uint32_t)j, 1);
}

static void check_limit(struct cpu *c, uint32_t eip, int len)
{
	const struct seg_cache *cs = &c->s.seg[S_CS];
	uint32_t last = eip + (uint32_t)len - 1;
	if (last > cs->limit || last < eip)
		cpu_raise(c, EX_GP, 1, 0);
}

static const struct insn *decode_miss(struct cpu *c, uint32_t lin, uint32_t pa, int mode,
				      struct dentry *e)
{
	struct core *k = core_of(c);
	uint8_t buf[16];
	struct insn tmp;
	int n = (int)(PAGE_SIZE - (lin & (PAGE_SIZE - 1)));
	if (n > 15)
		n = 15;
	read_code(c, pa, buf, n);
	k->dc_misses++;
	int len;
	int same_start = k->straddle.valid && k->straddle.pa == pa && k->straddle.mode == mode &&
			 memcmp(k->straddle.bytes, buf, (size_t)n) == 0;
	if (same_start)
		len = DEC_MORE;   /* decoding is pure: these bytes asked for more last time */
	else
		len = decode_insn(c->model, buf, n, mode == 2, &tmp);
	if (len == DEC_MORE) {
		/* Straddles into the next linear page: translate it too. */
		uint32_t lin2 = (lin | (PAGE_SIZE - 1)) + 1, pa2;
		check_limit(c, c->s.eip, n + 1);
		if (mmu_translate(c->mmu, lin2, MMU_FETCH, c->cpl == 3, &pa2))
			cpu_raise_pf(c);
		read_code(c, pa2, buf + n, 15 - n);
		if (same_start && memcmp(k->straddle.bytes, buf, 15) == 0) {
			len = k->straddle.i.len;
		} else {
			k->straddle.valid = 0;
			len = decode_insn(c->model, buf, 15, mode == 2, &k->straddle.i);
			if (len == DEC_TOOLONG)
				cpu_raise(c, EX_GP, 1, 0);
			k->straddle.pa = pa;
			k->straddle.mode = mode;
			memcpy(k->straddle.bytes, buf, 15);
			k->straddle.valid = 1;
		}
		check_limit(c, c->s.eip, len);
		return &k->straddle.i;
	}
	if (len == DEC_TOOLONG)
		cpu_raise(c, EX_GP, 1, 0);
	check_limit(c, c->s.eip, len);
	e->i = tmp;
	e->tag = pa;
	e->mode = (uint8_t)mode;
	if (!bus_is_code(c->bus, pa >> PAGE_SHIFT))
		bus_mark_code(c->bus, pa >> PAGE_SHIFT);
	return &e->i;
}

/* The instruction at CS:EIP, decoded (from the cache when possible). Raises
 * #GP(0) past the CS limit or beyond 15 bytes, #PF for the code page. */
const struct insn *fetch_slow(struct cpu *c)
{
	struct core *k = core_of(c);
	const struct seg_cache *cs = &c->s.seg[S_CS];
	uint32_t eip = c->s.eip;
	uint32_t lin = cs->base + eip;

	if (eip > cs->limit)
		cpu_raise(c, EX_GP, 1, 0);
	if (!k->fetch_valid || (lin >> PAGE_SHIFT) != k->fetch_lin_page ||
	    k->fetch_gen != mmu_generation_fast(c->mmu) || k->fetch_cpl != c->cpl)
		fetch_translate(c, lin);
	k->fetch_mode = code_mode(c);   /* for fetch_insn's shortcut */
	uint32_t pa = k->fetch_phys | (lin & (PAGE_SIZE - 1));
	int mode = k->fetch_mode;
	struct dentry *e = &k->dcache[pa & (DCACHE_SIZE - 1)];
	if (e->tag == pa && e->mode == mode) {
		uint32_t last = eip + e->i.len - 1u;
		if (last > cs->limit || last < eip)
			cpu_raise(c, EX_GP, 1, 0);
		return &e->i;
	}
	return decode_miss(c, lin, pa, mode, e);
}
