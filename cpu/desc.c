/* desc.c - reading and decoding GDT/LDT descriptors (Intel SDM vol. 3, 3.4-3.5).
 *
 * Descriptor tables are read with implicit supervisor accesses
 * (cpu_read_lin_sys), so a descriptor read may raise #PF like on silicon.
 */
#include "sys_internal.h"

/* Linear address of the descriptor `sel` names, or return 0 when its 8 bytes
 * are not inside the table (GDT limit, or LDT limit / unusable LDTR). */
static int desc_locate(struct cpu *c, uint16_t sel, uint32_t *addr)
{
	uint32_t index = sel & ~7u;
	uint32_t base, limit;

	if (sel & 4) {
		const struct seg_cache *ldt = &c->s.seg[S_LDTR];
		if ((ldt->sel & ~3u) == 0 || !(ldt->flags & SEGF_P))
			return 0;
		base = ldt->base;
		limit = ldt->limit;
	} else {
		base = c->s.gdtr_base;
		limit = c->s.gdtr_limit;
	}
	if (index + 7 > limit)
		return 0;
	*addr = base + index;
	return 1;
}

static void desc_read(struct cpu *c, uint32_t addr, struct desc *d)
{
	d->lo = cpu_read_lin_sys(c, addr, 4);
	d->hi = cpu_read_lin_sys(c, addr + 4, 4);
}

void desc_fetch(struct cpu *c, uint16_t sel, int vec, int ext, struct desc *d, uint32_t *addr)
{
	if (!desc_locate(c, sel, addr))
		cpu_raise(c, vec, 1, (sel & 0xFFFCu) | (ext ? 1u : 0u));
	desc_read(c, *addr, d);
}

int desc_try_fetch(struct cpu *c, uint16_t sel, struct desc *d, uint32_t *addr)
{
	if (!desc_locate(c, sel, addr))
		return 0;
	desc_read(c, *addr, d);
	return 1;
}

void desc_write_hi(struct cpu *c, uint32_t addr, uint32_t hi)
{
	cpu_write_lin_sys(c, addr + 4, 4, hi);
}

void seg_cache_null(struct seg_cache *sc, uint16_t sel)
{
	sc->sel = sel;
	sc->base = 0;
	sc->limit = 0;
	sc->flags = 0;
}
