/* bus.c - the PC's physical address space and I/O port space.
 *
 * RAM is one host array. A byte per RAM frame (frame_flags) says whether the
 * frame is plain RAM (fast path) or something else (the legacy hole, an MMIO
 * region laid over it) and whether it holds code (self-modifying-code
 * check). The flags array also covers the first megabyte when RAM is
 * smaller, so the legacy hole always has an entry.
 *
 * Every access is bounds-checked: whatever the guest does, host memory
 * outside the RAM and ROM arrays is never touched.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bus.h"
#include "bus_internal.h"

#define HOLE_START 0x000A0000u
#define HOLE_END   0x00100000u      /* exclusive */
#define A20_BIT    (1u << 20)

/* frame_flags bits (bus_internal.h) */
#define FR_CODE   BUS_FR_CODE
#define FR_NOTRAM BUS_FR_NOTRAM

struct mmio_region {
	uint32_t base, len;
	const struct mmio_ops *ops;
	void *opaque;
};

struct io_region {
	const struct io_ops *ops;
	void *opaque;
};

struct bus_listener {
	bus_listener_fn fn;
	void *opaque;
};

struct bus {
	struct bus_hot h;          /* first: ram, frame_flags, nframes, a20_mask */
	void *ram_map;             /* the mapping that holds ram (ram_alloc) */
	size_t ram_map_len;
	uint32_t ram_size;

	uint8_t *rom;
	uint32_t rom_size, rom_base;

	struct mmio_region *mmio;
	int n_mmio;

	struct io_region *io;
	int n_io;
	uint16_t io_map[65536];    /* 0: unclaimed, else index + 1 into io */

	void (*smc_fn)(void *opaque, uint32_t paddr, uint32_t len);
	void *smc_opaque;
	void (*unimp_fn)(void *opaque, const char *kind, uint32_t addr, int size, uint32_t val);
	void *unimp_opaque;

	struct bus_listener listeners[BUS_MAX_LISTENERS];
};

_Static_assert(offsetof(struct bus, h) == 0, "bus_internal.h reads struct bus_hot inline");

static void notify(struct bus *b, enum bus_change what, uint32_t pfn)
{
	for (int i = 0; i < BUS_MAX_LISTENERS; i++)
		if (b->listeners[i].fn)
			b->listeners[i].fn(b->listeners[i].opaque, what, pfn);
}

/* Guest RAM: an anonymous mapping, so pages are allocated on first touch
 * (resident memory follows what the guest uses, as with calloc), aligned to
 * 2 MiB and marked MADV_HUGEPAGE so that the host can back it with
 * transparent huge pages: a guest that walks many pages (TLB-miss
 * workloads) would otherwise take a host TLB miss on nearly every access.
 * ram_map holds the mapping as made, for munmap. */
#define RAM_ALIGN (2u << 20)

static uint8_t *ram_alloc(struct bus *b, uint32_t size)
{
	size_t len = (size_t)size + RAM_ALIGN;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	b->ram_map = p;
	b->ram_map_len = len;
	uintptr_t a = ((uintptr_t)p + RAM_ALIGN - 1) & ~(uintptr_t)(RAM_ALIGN - 1);
#ifdef MADV_HUGEPAGE
	madvise((void *)a, size, MADV_HUGEPAGE);   /* a hint: failure is harmless */
#endif
	return (uint8_t *)a;
}

struct bus *bus_create(uint32_t ram_size)
{
	if (ram_size % PAGE_SIZE || ram_size > 0xC0000000u)
		return NULL;
	struct bus *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->ram_size = ram_size;
	b->h.ram = ram_alloc(b, ram_size ? ram_size : 1);
	b->h.nframes = ram_size / PAGE_SIZE;
	if (b->h.nframes < HOLE_END / PAGE_SIZE)
		b->h.nframes = HOLE_END / PAGE_SIZE;
	b->h.frame_flags = calloc(b->h.nframes, 1);
	if (!b->h.ram || !b->h.frame_flags) {
		bus_destroy(b);
		return NULL;
	}
	for (uint32_t pfn = 0; pfn < b->h.nframes; pfn++) {
		uint32_t a = pfn << PAGE_SHIFT;
		if (a >= ram_size || (a >= HOLE_START && a < HOLE_END))
			b->h.frame_flags[pfn] = FR_NOTRAM;
	}
	b->h.a20_mask = ~0u;
	return b;
}

void bus_destroy(struct bus *b)
{
	if (!b)
		return;
	if (b->ram_map)
		munmap(b->ram_map, b->ram_map_len);
	free(b->h.frame_flags);
	free(b->rom);
	free(b->mmio);
	free(b->io);
	free(b);
}

uint32_t bus_ram_size(const struct bus *b)
{
	return b->ram_size;
}

int bus_load_rom(struct bus *b, const uint8_t *img, size_t len)
{
	if (len != 0x10000 && len != 0x20000)
		return -1;
	uint8_t *rom = malloc(len);
	if (!rom)
		return -1;
	memcpy(rom, img, len);
	free(b->rom);
	b->rom = rom;
	b->rom_size = (uint32_t)len;
	b->rom_base = 0x100000u - (uint32_t)len;
	notify(b, BUS_CHANGE_MAP, 0);
	return 0;
}

/* Is the byte at (already A20-masked) address a plain RAM? */
static inline int is_ram(const struct bus *b, uint32_t a)
{
	return a < b->ram_size && !(b->h.frame_flags[a >> PAGE_SHIFT] & FR_NOTRAM);
}

static const struct mmio_region *find_mmio(const struct bus *b, uint32_t a)
{
	/* Later mappings win over earlier ones. */
	for (int i = b->n_mmio - 1; i >= 0; i--)
		if (a - b->mmio[i].base < b->mmio[i].len)
			return &b->mmio[i];
	return NULL;
}

/* ROM byte offset for address a, or -1. */
static inline int64_t rom_off(const struct bus *b, uint32_t a)
{
	if (!b->rom)
		return -1;
	if (a - b->rom_base < b->rom_size)
		return a - b->rom_base;
	uint32_t top = 0u - b->rom_size;
	if (a >= top)
		return a - top;
	return -1;
}

uint8_t *bus_ram_ptr(struct bus *b, uint32_t paddr, uint32_t len)
{
	if (len == 0 || paddr >= b->ram_size || len > b->ram_size - paddr)
		return NULL;
	for (uint32_t pfn = paddr >> PAGE_SHIFT; pfn <= (paddr + len - 1) >> PAGE_SHIFT; pfn++)
		if (b->h.frame_flags[pfn] & FR_NOTRAM)
			return NULL;
	return b->h.ram + paddr;
}

/* Call the smc hook once if any frame of [a, a+len) is marked as code. */
static void smc_check(struct bus *b, uint32_t a, uint32_t len)
{
	if (!b->smc_fn || len == 0)
		return;
	uint32_t first = a >> PAGE_SHIFT, last = (a + len - 1) >> PAGE_SHIFT;
	for (uint32_t pfn = first;; pfn++) {
		if (pfn < b->h.nframes && (b->h.frame_flags[pfn] & FR_CODE)) {
			b->smc_fn(b->smc_opaque, a, len);
			return;
		}
		if (pfn == last)
			break;
	}
}

/* One byte, address already masked. */
static uint8_t read_byte(struct bus *b, uint32_t a)
{
	if (is_ram(b, a))
		return b->h.ram[a];
	const struct mmio_region *r = find_mmio(b, a);
	if (r)
		return r->ops->read ? (uint8_t)r->ops->read(r->opaque, a - r->base, 1) : 0xFF;
	int64_t o = rom_off(b, a);
	if (o >= 0)
		return b->rom[o];
	return 0xFF;
}

/* One byte, address already masked: RAM, then MMIO, ROM (dropped), else
 * reported as unimplemented. */
static void write_byte(struct bus *b, uint32_t a, uint8_t v)
{
	if (is_ram(b, a)) {
		b->h.ram[a] = v;
		smc_check(b, a, 1);
		return;
	}
	const struct mmio_region *r = find_mmio(b, a);
	if (r) {
		if (r->ops->write)
			r->ops->write(r->opaque, a - r->base, 1, v);
		smc_check(b, a, 1);
		return;
	}
	if (rom_off(b, a) >= 0)
		return;   /* ROM is read-only: the write is dropped */
	if (b->unimp_fn)
		b->unimp_fn(b->unimp_opaque, "mem-write", a, 1, v);
}

static inline int size_ok(int size)
{
	return size == 1 || size == 2 || size == 4;
}

/* An access that lies wholly in one RAM page or one MMIO region is done at
 * once; anything else (straddling regions, A20 wrap) goes byte by byte. */
uint32_t bus_read(struct bus *b, uint32_t paddr, int size)
{
	if (!size_ok(size))
		return 0xFFFFFFFFu;
	uint32_t a = paddr & b->h.a20_mask;
	uint32_t last = (paddr + (uint32_t)size - 1) & b->h.a20_mask;
	if (last - a == (uint32_t)size - 1 && (a >> PAGE_SHIFT) == (last >> PAGE_SHIFT)) {
		if (is_ram(b, a)) {
			const uint8_t *p = b->h.ram + a;
			uint16_t v16;
			uint32_t v32;
			switch (size) {
			case 1:
				return *p;
			case 2:
				memcpy(&v16, p, 2);
				return v16;
			default:
				memcpy(&v32, p, 4);
				return v32;
			}
		}
		const struct mmio_region *r = find_mmio(b, a);
		if (r && last - r->base < r->len)
			return r->ops->read ? r->ops->read(r->opaque, a - r->base, size)
					    : (uint32_t)(0xFFFFFFFFull >> (32 - 8 * size));
	}
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint32_t)read_byte(b, (paddr + (uint32_t)i) & b->h.a20_mask) << (8 * i);
	return v;
}

void bus_write(struct bus *b, uint32_t paddr, int size, uint32_t val)
{
	if (!size_ok(size))
		return;
	uint32_t a = paddr & b->h.a20_mask;
	uint32_t last = (paddr + (uint32_t)size - 1) & b->h.a20_mask;
	if (last - a == (uint32_t)size - 1 && (a >> PAGE_SHIFT) == (last >> PAGE_SHIFT)) {
		if (is_ram(b, a)) {
			uint8_t *p = b->h.ram + a;
			if (size == 4) {
				memcpy(p, &val, 4);
			} else if (size == 2) {
				uint16_t v16 = (uint16_t)val;
				memcpy(p, &v16, 2);
			} else {
				*p = (uint8_t)val;
			}
			if (b->h.frame_flags[a >> PAGE_SHIFT] & FR_CODE)
				smc_check(b, a, (uint32_t)size);
			return;
		}
		const struct mmio_region *r = find_mmio(b, a);
		if (r && last - r->base < r->len) {
			if (r->ops->write)
				r->ops->write(r->opaque, a - r->base, size, val);
			smc_check(b, a, (uint32_t)size);
			return;
		}
	}
	for (int i = 0; i < size; i++)
		write_byte(b, (paddr + (uint32_t)i) & b->h.a20_mask, (uint8_t)(val >> (8 * i)));
}

/* Page-sized chunks: RAM pages by memcpy, anything else byte by byte. */
void bus_read_block(struct bus *b, uint32_t paddr, void *dst, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t off = 0;
	while (off < len) {
		uint32_t a = (paddr + off) & b->h.a20_mask;
		uint32_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		if (n > len - off)
			n = len - off;
		if (is_ram(b, a) && a + n - 1 < b->ram_size) {
			memcpy(d + off, b->h.ram + a, n);
		} else {
			for (uint32_t i = 0; i < n; i++)
				d[off + i] = read_byte(b, a + i);
		}
		off += n;
	}
}

void bus_write_block(struct bus *b, uint32_t paddr, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint32_t off = 0;
	while (off < len) {
		uint32_t a = (paddr + off) & b->h.a20_mask;
		uint32_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		if (n > len - off)
			n = len - off;
		if (is_ram(b, a) && a + n - 1 < b->ram_size) {
			memcpy(b->h.ram + a, s + off, n);
			smc_check(b, a, n);
		} else {
			for (uint32_t i = 0; i < n; i++)
				write_byte(b, a + i, s[off + i]);
		}
		off += n;
	}
}

uint32_t bus_peek(const struct bus *b, uint32_t paddr, void *dst, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t backed = 0;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t a = (paddr + i) & b->h.a20_mask;
		int64_t o;
		if (is_ram(b, a)) {
			d[i] = b->h.ram[a];
			backed++;
		} else if (!find_mmio(b, a) && (o = rom_off(b, a)) >= 0) {
			d[i] = b->rom[o];
			backed++;
		} else {
			d[i] = 0xFF;
		}
	}
	return backed;
}

/* Regions are kept in a list searched newest first; there are few. */
void bus_map_mmio(struct bus *b, uint32_t base, uint32_t len,
		  const struct mmio_ops *ops, void *opaque)
{
	if (len == 0 || !ops)
		return;
	struct mmio_region *n = realloc(b->mmio, sizeof(*n) * (size_t)(b->n_mmio + 1));
	if (!n)
		return;
	b->mmio = n;
	b->mmio[b->n_mmio++] = (struct mmio_region){ base, len, ops, opaque };
	/* RAM frames under the region stop being plain RAM. */
	uint32_t last = base + len - 1 < base ? 0xFFFFFFFFu : base + len - 1;
	for (uint64_t pfn = base >> PAGE_SHIFT; pfn <= (last >> PAGE_SHIFT) && pfn < b->h.nframes; pfn++)
		b->h.frame_flags[pfn] |= FR_NOTRAM;
	notify(b, BUS_CHANGE_MAP, 0);
}

void bus_map_io(struct bus *b, uint16_t port, uint16_t count,
		const struct io_ops *ops, void *opaque)
{
	if (count == 0 || !ops || b->n_io >= 65535)
		return;
	struct io_region *n = realloc(b->io, sizeof(*n) * (size_t)(b->n_io + 1));
	if (!n)
		return;
	b->io = n;
	b->io[b->n_io++] = (struct io_region){ ops, opaque };
	for (uint32_t i = 0; i < count && port + i <= 0xFFFF; i++)
		b->io_map[port + i] = (uint16_t)b->n_io;
}

/* All bytes of the access on one device: one call; else byte by byte, as
 * the PC's bus splits a wide access between 8-bit devices. */
uint32_t bus_in(struct bus *b, uint16_t port, int size)
{
	if (!size_ok(size))
		return 0xFFFFFFFFu;
	uint16_t idx = b->io_map[port];
	int same = 1;
	for (int i = 1; i < size; i++)
		if (b->io_map[(uint16_t)(port + i)] != idx)
			same = 0;
	uint32_t ones = (uint32_t)(0xFFFFFFFFull >> (32 - 8 * size));
	if (same) {
		if (!idx) {
			if (b->unimp_fn)
				b->unimp_fn(b->unimp_opaque, "io-in", port, size, 0);
			return ones;
		}
		const struct io_region *r = &b->io[idx - 1];
		return r->ops->in ? r->ops->in(r->opaque, port, size) & ones : ones;
	}
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (bus_in(b, (uint16_t)(port + i), 1) & 0xFF) << (8 * i);
	return v;
}

void bus_out(struct bus *b, uint16_t port, int size, uint32_t val)
{
	if (!size_ok(size))
		return;
	uint16_t idx = b->io_map[port];
	int same = 1;
	for (int i = 1; i < size; i++)
		if (b->io_map[(uint16_t)(port + i)] != idx)
			same = 0;
	if (same) {
		if (!idx) {
			if (b->unimp_fn)
				b->unimp_fn(b->unimp_opaque, "io-out", port, size, val);
			return;
		}
		const struct io_region *r = &b->io[idx - 1];
		if (r->ops->out)
			r->ops->out(r->opaque, port, size, val);
		return;
	}
	for (int i = 0; i < size; i++)
		bus_out(b, (uint16_t)(port + i), 1, (val >> (8 * i)) & 0xFF);
}

void bus_set_a20(struct bus *b, int enabled)
{
	uint32_t mask = enabled ? ~0u : ~A20_BIT;
	if (mask == b->h.a20_mask)
		return;
	b->h.a20_mask = mask;
	notify(b, BUS_CHANGE_A20, 0);
}

int bus_a20(const struct bus *b)
{
	return b->h.a20_mask == ~0u;
}

uint32_t bus_a20_mask(const struct bus *b)
{
	return b->h.a20_mask;
}

void bus_set_smc_hook(struct bus *b, void (*fn)(void *opaque, uint32_t paddr, uint32_t len),
		      void *opaque)
{
	b->smc_fn = fn;
	b->smc_opaque = opaque;
}

/* Frames beyond the flags array (MMIO high up, ROM alias) cannot be
 * marked: nothing writable lives there that could hold code. */
void bus_mark_code(struct bus *b, uint32_t pfn)
{
	if (pfn >= b->h.nframes || (b->h.frame_flags[pfn] & FR_CODE))
		return;
	b->h.frame_flags[pfn] |= FR_CODE;
	notify(b, BUS_CHANGE_CODE, pfn);
}

void bus_unmark_code(struct bus *b, uint32_t pfn)
{
	if (pfn < b->h.nframes)
		b->h.frame_flags[pfn] &= (uint8_t)~FR_CODE;
}

int bus_is_code(const struct bus *b, uint32_t pfn)
{
	return pfn < b->h.nframes && (b->h.frame_flags[pfn] & FR_CODE);
}

void bus_notify_write(struct bus *b, uint32_t paddr, uint32_t len)
{
	smc_check(b, paddr, len);
}

void bus_set_unimp_hook(struct bus *b,
			void (*fn)(void *opaque, const char *kind, uint32_t addr, int size, uint32_t val),
			void *opaque)
{
	b->unimp_fn = fn;
	b->unimp_opaque = opaque;
}

int bus_add_listener(struct bus *b, bus_listener_fn fn, void *opaque)
{
	for (int i = 0; i < BUS_MAX_LISTENERS; i++)
		if (!b->listeners[i].fn) {
			b->listeners[i] = (struct bus_listener){ fn, opaque };
			return 0;
		}
	return -1;
}

void bus_remove_listener(struct bus *b, void *opaque)
{
	for (int i = 0; i < BUS_MAX_LISTENERS; i++)
		if (b->listeners[i].fn && b->listeners[i].opaque == opaque)
			b->listeners[i] = (struct bus_listener){ NULL, NULL };
}
