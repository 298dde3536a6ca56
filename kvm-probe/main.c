// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kvm-probe: times one exiting instruction through raw /dev/kvm, every sample
 * checked against KVM's exit counters, and writes sample format v1.
 *
 * Exit status: 0 measured; 1 error (no KVM, an ioctl failed; samples taken
 * before it are kept); 2 usage; 3 this kind cannot run on this backend (the
 * guest faulted or stalled); 130 interrupted by SIGINT, SIGTERM, SIGHUP or
 * SIGQUIT (samples kept).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/cli.h"
#include "exitlat/envinfo.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/quantile.h"
#include "guest.h"
#include "irq.h"
#include "kinds.h"
#include "layout.h"
#include "backend.h"
#include "breakdown.h"
#include "cli.h"
#include "measure.h"
#include "output.h"
#include "stats.h"
#include "vm.h"

#define EXIT_REFUSED		3
#define EXIT_INTERRUPTED	130
/* Enough to tell the instrument's median, small beside any run. */
#define NULL_CHECK_SAMPLES	(2 * GUEST_BATCH)

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set)) {
			perror("kvm-probe: sched_getaffinity");
			return -1;
		}
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
			;
		if (cpu == CPU_SETSIZE)
			return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "kvm-probe: --cpu %d: cannot run there: %s\n", cpu, strerror(errno));
		return -1;
	}
	return cpu;
}

/*
 * What an interrupt kind needs of the VM made for it: the guest's TSC at the
 * host's rate (cross kinds: only an offset to remove), the timer's distance
 * and mode. Non-zero with the reason in @why: refused.
 */
static int irq_prepare(struct probe_vm *vm, int kind, char *why, size_t len)
{
	uint64_t host_khz = vm_default_tsc_khz(vm), tsc, count = 0;

	if (exitlat_exits[kind].kvm_domain == EXITLAT_DOMAIN_CROSS && host_khz && vm->tsc_khz &&
	    host_khz != vm->tsc_khz) {
		snprintf(why, len, "the guest's TSC runs at %llu kHz, the host's at %llu kHz: "
			 "scaled, so the guest's TSC offset alone does not map one clock onto the "
			 "other", (unsigned long long)vm->tsc_khz, (unsigned long long)host_khz);
		return -1;
	}
	if (kind != EXITLAT_EXIT_TIMER)
		return 0;
	if (!vm->tsc_khz) {
		snprintf(why, len, "the timer's deadline needs the guest's TSC rate "
			 "(KVM_CAP_GET_TSC_KHZ), which this KVM does not say");
		return -1;
	}
	tsc = irq_timer_tsc(vm->tsc_khz);
	/* KVM's APIC bus: 1 ns per cycle unless a VMM sets KVM_CAP_X86_APIC_BUS_CYCLES_NS */
	if (!vm->tsc_deadline)
		count = irq_timer_count(IRQ_APIC_BUS_NS_DEFAULT);
	memcpy(vm->mem + GUEST_MAILBOX + MB_TIMER_TSC, &tsc, sizeof(tsc));
	memcpy(vm->mem + GUEST_MAILBOX + MB_TIMER_COUNT, &count, sizeof(count));
	return 0;
}

/* The same domain's null kind, briefly, to tell whether the instrument's cost is small. */
static void measure_null(struct measure *main_m, struct output_info *out)
{
	struct measure m = *main_m;
	struct exitlat_sample_stats st;
	enum exitlat_domain dom = exitlat_exits[main_m->kind].kvm_domain;
	const uint8_t *entry;

	m.kind = dom == EXITLAT_DOMAIN_HOST ? EXITLAT_EXIT_NULL_HOST : EXITLAT_EXIT_NULL_KIND;
	m.target = NULL_CHECK_SAMPLES;
	m.warmup = GUEST_BATCH;
	m.progress = false;
	m.verify = false;
	m.n = m.dropped = m.dropped_warmup = m.buffers = m.kvm_runs = 0;
	m.exits_expected = m.exits_seen = m.extra_exits = m.buffers_with_extra = 0;
	m.samples = malloc(m.target * sizeof(*m.samples));
	if (!m.samples)
		return;
	if (dom == EXITLAT_DOMAIN_GUEST) {
		entry = guest_entry(m.kind, m.mode, out->backend->vendor);
		if (vm_set_entry(m.vm, m.mode, guest_addr(entry)))
			goto out;
	}
	measure_run(&m);
	if (m.end == END_DONE && !exitlat_sample_stats(m.samples, m.n, &st)) {
		out->null_median = st.median;
		out->null_samples = m.n;
	}
out:
	free(m.samples);
}

static int write_samples(const char *path, struct output_info *out, const struct breakdown *bd)
{
	struct exitlat_header h = { 0 };
	struct exitlat_writer w;
	int ret = -1;

	if (exitlat_env_fill(&h, "kvm-probe") || output_header(&h, out) ||
	    backend_params(&h, "/sys/module") < 0 ||
	    (bd && breakdown_header(&h, bd, path))) {
		fprintf(stderr, "kvm-probe: out of memory\n");
		goto out;
	}
	if (exitlat_writer_open(&w, path)) {
		fprintf(stderr, "kvm-probe: -o: %s\n", w.err);
		goto out;
	}
	if (exitlat_writer_header(&w, &h) ||
	    exitlat_writer_samples(&w, out->m->samples, out->m->n) ||
	    exitlat_writer_commit(&w)) {
		fprintf(stderr, "kvm-probe: %s\n", w.err);
		exitlat_writer_abort(&w);
		goto out;
	}
	/* The set beside it, with the same header plus each file's own keys. */
	if (bd && breakdown_write(bd, &h, path))
		goto out;
	ret = 0;
out:
	exitlat_header_free(&h);
	return ret;
}

/* The one-screen summary on success (--quiet: none). */
static void print_summary(const struct cli_opts *o, const struct probe_backend *b,
			  const struct measure *m, int cpu, const char *path)
{
	/* with the samples on stdout ("-o -"), the summary goes to stderr */
	FILE *f = strcmp(path, "-") ? stdout : stderr;
	char where[160];

	snprintf(where, sizeof(where), "%s, %s mode, CPU %d", b->name, probe_mode_name(o->mode),
		 cpu);
	if (exitlat_print_summary(f, &(struct exitlat_run_summary){
			.tool = "kvm-probe",
			.kind = exitlat_exits[m->kind].name,
			.where = where,
			.mode = probe_mode_name(o->mode),
			.path = path,
			.samples = m->samples,
			.n = m->n,
			.requested = m->target,
			.dropped = m->dropped,
			.drop_reason = probe_drop_reason(m),
			.emulated = exitlat_env_emulated(),
		}))
		fprintf(stderr, "kvm-probe: out of memory for the summary\n");
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	struct probe_backend b;
	struct probe_vm vm = PROBE_VM_INIT;
	struct probe_stats stats = { .fd = -1 }, stats1 = { .fd = -1 };
	struct measure m = { 0 };
	struct output_info out = { 0 };
	struct exitlat_sample_stats st;
	struct breakdown bd = { .t.raw_fd = -1 };
	const struct exitlat_exit_info *e;
	const struct probe_kind *k;
	const uint8_t *entry;
	const char *refusal;
	char path[512], err[EXITLAT_ERR_MAX], nm[XDEC_STR_MAX], km[XDEC_STR_MAX];
	int ret, cpu, cpu2 = -1, status = 1;
	cpu_set_t allowed;

	ret = cli_parse(argc, argv, &o, stderr);
	if (ret)
		return ret;
	switch (o.action) {
	case CLI_HELP:
		cli_usage(stdout);
		return 0;
	case CLI_VERSION:
		exitlat_cli_version("kvm-probe");
		return 0;
	case CLI_LIST:
		exitlat_exit_print_list(stdout, true);
		return 0;
	case CLI_RUN:
		break;
	}
	e = &exitlat_exits[o.exit_kind];
	if (o.output)
		snprintf(path, sizeof(path), "%s", o.output);
	else
		snprintf(path, sizeof(path), "kvm-%s.samples", e->name);

	backend_detect(&b, "/sys/module");
	k = &probe_kinds[o.exit_kind];
	if (k->exit != PROBE_EXIT_NO_GUEST && !k->guest[o.mode]) {
		fprintf(stderr, "kvm-probe: %s: not measured in %s mode: %s\n", e->name,
			probe_mode_name(o.mode), k->no_real);
		return EXIT_REFUSED;
	}
	entry = guest_entry(o.exit_kind, o.mode, b.vendor);
	if (!entry && k->exit != PROBE_EXIT_NO_GUEST) {
		fprintf(stderr, "kvm-probe: %s: not measured: the host CPU is neither Intel nor "
			"AMD, so the hypercall instruction is unknown\n", e->name);
		return EXIT_REFUSED;
	}
	/* Said at once, not after the watchdog's silence. */
	refusal = backend_refusal(&b, o.exit_kind, o.mode == PROBE_MODE_REAL);
	if (refusal) {
		fprintf(stderr, "kvm-probe: %s: not measured on %s (%s mode): %s\n", e->name, b.name,
			probe_mode_name(o.mode), refusal);
		return EXIT_REFUSED;
	}
	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		perror("kvm-probe: sched_getaffinity");
		return 1;
	}
	cpu = pin_cpu(o.cpu);
	if (cpu < 0)
		return 1;
	/* The irqfd kinds' eventfd writer and vCPU 1 run beside vCPU 0, never in its place. */
	if (e->kvm_domain == EXITLAT_DOMAIN_CROSS || k->needs & NEED_VCPU1) {
		cpu2 = irq_second_cpu(&allowed, cpu, o.cpu2);
		if (cpu2 < 0) {
			if (o.cpu2 >= 0)
				fprintf(stderr, "kvm-probe: %s: not measured: --cpu2 %d is not another "
					"CPU this process may run on than the vCPU's %d\n", e->name,
					o.cpu2, cpu);
			else
				fprintf(stderr, "kvm-probe: %s: not measured on %s: it needs a second "
					"host CPU for %s, and only CPU %d is allowed here\n", e->name,
					b.name, k->needs & NEED_VCPU1 ? "vCPU 1" : "the eventfd writer",
					cpu);
			return EXIT_REFUSED;
		}
	}
	/* Refused before anything is made or measured. */
	if (o.breakdown && breakdown_check(&bd, o.trace_buffer_kb))
		return EXIT_REFUSED;
	/*
	 * Before measuring: an output that cannot be written must not cost a
	 * run. The file itself is made afterwards, so no signal during the run
	 * can leave a temporary one behind.
	 */
	if (exitlat_output_check(path, err, sizeof(err))) {
		fprintf(stderr, "kvm-probe: -o: %s\n", err);
		return 1;
	}
	/* null-host runs no guest, but its header still names the KVM it sits beside. */
	ret = vm_create(&vm, o.dev, &b, o.mode, entry ? guest_addr(entry) : GUEST_CODE, k->needs,
			err, sizeof(err));
	if (ret == VM_REFUSED) {
		fprintf(stderr, "kvm-probe: %s: not measured on %s (%s mode): %s\n", e->name, b.name,
			probe_mode_name(o.mode), err);
		return EXIT_REFUSED;
	}
	if (ret)
		goto out_vm;
	if (k->needs & NEED_VCPU1 && vm_add_vcpu1(&vm, guest_addr(k->vcpu1)))
		goto out_vm;
	if (o.verify && vm.stats1_fd >= 0 && stats_open(&stats1, vm.stats1_fd, err, sizeof(err))) {
		fprintf(stderr, "kvm-probe: vCPU 1's KVM_GET_STATS_FD: %s\n", err);
		goto out_vm;
	}
	if (e->kvm_path == EXITLAT_KVM_IRQ && irq_prepare(&vm, o.exit_kind, err, sizeof(err))) {
		fprintf(stderr, "kvm-probe: %s: not measured on %s (%s mode): %s\n", e->name, b.name,
			probe_mode_name(o.mode), err);
		status = EXIT_REFUSED;
		goto out_vm;
	}
	if (o.verify && vm.stats_fd >= 0 && stats_open(&stats, vm.stats_fd, err, sizeof(err))) {
		fprintf(stderr, "kvm-probe: KVM_GET_STATS_FD: %s\n", err);
		goto out_vm;
	}

	m = (struct measure){
		.kind = o.exit_kind,
		.mode = o.mode,
		.target = o.samples,
		.warmup = o.warmup,
		/* null-host runs no guest: there are no exits to count. */
		.verify = o.verify && stats.fd >= 0 && o.exit_kind != EXITLAT_EXIT_NULL_HOST,
		.has_rdtscp = b.has_rdtscp,
		.progress = isatty(STDERR_FILENO),
		.vm = &vm,
		.stats = &stats,
		.cpu2 = cpu2,
		.stats1 = k->needs & NEED_VCPU1 ? &stats1 : NULL,
		.halt = o.exit_kind == EXITLAT_EXIT_IRQFD_HALT,
	};
	m.samples = malloc(o.samples * sizeof(*m.samples));
	if (!m.samples) {
		fprintf(stderr, "kvm-probe: --samples %llu: out of memory\n",
			(unsigned long long)o.samples);
		goto out_vm;
	}
	if (measure_signals_init(o.watchdog_s))
		goto out_free;
	/* After the handlers: a signal now ends the run through out_free (no instance left). */
	if (o.breakdown) {
		status = breakdown_prepare(&bd, &m, cpu, b.name);
		if (status)
			goto out_free;
		status = 1;
	}
	measure_run(&m);

	out = (struct output_info){
		.opts = &o,
		.backend = &b,
		.m = &m,
		.cpu = cpu,
		.cpu2 = cpu2,
		.vm = &vm,
		.tsc_khz = vm.tsc_khz,
		.has_stats_fd = vm.stats_fd >= 0,
	};
	if (exitlat_sample_stats(m.samples, m.n, &st) == 0)
		out.kind_median = st.median;
	if (o.breakdown && m.end == END_DONE)
		breakdown_measure(&bd, &m, out.kind_median);
	breakdown_close(&bd);
	/* Interrupt kinds time an event to a handler: no null kind to set beside them. */
	if (m.end == END_DONE && !e->is_null && e->kvm_path != EXITLAT_KVM_IRQ)
		measure_null(&m, &out);
	measure_signals_stop();

	switch (m.end) {
	case END_DONE:
		status = 0;
		break;
	case END_INTERRUPTED:
		status = EXIT_INTERRUPTED;
		fprintf(stderr, "kvm-probe: interrupted after %llu samples\n",
			(unsigned long long)m.n);
		break;
	case END_STALLED:
		status = EXIT_REFUSED;
		fprintf(stderr, "kvm-probe: %s: not measured on %s (%s mode): the guest made no "
			"progress for %u s and was stopped by the watchdog\n", e->name, b.name,
			probe_mode_name(o.mode), o.watchdog_s);
		break;
	case END_FAULT:
		status = EXIT_REFUSED;
		fprintf(stderr, "kvm-probe: %s: not measured on %s (%s mode): %s%s%s\n", e->name,
			b.name, probe_mode_name(o.mode), m.why, k->fault_why ? ": " : "",
			k->fault_why ? k->fault_why : "");
		break;
	case END_NO_EXIT:
	case END_CLOCKS:
		status = EXIT_REFUSED;
		fprintf(stderr, "kvm-probe: %s: not measured on %s (%s mode): %s\n", e->name,
			b.name, probe_mode_name(o.mode), m.why);
		break;
	case END_ERROR:
		fprintf(stderr, "kvm-probe: %s on %s: %s\n", e->name, b.name, m.why);
		break;
	}
	/* A breakdown that kept nothing is refused, never written as an empty set. */
	if (status == 0 && o.breakdown && bd.end == END_DONE)
		status = breakdown_none_kept(&bd, e->name, b.name);
	/*
	 * Refused: the one line above is all. What ran before is not the kind's
	 * exit (a buffer that did not exit, a guest that faulted or stalled), and
	 * a file would reach the analysis as if it were.
	 */
	if (status == EXIT_REFUSED)
		goto out_free;
	if (out.null_samples && overhead_is_large(out.null_median, out.kind_median))
		fprintf(stderr, "kvm-probe: note: the instrument's own cost is not small here: "
			"%s median %s cycles vs %s median %s (recorded in the header)\n",
			e->kvm_domain == EXITLAT_DOMAIN_HOST ? "null-host" : "null",
			xdec_str(out.null_median, nm), e->name, xdec_str(out.kind_median, km));
	if (m.dropped && (m.verify || m.drop_reason[0]))
		fprintf(stderr, "kvm-probe: %llu samples dropped: %s\n",
			(unsigned long long)m.dropped, probe_drop_reason(&m));
	/* The traced run's own end: the untraced samples stand, the exit status says it. */
	if (o.breakdown && m.end == END_DONE && bd.end != END_DONE) {
		status = bd.end == END_INTERRUPTED ? EXIT_INTERRUPTED : 1;
		fprintf(stderr, "kvm-probe: --breakdown: the traced run stopped (%s) after %llu "
			"samples%s%s\n", measure_end_name(bd.end), (unsigned long long)bd.traced_n,
			bd.why[0] ? ": " : "", bd.why);
	}
	if (m.n || m.end == END_DONE) {
		if (write_samples(path, &out, o.breakdown && m.end == END_DONE ? &bd : NULL))
			status = 1;
		else if (m.end != END_DONE)
			fprintf(stderr, "kvm-probe: the %llu samples taken are in %s\n",
				(unsigned long long)m.n, path);
		else if (!o.quiet) {
			/* Before the summary, whose last line is for scripts. */
			if (o.breakdown && status == 0)
				breakdown_summary(stdout, &bd, path);
			print_summary(&o, &b, &m, cpu, path);
		}
	}
out_free:
	breakdown_free(&bd);
	free(m.samples);
out_vm:
	vm_destroy(&vm);
	return status;
}
