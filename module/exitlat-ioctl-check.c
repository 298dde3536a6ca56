// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-ioctl-check: feeds /dev/exitlat bad ioctls and checks each gets
 * the errno the ABI promises (EINVAL, EFAULT, ENOTTY, EPERM without
 * CAP_SYS_ADMIN). For the emulator rig; run as root. Prints one line per
 * check and exits 1 when any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "exitlat/exit_kinds.h"
#include "exitlat/ioctl.h"

static int failures;

static void expect(const char *what, int ret, int want_errno)
{
	int e = errno;

	if (ret == -1 && e == want_errno) {
		printf("ok: %s -> %s\n", what, strerror(e));
		return;
	}
	printf("FAIL: %s -> %s, expected %s\n", what, ret == -1 ? strerror(e) : "success",
	       strerror(want_errno));
	failures++;
}

static struct exitlat_run good_run(uint64_t *buf)
{
	return (struct exitlat_run){
		.exit_kind = EXITLAT_EXIT_NULL_KIND,
		.mode = EXITLAT_MODE_ROUNDTRIP,
		.samples_ptr = (uintptr_t)buf,
		.max_samples = 16,
	};
}

int main(void)
{
	static uint64_t buf[16];
	struct exitlat_run r;
	struct exitlat_info info = { 0 };
	int fd = open(EXITLAT_DEVICE, O_RDWR);

	if (fd < 0) {
		printf("FAIL: open %s: %s\n", EXITLAT_DEVICE, strerror(errno));
		return 1;
	}
	r = good_run(buf);
	if (ioctl(fd, EXITLAT_IOC_RUN, &r) != 0 || r.taken == 0) {
		printf("FAIL: a good null run: %s, %u samples\n", strerror(errno), r.taken);
		failures++;
	} else {
		printf("ok: a good null run -> %u samples\n", r.taken);
	}
	expect("unknown command", ioctl(fd, _IO(EXITLAT_IOCTL_MAGIC, 0x7f)), ENOTTY);
	expect("run with another struct size",
	       ioctl(fd, _IOWR(EXITLAT_IOCTL_MAGIC, 0x02, struct exitlat_info), &info), ENOTTY);
	r = good_run(buf);
	r.exit_kind = EXITLAT_EXIT_NR;
	expect("exit_kind out of range", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.exit_kind = EXITLAT_EXIT_MMIO;
	expect("exit_kind without a native side (mmio)", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.mode = EXITLAT_MODE_NR;
	expect("mode out of range", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.flags = 0x80000000u;
	expect("unknown flag", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.reserved_in[1] = 1;
	expect("reserved_in not zero", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.max_samples = EXITLAT_RUN_MAX_SAMPLES + 1;
	expect("max_samples too large", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.max_samples = 0;
	expect("max_samples zero", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.budget_us = EXITLAT_RUN_MAX_US + 1;
	expect("budget_us too large", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.cpu = 100000;
	expect("cpu out of range", ioctl(fd, EXITLAT_IOC_RUN, &r), EINVAL);
	r = good_run(buf);
	r.samples_ptr = 8;	/* not a mapped user address */
	expect("samples_ptr unmapped", ioctl(fd, EXITLAT_IOC_RUN, &r), EFAULT);
	expect("run struct pointer unmapped", ioctl(fd, EXITLAT_IOC_RUN, (void *)8), EFAULT);
	expect("info struct pointer unmapped", ioctl(fd, EXITLAT_IOC_INFO, (void *)8), EFAULT);
	info = (struct exitlat_info){ .reserved0 = 1 };
	expect("info reserved0 not zero", ioctl(fd, EXITLAT_IOC_INFO, &info), EINVAL);
	/* the same open file, without CAP_SYS_ADMIN */
	if (setgid(65534) || setuid(65534)) {
		printf("FAIL: cannot drop to uid 65534: %s\n", strerror(errno));
		failures++;
	} else {
		expect("API version without CAP_SYS_ADMIN",
		       ioctl(fd, EXITLAT_IOC_API_VERSION), EPERM);
		r = good_run(buf);
		expect("run without CAP_SYS_ADMIN", ioctl(fd, EXITLAT_IOC_RUN, &r), EPERM);
	}
	close(fd);
	printf("%s: %d failed\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}
