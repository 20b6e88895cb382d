/* mbtest.c - a small Multiboot kernel that checks the machine it boots
 * on and reports on COM1: the Multiboot information, CMOS memory size,
 * interrupts from the PIT through the PIC, the A20 gate, the UART and the
 * keyboard controller. It ends through isa-debug-exit (port 0xf4) with 0x21
 * when every check passed (exit status 67) or 0x7e otherwise (253).
 * Its output is the same on mmulab and on qemu-system-i386: nothing that
 * depends on the loader's addresses, the host clock or BIOS details is
 * printed.
 */
#include <stdint.h>

#define COM1 0x3F8
#define EXIT_PORT 0xF4
#define EXIT_PASS 0x21
#define EXIT_FAIL 0x7E

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static int failures;

static void serial_init(void)
{
	outb(COM1 + 1, 0x00);    /* no interrupts */
	outb(COM1 + 3, 0x80);    /* DLAB */
	outb(COM1 + 0, 0x01);    /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);    /* 8N1 */
	outb(COM1 + 2, 0xC7);    /* FIFOs on, cleared, trigger 14 */
	outb(COM1 + 4, 0x03);    /* DTR, RTS */
}

static void putc_(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void putdec(uint32_t v)
{
	char b[11];
	int i = 0;

	do {
		b[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		putc_(b[--i]);
}

static void puthex(uint32_t v, int digits)
{
	while (digits--)
		putc_("0123456789abcdef"[(v >> (4 * digits)) & 0xF]);
}

static void check(int ok, const char *what)
{
	puts_(ok ? "ok   " : "FAIL ");
	puts_(what);
	putc_('\n');
	if (!ok)
		failures++;
}

static void __attribute__((noreturn)) finish(void)
{
	puts_(failures ? "mbtest: FAILED\n" : "mbtest: all checks passed\n");
	outb(EXIT_PORT, failures ? EXIT_FAIL : EXIT_PASS);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ---- Multiboot information */

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};
struct mb_mod { uint32_t start, end, string, reserved; };
struct mb_mmap { uint32_t size; uint64_t base, len; uint32_t type; } __attribute__((packed));

/* The words after the first: the kernel or module path is not printed. */
static const char *after_path(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static void report_mmap(const struct mb_info *mi)
{
	uint32_t p = mi->mmap_addr, end = mi->mmap_addr + mi->mmap_length;
	int low_ok = 0, high_ok = 0, hole_clean = 1, n = 0;
	uint64_t avail = 0;

	while (p < end) {
		const struct mb_mmap *e = (const struct mb_mmap *)p;

		if (e->type == 1) {
			if (e->base == 0 && e->len >= 0x9F000)
				low_ok = 1;
			if (e->base <= 0x100000 && e->base + e->len > 0x100000)
				high_ok = 1;
			if (e->base < 0x100000 && e->base + e->len > 0xA0000)
				hole_clean = 0;
			avail += e->len;
		}
		n++;
		p += e->size + 4;
	}
	check(n >= 3, "mmap: at least 3 entries");
	check(low_ok, "mmap: RAM from 0 (at least 636 KiB)");
	check(high_ok, "mmap: RAM from 1 MiB");
	check(hole_clean, "mmap: 0xA0000-0xFFFFF not available");
	/* Available RAM is within 1 MiB of what mem_upper says. */
	check(avail / 1024 + 1024 >= mi->mem_upper && avail / 1024 <= mi->mem_upper + 2048,
	      "mmap: available RAM matches mem_upper");
}

static void report_multiboot(uint32_t magic, const struct mb_info *mi)
{
	puts_("magic ");
	puthex(magic, 8);
	putc_('\n');
	check(magic == 0x2BADB002, "magic is 0x2BADB002");
	check((mi->flags & 0x4D) == 0x4D, "flags: memory, cmdline, mods, mmap");
	/* The exact values are the loader's business (QEMU takes them from
	 * SeaBIOS's E820 map, which keeps 1 KiB of EBDA and 128 KiB at the top
	 * of RAM): check them against the CMOS instead of printing them. */
	check(mi->mem_lower >= 636 && mi->mem_lower <= 640, "mem_lower is 636..640 KiB");
	if (mi->flags & 0x40)
		report_mmap(mi);
	if (mi->flags & 0x4) {
		puts_("cmdline '");
		puts_(after_path((const char *)mi->cmdline));
		puts_("'\n");
	}
	if (mi->flags & 0x8) {
		const struct mb_mod *m = (const struct mb_mod *)mi->mods_addr;

		puts_("modules ");
		putdec(mi->mods_count);
		putc_('\n');
		for (uint32_t i = 0; i < mi->mods_count; i++) {
			const char *data = (const char *)m[i].start;
			uint32_t len = m[i].end - m[i].start;

			puts_("module ");
			putdec(i);
			puts_(" args '");
			puts_(after_path((const char *)m[i].string));
			puts_("' size ");
			putdec(len);
			puts_(" first line '");
			for (uint32_t k = 0; k < len && k < 40 && data[k] != '\n'; k++)
				putc_(data[k]);
			puts_("'\n");
			check((m[i].start & 0xFFF) == 0, "module is page-aligned");
		}
	}
}

/* ---- CMOS */

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void report_cmos(const struct mb_info *mi)
{
	uint32_t base = cmos(0x15) | (uint32_t)cmos(0x16) << 8;
	uint32_t ext = cmos(0x17) | (uint32_t)cmos(0x18) << 8;
	uint32_t ext2 = cmos(0x30) | (uint32_t)cmos(0x31) << 8;
	uint32_t high = cmos(0x34) | (uint32_t)cmos(0x35) << 8;

	puts_("cmos base ");
	putdec(base);
	puts_(" KiB, extended ");
	putdec(ext);
	puts_(" KiB, above 16M ");
	putdec(high);
	puts_(" x 64 KiB, century ");
	puthex(cmos(0x32), 2);
	putc_('\n');
	check(base == 640, "cmos: 640 KiB base memory");
	check(ext == ext2, "cmos: 0x17/0x18 and 0x30/0x31 agree");
	/* Below 64 MiB the extended size is exact; mem_upper may keep up to
	 * 256 KiB at the top of RAM for firmware. */
	check(ext == 0xFFFF || (mi->mem_upper <= ext && ext - mi->mem_upper <= 256),
	      "cmos: extended memory matches mem_upper");
	check(ext == 0xFFFF ? high > 0 : high == (ext > 15 * 1024 ? (ext - 15 * 1024) / 64 : 0),
	      "cmos: memory above 16 MiB matches the extended size");
	check((cmos(0x0D) & 0x80) != 0, "cmos: status D says valid");
}

/* ---- descriptor tables and interrupts */

struct gate { uint16_t off_lo, sel; uint8_t zero, type; uint16_t off_hi; } __attribute__((packed));
static struct gate idt[256];
static uint64_t gdt[3] = { 0, 0x00CF9A000000FFFFull, 0x00CF92000000FFFFull };
static volatile uint32_t ticks, other_irqs;

extern char exc0[], exc1[], exc2[], exc3[], exc4[], exc5[], exc6[], exc7[], exc8[], exc9[],
	exc10[], exc11[], exc12[], exc13[], exc14[], exc15[], exc16[], exc17[], exc18[], exc19[],
	exc20[], exc21[], exc22[], exc23[], exc24[], exc25[], exc26[], exc27[], exc28[], exc29[],
	exc30[], exc31[], irq_stub_pit[], irq_stub_other[], a20_probe[], a20_probe_end[];
static char *const exc_stubs[32] = {
	exc0, exc1, exc2, exc3, exc4, exc5, exc6, exc7, exc8, exc9, exc10, exc11, exc12, exc13,
	exc14, exc15, exc16, exc17, exc18, exc19, exc20, exc21, exc22, exc23, exc24, exc25,
	exc26, exc27, exc28, exc29, exc30, exc31,
};

static void set_gate(int n, void *fn)
{
	uint32_t a = (uint32_t)fn;

	idt[n] = (struct gate){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16) };
}

static void load_tables(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gd, id;

	gd.limit = sizeof(gdt) - 1;
	gd.base = (uint32_t)gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp $0x08, $1f\n1:\n\t"
			 "movw $0x10, %%ax\n\t"
			 "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\tmovw %%ax, %%ss" :: "m"(gd) : "eax", "memory");
	for (int i = 0; i < 256; i++)
		set_gate(i, i < 32 ? exc_stubs[i] : irq_stub_other);
	set_gate(0x20, irq_stub_pit);
	id.limit = sizeof(idt) - 1;
	id.base = (uint32_t)idt;
	__asm__ volatile("lidt %0" :: "m"(id));
}

void exception(uint32_t vector, uint32_t error);
void exception(uint32_t vector, uint32_t error)
{
	puts_("FAIL exception ");
	putdec(vector);
	puts_(" error ");
	puthex(error, 8);
	putc_('\n');
	failures++;
	finish();
}

void irq_pit(void);
void irq_pit(void)
{
	ticks++;
	outb(0x20, 0x20);   /* non-specific EOI */
}

void irq_other(void);
void irq_other(void)
{
	other_irqs++;
	outb(0xA0, 0x20);
	outb(0x20, 0x20);
}

static void pic_init(void)
{
	outb(0x20, 0x11); outb(0xA0, 0x11);   /* ICW1: edge, cascade, ICW4 */
	outb(0x21, 0x20); outb(0xA1, 0x28);   /* ICW2: vectors 0x20, 0x28 */
	outb(0x21, 0x04); outb(0xA1, 0x02);   /* ICW3: slave on IR2 */
	outb(0x21, 0x01); outb(0xA1, 0x01);   /* ICW4: 8086 mode */
	outb(0x21, 0xFE); outb(0xA1, 0xFF);   /* only IRQ0 */
}

static void report_timer(void)
{
	uint16_t c1, c2;
	uint8_t isr;

	pic_init();
	outb(0x21, 0xFF);
	outb(0x20, 0x0B);                     /* OCW3: read ISR */
	isr = inb(0x20);
	outb(0x20, 0x0A);                     /* back to IRR */
	check(isr == 0, "pic: nothing in service after init");
	check(inb(0x21) == 0xFF, "pic: IMR reads back");
	outb(0x21, 0xFE);

	outb(0x43, 0x34);                     /* channel 0, lobyte/hibyte, mode 2 */
	outb(0x40, 11932 & 0xFF);             /* 100 Hz */
	outb(0x40, 11932 >> 8);
	outb(0x43, 0x00);                     /* latch channel 0 */
	c1 = inb(0x40);
	c1 |= (uint16_t)(inb(0x40) << 8);
	check(c1 <= 11932 && c1 > 0, "pit: latched count within the period");
	for (volatile int i = 0; i < 1000; i++)
		;
	outb(0x43, 0x00);
	c2 = inb(0x40);
	c2 |= (uint16_t)(inb(0x40) << 8);
	check(c2 != c1, "pit: channel 0 counts");

	__asm__ volatile("sti");
	while (ticks < 10)
		__asm__ volatile("hlt");
	__asm__ volatile("cli");
	outb(0x21, 0xFF);
	puts_("pit: ");
	putdec(ticks);
	puts_(" ticks of IRQ0 at 100 Hz\n");
	check(ticks == 10, "pit: ten ticks counted with hlt in between");
	check(other_irqs == 0, "pic: no other interrupt");
}

/* ---- A20 */

static void report_a20(void)
{
	volatile uint32_t *lo = (volatile uint32_t *)0x7800, *hi = (volatile uint32_t *)0x107800;
	uint32_t (*probe)(void) = (uint32_t (*)(void))0x7000;
	const char *s = a20_probe;
	char *d = (char *)0x7000;
	uint32_t seen;

	while (s < a20_probe_end)
		*d++ = *s++;
	*lo = 0x11111111;
	*hi = 0x33333333;
	check(*lo == 0x11111111, "a20: enabled at entry (1 MiB does not wrap)");
	seen = probe();
	check(seen == 0x22222222, "a20: disabled through port 0x92, 1 MiB wraps to 0");
	*lo = 0x44444444;
	check(*hi == 0x22222222 || *hi == 0x33333333, "a20: enabled again");
}

/* ---- UART and keyboard controller */

static void report_uart_kbc(void)
{
	uint8_t v, msr;
	int n, scratch_ok, fifo_ok;

	outb(COM1 + 7, 0x5A);
	scratch_ok = inb(COM1 + 7) == 0x5A;
	fifo_ok = (inb(COM1 + 2) & 0xC0) == 0xC0;
	/* In loopback nothing reaches the line: report after leaving it. */
	outb(COM1 + 4, 0x1B);                 /* loopback, OUT2, RTS, DTR */
	(void)inb(COM1 + 6);
	outb(COM1, 0xA5);
	for (n = 0; n < 1000 && !(inb(COM1 + 5) & 1); n++)
		;
	v = inb(COM1);
	msr = inb(COM1 + 6);
	outb(COM1 + 4, 0x03);
	check(scratch_ok, "uart: scratch register");
	check(fifo_ok, "uart: IIR reports FIFOs enabled");
	check(v == 0xA5, "uart: loopback returns the byte");
	check((msr & 0xF0) == 0xB0, "uart: loopback modem lines follow MCR");

	outb(0x64, 0xAA);                     /* controller self-test */
	for (n = 0; n < 100000 && !(inb(0x64) & 1); n++)
		;
	v = inb(0x60);
	check(v == 0x55, "i8042: self-test answers 0x55");
}

void kmain(uint32_t magic, const struct mb_info *mi);
void kmain(uint32_t magic, const struct mb_info *mi)
{
	serial_init();
	puts_("mbtest: Multiboot test kernel\n");
	load_tables();
	report_multiboot(magic, mi);
	report_cmos(mi);
	report_uart_kbc();
	report_a20();
	report_timer();
	finish();
}
