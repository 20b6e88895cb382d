/* endings.S - tiny Multiboot kernels that end the machine in each of the
 * ways mmulab reports, selected at build time with -DMODE=...:
 *   MODE_LOOP    spin forever (for --max-insns and --timeout)
 *   MODE_TRIPLE  triple fault (IDT with limit 0, then INT3)
 *   MODE_KBRESET reset through the keyboard controller (0xFE to port 0x64)
 *   MODE_HLT     CLI; HLT
 *   MODE_STUCK   PIT at 100 Hz on IRQ0, whose handler never sends EOI,
 *                then STI; HLT forever: after one interrupt nothing can
 *                wake the CPU again
 *   MODE_UNIMP   touch an unclaimed port (in and out at 0x1234) and
 *                unbacked memory (0xC0000), then CLI; HLT
 *   MODE_ECHO    copy COM1 input to COM1 output (polling LSR) until a '.'
 *                arrives, then exit through isa-debug-exit with 0x10
 * The two reset modes count boots in CMOS byte 0x40 (battery-backed, so it
 * survives the reset), print "boot N" on COM1 and, at the third boot, exit
 * through isa-debug-exit with N (status 7): the same on QEMU.
 */
	.section .note.GNU-stack, "", @progbits
	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
#if MODE == 1 /* MODE_LOOP */
1:	jmp 1b
#elif MODE == 4 /* MODE_HLT */
	cli
	hlt
	jmp _start
#elif MODE == 7 /* MODE_UNIMP */
	movw $0x1234, %dx
	movb $0x5A, %al
	outb %al, %dx
	inb %dx, %al
	movl $0xCAFE, 0xC0000
	cli
	hlt
#elif MODE == 6 /* MODE_ECHO */
8:	movw $0x3FD, %dx
	inb %dx, %al
	testb $0x01, %al                 /* LSR.DR */
	jz 8b
	movw $0x3F8, %dx
	inb %dx, %al
	cmpb $'.', %al
	je 9f
	outb %al, %dx                    /* THR is always empty here */
	jmp 8b
9:	movb $0x10, %al
	outb %al, $0xF4
	cli
	hlt
#elif MODE == 5 /* MODE_STUCK */
	movl $stack_top, %esp
	/* IDT entry 0x20 -> handler (interrupt gate, selector 0x08: the boot
	 * GDT's flat code segment on both mmulab and QEMU) */
	movl $handler, %eax
	movw %ax, idt + 0x20 * 8
	movw $0x08, idt + 0x20 * 8 + 2
	movw $0x8E00, idt + 0x20 * 8 + 4
	shrl $16, %eax
	movw %ax, idt + 0x20 * 8 + 6
	lidt idt_desc
	/* PIC: vectors 0x20/0x28, only IRQ0 unmasked */
	movb $0x11, %al
	outb %al, $0x20
	movb $0x20, %al
	outb %al, $0x21
	movb $0x04, %al
	outb %al, $0x21
	movb $0x01, %al
	outb %al, $0x21
	movb $0xFE, %al
	outb %al, $0x21
	/* PIT channel 0, mode 2, 11932 (100 Hz) */
	movb $0x34, %al
	outb %al, $0x43
	movb $(11932 & 0xFF), %al
	outb %al, $0x40
	movb $(11932 >> 8), %al
	outb %al, $0x40
	sti
7:	hlt
	jmp 7b
handler:
	incl ticks
	iret                             /* no EOI: IRQ0 stays in service */

	.data
	.balign 8
idt_desc:
	.word 0x21 * 8 - 1
	.long idt
ticks:	.long 0
	.bss
	.balign 8
idt:	.space 0x21 * 8
	.space 1024
stack_top:
#else
	movl $stack_top, %esp
	movb $0x40, %al
	outb %al, $0x70
	inb $0x71, %al
	incb %al
	movb %al, %bl
	movb $0x40, %al
	outb %al, $0x70
	movb %bl, %al
	outb %al, $0x71
	/* "boot N\n" on COM1 */
	movl $msg, %esi
2:	movb (%esi), %al
	testb %al, %al
	jz 3f
	call putc
	incl %esi
	jmp 2b
3:	movb %bl, %al
	addb $'0', %al
	call putc
	movb $'\n', %al
	call putc
	cmpb $3, %bl
	jb 4f
	movb %bl, %al
	outb %al, $0xF4
	cli
	hlt
4:
#if MODE == 2 /* MODE_TRIPLE */
	lidt idt_null
	int3
#else
	movb $0xFE, %al
	outb %al, $0x64
#endif
5:	jmp 5b

putc:
	movw $0x3FD, %dx
	movb %al, %ah
6:	inb %dx, %al
	testb $0x20, %al
	jz 6b
	movb %ah, %al
	movw $0x3F8, %dx
	outb %al, %dx
	ret

	.section .rodata
msg:	.asciz "boot "
	.balign 4
idt_null:
	.word 0
	.long 0

	.bss
	.balign 16
	.space 1024
stack_top:
#endif
