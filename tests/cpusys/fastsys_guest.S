/* fastsys_guest.S - the guest code of tests/cpusys/test_fastsys.c, at
 * 0x10000. The test embeds the assembled bytes (guest[] there); after a
 * change here, regenerate them with
 *	as --32 -o g.o fastsys_guest.S
 *	ld -m elf_i386 -Ttext=0x10000 --oformat binary -o g.bin g.o
 * and paste g.bin as a C array. Each entry point below is at a fixed
 * offset (.org), which the test names. */
	.code32
	.text
	.globl _start
_start:
/* 0x10000: #PF handler (error code on the stack): log the frame (error
 * code, EIP, CS, EFLAGS, and the next two dwords: ESP, SS from ring 3) in
 * a 32-byte record at 0x20000 + 32 * (count mod 128), map the window page
 * at CR2 (PT at 0x103000) to frame 0x200000 + (CR2 & 0x3F000), count it. */
	.org 0x000
pf_handler:
	pushal
	movl 0x5000, %ebx
	andl $0x7F, %ebx
	shll $5, %ebx
	movl 32(%esp), %eax
	movl %eax, 0x20000(%ebx)
	movl 36(%esp), %eax
	movl %eax, 0x20004(%ebx)
	movl 40(%esp), %eax
	movl %eax, 0x20008(%ebx)
	movl 44(%esp), %eax
	movl %eax, 0x2000C(%ebx)
	movl 48(%esp), %eax
	movl %eax, 0x20010(%ebx)
	movl 52(%esp), %eax
	movl %eax, 0x20014(%ebx)
	movl %cr2, %eax
	movl %eax, %ecx
	shrl $12, %ecx
	andl $0x3FF, %ecx
	andl $0x3F000, %eax
	addl $0x200007, %eax
	movl %eax, 0x103000(,%ecx,4)
	incl 0x5000
	popal
	addl $4, %esp
	iret
/* 0x10080: INT 80h: log the frame (EIP, CS, EFLAGS, ESP, SS) at 0x24000 +
 * 32 * (count mod 128), switch CR3 between 0x100000 and 0x104000, EAX + 1. */
	.org 0x080
sc_handler:
	pushal
	movl 0x5008, %ebx
	incl 0x5008
	andl $0x7F, %ebx
	shll $5, %ebx
	movl 32(%esp), %eax
	movl %eax, 0x24000(%ebx)
	movl 36(%esp), %eax
	movl %eax, 0x24004(%ebx)
	movl 40(%esp), %eax
	movl %eax, 0x24008(%ebx)
	movl 44(%esp), %eax
	movl %eax, 0x2400C(%ebx)
	movl 48(%esp), %eax
	movl %eax, 0x24010(%ebx)
	movl %cr3, %eax
	xorl $0x4000, %eax
	movl %eax, %cr3
	popal
	incl %eax
	iret
/* 0x100E0: whatever ends a case. */
	.org 0x0E0
stop_handler:
	hlt
/* 0x100F0: INT 31h handler (code selector with A clear): IRET. */
	.org 0x0F0
t_handler:
	incl 0x5004
	iret
/* 0x10100: ring-0 page-fault storm: 200 accesses, alternately write and
 * read, to window pages (i * 37) mod 1024; unmap and INVLPG after each. */
	.org 0x100
s_pf:
	xorl %esi, %esi
1:	movl %esi, %eax
	imull $37, %eax, %eax
	andl $0x3FF, %eax
	movl %eax, %edi
	shll $12, %edi
	addl $0x400000, %edi
	testl $1, %esi
	jz 2f
	movl (%edi), %edx
	jmp 3f
2:	movl %esi, 4(%edi)
3:	movl $0, 0x103000(,%eax,4)
	invlpg (%edi)
	incl %esi
	cmpl $200, %esi
	jne 1b
	hlt
/* 0x10200: to ring 3 at EBX (user stack 0x80000, user DS and ES). */
	.org 0x200
s_user:
	movl $0x23, %eax
	movl %eax, %ds
	movl %eax, %es
	pushl $0x23
	pushl $0x80000
	pushl $0x002
	pushl $0x1b
	pushl %ebx
	iret
/* 0x10240 (ring 3): 100 INT 80h, each folding EAX and the word at
 * 0x300000 into ESI; then HLT (#GP). */
	.org 0x240
u_sc:
	movl $100, %ebx
1:	movl $1, %eax
	int $0x80
	addl %eax, %esi
	movl 0x300000, %eax
	incl 0x300000
	xorl %eax, %esi
	decl %ebx
	jnz 1b
	hlt
/* 0x10280 (ring 3): 150 accesses to window pages (i * 7) mod 1024, each
 * faulting once (user #PF, inner delivery with an error code); HLT. */
	.org 0x280
u_pf:
	xorl %esi, %esi
1:	movl %esi, %eax
	imull $7, %eax, %eax
	andl $0x3FF, %eax
	shll $12, %eax
	addl $0x400000, %eax
	addl (%eax), %edx
	movl %esi, 8(%eax)
	incl %esi
	cmpl $150, %esi
	jne 1b
	hlt
/* 0x10300 (ring 0): INT 30h with ESP = EBX (a frame that may run into
 * the absent page 0x60000), then HLT. */
	.org 0x300
s_int30:
	movl %ebx, %esp
	int $0x30
	hlt
/* 0x10320 (ring 0): IRET with the frame EIP = 0x10360, CS = EBX, EFLAGS =
 * ECX (same level or, when CS has RPL 3, SS:ESP = EDX:0x80000). */
	.org 0x320
s_iret:
	pushl %edx
	pushl $0x80000
	pushl %ecx
	pushl %ebx
	pushl $0x10360
	iret
	.org 0x360
	hlt
/* 0x10380 (ring 0): INT 31h twice (a code selector whose A bit is clear
 * the first time), INT 30h-free; then PUSHA/POPA with ESP = EBX and HLT. */
	.org 0x380
s_misc:
	int $0x31
	int $0x31
	movl %ebx, %esp
	movl $0x11111111, %eax
	pushal
	movl $0x22222222, %eax
	popal
	pushal
	hlt
/* 0x103C0 (ring 3): INT 80h with ESI iterations, then INT 30h, HLT. */
	.org 0x3C0
u_sc2:
	movl %esi, %ebx
1:	int $0x80
	decl %ebx
	jnz 1b
	int $0x30
	hlt
