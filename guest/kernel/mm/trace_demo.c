/*
 * mm/trace_demo.c - a short, scripted walk through every allocator, for
 * the --trace-mm golden test (kernel command line option `mm_trace_demo`).
 *
 * Each step is one allocator call whose event on the mm channel a reader of
 * the trace can match to the line printed here: buddy blocks of orders 0 and
 * 3 (split from a larger block, then coalesced on free), a slab cache created,
 * grown by a first object and destroyed, a kmalloc and a kfree, a vmalloc
 * area of three non-contiguous pages and its vfree. Everything is freed, and
 * the free page count must come back to where it started.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>

struct demo_obj {
	u32 id;
	char payload[92];
};

/* Run the script. Returns 0 when every allocation succeeded and the free
 * page count is back at its starting value, 1 otherwise. */
int mm_trace_demo(void)
{
	unsigned long before = nr_free_pages();
	struct page *p0, *p3;
	struct kmem_cache *cache;
	struct demo_obj *obj;
	void *k, *v;
	int bad = 0;

	printk(KERN_INFO "mm_trace_demo: start, %lu pages free\n", before);
	p0 = alloc_pages(GFP_KERNEL, 0);
	p3 = alloc_pages(GFP_KERNEL, 3);
	printk(KERN_INFO "mm_trace_demo: alloc_pages order 0 -> pfn %lu, order 3 -> pfn %lu\n",
	       p0 ? page_to_pfn(p0) : 0, p3 ? page_to_pfn(p3) : 0);
	cache = kmem_cache_create("demo_obj", sizeof(struct demo_obj), 0, 0, NULL);
	obj = cache ? kmem_cache_alloc(cache, GFP_KERNEL) : NULL;
	printk(KERN_INFO "mm_trace_demo: kmem_cache_create demo_obj (%u bytes), first object %p\n",
	       (unsigned)sizeof(struct demo_obj), obj);
	k = kmalloc(200, GFP_KERNEL);
	printk(KERN_INFO "mm_trace_demo: kmalloc(200) -> %p (size-256)\n", k);
	v = vmalloc(3 * PAGE_SIZE);
	printk(KERN_INFO "mm_trace_demo: vmalloc(3 pages) -> %p\n", v);
	if (!p0 || !p3 || !cache || !obj || !k || !v)
		bad = 1;

	vfree(v);
	kfree(k);
	if (obj)
		kmem_cache_free(cache, obj);
	if (cache)
		kmem_cache_destroy(cache);
	if (p3)
		__free_pages(p3, 3);
	if (p0)
		__free_pages(p0, 0);
	kmem_cache_shrink_all();
	printk(KERN_INFO "mm_trace_demo: everything freed, %lu pages free (%s)\n",
	       nr_free_pages(), nr_free_pages() == before ? "back to the start" : "LEAK");
	return bad || nr_free_pages() != before;
}
