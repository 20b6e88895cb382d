/* harness.c - see harness.h. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "fastpath.h"

uint8_t h_ram[H_RAM_SIZE];
/* The MMU's fast tables as the system half's fast paths see them
 * (sys_fast.h): every page of h_ram in every table, linear == physical,
 * except the pages h_unmap_page() took away, so that those paths run here
 * too and meet the same #PF as the general path's accessors below. */
static struct mmu_fast h_fast;
static uint8_t h_absent[H_RAM_SIZE >> 12];
volatile int h_exc = -1, h_exc_has_err;
volatile uint32_t h_exc_err;
int h_cr0_calls, h_cr3_calls, h_cr4_calls, h_invlpg_calls, h_code_changed;
uint32_t h_mmu_cr3, h_mmu_cr4, h_invlpg_lin, h_tr[8];

/* ---- the core half's side of the contract */

_Noreturn void cpu_raise(struct cpu *c, int vector, int has_err, uint32_t err)
{
	h_exc = vector;
	h_exc_has_err = has_err;
	h_exc_err = err;
	c->s.eip = c->insn_eip;
	longjmp(c->jmp, 1);
}

_Noreturn void cpu_raise_pf(struct cpu *c)
{
	cpu_raise(c, EX_PF, 1, 0);
}

uint64_t cpu_retired(const struct cpu *c)
{
	return c->insns;   /* no run loop here: the count is always exact */
}

uint32_t cpu_get_eflags(struct cpu *c)
{
	return c->s.eflags | 2u;
}

void cpu_set_eflags(struct cpu *c, uint32_t val, uint32_t mask)
{
	mask &= sys_eflags_mask(c);   /* as the core's: the model's bits only */
	c->s.eflags = (c->s.eflags & ~mask) | (val & mask) | 2u;
}

/* Linear == physical here; absent pages and addresses past the RAM raise
 * #PF with CR2 set (error code: P=0, W/R, U/S). */
static void h_check(struct cpu *c, uint32_t lin, int size, int write, int user)
{
	for (uint32_t a = lin; a != lin + (uint32_t)size; a++) {
		if (a >= H_RAM_SIZE || h_absent[a >> 12]) {
			c->s.cr2 = a;
			cpu_raise(c, EX_PF, 1, (write ? 2u : 0u) | (user ? 4u : 0u));
		}
	}
}

uint32_t cpu_read_lin(struct cpu *c, uint32_t lin, int size, int user)
{
	h_check(c, lin, size, 0, user);
	return h_rd(lin, size);
}

void cpu_write_lin(struct cpu *c, uint32_t lin, int size, int user, uint32_t val)
{
	h_check(c, lin, size, 1, user);
	h_wr(lin, size, val);
}

uint32_t cpu_read_lin_sys(struct cpu *c, uint32_t lin, int size)
{
	return cpu_read_lin(c, lin, size, 0);
}

void cpu_write_lin_sys(struct cpu *c, uint32_t lin, int size, uint32_t val)
{
	cpu_write_lin(c, lin, size, 0, val);
}

void cpu_code_changed(struct cpu *c)
{
	(void)c;
	h_code_changed++;
}

/* ---- the MMU's side */

void mmu_set_cr0(struct mmu *m, uint32_t cr0) { (void)m; (void)cr0; h_cr0_calls++; }
void mmu_set_cr3(struct mmu *m, uint32_t cr3) { (void)m; h_mmu_cr3 = cr3; h_cr3_calls++; }
void mmu_set_cr4(struct mmu *m, uint32_t cr4) { (void)m; h_mmu_cr4 = cr4; h_cr4_calls++; }
void mmu_invlpg(struct mmu *m, uint32_t lin) { (void)m; h_invlpg_lin = lin; h_invlpg_calls++; }
void mmu_flush(struct mmu *m, enum tlb_flush_cause cause) { (void)m; (void)cause; }
void mmu_tr_write(struct mmu *m, int tr, uint32_t val) { (void)m; h_tr[tr & 7] = val; }
uint32_t mmu_tr_read(const struct mmu *m, int tr) { (void)m; return h_tr[tr & 7] ^ 0x80000000u; }

/* ---- helpers */

uint32_t h_rd(uint32_t a, int size)
{
	uint32_t v = 0;
	for (int i = size - 1; i >= 0; i--)
		v = (v << 8) | h_ram[(a + (uint32_t)i) % H_RAM_SIZE];
	return v;
}

void h_wr(uint32_t a, int size, uint32_t v)
{
	for (int i = 0; i < size; i++, v >>= 8)
		h_ram[(a + (uint32_t)i) % H_RAM_SIZE] = (uint8_t)v;
}

void h_unmap_page(uint32_t lin)
{
	uint32_t pg = (lin >> 12) % (H_RAM_SIZE >> 12);

	h_absent[pg] = 1;
	for (int w = 0; w < 2; w++)
		for (int u = 0; u < 2; u++)
			h_fast.t[w][u][pg % MMU_FAST_SIZE].tag = MMU_FAST_INVALID;
}

void h_fast_evict(uint32_t lin)
{
	for (int w = 0; w < 2; w++)
		for (int u = 0; u < 2; u++)
			h_fast.t[w][u][(lin >> 12) % MMU_FAST_SIZE].tag = MMU_FAST_INVALID;
}

uint64_t h_fast_hits(void)
{
	uint64_t n = 0;

	for (int w = 0; w < 2; w++)
		for (int u = 0; u < 2; u++)
			for (uint32_t i = 0; i < MMU_FAST_SIZE; i++)
				n += h_fast.t[w][u][i].hits;
	return n;
}

static void h_fast_fill(void)
{
	_Static_assert(H_RAM_SIZE >> 12 <= MMU_FAST_SIZE, "one fast entry per page of h_ram");
	memset(&h_fast, 0, sizeof h_fast);
	for (int w = 0; w < 2; w++)
		for (int u = 0; u < 2; u++)
			for (uint32_t i = 0; i < MMU_FAST_SIZE; i++) {
				struct mmu_fast_entry *e = &h_fast.t[w][u][i];
				e->tag = i < (H_RAM_SIZE >> 12) ? i << 12 : MMU_FAST_INVALID;
				e->addend = (uintptr_t)h_ram;
			}
}

struct cpu *h_new(enum cpu_model m)
{
	struct cpu *c = calloc(1, sizeof *c);

	memset(h_ram, 0, sizeof h_ram);
	memset(h_absent, 0, sizeof h_absent);
	h_fast_fill();
	h_exc = -1;
	h_cr0_calls = h_cr3_calls = h_cr4_calls = h_invlpg_calls = h_code_changed = 0;
	c->model = m;
	c->mmu = (struct mmu *)(void *)&h_fast;
	c->first_exc = -1;
	c->s.eflags = 2;
	c->s.cr0 = m >= CPU_486 ? CR0_ET : 0;
	c->s.idtr_limit = 0x3FF;
	for (int i = 0; i < 6; i++) {
		c->s.seg[i].limit = 0xFFFF;
		c->s.seg[i].flags = SEGF_P | SEGF_S | ((i == S_CS ? 0xBu : 0x3u) << 8);
	}
	c->s.gpr[R_ESP] = 0x7000;
	return c;
}

void h_free(struct cpu *c)
{
	free(c);
}

void h_desc(uint32_t table, int index, uint32_t base, uint32_t limit, uint32_t type, int s,
	    int dpl, int p, int db, int g)
{
	uint32_t lo = (limit & 0xFFFF) | (base << 16);
	uint32_t hi = ((base >> 16) & 0xFF) | (type << 8) | ((uint32_t)s << 12) |
		      ((uint32_t)dpl << 13) | ((uint32_t)p << 15) | (limit & 0xF0000u) |
		      ((uint32_t)db << 22) | ((uint32_t)g << 23) | (base & 0xFF000000u);
	h_wr(table + 8 * (uint32_t)index, 4, lo);
	h_wr(table + 8 * (uint32_t)index + 4, 4, hi);
}

void h_gate(uint32_t table, int index, uint32_t type, uint16_t sel, uint32_t off, int dpl,
	    int params, int p)
{
	uint32_t lo = (off & 0xFFFF) | ((uint32_t)sel << 16);
	uint32_t hi = (off & 0xFFFF0000u) | (type << 8) | ((uint32_t)dpl << 13) |
		      ((uint32_t)p << 15) | ((uint32_t)params & 0x1F);
	h_wr(table + 8 * (uint32_t)index, 4, lo);
	h_wr(table + 8 * (uint32_t)index + 4, 4, hi);
}

/* GDT: 1 code0, 2 data0, 3 code3, 4 data3 (flat 4 GiB), 5 TSS A, 6 TSS B
 * (32-bit, limit 0x67 + bitmap room), 7 LDT (4 entries at H_LDT), 8 code1,
 * 9 data1. IDT empty (limit 0x7FF). TSS A: SS0:ESP0 = 0x10:H_STK0,
 * SS1:ESP1 = 0x49:H_STK1. TR = TSS A (busy). CPL 0, flat segments. */
void h_pmode(struct cpu *c)
{
	h_desc(H_GDT, 1, 0, 0xFFFFF, 0xA, 1, 0, 1, 1, 1);
	h_desc(H_GDT, 2, 0, 0xFFFFF, 0x2, 1, 0, 1, 1, 1);
	h_desc(H_GDT, 3, 0, 0xFFFFF, 0xA, 1, 3, 1, 1, 1);
	h_desc(H_GDT, 4, 0, 0xFFFFF, 0x2, 1, 3, 1, 1, 1);
	h_desc(H_GDT, 5, H_TSS_A, 0x67 + 0x20, SYS_TSS32_BUSY, 0, 0, 1, 0, 0);
	h_desc(H_GDT, 6, H_TSS_B, 0x67, SYS_TSS32_AVAIL, 0, 0, 1, 0, 0);
	h_desc(H_GDT, 7, H_LDT, 0x1F, SYS_LDT, 0, 0, 1, 0, 0);
	h_desc(H_GDT, 8, 0, 0xFFFFF, 0xA, 1, 1, 1, 1, 1);
	h_desc(H_GDT, 9, 0, 0xFFFFF, 0x2, 1, 1, 1, 1, 1);
	c->s.gdtr_base = H_GDT;
	c->s.gdtr_limit = 0xFF;  /* 32 descriptors */
	c->s.idtr_base = H_IDT;
	c->s.idtr_limit = 0x7FF;
	h_wr(H_TSS_A + 4, 4, H_STK0);
	h_wr(H_TSS_A + 8, 2, SEL_DATA0);
	h_wr(H_TSS_A + 12, 4, H_STK1);
	h_wr(H_TSS_A + 16, 2, SEL_DATA1);
	h_wr(H_TSS_A + 0x66, 2, 0x68);  /* I/O bitmap right after the TSS */
	c->s.cr0 |= CR0_PE;
	c->cpl = 0;
	desc_to_cache((struct desc){ h_rd(H_GDT + 8, 4), h_rd(H_GDT + 12, 4) }, SEL_CODE0,
		      &c->s.seg[S_CS]);
	for (int r = 0; r < 6; r++) {
		if (r != S_CS)
			desc_to_cache((struct desc){ h_rd(H_GDT + 16, 4), h_rd(H_GDT + 20, 4) },
				      SEL_DATA0, &c->s.seg[r]);
	}
	desc_to_cache((struct desc){ h_rd(H_GDT + 40, 4), h_rd(H_GDT + 44, 4) }, SEL_TSS_A,
		      &c->s.seg[S_TR]);
	seg_cache_null(&c->s.seg[S_LDTR], 0);
	c->s.gpr[R_ESP] = 0x7000;
	c->s.eip = 0x1234;
	c->insn_eip = 0x1234;
}

void h_ring3(struct cpu *c)
{
	desc_to_cache((struct desc){ h_rd(H_GDT + 24, 4), h_rd(H_GDT + 28, 4) }, SEL_CODE3,
		      &c->s.seg[S_CS]);
	for (int r = 0; r < 6; r++) {
		if (r != S_CS)
			desc_to_cache((struct desc){ h_rd(H_GDT + 32, 4), h_rd(H_GDT + 36, 4) },
				      SEL_DATA3, &c->s.seg[r]);
	}
	c->cpl = 3;
	c->s.gpr[R_ESP] = H_STK3;
}

void h_deliver_loop(struct cpu *c, int vec, int has_err, uint32_t err)
{
	volatile int v = vec, he = has_err;
	volatile uint32_t e = err;

	for (int i = 0; i < 8 && !c->shutdown; i++) {
		if (setjmp(c->jmp) == 0) {
			cpu_deliver(c, v, he, e);
			return;
		}
		v = h_exc;
		he = h_exc_has_err;
		e = h_exc_err;
	}
}
