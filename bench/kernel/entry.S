/* entry.S - Multiboot header, entry, trap stubs, the drop to ring 3 and
 * the user-mode loop of the syscall workload. */
	.section .note.GNU-stack, "", @progbits
	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0x00000002        /* memory information */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cld
	movl %eax, %edx                  /* keep the Multiboot magic */
	/* Zero .bss ourselves: the loader should have, but a benchmark must
	 * not depend on it (page tables live there). */
	movl $__bss_start, %edi
	movl $__kernel_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl $kstack_top, %esp
	pushl $0
	popfl                            /* IF = 0, clean flags */
	pushl %ebx                       /* Multiboot information */
	pushl %edx                       /* 0x2BADB002 */
	call kmain
1:	cli
	hlt
	jmp 1b

/* Traps: every stub pushes a dummy error code where the CPU pushes none
 * (all but 8, 10-14 and 17), then its vector, so trap_common sees one
 * frame layout (struct trap_frame in bench.h). */
	.macro stub n
stub\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
	.else
	pushl $0
	.endif
	pushl $\n
	jmp trap_common
	.endm

	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub \n
	.endr
	stub 128

trap_common:
	pushal
	pushl %esp                       /* struct trap_frame * */
	call trap_dispatch
	addl $4, %esp
	popal
	addl $8, %esp                    /* vector, error code */
	iret

	.section .rodata
	.globl trap_stubs
	.balign 4
trap_stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long stub\n
	.endr
	.globl trap_stub_syscall
	.set trap_stub_syscall, stub128

	.text
/* enter_user(eip, esp, ebx): leave ring 0 for good through IRET, with
 * interrupts off and EBX = the iteration count. */
	.globl enter_user
enter_user:
	movl 4(%esp), %ecx               /* eip */
	movl 8(%esp), %edx               /* esp */
	movl 12(%esp), %ebx
	movw $0x23, %ax                  /* USER_DS */
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	pushl $0x23                      /* SS */
	pushl %edx                       /* ESP */
	pushl $0x002                     /* EFLAGS: IF = 0, IOPL = 0 */
	pushl $0x1B                      /* USER_CS */
	pushl %ecx                       /* EIP */
	iret

/* The user half of the syscall workload (ring 3, its own U/S = 1 pages).
 * EBX system calls "switch" (eax = 1): the kernel loads the other
 * address space's CR3 and returns a value; the loop folds that value and
 * the word at 0x50000000 (a different frame in each address space, which
 * it also increments) into ESI. Then "exit" (eax = 2) with EBX = ESI. */
	.set USER_DATA, 0x50000000
	.section .user.text, "ax"
	.globl user_entry
user_entry:
	movl $0x811C9DC5, %esi
1:	movl $1, %eax
	int $0x80
	xorl %eax, %esi
	imull $16777619, %esi, %esi
	movl USER_DATA, %eax
	incl USER_DATA
	xorl %eax, %esi
	imull $16777619, %esi, %esi
	decl %ebx
	jnz 1b
	movl $2, %eax
	movl %esi, %ebx
	int $0x80
2:	jmp 2b

	.section .user.stack, "aw"
	.balign 4096
	.skip 4096
	.globl user_stack_top
user_stack_top:

	.bss
	.balign 16
	.skip 16384
	.globl kstack_top
kstack_top:
