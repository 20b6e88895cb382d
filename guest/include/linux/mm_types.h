/* mm_types.h - struct page: one per physical frame, in mem_map[]. */
#ifndef LINUX_MM_TYPES_H
#define LINUX_MM_TYPES_H
#include <linux/list.h>

/* 32 bytes, the i386 Linux 2.6 layout minus the SMP/debug fields. */
struct page {
	unsigned long flags;	/* PG_* bits, owner and zone fields (below) */
	int _count;		/* references; 0 = free or a tail of a block */
	int _mapcount;		/* user PTEs mapping it, -1 = none */
	unsigned long private;	/* free block head: its buddy order */
	void *mapping;		/* slab: the slab descriptor; later anon/file */
	unsigned long index;	/* slab: the owning kmem_cache; later offset */
	struct list_head lru;	/* free_area list link, or slab page list */
};

/* flags: bit numbers (Linux names) */
enum pageflags {
	PG_reserved = 0,	/* never handed to the buddy allocator */
	PG_buddy = 1,		/* head of a free block in a free_area list */
	PG_slab = 2,		/* belongs to a slab */
	PG_highmem = 3,		/* above max_low_pfn: no permanent mapping */
};
/* flags: a 4-bit owner field (enum mmchan_owner) and the zone number. */
#define PG_OWNER_SHIFT 16
#define PG_OWNER_BITS 4
#define PG_ZONE_SHIFT 24
#define PG_ZONE_BITS 2
#endif
