# Packaging for lab machines (issue 7): the nightly's systemd units, DKMS
# for exitlat.ko, the example settings. `make install` installs the units
# and never enables them; `make install-dkms` registers the module with DKMS.
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
EXITLAT_PKG_VERSION = $(shell sed -n 's/.*EXITLAT_VERSION "\(.*\)"/\1/p' include/exitlat/version.h)
DKMS_SRC = $(DESTDIR)/usr/src/exitlat-$(EXITLAT_PKG_VERSION)

.PHONY: install-nightly install-dkms uninstall-nightly
install: install-nightly
uninstall: uninstall-nightly

# The units run the nightly from this tree (where `make install` ran).
install-nightly:
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR) $(DESTDIR)$(SYSCONFDIR)/exitlat
	sed -e 's|@TOP@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' \
		packaging/systemd/exitlat-nightly.service.in >$(DESTDIR)$(SYSTEMD_UNITDIR)/exitlat-nightly.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/exitlat-nightly.service
	install -m 0644 packaging/systemd/exitlat-nightly.timer $(DESTDIR)$(SYSTEMD_UNITDIR)/
	install -m 0644 packaging/nightly.conf.example $(DESTDIR)$(SYSCONFDIR)/exitlat/nightly.conf.example
	@echo "installed exitlat-nightly.service and .timer (not enabled): systemctl enable --now exitlat-nightly.timer"

uninstall-nightly:
	rm -f $(DESTDIR)$(SYSTEMD_UNITDIR)/exitlat-nightly.service \
	      $(DESTDIR)$(SYSTEMD_UNITDIR)/exitlat-nightly.timer \
	      $(DESTDIR)$(SYSCONFDIR)/exitlat/nightly.conf.example

# Sources into /usr/src/exitlat-VERSION (relative paths kept), then DKMS
# builds and installs the module for every installed kernel with headers.
install-dkms:
	install -d $(DKMS_SRC)/module/kernel $(DKMS_SRC)/include/exitlat
	install -m 0644 module/kernel/Kbuild $(wildcard module/kernel/*.[chS]) $(DKMS_SRC)/module/kernel/
	install -m 0644 include/exitlat/*.h $(DKMS_SRC)/include/exitlat/
	sed 's|@VERSION@|$(EXITLAT_PKG_VERSION)|g' packaging/dkms/dkms.conf.in >$(DKMS_SRC)/dkms.conf
	@if [ -z "$(DESTDIR)" ]; then \
		command -v dkms >/dev/null || { echo "install-dkms: dkms is not installed (apt-get install dkms)" >&2; exit 1; }; \
		dkms add exitlat/$(EXITLAT_PKG_VERSION) 2>/dev/null || true; \
		dkms autoinstall; \
	else \
		echo "install-dkms: sources staged in $(DKMS_SRC); run dkms add/autoinstall on the target"; \
	fi
