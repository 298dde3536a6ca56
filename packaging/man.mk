# Man pages, bash completion and render-plots on PATH, for `make install`.
# (Included after every fragment that adds to PROGRAMS: packaging/ sorts late.)
# The pages are made from each program's own --help and --version by
# help2man (man/NAME.h2m adds the NAME line and SEE ALSO), so they cannot
# drift from the programs; `make man-check` runs them through man --warnings.
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
MAN_PROGRAMS := $(notdir $(PROGRAMS)) render-plots
MAN_PAGES := $(patsubst %,$(B)/man/%.1,$(MAN_PROGRAMS))
# scripts/lib/common.sh reads the version there (render-plots --version).
INSTALL_SCRIPTS += include/exitlat/version.h

.PHONY: man man-check install-man install-completion install-render-plots
man: $(MAN_PAGES)

HELP2MAN = @mkdir -p $(@D) && command -v help2man >/dev/null || \
	{ echo "man pages: help2man is not installed (scripts/install-deps)" >&2; exit 1; }; \
	help2man --no-info --section=1 --manual="exitlat" --source="exitlat" \
		--include=$(word 2,$^) --output=$@.tmp $< && mv $@.tmp $@

$(B)/man/%.1: $(B)/% man/%.h2m
	$(HELP2MAN)
$(B)/man/render-plots.1: scripts/render-plots man/render-plots.h2m scripts/lib/common.sh
	$(HELP2MAN)

man-check: $(MAN_PAGES)
	@for p in $^; do \
		w=$$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$$p" 2>&1 >/dev/null); \
		[ -z "$$w" ] || { echo "$$p: $$w" >&2; exit 1; }; \
	done

install: install-man install-completion install-render-plots
install-man: $(MAN_PAGES)
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/

# One file, found under every program's name (bash-completion loads by name).
install-completion:
	install -d $(DESTDIR)$(COMPLETIONDIR)
	install -m 0644 packaging/bash-completion/exitlat $(DESTDIR)$(COMPLETIONDIR)/exitlat
	for p in $(MAN_PROGRAMS); do ln -sf exitlat $(DESTDIR)$(COMPLETIONDIR)/$$p; done

# render-plots lives with its gnuplot scripts in $(DATADIR); PATH gets a
# two-line front door to it.
install-render-plots: all
	install -d $(DESTDIR)$(BINDIR)
	printf '#!/bin/sh\nexec %s/scripts/render-plots "$$@"\n' '$(DATADIR)' >$(DESTDIR)$(BINDIR)/render-plots
	chmod 0755 $(DESTDIR)$(BINDIR)/render-plots

uninstall: uninstall-man
.PHONY: uninstall-man
uninstall-man:
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(addsuffix .1,$(MAN_PROGRAMS))) \
	      $(addprefix $(DESTDIR)$(COMPLETIONDIR)/,exitlat $(MAN_PROGRAMS)) \
	      $(DESTDIR)$(BINDIR)/render-plots
