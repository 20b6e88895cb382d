/* log.h - the -d/-D event log: one line per event, to stderr or the -D file.
 *
 * Each category is a bit in a global mask so that a disabled category costs
 * one test at the call site (log_on()).
 */
#ifndef EMU_LOG_H
#define EMU_LOG_H

#include <stdint.h>

enum log_cat {
	LOG_POST        = 1u << 0,  /* POST codes on ports 0x80 and 0x190 */
	LOG_UNIMP       = 1u << 1,  /* unclaimed ports, writes to unbacked memory */
	LOG_INT         = 1u << 2,  /* interrupts and exceptions delivered */
	LOG_CPU_RESET   = 1u << 3,  /* CPU resets (power-on, triple fault, 0xFE) */
	LOG_GUEST_ERR   = 1u << 4,  /* guest programming errors seen by devices */
	LOG_STALE_TLB   = 1u << 5,  /* TLB hits that disagree with the page tables */
};

struct log_cat_name {
	const char *name;
	uint32_t bit;
	const char *help;
};
/* Table of the categories, ended by a NULL name (for -d parsing and -d help). */
extern const struct log_cat_name log_cat_names[];

extern uint32_t log_mask;

static inline int log_on(uint32_t cat) { return (log_mask & cat) != 0; }

/* Open the -D file (NULL: stderr). Returns 0 or -1 (errno set). */
int log_open(const char *path);
void log_close(void);
/* Write one line (a newline is appended). */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
