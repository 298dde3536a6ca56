// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-smoke: the smallest end-to-end check that /dev/kvm runs a guest. A
 * real-mode guest writes one byte to an I/O port and halts; we expect exactly
 * KVM_EXIT_IO (port, direction, size, data checked) and then KVM_EXIT_HLT.
 * The measuring probe lives in kvm-probe/; this program only says whether the
 * stack under it works, so the emulator rig can tell the two failures apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_PHYS	0x1000
#define GUEST_MEM_SIZE	0x1000
#define SMOKE_PORT	0x10
#define SMOKE_BYTE	0x42
/* Intel needs three pages for the real-mode TSS; this is where QEMU puts them. */
#define TSS_ADDR	0xfffbd000UL

/* Real mode at GUEST_PHYS: mov al, SMOKE_BYTE; out SMOKE_PORT, al; hlt. */
static const uint8_t guest_code[] = { 0xb0, SMOKE_BYTE, 0xe6, SMOKE_PORT, 0xf4 };

static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN]	  = "UNKNOWN",
	[KVM_EXIT_EXCEPTION]	  = "EXCEPTION",
	[KVM_EXIT_IO]		  = "IO",
	[KVM_EXIT_HYPERCALL]	  = "HYPERCALL",
	[KVM_EXIT_DEBUG]	  = "DEBUG",
	[KVM_EXIT_HLT]		  = "HLT",
	[KVM_EXIT_MMIO]		  = "MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN]	  = "SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY]	  = "FAIL_ENTRY",
	[KVM_EXIT_INTR]		  = "INTR",
	[KVM_EXIT_SET_TPR]	  = "SET_TPR",
	[KVM_EXIT_TPR_ACCESS]	  = "TPR_ACCESS",
	[KVM_EXIT_S390_SIEIC]	  = "S390_SIEIC",
	[KVM_EXIT_S390_RESET]	  = "S390_RESET",
	[KVM_EXIT_DCR]		  = "DCR",
	[KVM_EXIT_NMI]		  = "NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
};

static const char *exit_name(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("kvm-smoke: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Checked ioctl: a failure names the command, the result and errno. */
#define kvm_ioctl(fd, cmd, arg)                                                   \
	({                                                                        \
		int __r = ioctl(fd, cmd, arg);                                    \
		if (__r < 0)                                                      \
			fail(#cmd " failed: %d (%s)", __r, strerror(errno));      \
		__r;                                                              \
	})

static int open_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		fail("open /dev/kvm failed: %s (KVM not loaded, or no VMX/SVM)", strerror(errno));
	if (errno == EACCES)
		fail("open /dev/kvm failed: %s (not in the kvm group?)", strerror(errno));
	fail("open /dev/kvm failed: %s", strerror(errno));
	return -1;
}

static void run_once(int vcpu)
{
	int r;

	do
		r = ioctl(vcpu, KVM_RUN, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		fail("KVM_RUN failed: %d (%s)", r, strerror(errno));
}

int main(void)
{
	int kvm, vm, vcpu, api, mmap_size;
	struct kvm_sregs sregs;
	struct kvm_run *run;
	uint8_t *mem, data;

	kvm = open_kvm();
	api = kvm_ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		fail("KVM_GET_API_VERSION is %d, expected %d", api, KVM_API_VERSION);
	vm = kvm_ioctl(kvm, KVM_CREATE_VM, 0);
	/* Only VMX needs the TSS pages; KVM says so through the capability. */
	if (kvm_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0)
		kvm_ioctl(vm, KVM_SET_TSS_ADDR, TSS_ADDR);

	mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		fail("mmap of guest memory failed: %s", strerror(errno));
	memcpy(mem, guest_code, sizeof(guest_code));
	kvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &((struct kvm_userspace_memory_region){
		.slot		 = 0,
		.guest_phys_addr = GUEST_PHYS,
		.memory_size	 = GUEST_MEM_SIZE,
		.userspace_addr	 = (uintptr_t)mem,
	}));

	vcpu = kvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	mmap_size = kvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if ((size_t)mmap_size < sizeof(*run))
		fail("KVM_GET_VCPU_MMAP_SIZE is %d, smaller than struct kvm_run", mmap_size);
	run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		fail("mmap of the vCPU run area failed: %s", strerror(errno));

	kvm_ioctl(vcpu, KVM_GET_SREGS, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	kvm_ioctl(vcpu, KVM_SET_SREGS, &sregs);
	kvm_ioctl(vcpu, KVM_SET_REGS, &((struct kvm_regs){
		.rip	= GUEST_PHYS,
		.rflags = 0x2, /* bit 1 is reserved and must be set */
	}));

	run_once(vcpu);
	if (run->exit_reason != KVM_EXIT_IO)
		fail("first exit: expected IO, got %s (%u)", exit_name(run->exit_reason),
		     run->exit_reason);
	data = *((uint8_t *)run + run->io.data_offset);
	if (run->io.port != SMOKE_PORT || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.size != 1 || run->io.count != 1 || data != SMOKE_BYTE)
		fail("IO exit: expected OUT port 0x%x size 1 count 1 data 0x%x, got %s port 0x%x size %u count %u data 0x%x",
		     SMOKE_PORT, SMOKE_BYTE, run->io.direction == KVM_EXIT_IO_OUT ? "OUT" : "IN",
		     run->io.port, run->io.size, run->io.count, data);
	printf("kvm-smoke: API %d, exit IO: OUT port 0x%x size %u data 0x%x\n", api,
	       run->io.port, run->io.size, data);

	run_once(vcpu);
	if (run->exit_reason != KVM_EXIT_HLT)
		fail("second exit: expected HLT, got %s (%u)", exit_name(run->exit_reason),
		     run->exit_reason);
	printf("kvm-smoke: exit HLT: guest ran to its end\n");

	munmap(run, mmap_size);
	munmap(mem, GUEST_MEM_SIZE);
	close(vcpu);
	close(vm);
	close(kvm);
	return 0;
}
