/* stale.c - the stale-TLB checker (-d stale-tlb).
 *
 * On every TLB hit the cached entry is compared with a side-effect-free walk
 * of the tables in memory. It is stale when memory no longer maps the page,
 * maps it to another frame, grants other U/W rights, or has D clear where
 * the TLB has it set (the kernel cleared D without INVLPG, so later writes
 * will not set it again). A cleared A bit is not reported: kernels age
 * pages that way on purpose. Each (EIP, linear page) is reported once.
 * While the checker runs the fast path is off, so it sees every hit.
 */
#include <stdlib.h>

#include "mmu_internal.h"

static uint64_t hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

/* Insert key; returns 1 if it was new. Keys are never 0 (bit 0 forced). */
static int seen_insert(struct mmu *m, uint64_t key)
{
	key |= 1;
	if ((m->stale_count + 1) * 2 > m->stale_cap) {
		uint32_t ncap = m->stale_cap ? m->stale_cap * 2 : 256;
		uint64_t *nk = calloc(ncap, sizeof(*nk));
		if (!nk)
			return 0;   /* out of memory: stay silent rather than repeat */
		for (uint32_t i = 0; i < m->stale_cap; i++) {
			uint64_t k = m->stale_keys[i];
			if (!k)
				continue;
			uint32_t j = (uint32_t)hash64(k) & (ncap - 1);
			while (nk[j])
				j = (j + 1) & (ncap - 1);
			nk[j] = k;
		}
		free(m->stale_keys);
		m->stale_keys = nk;
		m->stale_cap = ncap;
	}
	uint32_t j = (uint32_t)hash64(key) & (m->stale_cap - 1);
	while (m->stale_keys[j]) {
		if (m->stale_keys[j] == key)
			return 0;
		j = (j + 1) & (m->stale_cap - 1);
	}
	m->stale_keys[j] = key;
	m->stale_count++;
	return 1;
}

void stale_check(struct mmu *m, uint32_t lin, const struct tlb_ent *e)
{
	struct walk_res r;
	int rc = pg_walk(m, lin, MMU_READ, 0, 0, &r);
	uint32_t cached_pa = (e->large ? (e->pfn << 12) + (lin & 0x3FF000u) : e->pfn << 12);
	uint32_t mem_pa = rc ? 0 : r.paddr & ~(PAGE_SIZE - 1);
	int stale = rc || mem_pa != cached_pa || r.u != e->u || r.w != e->w || (e->d && !r.d) ||
		    (r.large != e->large);
	if (!stale)
		return;
	uint32_t eip = m->stale_eip ? *m->stale_eip : 0;
	uint64_t key = ((uint64_t)eip << 32) | (lin & ~(PAGE_SIZE - 1));
	if (!seen_insert(m, key))
		return;
	uint32_t final = rc ? (r.pte_addr ? r.pte : r.pde) : (r.large ? r.pde : r.pte);
	struct mmu_stale_report rep = {
		.eip = eip,
		.lin = lin,
		.pte_addr = e->src_addr,
		.cached_paddr = cached_pa,
		.cached_flags = PTE_P | (e->w ? PTE_W : 0) | (e->u ? PTE_U : 0) |
				(e->d ? PTE_D : 0) | (e->large ? PDE_PS : 0) | (e->g ? PTE_G : 0),
		.mem_paddr = mem_pa,
		.mem_flags = rc && !(final & PTE_P) ? final & 0xFFFu
			     : (final & 0xFFFu & ~(PTE_U | PTE_W)) | (r.u ? PTE_U : 0) | (r.w ? PTE_W : 0),
	};
	m->stale_fn(m->stale_opaque, &rep);
}

void stale_free(struct mmu *m)
{
	free(m->stale_keys);
	m->stale_keys = NULL;
	m->stale_cap = m->stale_count = 0;
}

void mmu_set_stale_check(struct mmu *m, const uint32_t *eip_src,
			 void (*fn)(void *opaque, const struct mmu_stale_report *r),
			 void *opaque)
{
	m->stale_eip = eip_src;
	m->stale_fn = fn;
	m->stale_opaque = opaque;
	stale_free(m);
	fast_update_enable(m);
}
