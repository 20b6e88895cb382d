/* entry.S - trap and IRQ entry stubs.
 *
 * Every vector 0..47 gets a stub that makes the stack look the same
 * (an error code, 0 if the CPU pushed none, then the vector number), then
 * common_entry saves the registers as a struct pt_regs, switches to the
 * kernel data segments and calls do_trap(regs).
 */
#include <asm/segment.h>

.macro TRAP_NOERR vec
	.globl vector\vec
vector\vec:
	pushl $0
	pushl $\vec
	jmp common_entry
.endm

.macro TRAP_ERR vec
	.globl vector\vec
vector\vec:
	pushl $\vec
	jmp common_entry
.endm

	.text
	.align 4
/* Exceptions pushing an error code: 8, 10-14, 17 (Intel SDM vol. 3, 6.13). */
TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR 8
TRAP_NOERR 9
TRAP_ERR 10
TRAP_ERR 11
TRAP_ERR 12
TRAP_ERR 13
TRAP_ERR 14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR 17
.irp v, 18,19,20,21,22,23,24,25,26,27,28,29,30,31
TRAP_NOERR \v
.endr
/* IRQ 0..15 remapped to vectors 0x20..0x2F */
.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
TRAP_NOERR \v
.endr
/* int $0x80: the Linux i386 system call gate */
TRAP_NOERR 128

common_entry:
	pushal				/* eax..edi */
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs			/* now the stack is a struct pt_regs */
	movl $__KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	/* The kernel does not use %fs/%gs: null them, so that a trap taken
	 * in the return path (a stale user selector, below) saves and
	 * restores a harmless value instead of faulting again forever. */
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	cld
	pushl %esp			/* argument: struct pt_regs * */
	call do_trap
	addl $4, %esp
/* Return through the saved struct pt_regs at %esp: to the interrupted
 * kernel code, or to user mode (a new child starts here too). */
	.globl ret_from_fork
ret_from_fork:
/* A user's saved selector may have become unusable meanwhile (a TLS
 * descriptor cleared by set_thread_area, a sigreturn): the pop faults in
 * ring 0, and the __ex_table fixup replaces the value with the null
 * selector and retries, as Linux's entry code does. */
1:	popl %gs
2:	popl %fs
3:	popl %es
4:	popl %ds
	popal
	addl $8, %esp			/* vector and error code */
	iret

/* the fixups (never reached by falling through: iret is above) */
5:	movl $0, (%esp)
	jmp 1b
6:	movl $0, (%esp)
	jmp 2b
7:	movl $0, (%esp)
	jmp 3b
8:	movl $0, (%esp)
	jmp 4b
	.section __ex_table, "a"
	.long 1b, 5b
	.long 2b, 6b
	.long 3b, 7b
	.long 4b, 8b
	.previous

/* switch_to_asm(&prev->thread_esp, next->thread_esp): save the callee-saved
 * registers on prev's kernel stack, switch stacks, restore next's. A new
 * task's stack is prepared by fork to "return" into ret_from_fork. */
	.globl switch_to_asm
switch_to_asm:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %eax
	movl %esp, (%eax)
	movl 24(%esp), %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
