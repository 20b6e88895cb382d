/* ramfs.c - the in-memory file system: a flat table of absolute paths
 * filled at boot from the Multiboot modules and the initramfs linked into
 * the kernel. A module holding a cpio "newc" archive (Linux's initramfs
 * format) is unpacked; any other module becomes /bin/NAME, NAME being the
 * last component of the first word of its string. File data stay where
 * the loader put them (reserved frames, reached through the direct map). */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <asm/e820.h>
#include <asm/page.h>

#define MAX_INODES 96
static struct inode inodes[MAX_INODES];
static unsigned long nr_inodes;
extern const u8 __initramfs_start[], __initramfs_end[];

static struct inode *add(const char *path, bool dir, const u8 *data, unsigned long size)
{
	struct inode *i = ramfs_lookup(path);
	if (!i) {
		if (nr_inodes >= MAX_INODES || strlen(path) >= sizeof(i->path)) {
			printk(KERN_WARNING "ramfs: no room for %s\n", path);
			return 0;
		}
		i = &inodes[nr_inodes++];
		strncpy(i->path, path, sizeof(i->path) - 1);
		i->ino = nr_inodes + 1;
	}
	i->is_dir = dir;
	i->data = data;
	i->size = size;
	return i;
}

struct inode *ramfs_lookup(const char *path)
{
	char p[64];
	size_t n = strnlen(path, sizeof(p) - 1);
	memcpy(p, path, n);
	p[n] = 0;
	while (n > 1 && p[n - 1] == '/')
		p[--n] = 0;
	for (unsigned long k = 0; k < nr_inodes; k++)
		if (!strcmp(inodes[k].path, p))
			return &inodes[k];
	return 0;
}

struct inode *ramfs_nth(unsigned long n)
{
	return n < nr_inodes ? &inodes[n] : 0;
}

static unsigned long hex8(const u8 *s)
{
	unsigned long v = 0;
	for (int i = 0; i < 8; i++) {
		int c = s[i];
		v = v << 4 | (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
	}
	return v;
}

/* Unpack a cpio newc archive: 110-byte ASCII headers, name and data each
 * padded to 4 bytes, ended by "TRAILER!!!". */
static void unpack_cpio(const u8 *p, const u8 *end)
{
	while (p + 110 <= end && !memcmp(p, "070701", 6)) {
		unsigned long mode = hex8(p + 14), size = hex8(p + 54), namesize = hex8(p + 94);
		const char *name = (const char *)p + 110;
		const u8 *data = p + ALIGN(110 + namesize, 4);
		if (namesize > 60 || data + size > end)
			break;
		if (!strcmp(name, "TRAILER!!!"))
			break;
		char path[64] = "/";
		strncpy(path + 1, name[0] == '/' ? name + 1 : name, sizeof(path) - 2);
		if (strcmp(name, "."))
			add(path, (mode & 0170000) == S_IFDIR, data, size);
		p = data + ALIGN(size, 4);
	}
}

static void add_module(const struct boot_module *m)
{
	const u8 *data = __va(m->start);
	unsigned long size = m->end - m->start;
	if (m->start >= __pa(high_memory) || m->end > __pa(high_memory)) {
		printk(KERN_WARNING "ramfs: module %s above lowmem, ignored\n", m->string);
		return;
	}
	if (size >= 6 && !memcmp(data, "070701", 6)) {
		unpack_cpio(data, data + size);
		return;
	}
	const char *s = m->string, *base = s, *e = s;
	while (*e && *e != ' ') {
		if (*e == '/')
			base = e + 1;
		e++;
	}
	char path[64];
	int n = (int)(e - base);
	if (n <= 0 || n > 40)
		return;
	memcpy(path, "/bin/", 5);
	memcpy(path + 5, base, n);
	path[5 + n] = 0;
	if (add(path, false, data, size))
		printk(KERN_INFO "ramfs: module %s (%lu bytes)\n", path, size);
}

void ramfs_init(void)
{
	add("/", true, 0, 0);
	add("/bin", true, 0, 0);
	add("/proc", true, 0, 0);
	unpack_cpio(__initramfs_start, __initramfs_end);
	for (int i = 0; i < nr_boot_modules; i++)
		add_module(&boot_modules[i]);
}
