# exitlat: top-level build. Each part adds its programs and tests through its
# own fragment (*/NAME.mk); see docs/development.md for the conventions.
#
#   make              user-space programs, and the module when a kernel tree exists
#   make test         install what is needed, then every test (unit, insns, e2e)
#   make test-unit    the Criterion unit tests only (under a minute)
#   make run          the main job: measure, analyse, plot, report (RUN_ARGS="--quick" etc.)
#   make install      PREFIX=/usr/local DESTDIR=

.DEFAULT_GOAL := all
SHELL := /bin/bash

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/exitlat
DESTDIR ?=
KDIR ?= /lib/modules/$(shell uname -r)/build
# Build folder; a separate one per checkout or helper keeps builds apart.
B ?= build

CFLAGS ?= -O2 -g
EXITLAT_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude $(CFLAGS)
EXITLAT_LDLIBS := -lm

PROGRAMS :=
STATIC_PROGRAMS :=
UNIT_TESTS :=
CLEAN_EXTRA :=
INSTALL_SCRIPTS :=

include lib/lib.mk
include $(filter-out lib/lib.mk,$(sort $(wildcard */*.mk tests/*/*.mk)))

.PHONY: all static test test-unit test-e2e run install uninstall clean deps
all: $(PROGRAMS) $(MODULE_TARGET)
static: $(STATIC_PROGRAMS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(EXITLAT_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(EXITLAT_CFLAGS) -MMD -MP -c -o $@ $<

# Programs link their objects, then the library; static twins go into the
# emulator guests, which have no libc.
LINK = @mkdir -p $(@D) && $(CC) $(EXITLAT_CFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(EXITLAT_LDLIBS)
LINK_STATIC = @mkdir -p $(@D) && $(CC) $(EXITLAT_CFLAGS) -static -o $@ $(filter %.o,$^) $(filter %.a,$^) $(EXITLAT_LDLIBS)

# Unit tests: tests/unit/test_NAME.c -> $(B)/tests/test_NAME, linked with the
# library and whatever objects a fragment adds as prerequisites.
$(B)/tests/test_%: $(B)/obj/tests/unit/test_%.o $(LIBEXITLAT)
	@mkdir -p $(@D)
	$(CC) $(EXITLAT_CFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) -lcriterion $(EXITLAT_LDLIBS)

deps:
	scripts/install-deps

test-unit: $(UNIT_TESTS)
	scripts/run-unit-tests $(UNIT_TESTS)

test-e2e:
	scripts/test-e2e

test:
	scripts/test-all

run:
	B=$(B) scripts/run $(RUN_ARGS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	$(if $(INSTALL_SCRIPTS),cp -r --parents $(INSTALL_SCRIPTS) $(DESTDIR)$(DATADIR)/)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(PROGRAMS)))
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(B) $(CLEAN_EXTRA)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
