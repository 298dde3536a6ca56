// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"
#include "kinds.h"
#include "layout.h"
#include "vm.h"

#define KVM_API_VERSION_EXPECTED 12
/* Three pages KVM's VMX code uses for real-mode emulation, out of the guest's way. */
#define TSS_ADDR 0xfffbd000UL

long __kvm_ioctl_checked(int fd, unsigned long cmd, const char *name, unsigned long arg)
{
	long ret = ioctl(fd, cmd, arg);

	if (ret < 0) {
		int e = errno;

		fprintf(stderr, "kvm-probe: %s failed: ret %ld, errno %d (%s)\n", name, ret, e,
			strerror(e));
		return -e;
	}
	return ret;
}

static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN]		= "KVM_EXIT_UNKNOWN",
	[KVM_EXIT_EXCEPTION]		= "KVM_EXIT_EXCEPTION",
	[KVM_EXIT_IO]			= "KVM_EXIT_IO",
	[KVM_EXIT_HYPERCALL]		= "KVM_EXIT_HYPERCALL",
	[KVM_EXIT_DEBUG]		= "KVM_EXIT_DEBUG",
	[KVM_EXIT_HLT]			= "KVM_EXIT_HLT",
	[KVM_EXIT_MMIO]			= "KVM_EXIT_MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN]	= "KVM_EXIT_IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN]		= "KVM_EXIT_SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY]		= "KVM_EXIT_FAIL_ENTRY",
	[KVM_EXIT_INTR]			= "KVM_EXIT_INTR",
	[KVM_EXIT_SET_TPR]		= "KVM_EXIT_SET_TPR",
	[KVM_EXIT_TPR_ACCESS]		= "KVM_EXIT_TPR_ACCESS",
	[KVM_EXIT_NMI]			= "KVM_EXIT_NMI",
	[KVM_EXIT_INTERNAL_ERROR]	= "KVM_EXIT_INTERNAL_ERROR",
	[KVM_EXIT_SYSTEM_EVENT]		= "KVM_EXIT_SYSTEM_EVENT",
	[KVM_EXIT_X86_RDMSR]		= "KVM_EXIT_X86_RDMSR",
	[KVM_EXIT_X86_WRMSR]		= "KVM_EXIT_X86_WRMSR",
};

const char *kvm_exit_name(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

int vm_open_dev(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		fprintf(stderr,
			"kvm-probe: %s: %s: KVM is not available here: the CPU may lack "
			"virtualization (VMX/SVM), it may be off in the firmware, or the host this "
			"runs on may not pass it through; or no KVM module is loaded\n",
			dev, strerror(errno));
		break;
	case EACCES:
	case EPERM:
		fprintf(stderr,
			"kvm-probe: %s: %s: this user may not use KVM: add it to the group that "
			"owns the device (usually 'kvm': usermod -aG kvm USER, then log in again)\n",
			dev, strerror(errno));
		break;
	default:
		fprintf(stderr, "kvm-probe: %s: cannot open: %s\n", dev, strerror(errno));
	}
	return -1;
}

void vm_load_guest(uint8_t *mem, enum probe_mode mode)
{
	uint64_t handlers[GUEST_IDT_VECTORS];
	const uint8_t *vectors = mode == PROBE_MODE_REAL ? guest16_vectors : guest64_vectors;
	uint64_t batch = GUEST_BATCH;

	memset(mem, 0, GUEST_MEM_SIZE);
	memcpy(mem + GUEST_CODE, guest_code_start, guest_code_end - guest_code_start);
	for (unsigned int v = 0; v < GUEST_VECTORS; v++)
		handlers[v] = guest_addr(vectors) + GUEST_VECTOR_STUB_SIZE * v;
	if (mode == PROBE_MODE_REAL) {
		layout_ivt(mem, handlers, GUEST_VECTORS);
	} else {
		/* external interrupts: the interrupt kinds' vector, the spurious one, and the rest */
		for (unsigned int v = GUEST_VECTORS; v < GUEST_IDT_VECTORS; v++)
			handlers[v] = guest_addr(guest64_unexpected);
		handlers[IRQ_VECTOR] = guest_addr(guest64_irq);
		handlers[SPURIOUS_VECTOR] = guest_addr(guest64_spurious);
		layout_page_tables(mem);
		layout_gdt(mem);
		layout_idt64(mem, handlers, GUEST_IDT_VECTORS);
	}
	memcpy(mem + GUEST_MAILBOX + MB_BATCH, &batch, sizeof(batch));
}

_Static_assert(GUEST_CODE + GUEST_CODE_MAX <= GUEST_STACK_TOP - 0x1000,
	       "guest code runs into the stack page");

struct required_cap {
	int cap;
	const char *name;
	const char *why;
};

#define CAP(c, w) { .cap = c, .name = #c, .why = w }
static const struct required_cap required_caps[] = {
	CAP(KVM_CAP_USER_MEMORY, "guest memory"),
	CAP(KVM_CAP_EXT_CPUID, "KVM_SET_CPUID2"),
	CAP(KVM_CAP_IMMEDIATE_EXIT, "the watchdog and Ctrl-C"),
};

static int check_caps(int kvm_fd)
{
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		long r = kvm_ioctl(kvm_fd, KVM_CHECK_EXTENSION, required_caps[i].cap);

		if (r < 0)
			return -1;
		if (r == 0) {
			fprintf(stderr, "kvm-probe: this KVM lacks %s (needed for %s)\n",
				required_caps[i].name, required_caps[i].why);
			return -1;
		}
	}
	return 0;
}

#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)

/*
 * Sets the CPUID KVM supports; *@xsave says whether it has XSAVE
 * (CPUID.1:ECX[26]), vm->x2apic and vm->tsc_deadline the LAPIC's modes. KVM
 * before 5.x reports the TSC-deadline timer only as KVM_CAP_TSC_DEADLINE_TIMER
 * (it emulates it with the in-kernel LAPIC): the bit is set from it.
 */
static int set_cpuid(struct probe_vm *vm, int vcpu_fd, bool *xsave)
{
	struct kvm_cpuid2 *cpuid = NULL;
	int nent = 64;
	long r;

	/* KVM says E2BIG until the array is large enough. */
	for (;;) {
		free(cpuid);
		cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(cpuid->entries[0]));
		if (!cpuid) {
			fprintf(stderr, "kvm-probe: out of memory\n");
			return -1;
		}
		cpuid->nent = nent;
		r = ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
		if (r == 0)
			break;
		if (errno != E2BIG || nent >= 4096) {
			fprintf(stderr, "kvm-probe: KVM_GET_SUPPORTED_CPUID failed: ret %ld, errno %d (%s)\n",
				r, errno, strerror(errno));
			free(cpuid);
			return -1;
		}
		nent *= 2;
	}
	*xsave = false;
	for (unsigned int i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function != 1)
			continue;
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0)
			e->ecx |= CPUID1_ECX_TSC_DEADLINE;
		*xsave = e->ecx & (1u << 26);
		vm->x2apic = e->ecx & CPUID1_ECX_X2APIC;
		vm->tsc_deadline = e->ecx & CPUID1_ECX_TSC_DEADLINE;
	}
	r = kvm_ioctl_ptr(vcpu_fd, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return r < 0 ? -1 : 0;
}

static void set_long_mode(struct kvm_sregs *s)
{
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = SEL_CODE64,
		.type = 0xb, .present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = SEL_DATA,
		.type = 0x3, .present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};

	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->tr = (struct kvm_segment){
		.base = GUEST_TSS, .limit = 0x67, .selector = SEL_TSS,
		.type = 0xb, .present = 1, .s = 0,
	};
	s->ldt = (struct kvm_segment){ .unusable = 1, .type = 0x2, .present = 0 };
	s->gdt = (struct kvm_dtable){ .base = GUEST_GDT, .limit = 8 * GDT_ENTRIES - 1 };
	s->idt = (struct kvm_dtable){ .base = GUEST_IDT, .limit = 256 * 16 - 1 };
	s->cr3 = GUEST_PML4;
	s->cr4 = 1u << 5;				/* PAE */
	s->efer = (1u << 8) | (1u << 10);		/* LME, LMA */
	/* PG, NE (native x87 errors, wanted by VMX), ET, MP, PE */
	s->cr0 = (1u << 31) | (1u << 5) | (1u << 4) | (1u << 1) | (1u << 0);
}

static struct kvm_segment real_seg(uint16_t sel, uint8_t type)
{
	return (struct kvm_segment){
		.base = (uint64_t)sel << 4, .limit = 0xffff, .selector = sel,
		.type = type, .present = 1, .s = 1,
	};
}

static void set_real_mode(struct kvm_sregs *s)
{
	s->cs = real_seg(0, 0xb);
	s->ds = s->ss = real_seg(0, 0x3);
	s->es = real_seg(GUEST_BUF_SEG, 0x3);
	s->fs = real_seg(GUEST_MMIO_SEG, 0x3);
	s->gs = real_seg(GUEST_IOEVENTFD_SEG, 0x3);
	s->idt = (struct kvm_dtable){ .base = 0, .limit = 0x3ff };
	s->cr0 = 1u << 4;	/* ET only: caches on, no protection */
	s->cr4 = 0;
	s->efer = 0;
}

int vm_set_entry(struct probe_vm *vm, enum probe_mode mode, uint64_t entry)
{
	struct kvm_regs regs = {
		.rip = mode == PROBE_MODE_REAL ? entry & 0xffff : entry,
		.rsp = GUEST_STACK_TOP,
		.rflags = 0x2,		/* bit 1 is reserved-one; IF off: no interrupts */
	};

	return kvm_ioctl_ptr(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0 ? -1 : 0;
}

#define CR4_OSXSAVE	(1u << 18)

/* Whether @cap is there; the reason in @why when not. */
static bool has_cap(struct probe_vm *vm, int cap, const char *name, const char *what, char *why,
		    size_t whylen)
{
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, cap) > 0)
		return true;
	snprintf(why, whylen, "this KVM lacks %s (needed for %s)", name, what);
	return false;
}
#define HAS_CAP(vm, cap, what, why, len) has_cap(vm, cap, #cap, what, why, len)

/* The MSR filter: MSR_TSC_ADJUST's reads or writes exit to user space, every other MSR stays. */
static int set_msr_filter(struct probe_vm *vm, unsigned int needs, char *why, size_t whylen)
{
	uint8_t deny = 0;	/* one MSR, its bit 0: denied */
	struct kvm_msr_filter filter = {
		.flags = KVM_MSR_FILTER_DEFAULT_ALLOW,
		.ranges[0] = {
			.flags = needs & NEED_MSR_FILTER_READ ? KVM_MSR_FILTER_READ
							      : KVM_MSR_FILTER_WRITE,
			.nmsrs = 1,
			.base = MSR_TSC_ADJUST,
			.bitmap = &deny,
		},
	};
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR,
		.args[0] = KVM_MSR_EXIT_REASON_FILTER,
	};

	if (!HAS_CAP(vm, KVM_CAP_X86_USER_SPACE_MSR, "MSR exits to user space", why, whylen) ||
	    !HAS_CAP(vm, KVM_CAP_X86_MSR_FILTER, "the MSR filter", why, whylen))
		return VM_REFUSED;
	if (kvm_ioctl_ptr(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0 ||
	    kvm_ioctl_ptr(vm->vm_fd, KVM_X86_SET_MSR_FILTER, &filter) < 0)
		return -1;
	return 0;
}

/* An eventfd bound to the ioeventfd kinds' port or address. */
static int set_ioeventfd(struct probe_vm *vm, unsigned int needs, char *why, size_t whylen)
{
	bool pio = needs & NEED_IOEVENTFD_PIO;
	struct kvm_ioeventfd io = {
		/* length 0 puts an MMIO binding on KVM's fast MMIO bus too */
		.addr = pio ? PORT_IOEVENTFD : GUEST_IOEVENTFD_MMIO,
		.len = pio ? 1 : 0,
		.flags = pio ? KVM_IOEVENTFD_FLAG_PIO : 0,
	};

	if (!HAS_CAP(vm, KVM_CAP_IOEVENTFD, "ioeventfd", why, whylen) ||
	    (!pio && !HAS_CAP(vm, KVM_CAP_IOEVENTFD_ANY_LENGTH, "the fast MMIO bus", why,
			      whylen)))
		return VM_REFUSED;
	vm->eventfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vm->eventfd < 0) {
		fprintf(stderr, "kvm-probe: eventfd: %s\n", strerror(errno));
		return -1;
	}
	io.fd = vm->eventfd;
	return kvm_ioctl_ptr(vm->vm_fd, KVM_IOEVENTFD, &io) < 0 ? -1 : 0;
}

/*
 * irqfd kinds: an eventfd bound by KVM_IRQFD to GSI_IRQFD, routed as an MSI
 * (edge, fixed, physical) to vector IRQ_VECTOR of APIC ID 0: one vector, no
 * IOAPIC pin, redirection entry or level-triggered EOI in the path. The
 * routing table is replaced by this one entry; nothing else here uses GSIs.
 */
#define GSI_IRQFD	24

static int set_irqfd(struct probe_vm *vm, char *why, size_t whylen)
{
	struct {
		struct kvm_irq_routing table;
		struct kvm_irq_routing_entry entry;
	} routing = {
		.table = { .nr = 1 },
		.entry = {
			.gsi = GSI_IRQFD,
			.type = KVM_IRQ_ROUTING_MSI,
			.u.msi = {
				.address_lo = GUEST_LAPIC,	/* destination APIC ID 0 */
				.data = IRQ_VECTOR,		/* fixed, edge */
			},
		},
	};
	struct kvm_irqfd irqfd = { .gsi = GSI_IRQFD };

	if (!HAS_CAP(vm, KVM_CAP_IRQFD, "KVM_IRQFD", why, whylen) ||
	    !HAS_CAP(vm, KVM_CAP_IRQ_ROUTING, "an MSI route for the irqfd", why, whylen))
		return VM_REFUSED;
	vm->irqfd = eventfd(0, EFD_CLOEXEC);
	if (vm->irqfd < 0) {
		fprintf(stderr, "kvm-probe: eventfd: %s\n", strerror(errno));
		return -1;
	}
	irqfd.fd = (uint32_t)vm->irqfd;
	if (kvm_ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, &routing) < 0 ||
	    kvm_ioctl_ptr(vm->vm_fd, KVM_IRQFD, &irqfd) < 0)
		return -1;
	return 0;
}

/*
 * The ept-fault slot: anonymous memory in 4 KiB pages (no transparent huge
 * page, which KVM would map whole), at GUEST_FAULT_BASE.
 */
static int set_fault_slot(struct probe_vm *vm)
{
	struct kvm_userspace_memory_region region = {
		.slot = 1,
		.guest_phys_addr = GUEST_FAULT_BASE,
		.memory_size = GUEST_FAULT_SIZE,
	};

	vm->fault_mem = mmap(NULL, GUEST_FAULT_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->fault_mem == MAP_FAILED) {
		vm->fault_mem = NULL;
		fprintf(stderr, "kvm-probe: the fault slot's memory: %s\n", strerror(errno));
		return -1;
	}
	if (madvise(vm->fault_mem, GUEST_FAULT_SIZE, MADV_NOHUGEPAGE) && errno != EINVAL) {
		fprintf(stderr, "kvm-probe: madvise(MADV_NOHUGEPAGE): %s\n", strerror(errno));
		return -1;
	}
	region.userspace_addr = (uintptr_t)vm->fault_mem;
	return kvm_ioctl_ptr(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -1 : 0;
}

int vm_fault_slot_empty(struct probe_vm *vm)
{
	/* KVM's MMU notifier zaps the slot's mappings along with the pages. */
	if (madvise(vm->fault_mem, GUEST_FAULT_SIZE, MADV_DONTNEED)) {
		fprintf(stderr, "kvm-probe: madvise(MADV_DONTNEED) of the fault slot: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* What a kind needs of the VM before its vCPU exists. */
static int set_vm_needs(struct probe_vm *vm, unsigned int needs, char *why, size_t whylen)
{
	int r = 0;

	if (needs & NEED_IRQCHIP) {
		if (!HAS_CAP(vm, KVM_CAP_IRQCHIP, "the in-kernel PIC and LAPIC", why, whylen))
			return VM_REFUSED;
		if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0)) {
			snprintf(why, whylen, "KVM_CREATE_IRQCHIP failed: %s: no in-kernel PIC "
				 "and LAPIC here", strerror(errno));
			return VM_REFUSED;
		}
	}
	if (needs & (NEED_MSR_FILTER_READ | NEED_MSR_FILTER_WRITE))
		r = set_msr_filter(vm, needs, why, whylen);
	if (!r && needs & (NEED_IOEVENTFD_PIO | NEED_IOEVENTFD_MMIO))
		r = set_ioeventfd(vm, needs, why, whylen);
	if (!r && needs & NEED_FAULT_SLOT)
		r = set_fault_slot(vm);
	if (!r && needs & NEED_IRQFD)
		r = set_irqfd(vm, why, whylen);
	return r;
}

int vm_create(struct probe_vm *vm, const char *dev, const struct probe_backend *b,
	      enum probe_mode mode, uint64_t entry, unsigned int needs, char *why,
	      size_t whylen)
{
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	bool xsave;
	long r;

	*vm = (struct probe_vm)PROBE_VM_INIT;
	vm->kvm_fd = vm_open_dev(dev);
	if (vm->kvm_fd < 0)
		return -1;
	r = kvm_ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (r < 0)
		goto err;
	if (r != KVM_API_VERSION_EXPECTED) {
		fprintf(stderr, "kvm-probe: KVM_GET_API_VERSION is %ld, expected %d\n", r,
			KVM_API_VERSION_EXPECTED);
		goto err;
	}
	if (check_caps(vm->kvm_fd))
		goto err;
	vm->has_immediate_exit = true;
	r = kvm_ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (r < 0)
		goto err;
	vm->vm_fd = (int)r;
	/*
	 * VMX without unrestricted guest runs real mode in vm86 and needs this
	 * TSS; kvm_amd and kvm_pvm do not, and may refuse it.
	 */
	if (b->vendor == VENDOR_INTEL && strstr(b->name, "kvm_intel") &&
	    kvm_ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
	    kvm_ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR) < 0)
		goto err;

	vm->mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		fprintf(stderr, "kvm-probe: guest memory: %s\n", strerror(errno));
		goto err;
	}
	vm_load_guest(vm->mem, mode);
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = GUEST_MEM_SIZE,
		.userspace_addr = (uintptr_t)vm->mem,
	};
	if (kvm_ioctl_ptr(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		goto err;
	r = set_vm_needs(vm, needs, why, whylen);
	if (r)
		goto fail;

	r = kvm_ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (r < 0)
		goto err;
	vm->vcpu_fd = (int)r;
	r = kvm_ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (r < 0)
		goto err;
	if ((size_t)r < sizeof(struct kvm_run)) {
		fprintf(stderr, "kvm-probe: KVM_GET_VCPU_MMAP_SIZE is %ld, below struct kvm_run\n", r);
		goto err;
	}
	vm->run_size = (size_t)r;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		fprintf(stderr, "kvm-probe: mmap of the vCPU's run area: %s\n", strerror(errno));
		goto err;
	}
	if (set_cpuid(vm, vm->vcpu_fd, &xsave))
		goto err;
	if (kvm_ioctl_ptr(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		goto err;
	if (mode == PROBE_MODE_REAL)
		set_real_mode(&sregs);
	else
		set_long_mode(&sregs);
	if (needs & NEED_OSXSAVE) {
		if (!xsave) {
			snprintf(why, whylen, "the guest CPU KVM offers has no XSAVE "
				 "(CPUID.1:ECX[26]), so CR4.OSXSAVE cannot be set");
			r = VM_REFUSED;
			goto fail;
		}
		sregs.cr4 |= CR4_OSXSAVE;
	}
	if (kvm_ioctl_ptr(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		goto err;
	/* cr0-write, cr4-write flip the guest's copies of what was loaded */
	memcpy(vm->mem + GUEST_MAILBOX + MB_CR0, &sregs.cr0, sizeof(sregs.cr0));
	memcpy(vm->mem + GUEST_MAILBOX + MB_CR4, &sregs.cr4, sizeof(sregs.cr4));
	if (vm_set_entry(vm, mode, entry))
		goto err;
	vm->mem[GUEST_MAILBOX + MB_X2APIC] = vm->x2apic;

	if (kvm_ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) > 0) {
		r = kvm_ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
		if (r < 0)
			goto err;
		vm->tsc_khz = (uint64_t)r;
	}
	if (kvm_ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) > 0) {
		r = kvm_ioctl(vm->vcpu_fd, KVM_GET_STATS_FD, 0);
		if (r < 0)
			goto err;
		vm->stats_fd = (int)r;
	}
	return 0;
err:
	r = -1;
fail:
	vm_destroy(vm);
	return (int)r;
}

int vm_add_vcpu1(struct probe_vm *vm, uint64_t entry)
{
	struct kvm_mp_state runnable = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_regs regs = { .rip = entry, .rsp = GUEST_STACK1_TOP, .rflags = 0x2 };
	struct kvm_sregs sregs;
	bool xsave;
	long r;

	r = kvm_ioctl(vm->vm_fd, KVM_CREATE_VCPU, 1);
	if (r < 0)
		return -1;
	vm->vcpu1_fd = (int)r;
	vm->run1 = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu1_fd, 0);
	if (vm->run1 == MAP_FAILED) {
		vm->run1 = NULL;
		fprintf(stderr, "kvm-probe: mmap of vCPU 1's run area: %s\n", strerror(errno));
		return -1;
	}
	if (set_cpuid(vm, vm->vcpu1_fd, &xsave) ||
	    kvm_ioctl_ptr(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	sregs.apic_base &= ~(1ULL << 8);	/* not the BSP */
	if (kvm_ioctl_ptr(vm->vcpu1_fd, KVM_SET_SREGS, &sregs) < 0 ||
	    kvm_ioctl_ptr(vm->vcpu1_fd, KVM_SET_REGS, &regs) < 0 ||
	    kvm_ioctl_ptr(vm->vcpu1_fd, KVM_SET_MP_STATE, &runnable) < 0)
		return -1;
	if (vm->stats_fd >= 0) {
		r = kvm_ioctl(vm->vcpu1_fd, KVM_GET_STATS_FD, 0);
		if (r < 0)
			return -1;
		vm->stats1_fd = (int)r;
	}
	return 0;
}

void vm_destroy(struct probe_vm *vm)
{
	if (vm->stats1_fd >= 0)
		close(vm->stats1_fd);
	if (vm->run1)
		munmap(vm->run1, vm->run_size);
	if (vm->vcpu1_fd >= 0)
		close(vm->vcpu1_fd);
	if (vm->stats_fd >= 0)
		close(vm->stats_fd);
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->mem)
		munmap(vm->mem, GUEST_MEM_SIZE);
	if (vm->fault_mem)
		munmap(vm->fault_mem, GUEST_FAULT_SIZE);
	if (vm->eventfd >= 0)
		close(vm->eventfd);
	if (vm->irqfd >= 0)
		close(vm->irqfd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	*vm = (struct probe_vm)PROBE_VM_INIT;
}

int vm_tsc_offset(struct probe_vm *vm, int vcpu_fd, int64_t *offset)
{
	struct kvm_device_attr attr = {
		.group = KVM_VCPU_TSC_CTRL,
		.attr = KVM_VCPU_TSC_OFFSET,
		.addr = (uintptr_t)offset,
	};

	(void)vm;
	if (ioctl(vcpu_fd, KVM_HAS_DEVICE_ATTR, &attr))
		return -1;
	return kvm_ioctl_ptr(vcpu_fd, KVM_GET_DEVICE_ATTR, &attr) < 0 ? -1 : 0;
}

uint64_t vm_default_tsc_khz(struct probe_vm *vm)
{
	long r;

	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TSC_CONTROL) <= 0)
		return 0;
	r = ioctl(vm->vm_fd, KVM_GET_TSC_KHZ, 0);
	return r > 0 ? (uint64_t)r : 0;
}
