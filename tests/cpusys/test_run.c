/* Machine-code programs run with cpu_run() on the real core, bus and MMU:
 * the system half exercised the way a guest does. The byte strings were
 * assembled with GNU as (--32); the source is in the comment above each.
 * Expected results are worked from the SDM pseudo-code, not observed. */
#include <string.h>
#include <criterion/criterion.h>
#include "sys_internal.h"

struct m {
	struct bus *bus;
	struct mmu *mmu;
	struct cpu *cpu;
	struct cpu_state s;
};

static void m_init(struct m *m, enum cpu_model model)
{
	struct mmu_config cfg;

	m->bus = bus_create(16u << 20);
	cr_assert(m->bus);
	cpu_model_mmu_config(model, &cfg);
	m->mmu = mmu_create(m->bus, &cfg);
	cr_assert(m->mmu);
	m->cpu = cpu_create(model, m->bus, m->mmu);
	cr_assert(m->cpu);
}

static void m_fini(struct m *m)
{
	cpu_destroy(m->cpu);
	mmu_destroy(m->mmu);
	bus_destroy(m->bus);
}

static void wr(struct m *m, uint32_t a, int size, uint32_t v) { bus_write(m->bus, a, size, v); }
static uint32_t rd(struct m *m, uint32_t a, int size) { return bus_read(m->bus, a, size); }

static void put(struct m *m, uint32_t a, const uint8_t *b, size_t n)
{
	bus_write_block(m->bus, a, b, (uint32_t)n);
}

static void desc(struct m *m, uint32_t table, int idx, uint32_t base, uint32_t limit,
		 uint32_t access, uint32_t gdb)
{
	wr(m, table + 8 * (uint32_t)idx, 4, (limit & 0xFFFF) | (base << 16));
	wr(m, table + 8 * (uint32_t)idx + 4, 4,
	   ((base >> 16) & 0xFF) | (access << 8) | (limit & 0xF0000) | (gdb << 20) |
	   (base & 0xFF000000u));
}

static void gate(struct m *m, int vec, uint32_t type, uint16_t sel, uint32_t off, int dpl)
{
	wr(m, 0x2000 + 8 * (uint32_t)vec, 4, (off & 0xFFFF) | ((uint32_t)sel << 16));
	wr(m, 0x2000 + 8 * (uint32_t)vec + 4, 4,
	   (off & 0xFFFF0000u) | (type << 8) | ((uint32_t)dpl << 13) | 0x8000);
}

static void flat(struct seg_cache *s, uint16_t sel, uint32_t access)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xFFFFFFFFu;
	s->flags = (access << 8) | SEGF_DB | SEGF_G;
}

/* GDT at 0x1000: 08 code0, 10 data0, 18 code3, 20 data3 (flat), 28 TSS A
 * at 0x3000, 30 TSS B at 0x3100, 38 TSS DF at 0x3200 (32-bit, limit 0x67).
 * IDT at 0x2000 (limit 0x7FF, empty). CPL 0 flat, ESP 0x9000, code at
 * 0x10000. TSS A: SS0:ESP0 = 10:90000. */
static void m_pm32(struct m *m)
{
	desc(m, 0x1000, 1, 0, 0xFFFFF, 0x9A, 0xC);
	desc(m, 0x1000, 2, 0, 0xFFFFF, 0x92, 0xC);
	desc(m, 0x1000, 3, 0, 0xFFFFF, 0xFA, 0xC);
	desc(m, 0x1000, 4, 0, 0xFFFFF, 0xF2, 0xC);
	desc(m, 0x1000, 5, 0x3000, 0x67, 0x89, 0);
	desc(m, 0x1000, 6, 0x3100, 0x67, 0x89, 0);
	desc(m, 0x1000, 7, 0x3200, 0x67, 0x89, 0);
	wr(m, 0x3004, 4, 0x90000);
	wr(m, 0x3008, 4, 0x10);
	cpu_get_state(m->cpu, &m->s);
	m->s.cr0 = CR0_PE | CR0_ET;
	m->s.gdtr_base = 0x1000;
	m->s.gdtr_limit = 0xFF;
	m->s.idtr_base = 0x2000;
	m->s.idtr_limit = 0x7FF;
	flat(&m->s.seg[S_CS], 0x08, 0x9B);
	for (int r = 0; r < 6; r++)
		if (r != S_CS)
			flat(&m->s.seg[r], 0x10, 0x93);
	m->s.eip = 0x10000;
	m->s.gpr[R_ESP] = 0x9000;
	m->s.eflags = 2;
	cpu_set_state(m->cpu, &m->s);
}

static enum cpu_stop m_run(struct m *m, uint64_t n)
{
	enum cpu_stop r = cpu_run(m->cpu, n);
	cpu_get_state(m->cpu, &m->s);
	return r;
}

/* 16-bit boot code at 0x7C00:
 *	cli; lgdtw 0x7d00; mov %cr0,%eax; or $1,%eax; mov %eax,%cr0
 *	ljmpl $0x08,$0x7c40
 * at 0x7C40 (32-bit):
 *	mov $0x10,%ax; mov %ax,%ds; mov %ax,%ss; mov $0x9000,%esp
 *	mov %cr0,%ebx; push $0x55; hlt */
static const uint8_t boot16[] = {
	0xfa, 0x0f, 0x01, 0x16, 0x00, 0x7d, 0x0f, 0x20, 0xc0, 0x66, 0x83, 0xc8, 0x01,
	0x0f, 0x22, 0xc0, 0x66, 0xea, 0x40, 0x7c, 0x00, 0x00, 0x08, 0x00,
};
static const uint8_t boot32[] = {
	0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0x8e, 0xd0, 0xbc, 0x00, 0x90, 0x00, 0x00,
	0x0f, 0x20, 0xc3, 0x6a, 0x55, 0xf4,
};

Test(run, real_to_protected_mode)
{
	struct m m;
	m_init(&m, CPU_486);
	put(&m, 0x7C00, boot16, sizeof boot16);
	put(&m, 0x7C40, boot32, sizeof boot32);
	/* GDT pointer at 0x7D00: limit 0x17, base 0x7D10 (16-bit LGDT). */
	wr(&m, 0x7D00, 2, 0x17);
	wr(&m, 0x7D02, 4, 0x7D10);
	desc(&m, 0x7D10, 1, 0, 0xFFFFF, 0x9A, 0xC);
	desc(&m, 0x7D10, 2, 0, 0xFFFFF, 0x92, 0xC);
	cpu_get_state(m.cpu, &m.s);
	m.s.seg[S_CS].sel = 0;
	m.s.seg[S_CS].base = 0;
	m.s.eip = 0x7C00;
	cpu_set_state(m.cpu, &m.s);
	cr_assert_eq(m_run(&m, 100), CPU_STOP_HLT);
	/* After the far JMP: CS = 08 (32-bit, flat), DS = SS = 10, PE set,
	 * ET kept (486: hardwired), CD/NW from reset kept. */
	cr_assert_eq(m.s.seg[S_CS].sel, 0x08);
	cr_assert(m.s.seg[S_CS].flags & SEGF_DB);
	cr_assert_eq(m.s.seg[S_SS].sel, 0x10);
	cr_assert_eq(m.s.seg[S_DS].limit, 0xFFFFFFFFu);
	cr_assert_eq(m.s.gdtr_base, 0x7D10);
	cr_assert_eq(m.s.gpr[R_EBX] & (CR0_PE | CR0_ET), CR0_PE | CR0_ET);
	cr_assert_eq(m.s.gpr[R_ESP], 0x8FFC);
	cr_assert_eq(rd(&m, 0x8FFC, 4), 0x55);
	/* The accessed bits were set in the GDT. */
	cr_assert_eq(rd(&m, 0x7D10 + 8 + 5, 1), 0x9B);
	cr_assert_eq(rd(&m, 0x7D10 + 16 + 5, 1), 0x93);
	m_fini(&m);
}

/* Kernel at 0x10000:
 *	mov $0x28,%ax; ltr %ax
 *	push $0x23; push $0x80000; push $0x202; push $0x1b; push $0x20000; iret
 * 0x10100 (INT 80h handler): inc %eax; mov %esp,%edx; iret
 * 0x10200 (#GP handler): pop %esi; pop %edi; hlt
 * User at 0x20000: mov $41,%eax; int $0x80; mov %eax,%ebx; mov %ss,%cx; hlt */
static const uint8_t k_start[] = {
	0x66, 0xb8, 0x28, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x23, 0x68, 0x00, 0x00, 0x08, 0x00,
	0x68, 0x02, 0x02, 0x00, 0x00, 0x6a, 0x1b, 0x68, 0x00, 0x00, 0x02, 0x00, 0xcf,
};
static const uint8_t k_int80[] = { 0x40, 0x89, 0xe2, 0xcf };
static const uint8_t k_gp[] = { 0x5e, 0x5f, 0xf4 };
static const uint8_t u_prog[] = {
	0xb8, 0x29, 0x00, 0x00, 0x00, 0xcd, 0x80, 0x89, 0xc3, 0x66, 0x8c, 0xd1, 0xf4,
};

Test(run, ring3_syscall_and_gp)
{
	struct m m;
	m_init(&m, CPU_P6);
	m_pm32(&m);
	put(&m, 0x10000, k_start, sizeof k_start);
	put(&m, 0x10100, k_int80, sizeof k_int80);
	put(&m, 0x10200, k_gp, sizeof k_gp);
	put(&m, 0x20000, u_prog, sizeof u_prog);
	gate(&m, 0x80, SYS_INTGATE32, 0x08, 0x10100, 3);
	gate(&m, EX_GP, SYS_INTGATE32, 0x08, 0x10200, 0);
	cr_assert_eq(m_run(&m, 1000), CPU_STOP_HLT);
	/* INT 80h: ring-0 stack 0x90000 - 5 dwords = 0x8FFEC inside the
	 * handler; the handler's INC comes back through IRET: EBX = 42, SS 23. */
	cr_assert_eq(m.s.gpr[R_EDX], 0x8FFEC);
	cr_assert_eq(m.s.gpr[R_EBX], 42);
	cr_assert_eq(m.s.gpr[R_ECX] & 0xFFFF, 0x23);
	/* HLT at CPL 3: #GP(0) with EIP = the HLT (0x2000C); the handler popped
	 * the error code and EIP and halted at CPL 0. */
	cr_assert_eq(m.s.gpr[R_ESI], 0);
	cr_assert_eq(m.s.gpr[R_EDI], 0x2000C);
	cr_assert_eq(m.s.seg[S_CS].sel, 0x08);
	/* TSS A is busy after LTR. */
	cr_assert_eq(rd(&m, 0x1000 + 0x28 + 5, 1) & 0xF, SYS_TSS32_BUSY);
	m_fini(&m);
}

Test(run, triple_fault_stops)
{
	struct m m;
	m_init(&m, CPU_486);
	m_pm32(&m);
	/* IDT limit 0: INT3 → #GP(3*8+2) → #GP cannot be delivered either
	 * (#GP(13*8+2+1)) → #DF → #DF not deliverable → shutdown. */
	static const uint8_t prog[] = { 0xcc, 0xf4 };
	put(&m, 0x10000, prog, sizeof prog);
	cpu_get_state(m.cpu, &m.s);
	m.s.idtr_limit = 0;
	cpu_set_state(m.cpu, &m.s);
	cr_assert_eq(m_run(&m, 100), CPU_STOP_SHUTDOWN);
	m_fini(&m);
}

/* Task A at 0x10000: ljmp $0x30,$0 (to TSS B). Task B's EIP 0x10020:
 * push $1; hlt. */
static const uint8_t t_prog[] = { 0xea, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00 };
static const uint8_t t_b[] = { 0x6a, 0x01, 0xf4 };

static void tss_b(struct m *m, uint32_t base, uint32_t eip, uint32_t esp, uint32_t cr3)
{
	wr(m, base + 0x1C, 4, cr3);
	wr(m, base + 0x20, 4, eip);
	wr(m, base + 0x24, 4, 2);
	wr(m, base + 0x38, 4, esp);
	wr(m, base + 0x48, 2, 0x10);
	wr(m, base + 0x4C, 2, 0x08);
	wr(m, base + 0x50, 2, 0x10);
	wr(m, base + 0x54, 2, 0x10);
}

Test(run, jmp_task_switch)
{
	struct m m;
	m_init(&m, CPU_486);
	m_pm32(&m);
	put(&m, 0x10000, t_prog, sizeof t_prog);
	put(&m, 0x10020, t_b, sizeof t_b);
	tss_b(&m, 0x3100, 0x10020, 0x7000, 0);
	cpu_get_state(m.cpu, &m.s);
	m.s.gpr[R_EAX] = 0xA5A5;
	/* TR = TSS A (busy in the GDT too). */
	m.s.seg[S_TR] = (struct seg_cache){ 0x28, 0x3000, 0x67, 0x8B00 };
	wr(&m, 0x1000 + 0x28 + 5, 1, 0x8B);
	cpu_set_state(m.cpu, &m.s);
	cr_assert_eq(m_run(&m, 100), CPU_STOP_HLT);
	cr_assert_eq(m.s.seg[S_TR].sel, 0x30);
	cr_assert_eq(m.s.gpr[R_ESP], 0x6FFC);
	/* Old task saved with EIP after the JMP (0x10007) and EAX; A not busy,
	 * B busy; CR0.TS set. */
	cr_assert_eq(rd(&m, 0x3020, 4), 0x10007);
	cr_assert_eq(rd(&m, 0x3028, 4), 0xA5A5);
	cr_assert_eq(rd(&m, 0x1000 + 0x28 + 5, 1) & 0xF, SYS_TSS32_AVAIL);
	cr_assert_eq(rd(&m, 0x1000 + 0x30 + 5, 1) & 0xF, SYS_TSS32_BUSY);
	cr_assert(m.s.cr0 & CR0_TS);
	m_fini(&m);
}

Test(run, stack_overflow_double_fault_to_task)
{
	/* Paging on, identity map of the first 4 MiB except the page at
	 * 0x7F000. ESP = 0x80000 and PUSH → #PF (not present, write: error 2,
	 * CR2 = 0x7FFFC). Delivering #PF pushes on the same stack → #PF again
	 * → #DF, through a task gate to TSS DF (the Linux way), whose stack
	 * is good: the DF task starts at 0x10020 with error code 0 pushed. */
	struct m m;
	m_init(&m, CPU_486);
	m_pm32(&m);
	static const uint8_t prog[] = { 0x6a, 0x01, 0xf4 };
	static const uint8_t df[] = { 0x5b, 0xf4 };  /* pop %ebx; hlt */
	put(&m, 0x10000, prog, sizeof prog);
	put(&m, 0x10020, df, sizeof df);
	wr(&m, 0x100000, 4, 0x101000 | 3);
	for (uint32_t i = 0; i < 1024; i++)
		wr(&m, 0x101000 + 4 * i, 4, i == 0x7F ? 0 : ((i << 12) | 3));
	tss_b(&m, 0x3200, 0x10020, 0x6000, 0x100000);
	gate(&m, EX_PF, SYS_INTGATE32, 0x08, 0x10100, 0);
	gate(&m, EX_DF, SYS_TASKGATE, 0x38, 0, 0);
	cpu_get_state(m.cpu, &m.s);
	m.s.seg[S_TR] = (struct seg_cache){ 0x28, 0x3000, 0x67, 0x8B00 };
	wr(&m, 0x1000 + 0x28 + 5, 1, 0x8B);
	m.s.cr3 = 0x100000;
	m.s.cr0 |= CR0_PG;
	m.s.gpr[R_ESP] = 0x80000;
	m.s.gpr[R_EBX] = 0x1234;
	cpu_set_state(m.cpu, &m.s);
	cr_assert_eq(m_run(&m, 100), CPU_STOP_HLT);
	cr_assert_eq(m.s.seg[S_TR].sel, 0x38);
	cr_assert_eq(m.s.cr2, 0x7FFFC);
	cr_assert_eq(m.s.gpr[R_EBX], 0);        /* #DF error code */
	cr_assert_eq(m.s.gpr[R_ESP], 0x6000);
	cr_assert(m.s.eflags & FL_NT);
	cr_assert_eq(rd(&m, 0x3200, 2), 0x28);  /* back link */
	/* The old task was saved at the faulting PUSH with its ESP intact. */
	cr_assert_eq(rd(&m, 0x3020, 4), 0x10000);
	cr_assert_eq(rd(&m, 0x3038, 4), 0x80000);
	m_fini(&m);
}

/* Kernel at 0x10000: ltr; IRET frame to v86 (EIP 0, CS 2000, EFLAGS VM
 * IOPL 0, ESP FFFE, SS 3000, ES 0, DS 2000, FS 0, GS 0):
 *	mov $0x28,%ax; ltr %ax; push $0; push $0; push $0x2000; push $0
 *	push $0x3000; push $0xfffe; push $0x20002; push $0x2000; push $0; iret
 * v86 code at 0x20000 (16-bit): mov $0x1234,%bx; int $0x21
 * #GP handler at 0x10200: pop %esi; pop %edi; pop %ecx; mov %ds,%dx; hlt */
static const uint8_t v_kern[] = {
	0x66, 0xb8, 0x28, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x00, 0x6a, 0x00, 0x68, 0x00, 0x20,
	0x00, 0x00, 0x6a, 0x00, 0x68, 0x00, 0x30, 0x00, 0x00, 0x68, 0xfe, 0xff, 0x00, 0x00,
	0x68, 0x02, 0x00, 0x02, 0x00, 0x68, 0x00, 0x20, 0x00, 0x00, 0x6a, 0x00, 0xcf,
};
static const uint8_t v_user[] = { 0xbb, 0x34, 0x12, 0xcd, 0x21 };
static const uint8_t v_gp[] = { 0x5e, 0x5f, 0x59, 0x66, 0x8c, 0xda, 0xf4 };

Test(run, v86_int_is_iopl_sensitive)
{
	struct m m;
	m_init(&m, CPU_486);
	m_pm32(&m);
	put(&m, 0x10000, v_kern, sizeof v_kern);
	put(&m, 0x20000, v_user, sizeof v_user);
	put(&m, 0x10200, v_gp, sizeof v_gp);
	gate(&m, 0x21, SYS_INTGATE32, 0x08, 0x10100, 3);
	gate(&m, EX_GP, SYS_INTGATE32, 0x08, 0x10200, 0);
	cr_assert_eq(m_run(&m, 1000), CPU_STOP_HLT);
	/* The v86 code ran (BX = 1234h); INT 21h with IOPL 0 is #GP(0) at the
	 * INT (IP 3, CS 2000), delivered on the ring-0 stack with the v86
	 * frame (10 dwords from 0x90000); DS is null in the handler. */
	cr_assert_eq(m.s.gpr[R_EBX] & 0xFFFF, 0x1234);
	cr_assert_eq(m.s.gpr[R_ESI], 0);
	cr_assert_eq(m.s.gpr[R_EDI], 3);
	cr_assert_eq(m.s.gpr[R_ECX], 0x2000);
	cr_assert_eq(m.s.gpr[R_EDX] & 0xFFFF, 0);
	cr_assert_eq(m.s.gpr[R_ESP], 0x90000 - 40 + 12);
	cr_assert_eq(rd(&m, 0x90000 - 4, 4), 0);       /* GS */
	cr_assert_eq(rd(&m, 0x90000 - 12, 4), 0x2000); /* DS */
	cr_assert_eq(rd(&m, 0x90000 - 20, 4), 0x3000); /* SS */
	cr_assert(rd(&m, 0x90000 - 28, 4) & FL_VM);    /* EFLAGS */
	cr_assert_eq(m.s.eflags & FL_VM, 0);
	m_fini(&m);
}

/* User code at 0x20000: in $0x60,%al; in $0x61,%al; hlt (the kernel and
 * #GP handler of ring3_syscall_and_gp). */
static const uint8_t io_user[] = { 0xe4, 0x60, 0xe4, 0x61, 0xf4 };

Test(run, io_bitmap_from_ring3)
{
	struct m m;
	m_init(&m, CPU_486);
	m_pm32(&m);
	put(&m, 0x10000, k_start, sizeof k_start);
	put(&m, 0x10200, k_gp, sizeof k_gp);
	put(&m, 0x20000, io_user, sizeof io_user);
	gate(&m, EX_GP, SYS_INTGATE32, 0x08, 0x10200, 0);
	/* TSS A with a bitmap at 0x68 covering ports 0-FFh; port 61h denied. */
	desc(&m, 0x1000, 5, 0x3000, 0x67 + 0x20, 0x89, 0);
	wr(&m, 0x3066, 2, 0x68);
	wr(&m, 0x3068 + 0x0C, 1, 0x02);
	cr_assert_eq(m_run(&m, 1000), CPU_STOP_HLT);
	/* IN 60h allowed (CPL 3 > IOPL 0, bit clear); IN 61h → #GP(0) at
	 * 0x20002. */
	cr_assert_eq(m.s.gpr[R_ESI], 0);
	cr_assert_eq(m.s.gpr[R_EDI], 0x20002);
	m_fini(&m);
}
