/* chardev.c - character back ends. Output is flushed per line (and when
 * the machine stops) so that interleaving with stderr stays readable. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include "chardev.h"

int chardev_open(struct chardev *c, const struct chardev_opt *opt)
{
	memset(c, 0, sizeof(*c));
	c->kind = opt->kind;
	c->in_fd = -1;
	switch (opt->kind) {
	case CHR_STDIO:
		c->out = stdout;
		c->in_fd = STDIN_FILENO;
		break;
	case CHR_FILE:
		c->out = fopen(opt->path, "w");
		if (!c->out)
			return -1;
		c->owns_file = 1;
		break;
	default:
		break;
	}
	return 0;
}

void chardev_close(struct chardev *c)
{
	if (c->owns_file && c->out)
		fclose(c->out);
	else if (c->out)
		fflush(c->out);
	c->out = NULL;
	c->owns_file = 0;
}

void chardev_write(struct chardev *c, uint8_t byte)
{
	if (!c->out)
		return;
	fputc(byte, c->out);
	if (byte == '\n')
		fflush(c->out);
}

int chardev_read(struct chardev *c)
{
	struct pollfd pfd;
	uint8_t b;
	ssize_t n;

	if (c->in_fd < 0 || c->in_eof)
		return -1;
	pfd.fd = c->in_fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP)))
		return -1;
	n = read(c->in_fd, &b, 1);
	if (n == 1)
		return b;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		c->in_eof = 1;
	return -1;
}
