/* entry.S - Multiboot entry and the #PF handler of the QEMU reference guest.
 * The handler records CR2 and the error code, then resumes at the address
 * the probe left in pf_resume (skipping the faulting instruction). */
	.section .multiboot, "a"
	.align 4
	.long 0x1BADB002
	.long 0x00000000
	.long -(0x1BADB002)

	.text
	.globl _start
_start:
	mov $stack_top, %esp
	call guest_main
1:	hlt
	jmp 1b

	.globl pf_entry
pf_entry:
	push %eax
	mov 4(%esp), %eax          /* error code */
	mov %eax, pf_ec
	mov %cr2, %eax
	mov %eax, pf_cr2
	movl $1, pf_hit
	mov pf_resume, %eax
	mov %eax, 8(%esp)          /* saved EIP */
	pop %eax
	add $4, %esp               /* drop the error code */
	iret

	.bss
	.align 16
	.space 16384
stack_top:
