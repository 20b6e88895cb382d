/* main.c - mmulab's entry point: parse the command line, build the
 * machine, run it, exit with its status (docs/cli.md). */
#include <stdio.h>
#include <stdlib.h>
#include "cmdline.h"
#include "log.h"
#include "machine.h"

#ifndef MMULAB_VERSION
#define MMULAB_VERSION "unknown"
#endif
#ifndef MMULAB_HAVE_UI
#define MMULAB_HAVE_UI 0
#endif

int main(int argc, char **argv)
{
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
	if (opt.user_prog) {
		fprintf(stderr, "mmulab: %s: running a program needs the bundled kernel's "
				"user-program support, which this build does not have yet\n",
			opt.user_prog);
		return EXIT_USAGE;
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
	status = machine_run(m);
	machine_destroy(m);
	log_close();
	return status;
}
