/* test_cmdline.c - the command line: every option, every malformed case. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmdline.h"
#include "log.h"

static char kfile[64], mfile[64];
static struct emu_options o;
static char err[512];

static void setup(void)
{
	int fd;

	strcpy(kfile, "/tmp/mmulab-cl-kXXXXXX");
	fd = mkstemp(kfile);
	cr_assert(fd >= 0);
	close(fd);
	strcpy(mfile, "/tmp/mmulab-cl-mXXXXXX");
	fd = mkstemp(mfile);
	cr_assert(fd >= 0);
	close(fd);
}

static void teardown(void)
{
	unlink(kfile);
	unlink(mfile);
}

TestSuite(cmdline, .init = setup, .fini = teardown);

/* Parse a NULL-terminated list of arguments (argv[0] added). */
static int parse_v(int has_display, const char **args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = "mmulab";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return cmdline_parse(argc, argv, &o, has_display, err, sizeof(err));
}
#define PARSE(...) parse_v(0, (const char *[]){ __VA_ARGS__, NULL })
#define PARSE_OK(...) cr_assert_eq(PARSE(__VA_ARGS__), 0, "unexpected error: %s", err)
#define PARSE_BAD(msg, ...) do { \
	cr_assert_eq(PARSE(__VA_ARGS__), -1, "accepted"); \
	cr_assert(strstr(err, msg), "error '%s' lacks '%s'", err, msg); \
	cr_assert(!strchr(err, '\n'), "error has a newline"); \
} while (0)

Test(cmdline, defaults)
{
	cr_assert_eq(parse_v(0, (const char *[]){ NULL }), 0);
	cr_assert_eq(o.ram_size, 128u << 20);
	cr_assert_eq(o.cpu, OPT_CPU_P6);
	cr_assert_eq(o.serial.kind, CHR_STDIO);
	cr_assert_eq(o.display, DISPLAY_NONE);
	cr_assert_eq(o.kernel, NULL);
	cr_assert_eq(o.debug_exit, 0);
	cr_assert_eq(parse_v(1, (const char *[]){ NULL }), 0);
	cr_assert_eq(o.display, DISPLAY_SDL, "with a display, sdl is the default");
}

Test(cmdline, sizes_in_qemu_forms)
{
	PARSE_OK("-m", "64");
	cr_assert_eq(o.ram_size, 64u << 20);
	PARSE_OK("-m", "64M");
	cr_assert_eq(o.ram_size, 64u << 20);
	PARSE_OK("-m", "1G");
	cr_assert_eq(o.ram_size, 1u << 30);
	PARSE_OK("-m", "3G");
	cr_assert_eq(o.ram_size, 3u << 30);
	PARSE_OK("-m", "size=32M");
	cr_assert_eq(o.ram_size, 32u << 20);
	PARSE_OK("-m", "4096k");
	cr_assert_eq(o.ram_size, 4u << 20);
	PARSE_OK("-m", "2");
	cr_assert_eq(o.ram_size, 2u << 20);
	PARSE_OK("-m", "1.5G");
	cr_assert_eq(o.ram_size, 3u << 29);
}

Test(cmdline, bad_sizes)
{
	PARSE_BAD("-m: invalid size '12Q'", "-m", "12Q");
	PARSE_BAD("-m: invalid size ''", "-m", "");
	PARSE_BAD("-m: invalid size 'M'", "-m", "M");
	PARSE_BAD("-m: invalid size '-5'", "-m", "-5");
	PARSE_BAD("-m: invalid size '12MB'", "-m", "12MB");
	PARSE_BAD("below the minimum", "-m", "1");
	PARSE_BAD("above the maximum", "-m", "4G");
	PARSE_BAD("above the maximum", "-m", "3073");
	PARSE_BAD("-m: missing argument", "-m");
}

Test(cmdline, kernel_append_initrd)
{
	char mods[300];

	snprintf(mods, sizeof(mods), "%s a1 a2,%s,,x", mfile, mfile);
	/* "mfile,,x" means a file named "mfile,x": make it fail clearly. */
	PARSE_BAD(",x", "-kernel", kfile, "-initrd", mods);
	snprintf(mods, sizeof(mods), "%s a1 a2,%s b,,c", mfile, mfile);
	PARSE_OK("-kernel", kfile, "-append", "console=ttyS0 x=1", "-initrd", mods);
	cr_assert_str_eq(o.kernel, kfile);
	cr_assert_str_eq(o.append, "console=ttyS0 x=1");
	cr_assert_eq(o.nmodules, 2);
	cr_assert_str_eq(o.modules[0].path, mfile);
	cr_assert(strstr(o.modules[0].cmdline, " a1 a2"));
	cr_assert_str_eq(o.modules[1].path, mfile);
	cr_assert(strstr(o.modules[1].cmdline, " b,c"), "',,' is a literal comma: %s",
		  o.modules[1].cmdline);
}

Test(cmdline, files_must_be_readable)
{
	PARSE_BAD("-kernel: cannot read '/nonexistent/k.elf'", "-kernel", "/nonexistent/k.elf");
	PARSE_BAD("-bios: cannot read '/nonexistent/bios'", "-bios", "/nonexistent/bios");
	PARSE_BAD("-initrd: cannot read '/nonexistent/m'", "-kernel", kfile, "-initrd",
		  "/nonexistent/m args");
	PARSE_BAD("-initrd: empty module name", "-kernel", kfile, "-initrd", "");
	PARSE_BAD("-append: needs -kernel", "-nodefaults", "-append", "x");
	PARSE_BAD("-initrd: needs -kernel", "-bios", kfile, "-initrd", mfile);
	/* Without -kernel, -append goes to the bundled kernel. */
	PARSE_OK("-append", "mm_selftest");
	cr_assert_null(o.kernel);
	cr_assert_str_eq(o.append, "mm_selftest");
	PARSE_BAD("cannot be used together", "-kernel", kfile, "-bios", kfile);
}

Test(cmdline, cpu_models)
{
	PARSE_OK("-cpu", "386");
	cr_assert_eq(o.cpu, OPT_CPU_386);
	PARSE_OK("-cpu", "486");
	cr_assert_eq(o.cpu, OPT_CPU_486);
	PARSE_OK("-cpu", "pentium");
	cr_assert_eq(o.cpu, OPT_CPU_PENTIUM);
	PARSE_OK("-cpu", "p6");
	cr_assert_eq(o.cpu, OPT_CPU_P6);
	PARSE_BAD("-cpu: unknown model 'qemu32'", "-cpu", "qemu32");
}

Test(cmdline, serial_and_display)
{
	PARSE_OK("-serial", "none");
	cr_assert_eq(o.serial.kind, CHR_NONE);
	PARSE_OK("-serial", "file:/tmp/out.txt");
	cr_assert_eq(o.serial.kind, CHR_FILE);
	cr_assert_str_eq(o.serial.path, "/tmp/out.txt");
	PARSE_OK("-serial", "stdio");
	cr_assert_eq(o.serial.kind, CHR_STDIO);
	PARSE_BAD("-serial: unsupported backend 'pty'", "-serial", "pty");
	PARSE_BAD("-serial: unsupported backend 'file:'", "-serial", "file:");
	PARSE_OK("-display", "none");
	cr_assert_eq(o.display, DISPLAY_NONE);
	PARSE_OK("-display", "sdl");
	cr_assert_eq(o.display, DISPLAY_SDL);
	PARSE_BAD("-display: unsupported display 'gtk'", "-display", "gtk");
	cr_assert_eq(parse_v(1, (const char *[]){ "-nographic", NULL }), 0);
	cr_assert_eq(o.display, DISPLAY_NONE, "-nographic is headless even with a display");
	PARSE_OK("-nodefaults");
	cr_assert_eq(o.serial.kind, CHR_NONE, "-nodefaults drops the default serial");
	PARSE_OK("-nodefaults", "-serial", "stdio");
	cr_assert_eq(o.serial.kind, CHR_STDIO);
}

Test(cmdline, flags)
{
	PARSE_OK("-no-reboot", "--no-reboot");
	cr_assert(o.no_reboot);
	PARSE_OK("-S", "-monitor", "stdio");
	cr_assert(o.start_paused && o.monitor_stdio);
	PARSE_BAD("-S: starting paused needs -monitor stdio", "-S");
	PARSE_BAD("-monitor: unsupported backend 'vc'", "-monitor", "vc");
	PARSE_OK("--help");
	cr_assert(o.want_help);
	PARSE_OK("-version");
	cr_assert(o.want_version);
	PARSE_BAD("--frobnicate: unknown option", "--frobnicate");
	PARSE_BAD("-x: unknown option", "-x");
}

Test(cmdline, log_items)
{
	PARSE_OK("-d", "post,unimp,int,cpu_reset,guest_errors,stale-tlb", "-D", "/tmp/log");
	cr_assert_eq(o.log_mask, LOG_POST | LOG_UNIMP | LOG_INT | LOG_CPU_RESET | LOG_GUEST_ERR |
				 LOG_STALE_TLB);
	cr_assert_str_eq(o.log_file, "/tmp/log");
	PARSE_OK("-d", "help");
	cr_assert(o.want_log_help);
	PARSE_BAD("-d: unknown log item 'mmu'", "-d", "post,mmu");
	PARSE_BAD("-D: missing argument", "-D");
}

Test(cmdline, devices_and_chardevs)
{
	PARSE_OK("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
	cr_assert(o.debug_exit);
	cr_assert_eq(o.debug_exit_port, 0xF4);
	cr_assert_eq(o.debug_exit_size, 4);
	PARSE_OK("-device", "isa-debug-exit");
	cr_assert_eq(o.debug_exit_port, 0x501, "QEMU's default iobase");
	cr_assert_eq(o.debug_exit_size, 2);
	PARSE_OK("-chardev", "file,id=dbg,path=/tmp/dbg.txt", "-device",
		 "isa-debugcon,iobase=0x402,chardev=dbg");
	cr_assert(o.debugcon);
	cr_assert_eq(o.debugcon_port, 0x402);
	cr_assert_str_eq(o.debugcon_chardev, "dbg");
	cr_assert_str_eq(cmdline_chardev(&o, "dbg")->path, "/tmp/dbg.txt");
	PARSE_OK("-chardev", "stdio,id=s", "-device", "isa-debugcon,chardev=s");
	cr_assert_eq(o.debugcon_port, 0xE9);
	cr_assert_eq(cmdline_chardev(&o, "s")->kind, CHR_STDIO);
	PARSE_BAD("-device: unknown device 'e1000'", "-device", "e1000,netdev=n");
	PARSE_BAD("unknown property 'irq=5'", "-device", "isa-debug-exit,irq=5");
	PARSE_BAD("invalid iosize", "-device", "isa-debug-exit,iosize=3");
	PARSE_BAD("invalid iobase 'zz'", "-device", "isa-debug-exit,iobase=zz");
	PARSE_BAD("invalid iobase '0x10000'", "-device", "isa-debug-exit,iobase=0x10000");
	PARSE_BAD("needs chardev=ID", "-device", "isa-debugcon,iobase=0xe9");
	PARSE_BAD("no chardev with id 'x'", "-device", "isa-debugcon,chardev=x");
	PARSE_BAD("-chardev: unknown backend 'socket'", "-chardev", "socket,id=a");
	PARSE_BAD("-chardev: missing id=", "-chardev", "stdio");
	PARSE_BAD("needs path=", "-chardev", "file,id=a");
	PARSE_BAD("duplicate id 'a'", "-chardev", "stdio,id=a", "-chardev", "null,id=a");
}

Test(cmdline, long_options)
{
	PARSE_OK("--timeout", "2.5", "--max-insns", "1000000", "--tlb", "entries=64,ways=4",
		 "--trace-mm", "/tmp/t.trace");
	cr_assert_float_eq(o.timeout, 2.5, 1e-9);
	cr_assert_eq(o.max_insns, 1000000);
	cr_assert_str_eq(o.tlb_spec, "entries=64,ways=4");
	cr_assert_str_eq(o.trace_mm, "/tmp/t.trace");
	PARSE_OK("--max-insns", "0x100");
	cr_assert_eq(o.max_insns, 256);
	PARSE_BAD("--timeout: invalid number of seconds 'soon'", "--timeout", "soon");
	PARSE_BAD("--timeout: invalid number of seconds '0'", "--timeout", "0");
	PARSE_BAD("--max-insns: invalid count '-1'", "--max-insns", "-1");
	PARSE_BAD("--max-insns: invalid count '12k'", "--max-insns", "12k");
	PARSE_BAD("--tlb: missing argument", "--tlb");
	PARSE_OK("--screenshot", "/tmp/s.png", "-display", "sdl");
	cr_assert_str_eq(o.screenshot, "/tmp/s.png");
	PARSE_BAD("--screenshot: needs -display sdl", "--screenshot", "/tmp/s.png",
		  "-display", "none");
}

Test(cmdline, bare_program)
{
	PARSE_OK(kfile, "-x", "arg");
	cr_assert_str_eq(o.user_prog, kfile);
	cr_assert_eq(o.user_argc, 2, "everything after the program is its own");
	cr_assert_str_eq(o.user_args[0], "-x");
	PARSE_BAD("cannot read '/nonexistent/prog'", "/nonexistent/prog");
}
