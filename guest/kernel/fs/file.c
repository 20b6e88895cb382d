/* file.c - open files and the file system calls: descriptors 0..15 per
 * process pointing at shared struct file objects (fork shares them, as
 * Linux's files_struct copy does). Kinds: the serial console, a ramfs
 * file or directory, a /proc text generated when opened. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/errno-base.h>
#include <asm/uaccess.h>

void serial_putc(char c);
int serial_getc(void);

struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

void fput(struct file *f)
{
	if (--f->f_count)
		return;
	kfree(f->buf);
	kfree(f);
}

static struct file *new_file(enum file_kind kind)
{
	struct file *f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (f) {
		memset(f, 0, sizeof(*f));
		f->f_count = 1;
		f->kind = kind;
		f->flags = O_RDWR;
	}
	return f;
}

/* stdin, stdout and stderr on the console, for init. */
void open_console_fds(struct task_struct *t)
{
	struct file *f = new_file(FILE_CONSOLE);
	if (!f)
		panic("no memory for the console file");
	for (int i = 0; i < 3; i++)
		t->files[i] = i ? get_file(f) : f;
}

void close_files(struct task_struct *t)
{
	for (int i = 0; i < NR_OPEN; i++)
		if (t->files[i]) {
			fput(t->files[i]);
			t->files[i] = 0;
		}
}

static struct file *fget(int fd)
{
	return fd >= 0 && fd < NR_OPEN ? current->files[fd] : 0;
}

static int get_unused_fd(int from)
{
	for (int i = from; i < NR_OPEN; i++)
		if (!current->files[i])
			return i;
	return -EMFILE;
}

/* Console input: polled, one line at most; sleeps a tick between polls. */
static long console_read(char *ubuf, unsigned long n)
{
	char buf[128];
	unsigned long got = 0;
	n = min(n, sizeof(buf));
	while (!got) {
		int c;
		while (got < n && (c = serial_getc()) >= 0) {
			buf[got++] = c == '\r' ? '\n' : (char)c;
			if (buf[got - 1] == '\n')
				break;
		}
		if (got)
			break;
		if (current->pending & ~current->blocked)
			return -EINTR;
		current->timeout = jiffies + 1;
		current->state = TASK_INTERRUPTIBLE;
		schedule();
	}
	return copy_to_user(ubuf, buf, got) ? -EFAULT : (long)got;
}

long sys_read(int fd, char *ubuf, unsigned long n)
{
	struct file *f = fget(fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!access_ok((unsigned long)ubuf, n))
		return -EFAULT;
	const u8 *src;
	unsigned long size;
	switch (f->kind) {
	case FILE_CONSOLE:
		return console_read(ubuf, n);
	case FILE_DIR:
	case FILE_PROCDIR:
		return -EISDIR;
	case FILE_INODE:
		src = f->inode->data;
		size = f->inode->size;
		break;
	default:
		src = (const u8 *)f->buf;
		size = f->size;
		break;
	}
	if (f->pos >= size)
		return 0;
	n = min(n, size - f->pos);
	unsigned long left = copy_to_user(ubuf, src + f->pos, n);
	n -= left;
	f->pos += n;
	return n ? (long)n : (left ? -EFAULT : 0);
}

long sys_write(int fd, const char *ubuf, unsigned long n)
{
	struct file *f = fget(fd);
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!access_ok((unsigned long)ubuf, n))
		return -EFAULT;
	if (f->kind == FILE_BUFFER && f->sysctl) {
		char buf[16];
		unsigned long k = min(n, sizeof(buf) - 1);
		if (copy_from_user(buf, ubuf, k))
			return -EFAULT;
		buf[k] = 0;
		int v = 0, i = 0;
		while (buf[i] == ' ')
			i++;
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		while (buf[i] >= '0' && buf[i] <= '9')
			v = v * 10 + buf[i++] - '0';
		*f->sysctl = v;
		return n;
	}
	if (f->kind != FILE_CONSOLE)
		return -EINVAL;
	char buf[256];
	unsigned long done = 0;
	while (done < n) {
		unsigned long k = min(n - done, sizeof(buf));
		if (copy_from_user(buf, ubuf + done, k))
			return done ? (long)done : -EFAULT;
		for (unsigned long i = 0; i < k; i++)
			serial_putc(buf[i]);
		done += k;
	}
	return done;
}

struct iovec { const char *base; unsigned long len; };

long sys_writev(int fd, const void *uiov, int cnt)
{
	long total = 0;
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (int i = 0; i < cnt; i++) {
		struct iovec v;
		if (copy_from_user(&v, (const struct iovec *)uiov + i, sizeof(v)))
			return -EFAULT;
		long r = sys_write(fd, v.base, v.len);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}

/* Resolve "/proc/self" to "/proc/PID" in p (size 64). */
static void canon_path(char *p)
{
	if (!strncmp(p, "/proc/self", 10) && (p[10] == 0 || p[10] == '/')) {
		char rest[64];
		strncpy(rest, p + 10, sizeof(rest) - 1);
		rest[sizeof(rest) - 1] = 0;
		snprintf(p, 64, "/proc/%d%s", current->pid, rest);
	}
}

long sys_open(const char *upath, int flags, int mode)
{
	(void)mode;
	char path[64];
	long n = strncpy_from_user(path, upath, sizeof(path));
	if (n < 0)
		return n;
	if (!n)
		return -ENOENT;
	canon_path(path);
	struct file *f;
	if (!strcmp(path, "/dev/console") || !strcmp(path, "/dev/tty")) {
		f = new_file(FILE_CONSOLE);
	} else if (!strncmp(path, "/proc/", 6) && proc_is_dir(path)) {
		f = new_file(FILE_PROCDIR);
		if (f)
			strncpy(f->dirpath, path, sizeof(f->dirpath) - 1);
	} else if (!strncmp(path, "/proc/", 6)) {
		char *buf;
		int *sysctl = 0;
		long size = proc_generate(path, &buf, &sysctl);
		if (size < 0)
			return size;
		f = new_file(FILE_BUFFER);
		if (!f) {
			kfree(buf);
			return -ENOMEM;
		}
		f->buf = buf;
		f->size = size;
		f->sysctl = sysctl;
	} else {
		struct inode *ino = ramfs_lookup(path);
		if (!ino)
			return -ENOENT;
		if ((flags & O_ACCMODE) != O_RDONLY)
			return ino->is_dir ? -EISDIR : -EACCES;
		if ((flags & O_DIRECTORY) && !ino->is_dir)
			return -ENOTDIR;
		f = new_file(ino->is_dir ? (strcmp(path, "/proc") ? FILE_DIR : FILE_PROCDIR) : FILE_INODE);
		if (f) {
			f->inode = ino;
			strncpy(f->dirpath, ino->path, sizeof(f->dirpath) - 1);
		}
	}
	if (!f)
		return -ENOMEM;
	f->flags = flags;
	int fd = get_unused_fd(0);
	if (fd < 0)
		fput(f);
	else
		current->files[fd] = f;
	return fd;
}

long sys_close(int fd)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	current->files[fd] = 0;
	fput(f);
	return 0;
}

long sys_lseek(int fd, long off, int whence)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	if (f->kind == FILE_CONSOLE)
		return -ESPIPE;
	long size = f->kind == FILE_INODE ? (long)f->inode->size : (long)f->size;
	long base = whence == 0 ? 0 : whence == 1 ? (long)f->pos : whence == 2 ? size : -1;
	if (base < 0 || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

long sys_llseek(int fd, unsigned long hi, unsigned long lo, void *res, int whence)
{
	if (hi && hi != ~0UL)
		return -EINVAL;
	long r = sys_lseek(fd, (long)lo, whence);
	if (r < 0)
		return r;
	long long v = r;
	return copy_to_user(res, &v, sizeof(v)) ? -EFAULT : 0;
}

struct stat64 {
	u64 st_dev;
	u8 __pad0[4];
	u32 __st_ino, st_mode, st_nlink, st_uid, st_gid;
	u64 st_rdev;
	u8 __pad3[4];
	s64 st_size;
	u32 st_blksize;
	u64 st_blocks;
	u32 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	u64 st_ino;
} __attribute__((packed));

static long fill_stat(struct file *f, struct inode *ino, void *ust)
{
	struct stat64 st;
	memset(&st, 0, sizeof(st));
	st.st_nlink = 1;
	st.st_blksize = PAGE_SIZE;
	if (ino) {
		st.st_mode = ino->is_dir ? S_IFDIR | 0755 : S_IFREG | 0755;
		st.st_size = ino->is_dir ? 0 : ino->size;
		st.st_ino = st.__st_ino = ino->ino;
	} else if (f && f->kind == FILE_CONSOLE) {
		st.st_mode = S_IFCHR | 0620;
		st.st_rdev = (4 << 8) | 64;	/* ttyS0 */
	} else if (f && f->kind == FILE_PROCDIR) {
		st.st_mode = S_IFDIR | 0555;
	} else {
		st.st_mode = S_IFREG | 0444;
	}
	st.st_blocks = (st.st_size + 511) / 512;
	st.st_dev = 1;
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_fstat64(int fd, void *ust)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	return fill_stat(f, f->kind == FILE_INODE || f->kind == FILE_DIR ? f->inode : 0, ust);
}

long sys_stat64(const char *upath, void *ust)
{
	long fd = sys_open(upath, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	long r = sys_fstat64(fd, ust);
	sys_close(fd);
	return r;
}

long sys_access(const char *upath, int mode)
{
	(void)mode;
	long fd = sys_open(upath, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	sys_close(fd);
	return 0;
}

/* Append one linux_dirent64 record; false when it does not fit. */
static bool emit_dirent(u8 *kbuf, unsigned long *used, unsigned long cap, u64 ino, s64 off,
			u8 type, const char *name)
{
	unsigned long nl = strlen(name), reclen = ALIGN(19 + nl + 1, 8);
	if (*used + reclen > cap)
		return false;
	u8 *d = kbuf + *used;
	memset(d, 0, reclen);
	memcpy(d, &ino, 8);
	memcpy(d + 8, &off, 8);
	d[16] = reclen & 0xff;
	d[17] = reclen >> 8;
	d[18] = type;
	memcpy(d + 19, name, nl);
	*used += reclen;
	return true;
}

#define DT_DIR 4
#define DT_REG 8

/* Directory entries: f->pos counts entries handed out so far. */
long sys_getdents64(int fd, void *dirp, unsigned long count)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_DIR && f->kind != FILE_PROCDIR)
		return -ENOTDIR;
	unsigned long cap = min(count, 4096UL), used = 0;
	u8 *kbuf = kmalloc(cap, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	const char *dir = f->dirpath;
	size_t dl = strlen(dir);
	/* The names: ".", "..", then the children. */
	const char *names[128];
	u8 types[128];
	char pidnames[64][8];
	int n = 0;
	names[n] = ".", types[n++] = DT_DIR;
	names[n] = "..", types[n++] = DT_DIR;
	if (f->kind == FILE_DIR) {
		for (unsigned long k = 0; n < 128; k++) {
			struct inode *i = ramfs_nth(k);
			if (!i)
				break;
			const char *p = i->path;
			if (strncmp(p, dir, dl) || !p[dl] || (dl > 1 && p[dl] != '/'))
				continue;
			const char *rest = p + dl + (dl > 1);
			if (!*rest || strstr(rest, "/"))
				continue;
			names[n] = rest, types[n++] = i->is_dir ? DT_DIR : DT_REG;
		}
	} else if (!strcmp(dir, "/proc")) {
		static const char *const fixed[] = { "meminfo", "buddyinfo", "slabinfo", "self", "sys" };
		for (unsigned k = 0; k < ARRAY_SIZE(fixed); k++)
			names[n] = fixed[k], types[n++] = k >= 3 ? DT_DIR : DT_REG;
		int pids[64], np = proc_readdir_pids(pids, 64);
		for (int k = 0; k < np && n < 128; k++) {
			snprintf(pidnames[k], sizeof(pidnames[k]), "%d", pids[k]);
			names[n] = pidnames[k], types[n++] = DT_DIR;
		}
	} else {
		static const char *const perpid[] = { "maps", "stat", "status" };
		for (unsigned k = 0; k < ARRAY_SIZE(perpid); k++)
			names[n] = perpid[k], types[n++] = DT_REG;
	}
	while ((long)f->pos < n &&
	       emit_dirent(kbuf, &used, cap, f->pos + 1, f->pos + 1, types[f->pos], names[f->pos]))
		f->pos++;
	long r = used;
	if (!used && (long)f->pos < n)
		r = -EINVAL;
	else if (copy_to_user(dirp, kbuf, used))
		r = -EFAULT;
	kfree(kbuf);
	return r;
}

long sys_dup(int fd)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	int n = get_unused_fd(0);
	if (n >= 0)
		current->files[n] = get_file(f);
	return n;
}

long sys_dup2(int fd, int nfd)
{
	struct file *f = fget(fd);
	if (!f || nfd < 0 || nfd >= NR_OPEN)
		return -EBADF;
	if (fd == nfd)
		return nfd;
	if (current->files[nfd])
		fput(current->files[nfd]);
	current->files[nfd] = get_file(f);
	return nfd;
}

#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413

long sys_ioctl(int fd, unsigned long cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_CONSOLE)
		return -ENOTTY;
	if (cmd == TCGETS) {
		u8 termios[60];
		memset(termios, 0, sizeof(termios));
		return copy_to_user((void *)arg, termios, sizeof(termios)) ? -EFAULT : 0;
	}
	if (cmd == TIOCGWINSZ) {
		u16 ws[4] = { 24, 80, 0, 0 };
		return copy_to_user((void *)arg, ws, sizeof(ws)) ? -EFAULT : 0;
	}
	return -EINVAL;
}
