// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "exitlat/cli.h"
#include "exitlat/exit_kind_table.h"
#include "cli.h"

const char *probe_mode_name(enum probe_mode m)
{
	return m == PROBE_MODE_REAL ? "real" : "long";
}

void cli_usage(FILE *f)
{
	fprintf(f,
		"Usage: kvm-probe --exit KIND [options]\n"
		"  or:  kvm-probe --list | --help | --version\n"
		"Times one exiting instruction through raw /dev/kvm, sample by sample.\n"
		"\n"
		"  -e, --exit KIND        exit kind to measure (see --list)\n"
		"  -n, --samples N        samples to keep (default %d, at most %d)\n"
		"  -w, --warmup N         samples taken first and thrown away (default %d)\n"
		"  -c, --cpu N            CPU to pin to (default: the first allowed one)\n"
		"      --cpu2 N           irqfd kinds: the host CPU of the thread that writes\n"
		"                         the eventfd (default: the next allowed one after\n"
		"                         --cpu; refused where there is none)\n"
		"  -m, --mode MODE        guest mode: long (64-bit with paging, the default)\n"
		"                         or real\n"
		"  -o, --output FILE      sample file (default kvm-KIND.samples)\n"
		"  -q, --quiet            no summary on stdout\n"
		"      --no-verify        do not check KVM's exit counters around each sample\n"
		"  -t, --watchdog SEC     stop a guest that makes no progress for SEC seconds\n"
		"                         (default %d)\n"
		"      --breakdown        also split each trip into segments with KVM's\n"
		"                         tracepoints (root, tracefs; docs/breakdown.md)\n"
		"      --trace-buffer KB  --breakdown's ring buffer on the probe's CPU\n"
		"                         (default %d)\n"
		"  -l, --list             list the exit kinds\n"
		"  -h, --help             this help\n"
		"  -V, --version          print the version\n"
		"\n"
		"On success a summary goes to stdout: count, min, median, p99 and max in\n"
		"cycles, dropped samples and why, and a last line 'summary: key=value ...'\n"
		"for scripts. A kind this KVM cannot run is refused at once (exit 3).\n"
		"The device is /dev/kvm, or $KVM_PROBE_DEV when set.\n"
		"Exit status: 0 measured; 1 error (samples taken before it are kept);\n"
		"2 usage; 3 the kind cannot run on this KVM (one line says why);\n"
		"130 interrupted (samples taken are kept, marked 'interrupted: yes').\n",
		CLI_DEFAULT_SAMPLES, CLI_MAX_SAMPLES, CLI_DEFAULT_WARMUP, CLI_DEFAULT_WATCHDOG,
		CLI_DEFAULT_TRACE_BUFFER_KB);
}

enum { OPT_NO_VERIFY = EXITLAT_OPT_OWN, OPT_BREAKDOWN, OPT_TRACE_BUFFER, OPT_CPU2 };

static const struct option own_opts[] = {
	{ "no-verify",		no_argument,		NULL, OPT_NO_VERIFY },
	{ "breakdown",		no_argument,		NULL, OPT_BREAKDOWN },
	{ "trace-buffer",	required_argument,	NULL, OPT_TRACE_BUFFER },
	{ "cpu2",		required_argument,	NULL, OPT_CPU2 },
	{ NULL,			0,			NULL, 0 },
};

static int breakdown_usage(const struct exitlat_cli *c, const struct cli_opts *o,
			   bool trace_buffer)
{
	if (trace_buffer && !o->breakdown)
		return exitlat_cli_usage_error(c, "--trace-buffer needs --breakdown");
	if (o->breakdown && exitlat_exits[o->exit_kind].is_null)
		return exitlat_cli_usage_error(c, "--breakdown: %s has no exit to split",
					       exitlat_exits[o->exit_kind].name);
	/* A delivery latency from an event to a handler, not one exit's round trip. */
	if (o->breakdown && exitlat_exits[o->exit_kind].kvm_path == EXITLAT_KVM_IRQ)
		return exitlat_cli_usage_error(c, "--breakdown: %s is an interrupt latency, not "
					       "an exit's round trip to split",
					       exitlat_exits[o->exit_kind].name);
	/* Its files are named after the sample file. */
	if (o->breakdown && o->output && !strcmp(o->output, "-"))
		return exitlat_cli_usage_error(c, "--breakdown needs a file name for --output, "
					       "not '-'");
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, FILE *err)
{
	const char *kind = NULL, *dev = getenv("KVM_PROBE_DEV");
	struct exitlat_cli c;
	bool trace_buffer = false;
	uint64_t v;
	int opt;

	*o = (struct cli_opts){
		.action = CLI_RUN,
		.exit_kind = -1,
		.samples = CLI_DEFAULT_SAMPLES,
		.warmup = CLI_DEFAULT_WARMUP,
		.cpu = -1,
		.cpu2 = -1,
		.mode = PROBE_MODE_LONG,
		.verify = true,
		.watchdog_s = CLI_DEFAULT_WATCHDOG,
		.dev = dev && *dev ? dev : "/dev/kvm",
		.trace_buffer_kb = CLI_DEFAULT_TRACE_BUFFER_KB,
	};
	if (exitlat_cli_init(&c, "kvm-probe", err, "enwcmoqtlhV", own_opts, false))
		return 1;
	while ((opt = exitlat_cli_next(&c, argc, argv)) != -1) {
		switch (opt) {
		case 'e':
			kind = optarg;
			break;
		case 'n':
			if (exitlat_cli_count(&c, opt, optarg, 1, CLI_MAX_SAMPLES, &o->samples))
				return 2;
			break;
		case 'w':
			if (exitlat_cli_count(&c, opt, optarg, 0, CLI_MAX_SAMPLES, &o->warmup))
				return 2;
			break;
		case 'c':
			if (exitlat_cli_count(&c, opt, optarg, 0, 65535, &v))
				return 2;
			o->cpu = (int)v;
			break;
		case OPT_CPU2:
			if (exitlat_cli_count(&c, opt, optarg, 0, 65535, &v))
				return 2;
			o->cpu2 = (int)v;
			break;
		case 'm':
			if (strcmp(optarg, "long") == 0)
				o->mode = PROBE_MODE_LONG;
			else if (strcmp(optarg, "real") == 0)
				o->mode = PROBE_MODE_REAL;
			else
				return exitlat_cli_usage_error(&c, "--mode: '%s' is not 'long' or 'real'",
							       optarg);
			break;
		case 'o':
			if (!*optarg)
				return exitlat_cli_usage_error(&c, "--output: empty file name");
			o->output = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_NO_VERIFY:
			o->verify = false;
			break;
		case 't':
			if (exitlat_cli_count(&c, opt, optarg, 1, 3600, &v))
				return 2;
			o->watchdog_s = (unsigned int)v;
			break;
		case OPT_BREAKDOWN:
			o->breakdown = true;
			break;
		case OPT_TRACE_BUFFER:
			if (exitlat_cli_count(&c, opt, optarg, 1, CLI_MAX_TRACE_BUFFER_KB, &v))
				return 2;
			o->trace_buffer_kb = (unsigned int)v;
			trace_buffer = true;
			break;
		case 'l':
			o->action = CLI_LIST;
			break;
		case 'h':
			o->action = CLI_HELP;
			break;
		case 'V':
			o->action = CLI_VERSION;
			break;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return exitlat_cli_usage_error(&c, "unexpected argument '%s'", argv[optind]);
	if (o->action != CLI_RUN)
		return 0;
	if (exitlat_cli_exit_kind(&c, kind, true, &o->exit_kind))
		return EXITLAT_EXIT_USAGE;
	return breakdown_usage(&c, o, trace_buffer);
}
