/* test_qemu.c - differential check against qemu-system-i386 7.2: the
 * real-mode ROMs built from qemu/gen_rom.py run ~3600 single-instruction
 * cases (shifts/rotates at every interesting count, SHLD/SHRD, ALU, MUL/
 * IMUL/DIV/IDIV, BSF/BSR, BT*, BCD, NEG/NOT/INC/DEC, XADD, CMPXCHG, SALC,
 * LAHF/SAHF, conversions, BSWAP) and print EAX, EDX, EBX and the full
 * EFLAGS (undefined flags included) to port E9h. The golden files
 * qemu/qemu<N>.out hold what QEMU printed (qemu/regen.sh). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"

static uint8_t outbuf[65536];
static size_t outlen;
static struct cpu *cur;

static uint32_t port_in(void *o, uint16_t p, int s) { (void)o; (void)p; (void)s; return 0xFFFFFFFF; }
static void port_out(void *o, uint16_t p, int s, uint32_t v)
{
	(void)o;
	(void)s;
	if (p == 0xE9) {
		if (outlen < sizeof outbuf)
			outbuf[outlen++] = (uint8_t)v;
	} else {
		cpu_request_stop(cur);
	}
}

static size_t slurp(const char *path, uint8_t *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	size_t n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void run_rom(int n)
{
	const char *romdir = getenv("QEMU_ROM_DIR"), *golddir = getenv("QEMU_GOLDEN_DIR");
	cr_assert(romdir && golddir, "QEMU_ROM_DIR / QEMU_GOLDEN_DIR not set");
	char path[1024];
	static uint8_t rom[65536], gold[65536];
	snprintf(path, sizeof path, "%s/rom%d.bin", romdir, n);
	cr_assert_eq(slurp(path, rom, sizeof rom), sizeof rom);
	snprintf(path, sizeof path, "%s/qemu%d.out", golddir, n);
	size_t glen = slurp(path, gold, sizeof gold);

	/* case names, for messages */
	static char cases[400000];
	snprintf(path, sizeof path, "%s/cases.txt", romdir);
	size_t clen = slurp(path, (uint8_t *)cases, sizeof cases - 1);
	cases[clen] = 0;
	char *line = cases;
	for (int k = 0; k < n * 1100 && line; k++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}

	struct bus *b = bus_create(16u << 20);
	cr_assert_eq(bus_load_rom(b, rom, sizeof rom), 0);
	static const struct io_ops ops = { port_in, port_out };
	bus_map_io(b, 0xE9, 1, &ops, NULL);
	bus_map_io(b, 0xF4, 4, &ops, NULL);
	struct mmu_config cfg;
	cpu_model_mmu_config(CPU_P6, &cfg);
	struct mmu *m = mmu_create(b, &cfg);
	cur = cpu_create(CPU_P6, b, m);
	outlen = 0;
	cr_assert_eq(cpu_run(cur, 10000000), CPU_STOP_REQUEST);
	cr_expect_eq(outlen, glen, "output length %zu, QEMU %zu", outlen, glen);
	int bad = 0;
	for (size_t k = 0; k + 16 <= glen && k + 16 <= outlen; k += 16) {
		uint32_t q[4], u[4];
		memcpy(q, gold + k, 16);
		memcpy(u, outbuf + k, 16);
		if (memcmp(q, u, 16) && bad++ < 20) {
			char name[160] = "?";
			if (line) {
				size_t l = strcspn(line, "\n");
				snprintf(name, sizeof name, "%.*s", (int)(l < 150 ? l : 150), line);
			}
			cr_expect_fail("%s\n  qemu eax=%08x edx=%08x ebx=%08x fl=%08x\n  mmulab eax=%08x edx=%08x ebx=%08x fl=%08x",
				       name, q[0], q[1], q[2], q[3], u[0], u[1], u[2], u[3]);
		}
		if (line) {
			line = strchr(line, '\n');
			if (line)
				line++;
		}
	}
	cr_expect_eq(bad, 0, "%d cases differ from QEMU", bad);
	cpu_destroy(cur);
	mmu_destroy(m);
	bus_destroy(b);
}

Test(qemu, rom0) { run_rom(0); }
Test(qemu, rom1) { run_rom(1); }
Test(qemu, rom2) { run_rom(2); }
Test(qemu, rom3) { run_rom(3); }
