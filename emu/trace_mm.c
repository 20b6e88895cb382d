/* trace_mm.c - the --trace-mm JSON-lines writer. */
#include "trace_mm.h"
#include "mmchan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct trace_mm {
	FILE *f;
	int owns;
	int error;
};

/* Which fields each event type carries (mm_channel.h's comments). */
enum {
	F_PFN = 1 << 0,
	F_ORDER = 1 << 1,
	F_COUNT = 1 << 2,
	F_ZONE = 1 << 3,
	F_OWNER = 1 << 4,
	F_CACHE = 1 << 5,
	F_ADDR = 1 << 6,
	F_NAME = 1 << 7,
	F_PID = 1 << 8,
};

static unsigned fields_of(unsigned type)
{
	switch (type) {
	case MMEV_PAGE_ALLOC: return F_PFN | F_ORDER | F_COUNT | F_ZONE | F_OWNER | F_PID;
	case MMEV_PAGE_FREE: return F_PFN | F_ORDER | F_COUNT | F_ZONE;
	case MMEV_RESERVE: return F_PFN | F_COUNT | F_OWNER;
	case MMEV_CACHE_CREATE: return F_CACHE | F_COUNT | F_ORDER | F_NAME;
	case MMEV_CACHE_DESTROY: return F_CACHE | F_NAME;
	case MMEV_SLAB_GROW:
	case MMEV_SLAB_SHRINK: return F_CACHE | F_PFN | F_ORDER | F_COUNT | F_ZONE | F_ADDR | F_NAME;
	case MMEV_OBJ_ALLOC: return F_CACHE | F_ADDR | F_COUNT;
	case MMEV_OBJ_FREE: return F_CACHE | F_ADDR | F_COUNT;
	case MMEV_VMALLOC:
	case MMEV_VFREE: return F_ADDR | F_COUNT;
	case MMEV_KMAP:
	case MMEV_KUNMAP: return F_PFN | F_ADDR;
	default: return F_PFN | F_ORDER | F_COUNT | F_ZONE | F_OWNER | F_CACHE | F_ADDR | F_NAME | F_PID;
	}
}

struct out {
	char *buf;
	size_t size, len;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->size ? o->size - o->len : 0;
	int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* A JSON string from guest bytes: quotes, backslashes, control characters
 * and bytes >= 0x80 are escaped, so any name yields valid ASCII JSON. */
static void emit_string(struct out *o, const char *s, size_t max)
{
	emit(o, "\"");
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			emit(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			emit(o, "\\u%04x", c);
		else
			emit(o, "%c", c);
	}
	emit(o, "\"");
}

/* The process half's events carry their own field names. */
static int format_proc(struct out *o, const struct mmchan_event *ev)
{
	switch (ev->type) {
	case MMEV_VMA_ADD:
	case MMEV_VMA_REMOVE:
	case MMEV_VMA_CHANGE:
		emit(o, ",\"pid\":%u,\"start\":\"0x%08x\",\"end\":\"0x%08x\",\"flags\":\"0x%x\"",
		     (unsigned)ev->pid, (unsigned)ev->addr, (unsigned)ev->count, (unsigned)ev->cache);
		if (ev->name[0]) {
			emit(o, ",\"name\":");
			emit_string(o, ev->name, MMCHAN_NAME_LEN);
		}
		return 1;
	case MMEV_FAULT:
		emit(o, ",\"pid\":%u,\"address\":\"0x%08x\",\"eip\":\"0x%08x\",\"error\":%u,"
		     "\"outcome\":\"%s\"", (unsigned)ev->pid, (unsigned)ev->addr, (unsigned)ev->cache,
		     (unsigned)ev->count, mmchan_fault_name(ev->order));
		return 1;
	case MMEV_FORK:
		emit(o, ",\"parent\":%u,\"pid\":%u,\"name\":", (unsigned)ev->count, (unsigned)ev->pid);
		emit_string(o, ev->name, MMCHAN_NAME_LEN);
		return 1;
	case MMEV_EXIT:
		emit(o, ",\"pid\":%u,\"status\":%u", (unsigned)ev->pid, (unsigned)ev->count);
		return 1;
	case MMEV_OOM_KILL:
		emit(o, ",\"pid\":%u,\"name\":", (unsigned)ev->pid);
		emit_string(o, ev->name, MMCHAN_NAME_LEN);
		emit(o, ",\"rss\":%u", (unsigned)ev->count);
		return 1;
	default:
		return 0;
	}
}

int trace_mm_format(char *buf, size_t size, uint64_t icount, const struct mmchan_event *ev)
{
	struct out o = { buf, size, 0 };
	if (size)
		buf[0] = 0;
	emit(&o, "{\"icount\":%llu,\"seq\":%u,\"type\":\"%s\"", (unsigned long long)icount,
	     (unsigned)ev->seq, mmchan_type_name(ev->type));
	if (format_proc(&o, ev)) {
		emit(&o, "}");
		return (int)o.len;
	}
	unsigned f = fields_of(ev->type);
	if (f & F_PFN)
		emit(&o, ",\"pfn\":%u", (unsigned)ev->pfn);
	if (f & F_ORDER)
		emit(&o, ",\"order\":%u", (unsigned)ev->order);
	if (f & F_COUNT)
		emit(&o, ",\"count\":%u", (unsigned)ev->count);
	if (f & F_ZONE)
		emit(&o, ",\"zone\":\"%s\"", mmchan_zone_name(ev->zone));
	if (f & F_OWNER)
		emit(&o, ",\"owner\":\"%s\"", mmchan_owner_name(ev->owner));
	if ((f & F_PID) && ev->pid)
		emit(&o, ",\"pid\":%u", (unsigned)ev->pid);
	if (f & F_CACHE)
		emit(&o, ",\"cache\":\"0x%08x\"", (unsigned)ev->cache);
	if (f & F_ADDR)
		emit(&o, ",\"addr\":\"0x%08x\"", (unsigned)ev->addr);
	if (f & F_NAME) {
		emit(&o, ",\"name\":");
		emit_string(&o, ev->name, MMCHAN_NAME_LEN);
	}
	emit(&o, "}");
	return (int)o.len;
}

struct trace_mm *trace_mm_from_stream(FILE *f)
{
	struct trace_mm *t = calloc(1, sizeof(*t));
	if (t)
		t->f = f;
	return t;
}

struct trace_mm *trace_mm_open(const char *path)
{
	if (strcmp(path, "-") == 0)
		return trace_mm_from_stream(stdout);
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	struct trace_mm *t = trace_mm_from_stream(f);
	if (!t) {
		int e = errno;
		fclose(f);
		errno = e;
		return NULL;
	}
	t->owns = 1;
	return t;
}

int trace_mm_write(struct trace_mm *t, uint64_t icount, const struct mmchan_event *ev)
{
	char line[512];
	int n = trace_mm_format(line, sizeof(line), icount, ev);
	if (n < 0 || (size_t)n >= sizeof(line) || fprintf(t->f, "%s\n", line) < 0) {
		t->error = 1;
		return -1;
	}
	return 0;
}

int trace_mm_close(struct trace_mm *t)
{
	if (!t)
		return 0;
	int rc = t->error ? -1 : 0;
	if (fflush(t->f) != 0)
		rc = -1;
	if (t->owns && fclose(t->f) != 0)
		rc = -1;
	free(t);
	return rc;
}
