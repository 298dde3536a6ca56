// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>

#include "trace_parse.h"

/* "field: u64 timestamp; offset:0; size:8; signed:0;" -> name, offset, size. */
static bool header_field(const char *line, const char *name, size_t *off, size_t *size)
{
	char decl[128];
	const char *word;
	unsigned int o, s;

	if (sscanf(line, " field:%127[^;]; offset:%u; size:%u;", decl, &o, &s) != 3)
		return false;
	word = strrchr(decl, ' ');
	word = word ? word + 1 : decl;
	if (strcmp(word, name))
		return false;
	*off = o;
	*size = s;
	return true;
}

int trace_parse_field(const char *text, const char *name, size_t *off, size_t *size)
{
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line)
		if (header_field(line, name, off, size))
			return 0;
	return -1;
}

int trace_parse_header_page(const char *text, struct trace_layout *lay)
{
	size_t ts_off = 1, ts_size = 0, data_size = 0, off, size;
	bool commit = false, data = false;

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		if (header_field(line, "timestamp", &off, &size)) {
			ts_off = off;
			ts_size = size;
		} else if (header_field(line, "commit", &off, &size)) {
			lay->commit_off = off;
			lay->commit_size = size;
			commit = true;
		} else if (header_field(line, "data", &off, &size)) {
			lay->data_off = off;
			data_size = size;
			data = true;
		}
	}
	if (ts_off != 0 || ts_size != 8 || !commit || !data ||
	    (lay->commit_size != 4 && lay->commit_size != 8) ||
	    lay->commit_off + lay->commit_size > lay->data_off || !data_size)
		return -1;
	lay->subbuf_size = lay->data_off + data_size;
	return 0;
}

int trace_parse_event_id(const char *text, int *id)
{
	const char *p = strstr(text, "\nID: ");

	if (!strncmp(text, "ID: ", 4))
		p = text - 1;
	return p && sscanf(p + 5, "%d", id) == 1 && *id >= 0 ? 0 : -1;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get_n(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);	/* little-endian: x86 only, as the x86-tsc clock */
	return v;
}

int trace_parse_page(const uint8_t *page, size_t len, const struct trace_layout *lay,
		     const struct trace_ev ev[BD_EV_COUNT], struct bd_events *out, bool *missed,
		     char *why, size_t whylen)
{
	uint64_t ts, commit;
	const uint8_t *p, *end;

	if (len < lay->data_off) {
		snprintf(why, whylen, "a page of %zu bytes, shorter than its header", len);
		return -1;
	}
	ts = get_n(page, 8);
	commit = get_n(page + lay->commit_off, lay->commit_size);
	*missed = commit & TRACE_MISSED_EVENTS;
	p = page + lay->data_off;
	end = p + (commit & TRACE_COMMIT_MASK);
	if (end > page + len) {
		snprintf(why, whylen, "a page says %llu bytes of events, it has %zu",
			 (unsigned long long)(commit & TRACE_COMMIT_MASK), len - lay->data_off);
		return -1;
	}
	while (p + 4 <= end) {
		uint32_t h = get32(p), type_len = h & 31, delta = h >> 5;
		const uint8_t *data = p + 4;
		size_t size;

		switch (type_len) {
		case TRACE_TYPE_PADDING:
			if (!delta)	/* the rest of the page is empty */
				return 0;
			if (p + 8 > end)
				goto truncated;
			/* A discarded event: its time still counts (as libtraceevent's kbuffer). */
			ts += delta;
			p += 4 + get32(p + 4);
			continue;
		case TRACE_TYPE_TIME_EXTEND:
		case TRACE_TYPE_TIME_STAMP:
			if (p + 8 > end)
				goto truncated;
			if (type_len == TRACE_TYPE_TIME_EXTEND)
				ts += ((uint64_t)get32(p + 4) << TRACE_TS_SHIFT) | delta;
			else
				ts = ((uint64_t)get32(p + 4) << TRACE_TS_SHIFT | delta) |
				     (ts & TRACE_TS_MSB);
			p += 8;
			continue;
		case 0:
			if (p + 8 > end || get32(p + 4) < 4)
				goto truncated;
			size = (get32(p + 4) - 4 + 3) & ~(size_t)3;
			data = p + 8;
			break;
		default:
			size = 4 * type_len;
			break;
		}
		if (data + size > end || size < 2)
			goto truncated;
		ts += delta;
		for (int k = 0; k < BD_EV_COUNT; k++) {
			uint32_t info = 0;

			if (ev[k].id < 0 || get_n(data, 2) != (uint64_t)ev[k].id)
				continue;
			if (ev[k].info_off >= 0 && ev[k].info_off + ev[k].info_size <= size)
				info = get_n(data + ev[k].info_off, ev[k].info_size);
			if (bd_events_push(out, ts, k, info)) {
				snprintf(why, whylen, "out of memory for the events");
				return -1;
			}
			break;
		}
		p = data + size;
	}
	return 0;
truncated:
	snprintf(why, whylen, "an event runs past the page's %llu bytes at offset %zu",
		 (unsigned long long)(commit & TRACE_COMMIT_MASK), (size_t)(p - page));
	return -1;
}

int trace_parse_stats(const char *text, uint64_t *lost)
{
	static const char *const keys[] = { "overrun: ", "commit overrun: ", "dropped events: " };
	unsigned long long v;
	int found = 0;

	*lost = 0;
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t n = strlen(keys[k]);

			if (!strncmp(line, keys[k], n) && sscanf(line + n, "%llu", &v) == 1) {
				*lost += v;
				found++;
			}
		}
	}
	return found ? 0 : -1;
}

int trace_cpumask(int cpu, char *buf, size_t len)
{
	size_t used;
	int r;

	if (cpu < 0)
		return -1;
	/* 32-bit groups, most significant first, as the kernel's bitmap syntax. */
	r = snprintf(buf, len, "%x", 1u << (cpu % 32));
	if (r < 0 || (size_t)r >= len)
		return -1;
	used = r;
	for (int g = cpu / 32; g > 0; g--) {
		r = snprintf(buf + used, len - used, ",00000000");
		if (r < 0 || (size_t)r >= len - used)
			return -1;
		used += r;
	}
	return 0;
}
