/* head.S - Multiboot entry: build the boot page tables, turn paging on,
 * jump to the higher half and call start_kernel().
 *
 * Entered in protected mode, paging off, flat segments, EAX = Multiboot
 * magic, EBX = physical address of the Multiboot information. Until paging
 * is on, every symbol is used through its physical address (sym - PAGE_OFFSET).
 *
 * The boot map covers the first EARLY_MAP_SIZE (16 MiB) twice: at 0 (so the
 * instruction after the CR0 write still executes) and at PAGE_OFFSET. The
 * identity half is dropped when paging_init() loads swapper_pg_dir.
 */
#include <asm/multiboot.h>

#define PAGE_OFFSET 0xC0000000
#define EARLY_PAGE_TABLES 4		/* 4 x 4 MiB = 16 MiB */
#define PHYS(x) ((x) - PAGE_OFFSET)

	.section .multiboot, "a"
	.align 4
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO
	.long -(MULTIBOOT_HEADER_MAGIC + (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO))

	.section .text.head, "ax"
	.globl _start
_start:
	cli
	cld
	movl %eax, %esi			/* keep the loader's registers */
	movl %ebx, %ebp

	/* Clear .bss (a loader should, but the page tables depend on it). */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_stop), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	movl %esi, PHYS(boot_magic)
	movl %ebp, PHYS(boot_mbi_pa)

	/* Page tables: frame i of the first 16 MiB, present + writable. */
	movl $PHYS(boot_pg_tables), %edi
	movl $0x003, %eax
	movl $(EARLY_PAGE_TABLES * 1024), %ecx
1:	stosl
	addl $0x1000, %eax
	loop 1b

	/* Directory: PDE 0..3 and 768..771 point at those tables. */
	movl $PHYS(boot_pg_tables) + 0x003, %eax
	movl $PHYS(boot_pg_dir), %edi
	xorl %ecx, %ecx
2:	movl %eax, (%edi,%ecx,4)
	movl %eax, (PAGE_OFFSET >> 20)(%edi,%ecx,4)
	addl $0x1000, %eax
	incl %ecx
	cmpl $EARLY_PAGE_TABLES, %ecx
	jne 2b

	movl %edi, %cr3
	movl %cr0, %eax
	orl $0x80000000, %eax		/* CR0.PG */
	movl %eax, %cr0
	movl $4f, %eax			/* still on identity-mapped code here */
	jmp *%eax			/* now running at PAGE_OFFSET + ... */
4:
	movl $boot_stack_top, %esp
	xorl %eax, %eax
	pushl %eax			/* no return address frame beyond here */
	popfl				/* known EFLAGS: IF=0, DF=0, AC=0 */
	call start_kernel
5:	cli
	hlt
	jmp 5b

	.data
	.globl boot_magic, boot_mbi_pa
boot_magic:	.long 0
boot_mbi_pa:	.long 0

	.section .bss.page_aligned, "aw", @nobits
	.align 4096
	.globl boot_pg_dir
boot_pg_dir:	.skip 4096
boot_pg_tables:	.skip 4096 * EARLY_PAGE_TABLES
	.globl boot_stack, boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
