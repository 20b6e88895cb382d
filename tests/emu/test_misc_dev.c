/* test_misc_dev.c - i8042 (self-test, A20, reset), port 0x92, POST,
 * debug console, isa-debug-exit. */
#include <criterion/criterion.h>
#include "debugcon.h"
#include "debugexit.h"
#include "i8042.h"
#include "port92.h"
#include "post.h"

static int a20 = 1, resets, exit_status, nbytes;
static uint8_t last_byte;
static void set_a20(void *o, int on) { (void)o; a20 = on; }
static int get_a20(void *o) { (void)o; return a20; }
static void do_reset(void *o) { (void)o; resets++; }

static struct i8042 k;
static void kout(uint16_t port, uint8_t v) { i8042_io_ops.out(&k, port, 1, v); }
static uint8_t kin(uint16_t port) { return (uint8_t)i8042_io_ops.in(&k, port, 1); }

static void setup(void)
{
	a20 = 1;
	resets = 0;
	i8042_init(&k, set_a20, do_reset, NULL);
}
TestSuite(dev, .init = setup);

Test(dev, i8042_self_test)
{
	cr_assert_eq(kin(0x64) & 1, 0, "output buffer empty");
	kout(0x64, 0xAA);
	cr_assert_eq(kin(0x64) & 0x05, 0x05, "OBF and system flag");
	cr_assert_eq(kin(0x60), 0x55);
	cr_assert_eq(kin(0x64) & 1, 0);
	kout(0x64, 0xAB);
	cr_assert_eq(kin(0x60), 0x00, "interface test passed");
}

Test(dev, i8042_command_byte)
{
	kout(0x64, 0x60);
	kout(0x60, 0x47);
	kout(0x64, 0x20);
	cr_assert_eq(kin(0x60), 0x47);
}

Test(dev, i8042_output_port_a20_and_reset)
{
	kout(0x64, 0xD1);
	kout(0x60, 0xDD);           /* A20 off, reset inactive */
	cr_assert_eq(a20, 0);
	cr_assert_eq(resets, 0);
	kout(0x64, 0xD0);
	cr_assert_eq(kin(0x60), 0xDD);
	kout(0x64, 0xD1);
	kout(0x60, 0xDF);
	cr_assert_eq(a20, 1);
	kout(0x64, 0xFE);           /* pulse reset */
	cr_assert_eq(resets, 1);
	kout(0x64, 0xFF);           /* pulse nothing */
	cr_assert_eq(resets, 1);
	kout(0x64, 0xD1);
	kout(0x60, 0xDE);           /* reset line low */
	cr_assert_eq(resets, 2);
}

Test(dev, keyboard_reset_answers)
{
	kout(0x60, 0xFF);
	cr_assert_eq(kin(0x60), 0xFA);
	cr_assert_eq(kin(0x60), 0xAA);
}

Test(dev, port92)
{
	struct port92 p;

	port92_init(&p, get_a20, set_a20, do_reset, NULL);
	cr_assert_eq(port92_io_ops.in(&p, 0x92, 1) & 2, 2, "reads the A20 line");
	port92_io_ops.out(&p, 0x92, 1, 0x00);
	cr_assert_eq(a20, 0);
	cr_assert_eq(port92_io_ops.in(&p, 0x92, 1) & 2, 0);
	port92_io_ops.out(&p, 0x92, 1, 0x02);
	cr_assert_eq(a20, 1);
	cr_assert_eq(resets, 0);
	port92_io_ops.out(&p, 0x92, 1, 0x03);
	cr_assert_eq(resets, 1, "bit 0 resets");
	cr_assert_eq(port92_io_ops.in(&p, 0x92, 1) & 1, 0);
}

static void on_exit_cb(void *o, int st) { (void)o; exit_status = st; }
static void tx(void *o, uint8_t b) { (void)o; last_byte = b; nbytes++; }

Test(dev, debug_exit_status_is_odd)
{
	struct debugexit d = { 0, 0, on_exit_cb, NULL };

	debugexit_io_ops.out(&d, 0xF4, 1, 0x21);
	cr_assert_eq(exit_status, 67);
	cr_assert(d.requested);
	debugexit_io_ops.out(&d, 0xF4, 4, 0);
	cr_assert_eq(exit_status, 1);
	debugexit_io_ops.out(&d, 0xF4, 1, 0x1FF);
	cr_assert_eq(exit_status, (0xFF << 1) | 1, "an 8-bit write keeps 8 bits");
}

Test(dev, debugcon_and_post)
{
	struct debugcon d = { tx, NULL };
	struct post p = { 0, 0 };

	debugcon_io_ops.out(&d, 0xE9, 1, 'Z');
	cr_assert_eq(last_byte, 'Z');
	cr_assert_eq(nbytes, 1);
	cr_assert_eq(debugcon_io_ops.in(&d, 0xE9, 1), 0xE9, "Bochs/QEMU detection value");
	post_io_ops.out(&p, 0x80, 1, 0x42);
	post_io_ops.out(&p, 0x190, 1, 0x43);
	cr_assert_eq(post_io_ops.in(&p, 0x80, 1), 0x43);
	cr_assert_eq(p.writes, 2);
}
