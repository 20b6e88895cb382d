/* bench.h - shared declarations of the benchmark workload kernel.
 *
 * The kernel boots from Multiboot (mmulab -kernel or qemu-system-i386
 * -kernel), reads "bench=NAME n=ITERATIONS" from its command line, runs that
 * workload with paging on, prints one line with a checksum on COM1 and
 * powers off through isa-debug-exit (port 0xF4). Every value it prints
 * depends only on the architecture's documented behaviour, so both
 * engines must print the same line.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define PAGE_SIZE 4096u
#define PTE_P 0x001u
#define PTE_W 0x002u
#define PTE_U 0x004u
#define PDX(va) (((u32)(va) >> 22) & 0x3FF)
#define PTX(va) (((u32)(va) >> 12) & 0x3FF)

/* Segment selectors (desc.c). */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_CS   0x1B
#define USER_DS   0x23
#define TSS_SEL   0x28

/* isa-debug-exit codes; the host status is (code << 1) | 1. */
#define EXIT_OK        0x00   /* status 1 */
#define EXIT_USAGE     0x02   /* status 5 */
#define EXIT_EXCEPTION 0x03   /* status 7 */

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u32 read_cr2(void)
{
	u32 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}
static inline void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void invlpg(u32 va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

/* The checksum step every workload uses: FNV-1a over 32-bit words, plus a
 * shift-xor so that high bits reach the low ones (FNV's multiply alone
 * only carries upwards, and page addresses have constant low bits). */
static inline u32 mix(u32 h, u32 v)
{
	h = (h ^ v) * 16777619u;
	return h ^ (h >> 15);
}
#define MIX_INIT 2166136261u

/* The register frame the interrupt stubs in entry.S build: pushal, then
 * the vector and error code, then what the CPU pushed. */
struct trap_frame {
	u32 edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax;
	u32 vector, error;
	u32 eip, cs, eflags;
	u32 user_esp, user_ss;     /* only when coming from ring 3 */
};

/* console.c */
void serial_init(void);
void puts_(const char *s);
void puthex(u32 v);
void putdec(u32 v);
void __attribute__((noreturn)) power_off(u32 code);
void __attribute__((noreturn)) finish(const char *name, u32 iters, u32 checksum);

/* desc.c */
void desc_init(void);
void idt_set(int vector, void (*handler)(void), int dpl);
void tss_set_esp0(u32 esp0);

/* paging.c */
extern u32 kernel_pgdir[1024];
void paging_init(void);
u32 *pgtable_alloc(void);
void pgdir_copy_kernel(u32 *pgdir);

/* trap entry points (entry.S) and the C side (main.c) */
extern void *const trap_stubs[32];
void trap_stub_syscall(void);
void trap_dispatch(struct trap_frame *f);
extern void (*pf_hook)(struct trap_frame *f);
extern void (*syscall_hook)(struct trap_frame *f);
void __attribute__((noreturn)) enter_user(u32 eip, u32 esp, u32 ebx);
extern char kstack_top[], user_entry[], user_stack_top[], __user_start[], __user_end[], __kernel_end[];

/* the workloads: each returns its checksum */
u32 bench_int(u32 iters);
u32 bench_tlb(u32 iters);
u32 bench_pf(u32 iters);
u32 bench_syscall(u32 iters);

#endif
