/* Segment register loads: every check of the SDM's MOV/POP Sreg pseudo-code
 * (vol. 2, "MOV—Move", protected-mode part), with the error code each one
 * reports, the accessed bit and the descriptor cache. GDT layout: harness.c. */
#include <criterion/criterion.h>
#include "harness.h"

static struct cpu *c;

static void setup(void)
{
	c = h_new(CPU_486);
	h_pmode(c);
}

static void teardown(void)
{
	h_free(c);
}

TestSuite(seg, .init = setup, .fini = teardown);

Test(seg, real_mode_keeps_limit)
{
	struct cpu *r = h_new(CPU_386);
	/* Real mode: base = sel << 4; limit and attributes unchanged
	 * ("unreal mode" keeps a 4 GiB limit). */
	r->s.seg[S_DS].limit = 0xFFFFFFFFu;
	cr_assert_eq(H_TRY(r, seg_load(r, S_DS, 0x1234)), -1);
	cr_assert_eq(r->s.seg[S_DS].base, 0x12340);
	cr_assert_eq(r->s.seg[S_DS].sel, 0x1234);
	cr_assert_eq(r->s.seg[S_DS].limit, 0xFFFFFFFFu);
	h_free(r);
}

Test(seg, data_load_sets_cache_and_accessed)
{
	/* Descriptor 10: base 0x12345678, limit 0x3 pages (G=1 → 0x3FFF),
	 * read/write data, DPL 0, accessed clear. */
	h_desc(H_GDT, 10, 0x12345678, 0x3, 0x2, 1, 0, 1, 1, 1);
	cr_assert_eq(H_TRY(c, seg_load(c, S_ES, 0x50)), -1);
	cr_assert_eq(c->s.seg[S_ES].base, 0x12345678u);
	cr_assert_eq(c->s.seg[S_ES].limit, 0x3FFFu);
	cr_assert_eq(c->s.seg[S_ES].sel, 0x50);
	cr_assert_eq(SEGF_TYPE(c->s.seg[S_ES].flags), 0x3);  /* accessed now */
	cr_assert(c->s.seg[S_ES].flags & SEGF_DB);
	/* The accessed bit is written back to the GDT (type byte at +5). */
	cr_assert_eq(h_ram[H_GDT + 80 + 5] & 1, 1);
}

Test(seg, null_data_selector_loads_unusable)
{
	/* Null selectors may be loaded into DS/ES/FS/GS: no exception. */
	cr_assert_eq(H_TRY(c, seg_load(c, S_FS, 0x0003)), -1);
	cr_assert_eq(c->s.seg[S_FS].sel, 3);
	cr_assert_eq(c->s.seg[S_FS].flags & SEGF_P, 0);
}

Test(seg, beyond_gdt_limit)
{
	/* Index 32 (sel 0x103): 0x100 + 7 > GDT limit 0xFF → #GP(0x100). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x103)), EX_GP);
	cr_assert_eq(h_exc_err, 0x100);
	/* Descriptor 31 (0xF8..0xFF) is inside. */
	h_desc(H_GDT, 31, 0, 0xFFFF, 0x2, 1, 0, 1, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0xF8)), -1);
}

Test(seg, ldt_selector)
{
	/* TI=1 with LDTR null: #GP(sel & ~3). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x0F)), EX_GP);
	cr_assert_eq(h_exc_err, 0x0C);
	/* LDT entry 1 (sel 0x0C | 3 = 0x0F) as a DPL 3 data segment. */
	h_desc(H_LDT, 1, 0x4000, 0xFFF, 0x2, 1, 3, 1, 1, 0);
	cr_assert_eq(H_TRY(c, sys_lldt(c, SEL_LDT)), -1);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x0F)), -1);
	cr_assert_eq(c->s.seg[S_DS].base, 0x4000);
	/* LDT limit 0x1F: entry 4 (0x20) is outside → #GP(0x24). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x27)), EX_GP);
	cr_assert_eq(h_exc_err, 0x24);
}

Test(seg, data_type_checks)
{
	/* System descriptor (the LDT) into DS: #GP(0x38). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, SEL_LDT)), EX_GP);
	cr_assert_eq(h_exc_err, 0x38);
	/* Execute-only code (type 8): #GP(sel). */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0x8, 1, 0, 1, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x50)), EX_GP);
	cr_assert_eq(h_exc_err, 0x50);
	/* Readable code (type A) is fine. */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0xA, 1, 0, 1, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x50)), -1);
}

Test(seg, data_privilege)
{
	/* At CPL 3, a DPL 0 data segment: CPL > DPL → #GP(sel). */
	h_ring3(c);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x13)), EX_GP);
	cr_assert_eq(h_exc_err, 0x10);
	/* At CPL 0 with RPL 3 on a DPL 0 segment: RPL > DPL → #GP(sel). */
	h_pmode(c);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x13)), EX_GP);
	cr_assert_eq(h_exc_err, 0x10);
	/* RPL 3 on a DPL 3 segment at CPL 0: allowed. */
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, SEL_DATA3)), -1);
	/* Conforming readable code (type E) DPL 0 at CPL 3: no DPL check. */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0xE, 1, 0, 1, 0, 0);
	h_ring3(c);
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0x53)), -1);
}

Test(seg, data_not_present)
{
	/* Passes every check but P = 0: #NP(sel). */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0x2, 1, 0, 0, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_GS, 0x50)), EX_NP);
	cr_assert_eq(h_exc_err, 0x50);
	/* A not-present segment that also fails the type check reports #GP:
	 * the type and privilege checks come first. */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0x8, 1, 0, 0, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_GS, 0x50)), EX_GP);
}

Test(seg, stack_segment_rules)
{
	/* Null SS: #GP(0). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, 0)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	/* RPL != CPL: #GP(sel). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, 0x11)), EX_GP);
	cr_assert_eq(h_exc_err, 0x10);
	/* DPL != CPL (DPL 3 data at CPL 0, RPL 0): #GP(sel). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, 0x20)), EX_GP);
	cr_assert_eq(h_exc_err, 0x20);
	/* Read-only data: #GP(sel). */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0x0, 1, 0, 1, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, 0x50)), EX_GP);
	cr_assert_eq(h_exc_err, 0x50);
	/* Code segment: #GP(sel). */
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, SEL_CODE0)), EX_GP);
	cr_assert_eq(h_exc_err, 0x08);
	/* Writable, DPL 0, not present: #SS(sel). */
	h_desc(H_GDT, 10, 0, 0xFFFF, 0x2, 1, 0, 0, 0, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, 0x50)), EX_SS);
	cr_assert_eq(h_exc_err, 0x50);
	/* Expand-down writable data is a valid stack. */
	h_desc(H_GDT, 10, 0, 0xFFF, 0x6, 1, 0, 1, 1, 0);
	cr_assert_eq(H_TRY(c, seg_load(c, S_SS, 0x50)), -1);
	cr_assert_eq(c->s.seg[S_SS].limit, 0xFFF);
}

Test(seg, v86_loads)
{
	/* In v86 mode every load is real-style with a 64 KiB limit, DPL 3. */
	c->s.eflags |= FL_VM;
	c->cpl = 3;
	cr_assert_eq(H_TRY(c, seg_load(c, S_DS, 0xB800)), -1);
	cr_assert_eq(c->s.seg[S_DS].base, 0xB8000);
	cr_assert_eq(c->s.seg[S_DS].limit, 0xFFFF);
	cr_assert_eq(SEGF_DPL(c->s.seg[S_DS].flags), 3);
}
