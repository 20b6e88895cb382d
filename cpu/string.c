/* string.c - MOVS CMPS STOS LODS SCAS INS OUTS with REP/REPE/REPNE, in
 * both address sizes.
 *
 * Each iteration does its memory accesses first and then updates ESI/EDI/
 * ECX, so a fault in the middle leaves the registers describing exactly the
 * iterations done, with EIP at the instruction: it restarts where it
 * stopped. A repeated instruction also stops between iterations when an
 * interrupt is deliverable, a stop was requested, after 4096 iterations
 * (so virtual time advances) or after one iteration under TF; EIP then
 * stays at the instruction, which resumes later.
 */
#include <stddef.h>
#include "core.h"

#define REP_CHUNK 4096

static inline uint32_t count_reg(const struct cpu *c, int asz)
{
	return asz == 4 ? c->s.gpr[R_ECX] : c->s.gpr[R_ECX] & 0xFFFF;
}

static inline uint32_t idx(const struct cpu *c, int asz, int r)
{
	return asz == 4 ? c->s.gpr[r] : c->s.gpr[r] & 0xFFFF;
}

static inline void idx_step(struct cpu *c, int asz, int r, int size)
{
	uint32_t d = (c->s.eflags & FL_DF) ? (uint32_t)-size : (uint32_t)size;
	reg_write(c, r, asz, c->s.gpr[r] + d);
}

/* After one iteration of a REP form: decrement the count; returns 1 to
 * continue. When it stops early EIP is put back on the instruction. */
static inline int rep_next_cond(struct cpu *c, int asz, unsigned *done, int cond_stop)
{
	uint32_t n = count_reg(c, asz) - 1;
	reg_write(c, R_ECX, asz, n);
	if ((n & size_mask(asz)) == 0 || cond_stop)
		return 0;
	if (++*done >= REP_CHUNK || c->stop_requested || c->nmi_pending ||
	    (c->intr_line && (c->s.eflags & FL_IF)) || (c->s.eflags & FL_TF)) {
		c->s.eip = c->insn_eip;
		return 0;
	}
	return 1;
}

static inline int rep_next(struct cpu *c, int asz, unsigned *done)
{
	return rep_next_cond(c, asz, done, 0);
}

/* ---- page runs of REP MOVS / REP STOS (32-bit addressing).
 *
 * The kernel clears and copies whole frames with REP STOSD / REP MOVSD.
 * Iteration by iteration each element is a segment check, a fast-table
 * lookup and one TLB hit; when every element of a stretch would take that
 * plain path, the stretch is run at once: the elements that lie wholly in
 * the current page (of the source and of the destination), no more than
 * the count and no more than what is left of the REP_CHUNK, each written
 * (and, for MOVS, read) in order, one element at a time as the guest
 * would, so overlapping MOVS give the same bytes; the hits are counted
 * on the fast entries by the number of elements, as the per-element path
 * counts them. It applies only when
 *  - no stop condition of rep_next_cond() holds. None can start to hold
 *    during the stretch: its accesses are plain RAM through the fast
 *    tables (no device, no MMIO, no smc hook), so nothing raises INTR,
 *    NMI or a stop request, and EFLAGS does not change;
 *  - the segments' cached access bytes are seg_plain()'s (then seg_lin()
 *    checks the limit alone, in every mode), and the whole stretch lies
 *    within the limits without wrapping;
 *  - the first element of each operand hits the fast table of its kind
 *    (the entry then serves the whole page).
 * Anything else runs one iteration the general way (which faults, misses,
 * straddles pages or stops exactly as before) and tries again. ECX, ESI
 * and EDI after a stretch are what its iterations would have left, and the
 * chunk and count ends are decided in rep_next_cond()'s order (the count
 * first). */

/* Whole elements of `size` bytes from lin on that lie in lin's page,
 * upward (DF = 0) or downward (DF = 1). */
static inline uint32_t page_elems(uint32_t lin, int size, int down)
{
	uint32_t o = lin & (PAGE_SIZE - 1);
	return down ? o / (uint32_t)size + 1 : (PAGE_SIZE - o) / (uint32_t)size;
}

/* Is the stretch of n elements from offset off (upward or downward) of
 * segment sreg within the plain case for a read or a write? Then its
 * first element's linear address goes to *lin. */
static inline int run_seg(const struct cpu *c, int sreg, uint32_t off, uint32_t n, int size, int down,
			  int write, uint32_t *lin)
{
	const struct seg_cache *s = &c->s.seg[sreg];
	uint32_t fl = s->flags;
	if (write ? (fl & SEG_AB_MASK_W) != SEG_AB_DATA_RW : (fl & SEG_AB_MASK_R) != SEG_AB_DATA)
		return 0;
	uint64_t span = (uint64_t)(n - 1) * (uint32_t)size;
	if (down ? (uint64_t)off < span || (uint64_t)off + (uint32_t)(size - 1) > s->limit
		 : (uint64_t)off + span + (uint32_t)(size - 1) > s->limit)
		return 0;
	*lin = s->base + off;
	return 1;
}

/* Would rep_next_cond() stop early at the next iteration boundary for a
 * reason other than the count or the chunk? */
static inline int rep_stop_pending(const struct cpu *c)
{
	return c->stop_requested || c->nmi_pending || (c->intr_line && (c->s.eflags & FL_IF)) ||
	       (c->s.eflags & FL_TF);
}

/* How the instruction goes on after a page run (or why there was none). */
enum { RUN_NONE = -1, RUN_MORE = 0, RUN_END = 1 };

/* The end of a stretch of n iterations with ECX already lowered to left:
 * the count first, then the chunk, as rep_next_cond(). */
static inline int run_end(struct cpu *c, uint32_t left, uint32_t n, unsigned *done)
{
	if (left == 0)
		return RUN_END;
	*done += n;
	if (*done >= REP_CHUNK) {
		c->s.eip = c->insn_eip;
		return RUN_END;
	}
	return RUN_MORE;
}

static inline __attribute__((always_inline)) int stos_run(struct cpu *c, int size, uint32_t v,
							   unsigned *done)
{
	if (rep_stop_pending(c))
		return RUN_NONE;
	int down = (c->s.eflags & FL_DF) != 0;
	uint32_t edi = c->s.gpr[R_EDI], ecx = c->s.gpr[R_ECX], lin;
	const struct seg_cache *es = &c->s.seg[S_ES];
	uint32_t n = page_elems(es->base + edi, size, down);
	if (n > ecx)
		n = ecx;
	if (n > REP_CHUNK - *done)
		n = REP_CHUNK - *done;
	if (n == 0 || !run_seg(c, S_ES, edi, n, size, down, 1, &lin))
		return RUN_NONE;
	struct mmu_fast_entry *e = fast_entry(c, lin, size, 1);
	if (e == NULL)
		return RUN_NONE;
	uint8_t *p = (uint8_t *)((uintptr_t)lin + e->addend);
	if (down)
		p -= (size_t)(n - 1) * (uint32_t)size;   /* the lowest element */
	if (size == 1)
		memset(p, (int)(v & 0xFF), n);
	else
		for (uint32_t k = 0; k < n; k++)
			store_host(p + (size_t)k * (uint32_t)size, size, v);
	e->hits += n;
	uint32_t bytes = n * (uint32_t)size;
	c->s.gpr[R_EDI] = down ? edi - bytes : edi + bytes;
	c->s.gpr[R_ECX] = ecx - n;
	return run_end(c, ecx - n, n, done);
}

static inline __attribute__((always_inline)) int movs_run(struct cpu *c, const struct insn *i, int size,
							   unsigned *done)
{
	if (rep_stop_pending(c))
		return RUN_NONE;
	int down = (c->s.eflags & FL_DF) != 0;
	uint32_t esi = c->s.gpr[R_ESI], edi = c->s.gpr[R_EDI], ecx = c->s.gpr[R_ECX], slin, dlin;
	uint32_t n = page_elems(c->s.seg[i->seg].base + esi, size, down);
	uint32_t nd = page_elems(c->s.seg[S_ES].base + edi, size, down);
	if (n > nd)
		n = nd;
	if (n > ecx)
		n = ecx;
	if (n > REP_CHUNK - *done)
		n = REP_CHUNK - *done;
	if (n == 0 || !run_seg(c, i->seg, esi, n, size, down, 0, &slin) ||
	    !run_seg(c, S_ES, edi, n, size, down, 1, &dlin))
		return RUN_NONE;
	struct mmu_fast_entry *er = fast_entry(c, slin, size, 0);
	struct mmu_fast_entry *ew = fast_entry(c, dlin, size, 1);
	if (er == NULL || ew == NULL)
		return RUN_NONE;
	const uint8_t *src = (const uint8_t *)((uintptr_t)slin + er->addend);
	uint8_t *dst = (uint8_t *)((uintptr_t)dlin + ew->addend);
	/* In the guest's order, element by element: with overlapping
	 * operands a later element reads what an earlier one wrote. */
	ptrdiff_t step = down ? -size : size;
	for (uint32_t k = 0; k < n; k++) {
		store_host(dst, size, load_host(src, size));
		src += step;
		dst += step;
	}
	er->hits += n;
	ew->hits += n;
	uint32_t bytes = n * (uint32_t)size;
	c->s.gpr[R_ESI] = down ? esi - bytes : esi + bytes;
	c->s.gpr[R_EDI] = down ? edi - bytes : edi + bytes;
	c->s.gpr[R_ECX] = ecx - n;
	return run_end(c, ecx - n, n, done);
}

/* MOVS and STOS with the element size and address size as parameters:
 * inline, so that the forms decode_insn picks for 32-bit addressing
 * (op_movs_a32 and op_stos_a32 below) get constant sizes, and the generic
 * handlers the decoded ones. The helpers above take the address size
 * rather than the insn for the same reason. `runs`: try page runs (the
 * 32-bit address forms only; the general handlers keep the iteration by
 * iteration path, which the tests compare them with). */
static inline __attribute__((always_inline)) void movs_body(struct cpu *c, const struct insn *i, int size,
							   int asz, int runs)
{
	unsigned done = 0;
	if (i->rep && count_reg(c, asz) == 0)
		return;
	for (;;) {
		if (runs && i->rep) {
			int r = movs_run(c, i, size, &done);
			if (r == RUN_END)
				return;
			if (r == RUN_MORE)
				continue;
		}
		uint32_t v = mem_read(c, i->seg, idx(c, asz, R_ESI), size);
		mem_write(c, S_ES, idx(c, asz, R_EDI), size, v);
		idx_step(c, asz, R_ESI, size);
		idx_step(c, asz, R_EDI, size);
		if (!(i->rep && rep_next(c, asz, &done)))
			return;
	}
}

static inline __attribute__((always_inline)) void stos_body(struct cpu *c, const struct insn *i, int size,
							   int asz, int runs)
{
	unsigned done = 0;
	if (i->rep && count_reg(c, asz) == 0)
		return;
	uint32_t v = reg_read(c, R_EAX, size);
	for (;;) {
		if (runs && i->rep) {
			int r = stos_run(c, size, v, &done);
			if (r == RUN_END)
				return;
			if (r == RUN_MORE)
				continue;
		}
		mem_write(c, S_ES, idx(c, asz, R_EDI), size, v);
		idx_step(c, asz, R_EDI, size);
		if (!(i->rep && rep_next(c, asz, &done)))
			return;
	}
}

void op_movs(struct cpu *c, const struct insn *i) { movs_body(c, i, opsz_w(i), i->asz, 0); }
void op_stos(struct cpu *c, const struct insn *i) { stos_body(c, i, opsz_w(i), i->asz, 0); }

/* A4/A5 and AA/AB with 32-bit addressing (and, for A5/AB, a 32-bit
 * operand size), chosen by decode_insn: the size in i->cnt (1 or 4). */
HANDLER_FLATTEN void op_movs_a32(struct cpu *c, const struct insn *i)
{
	if (i->cnt == 4)
		movs_body(c, i, 4, 4, 1);
	else
		movs_body(c, i, 1, 4, 1);
}

HANDLER_FLATTEN void op_stos_a32(struct cpu *c, const struct insn *i)
{
	if (i->cnt == 4)
		stos_body(c, i, 4, 4, 1);
	else
		stos_body(c, i, 1, 4, 1);
}

void op_lods(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	unsigned done = 0;
	if (i->rep && count_reg(c, i->asz) == 0)
		return;
	do {
		reg_write(c, R_EAX, size, mem_read(c, i->seg, idx(c, i->asz, R_ESI), size));
		idx_step(c, i->asz, R_ESI, size);
	} while (i->rep && rep_next(c, i->asz, &done));
}

/* REPE (F3) continues while ZF = 1, REPNE (F2) while ZF = 0. */
static int rep_cond(struct cpu *c, const struct insn *i, unsigned *done)
{
	int zf = (cpu_get_eflags(c) & FL_ZF) != 0;
	return rep_next_cond(c, i->asz, done, (i->rep == 0xF3) != zf);
}

void op_cmps(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	unsigned done = 0;
	if (i->rep && count_reg(c, i->asz) == 0)
		return;
	do {
		uint32_t a = mem_read(c, i->seg, idx(c, i->asz, R_ESI), size);
		uint32_t b = mem_read(c, S_ES, idx(c, i->asz, R_EDI), size);
		idx_step(c, i->asz, R_ESI, size);
		idx_step(c, i->asz, R_EDI, size);
		lf_set(c, LF_SUB, size, a, b, (a - b) & size_mask(size));
	} while (i->rep && rep_cond(c, i, &done));
}

void op_scas(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	unsigned done = 0;
	if (i->rep && count_reg(c, i->asz) == 0)
		return;
	uint32_t a = reg_read(c, R_EAX, size);
	do {
		uint32_t b = mem_read(c, S_ES, idx(c, i->asz, R_EDI), size);
		idx_step(c, i->asz, R_EDI, size);
		lf_set(c, LF_SUB, size, a, b, (a - b) & size_mask(size));
	} while (i->rep && rep_cond(c, i, &done));
}

void op_ins(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	unsigned done = 0;
	uint16_t port = (uint16_t)c->s.gpr[R_EDX];
	if (i->rep && count_reg(c, i->asz) == 0)
		return;
	cpu_io_check(c, port, size);
	do {
		/* Check the destination before the port read has side effects. */
		seg_check(c, S_ES, idx(c, i->asz, R_EDI), size, 1);
		uint32_t v = bus_in(c->bus, port, size);
		mem_write(c, S_ES, idx(c, i->asz, R_EDI), size, v);
		idx_step(c, i->asz, R_EDI, size);
	} while (i->rep && rep_next(c, i->asz, &done));
}

void op_outs(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	unsigned done = 0;
	uint16_t port = (uint16_t)c->s.gpr[R_EDX];
	if (i->rep && count_reg(c, i->asz) == 0)
		return;
	cpu_io_check(c, port, size);
	do {
		uint32_t v = mem_read(c, i->seg, idx(c, i->asz, R_ESI), size);
		bus_out(c->bus, port, size, v);
		idx_step(c, i->asz, R_ESI, size);
	} while (i->rep && rep_next(c, i->asz, &done));
}

/* IN/OUT: I/O permission first (CPL vs IOPL, the TSS bitmap). */
void op_in_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint16_t port = (uint16_t)(i->imm & 0xFF);
	cpu_io_check(c, port, size);
	reg_write(c, R_EAX, size, bus_in(c->bus, port, size));
}

void op_out_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint16_t port = (uint16_t)(i->imm & 0xFF);
	cpu_io_check(c, port, size);
	bus_out(c->bus, port, size, reg_read(c, R_EAX, size));
}

void op_in_dx(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint16_t port = (uint16_t)c->s.gpr[R_EDX];
	cpu_io_check(c, port, size);
	reg_write(c, R_EAX, size, bus_in(c->bus, port, size));
}

void op_out_dx(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint16_t port = (uint16_t)c->s.gpr[R_EDX];
	cpu_io_check(c, port, size);
	bus_out(c->bus, port, size, reg_read(c, R_EAX, size));
}
