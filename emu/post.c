/* post.c - POST code ports. Reads return the last code (port 0x80 is a
 * DMA page register on the AT, which reads back). */
#include "log.h"
#include "post.h"

static uint32_t post_in(void *opaque, uint16_t port, int size)
{
	const struct post *p = opaque;

	(void)port; (void)size;
	return p->last;
}

static void post_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct post *p = opaque;

	(void)size;
	p->last = (uint8_t)val;
	p->writes++;
	if (log_on(LOG_POST))
		log_line("post: port 0x%x code 0x%02x", port, val & 0xFF);
}

const struct io_ops post_io_ops = { post_in, post_out };
