# tests/e2e: the emulator rig's own guest programs (scripts/emu-run puts every
# static program into the guest). The rig itself is scripts/emu-run and
# scripts/test-e2e; see docs/emulator-rig.md.
STATIC_PROGRAMS += $(B)/static/kvm-smoke

$(B)/static/kvm-smoke: $(B)/obj/tests/e2e/kvm-smoke.o
	$(LINK_STATIC)
# The module's host-state guard (tests/e2e/guest.d/30-module.sh).
STATIC_PROGRAMS += $(B)/static/host-state-check
$(B)/static/host-state-check: $(B)/obj/tests/e2e/host-state-check.o $(LIBEXITLAT)
	$(LINK_STATIC)

# foreign_hv.ko: a stand-in for a non-KVM hypervisor (tests/e2e/foreign-hv),
# built beside exitlat.ko for each guest kernel by the rig.
.PHONY: test-modules-for
test-modules-for: $(wildcard tests/e2e/foreign-hv/*)
	@test -f "$(KDIR)/Makefile" || { echo "test-modules-for: KDIR=$(KDIR) is not a kbuild tree" >&2; exit 1; }
	@mkdir -p $(KMOD_TREE)/tests/e2e $(KMOD_OUT)
	cp -r tests/e2e/foreign-hv $(KMOD_TREE)/tests/e2e/
	$(MAKE) -C $(KDIR) M=$(abspath $(KMOD_TREE))/tests/e2e/foreign-hv modules
	cp $(KMOD_TREE)/tests/e2e/foreign-hv/foreign_hv.ko $(KMOD_OUT)/foreign_hv.ko
