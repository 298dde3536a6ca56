// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "series.h"

/* Samples per reader call: 512 KiB, small enough to stay in cache. */
#define CHUNK 65536

char *slug_dup(const char *s)
{
	char *d = strdup(s);

	for (char *p = d; p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '+' || *p == '-'))
			*p = '_';
	return d;
}

static const char *get_or(const struct exitlat_header *h, const char *key, const char *def)
{
	const char *v = exitlat_header_get(h, key);

	return v && *v ? v : def;
}

/* Keeps the earliest 'time' (ISO 8601 UTC sorts as text). Returns 0 or -1. */
static int env_time(struct env *e, const struct exitlat_header *h)
{
	const char *t = exitlat_header_get(h, "time");

	if (!t || !*t || (e->time && strcmp(t, e->time) >= 0))
		return 0;
	free(e->time);
	e->time = strdup(t);
	return e->time ? 0 : -1;
}

static int find_env(struct series_set *set, const struct exitlat_header *h, size_t *idx)
{
	const char *host = get_or(h, "host", "unknown");
	const char *kernel = get_or(h, "kernel", "unknown");
	const char *emulated = get_or(h, "emulated", "unknown");
	struct env *envs, *e;
	char *slug;

	for (size_t i = 0; i < set->nenv; i++) {
		e = &set->envs[i];
		if (!strcmp(e->host, host) && !strcmp(e->kernel, kernel) &&
		    !strcmp(e->emulated, emulated)) {
			*idx = i;
			return env_time(e, h);
		}
	}
	envs = realloc(set->envs, (set->nenv + 1) * sizeof(*envs));
	if (!envs)
		return -1;
	set->envs = envs;
	if (asprintf(&slug, "%s_%s_%s", host, kernel, emulated) < 0)
		return -1;
	e = &envs[set->nenv];
	*e = (struct env){
		.host = strdup(host),
		.kernel = strdup(kernel),
		.emulated = strdup(emulated),
		.slug = slug_dup(slug),
	};
	free(slug);
	if (!e->host || !e->kernel || !e->emulated || !e->slug)
		return -1;
	*idx = set->nenv++;
	return env_time(e, h);
}

static char *file_tag(const char *path)
{
	const char *base = strrchr(path, '/');
	char *tag, *dot;

	base = base ? base + 1 : path;
	if (!strcmp(path, "-"))
		base = "stdin";
	tag = slug_dup(base);
	if (tag && (dot = strstr(tag, ".samples")) && dot[8] == '\0')
		*dot = '\0';
	return tag;
}

/* Adds a file's 'dropped' header to @s. Returns 0, or -1 when out of memory. */
static int add_drops(struct series *s, const struct exitlat_header *h)
{
	char reason[EXITLAT_LINE_MAX + 1], *joined;
	const char *why;
	size_t len;
	uint64_t n;

	if (!exitlat_header_dropped(h, &n, reason, sizeof(reason))) {
		s->drops_unrecorded++;
		return 0;
	}
	if (!n)
		return 0;
	if (__builtin_add_overflow(s->dropped, n, &s->dropped))
		s->dropped = UINT64_MAX;
	why = reason[0] ? reason : "reason not recorded";
	/* Each reason once: "A; B", never "A; A". */
	len = strlen(why);
	for (const char *p = s->drop_reasons; p; p = strstr(p, "; "), p = p ? p + 2 : NULL)
		if (!strncmp(p, why, len) && (p[len] == '\0' || !strncmp(p + len, "; ", 2)))
			return 0;
	if (asprintf(&joined, "%s%s%s", s->drop_reasons ? s->drop_reasons : "",
		     s->drop_reasons ? "; " : "", why) < 0)
		return -1;
	free(s->drop_reasons);
	s->drop_reasons = joined;
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static char *strdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/*
 * Remembers a breakdown set's file: its set is its folder (device and
 * inode, whatever the path's spelling) and the set's breakdown_files.
 * Returns 0, or -1 when out of memory.
 */
static int add_bd_file(struct series_set *set, struct series *s, const char *path,
		       const struct exitlat_header *h)
{
	const char *files = exitlat_header_get(h, "breakdown_files");
	char *copy, *key;
	struct bd_file *bd;
	struct stat st;
	int ret;

	if (!strcmp(path, "-")) {
		fprintf(stderr, "exitlat-analyze: warning: standard input: a breakdown set's file "
			"is read again for its shares, so it cannot come from standard input: "
			"no breakdown of its set\n");
		return 0;
	}
	copy = strdup(path);
	if (!copy)
		return -1;
	ret = stat(dirname(copy), &st);
	free(copy);
	if (ret) {
		fprintf(stderr, "exitlat-analyze: warning: %s: its folder: %s: no breakdown of its "
			"set\n", path, strerror(errno));
		return 0;
	}
	if (asprintf(&key, "%llu:%llu/%s", (unsigned long long)st.st_dev,
		     (unsigned long long)st.st_ino, files ? files : "") < 0)
		return -1;
	bd = realloc(set->bd, (set->nbd + 1) * sizeof(*bd));
	if (!bd) {
		free(key);
		return -1;
	}
	set->bd = bd;
	bd[set->nbd] = (struct bd_file){ .path = strdup(path), .set = key, .s = s };
	if (!bd[set->nbd].path) {
		free(key);
		return -1;
	}
	set->nbd++;
	return 0;
}

/* The series a file's samples go to, created when new. NULL with @err set on error. */
static struct series *series_for(struct series_set *set, struct exitlat_reader *r,
				 const char *path, char err[EXITLAT_ERR_MAX])
{
	const struct exitlat_header *h = &r->header;
	const char *source = exitlat_header_get(h, "source");
	const char *exit = exitlat_header_get(h, "exit");
	const char *dom = exitlat_header_get(h, "domain");
	/* The reader checked every value (exitlat_header_check): the kind is known. */
	int kind = exitlat_exit_by_name(exit);
	int domain = dom ? exitlat_domain_by_name(dom) :
		     strcmp(source, "native") ? (int)exitlat_exits[kind].kvm_domain :
		     (int)exitlat_exits[kind].native_domain;
	/* 0 for "unknown (...)": no nanoseconds then. */
	uint64_t tsc_khz = exitlat_header_tsc_khz(h);
	enum exitlat_verified ver;
	/* The reader checked these too: a segment is one of the set's names. */
	const char *seg = exitlat_header_get(h, "breakdown_segment");
	const char *segs = seg ? exitlat_header_get(h, "breakdown_segments") : NULL;
	const char *merged = exitlat_header_get(h, "breakdown_merged");
	const char *v;
	struct series *s = NULL, **ss;
	char *tag = NULL, **files;
	size_t env;

	if (find_env(set, h, &env))
		goto err_nomem;
	if (set->by_file && !(tag = file_tag(path)))
		goto err_nomem;
	for (size_t i = 0; i < set->n && !set->by_file; i++) {
		s = set->s[i];
		if (s->env == env && s->domain == domain && !strcmp(s->source, source) &&
		    !strcmp(s->exit, exit) && same_str(s->segment, seg) &&
		    same_str(s->segments, segs))
			break;
		s = NULL;
	}
	if (!s) {
		ss = realloc(set->s, (set->n + 1) * sizeof(*ss));
		if (!ss)
			goto err_nomem;
		set->s = ss;
		s = calloc(1, sizeof(*s));
		if (!s)
			goto err_nomem;
		set->s[set->n++] = s;
		*s = (struct series){
			.env = env,
			.source = strdup(source),
			.exit = strdup(exit),
			.kind = kind,
			.domain = domain,
			.file_tag = tag,
			.tsc_khz = tsc_khz,
			.tsc = tsc_khz ? TSC_KNOWN : TSC_UNKNOWN,
			.segment = strdup_or_null(seg),
			.segments = strdup_or_null(segs),
			.merged = seg && merged && !strcmp(merged, "yes"),
			.covers = seg ? strdup_or_null(exitlat_header_get(h, "breakdown_covers"))
				      : NULL,
		};
		tag = NULL;
		if (!s->source || !s->exit || !same_str(s->segment, seg) ||
		    !same_str(s->segments, segs) ||
		    (seg && exitlat_header_get(h, "breakdown_covers") && !s->covers))
			goto err_nomem;
	} else if (s->tsc != TSC_CONFLICT && (s->tsc_khz != tsc_khz)) {
		/* One file without tsc_khz, or two that disagree: no ns for the series. */
		if (s->tsc == TSC_KNOWN || tsc_khz)
			fprintf(stderr, "exitlat-analyze: warning: %s: tsc_khz differs from the "
				"other files of %s %s; no nanoseconds for that series\n",
				r->path, source, exit);
		s->tsc = TSC_CONFLICT;
	}
	if (add_drops(s, h))
		goto err_nomem;
	/* How the tool checked the exits: the files' word, or none where they differ. */
	ver = exitlat_verified_by_name(exitlat_header_get(h, "verified"));
	if (s->nfiles == 0)
		s->verified = ver;
	else if (s->verified != ver)
		s->verified = EXITLAT_VERIFIED_UNSAID;
	if (seg && add_bd_file(set, s, path, h))
		goto err_nomem;
	/* kvm-probe's verdict on the instrument's cost ("large: ..." / "small: ..."). */
	if ((v = exitlat_header_get(h, "instrument_overhead"))) {
		if (!strncmp(v, "large:", 6))
			s->overhead = OVERHEAD_LARGE;
		else if (!strncmp(v, "small:", 6) && s->overhead != OVERHEAD_LARGE)
			s->overhead = OVERHEAD_SMALL;
	}
	files = realloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
	if (!files)
		goto err_nomem;
	s->files = files;
	if (!(s->files[s->nfiles] = strdup(r->path)))
		goto err_nomem;
	s->nfiles++;
	free(tag);
	return s;

err_nomem:
	free(tag);
	snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", r->path);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Remembers the open file of @r; -1 with @err set when it was read before. */
static int input_once(struct series_set *set, const struct exitlat_reader *r,
		      char err[EXITLAT_ERR_MAX])
{
	struct input_file *in;
	struct stat st;

	if (fstat(r->fd, &st) != 0) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: %s", r->path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < set->ninputs; i++) {
		if (set->inputs[i].dev == st.st_dev && set->inputs[i].ino == st.st_ino) {
			snprintf(err, EXITLAT_ERR_MAX, "%s: the same file as %s (given twice, or "
				 "a link to it): refused, its samples would count twice", r->path,
				 set->inputs[i].path);
			return -1;
		}
	}
	in = realloc(set->inputs, (set->ninputs + 1) * sizeof(*in));
	if (!in)
		goto err_nomem;
	set->inputs = in;
	in[set->ninputs] = (struct input_file){ .dev = st.st_dev, .ino = st.st_ino,
						.path = strdup(r->path) };
	if (!in[set->ninputs].path)
		goto err_nomem;
	set->ninputs++;
	return 0;

err_nomem:
	snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", r->path);
	return -1;
}

int series_set_add_file(struct series_set *set, const char *path, char err[EXITLAT_ERR_MAX])
{
	static uint64_t buf[CHUNK];
	struct exitlat_reader r;
	struct series *s;
	uint64_t total = 0;
	double start = set->progress ? now() : 0, shown = start;
	size_t got;

	if (exitlat_reader_open(&r, path)) {
		memcpy(err, r.err, EXITLAT_ERR_MAX);
		return -1;
	}
	if (input_once(set, &r, err))
		goto err_close;
	s = series_for(set, &r, path, err);
	if (!s)
		goto err_close;
	for (;;) {
		if (exitlat_reader_next(&r, buf, CHUNK, &got)) {
			memcpy(err, r.err, EXITLAT_ERR_MAX);
			goto err_close;
		}
		if (!got)
			break;
		if (vc_add(&s->vc, buf, got)) {
			snprintf(err, EXITLAT_ERR_MAX, "%s: out of memory", r.path);
			goto err_close;
		}
		total += got;
		if (set->progress && (total & (16 * CHUNK - 1)) == 0 && now() - shown > 0.5) {
			shown = now();
			fprintf(stderr, "\r%s: %.1f M samples, %.1f M/s ", r.path, total / 1e6,
				total / 1e6 / (shown - start));
		}
	}
	if (set->progress && shown != start)
		fprintf(stderr, "\r\033[K");
	if (s->vc.overflow) {
		snprintf(err, EXITLAT_ERR_MAX, "%s: more than 2^64-1 samples in one series",
			 r.path);
		goto err_close;
	}
	exitlat_reader_close(&r);
	return 0;

err_close:
	exitlat_reader_close(&r);
	return -1;
}

bool series_is_native(const struct series *s)
{
	return !strcmp(s->source, "native");
}

bool series_is_null(const struct series *s)
{
	return s->kind >= 0 && exitlat_exits[s->kind].is_null;
}

bool series_is_latency(const struct series *s)
{
	return s->kind >= 0 && exitlat_exits[s->kind].kvm_path == EXITLAT_KVM_IRQ;
}

bool series_is_segment(const struct series *s)
{
	return s->segment != NULL;
}

long double series_ns(const struct series *s, long double cycles)
{
	if (s->tsc != TSC_KNOWN)
		return NAN;
	return cycles * 1e6L / s->tsc_khz;
}

static void series_free(struct series *s)
{
	for (size_t j = 0; j < s->nfiles; j++)
		free(s->files[j]);
	free(s->files);
	free(s->id);
	free(s->source);
	free(s->exit);
	free(s->file_tag);
	free(s->drop_reasons);
	free(s->segment);
	free(s->segments);
	free(s->covers);
	vc_free(&s->vc);
	dist_free(&s->d);
	free(s);
}

/* The position of @s's segment in its set's list ("trip" is 0). */
static size_t segment_rank(const struct series *s)
{
	size_t k = 0, len = strlen(s->segment);

	for (const char *p = s->segments; *p; k++) {
		size_t l = strcspn(p, " ");

		if (l == len && !strncmp(p, s->segment, len))
			return k;
		p += l + (p[l] == ' ');
	}
	return k;
}

/* Only for qsort's comparator: the set being sorted. */
static const struct series_set *sorting;

static int cmp_series(const void *pa, const void *pb)
{
	const struct series *a = *(struct series *const *)pa, *b = *(struct series *const *)pb;
	int c;

	c = strcmp(sorting->envs[a->env].slug, sorting->envs[b->env].slug);
	if (c)
		return c;
	/* native before kvm: the ladder's order. */
	c = (int)!series_is_native(a) - (int)!series_is_native(b);
	if (c)
		return c;
	/* Table order; kinds not in the table after it, by name. */
	c = (unsigned int)a->kind < (unsigned int)b->kind ? -1 :
	    (unsigned int)a->kind > (unsigned int)b->kind;
	if (c)
		return c;
	c = strcmp(a->exit, b->exit);
	if (c)
		return c;
	c = a->domain - b->domain;
	if (c)
		return c;
	/* A kind's own series first, then its breakdown sets, each in its list's order. */
	c = (int)series_is_segment(a) - (int)series_is_segment(b);
	if (c)
		return c;
	if (series_is_segment(a)) {
		c = strcmp(a->segments, b->segments);
		if (c)
			return c;
		c = (int)segment_rank(a) - (int)segment_rank(b);
		if (c)
			return c;
	}
	return strcmp(a->file_tag ? a->file_tag : "", b->file_tag ? b->file_tag : "");
}

static int name_series(struct series_set *set, struct series *s)
{
	char *id, *src = slug_dup(s->source), *ex = slug_dup(s->exit);
	int ret;

	if (!src || !ex) {
		free(src);
		free(ex);
		return -1;
	}
	/* A segment's name is [a-z0-9-] (the reader checked it): "kvm-pio.breakdown.trip". */
	ret = asprintf(&id, "%s-%s%s%s%s%s%s%s", src, ex, s->segment ? ".breakdown." : "",
		       s->segment ? s->segment : "", set->nenv > 1 ? "--" : "",
		       set->nenv > 1 ? set->envs[s->env].slug : "", s->file_tag ? "--" : "",
		       s->file_tag ? s->file_tag : "");
	free(src);
	free(ex);
	if (ret < 0)
		return -1;
	s->id = id;
	return 0;
}

/* Two files of one name in different folders (--by file): "-2", "-3", ... */
static int unique_id(struct series_set *set, size_t i)
{
	struct series *s = set->s[i];
	char *base = s->id, *id;
	int k = 1;

	for (size_t j = 0; j < i; j++) {
		if (strcmp(set->s[j]->id, s->id))
			continue;
		if (asprintf(&id, "%s-%d", base, ++k) < 0)
			return -1;
		if (s->id != base)
			free(s->id);
		s->id = id;
		j = (size_t)-1;	/* the new name may collide too: look again */
	}
	if (s->id != base)
		free(base);
	return 0;
}

/* The null series of @s's environment, source and domain, or NULL. */
static const struct series *null_for(const struct series_set *set, const struct series *s)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct series *t = set->s[i];

		if (series_is_null(t) && !series_is_segment(t) && t->env == s->env &&
		    t->domain == s->domain && !strcmp(t->source, s->source) &&
		    (!s->file_tag || !strcmp(t->file_tag ? t->file_tag : "", s->file_tag)))
			return t;
	}
	/* With --by file, any null of the same kind (same run) serves. */
	for (size_t i = 0; s->file_tag && i < set->n; i++) {
		const struct series *t = set->s[i];

		if (series_is_null(t) && !series_is_segment(t) && t->env == s->env &&
		    t->domain == s->domain && !strcmp(t->source, s->source))
			return t;
	}
	return NULL;
}

static void shift_stats(struct dist_stats *st, xdec shift)
{
	st->min -= shift;
	st->max -= shift;
	st->median -= shift;
	st->p25 -= shift;
	st->p75 -= shift;
	st->p90 -= shift;
	st->p99 -= shift;
	st->p999 -= shift;
	st->p9999 -= shift;
	st->mean -= shift;
}

int series_set_finish(struct series_set *set, const struct finish_opts *o)
{
	size_t *order = malloc((set->nenv + 1) * sizeof(*order));
	struct env *envs = malloc((set->nenv + 1) * sizeof(*envs));
	size_t kept = 0;

	if (!order || !envs)
		goto err_nomem;
	/* Environments by slug, so that input order never changes names or rows. */
	for (size_t i = 0; i < set->nenv; i++)
		order[i] = i;
	for (size_t i = 1; i < set->nenv; i++)
		for (size_t j = i; j > 0 && strcmp(set->envs[order[j - 1]].slug,
						   set->envs[order[j]].slug) > 0; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < set->nenv; i++)
		envs[i] = set->envs[order[i]];
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->nenv; j++)
			if (order[j] == set->s[i]->env) {
				set->s[i]->env = j;
				break;
			}
	free(set->envs);
	set->envs = envs;
	envs = NULL;
	free(order);
	order = NULL;

	sorting = set;
	qsort(set->s, set->n, sizeof(*set->s), cmp_series);
	for (size_t i = 0; i < set->n; i++) {
		struct series *s = set->s[i];

		if (!s->vc.total) {
			/* No statistic exists for it; say so rather than print zeros. */
			fprintf(stderr, "exitlat-analyze: warning: %s: no samples; series %s %s "
				"left out\n", s->files[0], s->source, s->exit);
			for (size_t j = 0; j < set->nbd; j++)
				if (set->bd[j].s == s)
					set->bd[j].s = NULL;
			series_free(s);
			set->s[i] = NULL;
			continue;
		}
		set->s[kept++] = s;
	}
	set->n = kept;
	for (size_t i = 0; i < set->n; i++) {
		struct series *s = set->s[i];

		if (name_series(set, s) || unique_id(set, i) || dist_from_counts(&s->d, &s->vc))
			goto err_nomem;
		vc_free(&s->vc);
		if (o->trim > 0)
			s->trimmed = dist_trim_top(&s->d, o->trim, &s->trim_above);
		dist_stats(&s->d, &s->st);
	}
	for (size_t i = 0; i < set->n; i++) {
		struct series *s = set->s[i];
		const struct series *nul;

		if (!o->subtract_null)
			continue;
		/* A segment and its trip add up as measured: none is ever shifted. */
		if (series_is_null(s) || series_is_segment(s)) {
			s->null_state = NULL_IS_NULL;
			continue;
		}
		/* A latency from an event to a handler holds no timing pair to remove. */
		if (series_is_latency(s)) {
			s->null_state = NULL_LATENCY;
			continue;
		}
		nul = null_for(set, s);
		if (!nul) {
			s->null_state = NULL_MISSING;
			fprintf(stderr, "exitlat-analyze: warning: no null series for %s "
				"(source %s, domain %s): left as measured\n", s->id, s->source,
				exitlat_domain_name(s->domain));
			continue;
		}
		s->null_state = NULL_SUBTRACTED;
		s->shift = nul->st.median;
		s->nul = nul;
		shift_stats(&s->st, s->shift);
	}
	return 0;

err_nomem:
	free(order);
	free(envs);
	return -1;
}

void series_set_free(struct series_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		series_free(set->s[i]);
	free(set->s);
	for (size_t i = 0; i < set->nenv; i++) {
		free(set->envs[i].host);
		free(set->envs[i].kernel);
		free(set->envs[i].emulated);
		free(set->envs[i].slug);
		free(set->envs[i].time);
	}
	free(set->envs);
	for (size_t i = 0; i < set->ninputs; i++)
		free(set->inputs[i].path);
	free(set->inputs);
	for (size_t i = 0; i < set->nbd; i++) {
		free(set->bd[i].path);
		free(set->bd[i].set);
	}
	free(set->bd);
	*set = (struct series_set){ 0 };
}
