/* I/O permission (SDM vol. 1, 19.5.1-19.5.2): CPL <= IOPL allows every
 * port; otherwise (and always in v86 mode) the TSS bitmap at the offset in
 * TSS 0x66 must have every bit of the access clear. TSS A: limit 0x87,
 * bitmap at 0x68, so bytes 0x68..0x87 cover ports 0..0xFF. */
#include <criterion/criterion.h>
#include "harness.h"

static struct cpu *c;

static void setup(void)
{
	c = h_new(CPU_486);
	h_pmode(c);
	h_ring3(c);
	/* Deny port 0x61 (byte 0x0C bit 1) and port 0x3F (byte 7 bit 7). */
	h_ram[H_TSS_A + 0x68 + 0x0C] = 0x02;
	h_ram[H_TSS_A + 0x68 + 0x07] = 0x80;
}

static void teardown(void)
{
	h_free(c);
}

TestSuite(io, .init = setup, .fini = teardown);

Test(io, real_mode_and_iopl)
{
	struct cpu *r = h_new(CPU_386);
	cr_assert_eq(H_TRY(r, cpu_io_check(r, 0x61, 1)), -1);
	h_free(r);
	h_pmode(c);
	h_ring3(c);
	/* CPL 3 with IOPL 3: no bitmap lookup, even for denied ports. */
	c->s.eflags |= FL_IOPL;
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x61, 1)), -1);
}

Test(io, bitmap_bits)
{
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x60, 1)), -1);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x61, 1)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* A word at 0x60 covers 0x60 and 0x61: denied. */
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x60, 2)), EX_GP);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x62, 2)), -1);
	/* A dword at 0x3E covers 0x3E..0x41, across two bitmap bytes;
	 * 0x3F is denied. */
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x3E, 4)), EX_GP);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x40, 4)), -1);
}

Test(io, bitmap_beyond_limit)
{
	/* Port 0xF8: byte 0x68 + 0x1F = 0x87, but two bytes are read and
	 * 0x88 > limit 0x87 → #GP(0). Port 0xF0 (byte 0x86, 0x87): allowed. */
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0xF0, 1)), -1);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0xF8, 1)), EX_GP);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x3F8, 1)), EX_GP);
	/* Bitmap offset past the limit (no bitmap): every port denied. */
	h_wr(H_TSS_A + 0x66, 2, 0xFFFF);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x60, 1)), EX_GP);
}

Test(io, v86_always_uses_bitmap)
{
	/* v86 mode with IOPL 3: IN/OUT still consult the bitmap. */
	c->s.eflags |= FL_VM | FL_IOPL;
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x61, 1)), EX_GP);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x60, 1)), -1);
}

Test(io, sixteen_bit_tss_has_no_bitmap)
{
	c->s.seg[S_TR].flags = (c->s.seg[S_TR].flags & ~(0xFu << 8)) | (SYS_TSS16_BUSY << 8);
	cr_assert_eq(H_TRY(c, cpu_io_check(c, 0x60, 1)), EX_GP);
}
