/* The fast paths of protected-mode delivery and IRET (intr_fast.c) on the
 * harness, against the general paths: each case runs once with the fast
 * paths on and once with sys_fast_off set, from the same state, and the
 * two must end with the same exception (vector, error code), CPU state,
 * CPL, memory and code-change notices. The harness's stand-in fast tables
 * (harness.c) count hits only for the fast paths, which tells whether a
 * case took one: the common cases must (with the number of accesses the
 * general path makes), the unusual ones must decline and leave the
 * counts alone. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "sys_fast.h"
#include "harness.h"

enum action { A_SOFT, A_EXC, A_EXT, A_IRET };

struct icase {
	const char *name;
	int ring3;                  /* start at CPL 3 (h_ring3) */
	enum action act;
	int vec, has_err;
	uint32_t err;
	void (*setup)(struct cpu *c);
	int hits;                   /* fast-path hits expected (0: declines) */
};

struct outcome {
	int exc, has_err;
	uint32_t err;
	struct cpu_state s;
	int cpl, code_changed;
	uint8_t *ram;
};

/* Descriptors as the fast paths want them (accessed); the harness's own
 * GDT has them clear. */
static void gdt_accessed(void)
{
	h_desc(H_GDT, 1, 0, 0xFFFFF, 0xB, 1, 0, 1, 1, 1);
	h_desc(H_GDT, 2, 0, 0xFFFFF, 0x3, 1, 0, 1, 1, 1);
	h_desc(H_GDT, 3, 0, 0xFFFFF, 0xB, 1, 3, 1, 1, 1);
	h_desc(H_GDT, 4, 0, 0xFFFFF, 0x3, 1, 3, 1, 1, 1);
}

static void run(const struct icase *k, int off, struct outcome *o)
{
	struct cpu *c = h_new(CPU_P6);

	h_pmode(c);
	gdt_accessed();
	for (int v = 0; v < 256; v++)
		h_gate(H_IDT, v, v & 1 ? SYS_TRAPGATE32 : SYS_INTGATE32, SEL_CODE0,
		       0x4000 + 16 * (uint32_t)v, 3, 0, 1);
	c->s.eflags = 0x8D7 | FL_IF;
	if (k->ring3)
		h_ring3(c);
	if (k->setup)
		k->setup(c);
	h_code_changed = 0;
	sys_fast_off = off;
	switch (k->act) {
	case A_SOFT:
		H_TRY(c, cpu_soft_int(c, k->vec, INTR_SOFTWARE, 0x1240));
		break;
	case A_EXC:
		H_TRY(c, h_deliver_loop(c, k->vec, k->has_err, k->err));
		break;
	case A_EXT:
		H_TRY(c, cpu_deliver_external(c, k->vec, INTR_EXTERNAL));
		break;
	case A_IRET:
		H_TRY(c, cpu_iret(c, 32));
		break;
	}
	sys_fast_off = 0;
	o->exc = h_exc;
	o->has_err = h_exc_has_err;
	o->err = h_exc_err;
	o->s = c->s;
	o->cpl = c->cpl;
	o->code_changed = h_code_changed;
	o->ram = malloc(H_RAM_SIZE);
	cr_assert(o->ram);
	memcpy(o->ram, h_ram, H_RAM_SIZE);
	cr_assert_eq(h_fast_hits(), off ? 0u : (uint64_t)k->hits, "%s: %d fast-path hits",
		     k->name, (int)h_fast_hits());
	h_free(c);
}

static void check(const struct icase *k)
{
	struct outcome f, g;

	run(k, 0, &f);
	run(k, 1, &g);
	cr_assert_eq(f.exc, g.exc, "%s: exception", k->name);
	cr_assert(f.has_err == g.has_err && f.err == g.err, "%s: error code", k->name);
	for (int r = 0; r < 8; r++)
		cr_assert_eq(f.s.gpr[r], g.s.gpr[r], "%s: gpr %d", k->name, r);
	cr_assert_eq(f.s.eip, g.s.eip, "%s: eip", k->name);
	cr_assert_eq(f.s.eflags, g.s.eflags, "%s: eflags", k->name);
	for (int r = 0; r < S_COUNT; r++)
		cr_assert(f.s.seg[r].sel == g.s.seg[r].sel && f.s.seg[r].base == g.s.seg[r].base &&
			  f.s.seg[r].limit == g.s.seg[r].limit &&
			  f.s.seg[r].flags == g.s.seg[r].flags, "%s: segment %d", k->name, r);
	cr_assert_eq(f.s.cr2, g.s.cr2, "%s: cr2", k->name);
	cr_assert_eq(f.cpl, g.cpl, "%s: cpl", k->name);
	cr_assert_eq(f.code_changed, g.code_changed, "%s: code changes", k->name);
	cr_assert(memcmp(f.ram, g.ram, H_RAM_SIZE) == 0, "%s: memory", k->name);
	free(f.ram);
	free(g.ram);
}

/* ---- set-ups */

/* An IRET frame at ESP 0x6FE0 (same level): EIP 0x2345, CS 08, EFLAGS
 * with every arithmetic flag, DF and AC. */
static void frame_same(struct cpu *c)
{
	c->s.gpr[R_ESP] = 0x6FE0;
	h_wr(0x6FE0, 4, 0x2345);
	h_wr(0x6FE4, 4, SEL_CODE0);
	h_wr(0x6FE8, 4, 0x40ED7 | FL_IF | (3u << 12));
}
/* To ring 3: SS:ESP 23:8000 follow; DS stays kernel data (nulled). */
static void frame_outer(struct cpu *c)
{
	frame_same(c);
	h_wr(0x6FE4, 4, SEL_CODE3);
	h_wr(0x6FEC, 4, H_STK3);
	h_wr(0x6FF0, 4, SEL_DATA3);
}
static void frame_cs(struct cpu *c, uint16_t cs)
{
	frame_same(c);
	h_wr(0x6FE4, 4, cs);
}
static void frame_cs_far(struct cpu *c) { frame_cs(c, 0x7F8); }           /* beyond the GDT */
static void frame_cs_null(struct cpu *c) { frame_cs(c, 0); }
static void frame_cs_ldt(struct cpu *c) { frame_cs(c, 0x0C); }            /* LDT selector */
static void frame_cs_data(struct cpu *c) { frame_cs(c, SEL_DATA0); }
static void frame_cs_np(struct cpu *c)
{
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xB, 1, 0, 0, 1, 1);
	frame_cs(c, 0x50);
}
static void frame_cs_conforming(struct cpu *c)
{
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xF, 1, 0, 1, 1, 1);
	frame_cs(c, 0x50);
}
static void frame_cs_unaccessed(struct cpu *c)
{
	h_desc(H_GDT, 1, 0, 0xFFFFF, 0xA, 1, 0, 1, 1, 1);
	frame_same(c);
}
static void frame_eip_limit(struct cpu *c)
{
	h_desc(H_GDT, 10, 0, 0x2000, 0xB, 1, 0, 1, 1, 0);
	frame_cs(c, 0x50);
}
static void frame_vm(struct cpu *c)
{
	frame_same(c);
	h_wr(0x6FE8, 4, 0x20002);
}
static void frame_tf(struct cpu *c)
{
	frame_same(c);
	h_wr(0x6FE8, 4, 0x302);
}
/* Every bit set in the image: the model's bits only are loaded, VIF and
 * VIP never, IOPL and IF by the privilege rules; not VM (v86 return). */
static void frame_all_bits(struct cpu *c)
{
	frame_same(c);
	h_wr(0x6FE8, 4, ~(uint32_t)FL_VM);
}
static void frame_outer_all_bits(struct cpu *c)
{
	frame_outer(c);
	h_wr(0x6FE8, 4, ~(uint32_t)FL_VM);
}
static void frame_outer_ss_np(struct cpu *c)
{
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0x3, 1, 3, 0, 1, 1);
	frame_outer(c);
	h_wr(0x6FF0, 4, 0x53);
}
static void frame_outer_ss_rpl(struct cpu *c)
{
	frame_outer(c);
	h_wr(0x6FF0, 4, SEL_DATA0);        /* RPL 0 for a return to 3 */
}
static void frame_outer_ss_16(struct cpu *c)
{
	h_desc(H_GDT, 10, 0, 0xFFFF, 0x3, 1, 3, 1, 0, 0);
	frame_outer(c);
	h_wr(0x6FF0, 4, 0x53);
}
static void frame_outer_ss_unaccessed(struct cpu *c)
{
	h_desc(H_GDT, 4, 0, 0xFFFFF, 0x2, 1, 3, 1, 1, 1);
	frame_outer(c);
}
static void frame_outer_across_page(struct cpu *c)
{
	/* EIP CS EFLAGS in one page, ESP SS in the next. */
	frame_outer(c);
	c->s.gpr[R_ESP] = 0x6FF4;
	h_wr(0x6FF4, 4, 0x2345);
	h_wr(0x6FF8, 4, SEL_CODE3);
	h_wr(0x6FFC, 4, 0x202);
	h_wr(0x7000, 4, H_STK3);
	h_wr(0x7004, 4, SEL_DATA3);
}
static void frame_outer_second_page_absent(struct cpu *c)
{
	frame_outer_across_page(c);
	h_unmap_page(0x7000);
}
static void frame_absent(struct cpu *c)
{
	frame_same(c);
	h_unmap_page(0x6000);
}
/* ESP so that the third push of a same-level frame is in the absent page
 * below (#PF during delivery). */
static void stack_third_push_absent(struct cpu *c)
{
	c->s.gpr[R_ESP] = 0x7008;
	h_unmap_page(0x6000);
}
static void stack_across_page(struct cpu *c) { c->s.gpr[R_ESP] = 0x7008; }
static void tss_stack_third_push_absent(struct cpu *c)
{
	(void)c;
	h_wr(H_TSS_A + 4, 4, 0x7008);
	h_unmap_page(0x6000);
}
static void idt_absent(struct cpu *c) { (void)c; h_unmap_page(H_IDT); }
static void gdt_absent_after(struct cpu *c) { (void)c; h_unmap_page(H_GDT); }
static void tss_absent(struct cpu *c) { (void)c; h_unmap_page(H_TSS_A); }
static void code_unaccessed(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 1, 0, 0xFFFFF, 0xA, 1, 0, 1, 1, 1);
}
static void ss0_unaccessed(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 2, 0, 0xFFFFF, 0x2, 1, 0, 1, 1, 1);
}
static void gate16(struct cpu *c)
{
	(void)c;
	h_gate(H_IDT, 0x40, SYS_INTGATE16, SEL_CODE0, 0x4000, 3, 0, 1);
}
static void gate_task(struct cpu *c)
{
	(void)c;
	h_gate(H_IDT, 0x40, SYS_TASKGATE, SEL_TSS_B, 0, 3, 0, 1);
}
static void gate_np(struct cpu *c)
{
	(void)c;
	h_gate(H_IDT, 0x40, SYS_INTGATE32, SEL_CODE0, 0x4000, 3, 0, 0);
}
static void gate_dpl0(struct cpu *c)
{
	(void)c;
	h_gate(H_IDT, 0x40, SYS_INTGATE32, SEL_CODE0, 0x4000, 0, 0, 1);
}
static void gate_conforming(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xF, 1, 0, 1, 1, 1);
	h_gate(H_IDT, 0x40, SYS_INTGATE32, 0x50, 0x4000, 3, 0, 1);
}
static void gate_ring1(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 8, 0, 0xFFFFF, 0xB, 1, 1, 1, 1, 1);
	h_desc(H_GDT, 9, 0, 0xFFFFF, 0x3, 1, 1, 1, 1, 1);
	h_gate(H_IDT, 0x40, SYS_INTGATE32, SEL_CODE1, 0x4000, 3, 0, 1);
}
static void gate_off_limit(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 10, 0, 0x3000, 0xB, 1, 0, 1, 1, 0);
	h_gate(H_IDT, 0x40, SYS_INTGATE32, 0x50, 0x4000, 3, 0, 1);
}
static void idt_limit(struct cpu *c) { c->s.idtr_limit = 0x1FF; }
static void tss16(struct cpu *c) { c->s.seg[S_TR].flags = (c->s.seg[S_TR].flags & ~0xF00u) | (SYS_TSS16_BUSY << 8); }
static void tss_short(struct cpu *c) { c->s.seg[S_TR].limit = 8; }
static void ss0_expand_down(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 2, 0, 0x0FFF, 0x7, 1, 0, 1, 1, 0);
}
static void ss0_ldt(struct cpu *c) { (void)c; h_wr(H_TSS_A + 8, 2, 0x14); }
static void stack16(struct cpu *c) { c->s.seg[S_SS].flags &= ~SEGF_DB; }
static void v86(struct cpu *c) { c->s.eflags |= FL_VM | (3u << 12); }
static void idt_evicted(struct cpu *c) { (void)c; h_fast_evict(H_IDT); }
static void gdt_evicted(struct cpu *c) { (void)c; h_fast_evict(H_GDT); }
static void idt_evicted_gate16(struct cpu *c) { gate16(c); h_fast_evict(H_IDT); }
static void idt_evicted_gate_np(struct cpu *c) { gate_np(c); h_fast_evict(H_IDT); }
static void idt_evicted_tss16(struct cpu *c) { tss16(c); h_fast_evict(H_IDT); }
static void gdt_evicted_conforming(struct cpu *c) { gate_conforming(c); h_fast_evict(H_GDT); }
static void gdt_evicted_code_np(struct cpu *c)
{
	(void)c;
	h_desc(H_GDT, 10, 0, 0xFFFFF, 0xB, 1, 0, 0, 1, 1);
	h_gate(H_IDT, 0x40, SYS_INTGATE32, 0x50, 0x4000, 3, 0, 1);
	h_fast_evict(H_GDT);
}
static void gdt_evicted_stack_absent(struct cpu *c)
{
	stack_third_push_absent(c);
	h_fast_evict(H_GDT);
}
static void gdt_evicted_frame_same(struct cpu *c) { frame_same(c); h_fast_evict(H_GDT); }
static void gdt_evicted_frame_outer(struct cpu *c) { frame_outer(c); h_fast_evict(H_GDT); }
static void gdt_evicted_frame_cs_np(struct cpu *c) { frame_cs_np(c); h_fast_evict(H_GDT); }
static void gdt_evicted_frame_conforming(struct cpu *c)
{
	frame_cs_conforming(c);
	h_fast_evict(H_GDT);
}
static void gdt_evicted_frame_eip_limit(struct cpu *c) { frame_eip_limit(c); h_fast_evict(H_GDT); }
static void gdt_evicted_outer_ss_np(struct cpu *c) { frame_outer_ss_np(c); h_fast_evict(H_GDT); }
static void gdt_evicted_outer_across(struct cpu *c)
{
	frame_outer_across_page(c);
	h_fast_evict(H_GDT);
}

Test(intrfast, common_cases_take_the_fast_path)
{
	static const struct icase ks[] = {
		/* gate 2 + code 2 + EFLAGS CS EIP (+ error code) */
		{ "INT n, same level", 0, A_SOFT, 0x40, 0, 0, NULL, 7 },
		{ "trap gate, same level", 0, A_SOFT, 0x41, 0, 0, NULL, 7 },
		{ "exception with error code", 0, A_EXC, EX_PF, 1, 0x6, NULL, 8 },
		{ "external interrupt", 0, A_EXT, 0x40, 0, 0, NULL, 7 },
		/* + TSS 2 + SS 2 + SS ESP */
		{ "INT n from ring 3", 1, A_SOFT, 0x40, 0, 0, NULL, 13 },
		{ "exception from ring 3", 1, A_EXC, EX_GP, 1, 0x18, NULL, 14 },
		{ "ring 1 from ring 3", 1, A_SOFT, 0x40, 0, 0, gate_ring1, 13 },
		{ "frame ending at a page start", 0, A_SOFT, 0x40, 0, 0, NULL, 7 },
		/* pops 3 + CS 2 (+ pops 2 + SS 2) */
		{ "IRET, same level", 0, A_IRET, 0, 0, 0, frame_same, 5 },
		{ "IRET to ring 3", 0, A_IRET, 0, 0, 0, frame_outer, 9 },
		{ "IRET with TF", 0, A_IRET, 0, 0, 0, frame_tf, 5 },
		{ "IRET, every EFLAGS bit", 0, A_IRET, 0, 0, 0, frame_all_bits, 5 },
		{ "IRET to ring 3, every EFLAGS bit", 0, A_IRET, 0, 0, 0, frame_outer_all_bits, 9 },
		{ "IRET at ring 3, every EFLAGS bit", 1, A_IRET, 0, 0, 0, frame_outer_all_bits, 5 },
	};
	for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++)
		check(&ks[i]);
}

Test(intrfast, reads_in_the_fast_tables_then_general_accesses)
{
	/* The gate and descriptors hit; what the fast tables do not have is
	 * accessed through the MMU in the general path's order. */
	static const struct icase ks[] = {
		/* gate 2 + code 2, the pushes general: EFLAGS and CS written,
		 * EIP's #PF; the #PF's delivery the same (4), its #PF makes
		 * a #DF (4), whose own #PF shuts down. */
		{ "third push in an absent page", 0, A_EXC, EX_GP, 1, 0, stack_third_push_absent, 12 },
		{ "frame across a page boundary", 0, A_SOFT, 0x40, 0, 0, stack_across_page, 4 },
		/* gate, code, TSS, SS: 8, then SS ESP written, #PF */
		{ "TSS stack, third push absent", 1, A_SOFT, 0x40, 0, 0, tss_stack_third_push_absent, 8 },
		/* the gate's 2, then the descriptor read's #PF */
		{ "GDT absent", 0, A_SOFT, 0x40, 0, 0, gdt_absent_after, 2 },
	};
	for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++)
		check(&ks[i]);
}

Test(intrfast, descriptor_tables_not_in_the_fast_tables)
{
	/* The gate or a descriptor misses the fast tables (not the page
	 * tables): it is read through the MMU where the general path reads
	 * it, and the rest goes on fast, or in the general path's next stage
	 * when the case is not the fast path's. */
	static const struct icase ks[] = {
		/* gate read general; code 2 + frame 3 */
		{ "gate missed", 0, A_SOFT, 0x40, 0, 0, idt_evicted, 5 },
		{ "gate missed, from ring 3", 1, A_SOFT, 0x40, 0, 0, idt_evicted, 11 },
		{ "gate missed, 16-bit gate", 0, A_SOFT, 0x40, 0, 0, idt_evicted_gate16, 0 },
		{ "gate missed, not present", 0, A_SOFT, 0x40, 0, 0, idt_evicted_gate_np, 0 },
		{ "gate missed, 16-bit TSS", 1, A_SOFT, 0x40, 0, 0, idt_evicted_tss16, 0 },
		/* gate 2 counted, then the descriptor read general; the GDT
		 * stays out of the fast tables here, so from ring 3 the stack
		 * segment's descriptor misses too: the general path's last
		 * stage then does the rest. */
		{ "descriptor missed", 0, A_SOFT, 0x40, 0, 0, gdt_evicted, 5 },
		{ "descriptor missed, from ring 3", 1, A_SOFT, 0x40, 0, 0, gdt_evicted, 2 },
		{ "descriptor missed, conforming", 1, A_SOFT, 0x40, 0, 0, gdt_evicted_conforming, 2 },
		{ "descriptor missed, not present", 0, A_EXT, 0x40, 0, 0, gdt_evicted_code_np, 2 },
		{ "descriptor missed, third push absent", 0, A_SOFT, 0x40, 0, 0,
		  gdt_evicted_stack_absent, 2 },
		/* pops 3, CS read general (then, outward, SS misses too) */
		{ "IRET, CS missed", 0, A_IRET, 0, 0, 0, gdt_evicted_frame_same, 3 },
		{ "IRET to ring 3, CS missed", 0, A_IRET, 0, 0, 0, gdt_evicted_frame_outer, 3 },
		{ "IRET, CS missed, not present", 0, A_IRET, 0, 0, 0, gdt_evicted_frame_cs_np, 3 },
		{ "IRET, CS missed, conforming", 0, A_IRET, 0, 0, 0, gdt_evicted_frame_conforming, 3 },
		{ "IRET, CS missed, EIP beyond the limit", 0, A_IRET, 0, 0, 0,
		  gdt_evicted_frame_eip_limit, 3 },
		{ "IRET to ring 3, CS missed, SS not present", 0, A_IRET, 0, 0, 0,
		  gdt_evicted_outer_ss_np, 3 },
		{ "IRET to ring 3, CS missed, frame across pages", 0, A_IRET, 0, 0, 0,
		  gdt_evicted_outer_across, 3 },
	};
	for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++)
		check(&ks[i]);
}

Test(intrfast, unusual_cases_decline)
{
	static const struct icase ks[] = {
		{ "IDT absent", 0, A_EXC, EX_PF, 1, 2, idt_absent, 0 },
		{ "TSS absent", 1, A_SOFT, 0x40, 0, 0, tss_absent, 0 },
		{ "code not accessed", 0, A_SOFT, 0x40, 0, 0, code_unaccessed, 0 },
		{ "SS0 not accessed", 1, A_SOFT, 0x40, 0, 0, ss0_unaccessed, 0 },
		{ "16-bit gate", 0, A_SOFT, 0x40, 0, 0, gate16, 0 },
		{ "task gate", 0, A_SOFT, 0x40, 0, 0, gate_task, 0 },
		{ "gate not present", 0, A_EXT, 0x40, 0, 0, gate_np, 0 },
		{ "gate DPL below CPL", 1, A_SOFT, 0x40, 0, 0, gate_dpl0, 0 },
		{ "gate DPL below CPL, external", 1, A_EXT, 0x40, 0, 0, gate_dpl0, 13 },
		{ "conforming target", 1, A_SOFT, 0x40, 0, 0, gate_conforming, 0 },
		{ "offset beyond the limit", 0, A_SOFT, 0x40, 0, 0, gate_off_limit, 0 },
		{ "IDT limit", 0, A_SOFT, 0x40, 0, 0, idt_limit, 0 },
		{ "16-bit TSS", 1, A_SOFT, 0x40, 0, 0, tss16, 0 },
		{ "TSS too short", 1, A_SOFT, 0x40, 0, 0, tss_short, 0 },
		{ "expand-down SS0", 1, A_SOFT, 0x40, 0, 0, ss0_expand_down, 0 },
		{ "SS0 in the LDT", 1, A_SOFT, 0x40, 0, 0, ss0_ldt, 0 },
		{ "16-bit stack", 0, A_SOFT, 0x40, 0, 0, stack16, 0 },
		{ "v86 mode", 0, A_EXC, EX_GP, 1, 0, v86, 0 },
		{ "IRET, CS beyond the GDT", 0, A_IRET, 0, 0, 0, frame_cs_far, 0 },
		{ "IRET, null CS", 0, A_IRET, 0, 0, 0, frame_cs_null, 0 },
		{ "IRET, LDT CS", 0, A_IRET, 0, 0, 0, frame_cs_ldt, 0 },
		{ "IRET, data CS", 0, A_IRET, 0, 0, 0, frame_cs_data, 0 },
		{ "IRET, CS not present", 0, A_IRET, 0, 0, 0, frame_cs_np, 0 },
		{ "IRET, conforming CS", 0, A_IRET, 0, 0, 0, frame_cs_conforming, 0 },
		{ "IRET, CS not accessed", 0, A_IRET, 0, 0, 0, frame_cs_unaccessed, 0 },
		{ "IRET, EIP beyond the limit", 0, A_IRET, 0, 0, 0, frame_eip_limit, 0 },
		{ "IRET, VM in the image", 0, A_IRET, 0, 0, 0, frame_vm, 0 },
		{ "IRET, frame absent", 0, A_IRET, 0, 0, 0, frame_absent, 0 },
		{ "IRET to ring 3, SS not present", 0, A_IRET, 0, 0, 0, frame_outer_ss_np, 0 },
		{ "IRET to ring 3, SS RPL wrong", 0, A_IRET, 0, 0, 0, frame_outer_ss_rpl, 0 },
		{ "IRET to ring 3, 16-bit SS", 0, A_IRET, 0, 0, 0, frame_outer_ss_16, 0 },
		{ "IRET to ring 3, SS not accessed", 0, A_IRET, 0, 0, 0, frame_outer_ss_unaccessed, 0 },
		{ "IRET to ring 3 across pages", 0, A_IRET, 0, 0, 0, frame_outer_across_page, 0 },
		{ "IRET to ring 3, ESP SS absent", 0, A_IRET, 0, 0, 0, frame_outer_second_page_absent, 0 },
		{ "IRET from ring 3 to ring 0", 1, A_IRET, 0, 0, 0, frame_same, 0 },
	};
	for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++)
		check(&ks[i]);
}
