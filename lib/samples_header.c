// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/samples.h"

const char *exitlat_header_get(const struct exitlat_header *h, const char *key)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->kv[i].key, key) == 0)
			return h->kv[i].value;
	return NULL;
}

int exitlat_header_set(struct exitlat_header *h, const char *key, const char *value)
{
	char *v = strdup(value);

	if (!v)
		return -1;
	for (size_t i = 0; i < h->n; i++) {
		if (strcmp(h->kv[i].key, key) == 0) {
			free(h->kv[i].value);
			h->kv[i].value = v;
			return 0;
		}
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		struct exitlat_kv *kv = realloc(h->kv, cap * sizeof(*kv));

		if (!kv)
			goto err_free;
		h->kv = kv;
		h->cap = cap;
	}
	h->kv[h->n].key = strdup(key);
	if (!h->kv[h->n].key)
		goto err_free;
	h->kv[h->n++].value = v;
	return 0;

err_free:
	free(v);
	return -1;
}

int exitlat_header_setf(struct exitlat_header *h, const char *key, const char *fmt, ...)
{
	char *v;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&v, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	ret = exitlat_header_set(h, key, v);
	free(v);
	return ret;
}

void exitlat_header_free(struct exitlat_header *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->kv[i].key);
		free(h->kv[i].value);
	}
	free(h->kv);
	*h = (struct exitlat_header){ 0 };
}
