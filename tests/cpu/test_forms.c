/* test_forms.c - the form-specialised handlers decode.c picks for 32-bit
 * operand sizes (address forms of memory operands, IMUL, TEST r8) against
 * the general handlers of the same bytes.
 *
 * Two machines (P6; also 386 and 486) run the same random cases side by
 * side: one decodes as usual, the other with decode_generic_only set, so
 * that every instruction runs its general handler. A case is one instruction (then HLT) with a
 * random operation, operand kind, addressing form, segment override,
 * register and flag state, in one of three modes (flat protected mode at
 * CPL 0 and 3 with paging, real mode with 66/67 prefixes), and a target
 * address picked to hit the interesting edges: the middle of a page, the
 * last bytes of a page (into a mapped, a not-present, a read-only or a
 * supervisor page), the top of the 4 GiB space, a segment limit, an
 * expand-down, read-only, null or code segment, 16-bit address wrap. After
 * each case the registers, EFLAGS, CR2, the exception taken, the memory
 * around the target and every TLB statistic must be the same on both.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "core.h"
#include "optable.h"

#define PD_ADDR 0x100000u
#define PT_ADDR 0x101000u

static struct tm spec, gen;

static void machines(enum cpu_model m) { tm_pair_init(&spec, &gen, m, PD_ADDR, PT_ADDR); }
static void setup(void) { machines(CPU_P6); }
static void teardown(void) { tm_pair_fini(&spec, &gen); }

TestSuite(forms, .init = setup, .fini = teardown);

/* The instructions under test, without ModRM and beyond: opcode bytes,
 * the ModRM reg field (-1: any register), the immediate's size, and
 * whether the register form (mod 3) is one of the specialised ones too. */
struct op {
	uint8_t b[2];
	int n, reg, imm, regform;
};

static struct op ops[96];
static int nops;

static void add_op(uint8_t b0, int b1, int reg, int imm, int regform)
{
	struct op *o = &ops[nops++];
	o->b[0] = b0;
	o->n = 1;
	if (b1 >= 0) {
		o->b[1] = (uint8_t)b1;
		o->n = 2;
	}
	o->reg = reg;
	o->imm = imm;
	o->regform = regform;
}

static void build_ops(void)
{
	nops = 0;
	for (int a = 0; a < 8; a++) {
		add_op((uint8_t)(a * 8 + 1), -1, -1, 0, 0);   /* ALU m32, r32 */
		add_op((uint8_t)(a * 8 + 3), -1, -1, 0, 0);   /* ALU r32, m32 */
		add_op(0x81, -1, a, 4, 0);                    /* ALU m32, imm32 */
		add_op(0x83, -1, a, 1, 0);                    /* ALU m32, imm8 */
	}
	add_op(0x85, -1, -1, 0, 0);          /* TEST m32, r32 */
	add_op(0xF7, -1, 0, 4, 0);           /* TEST m32, imm32 */
	add_op(0xF7, -1, 1, 4, 0);           /* TEST m32, imm32 (/1 alias) */
	add_op(0x89, -1, -1, 0, 0);          /* MOV m32, r32 */
	add_op(0x8B, -1, -1, 0, 0);          /* MOV r32, m32 */
	add_op(0xC7, -1, 0, 4, 0);           /* MOV m32, imm32 */
	add_op(0x0F, 0xB6, -1, 0, 1);        /* MOVZX r32, r/m8 */
	add_op(0x0F, 0xB7, -1, 0, 1);        /* MOVZX r32, r/m16 */
	add_op(0x0F, 0xBE, -1, 0, 1);        /* MOVSX r32, r/m8 */
	add_op(0x0F, 0xBF, -1, 0, 1);        /* MOVSX r32, r/m16 */
	add_op(0x69, -1, -1, 4, 1);          /* IMUL r32, r/m32, imm32 */
	add_op(0x6B, -1, -1, 1, 1);          /* IMUL r32, r/m32, imm8 */
	add_op(0x0F, 0xAF, -1, 0, 1);        /* IMUL r32, r/m32 */
	add_op(0xF6, -1, 0, 1, 1);           /* TEST r/m8, imm8 */
	add_op(0xF6, -1, 1, 1, 1);
	add_op(0xFF, -1, 0, 0, 0);           /* INC m32 */
	add_op(0xFF, -1, 1, 0, 0);           /* DEC m32 */
	add_op(0xFF, -1, 6, 0, 0);           /* PUSH m32 */
}

enum mode { M_PM0 = TM_PM0, M_PM3 = TM_PM3, M_REAL = TM_REAL, M_COUNT = TM_MODES };

struct kase {
	enum mode mode;
	uint8_t code[32];
	int len;
	uint32_t gpr[8], eflags, target;
	int sreg;                   /* segment register overridden, or -1 */
	struct seg_cache seg[S_COUNT];
	uint8_t data[32];           /* bytes at target - 16 */
	int warm;                   /* the target's pages are in the TLB */
	uint32_t esp;               /* != STACK_TOP: a stack near an edge */
};

static uint32_t rnd(uint32_t *st) { return tm_xorshift(st); }

/* A target offset near one of the edges (see the file comment). */
static uint32_t pick_target(uint32_t *st, enum mode m)
{
	uint32_t r = rnd(st);
	if (m == M_REAL) {
		switch (r % 4) {
		case 0: return 0x8000 + (rnd(st) & 0xFFF);
		case 1: return 0xFFFC + (rnd(st) & 3);        /* last bytes of 64 KiB */
		case 2: return 0x10000 + (rnd(st) & 0xF);     /* past the limit */
		default: return 0x7FFD + (rnd(st) & 3);
		}
	}
	switch (r % 10) {
	case 0: case 1: return DATA_ADDR + (rnd(st) & 0xFFF);
	case 2: return DATA_ADDR + 0xFFD + (rnd(st) & 3);      /* into page 11h, mapped */
	case 3: return 0x1FFFD + (rnd(st) & 3);                /* into page 20h, not present */
	case 4: return 0x21000 + (rnd(st) & 0xFFF);            /* read-only */
	case 5: return 0x22000 + (rnd(st) & 0xFFF);            /* supervisor-only */
	case 6: return 0xFFFFFFFC + (rnd(st) & 3);             /* top of 4 GiB */
	case 7: return 0x10FFD + (rnd(st) & 3);                /* a limit of 10FFFh */
	case 8: return 0x21FFD + (rnd(st) & 3);                /* RO into supervisor */
	default: return 0x20FFD + (rnd(st) & 3);               /* not present into RO */
	}
}

static void sc(struct seg_cache *s, uint16_t sel, uint32_t base, uint32_t limit, uint32_t flags)
{
	s->sel = sel;
	s->base = base;
	s->limit = limit;
	s->flags = flags;
}

/* Build a random case. */
static void make_case(uint32_t *st, struct kase *k)
{
	memset(k, 0, sizeof *k);
	k->mode = (enum mode)(rnd(st) % M_COUNT);
	int real = k->mode == M_REAL;
	const struct op *o = &ops[rnd(st) % (uint32_t)nops];
	int pos = 0;

	for (int g = 0; g < 8; g++)
		k->gpr[g] = rnd(st);
	k->gpr[R_ESP] = STACK_TOP;
	k->eflags = 2 | (rnd(st) & ARITH);
	k->target = pick_target(st, k->mode);

	/* Segments: the mode's defaults, then random oddities. */
	for (int n = 0; n < S_COUNT; n++) {
		if (real)
			sc(&k->seg[n], 0, 0, 0xFFFF, 0x9300);
		else if (k->mode == M_PM3)
			sc(&k->seg[n], SEL_UDATA, 0, 0xFFFFFFFFu, 0xCFF300);
		else
			sc(&k->seg[n], SEL_DATA32, 0, 0xFFFFFFFFu, 0xCF9300);
	}
	if (!real) {
		switch (rnd(st) % 6) {
		case 0: sc(&k->seg[S_DS], SEL_DATA32, 0, 0x10FFF, 0x409300); break;   /* limit */
		case 1: sc(&k->seg[S_DS], SEL_DATA32, 0x1000, 0xFFFFFFFFu, 0xCF9300); break;
		case 2: sc(&k->seg[S_DS], SEL_DATA32, 0, 0xFFFFFFFFu, 0xCF9100); break;  /* RO */
		default: break;
		}
		sc(&k->seg[S_ES], SEL_EXPDN, DATA_ADDR, 0x0FFF, 0x409700);    /* expand-down */
		sc(&k->seg[S_FS], SEL_RODATA, 0, 0xFFFFFFFFu, 0xCF9100);      /* read-only */
		sc(&k->seg[S_GS], 0, 0, 0, 0);                                  /* null */
	} else if (rnd(st) % 4 == 0) {
		sc(&k->seg[S_DS], 0x100, 0x1000, 0xFFFF, 0x9300);
	}

	/* A stack near an edge for PUSH m32: a slot straddling into the
	 * not-present page, in the read-only or supervisor page, across two
	 * mapped pages, past the 4 GiB wrap. */
	k->esp = STACK_TOP;
	if (o->b[0] == 0xFF && o->reg == 6 && rnd(st) % 2) {
		static const uint32_t esps[] = { 0x20002, 0x21004, 0x22004, 0x11002, 0x2, 0x10FFC };
		k->esp = esps[rnd(st) % 6];
		k->gpr[R_ESP] = k->esp;
	}
	/* Sometimes a shift first (C1 /4, SHL EAX by 1..31 or 0), so that the
	 * instruction under test meets a recorded shift in the lazy flags
	 * (the INC/DEC forms take their general path then) or an untouched
	 * record (count 0). */
	if (rnd(st) % 4 == 0) {
		k->code[pos++] = 0xC1;
		k->code[pos++] = 0xE0;
		k->code[pos++] = (uint8_t)(rnd(st) % 33);
	}

	/* Prefixes. */
	k->sreg = -1;
	switch (rnd(st) % 10) {
	case 0: k->code[pos++] = 0x26; k->sreg = S_ES; break;
	case 1: k->code[pos++] = 0x64; k->sreg = S_FS; break;
	case 2: k->code[pos++] = 0x65; k->sreg = S_GS; break;
	case 3: k->code[pos++] = 0x2E; k->sreg = S_CS; break;
	case 4: k->code[pos++] = 0x36; k->sreg = S_SS; break;
	default: break;
	}
	int addr16 = real ? rnd(st) % 3 != 0 : rnd(st) % 8 == 0;
	if (real)
		k->code[pos++] = 0x66;
	if (addr16 != real)
		k->code[pos++] = 0x67;
	memcpy(k->code + pos, o->b, (size_t)o->n);
	pos += o->n;

	int reg = o->reg >= 0 ? o->reg : (int)(rnd(st) % 8);
	int regform = o->regform && rnd(st) % 3 == 0;
	uint32_t t = k->target;
	if (regform) {
		k->code[pos++] = (uint8_t)(0xC0 | reg << 3 | (rnd(st) % 8));
	} else if (addr16) {
		/* [bx+si] [bp+d16] [d16] [di+d8] */
		switch (rnd(st) % 4) {
		case 0: {
			k->code[pos++] = (uint8_t)(reg << 3 | 0);
			uint32_t bx = rnd(st) & 0xFFFF;
			k->gpr[R_EBX] = (k->gpr[R_EBX] & 0xFFFF0000u) | bx;
			k->gpr[R_ESI] = (k->gpr[R_ESI] & 0xFFFF0000u) | ((t - bx) & 0xFFFF);
			break;
		}
		case 1: {
			k->code[pos++] = (uint8_t)(0x80 | reg << 3 | 6);
			uint32_t d = rnd(st) & 0xFFFF;
			k->code[pos++] = (uint8_t)d;
			k->code[pos++] = (uint8_t)(d >> 8);
			k->gpr[R_EBP] = (k->gpr[R_EBP] & 0xFFFF0000u) | ((t - d) & 0xFFFF);
			break;
		}
		case 2:
			k->code[pos++] = (uint8_t)(reg << 3 | 6);
			k->code[pos++] = (uint8_t)t;
			k->code[pos++] = (uint8_t)(t >> 8);
			break;
		default: {
			k->code[pos++] = (uint8_t)(0x40 | reg << 3 | 5);
			uint32_t d = rnd(st) & 0xFF;
			k->code[pos++] = (uint8_t)d;
			k->gpr[R_EDI] = (k->gpr[R_EDI] & 0xFFFF0000u) |
					((t - (uint32_t)(int32_t)(int8_t)d) & 0xFFFF);
			break;
		}
		}
	} else {
		uint32_t s = rnd(st) % 4, idx = rnd(st) & 0xFF, d = rnd(st);
		switch (rnd(st) % 7) {
		case 0:   /* [ebx] */
			k->code[pos++] = (uint8_t)(reg << 3 | 3);
			k->gpr[R_EBX] = t;
			break;
		case 1:   /* [ebx+d8] */
			k->code[pos++] = (uint8_t)(0x40 | reg << 3 | 3);
			k->code[pos++] = (uint8_t)d;
			k->gpr[R_EBX] = t - (uint32_t)(int32_t)(int8_t)d;
			break;
		case 2:   /* [ebp+d32], SS */
			k->code[pos++] = (uint8_t)(0x80 | reg << 3 | 5);
			memcpy(k->code + pos, &d, 4);
			pos += 4;
			k->gpr[R_EBP] = t - d;
			break;
		case 3:   /* [ebx+esi*s+d32] */
			k->code[pos++] = (uint8_t)(0x80 | reg << 3 | 4);
			k->code[pos++] = (uint8_t)(s << 6 | 6 << 3 | 3);
			memcpy(k->code + pos, &d, 4);
			pos += 4;
			k->gpr[R_ESI] = idx;
			k->gpr[R_EBX] = t - d - (idx << s);
			break;
		case 4:   /* [esi*s+d32] */
			k->code[pos++] = (uint8_t)(reg << 3 | 4);
			k->code[pos++] = (uint8_t)(s << 6 | 6 << 3 | 5);
			d = t - (idx << s);
			memcpy(k->code + pos, &d, 4);
			pos += 4;
			k->gpr[R_ESI] = idx;
			break;
		case 5:   /* [d32] */
			k->code[pos++] = (uint8_t)(reg << 3 | 5);
			memcpy(k->code + pos, &t, 4);
			pos += 4;
			break;
		default:  /* [ebx+esi*s] */
			k->code[pos++] = (uint8_t)(reg << 3 | 4);
			k->code[pos++] = (uint8_t)(s << 6 | 6 << 3 | 3);
			k->gpr[R_ESI] = idx;
			k->gpr[R_EBX] = t - (idx << s);
			break;
		}
	}
	for (int n = 0; n < o->imm; n++)
		k->code[pos++] = (uint8_t)rnd(st);
	k->code[pos++] = 0xF4;
	k->len = pos;
	for (int n = 0; n < 32; n++)
		k->data[n] = (uint8_t)rnd(st);
	k->warm = rnd(st) % 4 != 0;
}

/* Physical addresses of the bytes worth comparing: around the offset and
 * around the offset plus each segment base in use (identity-mapped). */
static int windows(const struct kase *k, uint32_t *at)
{
	int n = 0;
	at[n++] = k->target;
	for (int s = 0; s < S_COUNT; s++)
		if (k->seg[s].base)
			at[n++] = k->target + k->seg[s].base;
	if (k->esp != STACK_TOP)
		at[n++] = k->esp;
	return n;
}

static int in_ram(uint32_t a) { return a >= 0x10000 && a < 0xF00000; }

static enum cpu_stop run_case(struct tm *t, const struct kase *k, int generic)
{
	decode_generic_only = generic;
	tm_enter(t, (enum tm_mode)k->mode, PD_ADDR, k->gpr);
	t->s.eflags = k->eflags | (t->s.eflags & ~(uint32_t)ARITH & ~2u);
	for (int s = 0; s < S_COUNT; s++)
		if (s != S_CS && s != S_SS)
			t->s.seg[s] = k->seg[s];
	t->s.cr2 = 0;
	t->s.halted = 0;
	uint32_t at[S_COUNT + 2];
	int n = windows(k, at);
	for (int w = 0; w < n; w++)
		for (int b = 0; b < 32; b++)
			if (in_ram(at[w] - 16 + (uint32_t)b))
				tm_wr(t, at[w] - 16 + (uint32_t)b, 1, k->data[b]);
	tm_set(t);
	tm_code(t, k->code, (size_t)k->len);
	if (k->warm) {
		/* Put the pages around the target in the TLB and the fast
		 * tables (a byte read, and a write of the same byte), so that
		 * the instruction can take the inline path; a page that
		 * faults stays out. */
		int user = k->mode == M_PM3;
		for (int w = 0; w < n; w++)
			for (int d = -16; d < 32; d += 16) {
				uint32_t lin = at[w] + (uint32_t)d, v;
				for (int rep = 0; rep < 2; rep++)
					if (!mmu_read(t->mmu, lin, 1, user, &v))
						mmu_write(t->mmu, lin, 1, user, v);
			}
	}
	enum cpu_stop r = tm_run(t, 20);
	decode_generic_only = 0;
	return r;
}

static void compare_stats(int casenum)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats a, b;
		mmu_tlb_stats(spec.mmu, (enum tlb_id)id, &a);
		mmu_tlb_stats(gen.mmu, (enum tlb_id)id, &b);
		cr_assert(a.lookups == b.lookups && a.hits == b.hits && a.misses == b.misses &&
			  a.fills == b.fills && a.evictions == b.evictions,
			  "case %d: tlb %d statistics differ (lookups %llu/%llu hits %llu/%llu)", casenum, id,
			  (unsigned long long)a.lookups, (unsigned long long)b.lookups,
			  (unsigned long long)a.hits, (unsigned long long)b.hits);
	}
}

static void check_case(const struct kase *k, int casenum)
{
	enum cpu_stop rs = run_case(&spec, k, 0);
	enum cpu_stop rg = run_case(&gen, k, 1);
	char hex[3 * 32 + 1];
	for (int b = 0; b < k->len; b++)
		snprintf(hex + 3 * b, 4, "%02X ", k->code[b]);
	cr_assert_eq(rs, rg, "case %d (%s): stop %d vs %d", casenum, hex, rs, rg);
	cr_assert_eq(tm_vector(&spec), tm_vector(&gen), "case %d (mode %d, %s, target %08X): vector %d vs %d",
		     casenum, k->mode, hex, k->target, tm_vector(&spec), tm_vector(&gen));
	for (int g = 0; g < 8; g++)
		cr_assert_eq(spec.s.gpr[g], gen.s.gpr[g], "case %d (mode %d, %s): gpr %d %08X vs %08X",
			     casenum, k->mode, hex, g, spec.s.gpr[g], gen.s.gpr[g]);
	cr_assert_eq(spec.s.eip, gen.s.eip, "case %d (%s): eip", casenum, hex);
	cr_assert_eq(spec.s.eflags, gen.s.eflags, "case %d (mode %d, %s): eflags %08X vs %08X", casenum,
		     k->mode, hex, spec.s.eflags, gen.s.eflags);
	cr_assert_eq(spec.s.cr2, gen.s.cr2, "case %d (%s): cr2", casenum, hex);
	uint32_t at[S_COUNT + 2];
	int n = windows(k, at);
	for (int w = 0; w < n; w++)
		for (int b = 0; b < 32; b++) {
			uint32_t a = at[w] - 16 + (uint32_t)b;
			if (in_ram(a))
				cr_assert_eq(tm_rd(&spec, a, 1), tm_rd(&gen, a, 1),
					     "case %d (mode %d, %s): memory at %08X", casenum, k->mode, hex, a);
		}
	/* The exception frame, if any, went to the stack: compare it too. */
	for (uint32_t a = STACK0 - 32; a < STACK0; a += 4)
		cr_assert_eq(tm_rd(&spec, a, 4), tm_rd(&gen, a, 4), "case %d: ring-0 stack", casenum);
	for (uint32_t a = STACK_TOP - 32; a < STACK_TOP; a += 4)
		cr_assert_eq(tm_rd(&spec, a, 4), tm_rd(&gen, a, 4), "case %d: stack", casenum);
	compare_stats(casenum);
}

/* Every instruction of the list gets a specialised handler in flat 32-bit
 * code (so the comparison below does compare two different handlers), and
 * its general one with decode_generic_only. */
Test(forms, specialised_forms_are_picked)
{
	build_ops();
	for (int n = 0; n < nops; n++) {
		static const uint8_t modrm[] = { 0x03, 0x43, 0x85, 0x84, 0x04, 0x05, 0x04 };
		static const uint8_t sib[] = { 0, 0, 0, 0xB3, 0xB5, 0, 0x33 };
		for (int m = 0; m < 7; m++) {
			uint8_t b[16] = { 0 };
			int pos = 0;
			memcpy(b, ops[n].b, (size_t)ops[n].n);
			pos = ops[n].n;
			b[pos++] = (uint8_t)(modrm[m] | (ops[n].reg > 0 ? ops[n].reg << 3 : 0));
			if ((modrm[m] & 7) == 4)
				b[pos++] = sib[m];
			struct insn s, g;
			decode_generic_only = 0;
			int ls = decode_insn(CPU_P6, b, 15, 1, &s);
			decode_generic_only = 1;
			int lg = decode_insn(CPU_P6, b, 15, 1, &g);
			decode_generic_only = 0;
			cr_assert_eq(ls, lg);
			cr_assert(!s.ud);
			cr_assert(s.fn != g.fn, "op %02X %02X modrm %02X: not specialised", b[0], b[1],
				  b[ops[n].n]);
		}
	}
}

static void compare_cases(uint32_t seed, int n)
{
	uint32_t st = seed;
	struct kase k;
	build_ops();
	for (int c = 0; c < n; c++) {
		make_case(&st, &k);
		check_case(&k, c);
	}
}

Test(forms, same_as_general_handlers) { compare_cases(0x5EEDF00Du, 30000); }

/* The 386's unified TLB and the 486's: other TLB geometries behind the
 * same fast tables. */
Test(forms, same_as_general_handlers_386)
{
	teardown();
	machines(CPU_386);
	compare_cases(0x386386u, 10000);
}

Test(forms, same_as_general_handlers_486)
{
	teardown();
	machines(CPU_486);
	compare_cases(0x486486u, 10000);
}

/* The cases above must actually reach the form handlers' plain path and
 * their fallbacks: hits in the data page, and exceptions of each kind. */
Test(forms, cases_cover_the_edges)
{
	uint32_t st = 0x5EEDF00Du;
	struct kase k;
	int vec[32] = { 0 }, none = 0;
	build_ops();
	for (int n = 0; n < 3000; n++) {
		make_case(&st, &k);
		run_case(&spec, &k, 0);
		int v = tm_vector(&spec);
		if (v < 0)
			none++;
		else if (v < 32)
			vec[v]++;
	}
	cr_expect(none > 600, "%d cases without an exception", none);
	cr_expect(vec[EX_PF] > 100, "%d #PF", vec[EX_PF]);
	cr_expect(vec[EX_GP] > 100, "%d #GP", vec[EX_GP]);
	cr_expect(vec[EX_SS] > 5, "%d #SS", vec[EX_SS]);
}
