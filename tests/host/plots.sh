#!/usr/bin/env bash
# The figures (plots/*.gp through scripts/render-plots) of exitlat-analyze's
# --gnuplot data, from the fixture samples in tests/data/plots/ (written by
# tests/data/plots/make-fixtures.py: measured, KVM-only, emulated, every series
# one value, Bochs' one-value native kinds beside many-valued KVM ones) and from
# generated samples. Every figure: drawn with no gnuplot warning, PDF and PNG of
# the expected size with something drawn on them, the cairolatex pair (compiled
# by pdflatex when installed); emulated figures stamped EMULATED, measured ones
# not; nanosecond axes only where the TSC rate is known and the data is not
# emulated; text printed at the intended size; black-and-white safe line types;
# a one-value series drawn as one bar; bad input refused.
# Usage: tests/host/plots.sh (B= picks the build folder, default build). ~1 min.
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

if ! make -s B="$B" "$B/exitlat-analyze" "$B/kvm-probe" >/dev/null 2>&1 || [ ! -x "$B/exitlat-analyze" ]; then
	result FAIL build "exitlat-analyze does not build in $B: the figures draw its data"
	exit 1
fi
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

# analyse SET: the analysis' gnuplot data of the fixture set, in $tmp/SET/gp.
analyse() {
	mkdir -p "$tmp/$1"
	"$B/exitlat-analyze" -q --resamples 200 --gnuplot "$tmp/$1/gp" "$FIX/$1"/*.samples \
		>"$tmp/$1.analyze.log" 2>&1 ||
		{ result FAIL "$1-analyse" "exitlat-analyze: $(tail -n 1 "$tmp/$1.analyze.log")"; return 1; }
}

# latex_ok DIR: every tex/*.tex of DIR compiles in one document (pdflatex).
latex_ok() {
	local f
	command -v pdflatex >/dev/null || return 0
	{
		printf '%s\n' '\documentclass{article}' '\usepackage{graphicx,color}' \
			"\\graphicspath{{$1/tex/}}" '\begin{document}'
		for f in "$1"/tex/*.tex; do printf '\\input{%s}\\par\n' "$f"; done
		printf '%s\n' '\end{document}'
	} >"$1/all.tex"
	(cd "$1" && pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape all.tex \
		>/dev/null 2>&1) || echo " LaTeX: $(grep -m 1 -A 1 '^!' "$1/all.log" | tr '\n' ' ');"
}

# check_set NAME DATA OUT EMULATED(0|1) NS(0|1) [render-plots options...]
# Renders DATA into OUT, then checks every figure it should have made.
check_set() {
	local name=$1 data=$2 out=$3 emu=$4 ns=$5 why= f kind n=0 w h want
	shift 5
	[ -r "$data/figures.dat" ] || { result FAIL "$name-render" "no analysis data in $data"; return; }
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
	why+=$(latex_ok "$out")
	if [ -z "$why" ]; then
		result PASS "$name" "$n figures x (pdf, png, tex): no warning, sizes, ink, labels$([ "$emu" = 1 ] && echo ', EMULATED stamp')$(command -v pdflatex >/dev/null && echo ', LaTeX compiles')"
	else
		result FAIL "$name" "${why:0:600}"
	fi
}

for set in real-a real-b kvm-only emu emu-const emu-bochs; do
	analyse "$set"
done
check_set measured "$tmp/real-a/gp" "$tmp/real-a/fig" 0 1 --compare "$tmp/real-b/gp"
check_set kvm-only "$tmp/kvm-only/gp" "$tmp/kvm-only/fig" 0 1
check_set emulated "$tmp/emu/gp" "$tmp/emu/fig" 1 0
check_set emulated-const "$tmp/emu-const/gp" "$tmp/emu-const/fig" 1 0 --compare "$tmp/emu/gp"
check_set emulated-bochs "$tmp/emu-bochs/gp" "$tmp/emu-bochs/fig" 1 0

# Bochs: a native kind of one value (10) beside many-valued KVM ones is one bar
# in its histogram, a single step in its CDF; nothing left out, nothing warned.
bar=$(awk -F'\t' '!/^#/ && $1 == 1 { print $2 }' "$tmp/emu-bochs/gp/kind-2.dat" 2>/dev/null)
if [ "$bar" = hist-native-cpuid.dat ] && [ "$(grep -vc '^#' "$tmp/emu-bochs/gp/$bar")" = 1 ] &&
	[ "$(grep -vc '^#' "$tmp/emu-bochs/gp/cdf-native-cpuid.dat")" = 1 ] &&
	[ -s "$tmp/emu-bochs/fig/hist-cpuid.pdf" ] && [ -s "$tmp/emu-bochs/fig/cdf-cpuid.pdf" ]; then
	result PASS one-value "native cpuid of one value: one histogram row, one CDF step, both drawn beside KVM's"
else
	result FAIL one-value "kind-2.dat's first series '$bar'; hist/cdf rows or figures missing in $tmp/emu-bochs"
fi

# The ladder's data: every non-null kind measured, grouped by where KVM handles
# it (fast path, kernel, user space; kvm-probe --list says where), table order
# within a group; CIs where both sides exist.
rungs=$tmp/real-a/gp/rungs-1.dat
if [ -r "$rungs" ]; then
	# block 1: x kind kind_tex step nat_med nat_lo nat_hi nat_p99 kvm_med kvm_lo kvm_hi kvm_p99 key
	body() { awk -F'\t' '/^$/ { b++ } !/^#/ && b >= 2 && NF > 1' "$rungs"; }
	got=$(body | awk -F'\t' '{ printf "%s%s", sep, $2; sep = "," }')
	order=$("$B/kvm-probe" --list | awk -v got=",$got," '
		BEGIN { rank["fastpath"] = 1; rank["kernel"] = 2; rank["user"] = 3 }
		$3 in rank && index(got, "," $1 ",") { print rank[$3], NR, $1 }' |
		sort -n -k1,1 -k2,2 | awk '{ print $3 }' | paste -sd, -)
	cis=$(body | awk -F'\t' '$2 == "cpuid" { print $6 + 0, $7 + 0, $10 + 0, $11 + 0 }')
	mmio=$(body | awk -F'\t' '$2 == "mmio" { print $5, $6, $9 }')
	want_ci=$(awk '/^# env / { for (i = 2; i <= NF; i++) c[$i] = i - 1; next } !/^#/ && $c["exit"] == "cpuid" {
		print $c["native_median_lo"] + 0, $c["native_median_hi"] + 0, $c["kvm_median_lo"] + 0, $c["kvm_median_hi"] + 0 }' "$tmp/real-a/gp/ladder.dat")
	if [ "$got" = "$order" ] && [ "$cis" = "$want_ci" ] && [[ $mmio == "NaN NaN "[0-9]* ]]; then
		result PASS ladder-data "rungs $got; cpuid CIs from ladder.dat; mmio KVM-only"
	else
		result FAIL ladder-data "rungs '$got' (table: '$order'), cpuid CIs '$cis' (ladder.dat: '$want_ci'), mmio '$mmio'"
	fi
fi

# Text prints at the size asked for (8 pt): cairo's 96-dpi font scaling is undone.
pdftotext -bbox "$tmp/real-a/fig/hist-pio.pdf" "$tmp/bbox.html" 2>/dev/null
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

# The analysis' gnuplot folder is one set: a second analysis with fewer kinds
# leaves no file of the first; a folder holding someone else's file is refused
# and left as it was.
set_dir=$tmp/set/gp
mkdir -p "$tmp/set"
"$B/exitlat-analyze" -q --gnuplot "$set_dir" "$FIX/real-a"/*-cpuid.samples "$FIX/real-a"/*-pio.samples \
	>"$tmp/set.log" 2>&1
"$B/exitlat-analyze" -q --gnuplot "$set_dir" "$FIX/real-a"/*-cpuid.samples >>"$tmp/set.log" 2>&1
s1=$?
stale=$(cd "$set_dir" && ls | grep pio)
touch "$set_dir/notes.txt"
before=$(ls "$set_dir" | sort | md5sum)
"$B/exitlat-analyze" -q --gnuplot "$set_dir" "$FIX/real-a"/*-pio.samples >"$tmp/set2.log" 2>&1
s2=$?
if [ $s1 = 0 ] && [ -z "$stale" ] && [ $s2 = 1 ] && grep -q "notes.txt" "$tmp/set2.log" &&
	[ "$(ls "$set_dir" | sort | md5sum)" = "$before" ] && [ -z "$(ls -d "$tmp"/set/gp.* 2>/dev/null)" ]; then
	result PASS gnuplot-set "a rewrite leaves no stale file; a folder with a foreign file is refused, untouched"
else
	result FAIL gnuplot-set "exits $s1 $s2; stale: ${stale:-none}; $(tail -n 2 "$tmp/set2.log" | tr '\n' ' ')"
fi

# Bad input: a clear error and a non-zero exit, nothing half-written.
"$RENDER" "$tmp/nonexistent" "$tmp/bad1" >"$tmp/bad1.log" 2>&1
r1=$?
# A data folder without figures.dat (an older analysis): refused, named.
mkdir -p "$tmp/old"
cp "$tmp/real-a/gp"/{summary,ladder,hist-kvm-pio,cdf-kvm-pio}.dat "$tmp/old/"
"$RENDER" "$tmp/old" "$tmp/bad2" >"$tmp/bad2.log" 2>&1
r2=$?
"$RENDER" --compare "$tmp/emu/gp" "$tmp/real-a/gp" "$tmp/bad3" >"$tmp/bad3.log" 2>&1
r3=$?
"$RENDER" --formats svg "$tmp/real-a/gp" "$tmp/bad4" >"$tmp/bad4.log" 2>&1
r4=$?
# A figures.dat from elsewhere naming a figure that is code: left out, said.
mkdir -p "$tmp/forged"
cp "$tmp/kvm-only/gp"/* "$tmp/forged/"
printf "x'; system('touch %s/forged-ran'); y='\thist\tkind-1.dat\tpio\tenv\t0\n" "$tmp" >>"$tmp/forged/figures.dat"
"$RENDER" --formats pdf --only hist "$tmp/forged" "$tmp/bad5" >"$tmp/bad5.log" 2>&1
r5=$?
"$RENDER" --emulated "qemu'; x='" "$tmp/real-a/gp" "$tmp/bad6" >"$tmp/bad6.log" 2>&1
r6=$?
"$RENDER" --labels "a'b,c" --compare "$tmp/real-b/gp" "$tmp/real-a/gp" "$tmp/bad7" >"$tmp/bad7.log" 2>&1
r7=$?
if [ $r1 = 1 ] && grep -q 'no such folder' "$tmp/bad1.log" &&
	[ $r2 = 1 ] && grep -q 'figures.dat: missing' "$tmp/bad2.log" &&
	[ $r3 = 1 ] && grep -q 'cannot compare an emulated run with a measured one' "$tmp/bad3.log" &&
	[ ! -e "$tmp/bad3/compare.pdf" ] && [ $r4 = 2 ] &&
	[ $r5 = 1 ] && grep -q 'figures.dat:[0-9]*: not a figure line' "$tmp/bad5.log" &&
	[ ! -e "$tmp/forged-ran" ] && [ -s "$tmp/bad5/hist-pio.pdf" ] &&
	[ $r6 = 2 ] && grep -q -- '--emulated' "$tmp/bad6.log" && [ $r7 = 2 ] && grep -q -- '--labels' "$tmp/bad7.log" &&
	! ls -d "$tmp"/bad*/.render.* >/dev/null 2>&1; then
	result PASS bad-input "missing folder, old data, emulated-vs-measured comparison, unknown format, forged figures.dat line, bad --emulated and --labels: refused"
else
	result FAIL bad-input "exits $r1 $r2 $r3 $r4 $r5 $r6 $r7: $(cat "$tmp"/bad[1-7].log | head -c 600)"
fi

# Every kind both sides list, two kernels named as Debian names them: the
# ladder's and the comparison's rung labels are the longest kind names and the
# run names long, and still both are drawn without a warning (make run compares
# its two QEMU kernels so), their key titles whole on the page.
every=ok
for k in 6.1 6.12; do
	history/testing/fake-run base --analyze "$B/exitlat-analyze" --kernel "$k" --out "$tmp/all-$k" \
		>"$tmp/all-$k.log" 2>&1 || every="fake-run: $(tail -n 1 "$tmp/all-$k.log")"
done
if [ "$every" = ok ]; then
	sed -i 's/^# kernel: .*/# kernel: 6.1.0-57-amd64/' "$tmp"/all-6.1/emulated/bochs-6.1/samples/*.samples
	sed -i 's/^# kernel: .*/# kernel: 6.12.117+deb12-amd64/' "$tmp"/all-6.12/emulated/bochs-6.12/samples/*.samples
	for k in 6.1 6.12; do
		"$B/exitlat-analyze" -q --resamples 200 --gnuplot "$tmp/all-$k/gp" \
			"$tmp/all-$k/emulated/bochs-$k/samples"/*.samples >"$tmp/all-$k.log" 2>&1 ||
			every="exitlat-analyze: $(tail -n 1 "$tmp/all-$k.log")"
	done
fi
nkinds=$(ls "$tmp"/all-6.1/emulated/bochs-6.1/samples/kvm-*.samples 2>/dev/null | wc -l)
if [ "$every" != ok ]; then
	result FAIL compare-every-kind "$every"
elif ! "$RENDER" --only ladder,compare --compare "$tmp/all-6.12/gp" "$tmp/all-6.1/gp" "$tmp/all-fig" \
	>"$tmp/all-render.log" 2>&1 || grep -qi warning "$tmp/all-render.log"; then
	result FAIL compare-every-kind "$nkinds KVM kinds: $(grep -m 2 -i 'error\|warning\|said' "$tmp/all-render.log" | tr '\n' ' ')"
else
	pdftotext "$tmp/all-fig/compare.pdf" "$tmp/all-text"
	pdftotext "$tmp/all-fig/ladder.pdf" "$tmp/all-ladder-text"
	why=
	for f in compare.pdf compare.png tex/compare.tex ladder.pdf; do
		[ -s "$tmp/all-fig/$f" ] || why+=" $f missing;"
	done
	# text beyond the page is not drawn: pdftotext does not find it
	for f in all-text all-ladder-text; do
		tr '\n' ' ' <"$tmp/$f" | grep -q 'whisker: p99' || why+=" $f: the key title is cut;"
	done
	grep -q '6.1.0-57-amd64' "$tmp/all-text" && grep -q '6.12.117+deb12-amd64' "$tmp/all-text" ||
		why+=" the run names are not on compare.pdf;"
	for k in ioeventfd-mmio wrmsr-user; do grep -q -- "$k" "$tmp/all-text" || why+=" no rung $k;"; done
	why+=$(latex_ok "$tmp/all-fig")
	if [ -z "$why" ] && [ "$nkinds" -ge 20 ]; then
		result PASS compare-every-kind "$nkinds KVM kinds, long kernel names: ladder and compare drawn (pdf, png, tex) without a warning, key titles whole"
	else
		result FAIL compare-every-kind "$nkinds KVM kinds:${why:0:400}"
	fi
fi

# Generated samples with a 1 % tail three times the body: figures out.
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
exit $fail
