/* desc.c - GDT (flat kernel and user segments, one TSS) and IDT. */
#include "bench.h"

struct tss {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap_base;
};

static struct tss tss;
static u32 gdt[2 * 6] __attribute__((aligned(8)));
static u32 idt[2 * 256] __attribute__((aligned(8)));

/* A segment descriptor: base, 20-bit limit, and the access/flags word in
 * Linux's spelling (0xc09a = 32-bit 4 KiB-granular present DPL0 code). */
static void gdt_set(int i, u32 base, u32 limit, u32 flags)
{
	gdt[2 * i] = (limit & 0xFFFF) | (base << 16);
	gdt[2 * i + 1] = ((base >> 16) & 0xFF) | ((flags & 0xF0FF) << 8) |
			 (limit & 0xF0000) | (base & 0xFF000000);
}

/* An interrupt gate (IF cleared on entry) to a kernel-code handler,
 * callable with INT n from rings <= dpl. */
void idt_set(int vector, void (*handler)(void), int dpl)
{
	u32 off = (u32)handler;

	idt[2 * vector] = (off & 0xFFFF) | (KERNEL_CS << 16);
	idt[2 * vector + 1] = (off & 0xFFFF0000) | 0x8E00 | ((u32)dpl << 13);
}

void tss_set_esp0(u32 esp0)
{
	tss.esp0 = esp0;
}

/* Load the GDT, reload every segment register from it, load TR and an
 * IDT whose 32 exception vectors and INT 0x80 go to entry.S's stubs. */
void desc_init(void)
{
	struct { u16 limit; u32 base; } __attribute__((packed)) gdtr, idtr;

	gdt_set(1, 0, 0xFFFFF, 0xc09a);
	gdt_set(2, 0, 0xFFFFF, 0xc092);
	gdt_set(3, 0, 0xFFFFF, 0xc0fa);
	gdt_set(4, 0, 0xFFFFF, 0xc0f2);
	tss.ss0 = KERNEL_DS;
	tss.iomap_base = sizeof(tss);
	gdt_set(5, (u32)&tss, sizeof(tss) - 1, 0x0089);

	gdtr.limit = sizeof(gdt) - 1;
	gdtr.base = (u32)gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\tmovw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
			 "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
			 "ltr %w3"
			 :: "m"(gdtr), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(TSS_SEL) : "eax", "memory");

	for (int v = 0; v < 32; v++)
		idt_set(v, (void (*)(void))trap_stubs[v], 0);
	idt_set(0x80, trap_stub_syscall, 3);
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u32)idt;
	__asm__ volatile("lidt %0" :: "m"(idtr));
}
