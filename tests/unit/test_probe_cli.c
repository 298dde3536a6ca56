// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "cli.h"
#include "exitlat/cli.h"

static char errbuf[4096];
static FILE *err;

static void setup(void)
{
	unsetenv("KVM_PROBE_DEV");
	memset(errbuf, 0, sizeof(errbuf));
	err = fmemopen(errbuf, sizeof(errbuf) - 1, "w");
}

static void teardown(void)
{
	fclose(err);
}

#define PARSE(o, ...) ({						\
	char *argv[] = { "kvm-probe", __VA_ARGS__, NULL };		\
	int r = cli_parse(sizeof(argv) / sizeof(argv[0]) - 1, argv, (o), err); \
	fflush(err);							\
	r;								\
})

TestSuite(probe_cli, .init = setup, .fini = teardown);

Test(probe_cli, defaults_apply_when_only_the_kind_is_given)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "pio"), 0);
	cr_assert_eq(o.action, CLI_RUN);
	cr_assert_eq(o.exit_kind, EXITLAT_EXIT_PIO);
	cr_assert_eq(o.samples, CLI_DEFAULT_SAMPLES);
	cr_assert_eq(o.warmup, CLI_DEFAULT_WARMUP);
	cr_assert_eq(o.cpu, -1);
	cr_assert_eq(o.mode, PROBE_MODE_LONG);
	cr_assert_eq(o.verify, true);
	cr_assert_null(o.output);
	cr_assert_str_eq(o.dev, "/dev/kvm");
}

Test(probe_cli, every_option_is_read)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "null-host", "--samples", "123", "--warmup", "0",
			   "--cpu", "1", "--mode", "real", "-o", "x.samples", "--no-verify",
			   "--watchdog", "7"), 0);
	cr_assert_eq(o.exit_kind, EXITLAT_EXIT_NULL_HOST);
	cr_assert_eq(o.samples, 123);
	cr_assert_eq(o.warmup, 0);
	cr_assert_eq(o.cpu, 1);
	cr_assert_eq(o.mode, PROBE_MODE_REAL);
	cr_assert_str_eq(o.output, "x.samples");
	cr_assert_eq(o.verify, false);
	cr_assert_eq(o.watchdog_s, 7);
}

Test(probe_cli, short_options_match_long_ones)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "-e", "cpuid", "-n", "5", "-w", "2", "-c", "0", "-m", "real",
			   "-o", "f", "-q", "-t", "9"), 0);
	cr_assert_eq(o.exit_kind, EXITLAT_EXIT_CPUID);
	cr_assert_eq(o.samples, 5);
	cr_assert_eq(o.warmup, 2);
	cr_assert_eq(o.cpu, 0);
	cr_assert_eq(o.mode, PROBE_MODE_REAL);
	cr_assert_str_eq(o.output, "f");
	cr_assert(o.quiet);
	cr_assert_eq(o.watchdog_s, 9);
}

/* docs/cli.md: -V is the version in every tool, -v verbose; --no-verify has no letter. */
Test(probe_cli, letters_follow_the_shared_table)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "-V"), 0);
	cr_assert_eq(o.action, CLI_VERSION);
	cr_assert_eq(PARSE(&o, "-h"), 0);
	cr_assert_eq(o.action, CLI_HELP);
	cr_assert_eq(PARSE(&o, "-l"), 0);
	cr_assert_eq(o.action, CLI_LIST);
	cr_assert_eq(PARSE(&o, "-e", "pio", "-v"), 2);
	cr_assert_not_null(strstr(errbuf, "unknown option '-v'"), "stderr was: %s", errbuf);
}

Test(probe_cli, quiet_is_off_by_default)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "pio"), 0);
	cr_assert_not(o.quiet);
	cr_assert_eq(PARSE(&o, "--exit", "pio", "--quiet"), 0);
	cr_assert(o.quiet);
}

Test(probe_cli, device_comes_from_the_environment)
{
	struct cli_opts o;

	setenv("KVM_PROBE_DEV", "/tmp/none", 1);
	cr_assert_eq(PARSE(&o, "--exit", "hlt"), 0);
	cr_assert_str_eq(o.dev, "/tmp/none");
}

Test(probe_cli, list_help_and_version_need_no_kind)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--list"), 0);
	cr_assert_eq(o.action, CLI_LIST);
	cr_assert_eq(PARSE(&o, "--help"), 0);
	cr_assert_eq(o.action, CLI_HELP);
	cr_assert_eq(PARSE(&o, "--version"), 0);
	cr_assert_eq(o.action, CLI_VERSION);
}

Test(probe_cli, unknown_kind_lists_the_valid_ones)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "vmcall"), 2);
	cr_assert_not_null(strstr(errbuf, "unknown exit kind 'vmcall' (valid: "),
			   "stderr was: %s", errbuf);
	cr_assert_not_null(strstr(errbuf, "pio"));
	cr_assert_not_null(strstr(errbuf, "null-host"));
}

Test(probe_cli, missing_kind_is_a_usage_error)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--samples", "10"), 2);
	cr_assert_not_null(strstr(errbuf, "--exit KIND is required"));
}

/* Arrays, not pointers: each case reaches its test process by copy (BoxFort). */
struct bad_case {
	char opt[16], val[32], expect[64];
};

static struct bad_case bad_cases[] = {
	{ "--samples", "-1", "--samples: -1 is out of range (1 to 50000000)" },
	{ "--samples", "12x", "--samples: '12x' is not a number" },
	{ "--samples", "", "--samples: '' is not a number" },
	{ "--samples", "0", "--samples: 0 is out of range" },
	{ "--samples", "99999999999999999999", "--samples: 99999999999999999999 is out of range" },
	{ "--samples", "+5", "--samples: '+5' is not a number" },
	{ "--samples", "1e3", "--samples: '1e3' is not a number" },
	{ "--cpu", "-0", "--cpu: -0 is out of range" },
	{ "--samples", "50000001", "out of range" },
	{ "--warmup", " 5", "--warmup: ' 5' is not a number" },
	{ "--cpu", "65536", "--cpu: 65536 is out of range" },
	{ "--mode", "protected", "--mode: 'protected' is not 'long' or 'real'" },
	{ "--watchdog", "0", "--watchdog: 0 is out of range" },
	{ "--output", "--quiet", "--output needs a value ('--quiet' is an option)" },
	{ "--cpu", "-q", "--cpu needs a value ('-q' is an option)" },
	{ "--output", "", "--output: empty file name" },
};

ParameterizedTestParameters(probe_cli, bad_values_name_the_option)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, probe_cli, bad_values_name_the_option)
{
	struct cli_opts o;
	char *argv[] = { "kvm-probe", "--exit", "pio", c->opt, c->val, NULL };

	cr_assert_eq(cli_parse(5, argv, &o, err), 2);
	fflush(err);
	cr_assert_not_null(strstr(errbuf, c->expect), "stderr was: %s", errbuf);
}

Test(probe_cli, unknown_option_and_stray_argument_are_usage_errors)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "pio", "--bogus"), 2);
	cr_assert_not_null(strstr(errbuf, "unknown option '--bogus'"));
	cr_assert_eq(PARSE(&o, "--exit", "pio", "extra"), 2);
	cr_assert_not_null(strstr(errbuf, "unexpected argument 'extra'"));
}

Test(probe_cli, option_without_value_is_named)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit"), 2);
	cr_assert_not_null(strstr(errbuf, "--exit needs a value"), "stderr was: %s", errbuf);
}

Test(probe_cli, short_option_without_value_is_named_by_its_long_name)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "-e", "pio", "-o"), 2);
	cr_assert_not_null(strstr(errbuf, "--output needs a value"), "stderr was: %s", errbuf);
	cr_assert_not_null(strstr(errbuf, "Try 'kvm-probe --help'"));
}

Test(probe_cli, a_flag_given_a_value_is_a_usage_error)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "-e", "pio", "--quiet=yes"), 2);
	cr_assert_not_null(strstr(errbuf, "--quiet takes no value"), "stderr was: %s", errbuf);
}

/* One line per kind kvm-probe measures: name, domain, where KVM handles it; none for the rest. */
Test(probe_cli, list_prints_every_kvm_kind_with_its_domain_and_where_kvm_handles_it)
{
	char buf[8192] = { 0 }, name[32], dom[16], where[16];
	int seen[EXITLAT_EXIT_NR] = { 0 };
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	exitlat_exit_print_list(f, true);
	fclose(f);
	f = fmemopen(buf, strlen(buf), "r");
	while (fscanf(f, "%31s %15s %15s%*[^\n]", name, dom, where) == 3) {
		int k = exitlat_exit_by_name(name);

		cr_assert_geq(k, 0, "--list names '%s'", name);
		seen[k]++;
		cr_assert_str_eq(dom, exitlat_domain_name(exitlat_exits[k].kvm_domain), "%s", name);
		cr_assert_str_eq(where, exitlat_kvm_path_name(exitlat_exits[k].kvm_path), "%s", name);
	}
	fclose(f);
	for (int k = 0; k < EXITLAT_EXIT_NR; k++)
		cr_assert_eq(seen[k], exitlat_kvm_ready(k), "%s listed %d times",
			     exitlat_exits[k].name, seen[k]);
	cr_assert_not_null(strstr(buf, "pio            host  user     OUT to"));
}

Test(probe_cli, breakdown_takes_a_trace_buffer_size)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "pio"), 0);
	cr_assert_not(o.breakdown);
	cr_assert_eq(PARSE(&o, "--exit", "pio", "--breakdown", "--trace-buffer", "64"), 0);
	cr_assert(o.breakdown);
	cr_assert_eq(o.trace_buffer_kb, 64);
	cr_assert_eq(PARSE(&o, "--exit", "cpuid", "--breakdown"), 0);
	cr_assert_eq(o.trace_buffer_kb, CLI_DEFAULT_TRACE_BUFFER_KB);
}

Test(probe_cli, breakdown_misuse_is_a_usage_error)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "pio", "--trace-buffer", "64"), 2);
	cr_assert(strstr(errbuf, "--trace-buffer needs --breakdown"), "%s", errbuf);
	cr_assert_eq(PARSE(&o, "--exit", "null-host", "--breakdown"), 2);
	cr_assert(strstr(errbuf, "no exit to split"), "%s", errbuf);
	cr_assert_eq(PARSE(&o, "--exit", "pio", "--breakdown", "--trace-buffer", "0"), 2);
	cr_assert_eq(PARSE(&o, "--exit", "pio", "--breakdown", "-o", "-"), 2);
}

Test(probe_cli, cpu2_names_the_second_threads_cpu_and_defaults_to_none)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "irqfd"), 0);
	cr_assert_eq(o.cpu2, -1);
	cr_assert_eq(PARSE(&o, "--exit", "ipi", "--cpu2", "3"), 0);
	cr_assert_eq(o.cpu2, 3);
	cr_assert_eq(PARSE(&o, "--exit", "ipi", "--cpu2", "x"), 2);
	cr_assert(strstr(errbuf, "--cpu2"), "%s", errbuf);
}

/* An interrupt kind's latency runs from an event to a handler: no exit trip to cut. */
Test(probe_cli, breakdown_of_an_interrupt_kind_is_a_usage_error)
{
	struct cli_opts o;

	cr_assert_eq(PARSE(&o, "--exit", "irqfd", "--breakdown"), 2);
	cr_assert(strstr(errbuf, "interrupt latency"), "%s", errbuf);
}
