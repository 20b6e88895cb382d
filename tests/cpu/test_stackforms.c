/* test_stackforms.c - the stack handlers decode.c picks for a 32-bit
 * operand size (PUSH r32, POP r32, CALL rel32, RET) against the general
 * handlers of the same bytes.
 *
 * As test_forms.c: two machines run the same random case side by side, one
 * with decode_generic_only set. A case is one instruction (then HLT) in
 * flat protected mode at CPL 0 or 3 with paging, or real mode with a 66
 * prefix, with a stack pointer near an edge (the last bytes of a page into
 * a not-present, read-only or supervisor page, across two mapped pages,
 * the 4 GiB wrap, a 16-bit stack, a segment limit, an expand-down stack)
 * and a call or return target inside or past the CS limit. The registers,
 * EFLAGS, CR2, the exception taken, the stack bytes and every TLB
 * statistic must be the same on both.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "harness.h"
#include "core.h"

#define PD_ADDR 0x100000u
#define PT_ADDR 0x101000u
#define TARGET  (CODE_ADDR + 0x40u)   /* a HLT: where CALL and RET go */

static struct tm spec, gen;

static void setup(void) { tm_pair_init(&spec, &gen, CPU_P6, PD_ADDR, PT_ADDR); }
static void teardown(void) { tm_pair_fini(&spec, &gen); }

TestSuite(stackforms, .init = setup, .fini = teardown);

enum mode { M_PM0 = TM_PM0, M_PM3 = TM_PM3, M_REAL = TM_REAL, M_COUNT = TM_MODES };

struct kase {
	enum mode mode;
	uint8_t code[16];
	int len;
	uint32_t gpr[8], eflags, slot;   /* slot: the dword at ESP (RET's target, POP's value) */
	int ss;                          /* 0 flat, 1 16-bit, 2 limit 10FFFh, 3 expand-down */
	int warm;
};

static uint32_t rnd(uint32_t *st) { return tm_xorshift(st); }

static void make_case(uint32_t *st, struct kase *k)
{
	static const uint32_t esps[] = { 0x9000, 0x20002, 0x21004, 0x21000, 0x22004, 0x23000,
					 0x11002, 0x10FFE, 0x2, 0x0, 0xFFFFFFFE, 0x11000 };
	memset(k, 0, sizeof *k);
	k->mode = (enum mode)(rnd(st) % M_COUNT);
	for (int g = 0; g < 8; g++)
		k->gpr[g] = rnd(st);
	k->gpr[R_ESP] = esps[rnd(st) % 12];
	if (k->mode == M_REAL)
		k->gpr[R_ESP] &= 0xFFFF;
	k->eflags = 2 | (rnd(st) & ARITH);
	k->ss = k->mode == M_PM0 ? (int)(rnd(st) % 4) : 0;
	k->slot = rnd(st) % 3 ? TARGET : rnd(st) % 2 ? 0x10000 + (rnd(st) & 0xFF) : rnd(st);
	k->warm = rnd(st) % 4 != 0;

	int pos = 0;
	if (k->mode == M_REAL)
		k->code[pos++] = 0x66;
	switch (rnd(st) % 4) {
	case 0: k->code[pos++] = (uint8_t)(0x50 + rnd(st) % 8); break;   /* PUSH r32 */
	case 1: k->code[pos++] = (uint8_t)(0x58 + rnd(st) % 8); break;   /* POP r32 */
	case 2: {                                                        /* CALL rel32 */
		k->code[pos++] = 0xE8;
		uint32_t end = CODE_ADDR + (uint32_t)pos + 4;
		/* to TARGET, or past a real-mode CS limit */
		uint32_t rel = rnd(st) % 4 ? TARGET - end : 0x20000u - end;
		memcpy(k->code + pos, &rel, 4);
		pos += 4;
		break;
	}
	default: k->code[pos++] = 0xC3; break;                         /* RET */
	}
	k->code[pos++] = 0xF4;
	k->len = pos;
}

/* The stack bytes worth comparing: around ESP, and the ring-0 stack
 * (exception frames). */
static uint32_t stack_at(const struct kase *k)
{
	return k->mode == M_REAL ? k->gpr[R_ESP] & 0xFFFF : k->gpr[R_ESP];
}

static int in_ram(uint32_t a) { return a >= 0x10000 && a < 0xF00000; }

static enum cpu_stop run_case(struct tm *t, const struct kase *k, int generic)
{
	decode_generic_only = generic;
	tm_enter(t, (enum tm_mode)k->mode, PD_ADDR, k->gpr);
	t->s.eflags = k->eflags | (t->s.eflags & ~(uint32_t)ARITH & ~2u);
	struct seg_cache *ss = &t->s.seg[S_SS];
	switch (k->ss) {
	case 1: ss->sel = SEL_DATA16; ss->base = 0; ss->limit = 0xFFFF; ss->flags = 0x009300; break;
	case 2: ss->sel = SEL_DATA32; ss->base = 0; ss->limit = 0x10FFF; ss->flags = 0x409300; break;
	case 3: ss->sel = SEL_EXPDN; ss->base = 0; ss->limit = 0x0FFF; ss->flags = 0x409700; break;
	default: break;
	}
	t->s.cr2 = 0;
	t->s.halted = 0;
	uint32_t sp = stack_at(k);
	for (uint32_t b = 0; b < 48; b += 4)
		if (in_ram(sp - 16 + b))
			tm_wr(t, sp - 16 + b, 4, b == 16 ? k->slot : 0xA5A50000u + b);
	tm_set(t);
	tm_code(t, k->code, (size_t)k->len);
	uint8_t hlt = 0xF4;
	tm_poke(t, TARGET, &hlt, 1);
	if (k->warm) {
		/* Put the stack pages in the TLB and the fast tables. */
		int user = k->mode == M_PM3;
		for (int d = -16; d < 32; d += 8) {
			uint32_t lin = sp + (uint32_t)d, v;
			for (int rep = 0; rep < 2; rep++)
				if (!mmu_read(t->mmu, lin, 1, user, &v))
					mmu_write(t->mmu, lin, 1, user, v);
		}
	}
	enum cpu_stop r = tm_run(t, 20);
	decode_generic_only = 0;
	return r;
}

static void check_case(const struct kase *k, int n)
{
	enum cpu_stop rs = run_case(&spec, k, 0);
	enum cpu_stop rg = run_case(&gen, k, 1);
	cr_assert_eq(rs, rg, "case %d: stop %d vs %d", n, rs, rg);
	cr_assert_eq(tm_vector(&spec), tm_vector(&gen), "case %d (mode %d, op %02X, esp %08X, ss %d): vector %d vs %d",
		     n, k->mode, k->code[k->mode == M_REAL], k->gpr[R_ESP], k->ss, tm_vector(&spec),
		     tm_vector(&gen));
	for (int g = 0; g < 8; g++)
		cr_assert_eq(spec.s.gpr[g], gen.s.gpr[g], "case %d (mode %d, op %02X): gpr %d %08X vs %08X", n,
			     k->mode, k->code[k->mode == M_REAL], g, spec.s.gpr[g], gen.s.gpr[g]);
	cr_assert_eq(spec.s.eip, gen.s.eip, "case %d: eip", n);
	cr_assert_eq(spec.s.eflags, gen.s.eflags, "case %d: eflags", n);
	cr_assert_eq(spec.s.cr2, gen.s.cr2, "case %d: cr2", n);
	uint32_t sp = stack_at(k);
	for (uint32_t b = 0; b < 48; b++)
		if (in_ram(sp - 16 + b))
			cr_assert_eq(tm_rd(&spec, sp - 16 + b, 1), tm_rd(&gen, sp - 16 + b, 1), "case %d: stack", n);
	for (uint32_t a = STACK0 - 32; a < STACK0; a += 4)
		cr_assert_eq(tm_rd(&spec, a, 4), tm_rd(&gen, a, 4), "case %d: ring-0 stack", n);
	for (uint32_t a = STACK_TOP - 32; a < STACK_TOP; a += 4)
		cr_assert_eq(tm_rd(&spec, a, 4), tm_rd(&gen, a, 4), "case %d: stack top", n);
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats a, b;
		mmu_tlb_stats(spec.mmu, (enum tlb_id)id, &a);
		mmu_tlb_stats(gen.mmu, (enum tlb_id)id, &b);
		cr_assert(a.lookups == b.lookups && a.hits == b.hits && a.misses == b.misses &&
			  a.fills == b.fills && a.evictions == b.evictions,
			  "case %d (mode %d, op %02X, esp %08X): tlb %d statistics differ (hits %llu/%llu)", n,
			  k->mode, k->code[k->mode == M_REAL], k->gpr[R_ESP], id, (unsigned long long)a.hits,
			  (unsigned long long)b.hits);
	}
}

/* The four opcodes get their own handler in 32-bit code, and the general
 * one with decode_generic_only. */
Test(stackforms, specialised_forms_are_picked)
{
	static const uint8_t ops[][5] = { { 0x53 }, { 0x5E }, { 0xE8, 0, 0, 0, 0 }, { 0xC3 } };
	for (int n = 0; n < 4; n++) {
		struct insn s, g;
		decode_generic_only = 0;
		decode_insn(CPU_P6, ops[n], 5, 1, &s);
		decode_generic_only = 1;
		decode_insn(CPU_P6, ops[n], 5, 1, &g);
		decode_generic_only = 0;
		cr_assert(s.fn != g.fn, "op %02X not specialised", ops[n][0]);
	}
}

Test(stackforms, same_as_general_handlers)
{
	uint32_t st = 0x57AC4u;
	struct kase k;
	int vec[32] = { 0 }, none = 0;
	for (int n = 0; n < 20000; n++) {
		make_case(&st, &k);
		check_case(&k, n);
		int v = tm_vector(&spec);
		if (v < 0)
			none++;
		else if (v < 32)
			vec[v]++;
	}
	/* The cases reach the plain path and each fallback's faults. */
	cr_expect(none > 4000, "%d cases without an exception", none);
	cr_expect(vec[EX_PF] > 100, "%d #PF", vec[EX_PF]);
	cr_expect(vec[EX_GP] > 100, "%d #GP", vec[EX_GP]);
	cr_expect(vec[EX_SS] > 100, "%d #SS", vec[EX_SS]);
}
