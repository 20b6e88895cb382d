/* fs.h - the in-memory file system, open files and /proc. */
#ifndef LINUX_FS_H
#define LINUX_FS_H
#include <linux/types.h>

#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_DIRECTORY 0200000

#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_IFCHR 0020000

/* A node of the ramfs: a file (data in a Multiboot module or kmalloc'd)
 * or a directory. Paths are absolute and stored whole. */
struct inode {
	char path[64];
	bool is_dir;
	const u8 *data;
	unsigned long size;
	unsigned long ino;
};

enum file_kind { FILE_CONSOLE, FILE_INODE, FILE_DIR, FILE_BUFFER, FILE_PROCDIR };

/* An open file. FILE_BUFFER holds /proc text generated at open. */
struct file {
	int f_count;
	enum file_kind kind;
	int flags;
	unsigned long pos;
	struct inode *inode;
	char *buf;
	unsigned long size;
	int *sysctl;		/* /proc/sys file: a write sets this integer */
	char dirpath[48];	/* FILE_DIR / FILE_PROCDIR: the directory */
};

struct task_struct;
/* kernel/fs/ramfs.c */
void ramfs_init(void);
struct inode *ramfs_lookup(const char *path);
struct inode *ramfs_nth(unsigned long n);
/* kernel/fs/file.c */
struct file *get_file(struct file *f);
void fput(struct file *f);
void open_console_fds(struct task_struct *t);
void close_files(struct task_struct *t);
long sys_read(int fd, char *buf, unsigned long n);
long sys_write(int fd, const char *buf, unsigned long n);
long sys_writev(int fd, const void *iov, int cnt);
long sys_open(const char *path, int flags, int mode);
long sys_close(int fd);
long sys_llseek(int fd, unsigned long hi, unsigned long lo, void *res, int whence);
long sys_lseek(int fd, long off, int whence);
long sys_fstat64(int fd, void *st);
long sys_stat64(const char *path, void *st);
long sys_getdents64(int fd, void *dirp, unsigned long count);
long sys_dup(int fd);
long sys_dup2(int fd, int nfd);
long sys_ioctl(int fd, unsigned long cmd, unsigned long arg);
long sys_access(const char *path, int mode);
/* kernel/fs/proc.c: fill a /proc file; returns bytes, or -ENOENT */
long proc_generate(const char *path, char **buf, int **sysctl);
bool proc_is_dir(const char *path);
int proc_readdir_pids(int *pids, int max);
#endif
