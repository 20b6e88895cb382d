/* cmdline.c - parse mmulab's command line (QEMU spelling + long options). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "errmsg.h"
#include "cmdline.h"
#include "log.h"

struct opt_help {
	const char *name, *arg, *help;
};

static const struct opt_help opt_help[] = {
	{ "-kernel", "FILE", "boot a Multiboot v1 ELF kernel through the boot ROM" },
	{ "-append", "STR", "kernel command line (after the kernel path, as GRUB/QEMU pass it)" },
	{ "-initrd", "A[,B...]", "Multiboot modules; each may be \"file args\" (',,' for a comma)" },
	{ "-m", "SIZE", "RAM size: 128, 128M, 1G (default 128M, 2M..3G)" },
	{ "-bios", "FILE", "run a 64 KiB or 128 KiB ROM image from reset instead of the boot ROM" },
	{ "-cpu", "MODEL", "386, 486, pentium or p6 (default p6)" },
	{ "-serial", "DEV", "COM1 backend: stdio, file:PATH, none (default stdio)" },
	{ "-display", "KIND", "none or sdl (default sdl when $DISPLAY is set and the UI is built)" },
	{ "-nographic", "", "same as -display none (COM1 on stdio is already the default)" },
	{ "-nodefaults", "", "no default serial console and no default 0xE9 console" },
	{ "-no-reboot", "", "exit (status 4) on triple fault or reset instead of rebooting" },
	{ "-S", "", "start paused (needs -monitor stdio)" },
	{ "-d", "LIST", "log categories, comma-separated (-d help lists them)" },
	{ "-D", "FILE", "write the -d log to FILE instead of stderr" },
	{ "-device", "SPEC", "isa-debug-exit[,iobase=P,iosize=N] or isa-debugcon,iobase=P,chardev=ID" },
	{ "-chardev", "SPEC", "file,id=ID,path=PATH | stdio,id=ID | null,id=ID" },
	{ "-monitor", "stdio", "monitor on stdio: c, stop, q, info registers, info tlb, xp" },
	{ "--timeout", "SECONDS", "host wall-clock watchdog (exit status 8)" },
	{ "--max-insns", "N", "stop after N instructions (exit status 10)" },
	{ "--tlb", "SPEC", "TLB override: entries=N,ways=W,split=on|off,policy=plru|lru|fifo|random|rr" },
	{ "--trace-mm", "FILE", "write the memory-management event trace to FILE" },
	{ "--stats", "", "print instruction, time and TLB counters on stderr at exit" },
	{ "--screenshot", "FILE", "save a screenshot of the window at exit (needs -display sdl)" },
	{ "--help", "", "show this help" },
	{ "--version", "", "show the version" },
	{ NULL, NULL, NULL },
};

void cmdline_print_help(FILE *f)
{
	fprintf(f, "usage: mmulab [options]            boot a kernel or ROM\n"
		   "       mmulab prog.elf [args...]   run a program on the bundled kernel\n");
	for (const struct opt_help *h = opt_help; h->name; h++)
		fprintf(f, "  %-12s %-9s %s\n", h->name, h->arg, h->help);
}

void cmdline_print_log_help(FILE *f)
{
	fprintf(f, "Log items (comma-separated list for -d):\n");
	for (const struct log_cat_name *c = log_cat_names; c->name; c++)
		fprintf(f, "%-13s %s\n", c->name, c->help);
}


int cmdline_parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v;
	uint64_t mul = 1ull << 20;   /* a bare number is MiB, as in QEMU */

	if (strncmp(s, "size=", 5) == 0)
		s += 5;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (*end) {
		switch (toupper((unsigned char)*end)) {
		case 'B': mul = 1; break;
		case 'K': mul = 1ull << 10; break;
		case 'M': mul = 1ull << 20; break;
		case 'G': mul = 1ull << 30; break;
		case 'T': mul = 1ull << 40; break;
		default: return -1;
		}
		if (end[1])
			return -1;
	}
	if (v * (double)mul > 1e15)
		return -1;
	*out = (uint64_t)(v * (double)mul);
	return 0;
}

/* Unsigned integer in C syntax (0x.. hex, decimal). */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return (errno || *end) ? -1 : 0;
}

static int readable(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return 0;
	fclose(f);
	return 1;
}

static int copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, src, n);
	dst[n] = 0;
	return 0;
}

/* Split "a args,b,,c" into modules (QEMU's multiboot convention: ',,' is a
 * literal comma; the file name is the first space-separated word). */
static int parse_initrd(struct emu_options *o, const char *s, char *err, int errlen)
{
	char buf[1024];
	size_t n = 0;

	o->nmodules = 0;
	for (const char *p = s;; p++) {
		if (*p == ',' && p[1] == ',') {
			if (n + 1 >= sizeof(buf))
				return errmsg(err, errlen, "-initrd: module string too long");
			buf[n++] = ',';
			p++;
			continue;
		}
		if (*p == ',' || *p == 0) {
			struct module_opt *m;
			size_t plen;

			buf[n] = 0;
			if (n == 0)
				return errmsg(err, errlen, "-initrd: empty module name in '%s'", s);
			if (o->nmodules == MAX_MODULES)
				return errmsg(err, errlen, "-initrd: more than %d modules", MAX_MODULES);
			m = &o->modules[o->nmodules++];
			strcpy(m->cmdline, buf);
			plen = strcspn(buf, " ");
			if (copy_str(m->path, sizeof(m->path), buf, plen))
				return errmsg(err, errlen, "-initrd: path too long");
			if (!readable(m->path))
				return errmsg(err, errlen, "-initrd: cannot read '%s': %s", m->path,
					    strerror(errno));
			n = 0;
			if (*p == 0)
				break;
			continue;
		}
		if (n + 1 >= sizeof(buf))
			return errmsg(err, errlen, "-initrd: module string too long");
		buf[n++] = *p;
	}
	return 0;
}

/* Find "key=" in a QEMU-style option list "kind,k=v,k=v"; copy the value. */
static int opt_get(const char *spec, const char *key, char *val, size_t cap)
{
	size_t klen = strlen(key);
	const char *p = strchr(spec, ',');

	while (p) {
		const char *item = p + 1;
		const char *next = strchr(item, ',');
		size_t ilen = next ? (size_t)(next - item) : strlen(item);

		if (ilen > klen && strncmp(item, key, klen) == 0 && item[klen] == '=') {
			if (copy_str(val, cap, item + klen + 1, ilen - klen - 1))
				return -1;
			return 1;
		}
		p = next;
	}
	return 0;
}

/* Every key of the list must be among `allowed` (NULL-terminated). */
static const char *opt_unknown_key(const char *spec, const char *const *allowed)
{
	static char bad[64];
	const char *p = strchr(spec, ',');

	while (p) {
		const char *item = p + 1;
		const char *next = strchr(item, ',');
		size_t ilen = next ? (size_t)(next - item) : strlen(item);
		size_t klen = strcspn(item, "=,");
		int ok = 0;

		if (klen > ilen)
			klen = ilen;
		for (const char *const *a = allowed; *a; a++)
			if (strlen(*a) == klen && strncmp(item, *a, klen) == 0 && item[klen] == '=')
				ok = 1;
		if (!ok) {
			snprintf(bad, sizeof(bad), "%.*s", (int)(ilen < 60 ? ilen : 60), item);
			return bad;
		}
		p = next;
	}
	return NULL;
}

static int parse_port(const char *opt, const char *spec, const char *key, uint16_t *port,
		      char *err, int errlen)
{
	char v[64];
	uint64_t n;
	int r = opt_get(spec, key, v, sizeof(v));

	if (r == 0)
		return 0;
	if (r < 0 || parse_u64(v, &n) || n > 0xFFFF)
		return errmsg(err, errlen, "%s: invalid %s '%s'", opt, key, r < 0 ? "?" : v);
	*port = (uint16_t)n;
	return 0;
}

static int parse_device(struct emu_options *o, const char *spec, char *err, int errlen)
{
	size_t kind = strcspn(spec, ",");

	if (kind == 14 && strncmp(spec, "isa-debug-exit", 14) == 0) {
		static const char *const keys[] = { "iobase", "iosize", NULL };
		const char *bad = opt_unknown_key(spec, keys);
		uint16_t size = 4;

		if (bad)
			return errmsg(err, errlen, "-device: isa-debug-exit: unknown property '%s'", bad);
		o->debug_exit = 1;
		o->debug_exit_port = 0x501;   /* QEMU's default iobase */
		o->debug_exit_size = 2;
		if (parse_port("-device", spec, "iobase", &o->debug_exit_port, err, errlen))
			return -1;
		size = o->debug_exit_size;
		if (parse_port("-device", spec, "iosize", &size, err, errlen))
			return -1;
		if (size != 1 && size != 2 && size != 4)
			return errmsg(err, errlen, "-device: isa-debug-exit: invalid iosize %u", size);
		o->debug_exit_size = size;
		return 0;
	}
	if (kind == 12 && strncmp(spec, "isa-debugcon", 12) == 0) {
		static const char *const keys[] = { "iobase", "chardev", NULL };
		const char *bad = opt_unknown_key(spec, keys);
		int r;

		if (bad)
			return errmsg(err, errlen, "-device: isa-debugcon: unknown property '%s'", bad);
		o->debugcon = 1;
		o->debugcon_port = 0xE9;
		if (parse_port("-device", spec, "iobase", &o->debugcon_port, err, errlen))
			return -1;
		r = opt_get(spec, "chardev", o->debugcon_chardev, sizeof(o->debugcon_chardev));
		if (r <= 0)
			return errmsg(err, errlen, "-device: isa-debugcon needs chardev=ID");
		return 0;
	}
	return errmsg(err, errlen, "-device: unknown device '%.*s'", (int)(kind < 60 ? kind : 60), spec);
}

static int parse_chardev(struct emu_options *o, const char *spec, char *err, int errlen)
{
	static const char *const file_keys[] = { "id", "path", NULL };
	static const char *const id_keys[] = { "id", NULL };
	struct chardev_opt c;
	size_t kind = strcspn(spec, ",");
	const char *bad;

	memset(&c, 0, sizeof(c));
	if (kind == 4 && strncmp(spec, "file", 4) == 0) {
		c.kind = CHR_FILE;
		bad = opt_unknown_key(spec, file_keys);
	} else if (kind == 5 && strncmp(spec, "stdio", 5) == 0) {
		c.kind = CHR_STDIO;
		bad = opt_unknown_key(spec, id_keys);
	} else if (kind == 4 && strncmp(spec, "null", 4) == 0) {
		c.kind = CHR_NONE;
		bad = opt_unknown_key(spec, id_keys);
	} else {
		return errmsg(err, errlen, "-chardev: unknown backend '%.*s'",
			    (int)(kind < 60 ? kind : 60), spec);
	}
	if (bad)
		return errmsg(err, errlen, "-chardev: unknown property '%s'", bad);
	if (opt_get(spec, "id", c.id, sizeof(c.id)) <= 0 || !c.id[0])
		return errmsg(err, errlen, "-chardev: missing id=");
	if (c.kind == CHR_FILE &&
	    (opt_get(spec, "path", c.path, sizeof(c.path)) <= 0 || !c.path[0]))
		return errmsg(err, errlen, "-chardev: file backend needs path=");
	if (cmdline_chardev(o, c.id))
		return errmsg(err, errlen, "-chardev: duplicate id '%s'", c.id);
	if (o->nchardevs == MAX_CHARDEVS)
		return errmsg(err, errlen, "-chardev: too many chardevs");
	o->chardevs[o->nchardevs++] = c;
	return 0;
}

const struct chardev_opt *cmdline_chardev(const struct emu_options *o, const char *id)
{
	for (int i = 0; i < o->nchardevs; i++)
		if (strcmp(o->chardevs[i].id, id) == 0)
			return &o->chardevs[i];
	return NULL;
}

static int parse_log(struct emu_options *o, const char *list, char *err, int errlen)
{
	const char *p = list;

	if (strcmp(list, "help") == 0) {
		o->want_log_help = 1;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = 0;

		for (const struct log_cat_name *c = log_cat_names; c->name; c++)
			if (strlen(c->name) == n && strncmp(p, c->name, n) == 0) {
				o->log_mask |= c->bit;
				found = 1;
			}
		if (!found && n == 6 && strncmp(p, "in_asm", 6) == 0)
			found = 1;   /* accepted for QEMU scripts; nothing is logged yet */
		if (!found)
			return errmsg(err, errlen, "-d: unknown log item '%.*s' (try -d help)",
				    (int)(n < 60 ? n : 60), p);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int parse_serial(struct emu_options *o, const char *s, char *err, int errlen)
{
	memset(&o->serial, 0, sizeof(o->serial));
	o->serial_given = 1;
	if (strcmp(s, "stdio") == 0)
		o->serial.kind = CHR_STDIO;
	else if (strcmp(s, "none") == 0 || strcmp(s, "null") == 0)
		o->serial.kind = CHR_NONE;
	else if (strncmp(s, "file:", 5) == 0 && s[5]) {
		o->serial.kind = CHR_FILE;
		if (copy_str(o->serial.path, sizeof(o->serial.path), s + 5, strlen(s + 5)))
			return errmsg(err, errlen, "-serial: path too long");
	} else
		return errmsg(err, errlen, "-serial: unsupported backend '%s'", s);
	return 0;
}

static int parse_cpu(const char *s, int *out)
{
	static const char *const names[] = { "386", "486", "pentium", "p6" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

/* Options that take an argument. QEMU accepts both -opt and --opt. */
static const char *const with_arg[] = {
	"kernel", "append", "initrd", "m", "bios", "cpu", "serial", "display", "d", "D",
	"device", "chardev", "monitor", "timeout", "max-insns", "tlb", "trace-mm",
	"screenshot", NULL,
};

int cmdline_parse(int argc, char **argv, struct emu_options *o, int has_display,
		  char *err, int errlen)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->ram_size = MB_DEFAULT_RAM;
	o->cpu = OPT_CPU_P6;
	o->serial.kind = CHR_STDIO;
	o->display = has_display ? DISPLAY_SDL : DISPLAY_NONE;
	err[0] = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *name, *val = NULL;
		int takes = 0;

		if (a[0] != '-' || a[1] == 0) {
			/* A bare program: the rest of the line are its arguments. */
			o->user_prog = a;
			for (int j = i + 1; j < argc; j++) {
				if (o->user_argc == MAX_USER_ARGS)
					return errmsg(err, errlen, "%s: too many program arguments", a);
				o->user_args[o->user_argc++] = argv[j];
			}
			if (!readable(a))
				return errmsg(err, errlen, "cannot read '%s': %s", a, strerror(errno));
			break;
		}
		name = a + 1;
		if (*name == '-')
			name++;
		for (const char *const *w = with_arg; *w; w++)
			if (strcmp(name, *w) == 0)
				takes = 1;
		if (takes) {
			if (i + 1 >= argc)
				return errmsg(err, errlen, "%s: missing argument", a);
			val = argv[++i];
		}

		if (!strcmp(name, "kernel")) {
			if (!readable(val))
				return errmsg(err, errlen, "-kernel: cannot read '%s': %s", val,
					    strerror(errno));
			o->kernel = val;
		} else if (!strcmp(name, "append")) {
			o->append = val;
		} else if (!strcmp(name, "initrd")) {
			if (parse_initrd(o, val, err, errlen))
				return -1;
		} else if (!strcmp(name, "m")) {
			uint64_t sz;

			if (cmdline_parse_size(val, &sz))
				return errmsg(err, errlen, "-m: invalid size '%s'", val);
			sz = (sz + PAGE_ROUND) & ~(uint64_t)PAGE_ROUND;
			if (sz < MB_MIN_RAM)
				return errmsg(err, errlen, "-m: '%s' is below the minimum of 2M", val);
			if (sz > MB_MAX_RAM)
				return errmsg(err, errlen, "-m: '%s' is above the maximum of 3G", val);
			o->ram_size = (uint32_t)sz;
		} else if (!strcmp(name, "bios")) {
			if (!readable(val))
				return errmsg(err, errlen, "-bios: cannot read '%s': %s", val,
					    strerror(errno));
			o->bios = val;
		} else if (!strcmp(name, "cpu")) {
			if (parse_cpu(val, &o->cpu))
				return errmsg(err, errlen, "-cpu: unknown model '%s' (386, 486, pentium, p6)",
					    val);
		} else if (!strcmp(name, "serial")) {
			if (parse_serial(o, val, err, errlen))
				return -1;
		} else if (!strcmp(name, "display")) {
			size_t n = strcspn(val, ",");

			if (n == 4 && !strncmp(val, "none", 4))
				o->display = DISPLAY_NONE;
			else if (n == 3 && !strncmp(val, "sdl", 3))
				o->display = DISPLAY_SDL;
			else
				return errmsg(err, errlen, "-display: unsupported display '%s'", val);
		} else if (!strcmp(name, "nographic")) {
			o->display = DISPLAY_NONE;
		} else if (!strcmp(name, "nodefaults")) {
			o->nodefaults = 1;
		} else if (!strcmp(name, "no-reboot")) {
			o->no_reboot = 1;
		} else if (!strcmp(name, "S")) {
			o->start_paused = 1;
		} else if (!strcmp(name, "d")) {
			if (parse_log(o, val, err, errlen))
				return -1;
		} else if (!strcmp(name, "D")) {
			o->log_file = val;
		} else if (!strcmp(name, "device")) {
			if (parse_device(o, val, err, errlen))
				return -1;
		} else if (!strcmp(name, "chardev")) {
			if (parse_chardev(o, val, err, errlen))
				return -1;
		} else if (!strcmp(name, "monitor")) {
			if (strcmp(val, "stdio") && strcmp(val, "none"))
				return errmsg(err, errlen, "-monitor: unsupported backend '%s'", val);
			o->monitor_stdio = !strcmp(val, "stdio");
		} else if (!strcmp(name, "timeout")) {
			char *end;
			double t;

			errno = 0;
			t = strtod(val, &end);
			if (errno || end == val || *end || !(t > 0) || t > 1e9)
				return errmsg(err, errlen, "--timeout: invalid number of seconds '%s'", val);
			o->timeout = t;
		} else if (!strcmp(name, "max-insns")) {
			if (parse_u64(val, &o->max_insns) || o->max_insns == 0)
				return errmsg(err, errlen, "--max-insns: invalid count '%s'", val);
		} else if (!strcmp(name, "tlb")) {
			o->tlb_spec = val;
		} else if (!strcmp(name, "trace-mm")) {
			o->trace_mm = val;
		} else if (!strcmp(name, "stats")) {
			o->stats = 1;
		} else if (!strcmp(name, "screenshot")) {
			o->screenshot = val;
		} else if (!strcmp(name, "help") || !strcmp(name, "h")) {
			o->want_help = 1;
		} else if (!strcmp(name, "version")) {
			o->want_version = 1;
		} else {
			return errmsg(err, errlen, "%s: unknown option (try --help)", a);
		}
	}

	if (o->want_help || o->want_version || o->want_log_help)
		return 0;
	if (o->nodefaults && !o->serial_given)
		o->serial.kind = CHR_NONE;
	if (o->debugcon && !cmdline_chardev(o, o->debugcon_chardev))
		return errmsg(err, errlen, "-device: isa-debugcon: no chardev with id '%s'",
			    o->debugcon_chardev);
	if (o->screenshot && o->display != DISPLAY_SDL)
		return errmsg(err, errlen, "--screenshot: needs -display sdl");
	if (o->start_paused && !o->monitor_stdio)
		return errmsg(err, errlen, "-S: starting paused needs -monitor stdio");
	if (o->kernel && o->bios)
		return errmsg(err, errlen, "-kernel and -bios cannot be used together");
	if (o->user_prog && (o->kernel || o->bios))
		return errmsg(err, errlen, "%s: a program runs on the bundled kernel; drop -kernel/-bios",
			    o->user_prog);
	/* Without -kernel the bundled kernel boots, so -append/-initrd apply to
	 * it; with -bios or -nodefaults there is no kernel to take them. */
	if ((o->append || o->nmodules) && !o->kernel && (o->bios || o->nodefaults))
		return errmsg(err, errlen, "%s: needs -kernel", o->append ? "-append" : "-initrd");
	return 0;
}
