/* vmalloc.h - virtually contiguous kernel memory from scattered frames. */
#ifndef LINUX_VMALLOC_H
#define LINUX_VMALLOC_H
#include <linux/types.h>

struct page;
/* One area: [addr, addr + size), the last page of which is the guard. */
struct vm_struct {
	struct vm_struct *next;		/* sorted by address */
	void *addr;
	unsigned long size;		/* bytes, guard page included */
	struct page **pages;
	unsigned int nr_pages;
};

void *vmalloc(unsigned long size);
void vfree(const void *addr);
bool is_vmalloc_addr(const void *addr);
unsigned long vmalloc_used_pages(void);
#endif
