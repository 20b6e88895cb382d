/* pairseq.h - two MMUs driven by the same random accesses and page-table
 * edits, compared step by step: the driver shared by test_refill.c (the
 * fused refill against the general miss path) and test_hit.c (the fused
 * hit against the general hit path). The sequences (pairseq.c) use hot
 * pages that share TLB sets, faults, D-bit refreshes, code frames, A20,
 * CR0/CR3/CR4 changes, INVLPG and straddling accesses. */
#ifndef TESTS_MMU_PAIRSEQ_H
#define TESTS_MMU_PAIRSEQ_H
#include "helpers.h"
#include "fastpath.h"

/* How the fast tables of the two sides are compared. */
enum pair_fast_cmp {
	PAIR_FAST_EXACT,   /* same tags, frames, owners and pending hits */
	PAIR_FAST_ARMED,   /* same armed entries (a disarmed one counts as
			      empty) with the same frames and host addresses */
	PAIR_FAST_NONE,    /* not compared (one side's fast path is off) */
};

struct pair {
	struct env f;   /* the side under test (fused path) */
	struct env g;   /* the general path */
	int pse;
	enum pair_fast_cmp fast_cmp;
};

/* Two environments for the configurations cf and cg, with smc hooks, the
 * 4 MiB page when cf has PSE, and the page tables the sequences use. The
 * caller adds its listeners before pair_run. */
void pair_init(struct pair *p, const struct mmu_config *cf, const struct mmu_config *cg,
	       enum pair_fast_cmp fast_cmp);
/* `steps` steps of the sequence seeded by `seed`, compared every 1000
 * steps and at the end (memory included). */
void pair_run(struct pair *p, uint32_t seed, int steps);
/* Everything but memory: generation, smc hook calls, per-TLB and per-set
 * statistics, replacement state, entries, fast tables (fast_cmp). */
void pair_compare(struct pair *p, int step);
void pair_wr32(struct pair *p, uint32_t pa, uint32_t v);
void pair_free(struct pair *p);

/* A model's configuration with another replacement policy. */
static inline struct mmu_config with_policy(enum model mo, enum tlb_policy pol)
{
	struct mmu_config c = model_config(mo);
	c.policy = pol;
	return c;
}
#endif
