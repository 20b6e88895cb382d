/* slab.c - the slab allocator (the SLAB design of Linux 2.6, single CPU).
 *
 * A cache hands out objects of one size. Its memory comes in slabs of
 * 2^gfporder pages from the buddy allocator; each slab has a descriptor
 * (struct slab + a kmem_bufctl_t per object chaining the free ones) either
 * at the start of the slab (small objects) or kmalloc'd elsewhere ("off
 * slab", objects of 512 bytes and more, so that big objects pack exactly).
 * Slabs sit on one of three lists: full, partial, free. Allocation prefers
 * partial slabs so that free slabs can be given back.
 *
 * Colouring: the unused tail of a slab (left_over) is spent as a varying
 * offset of the first object, colour_off bytes per step, so that objects of
 * consecutive slabs start on different cache lines.
 *
 * Each page of a slab has PG_slab set, page->mapping = its struct slab and
 * page->index = its cache: kfree() finds both from the address alone.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/processor.h>
#include <asm/mm_events.h>

LIST_HEAD(cache_chain);
static struct kmem_cache cache_cache;	/* the cache of struct kmem_cache */
#define SLAB_BREAK_ORDER 1		/* grow slabs past this only if nothing fits */
#define OFF_SLAB_MIN (PAGE_SIZE >> 3)

const unsigned int kmalloc_sizes[] = {
	32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
	16384, 32768, 65536, 131072,
};
const unsigned int nr_kmalloc_sizes = ARRAY_SIZE(kmalloc_sizes);
static struct kmem_cache *kmalloc_caches[ARRAY_SIZE(kmalloc_sizes)];

static inline kmem_bufctl_t *slab_bufctl(struct slab *s) { return (kmem_bufctl_t *)(s + 1); }

/* How many objects fit in a slab of `order`, and how many bytes remain. */
static void cache_estimate(unsigned int order, size_t size, size_t align, bool off_slab,
			   unsigned int *num, size_t *left_over)
{
	size_t bytes = PAGE_SIZE << order;
	size_t n, mgmt = 0;
	if (off_slab) {
		n = bytes / size;
	} else {
		n = (bytes - sizeof(struct slab)) / (size + sizeof(kmem_bufctl_t));
		while (n && ALIGN(sizeof(struct slab) + n * sizeof(kmem_bufctl_t), align) + n * size > bytes)
			n--;
		mgmt = ALIGN(sizeof(struct slab) + n * sizeof(kmem_bufctl_t), align);
	}
	*num = (unsigned int)n;
	*left_over = n ? bytes - n * size - mgmt : bytes;
}

/* Can the descriptor of an off-slab cache of this size be kmalloc'd? Only
 * once a kmalloc cache at least that big exists (during kmem_cache_init the
 * small classes are created first). */
static bool kmalloc_can_hold(size_t bytes)
{
	for (unsigned i = 0; i < nr_kmalloc_sizes; i++)
		if (kmalloc_caches[i] && kmalloc_caches[i]->buffer_size >= bytes &&
		    !kmalloc_caches[i]->off_slab)
			return true;
	return false;
}

/* Fill in a cache's geometry: alignment, layout, slab order, colours.
 * Returns false when the object cannot fit in the largest slab. */
static bool cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align,
			unsigned int flags, void (*ctor)(void *))
{
	memset(c, 0, sizeof(*c));
	strncpy(c->name, name, MMCHAN_NAME_LEN - 1);
	if (flags & SLAB_HWCACHE_ALIGN) {
		size_t ralign = L1_CACHE_BYTES;
		while (size <= ralign / 2 && ralign > sizeof(void *))
			ralign /= 2;	/* small objects: share a line, as Linux */
		if (ralign > align)
			align = ralign;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	c->objsize = size;
	c->align = align;
	c->buffer_size = ALIGN(size, align);
	c->flags = flags;
	c->ctor = ctor;
	c->gfpflags = GFP_KERNEL;

	bool off_slab = c->buffer_size >= OFF_SLAB_MIN;
	size_t left_over = 0;
	unsigned int order;
	for (order = 0; order < MAX_ORDER; order++) {
		unsigned int num;
		cache_estimate(order, c->buffer_size, align, off_slab, &num, &left_over);
		if (!num)
			continue;
		if (off_slab && !kmalloc_can_hold(sizeof(struct slab) + num * sizeof(kmem_bufctl_t))) {
			off_slab = false;	/* no kmalloc yet: keep the descriptor inside */
			cache_estimate(order, c->buffer_size, align, false, &num, &left_over);
			if (!num)
				continue;
		}
		c->num = num;
		if (order >= SLAB_BREAK_ORDER || left_over * 8 <= (PAGE_SIZE << order))
			break;
	}
	if (order >= MAX_ORDER || !c->num)
		return false;
	c->gfporder = order;
	c->off_slab = off_slab;
	c->slab_size = sizeof(struct slab) + c->num * sizeof(kmem_bufctl_t);
	if (!off_slab)
		c->slab_size = ALIGN(c->slab_size, align);
	c->colour_off = align > L1_CACHE_BYTES ? align : L1_CACHE_BYTES;
	c->colour = left_over / c->colour_off;
	INIT_LIST_HEAD(&c->slabs_full);
	INIT_LIST_HEAD(&c->slabs_partial);
	INIT_LIST_HEAD(&c->slabs_free);
	return true;
}

static void cache_event(u16 type, struct kmem_cache *c)
{
	mm_event(type, 0, c->buffer_size, c->gfporder, MMZONE_NONE, MMOWN_SLAB, (u32)c, 0, c->name);
}

/* Create a cache of `size`-byte objects aligned to `align` (0: pointer
 * size; SLAB_HWCACHE_ALIGN: a cache line). `ctor`, if any, initialises each
 * object once, when its slab is created. NULL on failure. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *))
{
	if (!name || !size || size > KMALLOC_MAX_SIZE * 8)
		return 0;
	struct kmem_cache tmp;
	if (!cache_setup(&tmp, name, size, align, flags, ctor))
		return 0;
	struct kmem_cache *c = kmem_cache_alloc(&cache_cache, GFP_KERNEL);
	if (!c)
		return 0;
	*c = tmp;
	INIT_LIST_HEAD(&c->slabs_full);
	INIT_LIST_HEAD(&c->slabs_partial);
	INIT_LIST_HEAD(&c->slabs_free);
	u32 f = local_irq_save();
	list_add_tail(&c->next, &cache_chain);
	local_irq_restore(f);
	cache_event(MMEV_CACHE_CREATE, c);
	return c;
}

/* Make a new free slab for c; false if memory ran out. */
static bool cache_grow(struct kmem_cache *c, gfp_t gfp)
{
	gfp = (gfp & ~(__GFP_HIGHMEM | (0xfu << __GFP_OWNER_SHIFT))) | __GFP_OWNER(MMOWN_SLAB);
	struct page *page = alloc_pages(gfp, c->gfporder);
	if (!page)
		return false;
	char *base = page_address(page);
	size_t offset = c->colour_next * c->colour_off;
	if (++c->colour_next >= c->colour)
		c->colour_next = 0;
	struct slab *s;
	if (c->off_slab) {
		s = kmalloc(c->slab_size, gfp & ~(0xfu << __GFP_OWNER_SHIFT));
		if (!s) {
			__free_pages(page, c->gfporder);
			return false;
		}
	} else {
		s = (struct slab *)(base + offset);
		offset += c->slab_size;
	}
	s->colouroff = offset;
	s->s_mem = base + offset;
	s->inuse = 0;
	s->free = 0;
	for (unsigned int i = 0; i < c->num; i++)
		slab_bufctl(s)[i] = i + 1 < c->num ? i + 1 : BUFCTL_END;
	for (unsigned int i = 0; i < (1u << c->gfporder); i++) {
		SetPageFlag(&page[i], PG_slab);
		page[i].mapping = s;
		page[i].index = (unsigned long)c;
	}
	if (c->ctor)
		for (unsigned int i = 0; i < c->num; i++)
			c->ctor((char *)s->s_mem + i * c->buffer_size);
	list_add_tail(&s->list, &c->slabs_free);
	c->num_slabs++;
	c->grown++;
	mm_event(MMEV_SLAB_GROW, page_to_pfn(page), c->num, c->gfporder, page_zonenum(page),
		 MMOWN_SLAB, (u32)c, (u32)base, c->name);
	return true;
}

/* Give a slab with no objects in use back to the buddy allocator. */
static void slab_destroy(struct kmem_cache *c, struct slab *s)
{
	char *base = (char *)s->s_mem - s->colouroff;
	struct page *page = virt_to_page(base);
	list_del(&s->list);
	mm_event(MMEV_SLAB_SHRINK, page_to_pfn(page), c->num, c->gfporder, page_zonenum(page),
		 MMOWN_SLAB, (u32)c, (u32)base, c->name);
	for (unsigned int i = 0; i < (1u << c->gfporder); i++) {
		ClearPageFlag(&page[i], PG_slab);
		page[i].mapping = 0;
		page[i].index = 0;
	}
	__free_pages(page, c->gfporder);
	if (c->off_slab)
		kfree(s);
	c->num_slabs--;
	c->reaped++;
}

/* An object from c (uninitialised unless c has a ctor), or NULL. */
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	u32 f = local_irq_save();
	struct list_head *l = &c->slabs_partial;
	if (list_empty(l)) {
		l = &c->slabs_free;
		if (list_empty(l)) {
			if (!cache_grow(c, gfp)) {
				c->errors++;
				local_irq_restore(f);
				return 0;
			}
		}
	}
	struct slab *s = list_entry(l->next, struct slab, list);
	void *obj = (char *)s->s_mem + s->free * c->buffer_size;
	s->free = slab_bufctl(s)[s->free];
	s->inuse++;
	list_move(&s->list, s->inuse == c->num ? &c->slabs_full : &c->slabs_partial);
	c->num_active++;
	c->num_allocations++;
	if (c->num_active > c->high_mark)
		c->high_mark = c->num_active;
	local_irq_restore(f);
	mm_event(MMEV_OBJ_ALLOC, 0, c->objsize, 0, MMZONE_NONE, MMOWN_SLAB, (u32)c, (u32)obj, 0);
	return obj;
}

/* Return an object to its cache. The object must have come from c; a
 * foreign pointer, a misaligned one or a double free panics (these are the
 * bugs a teaching kernel should name, not survive). A slab that becomes
 * empty is freed unless it would be the cache's only free slab. */
void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (!obj)
		return;
	u32 f = local_irq_save();
	struct page *page = virt_to_page(obj);
	if ((unsigned long)obj < PAGE_OFFSET || (unsigned long)obj >= high_memory ||
	    !PageSlab(page) || page->index != (unsigned long)c)
		panic("kmem_cache_free(%s): %p is not an object of this cache", c->name, obj);
	struct slab *s = page->mapping;
	unsigned long off = (unsigned long)((char *)obj - (char *)s->s_mem);
	unsigned int objnr = off / c->buffer_size;
	if (off % c->buffer_size || objnr >= c->num)
		panic("kmem_cache_free(%s): %p is not the start of an object", c->name, obj);
	for (kmem_bufctl_t i = s->free; i != BUFCTL_END; i = slab_bufctl(s)[i])
		if (i == objnr)
			panic("kmem_cache_free(%s): double free of %p", c->name, obj);
	slab_bufctl(s)[objnr] = s->free;
	s->free = objnr;
	s->inuse--;
	c->num_active--;
	c->num_frees++;
	mm_event(MMEV_OBJ_FREE, 0, c->objsize, 0, MMZONE_NONE, MMOWN_SLAB, (u32)c, (u32)obj, 0);
	if (s->inuse == 0) {
		if (!list_empty(&c->slabs_free))
			slab_destroy(c, s);
		else
			list_move(&s->list, &c->slabs_free);
	} else {
		list_move(&s->list, &c->slabs_partial);
	}
	local_irq_restore(f);
}

/* Free every empty slab of c; returns how many were freed. */
int kmem_cache_shrink(struct kmem_cache *c)
{
	int n = 0;
	u32 f = local_irq_save();
	while (!list_empty(&c->slabs_free)) {
		slab_destroy(c, list_entry(c->slabs_free.next, struct slab, list));
		n++;
	}
	local_irq_restore(f);
	return n;
}

/* Shrink every cache. Freeing an off-slab descriptor can empty a slab of
 * a smaller cache already visited, so repeat until a pass frees nothing. */
void kmem_cache_shrink_all(void)
{
	int freed;
	do {
		freed = 0;
		struct list_head *l;
		list_for_each(l, &cache_chain)
			freed += kmem_cache_shrink(list_entry(l, struct kmem_cache, next));
	} while (freed);
}

/* Remove a cache whose objects have all been freed. A cache still in use
 * is left alone, with a complaint (Linux BUGs here). */
void kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c || c == &cache_cache)
		return;
	kmem_cache_shrink(c);
	if (c->num_active || !list_empty(&c->slabs_partial) || !list_empty(&c->slabs_full)) {
		printk(KERN_ERR "kmem_cache_destroy: %s still has %lu objects\n", c->name, c->num_active);
		return;
	}
	u32 f = local_irq_save();
	list_del(&c->next);
	local_irq_restore(f);
	cache_event(MMEV_CACHE_DESTROY, c);
	kmem_cache_free(&cache_cache, c);
}

/* Set up cache_cache by hand (it cannot allocate itself), then the
 * kmalloc caches from the smallest up, so each off-slab descriptor has a
 * smaller cache to come from. */
void kmem_cache_init(void)
{
	if (!cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0,
			 SLAB_HWCACHE_ALIGN, 0))
		panic("kmem_cache_init: cache_cache");
	list_add_tail(&cache_cache.next, &cache_chain);
	cache_event(MMEV_CACHE_CREATE, &cache_cache);
	for (unsigned i = 0; i < nr_kmalloc_sizes; i++) {
		char name[MMCHAN_NAME_LEN];
		snprintf(name, sizeof(name), "size-%u", kmalloc_sizes[i]);
		kmalloc_caches[i] = kmem_cache_create(name, kmalloc_sizes[i], 0, SLAB_HWCACHE_ALIGN, 0);
		if (!kmalloc_caches[i])
			panic("kmem_cache_init: %s", name);
	}
}

/* The smallest size class that holds `size` bytes; NULL above 128 KiB. */
static struct kmem_cache *kmalloc_cache(size_t size)
{
	for (unsigned i = 0; i < nr_kmalloc_sizes; i++)
		if (size <= kmalloc_sizes[i])
			return kmalloc_caches[i];
	return 0;
}

/* General-purpose kernel memory, 1 byte .. 128 KiB, from the size-N caches
 * (always lowmem; __GFP_DMA is not honoured: there are no DMA caches). */
void *kmalloc(size_t size, gfp_t gfp)
{
	struct kmem_cache *c = kmalloc_cache(size ? size : 1);
	return c ? kmem_cache_alloc(c, gfp) : 0;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);
	if (p)
		memset(p, 0, size);
	return p;
}

/* Free a kmalloc'd (or any slab) object; NULL is ignored. */
void kfree(const void *obj)
{
	if (!obj)
		return;
	struct page *page = virt_to_page(obj);
	if ((unsigned long)obj < PAGE_OFFSET || (unsigned long)obj >= high_memory || !PageSlab(page))
		panic("kfree: %p was not allocated by kmalloc", obj);
	kmem_cache_free((struct kmem_cache *)page->index, (void *)obj);
}

/* The usable size of a kmalloc'd object. */
size_t ksize(const void *obj)
{
	struct page *page = virt_to_page(obj);
	return PageSlab(page) ? ((struct kmem_cache *)page->index)->buffer_size : 0;
}

/* Slabs holding at least one object (full and partial): slabinfo's
 * <active_slabs>. */
unsigned long kmem_cache_active_slabs(const struct kmem_cache *c)
{
	unsigned long n = 0;
	const struct list_head *s;
	list_for_each(s, &c->slabs_full)
		n++;
	list_for_each(s, &c->slabs_partial)
		n++;
	return n;
}

/* The kernel log's copy of /proc/slabinfo (fs/proc.c): version 2.1
 * columns with the colour count in place of the tunables. */
void show_slabinfo(void)
{
	printk(KERN_INFO "slabinfo - version: 2.1\n");
	printk(KERN_INFO "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : slabdata <active_slabs> <num_slabs> <colours>\n");
	struct list_head *l;
	list_for_each(l, &cache_chain) {
		struct kmem_cache *c = list_entry(l, struct kmem_cache, next);
		unsigned long active_slabs = kmem_cache_active_slabs(c);
		printk(KERN_INFO "%-17s %6lu %6lu %6u %4u %4u : slabdata %6lu %6lu %4u\n", c->name,
		       c->num_active, c->num_slabs * c->num, c->buffer_size, c->num,
		       1u << c->gfporder, active_slabs, c->num_slabs, c->colour);
	}
}

/* For the checker and the introspection table. */
struct kmem_cache *kmem_cache_cache(void)
{
	return &cache_cache;
}
