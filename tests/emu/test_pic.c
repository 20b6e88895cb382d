/* test_pic.c - 8259A pair: initialisation, priorities, EOI kinds, cascade,
 * auto-EOI, spurious interrupts, poll (Intel 8259A data sheet). */
#include <criterion/criterion.h>
#include "pic.h"

static struct pic p;
static int intr;

static void set_intr(void *opaque, int level)
{
	(void)opaque;
	intr = level;
}

static void out(uint16_t port, uint8_t v) { pic_io_ops.out(&p, port, 1, v); }
static uint8_t in(uint16_t port) { return (uint8_t)pic_io_ops.in(&p, port, 1); }

/* The PC BIOS sequence: vectors 0x20/0x28, slave on IR2, 8086 mode. */
static void pc_init(uint8_t icw4)
{
	pic_init(&p, set_intr, NULL);
	intr = 0;
	out(0x20, 0x11); out(0xA0, 0x11);
	out(0x21, 0x20); out(0xA1, 0x28);
	out(0x21, 0x04); out(0xA1, 0x02);
	out(0x21, icw4); out(0xA1, icw4);
	out(0x21, 0x00); out(0xA1, 0x00);
}

Test(pic, init_sequence_sets_vectors_and_clears_mask)
{
	pc_init(0x01);
	cr_assert_eq(in(0x21), 0x00);
	out(0x21, 0xA5);
	cr_assert_eq(in(0x21), 0xA5, "OCW1 reads back as IMR");
	cr_assert_eq(intr, 0);
	out(0x21, 0x00);
	pic_set_irq(&p, 3, 1);
	cr_assert_eq(intr, 1);
	cr_assert_eq(pic_ack(&p), 0x23);
	cr_assert_eq(intr, 0);
}

Test(pic, icw1_resets_the_mask_and_in_service)
{
	pc_init(0x01);
	out(0x21, 0xFF);
	out(0x20, 0x11);
	out(0x21, 0x50);
	out(0x21, 0x04);
	out(0x21, 0x01);
	cr_assert_eq(in(0x21), 0x00, "ICW1 clears IMR");
	pic_set_irq(&p, 1, 1);
	cr_assert_eq(pic_ack(&p), 0x51, "new ICW2 base");
}

Test(pic, edge_triggered_needs_a_new_edge)
{
	pc_init(0x01);
	pic_set_irq(&p, 0, 1);
	cr_assert_eq(pic_ack(&p), 0x20);
	out(0x20, 0x20);
	cr_assert_eq(intr, 0, "a held line does not interrupt again");
	pic_set_irq(&p, 0, 0);
	pic_set_irq(&p, 0, 1);
	cr_assert_eq(intr, 1);
}

Test(pic, fixed_priority_and_nesting)
{
	pc_init(0x01);
	pic_set_irq(&p, 5, 1);
	pic_set_irq(&p, 3, 1);
	cr_assert_eq(pic_ack(&p), 0x23, "IR3 beats IR5");
	cr_assert_eq(intr, 0, "IR5 waits: lower priority than IR3 in service");
	pic_set_irq(&p, 1, 1);
	cr_assert_eq(intr, 1, "IR1 nests above IR3");
	cr_assert_eq(pic_ack(&p), 0x21);
	out(0x20, 0x0B);
	cr_assert_eq(in(0x20), 0x0A, "ISR holds IR1 and IR3");
	out(0x20, 0x20);                    /* non-specific EOI: highest, IR1 */
	cr_assert_eq(in(0x20), 0x08);
	cr_assert_eq(intr, 0);
	out(0x20, 0x20);
	cr_assert_eq(in(0x20), 0x00);
	cr_assert_eq(intr, 1, "IR5 now");
	out(0x20, 0x0A);
	cr_assert_eq(in(0x20), 0x20, "IRR shows IR5");
	cr_assert_eq(pic_ack(&p), 0x25);
}

Test(pic, specific_eoi)
{
	pc_init(0x01);
	pic_set_irq(&p, 6, 1);
	pic_ack(&p);
	pic_set_irq(&p, 2 + 2, 1);   /* IR4 */
	pic_ack(&p);
	out(0x20, 0x0B);
	cr_assert_eq(in(0x20), 0x50);
	out(0x20, 0x66);             /* specific EOI for IR6 */
	cr_assert_eq(in(0x20), 0x10);
}

Test(pic, rotate_on_nonspecific_eoi)
{
	pc_init(0x01);
	pic_set_irq(&p, 0, 1);
	pic_ack(&p);
	out(0x20, 0xA0);             /* rotate on non-specific EOI: IR0 lowest */
	pic_set_irq(&p, 0, 0);
	pic_set_irq(&p, 0, 1);
	pic_set_irq(&p, 7, 1);
	cr_assert_eq(pic_ack(&p), 0x27, "after rotation IR7 outranks IR0");
	out(0x20, 0xC4);             /* set priority: IR4 lowest, IR5 highest */
	out(0x20, 0x20);
	pic_set_irq(&p, 5, 1);
	cr_assert_eq(pic_ack(&p), 0x25);
}

Test(pic, cascade_through_ir2)
{
	pc_init(0x01);
	pic_set_irq(&p, 12, 1);
	cr_assert_eq(intr, 1);
	cr_assert_eq(pic_ack(&p), 0x2C);
	out(0x20, 0x0B);
	cr_assert_eq(in(0x20), 0x04, "master has IR2 in service");
	out(0xA0, 0x0B);
	cr_assert_eq(in(0xA0), 0x10, "slave has IR4 in service");
	out(0xA0, 0x20);
	out(0x20, 0x20);
	cr_assert_eq(in(0x20), 0x00);
	out(0xA1, 0x10);             /* mask IRQ12 on the slave */
	pic_set_irq(&p, 12, 0);
	pic_set_irq(&p, 12, 1);
	cr_assert_eq(intr, 0);
}

Test(pic, auto_eoi)
{
	pc_init(0x03);
	pic_set_irq(&p, 1, 1);
	cr_assert_eq(pic_ack(&p), 0x21);
	out(0x20, 0x0B);
	cr_assert_eq(in(0x20), 0x00, "AEOI leaves nothing in service");
	pic_set_irq(&p, 4, 1);
	cr_assert_eq(intr, 1);
}

Test(pic, spurious_irq7_and_irq15)
{
	pc_init(0x01);
	pic_set_irq(&p, 3, 1);
	pic_set_irq(&p, 3, 0);       /* withdrawn before INTA */
	cr_assert_eq(pic_ack(&p), 0x27);
	out(0x20, 0x0B);
	cr_assert_eq(in(0x20), 0x00, "spurious IRQ7 is not put in service");
	pic_set_irq(&p, 10, 1);
	pic_set_irq(&p, 10, 0);
	cr_assert_eq(pic_ack(&p), 0x27, "gone from the slave before the master saw it");
}

Test(pic, poll_command)
{
	pc_init(0x01);
	out(0x21, 0xFF);
	pic_set_irq(&p, 6, 1);
	out(0x21, 0x00);
	out(0x20, 0x0C);             /* OCW3 poll */
	cr_assert_eq(in(0x20), 0x86);
	out(0x20, 0x0B);
	cr_assert_eq(in(0x20), 0x40, "poll acknowledges like INTA");
	out(0x20, 0x0C);
	cr_assert_eq(in(0x20), 0x00, "nothing pending");
}

Test(pic, masked_requests_wait_in_irr)
{
	pc_init(0x01);
	out(0x21, 0x01);
	pic_set_irq(&p, 0, 1);
	cr_assert_eq(intr, 0);
	out(0x20, 0x0A);
	cr_assert_eq(in(0x20), 0x01);
	out(0x21, 0x00);
	cr_assert_eq(intr, 1);
}
