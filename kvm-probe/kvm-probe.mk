# kvm-probe: the raw /dev/kvm probe (issue 4). One object per idea; the
# guest is assembly (guest.S), copied into guest memory at run time.
KVM_PROBE_LIB_SRCS := kvm-probe/cli.c kvm-probe/layout.c kvm-probe/stats.c \
		      kvm-probe/backend.c kvm-probe/output.c kvm-probe/segments.c \
		      kvm-probe/trace_parse.c kvm-probe/irq.c
KVM_PROBE_SRCS := $(KVM_PROBE_LIB_SRCS) kvm-probe/vm.c kvm-probe/kinds.c kvm-probe/measure.c kvm-probe/measure_irq.c \
		  kvm-probe/trace.c kvm-probe/breakdown.c kvm-probe/main.c kvm-probe/guest.S
KVM_PROBE_OBJS := $(patsubst %.S,$(B)/obj/%.o,$(patsubst %.c,$(B)/obj/%.o,$(KVM_PROBE_SRCS)))
KVM_PROBE_LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(KVM_PROBE_LIB_SRCS))

PROGRAMS += $(B)/kvm-probe
STATIC_PROGRAMS += $(B)/static/kvm-probe
UNIT_TESTS += $(B)/tests/test_probe_cli $(B)/tests/test_probe_layout \
	      $(B)/tests/test_probe_stats $(B)/tests/test_probe_output \
	      $(B)/tests/test_probe_segments $(B)/tests/test_probe_trace \
	      $(B)/tests/test_probe_kinds $(B)/tests/test_probe_irq

$(B)/kvm-probe: $(KVM_PROBE_OBJS) $(LIBEXITLAT)
	$(LINK)

$(B)/static/kvm-probe: $(KVM_PROBE_OBJS) $(LIBEXITLAT)
	$(LINK_STATIC)

$(B)/tests/test_probe_cli: $(B)/obj/kvm-probe/cli.o
$(B)/tests/test_probe_layout: $(B)/obj/kvm-probe/layout.o $(B)/obj/kvm-probe/vm.o \
			      $(B)/obj/kvm-probe/kinds.o $(B)/obj/kvm-probe/guest.o
$(B)/tests/test_probe_kinds: $(B)/obj/kvm-probe/kinds.o $(B)/obj/kvm-probe/guest.o \
			     $(B)/obj/kvm-probe/backend.o
$(B)/tests/test_probe_stats: $(B)/obj/kvm-probe/stats.o
$(B)/tests/test_probe_irq: $(B)/obj/kvm-probe/irq.o
$(B)/tests/test_probe_output: $(B)/obj/kvm-probe/output.o $(B)/obj/kvm-probe/backend.o \
			      $(B)/obj/kvm-probe/cli.o $(B)/obj/kvm-probe/kinds.o \
			      $(B)/obj/kvm-probe/guest.o
$(B)/tests/test_probe_segments: $(B)/obj/kvm-probe/segments.o
$(B)/tests/test_probe_trace: $(B)/obj/kvm-probe/trace_parse.o $(B)/obj/kvm-probe/segments.o

# Test sources include the probe's private headers.
$(B)/obj/tests/unit/test_probe_%.o: EXITLAT_CFLAGS += -Ikvm-probe
