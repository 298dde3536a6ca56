#!/usr/bin/env bash
# Where the time goes, from the analysis to the report, on fixture breakdown
# sets written at test time by tests/data/plots/make-breakdown-fixtures.py
# (bd-pvm: measured, KVM only, merged segments; bd-emu: EMULATED, native
# beside KVM):
#   - the stacked figure of every kind with a set (breakdown-KIND): drawn in
#     PDF, PNG and cairolatex with no gnuplot warning, labelled as taken under
#     tracing with both medians, every layer in the key (merged ones named so,
#     native where measured), EMULATED stamped where it applies, a fill pattern
#     of its own per layer, LaTeX compiles; its boxes are the trips' median and
#     p99 cut by the shares of breakdown.dat;
#   - a listed figure that cannot be drawn is an error (render-plots exit 1);
#   - the report's "Where the time goes" sections (measured and EMULATED):
#     per kind the segments' medians and shares and the tracing cost, as the
#     analysis wrote them, the figures shown; no set's series among the round trips.
# Usage: tests/host/breakdown-figures.sh (B= picks the build folder). ~30 s.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/breakdown-figures.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
FIX=$tmp/fixtures
fail=0
result() { # PASS|FAIL NAME WHY
	test_result "$1" "host/breakdown-figures-$2" "$3"
	[ "$1" = FAIL ] && fail=1
	return 0
}
if ! python3 tests/data/plots/make-breakdown-fixtures.py "$FIX" >"$tmp/fixtures.log" 2>&1; then
	result FAIL fixtures "make-breakdown-fixtures.py: $(tail -n 1 "$tmp/fixtures.log")"
	exit 1
fi
if ! make -s B="$B" "$B/exitlat-analyze" >/dev/null 2>&1; then
	result FAIL build "exitlat-analyze does not build in $B"
	exit 1
fi
for t in gnuplot pdfinfo pdftotext pdftoppm; do
	command -v "$t" >/dev/null || { result FAIL tools "$t is not installed (scripts/install-deps)"; exit 1; }
done

pdf_size() { pdfinfo "$1" 2>/dev/null | awk '/^Page size:/ { printf "%.1f %.1f\n", $3 / 72 * 2.54, $5 / 72 * 2.54 }'; }
ink() {
	pdftoppm -gray -r 30 "$1" "$tmp/ink" && od -An -v -tu1 "$tmp/ink-1.pgm" |
		awk 'NR == 1 { next } { for (i = 1; i <= NF; i++) { n++; if ($i < 200) d++ } } END { printf "%d\n", n ? 1000 * d / n : 0 }'
	rm -f "$tmp"/ink-1.pgm
}
# The rows of block B of a tab-separated data file (blocks apart by two blank lines).
block() { awk -F'\t' -v want="$2" '/^$/ { blank++; next } { if (blank >= 2) { b++; blank = 0 } else blank = 0 }
	!/^#/ && b == want' "$1"; }

# --- the figures ----------------------------------------------------------------
# check_set NAME EMULATED(0|1) KINDS...: analyse, render, check every breakdown figure.
check_set() {
	local name=$1 emu=$2 why= kind fig data f n=0 w h
	shift 2
	local gd=$tmp/$name/gp fd=$tmp/$name/fig
	mkdir -p "$tmp/$name"
	if ! "$B/exitlat-analyze" -q --resamples 200 --gnuplot "$gd" "$FIX/bd-$name"/*.samples \
		>"$tmp/$name.analyze.log" 2>&1; then
		result FAIL "$name" "exitlat-analyze: $(tail -n 1 "$tmp/$name.analyze.log")"
		return
	fi
	if ! scripts/render-plots "$gd" "$fd" >"$tmp/$name.render.log" 2>&1; then
		result FAIL "$name" "render-plots failed: $(grep -m 2 -i 'error\|warning' "$tmp/$name.render.log" | tr '\n' ' ')"
		return
	fi
	grep -qi warning "$tmp/$name.render.log" && why+=" gnuplot warned: $(grep -m 1 -i warning "$tmp/$name.render.log");"
	for kind in "$@"; do
		n=$((n + 1))
		fig=breakdown-$kind
		data=$(awk -F'\t' -v f="$fig" '$1 == f && $2 == "breakdown" { print $3 }' "$gd/figures.dat")
		[ -n "$data" ] || { why+=" figures.dat does not list $fig;"; continue; }
		for f in "$fig.pdf" "$fig.png" "tex/$fig.tex" "tex/$fig.pdf"; do
			[ -s "$fd/$f" ] && grep -qx "$f" "$fd/figures.txt" || why+=" $f missing or unlisted;"
		done
		[ -s "$fd/$fig.pdf" ] || continue
		read -r w h <<<"$(pdf_size "$fd/$fig.pdf")"
		awk -v w="$w" -v h="$h" 'BEGIN { exit !(w == 8.5 && h >= 6.0 && h <= 9) }' || why+=" $fig.pdf is ${w}x$h cm;"
		[ "$(ink "$fd/$fig.pdf")" -gt 10 ] || why+=" $fig.pdf looks empty;"
		pdftotext "$fd/$fig.pdf" "$tmp/text"
		tr '\n' ' ' <"$tmp/text" >"$tmp/line"
		grep -q "$kind: KVM split under tracing" "$tmp/line" || why+=" $fig.pdf: no '$kind: KVM split under tracing';"
		# both medians, as the analysis wrote them (block 0: traced, untraced)
		local traced untraced
		IFS=$'\t' read -r _ _ _ _ _ _ _ _ _ traced untraced _ <<<"$(block "$gd/$data" 0)"
		grep -q "median untraced $untraced, traced $traced (" "$tmp/line" ||
			why+=" $fig.pdf: no 'median untraced $untraced, traced $traced';"
		grep -q 'untraced median' "$tmp/line" || why+=" $fig.pdf: no key entry for the untraced median;"
		for f in median p99 KVM; do grep -qw "$f" "$tmp/line" || why+=" $fig.pdf: no '$f';"; done
		# every layer in the key: segment names, (merged) where merged, native where measured
		while IFS=$'\t' read -r _ title _ _ _; do
			title=$(printf '%b' "$title") # the file's octal escapes, as strcol() reads them
			grep -qF "$title" "$tmp/line" || why+=" $fig.pdf: no key entry '$title';"
		done < <(block "$gd/$data" 1)
		if [ -e "$FIX/bd-$name/native-$kind.samples" ]; then
			block "$gd/$data" 1 | cut -f2 | grep -qx native || why+=" $fig: no native layer;"
		else
			block "$gd/$data" 1 | cut -f2 | grep -qx native && why+=" $fig: a native layer without native samples;"
		fi
		# black and white: each layer its own fill pattern
		[ "$(block "$gd/$data" 1 | cut -f5 | sort -u | wc -l)" = "$(block "$gd/$data" 1 | wc -l)" ] ||
			why+=" $fig: two layers share a fill pattern;"
		if [ "$emu" = 1 ]; then
			grep -q EMULATED "$tmp/line" && grep -q EMULATED "$fd/tex/$fig.tex" || why+=" $fig: no EMULATED stamp;"
		else
			grep -q EMULATED "$tmp/line" && why+=" $fig: stamped EMULATED but measured;"
		fi
		grep -q 'under tracing' "$fd/tex/$fig.tex" || why+=" tex/$fig.tex: not labelled as under tracing;"
		# the boxes: the trips' median and p99 cut by breakdown.dat's shares
		why+=$(awk -v kind="$kind" -v traced="$traced" '
			FNR == 1 { file++ }
			file == 1 && /^# env / { for (i = 2; i <= NF; i++) c[$i] = i - 1; next }
			file == 1 && !/^#/ && $c["exit"] == kind { sm[++ns] = $c["share_median"]; sp[ns] = $c["share_p99"]; p99 = $c["traced_median"] }
			file == 2 { FS = "\t"; $0 = $0 }
			file == 2 && /^$/ { blank++; next }
			file == 2 { if (blank >= 2) { b++; blank = 0 } else blank = 0 }
			file == 2 && b == 2 && !/^#/ && $1 == 1 { top1 = $4; h[$5] = $4 - $3 }
			file == 2 && b == 2 && !/^#/ && $1 == 2 { top2 = $4; hp[$5] = $4 - $3 }
			file == 2 && b == 0 && !/^#/ { tp99 = $15 }
			END {
				if (top1 + 0 != traced + 0) printf " %s: the median bar reaches %s, not the traced median %s;", kind, top1, traced
				if (top2 + 0 != tp99 + 0) printf " %s: the p99 bar reaches %s, not the trips'"'"' p99 %s;", kind, top2, tp99
				off = length(h) - ns
				for (k = 1; k <= ns; k++) {
					if (h[k + off] / traced * 100 - sm[k] > 1e-3 || sm[k] - h[k + off] / traced * 100 > 1e-3)
						printf " %s: layer %d is %s of the median, breakdown.dat says %s %%;", kind, k, h[k + off] / traced, sm[k]
					if (hp[k + off] / tp99 * 100 - sp[k] > 1e-3 || sp[k] - hp[k + off] / tp99 * 100 > 1e-3)
						printf " %s: layer %d is %s of p99, breakdown.dat says %s %%;", kind, k, hp[k + off] / tp99, sp[k]
				}
			}' "$gd/breakdown.dat" "$gd/$data")
	done
	if command -v pdflatex >/dev/null; then
		{
			printf '%s\n' '\documentclass{article}' '\usepackage{graphicx,color}' \
				"\\graphicspath{{$fd/tex/}}" '\begin{document}'
			for kind in "$@"; do printf '\\input{%s}\\par\n' "$fd/tex/breakdown-$kind.tex"; done
			printf '%s\n' '\end{document}'
		} >"$fd/all.tex"
		(cd "$fd" && pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape all.tex \
			>/dev/null 2>&1) || why+=" LaTeX: $(grep -m 1 -A 1 '^!' "$fd/all.log" | tr '\n' ' ');"
	fi
	if [ -z "$why" ]; then
		result PASS "$name" "$n stacked figures (pdf, png, tex): no warning, under tracing with both medians, every layer in the key, own patterns, bars as breakdown.dat's shares$([ "$emu" = 1 ] && echo ', EMULATED')$(command -v pdflatex >/dev/null && echo ', LaTeX compiles')"
	else
		result FAIL "$name" "${why:0:700}"
	fi
}
check_set pvm 0 pio hlt
check_set emu 1 cpuid pio

# A figure figures.dat lists but no script can draw: an error, named.
mkdir -p "$tmp/plots"
cp plots/*.gp "$tmp/plots/" && rm -f "$tmp/plots/breakdown.gp"
EXITLAT_PLOTDIR=$tmp/plots scripts/render-plots --formats pdf "$tmp/pvm/gp" "$tmp/missing" >"$tmp/missing.log" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q 'breakdown-pio.pdf not drawn' "$tmp/missing.log" && [ -s "$tmp/missing/hist-pio.pdf" ]; then
	result PASS missing "a listed breakdown figure that is not drawn: exit 1, named; the others drawn"
else
	result FAIL missing "exit $rc: $(grep -m 2 'error' "$tmp/missing.log" | tr '\n' ' ')"
fi

# --- the report -------------------------------------------------------------------
rd=$tmp/run
mkdir -p "$rd/emulated/qemu-6.12" "$rd/logs"
cp -r "$tmp/pvm/gp" "$rd/gnuplot" && cp -r "$tmp/pvm/fig" "$rd/figures"
cp -r "$tmp/emu/gp" "$rd/emulated/qemu-6.12/gnuplot" && cp -r "$tmp/emu/fig" "$rd/emulated/qemu-6.12/figures"
printf 'host: pvmhost\ntime: 2026-01-10T07:00:00Z\nkernel: 6.18.4-pvm\ncpu_model: x\nmicrocode: 0x1\ndev_kvm: usable\nkvm_backend: kvm_pvm\n' >"$rd/env.txt"
printf 'kvm ok: 3 kinds measured\nemulated-qemu-6.12 ok: EMULATED\n' >"$rd/parts.txt"
why=
if ! scripts/lib/report.sh "$rd" pdf,png,tex >"$rd/report.md" 2>"$tmp/report.err"; then
	why+=" report.sh failed: $(tail -n 1 "$tmp/report.err");"
fi
# section SECTION_START SECTION_END: the report's lines between two headings
section() { sed -n "/^$1/,/^$2/p" "$rd/report.md"; }
measured=$(section '## Measured on this host' '## EMULATED')
emulated=$(section '## EMULATED' '## Caveats')
grep -q '^### Where the time goes (taken under tracing)' <<<"$measured" || why+=" no measured 'Where the time goes';"
grep -q '^#### Where the time goes (EMULATED, taken under tracing)' <<<"$emulated" || why+=" no EMULATED 'Where the time goes';"
# per kind, what the analysis wrote: both medians, the cost, each segment's median and shares
check_section() { # TEXT GNUPLOT_DIR FIGPREFIX
	awk '/^# env / { for (i = 2; i <= NF; i++) c[$i] = i - 1; next } /^#/ { next }
		{ print $c["exit"], $c["segment"], $c["merged"], $c["median"], $c["share_median"], $c["share_p99"],
			$c["traced_median"], $c["untraced_median"], $c["tracing_cost"], $c["trips"] }' "$2/breakdown.dat" |
	while read -r kind seg merged med sm sp traced untraced cost trips; do
		local esc=${seg//-/\\-} mtxt=
		[ "$merged" = yes ] && mtxt=' (merged)'
		grep -qF "**$kind**, $trips traced round trips: median traced $traced, untraced $untraced: tracing adds $cost cycles" <<<"$1" ||
			echo " no tracing line for $kind ($traced, $untraced, $cost);"
		grep -qF "| $esc$mtxt | $med [" <<<"$1" || echo " no row '$esc$mtxt | $med' ($kind);"
		grep -qF "$(printf '| %.1f %% | %.1f %% |' "$sm" "$sp")" <<<"$1" || echo " $kind $seg: shares $sm, $sp not shown;"
	done
	for f in $(awk -F'\t' '$2 == "breakdown" { print $1 }' "$2/figures.dat"); do
		grep -qF "]($3/$f.png)" <<<"$1" || echo " $f not shown;"
	done
}
why+=$(check_section "$measured" "$rd/gnuplot" figures | tr -d '\n')
why+=$(check_section "$emulated" "$rd/emulated/qemu-6.12/gnuplot" emulated/qemu-6.12/figures | tr -d '\n')
grep -q 'breakdown\\\.' <<<"$(sed -n '/^### Round trips/,/^###/p' "$rd/report.md")" &&
	why+=" a set's series among the round trips;"
grep -q 'emulated/' <<<"$measured" && why+=" the measured section links emulated figures;"
if [ -z "$why" ]; then
	result PASS report "measured and EMULATED 'Where the time goes': medians, shares, tracing cost as breakdown.dat says, figures shown"
else
	result FAIL report "${why:0:700}"
fi
exit $fail
