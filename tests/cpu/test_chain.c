/* test_chain.c - chain stamps (exec.c): a chained block end follows a link
 * stamped under the current chain context with no further checks. Each
 * test changes one part of the context (CS limit, by a far JMP and from
 * outside cpu_run) after a link was stamped, and checks that the stale
 * link is not followed; the last ones run the same programs with stamping
 * off (chain_stamps_off: every chained end takes the full checks) and
 * compare everything, TLB statistics included. Expected values follow from
 * the instruction semantics (Intel SDM vol. 2) and the CS limit check
 * (SDM vol. 3 5.3: #GP(0) for an instruction past the limit).
 */
#include <string.h>
#include <criterion/criterion.h>
#include "harness.h"
#include "core.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); chain_stamps_off = 0; }
TestSuite(chain, .init = setup, .fini = teardown);

static void poke32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

#define SEL_SPARE 0x58   /* a copy of SEL_CODE32 past the harness's GDT */

/* Copy the flat code descriptor to SEL_SPARE and return the two dwords a
 * guest store makes of it with the limit cut to `limit` (byte granular). */
static void spare_code_segment(struct tm *m, uint32_t limit, uint32_t *lo, uint32_t *hi)
{
	uint32_t d0 = tm_rd(m, GDT_ADDR + SEL_CODE32, 4), d1 = tm_rd(m, GDT_ADDR + SEL_CODE32 + 4, 4);
	tm_wr(m, GDT_ADDR + SEL_SPARE, 4, d0);
	tm_wr(m, GDT_ADDR + SEL_SPARE + 4, 4, d1);
	m->s.gdtr_limit = SEL_SPARE + 7;
	*lo = (d0 & 0xFFFF0000u) | (limit & 0xFFFF);
	*hi = (d1 & ~0x008F0000u) | (limit & 0x000F0000u);   /* G = 0, limit 19:16 */
}

/* A far JMP reloads CS with a smaller limit (same base): the block after
 * it still runs, but its link to C, stamped when the limit was 4 GiB, is
 * not followed; C lies past the new limit and faults. B falls through to
 * C (a taken jump past the limit would fault at the jump itself).
 *   1000: A: jmp far SEL_SPARE:1007
 *   1007: B: inc ebx ; jz A (never taken)
 *   100A: C: mov dword [GDT + SEL_SPARE], lo ; mov dword [... + 4], hi
 *            ; jmp A
 * Round 1 runs A B C with the flat copy and makes C cut the spare
 * descriptor's limit to 1009h; round 2's A loads it, B runs, and C must
 * raise #GP(0) at 100Ah. Checked to fail (C runs on, the budget ends the
 * run) without the context look after a far_end block in chain_check(). */
static size_t far_limit_program(struct tm *m, uint8_t *c)
{
	uint32_t lo, hi;
	spare_code_segment(m, 0x1009, &lo, &hi);
	memset(c, 0x90, 0x40);
	c[0] = 0xEA; poke32(&c[1], 0x1007); c[5] = SEL_SPARE; c[6] = 0;
	c[7] = 0x43; c[8] = 0x74; c[9] = (uint8_t)(0x00 - 0x0A);
	c[0x0A] = 0xC7; c[0x0B] = 0x05; poke32(&c[0x0C], GDT_ADDR + SEL_SPARE); poke32(&c[0x10], lo);
	c[0x14] = 0xC7; c[0x15] = 0x05; poke32(&c[0x16], GDT_ADDR + SEL_SPARE + 4); poke32(&c[0x1A], hi);
	c[0x1E] = 0xEB; c[0x1F] = (uint8_t)(0x00 - 0x20);
	m->s.gpr[R_EBX] = 0;
	tm_set(m);
	return 0x20;
}

Test(chain, far_jump_shrinks_cs_limit)
{
	uint8_t c[0x40];
	size_t n = far_limit_program(&t, c);
	tm_code(&t, c, n);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(t.s.gpr[R_EBX], 2);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 0);              /* error code 0 */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 0x0A);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 8, 4), SEL_SPARE);
}

/* The CS limit cut from outside between two runs (cpu_set_state): the
 * loop L -> M ran chained with both links stamped; after the cut, L runs
 * and M, past the limit, faults (L falls through to it).
 *   1000: L: inc ebx ; jz L (never taken)
 *   1003: M: inc esi ; jmp L                                            */
Test(chain, cs_limit_cut_between_runs)
{
	uint8_t c[0x08];
	memset(c, 0x90, sizeof c);
	c[0] = 0x43; c[1] = 0x74; c[2] = (uint8_t)(0x00 - 0x03);
	c[3] = 0x46; c[4] = 0xEB; c[5] = (uint8_t)(0x00 - 0x06);
	t.s.gpr[R_EBX] = t.s.gpr[R_ESI] = 0;
	tm_set(&t);
	tm_code(&t, c, sizeof c);
	cr_assert_eq(tm_run(&t, 40), CPU_STOP_LIMIT);
	cr_assert_eq(t.s.eip, CODE_ADDR);
	cr_assert_eq(t.s.gpr[R_EBX], 10);
	t.s.seg[S_CS].limit = CODE_ADDR + 2;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(t.s.gpr[R_EBX], 11);
	cr_expect_eq(t.s.gpr[R_ESI], 10);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 3);
}

/* Identity paging of the first 4 MiB (supervisor, writable). */
static void identity_paging(struct tm *m)
{
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_wr(m, pd, 4, pt | 7);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(m, pt + 4 * k, 4, (k << 12) | 3);
	m->s.cr3 = pd;
	m->s.cr0 |= CR0_PG;
}

/* A loop that calls into another code page, stores into its own page's
 * data bytes, and every 16th round into the called function's code:
 *   1000: mov ecx, 200
 *   1005: L: call F ; add eax, ecx ; mov [1800h], al ; test cl, 15
 *            ; jnz N ; mov [2001h], cl ; N: dec ecx ; jnz L ; hlt
 *   2000: F: add ebx, imm8 ; ret                                       */
static size_t two_page_program(struct tm *m, uint8_t *c)
{
	identity_paging(m);
	m->s.gpr[R_EAX] = m->s.gpr[R_EBX] = 0;
	tm_set(m);
	static const uint8_t f[] = { 0x83, 0xC3, 0x01, 0xC3 };
	tm_poke(m, 0x2000, f, sizeof f);
	size_t n = 0;
	c[n++] = 0xB9; poke32(&c[n], 200); n += 4;
	size_t l = n;
	c[n++] = 0xE8; poke32(&c[n], 0x2000 - (CODE_ADDR + (uint32_t)n + 4)); n += 4;
	c[n++] = 0x01; c[n++] = 0xC8;                                  /* add eax, ecx */
	c[n++] = 0xA2; poke32(&c[n], 0x1800); n += 4;                  /* mov [1800h], al */
	c[n++] = 0xF6; c[n++] = 0xC1; c[n++] = 0x0F;                   /* test cl, 15 */
	c[n++] = 0x75; c[n++] = 6;                                     /* jnz N */
	c[n++] = 0x88; c[n++] = 0x0D; poke32(&c[n], 0x2002); n += 4;   /* mov [2002h], cl */
	c[n++] = 0x49;                                                 /* N: dec ecx */
	c[n++] = 0x75; c[n] = (uint8_t)(l - (n + 1)); n++;             /* jnz L */
	c[n++] = 0xF4;
	return n;
}

Test(chain, stamps_kept_across_two_code_pages)
{
	uint8_t c[64];
	size_t n = two_page_program(&t, c);
	tm_code(&t, c, n);
	cr_assert_eq(tm_run(&t, 100000), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, CODE_ADDR + (uint32_t)n);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.gpr[R_EAX], 200u * 201 / 2);
	/* F adds 1 until the first store (ECX = 192: 9 rounds), then the low
	 * byte of ECX as it was at the last store before each call, sign
	 * extended (ADD r32, imm8). */
	uint32_t ebx = 0, imm = 1;
	for (uint32_t ecx = 200; ecx > 0; ecx--) {
		ebx += imm;
		if (!(ecx & 15))
			imm = (uint32_t)(int32_t)(int8_t)(ecx & 0xFF);
	}
	cr_expect_eq(t.s.gpr[R_EBX], ebx);
	/* The loop's last block (N: dec ecx ; jnz L) ended chained to L many
	 * times: its link to L is stamped (the other one is to the HLT), and
	 * the stamps, given per context (two code pages) and afresh after
	 * each store into F (12 of them), number far fewer than the block
	 * ends. */
	const struct core *k = core_of(t.cpu);
	uint32_t pa = CODE_ADDR + (uint32_t)n - 4;
	const struct block *b = k->btab[btab_index(pa)];
	cr_assert_eq(b->pa, pa);
	int j = b->link[0].eip == CODE_ADDR + 5 ? 0 : 1;
	cr_expect_eq(b->link[j].eip, CODE_ADDR + 5);
	cr_expect_neq(b->link[j].stamp, 0);
	cr_expect_leq(k->chain_stamps, 60, "%llu", (unsigned long long)k->chain_stamps);
}

/* ---- stamps on and off: the same program on two machines, one of them
 * stamping no link, must end in the same state with the same count and
 * the same TLB statistics (per TLB and per set). */

static void expect_same_tlbs(struct tm *a, struct tm *b)
{
	for (int id = 0; id < TLB_COUNT; id++) {
		struct tlb_stats sa, sb;
		mmu_tlb_stats(a->mmu, (enum tlb_id)id, &sa);
		mmu_tlb_stats(b->mmu, (enum tlb_id)id, &sb);
		cr_expect(memcmp(&sa, &sb, sizeof sa) == 0, "tlb %d stats", id);
		struct tlb_geom g = mmu_tlb_geom(a->mmu, (enum tlb_id)id);
		for (int set = 0; set < (int)g.sets; set++) {
			struct tlb_set_stats xa, xb;
			mmu_tlb_set_stats(a->mmu, (enum tlb_id)id, set, &xa);
			mmu_tlb_set_stats(b->mmu, (enum tlb_id)id, set, &xb);
			cr_expect(memcmp(&xa, &xb, sizeof xa) == 0, "tlb %d set %d", id, set);
			cr_expect_eq(mmu_tlb_repl_state(a->mmu, (enum tlb_id)id, set),
				     mmu_tlb_repl_state(b->mmu, (enum tlb_id)id, set), "tlb %d set %d", id, set);
		}
	}
}

static void run_both(size_t (*program)(struct tm *, uint8_t *), uint64_t budget)
{
	struct tm a, b;
	uint8_t ca[0x40], cb[0x40];
	tm_init(&a, CPU_P6);
	tm_init(&b, CPU_P6);
	tm_pm32(&a);
	tm_pm32(&b);
	size_t na = program(&a, ca), nb = program(&b, cb);
	tm_code(&a, ca, na);
	tm_code(&b, cb, nb);
	uint64_t a0 = cpu_insn_count(a.cpu), b0 = cpu_insn_count(b.cpu);
	enum cpu_stop sa = tm_run(&a, budget);
	chain_stamps_off = 1;
	enum cpu_stop sb = tm_run(&b, budget);
	chain_stamps_off = 0;
	cr_expect_eq(sa, sb);
	cr_expect_eq(cpu_insn_count(a.cpu) - a0, cpu_insn_count(b.cpu) - b0);
	cr_expect(memcmp(&a.s, &b.s, sizeof a.s) == 0, "state differs");
	expect_same_tlbs(&a, &b);
	/* The stamped machine did stamp; the other did not. */
	cr_expect_gt(core_of(a.cpu)->chain_stamps, 0);
	tm_fini(&a);
	tm_fini(&b);
}

/* INVLPG and MOV CR3 end blocks that chain with stamps (they cannot
 * change CS or the CPL; a change of the code page's translation sets the
 * attention word): the linear page 8000h maps frame 20000h (add eax, 1;
 * ret), then 21000h (add eax, 100; ret) after an INVLPG, then 20000h
 * again after a CR3 load, as in test_block.c's remapped code page.
 *   1000: mov ecx, 6 ; mov ebx, pd
 *   L: call 8000h ; cmp ecx, 5 ; jne N1 ; mov [PTE 8], 21003h
 *      ; invlpg [8000h]
 *   N1: cmp ecx, 3 ; jne N2 ; mov [PTE 8], 20003h ; mov cr3, ebx
 *   N2: loop L ; hlt                                                   */
static size_t remap_program(struct tm *m, uint8_t *c)
{
	identity_paging(m);
	uint32_t pte8 = 0x101000 + 4 * 8;
	tm_wr(m, pte8, 4, 0x20003);
	m->s.gpr[R_EAX] = 0;
	tm_set(m);
	static const uint8_t f1[] = { 0x83, 0xC0, 0x01, 0xC3 }, f2[] = { 0x83, 0xC0, 0x64, 0xC3 };
	tm_poke(m, 0x20000, f1, sizeof f1);
	tm_poke(m, 0x21000, f2, sizeof f2);
	size_t n = 0;
	c[n++] = 0xB9; poke32(&c[n], 6); n += 4;
	c[n++] = 0xBB; poke32(&c[n], 0x100000); n += 4;
	size_t l = n;
	c[n++] = 0xE8; poke32(&c[n], 0x8000 - (CODE_ADDR + (uint32_t)n + 4)); n += 4;
	c[n++] = 0x83; c[n++] = 0xF9; c[n++] = 5;
	c[n++] = 0x75; c[n++] = 17;
	c[n++] = 0xC7; c[n++] = 0x05; poke32(&c[n], pte8); n += 4; poke32(&c[n], 0x21003); n += 4;
	c[n++] = 0x0F; c[n++] = 0x01; c[n++] = 0x3D; poke32(&c[n], 0x8000); n += 4;
	c[n++] = 0x83; c[n++] = 0xF9; c[n++] = 3;
	c[n++] = 0x75; c[n++] = 13;
	c[n++] = 0xC7; c[n++] = 0x05; poke32(&c[n], pte8); n += 4; poke32(&c[n], 0x20003); n += 4;
	c[n++] = 0x0F; c[n++] = 0x22; c[n++] = 0xDB;
	c[n++] = 0xE2; c[n] = (uint8_t)(l - (n + 1)); n++;
	c[n++] = 0xF4;
	return n;
}

Test(chain, remapped_code_page_after_invlpg_and_cr3)
{
	uint8_t c[0x40];
	size_t n = remap_program(&t, c);
	tm_code(&t, c, n);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 204);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.eip, CODE_ADDR + (uint32_t)n);
}

Test(chain, same_without_stamps_two_pages) { run_both(two_page_program, 100000); }
Test(chain, same_without_stamps_remap) { run_both(remap_program, 1000); }
Test(chain, same_without_stamps_far_limit) { run_both(far_limit_program, 1000); }
