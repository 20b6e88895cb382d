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

/* Where a signal handler returns to (sa_restorer).  A static program has
 * no vDSO guaranteed, so libc supplies its own.  The i386 kernel builds
 * one of two frames: with SA_SIGINFO an rt frame, undone by rt_sigreturn
 * (173); without it the old sigframe, whose first word (the signal number,
 * the handler's argument) must be popped before sigreturn (119) finds the
 * saved context at %esp. */
	.globl	__restore
	.type	__restore, @function
__restore:
	popl	%eax
	movl	$119, %eax		/* SYS_sigreturn */
	int	$0x80
	hlt
	.size	__restore, . - __restore

	.globl	__restore_rt
	.type	__restore_rt, @function
__restore_rt:
	movl	$173, %eax		/* SYS_rt_sigreturn */
	int	$0x80
	hlt
	.size	__restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
