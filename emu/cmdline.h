/* cmdline.h - mmulab's command line: QEMU's spelling for what QEMU has,
 * plus mmulab's own long options. See docs/cli.md.
 *
 * cmdline_parse() never exits and never prints: it fills struct emu_options
 * or returns an error line, so tests can check every case.
 */
#ifndef EMU_CMDLINE_H
#define EMU_CMDLINE_H

#include <stdint.h>
#include <stdio.h>

/* Exit statuses of mmulab (docs/cli.md). isa-debug-exit gives odd ones. */
enum {
	EXIT_NORMAL   = 0,
	EXIT_USAGE    = 2,
	EXIT_SHUTDOWN = 4,   /* triple fault / shutdown with -no-reboot */
	EXIT_HALT     = 6,   /* HLT with interrupts disabled, nothing to wake it */
	EXIT_TIMEOUT  = 8,   /* --timeout */
	EXIT_MAXINSNS = 10,  /* --max-insns */
};

#define MB_DEFAULT_RAM   (128u << 20)
#define MB_MIN_RAM       (2u << 20)
#define MB_MAX_RAM       (3072ull << 20)
#define PAGE_ROUND       0xFFFull

enum chr_kind { CHR_NONE, CHR_STDIO, CHR_FILE };
enum display_kind { DISPLAY_NONE, DISPLAY_SDL };
/* CPU models, same order as enum cpu_model in cpu/cpu.h. */
enum { OPT_CPU_386, OPT_CPU_486, OPT_CPU_PENTIUM, OPT_CPU_P6 };

struct chardev_opt {
	char id[32];
	enum chr_kind kind;
	char path[512];
};

#define MAX_CHARDEVS 8
#define MAX_MODULES  16
#define MAX_USER_ARGS 32

struct module_opt {
	char path[512];
	char cmdline[1024];   /* the whole "path args" string, as Multiboot passes it */
};

struct emu_options {
	const char *kernel;
	const char *append;
	const char *bios;
	struct module_opt modules[MAX_MODULES];
	int nmodules;
	uint32_t ram_size;
	int cpu;                       /* OPT_CPU_* */
	struct chardev_opt serial;     /* COM1 */
	int serial_given;
	enum display_kind display;
	int nodefaults, no_reboot, start_paused, monitor_stdio;
	uint32_t log_mask;
	const char *log_file;
	int debug_exit;                /* -device isa-debug-exit */
	uint16_t debug_exit_port, debug_exit_size;
	int debugcon;                  /* -device isa-debugcon */
	uint16_t debugcon_port;
	char debugcon_chardev[32];
	struct chardev_opt chardevs[MAX_CHARDEVS];
	int nchardevs;
	double timeout;                /* host seconds; 0: none */
	uint64_t max_insns;            /* 0: none */
	const char *tlb_spec;
	const char *trace_mm;
	const char *screenshot;
	int stats;                     /* --stats: counters on stderr at exit */
	const char *user_prog;         /* bare `mmulab prog.elf args...` */
	const char *user_args[MAX_USER_ARGS];
	int user_argc;
	int want_help, want_version, want_log_help;
};

/* Parse argv into *o (defaults first). has_display: $DISPLAY set and the
 * window built, which makes sdl the default display. Returns 0, or -1 with
 * one line (without "mmulab: " and newline) in err. */
int cmdline_parse(int argc, char **argv, struct emu_options *o, int has_display,
		  char *err, int errlen);

/* Parse a QEMU -m size ("128", "128M", "1G", "size=64M"). Returns 0 or -1. */
int cmdline_parse_size(const char *s, uint64_t *out);

/* The chardev with this id, or NULL. */
const struct chardev_opt *cmdline_chardev(const struct emu_options *o, const char *id);

/* Print --help (one line per option) and -d help. */
void cmdline_print_help(FILE *f);
void cmdline_print_log_help(FILE *f);

#endif
