// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-analyze: exact distributions of exitlat samples, the native vs KVM
 * ladder with bootstrap intervals, and data files for the figures.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/atomic_file.h"
#include "exitlat/cli.h"
#include "check.h"
#include "output.h"
#include "overhead.h"
#include "series.h"

#define PROG "exitlat-analyze"
#define MAX_RESAMPLES 1000000u
#define MAX_BINS_PER_DECADE 1000u

enum format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_CSV_OVERHEAD, FMT_CSV_BREAKDOWN };

struct options {
	enum format format;
	const char *output;
	const char *gnuplot;
	bool quiet, check, by_file;
	struct finish_opts finish;
	struct boot_opts boot;
	struct hist_opts hist;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [OPTION]... FILE...    (FILE '-' is standard input)\n"
"  or:  " PROG " --check FILE...\n"
"Exact statistics of exitlat sample files (in cycles, and ns where tsc_khz is\n"
"known), and what KVM adds over native per exit kind, with bootstrap CIs.\n"
"\n"
"  -f, --format FMT         table (default), json, csv, csv-overhead,\n"
"                           csv-breakdown\n"
"  -o, --output FILE        write the report to FILE (atomically; default stdout)\n"
"  -g, --gnuplot DIR        also write gnuplot data files into DIR\n"
"                           (docs/analysis-outputs.md)\n"
"  -q, --quiet              no report (with --gnuplot; not with --output or --format)\n"
"      --by series|file     merge files of one series (default) or keep each file apart\n"
"      --subtract-null      subtract the null median of the same source and domain\n"
"      --trim FRACTION      drop the top FRACTION (0 to 1, 1 excluded) of each\n"
"                           series, reported; default 0: nothing dropped\n"
"      --seed N             bootstrap seed (default 1)\n"
"      --resamples N        bootstrap resamples (default 2000, 1 to %u)\n"
"      --confidence C       confidence level of the intervals (default 0.95, 0 to 1)\n"
"      --hist MODE          histograms: auto (default), exact, log\n"
"      --bins-per-decade N  log histogram bins per factor of 10 (default 50, 1 to %u)\n"
"  -C, --check              only validate the files: 'FILE: ok, N samples'\n"
"  -h, --help               this help\n"
"  -V, --version            version\n"
"Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n",
		MAX_RESAMPLES, MAX_BINS_PER_DECADE);
}

enum {
	OPT_BY = EXITLAT_OPT_OWN,
	OPT_SUBTRACT_NULL,
	OPT_TRIM,
	OPT_SEED,
	OPT_RESAMPLES,
	OPT_CONFIDENCE,
	OPT_HIST,
	OPT_BINS,
};

static const struct option own_opts[] = {
	{ "by",              required_argument, NULL, OPT_BY },
	{ "subtract-null",   no_argument,       NULL, OPT_SUBTRACT_NULL },
	{ "trim",            required_argument, NULL, OPT_TRIM },
	{ "seed",            required_argument, NULL, OPT_SEED },
	{ "resamples",       required_argument, NULL, OPT_RESAMPLES },
	{ "confidence",      required_argument, NULL, OPT_CONFIDENCE },
	{ "hist",            required_argument, NULL, OPT_HIST },
	{ "bins-per-decade", required_argument, NULL, OPT_BINS },
	{ 0 }
};

/* Parses argv into @o; exits 0 after --help/--version, 2 after a usage error. */
static void parse_args(int argc, char **argv, struct options *o)
{
	struct exitlat_cli c;
	bool format_set = false, report_opt = false;
	uint64_t v;
	double d;
	int opt;

	if (exitlat_cli_init(&c, PROG, stderr, "fogqChV", own_opts, false))
		exit(1);
	while ((opt = exitlat_cli_next(&c, argc, argv)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "table"))
				o->format = FMT_TABLE;
			else if (!strcmp(optarg, "json"))
				o->format = FMT_JSON;
			else if (!strcmp(optarg, "csv"))
				o->format = FMT_CSV;
			else if (!strcmp(optarg, "csv-overhead"))
				o->format = FMT_CSV_OVERHEAD;
			else if (!strcmp(optarg, "csv-breakdown"))
				o->format = FMT_CSV_BREAKDOWN;
			else
				exit(exitlat_cli_usage_error(&c, "--format: '%s' is not table, json, "
							     "csv, csv-overhead or csv-breakdown",
							     optarg));
			format_set = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'g':
			o->gnuplot = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_BY:
			if (strcmp(optarg, "series") && strcmp(optarg, "file"))
				exit(exitlat_cli_usage_error(&c, "--by: '%s' is not series or file",
							     optarg));
			o->by_file = !strcmp(optarg, "file");
			break;
		case OPT_SUBTRACT_NULL:
			o->finish.subtract_null = true;
			break;
		case OPT_TRIM:
			if (exitlat_cli_real(&c, opt, optarg, 0, 1, true, &d))
				exit(2);
			o->finish.trim = d;
			break;
		case OPT_SEED:
			if (exitlat_cli_count(&c, opt, optarg, 0, UINT64_MAX, &o->boot.seed))
				exit(2);
			break;
		case OPT_RESAMPLES:
			if (exitlat_cli_count(&c, opt, optarg, 1, MAX_RESAMPLES, &v))
				exit(2);
			o->boot.resamples = v;
			break;
		case OPT_CONFIDENCE:
			if (exitlat_cli_real(&c, opt, optarg, 0, 1, true, &o->boot.confidence))
				exit(2);
			break;
		case OPT_HIST:
			if (!strcmp(optarg, "auto"))
				o->hist.mode = HIST_AUTO;
			else if (!strcmp(optarg, "exact"))
				o->hist.mode = HIST_EXACT;
			else if (!strcmp(optarg, "log"))
				o->hist.mode = HIST_LOG;
			else
				exit(exitlat_cli_usage_error(&c, "--hist: '%s' is not auto, exact or "
							     "log", optarg));
			break;
		case OPT_BINS:
			if (exitlat_cli_count(&c, opt, optarg, 1, MAX_BINS_PER_DECADE, &v))
				exit(2);
			o->hist.bins_per_decade = v;
			break;
		case 'C':
			o->check = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			exitlat_cli_version(PROG);
			exit(0);
		default:
			exit(2);
		}
		report_opt |= opt == 'f' || opt == 'o' || opt == 'g' || opt == 'q';
	}
	/* Options whose effects contradict each other are refused, never half-obeyed. */
	if (o->check && report_opt)
		exit(exitlat_cli_usage_error(&c, "--check only validates: it writes no report "
					     "(no --format, --output, --gnuplot, --quiet)"));
	if (o->quiet && o->output)
		exit(exitlat_cli_conflict(&c, 'q', 'o'));
	if (o->quiet && format_set)
		exit(exitlat_cli_conflict(&c, 'q', 'f'));
	if (o->quiet && !o->gnuplot)
		exit(exitlat_cli_usage_error(&c, "--quiet without --gnuplot would output nothing"));
	if (optind == argc)
		exit(exitlat_cli_usage_error(&c, "no sample file given ('-' reads standard input)"));
}

static int write_report(FILE *f, const struct options *o, const struct report *r)
{
	switch (o->format) {
	case FMT_JSON:
		return out_json(f, r);
	case FMT_CSV:
		return out_csv(f, r);
	case FMT_CSV_OVERHEAD:
		return out_csv_overhead(f, r);
	case FMT_CSV_BREAKDOWN:
		return out_csv_breakdown(f, r);
	default:
		return out_table(f, r);
	}
}

static int emit(const struct options *o, const struct report *r)
{
	struct exitlat_atomic_file a;
	char err[EXITLAT_ERR_MAX];

	if (o->gnuplot && out_gnuplot(o->gnuplot, r, &o->hist, err)) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	if (o->quiet)
		return 0;
	if (!o->output) {
		if (write_report(stdout, o, r) || fflush(stdout)) {
			perror(PROG ": stdout");
			return 1;
		}
		return 0;
	}
	if (exitlat_atomic_open(&a, o->output)) {
		fprintf(stderr, PROG ": %s\n", a.err);
		return 1;
	}
	if (write_report(a.f, o, r)) {
		fprintf(stderr, PROG ": %s: write failed: %s\n", o->output, strerror(errno));
		exitlat_atomic_abort(&a);
		return 1;
	}
	if (exitlat_atomic_commit(&a)) {
		fprintf(stderr, PROG ": %s\n", a.err);
		return 1;
	}
	return 0;
}

/*
 * Before any input is read: an output that cannot be written, or that is one
 * of the inputs, must not cost a whole analysis (or an input).
 */
static int check_output(const struct options *o, char *const *inputs, int n)
{
	char err[EXITLAT_ERR_MAX];

	if (!o->output)
		return 0;
	if (exitlat_output_check(o->output, err, sizeof(err)))
		goto err;
	for (int i = 0; i < n; i++)
		if (exitlat_output_not_input(o->output, inputs[i], err, sizeof(err)))
			goto err;
	return 0;
err:
	fprintf(stderr, PROG ": %s\n", err);
	return -1;
}

int main(int argc, char **argv)
{
	struct options o = {
		.boot = { .seed = 1, .resamples = 2000, .confidence = 0.95 },
		.hist = { .mode = HIST_AUTO, .bins_per_decade = 50 },
	};
	struct series_set set = { 0 };
	struct overhead *ov = NULL;
	struct rung *rungs = NULL;
	struct breakdown *bd = NULL;
	struct irq_pair *pairs = NULL;
	char err[EXITLAT_ERR_MAX];
	struct report r;
	size_t nov = 0, nrungs = 0, nbd = 0, npairs = 0;
	int ret = 1;

	parse_args(argc, argv, &o);
	if (o.check)
		return check_files(argv + optind, argc - optind);
	if (check_output(&o, argv + optind, argc - optind))
		return 1;
	set.by_file = o.by_file;
	set.progress = isatty(STDERR_FILENO);
	/* Everything is read before anything is printed: a bad file prints no report. */
	for (int i = optind; i < argc; i++) {
		if (series_set_add_file(&set, argv[i], err)) {
			fprintf(stderr, "%s\n", err);
			goto out;
		}
	}
	if (series_set_finish(&set, &o.finish) ||
	    overhead_compute(&set, &o.boot, &ov, &nov) ||
	    ladder_compute(&set, ov, nov, &rungs, &nrungs) ||
	    irq_pairs_compute(&set, &o.boot, &pairs, &npairs)) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	if (!set.n) {
		fprintf(stderr, PROG ": no samples in any input\n");
		goto out;
	}
	/* A set whose files disagree is bad input, like a malformed file. */
	if (breakdown_compute(&set, &o.boot, &bd, &nbd, err)) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	r = (struct report){
		.set = &set, .ov = ov, .nov = nov, .rungs = rungs, .nrungs = nrungs,
		.bd = bd, .nbd = nbd, .pairs = pairs, .npairs = npairs, .boot = &o.boot,
		.subtract_null = o.finish.subtract_null, .trim = o.finish.trim,
	};
	ret = emit(&o, &r);
out:
	free(rungs);
	free(ov);
	free(bd);
	free(pairs);
	series_set_free(&set);
	return ret;
}
