/* walk.c - the two-level page walk (4 KiB pages, and 4 MiB pages with
 * CR4.PSE), with accessed/dirty updates and the #PF error code.
 *
 * Order of events, as on the hardware and in QEMU's walker:
 *   1. read the PDE; not present -> #PF (P=0)
 *   2. a 4 MiB PDE: reserved bits 21..13 set -> #PF (P=1, RSVD=1) on
 *      models that check them; protection -> #PF (P=1); else set A (and D
 *      for a write) in the PDE
 *   3. otherwise set A in the PDE (it has been used to reach the table),
 *      read the PTE; not present -> #PF (P=0)
 *   4. protection from both levels -> #PF (P=1); else set A (and D for a
 *      write) in the PTE.
 * A/D updates are written back only when a bit actually changes, so a
 * walk over entries that already have them does not write memory.
 */
#include <string.h>

#include "mmu_internal.h"

/* Paging entries are 4-byte aligned, so one never straddles a frame, even
 * with A20 masking. When the frame is plain RAM the entry is read straight
 * from host memory (what bus_read would do, without the call and its
 * checks); anything else (MMIO, ROM, unbacked) goes through the bus. */
static inline __attribute__((always_inline)) uint32_t rd32(const struct mmu *m, uint32_t pa, int commit)
{
	if (commit) {
		uint32_t a = pa & bus_hot(m->bus)->a20_mask;
		const uint8_t *host = bus_frame_ptr(m->bus, a >> PAGE_SHIFT, BUS_FR_NOTRAM);
		if (__builtin_expect(host != NULL, 1)) {
			uint32_t v;
			memcpy(&v, host + (a & (PAGE_SIZE - 1)), 4);
			return v;
		}
		return bus_read(m->bus, pa, 4);
	}
	uint32_t v = 0xFFFFFFFFu;
	bus_peek(m->bus, pa, &v, 4);
	return v;
}

/* Set `bits` in the entry at pa (value *ent) if any is clear. A frame of
 * plain RAM not marked as code is written directly (no smc hook to call);
 * any other goes through bus_write. */
static inline __attribute__((always_inline)) void set_bits(const struct mmu *m, uint32_t pa, uint32_t *ent, uint32_t bits,
		     struct walk_res *r)
{
	if ((*ent & bits) == bits)
		return;
	*ent |= bits;
	uint32_t a = pa & bus_hot(m->bus)->a20_mask;
	uint8_t *host = bus_frame_ptr(m->bus, a >> PAGE_SHIFT, BUS_FR_NOTRAM | BUS_FR_CODE);
	if (host)
		memcpy(host + (a & (PAGE_SIZE - 1)), ent, 4);
	else
		bus_write(m->bus, pa, 4, *ent);
	r->ad_writes++;
}

int pg_walk(const struct mmu *m, uint32_t lin, enum mmu_access acc, int user, int commit,
	    struct walk_res *r)
{
	uint32_t ec = (acc == MMU_WRITE ? PFEC_W : 0) | (user ? PFEC_U : 0);
	int write = acc == MMU_WRITE;

	*r = (struct walk_res){ 0 };
	r->pde_addr = (m->cr3 & 0xFFFFF000u) | (PDX(lin) << 2);
	uint32_t pde = rd32(m, r->pde_addr, commit);
	r->pde = pde;
	if (!(pde & PTE_P)) {
		r->error_code = ec;
		return MMU_PF;
	}

	if ((pde & PDE_PS) && m->cfg.has_pse && (m->cr4 & CR4_PSE)) {
		r->large = 1;
		if (m->cfg.has_rsvd_bit && (pde & PDE_RSVD_4M)) {
			r->error_code = ec | PFEC_P | PFEC_RSVD;
			return MMU_PF;
		}
		r->u = !!(pde & PTE_U);
		r->w = !!(pde & PTE_W);
		if (commit) {
			if (!pg_allowed(m, r->u, r->w, acc, user)) {
				r->error_code = ec | PFEC_P;
				return MMU_PF;
			}
			set_bits(m, r->pde_addr, &pde, PTE_A | (write ? PTE_D : 0), r);
			r->pde = pde;
		}
		r->d = !!(pde & PTE_D);
		r->g = !!(pde & PTE_G);
		r->pcd = !!(pde & PTE_PCD);
		r->pwt = !!(pde & PTE_PWT);
		r->paddr = (pde & 0xFFC00000u) | (lin & 0x003FFFFFu);
		return 0;
	}

	if (commit) {
		set_bits(m, r->pde_addr, &pde, PTE_A, r);
		r->pde = pde;
	}
	r->pte_addr = (pde & 0xFFFFF000u) | (PTX(lin) << 2);
	uint32_t pte = rd32(m, r->pte_addr, commit);
	r->pte = pte;
	if (!(pte & PTE_P)) {
		r->error_code = ec;
		return MMU_PF;
	}
	r->u = (pde & pte & PTE_U) != 0;
	r->w = (pde & pte & PTE_W) != 0;
	if (commit) {
		if (!pg_allowed(m, r->u, r->w, acc, user)) {
			r->error_code = ec | PFEC_P;
			return MMU_PF;
		}
		set_bits(m, r->pte_addr, &pte, PTE_A | (write ? PTE_D : 0), r);
		r->pte = pte;
	}
	r->d = !!(pte & PTE_D);
	r->g = !!(pte & PTE_G);
	r->pcd = !!(pte & PTE_PCD);
	r->pwt = !!(pte & PTE_PWT);
	r->paddr = (pte & 0xFFFFF000u) | (lin & 0xFFFu);
	return 0;
}

void mmu_peek(const struct mmu *m, uint32_t lin, struct mmu_walk *out)
{
	*out = (struct mmu_walk){ 0 };
	if (!(m->cr0 & CR0_PG)) {
		out->present = 1;
		out->paddr = lin & bus_a20_mask(m->bus);
		out->user_ok = out->write_ok = 1;
		return;
	}
	struct walk_res r;
	int rc = pg_walk(m, lin, MMU_READ, 0, 0, &r);
	out->pde_addr = r.pde_addr;
	out->pde = r.pde;
	out->pte_addr = r.pte_addr;
	out->pte = r.pte;
	out->large = r.large;
	if (rc)
		return;
	out->present = 1;
	out->paddr = r.paddr & bus_a20_mask(m->bus);
	out->user_ok = r.u;
	out->write_ok = r.w;
}
