/* dirent.c - opendir/readdir over getdents64. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct __dir {
	int fd;
	int pos, len;		/* cursor and fill level of buf */
	char buf[2048];
	struct dirent ent;
};

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return NULL;
	DIR *d = malloc(sizeof(*d));
	if (!d) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

/* Next entry, or NULL at the end (or on error, with errno set).  Records
 * are copied out so the caller sees an aligned, NUL-terminated name. */
struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		int n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->len = n;
		d->pos = 0;
	}
	const char *rec = d->buf + d->pos;
	unsigned short reclen;
	memcpy(&reclen, rec + 16, 2);
	if (reclen < 20 || d->pos + reclen > d->len)
		return NULL;
	memcpy(&d->ent.d_ino, rec, 8);
	memcpy(&d->ent.d_off, rec + 8, 8);
	d->ent.d_reclen = reclen;
	d->ent.d_type = (unsigned char)rec[18];
	size_t namelen = strnlen(rec + 19, (size_t)reclen - 19);
	if (namelen > 255)
		namelen = 255;
	memcpy(d->ent.d_name, rec + 19, namelen);
	d->ent.d_name[namelen] = 0;
	d->pos += reclen;
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}
