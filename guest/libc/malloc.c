/* malloc.c - the allocator: boundary-tagged chunks on the brk heap, one
 * address-unordered free list with first fit and immediate coalescing,
 * and a private anonymous mmap per allocation of MMAP_THRESHOLD (128 KiB,
 * glibc's default M_MMAP_THRESHOLD) or more, unmapped again on free.
 *
 * Chunk layout (8-byte aligned, sizes multiples of 8, at least 16):
 *
 *   +0  prev_size  size of the chunk below, valid only while that one is free
 *   +4  head       size of this chunk | INUSE | PREV_INUSE | MMAPPED
 *   +8  payload    (a free chunk keeps its list links here)
 *
 * Every brk region ends with an 8-byte "fence" header marked INUSE with
 * size 0, and its first chunk has PREV_INUSE set, so coalescing never
 * walks off a region.  When the break grows contiguously, the old fence
 * becomes the start of the new free space.  A free chunk of 256 KiB or
 * more at the top of the heap is given back with a negative sbrk.  When
 * the break cannot grow, a new region is made with mmap instead.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct chunk {
	size_t prev_size;
	size_t head;
	struct chunk *fd, *bk;	/* free chunks only */
};

#define HDR		8u
#define MIN_CHUNK	16u
#define INUSE		1u
#define PREV_INUSE	2u
#define MMAPPED		4u
#define FLAGS		7u
#define PAGE		4096u
#define GROW_STEP	(64u * 1024)
#define TRIM_THRESHOLD	(256u * 1024)
#define TRIM_KEEP	(64u * 1024)

static struct chunk free_list = { 0, 0, &free_list, &free_list };
static struct chunk *fence;		/* fence of the most recent brk region */
static size_t heap_bytes, mmap_bytes, mmap_count;

static inline size_t csize(const struct chunk *c) { return c->head & ~FLAGS; }
static inline struct chunk *at(void *base, size_t off) { return (struct chunk *)((char *)base + off); }
static inline void *payload(struct chunk *c) { return (char *)c + HDR; }

static void list_add(struct chunk *c)
{
	c->fd = free_list.fd;
	c->bk = &free_list;
	free_list.fd->bk = c;
	free_list.fd = c;
}

static void list_del(struct chunk *c)
{
	c->fd->bk = c->bk;
	c->bk->fd = c->fd;
}

__attribute__((noreturn)) static void corrupt(const char *what, void *p)
{
	dprintf(2, "malloc: %s (%p)\n", what, p);
	abort();
}

/* Chunk size serving an n-byte request, or 0 if n is absurdly large. */
static size_t request_size(size_t n)
{
	if (n > SIZE_MAX - 2 * PAGE)
		return 0;
	size_t s = (n + HDR + 7) & ~7u;
	return s < MIN_CHUNK ? MIN_CHUNK : s;
}

/* Put free chunk c (already marked !INUSE) on the list, merging it with
 * free neighbours first; returns the resulting chunk. */
static struct chunk *release(struct chunk *c)
{
	size_t size = csize(c);
	struct chunk *next = at(c, size);
	if (!(next->head & INUSE)) {
		list_del(next);
		size += csize(next);
	}
	if (!(c->head & PREV_INUSE)) {
		struct chunk *prev = at(c, -c->prev_size);
		list_del(prev);
		size += csize(prev);
		c = prev;
	}
	c->head = size | PREV_INUSE;	/* below a free chunk is never a free one */
	next = at(c, size);
	next->prev_size = size;
	next->head &= ~PREV_INUSE;
	list_add(c);
	return c;
}

/* Give the top of the heap back to the kernel when a large free chunk
 * sits just below the fence and the break is still ours. */
static void maybe_trim(struct chunk *c)
{
	size_t size = csize(c);
	if (at(c, size) != fence || size < TRIM_THRESHOLD || sbrk(0) != (void *)at(fence, HDR))
		return;
	size_t give = (size - TRIM_KEEP) & ~(PAGE - 1);
	if (!give || sbrk(-(intptr_t)give) == (void *)-1)
		return;
	heap_bytes -= give;
	size -= give;
	c->head = size | PREV_INUSE;
	fence = at(c, size);
	fence->prev_size = size;
	fence->head = INUSE;
}

/* Extend the heap by at least `need` bytes of chunk space. */
static int heap_grow(size_t need)
{
	size_t incr = (need + 2 * HDR + 8 + GROW_STEP - 1) & ~(GROW_STEP - 1);
	char *p = sbrk((intptr_t)incr);
	if (p == (char *)-1) {
		/* Near a limit: try for exactly what is needed. */
		incr = (need + 2 * HDR + 8 + PAGE - 1) & ~(PAGE - 1);
		p = sbrk((intptr_t)incr);
	}
	if (p == (char *)-1) {
		/* The break cannot move (RLIMIT_DATA, a mapping in the way, the
		 * kernel's overcommit check): continue the heap in an anonymous
		 * mapping, as glibc does.  It becomes a region of its own. */
		incr = (need + 2 * HDR + 8 + GROW_STEP - 1) & ~(GROW_STEP - 1);
		p = mmap(NULL, incr, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
	}
	heap_bytes += incr;
	struct chunk *c;
	size_t size;
	if (fence && p == (char *)at(fence, HDR)) {
		c = fence;			/* contiguous: the fence becomes free space */
		size = incr;
		c->head = size | (fence->head & PREV_INUSE);
	} else {
		char *start = (char *)(((uintptr_t)p + 7) & ~(uintptr_t)7);
		size = ((size_t)(p + incr - start) - HDR) & ~7u;
		c = (struct chunk *)start;
		c->head = size | PREV_INUSE;
	}
	fence = at(c, size);
	fence->head = INUSE;
	fence->prev_size = size;
	release(c);
	return 0;
}

/* Mark free chunk c in use with exactly `size` bytes (splitting off the
 * rest as a new free chunk when it is big enough). */
static void take(struct chunk *c, size_t size)
{
	size_t have = csize(c);
	list_del(c);
	if (have - size >= MIN_CHUNK) {
		c->head = size | INUSE | (c->head & PREV_INUSE);
		struct chunk *r = at(c, size);
		r->head = (have - size) | PREV_INUSE;
		at(r, have - size)->prev_size = have - size;
		list_add(r);
	} else {
		c->head |= INUSE;
		at(c, have)->head |= PREV_INUSE;
	}
}

static void *mmap_alloc(size_t n)
{
	size_t size = (n + HDR + PAGE - 1) & ~(size_t)(PAGE - 1);
	if (size < n)
		return NULL;
	struct chunk *c = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	c->prev_size = 0;
	c->head = size | INUSE | MMAPPED;
	mmap_bytes += size;
	mmap_count++;
	return payload(c);
}

void *malloc(size_t n)
{
	size_t size = request_size(n);
	if (!size) {
		errno = ENOMEM;
		return NULL;
	}
	if (n >= MMAP_THRESHOLD) {
		void *p = mmap_alloc(n);
		if (p)
			return p;
		/* fall back to the heap, as glibc does when mmap fails */
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		for (struct chunk *c = free_list.fd; c != &free_list; c = c->fd)
			if (csize(c) >= size) {
				take(c, size);
				return payload(c);
			}
		if (attempt == 0 && heap_grow(size) < 0)
			break;
	}
	errno = ENOMEM;
	return NULL;
}

/* Check that p is a live allocation as far as the tags can tell. */
static struct chunk *checked_chunk(void *p, const char *who)
{
	struct chunk *c = at(p, -HDR);
	if (((uintptr_t)p & 7) || !(c->head & INUSE) || csize(c) < MIN_CHUNK)
		corrupt(who, p);
	if (!(c->head & MMAPPED) && !(at(c, csize(c))->head & PREV_INUSE))
		corrupt(who, p);
	return c;
}

void free(void *p)
{
	if (!p)
		return;
	struct chunk *c = checked_chunk(p, "free(): invalid pointer or double free");
	if (c->head & MMAPPED) {
		size_t size = csize(c);
		mmap_bytes -= size;
		mmap_count--;
		munmap(c, size);
		return;
	}
	c->head &= ~INUSE;
	at(c, csize(c))->head &= ~PREV_INUSE;
	c = release(c);
	maybe_trim(c);
}

void *calloc(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	size_t n = nmemb * size;
	void *p = malloc(n);
	/* Fresh mmap memory is already zero: do not touch (and commit) it. */
	if (p && !(at(p, -HDR)->head & MMAPPED))
		memset(p, 0, n);
	return p;
}

/* Shrink in-use heap chunk c to `size`, freeing the tail if it is big enough. */
static void shrink(struct chunk *c, size_t size)
{
	size_t have = csize(c);
	if (have - size < MIN_CHUNK)
		return;
	c->head = size | (c->head & FLAGS);
	struct chunk *r = at(c, size);
	r->head = (have - size) | PREV_INUSE;	/* free, below is c (in use) */
	at(r, have - size)->head &= ~PREV_INUSE;
	release(r);
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	struct chunk *c = checked_chunk(p, "realloc(): invalid pointer");
	size_t size = request_size(n);
	if (!size) {
		errno = ENOMEM;
		return NULL;
	}
	size_t have = csize(c);
	if (c->head & MMAPPED) {
		if (n + HDR <= have && n >= MMAP_THRESHOLD / 2)
			return p;
	} else {
		if (have < size) {
			struct chunk *next = at(c, have);
			if (!(next->head & INUSE) && have + csize(next) >= size) {
				list_del(next);
				have += csize(next);
				c->head = have | (c->head & FLAGS);
				at(c, have)->head |= PREV_INUSE;
			}
		}
		if (have >= size) {
			shrink(c, size);
			return p;
		}
	}
	void *q = malloc(n);
	if (!q)
		return NULL;
	size_t keep = have - HDR;
	memcpy(q, p, keep < n ? keep : n);
	free(p);
	return q;
}

void malloc_stats_get(struct mallinfo_lite *mi)
{
	size_t fr = 0;
	for (struct chunk *c = free_list.fd; c != &free_list; c = c->fd)
		fr += csize(c);
	mi->heap_bytes = heap_bytes;
	mi->free_bytes = fr;
	mi->mmap_bytes = mmap_bytes;
	mi->mmap_count = mmap_count;
}
