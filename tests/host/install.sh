#!/usr/bin/env bash
# `make install` into a scratch prefix: every installed program has a man page
# that man --warnings accepts, render-plots is on PATH and draws from there,
# and bash completes options, exit kinds and exitlat-history's commands.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
work=$(mktemp -d /tmp/exitlat-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
if ! make -s B="$B" install PREFIX="$prefix" SYSCONFDIR="$work/etc" >"$work/install.log" 2>&1; then
	test_result FAIL host/install "make install PREFIX=$prefix failed: $(tail -n 3 "$work/install.log")"
	exit 1
fi
bin=$prefix/bin

# --- a man page for every program on PATH, clean under man --warnings -----
bad= n=0
for p in "$bin"/*; do
	name=${p##*/}
	page=$prefix/share/man/man1/$name.1
	n=$((n + 1))
	if [ ! -f "$page" ]; then
		bad+="$name: no man page; "
		continue
	fi
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >"$work/page")
	[ -z "$w" ] || bad+="$name: man --warnings: $w; "
	grep -A1 "^NAME" "$work/page" | grep -q "$name  *- " ||
		bad+="$name: its page has no NAME line; "
	grep -q -- "^ *--*[a-zA-Z]" "$work/page" || bad+="$name: its page lists no options; "
done
if [ "$n" -ge 5 ] && [ -z "$bad" ]; then
	test_result PASS host/install-man-pages "$n programs in bin/, each with a man page that man --warnings accepts: $(ls "$bin" | paste -sd' ')"
else
	test_result FAIL host/install-man-pages "${bad:-only $n programs installed}"
fi

# --- render-plots from PATH ------------------------------------------------
if ! command -v gnuplot >/dev/null; then
	test_result SKIP host/install-render-plots "gnuplot is not installed"
elif [ ! -x "$bin/render-plots" ]; then
	test_result FAIL host/install-render-plots "make install put no render-plots into $bin"
else
	v=$(cd / && PATH=$bin:$PATH render-plots --version 2>&1)
	# the fixture's samples through the installed analysis, then its figures
	(cd / && PATH=$bin:$PATH exitlat-analyze -q --gnuplot "$work/gp" \
		"$EXITLAT_TOP"/tests/data/plots/emu/*.samples &&
		PATH=$bin:$PATH render-plots --formats pdf --only cdf "$work/gp" "$work/figures") \
		>"$work/render.log" 2>&1
	rc=$?
	figs=$(find "$work/figures" -name 'cdf-*.pdf' 2>/dev/null | wc -l)
	if [ "$v" = "render-plots $(sed -n 's/^#define EXITLAT_VERSION "\(.*\)"$/\1/p' include/exitlat/version.h)" ] &&
		[ "$rc" = 0 ] && [ "$figs" -gt 0 ]; then
		test_result PASS host/install-render-plots "render-plots on PATH ($v) drew $figs CDF figures from outside the tree"
	else
		test_result FAIL host/install-render-plots "--version said '$v'; drawing: exit $rc, $figs figures: $(tail -n 2 "$work/render.log")"
	fi
fi

# --- bash completion ---------------------------------------------------------
bc=/usr/share/bash-completion/bash_completion
comp=$prefix/share/bash-completion/completions
if [ ! -r "$bc" ]; then
	test_result SKIP host/install-completion "bash-completion is not installed (scripts/install-deps)"
else
	# complete WORD...: what bash offers for the last word
	cat >"$work/complete.sh" <<SH
. "$bc"
for p in kvm-probe exitlat-native exitlat-analyze exitlat-history render-plots; do
	[ -L "$comp/\$p" ] || { echo "no completion under \$p"; exit 1; }
done
. "$comp/kvm-probe"
complete_words() {
	COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1)); COMP_LINE="\$*"; COMP_POINT=\${#COMP_LINE}
	COMPREPLY=()
	_exitlat "\$1" "\${COMP_WORDS[-1]}" "\${COMP_WORDS[-2]}"
	printf '%s\n' "\${COMPREPLY[@]}" | sort | paste -sd' '
}
echo "1 \$(complete_words kvm-probe --ex)"
echo "2 \$(complete_words kvm-probe --exit p)"
echo "3 \$(complete_words exitlat-native -m e)"
echo "4 \$(complete_words exitlat-history r)"
echo "5 \$(complete_words exitlat-history -d x.db check --ev)"
echo "6 \$(complete_words exitlat-analyze --for)"
echo "7 \$(complete_words exitlat-history series --exit nu)"
SH
	out=$(PATH=$bin:$PATH bash "$work/complete.sh" 2>&1)
	# the kinds from the one exit table, as the completion reads them
	want="1 --exit
2 $("$bin/kvm-probe" --list | awk '$1 ~ /^p/ { print $1 }' | sort | paste -sd' ')
3 entry exit
4 runs
5 --every-night
6 --format
7 null null-host"
	if [ "$out" = "$want" ]; then
		test_result PASS host/install-completion "options from --help, kinds from --list, history commands: $(tr '\n' ';' <<<"$out")"
	else
		test_result FAIL host/install-completion "got: $(tr '\n' ';' <<<"$out") want: $(tr '\n' ';' <<<"$want")"
	fi
fi

# --- uninstall takes it all back -------------------------------------------
make -s B="$B" uninstall PREFIX="$prefix" SYSCONFDIR="$work/etc" >"$work/uninstall.log" 2>&1
left=$(find "$prefix" "$work/etc" -type f -o -type l 2>/dev/null | sed "s|$work/||" | head -n 5)
[ -z "$left" ] && test_result PASS host/install-uninstall "make uninstall left no file behind" ||
	test_result FAIL host/install-uninstall "left: $left"
[ "$TEST_FAILS" = 0 ]
