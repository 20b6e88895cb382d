/* main.c - entry from Multiboot: read the command line, set up the
 * descriptor tables and paging, run one workload. */
#include "bench.h"

#define MB_INFO_MEM     0x001
#define MB_INFO_CMDLINE 0x004
#define NEED_RAM_KB     (64 * 1024)   /* the identity map covers 64 MiB */

void (*pf_hook)(struct trap_frame *f);
void (*syscall_hook)(struct trap_frame *f);

static char cmdline[256];

/* Anything unexpected: say what and where, and power off with a status
 * the runner reports as a failure. */
static void __attribute__((noreturn)) trap_unexpected(struct trap_frame *f)
{
	puts_("bench: unexpected trap ");
	putdec(f->vector);
	puts_(" error ");
	puthex(f->error);
	puts_(" at eip ");
	puthex(f->eip);
	puts_(" cr2 ");
	puthex(read_cr2());
	puts_("\n");
	power_off(EXIT_EXCEPTION);
}

/* Called by entry.S's trap_common with the saved registers. */
void trap_dispatch(struct trap_frame *f)
{
	if (f->vector == 14 && pf_hook)
		pf_hook(f);
	else if (f->vector == 0x80 && syscall_hook)
		syscall_hook(f);
	else
		trap_unexpected(f);
}

/* The value of "key=" as a number (0 when absent), or a pointer to the
 * value's text in *text. Tokens are separated by spaces; the first one is
 * the kernel's path (GRUB's and QEMU's convention) and never matches. */
static const char *find_arg(const char *key)
{
	const char *s = cmdline;
	u32 klen = 0;

	while (key[klen])
		klen++;
	while (*s) {
		while (*s == ' ')
			s++;
		u32 i = 0;
		while (i < klen && s[i] == key[i])
			i++;
		if (i == klen)
			return s + klen;
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}

static u32 parse_u32(const char *s)
{
	u32 v = 0;

	while (s && *s >= '0' && *s <= '9')
		v = v * 10 + (u32)(*s++ - '0');
	return v;
}

static int arg_is(const char *v, const char *name)
{
	while (*name && *v == *name) {
		v++;
		name++;
	}
	return !*name && (*v == ' ' || *v == 0);
}

void kmain(u32 magic, const u32 *mbi);

void kmain(u32 magic, const u32 *mbi)
{
	serial_init();
	if (magic != 0x2BADB002) {
		puts_("bench: not started by a Multiboot loader\n");
		power_off(EXIT_USAGE);
	}
	if (mbi[0] & MB_INFO_CMDLINE) {
		const char *src = (const char *)mbi[4];
		u32 i = 0;

		while (src[i] && i < sizeof(cmdline) - 1) {
			cmdline[i] = src[i];
			i++;
		}
	}
	if (!(mbi[0] & MB_INFO_MEM) || mbi[2] < NEED_RAM_KB) {
		puts_("bench: needs at least 65 MiB of RAM (-m 128)\n");
		power_off(EXIT_USAGE);
	}

	const char *name = find_arg("bench=");
	const char *n_text = find_arg("n=");
	u32 n = n_text ? parse_u32(n_text) : 1;

	if (n == 0 || n > 1000000) {
		puts_("bench: n= must be 1 .. 1000000\n");
		power_off(EXIT_USAGE);
	}

	desc_init();
	paging_init();

	if (!name) {
		puts_("bench: no bench=NAME on the command line (int, tlb, pf, syscall)\n");
		power_off(EXIT_USAGE);
	}
	if (arg_is(name, "int"))
		finish("int", n, bench_int(n));
	if (arg_is(name, "tlb"))
		finish("tlb", n, bench_tlb(n));
	if (arg_is(name, "pf"))
		finish("pf", n, bench_pf(n));
	if (arg_is(name, "syscall"))
		finish("syscall", n, bench_syscall(n));  /* does not return */
	puts_("bench: unknown workload\n");
	power_off(EXIT_USAGE);
}
