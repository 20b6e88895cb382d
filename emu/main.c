/* main.c - mmulab's entry point: parse the command line, build the
 * machine, run it, exit with its status (docs/cli.md). */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmdline.h"
#include "log.h"
#include "machine.h"

#ifndef MMULAB_VERSION
#define MMULAB_VERSION "unknown"
#endif
/* The bundled teaching kernel (guest/kernel), booted when the command line
 * names no kernel, ROM or program. The build passes its path. */
#ifndef MMULAB_BUNDLED_KERNEL
#define MMULAB_BUNDLED_KERNEL ""
#endif

#ifndef MMULAB_HAVE_UI
#define MMULAB_HAVE_UI 0
#endif

static double host_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* --stats: when the CPU first entered CPL 3 (the bundled kernel's first
 * user program), in instructions and host time since main() began. */
static double t_start;
static struct {
	int seen;
	uint64_t insns;
	double host_s;
} first_user;

static void user_entry(void *opaque, uint64_t insns)
{
	(void)opaque;
	if (first_user.seen)
		return;   /* a guest reset: keep the first */
	first_user.seen = 1;
	first_user.insns = insns;
	first_user.host_s = host_now() - t_start;
}

/* --stats: one line of machine counters, then one per TLB that exists,
 * for scripts (bench/run.py parses insns=). */
static void print_stats(struct machine *m, double host_s)
{
	static const char *const tlb_names[TLB_COUNT] = { "itlb4k", "dtlb4k", "itlb4m", "dtlb4m" };

	fprintf(stderr, "mmulab: stats: insns=%llu vtime_ns=%llu host_ns=%llu",
		(unsigned long long)cpu_insn_count(m->cpu),
		(unsigned long long)machine_now(m),
		(unsigned long long)(host_s * 1e9));
	if (first_user.seen)
		fprintf(stderr, " first_user_insns=%llu first_user_host_ns=%llu",
			(unsigned long long)first_user.insns,
			(unsigned long long)(first_user.host_s * 1e9));
	fputc('\n', stderr);
	for (int t = 0; t < TLB_COUNT; t++) {
		struct tlb_geom g = mmu_tlb_geom(m->mmu, t);
		struct tlb_stats ts;
		unsigned long long fl = 0;

		if (g.sets == 0)
			continue;
		mmu_tlb_stats(m->mmu, t, &ts);
		for (int c = 0; c < FLUSH_CAUSES; c++)
			fl += ts.flushes[c];
		fprintf(stderr, "mmulab: stats: %s %dx%d lookups=%llu hits=%llu misses=%llu "
			"fills=%llu evictions=%llu walks=%llu ad_writes=%llu flushes=%llu\n",
			tlb_names[t], g.sets, g.ways,
			(unsigned long long)ts.lookups, (unsigned long long)ts.hits,
			(unsigned long long)ts.misses, (unsigned long long)ts.fills,
			(unsigned long long)ts.evictions, (unsigned long long)ts.walks,
			(unsigned long long)ts.ad_writes, fl);
	}
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Is path a static ELF32 i386 executable rather than something else, in
 * particular a Multiboot kernel (which wants -kernel)? The bundled kernel
 * checks the program again; this only gives a clear message early.
 * Returns 0, or -1 with a message in err. */
static int check_user_program(const char *path, char *err, size_t errlen)
{
	unsigned char b[8192];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(b, 1, sizeof(b), f) : 0;
	if (f)
		fclose(f);
	if (n < 52 || memcmp(b, "\177ELF", 4) || b[4] != 1 || b[5] != 1 ||
	    (b[16] | b[17] << 8) != 2 || (b[18] | b[19] << 8) != 3) {
		snprintf(err, errlen, "%s: not a static ELF32 i386 executable, which is what the "
			 "bundled kernel runs", path);
		return -1;
	}
	for (size_t off = 0; off + 12 <= n; off += 4)
		if (le32(b + off) == 0x1BADB002u &&
		    le32(b + off) + le32(b + off + 4) + le32(b + off + 8) == 0) {
			snprintf(err, errlen, "%s: a Multiboot kernel, not a program for the bundled "
				 "kernel: boot it with -kernel", path);
			return -1;
		}
	return 0;
}

/* `mmulab prog.elf args...`: the program becomes one more Multiboot module
 * of the bundled kernel (which files it as /bin/NAME) and the kernel's init
 * is that program with those arguments: "quiet" keeps the kernel's boot
 * messages off the console, and "init=/bin/NAME ARGS" ends the
 * command line (the kernel splits it at blanks, so an argument cannot
 * contain one). Returns 0, or -1 with a message in err. */
static int run_user_program(struct emu_options *o, char *err, size_t errlen)
{
	static char append[2048];
	if (check_user_program(o->user_prog, err, errlen))
		return -1;
	const char *base = strrchr(o->user_prog, '/');
	base = base ? base + 1 : o->user_prog;
	if (o->nmodules == MAX_MODULES) {
		snprintf(err, errlen, "%s: too many -initrd modules to add the program", o->user_prog);
		return -1;
	}
	struct module_opt *mod = &o->modules[o->nmodules];
	if (strlen(o->user_prog) >= sizeof(mod->path) || strchr(base, ' ')) {
		snprintf(err, errlen, "%s: unusable program path", o->user_prog);
		return -1;
	}
	snprintf(mod->path, sizeof(mod->path), "%s", o->user_prog);
	snprintf(mod->cmdline, sizeof(mod->cmdline), "%s", o->user_prog);
	size_t n = (size_t)snprintf(append, sizeof(append), "%s%squiet init=/bin/%s",
				    o->append ? o->append : "", o->append ? " " : "", base);
	for (int i = 0; i < o->user_argc && n < sizeof(append); i++) {
		if (strchr(o->user_args[i], ' ') || !*o->user_args[i]) {
			snprintf(err, errlen, "argument '%s': the bundled kernel's command line "
				 "cannot carry empty arguments or blanks", o->user_args[i]);
			return -1;
		}
		n += (size_t)snprintf(append + n, sizeof(append) - n, " %s", o->user_args[i]);
	}
	if (n >= sizeof(append)) {
		snprintf(err, errlen, "%s: arguments too long", o->user_prog);
		return -1;
	}
	o->nmodules++;
	o->append = append;
	return 0;
}

int main(int argc, char **argv)
{
	double t0 = t_start = host_now();
	static struct emu_options opt;
	char err[700];
	struct machine *m;
	int status;
	int has_display = MMULAB_HAVE_UI && getenv("DISPLAY") && *getenv("DISPLAY");

	if (cmdline_parse(argc, argv, &opt, has_display, err, sizeof(err))) {
		fprintf(stderr, "mmulab: %s\n", err);
		return EXIT_USAGE;
	}
	if (opt.want_help) {
		cmdline_print_help(stdout);
		return EXIT_NORMAL;
	}
	if (opt.want_version) {
		printf("mmulab %s\n", MMULAB_VERSION);
		return EXIT_NORMAL;
	}
	if (opt.want_log_help) {
		cmdline_print_log_help(stdout);
		return EXIT_NORMAL;
	}
	if (opt.user_prog && run_user_program(&opt, err, sizeof(err))) {
		fprintf(stderr, "mmulab: %s\n", err);
		return EXIT_USAGE;
	}
	/* Nothing to boot named: the bundled kernel, which powers off through
	 * isa-debug-exit at 0xf4 (-nodefaults leaves the machine empty). */
	if (!opt.kernel && !opt.bios && !opt.nodefaults) {
		if (!*MMULAB_BUNDLED_KERNEL || access(MMULAB_BUNDLED_KERNEL, R_OK)) {
			fprintf(stderr, "mmulab: the bundled kernel '%s' is missing; "
					"rebuild mmulab or give -kernel\n", MMULAB_BUNDLED_KERNEL);
			return EXIT_USAGE;
		}
		opt.kernel = MMULAB_BUNDLED_KERNEL;
		if (!opt.debug_exit) {
			opt.debug_exit = 1;
			opt.debug_exit_port = 0xf4;
			opt.debug_exit_size = 4;
		}
	}
	if (opt.display == DISPLAY_SDL) {
		fprintf(stderr, "mmulab: the SDL window is not available in this build; "
				"running headless\n");
		opt.display = DISPLAY_NONE;
	}
	log_mask = opt.log_mask;
	if (log_open(opt.log_file)) {
		fprintf(stderr, "mmulab: -D: cannot open '%s'\n", opt.log_file);
		return EXIT_USAGE;
	}
	m = machine_create(&opt, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "mmulab: %s\n", err);
		log_close();
		return EXIT_USAGE;
	}
	if (opt.stats)
		cpu_set_user_entry_hook(m->cpu, user_entry, NULL);
	status = machine_run(m);
	if (opt.stats)
		print_stats(m, host_now() - t0);
	machine_destroy(m);
	log_close();
	return status;
}
