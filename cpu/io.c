/* io.c - I/O permission for IN, OUT, INS, OUTS (SDM vol. 1, 19.5).
 *
 * Real mode: always allowed. Protected mode: allowed when CPL <= IOPL;
 * otherwise, and always in virtual-8086 mode, the I/O permission bitmap of
 * a 32-bit TSS decides: every bit covering port..port+size-1 must be clear.
 * The bitmap starts at the offset in TSS 0x66; the processor always reads
 * two bytes, so both must lie within the TSS limit, else #GP(0). A 16-bit
 * TSS has no bitmap (#GP(0)).
 */
#include "sys_internal.h"

void cpu_io_check(struct cpu *c, uint16_t port, int size)
{
	const struct seg_cache *tr = &c->s.seg[S_TR];
	uint32_t iopl = (c->s.eflags & FL_IOPL) >> 12;
	uint32_t map, byte, bits, mask;

	if (!cpu_pmode(c))
		return;
	if (!cpu_v86(c) && (uint32_t)c->cpl <= iopl)
		return;
	if (!(tr->flags & SEGF_P) || SEGF_TYPE(tr->flags) != SYS_TSS32_BUSY || tr->limit < 0x67)
		cpu_raise(c, EX_GP, 1, 0);
	map = cpu_read_lin_sys(c, tr->base + 0x66, 2);
	byte = map + (port >> 3);
	if (byte + 1 > tr->limit)
		cpu_raise(c, EX_GP, 1, 0);
	bits = cpu_read_lin_sys(c, tr->base + byte, 2);
	mask = ((1u << size) - 1) << (port & 7);
	if (bits & mask)
		cpu_raise(c, EX_GP, 1, 0);
}
