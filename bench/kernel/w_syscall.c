/* w_syscall.c - system calls with an address-space switch: ring-3 code
 * (entry.S, user_entry) does INT 0x80 in a loop; each call loads the other
 * of two page directories into CR3. Both map the kernel and the user code
 * alike, but USER_DATA to a different frame, which the user loop reads
 * and increments, so a missed or stale switch changes the checksum. */
#include "bench.h"

#define USER_DATA  0x50000000u
#define DATA_PA    0x03100000u    /* one frame per address space */
#define SYS_SWITCH 1
#define SYS_EXIT   2
#define ENOSYS     38

static u32 pgdir_b[1024] __attribute__((aligned(4096)));
static u32 as_cr3[2];
static u32 current_as, calls, iterations;

static void sys_dispatch(struct trap_frame *f)
{
	switch (f->eax) {
	case SYS_SWITCH:
		current_as ^= 1;
		write_cr3(as_cr3[current_as]);
		f->eax = ++calls * 2654435761u;
		break;
	case SYS_EXIT:
		finish("syscall", iterations, mix(f->ebx, calls));
	default:
		f->eax = (u32)-ENOSYS;
	}
}

/* Map USER_DATA (user, writable) in pgdir to frame pa holding seed. */
static void map_user_data(u32 *pgdir, u32 pa, u32 seed)
{
	u32 *pt = pgtable_alloc();

	*(u32 *)pa = seed;
	pt[PTX(USER_DATA)] = pa | PTE_P | PTE_W | PTE_U;
	pgdir[PDX(USER_DATA)] = (u32)pt | PTE_P | PTE_W | PTE_U;
}

/* One iteration is 256 system calls; runs until the user loop's exit
 * call, whose handler prints the result and powers off. */
u32 bench_syscall(u32 iters)
{
	pgdir_copy_kernel(pgdir_b);
	map_user_data(kernel_pgdir, DATA_PA, 0x1234567);
	map_user_data(pgdir_b, DATA_PA + PAGE_SIZE, 0x7654321);
	as_cr3[0] = (u32)kernel_pgdir;
	as_cr3[1] = (u32)pgdir_b;
	write_cr3(as_cr3[0]);
	iterations = iters;
	syscall_hook = sys_dispatch;
	tss_set_esp0((u32)kstack_top);
	enter_user((u32)user_entry, (u32)user_stack_top, iters * 256);
}
