/* e820.h - the firmware memory map, as Multiboot hands it over. */
#ifndef ASM_E820_H
#define ASM_E820_H
#include <linux/types.h>

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5
#define E820MAX 32

struct e820entry { u64 addr, size; u32 type; };
struct e820map { int nr_map; struct e820entry map[E820MAX]; };
extern struct e820map e820;

void setup_memory_map(const void *mbi);
void e820_print_map(void);
/* Is [start, end) entirely RAM according to the map? */
bool e820_all_ram(u64 start, u64 end);
bool e820_pfn_is_ram(unsigned long pfn);
unsigned long e820_ram_end(unsigned long pfn);
/* Highest usable RAM pfn + 1, and the same capped to the lowmem limit. */
unsigned long e820_end_of_ram_pfn(void);

/* Reserved physical ranges the buddy must never get (besides non-RAM). */
struct reserved_range { u32 start, end; u8 owner; };
#define MAX_RESERVED 16
extern struct reserved_range reserved[MAX_RESERVED];
extern int nr_reserved;
void reserve_range(u32 start, u32 end, u8 owner);

/* Multiboot modules (the in-memory file system's contents): physical
 * range and the loader's string ("PATH ARGS..."). */
#define MAX_BOOT_MODULES 32
struct boot_module { u32 start, end; char string[128]; };
extern struct boot_module boot_modules[MAX_BOOT_MODULES];
extern int nr_boot_modules;
#endif
