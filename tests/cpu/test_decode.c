/* test_decode.c - instruction lengths (cpu_decode_length), prefixes, the
 * 15-byte limit, LOCK validity and per-model #UD, both through the pure
 * length function and by executing (the exception that results).
 * Byte sequences come from GNU as (shown in comments). */
#include <criterion/criterion.h>
#include <string.h>
#include "harness.h"

struct len_case {
	const char *text;
	enum cpu_model model;
	int code32;
	uint8_t b[16];
	int n, want;
};

static const struct len_case lens[] = {
	{ "nop", CPU_386, 1, { 0x90 }, 1, 1 },
	{ "mov eax,[esp+0x100]", CPU_386, 1, { 0x8B, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00 }, 7, 7 },
	{ "mov eax,[ebp]", CPU_386, 1, { 0x8B, 0x45, 0x00 }, 3, 3 },
	{ "lea eax,[ebx*4+0x10]", CPU_386, 1, { 0x8D, 0x04, 0x9D, 0x10, 0, 0, 0 }, 7, 7 },
	{ "mov eax,moffs32", CPU_386, 1, { 0xA1, 0x78, 0x56, 0x34, 0x12 }, 5, 5 },
	{ "67 mov eax,moffs16", CPU_386, 1, { 0x67, 0xA1, 0x34, 0x12 }, 4, 4 },
	{ "mov ax,imm16 (66)", CPU_386, 1, { 0x66, 0xB8, 0x34, 0x12 }, 4, 4 },
	{ "enter 0x10,1", CPU_386, 1, { 0xC8, 0x10, 0x00, 0x01 }, 4, 4 },
	{ "call 0x10:0x12345678", CPU_386, 1, { 0x9A, 0x78, 0x56, 0x34, 0x12, 0x10, 0x00 }, 7, 7 },
	{ "call 0x10:0x1234 (16)", CPU_386, 0, { 0x9A, 0x34, 0x12, 0x10, 0x00 }, 5, 5 },
	{ "test al,imm8 (F6 /0)", CPU_386, 1, { 0xF6, 0xC0, 0x12 }, 3, 3 },
	{ "not al (F6 /2)", CPU_386, 1, { 0xF6, 0xD0 }, 2, 2 },
	{ "test eax,imm32 (F7 /0)", CPU_386, 1, { 0xF7, 0xC0, 1, 2, 3, 4 }, 6, 6 },
	{ "test ax,imm16 (16)", CPU_386, 0, { 0xF7, 0xC0, 1, 2 }, 4, 4 },
	{ "jz rel32", CPU_386, 1, { 0x0F, 0x84, 0xFA, 0, 0, 0 }, 6, 6 },
	{ "jz rel16 (66)", CPU_386, 1, { 0x66, 0x0F, 0x84, 0xFA, 0 }, 5, 5 },
	{ "shld eax,ebx,3", CPU_386, 1, { 0x0F, 0xA4, 0xD8, 0x03 }, 4, 4 },
	{ "imul eax,ebx,0x1000", CPU_386, 1, { 0x69, 0xC3, 0x00, 0x10, 0, 0 }, 6, 6 },
	{ "mov ax,[0x1234] (16)", CPU_386, 0, { 0xA1, 0x34, 0x12 }, 3, 3 },
	{ "mov ax,[bp] (16)", CPU_386, 0, { 0x8B, 0x46, 0x00 }, 3, 3 },
	{ "mov ax,[0x1234] modrm (16)", CPU_386, 0, { 0x8B, 0x06, 0x34, 0x12 }, 4, 4 },
	{ "lea ax,[bx+si+0x1234] (16)", CPU_386, 0, { 0x8D, 0x80, 0x34, 0x12 }, 4, 4 },
	{ "mov eax,[ebx+ecx*2] (16)", CPU_386, 0, { 0x67, 0x66, 0x8B, 0x04, 0x4B }, 5, 5 },
	{ "jmp rel16 (16)", CPU_386, 0, { 0xE9, 0xFD, 0x02 }, 3, 3 },
	{ "fld dword [eax] (no FPU, still decodes)", CPU_386, 1, { 0xD9, 0x00 }, 2, 2 },
	/* model features */
	{ "bswap on 386", CPU_386, 1, { 0x0F, 0xC8 }, 2, -1 },
	{ "bswap on 486", CPU_486, 1, { 0x0F, 0xC8 }, 2, 2 },
	{ "cmove on 486", CPU_486, 1, { 0x0F, 0x44, 0xC0 }, 3, -1 },
	{ "cmove on p6", CPU_P6, 1, { 0x0F, 0x44, 0xC0 }, 3, 3 },
	{ "cpuid on 386", CPU_386, 1, { 0x0F, 0xA2 }, 2, -1 },
	{ "cpuid on pentium", CPU_PENTIUM, 1, { 0x0F, 0xA2 }, 2, 2 },
	{ "cmpxchg8b on 486", CPU_486, 1, { 0x0F, 0xC7, 0x08 }, 3, -1 },
	{ "cmpxchg8b on pentium", CPU_PENTIUM, 1, { 0x0F, 0xC7, 0x08 }, 3, 3 },
	{ "cmpxchg8b reg form", CPU_PENTIUM, 1, { 0x0F, 0xC7, 0xC8 }, 3, -1 },
	{ "nop [eax] on pentium", CPU_PENTIUM, 1, { 0x0F, 0x1F, 0x00 }, 3, -1 },
	{ "nop [eax] on p6", CPU_P6, 1, { 0x0F, 0x1F, 0x00 }, 3, 3 },
	{ "xadd on 386", CPU_386, 1, { 0x0F, 0xC1, 0xD8 }, 3, -1 },
	{ "cmpxchg on 486", CPU_486, 1, { 0x0F, 0xB1, 0xD8 }, 3, 3 },
	{ "rdtsc on 486", CPU_486, 1, { 0x0F, 0x31 }, 2, -1 },
	{ "mov tr6 on 486", CPU_486, 1, { 0x0F, 0x24, 0xF0 }, 3, 3 },
	{ "mov tr6 on pentium", CPU_PENTIUM, 1, { 0x0F, 0x24, 0xF0 }, 3, -1 },
	{ "ud2", CPU_P6, 1, { 0x0F, 0x0B }, 2, -1 },
	{ "lea reg,reg", CPU_386, 1, { 0x8D, 0xC0 }, 2, -1 },
	{ "mov cs,ax", CPU_386, 1, { 0x8E, 0xC8 }, 2, -1 },
	{ "mov es,ax", CPU_386, 1, { 0x8E, 0xC0 }, 2, 2 },
	{ "FE /2", CPU_386, 1, { 0xFE, 0xD0 }, 2, -1 },
	{ "FF /7", CPU_386, 1, { 0xFF, 0xF8 }, 2, -1 },
	/* LOCK */
	{ "lock add [eax],eax", CPU_386, 1, { 0xF0, 0x01, 0x00 }, 3, 3 },
	{ "lock add eax,eax", CPU_386, 1, { 0xF0, 0x01, 0xC0 }, 3, -1 },
	{ "lock mov [eax],eax", CPU_386, 1, { 0xF0, 0x89, 0x00 }, 3, -1 },
	{ "lock cmp [eax],eax", CPU_386, 1, { 0xF0, 0x39, 0x00 }, 3, -1 },
	{ "lock bts [eax],5", CPU_386, 1, { 0xF0, 0x0F, 0xBA, 0x28, 0x05 }, 5, 5 },
	{ "lock bt [eax],5", CPU_386, 1, { 0xF0, 0x0F, 0xBA, 0x20, 0x05 }, 5, -1 },
	{ "lock xchg [eax],ebx", CPU_386, 1, { 0xF0, 0x87, 0x18 }, 3, 3 },
	{ "lock not byte [eax]", CPU_386, 1, { 0xF0, 0xF6, 0x10 }, 3, 3 },
	{ "lock test [eax],imm", CPU_386, 1, { 0xF0, 0xF6, 0x00, 0x01 }, 4, -1 },
	{ "lock cmpxchg8b [eax]", CPU_PENTIUM, 1, { 0xF0, 0x0F, 0xC7, 0x08 }, 4, 4 },
	/* truncated input */
	{ "truncated imm32", CPU_386, 1, { 0xB8, 0x01 }, 2, -1 },
};

Test(decode, lengths)
{
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		const struct len_case *c = &lens[k];
		int got = cpu_decode_length(c->model, c->b, c->n, c->code32);
		cr_expect_eq(got, c->want, "%s: got %d want %d", c->text, got, c->want);
	}
}

Test(decode, fifteen_byte_limit)
{
	uint8_t b[16];
	/* 14 operand-size prefixes + NOP: 15 bytes, legal */
	memset(b, 0x66, sizeof b);
	b[14] = 0x90;
	cr_expect_eq(cpu_decode_length(CPU_P6, b, 16, 1), 15);
	/* 15 prefixes + NOP: 16 bytes */
	b[14] = 0x66;
	b[15] = 0x90;
	cr_expect_eq(cpu_decode_length(CPU_P6, b, 16, 1), -1);
	/* a legal 11-byte instruction with 4 prefixes: 15 */
	static const uint8_t ok[] = { 0x26, 0x3E, 0x2E, 0x36,   /* segment prefixes */
		0xC7, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04 };
	cr_expect_eq(cpu_decode_length(CPU_P6, ok, 15, 1), 15);
	/* ... and one more prefix makes it 16 */
	uint8_t bad[16];
	bad[0] = 0x64;
	memcpy(bad + 1, ok, 15);
	cr_expect_eq(cpu_decode_length(CPU_P6, bad, 16, 1), -1);
}

static struct tm t;
static void teardown(void) { tm_fini(&t); }

/* Execute `code` (ending in HLT) in flat 32-bit mode on `m`; returns the
 * vector taken or -1. */
static int run_on(enum cpu_model m, const uint8_t *code, size_t n)
{
	tm_init(&t, m);
	tm_pm32(&t);
	t.s.gpr[R_EAX] = DATA_ADDR;
	tm_set(&t);
	cr_assert_eq(tm_exec(&t, code, n), CPU_STOP_HLT);
	return tm_vector(&t);
}

Test(decode, exec_lock_ud, .fini = teardown)
{
	static const uint8_t code[] = { 0xF0, 0x01, 0xC0, 0xF4 };   /* lock add eax,eax */
	cr_expect_eq(run_on(CPU_P6, code, sizeof code), EX_UD);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);     /* fault EIP */
}

Test(decode, exec_lock_ok, .fini = teardown)
{
	static const uint8_t code[] = { 0xF0, 0x01, 0x00, 0xF4 };   /* lock add [eax],eax */
	tm_init(&t, CPU_386);
	tm_pm32(&t);
	t.s.gpr[R_EAX] = DATA_ADDR;
	tm_set(&t);
	tm_wr(&t, DATA_ADDR, 4, 5);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), -1);
	cr_expect_eq(tm_rd(&t, DATA_ADDR, 4), 5 + DATA_ADDR);
}

Test(decode, exec_cmov_486_ud, .fini = teardown)
{
	static const uint8_t code[] = { 0x0F, 0x44, 0xC0, 0xF4 };
	cr_expect_eq(run_on(CPU_486, code, sizeof code), EX_UD);
}

Test(decode, exec_cmov_p6_ok, .fini = teardown)
{
	static const uint8_t code[] = { 0x0F, 0x44, 0xC0, 0xF4 };
	cr_expect_eq(run_on(CPU_P6, code, sizeof code), -1);
}

Test(decode, exec_bswap_386_ud, .fini = teardown)
{
	static const uint8_t code[] = { 0x0F, 0xC8, 0xF4 };
	cr_expect_eq(run_on(CPU_386, code, sizeof code), EX_UD);
}

Test(decode, exec_bswap_486, .fini = teardown)
{
	static const uint8_t code[] = { 0x0F, 0xC8, 0xF4 };     /* bswap eax */
	cr_expect_eq(run_on(CPU_486, code, sizeof code), -1);
	cr_expect_eq(t.s.gpr[R_EAX], 0x00000100u);               /* 00010000h swapped */
}

Test(decode, exec_too_long_gp, .fini = teardown)
{
	uint8_t code[17];
	memset(code, 0x66, 16);
	code[15] = 0x90;
	code[16] = 0xF4;
	cr_expect_eq(run_on(CPU_P6, code, sizeof code), EX_GP);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 16, 4), 0);             /* #GP(0) */
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);
}

/* Segment override: mov eax, es:[ebx] with ES based elsewhere (real mode). */
Test(decode, segment_override_real, .fini = teardown)
{
	static const uint8_t code[] = { 0x26, 0x66, 0x67, 0x8B, 0x03, 0xF4 };  /* mov eax, es:[ebx] */
	tm_init(&t, CPU_386);
	tm_real(&t);
	t.s.seg[S_ES].sel = 0x2000;
	t.s.seg[S_ES].base = 0x20000;
	t.s.gpr[R_EBX] = 0x10;
	tm_set(&t);
	tm_wr(&t, 0x20010, 4, 0xCAFEBABE);
	tm_wr(&t, 0x00010, 4, 0x11111111);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0xCAFEBABE);
}

/* 16-bit addressing wraps at 64 KiB: [bx+si] with bx+si > FFFFh. */
Test(decode, ea16_wraps, .fini = teardown)
{
	static const uint8_t code[] = { 0x8B, 0x00, 0xF4 };  /* mov ax,[bx+si] */
	tm_init(&t, CPU_386);
	tm_real(&t);
	t.s.gpr[R_EBX] = 0xFFF0;
	t.s.gpr[R_ESI] = 0x0020;
	tm_set(&t);
	tm_wr(&t, 0x10, 2, 0x4321);
	cr_assert_eq(tm_exec(&t, code, sizeof code), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX] & 0xFFFF, 0x4321);
}
