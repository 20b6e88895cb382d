/* mm_struct.h - address spaces: struct mm_struct and struct vm_area_struct
 * (Linux keeps both in mm_types.h; here they have their own header). */
#ifndef LINUX_MM_STRUCT_H
#define LINUX_MM_STRUCT_H
#include <linux/list.h>
#include <linux/rbtree.h>
#include <asm/page.h>

/* User space ends where the kernel's direct map starts (3G/1G split). */
#define TASK_SIZE PAGE_OFFSET
/* Classic (2.6 "legacy") layout: mmap areas bottom-up from TASK_SIZE / 3. */
#define TASK_UNMAPPED_BASE (TASK_SIZE / 3)
#define STACK_TOP TASK_SIZE

/* vm_flags (Linux's values) */
#define VM_READ 0x00000001
#define VM_WRITE 0x00000002
#define VM_EXEC 0x00000004
#define VM_SHARED 0x00000008
#define VM_MAYREAD 0x00000010
#define VM_MAYWRITE 0x00000020
#define VM_MAYEXEC 0x00000040
#define VM_MAYSHARE 0x00000080
#define VM_GROWSDOWN 0x00000100
#define VM_ACCOUNT 0x00100000	/* counted in vm_committed_as */
#define VM_NOMERGE 0x00001000	/* an ELF segment (Linux: file-backed, VM_DENYWRITE) */

struct mm_struct;

/* One contiguous range of a process's address space with one set of
 * permissions: [vm_start, vm_end), both page aligned. */
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end;
	unsigned long vm_flags;
	struct list_head vm_list;	/* mm->mmap, sorted by address */
	struct rb_node vm_rb;		/* mm->mm_rb, keyed by vm_end */
	unsigned long vm_pgoff;
	const char *vm_name;		/* "[heap]", "[stack]" or NULL for /proc maps */
};

/* An address space. mm_users counts tasks using it as their own mm;
 * mm_count counts references to the structure (all users together hold
 * one, plus each kernel thread borrowing it as active_mm). */
struct mm_struct {
	struct list_head mmap;		/* VMAs sorted by address */
	struct rb_root mm_rb;
	struct vm_area_struct *mmap_cache;	/* last find_vma result */
	pde_t *pgd;
	int mm_users, mm_count;
	int map_count;
	unsigned long total_vm, rss, committed;	/* pages */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long free_area_cache;
	char exe_path[48];		/* the program, for /proc/PID/maps */
};

static inline struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *v)
{
	return v->vm_list.next == &mm->mmap ? 0 : list_entry(v->vm_list.next, struct vm_area_struct, vm_list);
}
static inline struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *v)
{
	return v->vm_list.prev == &mm->mmap ? 0 : list_entry(v->vm_list.prev, struct vm_area_struct, vm_list);
}
static inline struct vm_area_struct *vma_first(struct mm_struct *mm)
{
	return list_empty(&mm->mmap) ? 0 : list_entry(mm->mmap.next, struct vm_area_struct, vm_list);
}
#define for_each_vma(v, mm) for (v = vma_first(mm); v; v = vma_next(mm, v))

extern struct mm_struct init_mm;

/* mm/mmap.c */
struct mm_struct *mm_alloc(void);
void mmput(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
void exit_mmap(struct mm_struct *mm);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
struct vm_area_struct *insert_vm_area(struct mm_struct *mm, unsigned long start,
				      unsigned long end, unsigned long flags, const char *name);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
unsigned long do_mmap(unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags);
int expand_stack(struct vm_area_struct *vma, unsigned long addr);
int check_vma_tree(struct mm_struct *mm);
extern struct kmem_cache *vm_area_cachep, *mm_cachep;
void mmap_init(void);

/* mm/memory.c */
pde_t *pgd_alloc(void);
void pgd_free(pde_t *pgd);
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
		    int write);
struct page *get_user_page(struct mm_struct *mm, unsigned long addr);
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
void zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end);
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end);
void change_protection(struct mm_struct *mm, unsigned long start, unsigned long end, int writable);
void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end);
void put_user_page(struct page *p);

/* mm/oom.c: overcommit accounting and the OOM killer */
extern int sysctl_overcommit_memory, sysctl_overcommit_ratio;
extern unsigned long vm_committed_pages;
int vm_enough_memory(long pages);
void vm_unacct_memory(long pages);
void out_of_memory(void);
#endif
