/* bootrom.S - mmulab's boot ROM: 64 KiB at 0xF0000, reset at F000:FFF0.
 *
 * What a BIOS plus a Multiboot boot loader would do, in a few steps (each
 * announced by a POST code on port 0x80, visible with -d post):
 *   0x01 reset vector reached, 0x02 A20 enabled (port 0x92 and i8042),
 *   0x03 GDT loaded, 0x04 protected mode entered (flat segments loaded),
 *   0x05 hand-off block found, 0x06 jumping to the kernel,
 *   0xEE no kernel: "mmulab: no kernel" on port 0xE9 and COM1, then HLT.
 * The emulator's loader leaves a hand-off block at 0x500 (docs/boot.md):
 *   +0 magic 0x6B6C6D6D, +4 entry, +8 Multiboot info address, +12 EAX value.
 * The kernel is entered as the Multiboot specification requires: EAX =
 * 0x2BADB002, EBX = info address, flat 32-bit CS/DS/ES/FS/GS/SS, IF = 0,
 * paging off.
 */
	.set ROMBASE, 0xF0000
	.set HANDOFF, 0x500
	.set HANDOFF_MAGIC, 0x6B6C6D6D
	.set SEL_CODE, 0x08
	.set SEL_DATA, 0x10
	.set COM1, 0x3F8

	.macro post code
	movb $\code, %al
	outb %al, $0x80
	.endm

	.text
	.code16
	.globl _start
_start:
	cli
	cld
	post 0x01

	/* A20 through the fast gate (bit 1 of port 0x92; never write bit 0,
	 * which resets) and through the keyboard controller's output port. */
	inb $0x92, %al
	orb $0x02, %al
	andb $0xFE, %al
	outb %al, $0x92
	movb $0xD1, %al
	outb %al, $0x64
	movb $0xDF, %al          /* A20 on, reset line high (inactive) */
	outb %al, $0x60
	post 0x02

	lgdtl %cs:gdt_desc
	post 0x03

	movl %cr0, %eax
	orb $0x01, %al           /* CR0.PE; paging stays off */
	movl %eax, %cr0
	ljmpl $SEL_CODE, $(ROMBASE + pm32)

	.code32
pm32:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	post 0x04

	cmpl $HANDOFF_MAGIC, HANDOFF
	jne no_kernel
	post 0x05
	movl HANDOFF + 4, %ecx   /* entry */
	movl HANDOFF + 8, %ebx   /* Multiboot information */
	movl HANDOFF + 12, %eax  /* 0x2BADB002 */
	movl %eax, %esi
	post 0x06
	movl %esi, %eax
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	/* Multiboot leaves ESP undefined and a kernel must set up its own
	 * stack; a usable one (below 0x7C00, free low memory) forgives those
	 * that call a function first. */
	movl $0x7C00, %esp
	jmp *%ecx

no_kernel:
	post 0xEE
	movl $(ROMBASE + msg_no_kernel), %esi
1:	movb (%esi), %al
	testb %al, %al
	jz 3f
	outb %al, $0xE9
	movb %al, %ah
	movw $(COM1 + 5), %dx
2:	inb %dx, %al             /* wait for THRE */
	testb $0x20, %al
	jz 2b
	movb %ah, %al
	movw $COM1, %dx
	outb %al, %dx
	incl %esi
	jmp 1b
3:	cli
4:	hlt
	jmp 4b

msg_no_kernel:
	.asciz "mmulab: no kernel\n"

	.balign 8
gdt:
	.quad 0                          /* null */
	.quad 0x00CF9A000000FFFF         /* 0x08: flat 32-bit code, ring 0 */
	.quad 0x00CF92000000FFFF         /* 0x10: flat data, ring 0 */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long ROMBASE + gdt

	/* The reset vector: 16 bytes below the top of the ROM. */
	.org 0xFFF0, 0xFF
	.code16
reset:
	ljmp $0xF000, $_start
	.org 0xFFF5, 0xFF
	.ascii "11/21/26"                /* a BIOS date, where a PC keeps one */
	.org 0x10000, 0xFF
