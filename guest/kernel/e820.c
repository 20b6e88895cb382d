/* e820.c - the physical memory map from Multiboot, and reserved ranges. */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/e820.h>
#include <asm/multiboot.h>
#include <asm/page.h>
#include <mmulab/mm_channel.h>

struct e820map e820;
struct reserved_range reserved[MAX_RESERVED];
int nr_reserved;
char boot_command_line[1024];
struct boot_module boot_modules[MAX_BOOT_MODULES];
int nr_boot_modules;

/* A physical address from the loader, readable only while the boot map
 * (first EARLY_MAP_SIZE bytes) is active. NULL beyond it. */
static const void *early_phys(u32 pa, u32 len)
{
	if (pa >= EARLY_MAP_SIZE || len > EARLY_MAP_SIZE - pa)
		return 0;
	return __va(pa);
}

static void e820_add(u64 addr, u64 size, u32 type)
{
	if (e820.nr_map >= E820MAX || size == 0)
		return;
	e820.map[e820.nr_map++] = (struct e820entry){ addr, size, type };
}

/* Sort by start address (insertion sort: at most E820MAX entries). */
static void e820_sort(void)
{
	for (int i = 1; i < e820.nr_map; i++) {
		struct e820entry e = e820.map[i];
		int j = i - 1;
		while (j >= 0 && e820.map[j].addr > e.addr) {
			e820.map[j + 1] = e820.map[j];
			j--;
		}
		e820.map[j + 1] = e;
	}
}

/* Record a physical range the page allocator must never receive. */
void reserve_range(u32 start, u32 end, u8 owner)
{
	if (nr_reserved >= MAX_RESERVED)
		panic("too many reserved ranges");
	reserved[nr_reserved++] = (struct reserved_range){ start, end, owner };
}

/* Copy everything needed from the Multiboot information (memory map,
 * command line, module ranges) into kernel variables, because the loader's
 * structures live in memory the kernel will reuse. Without a memory map the
 * mem_lower/mem_upper sizes give a two-entry one. */
void setup_memory_map(const void *mbi_pa)
{
	const struct multiboot_info *mbi = early_phys((u32)mbi_pa, sizeof(*mbi));
	if (!mbi)
		panic("Multiboot information out of reach at %p", mbi_pa);

	if (mbi->flags & MBI_CMDLINE) {
		const char *cl = early_phys(mbi->cmdline, 1);
		if (cl) {
			size_t n = 0;
			while (n < sizeof(boot_command_line) - 1 && early_phys(mbi->cmdline + n, 1) && cl[n])
				n++;
			memcpy(boot_command_line, cl, n);
			boot_command_line[n] = 0;
		}
	}

	if (mbi->flags & MBI_MMAP) {
		u32 p = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
		while (p + sizeof(struct multiboot_mmap) <= end) {
			const struct multiboot_mmap *m = early_phys(p, sizeof(*m));
			if (!m)
				break;
			e820_add(m->addr, m->len, m->type);
			p += m->size + 4;
		}
	}
	if (e820.nr_map == 0 && (mbi->flags & MBI_MEMORY)) {
		e820_add(0, (u64)mbi->mem_lower << 10, E820_RAM);
		e820_add(1ULL << 20, (u64)mbi->mem_upper << 10, E820_RAM);
	}
	if (e820.nr_map == 0)
		panic("no memory map from the boot loader");
	e820_sort();

	if (mbi->flags & MBI_MODS) {
		for (u32 i = 0; i < mbi->mods_count; i++) {
			const struct multiboot_mod *mod =
				early_phys(mbi->mods_addr + i * sizeof(*mod), sizeof(*mod));
			if (mod && mod->mod_end > mod->mod_start)
				reserve_range(mod->mod_start & PAGE_MASK, PAGE_ALIGN(mod->mod_end),
					      MMOWN_MODULE);
			if (mod && nr_boot_modules < MAX_BOOT_MODULES) {
				struct boot_module *bm = &boot_modules[nr_boot_modules++];
				bm->start = mod->mod_start;
				bm->end = mod->mod_end > mod->mod_start ? mod->mod_end : mod->mod_start;
				size_t n = 0;
				const char *str = mod->string ? early_phys(mod->string, 1) : 0;
				while (str && n < sizeof(bm->string) - 1 &&
				       early_phys(mod->string + n, 1) && str[n])
					n++;
				if (str)
					memcpy(bm->string, str, n);
				bm->string[n] = 0;
			}
		}
	}
}

static const char *e820_type_name(u32 type)
{
	switch (type) {
	case E820_RAM: return "usable";
	case E820_RESERVED: return "reserved";
	case E820_ACPI: return "ACPI data";
	case E820_NVS: return "ACPI NVS";
	case E820_UNUSABLE: return "unusable";
	default: return "type?";
	}
}

/* Print the map the way Linux 2.6 did at boot. */
void e820_print_map(void)
{
	printk(KERN_INFO "BIOS-provided physical RAM map:\n");
	for (int i = 0; i < e820.nr_map; i++) {
		const struct e820entry *e = &e820.map[i];
		printk(KERN_INFO " BIOS-e820: %016llx - %016llx (%s)\n",
		       (unsigned long long)e->addr, (unsigned long long)(e->addr + e->size),
		       e820_type_name(e->type));
	}
}

/* True when every byte of [start, end) lies in E820_RAM entries (which may
 * be adjacent). */
bool e820_all_ram(u64 start, u64 end)
{
	bool progress = true;
	while (start < end && progress) {
		progress = false;
		for (int i = 0; i < e820.nr_map; i++) {
			const struct e820entry *e = &e820.map[i];
			if (e->type == E820_RAM && e->addr <= start && start < e->addr + e->size) {
				start = e->addr + e->size;
				progress = true;
			}
		}
	}
	return start >= end;
}

/* One past the last frame of the RAM entry holding frame pfn, or 0 if pfn
 * is not (entirely) RAM. Boot loops ask for every frame in order, so the
 * entry found last time is cached: most calls cost two compares. */
unsigned long e820_ram_end(unsigned long pfn)
{
	static unsigned long lo = 1, hi = 0;	/* cached frames [lo, hi) */
	if (pfn >= lo && pfn < hi)
		return hi;
	u64 a = PFN_PHYS((u64)pfn);
	for (int i = 0; i < e820.nr_map; i++) {
		const struct e820entry *e = &e820.map[i];
		if (e->type != E820_RAM || a < e->addr || a + PAGE_SIZE > e->addr + e->size)
			continue;
		lo = (unsigned long)((e->addr + PAGE_SIZE - 1) >> PAGE_SHIFT);
		hi = (unsigned long)((e->addr + e->size) >> PAGE_SHIFT);
		return hi;
	}
	/* not inside one entry: maybe across adjacent ones */
	return e820_all_ram(a, a + PAGE_SIZE) ? pfn + 1 : 0;
}

bool e820_pfn_is_ram(unsigned long pfn)
{
	return e820_ram_end(pfn) != 0;
}

/* One past the last RAM frame below 4 GiB. */
unsigned long e820_end_of_ram_pfn(void)
{
	u64 last = 0;
	for (int i = 0; i < e820.nr_map; i++) {
		const struct e820entry *e = &e820.map[i];
		if (e->type != E820_RAM)
			continue;
		u64 end = e->addr + e->size;
		if (end > (1ULL << 32))
			end = 1ULL << 32;
		if (end > last)
			last = end;
	}
	return (unsigned long)(last >> PAGE_SHIFT);
}

/* Is `opt` a whole word of the command line, alone or as "opt=value"
 * (opt may itself be "name=value" to match one value exactly)? */
bool cmdline_has(const char *opt)
{
	size_t n = strlen(opt);
	const char *p = boot_command_line;
	while ((p = strstr(p, opt))) {
		bool start_ok = p == boot_command_line || p[-1] == ' ';
		bool end_ok = p[n] == 0 || p[n] == ' ' || p[n] == '=';
		if (start_ok && end_ok)
			return true;
		p += n;
	}
	return false;
}

/* The text after "key=" for a key starting a command-line word, or NULL
 * (the value runs to the next space; for init= the caller takes the rest
 * of the line). */
const char *cmdline_get(const char *key)
{
	size_t n = strlen(key);
	const char *p = boot_command_line;
	while ((p = strstr(p, key))) {
		if ((p == boot_command_line || p[-1] == ' ') && p[n] == '=')
			return p + n + 1;
		p += n;
	}
	return 0;
}
