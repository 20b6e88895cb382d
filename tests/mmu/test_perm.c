/* test_perm.c - the whole permission matrix, per model.
 *
 * Expected results come from two hand-written tables:
 *
 * 1. Combining the two levels (i386 PRM 5.2.4.3 / table 6-5 "Combined Page
 *    Directory and Page Table Protection", SDM vol. 3 4.6: an access needs
 *    the right at both levels). Rows: PDE U/S,R/W then PTE U/S,R/W:
 *
 *      PDE      PTE      combined
 *      S  R     S  R     S  R
 *      S  R     S  W     S  R
 *      S  R     U  R     S  R
 *      S  R     U  W     S  R
 *      S  W     S  R     S  R
 *      S  W     S  W     S  W
 *      S  W     U  R     S  R
 *      S  W     U  W     S  W
 *      U  R     S  R     S  R
 *      U  R     S  W     S  R
 *      U  R     U  R     U  R
 *      U  R     U  W     U  R
 *      U  W     S  R     S  R
 *      U  W     S  W     S  W
 *      U  W     U  R     U  R
 *      U  W     U  W     U  W
 *
 * 2. Access to a page of each combined class (i386 PRM 6.4.1.2: ring 0 may
 *    read and write every page; SDM 4.6.1: with CR0.WP=1 a supervisor write
 *    needs R/W=1; user accesses need U, user writes also W; fetches are
 *    reads without NX):
 *
 *                      user R  user W  user F  sup R  sup W  sup F
 *      386 (any WP),
 *      486+ WP=0:
 *         S R          F       F       F       ok     ok     ok
 *         S W          F       F       F       ok     ok     ok
 *         U R          ok      F       ok      ok     ok     ok
 *         U W          ok      ok      ok      ok     ok     ok
 *      486+ WP=1:
 *         S R          F       F       F       ok     F      ok
 *         S W          F       F       F       ok     ok     ok
 *         U R          ok      F       ok      ok     F      ok
 *         U W          ok      ok      ok      ok     ok     ok
 *
 * The #PF error code of a protection fault is P=1, W/R=1 for writes,
 * U/S=1 for user accesses (SDM 4.7).
 */
#include "helpers.h"

enum cls { SR, SW, UR, UW };

static const enum cls combine[16] = {
	/* index: pdeU<<3 | pdeW<<2 | pteU<<1 | pteW */
	SR, SR, SR, SR,
	SR, SW, SR, SW,
	SR, SR, UR, UR,
	SR, SW, UR, UW,
};

/* 1 = allowed; [table][class][user*3 + acc] with acc R, W, F */
static const int allowed_tab[2][4][6] = {
	{ /* 386 any WP, 486+ WP=0 */
		{ 1, 1, 1, 0, 0, 0 },   /* S R: sup R W F, user R W F */
		{ 1, 1, 1, 0, 0, 0 },
		{ 1, 1, 1, 1, 0, 1 },
		{ 1, 1, 1, 1, 1, 1 },
	},
	{ /* 486+ WP=1 */
		{ 1, 0, 1, 0, 0, 0 },
		{ 1, 1, 1, 0, 0, 0 },
		{ 1, 0, 1, 1, 0, 1 },
		{ 1, 1, 1, 1, 1, 1 },
	},
};

static const enum mmu_access accs[3] = { MMU_READ, MMU_WRITE, MMU_FETCH };

static void run_matrix(enum model mo)
{
	const uint32_t lin = 0x00403000u, pa = 0x00050000u, table = 0x3000u;
	int cases = 0;
	for (int wp = 0; wp < 2; wp++) {
		struct env e = env_new(mo, wp ? CR0_WP : 0);
		int tab = (mo != M386 && wp) ? 1 : 0;
		for (int bits = 0; bits < 16; bits++) {
			uint32_t pde_f = P | A | ((bits & 8) ? U : 0) | ((bits & 4) ? W : 0);
			uint32_t pte_f = P | A | ((bits & 2) ? U : 0) | ((bits & 1) ? W : 0);
			for (int user = 0; user < 2; user++)
				for (int ai = 0; ai < 3; ai++) {
					map4k(e.b, lin, table, pde_f, pa, pte_f);
					mmu_set_cr3(e.m, PGDIR);
					uint32_t out = 0;
					int rc = mmu_translate(e.m, lin + 0x123, accs[ai], user, &out);
					int want = allowed_tab[tab][combine[bits]][user * 3 + ai];
					cr_expect_eq(rc == 0, want,
						     "model %d wp %d pde %#x pte %#x user %d acc %d: got rc %d",
						     mo, wp, pde_f, pte_f, user, ai, rc);
					if (rc == 0) {
						cr_expect_eq(out, pa + 0x123);
					} else {
						uint32_t ec = P | (accs[ai] == MMU_WRITE ? 2u : 0) | (user ? 4u : 0);
						cr_expect_eq(mmu_fault(e.m)->error_code, ec);
						cr_expect_eq(mmu_fault(e.m)->lin, lin + 0x123);
					}
					/* the data path agrees and a faulting write writes nothing */
					if (accs[ai] == MMU_WRITE) {
						wr32(e.b, pa + 0x120, 0);
						mmu_set_cr3(e.m, PGDIR);
						int rc2 = mmu_write(e.m, lin + 0x120, 4, user, 0x5A5A5A5Au);
						cr_expect_eq(rc2 == 0, want);
						cr_expect_eq(rd32(e.b, pa + 0x120), want ? 0x5A5A5A5Au : 0u);
					}
					cases++;
				}
		}
		env_free(&e);
	}
	cr_expect_eq(cases, 2 * 16 * 2 * 3);
}

Test(perm, matrix_386) { run_matrix(M386); }
Test(perm, matrix_486) { run_matrix(M486); }
Test(perm, matrix_pentium) { run_matrix(MPENTIUM); }
Test(perm, matrix_p6) { run_matrix(MP6); }

/* 4 MiB pages: only the PDE's bits count, with the same class table. */
static void run_large(enum model mo)
{
	const uint32_t lin = 0x00C01234u;   /* PDE 3, 4 MiB page at 0x00800000 */
	for (int wp = 0; wp < 2; wp++) {
		struct env e = env_new(mo, wp ? CR0_WP : 0);
		mmu_set_cr4(e.m, CR4_PSE);
		for (int bits = 0; bits < 4; bits++) {
			uint32_t f = P | A | D | PS | ((bits & 2) ? U : 0) | ((bits & 1) ? W : 0);
			enum cls c = (enum cls)bits;   /* S R, S W, U R, U W */
			for (int user = 0; user < 2; user++)
				for (int ai = 0; ai < 3; ai++) {
					wr32(e.b, pde_addr(lin), 0x00800000u | f);
					mmu_set_cr3(e.m, PGDIR);
					uint32_t out;
					int rc = mmu_translate(e.m, lin, accs[ai], user, &out);
					int want = allowed_tab[wp][c][user * 3 + ai];
					cr_expect_eq(rc == 0, want, "wp %d pde %#x user %d acc %d", wp, f, user, ai);
					if (!rc)
						cr_expect_eq(out, 0x00801234u);
				}
		}
		env_free(&e);
	}
}

Test(perm, large_pentium) { run_large(MPENTIUM); }
Test(perm, large_p6) { run_large(MP6); }

/* A cached entry keeps the rights it was filled with (no re-walk on a
 * hit), and a fault from a cached entry drops it (SDM 4.10.4.1). */
Test(perm, fault_from_cached_entry_invalidates_it)
{
	struct env e = env_new(M486, CR0_WP);
	const uint32_t lin = 0x00403000u;
	map4k(e.b, lin, 0x3000, P | W | U | A, 0x50000, P | U | A);   /* user read-only */
	uint32_t pa;
	cr_assert_eq(mmu_translate(e.m, lin, MMU_READ, 1, &pa), 0);
	/* make it writable in memory, no INVLPG: the TLB still says read-only */
	wr32(e.b, pte_addr_in(0x3000, lin), 0x50000 | P | U | W | A);
	cr_expect_eq(mmu_translate(e.m, lin, MMU_WRITE, 1, &pa), MMU_PF);
	cr_expect_eq(mmu_fault(e.m)->error_code, 7u);
	/* the fault dropped the entry: the retry walks and succeeds */
	cr_expect_eq(mmu_translate(e.m, lin, MMU_WRITE, 1, &pa), 0);
	cr_expect_eq(pa, 0x50000u);
	env_free(&e);
}
