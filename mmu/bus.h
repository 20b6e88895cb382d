/* bus.h - the physical address space and the I/O port space of the PC.
 *
 * Contract shared by mmu/, cpu/ and emu/ (owner: mmu/). Everything the guest
 * can reach goes through here, and every access is bounds-checked: a read of
 * an address nothing backs returns all ones, a write to one is dropped (and
 * reported through the unimp hook), so no guest action reaches host memory
 * outside the RAM array.
 *
 * Physical map (DESIGN §3):
 *   0x00000000 .. ram_size-1   RAM, except the legacy hole below
 *   0x000A0000 .. 0x000BFFFF   VGA window (0xB8000.. text memory is RAM-like,
 *                              registered by emu/ as an MMIO region)
 *   0x000C0000 .. 0x000DFFFF   unbacked (option ROM space)
 *   0x000E0000/0x000F0000 ..   boot ROM (128 or 64 KiB), read-only
 *   4 GiB - rom_size .. 4 GiB  the same ROM, aliased
 * The A20 gate, when off, clears bit 20 of every physical address.
 */
#ifndef MMU_BUS_H
#define MMU_BUS_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

struct bus;

/* Memory-mapped device callbacks. `off` is relative to the region base;
 * size is 1, 2 or 4. */
struct mmio_ops {
	uint32_t (*read)(void *opaque, uint32_t off, int size);
	void (*write)(void *opaque, uint32_t off, int size, uint32_t val);
};

/* Port-mapped device callbacks. `port` is the absolute port; size 1, 2, 4. */
struct io_ops {
	uint32_t (*in)(void *opaque, uint16_t port, int size);
	void (*out)(void *opaque, uint16_t port, int size, uint32_t val);
};

/* Create a bus with `ram_size` bytes of zeroed RAM (a multiple of 4 KiB,
 * at most 3 GiB). Returns NULL if the host cannot allocate it. */
struct bus *bus_create(uint32_t ram_size);
void bus_destroy(struct bus *b);

uint32_t bus_ram_size(const struct bus *b);

/* Map a ROM image: 64 KiB at 0xF0000 or 128 KiB at 0xE0000, aliased just
 * below 4 GiB. Returns 0, or -1 if `len` is neither size. */
int bus_load_rom(struct bus *b, const uint8_t *img, size_t len);

/* Host pointer to [paddr, paddr+len) if the whole range is ordinary RAM
 * (not the legacy hole, not MMIO, not past ram_size), else NULL. For loaders
 * and for the MMU's fast path. Writes through it bypass self-modifying-code
 * detection: callers that write use bus_notify_write() afterwards. */
uint8_t *bus_ram_ptr(struct bus *b, uint32_t paddr, uint32_t len);

/* Physical reads/writes of 1, 2 or 4 bytes, little-endian, with A20
 * applied. A range that straddles a region boundary is split bytewise. */
uint32_t bus_read(struct bus *b, uint32_t paddr, int size);
void bus_write(struct bus *b, uint32_t paddr, int size, uint32_t val);

/* Copy to/from guest physical memory (loaders, DMA, the monitor). Writes
 * go through the self-modifying-code check. Unbacked bytes read as 0xFF and
 * are skipped on write. */
void bus_read_block(struct bus *b, uint32_t paddr, void *dst, uint32_t len);
void bus_write_block(struct bus *b, uint32_t paddr, const void *src, uint32_t len);

/* Side-effect-free read for inspectors: RAM and ROM only; MMIO and unbacked
 * bytes read as 0xFF without calling any device. Returns bytes that were
 * backed by RAM/ROM. */
uint32_t bus_peek(const struct bus *b, uint32_t paddr, void *dst, uint32_t len);

void bus_map_mmio(struct bus *b, uint32_t base, uint32_t len,
		  const struct mmio_ops *ops, void *opaque);
void bus_map_io(struct bus *b, uint16_t port, uint16_t count,
		const struct io_ops *ops, void *opaque);

/* I/O port space. An unclaimed port reads all ones; writes are dropped
 * (reported through the unimp hook). */
uint32_t bus_in(struct bus *b, uint16_t port, int size);
void bus_out(struct bus *b, uint16_t port, int size, uint32_t val);

/* A20 gate (port 0x92 bit 1, i8042 output port bit 1). */
void bus_set_a20(struct bus *b, int enabled);
int bus_a20(const struct bus *b);

/* Self-modifying code support for the decoded-instruction cache.
 * After bus_mark_code(b, pfn), every write to that frame by any path (CPU
 * through the MMU fast path or slow path, bus_write, bus_write_block, DMA)
 * calls the smc hook with the physical address and length written, and the
 * frame stays marked until bus_unmark_code(). The hook must be cheap to test
 * for: a byte per frame. */
void bus_set_smc_hook(struct bus *b, void (*fn)(void *opaque, uint32_t paddr, uint32_t len),
		      void *opaque);
void bus_mark_code(struct bus *b, uint32_t pfn);
void bus_unmark_code(struct bus *b, uint32_t pfn);
int bus_is_code(const struct bus *b, uint32_t pfn);
/* For writers that used bus_ram_ptr(): report the write. */
void bus_notify_write(struct bus *b, uint32_t paddr, uint32_t len);

/* Called for writes to unbacked memory and accesses to unclaimed ports
 * (emu/ logs these with -d unimp). `kind` is "mem-write", "io-in", "io-out". */
void bus_set_unimp_hook(struct bus *b,
			void (*fn)(void *opaque, const char *kind, uint32_t addr, int size, uint32_t val),
			void *opaque);

#endif
