// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
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

/* A decimal integer of digits only, up to 2^64-1, in @s[0..len). Returns 0 or -1. */
static int parse_u64(const char *s, size_t len, uint64_t *v)
{
	*v = 0;
	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || __builtin_mul_overflow(*v, 10, v) ||
		    __builtin_add_overflow(*v, (uint64_t)(s[i] - '0'), v))
			return -1;
	}
	return 0;
}

/* "N" or "N (REASON)"; *reason is NULL for the first form. Returns 0 or -1. */
static int parse_dropped(const char *s, uint64_t *n, const char **reason, size_t *rlen)
{
	const char *sp = strchr(s, ' ');
	size_t len = strlen(s);

	*reason = NULL;
	*rlen = 0;
	if (!sp)
		return parse_u64(s, len, n);
	/* " (" + at least one character + ")" */
	if (parse_u64(s, sp - s, n) || len < (size_t)(sp - s) + 4 || sp[1] != '(' ||
	    s[len - 1] != ')')
		return -1;
	*reason = sp + 2;
	*rlen = len - (sp - s) - 3;
	return 0;
}

static bool is_unknown_text(const char *s)
{
	return !strncmp(s, "unknown", 7) && (s[7] == '\0' || s[7] == ' ');
}

/* An emulator's name as exitlat.emulated= gives it: lower case, no blanks. */
static bool is_emulator_name(const char *s)
{
	if (!*s || strlen(s) > 64 || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr("._+-", *s)))
			return false;
	return true;
}

/* A breakdown segment's name (docs/breakdown.md): [a-z0-9] words joined by '-'. */
static bool is_segment_name(const char *s, size_t len)
{
	if (!len || len > EXITLAT_SEGMENT_MAX || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && s[i + 1] != '-')))
			return false;
	return true;
}

/*
 * breakdown_segments: "trip" and at least one segment, single blanks between
 * names, each name once. Returns NULL, or the first name seen twice (its
 * length in *@len), or "" for any other fault.
 */
static const char *segments_fault(const char *v, size_t *len)
{
	size_t n = 0;

	if (strncmp(v, "trip ", 5))
		return "";
	for (const char *p = v; *p; n++) {
		size_t l = strcspn(p, " ");

		if (!is_segment_name(p, l) || n >= EXITLAT_SEGMENTS_MAX)
			return "";
		for (const char *q = v; q < p; q += strcspn(q, " ") + 1) {
			if (strcspn(q, " ") == l && !strncmp(q, p, l)) {
				*len = l;
				return p;
			}
		}
		p += l;
		if (*p == ' ' && !*++p)
			return "";
	}
	return NULL;
}

bool exitlat_segment_in(const char *segments, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = segments; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strcspn(p, " ") == len && !strncmp(p, name, len))
			return true;
	return false;
}

__attribute__((format(printf, 3, 4)))
static int bad(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* One key's value; @why names the key and says what was expected. */
static int check_value(const char *key, const char *v, char *why, size_t len)
{
	const char *reason;
	uint64_t x;
	size_t rlen;

	if (!strcmp(key, "source") && strcmp(v, "native") && strcmp(v, "kvm"))
		return bad(why, len, "header 'source' is '%s', expected 'native' or 'kvm'", v);
	if (!strcmp(key, "unit") && strcmp(v, "cycles"))
		return bad(why, len, "header 'unit' is '%s', expected 'cycles'", v);
	if (!strcmp(key, "exit") && exitlat_exit_by_name(v) < 0)
		return bad(why, len, "header 'exit' is '%s', not an exit kind (include/exitlat/"
			   "exit_kinds.h; kvm-probe --list)", v);
	if (!strcmp(key, "domain") && exitlat_domain_by_name(v) <= EXITLAT_DOMAIN_NONE)
		return bad(why, len, "header 'domain' is '%s', expected 'host', 'guest' or 'cross'", v);
	if (!strcmp(key, "tsc_khz") && !is_unknown_text(v) &&
	    (parse_u64(v, strlen(v), &x) || x == 0))
		return bad(why, len, "header 'tsc_khz' is '%s', expected the TSC frequency in kHz "
			   "(a positive integer) or 'unknown'", v);
	if (!strcmp(key, "emulated") && strcmp(v, "no") && !is_emulator_name(v))
		return bad(why, len, "header 'emulated' is '%s', expected 'no' or the emulator's "
			   "name in lower case ('qemu', 'bochs')", v);
	if (!strcmp(key, "dropped") && parse_dropped(v, &x, &reason, &rlen))
		return bad(why, len, "header 'dropped' is '%s', expected a count, and its reason "
			   "in parentheses: '12 (why)'", v);
	if (!strcmp(key, "breakdown_segments") && (reason = segments_fault(v, &rlen)))
		return *reason ? bad(why, len, "header 'breakdown_segments' names '%.*s' twice",
				     (int)rlen, reason) :
			bad(why, len, "header 'breakdown_segments' is '%s', expected 'trip' then "
			    "the segments' names ([a-z0-9-], at most %d), one blank apart", v,
			    EXITLAT_SEGMENTS_MAX - 1);
	if (!strcmp(key, "breakdown_merged") && strcmp(v, "yes") && strcmp(v, "no"))
		return bad(why, len, "header 'breakdown_merged' is '%s', expected 'yes' or 'no'", v);
	return 0;
}

/* Keys whose values must agree with another key's. Returns 0, or -1 with @why. */
static int check_keys(const struct exitlat_header *h, unsigned long *line, char *why,
		      size_t len)
{
	const char *segs = exitlat_header_get(h, "breakdown_segments");

	for (size_t i = 0; i < h->n; i++) {
		const char *v = h->kv[i].value;

		if (strcmp(h->kv[i].key, "breakdown_segment"))
			continue;
		*line = i + 2;
		if (!segs)
			return bad(why, len, "header 'breakdown_segment' without 'breakdown_segments' "
				   "(docs/breakdown.md)");
		if (!exitlat_segment_in(segs, v))
			return bad(why, len, "header 'breakdown_segment' is '%s', not one of '%s' "
				   "(breakdown_segments)", v, segs);
	}
	return 0;
}

int exitlat_header_check(const struct exitlat_header *h, unsigned long *line, char *why,
			 size_t len)
{
	static const char *const required[] = { "source", "exit", "unit" };

	for (size_t i = 0; i < h->n; i++) {
		if (check_value(h->kv[i].key, h->kv[i].value, why, len)) {
			/* Header lines are consecutive from line 2, keys unique. */
			*line = i + 2;
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const char *v = exitlat_header_get(h, required[i]);

		if (!v || !*v) {
			*line = 0;
			return bad(why, len, "missing required header key '%s'", required[i]);
		}
	}
	return check_keys(h, line, why, len);
}

uint64_t exitlat_header_tsc_khz(const struct exitlat_header *h)
{
	const char *v = exitlat_header_get(h, "tsc_khz");
	uint64_t khz;

	return v && !parse_u64(v, strlen(v), &khz) ? khz : 0;
}

int exitlat_header_set_tsc_khz(struct exitlat_header *h, uint64_t khz, const char *why_unknown)
{
	if (khz)
		return exitlat_header_setf(h, "tsc_khz", "%llu", (unsigned long long)khz);
	return exitlat_header_setf(h, "tsc_khz", "unknown (%s)", why_unknown);
}

int exitlat_header_dropped(const struct exitlat_header *h, uint64_t *n, char *reason,
			   size_t len)
{
	const char *v = exitlat_header_get(h, "dropped"), *r;
	size_t rlen;

	*n = 0;
	reason[0] = '\0';
	if (!v || parse_dropped(v, n, &r, &rlen))
		return 0;
	if (r)
		snprintf(reason, len, "%.*s", (int)rlen, r);
	return 1;
}

int exitlat_header_set_dropped(struct exitlat_header *h, uint64_t n, const char *reason)
{
	if (!n)
		return exitlat_header_set(h, "dropped", "0");
	return exitlat_header_setf(h, "dropped", "%llu (%s)", (unsigned long long)n, reason);
}
