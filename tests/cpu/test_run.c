/* test_run.c - the run loop: power-on state, instruction budget, HLT,
 * external interrupts and IF, the STI and MOV SS shadows, NMI, single-step
 * traps, fault EIPs, shutdown, and self-modifying code through the
 * decoded blocks; the user-entry hook. */
#include <criterion/criterion.h>
#include "harness.h"
#include "core.h"

static struct tm t;
static void setup(void) { tm_init(&t, CPU_P6); tm_pm32(&t); }
static void teardown(void) { tm_fini(&t); }
TestSuite(run, .init = setup, .fini = teardown);

static int ack_vec = 0x20, ack_calls;
static int ack(void *opaque)
{
	(void)opaque;
	ack_calls++;
	cpu_set_intr(t.cpu, 0);
	return ack_vec;
}

/* SDM vol. 3 table 9-1. */
Test(run, power_on_state)
{
	static const struct { enum cpu_model m; uint32_t edx, cr0; } want[] = {
		{ CPU_386, 0x0303, 0x7FFFFFE0 }, { CPU_486, 0x0480, 0x60000010 },
		{ CPU_PENTIUM, 0x052B, 0x60000010 }, { CPU_P6, 0x0633, 0x60000010 },
	};
	for (size_t k = 0; k < 4; k++) {
		struct tm u;
		struct cpu_state s;
		tm_init(&u, want[k].m);
		cpu_reset(u.cpu);
		cpu_get_state(u.cpu, &s);
		cr_expect_eq(s.eip, 0xFFF0);
		cr_expect_eq(s.seg[S_CS].sel, 0xF000);
		cr_expect_eq(s.seg[S_CS].base, 0xFFFF0000u);
		cr_expect_eq(s.seg[S_CS].limit, 0xFFFF);
		cr_expect_eq(s.seg[S_DS].base, 0);
		cr_expect_eq(s.eflags, 2);
		cr_expect_eq(s.gpr[R_EDX], want[k].edx);
		cr_expect_eq(s.cr0, want[k].cr0);
		cr_expect_eq(s.dr[6], 0xFFFF0FF0u);
		cr_expect_eq(s.dr[7], 0x400);
		cr_expect_eq(s.idtr_limit, 0xFFFF);
		tm_fini(&u);
	}
}

Test(run, budget)
{
	static const uint8_t code[] = { 0x90, 0x90, 0x90, 0x90, 0x90, 0xF4 };
	tm_code(&t, code, sizeof code);
	uint64_t before = cpu_insn_count(t.cpu);
	cr_expect_eq(tm_run(&t, 3), CPU_STOP_LIMIT);
	cr_expect_eq(cpu_insn_count(t.cpu) - before, 3);
	cr_expect_eq(t.s.eip, CODE_ADDR + 3);
	uint16_t cs;
	uint32_t eip;
	cpu_last_pc(t.cpu, &cs, &eip);
	cr_expect_eq(eip, CODE_ADDR + 2);
}

Test(run, hlt_stays_halted_without_interrupt)
{
	static const uint8_t code[] = { 0xF4 };
	tm_code(&t, code, 1);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect(t.s.halted);
	uint64_t n = cpu_insn_count(t.cpu);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(cpu_insn_count(t.cpu), n);
	/* INTR with IF = 0 does not wake it. */
	cpu_set_intr_ack(t.cpu, ack, NULL);
	cpu_set_intr(t.cpu, 1);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, CODE_ADDR + 1);
}

Test(run, interrupt_wakes_hlt)
{
	static const uint8_t code[] = { 0xF4 };
	t.s.eflags |= FL_IF;
	tm_set(&t);
	tm_code(&t, code, 1);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cpu_set_intr_ack(t.cpu, ack, NULL);
	cpu_set_intr(t.cpu, 1);
	ack_vec = 0x20;
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), 0x20);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);  /* return after HLT */
}

/* sti ; inc eax ; hlt  with INTR pending: the interrupt comes after INC. */
Test(run, sti_shadow)
{
	static const uint8_t code[] = { 0xFB, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	cpu_set_intr_ack(t.cpu, ack, NULL);
	cpu_set_intr(t.cpu, 1);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), 0x20);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 2);
}

/* mov ss, ax ; inc eax ; hlt: no interrupt between MOV SS and INC. */
Test(run, mov_ss_shadow)
{
	static const uint8_t code[] = { 0x8E, 0xD0, 0x40, 0xF4 };
	t.s.gpr[R_EAX] = SEL_DATA32;
	t.s.eflags |= FL_IF;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1), CPU_STOP_LIMIT);
	cpu_set_intr_ack(t.cpu, ack, NULL);
	cpu_set_intr(t.cpu, 1);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), 0x20);
	cr_expect_eq(t.s.gpr[R_EAX], SEL_DATA32 + 1);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 3);
}

Test(run, nmi_ignores_if)
{
	static const uint8_t code[] = { 0x90, 0x90, 0xF4 };
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 1), CPU_STOP_LIMIT);
	cpu_set_nmi(t.cpu);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_NMI);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);
}

Test(run, stop_request)
{
	static const uint8_t code[] = { 0x90, 0x90, 0xF4 };
	tm_code(&t, code, sizeof code);
	cpu_request_stop(t.cpu);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_REQUEST);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
}

/* TF: a #DB trap after the first instruction, EIP pointing past it. */
Test(run, single_step_trap)
{
	static const uint8_t code[] = { 0x40, 0x40, 0xF4 };
	t.s.eflags |= FL_TF;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_DB);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR + 1);
	cr_expect(t.s.dr[6] & 0x4000);
	cr_expect(tm_rd(&t, STACK_TOP - 4, 4) & FL_TF);   /* pushed EFLAGS keeps TF */
}

/* div ebx with EBX = 0: #DE, a fault: EIP of the DIV, registers intact. */
Test(run, divide_fault_eip)
{
	static const uint8_t code[] = { 0xF7, 0xF3, 0xF4 };
	t.s.gpr[R_EAX] = 77;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	uint64_t n = cpu_insn_count(t.cpu);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_DE);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 12, 4), CODE_ADDR);
	cr_expect_eq(t.s.gpr[R_EAX], 77);
	/* the faulting DIV counts as retired, then the HLT */
	cr_expect_eq(cpu_insn_count(t.cpu) - n, 2);
}

/* No usable IDT: #UD -> #GP -> #DF -> shutdown. */
Test(run, triple_fault_shutdown)
{
	static const uint8_t code[] = { 0x0F, 0x0B };
	t.s.idtr_limit = 0;
	tm_set(&t);
	tm_code(&t, code, sizeof code);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_SHUTDOWN);
}

/* Real mode INT 21h through the IVT: pushes FLAGS, CS, IP (after INT). */
Test(run, real_mode_int)
{
	static const uint8_t code[] = { 0xCD, 0x21, 0xF4 };
	tm_real(&t);
	tm_code(&t, code, sizeof code);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), 0x21);
	cr_expect_eq(t.s.seg[S_CS].sel, 0x0300);
	cr_expect_eq(tm_rd(&t, STACK_TOP - 6, 2), CODE_ADDR + 2);
}

/* Self-modifying code: on the second pass the MOV rewrites the NOP that
 * follows it (already decoded on the first pass) into INC EAX.
 *   start: inc ecx; cmp ecx,2; jne next; mov byte [next],0x40
 *   next:  nop; cmp ecx,2; jne start; hlt */
Test(run, smc_next_instruction)
{
	static const uint8_t code[] = { 0x41, 0x83, 0xf9, 0x02, 0x75, 0x07, 0xc6, 0x05, 0x0d,
		0x10, 0x00, 0x00, 0x40, 0x90, 0x83, 0xf9, 0x02, 0x75, 0xed, 0xf4 };
	tm_code(&t, code, sizeof code);
	cr_expect_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_ECX], 2);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
}

/* A write from outside (DMA, the monitor) also invalidates decoded code. */
Test(run, smc_external_write)
{
	static const uint8_t code[] = { 0x90, 0xF4 };
	tm_code(&t, code, sizeof code);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	static const uint8_t inc[] = { 0x40 };
	tm_poke(&t, CODE_ADDR, inc, 1);
	t.s.eip = CODE_ADDR;
	t.s.halted = 0;
	tm_set(&t);
	cr_expect_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 1);
}

/* A single instruction per cpu_run(c, 1), the conformance corpus' use. */
Test(run, single_instruction_steps)
{
	static const uint8_t code[] = { 0x40, 0x40, 0x40, 0xF4 };
	tm_code(&t, code, sizeof code);
	for (int k = 1; k <= 3; k++) {
		cr_expect_eq(tm_run(&t, 1), CPU_STOP_LIMIT);
		cr_expect_eq(t.s.gpr[R_EAX], (uint32_t)k);
		cr_expect_eq(t.s.eip, CODE_ADDR + (uint32_t)k);
	}
}

/* The same bytes decoded as 32-bit code, then as 16-bit code (CS.D = 0):
 *   32: mov eax, 1234h ; hlt
 *   16: mov ax, 1234h ; add [bx+si], al ; hlt
 * Decoded blocks are keyed by code size too. */
Test(run, blocks_keyed_by_code_size)
{
	static const uint8_t code[] = { 0xB8, 0x34, 0x12, 0x00, 0x00, 0xF4 };
	tm_code(&t, code, sizeof code);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, CODE_ADDR + 6);
	cr_expect_eq(t.s.gpr[R_EAX], 0x1234);
	tm_pm32(&t);
	t.s.seg[S_CS].sel = SEL_CODE16;
	t.s.seg[S_CS].limit = 0xFFFF;
	t.s.seg[S_CS].flags = 0x009B00;
	t.s.gpr[R_EBX] = DATA_ADDR;   /* 16-bit EA: BX + SI = 0000h (BX low word) */
	t.s.gpr[R_ESI] = 0x20;
	tm_set(&t);
	tm_wr(&t, 0x20, 1, 0x01);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.eip, CODE_ADDR + 6);
	cr_expect_eq(tm_rd(&t, 0x20, 1), 0x35);
}

/* An instruction that straddles a page boundary is fetched from both
 * pages (here with paging mapping the two linear pages to frames that are
 * not adjacent). mov eax, 11223344h at linear 5FFEh. */
Test(run, page_straddling_instruction)
{
	uint32_t pd = 0x100000, pt = 0x101000;
	tm_wr(&t, pd, 4, pt | 3);
	for (uint32_t k = 0; k < 1024; k++)
		tm_wr(&t, pt + 4 * k, 4, (k << 12) | 3);
	tm_wr(&t, pt + 4 * 6, 4, 0x50000 | 3);        /* linear 6000h -> frame 50000h */
	static const uint8_t first[] = { 0xB8, 0x44 };
	static const uint8_t second[] = { 0x33, 0x22, 0x11, 0xF4 };
	tm_poke(&t, 0x5FFE, first, 2);
	tm_poke(&t, 0x50000, second, 4);
	t.s.cr3 = pd;
	t.s.cr0 |= CR0_PG;
	t.s.eip = 0x5FFE;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0x11223344);
	cr_expect_eq(t.s.eip, 0x6004);
	/* rewrite the second half: the next execution sees it */
	static const uint8_t second2[] = { 0x66, 0x55 };
	tm_poke(&t, 0x50000, second2, 2);
	t.s.eip = 0x5FFE;
	t.s.halted = 0;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 10), CPU_STOP_HLT);
	cr_expect_eq(t.s.gpr[R_EAX], 0x11556644);
}

/* cpu_set_user_entry_hook: called once, with the instruction count, when
 * an IRET first takes the CPU to CPL 3 (a ring-3 HLT then faults with
 * #GP and the handler runs at CPL 0; re-entering CPL 3 does not call it
 * again).
 *   push SEL_UDATA; push STACK_TOP-0x100; push 2; push SEL_UCODE;
 *   push CODE_ADDR+20; iret; (20:) hlt                                  */
static int entry_calls;
static uint64_t entry_insns;
static void on_user_entry(void *opaque, uint64_t insns)
{
	(void)opaque;
	entry_calls++;
	entry_insns = insns;
}

Test(run, user_entry_hook)
{
	static const uint8_t code[] = {
		0x6A, SEL_UDATA,                      /* push 4Bh */
		0x68, 0x00, 0x8F, 0x00, 0x00,         /* push 8F00h */
		0x6A, 0x02,                           /* push 2 */
		0x6A, SEL_UCODE,                      /* push 43h */
		0x68, 0x14, 0x10, 0x00, 0x00,         /* push 1014h */
		0xCF,                                 /* iret */
		0x90, 0x90, 0x90,
		0xF4,                                 /* 1014h: hlt (CPL 3: #GP) */
	};
	entry_calls = 0;
	cpu_set_user_entry_hook(t.cpu, on_user_entry, NULL);
	tm_code(&t, code, sizeof code);
	uint64_t n0 = cpu_insn_count(t.cpu);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(tm_vector(&t), EX_GP);
	cr_expect_eq(entry_calls, 1);
	cr_expect_eq(entry_insns - n0, 5);   /* the five pushes retired before the IRET */
	/* Back to CPL 3 once more: no second call. */
	t.s.eip = CODE_ADDR;
	t.s.gpr[R_ESP] = STACK_TOP;
	t.s.halted = 0;
	tm_set(&t);
	cr_assert_eq(tm_run(&t, 100), CPU_STOP_HLT);
	cr_expect_eq(entry_calls, 1);
	cpu_set_user_entry_hook(t.cpu, NULL, NULL);
}

/* core_of() is a fixed offset from the CPU: cpu_create() must place the
 * core half right behind it, where c->core points too. */
Test(run, core_in_the_cpu_allocation)
{
	cr_assert_eq((void *)core_of(t.cpu), t.cpu->core);
	cr_assert_eq((void *)core_of(t.cpu), (void *)&((struct cpu_with_core *)t.cpu)->core);
}
