# exitlat.ko (module/kernel, kbuild) and its front end exitlat-native.
#
#   make module                 exitlat.ko against $(KDIR), or one line saying why not
#   make module-for KDIR=<kbuild tree> KMOD_OUT=<dir>
#                               the same in a per-kernel copy under $(B), for the rig
#   make check-insns            proves no privileged instruction was compiled away
#   make sign KEY=<key> CERT=<cert>
#                               signs $(B)/exitlat.ko for a kernel that loads only
#                               signed modules (Secure Boot lockdown, sig_enforce)

MODULE_TARGET := module
MODULE_KSRCS := $(wildcard module/kernel/*.c module/kernel/*.h module/kernel/*.S) \
		module/kernel/Kbuild $(wildcard include/exitlat/*.h)
# The pure logic the module and the unit tests share.
MODULE_PURE := module/kernel/vmx_controls.c module/kernel/segments.c \
	       module/kernel/svm_intercepts.c module/kernel/args.c module/kernel/names.c \
	       module/kernel/host_state.c module/kernel/vmcs_build.c module/kernel/vmx_checks.c \
	       module/kernel/vmcb_build.c module/kernel/svm_checks.c \
	       module/kernel/exit_action.c module/kernel/firmware.c module/kernel/msr_bitmap.c
MODULE_PURE_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(MODULE_PURE))

NATIVE_OBJS := $(B)/obj/module/exitlat-native.o $(B)/obj/module/cli.o \
	       $(B)/obj/module/kernel/names.o
PROGRAMS += $(B)/exitlat-native
STATIC_PROGRAMS += $(B)/static/exitlat-native

$(B)/exitlat-native: $(NATIVE_OBJS) $(LIBEXITLAT)
	$(LINK)
# The rig's bad-ioctl check (tests/e2e/guest.d/30-module.sh): guests only.
STATIC_PROGRAMS += $(B)/static/exitlat-ioctl-check
$(B)/static/exitlat-ioctl-check: $(B)/obj/module/exitlat-ioctl-check.o
	$(LINK_STATIC)
$(B)/static/exitlat-native: $(NATIVE_OBJS) $(LIBEXITLAT)
	$(LINK_STATIC)

UNIT_TESTS += $(B)/tests/test_vmx_controls $(B)/tests/test_vmx_segments \
	      $(B)/tests/test_svm_intercepts $(B)/tests/test_ioctl_args \
	      $(B)/tests/test_native_cli $(B)/tests/test_vmcs_build $(B)/tests/test_vmx_checks \
	      $(B)/tests/test_svm_checks $(B)/tests/test_exit_action $(B)/tests/test_firmware \
	      $(B)/tests/test_native_kinds $(B)/tests/test_native_kind_config
# The CPUs' capability MSRs and the Debian hosts' state (tests/data/), for the VMX/SVM tests.
UNIT_FIXTURES := $(B)/obj/tests/unit/fixtures.o
VMCS_OBJS := $(addprefix $(B)/obj/module/kernel/,vmx_controls.o segments.o host_state.o \
	     vmcs_build.o)
$(B)/tests/test_vmx_controls: $(B)/obj/module/kernel/vmx_controls.o $(UNIT_FIXTURES)
$(B)/tests/test_vmcs_build: $(VMCS_OBJS) $(UNIT_FIXTURES)
$(B)/tests/test_vmx_checks: $(VMCS_OBJS) $(B)/obj/module/kernel/vmx_checks.o $(UNIT_FIXTURES)
$(B)/tests/test_svm_checks: $(addprefix $(B)/obj/module/kernel/,segments.o host_state.o \
			    svm_intercepts.o vmcb_build.o svm_checks.o) $(UNIT_FIXTURES)
$(B)/tests/test_vmx_segments: $(B)/obj/module/kernel/segments.o
$(B)/tests/test_svm_intercepts: $(B)/obj/module/kernel/svm_intercepts.o
$(B)/tests/test_ioctl_args: $(B)/obj/module/kernel/args.o
$(B)/tests/test_native_cli: $(B)/obj/module/cli.o
$(B)/tests/test_exit_action: $(B)/obj/module/kernel/exit_action.o
$(B)/tests/test_firmware: $(B)/obj/module/kernel/firmware.o
$(B)/tests/test_native_kind_config: $(addprefix $(B)/obj/module/kernel/,vmx_controls.o \
				    svm_intercepts.o msr_bitmap.o) $(UNIT_FIXTURES)
$(B)/tests/test_native_kinds: $(addprefix $(B)/obj/module/kernel/,vmx_controls.o \
			      svm_intercepts.o) $(UNIT_FIXTURES)

# A per-kernel copy: kbuild writes its objects beside the sources.
KMOD_NAME = $(notdir $(patsubst %/,%,$(KDIR)))
KMOD_TREE = $(B)/kmod/$(KMOD_NAME)

.PHONY: module module-for check-insns sign
module:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) --no-print-directory B=$(B) KDIR=$(KDIR) KMOD_OUT=$(B) module-for; \
	else \
		echo "module: skipped: no kernel build tree at $(KDIR) (set KDIR=, e.g. KDIR=\$$(scripts/fetch-kernels --print 6.1 kdir))"; \
	fi

module-for: $(MODULE_KSRCS)
	@test -f "$(KDIR)/Makefile" || { echo "module-for: KDIR=$(KDIR) is not a kbuild tree" >&2; exit 1; }
	@test -n "$(KMOD_OUT)" || { echo "module-for: KMOD_OUT= names where exitlat.ko goes" >&2; exit 1; }
	@mkdir -p $(KMOD_TREE)
	# -p: unchanged sources keep their times, so kbuild does not rebuild (and unsign) the module
	cp -r -p --parents module/kernel include/exitlat $(KMOD_TREE)/
	$(MAKE) -C $(KDIR) M=$(abspath $(KMOD_TREE))/module/kernel modules
	@mkdir -p $(KMOD_OUT)
	cp $(KMOD_TREE)/module/kernel/exitlat.ko $(KMOD_OUT)/exitlat.ko

check-insns:
	B=$(B) scripts/check-insns

# With the kernel tree's sign-file; the certificate must be enrolled (mokutil
# --import CERT). `make module` builds an unsigned exitlat.ko again, so sign
# after the last build: scripts/run signs by itself (SIGN_KEY, SIGN_CERT or
# DKMS's key; docs/first-run.md).
sign:
	@test -n "$(KEY)" && test -n "$(CERT)" || { echo "sign: usage: make sign KEY=PRIVATE_KEY CERT=CERTIFICATE (DKMS's: KEY=/var/lib/dkms/mok.key CERT=/var/lib/dkms/mok.pub)" >&2; exit 2; }
	@test -f "$(B)/exitlat.ko" || { echo "sign: $(B)/exitlat.ko is not built (make module)" >&2; exit 1; }
	@test -x "$(KDIR)/scripts/sign-file" || { echo "sign: no $(KDIR)/scripts/sign-file: it comes with the kernel's build tree (linux-headers-$$(uname -r)); KDIR= names another" >&2; exit 1; }
	@! tail -c 28 "$(B)/exitlat.ko" | grep -q '~Module signature appended~' || { echo "sign: $(B)/exitlat.ko is signed already (make module builds it unsigned)" >&2; exit 1; }
	"$(KDIR)/scripts/sign-file" sha256 "$(KEY)" "$(CERT)" "$(B)/exitlat.ko"
	@echo "sign: $(B)/exitlat.ko signed with $(CERT)"

CLEAN_EXTRA +=
