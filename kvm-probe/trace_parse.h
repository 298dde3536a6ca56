/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What tracefs hands over, decoded without the kernel: the ring buffer's
 * binary pages (per_cpu/cpuN/trace_pipe_raw, laid out as events/header_page
 * and events/header_event describe), event IDs from each event's format file,
 * the per-CPU stats file, the tracing_cpumask syntax. Only setup text is
 * parsed; the events come in binary.
 */
#ifndef KVM_PROBE_TRACE_PARSE_H
#define KVM_PROBE_TRACE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "segments.h"

/* The page header, from events/header_page. */
struct trace_layout {
	size_t commit_off, commit_size;	/* local_t commit: bytes of events, plus flags */
	size_t data_off;		/* the first event */
	size_t subbuf_size;		/* the whole page: what one read returns */
};

/* Ring-buffer event header (events/header_event): type_len:5, time_delta:27. */
#define TRACE_TYPE_PADDING	29
#define TRACE_TYPE_TIME_EXTEND	30
#define TRACE_TYPE_TIME_STAMP	31
#define TRACE_TS_SHIFT		27
/* In the commit word: the byte count, and events lost before this page. */
#define TRACE_COMMIT_MASK	((1ULL << 27) - 1)
#define TRACE_MISSED_EVENTS	(1ULL << 31)
/* Absolute time stamps keep 59 bits; the top 5 come from the page's. */
#define TRACE_TS_MSB		(0xf8ULL << 56)

/* What the decoder needs of one event: its ID and the one field it reads. */
struct trace_ev {
	int id;			/* common_type; -1: not wanted */
	int info_off;		/* bd_event.info from here; -1: none */
	unsigned int info_size;	/* 1, 2 or 4 bytes */
};

/* Returns 0, or -1 when a field is missing or not where a reader can use it. */
int trace_parse_header_page(const char *text, struct trace_layout *lay);
/* The "ID: N" line of an event's format file. Returns 0 or -1. */
int trace_parse_event_id(const char *text, int *id);
/* Field @name's offset and size in an event's format file. Returns 0 or -1. */
int trace_parse_field(const char *text, const char *name, size_t *off, size_t *size);
/*
 * Decodes one page of @len bytes: each event whose common_type is ev[k].id is
 * appended to @out as type k, with its ev[k] field as info (other events are
 * skipped). *missed: the page
 * says events were lost before it. Returns 0, or -1 for a malformed page
 * (or out of memory), with what is wrong in @why.
 */
int trace_parse_page(const uint8_t *page, size_t len, const struct trace_layout *lay,
		     const struct trace_ev ev[BD_EV_COUNT], struct bd_events *out, bool *missed,
		     char *why, size_t whylen);
/* Events the buffer lost (overrun + commit overrun + dropped events). Returns 0 or -1. */
int trace_parse_stats(const char *text, uint64_t *lost);
/* tracing_cpumask's value for @cpu alone: "4", "1,00000000". Returns 0 or -1. */
int trace_cpumask(int cpu, char *buf, size_t len);

#endif
