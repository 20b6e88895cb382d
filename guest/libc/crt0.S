/* crt0.S - process entry point of a static i386 program.
 *
 * At _start the kernel has laid out the initial stack as Linux does:
 *   (%esp)      argc
 *   4(%esp)     argv[0] ... argv[argc-1], NULL
 *               envp[0] ... NULL
 *               auxv pairs (a_type, a_val) ... AT_NULL
 * and all general registers except %esp are undefined (edx may hold an
 * rtld_fini pointer, which a static program ignores).  We hand the stack
 * pointer to __libc_start in C and never return.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* outermost frame for debuggers */
	movl	%esp, %eax		/* eax = &argc */
	andl	$-16, %esp		/* gcc's i386 ABI: 16-byte aligned at call */
	subl	$12, %esp
	pushl	%eax
	call	__libc_start
	hlt				/* not reached: __libc_start calls exit */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
