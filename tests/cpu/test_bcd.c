/* test_bcd.c - DAA DAS AAA AAS AAM AAD (SDM vol. 2 pseudo-code, 486+
 * AX+106h form of AAA/AAS). OF (and for AAA/AAS also SF ZF PF) undefined:
 * masked. AAM 0 raises #DE. */
#include "table.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); }
static void teardown(void) { tm_fini(&t); }
TestSuite(bcd, .init = setup, .fini = teardown);

#define SZP (FL_SF | FL_ZF | FL_PF)
static const struct row rows[] = {
	/* 79h + 35h = AEh, then DAA -> 14h with CF (114 decimal) */
	{ "daa", { 0x27 }, 1, 0xAE, 0, 0, 0, 0, 0x14, 0, F(CF) | F(AF) | F(PF), F(CF) | F(AF) | SZP, NOVEC },
	{ "daa no adjust", { 0x27 }, 1, 0x45, 0, 0, 0, 0, 0x45, 0, 0, F(CF) | F(AF) | SZP, NOVEC },
	{ "daa af in", { 0x27 }, 1, 0x41, 0, 0, 0, F(AF), 0x47, 0, F(AF) | F(PF), F(CF) | F(AF) | SZP, NOVEC },
	/* 35h - 47h = EEh with CF, AF; DAS -> 88h (-12) */
	{ "das", { 0x2F }, 1, 0xEE, 0, 0, 0, F(CF) | F(AF), 0x88, 0, F(CF) | F(AF) | F(SF) | F(PF), F(CF) | F(AF) | SZP, NOVEC },
	{ "aaa", { 0x37 }, 1, 0x000F, 0, 0, 0, 0, 0x0105, 0, F(CF) | F(AF), F(CF) | F(AF), NOVEC },
	{ "aaa no adjust", { 0x37 }, 1, 0x0236, 0, 0, 0, F(CF), 0x0206, 0, 0, F(CF) | F(AF), NOVEC },
	{ "aaa al>f9", { 0x37 }, 1, 0x00FA, 0, 0, 0, 0, 0x0200, 0, F(CF) | F(AF), F(CF) | F(AF), NOVEC },
	{ "aas", { 0x3F }, 1, 0x0102, 0, 0, 0, F(AF), 0xFF0C, 0, F(CF) | F(AF), F(CF) | F(AF), NOVEC },
	{ "aas no adjust", { 0x3F }, 1, 0x0105, 0, 0, 0, F(CF), 0x0105, 0, 0, F(CF) | F(AF), NOVEC },
	{ "aam", { 0xD4, 0x0A }, 2, 0x003F, 0, 0, 0, 0, 0x0603, 0, F(PF), SZP, NOVEC },
	{ "aam 16", { 0xD4, 0x10 }, 2, 0x00FF, 0, 0, 0, 0, 0x0F0F, 0, F(PF), SZP, NOVEC },
	{ "aam 0", { 0xD4, 0x00 }, 2, 0x003F, 0, 0, 0, 0, 0, 0, 0, 0, EX_DE },
	{ "aad", { 0xD5, 0x0A }, 2, 0x0603, 0, 0, 0, 0, 0x003F, 0, F(PF), SZP, NOVEC },
	{ "aad 7", { 0xD5, 0x07 }, 2, 0x0203, 0, 0, 0, 0, 0x0011, 0, F(PF), SZP, NOVEC },
	{ "aad zero", { 0xD5, 0x0A }, 2, 0x1200, 0, 0, 0, 0, 0x00B4, 0, F(SF) | F(PF), SZP, NOVEC },
};

Test(bcd, table) { run_rows(&t, rows, sizeof rows / sizeof rows[0]); }
