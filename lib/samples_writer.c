// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/atomic_file.h"
#include "exitlat/samples.h"

__attribute__((format(printf, 2, 3)))
static int fail(struct exitlat_writer *w, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(w->err, sizeof(w->err), "%s: ", w->a.path ? w->a.path : "?");
	va_start(ap, fmt);
	vsnprintf(w->err + len, sizeof(w->err) - len, fmt, ap);
	va_end(ap);
	return -1;
}

int exitlat_writer_open(struct exitlat_writer *w, const char *path)
{
	*w = (struct exitlat_writer){ 0 };
	if (exitlat_atomic_open(&w->a, path)) {
		memcpy(w->err, w->a.err, sizeof(w->err));
		return -1;
	}
	w->f = w->a.f;
	return 0;
}

static int valid_header_text(const char *s)
{
	return strchr(s, '\n') == NULL && strchr(s, '\r') == NULL;
}

int exitlat_writer_header(struct exitlat_writer *w, const struct exitlat_header *h)
{
	char why[EXITLAT_ERR_MAX];
	unsigned long line;

	/* What a reader would refuse is never written. */
	if (exitlat_header_check(h, &line, why, sizeof(why)))
		return fail(w, "%s", why);
	fprintf(w->f, "%s %d\n", EXITLAT_SAMPLES_MAGIC, EXITLAT_SAMPLES_VERSION);
	for (size_t i = 0; i < h->n; i++) {
		if (!valid_header_text(h->kv[i].key) || !valid_header_text(h->kv[i].value))
			return fail(w, "header key '%s' holds a line break", h->kv[i].key);
		fprintf(w->f, "# %s: %s\n", h->kv[i].key, h->kv[i].value);
	}
	w->header_done = 1;
	return ferror(w->f) ? fail(w, "write error: %s", strerror(errno)) : 0;
}

int exitlat_writer_samples(struct exitlat_writer *w, const uint64_t *v, size_t n)
{
	char buf[8192];
	size_t len = 0;

	if (!w->header_done)
		return fail(w, "samples written before the header");
	for (size_t i = 0; i < n; i++) {
		char digits[20];
		int d = 0;
		uint64_t x = v[i];

		do {
			digits[d++] = '0' + x % 10;
			x /= 10;
		} while (x);
		if (len + d + 1 > sizeof(buf)) {
			fwrite(buf, 1, len, w->f);
			len = 0;
		}
		while (d)
			buf[len++] = digits[--d];
		buf[len++] = '\n';
	}
	fwrite(buf, 1, len, w->f);
	return ferror(w->f) ? fail(w, "write error: %s", strerror(errno)) : 0;
}

int exitlat_writer_commit(struct exitlat_writer *w)
{
	w->f = NULL;
	if (exitlat_atomic_commit(&w->a)) {
		memcpy(w->err, w->a.err, sizeof(w->err));
		return -1;
	}
	return 0;
}

void exitlat_writer_abort(struct exitlat_writer *w)
{
	exitlat_atomic_abort(&w->a);
	w->f = NULL;
}

int exitlat_samples_save(const char *path, const struct exitlat_header *h,
			 const uint64_t *v, size_t n, char err[EXITLAT_ERR_MAX])
{
	struct exitlat_writer w;

	if (exitlat_writer_open(&w, path))
		goto err;
	if (exitlat_writer_header(&w, h) || exitlat_writer_samples(&w, v, n)) {
		exitlat_writer_abort(&w);
		goto err;
	}
	if (exitlat_writer_commit(&w))
		goto err;
	return 0;
err:
	memcpy(err, w.err, EXITLAT_ERR_MAX);
	return -1;
}
