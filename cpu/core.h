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
};

/* Decoder results besides a length. */
#define DEC_MORE   (-2)  /* needs more bytes than were available */
#define DEC_TOOLONG (-3) /* longer than 15 bytes: #GP(0) */

/* Decode the bytes at b[0..avail) as 16-bit (code32 = 0) or 32-bit code for
 * `model`. Returns the length (i->ud says #UD), DEC_MORE or DEC_TOOLONG.
 * Pure: reads only b[] and the model. */
int decode_insn(enum cpu_model model, const uint8_t *b, int avail, int code32, struct insn *i);

/* Lazy arithmetic flags: the last flag-setting ALU operation. */
enum { LF_NONE, LF_ADD, LF_SUB, LF_LOGIC, LF_INC, LF_DEC };
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* One slot of the decoded-instruction cache (direct mapped on the
 * physical address of the first byte). */
struct dentry {
	uint32_t tag;       /* physical address of the instruction */
	uint8_t mode;       /* 1 + code32; 0 = empty */
	struct insn i;
};
#define DCACHE_BITS 16
#define DCACHE_SIZE (1u << DCACHE_BITS)

struct core {
	/* lazy flags */
	int lf_op, lf_size;
	uint32_t lf_a, lf_b, lf_res;
	uint32_t lf_cf;            /* INC/DEC: the CF they keep (0 or FL_CF) */

	/* code fetch: the current code page translation */
	int fetch_valid;
	uint32_t fetch_lin_page;   /* linear address >> 12 */
	uint32_t fetch_phys;       /* physical page base */
	uint64_t fetch_gen;        /* mmu_generation() when translated */
	int fetch_cpl;
	int fetch_mode;            /* code_mode() as of the last fetch_slow();
				      a change of CS.D or CR0.PE clears fetch_valid
				      (cpu_code_changed), cpu_set_eflags refreshes
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
	struct dentry *dcache;
	/* Instructions that straddle two pages are not in the dcache (their
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
	uint64_t dc_hits, dc_misses;
};

static inline struct core *core_of(const struct cpu *c) { return (struct core *)c->core; }

/* Tell the run loop to evaluate the instruction-boundary conditions (stop
 * request, NMI, HLT, STI/MOV SS shadow, IRQ shadow, INTR with IF) before
 * the next instruction. Whoever sets one of those calls this; the loop
 * clears it again once none holds and the INTR line is low, so the common
 * case costs one test per instruction instead of six. */
static inline void core_attn(struct cpu *c) { core_of(c)->attn = 1; }

/* Forget the code page translation; fetch_insn's shortcut compares the
 * page alone, so an impossible page number stands for "none". */
#define FETCH_NO_PAGE 0xFFFFFFFFu
static inline void fetch_invalidate(struct core *k)
{
	k->fetch_valid = 0;
	k->fetch_lin_page = FETCH_NO_PAGE;
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
static inline void lf_set(struct cpu *c, int op, int size, uint32_t a, uint32_t b, uint32_t res)
{
	struct core *k = core_of(c);
	k->lf_op = op;
	k->lf_size = size;
	k->lf_a = a;
	k->lf_b = b;
	k->lf_res = res;
}
/* Replace all six arithmetic flags at once. */
static inline void flags_set_arith(struct cpu *c, uint32_t f)
{
	core_of(c)->lf_op = LF_NONE;
	c->s.eflags = (c->s.eflags & ~FL_ARITH) | (f & FL_ARITH);
}
/* CF alone, without materialising the other flags. */
static inline int get_cf(struct cpu *c)
{
	const struct core *k = core_of(c);
	uint32_t a = k->lf_a, b = k->lf_b, r = k->lf_res;
	switch (k->lf_op) {
	case LF_NONE: return (c->s.eflags & FL_CF) != 0;
	case LF_ADD: return (((a & b) | ((a | b) & ~r)) & sign_bit(k->lf_size)) != 0;
	case LF_SUB: return (((~a & b) | (~(a ^ b) & r)) & sign_bit(k->lf_size)) != 0;
	case LF_LOGIC: return 0;
	default: return k->lf_cf != 0;
	}
}
/* SF, ZF, PF of a result (the rest zero). */
uint32_t flags_szp(uint32_t res, int size);

/* ---- dcache.c */
int dcache_init(struct cpu *c);
void dcache_free(struct cpu *c);
void dcache_flush(struct cpu *c);
const struct insn *fetch_slow(struct cpu *c);
static inline int code_mode(const struct cpu *c)
{
	return 1 + ((c->s.seg[S_CS].flags & SEGF_DB) != 0 && !(c->s.eflags & FL_VM) &&
		    (c->s.cr0 & CR0_PE));
}
/* The instruction at CS:EIP: the common case (same code page, cached
 * decode) inline; everything else in dcache.c's fetch_slow(). */
static inline const struct insn *fetch_insn(struct cpu *c)
{
	struct core *k = core_of(c);
	const struct seg_cache *cs = &c->s.seg[S_CS];
	uint32_t eip = c->s.eip, lin = cs->base + eip;
	/* One compare per condition of the shortcut (fetch_lin_page is
	 * FETCH_NO_PAGE while no translation is held); the code mode is the one
	 * fetch_slow() recorded, since every mode change drops or refreshes it. */
	if (__builtin_expect((lin >> PAGE_SHIFT) == k->fetch_lin_page &&
			     k->fetch_cpl == c->cpl && k->fetch_gen == mmu_generation_fast(c->mmu), 1)) {
		uint32_t pa = k->fetch_phys | (lin & (PAGE_SIZE - 1));
		const struct dentry *e = &k->dcache[pa & (DCACHE_SIZE - 1)];
		if (e->tag == pa && e->mode == k->fetch_mode) {
			uint32_t last = eip + e->i.len - 1u;
			if (__builtin_expect(last <= cs->limit && last >= eip, 1))
				return &e->i;
		}
	}
	return fetch_slow(c);
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

/* ---- stack helpers (stack.c) */
/* The stack address size is SS's B bit (inline: every PUSH and POP asks). */
static inline int stack32(const struct cpu *c) { return (c->s.seg[S_SS].flags & SEGF_DB) != 0; }
void push(struct cpu *c, uint32_t val, int size);
uint32_t pop(struct cpu *c, int size);
/* Read the stack at SP + delta without moving SP. */
uint32_t stack_peek(struct cpu *c, uint32_t delta, int size);
void sp_add(struct cpu *c, uint32_t delta);

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

/* All instruction handlers, declared from the list in handlers.h. */
#define H(name) void op_##name(struct cpu *c, const struct insn *i);
#include "handlers.h"
#undef H

#endif
