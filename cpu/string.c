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

/* MOVS and STOS with the element size and address size as parameters:
 * inline, so that the forms decode_insn picks for 32-bit addressing
 * (op_movs_a32 and op_stos_a32 below) get constant sizes, and the generic
 * handlers the decoded ones. The helpers above take the address size
 * rather than the insn for the same reason. */
static inline void movs_body(struct cpu *c, const struct insn *i, int size, int asz)
{
	unsigned done = 0;
	if (i->rep && count_reg(c, asz) == 0)
		return;
	do {
		uint32_t v = mem_read(c, i->seg, idx(c, asz, R_ESI), size);
		mem_write(c, S_ES, idx(c, asz, R_EDI), size, v);
		idx_step(c, asz, R_ESI, size);
		idx_step(c, asz, R_EDI, size);
	} while (i->rep && rep_next(c, asz, &done));
}

static inline void stos_body(struct cpu *c, const struct insn *i, int size, int asz)
{
	unsigned done = 0;
	if (i->rep && count_reg(c, asz) == 0)
		return;
	uint32_t v = reg_read(c, R_EAX, size);
	do {
		mem_write(c, S_ES, idx(c, asz, R_EDI), size, v);
		idx_step(c, asz, R_EDI, size);
	} while (i->rep && rep_next(c, asz, &done));
}

void op_movs(struct cpu *c, const struct insn *i) { movs_body(c, i, opsz_w(i), i->asz); }
void op_stos(struct cpu *c, const struct insn *i) { stos_body(c, i, opsz_w(i), i->asz); }

/* A4/A5 and AA/AB with 32-bit addressing (and, for A5/AB, a 32-bit
 * operand size), chosen by decode_insn: the size in i->cnt (1 or 4). */
HANDLER_FLATTEN void op_movs_a32(struct cpu *c, const struct insn *i)
{
	if (i->cnt == 4)
		movs_body(c, i, 4, 4);
	else
		movs_body(c, i, 1, 4);
}

HANDLER_FLATTEN void op_stos_a32(struct cpu *c, const struct insn *i)
{
	if (i->cnt == 4)
		stos_body(c, i, 4, 4);
	else
		stos_body(c, i, 1, 4);
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
