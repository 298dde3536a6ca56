// SPDX-License-Identifier: GPL-2.0
/*
 * exitlat.ko: /dev/exitlat, its ioctls, and the batch runner. A batch runs
 * on one CPU with interrupts off (smp_call_function_single), bounded by its
 * sample count and its time budget; the front end loops over batches.
 */
#define pr_fmt(fmt) "exitlat: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/capability.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>

#include "exitlat.h"
#include "exitlat/exit_kinds.h"
#include "args.h"

static const struct exitlat_vendor *vendor;
static u32 exitlat_vendor_id;
/* Probed once at load: an emulator logs every faulting RDMSR. */
static bool have_smi_count, have_aperfmperf;
/* One batch at a time: batches compete for the same CPUs and emulators anyway. */
static DEFINE_MUTEX(exitlat_batch_lock);

static void exitlat_info_on_cpu(void *arg)
{
	struct exitlat_info *info = arg;
	u64 v;

	info->vendor = exitlat_vendor_id;
	info->tsc_khz = tsc_khz;
	if (have_smi_count && !rdmsrl_safe(MSR_SMI_COUNT, &v))
		info->flags |= EXITLAT_INFO_SMI_COUNT;
	if (have_aperfmperf && !rdmsrl_safe(MSR_IA32_APERF, &v) && !rdmsrl_safe(MSR_IA32_MPERF, &v))
		info->flags |= EXITLAT_INFO_APERFMPERF;
	vendor->info(info);
}

struct exitlat_counters {
	u64 smi, aperf, mperf, tsc;
	bool smi_ok, aperfmperf_ok;
};

static void exitlat_read_counters(struct exitlat_counters *c)
{
	c->smi_ok = have_smi_count && !rdmsrl_safe(MSR_SMI_COUNT, &c->smi);
	c->aperfmperf_ok = have_aperfmperf && !rdmsrl_safe(MSR_IA32_APERF, &c->aperf) &&
			   !rdmsrl_safe(MSR_IA32_MPERF, &c->mperf);
	c->tsc = rdtsc_ordered();
}

/* On the batch's CPU, interrupts off. */
static void exitlat_batch_on_cpu(void *arg)
{
	struct exitlat_batch *b = arg;
	struct exitlat_counters before, after;
	struct exitlat_trip trip;

	exitlat_read_counters(&before);
	if (b->kind == EXITLAT_EXIT_NULL_KIND) {
		while (b->out->taken < b->want) {
			exitlat_null_trip(&trip);
			b->samples[b->out->taken++] = trip.t1 - trip.t0;
			if (trip.t1 - before.tsc > b->budget_cycles)
				break;
		}
	} else {
		vendor->run(b);
	}
	exitlat_read_counters(&after);

	b->out->smi_delta = before.smi_ok && after.smi_ok ? after.smi - before.smi : ~0ull;
	if (before.aperfmperf_ok && after.aperfmperf_ok) {
		b->out->aperf_delta = after.aperf - before.aperf;
		b->out->mperf_delta = after.mperf - before.mperf;
	}
	b->out->tsc_delta = after.tsc - before.tsc;
}

static long exitlat_ioctl_info(void __user *uarg)
{
	struct exitlat_info info;
	const char *field;
	int ret;

	if (copy_from_user(&info, uarg, sizeof(info)))
		return -EFAULT;
	if (exitlat_info_args_check(&info, nr_cpu_ids, &field))
		return -EINVAL;
	if (!cpu_online(info.cpu))
		return -EINVAL;
	/* every output field starts at zero: nothing uninitialized goes back */
	info = (struct exitlat_info){ .cpu = info.cpu };
	ret = smp_call_function_single(info.cpu, exitlat_info_on_cpu, &info, 1);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long exitlat_ioctl_run(void __user *uarg)
{
	struct exitlat_batch b = { 0 };
	struct exitlat_run run;
	const char *field;
	long ret;

	if (copy_from_user(&run, uarg, sizeof(run)))
		return -EFAULT;
	if (exitlat_run_args_check(&run, nr_cpu_ids, &field))
		return -EINVAL;
	if (!cpu_online(run.cpu))
		return -EINVAL;
	run = (struct exitlat_run){
		.cpu = run.cpu,
		.exit_kind = run.exit_kind,
		.mode = run.mode,
		.samples_ptr = run.samples_ptr,
		.max_samples = run.max_samples,
		.budget_us = run.budget_us,
	};

	b.kind = run.exit_kind;
	b.mode = run.mode;
	b.want = run.max_samples;
	b.budget_cycles = exitlat_budget_cycles(run.budget_us, tsc_khz);
	b.out = &run;
	b.samples = kvmalloc_array(run.max_samples, sizeof(u64), GFP_KERNEL);
	if (!b.samples)
		return -ENOMEM;
	if (b.kind != EXITLAT_EXIT_NULL_KIND) {
		ret = vendor->prepare(&b);
		if (ret)
			goto out_free_samples;
	}

	mutex_lock(&exitlat_batch_lock);
	ret = smp_call_function_single(run.cpu, exitlat_batch_on_cpu, &b, 1);
	mutex_unlock(&exitlat_batch_lock);
	if (ret)
		goto out_release;

	ret = 0;
	if (copy_to_user(u64_to_user_ptr(run.samples_ptr), b.samples,
			 (size_t)run.taken * sizeof(u64)) ||
	    copy_to_user(uarg, &run, sizeof(run)))
		ret = -EFAULT;
	else if (run.status != EXITLAT_STATUS_OK)
		ret = -EIO;
out_release:
	if (b.kind != EXITLAT_EXIT_NULL_KIND)
		vendor->release(&b);
out_free_samples:
	kvfree(b.samples);
	return ret;
}

static long exitlat_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case EXITLAT_IOC_API_VERSION:
		return EXITLAT_API_VERSION;
	case EXITLAT_IOC_INFO:
		return exitlat_ioctl_info((void __user *)arg);
	case EXITLAT_IOC_RUN:
		return exitlat_ioctl_run((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations exitlat_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = exitlat_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice exitlat_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "exitlat",
	.fops = &exitlat_fops,
	.mode = 0600,
};

static int __init exitlat_init(void)
{
	const char *why = "the CPU is neither Intel nor AMD";
	bool usable = false;
	u64 v;

	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_INTEL:
		exitlat_vendor_id = EXITLAT_VENDOR_INTEL;
		vendor = &exitlat_vmx;
		usable = exitlat_vmx_usable(&why);
		break;
	case X86_VENDOR_AMD:
	case X86_VENDOR_HYGON:
		exitlat_vendor_id = EXITLAT_VENDOR_AMD;
		vendor = &exitlat_svm;
		usable = exitlat_svm_usable(&why);
		break;
	default:
		break;
	}
	if (!usable) {
		pr_warn("not loaded: %s\n", why);
		return -ENODEV;
	}
	have_smi_count = exitlat_vendor_id == EXITLAT_VENDOR_INTEL &&
			 !rdmsrl_safe(MSR_SMI_COUNT, &v);
	have_aperfmperf = boot_cpu_has(X86_FEATURE_APERFMPERF);
	/* the device last: once it exists, ioctls may come */
	return misc_register(&exitlat_dev);
}

static void __exit exitlat_exit(void)
{
	misc_deregister(&exitlat_dev);
}

module_init(exitlat_init);
module_exit(exitlat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("exitlat: native VM entry + VM exit round trips, per sample");
