/* vclock.h - virtual time.
 *
 * Time in the machine is virtual: VCLOCK_NS_PER_INSN nanoseconds per retired
 * instruction, plus the time skipped while the CPU sits in HLT waiting for
 * the next timer deadline. Nothing derives from the host clock, so a
 * headless run is reproducible bit for bit. Devices read the clock through
 * this small interface (the machine provides it; unit tests use a variable).
 */
#ifndef EMU_VCLOCK_H
#define EMU_VCLOCK_H

#include <stdint.h>

#define VCLOCK_NS_PER_INSN 1u
#define VCLOCK_NEVER UINT64_MAX

struct vclock {
	uint64_t (*now)(void *opaque);  /* nanoseconds since power-on */
	void *opaque;
};

static inline uint64_t vclock_now(const struct vclock *c)
{
	return c->now(c->opaque);
}

#endif
