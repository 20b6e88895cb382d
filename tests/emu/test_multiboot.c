/* test_multiboot.c - the Multiboot loader with ELF images made here: a
 * good one, then each defect the loader must name. */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "multiboot.h"

#define RAM (4u << 20)
static uint8_t *ram;
static int writes;
static char err[600];

static void wr(void *o, uint32_t pa, const void *src, uint32_t len)
{
	(void)o;
	cr_assert(pa + (uint64_t)len <= RAM, "write outside RAM");
	memcpy(ram + pa, src, len);
	writes++;
}
static const struct guest_mem gm = { wr, NULL, RAM };

static void setup(void)
{
	ram = calloc(1, RAM);
	memset(ram + 0x100000, 0xCC, 0x10000);   /* garbage where bss goes */
	writes = 0;
}
static void teardown(void) { free(ram); }
TestSuite(mb, .init = setup, .fini = teardown);

#define SEG_OFF 0x100u
#define SEG_FILESZ 0x100u
#define SEG_MEMSZ 0x300u

/* A minimal kernel: one PT_LOAD (R+X) at paddr/vaddr, Multiboot header at
 * the start of the segment, code bytes 0x90 after it. */
static size_t make_elf(uint8_t *buf, uint32_t paddr, uint32_t vaddr, uint32_t entry)
{
	Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
	Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof(*eh));
	uint32_t *mb = (uint32_t *)(buf + SEG_OFF);

	memset(buf, 0, SEG_OFF + SEG_FILESZ);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_entry = entry;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	ph->p_type = PT_LOAD;
	ph->p_offset = SEG_OFF;
	ph->p_vaddr = vaddr;
	ph->p_paddr = paddr;
	ph->p_filesz = SEG_FILESZ;
	ph->p_memsz = SEG_MEMSZ;
	ph->p_flags = PF_R | PF_X;
	ph->p_align = 4;
	memset(buf + SEG_OFF, 0x90, SEG_FILESZ);
	mb[0] = MB_HEADER_MAGIC;
	mb[1] = 3;
	mb[2] = -(MB_HEADER_MAGIC + 3);
	return SEG_OFF + SEG_FILESZ;
}

static uint32_t rd32(uint32_t pa) { uint32_t v; memcpy(&v, ram + pa, 4); return v; }

static int load(const uint8_t *img, size_t len, const char *append, struct mb_result *r)
{
	return multiboot_load_image(&gm, "k.elf", img, len, append, NULL, 0, r, err, sizeof(err));
}

Test(mb, good_kernel_and_info)
{
	uint8_t img[0x400];
	size_t len = make_elf(img, 0x100000, 0x100000, 0x10000C);
	struct mb_result r;
	uint32_t info, mmap, mlen;

	cr_assert_eq(load(img, len, "a=1 b", &r), 0, "%s", err);
	cr_assert_eq(r.entry, 0x10000C);
	cr_assert_eq(ram[0x100000 + 12], 0x90, "file bytes copied");
	cr_assert_eq(ram[0x100000 + SEG_FILESZ], 0, "bss zeroed");
	cr_assert_eq(ram[0x100000 + SEG_MEMSZ - 1], 0);
	cr_assert_eq(ram[0x100000 + SEG_MEMSZ], 0xCC, "nothing past memsz");
	/* Hand-off block for the ROM. */
	cr_assert_eq(rd32(MB_HANDOFF_ADDR), MB_HANDOFF_MAGIC);
	cr_assert_eq(rd32(MB_HANDOFF_ADDR + 4), 0x10000C);
	cr_assert_eq(rd32(MB_HANDOFF_ADDR + 12), 0x2BADB002);
	info = rd32(MB_HANDOFF_ADDR + 8);
	cr_assert_eq(info, r.info_addr);
	cr_assert_eq(rd32(info) & 0x4F, 0x4F, "mem, boot device, cmdline, mods, mmap");
	/* QEMU 7.2 + SeaBIOS report 639 KiB and RAM - 1 MiB - 128 KiB. */
	cr_assert_eq(rd32(info + 4), 639);
	cr_assert_eq(rd32(info + 8), RAM / 1024 - 1024 - 128);
	cr_assert_str_eq((char *)ram + rd32(info + 16), "k.elf a=1 b", "path first, as GRUB/QEMU");
	cr_assert_eq(rd32(info + 20), 0, "no modules");
	mlen = rd32(info + 44);
	mmap = rd32(info + 48);
	/* SeaBIOS's E820 map as QEMU 7.2 passes it (the bundled kernel's
	 * golden transcripts from QEMU show it for -m 16/128/1024). */
	{
		static const uint32_t want[6][3] = {
			{ 0x00000, 0x9FC00, 1 }, { 0x9FC00, 0x400, 2 }, { 0xF0000, 0x10000, 2 },
			{ 0x100000, RAM - 0x100000 - 0x20000, 1 }, { RAM - 0x20000, 0x20000, 2 },
			{ 0xFFFC0000u, 0x40000, 2 },
		};

		cr_assert_eq(mlen, 6 * 24);
		for (int i = 0; i < 6; i++) {
			uint32_t e = mmap + 24 * (uint32_t)i;

			cr_assert_eq(rd32(e), 20, "entry size field");
			cr_assert_eq(rd32(e + 4), want[i][0], "entry %d base", i);
			cr_assert_eq(rd32(e + 8), 0);
			cr_assert_eq(rd32(e + 12), want[i][1], "entry %d length", i);
			cr_assert_eq(rd32(e + 16), 0);
			cr_assert_eq(rd32(e + 20), want[i][2], "entry %d type", i);
		}
	}
	cr_assert_str_eq((char *)ram + rd32(info + 64), "mmulab");
}

Test(mb, empty_append_keeps_qemu_form)
{
	uint8_t img[0x400];
	size_t len = make_elf(img, 0x100000, 0x100000, 0x100000);
	struct mb_result r;

	cr_assert_eq(load(img, len, NULL, &r), 0, "%s", err);
	cr_assert_str_eq((char *)ram + rd32(r.info_addr + 16), "k.elf ");
}

Test(mb, entry_translated_from_virtual)
{
	uint8_t img[0x400];
	size_t len = make_elf(img, 0x100000, 0xC0100000, 0xC0100010);
	struct mb_result r;

	cr_assert_eq(load(img, len, NULL, &r), 0, "%s", err);
	cr_assert_eq(r.entry, 0x100010, "e_entry inside the executable segment's vaddr range");
	len = make_elf(img, 0x100000, 0xC0100000, 0x200000);
	cr_assert_eq(load(img, len, NULL, &r), 0, "%s", err);
	cr_assert_eq(r.entry, 0x200000, "outside every segment: used as is");
	/* QEMU 7.2 translates only through segments with PF_X (checked with
	 * a kernel linked at 0xC0100000, loaded at 0x100000: with R only,
	 * QEMU jumps to the virtual address and hangs). */
	len = make_elf(img, 0x100000, 0xC0100000, 0xC0100010);
	((Elf32_Phdr *)(img + sizeof(Elf32_Ehdr)))->p_flags = PF_R;
	cr_assert_eq(load(img, len, NULL, &r), 0, "%s", err);
	cr_assert_eq(r.entry, 0xC0100010);
}

Test(mb, modules_follow_the_kernel)
{
	uint8_t img[0x400];
	size_t len = make_elf(img, 0x100000, 0x100000, 0x100000);
	struct mb_result r;
	struct module_opt mods[2];
	char p1[] = "/tmp/mmulab-mbt-XXXXXX";
	int fd = mkstemp(p1);
	uint32_t info, tab;

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "hello", 5), 5);
	close(fd);
	snprintf(mods[0].path, sizeof(mods[0].path), "%s", p1);
	snprintf(mods[0].cmdline, sizeof(mods[0].cmdline), "%s x y", p1);
	mods[1] = mods[0];
	cr_assert_eq(multiboot_load_image(&gm, "k.elf", img, len, NULL, mods, 2, &r, err,
					  sizeof(err)), 0, "%s", err);
	info = r.info_addr;
	cr_assert_eq(rd32(info + 20), 2);
	tab = rd32(info + 24);
	cr_assert_eq(rd32(tab), 0x101000, "page-aligned after the kernel");
	cr_assert_eq(rd32(tab + 4), 0x101005);
	cr_assert_eq(memcmp(ram + 0x101000, "hello", 5), 0);
	cr_assert_eq(rd32(tab + 16), 0x102000);
	cr_assert(strstr((char *)ram + rd32(tab + 8), " x y"));
	unlink(p1);
}

static void expect_error(const uint8_t *img, size_t len, const char *what)
{
	struct mb_result r;

	writes = 0;
	cr_assert_eq(load(img, len, NULL, &r), -1, "accepted (%s)", what);
	cr_assert(strstr(err, what), "error '%s' lacks '%s'", err, what);
	cr_assert(strstr(err, "k.elf"), "error '%s' does not name the file", err);
	cr_assert_eq(writes, 0, "guest memory written before validation finished");
}

Test(mb, malformed_images)
{
	uint8_t img[0x400], bad[0x400];
	size_t len = make_elf(img, 0x100000, 0x100000, 0x100000);
	Elf32_Phdr *ph = (Elf32_Phdr *)(bad + sizeof(Elf32_Ehdr));

	expect_error((const uint8_t *)"#!/bin/sh\necho hi\n", 18, "not an ELF file");
	expect_error(img, 40, "truncated ELF header");
	expect_error(img, SEG_OFF + 0x40, "truncated segment");
	memcpy(bad, img, len); bad[EI_CLASS] = ELFCLASS64;
	expect_error(bad, len, "not a 32-bit ELF");
	memcpy(bad, img, len); ((Elf32_Ehdr *)bad)->e_machine = EM_X86_64;
	expect_error(bad, len, "wrong machine");
	memcpy(bad, img, len); ((Elf32_Ehdr *)bad)->e_type = ET_DYN;
	expect_error(bad, len, "not an executable");
	memcpy(bad, img, len); bad[SEG_OFF] = 0;
	expect_error(bad, len, "no Multiboot header");
	memcpy(bad, img, len); bad[SEG_OFF + 8]++;
	expect_error(bad, len, "bad Multiboot header checksum");
	memcpy(bad, img, len); ph->p_paddr = RAM - 0x100;
	expect_error(bad, len, "outside RAM");
	memcpy(bad, img, len); ph->p_paddr = 0xFFF00;
	expect_error(bad, len, "over the boot ROM");
	memcpy(bad, img, len); ph->p_paddr = 0xB8000;
	expect_error(bad, len, "legacy hole");
	memcpy(bad, img, len); ph->p_paddr = 0x9000;
	expect_error(bad, len, "boot information area");
	memcpy(bad, img, len); ph->p_filesz = SEG_MEMSZ + 1;
	expect_error(bad, len, "truncated segment");
	memcpy(bad, img, len); ((Elf32_Ehdr *)bad)->e_phnum = 200;
	expect_error(bad, len, "truncated program headers");
}

Test(mb, header_beyond_8k_is_not_found)
{
	static uint8_t big[0x3000];
	Elf32_Phdr *ph;
	size_t len = make_elf(big, 0x100000, 0x100000, 0x100000);
	uint32_t *mb = (uint32_t *)(big + 0x2100);

	(void)len;
	memset(big + SEG_OFF, 0, 12);
	mb[0] = MB_HEADER_MAGIC;
	mb[1] = 0;
	mb[2] = -MB_HEADER_MAGIC;
	ph = (Elf32_Phdr *)(big + sizeof(Elf32_Ehdr));
	ph->p_filesz = 0x2100;
	ph->p_memsz = 0x2100;
	expect_error(big, sizeof(big), "no Multiboot header");
}

Test(mb, module_that_does_not_fit)
{
	uint8_t img[0x400];
	size_t len = make_elf(img, 0x100000, 0x100000, 0x100000);
	struct mb_result r;
	struct module_opt m;
	char p[] = "/tmp/mmulab-mbt-XXXXXX";
	int fd = mkstemp(p);

	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, RAM - 0x101000 - 0x20000 + 1), 0);   /* 1 byte too many */
	close(fd);
	snprintf(m.path, sizeof(m.path), "%s", p);
	snprintf(m.cmdline, sizeof(m.cmdline), "%s", p);
	writes = 0;
	cr_assert_eq(multiboot_load_image(&gm, "k.elf", img, len, NULL, &m, 1, &r, err,
					  sizeof(err)), -1);
	cr_assert(strstr(err, "does not fit"), "%s", err);
	cr_assert_eq(writes, 0);
	unlink(p);
}
