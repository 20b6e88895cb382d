/* mmap.c - address spaces and their VMAs (Linux's mm/mmap.c): each mm
 * keeps its vm_area_structs twice, in an address-sorted list (walks,
 * /proc/PID/maps) and in a red-black tree keyed by vm_end (find_vma in
 * O(log n)). Inserting merges with compatible neighbours; munmap splits. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/errno-base.h>
#include <asm/pgtable.h>
#include <asm/mm_events.h>


struct kmem_cache *vm_area_cachep, *mm_cachep;
struct mm_struct init_mm = {
	.mmap = LIST_HEAD_INIT(init_mm.mmap),
	.pgd = swapper_pg_dir,
	.mm_users = 2,
	.mm_count = 1,
};

void mmap_init(void)
{
	vm_area_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0, 0, 0);
	mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct), 0, 0, 0);
}

/* A fresh address space with its own page directory (users 1, count 1). */
struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kmem_cache_alloc(mm_cachep, GFP_KERNEL);
	if (!mm)
		return 0;
	memset(mm, 0, sizeof(*mm));
	INIT_LIST_HEAD(&mm->mmap);
	mm->mm_rb = RB_ROOT;
	mm->mm_users = mm->mm_count = 1;
	mm->free_area_cache = TASK_UNMAPPED_BASE;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kmem_cache_free(mm_cachep, mm);
		return 0;
	}
	return mm;
}

/* Drop a reference to the structure; the last one frees the pgd. */
void mmdrop(struct mm_struct *mm)
{
	if (--mm->mm_count == 0) {
		BUG_ON(mm == &init_mm);
		pgd_free(mm->pgd);
		kmem_cache_free(mm_cachep, mm);
	}
}

/* Drop a user; the last one tears the address space down (exit_mmap). */
void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users == 0) {
		exit_mmap(mm);
		mmdrop(mm);
	}
}

static void rb_insert_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = 0;
	while (*link) {
		parent = *link;
		struct vm_area_struct *v = rb_entry(parent, struct vm_area_struct, vm_rb);
		link = vma->vm_end < v->vm_end ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
}

/* The first VMA with vm_end > addr (it may start above addr), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *c = mm->mmap_cache;
	if (c && c->vm_start <= addr && addr < c->vm_end)
		return c;
	struct rb_node *n = mm->mm_rb.rb_node;
	struct vm_area_struct *best = 0;
	while (n) {
		struct vm_area_struct *v = rb_entry(n, struct vm_area_struct, vm_rb);
		if (v->vm_end > addr) {
			best = v;
			if (v->vm_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	if (best)
		mm->mmap_cache = best;
	return best;
}

/* find_vma, plus the VMA before it (NULL if none) in *pprev. */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	if (v) {
		*pprev = vma_prev(mm, v);
	} else {
		*pprev = list_empty(&mm->mmap) ? 0 :
			list_entry(mm->mmap.prev, struct vm_area_struct, vm_list);
	}
	return v;
}

/* The first VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *v = find_vma(mm, start);
	if (v && end <= v->vm_start)
		v = 0;
	return v;
}

/* Every change to a VMA list goes through unlink_vma, link_vma, set_vm_end
 * or vma_changed below, which report it on the mm channel (for the process
 * running now: exec, brk, mmap, munmap, mprotect, faults and exit all work
 * on current's address space; fork reports the child's copies itself). */
static void vma_changed(struct vm_area_struct *v)
{
	mm_event_vma(MMEV_VMA_CHANGE, current->pid, v);
}

static void unlink_vma(struct mm_struct *mm, struct vm_area_struct *v)
{
	mm_event_vma(MMEV_VMA_REMOVE, current->pid, v);
	rb_erase(&v->vm_rb, &mm->mm_rb);
	list_del(&v->vm_list);
	if (mm->mmap_cache == v)
		mm->mmap_cache = 0;
	mm->map_count--;
}

static void link_vma(struct mm_struct *mm, struct vm_area_struct *v, struct vm_area_struct *prev)
{
	list_add(&v->vm_list, prev ? &prev->vm_list : &mm->mmap);
	rb_insert_vma(mm, v);
	mm->map_count++;
	mm_event_vma(MMEV_VMA_ADD, current->pid, v);
}

/* vm_end is the tree key: re-insert after changing it. */
static void set_vm_end(struct mm_struct *mm, struct vm_area_struct *v, unsigned long end)
{
	rb_erase(&v->vm_rb, &mm->mm_rb);
	v->vm_end = end;
	rb_insert_vma(mm, v);
	vma_changed(v);
}

static bool can_merge(const struct vm_area_struct *v, unsigned long flags)
{
	return v->vm_flags == flags && !(flags & (VM_NOMERGE | VM_SHARED));
}

/* Map [start, end) (page aligned, free) with flags: extend a compatible
 * neighbour ending at start and/or starting at end (vma_merge), else add
 * a new VMA. Returns the VMA now covering start, or NULL (no memory). */
struct vm_area_struct *insert_vm_area(struct mm_struct *mm, unsigned long start,
				      unsigned long end, unsigned long flags, const char *name)
{
	struct vm_area_struct *prev, *next = find_vma_prev(mm, start, &prev);
	mm->total_vm += (end - start) >> PAGE_SHIFT;
	if (prev && prev->vm_end == start && can_merge(prev, flags)) {
		if (next && next->vm_start == end && can_merge(next, flags)) {
			unsigned long e = next->vm_end;
			unlink_vma(mm, next);
			kmem_cache_free(vm_area_cachep, next);
			set_vm_end(mm, prev, e);
		} else {
			set_vm_end(mm, prev, end);
		}
		return prev;
	}
	if (next && next->vm_start == end && can_merge(next, flags)) {
		next->vm_start = start;
		vma_changed(next);
		return next;
	}
	struct vm_area_struct *v = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
	if (!v) {
		mm->total_vm -= (end - start) >> PAGE_SHIFT;
		return 0;
	}
	memset(v, 0, sizeof(*v));
	v->vm_mm = mm;
	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = flags;
	v->vm_name = name;
	link_vma(mm, v, prev);
	return v;
}

/* Cut vma in two at addr (inside it); the new VMA is the upper part. */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *n = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	*n = *vma;
	n->vm_start = addr;
	n->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	set_vm_end(mm, vma, addr);
	link_vma(mm, n, vma);
	return 0;
}

static unsigned long vma_pages(const struct vm_area_struct *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/* Unmap [start, start + len): the four cases (a whole VMA, its head, its
 * tail, a hole splitting it in two) come down to splitting at start and
 * at end, then removing every VMA inside; then the page tables emptied by
 * it are freed. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	unsigned long end = start + len;
	struct vm_area_struct *vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (vma->vm_start < start) {
		if (split_vma(mm, vma, start))
			return -ENOMEM;
		vma = vma_next(mm, vma);
	}
	struct vm_area_struct *last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && end < last->vm_end && split_vma(mm, last, end))
		return -ENOMEM;
	while (vma && vma->vm_start < end) {
		struct vm_area_struct *next = vma_next(mm, vma);
		zap_page_range(mm, vma->vm_start, vma->vm_end);
		if (vma->vm_flags & VM_ACCOUNT)
			vm_unacct_memory(vma_pages(vma));
		mm->total_vm -= vma_pages(vma);
		unlink_vma(mm, vma);
		kmem_cache_free(vm_area_cachep, vma);
		vma = next;
	}
	free_pgtables(mm, start, end);
	return 0;
}

/* The whole address space goes (exit, execve): every VMA, frame and page
 * table. */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *v = vma_first(mm);
	while (v) {
		struct vm_area_struct *next = vma_next(mm, v);
		zap_page_range(mm, v->vm_start, v->vm_end);
		if (v->vm_flags & VM_ACCOUNT)
			vm_unacct_memory(vma_pages(v));
		unlink_vma(mm, v);
		kmem_cache_free(vm_area_cachep, v);
		v = next;
	}
	mm->total_vm = 0;
	free_pgtables(mm, 0, TASK_SIZE);
}

/* A free range of len bytes: the hint if it is free, else first fit
 * upwards from TASK_UNMAPPED_BASE (the classic layout). 0 if none. */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	if (len > TASK_SIZE)
		return 0;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (addr <= TASK_SIZE - len && !find_vma_intersection(mm, addr, addr + len))
			return addr;
	}
	addr = TASK_UNMAPPED_BASE;
	for (struct vm_area_struct *v = find_vma(mm, addr);; v = vma_next(mm, v)) {
		if (addr > TASK_SIZE - len)
			return 0;
		if (!v || addr + len <= v->vm_start)
			return addr;
		if (v->vm_end > addr)
			addr = v->vm_end;
	}
}

/* Charge pages to the address-space limit; -ENOMEM when over RLIMIT_AS. */
static int may_expand_vm(struct mm_struct *mm, unsigned long pages)
{
	unsigned long lim = current->rlim[RLIMIT_AS].rlim_cur;
	if (lim != RLIM_INFINITY && mm->total_vm + pages > lim >> PAGE_SHIFT)
		return -ENOMEM;
	return 0;
}

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000

unsigned long prot_to_vm_flags(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
}

/* Anonymous mmap in current's address space; returns the address or a
 * -errno (as an unsigned long in -4095..-1). Private writable mappings are
 * charged to the overcommit account; shared ones are populated at once so
 * that fork shares their frames. */
unsigned long do_mmap(unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	int type = flags & MAP_TYPE;
	if (!len || (type != MAP_SHARED && type != MAP_PRIVATE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = PAGE_ALIGN(len);
	if (flags & MAP_FIXED) {
		if ((addr & ~PAGE_MASK) || addr > TASK_SIZE - len)
			return -EINVAL;
	} else {
		addr = get_unmapped_area(mm, addr, len);
		if (!addr)
			return -ENOMEM;
	}
	unsigned long pages = len >> PAGE_SHIFT;
	unsigned long vmf = prot_to_vm_flags(prot);
	if (type == MAP_SHARED)
		vmf |= VM_SHARED | VM_MAYSHARE;
	else if ((vmf & VM_WRITE) && !(flags & MAP_NORESERVE))
		vmf |= VM_ACCOUNT;
	if (flags & MAP_FIXED) {
		int r = do_munmap(mm, addr, len);
		if (r)
			return r;
	}
	if (may_expand_vm(mm, pages))
		return -ENOMEM;
	if ((vmf & VM_ACCOUNT) && vm_enough_memory(pages))
		return -ENOMEM;
	if (!insert_vm_area(mm, addr, addr + len, vmf, 0)) {
		if (vmf & VM_ACCOUNT)
			vm_unacct_memory(pages);
		return -ENOMEM;
	}
	if (vmf & VM_SHARED)
		for (unsigned long a = addr; a < addr + len; a += PAGE_SIZE)
			if (!get_user_page(mm, a)) {
				do_munmap(mm, addr, len);
				return -ENOMEM;
			}
	return addr;
}

/* Grow the stack VMA down to cover addr (Linux's expand_stack): within
 * RLIMIT_STACK and RLIMIT_AS, not into the VMA below, charged to the
 * overcommit account. */
int expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	addr &= PAGE_MASK;
	if (addr >= vma->vm_start)
		return 0;
	unsigned long grow = (vma->vm_start - addr) >> PAGE_SHIFT;
	if (vma->vm_end - addr > current->rlim[RLIMIT_STACK].rlim_cur)
		return -ENOMEM;
	struct vm_area_struct *prev = vma_prev(mm, vma);
	if (prev && prev->vm_end > addr - PAGE_SIZE)
		return -ENOMEM;
	if (may_expand_vm(mm, grow) || vm_enough_memory(grow))
		return -ENOMEM;
	vma->vm_start = addr;
	mm->total_vm += grow;
	vma_changed(vma);
	return 0;
}

/* Consistency: list sorted and disjoint, tree in-order equals list,
 * map_count right. Returns the number of problems. */
int check_vma_tree(struct mm_struct *mm)
{
	int bad = 0, n = 0;
	struct vm_area_struct *v, *prev = 0;
	struct rb_node *r = rb_first(&mm->mm_rb);
	for_each_vma(v, mm) {
		n++;
		bad += v->vm_start >= v->vm_end;
		bad += prev && prev->vm_end > v->vm_start;
		bad += !r || r != &v->vm_rb;
		if (r)
			r = rb_next(r);
		prev = v;
	}
	bad += r != 0;
	bad += n != mm->map_count;
	return bad;
}

long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	       unsigned long fd, unsigned long pgoff)
{
	(void)fd;
	(void)pgoff;
	return (long)do_mmap(addr, len, prot, flags);
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	return do_munmap(current->mm, addr, len);
}

/* Give [s, e) (inside one VMA) the flags `flags`: split it out, change it,
 * merge with equal neighbours. Overcommit accounting follows VM_ACCOUNT. */
int vma_set_flags(struct mm_struct *mm, unsigned long s, unsigned long e, unsigned long flags)
{
	struct vm_area_struct *v = find_vma(mm, s);
	if (v->vm_start < s) {
		if (split_vma(mm, v, s))
			return -ENOMEM;
		v = vma_next(mm, v);
	}
	if (e < v->vm_end && split_vma(mm, v, e))
		return -ENOMEM;
	if ((v->vm_flags & VM_ACCOUNT) && !(flags & VM_ACCOUNT))
		vm_unacct_memory(vma_pages(v));
	v->vm_flags = flags;
	vma_changed(v);
	struct vm_area_struct *p = vma_prev(mm, v), *n = vma_next(mm, v);
	if (n && n->vm_start == v->vm_end && can_merge(n, flags) && can_merge(v, n->vm_flags)) {
		unsigned long end = n->vm_end;
		unlink_vma(mm, n);
		kmem_cache_free(vm_area_cachep, n);
		set_vm_end(mm, v, end);
	}
	if (p && p->vm_end == v->vm_start && can_merge(p, flags)) {
		unsigned long end = v->vm_end;
		unlink_vma(mm, v);
		kmem_cache_free(vm_area_cachep, v);
		set_vm_end(mm, p, end);
	}
	return 0;
}
