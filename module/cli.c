// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "exitlat/cli.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/ioctl.h"
#include "cli.h"

enum { OPT_KVM_LIKE = EXITLAT_OPT_OWN };

static const struct option native_own[] = {
	{ "kvm-like", no_argument, NULL, OPT_KVM_LIKE },
	{ 0 },
};

static const char *const mode_names[EXITLAT_MODE_NR] = {
	[EXITLAT_MODE_ROUNDTRIP]	= "roundtrip",
	[EXITLAT_MODE_ENTRY]		= "entry",
	[EXITLAT_MODE_EXIT]		= "exit",
};

const char *native_mode_name(unsigned int mode)
{
	return mode < EXITLAT_MODE_NR ? mode_names[mode] : "unknown";
}

void native_cli_usage(FILE *f)
{
	fprintf(f,
		"Usage: exitlat-native --exit KIND [options]\n"
		"  or:  exitlat-native --info | --list | --help | --version\n"
		"Times VM entry + VM exit natively through exitlat.ko, sample by sample (root only).\n"
		"\n"
		"  -e, --exit KIND        exit kind to measure (see --list)\n"
		"  -n, --samples N        samples to keep (default %d, at most %llu)\n"
		"  -c, --cpu N            CPU to run on (default 0)\n"
		"  -m, --mode MODE        roundtrip, entry or exit (default roundtrip); entry and\n"
		"                         exit split the trip at the guest's own TSC read\n"
		"  -b, --budget-us US     time limit of one interrupts-off batch, microseconds\n"
		"                         (default %d, at most %d)\n"
		"  -o, --output FILE      sample file (default native-KIND.samples); checked\n"
		"                         before measuring\n"
		"      --kvm-like         SVM: VMLOAD/VMSAVE inside the timed trip, as KVM's\n"
		"                         __svm_vcpu_run does (default: the bare VMRUN)\n"
		"  -q, --quiet            no summary on stdout\n"
		"  -i, --info             print what the CPU offers (VMX/SVM, capability MSRs)\n"
		"  -l, --list             list the exit kinds\n"
		"  -h, --help             this help\n"
		"  -V, --version          print the version\n"
		"\n"
		"On success a summary goes to stdout: count, min, median, p99 and max in\n"
		"cycles, dropped samples and why, and a last line 'summary: key=value ...'\n"
		"for scripts. A CPU that cannot run the kind is named at once (exit 3).\n"
		"The device is " EXITLAT_DEVICE ", or $EXITLAT_NATIVE_DEV when set.\n"
		"Exit status: 0 done; 1 error; 2 usage error; 3 the kind cannot run on this CPU\n"
		"(one line says why); 130 interrupted (samples taken are kept, marked\n"
		"'interrupted: yes').\n",
		NATIVE_DEFAULT_SAMPLES, NATIVE_MAX_SAMPLES, EXITLAT_RUN_DEFAULT_US,
		EXITLAT_RUN_MAX_US);
}

int native_cli_parse(int argc, char **argv, struct native_opts *o, FILE *err)
{
	struct exitlat_cli c;
	bool run_opt = false;
	uint64_t v;
	int opt;

	*o = (struct native_opts){ .action = NATIVE_RUN, .kind = -1,
				   .samples = NATIVE_DEFAULT_SAMPLES };
	if (exitlat_cli_init(&c, "exitlat-native", err, "encmboqilhV", native_own, false))
		return 1;
	while ((opt = exitlat_cli_next(&c, argc, argv)) != -1) {
		run_opt |= opt == OPT_KVM_LIKE || (opt < 256 && strchr("enmboq", opt) != NULL);
		switch (opt) {
		case 'e':
			if (exitlat_cli_exit_kind(&c, optarg, false, &o->kind))
				return 2;
			break;
		case 'n':
			if (exitlat_cli_count(&c, opt, optarg, 1, NATIVE_MAX_SAMPLES, &o->samples))
				return 2;
			break;
		case 'c':
			if (exitlat_cli_count(&c, opt, optarg, 0, NATIVE_MAX_CPU, &v))
				return 2;
			o->cpu = (unsigned int)v;
			break;
		case 'm':
			for (o->mode = 0; o->mode < EXITLAT_MODE_NR; o->mode++)
				if (strcmp(optarg, mode_names[o->mode]) == 0)
					break;
			if (o->mode == EXITLAT_MODE_NR)
				return exitlat_cli_usage_error(&c, "--mode: '%s' is not roundtrip, "
							       "entry or exit", optarg);
			break;
		case 'b':
			if (exitlat_cli_count(&c, opt, optarg, 1, EXITLAT_RUN_MAX_US, &v))
				return 2;
			o->budget_us = (unsigned int)v;
			break;
		case 'o':
			if (!*optarg)
				return exitlat_cli_usage_error(&c, "--output: empty file name");
			o->output = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'i':
			if (o->action == NATIVE_RUN)
				o->action = NATIVE_INFO;
			break;
		case 'l':
			o->action = NATIVE_LIST;
			break;
		case 'h':
			o->action = NATIVE_HELP;
			break;
		case 'V':
			o->action = NATIVE_VERSION;
			break;
		case OPT_KVM_LIKE:
			o->kvm_like = true;
			break;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return exitlat_cli_usage_error(&c, "unexpected argument '%s'", argv[optind]);
	/* --info measures nothing: options of a measurement would be ignored */
	if (o->action == NATIVE_INFO && run_opt)
		return exitlat_cli_usage_error(&c, "--info measures nothing: it takes only --cpu");
	if (o->action != NATIVE_RUN)
		return 0;
	if (o->kind < 0)
		return exitlat_cli_exit_kind(&c, NULL, false, &o->kind);
	if (o->kind == EXITLAT_EXIT_NULL_KIND && o->mode != EXITLAT_MODE_ROUNDTRIP)
		return exitlat_cli_usage_error(&c, "--mode %s needs a VM transition; the null "
					       "kind has none", mode_names[o->mode]);
	if (!exitlat_native_guest_runs(o->kind) && o->mode != EXITLAT_MODE_ROUNDTRIP)
		return exitlat_cli_usage_error(&c, "--mode %s needs the guest's own TSC read; "
					       "%s exits before the guest's first instruction",
					       mode_names[o->mode], exitlat_exits[o->kind].name);
	if (o->kind == EXITLAT_EXIT_NULL_KIND && o->kvm_like)
		return exitlat_cli_usage_error(&c, "--kvm-like needs a VM transition; the null "
					       "kind has none");
	return 0;
}
