/* stdio.c - streams over file descriptors: buffering, put/get, printf to
 * streams and to raw descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc_internal.h"

enum { BUF_NONE, BUF_LINE, BUF_FULL };

struct __file {
	int fd;
	int mode;		/* BUF_NONE, BUF_LINE or BUF_FULL (output) */
	int eof, err;
	char *wbuf;		/* output buffer: wlen bytes pending */
	size_t wlen, wcap;
	char *rbuf;		/* input buffer: bytes rpos..rlen unread */
	size_t rpos, rlen, rcap;
	int dynamic;		/* allocated by fopen: freed by fclose */
	struct __file *next;	/* every stream, for __stdio_flush_all */
};

static char out_buf[BUFSIZ], in_buf[BUFSIZ];
static struct __file f_stderr = { .fd = 2, .mode = BUF_NONE };
static struct __file f_stdout = { .fd = 1, .mode = BUF_LINE, .wbuf = out_buf, .wcap = BUFSIZ,
				  .next = &f_stderr };
static struct __file f_stdin = { .fd = 0, .mode = BUF_FULL, .rbuf = in_buf, .rcap = BUFSIZ,
				 .next = &f_stdout };
FILE *stdin = &f_stdin, *stdout = &f_stdout, *stderr = &f_stderr;
static struct __file *all_files = &f_stdin;

/* Write all n bytes to fd, retrying short writes and EINTR. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fflush(FILE *f)
{
	if (!f) {
		__stdio_flush_all();
		return 0;
	}
	if (f->wlen) {
		size_t n = f->wlen;
		f->wlen = 0;
		if (write_all(f->fd, f->wbuf, n) < 0) {
			f->err = 1;
			return EOF;
		}
	}
	return 0;
}

void __stdio_flush_all(void)
{
	for (struct __file *f = all_files; f; f = f->next)
		fflush(f);
}

/* Append n bytes to the stream, honouring its buffering mode. */
static int stream_write(FILE *f, const char *p, size_t n)
{
	if (f->mode == BUF_NONE || !f->wbuf) {
		if (write_all(f->fd, p, n) < 0) {
			f->err = 1;
			return -1;
		}
		return 0;
	}
	while (n) {
		size_t k = f->wcap - f->wlen;
		if (k > n)
			k = n;
		memcpy(f->wbuf + f->wlen, p, k);
		f->wlen += k;
		if (f->wlen == f->wcap && fflush(f) < 0)
			return -1;
		p += k;
		n -= k;
	}
	if (f->mode == BUF_LINE && f->wlen && memchr(f->wbuf, '\n', f->wlen))
		return fflush(f);
	return 0;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	if (!size || !n)
		return 0;
	return stream_write(f, p, size * n) < 0 ? 0 : n;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;
	return stream_write(f, &ch, 1) < 0 ? EOF : (unsigned char)c;
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f)
{
	return stream_write(f, s, strlen(s)) < 0 ? EOF : 0;
}

int puts(const char *s)
{
	if (fputs(s, stdout) < 0)
		return EOF;
	return fputc('\n', stdout) < 0 ? EOF : 0;
}

/* Refill the input buffer; returns 0 at end of file or on error. */
static size_t refill(FILE *f)
{
	if (!f->rbuf) {
		f->rbuf = malloc(BUFSIZ);
		if (!f->rbuf) {
			f->err = 1;
			return 0;
		}
		f->rcap = BUFSIZ;
	}
	if (f == stdin)
		fflush(stdout);	/* show a prompt before blocking on input */
	ssize_t r;
	do
		r = read(f->fd, f->rbuf, f->rcap);
	while (r < 0 && errno == EINTR);
	if (r <= 0) {
		if (r == 0)
			f->eof = 1;
		else
			f->err = 1;
		return 0;
	}
	f->rpos = 0;
	f->rlen = (size_t)r;
	return (size_t)r;
}

int fgetc(FILE *f)
{
	if (f->rpos >= f->rlen && !refill(f))
		return EOF;
	return (unsigned char)f->rbuf[f->rpos++];
}

int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

/* Read a line (keeping the '\n') of at most size-1 bytes. */
char *fgets(char *s, int size, FILE *f)
{
	int n = 0;
	if (size <= 0)
		return NULL;
	while (n < size - 1) {
		int c = fgetc(f);
		if (c == EOF)
			break;
		s[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return NULL;
	s[n] = 0;
	return s;
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	char *d = p;
	size_t want = size * n, got = 0;
	if (!size || !n)
		return 0;
	while (got < want) {
		if (f->rpos >= f->rlen && !refill(f))
			break;
		size_t k = f->rlen - f->rpos;
		if (k > want - got)
			k = want - got;
		memcpy(d + got, f->rbuf + f->rpos, k);
		f->rpos += k;
		got += k;
	}
	return got / size;
}

int feof(FILE *f) { return f->eof; }
int ferror(FILE *f) { return f->err; }
int fileno(FILE *f) { return f->fd; }

FILE *fdopen(int fd, const char *mode)
{
	(void)mode;
	struct __file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fd = fd;
	f->mode = BUF_FULL;
	f->wbuf = malloc(BUFSIZ);
	if (!f->wbuf) {
		free(f);
		return NULL;
	}
	f->wcap = BUFSIZ;
	f->dynamic = 1;
	f->next = all_files;
	all_files = f;
	return f;
}

/* fopen modes: r, r+, w, w+, a, a+ ("b" is accepted and ignored). */
FILE *fopen(const char *path, const char *mode)
{
	int flags;
	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return NULL;
	}
	if (strchr(mode, '+'))
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	int fd = open(path, flags, 0644);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}

int fclose(FILE *f)
{
	int r = fflush(f);
	if (close(f->fd) < 0)
		r = EOF;
	if (f->dynamic) {
		for (struct __file **pp = &all_files; *pp; pp = &(*pp)->next)
			if (*pp == f) {
				*pp = f->next;
				break;
			}
		free(f->wbuf);
		free(f->rbuf);
		free(f);
	}
	return r;
}

struct file_sink {
	struct fmt_sink sink;
	FILE *f;
	int err;
};

static void file_out(struct fmt_sink *s, const char *p, size_t n)
{
	struct file_sink *fs = (struct file_sink *)s;
	if (stream_write(fs->f, p, n) < 0)
		fs->err = 1;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct file_sink fs = { { file_out, 0 }, f, 0 };
	/* An unbuffered stream still gets whole lines: format into a local
	 * buffer first so stderr messages are not split into many writes. */
	if (f->mode == BUF_NONE) {
		char tmp[512];
		va_list ap2;
		va_copy(ap2, ap);
		int n = vsnprintf(tmp, sizeof(tmp), fmt, ap2);
		va_end(ap2);
		if (n >= 0 && n < (int)sizeof(tmp))
			return stream_write(f, tmp, (size_t)n) < 0 ? -1 : n;
	}
	int n = __vformat(&fs.sink, fmt, ap);
	return fs.err ? -1 : n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* printf to a raw descriptor, bypassing the streams: a 256-byte staging
 * buffer flushed when full and at the end. */
struct fd_sink {
	struct fmt_sink sink;
	int fd, err;
	size_t len;
	char buf[256];
};

static void fd_out(struct fmt_sink *s, const char *p, size_t n)
{
	struct fd_sink *d = (struct fd_sink *)s;
	while (n) {
		size_t k = sizeof(d->buf) - d->len;
		if (k > n)
			k = n;
		memcpy(d->buf + d->len, p, k);
		d->len += k;
		p += k;
		n -= k;
		if (d->len == sizeof(d->buf)) {
			if (write_all(d->fd, d->buf, d->len) < 0)
				d->err = 1;
			d->len = 0;
		}
	}
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct fd_sink d = { .sink = { fd_out, 0 }, .fd = fd };
	int n = __vformat(&d.sink, fmt, ap);
	if (d.len && write_all(fd, d.buf, d.len) < 0)
		d.err = 1;
	return d.err ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

void perror(const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strerror(errno));
	else
		fprintf(stderr, "%s\n", strerror(errno));
}
