/* test_block.c - the decoded-block run loop: what executes must be exactly
 * what per-instruction execution gives, whatever was decoded ahead.
 * Expected values follow from the instruction semantics (Intel SDM vol. 2)
 * and, for stores into code, SDM vol. 3 11.6 (P6 family: a write to a code
 * location that is prefetched or decoded invalidates it).
 */
#include <string.h>
#include <criterion/criterion.h>
#include "harness.h"
#include "core.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(block, .init = setup, .fini = teardown);

/* A jump into the middle of an instruction that was decoded as part of an
 * earlier block: the bytes decode afresh from the new start.
 *   0: mov ecx, 0            B9 00 00 00 00
 *   5: mov eax, 40404040h    B8 40 40 40 40   (from 6: inc eax x4)
 *  10: inc ecx               41
 *  11: cmp ecx, 2            83 F9 02
 *  14: je 18                 74 02
 *  16: jmp 6                 EB F4
 *  18: hlt                   F4                                        */
Test(block, jump_into_decoded_instruction)
{
	static const uint8_t code[] = { 0xB9, 0, 0, 0, 0, 0xB8, 0x40, 0x40, 0x40, 0x40,
		0x41, 0x83, 0xF9, 0x02, 0x74, 0x02, 0xEB, 0xF4, 0xF4 };
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0x40404044u);
	cr_expect_eq(t.s.gpr[R_ECX], 2);
	cr_expect_eq(t.s.eip, CODE_ADDR + 19);
}

/* A store into an instruction three instructions further on in the same
 * straight-line run, which was decoded before the store executed.
 *   0: mov byte [CODE_ADDR+9], 40h   C6 05 <addr> 40  (nop -> inc eax)
 *   7: nop; 8: nop; 9: nop; 10: hlt                                      */
Test(block, store_into_later_instruction_of_the_run)
{
	uint8_t code[] = { 0xC6, 0x05, 0, 0, 0, 0, 0x40, 0x90, 0x90, 0x90, 0xF4 };
	uint32_t target = CODE_ADDR + 9;
	memcpy(&code[2], &target, 4);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(tm_rd(&t, target, 1), 0x40);
	cr_expect_eq(t.s.eip, CODE_ADDR + 11);
}

/* Stores to data bytes that share the page with the running code leave
 * the code alone: a loop adds to a counter just behind it.
 *   0: mov ecx, 100      B9 64 00 00 00
 *   5: inc dword [D]     FF 05 <D>
 *  11: dec ecx           49
 *  12: jne 5             75 F7
 *  14: hlt               F4
 *  16: D: dd 0                                                          */
Test(block, data_stores_in_the_code_page)
{
	uint8_t code[20] = { 0xB9, 100, 0, 0, 0, 0xFF, 0x05, 0, 0, 0, 0, 0x49, 0x75, 0xF7, 0xF4 };
	uint32_t d = CODE_ADDR + 16;
	memcpy(&code[7], &d, 4);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_rd(&t, d, 4), 100);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.eip, CODE_ADDR + 15);
}

/* An instruction budget that ends in the middle of a run of instructions
 * stops exactly there, and the next run goes on from it. */
Test(block, budget_ends_inside_a_run)
{
	static const uint8_t code[] = { 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	uint64_t n0 = cpu_insn_count(t.cpu);
	cr_assert_eq(tm_run(&t, 4), CPU_STOP_LIMIT);
	cr_expect_eq(t.s.gpr[R_EAX], 4);
	cr_expect_eq(t.s.eip, CODE_ADDR + 4);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 4);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 6);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 7);
}

/* CS limit in the middle of a straight run (SDM vol. 3 5.3): the
 * instructions inside it execute, the first one whose last byte is past
 * the limit faults with #GP(0) and EIP pointing at it. */
Test(block, cs_limit_inside_a_run)
{
	static const uint8_t code[] = { 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	t.s.seg[S_CS].limit = CODE_ADDR + 5;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(t.s.gpr[R_EAX], 6);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 0);             /* error code 0 */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 6);
}

/* The decoded run reaches past the CS limit but a fault inside the limit
 * ends it first: that fault is the one delivered, not #GP.
 *   0: inc eax; 1: div ecx (ECX = 0: #DE); 3..6: inc eax; 7: hlt         */
Test(block, fault_before_cs_limit)
{
	static const uint8_t code[] = { 0x40, 0xF7, 0xF1, 0x40, 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	t.s.seg[S_CS].limit = CODE_ADDR + 3;
	t.s.gpr[R_ECX] = 0;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_DE);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);
}

/* ---- Blocks against single steps.
 *
 * The same random program runs on two identical machines: one with a
 * budget of 600 instructions in one cpu_run() (decoded blocks), the other
 * one instruction per cpu_run() (every instruction a block of its own, the
 * boundary rules checked before each). Final registers, instruction counts
 * and the first 256 KiB of memory must be identical. The programs are
 * drawn from a menu biased towards what stresses blocks: stores into the
 * code (absolute and through registers that point at it), short jumps in
 * both directions, LOOP, PUSHF/POPF (TF), PUSH/POP, REP string
 * instructions (over the code too), and stray random bytes.
 */
static uint32_t brng = 0xC0FFEE11u;
static uint32_t bnext(void) { return tm_xorshift(&brng); }

static size_t gen_program(uint8_t *p, size_t cap)
{
	size_t n = 0;
	while (n + 8 <= cap) {
		uint32_t r = bnext();
		uint8_t reg = (uint8_t)((r >> 8) & 7), reg2 = (uint8_t)((r >> 11) & 7);
		if (reg == R_ESP)
			reg = R_EAX;
		switch (r % 16) {
		case 0: case 1: p[n++] = (uint8_t)(0x40 + ((r >> 14) & 15)); break; /* inc/dec r32 */
		case 2: p[n++] = 0x01; p[n++] = (uint8_t)(0xC0 | reg2 << 3 | reg); break; /* add */
		case 3: p[n++] = 0x31; p[n++] = (uint8_t)(0xC0 | reg2 << 3 | reg); break; /* xor */
		case 4: p[n++] = 0x88; p[n++] = (uint8_t)(reg2 << 3 | (reg == R_EBP ? R_EBX : reg)); break; /* mov [r], r8 */
		case 5: {                                                   /* mov byte [code+x], imm8 */
			uint32_t a = CODE_ADDR + (bnext() % (uint32_t)cap);
			p[n++] = 0xC6; p[n++] = 0x05;
			memcpy(&p[n], &a, 4); n += 4;
			p[n++] = (uint8_t)(0x40 + (bnext() & 15));          /* an INC/DEC */
			break;
		}
		case 6: case 7: p[n++] = (uint8_t)(0x70 + ((r >> 14) & 15)); p[n++] = (uint8_t)(r >> 20); break; /* jcc */
		case 8: p[n++] = 0xEB; p[n++] = (uint8_t)(((r >> 20) & 0x1F) - 0x10); break; /* jmp short */
		case 9: p[n++] = 0xE2; p[n++] = (uint8_t)(0x100 - ((r >> 20) & 0x1F) - 2); break; /* loop back */
		case 10: p[n++] = (uint8_t)(0x50 + reg); break;               /* push */
		case 11: p[n++] = (uint8_t)(0x58 + reg); break;               /* pop */
		case 12: p[n++] = 0x9C; break;                                /* pushf */
		case 13:
			if (r & 0x100000) {
				p[n++] = 0x9D;                                /* popf (TF, IF, DF...) */
			} else {                                              /* rep movs/stos/cmps/scas */
				static const uint8_t str[] = { 0xA4, 0xA5, 0xAA, 0xAB, 0xA6, 0xAE };
				p[n++] = (r & 0x200000) ? 0xF3 : 0xF2;
				p[n++] = str[(r >> 22) % 6];
			}
			break;
		case 14: p[n++] = 0x83; p[n++] = (uint8_t)(0xC0 | ((r >> 14) & 7) << 3 | reg); p[n++] = (uint8_t)(r >> 24); break;
		default: p[n++] = (uint8_t)(r >> 24); break;                 /* anything */
		}
	}
	p[n++] = 0xF4;
	return n;
}

static void setup_pair(struct tm *m, const uint8_t *code, size_t len, uint32_t seed)
{
	tm_pm32(m);
	uint32_t s = seed;
	for (int g = 0; g < 8; g++) {
		s = s * 1103515245u + 12345u;
		m->s.gpr[g] = CODE_ADDR + (s >> 8) % 0x400;   /* into the code and just past it */
	}
	m->s.gpr[R_ESP] = STACK_TOP;
	m->s.gpr[R_ECX] &= 0xFF;
	tm_set(m);
	tm_code(m, code, len);
}

static void compare_models(enum cpu_model model, int rounds)
{
	static uint8_t mem_a[256 * 1024], mem_b[256 * 1024];
	struct tm a, b;
	tm_init(&a, model);
	tm_init(&b, model);
	for (int r = 0; r < rounds; r++) {
		uint8_t code[512];
		size_t len = gen_program(code, sizeof code - 1);
		uint32_t seed = bnext();
		setup_pair(&a, code, len, seed);
		setup_pair(&b, code, len, seed);
		uint64_t a0 = cpu_insn_count(a.cpu), b0 = cpu_insn_count(b.cpu);
		enum cpu_stop sa = tm_run(&a, 600), sb = CPU_STOP_LIMIT;
		for (int k = 0; k < 600 && sb == CPU_STOP_LIMIT; k++)
			sb = tm_run(&b, 1);
		cr_assert_eq(sa, sb, "round %d: stop %d vs %d", r, sa, sb);
		cr_assert_eq(cpu_insn_count(a.cpu) - a0, cpu_insn_count(b.cpu) - b0, "round %d", r);
		cr_assert_eq(a.s.eip, b.s.eip, "round %d: eip %x vs %x", r, a.s.eip, b.s.eip);
		cr_assert_eq(a.s.eflags, b.s.eflags, "round %d", r);
		for (int g = 0; g < 8; g++)
			cr_assert_eq(a.s.gpr[g], b.s.gpr[g], "round %d: gpr %d", r, g);
		bus_peek(a.bus, 0, mem_a, sizeof mem_a);
		bus_peek(b.bus, 0, mem_b, sizeof mem_b);
		cr_assert(memcmp(mem_a, mem_b, sizeof mem_a) == 0, "round %d: memory differs", r);
	}
	tm_fini(&a);
	tm_fini(&b);
}

Test(block, same_as_single_steps_p6, .timeout = 300) { compare_models(CPU_P6, 1500); }
Test(block, same_as_single_steps_386, .timeout = 300) { compare_models(CPU_386, 1500); }

/* Many distinct blocks: the decoded-block arena (8 MiB) fills and starts
 * over several times; every run still executes the right bytes. 64 KiB of
 * INC EAX, entered at every byte, three instructions each (each entry
 * decodes a block of 32). */
Test(block, arena_starts_over, .timeout = 120)
{
	enum { BASE = 0x100000, LEN = 0x10000 };
	static uint8_t code[LEN + 1];
	memset(code, 0x40, LEN);
	code[LEN] = 0xF4;
	tm_poke(&t, BASE, code, sizeof code);
	for (uint32_t x = 0; x < LEN - 64; x++) {
		t.s.eip = BASE + x;
		t.s.gpr[R_EAX] = x;
		t.s.halted = 0;
		tm_set(&t);
		cr_assert_eq(tm_run(&t, 3), CPU_STOP_LIMIT, "entry %x", x);
		cr_assert_eq(t.s.gpr[R_EAX], x + 3, "entry %x", x);
		cr_assert_eq(t.s.eip, BASE + x + 3, "entry %x", x);
	}
	/* blocks_init() counts its own empty start as no flush; the arena
	 * must have started over at least a few times. */
	cr_expect_geq(core_of(t.cpu)->block_flushes, 8, "%llu", (unsigned long long)core_of(t.cpu)->block_flushes);
	/* A store into the code after all that is still seen. */
	static const uint8_t dec[] = { 0x48 };   /* dec eax */
	tm_poke(&t, BASE + 1, dec, 1);
	t.s.eip = BASE;
	t.s.gpr[R_EAX] = 10;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 3), CPU_STOP_LIMIT);
	cr_expect_eq(t.s.gpr[R_EAX], 11);        /* inc, dec, inc */
}

/* ---- Chaining (exec.c): a block that ends with the attention word clear
 * goes straight to the block its links name. Each test below builds the
 * situation in which a link made earlier no longer names what the table
 * lookup would give, and checks that the fresh bytes run. */

static void poke32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* The straddle pseudo-block is not dropped with the page's blocks, so its
 * link is the one that can outlive a block dropped by a store into it: a
 * JMP rel32 across the end of page 1000h jumps back to X, and X stores CL
 * into its own ADD immediate each time round (dropping X).
 *   1000: mov ecx, 5 ; jmp 1FFDh
 *   1010: X: add ebx, imm8(1) ; mov [1012h], cl ; dec ecx ; jnz 1FFDh ; hlt
 *   1FFD: jmp 1010h (E9 + 4 bytes, the last one in page 2000h)
 * EBX = 1 + 5 + 4 + 3 + 2. Checked to fail (EBX = 5) without the mode test
 * on the successor in run_loop. */
Test(block, chain_successor_dropped_by_smc)
{
	uint8_t code[0x1000 + 8] = { 0 };
	static const uint8_t head[] = { 0xB9, 5, 0, 0, 0, 0xE9, 0, 0, 0, 0 };
	memcpy(code, head, sizeof head);
	poke32(&code[6], 0x1FFD - 0x100A);
	static const uint8_t x[] = { 0x83, 0xC3, 0x01, 0x88, 0x0D, 0x12, 0x10, 0, 0,
				     0x49, 0x0F, 0x85, 0, 0, 0, 0, 0xF4 };
	memcpy(&code[0x10], x, sizeof x);
	poke32(&code[0x1C], 0x1FFD - 0x1020);
	code[0xFFD] = 0xE9;
	poke32(&code[0xFFE], 0x1010 - 0x2002);
	tm_poke(&t, CODE_ADDR, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EBX], 15);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.eip, 0x1021);
}

/* The arena starting over while a link into it is held: the straddle
 * pseudo-block links to X; the budget stops the loop at F, the arena is
 * made full, and the next build (F) starts it over, F landing where X was.
 * The straddler's link must not run F's instructions as X.
 *   1000: X: inc ebx ; dec ecx ; jnz 1FFDh
 *   1008: F: cmp ebx, 4 ; jae H
 *   100D: Z: mov ecx, 1 ; jmp 1FFDh
 *   1017: H: hlt
 *   1FFD: jmp 1000h (straddles into page 2000h)
 * Two guards: arena_reset() empties the pseudo-block's links, and the
 * link's block must sit at the physical address lin maps to. Checked to
 * fail (budget reached, EBX = 3) with both removed. */
Test(block, chain_successor_gone_with_the_arena)
{
	uint8_t code[0x1000 + 8] = { 0 };
	static const uint8_t x[] = {
		0x43, 0x49, 0x0F, 0x85, 0, 0, 0, 0,     /* X */
		0x83, 0xFB, 0x04, 0x73, 0x0A,           /* F */
		0xB9, 1, 0, 0, 0, 0xE9, 0, 0, 0, 0,     /* Z */
		0xF4 };                                 /* H */
	memcpy(code, x, sizeof x);
	poke32(&code[4], 0x1FFD - 0x1008);
	poke32(&code[0x13], 0x1FFD - 0x1017);
	code[0xFFD] = 0xE9;
	poke32(&code[0xFFE], 0x1000 - 0x2002);
	tm_poke(&t, CODE_ADDR, code, sizeof code);
	t.s.eip = 0x1FFD;
	t.s.gpr[R_ECX] = 3;
	t.s.gpr[R_EBX] = 0;
	tm_set(&t);
	blocks_flush(t.cpu);    /* X is the first block of an empty arena */
	/* S X S X S X: three rounds of one straddler and three X instructions */
	cr_assert_eq(tm_run(&t, 12), CPU_STOP_LIMIT);
	cr_assert_eq(t.s.eip, 0x1008);
	uint64_t flushes = core_of(t.cpu)->block_flushes;
	core_of(t.cpu)->arena_used = (size_t)8 << 20;   /* full: the next build starts over */
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(core_of(t.cpu)->block_flushes, flushes + 1);
	cr_expect_eq(t.s.gpr[R_EBX], 4);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.eip, 0x1018);
}

/* Identity paging of the first 4 MiB with the given PTE flags. */
static void identity_paging(uint32_t pte_flags)
{
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_wr(&t, pd, 4, pt | 7);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(&t, pt + 4 * k, 4, (k << 12) | pte_flags);
	t.s.cr3 = pd;
	t.s.cr0 |= CR0_PG;
}

/* A linear code page remapped to another frame, by INVLPG and then back by
 * a CR3 load, runs the new frame's bytes at once, also when the code that
 * jumps there ran chained before. 8000h maps frame 20000h (add eax, 1;
 * ret) and then 21000h (add eax, 100; ret).
 *   1000: mov ecx, 6 ; mov ebx, CR3
 *   100A: L: call 8000h ; cmp ecx, 5 ; jne N1
 *        mov dword [PTE 8], 21003h ; invlpg [8000h]
 *   N1: cmp ecx, 3 ; jne N2 ; mov dword [PTE 8], 20003h ; mov cr3, ebx
 *   N2: loop L ; hlt
 * EAX = 1 + 1 + 100 + 100 + 1 + 1. Checked to fail (EAX = 6) without
 * run_loop's tests that lin lies in the translated code page and maps to
 * the link's block (either alone suffices here). */
Test(block, chain_across_remapped_code_page)
{
	identity_paging(3);
	uint32_t pte8 = 0x101000 + 4 * 8;
	tm_wr(&t, pte8, 4, 0x20003);
	static const uint8_t f1[] = { 0x83, 0xC0, 0x01, 0xC3 }, f2[] = { 0x83, 0xC0, 0x64, 0xC3 };
	tm_poke(&t, 0x20000, f1, sizeof f1);
	tm_poke(&t, 0x21000, f2, sizeof f2);
	uint8_t c[64];
	size_t n = 0;
	c[n++] = 0xB9; poke32(&c[n], 6); n += 4;                       /* mov ecx, 6 */
	c[n++] = 0xBB; poke32(&c[n], 0x100000); n += 4;                /* mov ebx, pd */
	size_t l = n;
	c[n++] = 0xE8; poke32(&c[n], 0x8000 - (CODE_ADDR + (uint32_t)n + 4)); n += 4;
	c[n++] = 0x83; c[n++] = 0xF9; c[n++] = 5;                      /* cmp ecx, 5 */
	c[n++] = 0x75; c[n++] = 17;                                    /* jne N1 */
	c[n++] = 0xC7; c[n++] = 0x05; poke32(&c[n], pte8); n += 4; poke32(&c[n], 0x21003); n += 4;
	c[n++] = 0x0F; c[n++] = 0x01; c[n++] = 0x3D; poke32(&c[n], 0x8000); n += 4;
	c[n++] = 0x83; c[n++] = 0xF9; c[n++] = 3;                      /* N1: cmp ecx, 3 */
	c[n++] = 0x75; c[n++] = 13;                                    /* jne N2 */
	c[n++] = 0xC7; c[n++] = 0x05; poke32(&c[n], pte8); n += 4; poke32(&c[n], 0x20003); n += 4;
	c[n++] = 0x0F; c[n++] = 0x22; c[n++] = 0xDB;                   /* mov cr3, ebx */
	c[n++] = 0xE2; c[n] = (uint8_t)(l - (n + 1)); n++;             /* N2: loop L */
	c[n++] = 0xF4;
	tm_set(&t);
	tm_code(&t, c, n);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 204);
	cr_expect_eq(t.s.gpr[R_ECX], 0);
	cr_expect_eq(t.s.eip, CODE_ADDR + (uint32_t)n);
}

/* A chain across a CPL change: A's IRET first returns to B at CPL 0 (A is
 * linked to B), then to B at CPL 3, where the supervisor-only code page
 * must fault on fetch (#PF, error code P | U) instead of B running.
 *   1000: A: push esi ; push edi ; push 2 ; push edx ; push ebp ; iret
 *   1007: B: inc ebx ; mov edx, SEL_UCODE ; jmp A
 * Three guards each keep B from running chained here (cpu_code_changed's
 * attention, its dropping the code page translation, run_loop's CPL test);
 * checked to fail (B runs at CPL 3) with all three removed, not with any
 * one alone. */
Test(block, chain_across_cpl_change)
{
	static const uint8_t code[] = { 0x56, 0x57, 0x6A, 0x02, 0x52, 0x55, 0xCF,
					0x43, 0xBA, SEL_UCODE, 0, 0, 0, 0xEB, 0xF1 };
	identity_paging(3);             /* supervisor pages only */
	t.s.gpr[R_EDX] = SEL_CODE32;
	t.s.gpr[R_EBP] = CODE_ADDR + 7;
	t.s.gpr[R_ESI] = SEL_UDATA;
	t.s.gpr[R_EDI] = 0x8F00;
	t.s.gpr[R_EBX] = 0;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_PF);
	cr_expect_eq(t.s.gpr[R_EBX], 1);
	cr_expect_eq(t.s.cr2, CODE_ADDR + 7);
	cr_expect_eq(tm_rd(&t, STACK0 - 24, 4), 5);            /* error code P | U */
	cr_expect_eq(tm_rd(&t, STACK0 - 20, 4), CODE_ADDR + 7);
}

/* A chain across a code-size change: A's RETF first goes to B through the
 * 32-bit code segment (A is linked to B), then through the 16-bit one,
 * where the same bytes decode differently.
 *   1000: A: push edx ; push ebp ; retf
 *   1003: B: 32-bit: mov eax, 07EB1234h ; mov edx, SEL_CODE16 ; jmp A
 *            16-bit: mov ax, 1234h ; jmp short H
 *   100F: H: hlt
 * As above, checked to fail (the 32-bit B runs for ever) only with the
 * attention, the translation drop and run_loop's mode test all removed. */
Test(block, chain_across_code_size_change)
{
	static const uint8_t code[] = { 0x52, 0x55, 0xCB,
		0xB8, 0x34, 0x12, 0xEB, 0x07, 0xBA, SEL_CODE16, 0, 0, 0, 0xEB, 0xF1, 0xF4 };
	t.s.gpr[R_EDX] = SEL_CODE32;
	t.s.gpr[R_EBP] = CODE_ADDR + 3;
	t.s.gpr[R_EAX] = 0;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);
	cr_expect_eq(t.s.seg[S_CS].sel, SEL_CODE16);
	cr_expect_eq(t.s.eip, CODE_ADDR + 16);
	cr_expect_eq(t.s.gpr[R_EAX], 0x07EB1234u);
	cr_expect_eq(cpu_insn_count(t.cpu) >= 8, 1);
}

/* An interrupt raised by an OUT (which ends its block) is taken right
 * after it, not after the linked successor's first instruction.
 *   1000: L: inc eax ; out 80h, al ; jmp L
 * The port raises INTR when AL = 3; the handler's frame holds 1003h.
 * Checked to fail (1000h) without the attention test before chaining. */
static struct tm *irq_tm;
static void irq_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	(void)opaque; (void)port; (void)size;
	if ((val & 0xFF) == 3)
		cpu_set_intr(irq_tm->cpu, 1);
}
static int irq_ack(void *opaque)
{
	(void)opaque;
	cpu_set_intr(irq_tm->cpu, 0);
	return 0x20;
}
Test(block, chain_stops_for_an_interrupt)
{
	static const uint8_t code[] = { 0x40, 0xE6, 0x80, 0xEB, 0xFB };
	static const struct io_ops ops = { NULL, irq_out };
	irq_tm = &t;
	bus_map_io(t.bus, 0x80, 1, &ops, NULL);
	cpu_set_intr_ack(t.cpu, irq_ack, NULL);
	t.s.eflags |= FL_IF;
	t.s.gpr[R_EAX] = 0;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), 0x20);
	cr_expect_eq(t.s.gpr[R_EAX], 3);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 3);
}

/* A budget that ends inside a chained loop stops exactly there.
 *   1000: L: inc eax ; inc ebx ; dec ecx ; jnz L ; hlt                  */
Test(block, budget_ends_inside_a_chained_loop)
{
	static const uint8_t code[] = { 0x40, 0x43, 0x49, 0x75, 0xFB, 0xF4 };
	t.s.gpr[R_EAX] = t.s.gpr[R_EBX] = 0;
	t.s.gpr[R_ECX] = 100;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	uint64_t n0 = cpu_insn_count(t.cpu);
	cr_assert_eq(tm_run(&t, 4 * 37 + 2), CPU_STOP_LIMIT);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 4 * 37 + 2);
	cr_expect_eq(t.s.gpr[R_EAX], 38);
	cr_expect_eq(t.s.gpr[R_EBX], 38);
	cr_expect_eq(t.s.gpr[R_ECX], 63);
	cr_expect_eq(t.s.eip, CODE_ADDR + 2);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 401);
	cr_expect_eq(t.s.gpr[R_EAX], 100);
}

/* Exact counts around a fault in the middle of a block reached by a chain:
 * the faulting instruction counts once its exception is delivered, and a
 * budget can end just before it.
 *   1000: L: inc eax ; dec ecx ; jnz L ; inc ebx ; div esi (ESI = 0: #DE)
 *        ; inc ebx ; hlt                                                */
Test(block, counts_at_a_fault_inside_a_chained_block)
{
	static const uint8_t code[] = { 0x40, 0x49, 0x75, 0xFC, 0x43, 0xF7, 0xF6, 0x43, 0xF4 };
	for (int split = 0; split < 2; split++) {
		tm_pm32(&t);
		t.s.gpr[R_EAX] = t.s.gpr[R_EBX] = t.s.gpr[R_ESI] = 0;
		t.s.gpr[R_ECX] = 5;
		tm_set(&t);
		tm_code(&t, code, sizeof code);
		uint64_t n0 = cpu_insn_count(t.cpu);
		if (split) {
			/* 5 rounds of 3, then INC EBX: stop on the DIV */
			cr_assert_eq(tm_run(&t, 16), CPU_STOP_LIMIT);
			cr_expect_eq(cpu_insn_count(t.cpu) - n0, 16);
			cr_expect_eq(t.s.eip, CODE_ADDR + 5);
		}
		cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
		cr_expect_eq(tm_vector(&t), EX_DE);
		/* 15 + INC + DIV (faulted, delivered) + the stub's HLT */
		cr_expect_eq(cpu_insn_count(t.cpu) - n0, 18, "split %d", split);
		cr_expect_eq(t.s.gpr[R_EAX], 5);
		cr_expect_eq(t.s.gpr[R_EBX], 1);
		cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 5);
	}
}

/* ---- lazy retirement: c->insns is added once per block, and every
 * reader in between gets the exact count from cpu_retired(). */

#define MMIO_ADDR 0xFE000000u
static uint64_t seen[16];
static int nseen;
static uint32_t mmio_read(void *opaque, uint32_t off, int size)
{
	(void)opaque; (void)off; (void)size;
	if (nseen < 16)
		seen[nseen++] = cpu_insn_count(t.cpu);
	return 0;
}
static void mmio_write(void *opaque, uint32_t off, int size, uint32_t val)
{
	(void)opaque; (void)off; (void)size; (void)val;
}
static uint32_t port_in(void *opaque, uint16_t port, int size)
{
	return mmio_read(opaque, port, size);
}
static void port_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	(void)val;
	mmio_read(opaque, port, size);
}

/* A device read in the middle of blocks (MMIO does not end a block) sees
 * the count of the instructions before it, in the first block and in the
 * chained ones.
 *   0: L: inc eax ; inc ebx ; mov edx, [MMIO] ; inc esi ; mov edx, [MMIO]
 *  15:    dec ecx ; jnz L ; hlt                                          */
Test(block, device_reads_the_count_inside_a_block)
{
	static const struct mmio_ops ops = { mmio_read, mmio_write };
	static const uint8_t code[] = {
		0x40, 0x43, 0x8B, 0x15, 0x00, 0x00, 0x00, 0xFE, 0x46,
		0x8B, 0x15, 0x00, 0x00, 0x00, 0xFE, 0x49, 0x75, 0xEE, 0xF4 };
	bus_map_mmio(t.bus, MMIO_ADDR, 0x1000, &ops, NULL);
	t.s.gpr[R_ECX] = 3;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	nseen = 0;
	uint64_t n0 = cpu_insn_count(t.cpu);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_assert_eq(nseen, 6);
	for (int k = 0; k < 3; k++) {
		cr_expect_eq(seen[2 * k] - n0, 7u * k + 2, "round %d", k);
		cr_expect_eq(seen[2 * k + 1] - n0, 7u * k + 4, "round %d", k);
	}
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 22);
}

/* OUT and IN end their blocks: the device sees the instructions of the
 * block before them.
 *   inc eax x5 ; out 80h, al ; inc eax x2 ; in al, 81h ; hlt           */
Test(block, port_access_reads_the_count)
{
	static const struct io_ops ops = { port_in, port_out };
	static const uint8_t code[] = {
		0x40, 0x40, 0x40, 0x40, 0x40, 0xE6, 0x80, 0x40, 0x40, 0xE4, 0x81, 0xF4 };
	bus_map_io(t.bus, 0x80, 2, &ops, NULL);
	tm_code(&t, code, sizeof code);
	nseen = 0;
	uint64_t n0 = cpu_insn_count(t.cpu);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	cr_assert_eq(nseen, 2);
	cr_expect_eq(seen[0] - n0, 5);
	cr_expect_eq(seen[1] - n0, 8);
	cr_expect_eq(cpu_insn_count(t.cpu) - n0, 10);
}

/* RDTSC at the end of a block (it ends blocks) after three others, in a
 * chained loop: one tick per retired instruction.
 *   L: mov [ebx], eax ; add ebx, 4 ; dec ecx ; rdtsc ; jnz L ; hlt       */
Test(block, rdtsc_in_a_chained_loop)
{
	static const uint8_t code[] = {
		0x89, 0x03, 0x83, 0xC3, 0x04, 0x49, 0x0F, 0x31, 0x75, 0xF6, 0xF4 };
	t.s.gpr[R_EAX] = 0;
	t.s.gpr[R_EBX] = DATA_ADDR;
	t.s.gpr[R_ECX] = 6;
	t.s.tsc = 1000;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
	/* The written TSC counts from the first read on (model.c). */
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 0);
	for (uint32_t k = 1; k < 6; k++)
		cr_expect_eq(tm_rd(&t, DATA_ADDR + 4 * k, 4), 1000 + 5 * (k - 1), "round %u", k);
	cr_expect_eq(t.s.gpr[R_EAX], 1000 + 5 * 5);
	/* RDTSC itself, JNZ and HLT after the last read */
	cr_expect_eq(t.s.tsc, 1000 + 5 * 5 + 3);
}

/* cpu_retired() and cpu_insn_eip() alone, on a made-up running block of
 * three instructions (lengths 1, 2, 3 from EIP 100h): the count is that of
 * the instructions before run_cur; the EIP of an earlier instruction comes
 * from run_eip and its offset, the last one's is c->insn_eip (which its
 * handler may have moved, as a task switch's debug trap does). */
Test(block, retired_count_inside_a_block)
{
	struct cpu *c = t.cpu;
	struct core *k = core_of(c);
	struct insn ins[3];
	struct block b;
	memset(ins, 0, sizeof ins);
	memset(&b, 0, sizeof b);
	ins[0].len = 1;
	ins[1].len = 2;
	ins[2].len = 3;
	ins[1].off = 1;
	ins[2].off = 3;
	b.i = ins;
	b.n = 3;
	b.len = 6;
	b.last_off = 3;
	uint64_t saved = c->insns;
	c->insns = 50;
	k->run_block = &b;
	k->run_eip = 0x100;
	static const struct { int cur; uint32_t insn_eip; uint64_t want; uint32_t want_eip; } cases[] = {
		{ 0, 0x103, 50, 0x100 }, { 1, 0x103, 51, 0x101 }, { 2, 0x103, 52, 0x103 },
		{ 2, 0x101, 52, 0x101 },   /* the last one moved insn_eip onto an earlier one */
		{ 2, 0x5000, 52, 0x5000 },
	};
	for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
		k->run_cur = &ins[cases[j].cur];
		c->insn_eip = cases[j].insn_eip;
		c->s.eip = 0x106;
		cr_expect_eq(cpu_retired(c), cases[j].want, "case %zu", j);
		cr_expect_eq(cpu_insn_count(c), cases[j].want, "case %zu", j);
		cr_expect_eq(cpu_insn_eip(c), cases[j].want_eip, "case %zu", j);
	}
	k->run_block = NULL;
	c->insn_eip = 0x200;
	cr_expect_eq(cpu_retired(c), 50);
	cr_expect_eq(cpu_insn_eip(c), 0x200);
	c->insns = saved;
}

/* A device in the middle of a block sees the EIP of the instruction that
 * accesses it (cpu_last_pc(), which `-d unimp` uses to log accesses that no
 * device claims), and a reader of cpu_insn_eip_source() (the stale-TLB
 * checker) sees it in c->insn_eip itself.
 *   0: inc eax ; mov edx, [MMIO] ; inc esi ; mov [MMIO], edx ; hlt       */
static uint32_t pcs[8], srcs[8];
static const uint32_t *eip_src;
static uint32_t pc_read(void *opaque, uint32_t off, int size)
{
	(void)opaque; (void)off; (void)size;
	if (nseen < 8) {
		uint16_t cs;
		cpu_last_pc(t.cpu, &cs, &pcs[nseen]);
		srcs[nseen] = eip_src ? *eip_src : 0;
		seen[nseen++] = cpu_insn_count(t.cpu);
	}
	return 0;
}
static void pc_write(void *opaque, uint32_t off, int size, uint32_t val)
{
	(void)val;
	pc_read(opaque, off, size);
}
Test(block, device_sees_the_eip_inside_a_block)
{
	static const struct mmio_ops ops = { pc_read, pc_write };
	static const uint8_t code[] = {
		0x40, 0x8B, 0x15, 0x00, 0x00, 0x00, 0xFE, 0x46,
		0x89, 0x15, 0x00, 0x00, 0x00, 0xFE, 0xF4 };
	bus_map_mmio(t.bus, MMIO_ADDR, 0x1000, &ops, NULL);
	for (int exact = 0; exact < 2; exact++) {
		tm_pm32(&t);
		tm_code(&t, code, sizeof code);
		eip_src = exact ? cpu_insn_eip_source(t.cpu) : NULL;
		nseen = 0;
		uint64_t n0 = cpu_insn_count(t.cpu);
		cr_assert_eq(tm_run(&t, 1000), CPU_STOP_HLT);
		cr_assert_eq(nseen, 2);
		cr_expect_eq(pcs[0], CODE_ADDR + 1, "exact %d", exact);
		cr_expect_eq(pcs[1], CODE_ADDR + 8, "exact %d", exact);
		cr_expect_eq(seen[0] - n0, 1);
		cr_expect_eq(seen[1] - n0, 3);
		if (exact) {
			cr_expect_eq(srcs[0], CODE_ADDR + 1);
			cr_expect_eq(srcs[1], CODE_ADDR + 8);
		}
		cr_expect_eq(t.s.eip, CODE_ADDR + sizeof code);
	}
}
