/* desc.h - segment descriptors, the TSS and the IDT. */
#ifndef ASM_DESC_H
#define ASM_DESC_H
#include <linux/types.h>
#include <asm/segment.h>

/* Build a segment descriptor from Linux-style 16-bit flags
 * (G D/B L AVL in bits 15..12, P DPL S Type in bits 7..0), a base and a
 * 20-bit limit: the GDT_ENTRY_INIT arrangement. */
#define GDT_ENTRY(flags, base, limit)                                   \
	((((u64)(base) & 0xff000000ULL) << 32) |                        \
	 (((u64)(flags) & 0xf0ffULL) << 40) |                           \
	 (((u64)(limit) & 0x000f0000ULL) << 32) |                       \
	 (((u64)(base) & 0x00ffffffULL) << 16) |                        \
	 ((u64)(limit) & 0x0000ffffULL))

/* The 32-bit TSS (Intel SDM vol. 3, 7.2.1); only esp0/ss0 matter here. */
struct tss_struct {
	u16 back_link, __blh;
	u32 esp0;
	u16 ss0, __ss0h;
	u32 esp1;
	u16 ss1, __ss1h;
	u32 esp2;
	u16 ss2, __ss2h;
	u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u16 es, __esh, cs, __csh, ss, __ssh, ds, __dsh, fs, __fsh, gs, __gsh, ldt, __ldth;
	u16 trace, io_bitmap_base;
} __attribute__((packed));

extern u64 gdt_table[GDT_ENTRIES];
extern struct tss_struct init_tss;
void cpu_init_gdt(void);
void trap_init(void);
#endif
