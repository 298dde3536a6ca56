// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-analyze: exact distributions of exitlat samples, the native vs KVM
 * ladder with bootstrap intervals, and data files for the figures.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/atomic_file.h"
#include "exitlat/version.h"
#include "check.h"
#include "output.h"
#include "overhead.h"
#include "series.h"

#define PROG "exitlat-analyze"

enum format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_CSV_OVERHEAD };

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
"       " PROG " --check FILE...\n"
"Exact statistics of exitlat sample files (in cycles, and ns where tsc_khz is\n"
"known), and what KVM adds over native per exit kind, with bootstrap CIs.\n"
"\n"
"  -f, --format=FMT         table (default), json, csv, csv-overhead\n"
"  -o, --output=FILE        write the report to FILE (atomically; default stdout)\n"
"  -g, --gnuplot=DIR        also write gnuplot data files into DIR\n"
"                           (docs/analysis-outputs.md)\n"
"  -q, --quiet              no report on stdout (with --gnuplot)\n"
"  -b, --by=series|file     merge files of one series (default) or keep each file apart\n"
"  -n, --subtract-null      subtract the null median of the same source and domain\n"
"  -t, --trim=FRACTION      drop the top FRACTION (0..1) of each series, reported;\n"
"                           default 0: nothing dropped\n"
"  -s, --seed=N             bootstrap seed (default 1)\n"
"  -r, --resamples=N        bootstrap resamples (default 2000)\n"
"  -c, --confidence=C       confidence level of the intervals (default 0.95)\n"
"  -H, --hist=MODE          histograms: auto (default), exact, log\n"
"  -d, --bins-per-decade=N  log histogram bins per factor of 10 (default 50, max 1000)\n"
"  -C, --check              only validate the files: 'FILE: ok, N samples'\n"
"  -h, --help               this help\n"
"  -V, --version            version\n"
"Exit status: 0 ok, 1 bad input or I/O error, 2 usage error.\n");
}

__attribute__((format(printf, 1, 2), noreturn))
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " --help' for more information.\n", stderr);
	exit(2);
}

static unsigned long long parse_ull(const char *opt, const char *s, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		usage_error("%s: '%s' is not an integer in 0..%llu", opt, s, max);
	return v;
}

static double parse_fraction(const char *opt, const char *s, double lo, double hi)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v < hi))
		usage_error("%s: '%s' is not a number in [%g, %g)", opt, s, lo, hi);
	return v;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "gnuplot", required_argument, NULL, 'g' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "by", required_argument, NULL, 'b' },
		{ "subtract-null", no_argument, NULL, 'n' },
		{ "trim", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "resamples", required_argument, NULL, 'r' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "hist", required_argument, NULL, 'H' },
		{ "bins-per-decade", required_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:o:g:qb:nt:s:r:c:H:d:ChV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "table"))
				o->format = FMT_TABLE;
			else if (!strcmp(optarg, "json"))
				o->format = FMT_JSON;
			else if (!strcmp(optarg, "csv"))
				o->format = FMT_CSV;
			else if (!strcmp(optarg, "csv-overhead"))
				o->format = FMT_CSV_OVERHEAD;
			else
				usage_error("--format: '%s' is not table, json, csv or "
					    "csv-overhead", optarg);
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
		case 'b':
			if (strcmp(optarg, "series") && strcmp(optarg, "file"))
				usage_error("--by: '%s' is not series or file", optarg);
			o->by_file = !strcmp(optarg, "file");
			break;
		case 'n':
			o->finish.subtract_null = true;
			break;
		case 't':
			o->finish.trim = parse_fraction("--trim", optarg, 0, 1);
			break;
		case 's':
			o->boot.seed = parse_ull("--seed", optarg, UINT64_MAX);
			break;
		case 'r':
			o->boot.resamples = parse_ull("--resamples", optarg, 1000000);
			if (!o->boot.resamples)
				usage_error("--resamples: must be at least 1");
			break;
		case 'c':
			o->boot.confidence = parse_fraction("--confidence", optarg, 0, 1);
			break;
		case 'H':
			if (!strcmp(optarg, "auto"))
				o->hist.mode = HIST_AUTO;
			else if (!strcmp(optarg, "exact"))
				o->hist.mode = HIST_EXACT;
			else if (!strcmp(optarg, "log"))
				o->hist.mode = HIST_LOG;
			else
				usage_error("--hist: '%s' is not auto, exact or log", optarg);
			break;
		case 'd':
			o->hist.bins_per_decade = parse_ull("--bins-per-decade", optarg, 1000);
			if (!o->hist.bins_per_decade)
				usage_error("--bins-per-decade: must be at least 1");
			break;
		case 'C':
			o->check = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf(PROG " %s\n", EXITLAT_VERSION);
			exit(0);
		default:
			usage_error("unknown option");
		}
	}
	if (optind == argc)
		usage_error("no sample file given ('-' reads standard input)");
	if (o->quiet && !o->gnuplot)
		usage_error("--quiet without --gnuplot would output nothing");
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
		fprintf(stderr, PROG ": %s: cannot create: %s\n", o->output, strerror(errno));
		return 1;
	}
	if (write_report(a.f, o, r) || exitlat_atomic_commit(&a)) {
		fprintf(stderr, PROG ": %s: write failed: %s\n", o->output, strerror(errno));
		exitlat_atomic_abort(&a);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {
		.boot = { .seed = 1, .resamples = 2000, .confidence = 0.95 },
		.hist = { .mode = HIST_AUTO, .bins_per_decade = 50 },
	};
	struct series_set set = { 0 };
	struct overhead *ov = NULL;
	char err[EXITLAT_ERR_MAX];
	struct report r;
	size_t nov = 0;
	int ret = 1;

	parse_args(argc, argv, &o);
	if (o.check)
		return check_files(argv + optind, argc - optind);
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
	    overhead_compute(&set, &o.boot, &ov, &nov)) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	if (!set.n) {
		fprintf(stderr, PROG ": no samples in any input\n");
		goto out;
	}
	r = (struct report){
		.set = &set, .ov = ov, .nov = nov, .boot = &o.boot,
		.subtract_null = o.finish.subtract_null, .trim = o.finish.trim,
	};
	ret = emit(&o, &r);
out:
	free(ov);
	series_set_free(&set);
	return ret;
}
