/* debug.c - consistency checks of the buddy lists, page counts and slabs.
 * Each check prints what is wrong and returns the number of problems. */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/highmem.h>

#define complain(...) do { if (problems++ < 10) printk(KERN_ERR "mm_check: " __VA_ARGS__); } while (0)

/* For every zone: each listed block is a PG_buddy head of the right order,
 * aligned, inside the zone, listed once; the per-order and per-zone counts
 * match the lists; walking mem_map finds exactly the listed free pages and
 * no free block overlaps an in-use, reserved or slab page. */
int check_buddy(void)
{
	int problems = 0;
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		unsigned long listed = 0;
		unsigned long end = z->zone_start_pfn + z->spanned_pages;
		for (unsigned o = 0; o < MAX_ORDER; o++) {
			unsigned long n = 0;
			struct list_head *l;
			list_for_each(l, &z->free_area[o].free_list) {
				struct page *p = list_entry(l, struct page, lru);
				unsigned long pfn = page_to_pfn(p);
				if (pfn < z->zone_start_pfn || pfn + (1UL << o) > end)
					complain("%s order %u: block %lx outside the zone\n", z->name, o, pfn);
				else if (!PageBuddy(p) || p->private != o)
					complain("%s order %u: block %lx not marked free at this order\n", z->name, o, pfn);
				else if (pfn & ((1UL << o) - 1))
					complain("%s order %u: block %lx misaligned\n", z->name, o, pfn);
				if (++n > z->spanned_pages) {
					complain("%s order %u: list loops\n", z->name, o);
					break;
				}
			}
			if (n != z->free_area[o].nr_free)
				complain("%s order %u: %lu blocks listed, nr_free %lu\n", z->name, o, n,
					 z->free_area[o].nr_free);
			listed += n << o;
		}
		if (listed != z->free_pages)
			complain("%s: %lu pages on the lists, free_pages %lu\n", z->name, listed, z->free_pages);

		unsigned long walked = 0;
		for (unsigned long pfn = z->zone_start_pfn; pfn < end;) {
			struct page *p = pfn_to_page(pfn);
			if (page_zonenum(p) != (unsigned)zi)
				complain("pfn %lx: zone %u in a %s span\n", pfn, page_zonenum(p), z->name);
			if (!PageBuddy(p)) {
				if (p->_count < 0)
					complain("pfn %lx: negative count %d\n", pfn, p->_count);
				pfn++;
				continue;
			}
			unsigned long o = p->private;
			if (o >= MAX_ORDER) {
				complain("pfn %lx: free block of order %lu\n", pfn, o);
				pfn++;
				continue;
			}
			if (p->_count != 0)
				complain("pfn %lx: free block head with count %d\n", pfn, p->_count);
			for (unsigned long i = 0; i < (1UL << o) && pfn + i < end; i++) {
				struct page *q = p + i;
				if (q->flags & ((1UL << PG_reserved) | (1UL << PG_slab)) || q->_count ||
				    (i && PageBuddy(q)))
					complain("pfn %lx: inside the free block at %lx but in use\n", pfn + i, pfn);
			}
			walked += 1UL << o;
			pfn += 1UL << o;
		}
		if (walked != z->free_pages)
			complain("%s: mem_map walk finds %lu free pages, free_pages %lu\n", z->name, walked,
				 z->free_pages);
	}
	return problems;
}

struct kmem_cache *kmem_cache_cache(void);

/* Check one slab list: every slab's in-use count fits the list, its free
 * chain has num - inuse distinct entries, its pages point back to it. */
static int check_slab_list(struct kmem_cache *c, struct list_head *head, int kind,
			   unsigned long *active, unsigned long *slabs)
{
	int problems = 0;
	static const char *const kinds[] = { "full", "partial", "free" };
	struct list_head *l;
	list_for_each(l, head) {
		struct slab *s = list_entry(l, struct slab, list);
		bool ok = kind == 0 ? s->inuse == c->num : kind == 1 ? (s->inuse && s->inuse < c->num)
								  : s->inuse == 0;
		if (!ok)
			complain("%s: slab with %u/%u in use on the %s list\n", c->name, s->inuse, c->num,
				 kinds[kind]);
		unsigned int nfree = 0;
		kmem_bufctl_t *bufctl = (kmem_bufctl_t *)(s + 1);
		for (kmem_bufctl_t i = s->free; i != BUFCTL_END; i = bufctl[i]) {
			if (i >= c->num || ++nfree > c->num) {
				complain("%s: corrupt free chain\n", c->name);
				break;
			}
		}
		if (nfree != c->num - s->inuse)
			complain("%s: %u free objects chained, %u expected\n", c->name, nfree,
				 c->num - s->inuse);
		char *base = (char *)s->s_mem - s->colouroff;
		struct page *page = virt_to_page(base);
		for (unsigned i = 0; i < (1u << c->gfporder); i++)
			if (!PageSlab(&page[i]) || page[i].mapping != s ||
			    page[i].index != (unsigned long)c)
				complain("%s: slab page %lx does not point back\n", c->name,
					 page_to_pfn(&page[i]));
		*active += s->inuse;
		(*slabs)++;
		if (*slabs > max_pfn)
			break;
	}
	return problems;
}

/* Every cache: list membership, counts, back pointers. */
int check_slab(void)
{
	int problems = 0;
	struct list_head *l;
	list_for_each(l, &cache_chain) {
		struct kmem_cache *c = list_entry(l, struct kmem_cache, next);
		unsigned long active = 0, slabs = 0;
		problems += check_slab_list(c, &c->slabs_full, 0, &active, &slabs);
		problems += check_slab_list(c, &c->slabs_partial, 1, &active, &slabs);
		problems += check_slab_list(c, &c->slabs_free, 2, &active, &slabs);
		if (active != c->num_active)
			complain("%s: %lu objects in slabs, num_active %lu\n", c->name, active, c->num_active);
		if (slabs != c->num_slabs)
			complain("%s: %lu slabs listed, num_slabs %lu\n", c->name, slabs, c->num_slabs);
	}
	return problems;
}

int mm_check_all(void)
{
	return check_buddy() + check_slab();
}
