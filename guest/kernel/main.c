/* main.c - start_kernel(): bring the machine and memory management up in
 * Linux's order, print the boot summary, run the self-test if asked, and
 * power off (part 2 will start init here instead). */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <asm/desc.h>
#include <asm/e820.h>
#include <asm/multiboot.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/mm_events.h>
#include <linux/sched.h>
#include <linux/fs.h>

extern u32 boot_magic, boot_mbi_pa;
void serial_init(void);
void start_kernel(void);

/* Linux's "virtual kernel memory layout" table. */
static void print_layout(void)
{
	printk(KERN_INFO "virtual kernel memory layout:\n");
	printk(KERN_INFO "    fixmap  : 0x%08lx - 0x%08lx   (%4lu kB)\n", FIXADDR_START,
	       FIXADDR_TOP, (FIXADDR_TOP - FIXADDR_START) >> 10);
	printk(KERN_INFO "    pkmap   : 0x%08lx - 0x%08lx   (%4lu kB)\n", PKMAP_BASE,
	       PKMAP_BASE + LAST_PKMAP * PAGE_SIZE, (LAST_PKMAP * PAGE_SIZE) >> 10);
	printk(KERN_INFO "    vmalloc : 0x%08lx - 0x%08lx   (%4lu MB)\n", VMALLOC_START,
	       VMALLOC_END, (VMALLOC_END - VMALLOC_START) >> 20);
	printk(KERN_INFO "    lowmem  : 0x%08lx - 0x%08lx   (%4lu MB)\n", PAGE_OFFSET,
	       high_memory, (high_memory - PAGE_OFFSET) >> 20);
}

/* A short demonstration that vmalloc, kmalloc and kmap work, leaving
 * nothing allocated: the boot summary stays a statement about idle state. */
static int boot_smoke_test(void)
{
	int bad = 0;
	char *v = vmalloc(3 * PAGE_SIZE + 1);
	void *k = kmalloc(100, GFP_KERNEL);
	struct page *hp = alloc_page(GFP_HIGHUSER);
	if (!v || !k || !hp)
		bad++;
	if (v) {
		memset(v, 0x5a, 3 * PAGE_SIZE + 1);
		bad += v[3 * PAGE_SIZE] != 0x5a;
	}
	if (hp) {
		u32 *p = kmap(hp);
		p[0] = 0xfeedface;
		bad += p[0] != 0xfeedface;
		kunmap(hp);
		__free_page(hp);
	}
	kfree(k);
	vfree(v);
	return bad;
}

/* Processes: the boot thread becomes pid 0 (idle), the in-memory file
 * system is filled, pid 1 runs init (or init=PROG ARGS..., the rest of the
 * command line), and the idle loop takes over. */
static void __noreturn rest_init(void)
{
	const char *init = cmdline_get("init");
	if (init && !strncmp(init, "none", 4) && (init[4] == 0 || init[4] == ' ')) {
		printk(KERN_NOTICE "init=none: nothing to run, power off.\n");
		machine_power_off(EXIT_OK);
	}
	sched_init();
	mmap_init();
	ramfs_init();
	const char *oc = cmdline_get("overcommit_memory");
	if (oc && *oc >= '0' && *oc <= '2')
		sysctl_overcommit_memory = *oc - '0';
	int r = kernel_execve_init(init ? init : "/bin/init");
	if (r)
		panic("cannot start init (error %d)", -r);
	cpu_idle();
}

void start_kernel(void)
{
	serial_init();
	identify_cpu();
	cpu_init_gdt();
	trap_init();
	if (boot_magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a Multiboot loader (magic %08lx)", (unsigned long)boot_magic);

	setup_memory_map((const void *)boot_mbi_pa);
	/* After the command line is known, so that "quiet" applies. */
	printk(KERN_NOTICE "mmulab teaching kernel (Linux-style mm) booting\n");
	e820_print_map();
	mmchan_init();
	paging_init();
	free_area_init();
	mem_init();
	test_wp_bit();
	kmap_init();
	kmem_cache_init();
	init_i8259();
	time_init();
	local_irq_enable();
	introspect_init();
	print_layout();

	int bad = boot_smoke_test();
	kmem_cache_shrink_all();
	bad += mm_check_all();
	show_free_areas();
	show_slabinfo();
	if (bad)
		panic("memory management self-check failed (%d problems)", bad);

	if (cmdline_has("oops_test=vmalloc")) {
		/* Run off the end of a vmalloc area: the guard page catches it. */
		char *v = vmalloc(PAGE_SIZE);
		printk(KERN_NOTICE "oops_test: writing one byte past a 4 KiB vmalloc area at %p\n", v);
		v[PAGE_SIZE] = 1;
	} else if (cmdline_has("oops_test")) {
		/* A deliberate kernel bug, to see the oops report: a ring-0 write
		 * to an unmapped user address (#PF, error code 0x0002). */
		printk(KERN_NOTICE "oops_test: writing to unmapped address 0xdead0000\n");
		*(volatile u32 *)0xdead0000 = 0;
	}
	if (cmdline_has("mm_trace_demo")) {
		int r = mm_trace_demo();
		machine_power_off(r ? EXIT_SELFTEST_FAILED : EXIT_OK);
	}
	if (cmdline_has("mm_selftest")) {
		int r = mm_selftest();
		machine_power_off(r ? EXIT_SELFTEST_FAILED : EXIT_OK);
	}
	rest_init();
}
