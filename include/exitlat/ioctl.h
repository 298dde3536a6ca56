/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The ioctl ABI of exitlat.ko (/dev/exitlat). uapi style: fixed-width types
 * only, naturally aligned, explicit reserved fields that must be zero.
 *
 * Versioning: EXITLAT_IOC_API_VERSION returns EXITLAT_API_VERSION. A struct
 * that changes gets a new command number; the module keeps serving the old
 * ones, so an older front end keeps working with a newer module. Unknown
 * commands get -ENOTTY; a non-zero reserved field or flag gets -EINVAL.
 *
 * Exit kinds are the IDs of include/exitlat/exit_kinds.h (EXITLAT_EXIT_*).
 */
#ifndef EXITLAT_IOCTL_H
#define EXITLAT_IOCTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define EXITLAT_DEVICE "/dev/exitlat"
#define EXITLAT_IOCTL_MAGIC 0xE7
#define EXITLAT_API_VERSION 1

/* Returns EXITLAT_API_VERSION as the ioctl's result; no argument. */
#define EXITLAT_IOC_API_VERSION _IO(EXITLAT_IOCTL_MAGIC, 0x00)

/* exitlat_info.vendor */
#define EXITLAT_VENDOR_OTHER	0
#define EXITLAT_VENDOR_INTEL	1
#define EXITLAT_VENDOR_AMD	2

/* exitlat_info.virt */
#define EXITLAT_VIRT_NONE	0
#define EXITLAT_VIRT_VMX	1
#define EXITLAT_VIRT_SVM	2

/* exitlat_info.flags */
#define EXITLAT_INFO_FW_DISABLED	(1u << 0) /* FEATURE_CONTROL lock w/o VMX, or VM_CR.SVMDIS */
#define EXITLAT_INFO_VMX_ROOT_BUSY	(1u << 1) /* CPU already in VMX root operation (KVM) */
#define EXITLAT_INFO_SVME_SET		(1u << 2) /* EFER.SVME already set (KVM) */
#define EXITLAT_INFO_TRUE_CTLS		(1u << 3) /* IA32_VMX_BASIC[55]: TRUE_* MSRs exist */
#define EXITLAT_INFO_SMI_COUNT		(1u << 4) /* MSR_SMI_COUNT readable */
#define EXITLAT_INFO_APERFMPERF		(1u << 5) /* APERF/MPERF readable */

/* Index into exitlat_info.msr[] (VMX: IA32_VMX_*; SVM: only FEATURE is used). */
enum exitlat_info_msr {
	EXITLAT_MSR_FEATURE = 0,	/* IA32_FEATURE_CONTROL or VM_CR */
	EXITLAT_MSR_VMX_BASIC,
	EXITLAT_MSR_VMX_PINBASED,
	EXITLAT_MSR_VMX_PROCBASED,
	EXITLAT_MSR_VMX_EXIT,
	EXITLAT_MSR_VMX_ENTRY,
	EXITLAT_MSR_VMX_MISC,
	EXITLAT_MSR_VMX_CR0_FIXED0,
	EXITLAT_MSR_VMX_CR0_FIXED1,
	EXITLAT_MSR_VMX_CR4_FIXED0,
	EXITLAT_MSR_VMX_CR4_FIXED1,
	EXITLAT_MSR_VMX_PROCBASED2,
	EXITLAT_MSR_VMX_EPT_VPID,
	EXITLAT_MSR_VMX_TRUE_PINBASED,
	EXITLAT_MSR_VMX_TRUE_PROCBASED,
	EXITLAT_MSR_VMX_TRUE_EXIT,
	EXITLAT_MSR_VMX_TRUE_ENTRY,
	EXITLAT_MSR_NR
};
#define EXITLAT_INFO_MSR_SLOTS 24

struct exitlat_info {
	__u32 cpu;		/* in: the CPU to query */
	__u32 reserved0;	/* in: must be 0 */
	__u32 vendor;		/* out: EXITLAT_VENDOR_* */
	__u32 virt;		/* out: EXITLAT_VIRT_* */
	__u32 flags;		/* out: EXITLAT_INFO_* */
	__u32 tsc_khz;		/* out */
	__u32 svm_revision;	/* out: CPUID 0x8000000a EBX (ASIDs) / EAX (revision) */
	__u32 svm_features;	/* out: CPUID 0x8000000a EDX */
	__u64 msr[EXITLAT_INFO_MSR_SLOTS]; /* out: enum exitlat_info_msr, 0 when absent */
	__u64 reserved[8];	/* out: zero */
};
#define EXITLAT_IOC_INFO _IOWR(EXITLAT_IOCTL_MAGIC, 0x01, struct exitlat_info)

/* exitlat_run.mode: what one sample is */
#define EXITLAT_MODE_ROUNDTRIP	0	/* host TSC before entry .. host TSC after exit */
#define EXITLAT_MODE_ENTRY	1	/* host TSC before entry .. guest's TSC read */
#define EXITLAT_MODE_EXIT	2	/* guest's TSC read .. host TSC after exit */
#define EXITLAT_MODE_NR		3

/* One batch: interrupts off on one CPU, at most max_samples and budget_us. */
#define EXITLAT_RUN_MAX_SAMPLES	16384
#define EXITLAT_RUN_DEFAULT_US	200
#define EXITLAT_RUN_MAX_US	1000

/* exitlat_run.status: why a batch ended early or failed */
#define EXITLAT_STATUS_OK		0
#define EXITLAT_STATUS_VMFAIL		1 /* VMX instruction failed: vm_error */
#define EXITLAT_STATUS_UNEXPECTED_EXIT	2 /* exit_reason, exit_qual */
#define EXITLAT_STATUS_SETUP		3 /* controls, fixed bits: see kernel log */

struct exitlat_run {
	__u32 cpu;		/* in */
	__u32 exit_kind;	/* in: EXITLAT_EXIT_* with a native domain */
	__u32 mode;		/* in: EXITLAT_MODE_* */
	__u32 flags;		/* in: must be 0 */
	__u64 samples_ptr;	/* in: user buffer of max_samples __u64 */
	__u32 max_samples;	/* in: 1 .. EXITLAT_RUN_MAX_SAMPLES */
	__u32 budget_us;	/* in: 0 = EXITLAT_RUN_DEFAULT_US, at most EXITLAT_RUN_MAX_US */
	__u64 reserved_in[2];	/* in: must be 0 */
	/* out */
	__u32 taken;		/* samples written to samples_ptr */
	__u32 dropped;		/* trips cut by an interrupt or NMI (not in samples) */
	__u32 status;		/* EXITLAT_STATUS_* */
	__u32 vm_error;		/* VM-instruction error number (VMX) */
	__u64 exit_reason;	/* unexpected exit: basic reason (VMX) / exit code (SVM) */
	__u64 exit_qual;	/* its exit qualification (VMX) / EXITINFO1 (SVM) */
	__u64 smi_delta;	/* MSR_SMI_COUNT after - before; ~0 when unreadable */
	__u64 aperf_delta;	/* over the batch; 0 when unreadable */
	__u64 mperf_delta;
	__u64 tsc_delta;	/* TSC over the whole batch */
	__u32 borrowed;		/* 1: the CPU was already in VMX root / had SVME set */
	__u32 reserved_out0;
	__u64 reserved_out[4];
};
#define EXITLAT_IOC_RUN _IOWR(EXITLAT_IOCTL_MAGIC, 0x02, struct exitlat_run)

#endif /* EXITLAT_IOCTL_H */
