// SPDX-License-Identifier: GPL-2.0 OR MIT
/* tracefs decoding: header_page, format IDs, synthetic ring-buffer pages, stats, cpumask. */
#include <criterion/criterion.h>
#include <string.h>

#include "trace_parse.h"

/* As this project's host (6.18) and Debian's 6.1/6.12 print it. */
static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static const char kvm_entry_format[] =
	"name: kvm_entry\n"
	"ID: 115\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n";

/* kvm_exit's exit_reason is the one field read: u32 at offset 8. */
static const struct trace_ev ids[BD_EV_COUNT] = {
	[BD_EV_ENTRY]	= { .id = 115, .info_off = -1 },
	[BD_EV_EXIT]	= { .id = 103, .info_off = 8, .info_size = 4 },
	[BD_EV_KIND]	= { .id = 110, .info_off = -1 },
	[BD_EV_UEXIT]	= { .id = 42, .info_off = -1 },
};

static struct trace_layout layout(void)
{
	struct trace_layout lay;

	cr_assert_eq(trace_parse_header_page(header_page, &lay), 0);
	return lay;
}

Test(probe_trace, the_page_header_layout_comes_from_header_page)
{
	struct trace_layout lay = layout();

	cr_assert_eq(lay.commit_off, 8);
	cr_assert_eq(lay.commit_size, 8);
	cr_assert_eq(lay.data_off, 16);
	cr_assert_eq(lay.subbuf_size, 4096);
}

Test(probe_trace, a_field_is_found_by_name_in_the_format_file)
{
	static const char kvm_exit_format[] =
		"name: kvm_exit\nID: 103\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:unsigned int exit_reason;\toffset:8;\tsize:4;\tsigned:0;\n"
		"\tfield:unsigned long guest_rip;\toffset:16;\tsize:8;\tsigned:0;\n";
	size_t off = 0, size = 0;

	cr_assert_eq(trace_parse_field(kvm_exit_format, "exit_reason", &off, &size), 0);
	cr_assert_eq(off, 8);
	cr_assert_eq(size, 4);
	cr_assert_eq(trace_parse_field(kvm_exit_format, "guest_rip", &off, &size), 0);
	cr_assert_eq(off, 16);
	cr_assert_eq(trace_parse_field(kvm_exit_format, "reason", &off, &size), -1);
}

Test(probe_trace, a_header_page_without_commit_is_refused)
{
	struct trace_layout lay;

	static const char no_commit[] = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\n"
					"\tfield: char data;\toffset:16;\tsize:4080;\n";

	cr_assert_eq(trace_parse_header_page(no_commit, &lay), -1);
}

Test(probe_trace, the_event_id_is_read_from_the_format_file)
{
	int id = -1;

	cr_assert_eq(trace_parse_event_id(kvm_entry_format, &id), 0);
	cr_assert_eq(id, 115);
	cr_assert_eq(trace_parse_event_id("ID: 42\n", &id), 0);
	cr_assert_eq(id, 42);
	cr_assert_eq(trace_parse_event_id("name: x\nformat:\n", &id), -1);
}

/* A page being built: header, then events as the kernel writes them. */
struct page {
	uint8_t b[4096];
	size_t len;	/* bytes of events so far */
};

static void start(struct page *pg, uint64_t ts)
{
	memset(pg, 0, sizeof(*pg));
	memcpy(pg->b, &ts, 8);
}

static void put32(struct page *pg, uint32_t v)
{
	memcpy(pg->b + 16 + pg->len, &v, 4);
	pg->len += 4;
}

/* A data event of @words 4-byte words whose common_type is @id, @field at offset 8. */
static void event_with(struct page *pg, uint32_t delta, uint16_t id, unsigned int words,
		       uint32_t field)
{
	uint8_t *data;

	put32(pg, delta << 5 | words);
	data = pg->b + 16 + pg->len;
	memcpy(data, &id, 2);
	memcpy(data + 8, &field, 4);
	pg->len += 4 * words;
}

static void event(struct page *pg, uint32_t delta, uint16_t id, unsigned int words)
{
	event_with(pg, delta, id, words, 0);
}

/* The same with the length in array[0] (type_len 0: long events). */
static void long_event(struct page *pg, uint32_t delta, uint16_t id, uint32_t bytes)
{
	put32(pg, delta << 5);
	put32(pg, bytes + 4);
	memcpy(pg->b + 16 + pg->len, &id, 2);
	pg->len += bytes;
}

static void extend(struct page *pg, uint64_t delta)
{
	put32(pg, (uint32_t)(delta & ((1u << 27) - 1)) << 5 | TRACE_TYPE_TIME_EXTEND);
	put32(pg, (uint32_t)(delta >> 27));
}

static void finish(struct page *pg, uint64_t flags)
{
	uint64_t commit = pg->len | flags;

	memcpy(pg->b + 8, &commit, 8);
}

static int decode(const struct page *pg, struct bd_events *ev, bool *missed, char why[128])
{
	struct trace_layout lay = layout();

	return trace_parse_page(pg->b, sizeof(pg->b), &lay, ids, ev, missed, why, 128);
}

Test(probe_trace, a_page_decodes_to_absolute_tsc_stamps_of_the_wanted_events)
{
	struct bd_events ev = { 0 };
	struct page pg;
	bool missed = true;
	char why[128];

	start(&pg, 1000000);
	event(&pg, 0, 115, 9);			/* kvm_entry at the page's stamp */
	event_with(&pg, 40, 103, 18, 30);	/* kvm_exit, IO_INSTRUCTION */
	event(&pg, 7, 999, 3);			/* someone else's: skipped, time kept */
	/* a discarded event: padding with a time delta */
	put32(&pg, 3u << 5 | TRACE_TYPE_PADDING);
	put32(&pg, 12);
	pg.len += 8;
	long_event(&pg, 10, 110, 120);		/* kvm_pio, long form */
	extend(&pg, 5ULL << 30 | 17);		/* beyond 27 bits */
	event(&pg, 1, 42, 4);			/* kvm_userspace_exit */
	finish(&pg, 0);
	cr_assert_eq(decode(&pg, &ev, &missed, why), 0, "%s", why);
	cr_assert_not(missed);
	cr_assert_eq(ev.n, 4);
	cr_assert_eq(ev.v[0].ts, 1000000);
	cr_assert_eq(ev.v[0].type, BD_EV_ENTRY);
	cr_assert_eq(ev.v[1].ts, 1000040);
	cr_assert_eq(ev.v[1].type, BD_EV_EXIT);
	cr_assert_eq(ev.v[1].info, 30);
	cr_assert_eq(ev.v[0].info, 0);
	cr_assert_eq(ev.v[2].ts, 1000060);
	cr_assert_eq(ev.v[2].type, BD_EV_KIND);
	cr_assert_eq(ev.v[3].ts, 1000060 + (5ULL << 30 | 17) + 1);
	cr_assert_eq(ev.v[3].type, BD_EV_UEXIT);
	bd_events_free(&ev);
}

Test(probe_trace, an_absolute_stamp_takes_its_top_bits_from_the_page)
{
	struct bd_events ev = { 0 };
	uint64_t base = 0x0800000000000123ULL, abs = 0x0000000400000042ULL;
	struct page pg;
	bool missed;
	char why[128];

	start(&pg, base);
	put32(&pg, (uint32_t)(abs & ((1u << 27) - 1)) << 5 | TRACE_TYPE_TIME_STAMP);
	put32(&pg, (uint32_t)(abs >> 27));
	event(&pg, 5, 42, 4);
	finish(&pg, 0);
	cr_assert_eq(decode(&pg, &ev, &missed, why), 0, "%s", why);
	cr_assert_eq(ev.n, 1);
	cr_assert_eq(ev.v[0].ts, (base & TRACE_TS_MSB) + abs + 5);
	bd_events_free(&ev);
}

Test(probe_trace, a_page_after_lost_events_says_so)
{
	struct bd_events ev = { 0 };
	struct page pg;
	bool missed = false;
	char why[128];

	start(&pg, 5);
	event(&pg, 0, 42, 4);
	finish(&pg, TRACE_MISSED_EVENTS);
	cr_assert_eq(decode(&pg, &ev, &missed, why), 0);
	cr_assert(missed);
	cr_assert_eq(ev.n, 1);
	bd_events_free(&ev);
}

Test(probe_trace, the_end_padding_stops_the_page)
{
	struct bd_events ev = { 0 };
	struct page pg;
	bool missed;
	char why[128];

	start(&pg, 5);
	event(&pg, 0, 42, 4);
	put32(&pg, TRACE_TYPE_PADDING);		/* time delta 0: nothing after */
	pg.len += 40;
	finish(&pg, 0);
	cr_assert_eq(decode(&pg, &ev, &missed, why), 0, "%s", why);
	cr_assert_eq(ev.n, 1);
	bd_events_free(&ev);
}

Test(probe_trace, an_event_running_past_the_commit_is_an_error)
{
	struct bd_events ev = { 0 };
	struct page pg;
	bool missed;
	char why[128] = "";

	start(&pg, 5);
	event(&pg, 0, 42, 4);
	pg.len -= 8;		/* commit ends inside the event */
	finish(&pg, 0);
	cr_assert_eq(decode(&pg, &ev, &missed, why), -1);
	cr_assert(strstr(why, "runs past"), "%s", why);
	/* A commit beyond the bytes read. */
	finish(&pg, 8000);
	cr_assert_eq(decode(&pg, &ev, &missed, why), -1);
	bd_events_free(&ev);
}

Test(probe_trace, lost_events_sum_overrun_commit_overrun_and_dropped)
{
	static const char stats[] =
		"entries: 12\noverrun: 3\ncommit overrun: 1\nbytes: 480\n"
		"oldest event ts:     0.000000\nnow ts:  2335.737452\n"
		"dropped events: 40\nread events: 9\n";
	uint64_t lost = 0;

	cr_assert_eq(trace_parse_stats(stats, &lost), 0);
	cr_assert_eq(lost, 44);
	cr_assert_eq(trace_parse_stats("entries: 1\n", &lost), -1);
}

Test(probe_trace, the_cpumask_names_one_cpu_in_32_bit_groups)
{
	char buf[64];

	cr_assert_eq(trace_cpumask(0, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "1");
	cr_assert_eq(trace_cpumask(5, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "20");
	cr_assert_eq(trace_cpumask(31, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "80000000");
	cr_assert_eq(trace_cpumask(65, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "2,00000000,00000000");
	cr_assert_eq(trace_cpumask(-1, buf, sizeof(buf)), -1);
}
