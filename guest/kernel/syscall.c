/* syscall.c - the int $0x80 system call entry (Linux i386 ABI: number in
 * EAX, arguments in EBX ECX EDX ESI EDI EBP, result or -errno in EAX),
 * the dispatch table, the work done on every return to user mode, and
 * the small system calls that fit nowhere else (Linux's kernel/sys.c). */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>
#include <asm/desc.h>

long sys_brk(unsigned long brk);
long sys_mmap2(unsigned long, unsigned long, unsigned long, unsigned long, unsigned long,
	       unsigned long);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_mprotect(unsigned long start, unsigned long len, unsigned long prot);
unsigned long totalram_pages(void);

long strncpy_from_user(char *dst, const char *src, long max)
{
	for (long i = 0; i < max; i++) {
		if (copy_from_user(&dst[i], src + i, 1))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}

/* Signals that can be acted on now: not blocked, or never blockable. */
static u64 deliverable(const struct task_struct *t)
{
	u64 unblockable = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSEGV - 1));
	return t->pending & ~(t->blocked & ~unblockable);
}

/* Reschedule and act on signals until neither is wanted. */
void exit_to_user_mode(struct pt_regs *regs)
{
	while (current->need_resched || deliverable(current)) {
		if (current->need_resched)
			schedule();
		do_signal(regs);
	}
}

struct new_utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };

static long sys_uname(struct new_utsname *u)
{
	static const struct new_utsname un = {
		"Linux", "mmulab", "6.1.0-mmulab", "#1 mmulab teaching kernel", "i686", "(none)",
	};
	return copy_to_user(u, &un, sizeof(un)) ? -EFAULT : 0;
}

struct user_desc {
	u32 entry_number, base_addr, limit;
	u32 seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1,
	    seg_not_present : 1, useable : 1;
};

/* A TLS descriptor in one of the GDT slots 6..8 (Linux's
 * do_set_thread_area); entry_number -1 picks a free one. */
static long sys_set_thread_area(struct user_desc *up)
{
	struct user_desc u;
	if (copy_from_user(&u, up, sizeof(u)))
		return -EFAULT;
	int idx = (int)u.entry_number;
	if (idx == -1) {
		for (idx = GDT_ENTRY_TLS_MIN; idx < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES; idx++)
			if (!current->tls_array[idx - GDT_ENTRY_TLS_MIN])
				break;
		if (idx == GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
			return -ESRCH;
		u.entry_number = idx;
		if (copy_to_user(&up->entry_number, &u.entry_number, 4))
			return -EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return -EINVAL;
	u64 d = 0;
	bool empty = (u.contents == 0 && u.read_exec_only == 1 && u.seg_32bit == 0 &&
		      u.limit_in_pages == 0 && u.seg_not_present == 1 && u.useable == 0) ||
		     (!u.base_addr && !u.limit && !u.contents && !u.seg_32bit && !u.limit_in_pages &&
		      !u.seg_not_present && !u.useable && !u.read_exec_only);
	if (!empty) {
		u32 flags = 1 /* accessed */ | ((u.read_exec_only ^ 1) << 1) | (u.contents << 2) |
			    (1 << 4) | (3 << 5) | ((u.seg_not_present ^ 1) << 7) |
			    (u.useable << 12) | (u.seg_32bit << 14) | (u.limit_in_pages << 15);
		d = GDT_ENTRY(flags, u.base_addr, u.limit);
	}
	current->tls_array[idx - GDT_ENTRY_TLS_MIN] = d;
	gdt_table[idx] = d;
	return 0;
}

/* Read a TLS slot back as a user_desc (Linux's do_get_thread_area). */
static long sys_get_thread_area(struct user_desc *up)
{
	u32 idx;
	if (copy_from_user(&idx, &up->entry_number, 4))
		return -EFAULT;
	if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return -EINVAL;
	u64 d = current->tls_array[idx - GDT_ENTRY_TLS_MIN];
	u32 lo = (u32)d, hi = (u32)(d >> 32);
	struct user_desc u;
	memset(&u, 0, sizeof(u));
	u.entry_number = idx;
	u.base_addr = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
	u.limit = (lo & 0xffff) | (hi & 0xf0000);
	u.seg_32bit = (hi >> 22) & 1;
	u.contents = (hi >> 10) & 3;
	u.read_exec_only = !((hi >> 9) & 1);
	u.limit_in_pages = (hi >> 23) & 1;
	u.seg_not_present = !((hi >> 15) & 1);
	u.useable = (hi >> 20) & 1;
	return copy_to_user(up, &u, sizeof(u)) ? -EFAULT : 0;
}

struct k_timespec { long tv_sec, tv_nsec; };

static long sys_nanosleep(const struct k_timespec *req, struct k_timespec *rem)
{
	struct k_timespec t;
	if (copy_from_user(&t, req, sizeof(t)))
		return -EFAULT;
	if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
		return -EINVAL;
	unsigned long ticks = (unsigned long)t.tv_sec * 100 + (t.tv_nsec + 9999999) / 10000000 + 1;
	current->timeout = jiffies + ticks;
	while (current->timeout) {
		if (current->pending & ~current->blocked) {
			current->timeout = 0;
			if (rem) {
				struct k_timespec z = { 0, 0 };
				copy_to_user(rem, &z, sizeof(z));
			}
			return -EINTR;
		}
		current->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	return 0;
}

static long sys_clock_gettime(int clk, struct k_timespec *tp)
{
	(void)clk;
	struct k_timespec t = { (long)(jiffies / 100), (long)(jiffies % 100) * 10000000 };
	return copy_to_user(tp, &t, sizeof(t)) ? -EFAULT : 0;
}

static long sys_getrlimit(unsigned r, struct rlimit *rl)
{
	if (r >= RLIM_NLIMITS)
		return -EINVAL;
	return copy_to_user(rl, &current->rlim[r], sizeof(*rl)) ? -EFAULT : 0;
}

static long sys_setrlimit(unsigned r, const struct rlimit *rl)
{
	struct rlimit n;
	if (r >= RLIM_NLIMITS)
		return -EINVAL;
	if (copy_from_user(&n, rl, sizeof(n)))
		return -EFAULT;
	if (n.rlim_cur > n.rlim_max || n.rlim_max > current->rlim[r].rlim_max)
		return -EINVAL;
	current->rlim[r] = n;
	return 0;
}

struct k_sysinfo {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned mem_unit;
	char _f[8];
};

static long sys_sysinfo(struct k_sysinfo *si)
{
	struct k_sysinfo s;
	memset(&s, 0, sizeof(s));
	s.uptime = jiffies / 100;
	s.totalram = totalram_pages();
	s.freeram = nr_free_pages();
	s.totalhigh = zones[ZONE_HIGHMEM].managed_pages;
	s.freehigh = zones[ZONE_HIGHMEM].free_pages;
	struct list_head *l;
	list_for_each(l, &task_list)
		s.procs++;
	s.mem_unit = PAGE_SIZE;
	return copy_to_user(si, &s, sizeof(s)) ? -EFAULT : 0;
}

static long sys_getcwd(char *buf, unsigned long size)
{
	if (size < 2)
		return -ERANGE;
	return copy_to_user(buf, "/", 2) ? -EFAULT : 2;
}

static long sys_execve(struct pt_regs *regs)
{
	return do_execve((const char *)regs->ebx, (char *const *)regs->ecx,
			 (char *const *)regs->edx, regs, false);
}

static long sys_old_mmap(const unsigned long *args)
{
	unsigned long a[6];
	if (copy_from_user(a, args, sizeof(a)))
		return -EFAULT;
	if (a[5] & ~PAGE_MASK)
		return -EINVAL;
	return sys_mmap2(a[0], a[1], a[2], a[3], a[4], a[5] >> PAGE_SHIFT);
}

#define A1 regs->ebx
#define A2 regs->ecx
#define A3 regs->edx
#define A4 regs->esi
#define A5 regs->edi
#define A6 regs->ebp
#define P(x) ((void *)(x))

/* Dispatch one system call; the result goes back in EAX. */
void do_syscall(struct pt_regs *regs)
{
	long r;
	switch (regs->eax) {
	case 1: do_exit((A1 & 0xff) << 8);
	case 252: do_exit((A1 & 0xff) << 8);
	case 2: r = do_fork(regs); break;
	case 3: r = sys_read(A1, P(A2), A3); break;
	case 4: r = sys_write(A1, P(A2), A3); break;
	case 5: r = sys_open(P(A1), A2, A3); break;
	case 6: r = sys_close(A1); break;
	case 7: r = do_wait4((int)A1, P(A2), A3); break;
	case 11:
		r = sys_execve(regs);
		if (!r)
			return;		/* regs now start the new program */
		break;
	case 12: r = 0; break;			/* chdir: one directory tree, cwd "/" */
	case 13: r = jiffies / 100; if (A1) copy_to_user(P(A1), &r, 4); break;
	case 19: r = sys_lseek(A1, A2, A3); break;
	case 20: r = current->pid; break;
	case 24: case 47: case 49: case 50:
	case 199: case 200: case 201: case 202: r = 0; break;	/* root */
	case 33: r = sys_access(P(A1), A2); break;
	case 37: r = sys_kill(A1, A2); break;
	case 41: r = sys_dup(A1); break;
	case 45: r = sys_brk(A1); break;
	case 54: r = sys_ioctl(A1, A2, A3); break;
	case 63: r = sys_dup2(A1, A2); break;
	case 64: r = current->parent ? current->parent->pid : 0; break;
	case 75: r = sys_setrlimit(A1, P(A2)); break;
	case 76: case 191: r = sys_getrlimit(A1, P(A2)); break;
	case 90: r = sys_old_mmap(P(A1)); break;
	case 91: r = sys_munmap(A1, A2); break;
	case 114: r = do_wait4((int)A1, P(A2), A3); break;
	case 116: r = sys_sysinfo(P(A1)); break;
	case 122: r = sys_uname(P(A1)); break;
	case 125: r = sys_mprotect(A1, A2, A3); break;
	case 140: r = sys_llseek(A1, A2, A3, P(A4), A5); break;
	case 146: r = sys_writev(A1, P(A2), A3); break;
	case 158: current->need_resched = true; r = 0; break;
	case 162: r = sys_nanosleep(P(A1), P(A2)); break;
	case 119: r = sys_sigreturn(regs); break;
	case 173: r = sys_rt_sigreturn(regs); break;
	case 174: r = sys_rt_sigaction(A1, P(A2), P(A3), A4); break;
	case 175: r = sys_rt_sigprocmask(A1, P(A2), P(A3), A4); break;
	case 183: r = sys_getcwd(P(A1), A2); break;
	case 192: r = sys_mmap2(A1, A2, A3, A4, A5, A6); break;
	case 195: case 196: r = sys_stat64(P(A1), P(A2)); break;
	case 197: r = sys_fstat64(A1, P(A2)); break;
	case 220: r = sys_getdents64(A1, P(A2), A3); break;
	case 224: r = current->pid; break;
	case 243: r = sys_set_thread_area(P(A1)); break;
	case 244: r = sys_get_thread_area(P(A1)); break;
	case 258: current->clear_child_tid = A1; r = current->pid; break;
	case 265: r = sys_clock_gettime(A1, P(A2)); break;
	default: r = -ENOSYS; break;
	}
	regs->eax = (u32)r;
}
