/* asm/ldt.h - the descriptor set_thread_area takes (Linux struct user_desc). */
#ifndef _ASM_LDT_H
#define _ASM_LDT_H
struct user_desc {
	unsigned int entry_number;	/* -1: let the kernel pick a free TLS slot */
	unsigned int base_addr;
	unsigned int limit;
	unsigned int seg_32bit:1;
	unsigned int contents:2;
	unsigned int read_exec_only:1;
	unsigned int limit_in_pages:1;
	unsigned int seg_not_present:1;
	unsigned int useable:1;
};
int set_thread_area(struct user_desc *u);
int get_thread_area(struct user_desc *u);
int set_tid_address(int *tidptr);
#endif
