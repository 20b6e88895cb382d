/* syscall.S - the one place where user space enters the kernel.
 *
 * long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
 * Linux i386 convention: eax = number, arguments in ebx, ecx, edx, esi, edi,
 * ebp, "int $0x80", result in eax (-4095..-1 means -errno).  ebx, esi, edi
 * and ebp are callee-saved in the C ABI, so we save them around the trap.
 */
	.text
	.globl	__syscall6
	.type	__syscall6, @function
__syscall6:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	20(%esp), %eax
	movl	24(%esp), %ebx
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	movl	44(%esp), %ebp
	int	$0x80
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	ret
	.size	__syscall6, . - __syscall6

/* __restore_rt: where a signal handler returns to (sa_restorer).  The kernel
 * pushed a signal frame; rt_sigreturn restores the interrupted context.  A
 * static program has no vDSO guaranteed, so libc supplies its own. */
	.globl	__restore_rt
	.type	__restore_rt, @function
__restore_rt:
	movl	$173, %eax		/* SYS_rt_sigreturn */
	int	$0x80
	hlt
	.size	__restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
