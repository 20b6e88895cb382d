/* test_bus.c - the physical bus: RAM, the legacy hole, ROM and its alias,
 * MMIO, I/O ports, A20, the unimp and smc hooks, bus_peek.
 * Expected values follow the PC memory map of DESIGN §3 and bus.h. */
#include "helpers.h"

static int unimp_count;
static char unimp_kind[16];
static uint32_t unimp_addr;

static void unimp(void *opaque, const char *kind, uint32_t addr, int size, uint32_t val)
{
	(void)opaque; (void)size; (void)val;
	unimp_count++;
	strncpy(unimp_kind, kind, sizeof(unimp_kind) - 1);
	unimp_addr = addr;
}

struct dev {
	int reads, writes;
	uint32_t last_off, last_val;
	int last_size;
};

static uint32_t dev_read(void *opaque, uint32_t off, int size)
{
	struct dev *d = opaque;
	d->reads++;
	d->last_off = off;
	d->last_size = size;
	return 0x12345678u + off;
}

static void dev_write(void *opaque, uint32_t off, int size, uint32_t val)
{
	struct dev *d = opaque;
	d->writes++;
	d->last_off = off;
	d->last_size = size;
	d->last_val = val;
}

static const struct mmio_ops dev_ops = { dev_read, dev_write };

static uint32_t io_in(void *opaque, uint16_t port, int size)
{
	struct dev *d = opaque;
	d->reads++;
	d->last_off = port;
	d->last_size = size;
	return 0xA0u + (port & 0xF);
}

static void io_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct dev *d = opaque;
	d->writes++;
	d->last_off = port;
	d->last_size = size;
	d->last_val = val;
}

static const struct io_ops io_dev_ops = { io_in, io_out };

Test(bus, create_rejects_bad_sizes)
{
	cr_expect_null(bus_create(4097));
	cr_expect_null(bus_create(0xC0001000u));
	struct bus *b = bus_create(1u << 20);
	cr_assert_not_null(b);
	cr_expect_eq(bus_ram_size(b), 1u << 20);
	bus_destroy(b);
}

Test(bus, ram_little_endian)
{
	struct bus *b = bus_create(2u << 20);
	bus_write(b, 0x1000, 4, 0x11223344u);
	cr_expect_eq(bus_read(b, 0x1000, 1), 0x44u);
	cr_expect_eq(bus_read(b, 0x1001, 2), 0x2233u);
	cr_expect_eq(bus_read(b, 0x1000, 4), 0x11223344u);
	/* straddling two RAM pages */
	bus_write(b, 0x1FFE, 4, 0xAABBCCDDu);
	cr_expect_eq(bus_read(b, 0x2000, 1), 0xBBu);
	cr_expect_eq(bus_read(b, 0x1FFE, 4), 0xAABBCCDDu);
	bus_destroy(b);
}

Test(bus, unbacked_reads_ones_and_drops_writes)
{
	struct bus *b = bus_create(2u << 20);
	bus_set_unimp_hook(b, unimp, NULL);
	unimp_count = 0;
	cr_expect_eq(bus_read(b, 0x00300000u, 4), 0xFFFFFFFFu);  /* past RAM */
	cr_expect_eq(bus_read(b, 0x000C0000u, 2), 0xFFFFu);      /* option ROM space */
	cr_expect_eq(bus_read(b, 0x000A0000u, 1), 0xFFu);        /* VGA window, nothing mapped */
	bus_write(b, 0x00300000u, 4, 0);
	cr_expect_eq(unimp_count, 4);   /* a dropped 4-byte write is reported per byte */
	cr_expect_str_eq(unimp_kind, "mem-write");
	cr_expect_eq(bus_read(b, 0x00300000u, 4), 0xFFFFFFFFu);
	/* RAM does not show through the hole */
	bus_write(b, 0x000A0000u, 1, 0x12);
	cr_expect_eq(bus_read(b, 0x000A0000u, 1), 0xFFu);
	/* straddle RAM/hole: low half RAM, high half ones */
	bus_write(b, 0x0009FFFEu, 2, 0x5566);
	cr_expect_eq(bus_read(b, 0x0009FFFEu, 4), 0xFFFF5566u);
	bus_destroy(b);
}

Test(bus, rom_and_alias)
{
	struct bus *b = bus_create(2u << 20);
	static uint8_t img[0x10000];
	for (uint32_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7 + 3);
	cr_expect_eq(bus_load_rom(b, img, 1000), -1);
	cr_assert_eq(bus_load_rom(b, img, sizeof(img)), 0);
	cr_expect_eq(bus_read(b, 0xF0000u, 1), img[0]);
	cr_expect_eq(bus_read(b, 0xFFFF0u, 1), img[0xFFF0]);
	cr_expect_eq(bus_read(b, 0xFFFFFFF0u, 1), img[0xFFF0]);    /* reset vector alias */
	cr_expect_eq(bus_read(b, 0xFFFF0000u, 4),
		     (uint32_t)img[0] | img[1] << 8 | img[2] << 16 | (uint32_t)img[3] << 24);
	cr_expect_eq(bus_read(b, 0xE0000u, 1), 0xFFu);       /* 64 KiB ROM: E0000 unbacked */
	cr_expect_eq(bus_read(b, 0xFFFEFFFFu, 1), 0xFFu);    /* just below the alias */
	bus_write(b, 0xF0000u, 4, 0);
	bus_write(b, 0xFFFF0000u, 4, 0);
	cr_expect_eq(bus_read(b, 0xF0000u, 1), img[0]);      /* read-only */
	cr_expect_eq(bus_read(b, 0xFFFF0000u, 1), img[0]);
	cr_expect_null(bus_ram_ptr(b, 0xF0000u, 1));

	static uint8_t big[0x20000];
	big[0] = 0x5A;
	big[0x1FFFF] = 0xA5;
	cr_assert_eq(bus_load_rom(b, big, sizeof(big)), 0);
	cr_expect_eq(bus_read(b, 0xE0000u, 1), 0x5Au);
	cr_expect_eq(bus_read(b, 0xFFFE0000u, 1), 0x5Au);
	cr_expect_eq(bus_read(b, 0xFFFFFu, 1), 0xA5u);
	cr_expect_eq(bus_read(b, 0xFFFFFFFFu, 1), 0xA5u);
	bus_destroy(b);
}

Test(bus, mmio_dispatch)
{
	struct bus *b = bus_create(2u << 20);
	struct dev d = { 0 };
	bus_map_mmio(b, 0xB8000u, 0x8000u, &dev_ops, &d);
	cr_expect_eq(bus_read(b, 0xB8010u, 2), 0x12345678u + 0x10);
	cr_expect_eq(d.last_off, 0x10u);
	cr_expect_eq(d.last_size, 2);
	bus_write(b, 0xB8020u, 4, 0xCAFEu);
	cr_expect_eq(d.writes, 1);
	cr_expect_eq(d.last_off, 0x20u);
	cr_expect_eq(d.last_val, 0xCAFEu);
	/* straddling the end of the region: bytewise, high bytes unbacked */
	d.reads = 0;
	uint32_t v = bus_read(b, 0xBFFFEu, 4);
	cr_expect_eq(d.reads, 2);
	cr_expect_eq(v >> 16, 0xFFFFu);
	/* an MMIO region over RAM hides the RAM and the fast pointer */
	struct dev d2 = { 0 };
	bus_map_mmio(b, 0x100000u, 0x1000u, &dev_ops, &d2);
	cr_expect_null(bus_ram_ptr(b, 0x100000u, 4));
	cr_expect_eq(bus_read(b, 0x100004u, 4), 0x12345678u + 4);
	cr_expect_eq(d2.reads, 1);
	cr_expect_not_null(bus_ram_ptr(b, 0x101000u, 4096));
	bus_destroy(b);
}

Test(bus, ram_ptr_bounds)
{
	struct bus *b = bus_create(2u << 20);
	cr_expect_not_null(bus_ram_ptr(b, 0, 0xA0000u));
	cr_expect_null(bus_ram_ptr(b, 0, 0xA0001u));
	cr_expect_null(bus_ram_ptr(b, 0xB8000u, 1));
	cr_expect_not_null(bus_ram_ptr(b, 0x1FF000u, 0x1000u));
	cr_expect_null(bus_ram_ptr(b, 0x1FF000u, 0x1001u));
	cr_expect_null(bus_ram_ptr(b, 0xFFFFF000u, 0x2000u));
	cr_expect_null(bus_ram_ptr(b, 0x1000u, 0));
	bus_destroy(b);
}

Test(bus, a20_wraps_bit20)
{
	struct bus *b = bus_create(4u << 20);
	static uint8_t img[0x10000];
	img[0xFFFE] = 0x11;
	img[0xFFFF] = 0x22;
	bus_load_rom(b, img, sizeof(img));
	cr_expect(bus_a20(b));
	bus_write(b, 0x300000u, 4, 0xDEADBEEFu);
	cr_expect_eq(bus_read(b, 0x200000u, 4), 0);
	bus_set_a20(b, 0);
	cr_expect(!bus_a20(b));
	cr_expect_eq(bus_read(b, 0x300000u, 4), 0);   /* now reaches 0x200000 */
	bus_write(b, 0x300000u, 4, 0x01020304u);
	cr_expect_eq(bus_read(b, 0x200000u, 4), 0x01020304u);
	/* each byte is masked on its own: 0x1FFFFE..0x200001 ->
	 * 0x0FFFFE, 0x0FFFFF (ROM) and 0x200000, 0x200001 (RAM) */
	cr_expect_eq(bus_read(b, 0x1FFFFEu, 4), 0x03042211u);
	uint8_t buf[4];
	bus_read_block(b, 0x1FFFFEu, buf, 4);
	cr_expect_eq(buf[0], 0x11);
	cr_expect_eq(buf[3], 0x03);
	bus_set_a20(b, 1);
	cr_expect_eq(bus_read(b, 0x300000u, 4), 0xDEADBEEFu);
	bus_destroy(b);
}

Test(bus, io_ports)
{
	struct bus *b = bus_create(1u << 20);
	bus_set_unimp_hook(b, unimp, NULL);
	unimp_count = 0;
	cr_expect_eq(bus_in(b, 0x300, 1), 0xFFu);
	cr_expect_eq(bus_in(b, 0x300, 2), 0xFFFFu);
	cr_expect_eq(bus_in(b, 0x300, 4), 0xFFFFFFFFu);
	cr_expect_str_eq(unimp_kind, "io-in");
	bus_out(b, 0x300, 1, 5);
	cr_expect_str_eq(unimp_kind, "io-out");
	cr_expect_eq(unimp_addr, 0x300u);
	cr_expect_eq(unimp_count, 4);

	struct dev d1 = { 0 }, d2 = { 0 };
	bus_map_io(b, 0x60, 1, &io_dev_ops, &d1);
	bus_map_io(b, 0x61, 1, &io_dev_ops, &d2);
	cr_expect_eq(bus_in(b, 0x60, 1), 0xA0u);
	bus_out(b, 0x61, 1, 0x42);
	cr_expect_eq(d2.last_val, 0x42u);
	/* a word across two devices is split bytewise, little-endian */
	cr_expect_eq(bus_in(b, 0x60, 2), 0xA1A0u);
	bus_out(b, 0x60, 2, 0x1234);
	cr_expect_eq(d1.last_val, 0x34u);
	cr_expect_eq(d2.last_val, 0x12u);
	/* a word to one device goes at once */
	bus_map_io(b, 0x3F8, 8, &io_dev_ops, &d1);
	d1.writes = 0;
	bus_out(b, 0x3F8, 2, 0xBEEF);
	cr_expect_eq(d1.writes, 1);
	cr_expect_eq(d1.last_size, 2);
	cr_expect_eq(d1.last_val, 0xBEEFu);
	bus_destroy(b);
}

static int smc_calls;
static uint32_t smc_pa, smc_len;

static void smc(void *opaque, uint32_t pa, uint32_t len)
{
	(void)opaque;
	smc_calls++;
	smc_pa = pa;
	smc_len = len;
}

Test(bus, smc_hook)
{
	struct bus *b = bus_create(2u << 20);
	bus_set_smc_hook(b, smc, NULL);
	smc_calls = 0;
	bus_write(b, 0x5000, 4, 1);
	cr_expect_eq(smc_calls, 0);
	bus_mark_code(b, 5);
	cr_expect(bus_is_code(b, 5));
	cr_expect(!bus_is_code(b, 6));
	bus_write(b, 0x5010, 2, 1);
	cr_expect_eq(smc_calls, 1);
	cr_expect_eq(smc_pa, 0x5010u);
	cr_expect_eq(smc_len, 2u);
	uint8_t buf[16] = { 0 };
	bus_write_block(b, 0x4FF8, buf, 16);   /* reaches into frame 5 */
	cr_expect_eq(smc_calls, 2);
	bus_write_block(b, 0x6000, buf, 16);
	cr_expect_eq(smc_calls, 2);
	bus_notify_write(b, 0x5FFF, 1);
	cr_expect_eq(smc_calls, 3);
	bus_unmark_code(b, 5);
	bus_write(b, 0x5010, 2, 1);
	cr_expect_eq(smc_calls, 3);
	cr_expect(!bus_is_code(b, 0xFFFFFu));   /* out of range: never code */
	bus_mark_code(b, 0xFFFFFu);
	bus_destroy(b);
}

Test(bus, peek_has_no_side_effects)
{
	struct bus *b = bus_create(2u << 20);
	struct dev d = { 0 };
	bus_map_mmio(b, 0xB8000u, 0x1000u, &dev_ops, &d);
	bus_write(b, 0x9FFFEu, 2, 0x7788);
	uint8_t buf[4];
	cr_expect_eq(bus_peek(b, 0x9FFFEu, buf, 4), 2u);
	cr_expect_eq(buf[0], 0x88);
	cr_expect_eq(buf[1], 0x77);
	cr_expect_eq(buf[2], 0xFF);
	cr_expect_eq(bus_peek(b, 0xB8000u, buf, 4), 0u);
	cr_expect_eq(d.reads, 0);
	cr_expect_eq(buf[0], 0xFF);
	bus_destroy(b);
}
