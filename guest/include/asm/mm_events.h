/* mm_events.h - the kernel side of the mmulab channel (mm_channel.h). */
#ifndef ASM_MM_EVENTS_H
#define ASM_MM_EVENTS_H
#include <linux/types.h>
#include <mmulab/mm_channel.h>

struct page;
struct kmem_cache;
extern bool mmchan_enabled;

void mmchan_init(void);
/* Fill and send one event (nothing happens when no emulator listens). */
void mm_event(u16 type, u32 pfn, u32 count, u8 order, u8 zone, u8 owner,
	      u32 cache, u32 addr, const char *name);
/* The process half: VMAs, faults, fork, exit, OOM kills (MMEV_VMA_ADD...). */
struct vm_area_struct;
void mm_event_proc(u16 type, u32 pid, u32 addr, u32 count, u32 cache, u8 order,
		   const char *name);
void mm_event_vma(u16 type, u32 pid, const struct vm_area_struct *v);
void mm_event_pages(u16 type, struct page *page, unsigned int order, unsigned owner);
void introspect_init(void);
extern struct mmulab_introspect mmulab_introspect;
#endif
