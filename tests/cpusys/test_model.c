/* CPU models: names, feature groups, paging configuration, CPUID, MSRs,
 * RDTSC. Expected values come from DESIGN §4 and the SDM (CPUID, RDMSR,
 * WRMSR, RDTSC pseudo-code). */
#include <string.h>
#include <criterion/criterion.h>
#include "harness.h"

Test(model, parse_and_name)
{
	enum cpu_model m;
	static const char *names[] = { "386", "486", "pentium", "p6" };

	for (int i = 0; i < 4; i++) {
		cr_assert_eq(cpu_model_parse(names[i], &m), 0);
		cr_assert_eq((int)m, i);
		cr_assert_str_eq(cpu_model_name(m), names[i]);
	}
	cr_assert_eq(cpu_model_parse("qemu32", &m), -1);
	cr_assert_eq(cpu_model_parse("", &m), -1);
	cr_assert_eq(cpu_model_parse(NULL, &m), -1);
}

Test(model, feature_table)
{
	/* DESIGN §4: 486 adds BSWAP/XADD/CMPXCHG/INVLPG; the Pentium RDTSC,
	 * MSRs, CMPXCHG8B; the P6 CMOV and SYSENTER; TR6/TR7 on 386/486 only. */
	struct cpu *c = h_new(CPU_386);
	cr_assert(!cpu_has(c, FEAT_BSWAP));
	cr_assert(!cpu_has(c, FEAT_INVLPG));
	cr_assert(!cpu_has(c, FEAT_CPUID));
	cr_assert(cpu_has(c, FEAT_TR67));
	c->model = CPU_486;
	cr_assert(cpu_has(c, FEAT_BSWAP) && cpu_has(c, FEAT_XADD) && cpu_has(c, FEAT_CMPXCHG));
	cr_assert(cpu_has(c, FEAT_INVLPG) && cpu_has(c, FEAT_INVD) && cpu_has(c, FEAT_CPUID));
	cr_assert(!cpu_has(c, FEAT_RDTSC) && !cpu_has(c, FEAT_CMPXCHG8B));
	cr_assert(cpu_has(c, FEAT_TR67));
	c->model = CPU_PENTIUM;
	cr_assert(cpu_has(c, FEAT_RDTSC) && cpu_has(c, FEAT_MSR) && cpu_has(c, FEAT_CMPXCHG8B));
	cr_assert(!cpu_has(c, FEAT_CMOV) && !cpu_has(c, FEAT_SYSENTER));
	cr_assert(!cpu_has(c, FEAT_TR67));
	c->model = CPU_P6;
	cr_assert(cpu_has(c, FEAT_CMOV) && cpu_has(c, FEAT_SYSENTER));
	cr_assert(!cpu_has(c, FEAT_TR67));
	h_free(c);
}

Test(model, mmu_config)
{
	struct mmu_config m;

	cpu_model_mmu_config(CPU_386, &m);
	cr_assert_eq(m.split, 0);
	cr_assert_eq(m.dtlb.sets * m.dtlb.ways, 32);
	cr_assert_eq(m.dtlb.ways, 4);
	cr_assert_eq(m.policy, TLB_PTR386);
	cr_assert(m.prot386 && !m.has_wp && !m.has_invlpg && !m.has_pse);
	cr_assert_eq(m.tr_model, 386);

	cpu_model_mmu_config(CPU_486, &m);
	cr_assert_eq(m.dtlb.sets, 8);
	cr_assert_eq(m.policy, TLB_PLRU);
	cr_assert(!m.prot386 && m.has_wp && m.has_invlpg && !m.has_pse);
	cr_assert_eq(m.tr_model, 486);

	cpu_model_mmu_config(CPU_PENTIUM, &m);
	cr_assert(m.split);
	cr_assert_eq(m.itlb.sets * m.itlb.ways, 32);
	cr_assert_eq(m.dtlb.sets * m.dtlb.ways, 64);
	cr_assert_eq(m.dtlb_large.sets * m.dtlb_large.ways, 8);
	cr_assert_eq(m.dtlb_large.ways, 4);
	cr_assert_eq(m.itlb_large.sets, 0);
	cr_assert(m.has_pse && !m.has_pge && m.has_rsvd_bit);
	cr_assert_eq(m.tr_model, 0);

	cpu_model_mmu_config(CPU_P6, &m);
	cr_assert_eq(m.itlb_large.sets * m.itlb_large.ways, 2);
	cr_assert_eq(m.dtlb_large.sets * m.dtlb_large.ways, 8);
	cr_assert(m.has_pse && m.has_pge);
}

Test(model, cpuid)
{
	struct cpu *c = h_new(CPU_386);

	/* The 386 has no CPUID: #UD. */
	cr_assert_eq(H_TRY(c, sys_cpuid(c)), EX_UD);

	c->model = CPU_P6;
	c->s.gpr[R_EAX] = 0;
	cr_assert_eq(H_TRY(c, sys_cpuid(c)), -1);
	cr_assert_eq(c->s.gpr[R_EAX], 1);
	/* "GenuineIntel" in EBX, EDX, ECX order. */
	char v[13];
	memcpy(v, &c->s.gpr[R_EBX], 4);
	memcpy(v + 4, &c->s.gpr[R_EDX], 4);
	memcpy(v + 8, &c->s.gpr[R_ECX], 4);
	v[12] = 0;
	cr_assert_str_eq(v, "GenuineIntel");

	c->s.gpr[R_EAX] = 1;
	H_TRY(c, sys_cpuid(c));
	cr_assert_eq((c->s.gpr[R_EAX] >> 8) & 0xF, 6);
	/* P6: PSE(3) TSC(4) MSR(5) CX8(8) SEP(11) PGE(13) CMOV(15); no FPU(0),
	 * VME(1), DE(2). */
	cr_assert_eq(c->s.gpr[R_EDX], 0xA938u);

	c->model = CPU_PENTIUM;
	c->s.gpr[R_EAX] = 1;
	H_TRY(c, sys_cpuid(c));
	cr_assert_eq((c->s.gpr[R_EAX] >> 8) & 0xF, 5);
	cr_assert_eq(c->s.gpr[R_EDX], 0x138u);

	c->model = CPU_486;
	c->s.gpr[R_EAX] = 1;
	H_TRY(c, sys_cpuid(c));
	cr_assert_eq((c->s.gpr[R_EAX] >> 8) & 0xF, 4);
	cr_assert_eq(c->s.gpr[R_EDX], 0);
	h_free(c);
}

Test(model, eflags_mask)
{
	struct cpu *c = h_new(CPU_386);
	/* AC exists from the 486, ID with CPUID. */
	cr_assert_eq(sys_eflags_mask(c) & (FL_AC | FL_ID), 0);
	c->model = CPU_486;
	cr_assert_eq(sys_eflags_mask(c) & (FL_AC | FL_ID), FL_AC | FL_ID);
	h_free(c);
}

Test(model, rdtsc_counts_instructions)
{
	struct cpu *c = h_new(CPU_486);

	cr_assert_eq(H_TRY(c, sys_rdtsc(c)), EX_UD);
	c->model = CPU_PENTIUM;
	c->insns = 100;
	cr_assert_eq(H_TRY(c, sys_rdtsc(c)), -1);
	uint32_t t0 = c->s.gpr[R_EAX];
	c->insns = 150;
	H_TRY(c, sys_rdtsc(c));
	cr_assert_eq(c->s.gpr[R_EAX] - t0, 50);
	cr_assert_eq(c->s.gpr[R_EDX], 0);

	/* WRMSR(TSC) then count on from the written value. */
	c->s.gpr[R_ECX] = 0x10;
	c->s.gpr[R_EAX] = 0xFFFFFFF0u;
	c->s.gpr[R_EDX] = 0x5;
	cr_assert_eq(H_TRY(c, sys_wrmsr(c)), -1);
	c->insns += 0x20;
	H_TRY(c, sys_rdtsc(c));
	cr_assert_eq(c->s.gpr[R_EDX], 6);
	cr_assert_eq(c->s.gpr[R_EAX], 0x10);

	/* sys_tsc_peek sees the same value without refreshing s.tsc. */
	c->insns += 3;
	cr_assert_eq(sys_tsc_peek(c), ((uint64_t)6 << 32) + 0x13);
	cr_assert_eq(c->s.tsc, ((uint64_t)6 << 32) + 0x10);
	/* An outside write of s.tsc (cpu_set_state) rebases the counter. */
	c->s.tsc = 1000;
	c->insns += 7;
	H_TRY(c, sys_rdtsc(c));
	cr_assert_eq(c->s.gpr[R_EAX], 1000);
	cr_assert_eq(c->s.gpr[R_EDX], 0);
	h_free(c);
}

Test(model, rdtsc_tsd)
{
	struct cpu *c = h_new(CPU_PENTIUM);
	h_pmode(c);
	h_ring3(c);
	/* CR4.TSD = 0: RDTSC allowed at any CPL. */
	cr_assert_eq(H_TRY(c, sys_rdtsc(c)), -1);
	/* CR4.TSD = 1 and CPL > 0: #GP(0). */
	c->s.cr4 = CR4_TSD;
	cr_assert_eq(H_TRY(c, sys_rdtsc(c)), EX_GP);
	cr_assert_eq(h_exc_err, 0);
	h_free(c);
}

Test(model, msrs)
{
	struct cpu *c = h_new(CPU_PENTIUM);

	/* SYSENTER MSRs do not exist on the Pentium: #GP(0). */
	c->s.gpr[R_ECX] = 0x174;
	cr_assert_eq(H_TRY(c, sys_rdmsr(c)), EX_GP);
	cr_assert_eq(H_TRY(c, sys_wrmsr(c)), EX_GP);
	c->s.gpr[R_ECX] = 0x1B;  /* APIC base: not modelled */
	cr_assert_eq(H_TRY(c, sys_rdmsr(c)), EX_GP);

	c->model = CPU_P6;
	c->s.gpr[R_ECX] = 0x176;
	c->s.gpr[R_EAX] = 0xC0101234u;
	c->s.gpr[R_EDX] = 0;
	cr_assert_eq(H_TRY(c, sys_wrmsr(c)), -1);
	cr_assert_eq(c->s.sysenter_eip, 0xC0101234u);
	c->s.gpr[R_EAX] = 0;
	cr_assert_eq(H_TRY(c, sys_rdmsr(c)), -1);
	cr_assert_eq(c->s.gpr[R_EAX], 0xC0101234u);

	/* P6 WRMSR to the TSC writes the low 32 bits and clears the high. */
	c->s.gpr[R_ECX] = 0x10;
	c->s.gpr[R_EAX] = 0x1234;
	c->s.gpr[R_EDX] = 0x99;
	H_TRY(c, sys_wrmsr(c));
	c->s.gpr[R_EDX] = 0x55;
	H_TRY(c, sys_rdmsr(c));
	cr_assert_eq(c->s.gpr[R_EDX], 0);
	cr_assert_eq(c->s.gpr[R_EAX], 0x1234);

	/* CPL 3: #GP(0). No MSRs on a 486: #UD. */
	h_pmode(c);
	h_ring3(c);
	cr_assert_eq(H_TRY(c, sys_rdmsr(c)), EX_GP);
	c->model = CPU_486;
	cr_assert_eq(H_TRY(c, sys_rdmsr(c)), EX_UD);
	h_free(c);
}

Test(model, sysenter_sysexit)
{
	struct cpu *c = h_new(CPU_P6);
	h_pmode(c);
	/* SYSENTER_CS = 0 → #GP(0). */
	cr_assert_eq(H_TRY(c, sys_sysenter(c)), EX_GP);
	c->s.sysenter_cs = 0x08;
	c->s.sysenter_esp = 0x9000;
	c->s.sysenter_eip = 0xC0001000u;
	h_ring3(c);
	c->s.eflags |= FL_IF;
	cr_assert_eq(H_TRY(c, sys_sysenter(c)), -1);
	/* CS = SYSENTER_CS, SS = +8, flat, CPL 0, IF cleared. */
	cr_assert_eq(c->s.seg[S_CS].sel, 0x08);
	cr_assert_eq(c->s.seg[S_SS].sel, 0x10);
	cr_assert_eq(c->s.seg[S_CS].limit, 0xFFFFFFFFu);
	cr_assert_eq(c->cpl, 0);
	cr_assert_eq(c->s.eip, 0xC0001000u);
	cr_assert_eq(c->s.gpr[R_ESP], 0x9000);
	cr_assert_eq(c->s.eflags & FL_IF, 0);
	/* SYSEXIT: CS = +16 | 3, SS = +24 | 3, ESP = ECX, EIP = EDX. */
	c->s.gpr[R_ECX] = 0xBFFF0000u;
	c->s.gpr[R_EDX] = 0x08048000u;
	cr_assert_eq(H_TRY(c, sys_sysexit(c)), -1);
	cr_assert_eq(c->s.seg[S_CS].sel, 0x1B);
	cr_assert_eq(c->s.seg[S_SS].sel, 0x23);
	cr_assert_eq(SEGF_DPL(c->s.seg[S_SS].flags), 3);
	cr_assert_eq(c->cpl, 3);
	cr_assert_eq(c->s.eip, 0x08048000u);
	cr_assert_eq(c->s.gpr[R_ESP], 0xBFFF0000u);
	/* SYSEXIT at CPL 3: #GP(0). */
	cr_assert_eq(H_TRY(c, sys_sysexit(c)), EX_GP);
	h_free(c);
}
