// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The static HTML dashboard (see dashboard.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitlat/atomic_dir.h"
#include "exitlat/atomic_file.h"
#include "exitlat/text.h"
#include "exitlat/version.h"
#include "dashboard.h"
#include "db.h"
#include "markdown.h"
#include "metrics.h"
#include "trend.h"

/* A report.md larger than this is linked, not shown. */
#define REPORT_MAX (4 << 20)

struct dash {
	sqlite3 *db;
	const char *dbpath;
	char root[PATH_MAX];		/* the results root, resolved */
	struct history_latest l;
	size_t *order;			/* l.s, regressions first */
	char **fleet;			/* trends/fleet-*.png, sorted */
	size_t nfleet;
};

static const char style[] =
	"body{font-family:sans-serif;margin:1em 2em;color:#111}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;white-space:nowrap}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.regressed td,tr.failed td{background:#fdd;font-weight:bold}"
	"tr.improved td{background:#dfd}"
	"img{max-width:100%;border:1px solid #ddd;margin:4px 0}"
	"blockquote{border-left:4px solid #c33;margin:.5em 0;padding:0 1em;background:#fff4f4}"
	"nav a{margin-right:1em}";

static void text(FILE *f, const char *s)
{
	exitlat_html_text(f, s, strlen(s));
}

/* @up and the path of @folder/@sub, relative to the root when it lies under it. */
static void folder_url(FILE *f, const struct dash *d, const char *up, const char *folder,
		       const char *sub)
{
	size_t n = strlen(d->root);

	if (!strncmp(folder, d->root, n) && folder[n] == '/') {
		exitlat_url_path(f, up, strlen(up));
		folder += n + 1;
	}
	exitlat_url_path(f, folder, strlen(folder));
	if (sub) {
		fputc('/', f);
		exitlat_url_path(f, sub, strlen(sub));
	}
}

static bool root_has(const struct dash *d, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	return snprintf(p, sizeof(p), "%s/%s", d->root, rel) < (int)sizeof(p) &&
	       !stat(p, &st) && S_ISREG(st.st_mode);
}

static void head(FILE *f, const char *title, const char *up)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", f);
	text(f, title);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<nav><a href=\"%sindex.html\">"
		"fleet</a></nav>\n", style, up);
}

static void tail(FILE *f)
{
	fprintf(f, "<p><small>exitlat-history %s</small></p>\n</body></html>\n", EXITLAT_VERSION);
}

/* trends/HOSTDIR/trend-HOSTDIR--TRACK.png as exitlat-nightly draws it; NULL when absent. */
static char *trend_png(const struct dash *d, const char *host, const char *track)
{
	char *hs = history_slug_bounded(host, HISTORY_HOSTDIR_MAX);
	char *ts = history_slug_bounded(track, HISTORY_TRACKNAME_MAX), *p = NULL;

	if (hs && ts && asprintf(&p, "trends/%s/trend-%s--%s.png", hs, hs, ts) < 0)
		p = NULL;
	if (p && !root_has(d, p)) {
		free(p);
		p = NULL;
	}
	free(hs);
	free(ts);
	return p;
}

static void host_page_url(FILE *f, const char *up, const char *host)
{
	char *hs = history_slug_bounded(host, HISTORY_HOSTDIR_MAX);

	fprintf(f, "%shost-", up);
	if (hs)
		exitlat_url_path(f, hs, strlen(hs));
	fputs(".html", f);
	free(hs);
}

/* The latest series of every host (or @host), regressions first. */
static void series_table(FILE *f, const struct dash *d, const char *up, const char *dash_up,
			 const char *host)
{
	fputs("<table id=\"latest\"><thead><tr><th>host</th><th>kind</th><th>source</th>"
	      "<th>domain</th><th>environment</th><th>median (cycles)</th><th>p99 (cycles)</th>"
	      "<th>state</th><th>night</th></tr></thead>\n<tbody>\n", f);
	for (size_t k = 0; k < d->l.ns; k++) {
		const struct latest_series *s = &d->l.s[d->order[k]];

		if (host && strcmp(host, s->label[0]))
			continue;
		fprintf(f, "<tr class=\"%s\"><td><a href=\"", s->state);
		host_page_url(f, dash_up, s->label[0]);
		fputs("\">", f);
		text(f, s->label[0]);
		fputs("</a></td>", f);
		for (int i = 1; i < 5; i++) {
			fputs("<td>", f);
			text(f, s->label[i]);
			fputs("</td>", f);
		}
		fprintf(f, "<td class=\"num\">%.6g</td><td class=\"num\">%.6g</td><td>%s</td>",
			s->median, s->p99, s->state);
		fprintf(f, "<td><a href=\"%srun-%lld.html\">", dash_up, s->run_id);
		text(f, s->time_text);
		fputs("</a> (<a href=\"", f);
		folder_url(f, d, up, s->folder, NULL);
		fputs("/\">files</a>)</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void figure(FILE *f, const char *up, const char *rel, const char *alt)
{
	fprintf(f, "<p><img src=\"%s", up);
	exitlat_url_path(f, rel, strlen(rel));
	fputs("\" alt=\"", f);
	text(f, alt);
	fputs("\"></p>\n", f);
}

static int index_page(const struct dash *d, FILE *f)
{
	size_t regressed = 0, failed = 0;
	const char *latest = "";

	for (size_t i = 0; i < d->l.ns; i++)
		regressed += d->l.s[i].regressed;
	for (size_t i = 0; i < d->l.nh; i++) {
		failed += d->l.h[i].failed;
		if (strcmp(d->l.h[i].time_text, latest) > 0)
			latest = d->l.h[i].time_text;
	}
	head(f, "exitlat fleet", "");
	fprintf(f, "<h1>exitlat: %zu hosts, latest night ", d->l.nh);
	text(f, latest);
	fprintf(f, "</h1>\n<p id=\"summary\">%zu regressed series; %zu hosts whose latest night "
		"failed.</p>\n", regressed, failed);
	fputs("<h2>Latest night per host and series</h2>\n", f);
	series_table(f, d, "", "dashboard/", NULL);
	if (regressed)
		fputs("<h2>Trends of the regressed series</h2>\n", f);
	for (size_t k = 0; k < d->l.ns && d->l.s[d->order[k]].regressed; k++) {
		const struct latest_series *s = &d->l.s[d->order[k]];
		char *png = trend_png(d, s->label[0], s->track);

		if (png)
			figure(f, "", png, s->track);
		free(png);
	}
	fputs("<h2>Hosts</h2>\n<table id=\"hosts\"><thead><tr><th>host</th><th>latest night</th>"
	      "<th>status</th><th>CPU</th><th>kernel</th><th>microcode</th><th>exitlat</th>"
	      "</tr></thead>\n<tbody>\n", f);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->l.nh; i++) {
			const struct latest_host *h = &d->l.h[i];

			if (h->failed != !pass)
				continue;
			fprintf(f, "<tr class=\"%s\"><td><a href=\"", h->failed ? "failed" : "ok");
			host_page_url(f, "dashboard/", h->label[0]);
			fputs("\">", f);
			text(f, h->label[0]);
			fprintf(f, "</a></td><td><a href=\"dashboard/run-%lld.html\">", h->run_id);
			text(f, h->time_text);
			fputs("</a></td><td>", f);
			text(f, h->status);
			if (*h->reason) {
				fputs(": ", f);
				text(f, h->reason);
			}
			fputs("</td>", f);
			for (int k = 3; k > 0; k--) {
				fputs("<td>", f);
				text(f, h->label[k == 3 ? 3 : k == 2 ? 1 : 2]);
				fputs("</td>", f);
			}
			fputs("<td>", f);
			text(f, h->label[4]);
			fputs("</td></tr>\n", f);
		}
	fputs("</tbody></table>\n", f);
	if (d->nfleet)
		fputs("<h2>Fleet</h2>\n", f);
	for (size_t i = 0; i < d->nfleet; i++)
		figure(f, "", d->fleet[i], d->fleet[i]);
	tail(f);
	return ferror(f) ? -1 : 0;
}

static int host_page(const struct dash *d, const struct latest_host *h, FILE *f)
{
	sqlite3_stmt *st;
	int rc;

	head(f, h->label[0], "../");
	fputs("<h1>", f);
	text(f, h->label[0]);
	fputs("</h1>\n<p>", f);
	text(f, h->label[3]);
	fputs(", kernel ", f);
	text(f, h->label[1]);
	fputs(", microcode ", f);
	text(f, h->label[2]);
	fputs(", exitlat ", f);
	text(f, h->label[4]);
	fputs("</p>\n<h2>Latest night</h2>\n", f);
	series_table(f, d, "../", "", h->label[0]);
	fputs("<h2>Trends</h2>\n", f);
	st = history_prepare(d->db, d->dbpath,
		"SELECT DISTINCT s.track FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE r.host = ?1 AND r.status <> 'failed' ORDER BY 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, h->label[0], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *track = (const char *)sqlite3_column_text(st, 0);
		char *png = trend_png(d, h->label[0], track ? track : "");

		if (png)
			figure(f, "../", png, track);
		free(png);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto err;
	fputs("<h2>Runs</h2>\n<table id=\"runs\"><thead><tr><th>night</th><th>status</th>"
	      "<th>kernel</th><th>report</th><th>files</th></tr></thead>\n<tbody>\n", f);
	st = history_prepare(d->db, d->dbpath,
		"SELECT id, time, status, reason, kernel, folder FROM runs WHERE host = ?1\n"
		"ORDER BY time DESC");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, h->label[0], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c[6];

		for (int i = 1; i < 6; i++)
			c[i] = (const char *)sqlite3_column_text(st, i);
		if (!c[1] || !c[2] || !c[3] || !c[4] || !c[5])
			continue;
		fprintf(f, "<tr class=\"%s\"><td>", !strcmp(c[2], "failed") ? "failed" : "ok");
		text(f, c[1]);
		fputs("</td><td>", f);
		text(f, c[2]);
		if (*c[3]) {
			fputs(": ", f);
			text(f, c[3]);
		}
		fputs("</td><td>", f);
		text(f, c[4]);
		fprintf(f, "</td><td><a href=\"run-%lld.html\">report</a></td><td><a href=\"",
			(long long)sqlite3_column_int64(st, 0));
		folder_url(f, d, "../", c[5], NULL);
		fputs("/\">folder</a></td></tr>\n", f);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto err;
	fputs("</tbody></table>\n", f);
	tail(f);
	return ferror(f) ? -1 : 0;
err:
	fprintf(stderr, "%s: %s\n", d->dbpath, sqlite3_errmsg(d->db));
	return -1;
}

/* @folder/report.md, or NULL (absent, unreadable, too large). */
static char *read_report(const char *folder, size_t *len)
{
	char p[PATH_MAX];
	char *buf = NULL;
	struct stat st;
	FILE *f;

	if (snprintf(p, sizeof(p), "%s/report.md", folder) >= (int)sizeof(p))
		return NULL;
	f = fopen(p, "r");
	if (!f)
		return NULL;
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && st.st_size <= REPORT_MAX &&
	    (buf = malloc(st.st_size + 1)))
		*len = fread(buf, 1, st.st_size, f);
	fclose(f);
	return buf;
}

static int run_page(const struct dash *d, sqlite3_stmt *st, FILE *f)
{
	const char *host = (const char *)sqlite3_column_text(st, 1);
	const char *time = (const char *)sqlite3_column_text(st, 2);
	const char *status = (const char *)sqlite3_column_text(st, 3);
	const char *folder = (const char *)sqlite3_column_text(st, 4);
	char *md, *prefix = NULL;
	size_t len = 0, psize = 0;
	FILE *pf;

	if (!host || !time || !status || !folder)
		return 0;
	head(f, host, "../");
	fputs("<p><a href=\"", f);
	host_page_url(f, "", host);
	fputs("\">", f);
	text(f, host);
	fputs("</a>, night ", f);
	text(f, time);
	fputs(" (", f);
	text(f, status);
	fputs("): <a href=\"", f);
	folder_url(f, d, "../", folder, "report.md");
	fputs("\">report.md</a>, <a href=\"", f);
	folder_url(f, d, "../", folder, NULL);
	fputs("/\">the run's files</a></p>\n<hr>\n", f);
	md = read_report(folder, &len);
	/* the report's own links: into its folder, from here */
	pf = open_memstream(&prefix, &psize);
	if (!pf) {
		free(md);
		return -1;
	}
	folder_url(pf, d, "../", folder, NULL);
	fputc('/', pf);
	if (fclose(pf)) {
		free(md);
		return -1;
	}
	if (md) {
		history_markdown_html(f, md, len, prefix);
	} else {
		fputs("<p>No readable report.md in ", f);
		text(f, folder);
		fputs(".</p>\n", f);
	}
	free(md);
	free(prefix);
	tail(f);
	return ferror(f) ? -1 : 0;
}

static bool is_ours(const char *name)
{
	size_t n = strlen(name);

	return (!strncmp(name, "host-", 5) || !strncmp(name, "run-", 4)) && n > 5 &&
	       !strcmp(name + n - 5, ".html");
}

/* Opens @dir/@name for a page of the set. */
static FILE *page(const char *dir, const char *name)
{
	char p[PATH_MAX];
	FILE *f;

	if (snprintf(p, sizeof(p), "%s/%s", dir, name) >= (int)sizeof(p)) {
		fprintf(stderr, "%s/%s: path too long\n", dir, name);
		return NULL;
	}
	f = fopen(p, "w");
	if (!f)
		fprintf(stderr, "%s: cannot write: %s\n", p, strerror(errno));
	return f;
}

static int close_page(FILE *f, int r, const char *dir)
{
	if (fclose(f) || r) {
		fprintf(stderr, "%s: a page could not be written\n", dir);
		return -1;
	}
	return 0;
}

static int pages(struct dash *d, const char *dir)
{
	sqlite3_stmt *st;
	char name[64 + HISTORY_HOSTDIR_MAX];
	int n = 0, rc;
	FILE *f;

	for (size_t i = 0; i < d->l.nh; i++) {
		char *hs = history_slug_bounded(d->l.h[i].label[0], HISTORY_HOSTDIR_MAX);

		if (!hs)
			return -1;
		snprintf(name, sizeof(name), "host-%s.html", hs);
		free(hs);
		if (!(f = page(dir, name)) || close_page(f, host_page(d, &d->l.h[i], f), dir))
			return -1;
		n++;
	}
	st = history_prepare(d->db, d->dbpath, "SELECT id, host, time, status, folder FROM runs");
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(name, sizeof(name), "run-%lld.html", (long long)sqlite3_column_int64(st, 0));
		if (!(f = page(dir, name)) || close_page(f, run_page(d, st, f), dir)) {
			sqlite3_finalize(st);
			return -1;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", d->dbpath, sqlite3_errmsg(d->db));
		return -1;
	}
	return n;
}

static const struct history_latest *sort_l;

/* Regressions first, then the history's order (host, track). */
static int by_state(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int rx = !sort_l->s[x].regressed, ry = !sort_l->s[y].regressed;

	return rx != ry ? rx - ry : (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fleet figures exitlat-nightly drew: trends/fleet-*.png. */
static int find_fleet(struct dash *d)
{
	char p[PATH_MAX + 16];
	struct dirent *e;
	DIR *dir;

	snprintf(p, sizeof(p), "%s/trends", d->root);
	dir = opendir(p);
	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);
		char **nf;

		if (strncmp(e->d_name, "fleet-", 6) || n < 10 || strcmp(e->d_name + n - 4, ".png"))
			continue;
		nf = realloc(d->fleet, (d->nfleet + 1) * sizeof(*nf));
		if (!nf || asprintf(&nf[d->nfleet], "trends/%s", e->d_name) < 0) {
			d->fleet = nf ? nf : d->fleet;
			closedir(dir);
			return -1;
		}
		d->fleet = nf;
		d->nfleet++;
	}
	closedir(dir);
	qsort(d->fleet, d->nfleet, sizeof(*d->fleet), cmp_str);
	return 0;
}

int history_dashboard(sqlite3 *db, const char *dbpath, const char *root,
		      const struct regress_params *p)
{
	struct dash d = { .db = db, .dbpath = dbpath };
	struct exitlat_atomic_dir ad;
	struct exitlat_atomic_file af;
	char err[EXITLAT_ERR_MAX], dir[PATH_MAX + 16], index[PATH_MAX + 16];
	int n = -1;

	if (!realpath(root, d.root)) {
		fprintf(stderr, "%s: %s\n", root, strerror(errno));
		return -1;
	}
	if (history_latest_load(db, dbpath, NULL, p, &d.l))
		return -1;
	d.order = malloc((d.l.ns + 1) * sizeof(*d.order));
	if (!d.order || find_fleet(&d)) {
		fprintf(stderr, "%s: out of memory\n", root);
		goto out;
	}
	for (size_t i = 0; i < d.l.ns; i++)
		d.order[i] = i;
	sort_l = &d.l;
	qsort(d.order, d.l.ns, sizeof(*d.order), by_state);

	/* The host and run pages as one set, then the index that links into it. */
	snprintf(dir, sizeof(dir), "%s/dashboard", d.root);
	if (exitlat_atomic_dir_open(&ad, dir, is_ours, err)) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	chmod(ad.tmp_path, 0755); /* a web server's user reads it too */
	n = pages(&d, ad.tmp_path);
	if (n < 0) {
		exitlat_atomic_dir_abort(&ad);
		goto out;
	}
	if (exitlat_atomic_dir_commit(&ad, err)) {
		fprintf(stderr, "%s\n", err);
		n = -1;
		goto out;
	}
	snprintf(index, sizeof(index), "%s/index.html", d.root);
	if (exitlat_atomic_open(&af, index)) {
		fprintf(stderr, "%s: cannot write: %s\n", index, af.err);
		n = -1;
		goto out;
	}
	if (index_page(&d, af.f)) {
		exitlat_atomic_abort(&af);
		fprintf(stderr, "%s: cannot write\n", index);
		n = -1;
		goto out;
	}
	if (exitlat_atomic_commit(&af)) {
		fprintf(stderr, "%s: %s\n", index, af.err);
		n = -1;
		goto out;
	}
	n++;
out:
	for (size_t i = 0; i < d.nfleet; i++)
		free(d.fleet[i]);
	free(d.fleet);
	free(d.order);
	history_latest_free(&d.l);
	return n;
}
