/* exec.c - the run loop: fetch decoded blocks (block.c), execute and
 * retire their instructions; interrupt polling at instruction boundaries;
 * exceptions raised by longjmp and delivered by the system half;
 * single-step traps; HLT, stop requests and shutdown.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "core.h"

/* The running block's instructions before the current one (run_cur)
 * are retired. */
uint64_t cpu_retired(const struct cpu *c)
{
	const struct core *k = core_of(c);
	const struct block *b = k->run_block;
	if (!b)
		return c->insns;
	return c->insns + (uint64_t)(k->run_cur - b->i);
}

/* Inside a block the run loop keeps c->insn_eip (and c->s.eip) for the
 * last instruction to run only: any earlier one is at run_eip + its
 * offset. The block's own last instruction reads c->insn_eip, which its
 * handler may have moved (a task switch's debug trap restarts at the new
 * task); when a budget ends the block early, c->insn_eip is that of the
 * last one to run, which is also run_eip + its offset. */
uint32_t cpu_insn_eip(const struct cpu *c)
{
	const struct core *k = core_of(c);
	const struct block *b = k->run_block;
	if (b && k->run_cur != &b->i[b->n - 1])
		return k->run_eip + k->run_cur->off;
	return c->insn_eip;
}

/* The run loop has left the running block: count what of it retired
 * (`ran` instructions from the current one on, 0 or 1) into c->insns. */
static inline void retire_block_so_far(struct cpu *c, struct core *k, unsigned ran)
{
	c->insns = cpu_retired(c) + ran;
	k->run_block = NULL;
}

_Noreturn void cpu_raise(struct cpu *c, int vector, int has_err, uint32_t err)
{
	struct core *k = core_of(c);
	k->exc_vec = vector;
	k->exc_has_err = has_err;
	k->exc_err = err;
	/* The faulting instruction retires after its delivery (cpu_run). */
	c->insn_eip = cpu_insn_eip(c);
	retire_block_so_far(c, k, 0);
	c->s.eip = c->insn_eip;
	if (!k->in_run) {
		/* A raise outside cpu_run() is a bug in the caller: there is no
		 * instruction to unwind. */
		fprintf(stderr, "cpu: exception %d raised outside cpu_run\n", vector);
		abort();
	}
	longjmp(c->jmp, 1);
}

_Noreturn void cpu_raise_pf(struct cpu *c)
{
	const struct mmu_fault *f = mmu_fault(c->mmu);
	c->s.cr2 = f->lin;
	cpu_raise(c, EX_PF, 1, f->error_code);
}

void cpu_set_intr(struct cpu *c, int level)
{
	c->intr_line = level != 0;
	if (level)
		core_attn(c);
}

void cpu_set_intr_ack(struct cpu *c, int (*ack)(void *opaque), void *opaque)
{
	c->intr_ack = ack;
	c->intr_ack_opaque = opaque;
}

void cpu_set_nmi(struct cpu *c)
{
	c->nmi_pending = 1;
	core_attn(c);
}

void cpu_request_stop(struct cpu *c)
{
	c->stop_requested = 1;
	core_attn(c);
}

/* Work at an instruction boundary when something is pending. Returns a
 * stop reason, or -1 to go on executing. */
static int boundary(struct cpu *c)
{
	struct core *k = core_of(c);
	if (c->stop_requested) {
		c->stop_requested = 0;
		return CPU_STOP_REQUEST;
	}
	if (c->inhibit_irq) {
		/* STI / MOV SS shadow: the next instruction runs first. */
		c->inhibit_irq = 0;
		return c->s.halted ? CPU_STOP_HLT : -1;
	}
	if (k->irq_shadow) {
		/* One instruction of the handler runs before the next poll, so a
		 * stuck interrupt line cannot spin the host without retiring. */
		k->irq_shadow = 0;
		if (!c->s.halted)
			return -1;
	}
	/* An NMI waits while a previous NMI's handler runs (until its IRET). */
	if (c->nmi_pending && !c->nmi_blocked) {
		c->nmi_pending = 0;
		c->s.halted = 0;
		c->insn_eip = c->s.eip;
		c->insn_cs = c->s.seg[S_CS].sel;
		k->delivering = 1;
		cpu_deliver_external(c, EX_NMI, INTR_NMI);
		k->delivering = 0;
		k->irq_shadow = 1;
		k->attn = 1;
		return c->shutdown ? CPU_STOP_SHUTDOWN : -1;
	}
	if (c->intr_line && (c->s.eflags & FL_IF)) {
		int vec = c->intr_ack ? c->intr_ack(c->intr_ack_opaque) : -1;
		if (vec >= 0) {
			c->s.halted = 0;
			c->insn_eip = c->s.eip;
			c->insn_cs = c->s.seg[S_CS].sel;
			k->delivering = 1;
			cpu_deliver_external(c, vec & 0xFF, INTR_EXTERNAL);
			k->delivering = 0;
			k->irq_shadow = 1;
			k->attn = 1;
			return c->shutdown ? CPU_STOP_SHUTDOWN : -1;
		}
	}
	if (c->s.halted)
		return CPU_STOP_HLT;
	return -1;
}

/* Single-step trap after an instruction that began with TF set. */
static void single_step(struct cpu *c)
{
	struct core *k = core_of(c);
	c->s.dr[6] |= 0x4000;        /* DR6.BS */
	c->insn_eip = c->s.eip;
	k->delivering = 1;
	cpu_deliver(c, EX_DB, 0, 0);
	k->delivering = 0;
}

/* After each instruction: leave for `label` when the attention word is
 * set. On x86 one compare of memory with zero and a branch; GCC otherwise
 * loads the word into a register and tests it, one instruction more on the
 * hottest path (the word must be read from memory after every handler,
 * which may have set it). */
#if defined(__x86_64__) || defined(__i386__)
#define ATTN_TEST(k, label) \
	__asm__ goto("cmpl $0, %0\n\tjne %l1" : : "m"((k)->attn) : "cc" : label)
/* The same through c: the core is at a constant offset from it, so the
 * loop needs no register for k. */
#define ATTN_TEST_C(c, label) \
	__asm__ goto("cmpl $0, %0\n\tjne %l1" : :			\
		     "m"(*(const int *)((const char *)(c) +		\
			offsetof(struct cpu_with_core, core.attn))) : "cc" : label)
#else
#define ATTN_TEST(k, label) do {				\
		if (__builtin_expect((k)->attn, 0))		\
			goto label;				\
	} while (0)
#define ATTN_TEST_C(c, label) ATTN_TEST(core_of(c), label)
#endif

int chain_stamps_off;

/* Record that the block at `eip` (just fetched, b) followed prev, most
 * recent first (the two exits of a Jcc both stay), checked under `stamp`
 * (0: not checked). */
static void chain_link(const struct block *prev, uint32_t eip, const struct block *b,
		       uint64_t stamp)
{
	/* prev is an arena block or the straddle pseudo-block, both writable;
	 * the table hands out const pointers only so that no handler writes
	 * a block. */
	struct block *p = (struct block *)(uintptr_t)prev;
	if (p->link[0].eip != eip)
		p->link[1] = p->link[0];
	p->link[0].eip = eip;
	p->link[0].to = b;
	p->link[0].stamp = chain_stamps_off ? 0 : stamp;
}

/* Look at the chain context (struct core) now and set k->chain_stamp to
 * its stamp: the one it had when last seen among the few remembered, or a
 * new one. Called wherever the context may have changed since the last
 * look without a new stamp: at the top of the run loop after the block
 * lookup (the code page translation, mode, CPL or CS may have changed
 * there or while the attention word was set), and after a far_end block
 * (whose last instruction may have changed CS or the CPL). */
static void chain_context(struct cpu *c, struct core *k)
{
	const struct seg_cache *cs = &c->s.seg[S_CS];
	uint64_t page = k->fetch_lin_page | (uint64_t)k->fetch_phys << 32;
	uint64_t csw = cs->base | (uint64_t)cs->limit << 32;
	uint32_t modes = (uint32_t)k->fetch_mode | (uint32_t)k->fetch_cpl << 8 |
			 (uint32_t)c->cpl << 16;
	struct chain_ctx *x = &k->chain_seen[k->chain_cur];
	if (x->stamp == k->chain_stamp && x->page == page && x->cs == csw && x->modes == modes)
		return;
	for (unsigned j = 0; j < 4; j++) {
		x = &k->chain_seen[j];
		if (x->stamp && x->page == page && x->cs == csw && x->modes == modes) {
			k->chain_cur = j;
			k->chain_stamp = x->stamp;
			return;
		}
	}
	unsigned j = k->chain_next;
	k->chain_next = (j + 1) & 3;
	x = &k->chain_seen[j];
	x->page = page;
	x->cs = csw;
	x->modes = modes;
	x->stamp = k->chain_stamp = ++k->chain_stamps;
	k->chain_cur = j;
}

/* The full checks for following link l of the block b that just ended to
 * its successor at eip: those block_fetch() and the top of the run loop
 * make (the linear address in the translated code page, the block at the
 * physical address it maps to and decoded for the current code mode, the
 * translation's CPL, the CS limit). Taken when the link's stamp is not the
 * current one; a link that passes is stamped, unless b is far_end (the
 * next time the context may have changed under it). */
static __attribute__((noinline)) int chain_check(struct cpu *c, struct core *k,
						   const struct block *b, const struct block_link *l,
						   uint32_t eip)
{
	const struct seg_cache *cs = &c->s.seg[S_CS];
	const struct block *s = l->to;
	uint32_t lin = cs->base + eip;
	if ((lin >> PAGE_SHIFT) != k->fetch_lin_page ||
	    s->pa != (k->fetch_phys | (lin & (PAGE_SIZE - 1))) ||
	    s->mode != k->fetch_mode || c->cpl != k->fetch_cpl)
		return 0;
	uint32_t last = eip + s->len - 1u;
	if (last > cs->limit || last < eip)
		return 0;
	if (b->far_end) {
		/* CS may have another selector now (insn_cs), and the context
		 * another stamp. */
		c->insn_cs = cs->sel;
		chain_context(c, k);
	} else if (!chain_stamps_off) {
		((struct block_link *)(uintptr_t)l)->stamp = k->chain_stamp;
	}
	return 1;
}

/* The instruction loop proper, kept out of cpu_run() so that setjmp's
 * constraints on local variables do not slow it down. Returns a stop
 * reason; exceptions leave it by longjmp.
 *
 * It runs a decoded block's instructions back to back and goes back to the
 * top - instruction-boundary work, a new block lookup - at the end of the
 * block or as soon as the attention word is set (anything pending at a
 * boundary, TF, a change of the MMU generation, of the code mode or of
 * decoded bytes). Only a block's last instruction can set EIP other than
 * to the next instruction (block.c ends blocks after every such
 * instruction), so EIP is not tested inside a block. While the attention
 * word stays set, instructions run one at a time, exactly as the boundary
 * rules need.
 *
 * Chaining: when a block ends with the attention word clear, there is no
 * boundary work to do (attn is clear only while nothing is pending, the
 * INTR line is low and TF is clear) and the MMU generation has not moved
 * since the top last compared it (every change sets attn), so the code page
 * translation is current. The next block then comes from the ended block's
 * links (chain_link) instead of the table, with block_fetch()'s own tests:
 * the linear address in the translated page, the block at the physical
 * address it maps to, decoded for the current code mode (a block dropped
 * for SMC has mode 0), the CPL of the translation. The CS limit and the
 * budget are checked as at the top; any mismatch goes back to the top.
 *
 * Retirement is counted once per block: while a block runs, c->insns
 * holds the count before its first instruction (k->run_block, run_eip),
 * and whoever reads the count meanwhile (devices, the TSC, hooks, the
 * exception path) asks cpu_retired(), which adds the block's instructions
 * before the current one. The block's count is added when it ends, or
 * what of it ran when attention or an exception leaves it. The chained
 * blocks' budget check uses a local (left). */
static __attribute__((noinline)) enum cpu_stop run_loop(struct cpu *c, uint64_t end)
{
	struct core *k = core_of(c);
	const struct block *prev = NULL;   /* ended with attn clear: link its successor */
	uint64_t prev_flushes = 0;         /* block_flushes when prev ended */
	for (;;) {
		if (__builtin_expect(c->insns >= end, 0))
			return c->s.halted ? CPU_STOP_HLT : CPU_STOP_LIMIT;
		uint32_t tf = 0;
		if (__builtin_expect(k->attn, 0)) {
			prev = NULL;
			if (c->stop_requested | c->nmi_pending | c->s.halted | c->inhibit_irq |
			    k->irq_shadow | (c->intr_line && (c->s.eflags & FL_IF))) {
				int r = boundary(c);
				if (r >= 0)
					return (enum cpu_stop)r;
				if (c->insns >= end)
					continue;
			} else if (!c->intr_line && !(c->s.eflags & FL_TF) && !k->eip_exact) {
				/* Nothing pending, no line that IF could unmask,
				 * no single-stepping, nobody reading c->insn_eip
				 * directly: back to the one-test case. */
				k->attn = 0;
			}
			tf = c->s.eflags & FL_TF;
			/* Every change of the MMU generation sets the attention
			 * word (mmu_set_gen_notify), so this is the one place
			 * where the code page translation needs checking
			 * against it; block_fetch() compares the page alone. */
			if (k->fetch_gen != mmu_generation_fast(c->mmu))
				fetch_invalidate(k);
		}
		/* Fetch faults (#PF on the code page, #GP past the limit or for
		 * more than 15 bytes) belong to the instruction at CS:EIP. */
		const struct seg_cache *cs = &c->s.seg[S_CS];
		uint32_t eip = c->s.eip;
		c->insn_eip = eip;
		c->insn_cs = cs->sel;
		const struct block *b = block_fetch(c);
		chain_context(c, k);
		uint32_t last = eip + b->len - 1u;
		int in_limit = !(last > cs->limit || last < eip);
		/* Link only when the arena has not started over since prev ended
		 * (build() may have done so, and prev is gone with it); the
		 * straddle pseudo-block (mode 0) is never a successor. The link
		 * is checked (block_fetch() has just found b at lin under the
		 * current context) when the whole block lies within the CS limit
		 * and prev cannot have changed the context. */
		if (prev && prev_flushes == k->block_flushes && b->mode)
			chain_link(prev, eip, b,
				   in_limit && !prev->far_end ? k->chain_stamp : 0);
		uint64_t n = b->n;
		if (__builtin_expect(!in_limit || k->attn, 0)) {
			/* The block runs past the CS limit (only its first
			 * instruction is known to be fetched), or attention is
			 * needed after every instruction: one instruction. */
			uint32_t l1 = eip + b->i[0].len - 1u;
			if (l1 > cs->limit || l1 < eip)
				cpu_raise(c, EX_GP, 1, 0);
			n = 1;
		}
		if (n > end - c->insns)
			n = end - c->insns;
		/* What is left of the budget once this block has run, for the
		 * chained blocks after it (a local, so that the loop does not
		 * read c->insns back after every instruction). */
		uint64_t left = end - c->insns - n;
		/* EIP and insn_eip of the last instruction to run; the ones
		 * before it do not read them (only a block's last instruction
		 * uses EIP: jumps, calls, REP restarts, traps), and whoever asks
		 * in between gets them from run_cur (cpu_insn_eip()). */
		const struct insn *lastin = &b->i[n - 1];
		c->insn_eip = eip + lastin->off;
		c->s.eip = eip + lastin->off + lastin->len;
		k->run_block = b;
		k->run_eip = eip;
		/* The block's instructions in a fully unrolled run of
		 * BLOCK_MAX_INSNS slots, entered at slot 32 - n: no loop test or
		 * pointer step at all, and each instruction at a constant offset
		 * from q, the address of slot 0 (as an integer: it lies before
		 * the array, of which only the n slots from b->i on are read).
		 * Attention is tested first after each instruction, so after a
		 * block's last one it decides between chaining and the top. A
		 * whole block's q comes precomputed (block_entry); here n may be
		 * cut short. The entry is a computed goto by n (a load and a
		 * jump). */
		uintptr_t q = (uintptr_t)b->i - (BLOCK_MAX_INSNS - n) * sizeof(struct insn);
		_Static_assert(BLOCK_MAX_INSNS == 32, "one slot per instruction of a block");
		static void *const entry[BLOCK_MAX_INSNS + 1] = {
			&&slot31, &&slot31, &&slot30, &&slot29, &&slot28, &&slot27, &&slot26,
			&&slot25, &&slot24, &&slot23, &&slot22, &&slot21, &&slot20, &&slot19,
			&&slot18, &&slot17, &&slot16, &&slot15, &&slot14, &&slot13, &&slot12,
			&&slot11, &&slot10, &&slot9, &&slot8, &&slot7, &&slot6, &&slot5,
			&&slot4, &&slot3, &&slot2, &&slot1, &&slot0 };
		for (;;) {
#define RUN_SLOT(slot) do {						\
				const struct insn *in = (const struct insn *)	\
					(q + (slot) * sizeof(struct insn));	\
				k->run_cur = in;				\
				in->fn(c, in);					\
				ATTN_TEST_C(c, attention);			\
			} while (0)
			goto *entry[n];
slot0:			RUN_SLOT(0);
slot1:			RUN_SLOT(1);
slot2:			RUN_SLOT(2);
slot3:			RUN_SLOT(3);
slot4:			RUN_SLOT(4);
slot5:			RUN_SLOT(5);
slot6:			RUN_SLOT(6);
slot7:			RUN_SLOT(7);
slot8:			RUN_SLOT(8);
slot9:			RUN_SLOT(9);
slot10:			RUN_SLOT(10);
slot11:			RUN_SLOT(11);
slot12:			RUN_SLOT(12);
slot13:			RUN_SLOT(13);
slot14:			RUN_SLOT(14);
slot15:			RUN_SLOT(15);
slot16:			RUN_SLOT(16);
slot17:			RUN_SLOT(17);
slot18:			RUN_SLOT(18);
slot19:			RUN_SLOT(19);
slot20:			RUN_SLOT(20);
slot21:			RUN_SLOT(21);
slot22:			RUN_SLOT(22);
slot23:			RUN_SLOT(23);
slot24:			RUN_SLOT(24);
slot25:			RUN_SLOT(25);
slot26:			RUN_SLOT(26);
slot27:			RUN_SLOT(27);
slot28:			RUN_SLOT(28);
slot29:			RUN_SLOT(29);
slot30:			RUN_SLOT(30);
slot31:			RUN_SLOT(31);
#undef RUN_SLOT
			/* The block ran to its end (or to the budget, or its
			 * one instruction before the CS limit) with attention
			 * clear: follow a link if one still holds. */
			c->insns += n;
			eip = c->s.eip;
			const struct block_link *l = &b->link[0];
			if (l->eip != eip && (++l)->eip != eip)
				break;
			/* A link stamped with the current context's stamp passed
			 * the full checks under this very context, and the
			 * successor is still alive (block deaths change the
			 * stamps): only the budget is left to check. CS is the
			 * same as at the last look (insn_cs holds its selector). */
			if (__builtin_expect(l->stamp != k->chain_stamp, 0) &&
			    !chain_check(c, k, b, l, eip))
				break;
			const struct block *s = l->to;
			if (s->n > left)
				break;
			left -= s->n;
			b = s;
			k->run_block = b;
			k->run_eip = eip;
			c->insn_eip = eip + b->last_off;
			c->s.eip = eip + b->len;
			n = b->n;
			q = b->q0;
		}
		k->run_block = NULL;
		prev = b;
		prev_flushes = k->block_flushes;
		continue;
attention:
		/* The instruction at run_cur retired. EIP and insn_eip are
		 * already its own when it was the last to run; an earlier one
		 * gets them here. */
		if (k->run_cur != &b->i[n - 1]) {
			c->insn_eip = k->run_eip + k->run_cur->off;
			c->s.eip = c->insn_eip + k->run_cur->len;
		}
		retire_block_so_far(c, k, 1);
		/* TF at the start of the instruction kept attn set (so it ran
		 * alone), and MOV SS / POP SS set it with no_db_trap: one test
		 * covers both. */
		if (tf | k->no_db_trap) {
			if (tf && !k->no_db_trap)
				single_step(c);
			k->no_db_trap = 0;
		}
	}
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t max_insns)
{
	struct core *k = core_of(c);
	const uint64_t end = c->insns + max_insns;
	enum cpu_stop r;

	if (c->shutdown)
		return CPU_STOP_SHUTDOWN;
	k->in_run = 1;
	k->attn = 1;   /* state may have been changed from outside since the last run */
	if (setjmp(c->jmp)) {
		/* An exception from an instruction, or from a delivery. The
		 * system half applies the double-fault rules across nested
		 * raises; c->exc_depth is reset once a delivery completes. */
		cpu_deliver(c, k->exc_vec, k->exc_has_err, k->exc_err);
		if (!k->delivering)
			c->insns++;          /* the faulting instruction retires */
		k->delivering = 0;
		c->exc_depth = 0;
		c->first_exc = -1;
		k->attn = 1;
		if (c->shutdown) {
			k->in_run = 0;
			return CPU_STOP_SHUTDOWN;
		}
	}
	r = run_loop(c, end);
	k->in_run = 0;
	return r;
}
