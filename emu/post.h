/* post.h - POST code ports 0x80 and 0x190: each byte written is logged
 * with -d post and remembered (a future window can show it). */
#ifndef EMU_POST_H
#define EMU_POST_H

#include <stdint.h>
#include "../mmu/bus.h"

struct post {
	uint8_t last;
	uint64_t writes;
};
extern const struct io_ops post_io_ops;

#endif
