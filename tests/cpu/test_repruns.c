/* test_repruns.c - the page runs of REP MOVS / REP STOS with 32-bit
 * addressing (string.c's op_movs_a32 / op_stos_a32) against the general
 * handlers, which go iteration by iteration.
 *
 * Two machines run the same random cases, one with decode_generic_only
 * set. A case is one REP STOSB/STOSD/MOVSB/MOVSD (REP or REPNE) in flat
 * protected mode at CPL 0 or 3 with paging or in real mode with 67/66
 * prefixes, with DF either way, counts from 0 to past two REP chunks,
 * operands in the middle of a page, running into a not-present,
 * read-only or supervisor page, past a segment limit, overlapping (MOVS
 * with ESI near EDI), sometimes with the INTR line up (IF set: the REP
 * stops after every iteration) or TF set, and an instruction budget of a
 * few instructions, so that runs end at faults, at chunk ends and at the
 * budget mid-instruction. After each case the registers, EFLAGS, CR2, the
 * exception taken, the retired instruction count, all of the data area
 * and every TLB statistic must be the same on both. Memory carries over
 * from case to case (identically on both machines).
 */
#include <criterion/criterion.h>
#include <string.h>
#include "harness.h"
#include "core.h"

#define PD_ADDR 0x100000u
#define PT_ADDR 0x101000u
#define AREA    0x10000u     /* data area compared after every case */
#define AREA_END 0x30000u

static struct tm spec, gen;

/* A random data area (the test pages come from tm_pair_init). */
static void map_pages(struct tm *t)
{
	uint32_t st = 0xDA7Au;
	for (uint32_t a = AREA; a < AREA_END; a += 4)
		tm_wr(t, a, 4, tm_xorshift(&st));
}

static void setup(void)
{
	tm_pair_init(&spec, &gen, CPU_P6, PD_ADDR, PT_ADDR);
	map_pages(&spec);
	map_pages(&gen);
}

static void teardown(void)
{
	cpu_set_intr(spec.cpu, 0);
	cpu_set_intr(gen.cpu, 0);
	tm_pair_fini(&spec, &gen);
}

TestSuite(repruns, .init = setup, .fini = teardown);

enum mode { M_PM0 = TM_PM0, M_PM3 = TM_PM3, M_REAL = TM_REAL, M_COUNT = TM_MODES };

struct kase {
	enum mode mode;
	uint8_t code[8];
	int len;
	uint32_t gpr[8], eflags;
	int seg;          /* 0 flat; 1-3 ES or DS limited or read-only (run_case) */
	int intr, warm;
	uint64_t budget;
};

static uint32_t rnd(uint32_t *st) { return tm_xorshift(st); }

/* An operand address near an edge of the data area. */
static uint32_t pick_addr(uint32_t *st)
{
	switch (rnd(st) % 8) {
	case 0: return 0x1FFF0 - (rnd(st) & 0x3FFF);        /* runs into page 20h, not present */
	case 1: return 0x21000 + (rnd(st) & 0xFFF);         /* read-only */
	case 2: return 0x22000 + (rnd(st) & 0xFFF);         /* supervisor-only */
	case 3: return 0x23000 + (rnd(st) & 0x7FFF);
	case 4: return 0x11000 - (rnd(st) & 7);             /* a page boundary, unaligned */
	default: return 0x12000 + (rnd(st) & 0x7FFF);
	}
}

static void make_case(uint32_t *st, struct kase *k)
{
	static const uint8_t ops[] = { 0xAA, 0xAB, 0xA4, 0xA5 };
	memset(k, 0, sizeof *k);
	k->mode = (enum mode)(rnd(st) % M_COUNT);
	for (int g = 0; g < 8; g++)
		k->gpr[g] = rnd(st);
	k->gpr[R_ESP] = STACK_TOP;
	k->eflags = 2 | (rnd(st) & ARITH);
	if (rnd(st) % 2)
		k->eflags |= FL_DF;
	if (rnd(st) % 16 == 0)
		k->eflags |= FL_TF;
	k->intr = rnd(st) % 8 == 0;
	if (k->intr || rnd(st) % 2)
		k->eflags |= FL_IF;
	k->warm = rnd(st) % 4 != 0;
	k->seg = k->mode == M_REAL ? 0 : (int)(rnd(st) % 4);
	uint8_t op = ops[rnd(st) % 4];
	uint32_t edi = pick_addr(st);
	uint32_t esi = rnd(st) % 3 ? edi + (rnd(st) % 17) - 8 : pick_addr(st);   /* overlapping */
	static const uint32_t counts[] = { 0, 1, 2, 3, 64, 1024, 4095, 4096, 4097, 8192, 8193 };
	uint32_t ecx = rnd(st) % 2 ? counts[rnd(st) % 11] : rnd(st) % 9000;
	if (op & 1)
		ecx /= 2;   /* dwords: stay within the area */
	k->gpr[R_EDI] = edi;
	k->gpr[R_ESI] = esi;
	k->gpr[R_ECX] = ecx;
	int pos = 0;
	if (k->mode == M_REAL) {
		k->code[pos++] = 0x67;   /* 32-bit addressing: the page-run forms */
		if (op & 1)
			k->code[pos++] = 0x66;
	}
	k->code[pos++] = rnd(st) % 4 ? 0xF3 : 0xF2;
	k->code[pos++] = op;
	k->code[pos++] = 0xF4;
	k->len = pos;
	k->budget = 1 + rnd(st) % 4;
}

static int ack_none(void *opaque) { (void)opaque; return -1; }

/* Returns the instructions retired. */
static uint64_t run_case(struct tm *t, const struct kase *k, int generic)
{
	decode_generic_only = generic;
	tm_enter(t, (enum tm_mode)k->mode, PD_ADDR, k->gpr);
	t->s.eflags = k->eflags | (t->s.eflags & ~(uint32_t)(ARITH | FL_DF | FL_TF | FL_IF) & ~2u);
	if (k->mode == M_REAL) {
		/* 32-bit offsets against 64 KiB limits: #GP past them */
	} else if (k->seg == 1) {
		t->s.seg[S_ES].limit = 0x1FFFF;    /* ES ends at the not-present page */
		t->s.seg[S_ES].flags &= ~0x800000u;
	} else if (k->seg == 2) {
		t->s.seg[S_DS].limit = 0x12FFF;
		t->s.seg[S_DS].flags &= ~0x800000u;
	} else if (k->seg == 3) {
		t->s.seg[S_DS].flags = (t->s.seg[S_DS].flags & ~0xF00u) | 0x100u;  /* read-only data */
	}
	t->s.cr2 = 0;
	t->s.halted = 0;
	tm_set(t);
	tm_code(t, k->code, (size_t)k->len);
	cpu_set_intr_ack(t->cpu, ack_none, NULL);
	cpu_set_intr(t->cpu, k->intr);
	if (k->warm) {
		int user = k->mode == M_PM3;
		for (uint32_t a = k->gpr[R_EDI] - 0x2000; a != k->gpr[R_EDI] + 0x3000; a += 0x1000)
			for (int rep = 0; rep < 2; rep++) {
				uint32_t v;
				if (!mmu_read(t->mmu, a, 1, user, &v))
					mmu_write(t->mmu, a, 1, user, v);
				if (!mmu_read(t->mmu, a - k->gpr[R_EDI] + k->gpr[R_ESI], 1, user, &v))
					mmu_write(t->mmu, a - k->gpr[R_EDI] + k->gpr[R_ESI], 1, user, v);
			}
	}
	uint64_t before = t->cpu->insns;
	tm_run(t, k->budget);
	cpu_set_intr(t->cpu, 0);
	decode_generic_only = 0;
	return t->cpu->insns - before;
}

static void check_case(const struct kase *k, int n)
{
	uint64_t rs = run_case(&spec, k, 0);
	uint64_t rg = run_case(&gen, k, 1);
	cr_assert_eq(tm_vector(&spec), tm_vector(&gen), "case %d (mode %d, op %02X, df %d): vector %d vs %d", n,
		     k->mode, k->code[k->len - 2], (k->eflags & FL_DF) != 0, tm_vector(&spec), tm_vector(&gen));
	cr_assert_eq(rs, rg, "case %d: retired %llu vs %llu", n, (unsigned long long)rs, (unsigned long long)rg);
	for (int g = 0; g < 8; g++)
		cr_assert_eq(spec.s.gpr[g], gen.s.gpr[g], "case %d (mode %d, op %02X, df %d, intr %d): gpr %d %08X vs %08X",
			     n, k->mode, k->code[k->len - 2], (k->eflags & FL_DF) != 0, k->intr, g, spec.s.gpr[g],
			     gen.s.gpr[g]);
	cr_assert_eq(spec.s.eip, gen.s.eip, "case %d: eip %08X vs %08X", n, spec.s.eip, gen.s.eip);
	cr_assert_eq(spec.s.eflags, gen.s.eflags, "case %d: eflags", n);
	cr_assert_eq(spec.s.cr2, gen.s.cr2, "case %d: cr2", n);
	for (uint32_t a = AREA; a < AREA_END; a += 4)
		if (tm_rd(&spec, a, 4) != tm_rd(&gen, a, 4))
			cr_assert_fail("case %d (mode %d, op %02X, df %d): memory at %08X", n, k->mode,
				       k->code[k->len - 2], (k->eflags & FL_DF) != 0, a);
	for (uint32_t a = STACK0 - 32; a < STACK0; a += 4)
		cr_assert_eq(tm_rd(&spec, a, 4), tm_rd(&gen, a, 4), "case %d: ring-0 stack", n);
	for (uint32_t a = STACK_TOP - 32; a < STACK_TOP; a += 4)
		cr_assert_eq(tm_rd(&spec, a, 4), tm_rd(&gen, a, 4), "case %d: stack", n);
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats a, b;
		mmu_tlb_stats(spec.mmu, (enum tlb_id)id, &a);
		mmu_tlb_stats(gen.mmu, (enum tlb_id)id, &b);
		cr_assert(a.lookups == b.lookups && a.hits == b.hits && a.misses == b.misses &&
			  a.fills == b.fills && a.evictions == b.evictions,
			  "case %d (mode %d, op %02X): tlb %d statistics differ (hits %llu/%llu)", n, k->mode,
			  k->code[k->len - 2], id, (unsigned long long)a.hits, (unsigned long long)b.hits);
	}
}

Test(repruns, same_as_general_handlers)
{
	uint32_t st = 0x4E9u;
	struct kase k;
	int vec[32] = { 0 }, none = 0, chunked = 0;
	for (int n = 0; n < 1500; n++) {
		make_case(&st, &k);
		check_case(&k, n);
		int v = tm_vector(&spec);
		if (v < 0)
			none++;
		else if (v < 32)
			vec[v]++;
		if (v < 0 && spec.s.eip == CODE_ADDR && spec.s.gpr[R_ECX] != 0)
			chunked++;
	}
	/* The cases reach the runs, their ends at faults, and stops mid-REP. */
	cr_expect(none > 300, "%d cases without an exception", none);
	cr_expect(vec[EX_PF] > 50, "%d #PF", vec[EX_PF]);
	cr_expect(vec[EX_GP] > 20, "%d #GP", vec[EX_GP]);
	cr_expect(vec[EX_DB] > 10, "%d #DB", vec[EX_DB]);
	cr_expect(chunked > 50, "%d cases stopped mid-REP", chunked);
}
