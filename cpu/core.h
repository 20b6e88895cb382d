/* core.h - what the core half of cpu/ shares between its own files: the
 * decoded-instruction struct, the core's private state (lazy flags, code
 * fetch translation, decoded-instruction cache) and small inline helpers for
 * operand access. Not for use outside the core half.
 */
#ifndef CPU_CORE_H
#define CPU_CORE_H

#include <stdint.h>
#include <string.h>
#include "cpu_internal.h"
#include "../mmu/fastpath.h"

struct insn;
typedef void (*insn_fn)(struct cpu *c, const struct insn *i);

#define EA_NONE 8   /* no base / index register */

/* One decoded instruction. Filled once by decode_insn(); the handler `fn`
 * carries the semantics. */
struct insn {
	insn_fn fn;
	uint32_t disp;      /* displacement, or the moffs of A0-A3 */
	uint32_t imm;       /* immediate, extended as the form needs */
	uint32_t imm2;      /* far pointer selector, ENTER nesting level */
	uint8_t len;        /* total length in bytes */
	uint8_t op;         /* opcode byte (second byte for 0F xx) */
	uint8_t reg;        /* ModRM reg field (or the register in the opcode) */
	uint8_t rm;         /* ModRM r/m field */
	uint8_t mod;        /* ModRM mod (3: register operand) */
	uint8_t seg;        /* segment of the memory operand / string source */
	uint8_t base, index;/* EA registers or EA_NONE */
	uint8_t scale;      /* index shift 0..3 */
	uint8_t osz;        /* operand size in bytes: 2 or 4 */
	uint8_t asz;        /* address size in bytes: 2 or 4 */
	uint8_t rep;        /* 0, 0xF2 (REPNE) or 0xF3 (REP/REPE) */
	uint8_t lock;       /* F0 prefix present */
	uint8_t ud;         /* decodes to #UD */
	/* Operands precomputed by decode.c for the form-specialised handlers
	 * it picks (see specialise()); the generic handlers ignore them. */
	uint8_t dst, src;   /* destination / source register number */
	uint8_t cnt;        /* masked shift count */
	uint8_t seg_off;    /* seg * sizeof(struct seg_cache): the segment's
			       offset in c->s.seg, for the address-form
			       handlers (one load, no multiply) */
	uint16_t off;       /* offset from the start of its block (block.c):
			       the run loop derives EIP from it (exec.c) */
};

/* Decoder results besides a length. */
#define DEC_MORE   (-2)  /* needs more bytes than were available */
#define DEC_TOOLONG (-3) /* longer than 15 bytes: #GP(0) */

/* Decode the bytes at b[0..avail) as 16-bit (code32 = 0) or 32-bit code for
 * `model`. Returns the length (i->ud says #UD), DEC_MORE or DEC_TOOLONG.
 * Pure: reads only b[] and the model. */
int decode_insn(enum cpu_model model, const uint8_t *b, int avail, int code32, struct insn *i);

/* Lazy arithmetic flags: the last flag-setting operation, recorded
 * instead of six computed flags. lf_op packs the kind (LF_KIND bits) and
 * the operand size in bytes (lf_op >> LF_SIZE_SHIFT: 1, 2 or 4), so that a
 * handler with a known size records its kind with one constant store.
 * Which other fields each kind uses:
 *   LF_ADD, LF_SUB  lf_a, lf_b: the operands; lf_res: the result (the
 *                   carry/borrow in of ADC/SBB shows in lf_res alone)
 *   LF_LOGIC        lf_res (CF = OF = AF = 0, as QEMU)
 *   LF_INC, LF_DEC  lf_a: the operand, lf_res; lf_b: the CF they keep
 *                   (0 or FL_CF)
 *   LF_RES          lf_res; lf_b: CF, OF and AF as EFLAGS bits (shifts,
 *                   MUL/IMUL: flags computed eagerly except SF/ZF/PF)
 *   LF_SHL, LF_SHR, LF_SAR
 *                   lf_a: the operand, lf_b: the masked count (1..31),
 *                   lf_res; AF = 0, OF by the 1-bit formula at every
 *                   count (see shift.c)
 * lf_res is always masked to the operand size, so ZF is lf_res == 0 and SF
 * its top bit for every kind. LF_NONE: s.eflags holds the flags. */
enum { LF_NONE, LF_ADD, LF_SUB, LF_LOGIC, LF_INC, LF_DEC, LF_RES, LF_SHL, LF_SHR, LF_SAR };
#define LF_KIND 0x0F
#define LF_SIZE_SHIFT 4
#define LF_B (1 << LF_SIZE_SHIFT)
#define LF_W (2 << LF_SIZE_SHIFT)
#define LF_D (4 << LF_SIZE_SHIFT)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* A decoded block (block.c): up to BLOCK_MAX_INSNS instructions decoded
 * from consecutive bytes of one physical page for one code size. */
#define BLOCK_MAX_INSNS 32
struct block {
	uint32_t pa;            /* physical address of the first instruction */
	uint8_t mode;           /* code_mode() it was decoded for; 0: dropped */
	uint8_t n;              /* instructions, 1..BLOCK_MAX_INSNS */
	uint16_t len;           /* bytes they cover */
	struct insn *i;         /* the n instructions */
	struct block *page_next;/* next block decoded from the same page */
	/* The run loop's entry for all n instructions (exec.c): the address
	 * of slot 0 of its fully unrolled 32 slots, BLOCK_MAX_INSNS - n slots
	 * before i, so that the first instruction is in slot 32 - n. */
	uintptr_t q0;
	/* The last instruction may change CS, the CPL or the code mode without
	 * setting the attention word (far transfers, INT, IRET, SYSENTER, ...:
	 * every block-ending instruction but near jumps, calls, returns, Jcc,
	 * LOOP/JCXZ and REP strings). Chaining after such a block always takes
	 * the full checks (exec.c), since the chain stamp may be stale. */
	uint8_t far_end;
	uint16_t last_off;      /* off of the last instruction */
	/* Chaining (exec.c): the blocks that followed this one when it ended
	 * with the attention word clear, most recent first, by the EIP they
	 * start at. A link is only a hint: the run loop follows it when the
	 * current code page translation maps CS.base + eip to to->pa and
	 * to->mode is the current code mode, i.e. when block_fetch() would
	 * give the same bytes. `stamp` says that those checks (and the CS
	 * limit's) passed under the chain context whose stamp it is
	 * (k->chain_stamp, see struct core; CS.base is part of it, so the
	 * same EIP is the same linear address); 0: not checked. An empty link
	 * points back at its own block with eip 0 and stamp 0 (still a live
	 * block, so the test is safe). Links point into the arena: they die
	 * with it (build() starts them empty). */
	struct block_link {
		uint32_t eip;           /* EIP of the successor (CS.base is part
					   of the chain context) */
		const struct block *to;
		uint64_t stamp;
	} link[2];
};
#define BTAB_BITS 14
#define BTAB_SIZE (1u << BTAB_BITS)
/* Set q0 from i and n. */
static inline void block_entry(struct block *b)
{
	b->q0 = (uintptr_t)b->i - (BLOCK_MAX_INSNS - (unsigned)b->n) * sizeof(struct insn);
}
static inline uint32_t btab_index(uint32_t pa)
{
	return (pa * 0x9E3779B1u) >> (32 - BTAB_BITS);
}
struct code_page;

struct core {
	/* lazy flags (see LF_NONE above) */
	int lf_op;                 /* kind | size << LF_SIZE_SHIFT */
	uint32_t lf_a, lf_b, lf_res;

	/* code fetch: the current code page translation */
	uint32_t fetch_lin_page;   /* linear address >> 12, FETCH_NO_PAGE: none */
	uint32_t fetch_phys;       /* physical page base */
	uint64_t fetch_gen;        /* mmu_generation() when translated */
	int fetch_cpl;
	int fetch_mode;            /* code_mode() as of the last block_fetch_slow();
				      a change of CS.D or CR0.PE drops the
				      translation (cpu_code_changed), cpu_set_eflags refreshes
				      it when EFLAGS.VM changes */

	/* the exception being raised */
	int exc_vec, exc_has_err;
	uint32_t exc_err;

	int no_db_trap;            /* MOV SS / POP SS: no single-step trap after */
	int in_run;                /* inside cpu_run(): c->jmp is valid */
	int delivering;            /* an interrupt/trap delivery from the run loop is under way */
	int irq_shadow;            /* an interrupt was just delivered: run one insn */
	int attn;                  /* the run loop must look at the boundary
				      conditions (see core_attn) */
	/* Lazy retirement and EIP (exec.c): while the run loop executes a
	 * block's instructions, c->insns counts those before run_eip only,
	 * and cpu_retired() adds the block's instructions before run_cur,
	 * the one executing. c->s.eip and c->insn_eip are those of the
	 * block's last instruction to run (set once per block); the current
	 * one's come from run_eip + run_cur->off (cpu_insn_eip()), and the
	 * loop writes them when it leaves the block elsewhere.
	 * NULL outside a block: c->insns, c->insn_eip are exact. */
	const struct block *run_block;
	const struct insn *run_cur;
	uint32_t run_eip;          /* EIP of run_block's first instruction */
	int eip_exact;             /* c->insn_eip must be exact at every
				      instruction (cpu_insn_eip_source()): one
				      instruction per block */
	/* the decoded-block cache (block.c) */
	const struct block **btab;     /* by btab_index(pa) */
	struct code_page **code_pages; /* hash of pages holding blocks */
	uint8_t *arena;                /* blocks, instructions, code pages */
	size_t arena_used;
	/* Instructions that straddle two pages are not in blocks (their
	 * second half lives in an unrelated frame); the last one decoded is
	 * kept here with its 15 raw bytes, and reused only when the bytes
	 * fetched again (both pages are still translated and read on every
	 * execution) are the same. */
	struct {
		int valid, mode;
		uint32_t pa;           /* physical address of the first byte */
		uint8_t bytes[15];
		struct insn i;
	} straddle;
	struct block straddle_block;   /* a one-instruction block around it */
	/* cpu_set_user_entry_hook() */
	void (*user_entry_fn)(void *opaque, uint64_t insns);
	void *user_entry_opaque;
	int user_entered;              /* CPL 3 seen since power-on */
	uint64_t block_flushes;        /* times the arena started over */
	/* Chain stamps (exec.c). Whether a link's successor may run straight
	 * after its block depends on the chain context only: the code page
	 * translation (linear page, frame, CPL it was made at), the code
	 * mode, the CPL, CS base and limit, and the blocks being alive. Each
	 * context seen gets a stamp, kept while the context recurs (a few
	 * recent ones are remembered, so code that moves between two pages
	 * keeps both stamps); chain_epoch() hands out fresh stamps for all
	 * when blocks die (SMC, arena reset). A link checked under stamp S
	 * is good again whenever the context's stamp is S. */
	uint64_t chain_stamp;          /* stamp of the context last looked at */
	uint64_t chain_stamps;         /* stamps handed out (never 0) */
	struct chain_ctx {
		uint64_t page;             /* fetch_lin_page | fetch_phys << 32 */
		uint64_t cs;               /* CS base | limit << 32 */
		uint32_t modes;            /* fetch_mode | fetch_cpl << 8 | cpl << 16 */
		uint64_t stamp;            /* 0: empty slot */
	} chain_seen[4];
	unsigned chain_cur;            /* chain_seen slot of chain_stamp */
	unsigned chain_next;           /* slot to replace next */
};

/* A CPU and its core half in one allocation (cpu_create), so that
 * core_of() is a constant offset from c rather than a load of c->core: every
 * flag-setting handler reaches the core first, and the run loop's register
 * for it is freed. c->core still points at the same struct core. */
struct cpu_with_core {
	struct cpu cpu;
	struct core core;
};
static inline struct core *core_of(const struct cpu *c)
{
	return &((struct cpu_with_core *)(uintptr_t)c)->core;
}

/* Tell the run loop to evaluate the instruction-boundary conditions (stop
 * request, NMI, HLT, STI/MOV SS shadow, IRQ shadow, INTR with IF) before
 * the next instruction. Whoever sets one of those calls this; the loop
 * clears it again once none holds and the INTR line is low, so the common
 * case costs one test per instruction instead of six. */
static inline void core_attn(struct cpu *c) { core_of(c)->attn = 1; }

/* Forget the code page translation; block_fetch's shortcut compares the
 * page alone, so an impossible page number stands for "none". */
#define FETCH_NO_PAGE 0xFFFFFFFFu
static inline void fetch_invalidate(struct core *k)
{
	k->fetch_lin_page = FETCH_NO_PAGE;
}

/* Blocks died (SMC, arena reset): no stamp given so far may vouch for a
 * link any more. The current context gets a fresh stamp at once, so that
 * no link check can pass before the run loop looks at the context again. */
static inline void chain_epoch(struct core *k)
{
	for (unsigned j = 0; j < 4; j++)
		k->chain_seen[j].stamp = 0;
	k->chain_stamp = ++k->chain_stamps;
}

static inline uint32_t size_mask(int size)
{
	return size == 4 ? 0xFFFFFFFFu : size == 2 ? 0xFFFFu : 0xFFu;
}
static inline uint32_t sign_bit(int size) { return 1u << (size * 8 - 1); }
static inline uint32_t sext(uint32_t v, int size)
{
	return size == 1 ? (uint32_t)(int32_t)(int8_t)v :
	       size == 2 ? (uint32_t)(int32_t)(int16_t)v : v;
}

/* ---- flags.c */
uint32_t flags_compute(const struct core *k, uint32_t eflags);
int cond_true(struct cpu *c, int cc);
/* Record a lazy operation of `size` bytes (a, b as the kind wants them,
 * see LF_NONE); res must be masked to the size. */
static inline void lf_set(struct cpu *c, int op, int size, uint32_t a, uint32_t b, uint32_t res)
{
	struct core *k = core_of(c);
	k->lf_op = op | (size << LF_SIZE_SHIFT);
	/* Volatile stores of lf_a and lf_b: they keep GCC from merging
	 * adjacent 32-bit stores into one vector store, which takes two moves
	 * to vector registers and a shuffle (four instructions for two) in
	 * every flag-setting handler. (Empty asms with "+m" operands did the
	 * same but cost an address computation each.) */
	*(volatile uint32_t *)&k->lf_a = a;
	*(volatile uint32_t *)&k->lf_b = b;
	k->lf_res = res;
}
/* Record a logic result (AND/OR/XOR/TEST): nothing but the result. */
static inline void lf_set_logic(struct cpu *c, int size, uint32_t res)
{
	struct core *k = core_of(c);
	k->lf_op = LF_LOGIC | (size << LF_SIZE_SHIFT);
	k->lf_res = res;
}
/* Record a result whose CF, OF and AF are already known (`cfofaf`, EFLAGS
 * bits): SF, ZF and PF follow from res (masked to `size`) when asked. */
static inline void lf_set_res(struct cpu *c, int size, uint32_t res, uint32_t cfofaf)
{
	struct core *k = core_of(c);
	k->lf_op = LF_RES | (size << LF_SIZE_SHIFT);
	k->lf_b = cfofaf;
	k->lf_res = res;
}
/* Replace all six arithmetic flags at once. */
static inline void flags_set_arith(struct cpu *c, uint32_t f)
{
	core_of(c)->lf_op = LF_NONE;
	c->s.eflags = (c->s.eflags & ~FL_ARITH) | (f & FL_ARITH);
}
/* The sign bit of the recorded operation's size (lf_op != LF_NONE). */
static inline uint32_t lf_top(int lf_op)
{
	return 1u << (((unsigned)lf_op >> LF_SIZE_SHIFT) * 8 - 1);
}
/* The operand width in bits of the recorded operation. */
static inline unsigned lf_bits(int lf_op)
{
	return ((unsigned)lf_op >> LF_SIZE_SHIFT) * 8;
}
/* CF of a recorded SHL/SHR/SAR of a by count (1..31): the last bit
 * shifted out; SHL by more than the width shifts out only zeros. */
static inline int lf_shift_cf(int lf_op, uint32_t a, uint32_t count)
{
	unsigned bits = lf_bits(lf_op);
	switch (lf_op & LF_KIND) {
	case LF_SHL: return count <= bits ? (a >> (bits - count)) & 1 : 0;
	case LF_SHR: return (a >> (count - 1)) & 1;
	default: {   /* LF_SAR: a sign-extended from its top bit; shifting
		      * out more than the width leaves copies of the sign */
		unsigned sh = 32 - bits + count - 1;
		return ((uint32_t)((int32_t)(a << (32 - bits)) >> (sh > 31 ? 31 : sh))) & 1;
	}
	}
}
static inline __attribute__((always_inline)) int lf_is_shift(const struct cpu *c)
{
	return (unsigned)((core_of(c)->lf_op & LF_KIND) - LF_SHL) <= LF_SAR - LF_SHL;
}

/* get_cf() for a record that is not a shift (!lf_is_shift()): INC/DEC
 * handlers call it directly to keep the rarely taken shift case out of
 * line. */
static inline __attribute__((always_inline)) uint32_t cf_not_shift(const struct cpu *c)
{
	const struct core *k = core_of(c);
	uint32_t a = k->lf_a, b = k->lf_b, r = k->lf_res;
	switch (k->lf_op & LF_KIND) {
	case LF_NONE: return (c->s.eflags & FL_CF) != 0;
	case LF_ADD: return (((a & b) | ((a | b) & ~r)) & lf_top(k->lf_op)) != 0;
	case LF_SUB: return (((~a & b) | (~(a ^ b) & r)) & lf_top(k->lf_op)) != 0;
	case LF_LOGIC: return 0;
	default: return b & FL_CF;     /* INC, DEC, RES: kept in lf_b */
	}
}

/* CF alone, without materialising the other flags. */
static inline int get_cf(struct cpu *c)
{
	const struct core *k = core_of(c);
	if (lf_is_shift(c))
		return lf_shift_cf(k->lf_op, k->lf_a, k->lf_b);
	return (int)cf_not_shift(c);
}
/* SF, ZF, PF of a result (the rest zero). */
uint32_t flags_szp(uint32_t res, int size);

/* ---- block.c */
int blocks_init(struct cpu *c);
void blocks_free(struct cpu *c);
void blocks_flush(struct cpu *c);
const struct block *block_fetch_slow(struct cpu *c);
static inline int code_mode(const struct cpu *c)
{
	return 1 + ((c->s.seg[S_CS].flags & SEGF_DB) != 0 && !(c->s.eflags & FL_VM) &&
		    (c->s.cr0 & CR0_PE));
}
/* The decoded block at CS:EIP: the common case (same code page, block in
 * the table) inline; everything else in block.c's block_fetch_slow(). The
 * caller checks the CS limit for what it runs. */
static inline const struct block *block_fetch(struct cpu *c)
{
	struct core *k = core_of(c);
	uint32_t lin = c->s.seg[S_CS].base + c->s.eip;
	/* One compare per condition of the shortcut (fetch_lin_page is
	 * FETCH_NO_PAGE while no translation is held); the code mode is the one
	 * block_fetch_slow() recorded, since every mode change drops or
	 * refreshes it. The MMU generation is not compared here: a change of
	 * it sets the attention word, and the run loop drops the translation
	 * then (exec.c), before it calls this. */
	if (__builtin_expect((lin >> PAGE_SHIFT) == k->fetch_lin_page && k->fetch_cpl == c->cpl, 1)) {
		uint32_t pa = k->fetch_phys | (lin & (PAGE_SIZE - 1));
		const struct block *b = k->btab[btab_index(pa)];
		if (__builtin_expect(b->pa == pa && b->mode == k->fetch_mode, 1))
			return b;
	}
	return block_fetch_slow(c);
}

/* ---- mem.c */
uint32_t cpu_read_rmw(struct cpu *c, int sreg, uint32_t off, int size);
/* Linear address of [off, off+size) in sreg after the limit/type checks. */
uint32_t seg_check(struct cpu *c, int sreg, uint32_t off, int size, int write);

/* ---- mem.c: segmented access, inline fast path.
 *
 * seg_lin() is the segment check of SDM vol. 3, 5.3-5.4 (present, type for
 * the access kind, expand-up/-down limit) returning the linear address; a
 * present, writable (or, for reads, any data) expand-up segment skips the
 * type tests with one compare of the cached access byte. mem_read/_rmw/
 * _write then try the MMU's inline fast path (mmu/fastpath.h) and fall back
 * to the *_miss functions in mem.c, so the common case is a few compares,
 * an add and the host load or store, with no call. */
_Noreturn void seg_fault(struct cpu *c, int sreg);
uint32_t mem_read_miss(struct cpu *c, uint32_t lin, int size, int user);
uint32_t mem_read_rmw_miss(struct cpu *c, uint32_t lin, int size, int user);
void mem_write_miss(struct cpu *c, uint32_t lin, int size, int user, uint32_t val);

#define SEG_AB_MASK_W  0x9E00u  /* P, S and type bits 3:1 of the access byte */
#define SEG_AB_DATA_RW 0x9200u  /* present read/write expand-up data */
#define SEG_AB_MASK_R  0x9C00u  /* P, S and type bits 3:2 */
#define SEG_AB_DATA    0x9000u  /* present expand-up data, any R/W */

static inline uint32_t seg_lin(struct cpu *c, int sreg, uint32_t off, int size, int write)
{
	const struct seg_cache *s = &c->s.seg[sreg];
	uint32_t last = off + (uint32_t)size - 1;

	if (__builtin_expect((c->s.cr0 & CR0_PE) && !(c->s.eflags & FL_VM), 1)) {
		uint32_t fl = s->flags;
		if (__builtin_expect(write ? (fl & SEG_AB_MASK_W) == SEG_AB_DATA_RW
					   : (fl & SEG_AB_MASK_R) == SEG_AB_DATA, 1))
			goto limit;
		uint32_t type = SEGF_TYPE(fl);
		if (!(fl & SEGF_P))
			seg_fault(c, sreg);
		if (write) {
			/* Code segments and read-only data cannot be written. */
			if ((type & 0xA) != 0x2)
				seg_fault(c, sreg);
		} else if ((type & 0xA) == 8) {
			seg_fault(c, sreg);           /* execute-only code */
		}
		if (__builtin_expect((type & 0xC) == 4, 0)) {
			/* Expand-down data: valid offsets limit+1 .. 64K-1 or 4G-1. */
			uint32_t upper = (fl & SEGF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
			if (off <= s->limit || last > upper || last < off)
				seg_fault(c, sreg);
			return s->base + off;
		}
	}
limit:
	if (last > s->limit || last < off)
		seg_fault(c, sreg);
	return s->base + off;
}

static inline uint32_t load_host(const uint8_t *p, int size)
{
	uint32_t v;
	if (size == 4) {
		memcpy(&v, p, 4);
	} else if (size == 2) {
		uint16_t w;
		memcpy(&w, p, 2);
		v = w;
	} else {
		v = *p;
	}
	return v;
}

static inline void store_host(uint8_t *p, int size, uint32_t val)
{
	if (size == 4) {
		memcpy(p, &val, 4);
	} else if (size == 2) {
		uint16_t w = (uint16_t)val;
		memcpy(p, &w, 2);
	} else {
		*p = (uint8_t)val;
	}
}

/* As cpu_read(). */
static inline uint32_t mem_read(struct cpu *c, int sreg, uint32_t off, int size)
{
	uint32_t lin = seg_lin(c, sreg, off, size, 0);
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 0, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		e->hits++;
		return load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);
	}
	return mem_read_miss(c, lin, size, user);
}

/* As cpu_read_rmw(): the read half of a read-modify-write, checked and
 * translated as a write (a read-only segment faults before any read). */
static inline uint32_t mem_read_rmw(struct cpu *c, int sreg, uint32_t off, int size)
{
	uint32_t lin = seg_lin(c, sreg, off, size, 1);
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 1, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		e->hits++;
		return load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);
	}
	return mem_read_rmw_miss(c, lin, size, user);
}

/* As cpu_write(). */
static inline void mem_write(struct cpu *c, int sreg, uint32_t off, int size, uint32_t val)
{
	uint32_t lin = seg_lin(c, sreg, off, size, 1);
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 1, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		e->hits++;
		store_host((uint8_t *)((uintptr_t)lin + e->addend), size, val);
		return;
	}
	mem_write_miss(c, lin, size, user, val);
}

/* ---- stack helpers (stack.c), inline: every PUSH, POP, CALL and RET
 * goes through them.
 *
 * The common case is a 32-bit stack in a present, writable, expand-up data
 * segment in protected mode: then seg_lin()'s checks reduce to the limit
 * test, and the access is the MMU's inline fast path at the linear address,
 * exactly what mem_read()/mem_write() do after their segment check. Any
 * other case (16-bit stack, expand-down, real or v86 mode, an access that
 * would fail the check) takes the *_slow path in stack.c, which is
 * mem_read()/mem_write() on SS with every check and fault of the SDM.
 * push(), stack_peek() and pop() themselves come after fast_entry(), below:
 * their hit path is that one-compare lookup, without the call. */
void push_slow(struct cpu *c, uint32_t val, int size);
uint32_t stack_peek_slow(struct cpu *c, uint32_t delta, int size);

/* The stack address size is SS's B bit. */
static inline int stack32(const struct cpu *c) { return (c->s.seg[S_SS].flags & SEGF_DB) != 0; }

/* Does [off, off+len) of SS take seg_lin()'s plain path and pass it, on a
 * 32-bit stack? (SEG_AB_MASK_W covers P, S and type bits 3:1; the B bit is
 * tested in the same compare.) */
static inline int stack_plain(const struct cpu *c, uint32_t off, uint32_t len)
{
	const struct seg_cache *s = &c->s.seg[S_SS];
	uint32_t last = off + len - 1;

	return (s->flags & (SEG_AB_MASK_W | SEGF_DB)) == (SEG_AB_DATA_RW | SEGF_DB) &&
	       (c->s.cr0 & CR0_PE) && !(c->s.eflags & FL_VM) && last <= s->limit && last >= off;
}

/* SS offset `delta` bytes from the top of stack (SP wraps at 64 KiB on a
 * 16-bit stack). */
static inline uint32_t stack_off(const struct cpu *c, uint32_t delta)
{
	uint32_t sp = c->s.gpr[R_ESP] + delta;
	return stack32(c) ? sp : (sp & 0xFFFF);
}

/* Move SP by delta: all of ESP on a 32-bit stack, SP alone on a 16-bit one. */
static inline void sp_add(struct cpu *c, uint32_t delta)
{
	uint32_t esp = c->s.gpr[R_ESP];
	c->s.gpr[R_ESP] = stack32(c) ? esp + delta : (esp & 0xFFFF0000u) | ((esp + delta) & 0xFFFF);
}

/* ---- control flow helper (ctl.c): near jump with operand-size wrap and
 * CS limit check. */
void jump_near(struct cpu *c, uint32_t target, int osz);

/* General registers by ModRM number at an operand size (1: AL..BH). */
static inline uint32_t reg_read(const struct cpu *c, int r, int size)
{
	if (size == 4)
		return c->s.gpr[r];
	if (size == 2)
		return c->s.gpr[r] & 0xFFFF;
	return r < 4 ? c->s.gpr[r] & 0xFF : (c->s.gpr[r - 4] >> 8) & 0xFF;
}
static inline void reg_write(struct cpu *c, int r, int size, uint32_t v)
{
	if (size == 4)
		c->s.gpr[r] = v;
	else if (size == 2)
		c->s.gpr[r] = (c->s.gpr[r] & 0xFFFF0000u) | (v & 0xFFFF);
	else if (r < 4)
		c->s.gpr[r] = (c->s.gpr[r] & 0xFFFFFF00u) | (v & 0xFF);
	else
		c->s.gpr[r - 4] = (c->s.gpr[r - 4] & 0xFFFF00FFu) | ((v & 0xFF) << 8);
}

/* Effective address (offset in the segment) of a memory operand. */
static inline uint32_t insn_ea(const struct cpu *c, const struct insn *i)
{
	uint32_t ea = i->disp;
	if (i->base != EA_NONE)
		ea += c->s.gpr[i->base];
	if (i->index != EA_NONE)
		ea += c->s.gpr[i->index] << i->scale;
	if (i->asz == 2)
		ea &= 0xFFFF;
	return ea;
}

static inline uint32_t rm_read(struct cpu *c, const struct insn *i, int size)
{
	if (i->mod == 3)
		return reg_read(c, i->rm, size);
	return mem_read(c, i->seg, insn_ea(c, i), size);
}
static inline void rm_write(struct cpu *c, const struct insn *i, int size, uint32_t v)
{
	if (i->mod == 3)
		reg_write(c, i->rm, size, v);
	else
		mem_write(c, i->seg, insn_ea(c, i), size, v);
}

/* Operand size of an instruction whose opcode bit 0 selects byte/full. */
static inline int opsz_w(const struct insn *i) { return (i->op & 1) ? i->osz : 1; }

/* For the form-specialised handlers with a memory operand: GCC would keep
 * one out-of-line copy of mem_read/mem_write per file and call it with the
 * size as an argument; flattening inlines them with the constant size, so
 * the fast path is a straight line in the handler. */
#define HANDLER_FLATTEN __attribute__((flatten))

/* ---- memory operands of the address-form-specialised handlers.
 *
 * For a 32-bit address size decode.c picks, besides the operation, one of
 * four address forms (EAF_*), so the handler computes the offset with no
 * tests on base/index presence or address size:
 *   EAF_B   disp + base             ([ebx], [ebp+8])
 *   EAF_BIS disp + base + index<<s  ([ebx+esi*4+8])
 *   EAF_IS  disp + index<<s         ([table+eax*4])
 *   EAF_D   disp                    ([abs32])
 * The 16-bit address forms keep the general handlers (insn_ea() wraps
 * them at 64 KiB). */
enum { EAF_B, EAF_BIS, EAF_IS, EAF_D, EAF_COUNT };

static inline __attribute__((always_inline)) uint32_t ea32(const struct cpu *c, const struct insn *i,
							     int form)
{
	switch (form) {
	case EAF_B: return i->disp + c->s.gpr[i->base];
	case EAF_BIS: return i->disp + c->s.gpr[i->base] + (c->s.gpr[i->index] << i->scale);
	case EAF_IS: return i->disp + (c->s.gpr[i->index] << i->scale);
	default: return i->disp;
	}
}

/* Is the access of `size` bytes (1, 2 or 4) at off in the segment of the
 * memory operand of i (i->seg, by i->seg_off) the plainest
 * case of seg_lin()? Then its linear address goes to *lin; else nothing
 * changes, and the caller runs its general handler, which makes every
 * check of seg_lin() again and raises whatever fault is due. Plain:
 *  - the cached access byte says present, expand-up data, writable when
 *    `write` (seg_lin()'s one-compare case). In protected mode seg_lin()
 *    then checks the limit only; in real and v86 mode it checks the limit
 *    only whatever the access byte says. So with this access byte the
 *    check is the limit alone in every mode;
 *  - last byte within the limit, computed in 64 bits so that an offset
 *    whose last byte wraps past 4 GiB fails too (seg_lin's last < off). */
static inline __attribute__((always_inline)) int seg_plain(const struct cpu *c, const struct insn *i,
							    uint32_t off, int size, int write, uint32_t *lin)
{
	const struct seg_cache *s = (const struct seg_cache *)(const void *)
		((const char *)c->s.seg + i->seg_off);
	uint32_t fl = s->flags;

	if (__builtin_expect(write ? (fl & SEG_AB_MASK_W) != SEG_AB_DATA_RW
				   : (fl & SEG_AB_MASK_R) != SEG_AB_DATA, 0))
		return 0;
	if (__builtin_expect((uint64_t)off + (uint32_t)(size - 1) > s->limit, 0))
		return 0;
	*lin = s->base + off;
	return 1;
}

/* mmu_fast_lookup() for a size of 1, 2 or 4 at the current privilege,
 * cheaper: the entry is indexed by the page of the first byte and its tag
 * compared with the page of the last byte, which is "tag matches and the
 * access stays in the page" in one compare (an entry's tag always has the
 * index's low page bits, so a last byte in the next page never matches);
 * the table of the kind (0: read; 1: write, and the read half of a
 * read-modify-write) is taken as one array over both privileges, so the
 * index is computed once. */
static inline __attribute__((always_inline)) struct mmu_fast_entry *
fast_entry(const struct cpu *c, uint32_t lin, int size, int write)
{
	_Static_assert(sizeof(struct mmu_fast_entry) == 32, "entry offset by shifts");
	struct mmu_fast *f = (struct mmu_fast *)(void *)c->mmu;
	/* (cpl + 1) >> 2 is 1 at CPL 3 alone: user << (MMU_FAST_BITS + 5) |
	 * page << 5, the page bits shifted into place in one go */
	uintptr_t off = ((uintptr_t)((unsigned)(c->cpl + 1) >> 2) << (MMU_FAST_BITS + 5)) |
			((lin >> (PAGE_SHIFT - 5)) & ((MMU_FAST_SIZE - 1) << 5));
	struct mmu_fast_entry *e = (struct mmu_fast_entry *)(void *)((char *)f->t[write] + off);
	if (__builtin_expect(e->tag != ((lin + (uint32_t)(size - 1)) & ~(uint32_t)(PAGE_SIZE - 1)), 0))
		return NULL;
	return e;
}

/* Define a form handler `fname` that reads `size` bytes of memory at the
 * address form `form` into v and then runs the statements given last
 * (which use c, i and v):
 *  - segment check not plain (seg_plain): the general handler `general`
 *    does the whole instruction, from the start;
 *  - fast-table hit: the read inline, one TLB hit counted (mem_read());
 *  - miss: fname_miss reads through mem_read_miss(), as mem_read() does.
 * The miss half is a function of its own and both other ways out are
 * tail calls, so the hit path has no call and saves no registers. */
#define READ_FORM_HANDLER(fname, form, size, general, ...)                              \
static __attribute__((noinline)) void fname##_miss(struct cpu *c, const struct insn *i, \
						   uint32_t lin)                        \
{                                                                                       \
	uint32_t v = mem_read_miss(c, lin, size, c->cpl == 3);                          \
	__VA_ARGS__                                                                     \
}                                                                                       \
static void fname(struct cpu *c, const struct insn *i)                                  \
{                                                                                       \
	uint32_t lin, v;                                                                \
	if (__builtin_expect(!seg_plain(c, i, ea32(c, i, form), size, 0, &lin), 0)) { \
		general(c, i);                                                          \
		return;                                                                 \
	}                                                                               \
	struct mmu_fast_entry *e = fast_entry(c, lin, size, 0);                         \
	if (__builtin_expect(e == NULL, 0)) {                                           \
		fname##_miss(c, i, lin);                                                \
		return;                                                                 \
	}                                                                               \
	e->hits++;                                                                      \
	v = load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);             \
	__VA_ARGS__                                                                     \
}

/* The same for a handler that writes the value of the expression given
 * last (of c and i) to memory (mem_write(), mem_write_miss()). */
#define WRITE_FORM_HANDLER(fname, form, size, general, ...)                             \
static __attribute__((noinline)) void fname##_miss(struct cpu *c, const struct insn *i, \
						   uint32_t lin)                        \
{                                                                                       \
	mem_write_miss(c, lin, size, c->cpl == 3, (__VA_ARGS__));                       \
}                                                                                       \
static void fname(struct cpu *c, const struct insn *i)                                  \
{                                                                                       \
	uint32_t lin;                                                                   \
	if (__builtin_expect(!seg_plain(c, i, ea32(c, i, form), size, 1, &lin), 0)) { \
		general(c, i);                                                          \
		return;                                                                 \
	}                                                                               \
	struct mmu_fast_entry *e = fast_entry(c, lin, size, 1);                         \
	if (__builtin_expect(e == NULL, 0)) {                                           \
		fname##_miss(c, i, lin);                                                \
		return;                                                                 \
	}                                                                               \
	e->hits++;                                                                      \
	store_host((uint8_t *)((uintptr_t)lin + e->addend), size, (__VA_ARGS__));       \
}

/* The read-modify-write of a form handler's memory destination: the host
 * address of the operand when its segment check is plain and the write
 * table has the page, counted as the two TLB hits of the read and the
 * write (alu_mem()); else 0, nothing done, and the caller runs its general
 * handler. */
static inline __attribute__((always_inline)) int rmw_plain(struct cpu *c, const struct insn *i,
							    uint32_t off, int size, uint8_t **host)
{
	uint32_t lin;
	if (!seg_plain(c, i, off, size, 1, &lin))
		return 0;
	struct mmu_fast_entry *e = fast_entry(c, lin, size, 1);
	if (__builtin_expect(e == NULL, 0))
		return 0;
	e->hits += 2;
	*host = (uint8_t *)((uintptr_t)lin + e->addend);
	return 1;
}

/* ---- push(), stack_peek(), pop() (see the stack helpers above).
 *
 * The plain case: a 32-bit stack whose cached access byte says present,
 * writable, expand-up data. With that access byte seg_lin() checks the
 * limit alone in every mode (see seg_plain()), so the test is one compare
 * of the access byte with the B bit and one of the limit (in 64 bits, so a
 * range whose last byte wraps past 4 GiB fails as seg_lin()'s last < off
 * does). The access is then fast_entry()'s lookup, counted as the one TLB
 * hit mem_read()/mem_write() count. Anything else - a 16-bit stack, another
 * access byte, past the limit, a fast-table miss - is the *_slow path in
 * stack.c: mem_read()/mem_write() on SS, every check and fault of the SDM
 * and the same TLB lookup, so the result is the same either way, while the
 * hit path has no call. */
static inline __attribute__((always_inline)) int stack_fast(const struct cpu *c, uint32_t off,
							     int size, uint32_t *lin)
{
	const struct seg_cache *s = &c->s.seg[S_SS];

	if (__builtin_expect((s->flags & (SEG_AB_MASK_W | SEGF_DB)) != (SEG_AB_DATA_RW | SEGF_DB), 0))
		return 0;
	if (__builtin_expect((uint64_t)off + (uint32_t)(size - 1) > s->limit, 0))
		return 0;
	*lin = s->base + off;
	return 1;
}

/* The slot is written before SP moves, so a fault leaves SP as it was.
 * Sizes 2 and 4 (the operand size). */
static inline __attribute__((always_inline)) void push(struct cpu *c, uint32_t val, int size)
{
	uint32_t off = c->s.gpr[R_ESP] - (uint32_t)size, lin;

	if (__builtin_expect(stack_fast(c, off, size, &lin), 1)) {
		struct mmu_fast_entry *e = fast_entry(c, lin, size, 1);
		if (__builtin_expect(e != NULL, 1)) {
			e->hits++;
			store_host((uint8_t *)((uintptr_t)lin + e->addend), size, val);
			c->s.gpr[R_ESP] = off;
			return;
		}
	}
	push_slow(c, val, size);
}

/* Read the stack at SP + delta without moving SP. */
static inline __attribute__((always_inline)) uint32_t stack_peek(struct cpu *c, uint32_t delta,
								  int size)
{
	uint32_t off = c->s.gpr[R_ESP] + delta, lin;

	if (__builtin_expect(stack_fast(c, off, size, &lin), 1)) {
		struct mmu_fast_entry *e = fast_entry(c, lin, size, 0);
		if (__builtin_expect(e != NULL, 1)) {
			e->hits++;
			return load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);
		}
	}
	return stack_peek_slow(c, delta, size);
}

/* The hit path knows the stack is 32-bit: ESP moves whole, no sp_add(). */
static inline __attribute__((always_inline)) uint32_t pop(struct cpu *c, int size)
{
	uint32_t off = c->s.gpr[R_ESP], lin;

	if (__builtin_expect(stack_fast(c, off, size, &lin), 1)) {
		struct mmu_fast_entry *e = fast_entry(c, lin, size, 0);
		if (__builtin_expect(e != NULL, 1)) {
			e->hits++;
			c->s.gpr[R_ESP] = off + (uint32_t)size;
			return load_host((const uint8_t *)((uintptr_t)lin + e->addend), size);
		}
	}
	uint32_t v = stack_peek_slow(c, 0, size);
	sp_add(c, (uint32_t)size);
	return v;
}

/* Test hook: decode_insn() leaves every instruction with its general
 * handler (no specialise()) while this is set, so that a test can run the
 * same bytes through both and compare. Blocks already decoded keep their
 * handlers: set it before the machine runs. */
extern int decode_generic_only;

/* Test hook: while set, the run loop stamps no link (exec.c), so every
 * chained block end takes the full checks; what runs must be the same. */
extern int chain_stamps_off;

/* ---- condition codes from the lazy record (flags.c's cond_true, and the
 * Jcc/SETcc/CMOVcc handlers with a constant condition). ZF and SF follow
 * from lf_res for every kind; OF and CF by kind with flags_compute()'s
 * formulas; only PF materialises EFLAGS. */
static inline int lf_zf(const struct cpu *c)
{
	const struct core *k = core_of(c);
	return k->lf_op != LF_NONE ? k->lf_res == 0 : (c->s.eflags & FL_ZF) != 0;
}
static inline int lf_sf(const struct cpu *c)
{
	const struct core *k = core_of(c);
	return k->lf_op != LF_NONE ? (k->lf_res & lf_top(k->lf_op)) != 0 : (c->s.eflags & FL_SF) != 0;
}
static inline int lf_of(const struct cpu *c)
{
	const struct core *k = core_of(c);
	uint32_t a = k->lf_a, b = k->lf_b, r = k->lf_res;
	switch (k->lf_op & LF_KIND) {
	case LF_NONE: return (c->s.eflags & FL_OF) != 0;
	case LF_ADD: return ((a ^ r) & (b ^ r) & lf_top(k->lf_op)) != 0;
	case LF_SUB: return ((a ^ b) & (a ^ r) & lf_top(k->lf_op)) != 0;
	case LF_INC: return ((a ^ r) & (1 ^ r) & lf_top(k->lf_op)) != 0;
	case LF_DEC: return ((a ^ 1) & (a ^ r) & lf_top(k->lf_op)) != 0;
	case LF_RES: return (b & FL_OF) != 0;
	/* SHL: MSB(res) ^ CF; SHR: the operand's MSB at count 1, else 0 */
	case LF_SHL: return (((r & lf_top(k->lf_op)) != 0) ^ lf_shift_cf(k->lf_op, a, b)) != 0;
	case LF_SHR: return b == 1 && (a & lf_top(k->lf_op));
	default: return 0;   /* LF_LOGIC, LF_SAR */
	}
}

static inline int cond_eval(struct cpu *c, int cc)
{
	const struct core *k = core_of(c);
	int r;
	/* ZF and SF read lf_res alone whatever the kind: no kind test. */
	if ((cc >> 1) == 2)
		return (cc & 1) ? !lf_zf(c) : lf_zf(c);
	if ((cc >> 1) == 4)
		return (cc & 1) ? !lf_sf(c) : lf_sf(c);
	if ((k->lf_op & LF_KIND) == LF_SUB && (cc >> 1) != 5) {
		/* After CMP/SUB/SBB (the compare-and-branch idiom): each
		 * condition as one expression of the operands and result. */
		uint32_t a = k->lf_a, b = k->lf_b, res = k->lf_res, top = lf_top(k->lf_op);
		uint32_t cf = ((~a & b) | (~(a ^ b) & res)) & top;
		uint32_t lt = (res ^ ((a ^ b) & (a ^ res))) & top;    /* SF != OF */
		switch (cc >> 1) {
		case 0: r = ((a ^ b) & (a ^ res) & top) != 0; break;
		case 1: r = cf != 0; break;
		case 2: r = res == 0; break;
		case 3: r = cf != 0 || res == 0; break;
		case 4: r = (res & top) != 0; break;
		case 6: r = lt != 0; break;
		default: r = lt != 0 || res == 0; break;
		}
		return (cc & 1) ? !r : r;
	}
	switch (cc >> 1) {
	case 0: r = lf_of(c); break;
	case 1: r = get_cf(c); break;
	case 2: r = lf_zf(c); break;
	case 3: r = get_cf(c) || lf_zf(c); break;
	case 4: r = lf_sf(c); break;
	case 5: r = (cpu_get_eflags(c) & FL_PF) != 0; break;
	case 6: r = lf_sf(c) != lf_of(c); break;
	default: r = lf_zf(c) || lf_sf(c) != lf_of(c); break;
	}
	return (cc & 1) ? !r : r;
}

/* All instruction handlers, declared from the list in handlers.h. */
#define H(name) void op_##name(struct cpu *c, const struct insn *i);
#include "handlers.h"
#undef H

/* The address-form-specialised handlers (one per EAF_* form), picked by
 * decode.c from these tables; static in their files otherwise.
 * alu.c: by ALU operation (ADD OR ADC SBB AND SUB XOR CMP), then form */
extern const insn_fn alu_m_r32_ea[8][EAF_COUNT];
extern const insn_fn alu_m_imm32_ea[8][EAF_COUNT];
extern const insn_fn alu_r32_m_ea[8][EAF_COUNT];
extern const insn_fn test_m32_imm_ea[EAF_COUNT];
extern const insn_fn test_m_r32_ea[EAF_COUNT];
extern const insn_fn imul_r32_m_imm_ea[EAF_COUNT];
extern const insn_fn imul_r32_m_ea[EAF_COUNT];
extern const insn_fn incdec_m32_ea[2][EAF_COUNT];   /* [DEC] */
/* stack.c */
extern const insn_fn push_m32_ea[EAF_COUNT];
/* misc.c; movx_r32_m_ea by [MOVSX][word source] */
extern const insn_fn mov_m_r32_ea[EAF_COUNT];
extern const insn_fn mov_r32_m_ea[EAF_COUNT];
extern const insn_fn mov_m32_imm_ea[EAF_COUNT];
extern const insn_fn movx_r32_m_ea[2][2][EAF_COUNT];

#endif
