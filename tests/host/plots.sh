#!/usr/bin/env bash
# The figures (plots/*.gp through scripts/render-plots), from the fixture data in
# tests/data/plots/ (the gnuplot files of docs/analysis-outputs.md, written by
# tests/data/plots/make-fixtures.py) and, when exitlat-analyze is built, from its
# own output on generated samples. Every figure: drawn with no gnuplot warning,
# PDF and PNG of the expected size with something drawn on them, the cairolatex
# pair; emulated figures stamped EMULATED, measured ones not; nanosecond axes
# only where the TSC rate is known and the data is not emulated; text printed at
# the intended size; black-and-white safe line types; bad input refused.
# Usage: tests/host/plots.sh (B= picks the build folder, default build). ~30 s.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
FIX=tests/data/plots
RENDER=scripts/render-plots
tmp=$(mktemp -d "${TMPDIR:-/tmp}/plots-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
result() { # PASS|FAIL NAME WHY
	test_result "$1" "host/plots-$2" "$3"
	[ "$1" = FAIL ] && fail=1
	return 0
}

for t in gnuplot pdfinfo pdftoppm pdftotext; do
	if ! command -v "$t" >/dev/null; then
		result FAIL tools "$t is not installed (scripts/install-deps: gnuplot-nox, poppler-utils)"
		exit 1
	fi
done
if gnuplot -e 'set term' 2>&1 | grep -qw pdfcairo && gnuplot -e 'set term' 2>&1 | grep -qw pngcairo &&
	gnuplot -e 'set term' 2>&1 | grep -qw cairolatex; then
	result PASS terminals "gnuplot $(gnuplot --version | cut -d' ' -f2-4) has pdfcairo, pngcairo, cairolatex"
else
	result FAIL terminals "gnuplot lacks a cairo terminal (pdfcairo, pngcairo, cairolatex)"
	exit 1
fi

# PNG size from its IHDR chunk: "WIDTH HEIGHT".
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'; }
# PDF page size in cm, rounded to 0.1: "W H".
pdf_size() { pdfinfo "$1" 2>/dev/null | awk '/^Page size:/ { printf "%.1f %.1f\n", $3 / 72 * 2.54, $5 / 72 * 2.54 }'; }
# Share of non-white pixels of a PDF's page, in per mille (drawn at 30 dpi).
ink() {
	pdftoppm -gray -r 30 "$1" "$tmp/ink" && od -An -v -tu1 "$tmp/ink-1.pgm" |
		awk 'NR == 1 { next } { for (i = 1; i <= NF; i++) { n++; if ($i < 200) d++ } } END { printf "%d\n", n ? 1000 * d / n : 0 }'
	rm -f "$tmp"/ink-1.pgm
}

# check_set NAME DATA OUT EMULATED(0|1) NS(0|1) [render-plots options...]
# Renders DATA into OUT, then checks every figure it should have made.
check_set() {
	local name=$1 data=$2 out=$3 emu=$4 ns=$5 why= f kind n=0 w h want
	shift 5
	if ! "$RENDER" "$@" "$data" "$out" >"$tmp/$name.log" 2>&1; then
		result FAIL "$name-render" "render-plots failed: $(grep -m1 -i 'error\|warning' "$tmp/$name.log")"
		return
	fi
	if grep -qi 'warning' "$tmp/$name.log"; then
		result FAIL "$name-render" "gnuplot warned: $(grep -m1 -i warning "$tmp/$name.log")"
		return
	fi
	# Expected figures: hist/cdf/tail per exit kind of summary.dat, the ladder when
	# a non-null kind exists, compare when asked.
	local expect=()
	for kind in $(grep -v '^#' "$data/summary.dat" | awk '{ print $3 }' | sort -u); do
		expect+=("hist-$kind" "cdf-$kind" "tail-$kind")
	done
	grep -v '^#' "$data/summary.dat" | awk '{ print $3 }' | grep -qv '^null' && expect+=(ladder)
	[[ " $* " == *" --compare "* ]] && expect+=(compare)
	for f in "${expect[@]}"; do
		n=$((n + 1))
		for ext in pdf png; do
			[ -s "$out/$f.$ext" ] || { why+=" $f.$ext missing;"; continue 2; }
		done
		[ -s "$out/tex/$f.tex" ] && [ -s "$out/tex/$f.pdf" ] || { why+=" tex/$f missing;"; continue; }
		grep -qx "$f.pdf" "$out/figures.txt" && grep -qx "tex/$f.tex" "$out/figures.txt" ||
			why+=" figures.txt does not list $f;"
		grep -q "includegraphics\[[^]]*\]{$f}" "$out/tex/$f.tex" ||
			why+=" tex/$f.tex does not include $f.pdf;"
		# Size: 8.5 x 6 cm (ladder/compare grow with their rungs, never shrink).
		read -r w h <<<"$(pdf_size "$out/$f.pdf")"
		case $f in
		ladder | compare) awk -v w="$w" -v h="$h" 'BEGIN { exit !(w == 8.5 && h >= 6.0 && h <= 20) }' ||
			why+=" $f.pdf is ${w}x${h} cm;" ;;
		*) [ "$w $h" = "8.5 6.0" ] || why+=" $f.pdf is ${w}x${h} cm, not 8.5x6.0;" ;;
		esac
		read -r w h <<<"$(png_size "$out/$f.png")"
		want=$(awk -v h="$h" 'BEGIN { print int(8.5 / 2.54 * 200) }')
		[ "$w" = "$want" ] && [ "$h" -ge 472 ] || why+=" $f.png is ${w}x$h px (want ${want} wide, >= 472 high);"
		# Something drawn: axes, text and data put ink on more than 1 % of the page.
		[ "$(ink "$out/$f.pdf")" -gt 10 ] || why+=" $f.pdf looks empty;"
		pdftotext "$out/$f.pdf" "$tmp/text"
		grep -q 'cycles' "$tmp/text" || why+=" $f.pdf has no 'cycles' axis label;"
		if [ "$emu" = 1 ]; then
			grep -q 'EMULATED' "$tmp/text" || why+=" $f.pdf lacks the EMULATED stamp;"
			grep -q 'EMULATED' "$out/tex/$f.tex" || why+=" tex/$f.tex lacks the EMULATED stamp;"
		else
			grep -q 'EMULATED' "$tmp/text" && why+=" $f.pdf is stamped EMULATED but is measured;"
		fi
		if [ "$ns" = 1 ]; then
			grep -q 'nanoseconds' "$tmp/text" || why+=" $f.pdf has no nanosecond axis;"
		else
			grep -q 'nanoseconds' "$tmp/text" && why+=" $f.pdf shows nanoseconds it cannot know;"
		fi
	done
	if [ -z "$why" ]; then
		result PASS "$name" "$n figures x (pdf, png, tex): no warning, sizes, ink, labels$([ "$emu" = 1 ] && echo ', EMULATED stamp')"
	else
		result FAIL "$name" "${why:0:600}"
	fi
}

check_set measured "$FIX/real-a" "$tmp/real-a" 0 1 --compare "$FIX/real-b"
check_set kvm-only "$FIX/kvm-only" "$tmp/kvm-only" 0 1
check_set emulated "$FIX/emu" "$tmp/emu" 1 0
check_set emulated-const "$FIX/emu-const" "$tmp/emu-const" 1 0 --compare "$FIX/emu"

# The ladder's data: every non-null kind in exit-table order, CIs where both sides exist.
if [ -r "$tmp/real-a/ladder-plot.dat" ]; then
	got=$(grep -v '^#' "$tmp/real-a/ladder-plot.dat" | awk '{ printf "%s%s", sep, $2; sep = "," }')
	order=$(sed -n 's/^[[:space:]]*X([A-Z_0-9]*, *"\([^"]*\)", *[A-Z]*, *[A-Z]*, *0.*/\1/p' include/exitlat/exit_kinds.h | paste -sd, -)
	cis=$(awk '!/^#/ && $2 == "cpuid" { print $5, $6, $9, $10 }' "$tmp/real-a/ladder-plot.dat")
	mmio=$(awk '!/^#/ && $2 == "mmio" { print $4, $5, $8 }' "$tmp/real-a/ladder-plot.dat")
	want_ci=$(awk '!/^#/ && $2 == "cpuid" { print $4, $5, $7, $8 }' "$FIX/real-a/ladder.dat")
	if [ "$got" = "$order" ] && [ "$cis" = "$want_ci" ] && [[ $mmio == "NaN NaN "[0-9]* ]]; then
		result PASS ladder-data "rungs $got; cpuid CIs from ladder.dat; mmio KVM-only"
	else
		result FAIL ladder-data "rungs '$got' (table: '$order'), cpuid CIs '$cis' (ladder.dat: '$want_ci'), mmio '$mmio'"
	fi
fi

# Text prints at the size asked for (8 pt): cairo's 96-dpi font scaling is undone.
pdftotext -bbox "$tmp/real-a/hist-pio.pdf" "$tmp/bbox.html" 2>/dev/null
hgt=$(grep -m1 '>cycles<' "$tmp/bbox.html" | sed 's/.*yMin="\([0-9.]*\)".*yMax="\([0-9.]*\)".*/\1 \2/' |
	awk '{ printf "%.1f", $2 - $1 }')
if awk -v h="${hgt:-0}" 'BEGIN { exit !(h >= 7 && h <= 11) }'; then
	result PASS font-size "the x label's line is $hgt pt high (8 pt text)"
else
	result FAIL font-size "the x label's line is ${hgt:-?} pt high: want 7-11 (8 pt text)"
fi

# Black and white: every line type has its own dash pattern and point type.
bw=$(sed -n 's/^set linetype \([0-9]*\) .* dt \(.*[^ ]\) *pt \([0-9]*\).*/\1|\2|\3/p' plots/style.gp)
nlt=$(wc -l <<<"$bw")
ndt=$(cut -d'|' -f2 <<<"$bw" | tr -d ' ' | sort -u | wc -l)
npt=$(cut -d'|' -f3 <<<"$bw" | sort -u | wc -l)
if [ "$nlt" -ge 4 ] && [ "$ndt" = "$nlt" ] && [ "$npt" = "$nlt" ]; then
	result PASS black-white "$nlt line types, each with its own dash pattern and point type"
else
	result FAIL black-white "$nlt line types, $ndt dash patterns, $npt point types in plots/style.gp"
fi

# Bad input: a clear error and a non-zero exit, nothing half-written.
"$RENDER" "$tmp/nonexistent" "$tmp/bad1" >"$tmp/bad1.log" 2>&1
r1=$?
mkdir -p "$tmp/mixed"
cp "$FIX/real-a"/*.dat "$tmp/mixed/"
# One series claims to be emulated: mixing must be refused.
sed -i 's/^# emulated: no$/# emulated: bochs/' "$tmp/mixed/hist-kvm-pio.dat"
"$RENDER" "$tmp/mixed" "$tmp/bad2" >"$tmp/bad2.log" 2>&1
r2=$?
"$RENDER" --compare "$FIX/emu" "$FIX/real-a" "$tmp/bad3" >"$tmp/bad3.log" 2>&1
r3=$?
"$RENDER" --formats svg "$FIX/real-a" "$tmp/bad4" >"$tmp/bad4.log" 2>&1
r4=$?
if [ $r1 = 1 ] && grep -q 'no such folder' "$tmp/bad1.log" &&
	[ $r2 = 1 ] && grep -q 'mixes emulated and measured' "$tmp/bad2.log" &&
	[ $r3 = 1 ] && grep -q 'cannot compare an emulated run with a measured one' "$tmp/bad3.log" &&
	[ ! -e "$tmp/bad3/compare.pdf" ] &&
	[ $r4 = 2 ] && ! ls "$tmp"/bad*/.render.* >/dev/null 2>&1; then
	result PASS bad-input "missing folder, emulated+measured mix, emulated-vs-measured comparison, unknown format: refused"
else
	result FAIL bad-input "exits $r1 $r2 $r3 $r4: $(cat "$tmp"/bad[1-4].log | head -c 400)"
fi

# From exitlat-analyze itself, when it is built: generated samples in, figures out.
if make -s B="$B" "$B/exitlat-analyze" >/dev/null 2>&1 && [ -x "$B/exitlat-analyze" ]; then
	mkdir -p "$tmp/gen"
	for side in native kvm; do
		for kind in null cpuid pio; do
			dom=host
			[ "$side" = kvm ] && [ "$kind" != pio ] && dom=guest
			base=$(case $side-$kind in native-null) echo 40 ;; kvm-null) echo 60 ;; native-*) echo 1000 ;; *) echo 18000 ;; esac)
			{
				printf '# exitlat-samples 1\n# source: %s\n# exit: %s\n# unit: cycles\n# domain: %s\n' "$side" "$kind" "$dom"
				printf '# host: testhost\n# kernel: 6.1.0-test\n# emulated: no\n# tsc_khz: 2000000\n'
				awk -v b="$base" 'BEGIN { srand(7); for (i = 0; i < 3000; i++) { v = b + int(b * 0.05 * rand()); if (i % 100 == 0) v *= 3; print v } }'
			} >"$tmp/gen/$side-$kind.samples"
		done
	done
	if "$B/exitlat-analyze" -q --resamples 200 --gnuplot "$tmp/gen/gp" "$tmp"/gen/*.samples >"$tmp/gen.log" 2>&1; then
		check_set from-analyze "$tmp/gen/gp" "$tmp/gen/fig" 0 1
	else
		result FAIL from-analyze "exitlat-analyze failed: $(tail -n 1 "$tmp/gen.log")"
	fi
else
	test_result SKIP host/plots-from-analyze "exitlat-analyze is not built in $B (the fixtures above cover the figure scripts)"
fi
exit $fail
