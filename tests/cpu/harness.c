/* harness.c - see harness.h. */
#include <string.h>
#include <criterion/criterion.h>
#include "harness.h"
#include "core.h"   /* decode_generic_only */

void tm_init(struct tm *t, enum cpu_model m) { tm_init_fast(t, m, 1); }

void tm_init_fast(struct tm *t, enum cpu_model m, int fast_path)
{
	struct mmu_config cfg;
	memset(t, 0, sizeof *t);
	t->bus = bus_create(16u << 20);
	cr_assert(t->bus);
	cpu_model_mmu_config(m, &cfg);
	cfg.fast_path = fast_path;
	t->mmu = mmu_create(t->bus, &cfg);
	cr_assert(t->mmu);
	t->cpu = cpu_create(m, t->bus, t->mmu);
	cr_assert(t->cpu);
	/* HLT stubs for every vector. */
	uint8_t hlt[256 * 8];
	memset(hlt, 0xF4, sizeof hlt);
	tm_poke(t, STUB_ADDR, hlt, sizeof hlt);
	cpu_get_state(t->cpu, &t->s);
}

void tm_fini(struct tm *t)
{
	cpu_destroy(t->cpu);
	mmu_destroy(t->mmu);
	bus_destroy(t->bus);
}

void tm_poke(struct tm *t, uint32_t addr, const void *b, size_t n)
{
	bus_write_block(t->bus, addr, b, (uint32_t)n);
}

uint32_t tm_rd(struct tm *t, uint32_t addr, int size) { return bus_read(t->bus, addr, size); }
void tm_wr(struct tm *t, uint32_t addr, int size, uint32_t v) { bus_write(t->bus, addr, size, v); }

static void seg(struct seg_cache *s, uint16_t sel, uint32_t base, uint32_t limit, uint32_t flags)
{
	s->sel = sel;
	s->base = base;
	s->limit = limit;
	s->flags = flags;
}

void tm_real(struct tm *t)
{
	struct cpu_state *s = &t->s;
	cpu_reset(t->cpu);
	cpu_get_state(t->cpu, s);
	for (int n = 0; n < 6; n++)
		seg(&s->seg[n], 0, 0, 0xFFFF, 0x9300);
	seg(&s->seg[S_CS], 0, 0, 0xFFFF, 0x9B00);
	s->eip = CODE_ADDR;
	s->gpr[R_ESP] = STACK_TOP;
	s->gpr[R_EDX] = 0;
	s->cr0 = 0x60000010u & ~(CR0_CD | CR0_NW);
	s->idtr_base = 0;
	s->idtr_limit = 0x3FF;
	for (int v = 0; v < 256; v++)
		tm_wr(t, (uint32_t)v * 4, 4, (0x0300u << 16) | (uint32_t)(v * 8));
	tm_set(t);
}

static void put_desc(struct tm *t, uint16_t sel, uint32_t base, uint32_t limit, uint32_t access,
		     uint32_t flags4)
{
	uint32_t lo = (limit & 0xFFFF) | (base << 16);
	uint32_t hi = ((base >> 16) & 0xFF) | (access << 8) | (limit & 0xF0000) | (flags4 << 20) |
		      (base & 0xFF000000u);
	tm_wr(t, GDT_ADDR + sel, 4, lo);
	tm_wr(t, GDT_ADDR + sel + 4, 4, hi);
}

void tm_pm32(struct tm *t)
{
	struct cpu_state *s = &t->s;
	cpu_reset(t->cpu);
	cpu_get_state(t->cpu, s);
	put_desc(t, 0, 0, 0, 0, 0);
	put_desc(t, SEL_CODE32, 0, 0xFFFFF, 0x9B, 0xC);
	put_desc(t, SEL_DATA32, 0, 0xFFFFF, 0x93, 0xC);
	put_desc(t, SEL_CODE16, 0, 0xFFFF, 0x9B, 0x0);
	put_desc(t, SEL_DATA16, 0, 0xFFFF, 0x93, 0x0);
	put_desc(t, SEL_RODATA, DATA_ADDR, 0xFFF, 0x91, 0x4);
	put_desc(t, SEL_XONLY, 0, 0xFFFFF, 0x99, 0xC);
	put_desc(t, SEL_EXPDN, DATA_ADDR, 0x0FFF, 0x97, 0x4);
	put_desc(t, SEL_UCODE & ~3, 0, 0xFFFFF, 0xFB, 0xC);
	put_desc(t, SEL_UDATA & ~3, 0, 0xFFFFF, 0xF3, 0xC);
	put_desc(t, SEL_TSS, TSS_ADDR, 0x67, 0x8B, 0x0);
	tm_wr(t, TSS_ADDR + 4, 4, STACK0);        /* ESP0 */
	tm_wr(t, TSS_ADDR + 8, 4, SEL_DATA32);    /* SS0 */
	tm_wr(t, TSS_ADDR + 0x66, 2, 0x68);       /* I/O map base past the limit: no bitmap */
	for (int v = 0; v < 256; v++) {
		uint32_t off = STUB_ADDR + (uint32_t)v * 8;
		tm_wr(t, IDT_ADDR + (uint32_t)v * 8, 4, (SEL_CODE32 << 16) | (off & 0xFFFF));
		tm_wr(t, IDT_ADDR + (uint32_t)v * 8 + 4, 4, (off & 0xFFFF0000u) | 0x8E00);
	}
	s->cr0 = 0x60000010u | CR0_PE;
	s->gdtr_base = GDT_ADDR;
	s->gdtr_limit = 0x57;
	s->idtr_base = IDT_ADDR;
	s->idtr_limit = 0x7FF;
	seg(&s->seg[S_CS], SEL_CODE32, 0, 0xFFFFFFFFu, 0xCF9B00);
	for (int n = 0; n < 6; n++)
		if (n != S_CS)
			seg(&s->seg[n], SEL_DATA32, 0, 0xFFFFFFFFu, 0xCF9300);
	seg(&s->seg[S_TR], SEL_TSS, TSS_ADDR, 0x67, 0x8B00);
	s->eip = CODE_ADDR;
	s->gpr[R_ESP] = STACK_TOP;
	s->gpr[R_EDX] = 0;
	tm_set(t);
}

void tm_ring3(struct tm *t, int iopl)
{
	struct cpu_state *s = &t->s;
	tm_pm32(t);
	seg(&s->seg[S_CS], SEL_UCODE, 0, 0xFFFFFFFFu, 0xCFFB00);
	for (int n = 0; n < 6; n++)
		if (n != S_CS)
			seg(&s->seg[n], SEL_UDATA, 0, 0xFFFFFFFFu, 0xCFF300);
	s->eflags = 2 | ((uint32_t)iopl << 12);
	tm_set(t);
}

void tm_set(struct tm *t) { cpu_set_state(t->cpu, &t->s); }

void tm_code(struct tm *t, const uint8_t *b, size_t n) { tm_poke(t, CODE_ADDR, b, n); }

enum cpu_stop tm_run(struct tm *t, uint64_t n)
{
	enum cpu_stop r = cpu_run(t->cpu, n);
	cpu_get_state(t->cpu, &t->s);
	return r;
}

int tm_vector(struct tm *t)
{
	uint32_t lin = t->s.seg[S_CS].base + t->s.eip - 1;
	if (lin < STUB_ADDR || lin >= STUB_ADDR + 256 * 8 || (lin - STUB_ADDR) % 8)
		return -1;
	return (int)((lin - STUB_ADDR) / 8);
}

enum cpu_stop tm_exec(struct tm *t, const uint8_t *b, size_t n)
{
	tm_code(t, b, n);
	return tm_run(t, 100000);
}

void tm_map_probe_pages(struct tm *t, uint32_t pd, uint32_t pt)
{
	tm_wr(t, pd, 4, pt | 7);
	for (uint32_t k = 0; k < 1024; k++) {
		uint32_t pte = (k << 12) | 7;
		if (k == 0x20)
			pte = 0;
		else if (k == 0x21)
			pte = (k << 12) | 5;
		else if (k == 0x22)
			pte = (k << 12) | 3;
		tm_wr(t, pt + 4 * k, 4, pte);
	}
}

void tm_pair_init(struct tm *spec, struct tm *gen, enum cpu_model m, uint32_t pd, uint32_t pt)
{
	decode_generic_only = 0;
	tm_init(spec, m);
	tm_init(gen, m);
	tm_map_probe_pages(spec, pd, pt);
	tm_map_probe_pages(gen, pd, pt);
}

void tm_pair_fini(struct tm *spec, struct tm *gen)
{
	decode_generic_only = 0;
	tm_fini(spec);
	tm_fini(gen);
}

void tm_enter(struct tm *t, enum tm_mode m, uint32_t pd, const uint32_t gpr[8])
{
	if (m == TM_REAL)
		tm_real(t);
	else if (m == TM_PM3)
		tm_ring3(t, 0);
	else
		tm_pm32(t);
	if (m != TM_REAL) {
		t->s.cr3 = pd;
		t->s.cr0 |= CR0_PG;
	}
	memcpy(t->s.gpr, gpr, 8 * sizeof gpr[0]);
}
