// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "kinds.h"
#include "layout.h"
#include "output.h"
#include "vm.h"

bool overhead_is_large(xdec null_median, xdec kind_median)
{
	return null_median * 100 > (xdec)OVERHEAD_LARGE_PERCENT * kind_median;
}

const char *measure_end_name(enum measure_end e)
{
	static const char *const names[] = {
		[END_DONE]		= "done",
		[END_INTERRUPTED]	= "interrupted",
		[END_STALLED]		= "stalled",
		[END_FAULT]		= "guest-fault",
		[END_NO_EXIT]		= "no-exit",
		[END_CLOCKS]		= "clocks",
		[END_ERROR]		= "error",
	};

	return (unsigned int)e < sizeof(names) / sizeof(names[0]) ? names[e] : "unknown";
}

static const char *vendor_name(enum cpu_vendor v)
{
	return v == VENDOR_INTEL ? "intel" : v == VENDOR_AMD ? "amd" : "other";
}

/*
 * The interrupt kinds' keys: how the interrupt was made and delivered, the
 * clock for the cross kinds, and KVM's counters as checked per sample
 * (cross) or per buffer (guest-timed). 'verified' in one word.
 */
static int irq_header(struct exitlat_header *h, const struct output_info *in,
		      enum exitlat_verified *ver)
{
	const struct measure *m = in->m;
	bool cross = exitlat_exits[m->kind].kvm_domain == EXITLAT_DOMAIN_CROSS;
	int ret = 0;

	ret |= exitlat_header_set(h, "irqchip", "in-kernel (KVM_CREATE_IRQCHIP)");
	ret |= exitlat_header_setf(h, "irq_vector", "%#x", IRQ_VECTOR);
	if (in->vm)
		ret |= exitlat_header_set(h, "apic_mode", in->vm->x2apic ? "x2apic" : "xapic");
	if (m->kind == EXITLAT_EXIT_TIMER && in->vm) {
		ret |= exitlat_header_set(h, "timer_mode",
					  in->vm->tsc_deadline ? "tsc-deadline" : "one-shot");
		ret |= exitlat_header_setf(h, "timer_distance_ns", "%d", IRQ_TIMER_DISTANCE_NS);
		ret |= exitlat_header_set(h, "timer_kvm", backend_timer("/sys/module"));
	}
	if (probe_kinds[m->kind].needs & NEED_VCPU1) {
		ret |= exitlat_header_setf(h, "host_cpus", "vcpu0=%d vcpu1=%d", in->cpu, in->cpu2);
		ret |= exitlat_header_setf(h, "tsc_offset", "%lld", (long long)m->tsc_offset);
		ret |= exitlat_header_set(h, "tsc_offset_method", m->offset_from_attr ?
					  "KVM_VCPU_TSC_OFFSET of both vCPUs: vCPU 1's minus vCPU "
					  "0's, taken off every sample" :
					  "assumed equal: KVM synchronizes the TSCs of vCPUs made "
					  "together (no KVM_VCPU_TSC_OFFSET)");
	}
	if (m->kind == EXITLAT_EXIT_IRQFD_HALT || m->kind == EXITLAT_EXIT_IPI_HALT)
		ret |= exitlat_header_set(h, "halt_wait", "sent once KVM counted the HLT and the "
					  "vCPU's thread sleeps (/proc task state S): past KVM's halt "
					  "polling, the wake-up path");
	if (cross) {
		ret |= exitlat_header_setf(h, "host_cpus", "vcpu0=%d eventfd-writer=%d", in->cpu,
					   in->cpu2);
		ret |= exitlat_header_setf(h, "tsc_offset", "%lld", (long long)m->tsc_offset);
		ret |= exitlat_header_set(h, "tsc_offset_method", m->offset_from_attr ?
					  "KVM_VCPU_TSC_OFFSET" : "calibration exit");
		ret |= exitlat_header_setf(h, "tsc_offset_calibration", "%lld +-%llu",
					   (long long)m->calib_offset,
					   (unsigned long long)m->calib_uncertainty);
		ret |= exitlat_header_set(h, "tsc_scaling", "none (the guest's rate is the host's)");
	}
	if (!m->verify)
		return ret;
	if (cross) {
		*ver = EXITLAT_VERIFIED_SAMPLE;
		ret |= exitlat_header_set(h, "verify", "exits and irq_injections counters, per sample");
		ret |= exitlat_header_setf(h, "exits_baseline", "%llu",
					   (unsigned long long)m->exits_baseline);
		ret |= exitlat_header_setf(h, "stats_check", "%s: %llu kept samples each saw %llu "
					   "exits (the kind's own: the fewest any sample saw) and at "
					   "most one injection; %llu dropped", m->n ? "ok" : "none",
					   (unsigned long long)m->n,
					   (unsigned long long)m->exits_baseline,
					   (unsigned long long)m->dropped);
		return ret;
	}
	*ver = EXITLAT_VERIFIED_BUFFER;
	ret |= exitlat_header_set(h, "verify", probe_kinds[m->kind].needs & NEED_VCPU1 ?
				  "vCPU 1's irq_injections counter, per buffer" :
				  "irq_injections counter, per buffer");
	ret |= exitlat_header_setf(h, "stats_buffers", "%llu", (unsigned long long)m->buffers);
	ret |= exitlat_header_setf(h, "injections_expected", "%llu",
				   (unsigned long long)m->injections_expected);
	ret |= exitlat_header_setf(h, "injections_seen", "%llu",
				   (unsigned long long)m->injections_seen);
	ret |= exitlat_header_setf(h, "buffers_with_extra_injections", "%llu",
				   (unsigned long long)m->buffers_with_extra_injections);
	ret |= exitlat_header_setf(h, "buffers_with_extra_handler_runs", "%llu",
				   (unsigned long long)m->buffers_with_extra_handler_runs);
	if (m->injections_seen < m->injections_expected) {
		*ver = EXITLAT_VERIFIED_UNCOUNTED;
		ret |= exitlat_header_set(h, "stats_check", "fewer injections counted than "
					  "interrupts taken: delivered without KVM's injection "
					  "(posted interrupts, APIC virtualization)");
	} else if (m->buffers_with_extra_injections) {
		/* the guest counts its handler's runs: one per sample, so these are KVM's retries */
		ret |= exitlat_header_setf(h, "stats_check", "ok: every interrupt injected by KVM, "
					   "%llu injections more than interrupts (KVM counts a "
					   "re-injection after a cancelled delivery too)",
					   (unsigned long long)(m->injections_seen -
								m->injections_expected));
	} else {
		ret |= exitlat_header_set(h, "stats_check", "ok: one injection per sample");
	}
	return ret;
}

int output_header(struct exitlat_header *h, const struct output_info *in)
{
	const struct measure *m = in->m;
	const struct exitlat_exit_info *e = &exitlat_exits[m->kind];
	enum exitlat_domain dom = e->kvm_domain;
	enum exitlat_verified ver = EXITLAT_VERIFIED_UNSAID;
	int ret = 0;

	ret |= exitlat_header_set(h, "source", "kvm");
	ret |= exitlat_header_set(h, "exit", e->name);
	ret |= exitlat_header_set(h, "unit", "cycles");
	ret |= exitlat_header_set(h, "domain", exitlat_domain_name(dom));
	ret |= exitlat_header_set_tsc_khz(h, in->tsc_khz, "no KVM_CAP_GET_TSC_KHZ");
	ret |= exitlat_header_set(h, "mode", probe_mode_name(m->mode));
	ret |= exitlat_header_setf(h, "samples", "%llu", (unsigned long long)m->n);
	ret |= exitlat_header_setf(h, "samples_requested", "%llu", (unsigned long long)m->target);
	ret |= exitlat_header_setf(h, "warmup", "%llu", (unsigned long long)in->opts->warmup);
	ret |= exitlat_header_setf(h, "cpu", "%d", in->cpu);
	ret |= exitlat_header_set(h, "kvm_backend", in->backend->name);
	ret |= exitlat_header_set(h, "host_hypervisor", in->backend->host_hypervisor);
	ret |= exitlat_header_set(h, "cpu_vendor", vendor_name(in->backend->vendor));
	if (m->kind == EXITLAT_EXIT_HYPERCALL)
		ret |= exitlat_header_set(h, "hypercall_insn",
					  in->backend->vendor == VENDOR_INTEL ? "vmcall" : "vmmcall");
	if (dom == EXITLAT_DOMAIN_CROSS)
		ret |= exitlat_header_set(h, "timestamps", "host: lfence;rdtsc;lfence, then "
					  "write(eventfd) .. guest handler: lfence;rdtsc, "
					  "minus tsc_offset");
	else if (m->kind == EXITLAT_EXIT_TIMER)
		ret |= exitlat_header_set(h, "timestamps", "guest: deadline = lfence;rdtsc + "
					  "timer_distance .. handler's lfence;rdtsc");
	else if (m->kind == EXITLAT_EXIT_SELF_IPI)
		ret |= exitlat_header_set(h, "timestamps", "guest: lfence;rdtsc;lfence, ICR "
					  "write .. handler's lfence;rdtsc");
	else if (dom == EXITLAT_DOMAIN_HOST)
		ret |= exitlat_header_set(h, "timestamps", in->backend->has_rdtscp ?
					  "host: lfence;rdtsc;lfence .. rdtscp;lfence" :
					  "host: lfence;rdtsc;lfence .. lfence;rdtsc;lfence");
	else
		ret |= exitlat_header_set(h, "timestamps",
					  "guest: lfence;rdtsc;lfence .. lfence;rdtsc");
	if (m->kind != EXITLAT_EXIT_NULL_HOST) {
		char setup[256];

		probe_needs_describe(probe_kinds[m->kind].needs, setup, sizeof(setup));
		ret |= exitlat_header_set(h, "vm_setup", setup);
		ret |= exitlat_header_setf(h, "guest_batch", "%d", dom == EXITLAT_DOMAIN_GUEST ?
					   GUEST_BATCH : 1);
		ret |= exitlat_header_setf(h, "kvm_runs", "%llu", (unsigned long long)m->kvm_runs);
	}

	/* The exit-counter check; 'verified' says its outcome in one word for the analysis. */
	if (e->kvm_path == EXITLAT_KVM_IRQ) {
		if (!in->opts->verify)
			ret |= exitlat_header_set(h, "verify", "off (--no-verify)");
		else if (!in->has_stats_fd)
			ret |= exitlat_header_set(h, "verify", "unavailable (no KVM_GET_STATS_FD: "
						  "kernel before 5.14)");
		ret |= irq_header(h, in, &ver);
	} else if (m->kind == EXITLAT_EXIT_NULL_HOST)
		ret |= exitlat_header_set(h, "verify", "n/a (no guest runs)");
	else if (!in->opts->verify)
		ret |= exitlat_header_set(h, "verify", "off (--no-verify)");
	else if (!in->has_stats_fd)
		ret |= exitlat_header_set(h, "verify",
					  "unavailable (no KVM_GET_STATS_FD: kernel before 5.14)");
	else
		ret |= exitlat_header_set(h, "verify", "exits counter");
	ret |= exitlat_header_set_dropped(h, m->dropped, probe_drop_reason(m));
	if (dom == EXITLAT_DOMAIN_HOST)
		ret |= exitlat_header_setf(h, "dropped_warmup", "%llu",
					   (unsigned long long)m->dropped_warmup);
	if (m->kind != EXITLAT_EXIT_NULL_HOST && !m->verify)
		ver = EXITLAT_VERIFIED_OFF;
	if (e->kvm_path == EXITLAT_KVM_IRQ) {
		/* irq_header said it */
	} else if (m->verify && dom == EXITLAT_DOMAIN_HOST) {
		ver = EXITLAT_VERIFIED_SAMPLE;
		ret |= exitlat_header_setf(h, "stats_check",
					   "%s: %llu kept samples each saw exactly one exit, %llu dropped",
					   m->n ? "ok" : "none", (unsigned long long)m->n,
					   (unsigned long long)m->dropped);
	} else if (m->verify) {
		/* the timed instructions: one exit each expected, besides one report per buffer */
		uint64_t insns = m->exits_expected - m->buffers;

		ret |= exitlat_header_setf(h, "stats_buffers", "%llu",
					   (unsigned long long)m->buffers);
		ret |= exitlat_header_setf(h, "stats_exits_expected", "%llu",
					   (unsigned long long)m->exits_expected);
		ret |= exitlat_header_setf(h, "stats_exits_seen", "%llu",
					   (unsigned long long)m->exits_seen);
		ret |= exitlat_header_setf(h, "extra_exits", "%llu",
					   (unsigned long long)m->extra_exits);
		ret |= exitlat_header_setf(h, "buffers_with_extra_exits", "%llu",
					   (unsigned long long)m->buffers_with_extra);
		ver = EXITLAT_VERIFIED_BUFFER;
		if (m->exits_seen < m->exits_expected) {
			ver = EXITLAT_VERIFIED_UNCOUNTED;
			ret |= exitlat_header_set(h, "stats_check",
						  "fewer exits counted than instructions run: this "
						  "backend does not count these exits");
		} else if (insns && m->extra_exits >= insns) {
			ver = EXITLAT_VERIFIED_SEVERAL;
			ret |= exitlat_header_setf(h, "stats_check",
						   "%.2f exits per instruction: the kind's path takes "
						   "more than one exit here", (double)(m->exits_seen -
						   m->buffers) / (double)insns);
		} else if (m->extra_exits) {
			ret |= exitlat_header_set(h, "stats_check",
						  "extra exits (interrupts, preemption) inside some "
						  "buffers: see extra_exits");
		} else {
			ret |= exitlat_header_set(h, "stats_check", "ok: no extra exits");
		}
	}
	if (ver != EXITLAT_VERIFIED_UNSAID)
		ret |= exitlat_header_set(h, "verified", exitlat_verified_name(ver));

	if (probe_kinds[m->kind].needs & (NEED_IOEVENTFD_PIO | NEED_IOEVENTFD_MMIO))
		ret |= exitlat_header_setf(h, "eventfd_signals", "%llu: each buffer's %d writes "
					   "signalled", (unsigned long long)m->eventfd_signals,
					   GUEST_BATCH);

	/* The instrument's own cost beside this kind's. */
	if (in->null_samples && !e->is_null) {
		bool large = overhead_is_large(in->null_median, in->kind_median);
		char nm[XDEC_STR_MAX], km[XDEC_STR_MAX];

		xdec_str(in->null_median, nm);
		xdec_str(in->kind_median, km);
		ret |= exitlat_header_set(h, "null_median", nm);
		ret |= exitlat_header_setf(h, "null_samples", "%llu",
					   (unsigned long long)in->null_samples);
		ret |= exitlat_header_setf(h, "instrument_overhead",
					   "%s: null median %s is %llu%% of this kind's median %s",
					   large ? "large" : "small", nm,
					   (unsigned long long)(in->kind_median ?
						in->null_median * 100 / in->kind_median : 0),
					   km);
	}
	ret |= exitlat_header_set(h, "interrupted", m->end == END_INTERRUPTED ? "yes" : "no");
	ret |= exitlat_header_set(h, "end", measure_end_name(m->end));
	if (m->why[0])
		ret |= exitlat_header_set(h, "end_reason", m->why);
	return ret ? -1 : 0;
}
