/* alu.c - integer arithmetic and logic: ADD..CMP, INC/DEC, TEST, NOT/NEG,
 * MUL/IMUL/DIV/IDIV, XADD, CMPXCHG, CMPXCHG8B (Intel SDM vol. 2).
 *
 * Undefined flags follow QEMU (the conformance reference): logic ops clear
 * AF; MUL/IMUL set SF/ZF/PF from the low half of the result and clear AF;
 * DIV/IDIV leave all flags unchanged.
 */
#include "core.h"

/* One of the eight ALU operations (ModRM.reg / opcode bits 5:3 order:
 * ADD OR ADC SBB AND SUB XOR CMP) on a and b: returns the result masked to
 * `size` and the lazy-flag kind in *kind, without recording it (a memory
 * destination records only once its write succeeded). Inline: with a
 * constant op and size (the specialised handlers below) it folds to the
 * operation itself. */
static inline uint32_t alu_calc(struct cpu *c, int op, uint32_t a, uint32_t b, int size, int *kind)
{
	uint32_t m = size_mask(size);
	switch (op) {
	case 0: *kind = LF_ADD; return (a + b) & m;
	case 1: *kind = LF_LOGIC; return a | b;
	case 2: *kind = LF_ADD; return (a + b + (uint32_t)get_cf(c)) & m;
	case 3: *kind = LF_SUB; return (a - b - (uint32_t)get_cf(c)) & m;
	case 4: *kind = LF_LOGIC; return a & b;
	case 6: *kind = LF_LOGIC; return a ^ b;
	default: *kind = LF_SUB; return (a - b) & m;
	}
}

/* Record the lazy flags of alu_calc()'s result: a logic op keeps the
 * result alone (its flags need nothing else). */
static inline void alu_record(struct cpu *c, int kind, int size, uint32_t a, uint32_t b, uint32_t r)
{
	if (kind == LF_LOGIC)
		lf_set_logic(c, size, r);
	else
		lf_set(c, kind, size, a, b, r);
}

static uint32_t alu(struct cpu *c, int op, uint32_t a, uint32_t b, int size)
{
	int kind;
	uint32_t r = alu_calc(c, op, a, b, size, &kind);
	alu_record(c, kind, size, a, b, r);
	return r;
}

/* Memory destination: the flags change only once the write succeeded, so
 * a faulting write leaves EFLAGS as it was for the restart. CMP only
 * reads (a read-only operand does not fault). */
static inline void alu_mem(struct cpu *c, const struct insn *i, int op, uint32_t b, int size)
{
	uint32_t ea = insn_ea(c, i);
	if (op == 7) {
		alu(c, op, mem_read(c, i->seg, ea, size), b, size);
		return;
	}
	int kind;
	uint32_t lin = seg_lin(c, i->seg, ea, size, 1);
	int user = c->cpl == 3;
	struct mmu_fast_entry *e = mmu_fast_lookup(c->mmu, 1, user, lin, size);
	if (__builtin_expect(e != NULL, 1)) {
		/* One translation for the read and the write: the TLB would
		 * be looked up (and hit) once for each, so two hits. Nothing
		 * between the two accesses can drop the entry. */
		uint8_t *p = (uint8_t *)((uintptr_t)lin + e->addend);
		e->hits += 2;
		uint32_t a = load_host(p, size);
		uint32_t r = alu_calc(c, op, a, b, size, &kind);
		store_host(p, size, r);
		alu_record(c, kind, size, a, b, r);
		return;
	}
	uint32_t a = mem_read_rmw_miss(c, lin, size, user);
	uint32_t r = alu_calc(c, op, a, b, size, &kind);
	mem_write(c, i->seg, ea, size, r);
	alu_record(c, kind, size, a, b, r);
}

/* 00-3B: Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev. Bit 1 of the opcode: reg is the
 * destination. */
void op_alu_rm_r(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i), op = (i->op >> 3) & 7;
	uint32_t g = reg_read(c, i->reg, size);
	if (i->op & 2) {
		uint32_t r = alu(c, op, g, rm_read(c, i, size), size);
		if (op != 7)
			reg_write(c, i->reg, size, r);
	} else if (i->mod == 3) {
		uint32_t r = alu(c, op, reg_read(c, i->rm, size), g, size);
		if (op != 7)
			reg_write(c, i->rm, size, r);
	} else {
		alu_mem(c, i, op, g, size);
	}
}

/* The 32-bit forms, one handler per operation and operand kind, chosen by
 * decode_insn (specialise()) with the registers in i->dst / i->src: the
 * generic handlers' semantics with the operation, the size and the
 * operand kinds fixed at compile time.
 *   _rr32    01/03/09/.../3B, mod 3: dst op= src
 *   _r32_imm 81/83 mod 3 and the eAX,Iz forms 05/0D/.../3D: dst op= imm
 *            (imm already sign-extended to 32 bits)
 *   _r32_m   03/0B/.../3B with a memory source: dst op= m32
 *   _m_r32   01/09/.../39 with a memory destination: m32 op= src
 *   _m_imm32 81/83 with a memory destination: m32 op= imm
 * CMP (op 7) writes nothing back. */
#define ALU32_FORMS(name, op)                                                   \
void op_##name##_rr32(struct cpu *c, const struct insn *i)                      \
{                                                                               \
	int kind;                                                               \
	uint32_t a = c->s.gpr[i->dst], b = c->s.gpr[i->src];                    \
	uint32_t r = alu_calc(c, op, a, b, 4, &kind);                           \
	alu_record(c, kind, 4, a, b, r);                                        \
	if (op != 7)                                                            \
		c->s.gpr[i->dst] = r;                                           \
}                                                                               \
void op_##name##_r32_imm(struct cpu *c, const struct insn *i)                   \
{                                                                               \
	int kind;                                                               \
	uint32_t a = c->s.gpr[i->dst], b = i->imm;                              \
	uint32_t r = alu_calc(c, op, a, b, 4, &kind);                           \
	alu_record(c, kind, 4, a, b, r);                                        \
	if (op != 7)                                                            \
		c->s.gpr[i->dst] = r;                                           \
}                                                                               \
HANDLER_FLATTEN void op_##name##_r32_m(struct cpu *c, const struct insn *i) \
{                                                                               \
	int kind;                                                               \
	uint32_t b = mem_read(c, i->seg, insn_ea(c, i), 4), a = c->s.gpr[i->dst]; \
	uint32_t r = alu_calc(c, op, a, b, 4, &kind);                           \
	alu_record(c, kind, 4, a, b, r);                                        \
	if (op != 7)                                                            \
		c->s.gpr[i->dst] = r;                                           \
}                                                                               \
HANDLER_FLATTEN void op_##name##_m_r32(struct cpu *c, const struct insn *i) \
{                                                                               \
	alu_mem(c, i, op, c->s.gpr[i->src], 4);                                 \
}                                                                               \
HANDLER_FLATTEN void op_##name##_m_imm32(struct cpu *c, const struct insn *i) \
{                                                                               \
	alu_mem(c, i, op, i->imm, 4);                                           \
}

ALU32_FORMS(add, 0)
ALU32_FORMS(or, 1)
ALU32_FORMS(adc, 2)
ALU32_FORMS(sbb, 3)
ALU32_FORMS(and, 4)
ALU32_FORMS(sub, 5)
ALU32_FORMS(xor, 6)
ALU32_FORMS(cmp, 7)

/* The memory forms once more, one per address form of a 32-bit address
 * size (EAF_*, chosen by decode_insn), with the offset computed for that
 * form and the plain cases inline (core.h's READ_FORM_HANDLER, rmw_plain);
 * anything else is handed to the handler above, which starts over with
 * every check (nothing has changed yet). A memory destination reads and
 * writes through one translation of the write table, counted as two TLB
 * hits, as alu_mem() does; CMP only reads.
 * ADD..XOR m32, r32 and m32, imm: */
#define ALU32_MEM_DST(name, op, fs, form, kindname, bexpr)                      \
static void op_##name##_##kindname##_##fs(struct cpu *c, const struct insn *i)  \
{                                                                               \
	int kind;                                                               \
	uint8_t *p;                                                             \
	if (__builtin_expect(!rmw_plain(c, i, ea32(c, i, form), 4, &p), 0)) { \
		op_##name##_##kindname(c, i);                                   \
		return;                                                         \
	}                                                                       \
	uint32_t a = load_host(p, 4), b = (bexpr);                              \
	uint32_t r = alu_calc(c, op, a, b, 4, &kind);                           \
	store_host(p, 4, r);                                                    \
	alu_record(c, kind, 4, a, b, r);                                        \
}
/* r32, m32 (all eight) */
#define ALU32_R_M(name, op, fs, form)                                           \
READ_FORM_HANDLER(op_##name##_r32_m_##fs, form, 4, op_##name##_r32_m,           \
	int kind;                                                               \
	uint32_t a = c->s.gpr[i->dst];                                          \
	uint32_t r = alu_calc(c, op, a, v, 4, &kind);                           \
	alu_record(c, kind, 4, a, v, r);                                        \
	if (op != 7)                                                            \
		c->s.gpr[i->dst] = r;)
#define ALU32_EA_FORMS(name, op, fs, form)                                      \
ALU32_MEM_DST(name, op, fs, form, m_r32, c->s.gpr[i->src])                      \
ALU32_MEM_DST(name, op, fs, form, m_imm32, i->imm)                              \
ALU32_R_M(name, op, fs, form)
/* CMP m32, r32 and m32, imm: reads only */
#define CMP32_EA_FORMS(fs, form)                                                \
READ_FORM_HANDLER(op_cmp_m_r32_##fs, form, 4, op_cmp_m_r32,                     \
	lf_set(c, LF_SUB, 4, v, c->s.gpr[i->src], v - c->s.gpr[i->src]);)       \
READ_FORM_HANDLER(op_cmp_m_imm32_##fs, form, 4, op_cmp_m_imm32,                 \
	lf_set(c, LF_SUB, 4, v, i->imm, v - i->imm);)                           \
ALU32_R_M(cmp, 7, fs, form)

#define ALU32_ALL_EA_FORMS(name, op)                                            \
	ALU32_EA_FORMS(name, op, b, EAF_B) ALU32_EA_FORMS(name, op, bis, EAF_BIS) \
	ALU32_EA_FORMS(name, op, is, EAF_IS) ALU32_EA_FORMS(name, op, d, EAF_D)
ALU32_ALL_EA_FORMS(add, 0)
ALU32_ALL_EA_FORMS(or, 1)
ALU32_ALL_EA_FORMS(adc, 2)
ALU32_ALL_EA_FORMS(sbb, 3)
ALU32_ALL_EA_FORMS(and, 4)
ALU32_ALL_EA_FORMS(sub, 5)
ALU32_ALL_EA_FORMS(xor, 6)
CMP32_EA_FORMS(b, EAF_B)
CMP32_EA_FORMS(bis, EAF_BIS)
CMP32_EA_FORMS(is, EAF_IS)
CMP32_EA_FORMS(d, EAF_D)

#define EA_ROW(name, kind) { op_##name##_##kind##_b, op_##name##_##kind##_bis, \
			     op_##name##_##kind##_is, op_##name##_##kind##_d }
#define ALU32_EA_TABLE(kind) { EA_ROW(add, kind), EA_ROW(or, kind), EA_ROW(adc, kind), \
			       EA_ROW(sbb, kind), EA_ROW(and, kind), EA_ROW(sub, kind), \
			       EA_ROW(xor, kind), EA_ROW(cmp, kind) }
const insn_fn alu_m_r32_ea[8][EAF_COUNT] = ALU32_EA_TABLE(m_r32);
const insn_fn alu_m_imm32_ea[8][EAF_COUNT] = ALU32_EA_TABLE(m_imm32);
const insn_fn alu_r32_m_ea[8][EAF_COUNT] = ALU32_EA_TABLE(r32_m);

/* Byte forms with a memory operand (chosen by decode_insn): the size and
 * the operand kinds fixed, the operation still read from the opcode or
 * ModRM.reg at run time (one switch), the memory access inline.
 *   _m8_imm  80/82 with a memory destination: m8 op= imm8
 *   _m8_r8   00/08/.../38 with a memory destination: m8 op= r8
 *   _r8_m8   02/0A/.../3A with a memory source: r8 op= m8 */
HANDLER_FLATTEN void op_alu_m8_imm(struct cpu *c, const struct insn *i)
{
	alu_mem(c, i, i->reg, i->imm & 0xFF, 1);
}

HANDLER_FLATTEN void op_alu_m8_r8(struct cpu *c, const struct insn *i)
{
	alu_mem(c, i, (i->op >> 3) & 7, reg_read(c, i->reg, 1), 1);
}

HANDLER_FLATTEN void op_alu_r8_m8(struct cpu *c, const struct insn *i)
{
	int op = (i->op >> 3) & 7;
	uint32_t r = alu(c, op, reg_read(c, i->reg, 1), mem_read(c, i->seg, insn_ea(c, i), 1), 1);
	if (op != 7)
		reg_write(c, i->reg, 1, r);
}

void op_alu_a_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i), op = (i->op >> 3) & 7;
	uint32_t r = alu(c, op, reg_read(c, R_EAX, size), i->imm & size_mask(size), size);
	if (op != 7)
		reg_write(c, R_EAX, size, r);
}

/* Group 1 (80-83): Eb,Ib / Ev,Iz / Eb,Ib / Ev,Ib sign-extended. */
void op_alu_rm_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i), op = i->reg;
	uint32_t b = i->imm & size_mask(size);
	if (i->mod == 3) {
		uint32_t r = alu(c, op, reg_read(c, i->rm, size), b, size);
		if (op != 7)
			reg_write(c, i->rm, size, r);
		return;
	}
	alu_mem(c, i, op, b, size);
}

/* INC/DEC keep CF: the current CF goes into the new lazy record (lf_b;
 * get_cf() returns 0 or 1, which is FL_CF). */
_Static_assert(FL_CF == 1, "get_cf() doubles as the CF bit");
static inline void incdec_record(struct cpu *c, uint32_t a, uint32_t r, int size, int dec)
{
	lf_set(c, dec ? LF_DEC : LF_INC, size, a, (uint32_t)get_cf(c), r);
}

static uint32_t incdec(struct cpu *c, uint32_t a, int size, int dec)
{
	uint32_t r = (dec ? a - 1 : a + 1) & size_mask(size);
	incdec_record(c, a, r, size, dec);
	return r;
}

void op_inc_r(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->osz, incdec(c, reg_read(c, i->reg, i->osz), i->osz, 0));
}

void op_dec_r(struct cpu *c, const struct insn *i)
{
	reg_write(c, i->reg, i->osz, incdec(c, reg_read(c, i->reg, i->osz), i->osz, 1));
}

/* INC/DEC of a 32-bit register, 40-4F or FF /0 /1 with mod 3 (chosen by
 * decode_insn; the register in i->dst). The CF they keep after a recorded
 * shift takes variable shifts (lf_shift_cf) that need registers saved and
 * restored around the whole handler, so that case is a function of its
 * own, tail-called; the common kinds then compile to a few moves. */
static __attribute__((noinline)) void incdec_r32_shift_cf(struct cpu *c, const struct insn *i, int dec)
{
	uint32_t a = c->s.gpr[i->dst], r = dec ? a - 1 : a + 1;
	incdec_record(c, a, r, 4, dec);
	c->s.gpr[i->dst] = r;
}

void op_inc_r32(struct cpu *c, const struct insn *i)
{
	if (__builtin_expect(lf_is_shift(c), 0)) {
		incdec_r32_shift_cf(c, i, 0);
		return;
	}
	uint32_t a = c->s.gpr[i->dst];
	lf_set(c, LF_INC, 4, a, cf_not_shift(c), a + 1);
	c->s.gpr[i->dst] = a + 1;
}

void op_dec_r32(struct cpu *c, const struct insn *i)
{
	if (__builtin_expect(lf_is_shift(c), 0)) {
		incdec_r32_shift_cf(c, i, 1);
		return;
	}
	uint32_t a = c->s.gpr[i->dst];
	lf_set(c, LF_DEC, 4, a, cf_not_shift(c), a - 1);
	c->s.gpr[i->dst] = a - 1;
}

static void incdec_rm(struct cpu *c, const struct insn *i, int dec)
{
	int size = opsz_w(i);
	if (i->mod == 3) {
		reg_write(c, i->rm, size, incdec(c, reg_read(c, i->rm, size), size, dec));
		return;
	}
	uint32_t ea = insn_ea(c, i);
	uint32_t a = mem_read_rmw(c, i->seg, ea, size);
	uint32_t r = (dec ? a - 1 : a + 1) & size_mask(size);
	mem_write(c, i->seg, ea, size, r);
	incdec_record(c, a, r, size, dec);
}

void op_inc_rm(struct cpu *c, const struct insn *i) { incdec_rm(c, i, 0); }
void op_dec_rm(struct cpu *c, const struct insn *i) { incdec_rm(c, i, 1); }

/* INC/DEC m32 (FF /0 /1 with a 32-bit operand and address size), one per
 * address form (EAF_*, chosen by decode_insn): one translation of the
 * write table for the read and the write, counted as two TLB hits as
 * incdec_rm()'s mem_read_rmw() and mem_write() count them (rmw_plain). A
 * recorded shift (whose CF takes the long way) is tested before rmw_plain
 * counts anything; it and every non-plain case go to the general handler,
 * which starts over from the unchanged state. */
static inline __attribute__((always_inline)) void incdec_m32(struct cpu *c, const struct insn *i,
							     int form, int dec)
{
	uint8_t *p;
	if (__builtin_expect(lf_is_shift(c) || !rmw_plain(c, i, ea32(c, i, form), 4, &p), 0)) {
		if (dec)
			op_dec_rm(c, i);
		else
			op_inc_rm(c, i);
		return;
	}
	uint32_t a = load_host(p, 4), r = dec ? a - 1 : a + 1;
	store_host(p, 4, r);
	lf_set(c, dec ? LF_DEC : LF_INC, 4, a, cf_not_shift(c), r);
}
#define INCDEC_M32_FORMS(fs, form) \
static void op_inc_m32_##fs(struct cpu *c, const struct insn *i) { incdec_m32(c, i, form, 0); } \
static void op_dec_m32_##fs(struct cpu *c, const struct insn *i) { incdec_m32(c, i, form, 1); }
INCDEC_M32_FORMS(b, EAF_B) INCDEC_M32_FORMS(bis, EAF_BIS)
INCDEC_M32_FORMS(is, EAF_IS) INCDEC_M32_FORMS(d, EAF_D)
const insn_fn incdec_m32_ea[2][EAF_COUNT] = {
	{ op_inc_m32_b, op_inc_m32_bis, op_inc_m32_is, op_inc_m32_d },
	{ op_dec_m32_b, op_dec_m32_bis, op_dec_m32_is, op_dec_m32_d },
};

void op_test_rm_r(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	lf_set_logic(c, size, rm_read(c, i, size) & reg_read(c, i->reg, size));
}

void op_test_a_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	lf_set_logic(c, size, reg_read(c, R_EAX, size) & i->imm & size_mask(size));
}

void op_test_rm_imm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	lf_set_logic(c, size, rm_read(c, i, size) & i->imm & size_mask(size));
}

/* 32-bit TEST forms chosen by decode_insn: 85 with mod 3 (i->dst, i->src),
 * F7 /0 /1 with mod 3 and A9 (i->dst, the immediate). */
void op_test_rr32(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 4, c->s.gpr[i->dst] & c->s.gpr[i->src]);
}

void op_test_r32_imm(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 4, c->s.gpr[i->dst] & i->imm);
}

/* TEST with a memory operand (chosen by decode_insn): F6 /0 /1 (m8, imm8),
 * F7 /0 /1 (m32, imm32), 85 (m32, r32 in i->src). */
HANDLER_FLATTEN void op_test_m8_imm(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 1, mem_read(c, i->seg, insn_ea(c, i), 1) & i->imm & 0xFF);
}

HANDLER_FLATTEN void op_test_m32_imm(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 4, mem_read(c, i->seg, insn_ea(c, i), 4) & i->imm);
}

HANDLER_FLATTEN void op_test_m_r32(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 4, mem_read(c, i->seg, insn_ea(c, i), 4) & c->s.gpr[i->src]);
}

/* The two 32-bit TEST forms with memory by address form (see
 * ALU32_EA_FORMS). */
#define TEST32_EA_FORMS(fs, form)                                               \
READ_FORM_HANDLER(op_test_m32_imm_##fs, form, 4, op_test_m32_imm,               \
	lf_set_logic(c, 4, v & i->imm);)                                        \
READ_FORM_HANDLER(op_test_m_r32_##fs, form, 4, op_test_m_r32,                   \
	lf_set_logic(c, 4, v & c->s.gpr[i->src]);)
TEST32_EA_FORMS(b, EAF_B)
TEST32_EA_FORMS(bis, EAF_BIS)
TEST32_EA_FORMS(is, EAF_IS)
TEST32_EA_FORMS(d, EAF_D)
const insn_fn test_m32_imm_ea[EAF_COUNT] = EA_ROW(test, m32_imm);
const insn_fn test_m_r32_ea[EAF_COUNT] = EA_ROW(test, m_r32);

/* F6 /0 /1 with a byte register (chosen by decode_insn): the register's
 * dword in i->dst, its low byte (AL..BL) or, the _rh form, its second
 * byte (AH..BH), as for MOVZX. */
void op_test_r8_imm(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 1, c->s.gpr[i->dst] & i->imm & 0xFF);
}

void op_test_rh_imm(struct cpu *c, const struct insn *i)
{
	lf_set_logic(c, 1, (c->s.gpr[i->dst] >> 8) & i->imm & 0xFF);
}

void op_not_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	if (i->mod == 3) {
		reg_write(c, i->rm, size, ~reg_read(c, i->rm, size));
		return;
	}
	uint32_t ea = insn_ea(c, i);
	mem_write(c, i->seg, ea, size, ~mem_read_rmw(c, i->seg, ea, size) & size_mask(size));
}

void op_neg_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t a, r, ea = 0;
	if (i->mod == 3) {
		a = reg_read(c, i->rm, size);
		r = (0 - a) & size_mask(size);
		reg_write(c, i->rm, size, r);
	} else {
		ea = insn_ea(c, i);
		a = mem_read_rmw(c, i->seg, ea, size);
		r = (0 - a) & size_mask(size);
		mem_write(c, i->seg, ea, size, r);
	}
	lf_set(c, LF_SUB, size, 0, a, r);
}

/* Flags of MUL/IMUL: CF = OF = `wide`; SF/ZF/PF from the low result. */
static void mul_flags(struct cpu *c, uint32_t low, int size, int wide)
{
	lf_set_res(c, size, low, wide ? FL_CF | FL_OF : 0);
}

void op_mul_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t src = rm_read(c, i, size);
	if (size == 1) {
		uint32_t r = (c->s.gpr[R_EAX] & 0xFF) * src;
		reg_write(c, R_EAX, 2, r);
		mul_flags(c, r & 0xFF, 1, (r >> 8) != 0);
	} else if (size == 2) {
		uint32_t r = (c->s.gpr[R_EAX] & 0xFFFF) * src;
		reg_write(c, R_EAX, 2, r);
		reg_write(c, R_EDX, 2, r >> 16);
		mul_flags(c, r & 0xFFFF, 2, (r >> 16) != 0);
	} else {
		uint64_t r = (uint64_t)c->s.gpr[R_EAX] * src;
		c->s.gpr[R_EAX] = (uint32_t)r;
		c->s.gpr[R_EDX] = (uint32_t)(r >> 32);
		mul_flags(c, (uint32_t)r, 4, (r >> 32) != 0);
	}
}

void op_imul_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	int32_t src = (int32_t)sext(rm_read(c, i, size), size);
	if (size == 1) {
		int32_t r = (int8_t)c->s.gpr[R_EAX] * src;
		reg_write(c, R_EAX, 2, (uint32_t)r);
		mul_flags(c, (uint32_t)r & 0xFF, 1, r != (int8_t)r);
	} else if (size == 2) {
		int32_t r = (int16_t)c->s.gpr[R_EAX] * src;
		reg_write(c, R_EAX, 2, (uint32_t)r);
		reg_write(c, R_EDX, 2, (uint32_t)r >> 16);
		mul_flags(c, (uint32_t)r & 0xFFFF, 2, r != (int16_t)r);
	} else {
		int64_t r = (int64_t)(int32_t)c->s.gpr[R_EAX] * src;
		c->s.gpr[R_EAX] = (uint32_t)r;
		c->s.gpr[R_EDX] = (uint32_t)((uint64_t)r >> 32);
		mul_flags(c, (uint32_t)r, 4, r != (int32_t)r);
	}
}

/* Truncating IMUL of two operands at size 2 or 4. */
static uint32_t imul_trunc(struct cpu *c, uint32_t a, uint32_t b, int size)
{
	int64_t r = (int64_t)(int32_t)sext(a, size) * (int32_t)sext(b, size);
	uint32_t low = (uint32_t)r & size_mask(size);
	int wide = size == 2 ? r != (int16_t)r : r != (int32_t)r;
	mul_flags(c, low, size, wide);
	return low;
}

void op_imul_r_rm(struct cpu *c, const struct insn *i)
{
	uint32_t r = imul_trunc(c, reg_read(c, i->reg, i->osz), rm_read(c, i, i->osz), i->osz);
	reg_write(c, i->reg, i->osz, r);
}

void op_imul_r_rm_imm(struct cpu *c, const struct insn *i)
{
	uint32_t r = imul_trunc(c, rm_read(c, i, i->osz), i->imm, i->osz);
	reg_write(c, i->reg, i->osz, r);
}

/* IMUL r32, r/m32, imm (69/6B) and IMUL r32, r/m32 (0F AF) with a 32-bit
 * operand size (chosen by decode_insn): the signed product's overflow is
 * CF = OF, recorded with the low half as LF_RES (mul_flags()). The
 * register forms take the destination in i->dst and the source in
 * i->src; the memory forms have one handler per address form (see
 * ALU32_EA_FORMS) and the destination in i->reg. */
static inline void imul32_record(struct cpu *c, uint32_t a, uint32_t b, unsigned dst)
{
	int32_t r;
	uint32_t wide = __builtin_mul_overflow((int32_t)a, (int32_t)b, &r);
	struct core *k = core_of(c);
	k->lf_op = LF_RES | LF_D;
	k->lf_b = (0u - wide) & (FL_CF | FL_OF);
	k->lf_res = (uint32_t)r;
	c->s.gpr[dst] = (uint32_t)r;
}

void op_imul_r32_r32_imm(struct cpu *c, const struct insn *i)
{
	imul32_record(c, c->s.gpr[i->src], i->imm, i->dst);
}

void op_imul_r32_r32(struct cpu *c, const struct insn *i)
{
	imul32_record(c, c->s.gpr[i->dst], c->s.gpr[i->src], i->dst);
}

#define IMUL32_EA_FORMS(fs, form)                                               \
READ_FORM_HANDLER(op_imul_r32_m_imm_##fs, form, 4, op_imul_r_rm_imm,            \
	imul32_record(c, v, i->imm, i->reg);)                                   \
READ_FORM_HANDLER(op_imul_r32_m_##fs, form, 4, op_imul_r_rm,                    \
	imul32_record(c, c->s.gpr[i->reg], v, i->reg);)
IMUL32_EA_FORMS(b, EAF_B)
IMUL32_EA_FORMS(bis, EAF_BIS)
IMUL32_EA_FORMS(is, EAF_IS)
IMUL32_EA_FORMS(d, EAF_D)
const insn_fn imul_r32_m_imm_ea[EAF_COUNT] = EA_ROW(imul, r32_m_imm);
const insn_fn imul_r32_m_ea[EAF_COUNT] = EA_ROW(imul, r32_m);

void op_div_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t d = rm_read(c, i, size);
	if (d == 0)
		cpu_raise(c, EX_DE, 0, 0);
	if (size == 1) {
		uint32_t n = c->s.gpr[R_EAX] & 0xFFFF, q = n / d;
		if (q > 0xFF)
			cpu_raise(c, EX_DE, 0, 0);
		reg_write(c, R_EAX, 2, ((n % d) << 8) | q);
	} else if (size == 2) {
		uint32_t n = ((c->s.gpr[R_EDX] & 0xFFFF) << 16) | (c->s.gpr[R_EAX] & 0xFFFF);
		uint32_t q = n / d;
		if (q > 0xFFFF)
			cpu_raise(c, EX_DE, 0, 0);
		reg_write(c, R_EAX, 2, q);
		reg_write(c, R_EDX, 2, n % d);
	} else {
		uint64_t n = ((uint64_t)c->s.gpr[R_EDX] << 32) | c->s.gpr[R_EAX];
		uint64_t q = n / d;
		if (q > 0xFFFFFFFFu)
			cpu_raise(c, EX_DE, 0, 0);
		c->s.gpr[R_EAX] = (uint32_t)q;
		c->s.gpr[R_EDX] = (uint32_t)(n % d);
	}
}

void op_idiv_rm(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	int64_t d = (int32_t)sext(rm_read(c, i, size), size);
	if (d == 0)
		cpu_raise(c, EX_DE, 0, 0);
	int64_t n, q, r;
	if (size == 1)
		n = (int16_t)c->s.gpr[R_EAX];
	else if (size == 2)
		n = (int32_t)(((c->s.gpr[R_EDX] & 0xFFFF) << 16) | (c->s.gpr[R_EAX] & 0xFFFF));
	else
		n = (int64_t)(((uint64_t)c->s.gpr[R_EDX] << 32) | c->s.gpr[R_EAX]);
	if (size == 4 && n == INT64_MIN && d == -1)
		cpu_raise(c, EX_DE, 0, 0);
	q = n / d;
	r = n % d;
	int64_t lim = (int64_t)1 << (size * 8 - 1);
	if (q >= lim || q < -lim)
		cpu_raise(c, EX_DE, 0, 0);
	if (size == 1) {
		reg_write(c, R_EAX, 2, (((uint32_t)r & 0xFF) << 8) | ((uint32_t)q & 0xFF));
	} else {
		reg_write(c, R_EAX, size, (uint32_t)q);
		reg_write(c, R_EDX, size, (uint32_t)r);
	}
}

/* XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP. */
void op_xadd(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t src = reg_read(c, i->reg, size), dst, r;
	if (i->mod == 3) {
		dst = reg_read(c, i->rm, size);
		r = (dst + src) & size_mask(size);
		reg_write(c, i->reg, size, dst);
		reg_write(c, i->rm, size, r);
	} else {
		uint32_t ea = insn_ea(c, i);
		dst = mem_read_rmw(c, i->seg, ea, size);
		r = (dst + src) & size_mask(size);
		mem_write(c, i->seg, ea, size, r);
		reg_write(c, i->reg, size, dst);
	}
	lf_set(c, LF_ADD, size, dst, src, r);
}

/* CMPXCHG: compare accumulator with DEST; equal: DEST = SRC, else
 * accumulator = DEST. The destination is written either way (the
 * processor always does a write cycle). */
void op_cmpxchg(struct cpu *c, const struct insn *i)
{
	int size = opsz_w(i);
	uint32_t acc = reg_read(c, R_EAX, size), src = reg_read(c, i->reg, size), dst;
	if (i->mod == 3) {
		dst = reg_read(c, i->rm, size);
		if (dst == acc)
			reg_write(c, i->rm, size, src);
		else
			reg_write(c, R_EAX, size, dst);
	} else {
		uint32_t ea = insn_ea(c, i);
		dst = mem_read_rmw(c, i->seg, ea, size);
		mem_write(c, i->seg, ea, size, dst == acc ? src : dst);
		if (dst != acc)
			reg_write(c, R_EAX, size, dst);
	}
	lf_set(c, LF_SUB, size, acc, dst, (acc - dst) & size_mask(size));
}

/* CMPXCHG8B m64: EDX:EAX vs m64; equal: m64 = ECX:EBX, ZF = 1; else
 * EDX:EAX = m64, ZF = 0 (m64 rewritten unchanged). */
void op_cmpxchg8b(struct cpu *c, const struct insn *i)
{
	uint32_t ea = insn_ea(c, i);
	uint32_t lo = mem_read_rmw(c, i->seg, ea, 4);
	uint32_t hi = mem_read_rmw(c, i->seg, ea + 4, 4);
	uint32_t f = cpu_get_eflags(c);
	if (lo == c->s.gpr[R_EAX] && hi == c->s.gpr[R_EDX]) {
		mem_write(c, i->seg, ea, 4, c->s.gpr[R_EBX]);
		mem_write(c, i->seg, ea + 4, 4, c->s.gpr[R_ECX]);
		c->s.eflags = f | FL_ZF;
	} else {
		mem_write(c, i->seg, ea, 4, lo);
		mem_write(c, i->seg, ea + 4, 4, hi);
		c->s.gpr[R_EAX] = lo;
		c->s.gpr[R_EDX] = hi;
		c->s.eflags = f & ~FL_ZF;
	}
}
