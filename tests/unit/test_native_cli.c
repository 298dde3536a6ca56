// SPDX-License-Identifier: GPL-2.0 OR MIT
/* exitlat-native's command line (module/cli.c): the shared letters of docs/cli.md. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/ioctl.h"
#include "../../module/cli.h"

static char errbuf[4096];
static FILE *err;

static void setup(void)
{
	memset(errbuf, 0, sizeof(errbuf));
	err = fmemopen(errbuf, sizeof(errbuf) - 1, "w");
}

static void teardown(void)
{
	fclose(err);
}

#define PARSE(o, ...) ({						\
	char *argv[] = { "exitlat-native", __VA_ARGS__, NULL };		\
	int r = native_cli_parse(sizeof(argv) / sizeof(argv[0]) - 1, argv, (o), err); \
	fflush(err);							\
	r;								\
})

TestSuite(native_cli, .init = setup, .fini = teardown);

Test(native_cli, defaults_apply_when_only_the_kind_is_given)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "cpuid"), 0);
	cr_assert_eq(o.action, NATIVE_RUN);
	cr_assert_eq(o.kind, EXITLAT_EXIT_CPUID);
	cr_assert_eq(o.samples, NATIVE_DEFAULT_SAMPLES);
	cr_assert_eq(o.cpu, 0);
	cr_assert_eq(o.mode, EXITLAT_MODE_ROUNDTRIP);
	cr_assert_eq(o.budget_us, 0);
	cr_assert_null(o.output);
	cr_assert_not(o.quiet);
}

Test(native_cli, short_options_match_long_ones)
{
	struct native_opts a, b;

	cr_assert_eq(PARSE(&a, "-e", "pio", "-n", "7", "-c", "2", "-m", "entry", "-b", "50",
			   "-o", "x.samples", "-q"), 0);
	cr_assert_eq(PARSE(&b, "--exit", "pio", "--samples", "7", "--cpu", "2", "--mode", "entry",
			   "--budget-us", "50", "--output", "x.samples", "--quiet"), 0);
	cr_assert_eq(a.kind, EXITLAT_EXIT_PIO);
	cr_assert_eq(a.samples, 7);
	cr_assert_eq(a.cpu, 2);
	cr_assert_eq(a.mode, EXITLAT_MODE_ENTRY);
	cr_assert_eq(a.budget_us, 50);
	cr_assert_str_eq(a.output, "x.samples");
	cr_assert(a.quiet);
	cr_assert_eq(a.kind, b.kind);
	cr_assert_eq(a.samples, b.samples);
	cr_assert_eq(a.cpu, b.cpu);
	cr_assert_eq(a.mode, b.mode);
	cr_assert_eq(a.budget_us, b.budget_us);
	cr_assert_str_eq(a.output, b.output);
	cr_assert_eq(a.quiet, b.quiet);
}

/* docs/cli.md: -V is the version (it was -v), -v is verbose nowhere here. */
Test(native_cli, actions_follow_the_shared_letters)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "-V"), 0);
	cr_assert_eq(o.action, NATIVE_VERSION);
	cr_assert_eq(PARSE(&o, "-h"), 0);
	cr_assert_eq(o.action, NATIVE_HELP);
	cr_assert_eq(PARSE(&o, "-l"), 0);
	cr_assert_eq(o.action, NATIVE_LIST);
	cr_assert_eq(PARSE(&o, "-i", "-c", "3"), 0);
	cr_assert_eq(o.action, NATIVE_INFO);
	cr_assert_eq(o.cpu, 3);
	cr_assert_eq(PARSE(&o, "-v"), 2);
	cr_assert_not_null(strstr(errbuf, "unknown option '-v'"), "stderr was: %s", errbuf);
}

Test(native_cli, info_with_a_measurement_option_is_a_conflict)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "--info", "--exit", "cpuid"), 2);
	cr_assert_not_null(strstr(errbuf, "--info measures nothing"), "stderr was: %s", errbuf);
}

Test(native_cli, the_null_kind_has_no_entry_or_exit_half)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "-e", "null", "-m", "exit"), 2);
	cr_assert_not_null(strstr(errbuf, "--mode exit needs a VM transition"));
}

Test(native_cli, intr_exit_is_a_round_trip_only)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "-e", "intr-exit"), 0, "stderr was: %s", errbuf);
	cr_assert_eq(PARSE(&o, "-e", "intr-exit", "-m", "entry"), 2);
	cr_assert_not_null(strstr(errbuf, "intr-exit exits before the guest's first instruction"),
			   "stderr was: %s", errbuf);
}

Test(native_cli, a_kind_the_module_does_not_measure_is_refused_with_the_list)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "-e", "mmio"), 2);
	cr_assert_not_null(strstr(errbuf, "unknown exit kind 'mmio' (valid: null, cpuid"),
			   "stderr: %s", errbuf);
	cr_assert_not_null(strstr(errbuf, "cpuid"));
}

Test(native_cli, missing_kind_is_a_usage_error)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "-n", "5"), 2);
	cr_assert_not_null(strstr(errbuf, "--exit KIND is required"));
}

struct bad_case {
	char opt[16], val[32], expect[64];
};

static struct bad_case bad_cases[] = {
	{ "--samples", "0", "--samples: 0 is out of range (1 to 100000000)" },
	{ "--samples", "100000001", "--samples: 100000001 is out of range" },
	{ "--samples", "-3", "--samples: -3 is out of range" },
	{ "--samples", "ten", "--samples: 'ten' is not a number" },
	{ "--cpu", "4096", "--cpu: 4096 is out of range (0 to 4095)" },
	{ "--budget-us", "1001", "--budget-us: 1001 is out of range (1 to 1000)" },
	{ "--mode", "both", "--mode: 'both' is not roundtrip, entry or exit" },
	{ "--output", "", "--output: empty file name" },
	{ "--output", "-q", "--output needs a value ('-q' is an option)" },
};

ParameterizedTestParameters(native_cli, bad_values_name_the_option)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, native_cli, bad_values_name_the_option)
{
	struct native_opts o;
	char *argv[] = { "exitlat-native", "--exit", "cpuid", c->opt, c->val, NULL };

	cr_assert_eq(native_cli_parse(5, argv, &o, err), 2);
	fflush(err);
	cr_assert_not_null(strstr(errbuf, c->expect), "stderr was: %s", errbuf);
}

Test(native_cli, option_without_value_is_named)
{
	struct native_opts o;

	cr_assert_eq(PARSE(&o, "-e", "cpuid", "-n"), 2);
	cr_assert_not_null(strstr(errbuf, "--samples needs a value"), "stderr was: %s", errbuf);
	cr_assert_not_null(strstr(errbuf, "Try 'exitlat-native --help'"));
}

/* A kind the table names before exitlat.ko implements it: a usage error that says so. */
Test(native_cli, a_pending_kind_is_refused_as_not_implemented_yet)
{
	struct native_opts o;

	for (int k = 0; k < EXITLAT_EXIT_NR; k++) {
		char *name = (char *)exitlat_exits[k].name, *valid;

		if (exitlat_exits[k].native_domain == EXITLAT_DOMAIN_NONE ||
		    exitlat_native_ready(k))
			continue;
		memset(errbuf, 0, sizeof(errbuf));
		rewind(err);
		cr_assert_eq(PARSE(&o, "--exit", name), 2, "%s", name);
		cr_assert(strstr(errbuf, "is not implemented here yet"), "%s: %s", name, errbuf);
		valid = strstr(errbuf, "(valid: ");
		cr_assert_not_null(valid, "%s", errbuf);
		cr_assert_null(strstr(valid, name), "pending kinds are not listed as valid: %s",
			       errbuf);
	}
}
