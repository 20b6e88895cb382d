/* i8042.h - the keyboard controller, as much as a PC needs without a
 * keyboard: status, self-test, the command byte, the output port (A20 and
 * reset) and pulse-reset. Port 0x60 data, 0x64 status/command. */
#ifndef EMU_I8042_H
#define EMU_I8042_H

#include <stdint.h>
#include "../mmu/bus.h"

struct i8042 {
	uint8_t status, cmd_byte, out_port;
	uint8_t pending_cmd;          /* command waiting for its data byte */
	uint8_t outq[4];
	int outq_head, outq_len;
	void (*set_a20)(void *opaque, int on);
	void (*reset)(void *opaque);  /* system reset requested */
	void *opaque;
};

void i8042_init(struct i8042 *k, void (*set_a20)(void *opaque, int on),
		void (*reset)(void *opaque), void *opaque);

extern const struct io_ops i8042_io_ops;   /* 0x60 and 0x64 */

#endif
