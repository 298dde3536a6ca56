// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <getopt.h>
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
		"       kvm-probe --list | --help | --version\n"
		"Times one exiting instruction through raw /dev/kvm, sample by sample.\n"
		"\n"
		"  -e, --exit KIND        exit kind to measure (see --list)\n"
		"  -n, --samples N        samples to keep (default %d)\n"
		"  -w, --warmup N         samples taken first and thrown away (default %d)\n"
		"  -c, --cpu N            CPU to pin to (default: the first allowed one)\n"
		"  -m, --mode long|real   guest mode: 64-bit with paging, or real mode (default long)\n"
		"  -o, --output FILE      sample file (default kvm-KIND.samples)\n"
		"  -V, --no-verify        do not check KVM's exit counters around each sample\n"
		"  -t, --watchdog SEC     stop a guest that makes no progress for SEC seconds\n"
		"                         (default %d)\n"
		"  -l, --list             list the exit kinds\n"
		"  -h, --help             this help\n"
		"  -v, --version          print the version\n"
		"The device is /dev/kvm, or $KVM_PROBE_DEV when set.\n"
		"Exit status: 0 measured; 1 error (samples taken before it are kept);\n"
		"2 usage; 3 the kind cannot run on this KVM (one line says why);\n"
		"130 interrupted (samples taken are kept, marked 'interrupted: yes').\n",
		CLI_DEFAULT_SAMPLES, CLI_DEFAULT_WARMUP, CLI_DEFAULT_WATCHDOG);
}

static const struct option long_opts[] = {
	{ "exit",	required_argument,	NULL, 'e' },
	{ "samples",	required_argument,	NULL, 'n' },
	{ "warmup",	required_argument,	NULL, 'w' },
	{ "cpu",	required_argument,	NULL, 'c' },
	{ "mode",	required_argument,	NULL, 'm' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "no-verify",	no_argument,		NULL, 'V' },
	{ "watchdog",	required_argument,	NULL, 't' },
	{ "list",	no_argument,		NULL, 'l' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'v' },
	{ NULL,		0,			NULL, 0 },
};

static int usage_error(FILE *err)
{
	fprintf(err, "Try 'kvm-probe --help'.\n");
	return 2;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, FILE *err)
{
	const char *kind = NULL, *dev = getenv("KVM_PROBE_DEV");
	uint64_t v;
	int c;

	*o = (struct cli_opts){
		.action = CLI_RUN,
		.exit_kind = -1,
		.samples = CLI_DEFAULT_SAMPLES,
		.warmup = CLI_DEFAULT_WARMUP,
		.cpu = -1,
		.mode = PROBE_MODE_LONG,
		.verify = true,
		.watchdog_s = CLI_DEFAULT_WATCHDOG,
		.dev = dev && *dev ? dev : "/dev/kvm",
	};
	/* 0, not 1: also resets getopt's internal state between calls (tests). */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":e:n:w:c:m:o:Vt:lhv", long_opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			kind = optarg;
			break;
		case 'n':
			if (exitlat_parse_count("kvm-probe", "--samples", optarg, 1, CLI_MAX_SAMPLES, &o->samples, err))
				return usage_error(err);
			break;
		case 'w':
			if (exitlat_parse_count("kvm-probe", "--warmup", optarg, 0, CLI_MAX_SAMPLES, &o->warmup, err))
				return usage_error(err);
			break;
		case 'c':
			if (exitlat_parse_count("kvm-probe", "--cpu", optarg, 0, 65535, &v, err))
				return usage_error(err);
			o->cpu = (int)v;
			break;
		case 'm':
			if (strcmp(optarg, "long") == 0) {
				o->mode = PROBE_MODE_LONG;
			} else if (strcmp(optarg, "real") == 0) {
				o->mode = PROBE_MODE_REAL;
			} else {
				fprintf(err, "kvm-probe: --mode: '%s' is not 'long' or 'real'\n",
					optarg);
				return usage_error(err);
			}
			break;
		case 'o':
			if (!*optarg) {
				fprintf(err, "kvm-probe: --output: empty file name\n");
				return usage_error(err);
			}
			o->output = optarg;
			break;
		case 'V':
			o->verify = false;
			break;
		case 't':
			if (exitlat_parse_count("kvm-probe", "--watchdog", optarg, 1, 3600, &v, err))
				return usage_error(err);
			o->watchdog_s = (unsigned int)v;
			break;
		case 'l':
			o->action = CLI_LIST;
			break;
		case 'h':
			o->action = CLI_HELP;
			break;
		case 'v':
			o->action = CLI_VERSION;
			break;
		case ':':
			fprintf(err, "kvm-probe: option '%s' needs a value\n", argv[optind - 1]);
			return usage_error(err);
		default:
			if (optopt)
				fprintf(err, "kvm-probe: unknown option '-%c'\n", optopt);
			else
				fprintf(err, "kvm-probe: unknown option '%s'\n", argv[optind - 1]);
			return usage_error(err);
		}
	}
	if (optind < argc) {
		fprintf(err, "kvm-probe: unexpected argument '%s'\n", argv[optind]);
		return usage_error(err);
	}
	if (o->action != CLI_RUN)
		return 0;
	if (!kind) {
		fprintf(err, "kvm-probe: --exit KIND is required (kinds: ");
		exitlat_exit_list_names(err, true);
		fprintf(err, ")\n");
		return usage_error(err);
	}
	o->exit_kind = exitlat_exit_by_name(kind);
	if (o->exit_kind < 0 || exitlat_exits[o->exit_kind].kvm_domain == EXITLAT_DOMAIN_NONE) {
		fprintf(err, "kvm-probe: --exit: unknown exit kind '%s' (valid: ", kind);
		exitlat_exit_list_names(err, true);
		fprintf(err, ")\n");
		return usage_error(err);
	}
	return 0;
}
