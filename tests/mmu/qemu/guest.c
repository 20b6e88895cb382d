/* guest.c - a tiny Multiboot guest that measures, on a reference emulator
 * (qemu-system-i386 -cpu pentium), what the paging unit does for
 * supervisor and user accesses: which accesses fault, the #PF error code and CR2,
 * and the PDE/PTE values (A/D bits) left in memory. One line per case on
 * the debug console (port 0xE9):
 *   kind(S: 4 KiB, U: 4 KiB at CPL 3, L: 4 MiB with CR4.PSE) WP PDE PTE lin r|w
 *   faulted error-code CR2 PDE-after PTE-after
 * tests/mmu/test_qemu.c replays each case on mmu/ and compares.
 * Built for -march=i386 so that it runs on any -cpu. */
#include <stdint.h>

volatile uint32_t pf_ec, pf_cr2, pf_hit, pf_resume;
extern void pf_entry(void);

#define PGDIR  0x200000u
#define PT_LOW 0x202000u   /* identity map of 0..4 MiB */
#define PT_T   0x201000u   /* the table under test */
#define T_LIN  0x00800000u /* PDE 2, PTE 0 */
#define T_PA   0x00300000u
#define L_LIN  0x00C00000u /* PDE 3: 4 MiB page */

static volatile uint32_t *const pgdir = (volatile uint32_t *)PGDIR;
static volatile uint32_t *const pt_t = (volatile uint32_t *)PT_T;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void puts_(const char *s)
{
	while (*s)
		outb(0xE9, (uint8_t)*s++);
}

static void hex(uint32_t v)
{
	char b[9];
	for (int i = 7; i >= 0; i--) {
		b[i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	b[8] = 0;
	puts_(b);
}

static uint32_t rd_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static void wr_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v)); }
static uint32_t rd_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static void wr_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v)); }
static void flush(void) { __asm__ volatile("mov %0, %%cr3" : : "r"(PGDIR) : "memory"); }

/* One access; returns 1 if it faulted. */
static int probe(uint32_t lin, int write)
{
	pf_hit = 0;
	if (write)
		__asm__ volatile("movl $1f, pf_resume\n\tmovl $0x5a5a5a5a, (%0)\n1:" : : "r"(lin) : "memory");
	else
		__asm__ volatile("movl $1f, pf_resume\n\tmovl (%0), %%eax\n1:" : : "r"(lin) : "eax", "memory");
	return pf_hit;
}

static void report(char kind, uint32_t wp, uint32_t pde, uint32_t pte, uint32_t lin, int write,
		   int f, uint32_t pde_after, uint32_t pte_after)
{
	char k[2] = { kind, 0 };
	puts_(k);
	puts_(" ");
	hex(wp);
	puts_(" ");
	hex(pde);
	puts_(" ");
	hex(pte);
	puts_(" ");
	hex(lin);
	puts_(write ? " w " : " r ");
	hex((uint32_t)f);
	puts_(" ");
	hex(f ? pf_ec : 0);
	puts_(" ");
	hex(f ? pf_cr2 : 0);
	puts_(" ");
	hex(pde_after);
	puts_(" ");
	hex(pte_after);
	puts_("\n");
}

struct idt_gate { uint16_t lo, sel; uint8_t zero, type; uint16_t hi; } __attribute__((packed));
static struct idt_gate idt[256];
static struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr, gdtr;
extern void int80_entry(void);
extern void user_probe(uint32_t lin, int write);

/* flat kernel code/data, user code/data (Linux's flags), a TSS */
static uint64_t gdt[6] = {
	0,
	0x00CF9A000000FFFFull, 0x00CF92000000FFFFull,
	0x00CFFA000000FFFFull, 0x00CFF2000000FFFFull,
	0,
};
static uint32_t tss[26];
static uint8_t kstack3[4096];   /* ring-0 stack for entries from ring 3 */

static void setup_segments(void)
{
	uint32_t t = (uint32_t)tss;
	tss[1] = (uint32_t)(kstack3 + sizeof(kstack3));   /* ESP0 */
	tss[2] = 0x10;                                    /* SS0 */
	tss[25] = sizeof(tss) << 16;                      /* no I/O bitmap */
	gdt[5] = (uint64_t)(sizeof(tss) - 1) | ((uint64_t)(t & 0xFFFFFF) << 16) |
		 (0x89ull << 40) | ((uint64_t)(t >> 24) << 56);
	gdtr.limit = sizeof(gdt) - 1;
	gdtr.base = (uint32_t)gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp $0x08, $1f\n1:\n\t"
			 "mov $0x10, %%ax\n\tmov %%ax, %%ds\n\tmov %%ax, %%es\n\t"
			 "mov %%ax, %%ss\n\tmov %%ax, %%fs\n\tmov %%ax, %%gs\n\t"
			 "mov $0x28, %%ax\n\tltr %%ax" : : "m"(gdtr) : "eax", "memory");
}

void guest_main(void)
{
	setup_segments();
	uint32_t h = (uint32_t)pf_entry;
	idt[14] = (struct idt_gate){ (uint16_t)h, 0x08, 0, 0x8E, (uint16_t)(h >> 16) };
	h = (uint32_t)int80_entry;
	idt[0x80] = (struct idt_gate){ (uint16_t)h, 0x08, 0, 0xEE, (uint16_t)(h >> 16) };
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint32_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));

	for (int i = 0; i < 1024; i++) {
		pgdir[i] = 0;
		((volatile uint32_t *)PT_LOW)[i] = ((uint32_t)i << 12) | 0x007;
		pt_t[i] = 0;
	}
	pgdir[0] = PT_LOW | 0x027;
	flush();
	wr_cr0(rd_cr0() | 0x80000000u);

	/* 4 KiB pages: every P/W/U combination at both levels (A/D clear
	 * beforehand), read and write, WP 0 and 1 */
	for (uint32_t wp = 0; wp < 2; wp++) {
		wr_cr0(wp ? rd_cr0() | 0x10000u : rd_cr0() & ~0x10000u);
		for (uint32_t bits = 0; bits < 64; bits++) {
			uint32_t pde = PT_T | (bits & 7);
			uint32_t pte = T_PA | ((bits >> 3) & 7);
			if (!(pde & 1))
				continue;   /* a not-present PDE: one case below */
			for (int w = 0; w < 2; w++) {
				pgdir[2] = pde;
				pt_t[0] = pte;
				flush();
				int f = probe(T_LIN + 0x10, w);
				report('S', wp, pde, pte, T_LIN + 0x10, w, f, pgdir[2], pt_t[0]);
			}
		}
	}
	/* the same at CPL 3 */
	for (uint32_t wp = 0; wp < 2; wp++) {
		wr_cr0(wp ? rd_cr0() | 0x10000u : rd_cr0() & ~0x10000u);
		for (uint32_t bits = 0; bits < 64; bits++) {
			uint32_t pde = PT_T | (bits & 7);
			uint32_t pte = T_PA | ((bits >> 3) & 7);
			if (!(pde & 1))
				continue;
			for (int w = 0; w < 2; w++) {
				pgdir[2] = pde;
				pt_t[0] = pte;
				flush();
				pf_hit = 0;
				user_probe(T_LIN + 0x10, w);
				report('U', wp, pde, pte, T_LIN + 0x10, w, (int)pf_hit, pgdir[2], pt_t[0]);
			}
		}
	}
	/* a not-present PDE */
	for (int w = 0; w < 2; w++) {
		pgdir[2] = PT_T | 0x6;
		pt_t[0] = T_PA | 0x7;
		flush();
		int f = probe(T_LIN + 0x10, w);
		report('S', 1, PT_T | 0x6, T_PA | 0x7, T_LIN + 0x10, w, f, pgdir[2], pt_t[0]);
	}
	/* entries with A/D already set are not rewritten */
	for (int w = 0; w < 2; w++) {
		pgdir[2] = PT_T | 0x27;
		pt_t[0] = T_PA | 0x67;
		flush();
		int f = probe(T_LIN + 0x10, w);
		report('S', 1, PT_T | 0x27, T_PA | 0x67, T_LIN + 0x10, w, f, pgdir[2], pt_t[0]);
	}

	/* 4 MiB pages (CR4.PSE): protection, A/D, and each reserved bit 13..21 */
	wr_cr4(rd_cr4() | 0x10u);
	for (uint32_t wp = 0; wp < 2; wp++) {
		wr_cr0(wp ? rd_cr0() | 0x10000u : rd_cr0() & ~0x10000u);
		for (uint32_t bits = 0; bits < 8; bits++) {
			uint32_t pde = 0x00C00000u | 0x80u | bits;
			for (int w = 0; w < 2; w++) {
				pgdir[3] = pde;
				flush();
				int f = probe(L_LIN + 0x1234, w);
				report('L', wp, pde, 0, L_LIN + 0x1234, w, f, pgdir[3], 0);
			}
		}
	}
	for (uint32_t bit = 13; bit <= 21; bit++) {
		uint32_t pde = 0x00C00000u | 0x80u | 0x7u | (1u << bit);
		for (int w = 0; w < 2; w++) {
			pgdir[3] = pde;
			flush();
			int f = probe(L_LIN, w);
			report('L', 1, pde, 0, L_LIN, w, f, pgdir[3], 0);
		}
	}
	puts_("END\n");
	outb(0xF4, 0);   /* isa-debug-exit */
	for (;;)
		__asm__ volatile("hlt");
}
