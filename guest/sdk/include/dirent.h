/* dirent.h - reading directories through getdents64. */
#ifndef _DIRENT_H
#define _DIRENT_H
#include <sys/types.h>

/* The kernel's record (struct linux_dirent64). */
struct dirent {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};
#define DT_UNKNOWN	0
#define DT_DIR		4
#define DT_REG		8

typedef struct __dir DIR;
int getdents64(int fd, void *buf, size_t n);
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
#endif
