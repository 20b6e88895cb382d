/* log.c - the -d/-D event log. */
#include <stdarg.h>
#include <stdio.h>
#include "log.h"

uint32_t log_mask;
static FILE *log_fp;

const struct log_cat_name log_cat_names[] = {
	{ "post",         LOG_POST,        "POST codes written to ports 0x80 and 0x190" },
	{ "unimp",        LOG_UNIMP,       "accesses to unclaimed ports and unbacked memory" },
	{ "int",          LOG_INT,         "interrupts and exceptions as they are delivered" },
	{ "cpu_reset",    LOG_CPU_RESET,   "CPU resets (power-on, triple fault, keyboard controller)" },
	{ "guest_errors", LOG_GUEST_ERR,   "guest misuse of devices (bad commands, bad modes)" },
	{ "stale-tlb",    LOG_STALE_TLB,   "TLB hits that no longer match the page tables" },
	{ NULL, 0, NULL },
};

int log_open(const char *path)
{
	log_close();
	if (!path)
		return 0;
	log_fp = fopen(path, "w");
	return log_fp ? 0 : -1;
}

void log_close(void)
{
	if (log_fp)
		fclose(log_fp);
	log_fp = NULL;
}

void log_line(const char *fmt, ...)
{
	FILE *f = log_fp ? log_fp : stderr;
	char line[512];
	va_list ap;

	/* Format first, then write the line in one call so that lines from
	 * different sources never interleave mid-line. */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(f, "%s\n", line);
	fflush(f);
}
