/* mmchan.h - the emulator side of the guest mm channel (DESIGN §5).
 *
 * The bundled kernel reports memory-management events by writing, with one
 * 32-bit OUT to MMCHAN_PORT, the physical address of a 48-byte
 * struct mmchan_event (guest/include/mmulab/mm_channel.h). This module
 * claims the port on a struct bus, answers the kernel's presence probe,
 * reads and validates each record from guest RAM and passes the decoded
 * event to a callback (the machine's event bus, the --trace-mm writer).
 *
 * It also finds the kernel's introspection table: by ELF symbol with libelf
 * (mmchan_find_introspect) and then in guest RAM (mmchan_read_introspect).
 *
 * Nothing here trusts the guest: records are read with bus_peek (no device
 * side effects, bounded to RAM/ROM), every field is range-checked, names are
 * forced to NUL-terminated.
 */
#ifndef EMU_MMCHAN_H
#define EMU_MMCHAN_H

#include <stdint.h>
#include "bus.h"
#include <mmulab/mm_channel.h>

struct mmchan;

/* Called once per valid event, during the guest's OUT instruction. */
typedef void (*mmchan_fn)(void *opaque, const struct mmchan_event *ev);

/* Claim MMCHAN_PORT..+3 on `b` and deliver events to fn(opaque, ev) (fn
 * may be NULL: events are then only counted). The channel starts enabled:
 * the guest's probe sees MMCHAN_PRESENT. Returns NULL if out of memory. */
struct mmchan *mmchan_create(struct bus *b, mmchan_fn fn, void *opaque);
void mmchan_destroy(struct mmchan *ch);

/* Disabled, the port behaves like an empty ISA slot (reads all ones), so
 * the guest sends nothing and runs as on QEMU. Takes effect at the guest's
 * next probe (the kernel probes once, at boot). */
void mmchan_set_enabled(struct mmchan *ch, int enabled);

/* Port handlers, exposed so the machine or a test can drive the channel
 * without going through the bus's port table. */
uint32_t mmchan_port_in(void *opaque, uint16_t port, int size);
void mmchan_port_out(void *opaque, uint16_t port, int size, uint32_t val);

struct mmchan_stats {
	uint64_t events;	/* delivered */
	uint64_t rejected;	/* records that failed validation or lay outside RAM */
	uint64_t lost;		/* gaps in the sequence numbers */
};
void mmchan_get_stats(const struct mmchan *ch, struct mmchan_stats *st);

/* Decode a raw little-endian record of `len` bytes into `out` (host byte
 * order, name NUL-terminated). Returns 0, or -1 if the record is short,
 * claims a wrong length, or has an unknown type, zone or owner. */
int mmchan_decode(const uint8_t *raw, uint32_t len, struct mmchan_event *out);

/* Stable lower-case names for JSON and logs ("page_alloc", "slab",
 * "Normal"...); "unknown" for out-of-range values. */
const char *mmchan_type_name(unsigned type);
const char *mmchan_owner_name(unsigned owner);
const char *mmchan_fault_name(unsigned outcome);	/* enum mmchan_fault: "demand_zero"... */
const char *mmchan_zone_name(unsigned zone);

/* Find MMULAB_INTROSPECT_SYMBOL in an ELF32 kernel with libelf. On success
 * stores its virtual address and the physical address it is loaded at
 * (through the PT_LOAD segment containing it) and returns 0; -1 if the file
 * cannot be read, is not ELF32, lacks the symbol, or no segment loads it. */
int mmchan_find_introspect(const char *elf_path, uint32_t *vaddr, uint32_t *paddr);

/* Read the table at guest physical `paddr` (side-effect free) into `out`
 * (host byte order). Returns 0 if it is there with the right magic,
 * version and size; -1 otherwise. `out->ready` says whether the kernel has
 * filled it in yet. */
int mmchan_read_introspect(const struct bus *b, uint32_t paddr, struct mmulab_introspect *out);

#endif
