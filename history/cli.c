// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-history: the nightly history of exitlat runs (docs/nightly.md,
 * docs/history-schema.md). One subcommand per question a lab admin asks.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/atomic_file.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/version.h"
#include "check.h"
#include "db.h"
#include "emit.h"
#include "import.h"
#include "trend.h"

#define EXIT_ALERT 3

static const char *prog = "exitlat-history";

static void usage(FILE *f)
{
	fprintf(f,
"usage: exitlat-history [-d FILE] COMMAND [options]\n"
"The history of exitlat runs: one row per run, one per series, regressions.\n"
"\n"
"Commands:\n"
"  import [-F] DIR...        record run folders (results/HOST/UTC/); again: no change\n"
"      -F, --record-failed   record an unfinished or corrupt folder as a failed run\n"
"  runs [-H HOST]            list the runs, oldest first\n"
"  series -e KIND [-H HOST] [-s SOURCE]\n"
"                            one series over the nights (median, p99 in cycles)\n"
"  check [-H HOST] [-n TIME | -a] [-v] [thresholds]\n"
"                            tonight's series against their own past: one line per\n"
"                            regression; exit 3 when there is one\n"
"      -n, --night TIME      judge that night (a run's time) instead of the latest\n"
"      -a, --every-night     judge every night, oldest first\n"
"      -v, --verbose         a line for every series, not only regressions\n"
"      -w, --window N        baseline nights, at most (default %u)\n"
"      -m, --min-nights N    nights needed to measure the noise (default %u)\n"
"      -k, --sigmas K        margin in noise sigmas (1.4826 * MAD; default %g)\n"
"      -r, --floor FRACTION  smallest margin relative to the baseline (default %g)\n"
"      -c, --floor-cycles N  smallest margin in cycles (default %g)\n"
"  export -f csv|json [-H HOST]\n"
"                            every series of every run, with its run's columns\n"
"  trend-data -O DIR [-H HOST]\n"
"                            gnuplot data for plots/trend.gp: DIR/trend-HOST--TRACK.dat\n"
"  fleet-data -O DIR         DIR/fleet.dat: every host's latest night, for trend-fleet.gp\n"
"\n"
"Options of every command:\n"
"  -d, --db FILE             the history (default $EXITLAT_HISTORY_DB, else %s)\n"
"  -H, --host HOST           only this host (the folder name under results/)\n"
"  -f, --format FMT          table (default), csv or json\n"
"  -o, --output FILE         write there (atomically) instead of standard output\n"
"  -h, --help                this help;  -V, --version\n"
"\n"
"Exit status: 0 ok, 1 bad input, a skipped folder or a database error, 2 usage\n"
"error, 3 check found a regression or a failed night.\n",
		REGRESS_DEFAULT_WINDOW, REGRESS_DEFAULT_MIN_NIGHTS, REGRESS_DEFAULT_K,
		REGRESS_DEFAULT_FLOOR_REL, REGRESS_DEFAULT_FLOOR_ABS, HISTORY_DEFAULT_DB);
}

static void __attribute__((format(printf, 1, 2), noreturn)) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	exit(2);
}

static unsigned int parse_uint(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-' || v > 100000)
		usage_error("%s: '%s' is not a whole number in 0..100000", opt, s);
	return (unsigned int)v;
}

static double parse_double(const char *opt, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < 0)
		usage_error("%s: '%s' is not a number >= 0", opt, s);
	return v;
}

struct opts {
	const char *db;
	const char *host;
	const char *output;
	const char *outdir;
	const char *exit_kind;
	const char *source;
	enum emit_format format;
	bool format_set;
	bool record_failed;
	struct check_opts check;
};

/* Options of every command; a command refuses those it does not take. */
static const struct option longopts[] = {
	{ "db",            required_argument, NULL, 'd' },
	{ "host",          required_argument, NULL, 'H' },
	{ "format",        required_argument, NULL, 'f' },
	{ "output",        required_argument, NULL, 'o' },
	{ "out",           required_argument, NULL, 'O' },
	{ "exit",          required_argument, NULL, 'e' },
	{ "source",        required_argument, NULL, 's' },
	{ "record-failed", no_argument,       NULL, 'F' },
	{ "night",         required_argument, NULL, 'n' },
	{ "every-night",   no_argument,       NULL, 'a' },
	{ "verbose",       no_argument,       NULL, 'v' },
	{ "window",        required_argument, NULL, 'w' },
	{ "min-nights",    required_argument, NULL, 'm' },
	{ "sigmas",        required_argument, NULL, 'k' },
	{ "floor",         required_argument, NULL, 'r' },
	{ "floor-cycles",  required_argument, NULL, 'c' },
	{ "help",          no_argument,       NULL, 'h' },
	{ "version",       no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void parse(int argc, char **argv, const char *cmd, const char *allowed, struct opts *o)
{
	int c, fmt;
	const char *why;

	optind = 0; /* GNU getopt: a full restart for the subcommand's own argv */
	while ((c = getopt_long(argc, argv, ":d:H:f:o:O:e:s:Fn:avw:m:k:r:c:hV", longopts,
				NULL)) != -1) {
		if (c == '?')
			usage_error("%s: unknown option '%s'", cmd, argv[optind - 1]);
		if (c == ':')
			usage_error("%s: option '%s' wants a value", cmd, argv[optind - 1]);
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == 'V') {
			printf("exitlat-history %s (schema %d)\n", EXITLAT_VERSION,
			       HISTORY_SCHEMA_VERSION);
			exit(0);
		}
		if (c != 'd' && !strchr(allowed, c))
			usage_error("%s does not take '%s'", cmd, argv[optind - 1]);
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'H': o->host = optarg; break;
		case 'o': o->output = optarg; break;
		case 'O': o->outdir = optarg; break;
		case 's':
			if (strcmp(optarg, "native") && strcmp(optarg, "kvm"))
				usage_error("--source: '%s' is not native or kvm", optarg);
			o->source = optarg;
			break;
		case 'e':
			if (exitlat_exit_by_name(optarg) < 0)
				usage_error("--exit: '%s' is not an exit kind", optarg);
			o->exit_kind = optarg;
			break;
		case 'f':
			fmt = emit_format_by_name(optarg);
			if (fmt < 0)
				usage_error("--format: '%s' is not table, csv or json", optarg);
			o->format = fmt;
			o->format_set = true;
			break;
		case 'F': o->record_failed = true; break;
		case 'n': o->check.night = optarg; break;
		case 'a': o->check.every_night = true; break;
		case 'v': o->check.verbose = true; break;
		case 'w': o->check.params.window = parse_uint("--window", optarg); break;
		case 'm': o->check.params.min_nights = parse_uint("--min-nights", optarg); break;
		case 'k': o->check.params.k = parse_double("--sigmas", optarg); break;
		case 'r': o->check.params.floor_rel = parse_double("--floor", optarg); break;
		case 'c': o->check.params.floor_abs = parse_double("--floor-cycles", optarg); break;
		}
	}
	if (regress_params_check(&o->check.params, &why))
		usage_error("%s: %s", cmd, why);
	if (o->check.night && o->check.every_night)
		usage_error("%s: --night and --every-night exclude each other", cmd);
}

static sqlite3 *open_db(const struct opts *o, int create)
{
	sqlite3 *db;

	if (history_db_open(o->db, create, &db))
		exit(1);
	return db;
}

/* Runs @sql with ?1 = host, ?2 = exit, ?3 = source; prints it in the format asked. */
static int run_query(const struct opts *o, const char *sql)
{
	struct exitlat_atomic_file a;
	sqlite3 *db = open_db(o, 0);
	sqlite3_stmt *st = history_prepare(db, o->db, sql);
	FILE *out = stdout;
	long n;

	if (!st)
		goto err_close;
	if (o->host)
		sqlite3_bind_text(st, 1, o->host, -1, SQLITE_STATIC);
	if (o->exit_kind)
		sqlite3_bind_text(st, 2, o->exit_kind, -1, SQLITE_STATIC);
	if (o->source)
		sqlite3_bind_text(st, 3, o->source, -1, SQLITE_STATIC);
	if (o->output) {
		if (exitlat_atomic_open(&a, o->output)) {
			fprintf(stderr, "%s: cannot write: %s\n", o->output, strerror(errno));
			goto err_finalize;
		}
		out = a.f;
	}
	n = emit_rows(st, o->format, out);
	if (n < 0) {
		fprintf(stderr, "%s: %s\n", o->db, sqlite3_errmsg(db));
		if (o->output)
			exitlat_atomic_abort(&a);
		goto err_finalize;
	}
	if (o->output && exitlat_atomic_commit(&a)) {
		fprintf(stderr, "%s: cannot write: %s\n", o->output, strerror(errno));
		goto err_finalize;
	}
	if (!o->output && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "%s: writing standard output: %s\n", prog, strerror(errno));
		goto err_finalize;
	}
	if (n == 0 && o->host)
		fprintf(stderr, "%s: nothing recorded for host %s\n", prog, o->host);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;

err_finalize:
	sqlite3_finalize(st);
err_close:
	sqlite3_close(db);
	return 1;
}

static int cmd_runs(const struct opts *o)
{
	return run_query(o,
		"SELECT time, host, status, kernel, microcode,\n"
		"  iif(emulated = 'no', 'no', 'EMULATED (' || emulated || ')') AS emulated, cpu_model,\n"
		"  (SELECT count(*) FROM series s WHERE s.run_id = r.id) AS series,\n"
		"  version, commit_id, reason, folder\n"
		"FROM runs r WHERE ?1 IS NULL OR host = ?1 ORDER BY time, host");
}

static int cmd_series(const struct opts *o)
{
	if (!o->exit_kind)
		usage_error("series: which exit kind? (--exit KIND)");
	return run_query(o,
		"SELECT r.time, r.host, s.track,\n"
		"  iif(s.emulated = 'no', 'no', 'EMULATED (' || s.emulated || '): path length') AS emulated,\n"
		"  s.kernel, r.microcode,\n"
		"  trim(iif(s.kernel <> lag(s.kernel) OVER w, 'kernel ', '') ||\n"
		"       iif(r.microcode <> lag(r.microcode) OVER w, 'microcode', '')) AS changed,\n"
		"  s.count, s.median, s.p99, s.p25, s.p75, s.min, s.max, s.tsc_khz,\n"
		"  s.null_subtracted, r.status\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE (?1 IS NULL OR r.host = ?1) AND s.exit = ?2 AND (?3 IS NULL OR s.source = ?3)\n"
		"WINDOW w AS (PARTITION BY r.host, s.track ORDER BY r.time)\n"
		"ORDER BY r.host, s.track, r.time");
}

static int cmd_export(const struct opts *o)
{
	if (!o->format_set || o->format == EMIT_TABLE)
		usage_error("export: which format? (--format csv or --format json)");
	return run_query(o,
		"SELECT r.host, r.time, r.status, r.kernel AS host_kernel, r.microcode,\n"
		"  r.cpu_model, r.version, r.commit_id, s.track, s.source, s.exit, s.domain,\n"
		"  s.emulated, s.kernel, s.null_subtracted, s.tsc_khz, s.count, s.min, s.max,\n"
		"  s.mean, s.stddev, s.median, s.p25, s.p75, s.iqr, s.p90, s.p99, s.p999, s.p9999\n"
		"FROM series s JOIN runs r ON r.id = s.run_id\n"
		"WHERE ?1 IS NULL OR r.host = ?1 ORDER BY r.host, r.time, s.track");
}

static int cmd_import(const struct opts *o, int argc, char **argv)
{
	char msg[IMPORT_MSG_MAX];
	sqlite3 *db;
	int bad = 0;

	if (optind >= argc)
		usage_error("import: which run folder? (results/HOST/UTC ...)");
	db = open_db(o, 1);
	if (history_import_init(db)) {
		fprintf(stderr, "%s: %s\n", o->db, sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		enum import_outcome r = history_import(db, o->db, argv[i], o->record_failed,
						       msg, sizeof(msg));

		fprintf(r == IMPORT_SKIPPED || r == IMPORT_ERROR ? stderr : stdout, "%s: %s\n",
			history_import_outcome_name(r), msg);
		if (r == IMPORT_SKIPPED || r == IMPORT_ERROR)
			bad = 1;
	}
	sqlite3_close(db);
	return bad;
}

static int cmd_check(const struct opts *o)
{
	sqlite3 *db = open_db(o, 0);
	struct check_opts c = o->check;
	int n;

	c.host = o->host;
	n = history_check(db, o->db, &c, stdout);
	sqlite3_close(db);
	if (n < 0)
		return 1;
	return n > 0 ? EXIT_ALERT : 0;
}

static int cmd_data(const struct opts *o, bool fleet)
{
	sqlite3 *db;
	int n;

	if (!o->outdir)
		usage_error("%s: where to? (--out DIR)", fleet ? "fleet-data" : "trend-data");
	db = open_db(o, 0);
	n = fleet ? history_fleet_data(db, o->db, o->outdir, stdout)
		  : history_trend_data(db, o->db, o->host, o->outdir, stdout);
	sqlite3_close(db);
	return n < 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .format = EMIT_TABLE };
	const char *cmd;
	int c;

	regress_params_default(&o.check.params);
	o.db = getenv("EXITLAT_HISTORY_DB");
	if (!o.db || !*o.db)
		o.db = HISTORY_DEFAULT_DB;
	/* Options before the command: --db, --help, --version. */
	while ((c = getopt_long(argc, argv, "+:d:hV", longopts, NULL)) != -1) {
		if (c == 'd') {
			o.db = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (c == 'V') {
			printf("exitlat-history %s (schema %d)\n", EXITLAT_VERSION,
			       HISTORY_SCHEMA_VERSION);
			return 0;
		} else {
			usage_error("unknown option '%s' before the command", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		usage_error("which command? (import, runs, series, check, export, trend-data, fleet-data)");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;

	if (!strcmp(cmd, "import")) {
		parse(argc, argv, cmd, "F", &o);
		return cmd_import(&o, argc, argv);
	}
	if (!strcmp(cmd, "runs")) {
		parse(argc, argv, cmd, "Hfo", &o);
		return cmd_runs(&o);
	}
	if (!strcmp(cmd, "series")) {
		parse(argc, argv, cmd, "Hfoes", &o);
		return cmd_series(&o);
	}
	if (!strcmp(cmd, "export")) {
		parse(argc, argv, cmd, "Hfo", &o);
		return cmd_export(&o);
	}
	if (!strcmp(cmd, "check")) {
		parse(argc, argv, cmd, "Hnavwmkrc", &o);
		return cmd_check(&o);
	}
	if (!strcmp(cmd, "trend-data")) {
		parse(argc, argv, cmd, "HO", &o);
		return cmd_data(&o, false);
	}
	if (!strcmp(cmd, "fleet-data")) {
		parse(argc, argv, cmd, "O", &o);
		return cmd_data(&o, true);
	}
	usage_error("unknown command '%s'", cmd);
}
