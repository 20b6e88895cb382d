/* traps.c - the IDT, exception handling and the oops report. */
#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/ptrace.h>
#include <asm/processor.h>
#include <asm/page.h>
#include <linux/sched.h>

struct gate_desc {
	u16 offset_low, selector;
	u8 zero, type_attr;
	u16 offset_high;
} __attribute__((packed));

static struct gate_desc idt_table[256] __attribute__((aligned(8)));

extern char vector0[], vector1[], vector2[], vector3[], vector4[], vector5[],
	vector6[], vector7[], vector8[], vector9[], vector10[], vector11[],
	vector12[], vector13[], vector14[], vector15[], vector16[], vector17[],
	vector18[], vector19[], vector20[], vector21[], vector22[], vector23[],
	vector24[], vector25[], vector26[], vector27[], vector28[], vector29[],
	vector30[], vector31[], vector32[], vector33[], vector34[], vector35[],
	vector36[], vector37[], vector38[], vector39[], vector40[], vector41[],
	vector42[], vector43[], vector44[], vector45[], vector46[], vector47[], vector128[];

static char *const vectors[48] = {
	vector0, vector1, vector2, vector3, vector4, vector5, vector6, vector7,
	vector8, vector9, vector10, vector11, vector12, vector13, vector14, vector15,
	vector16, vector17, vector18, vector19, vector20, vector21, vector22, vector23,
	vector24, vector25, vector26, vector27, vector28, vector29, vector30, vector31,
	vector32, vector33, vector34, vector35, vector36, vector37, vector38, vector39,
	vector40, vector41, vector42, vector43, vector44, vector45, vector46, vector47,
};

static const char *const trap_names[32] = {
	"divide error", "debug", "NMI", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack segment", "general protection", "page fault", "reserved",
	"coprocessor error", "alignment check", "machine check", "SIMD error",
};

/* An interrupt gate (type 0xE: IF cleared on entry) at privilege dpl. */
static void set_intr_gate(int n, void *addr, int dpl)
{
	u32 a = (u32)addr;
	idt_table[n].offset_low = a & 0xffff;
	idt_table[n].offset_high = a >> 16;
	idt_table[n].selector = __KERNEL_CS;
	idt_table[n].zero = 0;
	idt_table[n].type_attr = 0x8e | (dpl << 5);
}

/* Fill the IDT: exceptions 0..31 and IRQ vectors 0x20..0x2F; int3 and
 * overflow are callable from ring 3 as on Linux. Other vectors stay not
 * present, so an INT to them is a #GP (then an oops). */
void trap_init(void)
{
	for (int i = 0; i < 48; i++)
		set_intr_gate(i, vectors[i], (i == 3 || i == 4) ? 3 : 0);
	set_intr_gate(0x80, vector128, 3);
	struct {
		u16 size;
		u32 address;
	} __attribute__((packed)) idtr = { sizeof(idt_table) - 1, (u32)idt_table };
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* The signal a user-mode exception raises (Linux's traps.c table). */
static int trap_signal(unsigned v)
{
	switch (v) {
	case 0: case 16: case 19: return SIGFPE;
	case 1: case 3: return SIGTRAP;
	case 6: return SIGILL;
	case 7: case 9: return SIGFPE;
	default: return SIGSEGV;
	}
}

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* The fixup for a faulting kernel instruction, or NULL. */
const struct exception_table_entry *search_exception_tables(unsigned long eip)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == eip)
			return e;
	return 0;
}

/* The oops report: what trapped, where, and every register; then stop the
 * machine (there is nothing to kill yet). */
void die(const char *why, struct pt_regs *regs)
{
	local_irq_disable();
	unsigned v = regs->vector;
	printk(KERN_EMERG "Oops: %s: vector %u (%s), error code %04lx\n", why, v,
	       v < 32 && trap_names[v] ? trap_names[v] : "unknown", (unsigned long)regs->error_code);
	printk(KERN_EMERG "EIP: %04lx:[<%08lx>] EFLAGS: %08lx CR2: %08lx\n",
	       (unsigned long)(regs->cs & 0xffff), (unsigned long)regs->eip,
	       (unsigned long)regs->eflags, (unsigned long)read_cr2());
	printk(KERN_EMERG "EAX: %08lx EBX: %08lx ECX: %08lx EDX: %08lx\n",
	       (unsigned long)regs->eax, (unsigned long)regs->ebx,
	       (unsigned long)regs->ecx, (unsigned long)regs->edx);
	printk(KERN_EMERG "ESI: %08lx EDI: %08lx EBP: %08lx ESP: %08lx\n",
	       (unsigned long)regs->esi, (unsigned long)regs->edi,
	       (unsigned long)regs->ebp, (unsigned long)((u32)&regs->esp));
	printk(KERN_EMERG "DS: %04lx ES: %04lx FS: %04lx GS: %04lx CR0: %08lx CR3: %08lx\n",
	       (unsigned long)(regs->ds & 0xffff), (unsigned long)(regs->es & 0xffff),
	       (unsigned long)(regs->fs & 0xffff), (unsigned long)(regs->gs & 0xffff),
	       (unsigned long)read_cr0(), (unsigned long)read_cr3());
	panic("Fatal exception");
}

/* Every trap and IRQ comes here from entry.S with the saved registers. */
void do_trap(struct pt_regs *regs)
{
	unsigned v = regs->vector;
	if (v >= FIRST_EXTERNAL_VECTOR && v < FIRST_EXTERNAL_VECTOR + NR_IRQS) {
		do_irq(v - FIRST_EXTERNAL_VECTOR, regs);
		if (user_mode(regs))
			exit_to_user_mode(regs);
		return;
	}
	if (v == 0x80)
		do_syscall(regs);
	else if (v == 14)
		do_page_fault(regs);
	else if (!user_mode(regs) && (v == 11 || v == 12 || v == 13) &&
		 search_exception_tables(regs->eip))
		regs->eip = search_exception_tables(regs->eip)->fixup;
	else if (user_mode(regs)) {
		/* Linux's show_signal_msg / do_trap log line. */
		printk(KERN_INFO "traps: %s[%d] trap %s ip:%lx sp:%lx error:%lx\n", current->comm,
		       current->pid, v < 32 && trap_names[v] ? trap_names[v] : "unknown",
		       (unsigned long)regs->eip, (unsigned long)regs->esp,
		       (unsigned long)regs->error_code);
		send_sig(trap_signal(v), current);
	}
	else
		die("exception", regs);
	if (user_mode(regs))
		exit_to_user_mode(regs);
}
