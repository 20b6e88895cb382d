/* machine.h - the PC as a whole: bus and RAM, boot ROM, devices, CPU, and
 * the run loop that advances virtual time (docs/machine.md). */
#ifndef EMU_MACHINE_H
#define EMU_MACHINE_H

#include <stdint.h>
#include "../cpu/cpu.h"
#include "chardev.h"
#include "cmdline.h"
#include "cmos.h"
#include "debugcon.h"
#include "debugexit.h"
#include "i8042.h"
#include "multiboot.h"
#include "pic.h"
#include "pit.h"
#include "port92.h"
#include "post.h"
#include "uart.h"
#include "vclock.h"
#include "vga.h"

/* Largest slice of instructions run between device checks when no timer
 * deadline is nearer (bounds the latency of --timeout and serial input). */
#define MACHINE_SLICE_MAX (1u << 20)

struct mmchan;
struct trace_mm;

struct machine {
	struct emu_options opt;
	struct bus *bus;
	struct mmu *mmu;
	struct cpu *cpu;
	struct vclock clock;
	uint64_t idle_ns;          /* virtual time skipped while halted */
	uint64_t idle_skip_at;     /* 1 + instruction count at the last skip */

	struct pic pic;
	struct pit pit;
	struct uart uart;
	struct cmos cmos;
	struct i8042 kbc;
	struct port92 p92;
	struct post post;
	struct debugcon e9, debugcon;
	struct debugexit dexit;
	struct vga vga;
	struct chardev serial_chr, e9_chr, debugcon_chr;

	int paused;                /* monitor: waiting for `c` */
	int monitor_eof;           /* stdin of the monitor is closed */
	struct mb_result boot;     /* valid when a -kernel was loaded */
	struct mmchan *mmchan;     /* the guest mm channel (port 0xE0) */
	struct trace_mm *trace_mm; /* --trace-mm writer, or NULL */
	int reset_requested;
	int exit_requested, exit_status;
	uint64_t resets;
};

/* Build the machine of the options: RAM, ROM (built-in or -bios), kernel
 * and modules, devices, CPU at its reset state. Returns NULL with one line
 * in err (without the "mmulab: " prefix) on any problem. */
struct machine *machine_create(const struct emu_options *o, char *err, int errlen);
void machine_destroy(struct machine *m);

/* Virtual time now, in ns. */
uint64_t machine_now(const struct machine *m);

/* Run until the machine ends; prints the ending's message (if any) and
 * returns the exit status (docs/cli.md). */
int machine_run(struct machine *m);

#endif
