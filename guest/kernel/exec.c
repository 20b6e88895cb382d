/* exec.c - execve of static ELF32 i386 programs (Linux's fs/exec.c and
 * fs/binfmt_elf.c, without an interpreter): check the image, copy the
 * arguments out of the old address space, replace it with a new one
 * holding the PT_LOAD segments (copied in at once from the in-memory
 * file), an empty heap after the highest segment and a stack carrying
 * argc, argv, envp and the auxiliary vector; then return to user mode at
 * the entry point. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>
#include <asm/processor.h>
#include <asm/desc.h>

typedef struct {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version, e_entry, e_phoff, e_shoff, e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;
typedef struct {
	u32 p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

#define ARG_MAX_BYTES (32 * 1024)	/* argument + environment strings */
#define MAX_ARGS 256
#define STACK_INITIAL (128 * 1024)	/* Linux's stack_expand */

/* Arguments gathered in kernel memory before the old mm goes away. */
struct linux_binprm {
	char *buf;		/* the strings, back to back */
	unsigned long len;
	int argc, envc;
	char filename[64];
};

/* Append the NULL-terminated vector vec (user or kernel memory). */
static int copy_strings(struct linux_binprm *b, char *const *vec, bool kernel, int *count)
{
	*count = 0;
	if (!vec)
		return 0;
	for (;;) {
		char *s;
		if (kernel)
			s = vec[*count];
		else if (copy_from_user(&s, &vec[*count], sizeof(s)))
			return -EFAULT;
		if (!s)
			return 0;
		if (*count >= MAX_ARGS)
			return -E2BIG;
		long n;
		if (kernel) {
			n = strlen(s);
			if (b->len + n + 1 > ARG_MAX_BYTES)
				return -E2BIG;
			memcpy(b->buf + b->len, s, n + 1);
		} else {
			n = strncpy_from_user(b->buf + b->len, s, ARG_MAX_BYTES - b->len);
			if (n == -ENAMETOOLONG)
				return -E2BIG;
			if (n < 0)
				return n;
		}
		b->len += n + 1;
		(*count)++;
	}
}

/* Is the image one we can run? Returns 0 or -ENOEXEC. */
static int check_elf(const struct inode *ino)
{
	const Elf32_Ehdr *eh = (const void *)ino->data;
	if (ino->size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4) || eh->e_ident[4] != 1 ||
	    eh->e_ident[5] != 1 || eh->e_type != 2 || eh->e_machine != 3 ||
	    eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 64 ||
	    eh->e_phoff > ino->size || eh->e_phnum * sizeof(Elf32_Phdr) > ino->size - eh->e_phoff)
		return -ENOEXEC;
	const Elf32_Phdr *ph = (const void *)(ino->data + eh->e_phoff);
	int loads = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return -ENOEXEC;	/* dynamic programs: no loader here */
		if (ph[i].p_type != PT_LOAD)
			continue;
		loads++;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > ino->size ||
		    ph[i].p_filesz > ino->size - ph[i].p_offset || ph[i].p_vaddr >= TASK_SIZE ||
		    ph[i].p_memsz > TASK_SIZE - ph[i].p_vaddr ||
		    (ph[i].p_vaddr & ~PAGE_MASK) != (ph[i].p_offset & ~PAGE_MASK))
			return -ENOEXEC;
	}
	return loads ? 0 : -ENOEXEC;
}

/* Copy n bytes of kernel memory to addr in mm (frames faulted in as
 * needed, whatever the VMA's protection). */
static int fill_user(struct mm_struct *mm, unsigned long addr, const u8 *src, unsigned long n)
{
	while (n) {
		struct page *p = get_user_page(mm, addr);
		if (!p)
			return -ENOMEM;
		unsigned long off = addr & ~PAGE_MASK, chunk = min(n, PAGE_SIZE - off);
		u8 *va = kmap_atomic(p, KM_USER0);
		memcpy(va + off, src, chunk);
		kunmap_atomic(va, KM_USER0);
		addr += chunk;
		src += chunk;
		n -= chunk;
	}
	return 0;
}

/* Map and fill the PT_LOAD segments; set the mm's code/data/brk marks. */
static int load_segments(struct mm_struct *mm, const struct inode *ino, unsigned long *phdr_addr)
{
	const Elf32_Ehdr *eh = (const void *)ino->data;
	const Elf32_Phdr *ph = (const void *)(ino->data + eh->e_phoff);
	unsigned long end_all = 0;
	mm->start_code = ~0UL;
	*phdr_addr = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_PHDR)
			*phdr_addr = ph[i].p_vaddr;
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		unsigned long start = ph[i].p_vaddr & PAGE_MASK;
		unsigned long end = PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz);
		unsigned long flags = VM_NOMERGE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
				      (ph[i].p_flags & PF_R ? VM_READ : 0) |
				      (ph[i].p_flags & PF_W ? VM_WRITE | VM_ACCOUNT : 0) |
				      (ph[i].p_flags & PF_X ? VM_EXEC : 0);
		/* Segments sharing a page: the first one's VMA keeps it. */
		struct vm_area_struct *v = find_vma_intersection(mm, start, end);
		if (v && v->vm_start <= start)
			start = v->vm_end;
		if (start < end) {
			if ((flags & VM_ACCOUNT) && vm_enough_memory((end - start) >> PAGE_SHIFT))
				return -ENOMEM;
			struct vm_area_struct *nv = insert_vm_area(mm, start, end, flags, 0);
			if (!nv)
				return -ENOMEM;
			nv->vm_pgoff = (ph[i].p_offset + (start - ph[i].p_vaddr)) >> PAGE_SHIFT;
		}
		if (fill_user(mm, ph[i].p_vaddr, ino->data + ph[i].p_offset, ph[i].p_filesz))
			return -ENOMEM;
		if (!*phdr_addr && ph[i].p_offset == 0)
			*phdr_addr = ph[i].p_vaddr + eh->e_phoff;
		if (ph[i].p_flags & PF_X) {
			mm->start_code = min(mm->start_code, (unsigned long)ph[i].p_vaddr);
			mm->end_code = max(mm->end_code, (unsigned long)(ph[i].p_vaddr + ph[i].p_filesz));
		}
		if (ph[i].p_flags & PF_W) {
			mm->start_data = ph[i].p_vaddr;
			mm->end_data = ph[i].p_vaddr + ph[i].p_filesz;
		}
		end_all = max(end_all, end);
	}
	if (mm->start_code == ~0UL)
		mm->start_code = mm->end_code = 0;
	mm->start_brk = mm->brk = end_all;
	return 0;
}

/* Build the initial stack at the top of user space: strings, 16 bytes for
 * AT_RANDOM, then (16-byte aligned, as the i386 ABI wants at _start)
 * argc, argv[], NULL, envp[], NULL, auxv pairs. Returns the new ESP or 0. */
static unsigned long create_stack(struct mm_struct *mm, struct linux_binprm *b,
				  unsigned long phdr, const Elf32_Ehdr *eh)
{
	unsigned long top = STACK_TOP;
	unsigned long strings = top - 16 - PAGE_ALIGN(0) - ALIGN(b->len + sizeof("i686") + 16, 16);
	unsigned long sp = strings;
	if (fill_user(mm, strings, (const u8 *)b->buf, b->len))
		return 0;
	unsigned long platform = strings + b->len;
	if (fill_user(mm, platform, (const u8 *)"i686", 5))
		return 0;
	unsigned long random = ALIGN(platform + 5, 4);
	u32 rnd[4], x = 0x9e3779b9u ^ (u32)current->pid;
	for (int i = 0; i < 4; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		rnd[i] = x;
	}
	if (fill_user(mm, random, (const u8 *)rnd, 16))
		return 0;
	unsigned long execfn = strings;	/* argv[0]'s spelling; Linux passes the path */
	u32 auxv[] = {
		AT_PHDR, phdr, AT_PHENT, sizeof(Elf32_Phdr), AT_PHNUM, eh->e_phnum,
		AT_PAGESZ, PAGE_SIZE, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, eh->e_entry,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_HWCAP, 0,
		AT_CLKTCK, 100, AT_PLATFORM, platform, AT_SECURE, 0, AT_RANDOM, random,
		AT_EXECFN, execfn, AT_NULL, 0,
	};
	unsigned long words = 1 + b->argc + 1 + b->envc + 1 + ARRAY_SIZE(auxv);
	sp = (sp - words * 4) & ~15UL;
	unsigned long w = sp;
	u32 v = b->argc;
	if (fill_user(mm, w, (const u8 *)&v, 4))
		return 0;
	w += 4;
	unsigned long s = strings;
	mm->arg_start = strings;
	for (int i = 0; i < b->argc + b->envc + 2; i++) {
		if (i == b->argc || i == b->argc + b->envc + 1) {
			v = 0;
			if (i == b->argc)
				mm->arg_end = mm->env_start = s;
		} else {
			v = s;
			s += strlen(b->buf + (s - strings)) + 1;
		}
		if (fill_user(mm, w, (const u8 *)&v, 4))
			return 0;
		w += 4;
	}
	mm->env_end = s;
	if (fill_user(mm, w, (const u8 *)auxv, sizeof(auxv)))
		return 0;
	mm->start_stack = sp;
	return sp;
}

/* Replace current's program with the file at path. On success the
 * registers in *regs start the new program; on failure before the old
 * address space is dropped, -errno is returned and nothing changed. A
 * failure after that kills the process (SIGSEGV), as on Linux. */
int do_execve(const char *path, char *const argv[], char *const envp[], struct pt_regs *regs,
	      bool from_kernel)
{
	struct linux_binprm b;
	memset(&b, 0, sizeof(b));
	long n;
	if (from_kernel) {
		n = strlen(path);
		if (n >= (long)sizeof(b.filename))
			return -ENAMETOOLONG;
		memcpy(b.filename, path, n + 1);
	} else {
		n = strncpy_from_user(b.filename, path, sizeof(b.filename));
		if (n < 0)
			return n;
	}
	struct inode *ino = ramfs_lookup(b.filename);
	if (!ino)
		return -ENOENT;
	if (ino->is_dir)
		return -EACCES;
	int r = check_elf(ino);
	if (r)
		return r;
	b.buf = (char *)__get_free_pages(GFP_KERNEL, 3);
	if (!b.buf)
		return -ENOMEM;
	r = copy_strings(&b, argv, from_kernel, &b.argc);
	if (!r)
		r = copy_strings(&b, envp, from_kernel, &b.envc);
	struct mm_struct *mm = r ? 0 : mm_alloc();
	if (!r && !mm)
		r = -ENOMEM;
	if (r) {
		free_pages((unsigned long)b.buf, 3);
		return r;
	}

	/* The point of no return: the new mm becomes current's. */
	struct mm_struct *old = current->mm, *active = current->active_mm;
	current->mm = current->active_mm = mm;
	switch_mm(active, mm);
	if (old)
		mmput(old);
	else
		mmdrop(active);

	strncpy(mm->exe_path, b.filename, sizeof(mm->exe_path) - 1);
	unsigned long phdr, sp = 0;
	const Elf32_Ehdr *eh = (const void *)ino->data;
	r = load_segments(mm, ino, &phdr);
	if (!r && !vm_enough_memory(STACK_INITIAL >> PAGE_SHIFT)) {
		if (!insert_vm_area(mm, STACK_TOP - STACK_INITIAL, STACK_TOP,
				    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
				    VM_GROWSDOWN | VM_ACCOUNT, "[stack]"))
			vm_unacct_memory(STACK_INITIAL >> PAGE_SHIFT);
		else
			sp = create_stack(mm, &b, phdr, eh);
	}
	free_pages((unsigned long)b.buf, 3);
	if (r || !sp) {
		printk(KERN_ERR "execve %s: out of memory while loading\n", b.filename);
		do_exit(SIGSEGV);
	}

	const char *base = b.filename;
	for (const char *p = b.filename; *p; p++)
		if (*p == '/')
			base = p + 1;
	memset(current->comm, 0, TASK_COMM_LEN);
	strncpy(current->comm, base, TASK_COMM_LEN - 1);
	for (int i = 0; i < _NSIG; i++)
		if (current->sighand[i].handler != SIG_IGN)
			current->sighand[i].handler = SIG_DFL;
	memset(current->tls_array, 0, sizeof(current->tls_array));
	fpu_reset(current);
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		gdt_table[GDT_ENTRY_TLS_MIN + i] = 0;

	memset(regs, 0, sizeof(*regs));
	regs->eip = eh->e_entry;
	regs->esp = sp;
	regs->cs = __USER_CS;
	regs->ss = regs->ds = regs->es = __USER_DS;
	regs->eflags = X86_EFLAGS_IF | 0x2;
	regs->vector = 0x80;
	return 0;
}

static void init_thread(void);

/* Start pid 1: a kernel thread that execs the init program, then drops
 * to user mode through the common trap return path. */
static char init_argbuf[1024];
static char *init_argv[64];
static char *init_envp[] = { "HOME=/", "PATH=/bin", "TERM=linux", 0 };

static void init_thread(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	int r = do_execve(init_argv[0], init_argv, init_envp, regs, true);
	if (r)
		panic("No working init found (%s: error %d)", init_argv[0], -r);
	__asm__ volatile("movl %0, %%esp\n\tjmp ret_from_fork" : : "r"(regs));
	__builtin_unreachable();
}

/* Create pid 1 running `cmdline` ("PROG ARGS..."; a bare name means
 * /bin/NAME). Returns 0 or -errno. */
int kernel_execve_init(const char *cmdline)
{
	strncpy(init_argbuf, cmdline, sizeof(init_argbuf) - 1);
	int argc = 0;
	for (char *p = init_argbuf; *p && argc < 63;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		init_argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	init_argv[argc] = 0;
	if (!argc)
		return -EINVAL;
	static char path[64];
	if (init_argv[0][0] != '/') {
		snprintf(path, sizeof(path), "/bin/%s", init_argv[0]);
		init_argv[0] = path;
	}
	struct task_struct *p = alloc_task();
	if (!p)
		return -ENOMEM;
	p->pid = alloc_pid();
	strncpy(p->comm, "init", TASK_COMM_LEN);
	memcpy(p->rlim, init_task.rlim, sizeof(p->rlim));
	p->parent = &init_task;
	list_add_tail(&p->sibling, &init_task.children);
	open_console_fds(p);
	unsigned long *sp = (unsigned long *)task_pt_regs(p);
	*--sp = (unsigned long)init_thread;
	for (int i = 0; i < 4; i++)
		*--sp = 0;
	p->thread_esp = (unsigned long)sp;
	p->state = TASK_RUNNING;
	list_add_tail(&p->tasks, &task_list);
	extern unsigned long free_pages_baseline;
	free_pages_baseline = nr_free_pages();
	return 0;
}
