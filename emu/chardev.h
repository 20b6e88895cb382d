/* chardev.h - a character back end for the serial port and the debug
 * console: stdout/stdin, a file, or nothing. */
#ifndef EMU_CHARDEV_H
#define EMU_CHARDEV_H

#include <stdio.h>
#include "cmdline.h"

struct chardev {
	enum chr_kind kind;
	FILE *out;        /* NULL: output dropped */
	int in_fd;        /* -1: no input */
	int in_eof;
	int owns_file;
};

/* Open the back end described by opt. Returns 0, or -1 with errno set
 * (file not writable). */
int chardev_open(struct chardev *c, const struct chardev_opt *opt);
void chardev_close(struct chardev *c);
void chardev_write(struct chardev *c, uint8_t byte);
/* Non-blocking read of one input byte: returns it, or -1 when none is
 * available now (or ever, at EOF). */
int chardev_read(struct chardev *c);

#endif
