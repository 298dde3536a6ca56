// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitlat/exit_kinds.h"
#include "exitlat/samples.h"
#include "backend.h"
#include "cli.h"
#include "measure.h"
#include "output.h"

static struct exitlat_header h;
static struct cli_opts opts;
static struct probe_backend be;
static struct measure m;
static struct output_info info;
static uint64_t samples[5] = { 500, 100, 300, 200, 400 };

static void setup(void)
{
	h = (struct exitlat_header){ 0 };
	opts = (struct cli_opts){ .warmup = 10, .verify = true };
	be = (struct probe_backend){ .name = "kvm_pvm", .host_hypervisor = "KVMKVMKVM",
				     .vendor = VENDOR_AMD, .has_rdtscp = true };
	m = (struct measure){ .kind = EXITLAT_EXIT_PIO, .mode = PROBE_MODE_LONG, .target = 5,
			      .verify = true, .samples = samples, .n = 5, .dropped = 3, .dropped_warmup = 2,
			      .kvm_runs = 8, .end = END_DONE };
	info = (struct output_info){ .opts = &opts, .backend = &be, .m = &m, .cpu = 1,
				     .tsc_khz = 2600000, .has_stats_fd = true,
				     .kind_median = xdec_from_u64(300) };
}

static void teardown(void)
{
	exitlat_header_free(&h);
}

TestSuite(probe_output, .init = setup, .fini = teardown);

#define KEY_IS(k, v) cr_assert_str_eq(exitlat_header_get(&h, k) ?: "(missing)", v, "key %s", k)

Test(probe_output, host_timed_header_names_domain_backend_and_drops)
{
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("source", "kvm");
	KEY_IS("exit", "pio");
	KEY_IS("unit", "cycles");
	KEY_IS("domain", "host");
	KEY_IS("tsc_khz", "2600000");
	KEY_IS("mode", "long");
	KEY_IS("samples", "5");
	KEY_IS("kvm_backend", "kvm_pvm");
	KEY_IS("host_hypervisor", "KVMKVMKVM");
	/* The reason travels with the count (docs/sample-format.md). */
	KEY_IS("dropped", "3 (their KVM_RUN saw more than one exit (KVM's exit counter))");
	KEY_IS("dropped_warmup", "2");
	KEY_IS("interrupted", "no");
	KEY_IS("verify", "exits counter");
	KEY_IS("verified", "sample");
	cr_assert_not_null(strstr(exitlat_header_get(&h, "stats_check"), "3 dropped"));
	cr_assert_null(exitlat_header_get(&h, "hypercall_insn"));
}

Test(probe_output, guest_timed_header_records_extra_exits)
{
	m.kind = EXITLAT_EXIT_CPUID;
	m.buffers = 2;
	m.exits_expected = 2050;
	m.exits_seen = 2053;
	m.extra_exits = 3;
	m.buffers_with_extra = 1;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("domain", "guest");
	KEY_IS("extra_exits", "3");
	KEY_IS("buffers_with_extra_exits", "1");
	KEY_IS("stats_exits_expected", "2050");
	cr_assert_not_null(strstr(exitlat_header_get(&h, "stats_check"), "extra exits"));
}

/* Every instruction took two exits (mmio-kernel in Bochs): said so, not called noise. */
Test(probe_output, a_path_of_two_exits_per_instruction_is_said_so)
{
	m.kind = EXITLAT_EXIT_MMIO_KERNEL;
	m.buffers = 2;
	m.exits_expected = 2050;
	m.exits_seen = 4098;
	m.extra_exits = 2048;
	m.buffers_with_extra = 2;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("stats_check", "2.00 exits per instruction: the kind's path takes more than one "
	       "exit here");
	KEY_IS("verified", "several");
	KEY_IS("vm_setup", "in-kernel irqchip (KVM_CREATE_IRQCHIP)");
}

Test(probe_output, backend_that_counts_fewer_exits_is_said_so)
{
	m.kind = EXITLAT_EXIT_CPUID;
	m.exits_expected = 2050;
	m.exits_seen = 40;
	cr_assert_eq(output_header(&h, &info), 0);
	cr_assert_not_null(strstr(exitlat_header_get(&h, "stats_check"), "fewer exits"));
	KEY_IS("verified", "uncounted");
}

Test(probe_output, missing_stats_fd_is_recorded)
{
	info.has_stats_fd = false;
	m.verify = false;
	cr_assert_eq(output_header(&h, &info), 0);
	cr_assert_not_null(strstr(exitlat_header_get(&h, "verify"), "before 5.14"));
	cr_assert_null(exitlat_header_get(&h, "stats_check"));
}

Test(probe_output, no_verify_is_recorded)
{
	opts.verify = false;
	m.verify = false;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("verify", "off (--no-verify)");
	KEY_IS("verified", "off");
}

Test(probe_output, interrupted_run_is_marked)
{
	m.end = END_INTERRUPTED;
	snprintf(m.why, sizeof(m.why), "interrupted");
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("interrupted", "yes");
	KEY_IS("end", "interrupted");
}

Test(probe_output, hypercall_names_its_instruction)
{
	m.kind = EXITLAT_EXIT_HYPERCALL;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("hypercall_insn", "vmmcall");
	be.vendor = VENDOR_INTEL;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("hypercall_insn", "vmcall");
}

Test(probe_output, large_instrument_overhead_is_flagged)
{
	info.null_samples = 2048;
	info.null_median = xdec_from_u64(250);
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("null_median", "250");
	cr_assert_eq(strncmp(exitlat_header_get(&h, "instrument_overhead"), "large:", 6), 0);
	cr_assert_not_null(strstr(exitlat_header_get(&h, "instrument_overhead"), "83%"));
}

Test(probe_output, small_instrument_overhead_is_said_small)
{
	info.null_samples = 2048;
	info.null_median = xdec_from_u64(20);
	cr_assert_eq(output_header(&h, &info), 0);
	cr_assert_eq(strncmp(exitlat_header_get(&h, "instrument_overhead"), "small:", 6), 0);
}

Test(probe_output, overhead_threshold)
{
	cr_assert(overhead_is_large(xdec_from_u64(11), xdec_from_u64(100)));
	cr_assert_not(overhead_is_large(xdec_from_u64(10), xdec_from_u64(100)));
	cr_assert(overhead_is_large(xdec_from_u64(5000), xdec_from_u64(300)));
	/* a median between two samples: 10.5 of 100 is above 10 % */
	cr_assert(overhead_is_large(xdec_from_u64(10) + XDEC_SCALE / 2, xdec_from_u64(100)));
}

Test(probe_output, header_passes_the_format_reader)
{
	char path[] = "/tmp/test_probe_output.XXXXXX", err[EXITLAT_ERR_MAX];
	struct exitlat_header back = { 0 };
	uint64_t *v;
	size_t n;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(output_header(&h, &info), 0);
	cr_assert_eq(exitlat_samples_save(path, &h, samples, 5, err), 0, "%s", err);
	cr_assert_eq(exitlat_samples_load(path, &back, &v, &n, err), 0, "%s", err);
	unlink(path);
	cr_assert_eq(n, 5);
	cr_assert_eq(v[4], 400);
	cr_assert_str_eq(exitlat_header_get(&back, "domain"), "host");
	cr_assert_str_eq(exitlat_header_get(&back, "kvm_backend"), "kvm_pvm");
	free(v);
	exitlat_header_free(&back);
}

Test(probe_output, backend_name_and_params_from_a_sysfs_tree)
{
	char root[] = "/tmp/test_probe_sysfs.XXXXXX", cmd[512], name[64];

	cr_assert_not_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %1$s/kvm/parameters %1$s/kvm_intel/parameters && "
		 "echo 200000 > %1$s/kvm/parameters/halt_poll_ns && "
		 "echo Y > %1$s/kvm_intel/parameters/ept", root);
	cr_assert_eq(system(cmd), 0);
	backend_name(root, name, sizeof(name));
	cr_assert_str_eq(name, "kvm_intel");
	cr_assert_eq(backend_params(&h, root), 2);
	KEY_IS("kvm_param.kvm.halt_poll_ns", "200000");
	KEY_IS("kvm_param.kvm_intel.ept", "Y");
	snprintf(cmd, sizeof(cmd), "mkdir %1$s/kvm_pvm", root);
	cr_assert_eq(system(cmd), 0);
	backend_name(root, name, sizeof(name));
	cr_assert_str_eq(name, "kvm_intel+kvm_pvm");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	cr_assert_eq(system(cmd), 0);
	backend_name("/nonexistent", name, sizeof(name));
	cr_assert_str_eq(name, "unknown");
}

/* Whatever the probe writes, the shared reader accepts: the writer checks it the same way. */
Test(probe_output, an_unknown_tsc_frequency_is_written_as_unknown)
{
	char why[256];
	unsigned long line;

	info.tsc_khz = 0;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("tsc_khz", "unknown (no KVM_CAP_GET_TSC_KHZ)");
	cr_assert_eq(exitlat_header_check(&h, &line, why, sizeof(why)), 0, "%s", why);
}

/* irqfd: the clock's keys, and each sample judged on the counters: 'verified: sample'. */
Test(probe_output, cross_header_says_how_the_clocks_were_joined)
{
	m.kind = EXITLAT_EXIT_IRQFD;
	m.tsc_offset = -1234;
	m.offset_from_attr = true;
	m.calib_offset = -1200;
	m.calib_uncertainty = 50;
	m.exits_baseline = 2;
	snprintf(m.drop_reason, sizeof(m.drop_reason), "3 another exit inside (KVM's exit counter)");
	info.cpu2 = 3;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("domain", "cross");
	KEY_IS("tsc_offset", "-1234");
	KEY_IS("tsc_offset_method", "KVM_VCPU_TSC_OFFSET");
	KEY_IS("tsc_offset_calibration", "-1200 +-50");
	KEY_IS("host_cpus", "vcpu0=1 eventfd-writer=3");
	KEY_IS("exits_baseline", "2");
	KEY_IS("verified", "sample");
	KEY_IS("dropped", "3 (3 another exit inside (KVM's exit counter))");
	cr_assert_null(exitlat_header_get(&h, "null_median"));
}

/* Posted interrupts bypass KVM's injection counter: said, not taken for a pass. */
Test(probe_output, guest_timed_interrupts_fewer_injections_are_uncounted)
{
	m.kind = EXITLAT_EXIT_SELF_IPI;
	m.dropped = 0;
	m.injections_expected = 2048;
	m.injections_seen = 0;
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("verified", "uncounted");
	KEY_IS("injections_seen", "0");
	m.injections_seen = 2050;
	m.buffers_with_extra_injections = 1;
	exitlat_header_free(&h);
	h = (struct exitlat_header){ 0 };
	cr_assert_eq(output_header(&h, &info), 0);
	KEY_IS("verified", "buffer");
	cr_assert(strstr(exitlat_header_get(&h, "stats_check"), "2 injections more"));
}
