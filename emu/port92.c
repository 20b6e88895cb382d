/* port92.c - fast A20 and fast reset. Bit 1 reads back the A20 line as it
 * is now (the i8042 drives the same line); bit 0 reads 0 after a reset. */
#include <string.h>
#include "port92.h"

void port92_init(struct port92 *p, int (*get_a20)(void *opaque),
		 void (*set_a20)(void *opaque, int on), void (*reset)(void *opaque),
		 void *opaque)
{
	memset(p, 0, sizeof(*p));
	p->get_a20 = get_a20;
	p->set_a20 = set_a20;
	p->reset = reset;
	p->opaque = opaque;
}

static uint32_t port92_in(void *opaque, uint16_t port, int size)
{
	struct port92 *p = opaque;
	int a20 = p->get_a20 ? p->get_a20(p->opaque) : (p->val >> 1) & 1;

	(void)port; (void)size;
	return (uint32_t)((p->val & ~2u) | (unsigned)a20 << 1) & 0xFF;
}

static void port92_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct port92 *p = opaque;
	int old_reset = p->val & 1;

	(void)port; (void)size;
	p->val = (uint8_t)(val & ~1u);   /* the reset bit does not stick */
	if (p->set_a20)
		p->set_a20(p->opaque, (val >> 1) & 1);
	if ((val & 1) && !old_reset && p->reset)
		p->reset(p->opaque);
}

const struct io_ops port92_io_ops = { port92_in, port92_out };
