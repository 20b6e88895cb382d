/* proc.c - /proc files as text snapshots in Linux's formats, generated
 * when opened: meminfo, buddyinfo, slabinfo, PID/maps, PID/stat,
 * PID/status, and sys/vm/overcommit_{memory,ratio} (writable). */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/errno-base.h>
#include <mmulab/mm_channel.h>
#include <asm/pgtable.h>

#define PROC_BUF 16384
extern struct list_head cache_chain;
unsigned long totalram_pages(void);
unsigned long vm_commit_limit(void);

struct pbuf { char *b; unsigned long n; };

static void __attribute__((format(printf, 2, 3))) pr(struct pbuf *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (p->n < PROC_BUF)
		p->n += vsnprintf(p->b + p->n, PROC_BUF - p->n, fmt, ap);
	if (p->n > PROC_BUF - 1)
		p->n = PROC_BUF - 1;
	va_end(ap);
}

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

static unsigned long count_owner(unsigned owner)
{
	unsigned long n = 0;
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *pg = pfn_to_page(pfn);
		if (page_count(pg) > 0 && page_owner(pg) == owner && !PageReserved(pg))
			n++;
	}
	return n;
}

static void meminfo(struct pbuf *p)
{
	unsigned long total = totalram_pages(), free = nr_free_pages();
	struct zone *h = &zones[ZONE_HIGHMEM];
	unsigned long slab = 0;
	struct list_head *l;
	list_for_each(l, &cache_chain) {
		struct kmem_cache *c = list_entry(l, struct kmem_cache, next);
		slab += c->num_slabs << c->gfporder;
	}
	pr(p, "%-16s%8lu kB\n", "MemTotal:", K(total));
	pr(p, "%-16s%8lu kB\n", "MemFree:", K(free));
	pr(p, "%-16s%8lu kB\n", "MemAvailable:", K(free));
	pr(p, "%-16s%8lu kB\n", "Buffers:", 0UL);
	pr(p, "%-16s%8lu kB\n", "Cached:", 0UL);
	pr(p, "%-16s%8lu kB\n", "HighTotal:", K(h->managed_pages));
	pr(p, "%-16s%8lu kB\n", "HighFree:", K(h->free_pages));
	pr(p, "%-16s%8lu kB\n", "LowTotal:", K(total - h->managed_pages));
	pr(p, "%-16s%8lu kB\n", "LowFree:", K(free - h->free_pages));
	pr(p, "%-16s%8lu kB\n", "SwapTotal:", 0UL);
	pr(p, "%-16s%8lu kB\n", "SwapFree:", 0UL);
	pr(p, "%-16s%8lu kB\n", "AnonPages:", K(count_owner(MMOWN_USER)));
	pr(p, "%-16s%8lu kB\n", "Slab:", K(slab));
	pr(p, "%-16s%8lu kB\n", "PageTables:", K(count_owner(MMOWN_PAGE_TABLE)));
	pr(p, "%-16s%8lu kB\n", "CommitLimit:", K(vm_commit_limit()));
	pr(p, "%-16s%8lu kB\n", "Committed_AS:", K(vm_committed_pages));
	pr(p, "%-16s%8lu kB\n", "VmallocTotal:", (VMALLOC_END - VMALLOC_START) >> 10);
	pr(p, "%-16s%8lu kB\n", "VmallocUsed:", K(count_owner(MMOWN_VMALLOC)));
}

static void buddyinfo(struct pbuf *p)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!zones[z].managed_pages)
			continue;
		pr(p, "Node 0, zone %8s ", zones[z].name);
		for (int o = 0; o < MAX_ORDER; o++)
			pr(p, "%6lu ", zones[z].free_area[o].nr_free);
		pr(p, "\n");
	}
}

static void slabinfo(struct pbuf *p)
{
	pr(p, "slabinfo - version: 2.1\n");
	pr(p, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	struct list_head *l;
	list_for_each(l, &cache_chain) {
		struct kmem_cache *c = list_entry(l, struct kmem_cache, next);
		unsigned long active_slabs = kmem_cache_active_slabs(c);
		pr(p, "%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
		   c->name, c->num_active, c->num_slabs * c->num, c->buffer_size, c->num,
		   1u << c->gfporder, 0u, 0u, 0u, active_slabs, c->num_slabs, 0u);
	}
}

static void maps(struct pbuf *p, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	if (!mm)
		return;
	struct vm_area_struct *v;
	for_each_vma(v, mm) {
		unsigned long f = v->vm_flags;
		const char *name = 0;
		if (f & VM_NOMERGE)
			name = mm->exe_path;
		else if (v->vm_start <= mm->start_brk && v->vm_end >= mm->brk && mm->brk > mm->start_brk)
			name = "[heap]";
		else if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
			name = "[stack]";
		unsigned long start = p->n;
		pr(p, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->vm_start, v->vm_end,
		   f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-', f & VM_EXEC ? 'x' : '-',
		   f & VM_SHARED ? 's' : 'p', (f & VM_NOMERGE) ? v->vm_pgoff << PAGE_SHIFT : 0,
		   0, (f & VM_NOMERGE) ? 1 : 0, (f & VM_NOMERGE) ? 2UL : 0UL);
		if (name) {
			while (p->n - start < 48)
				pr(p, " ");
			pr(p, " %s", name);
		}
		pr(p, "\n");
	}
}

static char state_char(const struct task_struct *t)
{
	return t->state == EXIT_ZOMBIE ? 'Z' : t->state == TASK_RUNNING ? 'R' : 'S';
}

static void stat(struct pbuf *p, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	pr(p, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 %lu %lu\n", t->pid, t->comm,
	   state_char(t), t->parent ? t->parent->pid : 0, t->pid, t->pid,
	   mm ? mm->total_vm << PAGE_SHIFT : 0, mm ? mm->rss : 0);
}

static void status(struct pbuf *p, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	pr(p, "Name:\t%s\nState:\t%c\nPid:\t%d\nPPid:\t%d\n", t->comm, state_char(t), t->pid,
	   t->parent ? t->parent->pid : 0);
	if (mm)
		pr(p, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\nVmData:\t%8lu kB\n", K(mm->total_vm),
		   K(mm->rss), (mm->brk - mm->start_brk) >> 10);
}

/* The task a "/proc/PID..." path names, and where the rest starts. */
static struct task_struct *proc_task(const char *path, const char **rest)
{
	const char *s = path + 6;
	int pid = 0;
	if (*s < '1' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		pid = pid * 10 + *s++ - '0';
	if (*s && *s != '/')
		return 0;
	*rest = *s ? s + 1 : s;
	struct task_struct *t = find_task_by_pid(pid);
	return t && t->pid ? t : 0;
}

bool proc_is_dir(const char *path)
{
	const char *rest;
	if (!strcmp(path, "/proc") || !strcmp(path, "/proc/"))
		return true;
	return proc_task(path, &rest) && !*rest;
}

int proc_readdir_pids(int *pids, int max)
{
	int n = 0;
	struct list_head *l;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (t->pid && n < max)
			pids[n++] = t->pid;
	}
	return n;
}

long proc_generate(const char *path, char **buf, int **sysctl)
{
	struct pbuf p = { kmalloc(PROC_BUF, GFP_KERNEL), 0 };
	if (!p.b)
		return -ENOMEM;
	const char *rest;
	struct task_struct *t;
	if (!strcmp(path, "/proc/meminfo"))
		meminfo(&p);
	else if (!strcmp(path, "/proc/buddyinfo"))
		buddyinfo(&p);
	else if (!strcmp(path, "/proc/slabinfo"))
		slabinfo(&p);
	else if (!strcmp(path, "/proc/sys/vm/overcommit_memory")) {
		pr(&p, "%d\n", sysctl_overcommit_memory);
		*sysctl = &sysctl_overcommit_memory;
	} else if (!strcmp(path, "/proc/sys/vm/overcommit_ratio")) {
		pr(&p, "%d\n", sysctl_overcommit_ratio);
		*sysctl = &sysctl_overcommit_ratio;
	} else if ((t = proc_task(path, &rest)) && !strcmp(rest, "maps"))
		maps(&p, t);
	else if (t && !strcmp(rest, "stat"))
		stat(&p, t);
	else if (t && !strcmp(rest, "status"))
		status(&p, t);
	else {
		kfree(p.b);
		return -ENOENT;
	}
	*buf = p.b;
	return p.n;
}
