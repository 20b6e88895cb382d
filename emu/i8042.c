/* i8042.c - keyboard controller subset (commands per the IBM PC/AT
 * technical reference: 0x20/0x60 command byte, 0xAA self-test, 0xAB
 * interface test, 0xAD/0xAE keyboard disable/enable, 0xA7/0xA8 aux,
 * 0xD0/0xD1 output port, 0xDD/0xDF A20 off/on, 0xF0-0xFF pulse lines).
 * Keyboard commands written to port 0x60 are acknowledged (0xFA) and 0xFF
 * reset answers 0xFA 0xAA; no scancodes are ever generated. */
#include <string.h>
#include "i8042.h"
#include "log.h"

enum { ST_OBF = 0x01, ST_SYS = 0x04, ST_CMD = 0x08, ST_UNLOCKED = 0x10 };
enum { OUT_RESET_N = 0x01, OUT_A20 = 0x02 };

static void push(struct i8042 *k, uint8_t b)
{
	if (k->outq_len < (int)sizeof(k->outq))
		k->outq[(k->outq_head + k->outq_len++) % sizeof(k->outq)] = b;
	k->status |= ST_OBF;
}

void i8042_init(struct i8042 *k, void (*set_a20)(void *opaque, int on),
		void (*reset)(void *opaque), void *opaque)
{
	memset(k, 0, sizeof(*k));
	k->status = ST_UNLOCKED;
	k->cmd_byte = 0x45;                 /* kbd IRQ, translation, system flag */
	k->out_port = OUT_RESET_N | OUT_A20;
	k->set_a20 = set_a20;
	k->reset = reset;
	k->opaque = opaque;
}

static void write_out_port(struct i8042 *k, uint8_t v)
{
	k->out_port = v;
	if (k->set_a20)
		k->set_a20(k->opaque, (v & OUT_A20) != 0);
	if (!(v & OUT_RESET_N) && k->reset)
		k->reset(k->opaque);
}

static void command(struct i8042 *k, uint8_t c)
{
	switch (c) {
	case 0x20: push(k, k->cmd_byte); break;
	case 0x60: case 0xD1: case 0xD2: case 0xD3: case 0xD4: k->pending_cmd = c; break;
	case 0xAA:
		k->status |= ST_SYS;
		push(k, 0x55);
		break;
	case 0xAB: case 0xA9: push(k, 0x00); break;
	case 0xAD: k->cmd_byte |= 0x10; break;
	case 0xAE: k->cmd_byte &= (uint8_t)~0x10; break;
	case 0xA7: k->cmd_byte |= 0x20; break;
	case 0xA8: k->cmd_byte &= (uint8_t)~0x20; break;
	case 0xD0: push(k, k->out_port); break;
	case 0xDD: write_out_port(k, k->out_port & (uint8_t)~OUT_A20); break;
	case 0xDF: write_out_port(k, k->out_port | OUT_A20); break;
	default:
		if (c >= 0xF0) {
			/* Pulse output lines whose bit is 0; bit 0 is reset. */
			if (!(c & 1) && k->reset)
				k->reset(k->opaque);
		} else if (log_on(LOG_GUEST_ERR)) {
			log_line("i8042: unsupported command 0x%02x", c);
		}
		break;
	}
}

static void data(struct i8042 *k, uint8_t v)
{
	uint8_t c = k->pending_cmd;

	k->pending_cmd = 0;
	switch (c) {
	case 0x60:
		k->cmd_byte = v;
		k->status = (uint8_t)((k->status & ~ST_SYS) | (v & ST_SYS));
		break;
	case 0xD1: write_out_port(k, v); break;
	case 0xD2: case 0xD3: push(k, v); break;   /* echo as if from kbd/aux */
	case 0xD4: push(k, 0xFA); break;           /* to the (absent) mouse */
	default:
		/* A byte for the keyboard itself. */
		push(k, 0xFA);
		if (v == 0xFF)
			push(k, 0xAA);
		break;
	}
}

static uint32_t i8042_in(void *opaque, uint16_t port, int size)
{
	struct i8042 *k = opaque;
	uint8_t v;

	(void)size;
	if (port == 0x64)
		return k->status;
	if (!k->outq_len)
		return k->outq[(k->outq_head + sizeof(k->outq) - 1) % sizeof(k->outq)];
	v = k->outq[k->outq_head];
	k->outq_head = (k->outq_head + 1) % (int)sizeof(k->outq);
	if (!--k->outq_len)
		k->status &= (uint8_t)~ST_OBF;
	return v;
}

static void i8042_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct i8042 *k = opaque;

	(void)size;
	if (port == 0x64) {
		k->status |= ST_CMD;
		command(k, (uint8_t)val);
	} else {
		k->status &= (uint8_t)~ST_CMD;
		data(k, (uint8_t)val);
	}
}

const struct io_ops i8042_io_ops = { i8042_in, i8042_out };
