/* block.c - code fetch and the decoded-block cache.
 *
 * Code-fetch lookup model (what the TLB sees): the CPU keeps the
 * translation of the current code page and calls
 * mmu_translate(MMU_FETCH) again only when EIP enters another linear page,
 * when mmu_generation() has changed, or when the CPL changed. An
 * instruction that straddles a page boundary translates the second page
 * too, on every execution. Running decoded blocks does not change this:
 * a block never crosses a page, and the MMU's generation notify (which
 * sets the run loop's attention word) ends a block at once, so the next
 * instruction re-translates exactly where the instruction-by-instruction
 * loop did.
 *
 * A block is a run of up to BLOCK_MAX_INSNS instructions decoded in one
 * go from one physical page, starting at a physical address and decoded
 * for one code size (16/32). It ends before an instruction that straddles
 * into the next page, at the end of the page, and after any instruction
 * that transfers control, changes CS, the mode, the paging state or
 * EFLAGS.IF/TF, or does I/O (block_end_kind()). The run loop executes a block
 * straight through and stops early when EIP does not follow on or when the
 * attention word is set; so the block boundary rules only decide how much
 * is decoded ahead, never what executes.
 *
 * Blocks and their instructions live in one arena; when it is full,
 * everything is dropped and decoding starts again (blocks are cheap to
 * rebuild). A direct-mapped table finds a block by its physical address.
 *
 * Self-modifying code: each physical page holding blocks has a code_page
 * record with the list of its blocks and a bitmap of the bytes they
 * decoded. Every such frame is marked with bus_mark_code(), so any write to
 * it (CPU, DMA, loader, monitor) calls smc_hook(); a write that touches a
 * decoded byte drops all blocks of that page and sets the attention word,
 * so a store into the very next instruction of the running block is seen
 * when that instruction is reached. Writes to the data bytes of a page
 * that also holds code drop nothing.
 *
 * Instructions that straddle two pages are never in a block (their second
 * half lives in an unrelated frame); the last one decoded is kept with its
 * 15 raw bytes and reused only while both pages still hold the same bytes.
 */
#include <stdlib.h>
#include <string.h>
#include "core.h"

#define ARENA_SIZE (8u << 20)   /* blocks, instructions and code pages */
#define CODE_PAGE_BUCKETS 4096u

struct code_page {
	uint32_t pfn;
	struct code_page *next;     /* hash chain */
	struct block *blocks;       /* blocks decoded from this page */
	uint64_t cover[PAGE_SIZE / 64];   /* bytes those blocks decoded */
};

/* The table's empty slots point here: mode 0 never matches a lookup, so
 * the inline lookup needs no NULL test. */
static const struct block no_block;

static void *arena_alloc(struct core *k, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (k->arena_used + size > ARENA_SIZE)
		return NULL;
	void *p = k->arena + k->arena_used;
	k->arena_used += size;
	return p;
}

static struct code_page **cp_bucket(struct core *k, uint32_t pfn)
{
	return &k->code_pages[(pfn * 0x9E3779B1u) >> 20 & (CODE_PAGE_BUCKETS - 1)];
}

static struct code_page *cp_find(struct core *k, uint32_t pfn)
{
	for (struct code_page *p = *cp_bucket(k, pfn); p; p = p->next)
		if (p->pfn == pfn)
			return p;
	return NULL;
}

static void block_links_clear(struct block *b)
{
	for (int j = 0; j < 2; j++) {
		b->link[j].eip = 0;
		b->link[j].to = b;
		b->link[j].stamp = 0;
	}
}

/* Drop every block and code page: the arena starts over. */
static void arena_reset(struct core *k)
{
	for (uint32_t n = 0; n < BTAB_SIZE; n++)
		k->btab[n] = &no_block;
	memset(k->code_pages, 0, CODE_PAGE_BUCKETS * sizeof *k->code_pages);
	k->arena_used = 0;
	k->block_flushes++;
	/* The straddle pseudo-block outlives the arena: its links must not. */
	block_links_clear(&k->straddle_block);
	/* Block memory is reused from now on: no stamp may vouch for a link. */
	chain_epoch(k);
}

/* Forget every decoded instruction. A block the run loop is executing
 * stays readable until the next build, and the loop stops at the attention
 * word before that. */
void blocks_flush(struct cpu *c)
{
	struct core *k = core_of(c);
	arena_reset(k);
	k->straddle.valid = 0;
	fetch_invalidate(k);
	k->attn = 1;
}

/* Drop the blocks of one code page. */
static void cp_invalidate(struct code_page *cp)
{
	for (struct block *b = cp->blocks; b; b = b->page_next)
		b->mode = 0;
	cp->blocks = NULL;
	memset(cp->cover, 0, sizeof cp->cover);
}

/* The bits of cover word w that lie in the byte range [lo, hi). */
static uint64_t cover_mask(uint32_t w, uint32_t lo, uint32_t hi)
{
	uint64_t m = ~0ull;
	if (w == lo / 64)
		m &= ~0ull << (lo % 64);
	if (w == (hi - 1) / 64 && hi % 64)
		m &= ~0ull >> (64 - hi % 64);
	return m;
}

/* Does [lo, hi) of the page hold a decoded byte? */
static int cover_hit(const struct code_page *cp, uint32_t lo, uint32_t hi)
{
	for (uint32_t w = lo / 64; w <= (hi - 1) / 64; w++)
		if (cp->cover[w] & cover_mask(w, lo, hi))
			return 1;
	return 0;
}

static void cover_set(struct code_page *cp, uint32_t lo, uint32_t hi)
{
	for (uint32_t w = lo / 64; w <= (hi - 1) / 64; w++)
		cp->cover[w] |= cover_mask(w, lo, hi);
}

static void smc_hook(void *opaque, uint32_t paddr, uint32_t len)
{
	struct cpu *c = opaque;
	struct core *k = core_of(c);
	uint64_t end = (uint64_t)paddr + len;
	for (uint64_t a = paddr; a < end;) {
		uint64_t page_end = (a | (PAGE_SIZE - 1)) + 1;
		uint64_t hi = end < page_end ? end : page_end;
		struct code_page *cp = cp_find(k, (uint32_t)(a >> PAGE_SHIFT));
		if (cp && cp->blocks &&
		    cover_hit(cp, (uint32_t)(a & (PAGE_SIZE - 1)), (uint32_t)(hi - (a & ~(uint64_t)(PAGE_SIZE - 1))))) {
			cp_invalidate(cp);
			k->attn = 1;   /* the running block may be one of them */
			chain_epoch(k);   /* links to them were checked under the old stamps */
			/* Nothing decoded is left in the frame: writes to it need
			 * not come here (and may use the MMU's fast path) until a
			 * block is decoded from it again. */
			bus_unmark_code(c->bus, cp->pfn);
		}
		a = hi;
	}
}

static void release(struct core *k)
{
	free(k->btab);
	free(k->code_pages);
	free(k->arena);
	k->btab = NULL;
	k->code_pages = NULL;
	k->arena = NULL;
}

int blocks_init(struct cpu *c)
{
	struct core *k = core_of(c);
	k->btab = malloc(BTAB_SIZE * sizeof *k->btab);
	k->code_pages = calloc(CODE_PAGE_BUCKETS, sizeof *k->code_pages);
	k->arena = malloc(ARENA_SIZE);   /* touched as it fills */
	if (!k->btab || !k->code_pages || !k->arena) {
		release(k);
		return -1;
	}
	blocks_flush(c);
	k->block_flushes = 0;
	bus_set_smc_hook(c->bus, smc_hook, c);
	mmu_set_gen_notify(c->mmu, &k->attn);
	return 0;
}

void blocks_free(struct cpu *c)
{
	struct core *k = core_of(c);
	bus_set_smc_hook(c->bus, NULL, NULL);
	mmu_set_gen_notify(c->mmu, NULL);
	release(k);
}

void cpu_code_changed(struct cpu *c)
{
	/* Blocks are keyed by physical address and code size, so they survive
	 * mode changes; the code page translation is dropped, and the running
	 * block stops (its next instruction was decoded for the old mode). */
	struct core *k = core_of(c);
	fetch_invalidate(k);
	k->attn = 1;
	if (c->cpl == 3 && !k->user_entered) {
		k->user_entered = 1;
		if (k->user_entry_fn)
			k->user_entry_fn(k->user_entry_opaque, cpu_retired(c));
	}
}

void cpu_set_user_entry_hook(struct cpu *c, void (*fn)(void *opaque, uint64_t insns),
			     void *opaque)
{
	struct core *k = core_of(c);
	k->user_entry_fn = fn;
	k->user_entry_opaque = opaque;
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

static int is_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
		return 1;
	default:
		return 0;
	}
}

/* Should decoding stop after this instruction, and how (enum block_end)?
 * It stops after every instruction that can set EIP other than to the
 * next instruction: control transfers (near and far, Jcc, LOOP/JCXZ,
 * INT/IRET, task switches) and REP string instructions (which may stop
 * early on themselves). The run loop relies on this: inside a block it
 * only tests the attention word, never EIP (exceptions leave by longjmp).
 * Also after CS, SS and segment loads, HLT, STI/POPF (IF/TF), I/O, and the
 * system instructions that change the mode, the paging state or the
 * descriptor tables (those set the attention word themselves; stopping
 * keeps the blocks after them fresh). Decoding the bytes behind a JMP or
 * RET would also decode data and mark it as code.
 *
 * END_NEAR: the instruction cannot change CS, the CPL or the code mode
 * without setting the attention word: near jumps, calls and returns, Jcc,
 * LOOP/JCXZ, REP MOVS/CMPS/STOS/LODS/SCAS, INVLPG, MOV to and from control
 * registers (a CR0 write that changes PE, and with it the CPL, or PG or WP
 * calls cpu_code_changed(); a change of the code page's translation moves
 * the MMU generation; both set the word) and IN/OUT (any fault leaves the
 * run loop by longjmp). END_FAR: any other block end; the block is marked
 * far_end (struct block), since the run loop's chain stamp may be stale
 * after it. */
enum block_end { END_NONE, END_NEAR, END_FAR };
static enum block_end block_end_kind(const uint8_t *p, int len)
{
	int j = 0, rep = 0;
	while (j < len && is_prefix(p[j])) {
		rep |= p[j] == 0xF2 || p[j] == 0xF3;
		j++;
	}
	if (j >= len)
		return END_FAR;
	uint8_t op = p[j];
	/* A REP string instruction that stops early (a chunk done, an event
	 * pending) puts EIP back on itself; REP INS/OUTS also do I/O. */
	if (rep && ((op >= 0x6C && op <= 0x6F) || (op >= 0xA4 && op <= 0xA7) ||
		    (op >= 0xAA && op <= 0xAF)))
		return op >= 0x6C && op <= 0x6F ? END_FAR : END_NEAR;
	uint8_t next = j + 1 < len ? p[j + 1] : 0;
	if (op == 0x0F) {
		uint8_t modrm = j + 2 < len ? p[j + 2] : 0;
		if ((next >= 0x80 && next <= 0x8F) ||                 /* Jcc */
		    next == 0x20 || next == 0x22 ||                   /* MOV from/to CRn */
		    (next == 0x01 && (modrm & 0xC0) != 0xC0 &&
		     ((modrm >> 3) & 7) == 7))                        /* INVLPG */
			return END_NEAR;
		return next <= 0x0B || (next >= 0x20 && next <= 0x27) ||
		       (next >= 0x30 && next <= 0x37) ||
		       next == 0xA1 || next == 0xA9 || next == 0xAA || next == 0xB2 ||
		       next == 0xB4 || next == 0xB5 || next == 0xB9 || next == 0xFF ?
		       END_FAR : END_NONE;
	}
	switch (op) {
	case 0xE4: case 0xE5: case 0xE6: case 0xE7:   /* IN/OUT imm8 */
	case 0xEC: case 0xED: case 0xEE: case 0xEF:   /* IN/OUT DX */
	case 0xC2: case 0xC3:                         /* RET near */
	case 0xE0: case 0xE1: case 0xE2: case 0xE3:   /* LOOPcc, JCXZ */
	case 0xE8: case 0xE9: case 0xEB:              /* CALL/JMP rel */
		return END_NEAR;
	case 0x07: case 0x17: case 0x1F:              /* POP ES/SS/DS */
	case 0x62:                                    /* BOUND */
	case 0x6C: case 0x6D: case 0x6E: case 0x6F:   /* INS/OUTS */
	case 0x8E:                                    /* MOV Sreg */
	case 0x9A: case 0x9D:                         /* CALL far, POPF */
	case 0xC4: case 0xC5:                         /* LES, LDS */
	case 0xCA: case 0xCB: case 0xCC: case 0xCD: case 0xCE: case 0xCF:
	case 0xEA:                                    /* JMP far */
	case 0xF1: case 0xF4: case 0xFB:              /* INT1, HLT, STI */
		return END_FAR;
	case 0xFF: {
		int reg = (next >> 3) & 7;
		if (reg == 2 || reg == 4)                 /* CALL/JMP near indirect */
			return END_NEAR;
		return reg == 3 || reg == 5 ? END_FAR : END_NONE;   /* far */
	}
	default:
		return op >= 0x70 && op <= 0x7F ? END_NEAR : END_NONE;   /* Jcc */
	}
}

/* The first instruction at pa straddles into the next linear page: decode
 * it from both pages, as the hardware fetches it, into the straddle slot. */
static const struct block *fetch_straddle(struct cpu *c, uint32_t lin, uint32_t pa, int mode)
{
	struct core *k = core_of(c);
	uint8_t buf[16];
	int n = (int)(PAGE_SIZE - (lin & (PAGE_SIZE - 1)));
	int len;
	read_code(c, pa, buf, n);
	int same_start = k->straddle.valid && k->straddle.pa == pa && k->straddle.mode == mode &&
			 memcmp(k->straddle.bytes, buf, (size_t)n) == 0;
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
	k->straddle_block.i = &k->straddle.i;
	k->straddle_block.n = 1;
	k->straddle_block.len = (uint16_t)len;
	k->straddle_block.mode = 0;   /* never in the table */
	k->straddle_block.far_end = 1;   /* rare: always the full chain checks */
	k->straddle.i.off = 0;
	k->straddle_block.last_off = 0;
	block_entry(&k->straddle_block);
	return &k->straddle_block;
}

/* Decode a block at pa for `mode` and enter it in the table.
 * Returns NULL when the first instruction straddles the page end. */
static const struct block *build(struct cpu *c, uint32_t pa, int mode)
{
	struct core *k = core_of(c);
	uint32_t off = pa & (PAGE_SIZE - 1);
	uint32_t left = PAGE_SIZE - off;
	uint8_t buf[BLOCK_MAX_INSNS * 15];
	const uint8_t *p = bus_ram_ptr(c->bus, pa, left);
	uint32_t avail = left;
	int single = 0;
	if (!p) {
		/* ROM (read without side effects), or MMIO: one instruction,
		 * read the way the fetch unit reads it. */
		avail = left < sizeof buf ? left : (uint32_t)sizeof buf;
		if (bus_peek(c->bus, pa, buf, avail) != avail) {
			avail = left < 15 ? left : 15;
			read_code(c, pa, buf, (int)avail);
			single = 1;
		}
		p = buf;
	}

	/* Room for a code page record, a block and its largest instruction
	 * array, or start the arena over (the fetch translation stays). */
	size_t need = sizeof(struct code_page) + sizeof(struct block) +
		      BLOCK_MAX_INSNS * sizeof(struct insn) + 3 * 16;
	if (k->arena_used + need > ARENA_SIZE)
		arena_reset(k);
	size_t mark = k->arena_used;
	struct code_page *cp = cp_find(k, pa >> PAGE_SHIFT);
	if (!cp) {
		cp = arena_alloc(k, sizeof *cp);
		memset(cp, 0, sizeof *cp);
		cp->pfn = pa >> PAGE_SHIFT;
		struct code_page **bk = cp_bucket(k, cp->pfn);
		cp->next = *bk;
		*bk = cp;
		mark = k->arena_used;
	}
	struct block *b = arena_alloc(k, sizeof *b);
	struct insn *ins = arena_alloc(k, BLOCK_MAX_INSNS * sizeof *ins);

	uint32_t pos = 0;
	int n = 0, far_end = 0;
	while (n < BLOCK_MAX_INSNS && pos < avail) {
		uint32_t room = avail - pos;
		int len = decode_insn(c->model, p + pos, room < 15 ? (int)room : 15, mode == 2, &ins[n]);
		if (len == DEC_MORE) {
			if (n == 0) {
				/* Straddles into the next page (a ROM/MMIO read
				 * always covers 15 bytes or the rest of the page). */
				k->arena_used = mark;
				return NULL;
			}
			break;
		}
		if (len == DEC_TOOLONG) {
			if (n == 0) {
				k->arena_used = mark;
				cpu_raise(c, EX_GP, 1, 0);
			}
			break;
		}
		ins[n].off = (uint16_t)pos;
		n++;
		enum block_end end = ins[n - 1].ud ? END_FAR : block_end_kind(p + pos, len);
		far_end = end == END_FAR;
		pos += (uint32_t)len;
		if (end != END_NONE || single)
			break;
	}
	b->pa = pa;
	b->mode = (uint8_t)mode;
	b->n = (uint8_t)n;
	b->len = (uint16_t)pos;
	b->i = ins;
	b->far_end = (uint8_t)far_end;
	b->last_off = ins[n - 1].off;
	block_entry(b);
	block_links_clear(b);
	/* Give back the unused instruction slots. */
	k->arena_used -= (size_t)((BLOCK_MAX_INSNS - n) * sizeof *ins) & ~(size_t)15;
	b->page_next = cp->blocks;
	cp->blocks = b;
	cover_set(cp, off, off + pos);
	if (!bus_is_code(c->bus, pa >> PAGE_SHIFT))
		bus_mark_code(c->bus, pa >> PAGE_SHIFT);
	k->btab[btab_index(pa)] = b;
	return b;
}

/* The block at CS:EIP (from the table when possible; decoded otherwise), or
 * a one-instruction pseudo-block for an instruction that straddles two
 * pages. Raises #GP(0) when EIP is past the CS limit or an instruction is
 * longer than 15 bytes, #PF for the code page(s). The caller checks the CS
 * limit against the instructions it runs. */
const struct block *block_fetch_slow(struct cpu *c)
{
	struct core *k = core_of(c);
	const struct seg_cache *cs = &c->s.seg[S_CS];
	uint32_t eip = c->s.eip;
	uint32_t lin = cs->base + eip;

	if (eip > cs->limit)
		cpu_raise(c, EX_GP, 1, 0);
	if ((lin >> PAGE_SHIFT) != k->fetch_lin_page ||
	    k->fetch_gen != mmu_generation_fast(c->mmu) || k->fetch_cpl != c->cpl)
		fetch_translate(c, lin);
	k->fetch_mode = code_mode(c);   /* for block_fetch's shortcut */
	uint32_t pa = k->fetch_phys | (lin & (PAGE_SIZE - 1));
	int mode = k->fetch_mode;
	const struct block *b = k->btab[btab_index(pa)];
	if (b->pa == pa && b->mode == mode)
		return b;
	b = build(c, pa, mode);
	return b ? b : fetch_straddle(c, lin, pa, mode);
}
