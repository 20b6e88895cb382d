/* ptrace.h - the register frame entry.S saves on every trap and IRQ. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H
#include <linux/types.h>

struct pt_regs {
	u32 gs, fs, es, ds;
	u32 edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax;	/* pushal order */
	u32 vector, error_code;
	u32 eip, cs, eflags;
	u32 esp, ss;		/* only when coming from ring 3 */
};

/* Exception fixups (Linux's __ex_table): a faulting kernel instruction at
 * `insn` resumes at `fixup`. */
struct exception_table_entry { unsigned long insn, fixup; };
const struct exception_table_entry *search_exception_tables(unsigned long eip);

void do_trap(struct pt_regs *regs);
void die(const char *why, struct pt_regs *regs) __attribute__((noreturn));
void do_page_fault(struct pt_regs *regs);

/* IRQ layer (i8259.c / irq.c) */
#define FIRST_EXTERNAL_VECTOR 0x20
#define NR_IRQS 16
typedef void (*irq_handler_t)(int irq, struct pt_regs *regs);
void init_i8259(void);
void enable_irq(int irq);
void disable_irq(int irq);
void ack_irq(int irq);
bool irq_is_spurious(int irq);
void request_irq(int irq, irq_handler_t h);
void do_irq(int irq, struct pt_regs *regs);
void time_init(void);
#endif
