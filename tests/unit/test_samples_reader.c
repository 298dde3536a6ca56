// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The sample-format reader: every rejection with its FILE:LINE, and what it keeps. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/samples.h"

#define GOOD_HEADER "# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: cycles\n"

static char *write_tmp(const char *content, size_t len)
{
	char *path = strdup("/tmp/exitlat-test-XXXXXX");
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

/*
 * Criterion runs each parameter in a re-executed process (another load
 * address), so the cases hold arrays, not pointers into this image.
 */
struct bad_case {
	char content[128];
	unsigned int line;	/* line the message must name */
	char what[64];		/* text the message must contain */
};

static struct bad_case bad_cases[] = {
	{ "", 1, "empty file" },
	{ "1234\n", 1, "line 1 must be '# exitlat-samples 1'" },
	{ "# exitlat-samples 2\n# source: kvm\n", 1, "version '2' is not supported (supported: 1)" },
	{ "# exitlat-samples 1 \n", 1, "version '1 ' is not supported" },
	{ "# exitlat-samples 1\n# source: kvm\n# exit: pio\n", 4, "missing required header key 'unit'" },
	{ "# exitlat-samples 1\n# exit: pio\n# unit: cycles\n5\n", 4, "missing required header key 'source'" },
	{ "# exitlat-samples 1\n# source: xen\n# exit: pio\n# unit: cycles\n", 2, "'source' is 'xen'" },
	{ "# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: ns\n", 4, "'unit' is 'ns'" },
	{ "# exitlat-samples 1\n# source kvm\n", 2, "malformed header line" },
	{ "# exitlat-samples 1\n# source: kvm\n# source: native\n", 3, "appears twice" },
	{ GOOD_HEADER "1\n2\n# late: header\n", 7, "header line after the first sample" },
	{ GOOD_HEADER "1\n-2\n", 6, "not an unsigned decimal integer: '-2'" },
	{ GOOD_HEADER "+2\n", 5, "not an unsigned decimal integer: '+2'" },
	{ GOOD_HEADER " 2\n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "2 \n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "12ab\n", 5, "not an unsigned decimal integer: '12ab'" },
	{ GOOD_HEADER "2\r\n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "1.5\n", 5, "not an unsigned decimal integer" },
	{ GOOD_HEADER "3\n\n4\n", 6, "empty line" },
	{ GOOD_HEADER "18446744073709551616\n", 5, "exceeds 2^64-1" },
	{ GOOD_HEADER "99999999999999999999999999\n", 5, "exceeds 2^64-1" },
	{ GOOD_HEADER "1\n2\n3", 7, "last line has no newline" },
	{ "# exitlat-samples 1", 1, "last line has no newline" },
	{ GOOD_HEADER "1\nx", 6, "not an unsigned decimal integer: 'x'" },
	/* Values every tool interprets: one check in lib/, FILE:LINE of the key. */
	{ "# exitlat-samples 1\n# source: kvm\n# exit: frobnicate\n# unit: cycles\n1\n", 3,
	  "'exit' is 'frobnicate', not an exit kind" },
	{ GOOD_HEADER "# tsc_khz: banana\n1\n", 5, "'tsc_khz' is 'banana'" },
	{ GOOD_HEADER "# tsc_khz: 0\n1\n", 5, "'tsc_khz' is '0'" },
	{ GOOD_HEADER "# tsc_khz: -100\n1\n", 5, "'tsc_khz' is '-100'" },
	{ GOOD_HEADER "# tsc_khz: 18446744073709551616\n", 5, "'tsc_khz' is '1844" },
	{ GOOD_HEADER "# host: a\n# emulated: NO\n1\n", 6, "'emulated' is 'NO'" },
	{ GOOD_HEADER "# emulated:\n", 5, "'emulated' is ''" },
	{ GOOD_HEADER "# emulated: qemu tcg\n", 5, "'emulated' is 'qemu tcg'" },
	{ GOOD_HEADER "# domain: hostile\n", 5, "'domain' is 'hostile'" },
	{ GOOD_HEADER "# dropped: some\n", 5, "'dropped' is 'some'" },
	{ GOOD_HEADER "# dropped: 3 (\n", 5, "'dropped' is '3 ('" },
	{ GOOD_HEADER "# dropped: 3 ()\n", 5, "'dropped' is '3 ()'" },
	{ GOOD_HEADER "# dropped: -3\n", 5, "'dropped' is '-3'" },
	/* A breakdown set's keys (docs/breakdown.md): names, order, membership. */
	{ GOOD_HEADER "# breakdown_segments: a b\n", 5,
	  "'breakdown_segments' is 'a b', expected 'trip'" },
	{ GOOD_HEADER "# breakdown_segments: trip\n", 5, "'breakdown_segments' is 'trip'" },
	{ GOOD_HEADER "# breakdown_segments: trip a a\n", 5, "'a' twice" },
	{ GOOD_HEADER "# breakdown_segments: trip a  b\n", 5, "'breakdown_segments' is 'trip a  b'" },
	{ GOOD_HEADER "# breakdown_segments: trip a'b c\n", 5, "'breakdown_segments' is 'trip a'b c'" },
	{ GOOD_HEADER "# breakdown_segments: trip a b\n# breakdown_segment: c\n", 6,
	  "'breakdown_segment' is 'c', not one of 'trip a b'" },
	{ GOOD_HEADER "# breakdown_segment: a\n1\n", 5,
	  "'breakdown_segment' without 'breakdown_segments'" },
	{ GOOD_HEADER "# breakdown_merged: maybe\n", 5, "'breakdown_merged' is 'maybe'" },
};

ParameterizedTestParameters(reader, rejects_malformed_file)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, reader, rejects_malformed_file)
{
	char *path = write_tmp(c->content, strlen(c->content));
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 0;
	char err[EXITLAT_ERR_MAX], prefix[256];
	int ret;

	ret = exitlat_samples_load(path, &h, &v, &n, err);
	unlink(path);
	cr_assert_eq(ret, -1, "accepted: %s", c->content);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, c->line);
	cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0, "got '%s', want prefix '%s'", err,
		     prefix);
	cr_assert_not_null(strstr(err, c->what), "got '%s', want '%s'", err, c->what);
	free(path);
}

Test(reader, reads_extremes_and_keeps_unknown_keys)
{
	const char *text = "# exitlat-samples 1\n# source: native\n# exit: cpuid\n"
			   "# unit: cycles\n# lab_rack:   b7  \n"
			   "0\n18446744073709551615\n00042\n";
	char *path = write_tmp(text, strlen(text));
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 0;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), 0, "%s", err);
	cr_assert_eq(n, 3);
	cr_assert_eq(v[0], 0);
	cr_assert_eq(v[1], UINT64_MAX);
	cr_assert_eq(v[2], 42);
	cr_assert_str_eq(exitlat_header_get(&h, "lab_rack"), "b7");
	cr_assert_str_eq(exitlat_header_get(&h, "exit"), "cpuid");
	cr_assert_eq(h.n, 4);
	unlink(path);
	free(path);
	free(v);
	exitlat_header_free(&h);
}

Test(reader, header_only_file_has_no_samples)
{
	char *path = write_tmp(GOOD_HEADER, strlen(GOOD_HEADER));
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 99;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), 0, "%s", err);
	cr_assert_eq(n, 0);
	unlink(path);
	free(path);
	free(v);
	exitlat_header_free(&h);
}

/* Lines that straddle the reader's 1 MiB buffer must parse like any other. */
Test(reader, many_samples_across_buffer_boundaries)
{
	const size_t count = 700000;
	size_t cap = strlen(GOOD_HEADER) + count * 21, len = 0, n = 0, got;
	char *text = malloc(cap);
	struct exitlat_reader r;
	uint64_t chunk[1000], sum = 0, want = 0;
	char *path;

	len += sprintf(text, GOOD_HEADER);
	for (size_t i = 0; i < count; i++) {
		uint64_t x = (i * 2654435761u) % 100000007u;

		want += x;
		len += sprintf(text + len, "%lu\n", (unsigned long)x);
	}
	path = write_tmp(text, len);
	cr_assert_eq(exitlat_reader_open(&r, path), 0, "%s", r.err);
	do {
		cr_assert_eq(exitlat_reader_next(&r, chunk, 1000, &got), 0, "%s", r.err);
		for (size_t i = 0; i < got; i++)
			sum += chunk[i];
		n += got;
	} while (got);
	exitlat_reader_close(&r);
	cr_assert_eq(n, count);
	cr_assert_eq(sum, want);
	unlink(path);
	free(path);
	free(text);
}

Test(reader, error_names_the_line_far_into_a_file)
{
	size_t len = 0;
	char *text = malloc(3 << 20);
	char *path, err[EXITLAT_ERR_MAX], want[64];
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n;

	len += sprintf(text, GOOD_HEADER);
	for (int i = 0; i < 300000; i++)
		len += sprintf(text + len, "%d\n", 1000000 + i);
	len += sprintf(text + len, "12x4\n");
	path = write_tmp(text, len);
	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), -1);
	snprintf(want, sizeof(want), ":%d: ", 4 + 300000 + 1);
	cr_assert_not_null(strstr(err, want), "got '%s', want '%s'", err, want);
	unlink(path);
	free(path);
	free(text);
}

Test(reader, missing_file_names_it)
{
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load("/nonexistent/x.samples", &h, &v, &n, err), -1);
	cr_assert_not_null(strstr(err, "/nonexistent/x.samples"), "%s", err);
	cr_assert_not_null(strstr(err, "No such file"), "%s", err);
}

/* @len bytes of @fill, then @tail, after a good header: malloc'd. */
static char *long_line_file(char fill, size_t len, const char *tail, size_t *size)
{
	size_t hl = strlen(GOOD_HEADER), tl = strlen(tail);
	char *text = malloc(hl + len + tl);

	cr_assert_not_null(text);
	memcpy(text, GOOD_HEADER, hl);
	memset(text + hl, fill, len);
	memcpy(text + hl + len, tail, tl);
	*size = hl + len + tl;
	return text;
}

struct long_case {
	char fill;
	size_t len;		/* of the fill, on line 5 */
	char tail[16];
	bool ok;
	char what[32];		/* the message, when not ok */
};

/*
 * Every line is bounded (4096 bytes before its newline): a line of digits
 * longer than the reader's 1 MiB buffer made the refill read nothing, forever.
 */
static struct long_case long_cases[] = {
	{ '0', 3 << 19, "1\n", false, "longer than 4096 bytes" },	/* 1.5 MiB of leading zeros */
	{ '0', 1 << 20, "\n", false, "longer than 4096 bytes" },	/* exactly the buffer */
	{ '0', (1 << 20) - 1, "7\n", false, "longer than 4096 bytes" },
	{ '0', 3 << 19, "1", false, "longer than 4096 bytes" },	/* no newline at the end */
	{ '9', 3 << 19, "\n", false, "longer than 4096 bytes" },
	{ '0', 4097, "\n", false, "longer than 4096 bytes" },	/* just over the bound */
	{ '0', 4095, "1\n", true, "" },	/* 4096 bytes: the longest valid line */
};

ParameterizedTestParameters(reader, every_line_is_bounded)
{
	return cr_make_param_array(struct long_case, long_cases,
				   sizeof(long_cases) / sizeof(long_cases[0]));
}

ParameterizedTest(struct long_case *c, reader, every_line_is_bounded, .timeout = 20)
{
	size_t size, n = 0;
	char *text = long_line_file(c->fill, c->len, c->tail, &size);
	char *path = write_tmp(text, size);
	struct exitlat_header h = { 0 };
	char err[EXITLAT_ERR_MAX], prefix[256];
	uint64_t *v = NULL;
	int ret;

	ret = exitlat_samples_load(path, &h, &v, &n, err);
	unlink(path);
	if (c->ok) {
		cr_assert_eq(ret, 0, "%s", err);
		cr_assert_eq(n, 1);
		cr_assert_eq(v[0], 1);
	} else {
		cr_assert_eq(ret, -1, "a %zu-byte line was accepted", c->len);
		snprintf(prefix, sizeof(prefix), "%s:5: ", path);
		cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0, "got '%s'", err);
		cr_assert_not_null(strstr(err, c->what), "got '%s', want '%s'", err, c->what);
	}
	exitlat_header_free(&h);
	free(v);
	free(path);
	free(text);
}

/* The same bound on a header line, which a line of any length must not get around. */
Test(reader, a_nul_in_a_header_value_is_refused_not_cut)
{
	static const char content[] = "# exitlat-samples 1\n# source: kvm\n# exit: pio\n"
				      "# unit: cycles\n# host: before\0after\n1\n";
	char *path = write_tmp(content, sizeof(content) - 1);
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n = 0;
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), -1, "host read as '%s'",
		     exitlat_header_get(&h, "host"));
	cr_assert_not_null(strstr(err, ":5: header line holds a NUL byte"), "%s", err);
	unlink(path);
	free(path);
}

Test(reader, a_header_line_longer_than_the_buffer_is_refused, .timeout = 20)
{
	size_t size;
	char *text = long_line_file('x', 3 << 19, "\n", &size);
	char *path, err[EXITLAT_ERR_MAX];
	struct exitlat_header h = { 0 };
	uint64_t *v = NULL;
	size_t n;

	memcpy(text + strlen(GOOD_HEADER), "# k: ", 5);
	path = write_tmp(text, size);
	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), -1);
	cr_assert_not_null(strstr(err, ":5: "), "%s", err);
	cr_assert_not_null(strstr(err, "longer than 4096 bytes"), "%s", err);
	unlink(path);
	free(path);
	free(text);
}

/* What the reader must keep accepting: the values the tools write. */
Test(reader, accepts_every_value_the_tools_write)
{
	const char *text = GOOD_HEADER "# tsc_khz: unknown (no KVM_CAP_GET_TSC_KHZ)\n"
			   "# emulated: qemu-tcg\n# domain: guest\n"
			   "# dropped: 12 (KVM_RUN saw more than one exit)\n# tool: x\n"
			   "# breakdown_segments: trip t0-pio pio-uexit uexit-t1\n"
			   "# breakdown_segment: t0-pio\n# breakdown_merged: yes\n5\n";
	char *path = write_tmp(text, strlen(text));
	struct exitlat_header h = { 0 };
	char err[EXITLAT_ERR_MAX];
	uint64_t *v = NULL, dropped;
	char reason[64];
	size_t n;

	cr_assert_eq(exitlat_samples_load(path, &h, &v, &n, err), 0, "%s", err);
	cr_assert_eq(exitlat_header_tsc_khz(&h), 0);
	cr_assert_eq(exitlat_header_dropped(&h, &dropped, reason, sizeof(reason)), 1);
	cr_assert_eq(dropped, 12);
	cr_assert_str_eq(reason, "KVM_RUN saw more than one exit");
	exitlat_header_free(&h);
	free(v);
	unlink(path);
	free(path);
}
