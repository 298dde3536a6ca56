// SPDX-License-Identifier: GPL-2.0
/*
 * host-state-check: the guard against the whole class of "the module did not
 * leave the CPU as it found it" (issue 11). Pinned to one CPU, with an LDT
 * installed in this process (modify_ldt, as Wine or dosemu do), a hardware
 * breakpoint armed (a perf breakpoint event), an I/O permission bitmap
 * (ioperm) and, where the CPU keeps it, IA32_DEBUGCTL.LBR set through
 * /dev/cpu/N/msr, it runs one batch of every native kind and mode through
 * EXITLAT_IOC_SELF_CHECK: the module snapshots everything a VM transition
 * can touch right before and right after the batch, and any difference
 * fails. Then it checks from user space that the LDT, the breakpoint and
 * port I/O still work.
 *
 * Output: one line per check, "PASS|FAIL|SKIP name: why", read by
 * tests/e2e/guest.d/30-module.sh. Exit status: 0 all passed (or skipped with
 * a reason), 1 a check failed, 3 the checks could not be set up.
 */
#include <asm/ldt.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/ioctl.h"

#define MSR_IA32_DEBUGCTL	0x1d9
#define DEBUGCTL_LBR		1ull
#define SAMPLES			2000
#define LDT_SELECTOR		((0 << 3) | 4 | 3)	/* entry 0, TI = LDT, RPL 3 */
#define TEST_PORT		0x80

#define HS_NAME(id, name) [EXITLAT_HS_##id] = name,
static const char *const item_names[EXITLAT_HS_NR] = { EXITLAT_HOST_STATE_ITEMS(HS_NAME) };
#undef HS_NAME

static const char *const mode_names[EXITLAT_MODE_NR] = {
	[EXITLAT_MODE_ROUNDTRIP] = "roundtrip",
	[EXITLAT_MODE_ENTRY] = "entry",
	[EXITLAT_MODE_EXIT] = "exit",
};

static int failures;
static volatile uint64_t watched;
static sigjmp_buf fault_jmp;

static void result(const char *verdict, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(const char *verdict, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (!strcmp(verdict, "FAIL"))
		failures++;
	printf("%s %s: ", verdict, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* Loads ES with the LDT's selector: #GP (SIGSEGV) when LDTR lost the table. */
static bool ldt_usable(void)
{
	uint16_t sel = LDT_SELECTOR, zero = 0;

	if (sigsetjmp(fault_jmp, 1))
		return false;
	__asm__ __volatile__("mov %0, %%es" : : "r"(sel) : "memory");
	__asm__ __volatile__("mov %0, %%es" : : "r"(zero) : "memory");
	return true;
}

/* A port this process may use through its I/O bitmap: #GP when the TSS limit was left at 0x67. */
static bool port_usable(void)
{
	if (sigsetjmp(fault_jmp, 1))
		return false;
	outb(0, TEST_PORT);
	return true;
}

static long perf_event_open(struct perf_event_attr *a, pid_t pid, int cpu, int group, unsigned long f)
{
	return syscall(SYS_perf_event_open, a, pid, cpu, group, f);
}

/* Breakpoint hits so far, or -1. */
static long long bp_count(int fd)
{
	uint64_t n;

	return read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n) ? (long long)n : -1;
}

static bool msr_rw(int fd, bool write, uint64_t *v)
{
	ssize_t n = write ? pwrite(fd, v, 8, MSR_IA32_DEBUGCTL) : pread(fd, v, 8, MSR_IA32_DEBUGCTL);

	return n == 8;
}

/* One batch through EXITLAT_IOC_SELF_CHECK; PASS, or FAIL naming every item that changed. */
static void check_batch(int dev, unsigned int cpu, unsigned int kind, unsigned int mode,
			uint32_t flags, uint64_t *buf)
{
	struct exitlat_self_check c = {
		.run = {
			.cpu = cpu,
			.exit_kind = kind,
			.mode = mode,
			.flags = flags,
			.samples_ptr = (uintptr_t)buf,
			.max_samples = SAMPLES,
		},
	};
	char name[96], diff[2048];
	size_t len = 0;
	unsigned int i, compared = 0;

	snprintf(name, sizeof(name), "%s-%s%s", exitlat_exits[kind].name, mode_names[mode],
		 flags & EXITLAT_RUN_F_KVM_LIKE ? "-kvm-like" : "");
	if (ioctl(dev, EXITLAT_IOC_SELF_CHECK, &c)) {
		if (errno == EOPNOTSUPP)
			result("SKIP", name, "this CPU cannot run the kind natively (the kernel log says why)");
		else
			result("FAIL", name, "EXITLAT_IOC_SELF_CHECK failed: %s (status %u)",
			       strerror(errno), c.run.status);
		return;
	}
	diff[0] = 0;
	for (i = 0; i < EXITLAT_HS_NR; i++) {
		if (!(c.present & (1ull << i)))
			continue;
		compared++;
		if (c.before[i] != c.after[i] && len < sizeof(diff) - 80)
			len += snprintf(diff + len, sizeof(diff) - len, "%s%s 0x%" PRIx64 " -> 0x%" PRIx64,
					len ? ", " : "", item_names[i], (uint64_t)c.before[i],
					(uint64_t)c.after[i]);
	}
	/* intr-exit: its one interrupt reached the host's handler, once (no loss, no duplicate) */
	if (kind == EXITLAT_EXIT_INTR_EXIT && (c.run.intr_raised != 1 || c.run.intr_handled != 1))
		len += snprintf(diff + len, sizeof(diff) - len, "%sself-IPIs raised %u, handled %u "
				"(want 1 and 1)", len ? ", " : "", c.run.intr_raised, c.run.intr_handled);
	if (len)
		result("FAIL", name, "%u samples; host state changed: %s", c.run.taken, diff);
	else
		result("PASS", name, "%u samples; %u host-state items equal before and after", c.run.taken,
		       compared);
}

int main(int argc, char **argv)
{
	unsigned int cpu = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) : 0;
	bool svm = argc > 2 && !strcmp(argv[2], "svm");
	struct user_desc ldt = {
		.entry_number = 0, .base_addr = 0, .limit = 0xfffff,
		.seg_32bit = 1, .contents = 0, .read_exec_only = 0,
		.limit_in_pages = 1, .seg_not_present = 0, .useable = 1,
	};
	struct perf_event_attr bp = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(bp),
		.bp_type = HW_BREAKPOINT_W,
		.bp_addr = (uintptr_t)&watched,
		.bp_len = HW_BREAKPOINT_LEN_8,
		.exclude_kernel = 1,
	};
	struct sigaction sa = { .sa_handler = on_fault };
	uint64_t *buf, debugctl = 0, debugctl_set, debugctl_back = 0;
	char path[64];
	cpu_set_t set;
	int dev, bp_fd, msr_fd;
	long long hits0, hits1;
	unsigned int kind, mode;

	buf = calloc(SAMPLES, sizeof(*buf));
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* the batch runs on this CPU while this process is current: its LDT and breakpoint are live */
	if (!buf || sched_setaffinity(0, sizeof(set), &set)) {
		printf("FAIL hoststate-setup: cannot pin to CPU %u: %s\n", cpu, strerror(errno));
		return 3;
	}
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	dev = open(EXITLAT_DEVICE, O_RDWR);
	if (dev < 0) {
		printf("FAIL hoststate-setup: %s: %s\n", EXITLAT_DEVICE, strerror(errno));
		return 3;
	}
	if (ioctl(dev, EXITLAT_IOC_API_VERSION) < 2) {
		printf("FAIL hoststate-setup: the module predates EXITLAT_IOC_SELF_CHECK (API 2)\n");
		return 3;
	}
	if (syscall(SYS_modify_ldt, 1, &ldt, sizeof(ldt)) || !ldt_usable()) {
		printf("FAIL hoststate-setup: cannot install an LDT: %s\n", strerror(errno));
		return 3;
	}
	if (ioperm(TEST_PORT, 1, 1) || !port_usable()) {
		printf("FAIL hoststate-setup: ioperm(0x%x): %s\n", TEST_PORT, strerror(errno));
		return 3;
	}
	bp_fd = perf_event_open(&bp, 0, -1, -1, 0);
	if (bp_fd < 0) {
		printf("FAIL hoststate-setup: perf breakpoint event: %s\n", strerror(errno));
		return 3;
	}
	watched++;
	hits0 = bp_count(bp_fd);

	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", cpu);
	msr_fd = open(path, O_RDWR);
	debugctl_set = 0;
	if (msr_fd >= 0 && msr_rw(msr_fd, false, &debugctl)) {
		debugctl_set = debugctl | DEBUGCTL_LBR;
		if (!msr_rw(msr_fd, true, &debugctl_set) || !msr_rw(msr_fd, false, &debugctl_back) ||
		    debugctl_back != debugctl_set) {
			result("SKIP", "hoststate-debugctl",
			       "this CPU does not keep IA32_DEBUGCTL (wrote 0x%" PRIx64 ", read 0x%" PRIx64
			       "): the snapshots compare it as found", debugctl_set, debugctl_back);
			debugctl_set = 0;
		}
	} else {
		result("SKIP", "hoststate-debugctl", "%s: %s (msr.ko not loaded?)", path,
		       msr_fd < 0 ? strerror(errno) : "IA32_DEBUGCTL not readable");
	}

	for (kind = 0; kind < EXITLAT_EXIT_NR; kind++) {
		if (!exitlat_native_ready(kind))
			continue;
		for (mode = 0; mode < EXITLAT_MODE_NR; mode++) {
			/* split modes need the guest's own TSC read: null and intr-exit have none */
			if (!exitlat_native_guest_runs(kind) && mode != EXITLAT_MODE_ROUNDTRIP)
				continue;
			check_batch(dev, cpu, kind, mode, 0, buf);
			if (svm && !exitlat_exits[kind].is_null && mode == EXITLAT_MODE_ROUNDTRIP)
				check_batch(dev, cpu, kind, mode, EXITLAT_RUN_F_KVM_LIKE, buf);
		}
	}

	/* the same state, seen from user space */
	if (ldt_usable())
		result("PASS", "hoststate-ldt", "this process's LDT still loads after the batches");
	else
		result("FAIL", "hoststate-ldt", "loading an LDT selector faults: LDTR was not given back");
	if (port_usable())
		result("PASS", "hoststate-tss", "port 0x%x still usable through the I/O bitmap", TEST_PORT);
	else
		result("FAIL", "hoststate-tss", "port I/O faults: the TSS limit was not given back");
	watched++;
	hits1 = bp_count(bp_fd);
	if (hits0 < 1)
		result("SKIP", "hoststate-breakpoint",
		       "the breakpoint never fired, before the batches either: this CPU does not deliver data breakpoints (DR7 is still compared)");
	else if (hits1 > hits0)
		result("PASS", "hoststate-breakpoint", "the hardware breakpoint still fires (%lld hits)", hits1);
	else
		result("FAIL", "hoststate-breakpoint", "the hardware breakpoint stopped firing after the batches");
	if (debugctl_set) {
		if (msr_rw(msr_fd, false, &debugctl_back) && debugctl_back == debugctl_set)
			result("PASS", "hoststate-debugctl", "IA32_DEBUGCTL still 0x%" PRIx64, debugctl_back);
		else
			result("FAIL", "hoststate-debugctl", "IA32_DEBUGCTL 0x%" PRIx64 " -> 0x%" PRIx64,
			       debugctl_set, debugctl_back);
		msr_rw(msr_fd, true, &debugctl);
	}
	return failures ? 1 : 0;
}
