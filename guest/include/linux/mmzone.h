/* mmzone.h - zones and their buddy free lists. */
#ifndef LINUX_MMZONE_H
#define LINUX_MMZONE_H
#include <linux/mm_types.h>

#define MAX_ORDER 11		/* blocks of 1 .. 1024 pages (4 KiB .. 4 MiB) */

enum zone_type { ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM, MAX_NR_ZONES };
enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

#define MAX_DMA_PFN ((16UL << 20) >> 12)	/* ISA DMA reaches 16 MiB */

struct free_area {
	struct list_head free_list;	/* heads of free blocks of this order */
	unsigned long nr_free;		/* blocks (not pages) on the list */
};

struct zone {
	unsigned long watermark[NR_WMARK];	/* in pages */
	unsigned long free_pages;
	struct free_area free_area[MAX_ORDER];
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;	/* pfns from start to end, holes included */
	unsigned long present_pages;	/* pages that exist (RAM) in the span */
	unsigned long managed_pages;	/* present pages given to the buddy */
	/* statistics */
	unsigned long pgalloc, pgfree, alloc_fail;
	char name[8];
};

extern struct zone zones[MAX_NR_ZONES];
extern struct page *mem_map;
extern unsigned long max_pfn, max_low_pfn, min_low_pfn;

#define min_wmark_pages(z) ((z)->watermark[WMARK_MIN])
#define low_wmark_pages(z) ((z)->watermark[WMARK_LOW])
#define high_wmark_pages(z) ((z)->watermark[WMARK_HIGH])
#endif
