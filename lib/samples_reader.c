// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The sample-format reader. It is on the analysis' hot path (hundreds of MB
 * of samples), so it parses straight out of a large read(2) buffer instead
 * of going through stdio line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "exitlat/samples.h"

/* The fuzz target builds with a small buffer, so that its inputs outgrow it. */
#ifdef EXITLAT_READ_CHUNK
#define READ_CHUNK EXITLAT_READ_CHUNK
#else
#define READ_CHUNK (1u << 20)
#endif
/*
 * A refill keeps at most one unfinished line of EXITLAT_LINE_MAX bytes, so
 * there is always room to read more: without the bound, a line as long as the
 * buffer made every refill read nothing, forever.
 */
_Static_assert(READ_CHUNK > EXITLAT_LINE_MAX + 64, "the buffer must outgrow the longest line");

__attribute__((format(printf, 3, 4)))
static int fail(struct exitlat_reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(r->err, sizeof(r->err), "%s:%lu: ", r->path, line);
	if (len < 0 || (size_t)len >= sizeof(r->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + len, sizeof(r->err) - len, fmt, ap);
	va_end(ap);
	return -1;
}

static int too_long(struct exitlat_reader *r)
{
	return fail(r, r->line, "line longer than %d bytes", EXITLAT_LINE_MAX);
}

/* Refills the buffer, keeping the unparsed tail. Returns 0 or -1. */
static int refill(struct exitlat_reader *r)
{
	size_t keep = r->buf_len - r->buf_pos;
	ssize_t got;

	/* The callers never keep more than a line; this is what makes reading end. */
	if (keep > EXITLAT_LINE_MAX)
		return too_long(r);

	memmove(r->buf, r->buf + r->buf_pos, keep);
	r->buf_len = keep;
	r->buf_pos = 0;
	while (r->buf_len < READ_CHUNK) {
		got = read(r->fd, r->buf + r->buf_len, READ_CHUNK - r->buf_len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return fail(r, r->line, "read error: %s", strerror(errno));
		}
		if (got == 0) {
			r->eof = 1;
			break;
		}
		r->buf_len += got;
		/* One read is enough to keep parsing; don't wait on a pipe. */
		break;
	}
	return 0;
}

/*
 * Returns the next whole line (without '\n') in *line and *len, 1 at the end of
 * the file, 0 for a line, -1 on error.
 */
static int next_line(struct exitlat_reader *r, const char **line, size_t *len)
{
	for (;;) {
		char *start = r->buf + r->buf_pos;
		char *nl = memchr(start, '\n', r->buf_len - r->buf_pos);

		if (nl) {
			if (nl - start > EXITLAT_LINE_MAX)
				return too_long(r);
			*line = start;
			*len = nl - start;
			r->buf_pos += *len + 1;
			return 0;
		}
		if (r->buf_len - r->buf_pos > EXITLAT_LINE_MAX)
			return too_long(r);
		if (r->eof) {
			if (r->buf_pos == r->buf_len)
				return 1;
			return fail(r, r->line, "last line has no newline (truncated write?)");
		}
		if (refill(r))
			return -1;
	}
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int check_first_line(struct exitlat_reader *r, const char *s, size_t len)
{
	static const char magic[] = EXITLAT_SAMPLES_MAGIC " ";
	size_t mlen = sizeof(magic) - 1;

	if (len > mlen && memcmp(s, magic, mlen) == 0) {
		const char *v = s + mlen;
		size_t vlen = len - mlen;

		if (vlen == 1 && v[0] == '0' + EXITLAT_SAMPLES_VERSION)
			return 0;
		return fail(r, 1, "sample format version '%.*s' is not supported (supported: %d)",
			    (int)(vlen > 32 ? 32 : vlen), v, EXITLAT_SAMPLES_VERSION);
	}
	return fail(r, 1, "not an exitlat sample file: line 1 must be '%s %d'",
		    EXITLAT_SAMPLES_MAGIC, EXITLAT_SAMPLES_VERSION);
}

static int parse_header_line(struct exitlat_reader *r, const char *s, size_t len)
{
	size_t k = 2, kend, v;
	char key[128];
	char *value;
	int ret;

	/* "# key: value" */
	if (len < 2 || s[1] != ' ')
		goto malformed;
	/* A value is a C string everywhere after this: a NUL would cut it silently. */
	if (memchr(s, '\0', len))
		return fail(r, r->line, "header line holds a NUL byte");
	while (k < len && is_key_char(s[k]))
		k++;
	kend = k;
	if (kend == 2 || kend >= len || s[kend] != ':' || kend - 2 >= sizeof(key))
		goto malformed;
	v = kend + 1;
	while (v < len && (s[v] == ' ' || s[v] == '\t'))
		v++;
	while (len > v && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	memcpy(key, s + 2, kend - 2);
	key[kend - 2] = '\0';
	if (exitlat_header_get(&r->header, key))
		return fail(r, r->line, "header key '%s' appears twice", key);
	value = strndup(s + v, len - v);
	if (!value)
		return fail(r, r->line, "out of memory");
	ret = exitlat_header_set(&r->header, key, value);
	free(value);
	if (ret)
		return fail(r, r->line, "out of memory");
	return 0;

malformed:
	return fail(r, r->line, "malformed header line (expected '# key: value')");
}

static int check_header(struct exitlat_reader *r)
{
	char why[EXITLAT_ERR_MAX];
	unsigned long line;

	if (!exitlat_header_check(&r->header, &line, why, sizeof(why)))
		return 0;
	return fail(r, line ? line : r->line, "%s", why);
}

int exitlat_reader_open(struct exitlat_reader *r, const char *path)
{
	const char *s;
	size_t len;
	int ret;

	*r = (struct exitlat_reader){ .path = path, .fd = -1, .line = 1 };
	if (strcmp(path, "-") == 0) {
		r->path = "<stdin>";
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return fail(r, 0, "cannot open: %s", strerror(errno)), -1;
		r->own_fd = 1;
	}
	r->buf = malloc(READ_CHUNK);
	if (!r->buf) {
		fail(r, 0, "out of memory");
		goto err_close;
	}
	ret = next_line(r, &s, &len);
	if (ret == 1) {
		fail(r, 1, "empty file");
		goto err_close;
	}
	if (ret < 0 || check_first_line(r, s, len))
		goto err_close;
	r->line++;
	/* Header lines run until the first line that does not start with '#'. */
	for (;;) {
		if (r->buf_pos == r->buf_len && !r->eof && refill(r))
			goto err_close;
		if (r->buf_pos == r->buf_len && r->eof)
			break;
		if (r->buf[r->buf_pos] != '#')
			break;
		if (next_line(r, &s, &len) != 0 || parse_header_line(r, s, len))
			goto err_close;
		r->line++;
	}
	if (check_header(r))
		goto err_close;
	return 0;

err_close:
	exitlat_reader_close(r);
	return -1;
}

/* How much of the offending line goes into a message. */
static int quote_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', end - s);
	size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

	return len > 40 ? 40 : (int)len;
}

/* 8 digits in string order, already minus '0', to their value (SWAR). */
static uint64_t swar8_value(uint64_t t)
{
	t = ((t & 0x0f0f0f0f0f0f0f0full) * 2561) >> 8;
	t = ((t & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
	return ((t & 0x0000ffff0000ffffull) * 42949672960001ull) >> 32;
}

/*
 * The common line, 1 to 7 digits and '\n', eight bytes at a time (SWAR).
 * Returns its length with the newline, or 0 when the line is anything else
 * (longer, malformed, near the buffer's end): the byte loop then decides.
 */
static size_t parse_short_line(const char *p, const char *end, uint64_t *v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, t, nondigit;
	unsigned int d;

	if (end - p < 8)
		return 0;
	memcpy(&w, p, 8);
	t = w ^ 0x3030303030303030ull;	/* digits become 0..9 */
	/*
	 * High bit set in each byte that is not 0..9. Bytes before the first
	 * such byte are <= 9, so no carry reaches it from below.
	 */
	nondigit = (t | (t + 0x7676767676767676ull)) & 0x8080808080808080ull;
	if (!nondigit)
		return 0;
	d = __builtin_ctzll(nondigit) / 8;
	if (d == 0 || p[d] != '\n')
		return 0;
	/* The digits to the top bytes, zeros (leading '0's) below. */
	*v = swar8_value(t << (8 * (8 - d)));
	return d + 1;
#else
	(void)p;
	(void)end;
	(void)v;
	return 0;
#endif
}

#if defined(__SSE2__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Lines of 1 to 8 digits, 64 bytes at a time: the newlines come from four
 * vector compares, so each line's parse no longer waits for the previous
 * line's length. Stops at the first line that is anything else and returns
 * where it stopped; the line-by-line code then decides about that line.
 */
static const char *parse_blocks(struct exitlat_reader *r, const char *p, const char *end,
				uint64_t *out, size_t cap, size_t *got)
{
	const __m128i nl = _mm_set1_epi8('\n');
	/* Locals: stores through @out could alias *got and r->line otherwise. */
	size_t n = *got;
	unsigned long line = r->line;

	/* 8 bytes of slack: a line's 8-byte load may run past the block. */
	while (end - p >= 64 + 8 && n < cap) {
		const char *s = p;
		uint64_t mask = 0;

		for (int i = 0; i < 4; i++) {
			__m128i b = _mm_loadu_si128((const __m128i *)(p + 16 * i));

			mask |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, nl))
				<< (16 * i);
		}
		if (!mask)
			break;
		for (; mask && n < cap; mask &= mask - 1) {
			const char *e = p + __builtin_ctzll(mask);
			size_t len = e - s;
			uint64_t w, t, nondigit;

			if (len - 1 >= 8)	/* empty, or 9 digits and more */
				goto out;
			memcpy(&w, s, 8);
			t = w ^ 0x3030303030303030ull;
			nondigit = (t | (t + 0x7676767676767676ull)) & 0x8080808080808080ull;
			if (len < 8)
				nondigit &= (1ull << (8 * len)) - 1;
			if (nondigit)
				goto out;
			out[n++] = swar8_value(t << (8 * (8 - len)));
			line++;
			s = e + 1;
		}
		p = s;
		continue;
out:
		p = s;
		break;
	}
	*got = n;
	r->line = line;
	return p;
}
#else
static const char *parse_blocks(struct exitlat_reader *r, const char *p, const char *end,
				uint64_t *out, size_t cap, size_t *got)
{
	(void)r, (void)end, (void)out, (void)cap, (void)got;
	return p;
}
#endif

/* The hot loop: parses whole lines out of the buffer into @out. */
static int parse_samples(struct exitlat_reader *r, uint64_t *out, size_t cap, size_t *n)
{
	const char *p = r->buf + r->buf_pos;
	const char *end = r->buf + r->buf_len;
	size_t got = *n;

	while (got < cap && p < end) {
		const char *s = p;
		uint64_t v = 0;
		unsigned int d;
		bool ovf = false;
		const char *q = parse_blocks(r, p, end, out, cap, &got);
		size_t len;

		if (q != p) {
			p = q;
			continue;
		}
		len = parse_short_line(p, end, &v);
		if (len) {
			out[got++] = v;
			p += len;
			r->line++;
			continue;
		}

		while (p < end && (d = (unsigned char)*p - '0') < 10) {
			ovf |= __builtin_mul_overflow(v, 10, &v);
			ovf |= __builtin_add_overflow(v, d, &v);
			p++;
		}
		if ((size_t)(p - s) > EXITLAT_LINE_MAX) {
			r->buf_pos = s - r->buf;
			return too_long(r);
		}
		if (p == end && !ovf) {
			/* A partial line (at most EXITLAT_LINE_MAX digits): left for the next refill. */
			p = s;
			break;
		}
		if (!ovf && (*p != '\n' || p == s)) {
			r->buf_pos = s - r->buf;
			if (*s == '#')
				return fail(r, r->line, "header line after the first sample");
			if (*s == '\n')
				return fail(r, r->line, "empty line where a sample was expected");
			return fail(r, r->line,
				    "sample is not an unsigned decimal integer: '%.*s'",
				    quote_len(s, end), s);
		}
		if (ovf) {
			r->buf_pos = s - r->buf;
			return fail(r, r->line, "sample '%.*s' exceeds 2^64-1",
				    (int)(p - s > 40 ? 40 : p - s), s);
		}
		out[got++] = v;
		p++;
		r->line++;
	}
	r->buf_pos = p - r->buf;
	*n = got;
	return 0;
}

int exitlat_reader_next(struct exitlat_reader *r, uint64_t *out, size_t cap, size_t *n)
{
	*n = 0;
	while (*n < cap) {
		if (parse_samples(r, out, cap, n))
			return -1;
		if (*n == cap)
			break;
		if (r->eof) {
			if (r->buf_pos < r->buf_len) {
				/* What is left has no newline: either garbage or a cut line. */
				const char *s = r->buf + r->buf_pos;
				size_t len = r->buf_len - r->buf_pos;

				for (size_t i = 0; i < len; i++)
					if ((unsigned char)s[i] - '0' >= 10)
						return fail(r, r->line,
							    "sample is not an unsigned decimal integer: '%.*s'",
							    quote_len(s, s + len), s);
				return fail(r, r->line, "last line has no newline (truncated write?)");
			}
			break;
		}
		if (refill(r))
			return -1;
		if (r->eof && r->buf_pos == r->buf_len)
			break;
	}
	return 0;
}

void exitlat_reader_close(struct exitlat_reader *r)
{
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->own_fd = 0;
	free(r->buf);
	r->buf = NULL;
	exitlat_header_free(&r->header);
}

int exitlat_samples_load(const char *path, struct exitlat_header *h, uint64_t **samples,
			 size_t *n, char err[EXITLAT_ERR_MAX])
{
	struct exitlat_reader r;
	uint64_t *v = NULL;
	size_t len = 0, cap = 0, got;

	if (exitlat_reader_open(&r, path)) {
		memcpy(err, r.err, EXITLAT_ERR_MAX);
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			size_t ncap = cap ? 2 * cap : 65536;
			uint64_t *nv = realloc(v, ncap * sizeof(*v));

			if (!nv) {
				snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", r.path);
				goto err_free;
			}
			v = nv;
			cap = ncap;
		}
		if (exitlat_reader_next(&r, v + len, cap - len, &got)) {
			memcpy(err, r.err, EXITLAT_ERR_MAX);
			goto err_free;
		}
		if (got == 0)
			break;
		len += got;
	}
	*h = r.header;
	r.header = (struct exitlat_header){ 0 };
	exitlat_reader_close(&r);
	*samples = v;
	*n = len;
	return 0;

err_free:
	free(v);
	exitlat_reader_close(&r);
	return -1;
}
