/* test_lengths.c - cross-check cpu_decode_length() against Capstone.
 *
 * Usage: test_lengths [--count N] [--seed S] [--model p6] [--show N]
 *
 * For each of 16-bit and 32-bit code, N random 15-byte strings (fixed seed,
 * xorshift64*) are decoded by mmulab's decoder and by Capstone (CS_ARCH_X86,
 * CS_MODE_16 / CS_MODE_32). Every string falls in exactly one class:
 *
 *   agree      both decode, same length
 *   differ     both decode, different lengths      -> the test fails
 *   ours-only  mmulab decodes, Capstone refuses
 *   cs-only    Capstone decodes, mmulab refuses (#UD on this model: x87,
 *              MMX, SSE and later opcodes, LOCK on a non-lockable form...)
 *   neither    both refuse
 *
 * The one-sided classes are not failures (the two decoders model different
 * CPUs: Capstone knows every extension up to AVX-512, mmulab's model has no
 * FPU and stops at the chosen CPU model), but they are never dropped
 * silently: each is counted and listed by opcode key (the opcode after the
 * legacy prefixes, "0F xx" for two-byte opcodes, plus "/r" for opcodes whose
 * ModRM reg field selects the instruction), so a reviewer can see that
 * every cs-only key is an extension the model lacks and every ours-only key
 * is a Capstone gap. docs/conformance.md discusses the expected lists.
 *
 * The test fails when any string is in the "differ" class. The last line is
 * "N passed, N failed" (passed = agree, failed = differ, per mode summed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "cpu.h"

#define MAX_LEN 15
#define NKEYS (2 * 256 * 9)   /* one- and two-byte opcodes, each with /0-/7 or none */

enum { C_AGREE, C_DIFFER, C_OURS_ONLY, C_CS_ONLY, C_NEITHER, C_COUNT };
static const char *class_names[C_COUNT] = {"agree", "differ", "ours-only", "cs-only", "neither"};

static uint64_t rng_state;

/* xorshift64*: small, fast and the same on every host. */
static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static int is_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
		return 1;
	}
	return 0;
}

/* Opcodes whose ModRM reg field selects the instruction (group opcodes and
 * x87 escapes): keyed with /r so the lists say which member is meant. */
static int is_group(int twobyte, uint8_t op)
{
	if (!twobyte)
		return (op >= 0x80 && op <= 0x83) || op == 0x8F || op == 0xC0 || op == 0xC1 ||
		       (op >= 0xD0 && op <= 0xD3) || op == 0xC6 || op == 0xC7 ||
		       (op >= 0xD8 && op <= 0xDF) || op == 0xF6 || op == 0xF7 || op == 0xFE ||
		       op == 0xFF;
	return op == 0x00 || op == 0x01 || op == 0xBA || op == 0xC7 || op == 0x18 ||
	       op == 0x71 || op == 0x72 || op == 0x73 || op == 0xAE;
}

/* Key index of the opcode in buf (after prefixes); -1 if the string is all
 * prefixes. */
static int opcode_key(const uint8_t *buf)
{
	int p = 0;
	while (p < MAX_LEN && is_prefix(buf[p]))
		p++;
	if (p >= MAX_LEN)
		return -1;
	int twobyte = 0;
	uint8_t op = buf[p];
	if (op == 0x0F) {
		if (p + 1 >= MAX_LEN)
			return -1;
		twobyte = 1;
		op = buf[++p];
	}
	int sub = 8;
	if (is_group(twobyte, op) && p + 1 < MAX_LEN)
		sub = (buf[p + 1] >> 3) & 7;
	return (twobyte * 256 + op) * 9 + sub;
}

/* x87 escapes (D8-DF) and the 0F 18-1F hint space: the expected ours-only
 * keys (Capstone refuses reserved x87 forms and some hint NOPs). */
static int is_escape_or_hint(int key)
{
	int op = (key / 9) % 256, twobyte = key / 9 / 256;
	return twobyte ? op >= 0x18 && op <= 0x1F : op >= 0xD8 && op <= 0xDF;
}

static void key_name(int key, char *out, size_t n)
{
	int sub = key % 9, op = (key / 9) % 256, twobyte = key / 9 / 256;
	if (sub == 8)
		snprintf(out, n, "%s%02X", twobyte ? "0F" : "", op);
	else
		snprintf(out, n, "%s%02X/%d", twobyte ? "0F" : "", op, sub);
}

struct stats {
	long count[C_COUNT];
	long by_key[C_COUNT][NKEYS];
};

static struct stats st[2];

/* Print the keys of one class, most frequent first, several to a line. */
static void list_class(const struct stats *s, int cls)
{
	static int order[NKEYS];
	int n = 0;
	for (int k = 0; k < NKEYS; k++)
		if (s->by_key[cls][k])
			order[n++] = k;
	for (int i = 1; i < n; i++) {
		int k = order[i], j = i;
		while (j > 0 && s->by_key[cls][order[j - 1]] < s->by_key[cls][k]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	printf("  %s by opcode (%d keys):", class_names[cls], n);
	for (int i = 0; i < n; i++) {
		char name[16];
		key_name(order[i], name, sizeof(name));
		printf("%s%s=%ld", i % 10 ? " " : "\n    ", name, s->by_key[cls][order[i]]);
	}
	printf("\n");
}

static void hexdump(const uint8_t *b, int n)
{
	for (int i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}

int main(int argc, char **argv)
{
	long count = 1000000;
	uint64_t seed = 20261121;
	int show = 10;
	enum cpu_model model = CPU_P6;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--count"))
			count = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--show"))
			show = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--model")) {
			if (cpu_model_parse(argv[i + 1], &model)) {
				fprintf(stderr, "unknown model %s\n", argv[i + 1]);
				return 2;
			}
		} else {
			fprintf(stderr, "usage: test_lengths [--count N] [--seed S] [--model M] [--show N]\n");
			return 2;
		}
	}

	long total_pass = 0, total_fail = 0;
	for (int mode = 0; mode < 2; mode++) {
		csh handle;
		if (cs_open(CS_ARCH_X86, mode ? CS_MODE_32 : CS_MODE_16, &handle) != CS_ERR_OK) {
			fprintf(stderr, "cs_open failed\n");
			return 2;
		}
		cs_insn *insn = cs_malloc(handle);
		struct stats *s = &st[mode];
		int shown = 0, shown_oo = 0;
		rng_state = seed * 2 + (uint64_t)mode + 1;
		for (long n = 0; n < count; n++) {
			uint8_t buf[16];
			uint64_t r0 = rng_next(), r1 = rng_next();
			memcpy(buf, &r0, 8);
			memcpy(buf + 8, &r1, 8);
			int ours = cpu_decode_length(model, buf, MAX_LEN, mode);
			const uint8_t *code = buf;
			size_t size = MAX_LEN;
			uint64_t addr = 0;
			int theirs = cs_disasm_iter(handle, &code, &size, &addr, insn) ? insn->size : -1;
			int cls;
			if (ours > 0 && theirs > 0)
				cls = ours == theirs ? C_AGREE : C_DIFFER;
			else if (ours > 0)
				cls = C_OURS_ONLY;
			else if (theirs > 0)
				cls = C_CS_ONLY;
			else
				cls = C_NEITHER;
			s->count[cls]++;
			int key = opcode_key(buf);
			if (key >= 0)
				s->by_key[cls][key]++;
			if (cls == C_OURS_ONLY && key >= 0 && !is_escape_or_hint(key) && shown_oo++ < show) {
				printf("OURS-ONLY %d-bit: ", mode ? 32 : 16);
				hexdump(buf, MAX_LEN);
				printf(": mmulab %d\n", ours);
			}
			if (cls == C_DIFFER && shown++ < show) {
				printf("DIFFER %d-bit: ", mode ? 32 : 16);
				hexdump(buf, MAX_LEN);
				printf(": mmulab %d, capstone %d (%s %s)\n", ours, theirs, insn->mnemonic,
				       insn->op_str);
			}
		}
		cs_free(insn, 1);
		cs_close(&handle);
		printf("%d-bit code, %ld strings, model %s:", mode ? 32 : 16, count,
		       cpu_model_name(model));
		for (int c = 0; c < C_COUNT; c++)
			printf(" %s %ld", class_names[c], s->count[c]);
		printf("\n");
		list_class(s, C_DIFFER);
		list_class(s, C_OURS_ONLY);
		list_class(s, C_CS_ONLY);
		total_pass += s->count[C_AGREE];
		total_fail += s->count[C_DIFFER];
	}
	printf("%ld passed, %ld failed\n", total_pass, total_fail);
	return total_fail ? 1 : 0;
}
