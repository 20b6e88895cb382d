/* monitor.h - a small QEMU-style monitor on stdio (-monitor stdio):
 * c, stop, q, info registers, info tlb, xp /Nf ADDR, help. */
#ifndef EMU_MONITOR_H
#define EMU_MONITOR_H

#include <stdio.h>

struct machine;

enum mon_action { MON_NONE, MON_CONT, MON_STOP, MON_QUIT };

/* Execute one command line, writing its output to out. */
enum mon_action monitor_command(struct machine *m, const char *line, FILE *out);

#endif
