/* test_trace_mm.c - the --trace-mm JSON-lines writer: exact lines per event
 * type (the format docs/mm-channel.md specifies), string escaping of
 * guest-controlled names, and the file life cycle. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmchan.h"
#include "trace_mm.h"

static struct mmchan_event ev(uint16_t type)
{
	struct mmchan_event e;
	memset(&e, 0, sizeof(e));
	e.type = type;
	e.length = MMCHAN_EVENT_SIZE;
	e.seq = 7;
	return e;
}

static void expect_line(uint64_t icount, const struct mmchan_event *e, const char *want)
{
	char buf[512];
	int n = trace_mm_format(buf, sizeof(buf), icount, e);
	cr_expect_str_eq(buf, want);
	cr_expect_eq(n, (int)strlen(want));
}

Test(trace_mm, page_alloc_line)
{
	struct mmchan_event e = ev(MMEV_PAGE_ALLOC);
	e.pfn = 4096;
	e.order = 2;
	e.count = 4;
	e.zone = MMZONE_NORMAL;
	e.owner = MMOWN_SLAB;
	expect_line(123456, &e,
		    "{\"icount\":123456,\"seq\":7,\"type\":\"page_alloc\",\"pfn\":4096,\"order\":2,"
		    "\"count\":4,\"zone\":\"Normal\",\"owner\":\"slab\"}");
	e.owner = MMOWN_USER;
	e.pid = 42;
	expect_line(1, &e,
		    "{\"icount\":1,\"seq\":7,\"type\":\"page_alloc\",\"pfn\":4096,\"order\":2,"
		    "\"count\":4,\"zone\":\"Normal\",\"owner\":\"user\",\"pid\":42}");
}

Test(trace_mm, page_free_and_reserve_lines)
{
	struct mmchan_event e = ev(MMEV_PAGE_FREE);
	e.pfn = 1;
	e.count = 1;
	e.zone = MMZONE_DMA;
	e.owner = MMOWN_KERNEL;	/* not part of a page_free line */
	expect_line(0, &e,
		    "{\"icount\":0,\"seq\":7,\"type\":\"page_free\",\"pfn\":1,\"order\":0,\"count\":1,"
		    "\"zone\":\"DMA\"}");
	e = ev(MMEV_RESERVE);
	e.pfn = 256;
	e.count = 768;
	e.owner = MMOWN_KERNEL_IMAGE;
	e.zone = MMZONE_NONE;
	expect_line(18446744073709551615ull, &e,
		    "{\"icount\":18446744073709551615,\"seq\":7,\"type\":\"reserve\",\"pfn\":256,"
		    "\"count\":768,\"owner\":\"kernel_image\"}");
}

Test(trace_mm, slab_lines)
{
	struct mmchan_event e = ev(MMEV_CACHE_CREATE);
	e.cache = 0xC0123400;
	e.count = 192;
	e.order = 0;
	strcpy(e.name, "size-192");
	expect_line(5, &e,
		    "{\"icount\":5,\"seq\":7,\"type\":\"cache_create\",\"order\":0,\"count\":192,"
		    "\"cache\":\"0xc0123400\",\"name\":\"size-192\"}");
	e = ev(MMEV_SLAB_GROW);
	e.cache = 0xC0123400;
	e.pfn = 0x1234;
	e.order = 1;
	e.count = 20;
	e.zone = MMZONE_NORMAL;
	e.addr = 0xC1234000;
	strcpy(e.name, "size-192");
	expect_line(6, &e,
		    "{\"icount\":6,\"seq\":7,\"type\":\"slab_grow\",\"pfn\":4660,\"order\":1,"
		    "\"count\":20,\"zone\":\"Normal\",\"cache\":\"0xc0123400\","
		    "\"addr\":\"0xc1234000\",\"name\":\"size-192\"}");
	e = ev(MMEV_OBJ_FREE);
	e.cache = 0xC0123400;
	e.addr = 0xC1234040;
	e.count = 192;
	expect_line(7, &e,
		    "{\"icount\":7,\"seq\":7,\"type\":\"obj_free\",\"count\":192,"
		    "\"cache\":\"0xc0123400\",\"addr\":\"0xc1234040\"}");
}

Test(trace_mm, vmalloc_and_kmap_lines)
{
	struct mmchan_event e = ev(MMEV_VMALLOC);
	e.addr = 0xC8800000;
	e.count = 4;
	expect_line(9, &e,
		    "{\"icount\":9,\"seq\":7,\"type\":\"vmalloc\",\"count\":4,\"addr\":\"0xc8800000\"}");
	e = ev(MMEV_KMAP);
	e.pfn = 0x38000;
	e.addr = 0xFF801000;
	expect_line(10, &e,
		    "{\"icount\":10,\"seq\":7,\"type\":\"kmap\",\"pfn\":229376,\"addr\":\"0xff801000\"}");
}

Test(trace_mm, vma_lines)
{
	struct mmchan_event e = ev(MMEV_VMA_ADD);
	e.pid = 1;
	e.addr = 0x08048000;
	e.count = 0x08049000;
	e.cache = 0x5;
	expect_line(10, &e,
		    "{\"icount\":10,\"seq\":7,\"type\":\"vma_add\",\"pid\":1,\"start\":\"0x08048000\","
		    "\"end\":\"0x08049000\",\"flags\":\"0x5\"}");
	e.type = MMEV_VMA_CHANGE;
	memcpy(e.name, "[heap]", 6);
	expect_line(11, &e,
		    "{\"icount\":11,\"seq\":7,\"type\":\"vma_change\",\"pid\":1,\"start\":\"0x08048000\","
		    "\"end\":\"0x08049000\",\"flags\":\"0x5\",\"name\":\"[heap]\"}");
	e.type = MMEV_VMA_REMOVE;
	expect_line(12, &e,
		    "{\"icount\":12,\"seq\":7,\"type\":\"vma_remove\",\"pid\":1,\"start\":\"0x08048000\","
		    "\"end\":\"0x08049000\",\"flags\":\"0x5\",\"name\":\"[heap]\"}");
}

Test(trace_mm, fault_lines)
{
	struct mmchan_event e = ev(MMEV_FAULT);
	e.pid = 2;
	e.addr = 0x0804c010;
	e.cache = 0x08048123;
	e.count = 6;
	e.order = MMFAULT_DEMAND_ZERO;
	expect_line(5, &e,
		    "{\"icount\":5,\"seq\":7,\"type\":\"fault\",\"pid\":2,\"address\":\"0x0804c010\","
		    "\"eip\":\"0x08048123\",\"error\":6,\"outcome\":\"demand_zero\"}");
	e.order = MMFAULT_COW;
	e.count = 7;
	expect_line(5, &e,
		    "{\"icount\":5,\"seq\":7,\"type\":\"fault\",\"pid\":2,\"address\":\"0x0804c010\","
		    "\"eip\":\"0x08048123\",\"error\":7,\"outcome\":\"cow\"}");
	e.order = MMFAULT_STACK_GROWTH;
	expect_line(5, &e,
		    "{\"icount\":5,\"seq\":7,\"type\":\"fault\",\"pid\":2,\"address\":\"0x0804c010\","
		    "\"eip\":\"0x08048123\",\"error\":7,\"outcome\":\"stack_growth\"}");
	e.order = MMFAULT_SIGSEGV;
	e.addr = 0;
	e.count = 4;
	expect_line(5, &e,
		    "{\"icount\":5,\"seq\":7,\"type\":\"fault\",\"pid\":2,\"address\":\"0x00000000\","
		    "\"eip\":\"0x08048123\",\"error\":4,\"outcome\":\"sigsegv\"}");
	e.order = 200;
	expect_line(5, &e,
		    "{\"icount\":5,\"seq\":7,\"type\":\"fault\",\"pid\":2,\"address\":\"0x00000000\","
		    "\"eip\":\"0x08048123\",\"error\":4,\"outcome\":\"unknown\"}");
}

Test(trace_mm, fork_exit_oom_lines)
{
	struct mmchan_event e = ev(MMEV_FORK);
	e.pid = 3;
	e.count = 1;
	memcpy(e.name, "sh", 2);
	expect_line(1, &e,
		    "{\"icount\":1,\"seq\":7,\"type\":\"fork\",\"parent\":1,\"pid\":3,\"name\":\"sh\"}");
	e = ev(MMEV_EXIT);
	e.pid = 3;
	e.count = 0x100;
	expect_line(2, &e, "{\"icount\":2,\"seq\":7,\"type\":\"exit\",\"pid\":3,\"status\":256}");
	e = ev(MMEV_OOM_KILL);
	e.pid = 4;
	e.count = 1234;
	memcpy(e.name, "hog\"", 4);
	expect_line(3, &e,
		    "{\"icount\":3,\"seq\":7,\"type\":\"oom_kill\",\"pid\":4,\"name\":\"hog\\\"\","
		    "\"rss\":1234}");
}

Test(trace_mm, guest_names_are_escaped)
{
	struct mmchan_event e = ev(MMEV_CACHE_DESTROY);
	e.cache = 1;
	memcpy(e.name, "a\"b\\c\nd\x7f\xff", 10);
	expect_line(1, &e,
		    "{\"icount\":1,\"seq\":7,\"type\":\"cache_destroy\",\"cache\":\"0x00000001\","
		    "\"name\":\"a\\\"b\\\\c\\u000ad\\u007f\\u00ff\"}");
	/* a full 16-byte name without NUL stops at the field's end */
	memset(e.name, 'z', sizeof(e.name));
	char buf[512];
	trace_mm_format(buf, sizeof(buf), 1, &e);
	cr_expect(strstr(buf, "\"name\":\"zzzzzzzzzzzzzzzz\"}"), "%s", buf);
}

Test(trace_mm, truncation_reports_full_length)
{
	struct mmchan_event e = ev(MMEV_VFREE);
	e.addr = 0xC8800000;
	e.count = 4;
	char small[16];
	int n = trace_mm_format(small, sizeof(small), 9, &e);
	cr_expect_eq(n, (int)strlen("{\"icount\":9,\"seq\":7,\"type\":\"vfree\",\"count\":4,\"addr\":\"0xc8800000\"}"));
	cr_expect_eq(strlen(small), 15);
	cr_expect_eq(strncmp(small, "{\"icount\":9,\"se", 15), 0);
}

Test(trace_mm, file_gets_one_line_per_event)
{
	char path[] = "/tmp/trace-mm-test-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	struct trace_mm *t = trace_mm_open(path);
	cr_assert(t);
	struct mmchan_event e = ev(MMEV_VMALLOC);
	e.count = 1;
	e.addr = 0xC8800000;
	cr_expect_eq(trace_mm_write(t, 100, &e), 0);
	e.seq = 8;
	e.type = MMEV_VFREE;
	cr_expect_eq(trace_mm_write(t, 200, &e), 0);
	cr_expect_eq(trace_mm_close(t), 0);

	FILE *f = fopen(path, "r");
	cr_assert(f);
	char line[256];
	cr_assert(fgets(line, sizeof(line), f));
	cr_expect_str_eq(line, "{\"icount\":100,\"seq\":7,\"type\":\"vmalloc\",\"count\":1,\"addr\":\"0xc8800000\"}\n");
	cr_assert(fgets(line, sizeof(line), f));
	cr_expect_str_eq(line, "{\"icount\":200,\"seq\":8,\"type\":\"vfree\",\"count\":1,\"addr\":\"0xc8800000\"}\n");
	cr_expect_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
}

Test(trace_mm, open_failure_and_null_close)
{
	cr_expect_null(trace_mm_open("/nonexistent-dir/trace.jsonl"));
	cr_expect_eq(trace_mm_close(NULL), 0);
}

/* Whatever bytes a guest writes, a record either fails validation or
 * becomes one line of printable ASCII JSON that fits the writer's buffer. */
Test(trace_mm, random_records_decode_or_reject_safely)
{
	uint32_t x = 0x9E3779B9u;
	int accepted = 0;
	for (int i = 0; i < 200000; i++) {
		uint8_t raw[MMCHAN_EVENT_SIZE];
		for (unsigned j = 0; j < sizeof(raw); j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			raw[j] = (uint8_t)x;
		}
		/* make about half of them plausible so both paths run */
		if (i & 1) {
			raw[0] = (uint8_t)(1 + raw[0] % (MMEV_TYPE_MAX - 1));
			raw[1] = 0;
			raw[2] = 48;
			raw[3] = 0;
			raw[16] %= 11;
			raw[17] = raw[17] % 4 == 3 ? 0xFF : raw[17] % 3;
			raw[18] %= MMOWN_MAX;
		}
		struct mmchan_event e;
		if (mmchan_decode(raw, sizeof(raw), &e) != 0)
			continue;
		accepted++;
		char buf[512];
		int n = trace_mm_format(buf, sizeof(buf), (uint64_t)i * 977, &e);
		cr_assert(n > 0 && n < (int)sizeof(buf), "line of %d bytes", n);
		cr_assert_eq(buf[n - 1], '}');
		for (int k = 0; k < n; k++)
			cr_assert(buf[k] >= 0x20 && buf[k] < 0x7f, "byte %02x in %s", (unsigned char)buf[k], buf);
	}
	cr_expect(accepted >= 90000, "%d plausible records accepted", accepted);
}
