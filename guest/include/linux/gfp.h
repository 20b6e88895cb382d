/* gfp.h - allocation flags ("get free pages" modifiers). */
#ifndef LINUX_GFP_H
#define LINUX_GFP_H
#include <linux/types.h>

/* zone modifiers */
#define __GFP_DMA 0x01u		/* only ZONE_DMA (< 16 MiB, ISA DMA reach) */
#define __GFP_HIGHMEM 0x02u	/* ZONE_HIGHMEM allowed (caller uses kmap) */
/* action modifiers */
#define __GFP_WAIT 0x10u	/* may sleep (no reclaim yet: only documents intent) */
#define __GFP_HIGH 0x20u	/* may dip below the min watermark (atomic) */
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x8000u	/* return zeroed pages */
/* mmulab extension: who the pages are for, reported on the mm channel and
 * kept in page->flags (enum mmchan_owner; 0 means "kernel"). */
#define __GFP_OWNER_SHIFT 24
#define __GFP_OWNER(o) ((gfp_t)(o) << __GFP_OWNER_SHIFT)

#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_KERNEL (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_USER (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_DMA (__GFP_DMA)

struct page;
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
void __free_pages(struct page *page, unsigned int order);
#define __free_page(p) __free_pages(p, 0)
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages(addr, 0)
#endif
