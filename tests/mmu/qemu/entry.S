/* entry.S - Multiboot entry, the #PF and INT 0x80 handlers and the ring-3
 * probe of the QEMU reference guest.
 *
 * A supervisor probe sets pf_resume to the instruction after its access;
 * a #PF from ring 0 records CR2 and the error code and resumes there.
 * user_probe(lin, write) enters ring 3 with IRET, performs one access at
 * lin and comes back with INT 0x80; a #PF from ring 3 records the fault
 * and comes back the same way (the kernel stack pointer saved in
 * saved_ksp is simply reloaded). */
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
	testl $3, 12(%esp)         /* saved CS: from ring 3? */
	jnz back_to_kernel
	mov pf_resume, %eax
	mov %eax, 8(%esp)          /* saved EIP */
	pop %eax
	add $4, %esp               /* drop the error code */
	iret

	.globl int80_entry
int80_entry:
back_to_kernel:
	mov saved_ksp, %esp
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

/* void user_probe(uint32_t lin, int write): cdecl */
	.globl user_probe
user_probe:
	mov 4(%esp), %eax
	mov 8(%esp), %ecx
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov %esp, saved_ksp
	mov $0x23, %dx
	mov %dx, %ds
	mov %dx, %es
	pushl $0x23                /* SS */
	pushl $user_stack_top      /* ESP */
	pushfl
	pushl $0x1B                /* CS */
	test %ecx, %ecx
	jnz 1f
	pushl $user_read
	iret
1:	pushl $user_write
	iret

user_read:
	mov (%eax), %ecx
	int $0x80
user_write:
	movl $0x5a5a5a5a, (%eax)
	int $0x80

	.data
	.globl saved_ksp
saved_ksp:
	.long 0

	.bss
	.align 16
	.space 16384
stack_top:
	.space 4096
user_stack_top:
