/* test_fuzz.c - robustness: random byte strings executed as code in real
 * mode and flat protected mode on every model. Whatever the guest does, the
 * run must come back with a valid stop reason, with EIP somewhere sensible,
 * and (under ASan/UBSan) without touching host memory outside guest RAM.
 * Deterministic: a fixed xorshift seed. */
#include <criterion/criterion.h>
#include "harness.h"

static uint32_t rng = 0x12345678;
static uint32_t next(void) { return tm_xorshift(&rng); }

static int ack(void *o) { (void)o; return 0x20 + (int)(next() & 7); }

static void fuzz_model(enum cpu_model m, int rounds)
{
	struct tm t;
	tm_init(&t, m);
	cpu_set_intr_ack(t.cpu, ack, NULL);
	for (int r = 0; r < rounds; r++) {
		uint8_t code[256];
		for (size_t k = 0; k < sizeof code; k++)
			code[k] = (uint8_t)next();
		if (r & 1)
			tm_pm32(&t);
		else
			tm_real(&t);
		for (int g = 0; g < 8; g++)
			t.s.gpr[g] = next() & 0x3FFFF;
		t.s.gpr[R_ESP] = STACK_TOP;
		tm_set(&t);
		tm_code(&t, code, sizeof code);
		cpu_set_intr(t.cpu, (r % 5) == 0);
		enum cpu_stop s = tm_run(&t, 500);
		cr_assert(s == CPU_STOP_LIMIT || s == CPU_STOP_HLT || s == CPU_STOP_SHUTDOWN,
			  "round %d: stop %d", r, s);
	}
	tm_fini(&t);
}

Test(fuzz, model_386, .timeout = 120) { fuzz_model(CPU_386, 4000); }
Test(fuzz, model_486, .timeout = 120) { fuzz_model(CPU_486, 4000); }
Test(fuzz, model_pentium, .timeout = 120) { fuzz_model(CPU_PENTIUM, 4000); }
Test(fuzz, model_p6, .timeout = 120) { fuzz_model(CPU_P6, 4000); }

/* Random bytes through the pure length decoder: always -1 or 1..15. */
Test(fuzz, decode_length_range)
{
	for (int r = 0; r < 200000; r++) {
		uint8_t b[16];
		for (size_t k = 0; k < sizeof b; k++)
			b[k] = (uint8_t)next();
		int n = cpu_decode_length((enum cpu_model)(r & 3), b, 1 + (int)(next() % 16), r & 4);
		cr_assert(n == -1 || (n >= 1 && n <= 15));
	}
}
