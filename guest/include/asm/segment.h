/* segment.h - GDT layout and selectors (Linux i386 numbering). */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_TLS_MIN 6		/* 6..8: set_thread_area slots (part 2) */
#define GDT_ENTRY_TLS_ENTRIES 3
#define GDT_ENTRY_KERNEL_CS 12
#define GDT_ENTRY_KERNEL_DS 13
#define GDT_ENTRY_DEFAULT_USER_CS 14
#define GDT_ENTRY_DEFAULT_USER_DS 15
#define GDT_ENTRY_TSS 16
#define GDT_ENTRIES 32

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)		/* 0x60 */
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)		/* 0x68 */
#define __USER_CS (GDT_ENTRY_DEFAULT_USER_CS * 8 + 3)	/* 0x73 */
#define __USER_DS (GDT_ENTRY_DEFAULT_USER_DS * 8 + 3)	/* 0x7b */
#define __TSS_SEL (GDT_ENTRY_TSS * 8)			/* 0x80 */
#endif
