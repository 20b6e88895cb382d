/* stack.c - PUSH/POP in all forms, PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE.
 *
 * The stack address size is SS's B bit. Every instruction writes or reads
 * all its stack slots before it changes ESP, so a fault leaves ESP as it
 * was and the instruction restarts cleanly.
 */
#include "core.h"

/* The general cases of core.h's inline push() and stack_peek(). */
void push_slow(struct cpu *c, uint32_t val, int size)
{
	mem_write(c, S_SS, stack_off(c, (uint32_t)-size), size, val);
	sp_add(c, (uint32_t)-size);
}

uint32_t stack_peek_slow(struct cpu *c, uint32_t delta, int size)
{
	return mem_read(c, S_SS, stack_off(c, delta), size);
}

/* PUSH r / POP r with the size as a constant, so the inline stack helpers
 * (core.h) compile to one access without a size dispatch. */
void op_push_r(struct cpu *c, const struct insn *i)
{
	if (i->osz == 4)
		push(c, c->s.gpr[i->reg], 4);
	else
		push(c, c->s.gpr[i->reg] & 0xFFFF, 2);
}

void op_pop_r(struct cpu *c, const struct insn *i)
{
	if (i->osz == 4) {
		uint32_t v = pop(c, 4);
		c->s.gpr[i->reg] = v;     /* after the pop: POP ESP loads the value read */
	} else {
		uint32_t v = pop(c, 2);
		reg_write(c, i->reg, 2, v);
	}
}

/* PUSH r32 / POP r32 (50+r / 58+r with a 32-bit operand size), chosen by
 * decode_insn: the hit path of push()/pop() with nothing to save around
 * it. Any other case goes to the general handler above, which starts the
 * instruction again from the same state (nothing is written before the
 * fallback) and takes push_slow()/stack_peek_slow() with all the checks. */
void op_push_r32(struct cpu *c, const struct insn *i)
{
	uint32_t off = c->s.gpr[R_ESP] - 4, lin;
	struct mmu_fast_entry *e;

	if (__builtin_expect(stack_fast(c, off, 4, &lin) && (e = fast_entry(c, lin, 4, 1)) != NULL, 1)) {
		e->hits++;
		store_host((uint8_t *)((uintptr_t)lin + e->addend), 4, c->s.gpr[i->reg]);
		c->s.gpr[R_ESP] = off;
		return;
	}
	op_push_r(c, i);
}

void op_pop_r32(struct cpu *c, const struct insn *i)
{
	uint32_t off = c->s.gpr[R_ESP], lin;
	struct mmu_fast_entry *e;

	if (__builtin_expect(stack_fast(c, off, 4, &lin) && (e = fast_entry(c, lin, 4, 0)) != NULL, 1)) {
		e->hits++;
		c->s.gpr[R_ESP] = off + 4;
		/* after ESP moves: POP ESP loads the value read */
		c->s.gpr[i->reg] = load_host((const uint8_t *)((uintptr_t)lin + e->addend), 4);
		return;
	}
	op_pop_r(c, i);
}

static int sreg_of(const struct insn *i)
{
	switch (i->op) {
	case 0x06: case 0x07: return S_ES;
	case 0x0E: return S_CS;
	case 0x16: case 0x17: return S_SS;
	case 0x1E: case 0x1F: return S_DS;
	case 0xA0: case 0xA1: return S_FS;
	default: return S_GS;
	}
}

/* PUSH m32 (FF /6 with a 32-bit operand and address size), one per
 * address form (EAF_*, chosen by decode_insn). The source and the stack
 * slot are both checked before either is touched: plain source segment
 * and read-table hit, plain stack and write-table hit; then the read and
 * the write count one TLB hit each, as rm_read() and push() do. Anything
 * else goes to op_push_rm, which starts over from the unchanged state. */
static inline __attribute__((always_inline)) void push_m32(struct cpu *c, const struct insn *i, int form)
{
	uint32_t lin, slin, off = c->s.gpr[R_ESP] - 4;
	struct mmu_fast_entry *e, *se;
	if (__builtin_expect(seg_plain(c, i, ea32(c, i, form), 4, 0, &lin) &&
			     (e = fast_entry(c, lin, 4, 0)) != NULL &&
			     stack_fast(c, off, 4, &slin) &&
			     (se = fast_entry(c, slin, 4, 1)) != NULL, 1)) {
		e->hits++;
		uint32_t v = load_host((const uint8_t *)((uintptr_t)lin + e->addend), 4);
		se->hits++;
		store_host((uint8_t *)((uintptr_t)slin + se->addend), 4, v);
		c->s.gpr[R_ESP] = off;
		return;
	}
	op_push_rm(c, i);
}
static void op_push_m32_b(struct cpu *c, const struct insn *i) { push_m32(c, i, EAF_B); }
static void op_push_m32_bis(struct cpu *c, const struct insn *i) { push_m32(c, i, EAF_BIS); }
static void op_push_m32_is(struct cpu *c, const struct insn *i) { push_m32(c, i, EAF_IS); }
static void op_push_m32_d(struct cpu *c, const struct insn *i) { push_m32(c, i, EAF_D); }
const insn_fn push_m32_ea[EAF_COUNT] = { op_push_m32_b, op_push_m32_bis, op_push_m32_is, op_push_m32_d };

/* PUSH Sreg: the selector zero-extended to the operand size (QEMU). */
void op_push_sreg(struct cpu *c, const struct insn *i)
{
	push(c, c->s.seg[sreg_of(i)].sel, i->osz);
}

void op_pop_sreg(struct cpu *c, const struct insn *i)
{
	int s = sreg_of(i);
	uint16_t sel = (uint16_t)stack_peek(c, 0, i->osz);
	seg_load(c, s, sel);
	sp_add(c, i->osz);
	if (s == S_SS) {
		c->inhibit_irq = 1;
		core_attn(c);
		core_of(c)->no_db_trap = 1;
	}
}

void op_push_imm(struct cpu *c, const struct insn *i) { push(c, i->imm & size_mask(i->osz), i->osz); }

/* POP Ev: an ESP-based destination address is computed after ESP moved. */
void op_pop_rm(struct cpu *c, const struct insn *i)
{
	uint32_t v = stack_peek(c, 0, i->osz);
	if (i->mod == 3) {
		sp_add(c, i->osz);
		reg_write(c, i->rm, i->osz, v);
		return;
	}
	uint32_t old = c->s.gpr[R_ESP];
	sp_add(c, i->osz);
	uint32_t ea = insn_ea(c, i);
	c->s.gpr[R_ESP] = old;
	mem_write(c, i->seg, ea, i->osz, v);
	sp_add(c, i->osz);
}

void op_push_rm(struct cpu *c, const struct insn *i) { push(c, rm_read(c, i, i->osz), i->osz); }

/* PUSHA's eight stores at their linear addresses, in the instruction's
 * order (EAX at the highest address first), through the MMU as mem_write()
 * does after its segment check; n is a constant 2 or 4 at each call. */
static inline __attribute__((always_inline)) void pusha_lin(struct cpu *c, uint32_t top, int n,
							      uint32_t sp)
{
	int user = c->cpl == 3;
	for (int r = 0; r < 8; r++) {
		uint32_t v = r == R_ESP ? sp : c->s.gpr[r];
		if (mmu_write_fast(c->mmu, top - (uint32_t)((r + 1) * n), n, user, v & size_mask(n)))
			cpu_raise_pf(c);
	}
}

void op_pusha(struct cpu *c, const struct insn *i)
{
	int n = i->osz;
	uint32_t sp = c->s.gpr[R_ESP];

	/* One segment check for the whole frame when it takes the plain
	 * path (core.h's stack_plain): the per-slot checks could not fail. */
	if (stack_plain(c, sp - (uint32_t)(8 * n), (uint32_t)(8 * n))) {
		uint32_t top = c->s.seg[S_SS].base + sp;
		struct mmu_fast_entry *e;
		if (n == 4 && (e = fast_entry(c, top - 32, 32, 1)) != NULL) {
			/* The 32 bytes in one page that the write table has: the
			 * eight stores would each hit this entry, changing
			 * nothing but its hit count, so they are counted at
			 * once (fastpath.h). */
			uint8_t *p = (uint8_t *)((uintptr_t)(top - 32) + e->addend);
			e->hits += 8;
			for (int r = 0; r < 8; r++)
				store_host(p + 28 - 4 * r, 4, r == R_ESP ? sp : c->s.gpr[r]);
		} else if (n == 4) {
			pusha_lin(c, top, 4, sp);
		} else {
			pusha_lin(c, top, 2, sp);
		}
		c->s.gpr[R_ESP] = sp - (uint32_t)(8 * n);
		return;
	}
	for (int r = 0; r < 8; r++) {
		uint32_t v = r == R_ESP ? sp : c->s.gpr[r];
		mem_write(c, S_SS, stack_off(c, (uint32_t)(-(r + 1) * n)), n, v & size_mask(n));
	}
	sp_add(c, (uint32_t)(-8 * n));
}

/* POPA's eight loads in the instruction's order (lowest address first),
 * through the MMU as mem_read() does after its segment check. */
static inline __attribute__((always_inline)) void popa_lin(struct cpu *c, uint32_t bottom, int n,
							     uint32_t *v)
{
	int user = c->cpl == 3;
	for (int r = 0; r < 8; r++)
		if (mmu_read_fast(c->mmu, bottom + (uint32_t)(r * n), n, user, &v[7 - r]))
			cpu_raise_pf(c);
}

void op_popa(struct cpu *c, const struct insn *i)
{
	int n = i->osz;
	uint32_t v[8];
	uint32_t sp = c->s.gpr[R_ESP];

	if (stack_plain(c, sp, (uint32_t)(8 * n))) {
		uint32_t bottom = c->s.seg[S_SS].base + sp;
		if (n == 4) {
			struct mmu_fast_entry *e = fast_entry(c, bottom, 32, 0);
			if (e != NULL) {
				/* In one page the read table has: eight hits,
				 * counted at once (as in op_pusha). */
				const uint8_t *p = (const uint8_t *)((uintptr_t)bottom + e->addend);
				e->hits += 8;
				for (int r = 0; r < 8; r++)
					v[7 - r] = load_host(p + 4 * r, 4);
			} else {
				popa_lin(c, bottom, 4, v);
			}
			/* stack_plain() says a 32-bit stack: ESP += 32. */
			c->s.gpr[R_ESP] = sp + 32;
			for (int r = 0; r < 8; r++)
				if (r != R_ESP)
					c->s.gpr[r] = v[r];
			return;
		}
		popa_lin(c, bottom, 2, v);
	} else {
		for (int r = 0; r < 8; r++)
			v[7 - r] = stack_peek(c, (uint32_t)(r * n), n);
	}
	sp_add(c, (uint32_t)(8 * n));
	for (int r = 0; r < 8; r++)
		if (r != R_ESP)
			reg_write(c, r, n, v[r]);
}

static int iopl(const struct cpu *c) { return (int)((c->s.eflags & FL_IOPL) >> 12); }

/* PUSHF: the image has VM and RF clear. In v86 mode with IOPL < 3: the
 * CR4.VME 16-bit form (IF replaced by VIF, IOPL shown as 3) or #GP(0). */
void op_pushf(struct cpu *c, const struct insn *i)
{
	uint32_t f = cpu_get_eflags(c) & ~(FL_VM | FL_RF);
	if (cpu_v86(c) && iopl(c) < 3) {
		if (!(c->s.cr4 & CR4_VME) || i->osz == 4)
			cpu_raise(c, EX_GP, 1, 0);
		f = (f & ~FL_IF) | ((f & FL_VIF) ? FL_IF : 0) | FL_IOPL;
	}
	push(c, f & size_mask(i->osz), i->osz);
}

/* POPF with the privilege rules of the SDM: IOPL changes only at CPL 0, IF
 * only when CPL <= IOPL, VM/VIF/VIP never; RF is cleared. v86 with
 * IOPL < 3 uses CR4.VME (16-bit) or raises #GP(0). */
void op_popf(struct cpu *c, const struct insn *i)
{
	uint32_t v = stack_peek(c, 0, i->osz);
	uint32_t mask = FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_TF | FL_DF | FL_OF | FL_NT |
			FL_IF | FL_IOPL | FL_AC | FL_ID | FL_RF;
	if (cpu_v86(c)) {
		if (iopl(c) < 3) {
			if (!(c->s.cr4 & CR4_VME) || i->osz == 4)
				cpu_raise(c, EX_GP, 1, 0);
			if ((v & FL_TF) || ((v & FL_IF) && (c->s.eflags & FL_VIP)))
				cpu_raise(c, EX_GP, 1, 0);
			sp_add(c, i->osz);
			mask &= 0xFFFF & ~(FL_IF | FL_IOPL);
			cpu_set_eflags(c, v, mask);
			cpu_set_eflags(c, (v & FL_IF) ? FL_VIF : 0, FL_VIF);
			return;
		}
		mask &= ~FL_IOPL;
	} else if (cpu_pmode(c)) {
		if (c->cpl > 0)
			mask &= ~FL_IOPL;
		if (c->cpl > iopl(c))
			mask &= ~FL_IF;
	}
	if (i->osz == 2)
		mask &= 0xFFFF;
	sp_add(c, i->osz);
	cpu_set_eflags(c, v & ~FL_RF, mask);
}

/* ENTER imm16, imm8: push EBP, copy level-1 frame pointers, push the new
 * frame pointer, allocate imm16 bytes. */
void op_enter(struct cpu *c, const struct insn *i)
{
	int n = i->osz, s32 = stack32(c);
	unsigned level = i->imm2 & 31;
	uint32_t smask = s32 ? 0xFFFFFFFFu : 0xFFFFu;
	uint32_t sp = c->s.gpr[R_ESP], bp = c->s.gpr[R_EBP];

	sp -= (uint32_t)n;
	mem_write(c, S_SS, sp & smask, n, bp & size_mask(n));
	uint32_t frame = sp & smask;
	if (level > 0) {
		for (unsigned l = 1; l < level; l++) {
			bp -= (uint32_t)n;
			uint32_t v = mem_read(c, S_SS, bp & smask, n);
			sp -= (uint32_t)n;
			mem_write(c, S_SS, sp & smask, n, v);
		}
		sp -= (uint32_t)n;
		mem_write(c, S_SS, sp & smask, n, frame);
	}
	sp -= i->imm & 0xFFFF;
	if (n == 2)
		reg_write(c, R_EBP, 2, frame);
	else
		c->s.gpr[R_EBP] = frame;
	if (s32)
		c->s.gpr[R_ESP] = sp;
	else
		reg_write(c, R_ESP, 2, sp);
}

/* LEAVE: ESP = EBP (stack size), then pop EBP. */
void op_leave(struct cpu *c, const struct insn *i)
{
	int s32 = stack32(c);
	uint32_t bp = s32 ? c->s.gpr[R_EBP] : c->s.gpr[R_EBP] & 0xFFFF;
	uint32_t v = mem_read(c, S_SS, bp, i->osz);
	if (s32)
		c->s.gpr[R_ESP] = bp + (uint32_t)i->osz;
	else
		reg_write(c, R_ESP, 2, bp + (uint32_t)i->osz);
	reg_write(c, R_EBP, i->osz, v);
}
