# tests/e2e: the emulator rig's own guest programs (scripts/emu-run puts every
# static program into the guest). The rig itself is scripts/emu-run and
# scripts/test-e2e; see docs/emulator-rig.md.
STATIC_PROGRAMS += $(B)/static/kvm-smoke

$(B)/static/kvm-smoke: $(B)/obj/tests/e2e/kvm-smoke.o
	$(LINK_STATIC)
