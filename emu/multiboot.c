/* multiboot.c - Multiboot v1 loader (Multiboot Specification 0.6.96).
 *
 * The kernel must be an ELF32 EM_386 executable with a Multiboot header in
 * its first 8 KiB. Segments go to p_paddr (p_filesz bytes copied, the rest
 * of p_memsz zeroed). The entry point is e_entry, translated from virtual
 * to physical when it lies inside an executable segment whose p_vaddr and
 * p_paddr differ -- the rule QEMU 7.2 applies (docs/boot.md). Modules are
 * placed page-aligned after the kernel (below the reserved top of RAM), the
 * information structure, the strings and the memory map at MB_INFO_ADDR,
 * as QEMU does.
 * Everything is validated before the first byte is written.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "errmsg.h"
#include "multiboot.h"


uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	if (sz > 0xC0000000L) {
		errno = EFBIG;
		goto out;
	}
	buf = malloc((size_t)sz + 1);
	if (!buf)
		goto out;
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		free(buf);
		buf = NULL;
		errno = EIO;
		goto out;
	}
	*len = (size_t)sz;
out:
	fclose(f);
	return buf;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Find the Multiboot header: 0 ok, -1 none, -2 bad checksum. */
static int find_header(const uint8_t *img, size_t len, uint32_t *flags)
{
	size_t lim = len < MB_SEARCH_LIMIT ? len : MB_SEARCH_LIMIT;
	int bad = 0;

	for (size_t off = 0; off + 12 <= lim; off += 4) {
		if (rd32(img + off) != MB_HEADER_MAGIC)
			continue;
		if ((uint32_t)(rd32(img + off) + rd32(img + off + 4) + rd32(img + off + 8)) == 0) {
			*flags = rd32(img + off + 4);
			return 0;
		}
		bad = 1;
	}
	return bad ? -2 : -1;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* A physical range [pa, pa+len) that may receive loaded bytes: inside RAM,
 * not in the legacy hole (VGA, ROM), not over the hand-off/info area. */
static const char *bad_range(const struct guest_mem *m, uint64_t pa, uint64_t len)
{
	if (pa + len > m->ram_size)
		return "outside RAM";
	if (overlaps(pa, len, MB_HOLE_START, MB_HOLE_END - MB_HOLE_START))
		return pa + len > 0xF0000 ? "over the boot ROM (0xF0000-0xFFFFF)"
					  : "in the legacy hole (0xA0000-0xFFFFF)";
	if (overlaps(pa, len, 0, MB_LOW_RESERVED_END))
		return "over the boot information area (0x0-0x9FFFF)";
	return NULL;
}

struct mod_img {
	uint8_t *data;
	size_t len;
	uint32_t start;
};

struct info_buf {
	uint8_t b[MB_INFO_END - MB_INFO_ADDR];
	uint32_t used;
};

/* Append bytes to the info area; returns their guest address or 0 if full. */
static uint32_t info_put(struct info_buf *ib, const void *src, uint32_t len, uint32_t align)
{
	uint32_t off = (ib->used + align - 1) & ~(align - 1);

	if (off + len > sizeof(ib->b))
		return 0;
	memcpy(ib->b + off, src, len);
	ib->used = off + len;
	return MB_INFO_ADDR + off;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void zero_fill(const struct guest_mem *m, uint32_t pa, uint32_t len)
{
	static const uint8_t zeros[4096];

	while (len) {
		uint32_t n = len < sizeof(zeros) ? len : (uint32_t)sizeof(zeros);

		m->write(m->opaque, pa, zeros, n);
		pa += n;
		len -= n;
	}
}

/* One BIOS-E820-style entry of the memory map. */
static void mmap_entry(uint8_t *e, uint64_t base, uint64_t len, uint32_t type)
{
	put32(e, 20);
	put32(e + 4, (uint32_t)base);
	put32(e + 8, (uint32_t)(base >> 32));
	put32(e + 12, (uint32_t)len);
	put32(e + 16, (uint32_t)(len >> 32));
	put32(e + 20, type);
}

static int load_elf(const struct guest_mem *m, const char *name, const uint8_t *img,
		    size_t len, const char *append, const struct module_opt *mods, int nmods,
		    struct mod_img *mi, struct mb_result *out, char *err, int errlen)
{
	Elf *e = NULL;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	size_t phnum, i;
	uint32_t mbflags, lo = UINT32_MAX, hi = 0, entry;
	int r = -1, entry_set = 0;
	char *cmdline = NULL;
	struct info_buf *ib = NULL;

	if (len < 4 || memcmp(img, ELFMAG, SELFMAG) != 0)
		return errmsg(err, errlen, "%s: not an ELF file", name);
	if (len < sizeof(Elf32_Ehdr))
		return errmsg(err, errlen, "%s: truncated ELF header", name);
	if (img[EI_CLASS] != ELFCLASS32)
		return errmsg(err, errlen, "%s: not a 32-bit ELF (class %d); need ELF32 i386",
			    name, img[EI_CLASS]);
	if (img[EI_DATA] != ELFDATA2LSB)
		return errmsg(err, errlen, "%s: not a little-endian ELF", name);
	elf_version(EV_CURRENT);
	e = elf_memory((char *)(uintptr_t)img, len);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		errmsg(err, errlen, "%s: bad ELF header (%s)", name, elf_errmsg(-1));
		goto out;
	}
	if (eh.e_machine != EM_386) {
		errmsg(err, errlen, "%s: wrong machine %u; need EM_386 (i386)", name, eh.e_machine);
		goto out;
	}
	if (eh.e_type != ET_EXEC) {
		errmsg(err, errlen, "%s: not an executable (ELF type %u)", name, eh.e_type);
		goto out;
	}
	if (eh.e_phoff > len || (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize > len) {
		errmsg(err, errlen, "%s: truncated program headers", name);
		goto out;
	}
	switch (find_header(img, len, &mbflags)) {
	case -1:
		errmsg(err, errlen, "%s: no Multiboot header in the first 8 KiB", name);
		goto out;
	case -2:
		errmsg(err, errlen, "%s: bad Multiboot header checksum", name);
		goto out;
	}
	/* Flag bits (page alignment, memory info, video mode, a.out kludge
	 * addresses) need nothing more from an ELF loader that always gives
	 * memory information: modules are page-aligned anyway. */
	(void)mbflags;
	if (elf_getphdrnum(e, &phnum)) {
		errmsg(err, errlen, "%s: bad program headers (%s)", name, elf_errmsg(-1));
		goto out;
	}
	entry = (uint32_t)eh.e_entry;
	/* Pass 1: validate every loadable segment. */
	for (i = 0; i < phnum; i++) {
		const char *why;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			errmsg(err, errlen, "%s: bad program header %zu", name, i);
			goto out;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
			errmsg(err, errlen, "%s: truncated segment %zu (offset 0x%llx, %llu bytes)", name, i,
			     (unsigned long long)ph.p_offset, (unsigned long long)ph.p_filesz);
			goto out;
		}
		why = bad_range(m, ph.p_paddr, ph.p_memsz);
		if (why) {
			errmsg(err, errlen, "%s: segment %zu at 0x%llx-0x%llx is %s", name, i,
			     (unsigned long long)ph.p_paddr,
			     (unsigned long long)(ph.p_paddr + ph.p_memsz - 1), why);
			goto out;
		}
		if (ph.p_paddr < lo)
			lo = (uint32_t)ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > hi)
			hi = (uint32_t)(ph.p_paddr + ph.p_memsz);
		if (!entry_set && (ph.p_flags & PF_X) && ph.p_vaddr != ph.p_paddr &&
		    eh.e_entry >= ph.p_vaddr && eh.e_entry < ph.p_vaddr + ph.p_filesz) {
			entry = (uint32_t)(eh.e_entry - ph.p_vaddr + ph.p_paddr);
			entry_set = 1;
		}
	}
	if (hi == 0) {
		errmsg(err, errlen, "%s: no loadable segment", name);
		goto out;
	}
	/* Modules: page-aligned after the kernel. */
	{
		uint64_t at = ((uint64_t)hi + 0xFFF) & ~0xFFFull;

		for (int k = 0; k < nmods; k++) {
			mi[k].start = (uint32_t)at;
			if (at + mi[k].len > MB_USABLE_END(m->ram_size)) {
				errmsg(err, errlen, "%s: module does not fit in RAM (%zu bytes at 0x%llx)",
				     mods[k].path, mi[k].len, (unsigned long long)at);
				goto out;
			}
			at = (at + mi[k].len + 0xFFF) & ~0xFFFull;
		}
		out->mods_end = (uint32_t)at;
	}
	/* Boot information, built in a host buffer first. */
	ib = calloc(1, sizeof(*ib));
	if (!ib) {
		errmsg(err, errlen, "%s: out of memory", name);
		goto out;
	}
	{
		uint8_t info[88], mods_tab[MAX_MODULES * 16], mm[8 * 24];
		uint32_t cl, name_a, mods_a = 0, mmap_a, nmm = 0, ram = m->ram_size;
		size_t cll = strlen(name) + 1 + (append ? strlen(append) : 0) + 1;

		memset(info, 0, sizeof(info));
		ib->used = sizeof(info);   /* the info structure comes first */
		cmdline = malloc(cll);
		if (!cmdline) {
			errmsg(err, errlen, "%s: out of memory", name);
			goto out;
		}
		/* GRUB and QEMU pass the kernel path first. */
		snprintf(cmdline, cll, "%s %s", name, append ? append : "");
		cl = info_put(ib, cmdline, (uint32_t)cll, 1);
		name_a = info_put(ib, "mmulab", 7, 1);
		for (int k = 0; k < nmods; k++) {
			uint32_t s = info_put(ib, mods[k].cmdline, (uint32_t)strlen(mods[k].cmdline) + 1, 1);

			put32(mods_tab + 16 * k, mi[k].start);
			put32(mods_tab + 16 * k + 4, mi[k].start + (uint32_t)mi[k].len);
			put32(mods_tab + 16 * k + 8, s);
			put32(mods_tab + 16 * k + 12, 0);
			if (!s)
				cl = 0;
		}
		if (nmods)
			mods_a = info_put(ib, mods_tab, 16u * (uint32_t)nmods, 4);
		/* The E820 map a PC BIOS reports -- SeaBIOS's, as QEMU 7.2 passes
		 * it on -- so that one kernel prints the same map on both: the
		 * EBDA's 1 KiB below 640 KiB, the BIOS area, the top 128 KiB of
		 * RAM (SeaBIOS's tables; unused here) and the 256 KiB flash
		 * window below 4 GiB are reserved. */
		mmap_entry(mm + 24 * nmm++, 0, MB_EBDA_START, 1);
		mmap_entry(mm + 24 * nmm++, MB_EBDA_START, MB_HOLE_START - MB_EBDA_START, 2);
		mmap_entry(mm + 24 * nmm++, 0xF0000, 0x10000, 2);
		mmap_entry(mm + 24 * nmm++, 0x100000, MB_USABLE_END(ram) - 0x100000, 1);
		mmap_entry(mm + 24 * nmm++, MB_USABLE_END(ram), MB_FW_RESERVED, 2);
		mmap_entry(mm + 24 * nmm++, 0xFFFC0000ull, 0x40000, 2);
		mmap_a = info_put(ib, mm, 24 * nmm, 4);
		if (!cl || !name_a || (nmods && !mods_a) || !mmap_a) {
			errmsg(err, errlen, "%s: command line and module strings too long", name);
			goto out;
		}
		put32(info + 0, MBI_MEMORY | MBI_BOOTDEV | MBI_CMDLINE | MBI_MODS | MBI_MMAP |
				MBI_LOADER_NAME);
		put32(info + 4, MB_EBDA_START >> 10);
		put32(info + 8, (MB_USABLE_END(ram) >> 10) - 1024);
		put32(info + 12, 0x8000FFFFu);   /* first BIOS disk: "no partition" */
		put32(info + 16, cl);
		put32(info + 20, (uint32_t)nmods);
		put32(info + 24, mods_a);
		put32(info + 44, 24 * nmm);
		put32(info + 48, mmap_a);
		put32(info + 64, name_a);
		memcpy(ib->b, info, sizeof(info));
	}

	/* Pass 2: write. */
	for (i = 0; i < phnum; i++) {
		gelf_getphdr(e, (int)i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz)
			m->write(m->opaque, (uint32_t)ph.p_paddr, img + ph.p_offset, (uint32_t)ph.p_filesz);
		zero_fill(m, (uint32_t)(ph.p_paddr + ph.p_filesz), (uint32_t)(ph.p_memsz - ph.p_filesz));
	}
	for (int k = 0; k < nmods; k++)
		if (mi[k].len)
			m->write(m->opaque, mi[k].start, mi[k].data, (uint32_t)mi[k].len);
	m->write(m->opaque, MB_INFO_ADDR, ib->b, ib->used);
	{
		uint8_t h[16];

		put32(h, MB_HANDOFF_MAGIC);
		put32(h + 4, entry);
		put32(h + 8, MB_INFO_ADDR);
		put32(h + 12, MB_BOOT_MAGIC);
		m->write(m->opaque, MB_HANDOFF_ADDR, h, sizeof(h));
	}
	out->entry = entry;
	out->info_addr = MB_INFO_ADDR;
	out->kernel_start = lo;
	out->kernel_end = hi;
	r = 0;
out:
	free(cmdline);
	free(ib);
	if (e)
		elf_end(e);
	return r;
}

int multiboot_load_image(const struct guest_mem *m, const char *name,
			 const uint8_t *img, size_t len, const char *append,
			 const struct module_opt *mods, int nmods,
			 struct mb_result *out, char *err, int errlen)
{
	struct mod_img mi[MAX_MODULES];
	int r = -1, k;

	memset(mi, 0, sizeof(mi));
	if (nmods > MAX_MODULES)
		return errmsg(err, errlen, "too many modules");
	for (k = 0; k < nmods; k++) {
		mi[k].data = read_file(mods[k].path, &mi[k].len);
		if (!mi[k].data) {
			errmsg(err, errlen, "%s: cannot read module: %s", mods[k].path, strerror(errno));
			goto out;
		}
	}
	r = load_elf(m, name, img, len, append, mods, nmods, mi, out, err, errlen);
out:
	for (k = 0; k < nmods; k++)
		free(mi[k].data);
	return r;
}

int multiboot_load(const struct guest_mem *m, const char *kernel, const char *append,
		   const struct module_opt *mods, int nmods, struct mb_result *out,
		   char *err, int errlen)
{
	size_t len = 0;
	uint8_t *img = read_file(kernel, &len);
	int r;

	if (!img)
		return errmsg(err, errlen, "%s: cannot read: %s", kernel, strerror(errno));
	r = multiboot_load_image(m, kernel, img, len, append, mods, nmods, out, err, errlen);
	free(img);
	return r;
}
