/* monitor.c - the monitor's commands. Everything it shows is read without
 * side effects on the guest (cpu_get_state, bus_peek, the MMU's TLB views):
 * inspecting never changes what the guest sees. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "machine.h"
#include "monitor.h"

static const char *const seg_names[S_COUNT] = { "ES", "CS", "SS", "DS", "FS", "GS", "LDT", "TR" };
static const char *const gpr_names[8] = { "EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI" };

static void info_registers(struct machine *m, FILE *out)
{
	struct cpu_state s;

	cpu_get_state(m->cpu, &s);
	for (int i = 0; i < 8; i++)
		fprintf(out, "%s=%08x%s", gpr_names[i], s.gpr[i], i % 4 == 3 ? "\n" : " ");
	fprintf(out, "EIP=%08x EFL=%08x [%c%c%c%c%c%c] HLT=%d\n", s.eip, s.eflags,
		s.eflags & FL_OF ? 'O' : '-', s.eflags & FL_DF ? 'D' : '-',
		s.eflags & FL_SF ? 'S' : '-', s.eflags & FL_ZF ? 'Z' : '-',
		s.eflags & FL_PF ? 'P' : '-', s.eflags & FL_CF ? 'C' : '-', s.halted);
	for (int i = 0; i < S_COUNT; i++)
		fprintf(out, "%-3s=%04x %08x %08x %08x\n", seg_names[i], s.seg[i].sel,
			s.seg[i].base, s.seg[i].limit, s.seg[i].flags);
	fprintf(out, "GDT=     %08x %08x\nIDT=     %08x %08x\n", s.gdtr_base, s.gdtr_limit,
		s.idtr_base, s.idtr_limit);
	fprintf(out, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", s.cr0, s.cr2, s.cr3, s.cr4);
	fprintf(out, "insns=%llu vtime=%llu ns\n", (unsigned long long)cpu_insn_count(m->cpu),
		(unsigned long long)machine_now(m));
}

static void info_tlb(struct machine *m, FILE *out)
{
	static const char *const names[TLB_COUNT] = { "ITLB 4K", "DTLB 4K", "ITLB 4M", "DTLB 4M" };
	int any = 0;

	for (int t = 0; t < TLB_COUNT; t++) {
		struct tlb_geom g = mmu_tlb_geom(m->mmu, (enum tlb_id)t);

		if (!g.sets)
			continue;
		fprintf(out, "%s: %d sets x %d ways\n", names[t], g.sets, g.ways);
		for (int s = 0; s < g.sets; s++)
			for (int w = 0; w < g.ways; w++) {
				struct tlb_entry_view e;

				mmu_tlb_entry(m->mmu, (enum tlb_id)t, s, w, &e);
				if (!e.valid)
					continue;
				any = 1;
				fprintf(out, "  set %2d way %d: %08x -> %08x %c%c%c%c hits %llu\n", s, w,
					e.lin_page << (e.large ? 22 : 12), e.pfn << 12,
					e.d ? 'D' : '-', e.u ? 'U' : 'S', e.w ? 'W' : 'R',
					e.g ? 'G' : '-', (unsigned long long)e.hits);
			}
	}
	if (!any)
		fprintf(out, "no valid TLB entries\n");
}

/* xp /Nf ADDR: N units of size b/h/w (default w) in hex, from physical
 * memory, 16 bytes per line. */
static void xp(struct machine *m, const char *args, FILE *out)
{
	unsigned long count = 1;
	int size = 4;
	char *end;
	uint64_t addr;

	while (isspace((unsigned char)*args))
		args++;
	if (*args == '/') {
		args++;
		if (isdigit((unsigned char)*args))
			count = strtoul(args, (char **)&args, 10);
		while (*args && !isspace((unsigned char)*args)) {
			switch (*args++) {
			case 'b': size = 1; break;
			case 'h': size = 2; break;
			case 'w': size = 4; break;
			case 'x': break;
			default:
				fprintf(out, "xp: unsupported format (use /Nx with b, h or w)\n");
				return;
			}
		}
	}
	while (isspace((unsigned char)*args))
		args++;
	addr = strtoull(args, &end, 0);
	if (end == args || addr > 0xFFFFFFFFull) {
		fprintf(out, "xp: bad address '%s'\n", args);
		return;
	}
	if (count > 4096)
		count = 4096;
	for (unsigned long i = 0; i < count; i++) {
		uint32_t a = (uint32_t)(addr + i * (unsigned)size);
		uint8_t b[4] = { 0xFF, 0xFF, 0xFF, 0xFF };
		uint32_t v = 0;

		if (i % (16u / (unsigned)size) == 0)
			fprintf(out, "%s%08x:", i ? "\n" : "", a);
		bus_peek(m->bus, a, b, (uint32_t)size);
		for (int k = size - 1; k >= 0; k--)
			v = v << 8 | b[k];
		fprintf(out, " 0x%0*x", 2 * size, v);
	}
	fprintf(out, "\n");
}

enum mon_action monitor_command(struct machine *m, const char *line, FILE *out)
{
	char cmd[32];
	int n = 0;

	while (isspace((unsigned char)*line))
		line++;
	if (!strncmp(line, "xp", 2) && (line[2] == '/' || isspace((unsigned char)line[2]))) {
		xp(m, line + 2, out);
		return MON_NONE;
	}
	while (*line && !isspace((unsigned char)*line) && n < (int)sizeof(cmd) - 1)
		cmd[n++] = *line++;
	cmd[n] = 0;
	while (isspace((unsigned char)*line))
		line++;
	if (!n)
		return MON_NONE;
	if (!strcmp(cmd, "c") || !strcmp(cmd, "cont"))
		return MON_CONT;
	if (!strcmp(cmd, "stop"))
		return MON_STOP;
	if (!strcmp(cmd, "q") || !strcmp(cmd, "quit"))
		return MON_QUIT;
	if (!strcmp(cmd, "info")) {
		if (!strncmp(line, "registers", 9))
			info_registers(m, out);
		else if (!strncmp(line, "tlb", 3))
			info_tlb(m, out);
		else
			fprintf(out, "info: 'registers' or 'tlb'\n");
		return MON_NONE;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
		fprintf(out, "c|cont              continue\n"
			     "stop                pause\n"
			     "q|quit              quit (exit status 0)\n"
			     "info registers      CPU state\n"
			     "info tlb            valid TLB entries\n"
			     "xp /Nx[bhw] ADDR    physical memory in hex\n");
		return MON_NONE;
	}
	fprintf(out, "unknown command: '%s' (try help)\n", cmd);
	return MON_NONE;
}
