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
/*
 * 2: exitlat_run names what were reserved output fields (path, drop reasons,
 * warm-up) and takes EXITLAT_RUN_F_KVM_LIKE; EXITLAT_IOC_SELF_CHECK. A front
 * end sets flags only when the module reports 2 or later.
 */
#define EXITLAT_API_VERSION 2

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
#define EXITLAT_STATUS_SETUP		3 /* controls, fixed bits, a VM-entry check: see kernel log */
#define EXITLAT_STATUS_BUSY		4 /* another hypervisor holds or is switching VMX (-EBUSY) */
#define EXITLAT_STATUS_UNSUPPORTED	5 /* this CPU cannot run batches (FRED, firmware): -EOPNOTSUPP */

/* exitlat_run.flags (in) */
#define EXITLAT_RUN_F_KVM_LIKE	(1u << 0) /* SVM: VMLOAD/VMSAVE around VMRUN in the timed trip, as KVM does */
#define EXITLAT_RUN_F_ALL	EXITLAT_RUN_F_KVM_LIKE

/* exitlat_run.path (out): how the batch took its trips, for the sample header */
#define EXITLAT_PATH_WARMUP	(1u << 0) /* the first trip of each batch was untimed */
#define EXITLAT_PATH_VPID	(1u << 1) /* VMX: guest tagged with a VPID (no TLB flush per trip) */
#define EXITLAT_PATH_VMLOAD	(1u << 2) /* SVM: VMLOAD + VMSAVE inside the timed trip */
#define EXITLAT_PATH_CLEAN_BITS	(1u << 3) /* SVM: VMCB clean bits set after the first VMRUN */
#define EXITLAT_PATH_FLUSH_ASID	(1u << 4) /* SVM: TLB flushed by ASID (else all ASIDs) */
#define EXITLAT_PATH_TSC_RATIO	(1u << 5) /* SVM: TSC ratio reset to 1.0 for the batch */

struct exitlat_run {
	__u32 cpu;		/* in */
	__u32 exit_kind;	/* in: EXITLAT_EXIT_* with a native domain */
	__u32 mode;		/* in: EXITLAT_MODE_* */
	__u32 flags;		/* in: EXITLAT_RUN_F_* (API 2), else 0 */
	__u64 samples_ptr;	/* in: user buffer of max_samples __u64 */
	__u32 max_samples;	/* in: 1 .. EXITLAT_RUN_MAX_SAMPLES */
	__u32 budget_us;	/* in: 0 = EXITLAT_RUN_DEFAULT_US, at most EXITLAT_RUN_MAX_US */
	__u64 reserved_in[2];	/* in: must be 0 */
	/* out */
	__u32 taken;		/* samples written to samples_ptr */
	__u32 dropped;		/* trips not in samples: the sum of the dropped_* below */
	__u32 status;		/* EXITLAT_STATUS_* */
	__u32 vm_error;		/* VM-instruction error number (VMX) */
	__u64 exit_reason;	/* unexpected exit: basic reason (VMX) / exit code (SVM) */
	__u64 exit_qual;	/* its exit qualification (VMX) / EXITINFO1 (SVM) */
	__u64 smi_delta;	/* MSR_SMI_COUNT after - before; ~0 when unreadable */
	__u64 aperf_delta;	/* over the batch; 0 when unreadable */
	__u64 mperf_delta;
	__u64 tsc_delta;	/* TSC over the whole batch */
	__u32 borrowed;		/* 1: the CPU was already in VMX root / had SVME set */
	__u32 path;		/* EXITLAT_PATH_* (API 2) */
	__u32 dropped_intr;	/* trips that ended the batch on an external interrupt */
	__u32 dropped_nmi;	/* trips cut by an NMI (or SMI) handed back to the host */
	__u32 dropped_mce;	/* trips that ended the batch on a machine check */
	__u32 warmup;		/* untimed warm-up trips (not in samples, not dropped) */
	/*
	 * intr-exit: the self-IPIs the batch raised to make its interrupt
	 * pending (1), and how many of them the host then handled, counted
	 * by the module's own handler after the batch: equal, or an interrupt
	 * was lost or duplicated. 0 for every other kind. Named reserved words,
	 * no new API version: a module that leaves them 0 refuses intr-exit.
	 */
	__u32 intr_raised;
	__u32 intr_handled;
	__u64 reserved_out[1];
};
#define EXITLAT_IOC_RUN _IOWR(EXITLAT_IOCTL_MAGIC, 0x02, struct exitlat_run)

/*
 * The host state a VM transition can touch, snapshotted on the batch's CPU
 * right before and right after a batch (EXITLAT_IOC_SELF_CHECK): any
 * difference is state the module failed to give back. X(ID, name).
 */
#define EXITLAT_HOST_STATE_ITEMS(X)					\
	X(DR0, "DR0") X(DR1, "DR1") X(DR2, "DR2") X(DR3, "DR3")		\
	X(DR6, "DR6") X(DR7, "DR7") X(DEBUGCTL, "IA32_DEBUGCTL")	\
	X(LDTR, "LDTR") X(CR0, "CR0") X(CR3, "CR3") X(CR4, "CR4")	\
	X(CR4_SHADOW, "the kernel's CR4 shadow")			\
	X(GDTR_BASE, "GDTR base") X(GDTR_LIMIT, "GDTR limit")		\
	X(IDTR_BASE, "IDTR base") X(IDTR_LIMIT, "IDTR limit")		\
	X(TR, "TR selector") X(TR_BASE, "TR base") X(TR_LIMIT, "TR limit") \
	X(CS, "CS") X(SS, "SS") X(DS, "DS") X(ES, "ES") X(FS, "FS") X(GS, "GS") \
	X(FS_BASE, "FS_BASE") X(GS_BASE, "GS_BASE")			\
	X(KERNEL_GS_BASE, "KERNEL_GS_BASE") X(EFER, "EFER") X(PAT, "PAT") \
	X(SYSENTER_CS, "SYSENTER_CS") X(SYSENTER_ESP, "SYSENTER_ESP")	\
	X(SYSENTER_EIP, "SYSENTER_EIP") X(STAR, "STAR") X(LSTAR, "LSTAR") \
	X(CSTAR, "CSTAR") X(SFMASK, "SFMASK") X(TSC_AUX, "TSC_AUX")	\
	X(SPEC_CTRL, "SPEC_CTRL") X(VM_HSAVE_PA, "VM_HSAVE_PA")	\
	X(TSC_RATIO, "TSC_RATIO")

#define EXITLAT_HS_ENUM(id, name) EXITLAT_HS_##id,
enum exitlat_host_state_item { EXITLAT_HOST_STATE_ITEMS(EXITLAT_HS_ENUM) EXITLAT_HS_NR };
#undef EXITLAT_HS_ENUM
#define EXITLAT_HS_SLOTS 64

struct exitlat_self_check {
	struct exitlat_run run;		/* in/out: one batch, as EXITLAT_IOC_RUN */
	__u64 present;			/* out: bit i: item i was read (MSRs the CPU lacks are not) */
	__u64 before[EXITLAT_HS_SLOTS];	/* out: enum exitlat_host_state_item */
	__u64 after[EXITLAT_HS_SLOTS];
};
#define EXITLAT_IOC_SELF_CHECK _IOWR(EXITLAT_IOCTL_MAGIC, 0x03, struct exitlat_self_check)

#endif /* EXITLAT_IOCTL_H */
