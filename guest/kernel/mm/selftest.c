/* selftest.c - the `mm_selftest` stress test: a million random allocations
 * and frees through every allocator, the consistency checker every 10,000
 * operations, and at the end every free count back where it started.
 *
 * Deterministic: a fixed-seed xorshift32 drives every choice, so the same
 * kernel on the same memory map prints the same numbers on any engine.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <asm/pgtable.h>

#define SELFTEST_OPS 1000000u
#define CHECK_EVERY 10000u
#define NR_SLOTS 512
#define SELFTEST_SEED 0x2545F491u

enum kind { K_NONE, K_PAGES, K_KMALLOC, K_CACHE, K_VMALLOC, NR_KINDS };
static const char *const kind_names[NR_KINDS] = { "", "pages", "kmalloc", "cache", "vmalloc" };

struct slot {
	u8 kind;
	u8 order;
	u32 size;
	u32 sig;
	void *ptr;
	struct page *page;
};

static struct slot slots[NR_SLOTS];
static u32 rng_state;
static unsigned long nr_alloc[NR_KINDS], nr_fail[NR_KINDS], nr_free[NR_KINDS];
static unsigned long order_hist[MAX_ORDER], class_hist[16];
static int bad_sigs;

static u32 rnd(void)
{
	u32 x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* Write (or, with check, verify) the signature in the first and last word
 * of a page block; highmem pages are reached through kmap or kmap_atomic. */
static void page_sig(struct slot *s, bool check)
{
	unsigned long n = 1UL << s->order;
	struct page *ends[2] = { s->page, s->page + n - 1 };
	for (int e = 0; e < 2; e++) {
		bool atomic = (s->sig >> e) & 1;
		u32 *p = atomic ? kmap_atomic(ends[e], KM_SELFTEST) : kmap(ends[e]);
		u32 *w = e ? &p[PAGE_SIZE / 4 - 1] : &p[0];
		u32 want = s->sig ^ (u32)page_to_pfn(ends[e]);
		if (check && *w != want)
			bad_sigs++;
		else if (!check)
			*w = want;
		if (atomic)
			kunmap_atomic(p, KM_SELFTEST);
		else
			kunmap(ends[e]);
	}
}

/* The same for a byte range in the kernel's address space. */
static void mem_sig(struct slot *s, bool check)
{
	u8 *p = s->ptr;
	u32 offs[2] = { 0, s->size - 1 };
	for (int e = 0; e < (s->size > 1 ? 2 : 1); e++) {
		u8 want = (u8)(s->sig >> (8 * e));
		if (check && p[offs[e]] != want)
			bad_sigs++;
		else if (!check)
			p[offs[e]] = want;
	}
}

static struct kmem_cache *test_cache;

static void do_alloc(struct slot *s)
{
	u32 r = rnd();
	u32 pick = r & 63;
	s->sig = rnd();
	if (pick < 30) {
		/* order k with probability about 2^-(k+1): every order, mostly small */
		unsigned order = 0;
		u32 bits = rnd();
		while (order < MAX_ORDER - 1 && (bits & 1))
			order++, bits >>= 1;
		u32 z = (r >> 8) & 7;
		gfp_t gfp = z == 0 ? GFP_DMA : z < 4 ? GFP_KERNEL : GFP_HIGHUSER;
		s->kind = K_PAGES;
		s->order = order;
		s->page = alloc_pages(gfp, order);
		if (s->page) {
			order_hist[order]++;
			page_sig(s, false);
		}
	} else if (pick < 58) {
		/* any size: pick a class, then a size inside it */
		unsigned c = (r >> 8) % nr_kmalloc_sizes;
		u32 lo = c ? kmalloc_sizes[c - 1] + 1 : 1;
		s->kind = K_KMALLOC;
		s->size = lo + rnd() % (kmalloc_sizes[c] - lo + 1);
		s->ptr = kmalloc(s->size, GFP_KERNEL);
		if (s->ptr) {
			class_hist[c]++;
			if (ksize(s->ptr) < s->size)
				bad_sigs++;
			mem_sig(s, false);
		}
	} else if (pick < 63) {
		s->kind = K_CACHE;
		s->size = test_cache->objsize;
		s->ptr = kmem_cache_alloc(test_cache, GFP_KERNEL);
		if (s->ptr)
			mem_sig(s, false);
	} else {
		s->kind = K_VMALLOC;
		s->size = 1 + rnd() % (64u << 10);
		s->ptr = vmalloc(s->size);
		if (s->ptr)
			mem_sig(s, false);
	}
	bool ok = s->ptr || s->page;
	(ok ? nr_alloc : nr_fail)[s->kind]++;
	if (!ok)
		s->kind = K_NONE;
}

static void do_free(struct slot *s)
{
	switch (s->kind) {
	case K_PAGES:
		page_sig(s, true);
		__free_pages(s->page, s->order);
		break;
	case K_KMALLOC:
		mem_sig(s, true);
		kfree(s->ptr);
		break;
	case K_CACHE:
		mem_sig(s, true);
		kmem_cache_free(test_cache, s->ptr);
		break;
	case K_VMALLOC:
		mem_sig(s, true);
		vfree(s->ptr);
		break;
	}
	nr_free[s->kind]++;
	memset(s, 0, sizeof(*s));
}

/* Take single pages with `gfp` until the allocator refuses, chaining them
 * through page->lru.next (unused while a page is allocated). */
static struct page *drain(gfp_t gfp, struct page *chain, unsigned long *n)
{
	struct page *p;
	while ((p = alloc_page(gfp))) {
		p->lru.next = (struct list_head *)chain;
		chain = p;
		(*n)++;
	}
	return chain;
}

static void release(struct page *chain)
{
	while (chain) {
		struct page *next = (struct page *)chain->lru.next;
		__free_page(chain);
		chain = next;
	}
}

/* The zones a request may take from: its best zone down to DMA. */
static int top_zone(gfp_t gfp)
{
	return (gfp & __GFP_DMA) ? ZONE_DMA : (gfp & __GFP_HIGHMEM) ? ZONE_HIGHMEM : ZONE_NORMAL;
}

/* Check that after draining, every zone the request may use stands exactly
 * at its watermark for that request: min (no reclaim here), or min - min/2
 * for __GFP_HIGH. Returns the number of zones that do not. */
static int check_drained(gfp_t gfp, const char *what, unsigned long n)
{
	int bad = 0;
	printk(KERN_INFO "mm_selftest: %s: %lu pages, then refused; free/mark:", what, n);
	for (int zi = top_zone(gfp); zi >= 0; zi--) {
		struct zone *z = &zones[zi];
		if (!z->managed_pages)
			continue;
		unsigned long mark = min_wmark_pages(z);
		if (gfp & __GFP_HIGH)
			mark -= mark / 2;
		printk(" %s %lu/%lu", z->name, z->free_pages, mark);
		bad += z->free_pages != mark;
	}
	printk("\n");
	return bad;
}

/* Memory exhaustion: the watermarks in action. */
static int selftest_exhaust(void)
{
	int bad = 0;
	unsigned long n = 0;
	struct page *chain = drain(GFP_KERNEL, 0, &n);
	bad += check_drained(GFP_KERNEL, "drain GFP_KERNEL", n);
	n = 0;
	chain = drain(GFP_ATOMIC, chain, &n);
	bad += check_drained(GFP_ATOMIC, "then GFP_ATOMIC", n);
	release(chain);
	n = 0;
	chain = drain(GFP_HIGHUSER, 0, &n);
	bad += check_drained(GFP_HIGHUSER, "drain GFP_HIGHUSER", n);
	release(chain);
	n = 0;
	chain = drain(GFP_DMA, 0, &n);
	bad += check_drained(GFP_DMA, "drain GFP_DMA", n);
	release(chain);
	return bad;
}

/* Run the stress test; returns 0 if every check passed. */
int mm_selftest(void)
{
	unsigned long free_before[MAX_NR_ZONES], free_after[MAX_NR_ZONES];
	int problems = 0, checks = 0;

	printk(KERN_INFO "mm_selftest: %u operations, seed %08x, check every %u\n",
	       SELFTEST_OPS, SELFTEST_SEED, CHECK_EVERY);
	rng_state = SELFTEST_SEED;
	kmem_cache_shrink_all();
	for (int zi = 0; zi < MAX_NR_ZONES; zi++)
		free_before[zi] = zones[zi].free_pages;
	unsigned long vm_before = vmalloc_used_pages();
	unsigned long pt_before = nr_kernel_page_tables;

	test_cache = kmem_cache_create("selftest-obj", 72, 0, SLAB_HWCACHE_ALIGN, 0);
	if (!test_cache) {
		printk(KERN_ERR "mm_selftest: kmem_cache_create failed\n");
		return 1;
	}
	for (u32 op = 1; op <= SELFTEST_OPS; op++) {
		struct slot *s = &slots[rnd() % NR_SLOTS];
		if (s->kind != K_NONE)
			do_free(s);
		else
			do_alloc(s);
		if (op % CHECK_EVERY == 0) {
			problems += mm_check_all();
			checks++;
			if (problems > 20)
				break;
		}
	}
	for (int i = 0; i < NR_SLOTS; i++)
		if (slots[i].kind != K_NONE)
			do_free(&slots[i]);
	if (test_cache->num_active)
		problems++;
	kmem_cache_destroy(test_cache);
	kmem_cache_shrink_all();
	problems += mm_check_all();
	checks++;
	problems += selftest_exhaust();
	problems += mm_check_all();
	checks++;

	for (int k = K_PAGES; k < NR_KINDS; k++)
		printk(KERN_INFO "mm_selftest: %-8s %7lu allocated %7lu failed %7lu freed\n",
		       kind_names[k], nr_alloc[k], nr_fail[k], nr_free[k]);
	printk(KERN_INFO "mm_selftest: blocks per order:");
	for (int o = 0; o < MAX_ORDER; o++)
		printk(" %lu", order_hist[o]);
	printk("\nmm_selftest: objects per kmalloc class:");
	for (unsigned c = 0; c < nr_kmalloc_sizes; c++)
		printk(" %lu", class_hist[c]);
	printk("\n");

	/* vmalloc page tables are never freed (as in Linux): they are the only
	 * pages allowed to be missing afterwards. */
	unsigned long new_tables = nr_kernel_page_tables - pt_before;
	unsigned long missing = 0;
	bool restored = vmalloc_used_pages() == vm_before;
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		free_after[zi] = zones[zi].free_pages;
		if (free_after[zi] > free_before[zi])
			restored = false;
		missing += free_before[zi] - free_after[zi];
		if (zones[zi].managed_pages)
			printk(KERN_INFO "mm_selftest: %s free pages %lu before, %lu after\n",
			       zones[zi].name, free_before[zi], free_after[zi]);
	}
	printk(KERN_INFO "mm_selftest: %lu pages kept as new vmalloc page tables, %lu pages missing\n",
	       new_tables, missing);
	if (missing != new_tables)
		restored = false;
	if (bad_sigs)
		printk(KERN_ERR "mm_selftest: %d corrupted allocations\n", bad_sigs);
	if (!restored)
		printk(KERN_ERR "mm_selftest: free counts not restored\n");
	printk(KERN_INFO "mm_selftest: %d consistency checks, %d problems\n", checks, problems);
	bool pass = !problems && !bad_sigs && restored && pkmap_in_use() == 0;
	printk(KERN_INFO "mm_selftest: %s\n", pass ? "PASS" : "FAIL");
	return pass ? 0 : 1;
}
