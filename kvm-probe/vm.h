/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The probe's VM: one vCPU, one memory slot, the guest code and tables in it,
 * set up through raw /dev/kvm ioctls only.
 */
#ifndef KVM_PROBE_VM_H
#define KVM_PROBE_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "backend.h"
#include "cli.h"

/*
 * Checked ioctls, the KVM selftests' way: the command's name goes into the
 * error ("KVM_CREATE_VM failed: ret -1, errno 24 (Too many open files)").
 * Returns the ioctl's result, or -errno after printing the error.
 */
long __kvm_ioctl_checked(int fd, unsigned long cmd, const char *name, unsigned long arg);
#define kvm_ioctl(fd, cmd, arg) __kvm_ioctl_checked(fd, cmd, #cmd, (unsigned long)(arg))
/* Same, for a pointer argument whose size the ioctl number encodes. */
#define kvm_ioctl_ptr(fd, cmd, ptr) ({						\
	_Static_assert(_IOC_SIZE(cmd) == sizeof(*(ptr)), #cmd ": argument size");	\
	__kvm_ioctl_checked(fd, cmd, #cmd, (unsigned long)(ptr));		\
})

struct probe_vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;
	uint64_t tsc_khz;		/* 0: KVM_CAP_GET_TSC_KHZ missing */
	int stats_fd;			/* -1: KVM_CAP_BINARY_STATS_FD missing */
	bool has_immediate_exit;
	int eventfd;			/* -1: no KVM_IOEVENTFD binding */
	uint8_t *fault_mem;		/* NULL: no ept-fault slot */
	int irqfd;			/* -1: no KVM_IRQFD binding */
	bool x2apic;			/* the guest's CPUID has x2APIC (CPUID.1:ECX[21]) */
	bool tsc_deadline;		/* it has TSC_DEADLINE_TIMER (CPUID.1:ECX[24]) */
	/* The ipi kinds' second vCPU (APIC ID 1); -1 / NULL without one. */
	int vcpu1_fd, stats1_fd;
	struct kvm_run *run1;
};

#define PROBE_VM_INIT { .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .stats_fd = -1, .eventfd = -1, \
		       .irqfd = -1, .vcpu1_fd = -1, .stats1_fd = -1 }
/* vm_create(): this KVM cannot give the kind what it needs (the reason is in @why). */
#define VM_REFUSED	1

/* Exit reason's name, "unknown" outside the table. */
const char *kvm_exit_name(uint32_t reason);

/*
 * Opens @dev with a hint that tells "not there" (no KVM, no VMX/SVM) from
 * "not allowed" (the kvm group). Returns the fd, or -1 after printing why.
 */
int vm_open_dev(const char *dev);

/*
 * Creates the VM and vCPU for @mode with what a kind @needs (enum
 * probe_need), loads the guest and points RIP at @entry (a guest address).
 * Returns 0; -1 after printing which step failed; or VM_REFUSED when this
 * KVM lacks what the kind needs, with the reason in @why.
 */
int vm_create(struct probe_vm *vm, const char *dev, const struct probe_backend *b,
	      enum probe_mode mode, uint64_t entry, unsigned int needs, char *why,
	      size_t whylen);
/*
 * The ipi kinds: vCPU 1 (APIC ID 1) in vCPU 0's long mode, runnable at once
 * (an AP would wait for INIT-SIPI), at @entry on its own stack. 0 or -1.
 */
int vm_add_vcpu1(struct probe_vm *vm, uint64_t entry);
/* ept-fault: unmaps the fault slot's pages, so the next buffer finds them fresh. */
int vm_fault_slot_empty(struct probe_vm *vm);
/* Points the vCPU at @entry again (before the next KVM_RUN; off the hot path). */
int vm_set_entry(struct probe_vm *vm, enum probe_mode mode, uint64_t entry);
void vm_destroy(struct probe_vm *vm);
/*
 * The guest's TSC offset from the vCPU attribute KVM_VCPU_TSC_OFFSET (Linux
 * 5.16+): 0, or -1 where KVM lacks it (nothing printed).
 */
int vm_tsc_offset(struct probe_vm *vm, int vcpu_fd, int64_t *offset);
/* The VM's default TSC rate (KVM_GET_TSC_KHZ on the VM, 6.0+); 0 where not said. */
uint64_t vm_default_tsc_khz(struct probe_vm *vm);

/* Writes the guest image (code, tables, mailbox) for @mode into @mem. */
void vm_load_guest(uint8_t *mem, enum probe_mode mode);

#endif
