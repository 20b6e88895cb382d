/* mbtest_entry.S - entry, interrupt stubs and the low-memory A20 probe of
 * the Multiboot test kernel. */
	.section .note.GNU-stack, "", @progbits
	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0x00000003        /* page-aligned modules, memory info */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	movl $stack_top, %esp
	pushl $0
	popfl                            /* clean EFLAGS */
	pushl %ebx                       /* Multiboot information */
	pushl %eax                       /* 0x2BADB002 */
	call kmain
1:	cli
	hlt
	jmp 1b

/* Exceptions 0-31: push the vector and go to C. Vectors 8, 10-14, 17 push
 * an error code; the others get a dummy one so the frame is uniform. */
	.macro exc n
	.globl exc\n
exc\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
	.else
	pushl $0
	.endif
	pushl $\n
	jmp exc_common
	.endm

	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc \n
	.endr

exc_common:
	call exception            /* does not return */
	jmp exc_common

	.globl irq_stub_pit
irq_stub_pit:
	pushal
	cld
	call irq_pit
	popal
	iret

	.globl irq_stub_other
irq_stub_other:
	pushal
	cld
	call irq_other
	popal
	iret

/* The A20 probe runs from low memory (copied below 1 MiB by the kernel):
 * with A20 off, bit 20 of every address is cleared, so code and data at
 * 1 MiB would vanish. It uses no stack while A20 is off and returns the
 * dword read at 0x7800 after writing 0x22222222 to 0x107800. */
	.globl a20_probe, a20_probe_end
a20_probe:
	inb $0x92, %al
	andb $0xFC, %al                  /* A20 off (never set bit 0: reset) */
	outb %al, $0x92
	movl $0x11111111, 0x7800
	movl $0x22222222, 0x107800
	movl 0x7800, %ecx
	inb $0x92, %al
	orb $0x02, %al                   /* A20 back on */
	andb $0xFE, %al
	outb %al, $0x92
	movl %ecx, %eax
	ret
a20_probe_end:

	.bss
	.balign 16
	.space 16384
stack_top:
