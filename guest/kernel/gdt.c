/* gdt.c - the global descriptor table and the kernel's TSS. */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/desc.h>

extern char boot_stack_top[];

/* Flat 4 GiB segments with Linux's flags: 0xc09a kernel code, 0xc092
 * kernel data, 0xc0fa user code, 0xc0f2 user data (G=1, D=1, P=1, DPL,
 * S=1, type). Entries 6..8 stay empty for set_thread_area. */
u64 gdt_table[GDT_ENTRIES] __attribute__((aligned(8))) = {
	[GDT_ENTRY_KERNEL_CS] = GDT_ENTRY(0xc09a, 0, 0xfffff),
	[GDT_ENTRY_KERNEL_DS] = GDT_ENTRY(0xc092, 0, 0xfffff),
	[GDT_ENTRY_DEFAULT_USER_CS] = GDT_ENTRY(0xc0fa, 0, 0xfffff),
	[GDT_ENTRY_DEFAULT_USER_DS] = GDT_ENTRY(0xc0f2, 0, 0xfffff),
};

struct tss_struct init_tss __attribute__((aligned(128)));

struct desc_ptr {
	u16 size;
	u32 address;
} __attribute__((packed));

/* Load the GDT, reload every segment register with the kernel selectors,
 * and load TR with a TSS whose ring-0 stack is the boot stack (used when a
 * trap comes from ring 3, later). The TSS has no I/O bitmap: ring 3 gets no
 * port access (I/O map base beyond the limit). */
void cpu_init_gdt(void)
{
	memset(&init_tss, 0, sizeof(init_tss));
	init_tss.esp0 = (u32)boot_stack_top;
	init_tss.ss0 = __KERNEL_DS;
	init_tss.io_bitmap_base = sizeof(init_tss);
	/* 32-bit available TSS: type 9, present, DPL 0, byte granular. */
	gdt_table[GDT_ENTRY_TSS] = GDT_ENTRY(0x0089, (u32)&init_tss, sizeof(init_tss) - 1);

	struct desc_ptr gdtr = { sizeof(gdt_table) - 1, (u32)gdt_table };
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile(
		"ljmp %0, $1f\n"
		"1:\n\t"
		"movw %w1, %%ds\n\t"
		"movw %w1, %%es\n\t"
		"movw %w1, %%ss\n\t"
		"movw %w2, %%fs\n\t"
		"movw %w2, %%gs"
		: : "i"(__KERNEL_CS), "r"(__KERNEL_DS), "r"(0) : "memory");
	__asm__ volatile("ltr %w0" : : "r"(__TSS_SEL));
}
