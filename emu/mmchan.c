/* mmchan.c - decode the guest's mm channel events; find its introspection
 * table. See mmchan.h and docs/mm-channel.md. */
#include "mmchan.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mmchan_read_introspect copies the guest's little-endian table as is"
#endif


struct mmchan {
	struct bus *bus;
	mmchan_fn fn;
	void *opaque;
	int enabled;
	uint32_t last_seq;
	struct mmchan_stats st;
};

static const char *const type_names[MMEV_TYPE_MAX] = {
	[MMEV_NONE] = "none",
	[MMEV_PAGE_ALLOC] = "page_alloc",
	[MMEV_PAGE_FREE] = "page_free",
	[MMEV_RESERVE] = "reserve",
	[MMEV_CACHE_CREATE] = "cache_create",
	[MMEV_CACHE_DESTROY] = "cache_destroy",
	[MMEV_SLAB_GROW] = "slab_grow",
	[MMEV_SLAB_SHRINK] = "slab_shrink",
	[MMEV_OBJ_ALLOC] = "obj_alloc",
	[MMEV_OBJ_FREE] = "obj_free",
	[MMEV_VMALLOC] = "vmalloc",
	[MMEV_VFREE] = "vfree",
	[MMEV_KMAP] = "kmap",
	[MMEV_KUNMAP] = "kunmap",
	[MMEV_VMA_ADD] = "vma_add",
	[MMEV_VMA_REMOVE] = "vma_remove",
	[MMEV_VMA_CHANGE] = "vma_change",
	[MMEV_FAULT] = "fault",
	[MMEV_FORK] = "fork",
	[MMEV_EXIT] = "exit",
	[MMEV_OOM_KILL] = "oom_kill",
};

static const char *const fault_names[MMFAULT_MAX] = {
	[MMFAULT_NONE] = "none",
	[MMFAULT_DEMAND_ZERO] = "demand_zero",
	[MMFAULT_COW] = "cow",
	[MMFAULT_COW_REUSE] = "cow_reuse",
	[MMFAULT_STACK_GROWTH] = "stack_growth",
	[MMFAULT_SIGSEGV] = "sigsegv",
	[MMFAULT_OOM] = "oom",
	[MMFAULT_SPURIOUS] = "spurious",
	[MMFAULT_KERNEL] = "kernel",
};

static const char *const owner_names[MMOWN_MAX] = {
	[MMOWN_FREE] = "free",
	[MMOWN_RESERVED] = "reserved",
	[MMOWN_KERNEL_IMAGE] = "kernel_image",
	[MMOWN_BOOTMEM] = "bootmem",
	[MMOWN_PAGE_TABLE] = "page_table",
	[MMOWN_SLAB] = "slab",
	[MMOWN_KERNEL] = "kernel",
	[MMOWN_VMALLOC] = "vmalloc",
	[MMOWN_USER] = "user",
	[MMOWN_MODULE] = "module",
};

const char *mmchan_type_name(unsigned type)
{
	return type < MMEV_TYPE_MAX ? type_names[type] : "unknown";
}

const char *mmchan_fault_name(unsigned outcome)
{
	return outcome < MMFAULT_MAX ? fault_names[outcome] : "unknown";
}

const char *mmchan_owner_name(unsigned owner)
{
	return owner < MMOWN_MAX ? owner_names[owner] : "unknown";
}

const char *mmchan_zone_name(unsigned zone)
{
	switch (zone) {
	case MMZONE_DMA: return "DMA";
	case MMZONE_NORMAL: return "Normal";
	case MMZONE_HIGHMEM: return "HighMem";
	case MMZONE_NONE: return "none";
	default: return "unknown";
	}
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int mmchan_decode(const uint8_t *raw, uint32_t len, struct mmchan_event *out)
{
	if (!raw || !out || len < MMCHAN_EVENT_SIZE)
		return -1;
	struct mmchan_event e;
	memset(&e, 0, sizeof(e));
	e.type = le16(raw + 0);
	e.length = le16(raw + 2);
	e.seq = le32(raw + 4);
	e.pfn = le32(raw + 8);
	e.count = le32(raw + 12);
	e.order = raw[16];
	e.zone = raw[17];
	e.owner = raw[18];
	e.flags = raw[19];
	e.cache = le32(raw + 20);
	e.addr = le32(raw + 24);
	e.pid = le32(raw + 28);
	memcpy(e.name, raw + 32, MMCHAN_NAME_LEN);
	/* A longer record (a newer kernel) is fine: its head is this one. */
	if (e.type == MMEV_NONE || e.type >= MMEV_TYPE_MAX || e.length < MMCHAN_EVENT_SIZE)
		return -1;
	if (e.zone > MMZONE_HIGHMEM && e.zone != MMZONE_NONE)
		return -1;
	if (e.owner >= MMOWN_MAX || e.order >= 32)
		return -1;
	/* The guest pads with NULs but need not terminate a 16-byte name. */
	e.name[MMCHAN_NAME_LEN - 1] = 0;
	*out = e;
	return 0;
}

uint32_t mmchan_port_in(void *opaque, uint16_t port, int size)
{
	struct mmchan *ch = opaque;
	if (port == MMCHAN_PORT && size == 4 && ch->enabled)
		return MMCHAN_PRESENT;
	return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFFFFFFu;
}

/* A 32-bit write to the base port carries a record's physical address;
 * anything else is ignored, as an empty slot would. */
void mmchan_port_out(void *opaque, uint16_t port, int size, uint32_t val)
{
	struct mmchan *ch = opaque;
	if (port != MMCHAN_PORT || size != 4 || !ch->enabled)
		return;
	uint8_t raw[MMCHAN_EVENT_SIZE];
	struct mmchan_event ev;
	if (val > UINT32_MAX - MMCHAN_EVENT_SIZE ||
	    bus_peek(ch->bus, val, raw, sizeof(raw)) != sizeof(raw) ||
	    mmchan_decode(raw, sizeof(raw), &ev) != 0) {
		ch->st.rejected++;
		return;
	}
	if (ch->last_seq && ev.seq > ch->last_seq + 1)
		ch->st.lost += ev.seq - ch->last_seq - 1;
	ch->last_seq = ev.seq;
	ch->st.events++;
	if (ch->fn)
		ch->fn(ch->opaque, &ev);
}

static const struct io_ops mmchan_io_ops = {
	.in = mmchan_port_in,
	.out = mmchan_port_out,
};

struct mmchan *mmchan_create(struct bus *b, mmchan_fn fn, void *opaque)
{
	struct mmchan *ch = calloc(1, sizeof(*ch));
	if (!ch)
		return NULL;
	ch->bus = b;
	ch->fn = fn;
	ch->opaque = opaque;
	ch->enabled = 1;
	bus_map_io(b, MMCHAN_PORT, MMCHAN_PORT_COUNT, &mmchan_io_ops, ch);
	return ch;
}

/* The bus keeps the port mapping: destroy the channel only with the bus. */
void mmchan_destroy(struct mmchan *ch)
{
	free(ch);
}

void mmchan_set_enabled(struct mmchan *ch, int enabled)
{
	ch->enabled = enabled != 0;
}

void mmchan_get_stats(const struct mmchan *ch, struct mmchan_stats *st)
{
	*st = ch->st;
}

/* Search one symbol table section for `name`; 0 and *value if found. */
static int find_symbol(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, const char *name,
		       uint64_t *value)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || sh->sh_entsize == 0)
		return -1;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		const char *s = elf_strptr(e, sh->sh_link, sym.st_name);
		if (s && strcmp(s, name) == 0 && sym.st_shndx != SHN_UNDEF) {
			*value = sym.st_value;
			return 0;
		}
	}
	return -1;
}

int mmchan_find_introspect(const char *elf_path, uint32_t *vaddr, uint32_t *paddr)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	int fd = open(elf_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = -1;
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS32)
		goto out;

	uint64_t value = 0;
	int found = -1;
	for (int pass = 0; pass < 2 && found != 0; pass++) {
		Elf_Scn *scn = NULL;
		while (found != 0 && (scn = elf_nextscn(e, scn)) != NULL) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh))
				continue;
			if (sh.sh_type == (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM))
				found = find_symbol(e, scn, &sh, MMULAB_INTROSPECT_SYMBOL, &value);
		}
	}
	if (found != 0)
		goto out;

	size_t nph;
	if (elf_getphdrnum(e, &nph) != 0)
		goto out;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (value >= ph.p_vaddr && value - ph.p_vaddr < ph.p_memsz) {
			*vaddr = (uint32_t)value;
			*paddr = (uint32_t)(ph.p_paddr + (value - ph.p_vaddr));
			rc = 0;
			break;
		}
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

int mmchan_read_introspect(const struct bus *b, uint32_t paddr, struct mmulab_introspect *out)
{
	struct mmulab_introspect t;
	if (paddr > UINT32_MAX - sizeof(t) || bus_peek(b, paddr, &t, sizeof(t)) != sizeof(t))
		return -1;
	if (t.magic != MMULAB_INTROSPECT_MAGIC || t.version != MMULAB_INTROSPECT_VERSION ||
	    t.size < sizeof(t))
		return -1;
	*out = t;
	return 0;
}
