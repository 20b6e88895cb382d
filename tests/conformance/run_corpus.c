/* run_corpus.c - run the conformance corpus (tests/conformance/data) against
 * mmulab's CPU and report per-group pass/fail counts.
 *
 * Usage: run_corpus [--data DIR] [--known FILE] [--model p6] [--group G] [--env E]
 *                   [--key OPCODE] [--id N] [--show N] [--limit N] [--crash-at ID] [-v]
 *
 * Every case is one instruction recorded on qemu-system-i386 by
 * scripts/conformance/gen.py (format: docs/conformance.md). For each case the
 * runner rebuilds the machine (the environment's tables in low memory, the
 * case's memory bytes, the whole register state), runs one instruction and
 * compares registers, flags (with the recorded mask of undefined flags),
 * segment selectors and caches, CR2 and every watched memory byte.
 *
 * Exit status: 0 when every case passes or fails only under an entry of the
 * known-failures file (a group, an opcode key or env:NAME, each with a
 * reason); 1 on any other failure, a malformed case line or an empty
 * corpus; 2 on usage or I/O errors. Known failures still count as failed,
 * never as passed. The last line is always "N passed, N failed".
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cpu.h"

#define RAM_SIZE   (4u << 20)
#define ENV_BYTES  0xA000u
#define MAX_ENVS   16
#define MAX_SPANS  64
#define MAX_GROUPS 64
#define MAX_KEYS   1024
#define MAX_KNOWN  256
#define LINE_MAX_BYTES (1u << 20)

/* One machine environment (E and B lines). */
struct env {
	char name[16];
	uint32_t cr0, cr3, cr4;
	uint32_t gdtr_base, gdtr_limit, idtr_base, idtr_limit;
	struct seg_cache tr, ldtr;
	uint8_t mem[ENV_BYTES];
};

struct span {
	uint32_t addr, len;
	uint8_t *bytes;   /* NULL for watch-only spans */
};

struct memmask {
	uint32_t addr;
	uint8_t mask;
};

/* A parsed case; byte buffers point into a scratch arena. */
struct tcase {
	char id[24], env[16], cpl[8], group[24], key[16];
	uint8_t insn[16];
	int insn_len;
	uint32_t init[10], out[10];
	struct seg_cache seg_in[6];
	struct seg_cache seg_out[6];
	int seg_cmp[6];
	int has_cr2;
	uint32_t cr2;
	struct span m[MAX_SPANS], w[MAX_SPANS], chg[MAX_SPANS];
	int nm, nw, nchg;
	struct memmask x[64];
	int nx;
	uint32_t fmask;
	uint32_t regmask[8];
	int vector, rep;
	int shutdown;     /* the reference triple-faulted: only that is checked */
};

struct group_stat {
	char name[24];
	long pass, fail, known_fail;
	int shown;
};

struct key_stat {
	char group[24], key[16];
	long pass, fail;
};

struct known {
	char what[32];
	char reason[160];
	long hits;
};

static struct env envs[MAX_ENVS];
static int nenvs;
static struct group_stat groups[MAX_GROUPS];
static int ngroups;
static struct key_stat keys[MAX_KEYS];
static int nkeys;
static struct known known[MAX_KNOWN];
static int nknown;
static int show_max = 3;
static int verbose;

static uint8_t arena[LINE_MAX_BYTES];
static size_t arena_used;

/* ---------------------------------------------------------------- parsing */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Parse a hex byte string into the arena; returns NULL on a malformed one. */
static uint8_t *parse_bytes(const char *s, uint32_t *len)
{
	size_t n = strlen(s);
	if (n % 2 || arena_used + n / 2 > sizeof(arena))
		return NULL;
	uint8_t *out = arena + arena_used;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return NULL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	arena_used += n / 2;
	*len = (uint32_t)(n / 2);
	return out;
}

/* Parse "a,b,c" hex words; returns how many were read. */
static int parse_words(const char *s, uint32_t *out, int max)
{
	int n = 0;
	while (*s && n < max) {
		char *end;
		out[n++] = (uint32_t)strtoul(s, &end, 16);
		if (*end != ',')
			break;
		s = end + 1;
	}
	return n;
}

/* Parse "sel:base:limit:flags[:cmp],..." for six segment registers. */
static int parse_segs(const char *s, struct seg_cache *out, int *cmp)
{
	for (int i = 0; i < 6; i++) {
		uint32_t v[5] = {0, 0, 0, 0, 2};
		for (int k = 0; k < (cmp ? 5 : 4); k++) {
			char *end;
			v[k] = (uint32_t)strtoul(s, &end, 16);
			s = end;
			if (*s == ':')
				s++;
		}
		out[i].sel = (uint16_t)v[0];
		out[i].base = v[1];
		out[i].limit = v[2];
		out[i].flags = v[3];
		if (cmp)
			cmp[i] = (int)v[4];
		if (*s == ',')
			s++;
		else if (i < 5)
			return -1;
	}
	return 0;
}

static int parse_span(const char *s, struct span *sp, int with_bytes)
{
	char *end;
	sp->addr = (uint32_t)strtoul(s, &end, 16);
	if (*end != ':')
		return -1;
	if (with_bytes) {
		sp->bytes = parse_bytes(end + 1, &sp->len);
		return sp->bytes ? 0 : -1;
	}
	sp->bytes = NULL;
	sp->len = (uint32_t)strtoul(end + 1, NULL, 16);
	return 0;
}

static void copy_field(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Parse an E line (environment registers). */
static int parse_env(char *line)
{
	char *save, *tok = strtok_r(line, " \n", &save);
	tok = strtok_r(NULL, " \n", &save);
	if (!tok)
		return -1;
	struct env *e = NULL;
	for (int i = 0; i < nenvs; i++)
		if (!strcmp(envs[i].name, tok))
			e = &envs[i];
	if (!e) {
		if (nenvs == MAX_ENVS)
			return -1;
		e = &envs[nenvs++];
	}
	memset(e, 0, sizeof(*e));
	copy_field(e->name, sizeof(e->name), tok);
	while ((tok = strtok_r(NULL, " \n", &save))) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq++ = 0;
		if (!strcmp(tok, "cr0"))
			e->cr0 = (uint32_t)strtoul(eq, NULL, 16);
		else if (!strcmp(tok, "cr3"))
			e->cr3 = (uint32_t)strtoul(eq, NULL, 16);
		else if (!strcmp(tok, "cr4"))
			e->cr4 = (uint32_t)strtoul(eq, NULL, 16);
		else if (!strcmp(tok, "gdtr") || !strcmp(tok, "idtr")) {
			char *end;
			uint32_t base = (uint32_t)strtoul(eq, &end, 16);
			uint32_t limit = *end == ':' ? (uint32_t)strtoul(end + 1, NULL, 16) : 0;
			if (tok[0] == 'g') {
				e->gdtr_base = base;
				e->gdtr_limit = limit;
			} else {
				e->idtr_base = base;
				e->idtr_limit = limit;
			}
		} else if (!strcmp(tok, "tr") || !strcmp(tok, "ldtr")) {
			uint32_t v[4] = {0};
			char *p = eq;
			for (int k = 0; k < 4; k++) {
				v[k] = (uint32_t)strtoul(p, &p, 16);
				if (*p == ':')
					p++;
			}
			struct seg_cache *sc = tok[0] == 't' ? &e->tr : &e->ldtr;
			sc->sel = (uint16_t)v[0];
			sc->base = v[1];
			sc->limit = v[2];
			sc->flags = v[3];
		}
	}
	return 0;
}

/* Parse a B line (environment memory block). */
static int parse_block(char *line)
{
	char *save, *tok = strtok_r(line, " \n", &save);
	char *name = strtok_r(NULL, " \n", &save);
	char *addr = strtok_r(NULL, " \n", &save);
	char *hex = strtok_r(NULL, " \n", &save);
	if (!name || !addr || !hex)
		return -1;
	(void)tok;
	for (int i = 0; i < nenvs; i++) {
		if (strcmp(envs[i].name, name))
			continue;
		uint32_t a = (uint32_t)strtoul(addr, NULL, 16), len;
		size_t mark = arena_used;
		uint8_t *b = parse_bytes(hex, &len);
		arena_used = mark;
		if (!b || a + len > ENV_BYTES)
			return -1;
		memcpy(envs[i].mem + a, b, len);
		return 0;
	}
	return -1;
}

/* Parse a C line into *t. Returns 0, or -1 if malformed. */
static int parse_case(char *line, struct tcase *t)
{
	char *save;
	char *f[7];
	memset(t, 0, sizeof(*t));
	arena_used = 0;
	f[0] = strtok_r(line, " \n", &save);
	for (int i = 1; i < 7; i++) {
		f[i] = strtok_r(NULL, " \n", &save);
		if (!f[i])
			return -1;
	}
	copy_field(t->id, sizeof(t->id), f[1]);
	copy_field(t->env, sizeof(t->env), f[2]);
	copy_field(t->cpl, sizeof(t->cpl), f[3]);
	copy_field(t->group, sizeof(t->group), f[4]);
	copy_field(t->key, sizeof(t->key), f[5]);
	uint32_t ilen;
	uint8_t *ib = parse_bytes(f[6], &ilen);
	if (!ib || ilen > sizeof(t->insn))
		return -1;
	memcpy(t->insn, ib, ilen);
	t->insn_len = (int)ilen;
	t->fmask = 0xFFFFFFFFu;
	for (int r = 0; r < 8; r++)
		t->regmask[r] = 0xFFFFFFFFu;
	t->vector = -1;
	char *tok;
	int have_i = 0, have_o = 0, have_s = 0, have_t = 0;
	while ((tok = strtok_r(NULL, " \n", &save))) {
		char *eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq++ = 0;
		if (!strcmp(tok, "i"))
			have_i = parse_words(eq, t->init, 10) == 10;
		else if (!strcmp(tok, "o"))
			have_o = parse_words(eq, t->out, 10) == 10;
		else if (!strcmp(tok, "s"))
			have_s = parse_segs(eq, t->seg_in, NULL) == 0;
		else if (!strcmp(tok, "t"))
			have_t = parse_segs(eq, t->seg_out, t->seg_cmp) == 0;
		else if (!strcmp(tok, "m")) {
			if (t->nm == MAX_SPANS || parse_span(eq, &t->m[t->nm++], 1))
				return -1;
		} else if (!strcmp(tok, "w")) {
			if (t->nw == MAX_SPANS || parse_span(eq, &t->w[t->nw++], 0))
				return -1;
		} else if (!strcmp(tok, "M")) {
			if (t->nchg == MAX_SPANS || parse_span(eq, &t->chg[t->nchg++], 1))
				return -1;
		} else if (!strcmp(tok, "X")) {
			char *end;
			if (t->nx == (int)(sizeof(t->x) / sizeof(t->x[0])))
				return -1;
			t->x[t->nx].addr = (uint32_t)strtoul(eq, &end, 16);
			t->x[t->nx++].mask = (uint8_t)strtoul(end + 1, NULL, 16);
		} else if (!strcmp(tok, "f"))
			t->fmask = (uint32_t)strtoul(eq, NULL, 16);
		else if (!strcmp(tok, "U")) {
			char *end;
			unsigned r = (unsigned)strtoul(eq, &end, 10);
			if (r < 8 && *end == ':')
				t->regmask[r] = (uint32_t)strtoul(end + 1, NULL, 16);
		} else if (!strcmp(tok, "c2")) {
			t->has_cr2 = 1;
			t->cr2 = (uint32_t)strtoul(eq, NULL, 16);
		} else if (!strcmp(tok, "v"))
			t->vector = atoi(eq);
		else if (!strcmp(tok, "rep"))
			t->rep = atoi(eq);
		else if (!strcmp(tok, "sd"))
			t->shutdown = atoi(eq);
	}
	if (t->shutdown)
		return have_i && have_s ? 0 : -1;
	return have_i && have_o && have_s && have_t ? 0 : -1;
}

/* ---------------------------------------------------------------- machine */

struct machine {
	struct bus *bus;
	struct mmu *mmu;
	struct cpu *cpu;
	enum cpu_model model;
	/* Spans written or possibly changed by the previous case, to clear. */
	uint32_t dirty_addr[3 * MAX_SPANS];
	uint32_t dirty_len[3 * MAX_SPANS];
	int ndirty;
	const struct env *env_loaded;
	long since_scan;
	int needs_scan;
	int needs_reset;   /* previous case failed or shut down: cpu_reset() first */
};

static int machine_init(struct machine *mc, enum cpu_model model)
{
	struct mmu_config cfg;
	mc->model = model;
	mc->bus = bus_create(RAM_SIZE);
	if (!mc->bus)
		return -1;
	cpu_model_mmu_config(model, &cfg);
	mc->mmu = mmu_create(mc->bus, &cfg);
	if (!mc->mmu)
		return -1;
	mc->cpu = cpu_create(model, mc->bus, mc->mmu);
	if (!mc->cpu)
		return -1;
	mc->ndirty = 0;
	mc->env_loaded = NULL;
	mc->since_scan = 0;
	mc->needs_scan = 1;
	mc->needs_reset = 1;
	return 0;
}

static void machine_fini(struct machine *mc)
{
	cpu_destroy(mc->cpu);
	mmu_destroy(mc->mmu);
	bus_destroy(mc->bus);
}

static const uint8_t zero_page[4096];

/* Zero [addr, addr+len) outside the environment area and restore the
 * environment bytes inside it, through the bus so that the CPU's decoded
 * instruction cache hears about it. */
static void restore_range(struct machine *mc, const struct env *e, uint32_t addr, uint32_t len)
{
	while (len) {
		uint32_t n = len > sizeof(zero_page) ? (uint32_t)sizeof(zero_page) : len;
		if (addr < ENV_BYTES) {
			if (n > ENV_BYTES - addr)
				n = ENV_BYTES - addr;
			bus_write_block(mc->bus, addr, e->mem + addr, n);
		} else if (addr < RAM_SIZE) {
			if (n > RAM_SIZE - addr)
				n = RAM_SIZE - addr;
			bus_write_block(mc->bus, addr, zero_page, n);
		} else {
			return;
		}
		addr += n;
		len -= n;
	}
}

/* Every so often, look for bytes a faulty CPU wrote outside the watched
 * spans (they would leak into later cases) and clear them. Returns how many
 * pages had to be cleaned. */
static int scan_ram(struct machine *mc, const struct env *e)
{
	static uint8_t page[4096];
	int dirty = 0;
	for (uint32_t a = 0; a < RAM_SIZE; a += sizeof(page)) {
		if (a >= 0xA0000 && a < 0x100000)
			continue;
		bus_peek(mc->bus, a, page, sizeof(page));
		const uint8_t *ref = zero_page;
		uint8_t envpage[4096];
		if (a < ENV_BYTES) {
			memcpy(envpage, e->mem + a, sizeof(envpage));
			ref = envpage;
		}
		if (memcmp(page, ref, sizeof(page))) {
			bus_write_block(mc->bus, a, ref, sizeof(page));
			dirty++;
		}
	}
	return dirty;
}

static const struct env *find_env(const char *name)
{
	for (int i = 0; i < nenvs; i++)
		if (!strcmp(envs[i].name, name))
			return &envs[i];
	return NULL;
}

/* Initial value of a watched byte: the case's own bytes, else the
 * environment image, else zero. */
static uint8_t initial_byte(const struct tcase *t, const struct env *e, uint32_t a)
{
	for (int i = t->nm - 1; i >= 0; i--)
		if (a - t->m[i].addr < t->m[i].len)
			return t->m[i].bytes[a - t->m[i].addr];
	return a < ENV_BYTES ? e->mem[a] : 0;
}

static int expected_byte(const struct tcase *t, const struct env *e, uint32_t a, uint8_t *mask)
{
	*mask = 0xFF;
	for (int i = 0; i < t->nx; i++)
		if (t->x[i].addr == a)
			*mask = (uint8_t)~t->x[i].mask;
	for (int i = 0; i < t->nchg; i++)
		if (a - t->chg[i].addr < t->chg[i].len)
			return t->chg[i].bytes[a - t->chg[i].addr];
	return initial_byte(t, e, a);
}

/* ---------------------------------------------------------------- compare */

struct diff {
	char text[2048];
	size_t len;
	int count;
};

static void diff_add(struct diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diff_add(struct diff *d, const char *fmt, ...)
{
	va_list ap;
	d->count++;
	if (d->len >= sizeof(d->text) - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(d->text + d->len, sizeof(d->text) - d->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->len += (size_t)n;
	if (d->len >= sizeof(d->text))
		d->len = sizeof(d->text) - 1;
}

static const char *reg_names[10] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
				     "eip", "eflags"};
static const char *seg_names[6] = {"es", "cs", "ss", "ds", "fs", "gs"};

/* Flags compared in segment caches: type, S, DPL, P, D/B, G. */
#define SEG_FLAGS_CMP 0x00C0FF00u

static void compare_case(struct machine *mc, const struct tcase *t, const struct env *e,
			 const struct cpu_state *st, struct diff *d)
{
	for (int r = 0; r < 8; r++) {
		uint32_t m = t->regmask[r];
		if ((st->gpr[r] & m) != (t->out[r] & m))
			diff_add(d, "  %s: got %08x want %08x (mask %08x)\n", reg_names[r], st->gpr[r],
				 t->out[r], m);
	}
	if (st->eip != t->out[8])
		diff_add(d, "  eip: got %08x want %08x\n", st->eip, t->out[8]);
	uint32_t fm = t->fmask;
	if ((st->eflags & fm) != (t->out[9] & fm))
		diff_add(d, "  eflags: got %08x want %08x (mask %08x, differ %08x)\n", st->eflags,
			 t->out[9], fm, (st->eflags ^ t->out[9]) & fm);
	for (int s = 0; s < 6; s++) {
		const struct seg_cache *g = &st->seg[s], *w = &t->seg_out[s];
		int cmp = t->seg_cmp[s];
		int bad = g->sel != w->sel;
		if (cmp >= 1 && g->base != w->base)
			bad = 1;
		if (cmp >= 2 && (g->limit != w->limit ||
				 (g->flags & SEG_FLAGS_CMP) != (w->flags & SEG_FLAGS_CMP)))
			bad = 1;
		if (bad)
			diff_add(d, "  %s: got %04x base %08x limit %08x flags %08x, want %04x base %08x "
				 "limit %08x flags %08x (level %d)\n", seg_names[s], g->sel, g->base,
				 g->limit, g->flags, w->sel, w->base, w->limit, w->flags, cmp);
	}
	if (t->has_cr2 && st->cr2 != t->cr2)
		diff_add(d, "  cr2: got %08x want %08x\n", st->cr2, t->cr2);
	/* Watched memory: every byte of the case's spans and watch spans. */
	const struct span *lists[2] = {t->m, t->w};
	int counts[2] = {t->nm, t->nw};
	int mem_shown = 0;
	for (int l = 0; l < 2; l++) {
		for (int i = 0; i < counts[l]; i++) {
			const struct span *sp = &lists[l][i];
			for (uint32_t k = 0; k < sp->len; k++) {
				uint32_t a = sp->addr + k;
				uint8_t got, mask;
				bus_peek(mc->bus, a, &got, 1);
				uint8_t want = (uint8_t)expected_byte(t, e, a, &mask);
				if ((got & mask) != (want & mask)) {
					if (mem_shown++ < 8)
						diff_add(d, "  mem[%08x]: got %02x want %02x (was %02x)\n", a,
							 got, want, initial_byte(t, e, a));
					else
						d->count++;
				}
			}
		}
	}
	/* Bytes recorded as changed must also be checked when they lie outside
	 * the watched spans (they cannot, by construction; be safe). */
}

/* Run one case on the machine; fills d with differences. Returns 0 when
 * it ran (pass or fail), -1 when the case cannot be set up. */
static int run_case(struct machine *mc, const struct tcase *t, struct diff *d)
{
	const struct env *e = find_env(t->env);
	if (!e) {
		diff_add(d, "  unknown environment %s\n", t->env);
		return -1;
	}
	/* Reset the paging unit (and, after a failing or shut-down case, the
	 * CPU) before touching memory, so that nothing they still hold from the
	 * previous case (TLB entries, decoded instructions) can leak into this
	 * one. cpu_set_state() replaces the whole architectural state; the
	 * decoded-instruction cache is kept coherent by the bus's code-page
	 * write hook, and a full cpu_reset() (which clears that cache) on every
	 * case would dominate the run time. */
	mmu_reset(mc->mmu);
	if (mc->needs_reset) {
		cpu_reset(mc->cpu);
		mc->needs_reset = 0;
	}
	/* Clean up after the previous case, then lay out this one. */
	for (int i = 0; i < mc->ndirty; i++)
		restore_range(mc, e, mc->dirty_addr[i], mc->dirty_len[i]);
	mc->ndirty = 0;
	/* All environments share one layout outside their first ENV_BYTES, so
	 * switching environment rewrites only those. A full scan of RAM for
	 * stray writes runs periodically and after a shutdown case (which has
	 * no watch spans). */
	if (mc->needs_scan || ++mc->since_scan >= 4096) {
		int n = scan_ram(mc, e);
		if (n && verbose)
			fprintf(stderr, "note: %d pages written outside watched spans\n", n);
		mc->since_scan = 0;
		mc->needs_scan = 0;
		mc->env_loaded = NULL;
	}
	if (mc->env_loaded != e) {
		bus_write_block(mc->bus, 0, e->mem, ENV_BYTES);
		mc->env_loaded = e;
	}
	for (int i = 0; i < t->nm; i++) {
		bus_write_block(mc->bus, t->m[i].addr, t->m[i].bytes, t->m[i].len);
		mc->dirty_addr[mc->ndirty] = t->m[i].addr;
		mc->dirty_len[mc->ndirty++] = t->m[i].len;
	}
	for (int i = 0; i < t->nw; i++) {
		mc->dirty_addr[mc->ndirty] = t->w[i].addr;
		mc->dirty_len[mc->ndirty++] = t->w[i].len;
	}
	for (int i = 0; i < t->nchg; i++) {
		mc->dirty_addr[mc->ndirty] = t->chg[i].addr;
		mc->dirty_len[mc->ndirty++] = t->chg[i].len;
	}
	/* Whole environment bytes that the case may have changed (GDT, page
	 * tables, ring-0 stack) are covered by its watch spans. */

	struct cpu_state st;
	memset(&st, 0, sizeof(st));
	for (int r = 0; r < 8; r++)
		st.gpr[r] = t->init[r];
	st.eip = t->init[8];
	st.eflags = t->init[9];
	for (int s = 0; s < 6; s++)
		st.seg[s] = t->seg_in[s];
	st.seg[S_LDTR] = e->ldtr;
	st.seg[S_TR] = e->tr;
	st.gdtr_base = e->gdtr_base;
	st.gdtr_limit = (uint16_t)e->gdtr_limit;
	st.idtr_base = e->idtr_base;
	st.idtr_limit = (uint16_t)e->idtr_limit;
	st.cr0 = e->cr0;
	st.cr3 = e->cr3;
	st.cr4 = e->cr4;
	st.dr[6] = 0xFFFF0FF0u;
	st.dr[7] = 0x400;

	/* (The CPU and MMU were reset above, before memory was touched; a
	 * second reset here would only cost time: cpu_reset() clears the whole
	 * decoded-instruction cache.) */
	cpu_set_state(mc->cpu, &st);

	/* A REP string instruction is one instruction; a CPU that retires one
	 * iteration per step (as QEMU's gdb stub does) is stepped until EIP
	 * leaves the instruction, as the generator did. */
	int budget = t->rep ? 64 : 1;
	struct cpu_state now;
	int shut = 0;
	do {
		enum cpu_stop why = cpu_run(mc->cpu, 1);
		cpu_get_state(mc->cpu, &now);
		if (why == CPU_STOP_SHUTDOWN) {
			shut = 1;
			break;
		}
	} while (--budget > 0 && now.eip == st.eip && now.seg[S_CS].sel == st.seg[S_CS].sel);
	if (t->shutdown) {
		/* No watch spans are recorded for a shutdown: scan and rewrite
		 * everything before the next case. */
		mc->needs_scan = 1;
		mc->needs_reset = 1;
		if (!shut)
			diff_add(d, "  reference triple-faulted (shutdown); the CPU did not\n");
		return 0;
	}
	if (shut)
		diff_add(d, "  cpu shut down (triple fault); the reference did not\n");
	compare_case(mc, t, e, &now, d);
	if (d->count || shut)
		mc->needs_reset = 1;
	return 0;
}

/* ---------------------------------------------------------------- crash guard */

/* A CPU that is still being written may crash the host process on some
 * instruction. The runner must still report per group, so a case runs
 * under a handler for SIGSEGV, SIGBUS, SIGFPE and SIGILL that jumps back
 * here: the case counts as failed ("host crash"), the machine is destroyed
 * (its state cannot be trusted) and a fresh one is built. A crash is a real
 * bug (the host must never crash, whatever the guest does), so it is loud. */
static sigjmp_buf crash_jmp;
static volatile sig_atomic_t in_case;
static long crash_at = -1;   /* --crash-at ID: simulate a crash (tests this guard) */

static void on_crash(int sig)
{
	if (in_case) {
		in_case = 0;
		siglongjmp(crash_jmp, sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_crash_guard(void)
{
	static char altstack[1 << 16];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
}

/* Run one case under the crash guard. Returns 0, or the signal number if
 * the host crashed while running it. */
static int run_guarded(struct machine *mc, const struct tcase *t, struct diff *d)
{
	int sig = sigsetjmp(crash_jmp, 1);
	if (sig)
		return sig;
	in_case = 1;
	if (crash_at >= 0 && strtol(t->id, NULL, 10) == crash_at)
		raise(SIGSEGV);
	run_case(mc, t, d);
	in_case = 0;
	return 0;
}

/* ---------------------------------------------------------------- reports */

static struct group_stat *group_of(const char *name)
{
	for (int i = 0; i < ngroups; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	if (ngroups == MAX_GROUPS)
		return &groups[MAX_GROUPS - 1];
	copy_field(groups[ngroups].name, sizeof(groups[ngroups].name), name);
	return &groups[ngroups++];
}

static struct key_stat *key_of(const char *group, const char *key)
{
	for (int i = 0; i < nkeys; i++)
		if (!strcmp(keys[i].key, key) && !strcmp(keys[i].group, group))
			return &keys[i];
	if (nkeys == MAX_KEYS)
		return &keys[MAX_KEYS - 1];
	copy_field(keys[nkeys].group, sizeof(keys[nkeys].group), group);
	copy_field(keys[nkeys].key, sizeof(keys[nkeys].key), key);
	return &keys[nkeys++];
}

/* Is this case covered by the known-failures list? Entries name a group,
 * an opcode key, or "env:NAME". */
static struct known *known_for(const struct tcase *t)
{
	for (int i = 0; i < nknown; i++) {
		const char *w = known[i].what;
		if (!strcmp(w, t->group) || !strcmp(w, t->key) ||
		    (!strncmp(w, "env:", 4) && !strcmp(w + 4, t->env)))
			return &known[i];
	}
	return NULL;
}

static int load_known(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (nknown == MAX_KNOWN)
			break;
		struct known *k = &known[nknown++];
		size_t n = strcspn(p, " \t\n");
		snprintf(k->what, sizeof(k->what), "%.*s", (int)n, p);
		p += n;
		while (isspace((unsigned char)*p))
			p++;
		p[strcspn(p, "\n")] = 0;
		snprintf(k->reason, sizeof(k->reason), "%s", p);
		if (!k->reason[0]) {
			fprintf(stderr, "%s: entry '%s' has no reason\n", path, k->what);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void usage(void)
{
	fprintf(stderr, "usage: run_corpus [--data DIR] [--known FILE] [--model NAME] [--group G]\n"
		"                  [--key OPCODE] [--env NAME] [--id N] [--show N] [--limit N]\n"
		"                  [--crash-at ID] [-v]\n");
}

int main(int argc, char **argv)
{
	const char *data = "tests/conformance/data";
	const char *known_path = NULL;
	const char *only_group = NULL, *only_key = NULL, *only_env = NULL, *only_id = NULL;
	long limit = -1;
	enum cpu_model model = CPU_P6;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-v")) {
			verbose = 1;
			continue;
		}
		if (!v) {
			usage();
			return 2;
		}
		if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--known"))
			known_path = v;
		else if (!strcmp(a, "--group"))
			only_group = v;
		else if (!strcmp(a, "--key"))
			only_key = v;
		else if (!strcmp(a, "--env"))
			only_env = v;
		else if (!strcmp(a, "--id"))
			only_id = v;
		else if (!strcmp(a, "--show"))
			show_max = atoi(v);
		else if (!strcmp(a, "--limit"))
			limit = atol(v);
		else if (!strcmp(a, "--crash-at"))
			crash_at = atol(v);
		else if (!strcmp(a, "--model")) {
			if (cpu_model_parse(v, &model)) {
				fprintf(stderr, "unknown model %s\n", v);
				return 2;
			}
		} else {
			usage();
			return 2;
		}
		i++;
	}
	if (known_path && load_known(known_path)) {
		fprintf(stderr, "cannot read %s\n", known_path);
		return 2;
	}

	DIR *dir = opendir(data);
	if (!dir) {
		fprintf(stderr, "cannot open corpus directory %s: %s\n", data, strerror(errno));
		return 2;
	}
	char *names[256];
	int nnames = 0;
	struct dirent *de;
	while ((de = readdir(dir)) && nnames < 256) {
		size_t n = strlen(de->d_name);
		if (n > 7 && !strcmp(de->d_name + n - 7, ".txt.gz"))
			names[nnames++] = strdup(de->d_name);
	}
	closedir(dir);
	if (!nnames) {
		fprintf(stderr, "no corpus files (*.txt.gz) in %s\n", data);
		return 2;
	}
	qsort(names, (size_t)nnames, sizeof(names[0]), cmp_names);

	static struct machine mc;
	install_crash_guard();
	if (machine_init(&mc, model)) {
		fprintf(stderr, "cannot create the machine\n");
		return 2;
	}
	char *line = malloc(LINE_MAX_BYTES);
	static struct tcase t;
	long passed = 0, failed = 0, known_failed = 0, malformed = 0, crashes = 0;
	for (int fi = 0; fi < nnames && limit != 0; fi++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", data, names[fi]);
		gzFile gz = gzopen(path, "rb");
		if (!gz) {
			fprintf(stderr, "cannot open %s\n", path);
			return 2;
		}
		gzbuffer(gz, 1 << 17);
		while (gzgets(gz, line, (int)LINE_MAX_BYTES) && limit != 0) {
			size_t n = strlen(line);
			if (n == LINE_MAX_BYTES - 1 && line[n - 1] != '\n') {
				fprintf(stderr, "%s: line too long\n", path);
				return 2;
			}
			if (line[0] == 'E') {
				if (parse_env(line)) {
					fprintf(stderr, "%s: bad E line\n", path);
					return 2;
				}
				continue;
			}
			if (line[0] == 'B') {
				if (parse_block(line)) {
					fprintf(stderr, "%s: bad B line\n", path);
					return 2;
				}
				continue;
			}
			if (line[0] != 'C')
				continue;
			if (parse_case(line, &t)) {
				malformed++;
				continue;
			}
			if ((only_group && strcmp(only_group, t.group)) ||
			    (only_key && strcmp(only_key, t.key)) || (only_env && strcmp(only_env, t.env)) ||
			    (only_id && strcmp(only_id, t.id)))
				continue;
			if (limit > 0)
				limit--;
			static struct diff d;
			memset(&d, 0, sizeof(d));
			int sig = run_guarded(&mc, &t, &d);
			if (sig) {
				diff_add(&d, "  host crash: signal %d while running this case (machine rebuilt)\n",
					 sig);
				fprintf(stderr, "run_corpus: signal %d in case %s [%s %s]\n", sig, t.id,
					t.group, t.key);
				/* Replace the machine: its state is not trusted. */
				machine_fini(&mc);
				if (++crashes > 100 || machine_init(&mc, model)) {
					fprintf(stderr, "run_corpus: too many host crashes, giving up\n");
					return 1;
				}
			}
			struct group_stat *g = group_of(t.group);
			struct key_stat *k = key_of(t.group, t.key);
			if (!d.count) {
				passed++;
				g->pass++;
				k->pass++;
				continue;
			}
			failed++;
			k->fail++;
			struct known *kn = known_for(&t);
			if (kn) {
				kn->hits++;
				known_failed++;
				g->known_fail++;
			} else {
				g->fail++;
			}
			if (g->shown < show_max || verbose) {
				g->shown++;
				printf("FAIL %s [%s %s %s %s] bytes", t.id, t.group, t.key, t.env, t.cpl);
				for (int b = 0; b < t.insn_len; b++)
					printf(" %02x", t.insn[b]);
				printf(" at %04x:%08x%s\n%s", t.seg_in[1].sel, t.init[8],
				       kn ? " (known failure)" : "", d.text);
				if (t.vector >= 0)
					printf("  (reference delivered vector %d)\n", t.vector);
			}
		}
		gzclose(gz);
	}

	printf("\n%-10s %9s %9s %9s\n", "group", "passed", "failed", "known");
	for (int i = 0; i < ngroups; i++) {
		const struct group_stat *g = &groups[i];
		printf("%-10s %9ld %9ld %9ld", g->name, g->pass, g->fail, g->known_fail);
		int listed = 0;
		for (int k = 0; k < nkeys; k++) {
			if (strcmp(keys[k].group, g->name) || !keys[k].fail)
				continue;
			if (listed++ == 0)
				printf("   failing:");
			if (listed <= 12)
				printf(" %s(%ld/%ld)", keys[k].key, keys[k].fail, keys[k].fail + keys[k].pass);
		}
		if (listed > 12)
			printf(" +%d more", listed - 12);
		printf("\n");
	}
	for (int i = 0; i < nknown; i++)
		if (!known[i].hits)
			printf("note: known-failure entry '%s' matched no failing case: remove it\n",
			       known[i].what);
	if (malformed)
		printf("warning: %ld malformed case lines\n", malformed);
	if (crashes)
		printf("warning: the host crashed in %ld cases (counted as failed)\n", crashes);
	printf("%ld known failures (listed in the known-failures file), %ld unexpected\n",
	       known_failed, failed - known_failed);
	printf("%ld passed, %ld failed\n", passed, failed);
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(line);
	machine_fini(&mc);
	return (failed - known_failed) || malformed || crashes || passed + failed == 0 ? 1 : 0;
}
