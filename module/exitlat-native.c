// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-native: drives exitlat.ko (/dev/exitlat) batch by batch and
 * writes every sample in sample format v1 (source: native). Options in
 * cli.c (the shared letters of docs/cli.md); exit statuses as kvm-probe's.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "exitlat/cli.h"
#include "exitlat/envinfo.h"
#include "exitlat/exit_kind_table.h"
#include "exitlat/ioctl.h"
#include "exitlat/samples.h"
#include "exitlat/version.h"
#include "cli.h"
#include "kernel/names.h"

#define TOOL "exitlat-native"
/* Why the module drops a trip (ioctl.h): the header's 'dropped' and the summary say it. */

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

#define EXIT_REFUSED 3
/* Batches in a row that keep no sample before the kind is given up on. */
#define EMPTY_BATCHES_MAX 1000

static int open_device(void)
{
	const char *dev = getenv("EXITLAT_NATIVE_DEV");
	int fd;

	if (!dev || !*dev)
		dev = EXITLAT_DEVICE;
	if (geteuid() != 0) {
		fprintf(stderr, TOOL ": only root can drive the native module (%s)\n", dev);
		return -1;
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			fprintf(stderr, TOOL ": %s: %s: exitlat.ko is not loaded "
				"(insmod exitlat.ko; it needs a CPU with VMX or SVM)\n", dev, strerror(e));
		else if (e == EACCES || e == EPERM)
			fprintf(stderr, TOOL ": %s: %s: only root can drive the native module\n",
				dev, strerror(e));
		else
			fprintf(stderr, TOOL ": cannot open %s: %s\n", dev, strerror(e));
		return -1;
	}
	int v = ioctl(fd, EXITLAT_IOC_API_VERSION);

	if (v < 0) {
		fprintf(stderr, TOOL ": EXITLAT_IOC_API_VERSION failed: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	if (v < EXITLAT_API_VERSION) {
		fprintf(stderr, TOOL ": exitlat.ko speaks ioctl API %d, this program needs %d\n",
			v, EXITLAT_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static const char *vendor_name(uint32_t v)
{
	return v == EXITLAT_VENDOR_INTEL ? "intel" : v == EXITLAT_VENDOR_AMD ? "amd" : "other";
}

static const char *virt_name(uint32_t v)
{
	return v == EXITLAT_VIRT_VMX ? "vmx" : v == EXITLAT_VIRT_SVM ? "svm" : "none";
}

static int query_info(int fd, unsigned int cpu, struct exitlat_info *info)
{
	*info = (struct exitlat_info){ .cpu = cpu };
	if (ioctl(fd, EXITLAT_IOC_INFO, info) < 0) {
		fprintf(stderr, TOOL ": EXITLAT_IOC_INFO (cpu %u) failed: %s%s\n", cpu,
			strerror(errno), errno == EINVAL ? " (no such CPU online?)" : "");
		return -1;
	}
	return 0;
}

static void print_info(const struct exitlat_info *in)
{
	static const char *const msr_names[EXITLAT_MSR_NR] = {
		[EXITLAT_MSR_FEATURE] = "feature_control/vm_cr",
		[EXITLAT_MSR_VMX_BASIC] = "vmx_basic",
		[EXITLAT_MSR_VMX_PINBASED] = "vmx_pinbased_ctls",
		[EXITLAT_MSR_VMX_PROCBASED] = "vmx_procbased_ctls",
		[EXITLAT_MSR_VMX_EXIT] = "vmx_exit_ctls",
		[EXITLAT_MSR_VMX_ENTRY] = "vmx_entry_ctls",
		[EXITLAT_MSR_VMX_MISC] = "vmx_misc",
		[EXITLAT_MSR_VMX_CR0_FIXED0] = "vmx_cr0_fixed0",
		[EXITLAT_MSR_VMX_CR0_FIXED1] = "vmx_cr0_fixed1",
		[EXITLAT_MSR_VMX_CR4_FIXED0] = "vmx_cr4_fixed0",
		[EXITLAT_MSR_VMX_CR4_FIXED1] = "vmx_cr4_fixed1",
		[EXITLAT_MSR_VMX_PROCBASED2] = "vmx_procbased_ctls2",
		[EXITLAT_MSR_VMX_EPT_VPID] = "vmx_ept_vpid_cap",
		[EXITLAT_MSR_VMX_TRUE_PINBASED] = "vmx_true_pinbased_ctls",
		[EXITLAT_MSR_VMX_TRUE_PROCBASED] = "vmx_true_procbased_ctls",
		[EXITLAT_MSR_VMX_TRUE_EXIT] = "vmx_true_exit_ctls",
		[EXITLAT_MSR_VMX_TRUE_ENTRY] = "vmx_true_entry_ctls",
	};

	printf("cpu: %u\nvendor: %s\nvirt: %s\ntsc_khz: %u\n", in->cpu, vendor_name(in->vendor),
	       virt_name(in->virt), in->tsc_khz);
	printf("firmware_disabled: %s\n", in->flags & EXITLAT_INFO_FW_DISABLED ? "yes" : "no");
	if (in->virt == EXITLAT_VIRT_VMX)
		printf("vmx_root_held_by_other: %s\ntrue_ctls: %s\n",
		       in->flags & EXITLAT_INFO_VMX_ROOT_BUSY ? "yes" : "no",
		       in->flags & EXITLAT_INFO_TRUE_CTLS ? "yes" : "no");
	if (in->virt == EXITLAT_VIRT_SVM)
		printf("efer_svme_set_by_other: %s\nsvm_revision: %u\nsvm_features: 0x%08x\n",
		       in->flags & EXITLAT_INFO_SVME_SET ? "yes" : "no", in->svm_revision,
		       in->svm_features);
	printf("smi_count: %s\naperf_mperf: %s\n",
	       in->flags & EXITLAT_INFO_SMI_COUNT ? "readable" : "unreadable",
	       in->flags & EXITLAT_INFO_APERFMPERF ? "readable" : "unreadable");
	for (int i = 0; i < EXITLAT_MSR_NR; i++)
		if (in->msr[i] || i == EXITLAT_MSR_FEATURE)
			printf("%s: 0x%016llx\n", msr_names[i], (unsigned long long)in->msr[i]);
}

/*
 * Why a batch failed, in words, into @why (for the message and the sample
 * header). Returns the exit status: 3 when the CPU cannot run the kind at
 * all (another hypervisor holds it, FRED, firmware), else 1.
 */
static int batch_error(const struct exitlat_info *in, const struct exitlat_run *r, int err,
		       char *why, size_t size)
{
	bool vmx = in->virt == EXITLAT_VIRT_VMX;

	switch (err) {
	case ENXIO:
		snprintf(why, size, "CPU %u went offline", r->cpu);
		return 1;
	case EBUSY:
		snprintf(why, size, "CPU %u is busy: another hypervisor holds %s or is turning it "
			 "on or off (the kernel log says which); stop its VMs or unload its driver "
			 "(vboxdrv, vmmon)", r->cpu, vmx ? "VMX root operation" : "EFER.SVME");
		return EXIT_REFUSED;
	case EOPNOTSUPP:
		snprintf(why, size, "CPU %u cannot run this kind natively (missing %s controls or "
			 "XSAVE, FRED on, or %s off in the firmware): the kernel log says which",
			 r->cpu, vmx ? "VMX" : "SVM", vmx ? "VMX" : "SVM");
		return EXIT_REFUSED;
	case EIO:
		break;
	default:
		snprintf(why, size, "EXITLAT_IOC_RUN failed: %s", strerror(err));
		return 1;
	}
	switch (r->status) {
	case EXITLAT_STATUS_VMFAIL:
		if (r->vm_error)
			snprintf(why, size, "a VMX instruction failed: VMfailValid, VM-instruction "
				 "error %u (%s); the kernel log names the instruction", r->vm_error,
				 vmx_instruction_error_name(r->vm_error));
		else
			snprintf(why, size, "a VMX instruction failed: VMfailInvalid; the kernel "
				 "log names the instruction");
		break;
	case EXITLAT_STATUS_UNEXPECTED_EXIT:
		/* the info query says which vendor: the exit reason's size does not */
		snprintf(why, size, "unexpected %s: %s 0x%llx (%s), %s 0x%llx",
			 vmx ? "VM exit" : "#VMEXIT", vmx ? "reason" : "exit code",
			 (unsigned long long)(vmx ? (r->exit_reason & 0xffff) : r->exit_reason),
			 vmx ? vmx_exit_reason_name((uint32_t)r->exit_reason) :
			       svm_exit_code_name(r->exit_reason),
			 vmx ? "qualification" : "EXITINFO1", (unsigned long long)r->exit_qual);
		break;
	case EXITLAT_STATUS_SETUP:
		snprintf(why, size, "this CPU cannot be set up for the kind (controls, fixed bits "
			 "or a VM-entry check): see the kernel log");
		break;
	default:
		snprintf(why, size, "batch failed with status %u", r->status);
	}
	return 1;
}

struct totals {
	uint64_t n, batches, smi, aperf, mperf, tsc;
	uint64_t dropped_intr, dropped_nmi, dropped_mce, warmup;
	uint64_t intr_raised, intr_handled;	/* intr-exit's self-IPIs, summed over batches */
	bool smi_ok;
	uint32_t borrowed, path;
	char failed[512];	/* why the run ended early, "" when it did not */
};

static uint64_t dropped(const struct totals *t)
{
	return t->dropped_intr + t->dropped_nmi + t->dropped_mce;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int measure(int fd, const struct native_opts *o, const struct exitlat_info *in,
		   uint64_t *samples, struct totals *t)
{
	bool progress = isatty(STDERR_FILENO);
	double last = now();
	unsigned int empty = 0;

	*t = (struct totals){ .smi_ok = true };
	while (t->n < o->samples && !stop_requested) {
		if (empty >= EMPTY_BATCHES_MAX) {
			fprintf(stderr, TOOL ": %s: not measured: %u batches in a row kept no sample "
				"(%" PRIu64 " dropped, cut by interrupts or NMIs); try --budget-us or "
				"another --cpu\n", exitlat_exits[o->kind].name, empty, dropped(t));
			return EXIT_REFUSED;
		}
		uint64_t left = o->samples - t->n;
		struct exitlat_run r = {
			.cpu = o->cpu,
			.exit_kind = (uint32_t)o->kind,
			.mode = o->mode,
			.flags = o->kvm_like ? EXITLAT_RUN_F_KVM_LIKE : 0,
			.samples_ptr = (uintptr_t)(samples + t->n),
			.max_samples = left > EXITLAT_RUN_MAX_SAMPLES ? EXITLAT_RUN_MAX_SAMPLES
								      : (uint32_t)left,
			.budget_us = o->budget_us,
		};

		if (ioctl(fd, EXITLAT_IOC_RUN, &r) < 0) {
			int e = errno, status;

			if (e == EINTR)
				continue;
			/* the failed batch's own samples came back too: keep everything taken */
			t->n += r.taken;
			status = batch_error(in, &r, e, t->failed, sizeof(t->failed));
			fprintf(stderr, "%s" TOOL ": %s: %s after %" PRIu64 " samples\n",
				progress ? "\n" : "", exitlat_exits[o->kind].name, t->failed, t->n);
			return status;
		}
		t->n += r.taken;
		t->intr_raised += r.intr_raised;
		t->intr_handled += r.intr_handled;
		/* intr-exit: the host must have taken the batch's interrupt exactly once */
		if (r.intr_handled != r.intr_raised) {
			snprintf(t->failed, sizeof(t->failed), "batch %" PRIu64 " raised %u self-IPI "
				 "and the host handled it %u times: an interrupt was %s",
				 t->batches + 1, r.intr_raised, r.intr_handled,
				 r.intr_handled < r.intr_raised ? "lost" : "duplicated");
			fprintf(stderr, "%s" TOOL ": %s: %s after %" PRIu64 " samples\n",
				progress ? "\n" : "", exitlat_exits[o->kind].name, t->failed, t->n);
			return 1;
		}
		empty = r.taken ? 0 : empty + 1;
		t->dropped_intr += r.dropped_intr;
		t->dropped_nmi += r.dropped_nmi;
		t->dropped_mce += r.dropped_mce;
		t->warmup += r.warmup;
		t->path |= r.path;
		t->batches++;
		t->borrowed |= r.borrowed;
		if (r.smi_delta == ~0ull)
			t->smi_ok = false;
		else
			t->smi += r.smi_delta;
		t->aperf += r.aperf_delta;
		t->mperf += r.mperf_delta;
		t->tsc += r.tsc_delta;
		if (progress && now() - last > 0.25) {
			fprintf(stderr, "\r" TOOL ": %s: %" PRIu64 " / %" PRIu64 " samples",
				exitlat_exits[o->kind].name, t->n, o->samples);
			last = now();
		}
	}
	if (progress)
		fprintf(stderr, "\r" TOOL ": %s: %" PRIu64 " / %" PRIu64 " samples%s\n",
			exitlat_exits[o->kind].name, t->n, o->samples,
			stop_requested ? " (interrupted: keeping what was taken)" : "");
	return 0;
}

/* Why trips were dropped, by reason: the header's dropped key carries it (docs/sample-format.md). */
static void drop_reason(const struct totals *t, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64 " ended a batch on an external interrupt, %" PRIu64
		 " cut by an NMI or SMI, %" PRIu64 " by a machine check", t->dropped_intr,
		 t->dropped_nmi, t->dropped_mce);
}

/*
 * How the native trips were taken, beside what KVM does (module/README.md,
 * "The native path beside KVM's"), for the header and the report.
 */
static void native_path_text(const struct exitlat_info *in, const struct totals *t, char *buf,
			     size_t size)
{
	if (in->virt == EXITLAT_VIRT_VMX) {
		snprintf(buf, size, "VMX; VPID %s; EPT off (the mirror runs on the host's page "
			 "tables; KVM: on); first trip of each batch untimed",
			 t->path & EXITLAT_PATH_VPID ? "on (as KVM)" : "off (KVM: on where the CPU has it)");
		return;
	}
	snprintf(buf, size, "SVM; %s; VMCB clean bits %s; TLB flushed %s on the first and last "
		 "VMRUN of a batch only; TSC ratio %s; first trip of each batch untimed",
		 t->path & EXITLAT_PATH_VMLOAD ? "VMLOAD/VMSAVE in the timed trip (--kvm-like, as KVM)" :
						 "bare VMRUN (KVM adds VMLOAD/VMSAVE: --kvm-like)",
		 t->path & EXITLAT_PATH_CLEAN_BITS ? "on (as KVM)" : "off (not offered by this CPU)",
		 t->path & EXITLAT_PATH_FLUSH_ASID ? "by ASID" : "for all ASIDs (no FlushByAsid)",
		 t->path & EXITLAT_PATH_TSC_RATIO ? "reset to 1.0 for the batches (it was not)" :
						    "1.0");
}

static int write_samples(const struct native_opts *o, const struct exitlat_info *in,
			 const struct totals *t, const uint64_t *samples, const char *path)
{
	const struct exitlat_exit_info *e = &exitlat_exits[o->kind];
	struct exitlat_header h = { 0 };
	char err[EXITLAT_ERR_MAX], why[256];
	int ret = 0;

	ret |= exitlat_env_fill(&h, TOOL);
	ret |= exitlat_header_set(&h, "source", "native");
	ret |= exitlat_header_set(&h, "exit", e->name);
	ret |= exitlat_header_set(&h, "unit", "cycles");
	ret |= exitlat_header_set(&h, "domain", exitlat_domain_name(e->native_domain));
	ret |= exitlat_header_set(&h, "mode", native_mode_name(o->mode));
	ret |= exitlat_header_set_tsc_khz(&h, in->tsc_khz, "the kernel's tsc_khz is 0");
	ret |= exitlat_header_setf(&h, "cpu", "%u", o->cpu);
	ret |= exitlat_header_set(&h, "cpu_vendor", vendor_name(in->vendor));
	ret |= exitlat_header_set(&h, "virt", virt_name(in->virt));
	if (o->kind == EXITLAT_EXIT_NULL_KIND)
		ret |= exitlat_header_set(&h, in->virt == EXITLAT_VIRT_SVM ? "svme" : "vmx_root",
					  "n/a (the null kind makes no VM transition)");
	else if (in->virt == EXITLAT_VIRT_VMX)
		ret |= exitlat_header_set(&h, "vmx_root", t->borrowed ?
					  "borrowed (another hypervisor held VMX root operation)" :
					  "own (VMXON/VMXOFF per batch)");
	else if (in->virt == EXITLAT_VIRT_SVM)
		ret |= exitlat_header_set(&h, "svme", t->borrowed ?
					  "borrowed (EFER.SVME was already set)" :
					  "own (set and cleared per batch)");
	ret |= exitlat_header_setf(&h, "samples", "%" PRIu64, t->n);
	ret |= exitlat_header_setf(&h, "samples_requested", "%" PRIu64, o->samples);
	drop_reason(t, why, sizeof(why));
	ret |= exitlat_header_set_dropped(&h, dropped(t), why);
	if (o->kind != EXITLAT_EXIT_NULL_KIND) {
		char path_text[512];

		/* a sample is kept only for the kind's own exit reason (exit_action.c) */
		ret |= exitlat_header_set(&h, "verified",
					  exitlat_verified_name(EXITLAT_VERIFIED_REASON));

		native_path_text(in, t, path_text, sizeof(path_text));
		ret |= exitlat_header_set(&h, "native_path", path_text);
		if (in->virt == EXITLAT_VIRT_VMX)
			ret |= exitlat_header_set(&h, "vpid", t->path & EXITLAT_PATH_VPID ? "on" :
						  "off (this CPU has no VPID or INVVPID)");
		ret |= exitlat_header_setf(&h, "warmup", "%" PRIu64 " untimed trips (the first of each "
					   "batch: another path, VMLAUNCH or a TLB flush)", t->warmup);
	}
	if (o->kind == EXITLAT_EXIT_INTR_EXIT)
		ret |= exitlat_header_setf(&h, "self_ipis", "%" PRIu64 " raised, %" PRIu64
					   " handled by the host (one per batch, IRQ_WORK_VECTOR)",
					   t->intr_raised, t->intr_handled);
	ret |= exitlat_header_setf(&h, "batches", "%" PRIu64, t->batches);
	ret |= exitlat_header_setf(&h, "budget_us", "%u",
				   o->budget_us ? o->budget_us : EXITLAT_RUN_DEFAULT_US);
	if (t->smi_ok)
		ret |= exitlat_header_setf(&h, "smi_count", "%" PRIu64, t->smi);
	else
		ret |= exitlat_header_set(&h, "smi_count", "unavailable (MSR_SMI_COUNT unreadable)");
	if (t->mperf) {
		ret |= exitlat_header_setf(&h, "aperf", "%" PRIu64, t->aperf);
		ret |= exitlat_header_setf(&h, "mperf", "%" PRIu64, t->mperf);
		ret |= exitlat_header_setf(&h, "aperf_mperf", "%.4f", (double)t->aperf / t->mperf);
	} else {
		ret |= exitlat_header_set(&h, "aperf_mperf", "unavailable (APERF/MPERF unreadable)");
	}
	ret |= exitlat_header_setf(&h, "batch_tsc", "%" PRIu64, t->tsc);
	if (stop_requested)
		ret |= exitlat_header_set(&h, "interrupted", "yes");
	if (t->failed[0])
		ret |= exitlat_header_set(&h, "incomplete", t->failed);
	if (ret) {
		fprintf(stderr, TOOL ": out of memory building the header\n");
		exitlat_header_free(&h);
		return -1;
	}
	ret = exitlat_samples_save(path, &h, samples, t->n, err);
	if (ret)
		fprintf(stderr, TOOL ": %s\n", err);
	exitlat_header_free(&h);
	return ret;
}

/* What the CPU says before a batch runs: a kind it cannot run is named at once. */
static const char *cpu_refusal(const struct exitlat_info *in)
{
	if (in->virt == EXITLAT_VIRT_NONE)
		return "this CPU has neither VMX nor SVM";
	if (in->flags & EXITLAT_INFO_FW_DISABLED)
		return in->virt == EXITLAT_VIRT_VMX ?
		       "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMXON)" :
		       "SVM is disabled by the firmware (VM_CR.SVMDIS)";
	return NULL;
}

/* The one-screen summary on success (--quiet: none). */
static void print_summary(const struct native_opts *o, const struct exitlat_info *in,
			  const struct totals *t, const uint64_t *samples, const char *path)
{
	char where[96], why[256];

	drop_reason(t, why, sizeof(why));
	snprintf(where, sizeof(where), "%s, %s, CPU %u", virt_name(in->virt),
		 native_mode_name(o->mode), o->cpu);
	if (exitlat_print_summary(stdout, &(struct exitlat_run_summary){
			.tool = TOOL,
			.kind = exitlat_exits[o->kind].name,
			.where = where,
			.mode = native_mode_name(o->mode),
			.path = path,
			.samples = samples,
			.n = t->n,
			.requested = o->samples,
			.dropped = dropped(t),
			.drop_reason = why,
			.emulated = exitlat_env_emulated(),
		}))
		fprintf(stderr, TOOL ": out of memory for the summary\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop };
	struct exitlat_info info;
	struct native_opts o;
	struct totals t;
	cpu_set_t cpus;
	uint64_t *samples;
	const char *refusal;
	char path[4096], err[EXITLAT_ERR_MAX];
	int fd, ret;

	/* first: a script's background job starts with SIGINT ignored until here */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) {
		fprintf(stderr, TOOL ": sigaction failed: %s\n", strerror(errno));
		return 1;
	}
	ret = native_cli_parse(argc, argv, &o, stderr);
	if (ret)
		return ret;
	switch (o.action) {
	case NATIVE_HELP:
		native_cli_usage(stdout);
		return 0;
	case NATIVE_VERSION:
		printf(TOOL " %s (ioctl API %d)\n", EXITLAT_VERSION, EXITLAT_API_VERSION);
		return 0;
	case NATIVE_LIST:
		exitlat_exit_print_list(stdout, false);
		return 0;
	case NATIVE_INFO:
	case NATIVE_RUN:
		break;
	}
	if (o.action == NATIVE_RUN) {
		if (o.output)
			snprintf(path, sizeof(path), "%s", o.output);
		else
			snprintf(path, sizeof(path), "native-%s.samples", exitlat_exits[o.kind].name);
		/* Before measuring: an output that cannot be written must not cost a run. */
		if (exitlat_output_check(path, err, sizeof(err))) {
			fprintf(stderr, TOOL ": --output: %s\n", err);
			return 1;
		}
	}
	fd = open_device();
	if (fd < 0)
		return 1;
	if (query_info(fd, o.cpu, &info)) {
		close(fd);
		return 1;
	}
	if (o.action == NATIVE_INFO) {
		print_info(&info);
		close(fd);
		return 0;
	}
	refusal = o.kind == EXITLAT_EXIT_NULL_KIND ? NULL : cpu_refusal(&info);
	if (!refusal && o.kvm_like && info.virt != EXITLAT_VIRT_SVM)
		refusal = "--kvm-like is SVM's (VMLOAD/VMSAVE); on VMX the bare trip is the one KVM pays";
	if (refusal) {
		fprintf(stderr, TOOL ": %s: not measured on CPU %u: %s\n",
			exitlat_exits[o.kind].name, o.cpu, refusal);
		close(fd);
		return EXIT_REFUSED;
	}
	samples = calloc(o.samples, sizeof(*samples));
	if (!samples) {
		fprintf(stderr, TOOL ": cannot allocate %" PRIu64 " samples\n", o.samples);
		close(fd);
		return 1;
	}
	/*
	 * Run where the batches run: the ioctl then executes locally instead of
	 * interrupting that CPU from another one. Not fatal (a cpuset may forbid it).
	 */
	CPU_ZERO(&cpus);
	CPU_SET(o.cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		fprintf(stderr, TOOL ": note: cannot pin to CPU %u (%s); batches run there anyway\n",
			o.cpu, strerror(errno));
	ret = measure(fd, &o, &info, samples, &t);
	close(fd);
	/* a run that ended early keeps what it took, marked incomplete with the reason */
	if (ret && t.n && t.failed[0]) {
		if (write_samples(&o, &info, &t, samples, path) == 0)
			fprintf(stderr, TOOL ": %s: kept %" PRIu64 " samples in %s (incomplete)\n",
				exitlat_exits[o.kind].name, t.n, path);
		free(samples);
		return 1;
	}
	if (ret) {
		free(samples);
		return ret;
	}
	ret = write_samples(&o, &info, &t, samples, path);
	if (!ret && !stop_requested && !o.quiet)
		print_summary(&o, &info, &t, samples, path);
	free(samples);
	if (ret)
		return 1;
	return stop_requested ? 130 : 0;	/* as kvm-probe: interrupted, samples kept */
}
