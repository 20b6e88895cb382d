/* trace_mm.h - `--trace-mm FILE`: mm channel events as JSON lines.
 *
 * One object per line, keys in a fixed order, only the fields that the
 * event type uses (see docs/mm-channel.md), e.g.
 *   {"icount":123456,"seq":7,"type":"page_alloc","pfn":4096,"order":2,
 *    "count":4,"zone":"Normal","owner":"slab"}
 * The instruction count comes from the caller (the machine's retired
 * instruction counter), so a headless run writes the same file every time.
 */
#ifndef EMU_TRACE_MM_H
#define EMU_TRACE_MM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <mmulab/mm_channel.h>

struct trace_mm;

/* Open `path` for writing ("-" means stdout). NULL on error (errno set). */
struct trace_mm *trace_mm_open(const char *path);
/* Write to an already open stream, which trace_mm_close() will not close. */
struct trace_mm *trace_mm_from_stream(FILE *f);
/* Append one event. Returns 0, or -1 on a write error. */
int trace_mm_write(struct trace_mm *t, uint64_t icount, const struct mmchan_event *ev);
/* Flush and close (the file, unless it came from trace_mm_from_stream).
 * Returns 0, or -1 if any write failed. NULL is accepted. */
int trace_mm_close(struct trace_mm *t);

/* Format one event as a JSON object without the newline into buf (always
 * NUL-terminated when size > 0). Returns the length the full line needs,
 * like snprintf. */
int trace_mm_format(char *buf, size_t size, uint64_t icount, const struct mmchan_event *ev);

#endif
