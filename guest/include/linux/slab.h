/* slab.h - the slab allocator: object caches on top of the buddy allocator. */
#ifndef LINUX_SLAB_H
#define LINUX_SLAB_H
#include <linux/list.h>
#include <linux/gfp.h>
#include <mmulab/mm_channel.h>

#define SLAB_HWCACHE_ALIGN 0x2000u	/* align objects to L1_CACHE_BYTES */
#define L1_CACHE_BYTES 32

/* A cache of equal-sized objects (Linux's struct kmem_cache, SLAB flavour). */
struct kmem_cache {
	struct list_head next;		/* cache_chain link */
	char name[MMCHAN_NAME_LEN];
	unsigned int objsize;		/* what the caller asked for */
	unsigned int buffer_size;	/* objsize rounded up to the alignment */
	unsigned int align;
	unsigned int num;		/* objects per slab */
	unsigned int gfporder;		/* each slab is 2^gfporder pages */
	gfp_t gfpflags;
	unsigned int flags;
	void (*ctor)(void *obj);	/* run on each object when its slab is made */
	bool off_slab;			/* slab descriptor kmalloc'd, not in the slab */
	size_t slab_size;		/* descriptor + bufctl array */
	unsigned int colour;		/* number of colours (offsets) */
	unsigned int colour_off;	/* one colour step in bytes */
	unsigned int colour_next;	/* colour of the next slab */
	struct list_head slabs_full, slabs_partial, slabs_free;
	/* statistics (/proc/slabinfo) */
	unsigned long num_active;	/* objects handed out */
	unsigned long num_slabs;
	unsigned long high_mark;	/* most objects ever active */
	unsigned long num_allocations, num_frees;
	unsigned long grown, reaped, errors;
};

/* A slab: 2^gfporder contiguous pages cut into `num` objects. */
typedef unsigned int kmem_bufctl_t;	/* index of the next free object */
#define BUFCTL_END (~0u)
struct slab {
	struct list_head list;		/* in one of the cache's three lists */
	unsigned long colouroff;	/* offset of s_mem from the slab base */
	void *s_mem;			/* first object */
	unsigned int inuse;		/* objects allocated */
	kmem_bufctl_t free;		/* first free object index */
	/* kmem_bufctl_t bufctl[num] follows */
};

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *obj);
int kmem_cache_shrink(struct kmem_cache *c);
void kmem_cache_init(void);
void kmem_cache_shrink_all(void);

#define KMALLOC_MIN_SIZE 32
#define KMALLOC_MAX_SIZE (128u << 10)
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *obj);
size_t ksize(const void *obj);
void show_slabinfo(void);
unsigned long kmem_cache_active_slabs(const struct kmem_cache *c);
extern struct list_head cache_chain;
extern const unsigned int kmalloc_sizes[];
extern const unsigned int nr_kmalloc_sizes;
#endif
