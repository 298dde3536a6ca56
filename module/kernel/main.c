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
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/kobject.h>
#include <linux/notifier.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>
#include <asm/reboot.h>

#include "exitlat.h"
#include "exitlat/exit_kinds.h"
#include "args.h"
#include "host_snapshot.h"
#include "intr.h"

static const struct exitlat_vendor *vendor;
static u32 exitlat_vendor_id;
/* Probed once at load: an emulator logs every faulting RDMSR. */
static bool have_smi_count, have_aperfmperf;
/*
 * One batch at a time: batches compete for the same CPUs and emulators
 * anyway. It also orders batches against KVM's module coming and going
 * (exitlat_module_notify), so the emergency callback can change hands.
 */
static DEFINE_MUTEX(exitlat_batch_lock);

static unsigned int inject;
module_param(inject, uint, 0600);
MODULE_PARM_DESC(inject, "test only: provoke a named failure (1 VMLAUNCH twice, 2 no current VMCS, 3 intr-exit without its interrupt)");

/*
 * The kernel's emergency path (crash, kdump, emergency reboot) leaves VMX /
 * SVM through one registered callback, which KVM's vendor module owns while
 * it is loaded (cpu_emergency_register_virt_callback: one callback at most;
 * a second registration WARNs). KVM's callback turns off VMX / SVME on every
 * CPU whatever set it, so it covers exitlat's batches too; with no KVM, a
 * crash during a batch that took VMX operation itself would leave the CPU
 * in it and block INIT for the kdump kernel. So exitlat registers its own
 * callback exactly while no KVM vendor module is loaded, and hands the slot
 * over when one comes (the module notifier runs before KVM's init).
 */
static const char *const kvm_vendor_modules[] = { "kvm_intel", "kvm_amd" };
static bool kvm_module_live[ARRAY_SIZE(kvm_vendor_modules)];
static bool own_emergency_cb;
static DEFINE_PER_CPU(bool, exitlat_owns_virt);

void exitlat_set_owns_virt(bool owns)
{
	this_cpu_write(exitlat_owns_virt, owns);
}

static void exitlat_emergency_disable(void)
{
	if (this_cpu_read(exitlat_owns_virt)) {
		vendor->emergency_disable();
		this_cpu_write(exitlat_owns_virt, false);
	}
}

static bool kvm_vendor_present(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvm_vendor_modules); i++)
		if (kvm_module_live[i])
			return true;
	return false;
}

/*
 * Under exitlat_batch_lock: take the emergency slot exactly while no KVM
 * vendor module is loaded (@leaving: give it up, the module goes away).
 */
static void exitlat_update_emergency_cb(bool leaving)
{
	bool want = !leaving && !kvm_vendor_present();

	if (want == own_emergency_cb)
		return;
	if (want)
		cpu_emergency_register_virt_callback(exitlat_emergency_disable);
	else
		cpu_emergency_unregister_virt_callback(exitlat_emergency_disable);
	own_emergency_cb = want;
}

static int kvm_vendor_index(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvm_vendor_modules); i++)
		if (!strcmp(name, kvm_vendor_modules[i]))
			return i;
	return -1;
}

static int exitlat_module_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	struct module *mod = data;
	int i = kvm_vendor_index(mod->name);

	if (i < 0 || (state != MODULE_STATE_COMING && state != MODULE_STATE_GOING))
		return NOTIFY_DONE;
	mutex_lock(&exitlat_batch_lock);
	/* COMING runs before KVM's init registers its callback, GOING after its exit removed it */
	kvm_module_live[i] = state == MODULE_STATE_COMING;
	exitlat_update_emergency_cb(false);
	mutex_unlock(&exitlat_batch_lock);
	return NOTIFY_DONE;
}

static struct notifier_block exitlat_module_nb = {
	.notifier_call = exitlat_module_notify,
};

/* KVM vendor modules loaded before exitlat: they are in /sys/module, our own kobject's kset. */
static void kvm_vendor_scan(void)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	struct kobject *k;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvm_vendor_modules); i++) {
		k = modules ? kset_find_obj(modules, kvm_vendor_modules[i]) : NULL;
		kvm_module_live[i] = k != NULL;
		kobject_put(k);
	}
}

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

struct exitlat_call {
	struct exitlat_batch *b;
	struct exitlat_self_check *check;	/* NULL: no snapshots */
};

/* On the batch's CPU, interrupts off. */
static void exitlat_batch_on_cpu(void *arg)
{
	struct exitlat_call *call = arg;
	struct exitlat_batch *b = call->b;
	struct exitlat_counters before, after;
	struct exitlat_trip trip;

	if (call->check)
		exitlat_host_snapshot(call->check->before, &call->check->present);
	exitlat_read_counters(&before);
	if (b->kind == EXITLAT_EXIT_NULL_KIND) {
		while (b->out->taken < b->want) {
			exitlat_null_trip(&trip);
			b->samples[b->out->taken++] = trip.t1 - trip.t0;
			if (trip.t1 - before.tsc > b->budget_cycles)
				break;
		}
	} else if (b->kind != EXITLAT_EXIT_INTR_EXIT || b->inject == EXITLAT_INJECT_NO_INTR ||
		   !exitlat_intr_raise(b)) {
		vendor->run(b);
	}
	exitlat_read_counters(&after);
	if (call->check) {
		u64 present_after;

		exitlat_host_snapshot(call->check->after, &present_after);
		call->check->present &= present_after;
	}

	b->out->smi_delta = before.smi_ok && after.smi_ok ? after.smi - before.smi : ~0ull;
	if (before.aperfmperf_ok && after.aperfmperf_ok) {
		b->out->aperf_delta = after.aperf - before.aperf;
		b->out->mperf_delta = after.mperf - before.mperf;
	}
	b->out->tsc_delta = after.tsc - before.tsc;
	b->out->dropped = b->out->dropped_intr + b->out->dropped_nmi + b->out->dropped_mce;
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
		return -ENXIO;
	/* every output field starts at zero: nothing uninitialized goes back */
	info = (struct exitlat_info){ .cpu = info.cpu };
	ret = smp_call_function_single(info.cpu, exitlat_info_on_cpu, &info, 1);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/* The errno of a batch that ended with @status (the kernel log says more). */
static long exitlat_status_errno(u32 status)
{
	switch (status) {
	case EXITLAT_STATUS_OK:
		return 0;
	case EXITLAT_STATUS_BUSY:
		return -EBUSY;
	case EXITLAT_STATUS_UNSUPPORTED:
		return -EOPNOTSUPP;
	case EXITLAT_STATUS_VMFAIL:
	case EXITLAT_STATUS_UNEXPECTED_EXIT:
	case EXITLAT_STATUS_SETUP:
		return -EIO;
	}
	WARN_ONCE(1, "exitlat: batch status %u has no errno\n", status);
	return -EIO;
}

/*
 * One batch for @run (validated, outputs zeroed by the caller); fills @run's
 * outputs and @check's snapshots. Returns 0 or -errno; samples taken before a
 * failure are copied out too, so that the front end can keep them.
 */
static long exitlat_batch(struct exitlat_run *run, struct exitlat_self_check *check)
{
	struct exitlat_batch b = { 0 };
	struct exitlat_call call = { .b = &b, .check = check };
	long ret;

	b.kind = array_index_nospec(run->exit_kind, EXITLAT_EXIT_NR);
	b.mode = run->mode;
	b.flags = run->flags;
	b.want = run->max_samples;
	b.budget_cycles = exitlat_budget_cycles(run->budget_us, tsc_khz);
	b.out = run;
	b.inject = inject < EXITLAT_INJECT_NR ? inject : EXITLAT_INJECT_NONE;
	if ((b.flags & EXITLAT_RUN_F_KVM_LIKE) && vendor != &exitlat_svm)
		return -EINVAL;		/* VMLOAD/VMSAVE are SVM's */
	b.samples = kvmalloc_array(run->max_samples, sizeof(u64), GFP_KERNEL);
	if (!b.samples)
		return -ENOMEM;
	if (b.kind != EXITLAT_EXIT_NULL_KIND) {
		ret = vendor->prepare(&b);
		if (ret)
			goto out_free_samples;
	}

	mutex_lock(&exitlat_batch_lock);
	b.kvm_present = kvm_vendor_present();
	/* a CPU that went offline since the last batch is not a malformed request */
	ret = smp_call_function_single(run->cpu, exitlat_batch_on_cpu, &call, 1);
	/* intr-exit: wait for the host to take the batch's interrupt, still under the lock */
	exitlat_intr_collect(&b);
	mutex_unlock(&exitlat_batch_lock);
	if (ret == -ENXIO)
		pr_info_ratelimited("CPU %u went offline: batch not run\n", run->cpu);
	if (ret)
		goto out_release;

	ret = exitlat_status_errno(run->status);
	if (copy_to_user(u64_to_user_ptr(run->samples_ptr), b.samples,
			 (size_t)run->taken * sizeof(u64)))
		ret = -EFAULT;
out_release:
	if (b.kind != EXITLAT_EXIT_NULL_KIND)
		vendor->release(&b);
out_free_samples:
	kvfree(b.samples);
	return ret;
}

/* Copies in and validates a run request; the outputs start at zero. */
static long exitlat_run_in(struct exitlat_run *run, const void __user *uarg)
{
	const char *field;

	if (copy_from_user(run, uarg, sizeof(*run)))
		return -EFAULT;
	if (exitlat_run_args_check(run, nr_cpu_ids, &field))
		return -EINVAL;
	*run = (struct exitlat_run){
		.cpu = run->cpu,
		.exit_kind = run->exit_kind,
		.mode = run->mode,
		.flags = run->flags,
		.samples_ptr = run->samples_ptr,
		.max_samples = run->max_samples,
		.budget_us = run->budget_us,
	};
	return cpu_online(run->cpu) ? 0 : -ENXIO;
}

static long exitlat_ioctl_run(void __user *uarg)
{
	struct exitlat_run run;
	long ret;

	ret = exitlat_run_in(&run, uarg);
	if (ret)
		return ret;
	ret = exitlat_batch(&run, NULL);
	/* the outputs go back with a failed batch too: taken, status, why */
	if (ret != -EFAULT && copy_to_user(uarg, &run, sizeof(run)))
		ret = -EFAULT;
	return ret;
}

static long exitlat_ioctl_self_check(struct exitlat_self_check __user *uarg)
{
	struct exitlat_self_check *check;
	long ret;

	check = kzalloc(sizeof(*check), GFP_KERNEL);
	if (!check)
		return -ENOMEM;
	ret = exitlat_run_in(&check->run, &uarg->run);
	if (ret)
		goto out_free;
	ret = exitlat_batch(&check->run, check);
	if (ret != -EFAULT && copy_to_user(uarg, check, sizeof(*check)))
		ret = -EFAULT;
out_free:
	kfree(check);
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
	case EXITLAT_IOC_SELF_CHECK:
		return exitlat_ioctl_self_check((void __user *)arg);
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

/* Undoes the notifier and the emergency callback, for init's error path and exit. */
static void exitlat_leave(void)
{
	exitlat_intr_sync();
	unregister_module_notifier(&exitlat_module_nb);
	mutex_lock(&exitlat_batch_lock);
	exitlat_update_emergency_cb(true);
	mutex_unlock(&exitlat_batch_lock);
}

static int __init exitlat_init(void)
{
	const char *why = "the CPU is neither Intel nor AMD";
	bool usable = false;
	int ret;
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

	ret = register_module_notifier(&exitlat_module_nb);
	if (ret)
		return ret;
	mutex_lock(&exitlat_batch_lock);
	kvm_vendor_scan();
	exitlat_update_emergency_cb(false);
	mutex_unlock(&exitlat_batch_lock);

	/* the device last: once it exists, ioctls may come */
	ret = misc_register(&exitlat_dev);
	if (ret)
		goto err_unregister_notifier;
	return 0;

err_unregister_notifier:
	exitlat_leave();
	return ret;
}

static void __exit exitlat_exit(void)
{
	misc_deregister(&exitlat_dev);
	exitlat_leave();
}

module_init(exitlat_init);
module_exit(exitlat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("exitlat: native VM entry + VM exit round trips, per sample");
