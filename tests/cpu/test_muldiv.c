/* test_muldiv.c - MUL, IMUL (one, two and three operands), DIV, IDIV with
 * their edges and #DE (SDM vol. 2 pseudo-code). For MUL/IMUL only CF/OF
 * are defined. Rows whose vector is EX_DE must leave registers alone. */
#include "table.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); }
static void teardown(void) { tm_fini(&t); }
TestSuite(muldiv, .init = setup, .fini = teardown);

static const struct row rows[] = {
	/* name, code, len, eax, ebx, ecx, edx, fl_in, eax_out, edx_out, fl_out, mask, vec */
	{ "mul8 wide", { 0xF6, 0xE3 }, 2, 0x80, 2, 0, 0, 0, 0x0100, 0, CO, CO, NOVEC },
	{ "mul8 narrow", { 0xF6, 0xE3 }, 2, 0xAB10, 0x0F, 0, 0, CO, 0x00F0, 0, 0, CO, NOVEC },
	{ "mul16", { 0x66, 0xF7, 0xE3 }, 3, 0x1234FFFF, 0xFFFF, 0, 0x55550000, 0, 0x12340001, 0x5555FFFE, CO, CO, NOVEC },
	{ "mul32", { 0xF7, 0xE3 }, 2, 0x80000000, 4, 0, 0, 0, 0, 2, CO, CO, NOVEC },
	{ "imul8 -1*-128", { 0xF6, 0xEB }, 2, 0xFF, 0x80, 0, 0, 0, 0x0080, 0, CO, CO, NOVEC },
	{ "imul8 -2*3", { 0xF6, 0xEB }, 2, 0xFE, 3, 0, 0, CO, 0xFFFA, 0, 0, CO, NOVEC },
	{ "imul32 -1*-1", { 0xF7, 0xEB }, 2, 0xFFFFFFFF, 0xFFFFFFFF, 0, 7, CO, 1, 0, 0, CO, NOVEC },
	{ "imul32 sign ext", { 0xF7, 0xEB }, 2, 0xFFFFFFFE, 0x40000000, 0, 7, 0, 0x80000000, 0xFFFFFFFF, 0, CO, NOVEC },
	{ "imul r32 trunc", { 0x0F, 0xAF, 0xC3 }, 3, 0x10000, 0x10000, 0, 0, 0, 0, 0, CO, CO, NOVEC },
	{ "imul r16 imm8 fits", { 0x66, 0x6B, 0xC3, 0xFE }, 4, 0, 0x4000, 0, 0, CO, 0x8000, 0, 0, CO, NOVEC },
	{ "imul r16 imm8 ovf", { 0x66, 0x6B, 0xC3, 0xFE }, 4, 0, 0x4001, 0, 0, 0, 0x7FFE, 0, CO, CO, NOVEC },
	{ "div8", { 0xF6, 0xF3 }, 2, 0x0105, 2, 0, 0, 0, 0x0182, 0, 0, 0, NOVEC },
	{ "div8 overflow", { 0xF6, 0xF3 }, 2, 0x0200, 2, 0, 0, 0, 0, 0, 0, 0, EX_DE },
	{ "div32", { 0xF7, 0xF3 }, 2, 1, 2, 0, 1, 0, 0x80000000, 1, 0, 0, NOVEC },
	{ "div32 overflow", { 0xF7, 0xF3 }, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0, EX_DE },
	{ "div32 by zero", { 0xF7, 0xF3 }, 2, 5, 0, 0, 0, 0, 0, 0, 0, 0, EX_DE },
	{ "idiv8 -7/2", { 0xF6, 0xFB }, 2, 0xFFF9, 2, 0, 0, 0, 0xFFFD, 0, 0, 0, NOVEC },
	{ "idiv8 128/1", { 0xF6, 0xFB }, 2, 0x0080, 1, 0, 0, 0, 0, 0, 0, 0, EX_DE },
	{ "idiv8 -128/1", { 0xF6, 0xFB }, 2, 0xFF80, 1, 0, 0, 0, 0x0080, 0, 0, 0, NOVEC },
	{ "idiv32 min/-1", { 0xF7, 0xFB }, 2, 0x80000000, 0xFFFFFFFF, 0, 0xFFFFFFFF, 0, 0, 0, 0, 0, EX_DE },
	{ "idiv32 -9/4", { 0xF7, 0xFB }, 2, 0xFFFFFFF7, 4, 0, 0xFFFFFFFF, 0, 0xFFFFFFFE, 0xFFFFFFFF, 0, 0, NOVEC },
	{ "idiv16 min/-1", { 0x66, 0xF7, 0xFB }, 3, 0x8000, 0xFFFF, 0, 0xFFFF, 0, 0, 0, 0, 0, EX_DE },
	{ "idiv16 by zero", { 0x66, 0xF7, 0xFB }, 3, 0x8000, 0, 0, 0, 0, 0, 0, 0, 0, EX_DE },
};

Test(muldiv, table) { run_rows(&t, rows, sizeof rows / sizeof rows[0]); }
