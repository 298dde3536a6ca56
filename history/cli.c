// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-history: the nightly history of exitlat runs (docs/nightly.md,
 * docs/history-schema.md). One subcommand per question a lab admin asks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/atomic_file.h"
#include "exitlat/cli.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/version.h"
#include "check.h"
#include "dashboard.h"
#include "db.h"
#include "emit.h"
#include "import.h"
#include "metrics.h"
#include "trend.h"

#define EXIT_ALERT 3
#define MAX_NIGHTS 100000
#define MAX_WAIT_S 86400
#define MAX_REAL 1e9

static const char *prog = "exitlat-history";
/* The top-level parser, for usage errors of the commands too. */
static struct exitlat_cli top;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: exitlat-history [-d FILE] [--wait SEC] COMMAND [options]\n"
"  or:  exitlat-history --help | --version\n"
"The history of exitlat runs: one row per run, one per series, regressions.\n"
"\n"
"Commands:\n"
"  import [-F] DIR...        record run folders (results/HOST/UTC/); again: no change\n"
"      -F, --record-failed   record an unfinished or corrupt folder as a failed run\n"
"  runs [-H HOST]            list the runs, oldest first\n"
"  series -e KIND [-H HOST] [-s SOURCE]\n"
"                            one series over the nights (median, p99 in cycles)\n"
"      -e, --exit KIND       the exit kind\n"
"      -s, --source SOURCE   native or kvm (default both)\n"
"  check [-H HOST] [--night TIME | -a] [-v] [thresholds]\n"
"                            tonight's series against their own past: one line per\n"
"                            regression; exit 3 when there is one\n"
"      --night TIME          judge that night (a run's time) instead of the latest\n"
"      -a, --every-night     judge every night, oldest first\n"
"      -v, --verbose         a line for every series, not only regressions\n"
"      --window N            baseline nights, at most (default %u, 1 to %u)\n"
"      --min-nights N        nights needed to measure the noise (default %u, 2 to %u)\n"
"      -k, --sigmas K        margin in noise sigmas (1.4826 * MAD; default %g)\n"
"      --floor FRACTION      smallest margin relative to the baseline (default %g)\n"
"      --floor-cycles N      smallest margin in cycles (default %g)\n"
"  export -f csv|json [-H HOST]\n"
"                            every series of every run, with its run's columns\n"
"  export -f openmetrics [-H HOST] [thresholds]\n"
"                            each host's latest night as metrics (Prometheus, the\n"
"                            node_exporter textfile collector): median, p99, the\n"
"                            regression state check gives it (check's thresholds)\n"
"  trend-data -O DIR [-H HOST] [thresholds]\n"
"                            gnuplot data for plots/trend.gp: DIR/trend-HOST--TRACK.dat\n"
"                            (the nights check alerts on, with check's thresholds)\n"
"  dashboard -O ROOT [thresholds]\n"
"                            the static HTML dashboard of a results root: ROOT/index.html,\n"
"                            ROOT/dashboard/ (a page per host and per run's report.md)\n"
"  fleet-data -O DIR         DIR/fleet.dat: every host's latest night; DIR/fleet-KIND.dat\n"
"                            (and its pages) for trend-fleet.gp, listed in DIR/fleets.dat\n"
"\n"
"Options of every command:\n"
"  -d, --db FILE             the history (default $EXITLAT_HISTORY_DB, else %s)\n"
"      --wait SEC            wait that long for a history another process has locked\n"
"                            (default %u, 0 to %u), then fail naming the lock\n"
"  -H, --host HOST           only this host (the folder name under results/)\n"
"  -f, --format FMT          table (default), csv, json; openmetrics (export)\n"
"  -o, --output FILE         write there (atomically) instead of standard output\n"
"  -O, --out DIR             where trend-data and fleet-data write; dashboard's root\n"
"  -h, --help                this help\n"
"  -V, --version             print the version\n"
"\n"
"Only import writes: every other command opens the history read-only, so any user\n"
"who can read the file can use them; they refuse a file that holds no history.\n"
"Exit status: 0 ok, 1 bad input, a skipped folder or a database error, 2 usage\n"
"error, 3 check found a regression or a failed night.\n",
		REGRESS_DEFAULT_WINDOW, MAX_NIGHTS, REGRESS_DEFAULT_MIN_NIGHTS, MAX_NIGHTS,
		REGRESS_DEFAULT_K, REGRESS_DEFAULT_FLOOR_REL, REGRESS_DEFAULT_FLOOR_ABS,
		HISTORY_DEFAULT_DB, HISTORY_WAIT_S, MAX_WAIT_S);
}

static void print_version(void)
{
	printf("%s %s (schema %d)\n", prog, EXITLAT_VERSION, HISTORY_SCHEMA_VERSION);
}

struct opts {
	const char *db;
	unsigned int wait_s;
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

enum {
	OPT_NIGHT = EXITLAT_OPT_OWN,
	OPT_WINDOW,
	OPT_MIN_NIGHTS,
	OPT_FLOOR,
	OPT_FLOOR_CYCLES,
	OPT_WAIT,
};

/* Long-only options of every command; a command refuses those it does not take. */
static const struct option own_opts[] = {
	{ "night",         required_argument, NULL, OPT_NIGHT },
	{ "window",        required_argument, NULL, OPT_WINDOW },
	{ "min-nights",    required_argument, NULL, OPT_MIN_NIGHTS },
	{ "floor",         required_argument, NULL, OPT_FLOOR },
	{ "floor-cycles",  required_argument, NULL, OPT_FLOOR_CYCLES },
	{ "wait",          required_argument, NULL, OPT_WAIT },
	{ NULL, 0, NULL, 0 },
};

/* Every letter exitlat-history takes (docs/cli.md). */
#define HISTORY_LETTERS "dHfoOesFavkhV"

/* Options every command takes. */
static const int common_opts[] = { 'd', OPT_WAIT, 'h', 'V', 0 };

static bool takes(const int *allowed, int opt)
{
	for (const int *a = common_opts; *a; a++)
		if (*a == opt)
			return true;
	for (; *allowed; allowed++)
		if (*allowed == opt)
			return true;
	return false;
}

static int number(const struct exitlat_cli *c, int opt, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (exitlat_cli_count(c, opt, optarg, min, max, &v))
		exit(2);
	return (int)v;
}

static double real(const struct exitlat_cli *c, int opt)
{
	double v;

	if (exitlat_cli_real(c, opt, optarg, 0, MAX_REAL, false, &v))
		exit(2);
	return v;
}

/* Common options and the command's own (@allowed); exits on --help, --version and errors. */
static void parse(int argc, char **argv, const char *cmd, const int *allowed, struct opts *o)
{
	struct exitlat_cli c;
	char tool[64];
	const char *why;
	int opt, fmt;

	snprintf(tool, sizeof(tool), "%s %s", prog, cmd);
	if (exitlat_cli_init(&c, tool, stderr, HISTORY_LETTERS, own_opts, false))
		exit(1);
	while ((opt = exitlat_cli_next(&c, argc, argv)) != -1) {
		if (opt == '?')
			exit(2);
		if (!takes(allowed, opt))
			exit(exitlat_cli_usage_error(&c, "%s does not take %s", cmd,
						     exitlat_cli_name(&c, opt)));
		switch (opt) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			print_version();
			exit(0);
		case 'd': o->db = optarg; break;
		case OPT_WAIT: o->wait_s = number(&c, opt, 0, MAX_WAIT_S); break;
		case 'H': o->host = optarg; break;
		case 'o': o->output = optarg; break;
		case 'O': o->outdir = optarg; break;
		case 's':
			if (strcmp(optarg, "native") && strcmp(optarg, "kvm"))
				exit(exitlat_cli_usage_error(&c, "--source: '%s' is not native or kvm",
							     optarg));
			o->source = optarg;
			break;
		case 'e':
			if (exitlat_exit_by_name(optarg) < 0)
				exit(exitlat_cli_usage_error(&c, "--exit: '%s' is not an exit kind",
							     optarg));
			o->exit_kind = optarg;
			break;
		case 'f':
			fmt = emit_format_by_name(optarg);
			if (fmt < 0)
				exit(exitlat_cli_usage_error(&c, "--format: '%s' is not table, csv, "
							     "json or openmetrics", optarg));
			if (fmt == EMIT_OPENMETRICS && strcmp(cmd, "export"))
				exit(exitlat_cli_usage_error(&c, "--format openmetrics: only export "
							     "writes it"));
			o->format = fmt;
			o->format_set = true;
			break;
		case 'F': o->record_failed = true; break;
		case OPT_NIGHT: o->check.night = optarg; break;
		case 'a': o->check.every_night = true; break;
		case 'v': o->check.verbose = true; break;
		case OPT_WINDOW:
			o->check.params.window = number(&c, opt, 1, MAX_NIGHTS);
			break;
		case OPT_MIN_NIGHTS:
			o->check.params.min_nights = number(&c, opt, 2, MAX_NIGHTS);
			break;
		case 'k': o->check.params.k = real(&c, opt); break;
		case OPT_FLOOR: o->check.params.floor_rel = real(&c, opt); break;
		case OPT_FLOOR_CYCLES: o->check.params.floor_abs = real(&c, opt); break;
		}
	}
	if (regress_params_check(&o->check.params, &why))
		exit(exitlat_cli_usage_error(&c, "%s", why));
	if (o->check.night && o->check.every_night)
		exit(exitlat_cli_conflict(&c, OPT_NIGHT, 'a'));
}

static sqlite3 *open_db(const struct opts *o, enum history_access how)
{
	sqlite3 *db;

	if (history_db_open(o->db, how, o->wait_s, &db))
		exit(1);
	return db;
}

/* Runs @sql with ?1 = host, ?2 = exit, ?3 = source; prints it in the format asked. */
static int run_query(const struct opts *o, const char *sql)
{
	struct exitlat_atomic_file a;
	sqlite3 *db = open_db(o, HISTORY_READ);
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
		/* The database is an input too: never replace it with a report. */
		if (exitlat_output_not_input(o->output, o->db, a.err, sizeof(a.err)) ||
		    exitlat_atomic_open(&a, o->output)) {
			fprintf(stderr, "%s: %s\n", prog, a.err);
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
		fprintf(stderr, "%s: %s\n", prog, a.err);
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
		exit(exitlat_cli_usage_error(&top, "series: which exit kind? (--exit KIND)"));
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

/* The metrics, to standard output or atomically to --output (a textfile collector's file). */
static int export_openmetrics(const struct opts *o)
{
	struct exitlat_atomic_file a;
	sqlite3 *db = open_db(o, HISTORY_READ);
	FILE *out = stdout;
	int ret = 1;

	if (o->output) {
		if (exitlat_output_not_input(o->output, o->db, a.err, sizeof(a.err)) ||
		    exitlat_atomic_open(&a, o->output)) {
			fprintf(stderr, "%s: %s\n", prog, a.err);
			goto out;
		}
		out = a.f;
	}
	if (history_openmetrics(db, o->db, o->host, &o->check.params, out)) {
		if (o->output)
			exitlat_atomic_abort(&a);
		goto out;
	}
	if (o->output && exitlat_atomic_commit(&a)) {
		fprintf(stderr, "%s: %s\n", prog, a.err);
		goto out;
	}
	if (!o->output && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "%s: writing standard output: %s\n", prog, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	sqlite3_close(db);
	return ret;
}

static int cmd_export(const struct opts *o)
{
	if (!o->format_set || o->format == EMIT_TABLE)
		exit(exitlat_cli_usage_error(&top, "export: which format? (--format csv, json or "
					     "openmetrics)"));
	if (o->format == EMIT_OPENMETRICS)
		return export_openmetrics(o);
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
		exit(exitlat_cli_usage_error(&top, "import: which run folder? (results/HOST/UTC ...)"));
	db = open_db(o, HISTORY_WRITE);
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
	sqlite3 *db = open_db(o, HISTORY_READ);
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
		exit(exitlat_cli_usage_error(&top, "%s: where to? (--out DIR)",
					     fleet ? "fleet-data" : "trend-data"));
	db = open_db(o, HISTORY_READ);
	n = fleet ? history_fleet_data(db, o->db, o->outdir, stdout)
		  : history_trend_data(db, o->db, o->host, o->outdir, &o->check.params, stdout);
	sqlite3_close(db);
	return n < 0;
}

static int cmd_dashboard(const struct opts *o)
{
	sqlite3 *db;
	int n;

	if (!o->outdir)
		exit(exitlat_cli_usage_error(&top, "dashboard: for which results root? (--out ROOT)"));
	db = open_db(o, HISTORY_READ);
	n = history_dashboard(db, o->db, o->outdir, &o->check.params);
	sqlite3_close(db);
	if (n >= 0)
		printf("dashboard: %d pages in %s\n", n, o->outdir);
	return n < 0;
}

struct command {
	const char *name;
	int (*run)(const struct opts *o, int argc, char **argv);
	int allowed[12];	/* options beyond those of every command */
};

static int run_import(const struct opts *o, int argc, char **argv)
{
	return cmd_import(o, argc, argv);
}

static int run_runs(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_runs(o);
}

static int run_series(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_series(o);
}

static int run_export(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_export(o);
}

static int run_check(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_check(o);
}

static int run_trend(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_data(o, false);
}

static int run_fleet(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_data(o, true);
}

static int run_dashboard(const struct opts *o, int argc, char **argv)
{
	(void)argc, (void)argv;
	return cmd_dashboard(o);
}

static const struct command commands[] = {
	{ "import",     run_import, { 'F', 0 } },
	{ "runs",       run_runs,   { 'H', 'f', 'o', 0 } },
	{ "series",     run_series, { 'H', 'f', 'o', 'e', 's', 0 } },
	{ "export",     run_export, { 'H', 'f', 'o', OPT_WINDOW, OPT_MIN_NIGHTS, 'k', OPT_FLOOR,
				      OPT_FLOOR_CYCLES, 0 } },
	{ "check",      run_check,  { 'H', OPT_NIGHT, 'a', 'v', OPT_WINDOW, OPT_MIN_NIGHTS, 'k',
				      OPT_FLOOR, OPT_FLOOR_CYCLES, 0 } },
	{ "trend-data", run_trend,  { 'H', 'O', OPT_WINDOW, OPT_MIN_NIGHTS, 'k', OPT_FLOOR,
				      OPT_FLOOR_CYCLES, 0 } },
	{ "fleet-data", run_fleet,  { 'O', 0 } },
	{ "dashboard",  run_dashboard, { 'O', OPT_WINDOW, OPT_MIN_NIGHTS, 'k', OPT_FLOOR,
				      OPT_FLOOR_CYCLES, 0 } },
};

int main(int argc, char **argv)
{
	struct opts o = { .format = EMIT_TABLE, .wait_s = HISTORY_WAIT_S };
	int opt;

	regress_params_default(&o.check.params);
	o.db = getenv("EXITLAT_HISTORY_DB");
	if (!o.db || !*o.db)
		o.db = HISTORY_DEFAULT_DB;
	/* Options before the command: --db, --wait, --help, --version. */
	if (exitlat_cli_init(&top, prog, stderr, HISTORY_LETTERS, own_opts, true))
		return 1;
	while ((opt = exitlat_cli_next(&top, argc, argv)) != -1) {
		switch (opt) {
		case 'd':
			o.db = optarg;
			break;
		case OPT_WAIT:
			o.wait_s = number(&top, opt, 0, MAX_WAIT_S);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			print_version();
			return 0;
		case '?':
			return 2;
		default:
			return exitlat_cli_usage_error(&top, "%s goes after the command",
						       exitlat_cli_name(&top, opt));
		}
	}
	if (optind >= argc)
		return exitlat_cli_usage_error(&top, "which command? (import, runs, series, check, "
					       "export, trend-data, fleet-data, dashboard)");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		argc -= optind;
		argv += optind;
		parse(argc, argv, commands[i].name, commands[i].allowed, &o);
		return commands[i].run(&o, argc, argv);
	}
	return exitlat_cli_usage_error(&top, "unknown command '%s'", argv[optind]);
}
