/* endings.S - tiny Multiboot kernels that end the machine in each of the
 * ways mmulab reports, selected at build time with -DMODE=...:
 *   MODE_LOOP    spin forever (for --max-insns and --timeout)
 *   MODE_TRIPLE  triple fault (IDT with limit 0, then INT3)
 *   MODE_KBRESET reset through the keyboard controller (0xFE to port 0x64)
 *   MODE_HLT     CLI; HLT
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
