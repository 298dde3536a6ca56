/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Sample format v1 (docs/sample-format.md): the one reader and writer every
 * exitlat tool uses.
 *
 *   # exitlat-samples 1
 *   # key: value            (header lines; source, exit, unit required)
 *   1234                    (one unsigned decimal sample per line)
 *
 * Errors are reported as "FILE:LINE: what is wrong" in the reader's or
 * writer's err[] buffer; every function returns 0 or -1.
 */
#ifndef EXITLAT_SAMPLES_H
#define EXITLAT_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "exitlat/atomic_file.h"

#define EXITLAT_SAMPLES_MAGIC "# exitlat-samples"
#define EXITLAT_SAMPLES_VERSION 1
/* The longest line, newline not counted: a longer one is an error, never a reason to grow. */
#define EXITLAT_LINE_MAX 4096

struct exitlat_kv {
	char *key;
	char *value;
};

/* Header keys in file order; values are trimmed of surrounding blanks. */
struct exitlat_header {
	struct exitlat_kv *kv;
	size_t n;
	size_t cap;
};

const char *exitlat_header_get(const struct exitlat_header *h, const char *key);
/* Adds or replaces @key. Returns 0, or -1 when out of memory. */
int exitlat_header_set(struct exitlat_header *h, const char *key, const char *value);
int exitlat_header_setf(struct exitlat_header *h, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void exitlat_header_free(struct exitlat_header *h);

/*
 * A breakdown set (docs/breakdown.md): at most this many names in
 * breakdown_segments ("trip" and the segments), each at most this long.
 */
#define EXITLAT_SEGMENTS_MAX 8
#define EXITLAT_SEGMENT_MAX 32
/* Whether @name is one of the blank-separated names of @segments. */
bool exitlat_segment_in(const char *segments, const char *name);

/*
 * The one check of a header's values (docs/sample-format.md), made by the
 * reader and the writer alike, so that no tool writes or accepts what another
 * refuses: the required keys, and the keys tools interpret (source, exit,
 * unit, domain, tsc_khz, emulated, dropped, and a breakdown set's
 * breakdown_segments, breakdown_segment, breakdown_merged). Returns 0, or -1 with @why set
 * and @line the offending key's line (2 + its index; 0 for a missing key).
 */
int exitlat_header_check(const struct exitlat_header *h, unsigned long *line, char *why,
			 size_t len);
/* The TSC frequency in kHz, 0 when absent or "unknown (...)". */
uint64_t exitlat_header_tsc_khz(const struct exitlat_header *h);
/* Writes "tsc_khz: KHZ", or "tsc_khz: unknown (@why_unknown)" when @khz is 0. */
int exitlat_header_set_tsc_khz(struct exitlat_header *h, uint64_t khz, const char *why_unknown);
/*
 * "dropped: N (REASON)": samples discarded while measuring, and why. Returns 1
 * with *n and @reason ("" when the file gives none), 0 when the key is absent.
 */
int exitlat_header_dropped(const struct exitlat_header *h, uint64_t *n, char *reason,
			   size_t len);
/* Writes "dropped: 0", or "dropped: N (@reason)". */
int exitlat_header_set_dropped(struct exitlat_header *h, uint64_t n, const char *reason);

/* A streaming reader: the header is parsed by open, samples come in chunks. */
struct exitlat_reader {
	const char *path;	/* as given; "-" is standard input */
	int fd;
	int own_fd;
	unsigned long line;	/* line number of the next unparsed line */
	char *buf;
	size_t buf_len, buf_pos;
	int eof;
	struct exitlat_header header;
	char err[EXITLAT_ERR_MAX];
};

/* Opens @path ("-": stdin), reads and checks the header (line 1, required keys). */
int exitlat_reader_open(struct exitlat_reader *r, const char *path);
/*
 * Reads up to @cap samples into @out and stores their number in @n; *n == 0
 * at the end of a valid file. A malformed line fails the whole read: samples
 * already returned stay valid, the file does not.
 */
int exitlat_reader_next(struct exitlat_reader *r, uint64_t *out, size_t cap, size_t *n);
void exitlat_reader_close(struct exitlat_reader *r);

/* Reads a whole file into a malloc'd array (small files, tests, tools). */
int exitlat_samples_load(const char *path, struct exitlat_header *h, uint64_t **samples,
			 size_t *n, char err[EXITLAT_ERR_MAX]);

/*
 * A writer to a temporary name beside @path; commit() fsyncs and renames it
 * over @path, so a reader sees the old file or the whole new one, never half.
 * It is an exitlat_atomic_file: "-" is standard output, only a regular file
 * is replaced.
 */
struct exitlat_writer {
	struct exitlat_atomic_file a;
	FILE *f;
	int header_done;
	char err[EXITLAT_ERR_MAX];
};

int exitlat_writer_open(struct exitlat_writer *w, const char *path);
/* Writes line 1 and @h; source, exit and unit must be in @h. */
int exitlat_writer_header(struct exitlat_writer *w, const struct exitlat_header *h);
int exitlat_writer_samples(struct exitlat_writer *w, const uint64_t *v, size_t n);
int exitlat_writer_commit(struct exitlat_writer *w);
/* Drops the temporary file; safe after a failed or successful commit. */
void exitlat_writer_abort(struct exitlat_writer *w);

/* Convenience: write a whole file atomically. */
int exitlat_samples_save(const char *path, const struct exitlat_header *h,
			 const uint64_t *v, size_t n, char err[EXITLAT_ERR_MAX]);

#endif
