/* mm.h - frames, mem_map and the page allocator's interface. */
#ifndef LINUX_MM_H
#define LINUX_MM_H
#include <linux/mmzone.h>
#include <linux/gfp.h>
#include <asm/page.h>

static inline unsigned long page_to_pfn(const struct page *p) { return (unsigned long)(p - mem_map); }
static inline struct page *pfn_to_page(unsigned long pfn) { return mem_map + pfn; }
static inline bool pfn_valid(unsigned long pfn) { return pfn < max_pfn; }
#define virt_to_page(v) pfn_to_page(__pa(v) >> PAGE_SHIFT)
#define page_to_phys(p) PFN_PHYS(page_to_pfn(p))

static inline bool PageReserved(const struct page *p) { return p->flags & (1UL << PG_reserved); }
static inline bool PageBuddy(const struct page *p) { return p->flags & (1UL << PG_buddy); }
static inline bool PageSlab(const struct page *p) { return p->flags & (1UL << PG_slab); }
static inline bool PageHighMem(const struct page *p) { return p->flags & (1UL << PG_highmem); }
static inline void SetPageFlag(struct page *p, int bit) { p->flags |= 1UL << bit; }
static inline void ClearPageFlag(struct page *p, int bit) { p->flags &= ~(1UL << bit); }

static inline unsigned page_zonenum(const struct page *p)
{
	return (p->flags >> PG_ZONE_SHIFT) & ((1u << PG_ZONE_BITS) - 1);
}
static inline struct zone *page_zone(const struct page *p) { return &zones[page_zonenum(p)]; }
static inline unsigned page_owner(const struct page *p)
{
	return (p->flags >> PG_OWNER_SHIFT) & ((1u << PG_OWNER_BITS) - 1);
}
static inline void set_page_owner(struct page *p, unsigned owner)
{
	p->flags = (p->flags & ~(((1UL << PG_OWNER_BITS) - 1) << PG_OWNER_SHIFT)) |
		   ((unsigned long)owner << PG_OWNER_SHIFT);
}
static inline int page_count(const struct page *p) { return p->_count; }
static inline void get_page(struct page *p) { p->_count++; }

/* Kernel virtual address of a lowmem page; NULL for highmem (use kmap). */
static inline void *page_address(const struct page *p)
{
	if (PageHighMem(p))
		return 0;
	return __va(PFN_PHYS(page_to_pfn(p)));
}

/* mm/page_alloc.c */
void free_area_init(void);
void mem_init(void);
void show_free_areas(void);
unsigned long nr_free_pages(void);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark);

/* mm/bootmem.c: the boot-time bump allocator (before the buddy exists). */
void *alloc_bootmem_pages(unsigned long size);
extern unsigned long bootmem_start_pfn, bootmem_end_pfn, bootmem_used_pages;

/* mm/debug.c: consistency checks; return the number of problems found. */
int check_buddy(void);
int check_slab(void);
int mm_check_all(void);

/* mm/selftest.c */
int mm_selftest(void);
int mm_trace_demo(void);		/* mm/trace_demo.c: the --trace-mm golden script */
#endif
