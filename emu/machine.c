/* machine.c - assembling the PC and running it.
 *
 * The run loop alternates cpu_run() slices with device work. A slice never
 * crosses the next timer deadline, so IRQ0 is raised at the exact virtual
 * instant; while the CPU is halted with IF=1 virtual time jumps straight to
 * that deadline. Time never comes from the host, except for the --timeout
 * watchdog, which only decides when to give up.
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "errmsg.h"
#include "bootrom.h"
#include "log.h"
#include "machine.h"
#include "mmchan.h"
#include "monitor.h"
#include "trace_mm.h"


uint64_t machine_now(const struct machine *m)
{
	return cpu_insn_count(m->cpu) * VCLOCK_NS_PER_INSN + m->idle_ns;
}

static uint64_t clock_cb(void *opaque)
{
	return machine_now(opaque);
}

/* ---- wiring between devices, bus and CPU */

static void set_intr(void *opaque, int level)
{
	struct machine *m = opaque;

	if (m->cpu)
		cpu_set_intr(m->cpu, level);
}

static int intr_ack(void *opaque)
{
	struct machine *m = opaque;

	return pic_ack(&m->pic);
}

static void set_a20(void *opaque, int on)
{
	struct machine *m = opaque;

	if (on != bus_a20(m->bus)) {
		bus_set_a20(m->bus, on);
		if (m->mmu)
			mmu_flush(m->mmu, FLUSH_A20);
	}
}

static int get_a20(void *opaque)
{
	struct machine *m = opaque;

	return bus_a20(m->bus);
}

static void request_reset(void *opaque)
{
	struct machine *m = opaque;

	m->reset_requested = 1;
	if (m->cpu)
		cpu_request_stop(m->cpu);
}

static void on_debug_exit(void *opaque, int status)
{
	struct machine *m = opaque;

	if (!m->exit_requested) {
		m->exit_requested = 1;
		m->exit_status = status;
	}
	if (m->cpu)
		cpu_request_stop(m->cpu);
}

static void chr_tx(void *opaque, uint8_t b)
{
	chardev_write(opaque, b);
}

static void unimp_hook(void *opaque, const char *kind, uint32_t addr, int size, uint32_t val)
{
	struct machine *m = opaque;
	uint16_t cs = 0;
	uint32_t eip = 0;

	if (!log_on(LOG_UNIMP))
		return;
	if (m->cpu)
		cpu_last_pc(m->cpu, &cs, &eip);
	if (!strcmp(kind, "io-in"))
		log_line("unimp: in%c port 0x%04x at %04x:%08x", "?bw?l"[size & 7], addr, cs, eip);
	else
		log_line("unimp: %s 0x%08x size %d value 0x%x at %04x:%08x", kind, addr, size, val,
			 cs, eip);
}

/* -d stale-tlb: the MMU reads the EIP of the instruction that used the
 * stale entry from cpu_insn_eip_source() and reports each (EIP, linear
 * page) once. */
static void stale_hook(void *opaque, const struct mmu_stale_report *r)
{
	(void)opaque;
	log_line("stale-tlb: eip 0x%08x linear 0x%08x pte@0x%08x cached paddr 0x%08x flags 0x%03x,"
		 " memory paddr 0x%08x flags 0x%03x", r->eip, r->lin, r->pte_addr, r->cached_paddr,
		 r->cached_flags, r->mem_paddr, r->mem_flags);
}

static void int_hook(void *opaque, int vector, int is_exception, uint32_t error_code,
		     uint32_t eip)
{
	struct machine *m = opaque;

	log_line("int: vector 0x%02x %s error 0x%x eip 0x%08x t=%llu ns", vector,
		 is_exception ? "exception" : "interrupt", error_code, eip,
		 (unsigned long long)machine_now(m));
}

/* An event from the guest kernel's mm channel (docs/mm-channel.md): to the
 * --trace-mm file, stamped with the retired-instruction count so the file
 * is the same on every run. (The window's event bus will hook in here.) */
static void on_mm_event(void *opaque, const struct mmchan_event *ev)
{
	struct machine *m = opaque;

	if (m->trace_mm)
		trace_mm_write(m->trace_mm, cpu_insn_count(m->cpu), ev);
}

static void guest_write(void *opaque, uint32_t paddr, const void *src, uint32_t len)
{
	bus_write_block(opaque, paddr, src, len);
}

/* ---- building */

static int open_chardevs(struct machine *m, char *err, int errlen)
{
	const struct emu_options *o = &m->opt;
	struct chardev_opt e9 = { .kind = CHR_NONE };

	if (chardev_open(&m->serial_chr, &o->serial))
		return errmsg(err, errlen, "-serial: cannot open '%s': %s", o->serial.path,
			    strerror(errno));
	/* The default 0xE9 console writes to stdout, unless COM1 already does
	 * (the ROM prints its messages on both) or -nodefaults. */
	if (!o->nodefaults && o->serial.kind != CHR_STDIO)
		e9.kind = CHR_STDIO;
	if (o->monitor_stdio)
		m->serial_chr.in_fd = -1;   /* stdin belongs to the monitor */
	chardev_open(&m->e9_chr, &e9);
	m->e9_chr.in_fd = -1;
	if (o->debugcon) {
		const struct chardev_opt *c = cmdline_chardev(o, o->debugcon_chardev);

		if (chardev_open(&m->debugcon_chr, c))
			return errmsg(err, errlen, "-chardev %s: cannot open '%s': %s", c->id, c->path,
				    strerror(errno));
		m->debugcon_chr.in_fd = -1;
	}
	return 0;
}

static void init_devices(struct machine *m)
{
	pic_init(&m->pic, set_intr, m);
	pit_init(&m->pit, &m->clock, (struct irq_line){ pic_irq_line, &m->pic, 0 });
	uart_init(&m->uart, (struct irq_line){ pic_irq_line, &m->pic, 4 }, chr_tx, &m->serial_chr);
	cmos_init(&m->cmos, &m->clock, m->opt.ram_size);
	i8042_init(&m->kbc, set_a20, request_reset, m);
	port92_init(&m->p92, get_a20, set_a20, request_reset, m);
	memset(&m->post, 0, sizeof(m->post));
	m->e9 = (struct debugcon){ chr_tx, &m->e9_chr };
	m->debugcon = (struct debugcon){ chr_tx, &m->debugcon_chr };
	m->dexit = (struct debugexit){ 0, 0, on_debug_exit, m };
}

static void map_devices(struct machine *m)
{
	struct bus *b = m->bus;

	bus_map_io(b, 0x20, 2, &pic_io_ops, &m->pic);
	bus_map_io(b, 0xA0, 2, &pic_io_ops, &m->pic);
	bus_map_io(b, 0x40, 4, &pit_io_ops, &m->pit);
	bus_map_io(b, 0x61, 1, &port61_io_ops, &m->pit);
	bus_map_io(b, 0x60, 1, &i8042_io_ops, &m->kbc);
	bus_map_io(b, 0x64, 1, &i8042_io_ops, &m->kbc);
	bus_map_io(b, 0x70, 2, &cmos_io_ops, &m->cmos);
	bus_map_io(b, 0x80, 1, &post_io_ops, &m->post);
	bus_map_io(b, 0x190, 1, &post_io_ops, &m->post);
	bus_map_io(b, 0x92, 1, &port92_io_ops, &m->p92);
	bus_map_io(b, 0x3F8, 8, &uart_io_ops, &m->uart);
	if (!(m->opt.debugcon && m->opt.debugcon_port == 0xE9))
		bus_map_io(b, 0xE9, 1, &debugcon_io_ops, &m->e9);
	if (m->opt.debugcon)
		bus_map_io(b, m->opt.debugcon_port, 1, &debugcon_io_ops, &m->debugcon);
	if (m->opt.debug_exit)
		bus_map_io(b, m->opt.debug_exit_port, m->opt.debug_exit_size, &debugexit_io_ops,
			   &m->dexit);
	bus_map_mmio(b, VGA_TEXT_BASE, VGA_TEXT_SIZE, &vga_mmio_ops, &m->vga);
}

static int load_rom(struct machine *m, char *err, int errlen)
{
	if (m->opt.bios) {
		size_t len = 0;
		uint8_t *img = read_file(m->opt.bios, &len);
		int r;

		if (!img)
			return errmsg(err, errlen, "-bios: cannot read '%s': %s", m->opt.bios,
				    strerror(errno));
		r = bus_load_rom(m->bus, img, len);
		free(img);
		if (r)
			return errmsg(err, errlen, "-bios: '%s' is %zu bytes; need 65536 or 131072",
				    m->opt.bios, len);
		return 0;
	}
	if (bus_load_rom(m->bus, bootrom_image, bootrom_image_size))
		return errmsg(err, errlen, "internal error: built-in ROM rejected");
	return 0;
}

struct machine *machine_create(const struct emu_options *o, char *err, int errlen)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct mmu_config cfg;

	if (!m) {
		errmsg(err, errlen, "out of memory");
		return NULL;
	}
	m->opt = *o;
	m->clock = (struct vclock){ clock_cb, m };
	cpu_model_mmu_config((enum cpu_model)o->cpu, &cfg);
	if (o->tlb_spec) {
		char e[200];

		if (mmu_config_parse_tlb(&cfg, o->tlb_spec, e, sizeof(e))) {
			errmsg(err, errlen, "%s%s", strncmp(e, "--tlb", 5) ? "--tlb: " : "", e);
			goto bad;
		}
	}
	m->bus = bus_create(o->ram_size);
	if (!m->bus) {
		errmsg(err, errlen, "-m: cannot allocate %u MiB of guest RAM", o->ram_size >> 20);
		goto bad;
	}
	if (open_chardevs(m, err, errlen))
		goto bad;
	vga_init(&m->vga);
	init_devices(m);
	map_devices(m);
	bus_set_unimp_hook(m->bus, unimp_hook, m);
	if (o->trace_mm) {
		m->trace_mm = trace_mm_open(o->trace_mm);
		if (!m->trace_mm) {
			errmsg(err, errlen, "--trace-mm: cannot open '%s': %s", o->trace_mm,
			     strerror(errno));
			goto bad;
		}
	}
	m->mmchan = mmchan_create(m->bus, on_mm_event, m);
	if (!m->mmchan) {
		errmsg(err, errlen, "out of memory");
		goto bad;
	}
	if (load_rom(m, err, errlen))
		goto bad;
	if (o->kernel) {
		struct guest_mem gm = { guest_write, m->bus, o->ram_size };
		char e[600];

		if (multiboot_load(&gm, o->kernel, o->append, o->modules, o->nmodules, &m->boot,
				   e, sizeof(e))) {
			errmsg(err, errlen, "-kernel: %s", e);
			goto bad;
		}
	}
	m->mmu = mmu_create(m->bus, &cfg);
	if (!m->mmu) {
		errmsg(err, errlen, "cannot create the MMU");
		goto bad;
	}
	m->cpu = cpu_create((enum cpu_model)o->cpu, m->bus, m->mmu);
	if (!m->cpu) {
		errmsg(err, errlen, "cannot create the CPU");
		goto bad;
	}
	cpu_set_intr_ack(m->cpu, intr_ack, m);
	if (log_on(LOG_INT)) {
		struct cpu_hooks h = { .opaque = m, .on_interrupt = int_hook };

		cpu_set_hooks(m->cpu, &h);
	}
	if (log_on(LOG_STALE_TLB))
		mmu_set_stale_check(m->mmu, cpu_insn_eip_source(m->cpu), stale_hook, m);
	cpu_reset(m->cpu);
	if (log_on(LOG_CPU_RESET))
		log_line("cpu_reset: power-on, model %s", cpu_model_name((enum cpu_model)o->cpu));
	return m;
bad:
	machine_destroy(m);
	return NULL;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	if (m->cpu)
		cpu_destroy(m->cpu);
	if (m->mmu)
		mmu_destroy(m->mmu);
	if (m->mmchan)
		mmchan_destroy(m->mmchan);
	if (trace_mm_close(m->trace_mm))
		fprintf(stderr, "mmulab: --trace-mm: write error on '%s'\n", m->opt.trace_mm);
	if (m->bus)
		bus_destroy(m->bus);
	chardev_close(&m->serial_chr);
	chardev_close(&m->e9_chr);
	chardev_close(&m->debugcon_chr);
	free(m);
}

/* ---- running */

static double host_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int ending(struct machine *m, int status, const char *what)
{
	uint16_t cs;
	uint32_t eip;

	cpu_last_pc(m->cpu, &cs, &eip);
	fflush(stdout);
	fprintf(stderr, "mmulab: %s at %04x:%08x\n", what, cs, eip);
	return status;
}

/* A system reset (triple fault, i8042 pulse, port 0x92): devices and CPU
 * back to power-on; RAM, ROM and the loaded kernel stay. */
static void machine_reset(struct machine *m, const char *why)
{
	if (log_on(LOG_CPU_RESET))
		log_line("cpu_reset: %s", why);
	struct cmos keep = m->cmos;

	m->resets++;
	init_devices(m);
	m->cmos = keep;   /* battery-backed: the CMOS survives a reset */
	bus_set_a20(m->bus, 1);
	cpu_set_intr(m->cpu, 0);
	cpu_reset(m->cpu);
}

/* Feed host input to COM1 while its FIFO has room. */
static void poll_serial(struct machine *m)
{
	int got = 0;

	while (uart_can_receive(&m->uart)) {
		int b = chardev_read(&m->serial_chr);

		if (b < 0)
			break;
		uart_receive(&m->uart, (uint8_t)b);
		got = 1;
	}
	if (!got)
		uart_input_idle(&m->uart);
}

/* Read and run monitor commands: all complete lines waiting on stdin, or
 * (paused) block until a command resumes or quits. Returns 1 on quit. */
static int monitor_poll(struct machine *m)
{
	char line[256];

	for (;;) {
		struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
		enum mon_action a;

		if (!m->paused && poll(&pfd, 1, 0) <= 0)
			return 0;
		if (m->paused) {
			printf("(mmulab) ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), stdin)) {
			/* EOF: nothing can resume a paused machine, so quit;
			 * a running one runs on without its monitor. */
			m->monitor_eof = 1;
			return m->paused;
		}
		a = monitor_command(m, line, stdout);
		fflush(stdout);
		if (a == MON_QUIT)
			return 1;
		if (a == MON_CONT)
			m->paused = 0;
		if (a == MON_STOP)
			m->paused = 1;
		if (!m->paused)
			return 0;
	}
}

int machine_run(struct machine *m)
{
	const struct emu_options *o = &m->opt;
	double t0 = host_seconds();

	m->paused = o->monitor_stdio && o->start_paused;
	for (;;) {
		uint64_t now, deadline, budget;
		enum cpu_stop stop;
		struct cpu_state st;

		if (o->monitor_stdio && !m->monitor_eof && monitor_poll(m)) {
			fflush(stdout);
			return EXIT_NORMAL;
		}

		if (m->exit_requested) {
			fflush(stdout);
			return m->exit_status;
		}
		if (m->reset_requested) {
			m->reset_requested = 0;
			if (o->no_reboot)
				return ending(m, EXIT_SHUTDOWN, "reset requested by the guest (-no-reboot)");
			machine_reset(m, "reset requested by the guest");
		}
		if (o->timeout > 0 && host_seconds() - t0 >= o->timeout) {
			char msg[80];

			snprintf(msg, sizeof(msg), "--timeout: %g s of host time elapsed", o->timeout);
			return ending(m, EXIT_TIMEOUT, msg);
		}
		now = machine_now(m);
		pit_update(&m->pit, now);
		poll_serial(m);

		deadline = pit_next_event(&m->pit, now);
		budget = MACHINE_SLICE_MAX;
		if (deadline != VCLOCK_NEVER) {
			uint64_t d = (deadline - now + VCLOCK_NS_PER_INSN - 1) / VCLOCK_NS_PER_INSN;

			if (d < budget)
				budget = d ? d : 1;
		}
		if (o->max_insns) {
			uint64_t done = cpu_insn_count(m->cpu);

			if (done >= o->max_insns) {
				char msg[80];

				snprintf(msg, sizeof(msg), "--max-insns: %llu instructions executed",
					 (unsigned long long)o->max_insns);
				return ending(m, EXIT_MAXINSNS, msg);
			}
			if (o->max_insns - done < budget)
				budget = o->max_insns - done;
		}

		stop = cpu_run(m->cpu, budget);
		switch (stop) {
		case CPU_STOP_SHUTDOWN:
			if (o->no_reboot)
				return ending(m, EXIT_SHUTDOWN, "triple fault (shutdown)");
			machine_reset(m, "triple fault");
			break;
		case CPU_STOP_HLT:
			if (m->exit_requested || m->reset_requested)
				break;
			cpu_get_state(m->cpu, &st);
			if (!(st.eflags & FL_IF))
				return ending(m, EXIT_HALT, "CPU halted with interrupts disabled");
			if (m->pic.intr)
				break;   /* an interrupt is already waiting: the CPU takes it */
			now = machine_now(m);
			deadline = pit_next_event(&m->pit, now);
			if (m->pic.chip[0].imr & 1)
				deadline = VCLOCK_NEVER;   /* IRQ0 masked: the timer cannot wake it */
			if (deadline == VCLOCK_NEVER) {
				/* Only host input could still wake the CPU. */
				if (m->serial_chr.in_fd >= 0 && !m->serial_chr.in_eof) {
					struct timespec ts = { 0, 10000000 };

					nanosleep(&ts, NULL);
					break;
				}
				return ending(m, EXIT_HALT, "CPU halted with no interrupt source left");
			}
			/* A skip that led to no interrupt and no instruction
			 * (IRQ0 stuck in service, say) would repeat forever. */
			if (m->idle_skip_at == cpu_insn_count(m->cpu) + 1)
				return ending(m, EXIT_HALT, "CPU halted with no interrupt source left");
			/* Nothing can happen before the deadline: skip to it. */
			m->idle_ns += deadline - now;
			m->idle_skip_at = cpu_insn_count(m->cpu) + 1;
			break;
		default:
			break;
		}
	}
}
