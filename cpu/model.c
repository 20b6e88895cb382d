/* model.c - the CPU models (-cpu 386|486|pentium|p6): which instruction
 * groups exist, the paging unit each model has, CPUID, the MSRs and the
 * time-stamp counter. docs/protection.md explains the choices.
 */
#include <string.h>
#include "sys_internal.h"

static const char *const model_names[CPU_MODEL_COUNT] = {
	[CPU_386] = "386", [CPU_486] = "486", [CPU_PENTIUM] = "pentium", [CPU_P6] = "p6",
};

int cpu_model_parse(const char *name, enum cpu_model *out)
{
	if (!name)
		return -1;
	for (int m = 0; m < CPU_MODEL_COUNT; m++) {
		if (strcmp(name, model_names[m]) == 0) {
			*out = (enum cpu_model)m;
			return 0;
		}
	}
	return -1;
}

const char *cpu_model_name(enum cpu_model m)
{
	if ((unsigned)m >= CPU_MODEL_COUNT)
		return "?";
	return model_names[m];
}

/* First model that has each feature; FEAT_TR67 is the exception (386/486
 * only; the Pentium moved the test registers into MSRs). */
static const enum cpu_model feat_from[FEAT_COUNT] = {
	[FEAT_BSWAP] = CPU_486, [FEAT_XADD] = CPU_486, [FEAT_CMPXCHG] = CPU_486,
	[FEAT_INVLPG] = CPU_486, [FEAT_INVD] = CPU_486, [FEAT_CPUID] = CPU_486,
	[FEAT_RDTSC] = CPU_PENTIUM, [FEAT_MSR] = CPU_PENTIUM, [FEAT_CMPXCHG8B] = CPU_PENTIUM,
	[FEAT_CMOV] = CPU_P6, [FEAT_SYSENTER] = CPU_P6,
	[FEAT_TR67] = CPU_386, [FEAT_RSM_UD] = CPU_386,
};

int cpu_has(const struct cpu *c, enum cpu_feature f)
{
	if ((unsigned)f >= FEAT_COUNT)
		return 0;
	if (f == FEAT_TR67)
		return c->model == CPU_386 || c->model == CPU_486;
	/* No model has SMM here, so RSM is #UD everywhere. */
	return c->model >= feat_from[f];
}

void cpu_model_mmu_config(enum cpu_model m, struct mmu_config *out)
{
	memset(out, 0, sizeof *out);
	out->fast_path = 1;
	out->random_seed = 1;
	switch (m) {
	case CPU_386:
		/* 32 entries, 4-way, 8 sets, unified; ring 0 ignores R/W. */
		out->dtlb = (struct tlb_geom){ 8, 4 };
		out->policy = TLB_PTR386;
		out->prot386 = 1;
		out->tr_model = 386;
		break;
	case CPU_486:
		out->dtlb = (struct tlb_geom){ 8, 4 };
		out->policy = TLB_PLRU;
		out->has_wp = 1;
		out->has_invlpg = 1;
		out->tr_model = 486;
		break;
	case CPU_PENTIUM:
		/* Pentium (P54C): code TLB 32 entries 4-way, shared by 4 KiB and
		 * 4 MiB pages (itlb_large.sets == 0); data TLB 64 entries 4-way
		 * plus a separate 8-entry 4-way data TLB for 4 MiB pages. */
		out->split = 1;
		out->itlb = (struct tlb_geom){ 8, 4 };
		out->dtlb = (struct tlb_geom){ 16, 4 };
		out->dtlb_large = (struct tlb_geom){ 2, 4 };
		out->policy = TLB_PLRU;
		out->has_wp = 1;
		out->has_invlpg = 1;
		out->has_pse = 1;
		out->has_rsvd_bit = 1;
		break;
	case CPU_P6:
	default:
		/* Pentium Pro / II: code 32 x 4-way, data 64 x 4-way; large
		 * pages: code 2 entries (1 set x 2 ways), data 8 x 4-way. */
		out->split = 1;
		out->itlb = (struct tlb_geom){ 8, 4 };
		out->dtlb = (struct tlb_geom){ 16, 4 };
		out->itlb_large = (struct tlb_geom){ 1, 2 };
		out->dtlb_large = (struct tlb_geom){ 2, 4 };
		out->policy = TLB_PLRU;
		out->has_wp = 1;
		out->has_invlpg = 1;
		out->has_pse = 1;
		out->has_pge = 1;
		out->has_rsvd_bit = 1;
		break;
	}
}

uint32_t sys_eflags_mask(const struct cpu *c)
{
	/* CF PF AF ZF SF TF IF DF OF IOPL NT RF VM (bit 1 reads as 1). */
	uint32_t m = 0x37FD5u;

	if (c->model >= CPU_486)
		m |= FL_AC;
	if (cpu_has(c, FEAT_CPUID))
		m |= FL_ID;
	/* VIF and VIP exist from the Pentium (IRET and POPF at CPL 0, task
	 * switches write them) even though CR4.VME is not implemented. */
	if (c->model >= CPU_PENTIUM)
		m |= FL_VIF | FL_VIP;
	return m;
}

/* ---- CPUID (SDM vol. 2, CPUID). Feature bits claim exactly what the
 * emulator implements: no FPU, VME, DE, MCE, APIC, MTRR, MMX. */
#define CPUID_PSE  (1u << 3)
#define CPUID_TSC  (1u << 4)
#define CPUID_MSR  (1u << 5)
#define CPUID_CX8  (1u << 8)
#define CPUID_SEP  (1u << 11)
#define CPUID_PGE  (1u << 13)
#define CPUID_CMOV (1u << 15)

/* Processor signature: family << 8 | model << 4 | stepping. */
static uint32_t cpuid_signature(enum cpu_model m)
{
	switch (m) {
	case CPU_486:
		return 0x480;  /* Intel486 DX4: family 4, model 8, the 486 with CPUID */
	case CPU_PENTIUM:
		return 0x52B;  /* Pentium P54C: family 5, model 2, stepping 11 */
	default:
		return 0x633;  /* Pentium II: family 6, model 3, stepping 3 (SEP valid) */
	}
}

uint32_t cpuid_features(enum cpu_model m)
{
	uint32_t f = 0;

	if (m >= CPU_PENTIUM)
		f |= CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_CX8;
	if (m >= CPU_P6)
		f |= CPUID_SEP | CPUID_PGE | CPUID_CMOV;
	return f;
}

void sys_cpuid(struct cpu *c)
{
	uint32_t leaf = c->s.gpr[R_EAX];

	if (!cpu_has(c, FEAT_CPUID))
		cpu_raise(c, EX_UD, 0, 0);
	/* Leaves above the maximum return the highest basic leaf (Intel). */
	if (leaf == 0) {
		c->s.gpr[R_EAX] = 1;
		c->s.gpr[R_EBX] = 0x756E6547u; /* "Genu" */
		c->s.gpr[R_EDX] = 0x49656E69u; /* "ineI" */
		c->s.gpr[R_ECX] = 0x6C65746Eu; /* "ntel" */
		return;
	}
	c->s.gpr[R_EAX] = cpuid_signature(c->model);
	c->s.gpr[R_EBX] = 0;
	c->s.gpr[R_ECX] = 0;
	c->s.gpr[R_EDX] = cpuid_features(c->model);
}

/* ---- time-stamp counter: one tick per retired instruction, so virtual
 * time and the TSC agree and a run is reproducible. */
uint64_t sys_tsc(struct cpu *c)
{
	uint64_t now = cpu_retired(c);
	if (c->s.tsc != c->tsc_last) {
		/* Written from outside (cpu_set_state, reset): count from it now. */
		c->tsc_last = c->s.tsc;
		c->tsc_insns = now;
	}
	c->s.tsc = c->tsc_last + (now - c->tsc_insns);
	c->tsc_last = c->s.tsc;
	c->tsc_insns = now;
	return c->s.tsc;
}

uint64_t sys_tsc_peek(const struct cpu *c)
{
	if (c->s.tsc != c->tsc_last)
		return c->s.tsc;
	return c->tsc_last + (cpu_retired(c) - c->tsc_insns);
}

static void tsc_write(struct cpu *c, uint64_t v)
{
	c->s.tsc = c->tsc_last = v;
	c->tsc_insns = cpu_retired(c);
}

void sys_rdtsc(struct cpu *c)
{
	uint64_t t;

	if (!cpu_has(c, FEAT_RDTSC))
		cpu_raise(c, EX_UD, 0, 0);
	if ((c->s.cr4 & CR4_TSD) && c->cpl != 0 && cpu_pmode(c))
		cpu_raise(c, EX_GP, 1, 0);
	t = sys_tsc(c);
	c->s.gpr[R_EAX] = (uint32_t)t;
	c->s.gpr[R_EDX] = (uint32_t)(t >> 32);
}

/* ---- model-specific registers: TSC (0x10) from the Pentium, the
 * SYSENTER MSRs (0x174-0x176) on the P6. Anything else is #GP(0). */
enum { MSR_TSC = 0x10, MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175,
       MSR_SYSENTER_EIP = 0x176 };

static void msr_priv(struct cpu *c)
{
	if (!cpu_has(c, FEAT_MSR))
		cpu_raise(c, EX_UD, 0, 0);
	if (c->cpl != 0)
		cpu_raise(c, EX_GP, 1, 0);
}

void sys_rdmsr(struct cpu *c)
{
	uint32_t idx = c->s.gpr[R_ECX];
	uint64_t v;

	msr_priv(c);
	if (idx == MSR_TSC)
		v = sys_tsc(c);
	else if (c->model >= CPU_P6 && idx == MSR_SYSENTER_CS)
		v = c->s.sysenter_cs;
	else if (c->model >= CPU_P6 && idx == MSR_SYSENTER_ESP)
		v = c->s.sysenter_esp;
	else if (c->model >= CPU_P6 && idx == MSR_SYSENTER_EIP)
		v = c->s.sysenter_eip;
	else
		cpu_raise(c, EX_GP, 1, 0);
	c->s.gpr[R_EAX] = (uint32_t)v;
	c->s.gpr[R_EDX] = (uint32_t)(v >> 32);
}

void sys_wrmsr(struct cpu *c)
{
	uint32_t idx = c->s.gpr[R_ECX];
	uint32_t lo = c->s.gpr[R_EAX], hi = c->s.gpr[R_EDX];

	msr_priv(c);
	if (idx == MSR_TSC) {
		/* P6: only the low 32 bits are written, the high half is
		 * cleared (SDM vol. 3, 17.17); the Pentium takes all 64. */
		tsc_write(c, c->model >= CPU_P6 ? lo : ((uint64_t)hi << 32 | lo));
	} else if (c->model >= CPU_P6 && idx == MSR_SYSENTER_CS) {
		c->s.sysenter_cs = lo & 0xFFFF;
	} else if (c->model >= CPU_P6 && idx == MSR_SYSENTER_ESP) {
		c->s.sysenter_esp = lo;
	} else if (c->model >= CPU_P6 && idx == MSR_SYSENTER_EIP) {
		c->s.sysenter_eip = lo;
	} else {
		cpu_raise(c, EX_GP, 1, 0);
	}
}
