/* mm_channel.h - the guest-to-emulator memory-management channel.
 *
 * The only header shared by the bundled kernel (guest/) and the emulator
 * (emu/mmchan.c). Both sides compile it, so it uses fixed-width types only and
 * includes nothing but <stdint.h>. Everything is little-endian, as on i386.
 * docs/mm-channel.md is the prose version of this file.
 *
 * Two parts:
 *
 *  1. Events. The kernel fills a struct mmchan_event in its own memory and
 *     writes the record's *physical* address with one 32-bit OUT to
 *     MMCHAN_PORT. The emulator reads the record from guest RAM during that
 *     OUT and hands it to whoever listens. One OUT per event, nothing else.
 *     Before sending anything the kernel reads MMCHAN_PORT with a 32-bit IN:
 *     an emulator that listens answers MMCHAN_PRESENT; any other machine
 *     (qemu-system-i386, real hardware) answers something else (an unclaimed
 *     ISA port reads as all ones) and the kernel then never writes the port.
 *
 *  2. Introspection. The kernel exports a struct mmulab_introspect under the
 *     ELF symbol MMULAB_INTROSPECT_SYMBOL. The emulator finds it with libelf,
 *     converts the symbol's address to a physical one through the program
 *     headers, and reads it from guest RAM while the machine is paused: it
 *     gives the addresses, sizes and field offsets of mem_map, the zones and
 *     their free lists, and the slab cache chain, so that an inspector can
 *     walk the kernel's allocators without knowing how the kernel was built.
 */
#ifndef MMULAB_MM_CHANNEL_H
#define MMULAB_MM_CHANNEL_H

#include <stdint.h>

/* ---- 1. events --------------------------------------------------------- */

/* 0xE0-0xE3: no PC device lives there (not fw_cfg 0x510, not debugcon 0xE9,
 * not isa-debug-exit 0xF4, not POST 0x80). */
#define MMCHAN_PORT        0x00E0u
#define MMCHAN_PORT_COUNT  4u
#define MMCHAN_PRESENT     0x4D4D4348u	/* the answer to the probe: "MMCH" read as a number */
#define MMCHAN_VERSION     1u

enum mmchan_type {
	MMEV_NONE = 0,
	MMEV_PAGE_ALLOC = 1,	/* pfn, order, zone, owner: a block left the buddy lists */
	MMEV_PAGE_FREE = 2,	/* pfn, order, zone: a block went back */
	MMEV_RESERVE = 3,	/* pfn, count, owner: frames the buddy never sees */
	MMEV_CACHE_CREATE = 4,	/* cache, count = object size, order = slab order, name */
	MMEV_CACHE_DESTROY = 5,	/* cache, name */
	MMEV_SLAB_GROW = 6,	/* cache, pfn, order, addr = slab base, count = objects */
	MMEV_SLAB_SHRINK = 7,	/* cache, pfn, order, addr = slab base */
	MMEV_OBJ_ALLOC = 8,	/* cache, addr = object, count = object size */
	MMEV_OBJ_FREE = 9,	/* cache, addr = object */
	MMEV_VMALLOC = 10,	/* addr = area start, count = pages (guard excluded) */
	MMEV_VFREE = 11,	/* addr = area start, count = pages */
	MMEV_KMAP = 12,		/* pfn, addr = virtual address in the PKMAP/fixmap area */
	MMEV_KUNMAP = 13,	/* pfn, addr */
	/* The process half. pid is the process concerned. */
	MMEV_VMA_ADD = 14,	/* addr = vm_start, count = vm_end, cache = vm_flags, pid */
	MMEV_VMA_REMOVE = 15,	/* addr = vm_start, count = vm_end, cache = vm_flags, pid */
	MMEV_VMA_CHANGE = 16,	/* same: the VMA's new range or flags (split, merge,
				 * mprotect, brk, stack growth) */
	MMEV_FAULT = 17,	/* addr = CR2, cache = EIP, count = error code,
				 * order = enum mmchan_fault, pid */
	MMEV_FORK = 18,		/* pid = child, count = parent pid, name = comm */
	MMEV_EXIT = 19,		/* pid, count = wait status (code << 8, or signal) */
	MMEV_OOM_KILL = 20,	/* pid = victim, count = resident pages, name = comm */
	MMEV_TYPE_MAX = 21
};

/* What a page fault (MMEV_FAULT) came to. */
enum mmchan_fault {
	MMFAULT_NONE = 0,
	MMFAULT_DEMAND_ZERO = 1,	/* a fresh zeroed frame */
	MMFAULT_COW = 2,		/* write to a shared frame: private copy */
	MMFAULT_COW_REUSE = 3,		/* write to a read-only frame it alone maps: W bit set */
	MMFAULT_STACK_GROWTH = 4,	/* the stack VMA grew down (then demand-zero) */
	MMFAULT_SIGSEGV = 5,		/* bad access from user mode */
	MMFAULT_OOM = 6,		/* no frame: the OOM killer ran */
	MMFAULT_SPURIOUS = 7,		/* nothing to do (the PTE was already fine) */
	MMFAULT_KERNEL = 8,		/* bad access from kernel mode: fixup or oops */
	MMFAULT_MAX = 9
};

/* Who owns a frame (the frame map's colours). */
enum mmchan_owner {
	MMOWN_FREE = 0,
	MMOWN_RESERVED = 1,	/* BIOS areas, holes, firmware */
	MMOWN_KERNEL_IMAGE = 2,	/* kernel text/data/bss window */
	MMOWN_BOOTMEM = 3,	/* boot-time allocations: boot page tables, mem_map */
	MMOWN_PAGE_TABLE = 4,	/* page directory or page table */
	MMOWN_SLAB = 5,		/* slab pages (cache in the event) */
	MMOWN_KERNEL = 6,	/* alloc_pages()/__get_free_pages() by the kernel */
	MMOWN_VMALLOC = 7,	/* backing a vmalloc area */
	MMOWN_USER = 8,		/* user page (pid in the event) */
	MMOWN_MODULE = 9,	/* Multiboot module */
	MMOWN_MAX = 10
};

/* Zone numbers as in the kernel. */
enum mmchan_zone { MMZONE_DMA = 0, MMZONE_NORMAL = 1, MMZONE_HIGHMEM = 2, MMZONE_NONE = 0xFF };

#define MMCHAN_NAME_LEN 16

/* One event record: 48 bytes, naturally aligned, little-endian. Fields an
 * event type does not use are zero. */
struct mmchan_event {
	uint16_t type;		/* enum mmchan_type */
	uint16_t length;	/* sizeof(struct mmchan_event): lets the format grow */
	uint32_t seq;		/* 1, 2, 3...: a gap means lost events */
	uint32_t pfn;		/* first frame concerned */
	uint32_t count;		/* frames, objects or bytes, per type */
	uint8_t order;		/* buddy order of the block */
	uint8_t zone;		/* enum mmchan_zone */
	uint8_t owner;		/* enum mmchan_owner */
	uint8_t flags;		/* reserved, 0 */
	uint32_t cache;		/* kernel virtual address of the kmem_cache: its id */
	uint32_t addr;		/* kernel virtual address (object, slab, area) */
	uint32_t pid;		/* owning process for MMOWN_USER, else 0 */
	char name[MMCHAN_NAME_LEN];	/* cache name, NUL-padded */
};

#define MMCHAN_EVENT_SIZE 48u

/* ---- 2. introspection table ------------------------------------------- */

#define MMULAB_INTROSPECT_SYMBOL  "mmulab_introspect"
#define MMULAB_INTROSPECT_MAGIC   0x54494D4Du	/* 'M','M','I','T' */
#define MMULAB_INTROSPECT_VERSION 1u

/* Every address below is a guest address: *_va kernel virtual, *_pa
 * physical. Offsets are byte offsets inside the kernel's structures. The
 * kernel fills the table during boot; `ready` becomes 1 when the allocators
 * are up (before that the emulator should not trust the rest). */
struct mmulab_introspect {
	uint32_t magic;			/* MMULAB_INTROSPECT_MAGIC */
	uint16_t version;		/* MMULAB_INTROSPECT_VERSION */
	uint16_t size;			/* sizeof(struct mmulab_introspect) */
	uint32_t ready;

	/* layout */
	uint32_t page_offset;		/* 0xC0000000 */
	uint32_t high_memory;		/* end of the lowmem direct map (virtual) */
	uint32_t vmalloc_start, vmalloc_end;
	uint32_t pkmap_base, fixaddr_start;
	uint32_t swapper_pg_dir_pa;	/* the kernel's page directory */
	uint32_t event_port;		/* MMCHAN_PORT */

	/* mem_map: an array of max_pfn struct page, one per frame from pfn 0 */
	uint32_t mem_map_va, mem_map_pa;
	uint32_t max_pfn, max_low_pfn;
	uint16_t page_size;		/* sizeof(struct page) */
	uint16_t page_off_flags, page_off_count, page_off_mapcount;
	uint16_t page_off_private, page_off_mapping, page_off_index, page_off_lru;
	uint8_t pg_reserved, pg_buddy, pg_slab, pg_highmem;	/* bit numbers in flags */
	uint8_t pg_owner_shift, pg_owner_bits, pg_zone_shift, pg_zone_bits; /* owner/zone fields in flags */

	/* zones: an array of nr_zones struct zone */
	uint32_t zones_va, zones_pa;
	uint16_t nr_zones, zone_size;
	uint16_t zone_off_start_pfn, zone_off_spanned, zone_off_present;
	uint16_t zone_off_free_pages, zone_off_watermark; /* watermark: 3 x u32 min, low, high */
	uint16_t zone_off_free_area, free_area_size;	/* free_area[max_order] */
	uint16_t free_area_off_list, free_area_off_nr_free;
	uint16_t max_order, pad0;

	/* slab: a circular list of struct kmem_cache linked through `next` */
	uint32_t cache_chain_va;	/* address of the list head */
	uint16_t cache_size;		/* sizeof(struct kmem_cache) */
	uint16_t cache_off_next;	/* list_head inside kmem_cache */
	uint16_t cache_off_name;	/* char name[MMCHAN_NAME_LEN] */
	uint16_t cache_off_objsize, cache_off_num, cache_off_gfporder;
	uint16_t cache_off_active, cache_off_slabs;	/* slabs: total slab count */
	uint16_t pad1;
};

#define MMULAB_INTROSPECT_SIZE 144u

/* Both compilers (i386 guest, x86-64 host) must agree on these layouts. */
_Static_assert(sizeof(struct mmchan_event) == MMCHAN_EVENT_SIZE, "mmchan_event layout");
_Static_assert(sizeof(struct mmulab_introspect) == MMULAB_INTROSPECT_SIZE, "introspect layout");

#endif
