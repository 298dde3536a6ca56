// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/cli.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/quantile.h"
#include "exitlat/version.h"

/*
 * docs/cli.md holds the same table with the tools using each letter (and the
 * scripts' own letters). Where rt-tests, perf and fio agree, so do we: -h,
 * -v, -q, -o; -e names what is measured as perf's event does.
 */
const struct exitlat_cli_letter exitlat_cli_letters[] = {
	{ 'h', "help",          NULL,     "this help on stdout, exit 0" },
	{ 'V', "version",       NULL,     "name and version on stdout, exit 0" },
	{ 'q', "quiet",         NULL,     "nothing on stdout but what was asked for" },
	{ 'v', "verbose",       NULL,     "more lines" },
	{ 'o', "output",        "FILE",   "write the result to FILE ('-': standard output)" },
	{ 'O', "out",           "DIR",    "write result files into DIR" },
	{ 'e', "exit",          "KIND",   "exit kind (--list)" },
	{ 'l', "list",          NULL,     "list the exit kinds" },
	{ 'n', "samples",       "N",      "samples per exit kind" },
	{ 'w', "warmup",        "N",      "samples taken first and thrown away" },
	{ 'c', "cpu",           "N",      "CPU to measure on" },
	{ 'm', "mode",          "MODE",   "what one sample times" },
	{ 't', "watchdog",      "SEC",    "stop a guest that makes no progress" },
	{ 'b', "budget-us",     "US",     "time limit of one interrupts-off batch" },
	{ 'i', "info",          NULL,     "what the CPU offers" },
	{ 'f', "format",        "FMT",    "output format" },
	{ 'g', "gnuplot",       "DIR",    "gnuplot data files into DIR" },
	{ 'C', "check",         NULL,     "only validate the input" },
	{ 'd', "db",            "FILE",   "the history database" },
	{ 'H', "host",          "HOST",   "only this host" },
	{ 's', "source",        "SOURCE", "native or kvm" },
	{ 'F', "record-failed", NULL,     "record a bad run folder as a failed run" },
	{ 'a', "every-night",   NULL,     "every night, not only the latest" },
	{ 'k', "sigmas",        "K",      "regression margin in noise sigmas" },
	{ 0 },
};

static const struct exitlat_cli_letter *letter_find(int letter)
{
	for (const struct exitlat_cli_letter *l = exitlat_cli_letters; l->letter; l++)
		if (l->letter == letter)
			return l;
	return NULL;
}

int exitlat_cli_init(struct exitlat_cli *c, const char *tool, FILE *err, const char *letters,
		     const struct option *own, bool stop_at_word)
{
	size_t n = 0, len = 0;

	*c = (struct exitlat_cli){ .tool = tool, .err = err };
	/* '+': stop at a command word; ':': report a missing value as ':' */
	if (stop_at_word)
		c->optstring[len++] = '+';
	c->optstring[len++] = ':';
	for (const char *p = letters; *p; p++) {
		const struct exitlat_cli_letter *l = letter_find(*p);

		if (!l || n + 1 >= EXITLAT_CLI_MAX_OPTS) {
			fprintf(err, "%s: bug: -%c is not a letter of lib/cli.c\n", tool, *p);
			return -1;
		}
		c->longopts[n++] = (struct option){ l->name, l->arg ? required_argument : no_argument,
						    NULL, l->letter };
		c->optstring[len++] = l->letter;
		if (l->arg)
			c->optstring[len++] = ':';
	}
	for (; own && own->name; own++) {
		if (own->val < EXITLAT_OPT_OWN || n + 1 >= EXITLAT_CLI_MAX_OPTS) {
			fprintf(err, "%s: bug: --%s: a tool's own options take no letter\n", tool,
				own->name);
			return -1;
		}
		c->longopts[n++] = *own;
	}
	c->longopts[n] = (struct option){ 0 };
	c->optstring[len] = '\0';
	optind = 0;	/* 0, not 1: a full reset of getopt (tests, subcommands) */
	opterr = 0;
	return 0;
}

const char *exitlat_cli_name(const struct exitlat_cli *c, int val)
{
	static char buf[64];

	for (const struct option *o = c->longopts; o->name; o++) {
		if (o->val == val) {
			snprintf(buf, sizeof(buf), "--%s", o->name);
			return buf;
		}
	}
	return "?";
}

/* Whether @s spells one of @c's options: "-o --quiet" lost its value. */
static bool is_own_option(const struct exitlat_cli *c, const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	if (s[1] != '-')
		return !s[2] && strchr(c->optstring, s[1]) && s[1] != ':' && s[1] != '+';
	for (const struct option *o = c->longopts; o->name; o++) {
		size_t len = strlen(o->name);

		if (!strncmp(s + 2, o->name, len) && (!s[2 + len] || s[2 + len] == '='))
			return true;
	}
	return false;
}

int exitlat_cli_next(struct exitlat_cli *c, int argc, char **argv)
{
	int opt = getopt_long(argc, argv, c->optstring, c->longopts, NULL);
	const char *typed = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	switch (opt) {
	case ':':
		exitlat_cli_usage_error(c, "%s needs a value", exitlat_cli_name(c, optopt));
		return '?';
	case '?':
		if (typed[0] == '-' && typed[1] == '-' && optopt)
			exitlat_cli_usage_error(c, "%s takes no value", exitlat_cli_name(c, optopt));
		else if (typed[0] == '-' && typed[1] == '-')
			exitlat_cli_usage_error(c, "unknown option '%s'", typed);
		else
			exitlat_cli_usage_error(c, "unknown option '-%c'", optopt);
		return '?';
	case -1:
		return -1;
	}
	if (optarg && is_own_option(c, optarg)) {
		exitlat_cli_usage_error(c, "%s needs a value ('%s' is an option)",
					exitlat_cli_name(c, opt), optarg);
		return '?';
	}
	return opt;
}

int exitlat_cli_usage_error(const struct exitlat_cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, "%s: ", c->tool);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fprintf(c->err, "\nTry '%s --help'.\n", c->tool);
	return EXITLAT_EXIT_USAGE;
}

int exitlat_cli_conflict(const struct exitlat_cli *c, int a, int b)
{
	char first[64];

	snprintf(first, sizeof(first), "%s", exitlat_cli_name(c, a));
	return exitlat_cli_usage_error(c, "%s and %s exclude each other", first,
				       exitlat_cli_name(c, b));
}

int exitlat_cli_count(const struct exitlat_cli *c, int opt, const char *s, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	const char *name = exitlat_cli_name(c, opt);
	const char *d = s[0] == '-' ? s + 1 : s;
	unsigned long long v;
	char *end;

	/* digits only: strtoull alone would take " 5" and "+5" */
	if (*d < '0' || *d > '9' || strspn(d, "0123456789") != strlen(d))
		return exitlat_cli_usage_error(c, "%s: '%s' is not a number", name, s);
	errno = 0;
	v = strtoull(d, &end, 10);
	/* a negative or too large number is still a number: out of range */
	if (s != d || errno == ERANGE || v < min || v > max)
		return exitlat_cli_usage_error(c, "%s: %s is out of range (%llu to %llu)", name, s,
					       (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int exitlat_cli_real(const struct exitlat_cli *c, int opt, const char *s, double lo, double hi,
		     bool hi_open, double *out)
{
	const char *name = exitlat_cli_name(c, opt);
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || s[0] == ' ' || s[0] == '\t' || isnan(v))
		return exitlat_cli_usage_error(c, "%s: '%s' is not a number", name, s);
	if (errno == ERANGE || !(v >= lo) || v > hi || (hi_open && v >= hi))
		return exitlat_cli_usage_error(c, "%s: %s is out of range (%g to %g%s)", name, s,
					       lo, hi, hi_open ? ", excluded" : "");
	*out = v;
	return 0;
}

int exitlat_cli_exit_kind(const struct exitlat_cli *c, const char *name, bool kvm_side, int *kind)
{
	int k = name ? exitlat_exit_by_name(name) : -1;

	if (exitlat_exit_ready(k, kvm_side)) {
		*kind = k;
		return 0;
	}
	/* a kind of the table that this side does not measure is unknown here too */
	if (k >= 0 && (kvm_side ? exitlat_exits[k].kvm_domain : exitlat_exits[k].native_domain) !=
		      EXITLAT_DOMAIN_NONE)
		fprintf(c->err, "%s: --exit: exit kind '%s' is not implemented here yet (valid: ",
			c->tool, name);
	else if (name)
		fprintf(c->err, "%s: --exit: unknown exit kind '%s' (valid: ", c->tool, name);
	else
		fprintf(c->err, "%s: --exit KIND is required (valid: ", c->tool);
	exitlat_exit_list_names(c->err, kvm_side);
	fprintf(c->err, ")\nTry '%s --help'.\n", c->tool);
	return EXITLAT_EXIT_USAGE;
}

void exitlat_cli_version(const char *tool)
{
	printf("%s %s\n", tool, EXITLAT_VERSION);
}

void exitlat_exit_print_list(FILE *f, bool kvm_side)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		const struct exitlat_exit_info *e = &exitlat_exits[i];

		if (!exitlat_exit_ready(i, kvm_side))
			continue;
		/* name, timing domain, where KVM handles it: the columns scripts read */
		fprintf(f, "%-14s %-5s %-8s %s\n", e->name,
			exitlat_domain_name(kvm_side ? e->kvm_domain : e->native_domain),
			exitlat_kvm_path_name(e->kvm_path), e->description);
	}
}

int exitlat_print_summary(FILE *f, const struct exitlat_run_summary *s)
{
	struct exitlat_sample_stats st;
	char med[XDEC_STR_MAX], p99[XDEC_STR_MAX];
	bool emulated = s->emulated && strcmp(s->emulated, "no");

	if (exitlat_sample_stats(s->samples, s->n, &st))
		return -1;
	xdec_str(st.median, med);
	xdec_str(st.p99, p99);
	fprintf(f, "%s: %s on %s: %llu of %llu samples in %s\n", s->tool, s->kind, s->where,
		(unsigned long long)s->n, (unsigned long long)s->requested, s->path);
	fprintf(f, "  %-12s %-12s %-12s %-12s %s\n", "min", "median", "p99", "max",
		emulated ? "(EMULATED path length, not time)" : "(cycles)");
	fprintf(f, "  %-12llu %-12s %-12s %llu\n", (unsigned long long)st.min, med, p99,
		(unsigned long long)st.max);
	if (s->dropped)
		fprintf(f, "  dropped %llu: %s\n", (unsigned long long)s->dropped, s->drop_reason);
	else
		fprintf(f, "  dropped none\n");
	/* min, median and max stay side by side: tests/e2e reads them so */
	fprintf(f, "summary: exit=%s mode=%s samples=%llu dropped=%llu min=%llu median=%s "
		"max=%llu p99=%s unit=cycles%s\n", s->kind, s->mode, (unsigned long long)s->n,
		(unsigned long long)s->dropped, (unsigned long long)st.min, med,
		(unsigned long long)st.max, p99, emulated ? " EMULATED" : "");
	return 0;
}
