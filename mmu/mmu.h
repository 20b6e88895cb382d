/* mmu.h - paging unit: page walk, the architectural TLB model, its host fast
 * path, and a side-effect-free peek for inspectors.
 *
 * Contract between mmu/ (owner) and cpu/, emu/, ui/. mmu/ knows nothing of
 * the CPU's decoder or of CPU models by name: cpu/ turns a model into a
 * struct mmu_config (geometry, replacement policy, which paging features
 * exist) and tells the MMU about control-register writes.
 *
 * Every access function returns 0 on success or MMU_PF when the access
 * raises a page fault; then mmu_fault(m) holds the linear address (for CR2)
 * and the #PF error code, and nothing was written.
 */
#ifndef MMU_MMU_H
#define MMU_MMU_H

#include <stdint.h>
#include "bus.h"

#define MMU_PF 1

/* CR0/CR4 bits the paging unit cares about (Intel SDM vol. 3, 2.5). */
#define CR0_PE (1u << 0)
#define CR0_WP (1u << 16)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PGE (1u << 7)

enum mmu_access { MMU_READ = 0, MMU_WRITE = 1, MMU_FETCH = 2 };

enum tlb_policy { TLB_PLRU, TLB_LRU, TLB_FIFO, TLB_RANDOM, TLB_RR, TLB_PTR386 };

/* Geometry of one TLB (entries = sets * ways). */
struct tlb_geom {
	int sets, ways;
};

struct mmu_config {
	/* 4 KiB-page TLBs: unified when split == 0 (then dtlb describes it). */
	int split;
	struct tlb_geom itlb, dtlb;
	/* Large-page (4 MiB) TLBs; sets == 0 means 4 MiB pages are held in the
	 * 4 KiB TLB or (without has_pse) do not exist. */
	struct tlb_geom itlb_large, dtlb_large;
	enum tlb_policy policy;
	uint32_t random_seed;

	/* Rules of the model. */
	int has_wp;          /* CR0.WP honoured (486+) */
	int prot386;         /* 386 combined PDE/PTE protection, ring 0 ignores R/W */
	int has_invlpg;      /* 486+ */
	int has_pse;         /* pentium+ */
	int has_pge;         /* p6 */
	int has_rsvd_bit;    /* #PF error code bit 3 for reserved bits (pentium+) */
	int tr_model;        /* 0: no TR6/TR7, 386: 386 fields, 486: 486 fields */
	int fast_path;       /* host fast path enabled (default 1) */
	/* Testing: TLB hits that miss the fast tables take the general path
	 * rather than the fused hit (mmu/hit.h); the results are the same. */
	int no_fused_hit;
};

/* Apply a --tlb override "entries=N,ways=W,split=on|off,policy=P" (any
 * subset, comma-separated; policy: plru, lru, fifo, random, rr) to cfg.
 * Returns 0, or -1 with a one-line message in err naming the bad part. */
int mmu_config_parse_tlb(struct mmu_config *cfg, const char *spec, char *err, int errlen);

struct mmu_fault {
	uint32_t lin;        /* -> CR2 */
	uint32_t error_code; /* P, W/R, U/S, RSVD */
};

enum tlb_flush_cause {
	FLUSH_CR3, FLUSH_INVLPG, FLUSH_CR0, FLUSH_CR4, FLUSH_TASK_SWITCH,
	FLUSH_TR6, FLUSH_RESET, FLUSH_A20, FLUSH_CAUSES
};

struct mmu;

struct mmu *mmu_create(struct bus *bus, const struct mmu_config *cfg);
/* (mmu_create registers with the bus for A20/code-mark/MMIO changes, so
 * destroy the MMU before its bus. cfg == NULL gives a 486-like default.) */
void mmu_destroy(struct mmu *m);
void mmu_reset(struct mmu *m);   /* paging off, TLBs empty */
const struct mmu_config *mmu_config(const struct mmu *m);

/* Control registers as the CPU writes them; each applies the model's flush
 * rule (CR3: all non-global entries; CR0 PG/WP/PE change and CR4 PSE/PGE
 * change: everything). */
void mmu_set_cr0(struct mmu *m, uint32_t cr0);
void mmu_set_cr3(struct mmu *m, uint32_t cr3);
void mmu_set_cr4(struct mmu *m, uint32_t cr4);
void mmu_invlpg(struct mmu *m, uint32_t lin);
void mmu_flush(struct mmu *m, enum tlb_flush_cause cause);  /* everything */

/* Linear-memory access with paging (when CR0.PG) and A20. `user` is 1 for
 * accesses checked at user privilege (CPL 3, not an implicit supervisor
 * access such as a descriptor-table read). Accesses that straddle a page
 * boundary check both pages before anything is written. size: 1, 2, 4. */
int mmu_read(struct mmu *m, uint32_t lin, int size, int user, uint32_t *val);
int mmu_write(struct mmu *m, uint32_t lin, int size, int user, uint32_t val);
/* The read half of a read-modify-write instruction: translated with write
 * intent (so a fault reports W=1 and the D bit is set), as the hardware does. */
int mmu_read_rmw(struct mmu *m, uint32_t lin, int size, int user, uint32_t *val);
/* 8-byte access for CMPXCHG8B and descriptor pairs. */
int mmu_read64(struct mmu *m, uint32_t lin, int user, uint64_t *val);
/* fastpath.h has inline versions of mmu_read, mmu_write and mmu_read_rmw
 * with exactly these semantics, for the CPU's hot path. */

/* Translate one linear address for an access kind, with full TLB
 * behaviour (lookup, walk, fill, A/D, statistics, events). */
int mmu_translate(struct mmu *m, uint32_t lin, enum mmu_access acc, int user,
		  uint32_t *paddr);

/* Flush generation, for holders of MMU_FETCH translations (the CPU's
 * current code page and decoded blocks), who translate again when it
 * changes. It changes on every flush (CR3 load, CR0 PG/WP/PE, CR4
 * PSE/PGE/PAE, mmu_flush, A20, reset), on every TR6 write, and when a TLB
 * entry that served an MMU_FETCH translation since the last change is
 * dropped (evicted, invalidated by INVLPG or a #PF, refreshed for D).
 * Evicting or invalidating entries used only for data leaves it alone, and
 * translations obtained for data accesses are not covered. docs/mmu.md,
 * "Code fetches and the generation". */
uint64_t mmu_generation(const struct mmu *m);
/* Ask the MMU to store 1 into *flag whenever mmu_generation() changes
 * (NULL: stop). The CPU points it at its run loop's attention word. */
void mmu_set_gen_notify(struct mmu *m, int *flag);

const struct mmu_fault *mmu_fault(const struct mmu *m);

/* ---- inspection (no side effects: no A/D writes, no TLB change, no stats) */

struct mmu_walk {
	int present;          /* translation exists */
	uint32_t paddr;
	uint32_t pde_addr, pde;
	uint32_t pte_addr, pte; /* pte_addr == 0 for a 4 MiB page */
	int large;            /* 4 MiB page */
	int user_ok, write_ok;  /* effective permissions for CPL 3 / supervisor per model */
	/* (as implemented: user_ok = PDE.U & PTE.U, write_ok = PDE.W & PTE.W,
	 * the combined bits; docs/mmu.md has the table per privilege and WP) */
};
/* Walk the page tables in memory as they are now (not the TLB). */
void mmu_peek(const struct mmu *m, uint32_t lin, struct mmu_walk *out);

/* One TLB entry as the hardware holds it. */
struct tlb_entry_view {
	int valid;
	uint32_t lin_page;    /* linear address >> 12 (or >> 22 for large) */
	uint32_t pfn;         /* physical frame */
	int d, u, w, g, large;
	uint64_t hits;
};
enum tlb_id { TLB_I4K, TLB_D4K, TLB_I4M, TLB_D4M, TLB_COUNT };
/* Geometry of a TLB in this configuration (sets == 0: absent; a unified
 * TLB is reported as TLB_D4K). */
struct tlb_geom mmu_tlb_geom(const struct mmu *m, enum tlb_id t);
void mmu_tlb_entry(const struct mmu *m, enum tlb_id t, int set, int way,
		   struct tlb_entry_view *out);
/* Replacement state of a set, as bits (PLRU tree bits, FIFO/RR pointer,
 * LRU order packed 2 bits per way...), for display. */
uint32_t mmu_tlb_repl_state(const struct mmu *m, enum tlb_id t, int set);

struct tlb_stats {
	uint64_t lookups, hits, misses, fills, evictions, walks, ad_writes;
	uint64_t flushes[FLUSH_CAUSES];
};
void mmu_tlb_stats(const struct mmu *m, enum tlb_id t, struct tlb_stats *out);
/* Per-set counters (addition by mmu/). For a whole TLB and for each set,
 * lookups = hits + misses: an access counts once, in the TLB that hit, or on
 * a miss in the TLB that was filled (the 4 KiB one when the walk faulted).
 * A write through an entry with D clear counts as a miss (it walks). */
struct tlb_set_stats {
	uint64_t lookups, hits, misses, fills, evictions;
};
void mmu_tlb_set_stats(const struct mmu *m, enum tlb_id t, int set, struct tlb_set_stats *out);

/* ---- events (walk, fill, evict, flush, fault) for emu/: free when no
 * listener is set. */
enum mmu_event_kind { MMU_EV_WALK, MMU_EV_FILL, MMU_EV_EVICT, MMU_EV_FLUSH,
		      MMU_EV_FAULT, MMU_EV_HIT, MMU_EV_MISS };
struct mmu_event {
	enum mmu_event_kind kind;
	enum tlb_id tlb;
	int set, way;
	uint32_t lin, paddr;
	uint32_t error_code;        /* MMU_EV_FAULT */
	enum tlb_flush_cause cause; /* MMU_EV_FLUSH */
};
/* mask: bit (1 << kind) selects the kinds delivered. */
void mmu_set_listener(struct mmu *m, uint32_t mask,
		      void (*fn)(void *opaque, const struct mmu_event *ev), void *opaque);

/* ---- TR6/TR7 test registers (386/486): MOV TR6 / TR7 semantics. */
void mmu_tr_write(struct mmu *m, int tr, uint32_t val);
uint32_t mmu_tr_read(const struct mmu *m, int tr);

/* ---- stale-TLB checker (-d stale-tlb): compare every TLB hit with a peek
 * walk; the callback fires once per (eip, linear page). The CPU keeps the
 * current EIP in *eip_src so reports can name it. */
struct mmu_stale_report {
	uint32_t eip, lin, pte_addr;
	uint32_t cached_paddr, cached_flags, mem_paddr, mem_flags;
};
void mmu_set_stale_check(struct mmu *m, const uint32_t *eip_src,
			 void (*fn)(void *opaque, const struct mmu_stale_report *r),
			 void *opaque);

#endif
