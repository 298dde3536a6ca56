#!/usr/bin/env bash
# The hostile-input corpus (tests/data/hostile-values.txt) through every path a
# value takes, as data that must never become code:
#   emulated  the emulator's name in a sample header -> the EMULATED stamp (hist
#           and the interrupt kinds' latency figure)
#   header  sample-header values (host, kernel, cpu_model, microcode, an unknown
#           key) -> exitlat-analyze (JSON, CSV, table, gnuplot data) ->
#           render-plots (PDF, cairolatex) -> the comparison -> report.md (with
#           its interrupt section, exitlat-analyze's interrupts.md)
#   kind    an exit kind of that name: the same way, as figure names and key titles
#   breakdown  a kvm-probe --breakdown set's free text (host, kernel, the set's
#           files, what a segment covers, its ends, the tracing note) and a
#           reason in the kvm-breakdown part line -> the analysis (JSON, CSV,
#           csv-breakdown, table, gnuplot data) -> the stacked figure (PDF,
#           cairolatex) -> the report's "Where the time goes"; as a segment's
#           name -> refused by the reader
#   names   folder and file names holding the value: analysis and figures
#   options render-plots --labels and --emulated with the value
#   history run folders of hosts so named, their summaries holding the value ->
#           exitlat-history import, export (JSON, CSV) -> exitlat-nightly
#           --plots-only (trend and fleet figures, the HTML dashboard)
# For each: nothing runs (no exitlat-canary-* file appears anywhere), a tool
# either refuses the input with an error that names it (exit 1 or 2) or takes it,
# and then every output parses (JSON and CSV with Python's parsers, LaTeX with
# pdflatex when installed, Markdown tables cell by cell) and the figures show the
# text literally (pdftotext, the .tex source). tests/host/hostile-check.py holds
# the expected forms. One result line per value and path. About 3 minutes.
# Usage: tests/host/hostile-inputs.sh [NAME...] (B= picks the build folder).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
CORPUS=tests/data/hostile-values.txt
CHECK="python3 tests/host/hostile-check.py"
ANALYZE=$B/exitlat-analyze
HISTORY=$B/exitlat-history
fail=0
result() { # PASS|FAIL|SKIP NAME WHY
	test_result "$1" "host/hostile-$2" "$3"
	[ "$1" = FAIL ] && fail=1
	return 0
}
for t in gnuplot pdftotext python3; do
	command -v "$t" >/dev/null || { result FAIL tools "$t is not installed (scripts/install-deps)"; exit 1; }
done
if ! make -s B="$B" "$ANALYZE" "$HISTORY" >/dev/null 2>&1; then
	result FAIL build "exitlat-analyze or exitlat-history does not build (make B=$B)"
	exit 1
fi
have_latex=
command -v pdflatex >/dev/null && have_latex=1

work=$(mktemp -d "${TMPDIR:-/tmp}/exitlat-hostile.XXXXXX") || exit 1
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
# Canaries: files a payload that ran would have made (its folder: wherever the
# tool ran). Earlier runs' leftovers would hide nothing: they are removed first.
canary_places=("$work" "$EXITLAT_TOP" /tmp "${HOME:-/root}")
# (a payload's relative twin, where a name lost its '/', is _tmp_exitlat-canary-*)
canaries() {
	find "${canary_places[@]}" -maxdepth 6 -type f \( -name 'exitlat-canary-*' -o \
		-name '_tmp_exitlat-canary-*' \) 2>/dev/null | sort -u
}
canaries | while IFS= read -r f; do rm -f -- "$f"; done

# The corpus: one file per value, its raw bytes ($work/v/NAME).
mkdir -p "$work/v"
names=()
while IFS=$'\t' read -r name esc; do
	[[ -z $name || $name == '#'* ]] && continue
	[ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
	printf '%b' "$esc" >"$work/v/$name"
	names+=("$name")
done <"$CORPUS"
[ ${#names[@]} -gt 0 ] || { result FAIL corpus "no value in $CORPUS"; exit 1; }
has_nul() { [ "$(tr -d '\000' <"$work/v/$1" | wc -c)" != "$(wc -c <"$work/v/$1")" ]; }
# The value as a bash string for a file name ('/' as '_'; no NUL can be one).
as_name() { local v; v=$(cat "$work/v/$1"; printf x); v=${v%x}; printf '%s' "${v//\//_}"; }

# samples FILE SOURCE EXIT DOMAIN BASE [KEY VALUEFILE]...: 300 samples from BASE up.
samples() {
	local file=$1 src=$2 exit=$3 dom=$4 base=$5
	shift 5
	{
		printf '# exitlat-samples 1\n# source: %s\n# exit: %s\n# unit: cycles\n# domain: %s\n' \
			"$src" "$exit" "$dom"
		while [ $# -ge 2 ]; do
			printf '# %s: ' "$1"
			cat "$2"
			printf '\n'
			shift 2
		done
		printf '# tsc_khz: 2000000\n# time: 2026-01-01T02:00:00Z\n'
		awk -v b="$base" 'BEGIN { srand(b); for (i = 0; i < 300; i++) print b + int(b * 0.2 * rand()) }'
	} >"$file"
}
# A value file for a plain value.
plain() { printf '%s' "$2" >"$work/v/.$1"; echo "$work/v/.$1"; }

# analyse DIR: the statistics of DIR/samples the way scripts/run writes them.
# Returns 0 taken, 1 refused with a FILE:LINE message, 2 anything else (why in $why).
analyse() {
	local d=$1 rc
	timeout 120 "$ANALYZE" --format json --output "$d/summary.json" "$d"/samples/*.samples 2>"$d/analyze.err"
	rc=$?
	if [ $rc = 1 ] && grep -q '\.samples:[0-9][0-9]*: ' "$d/analyze.err"; then
		return 1
	elif [ $rc != 0 ]; then
		why+=" exitlat-analyze exit $rc: $(head -c 200 "$d/analyze.err");"
		return 2
	fi
	for f in "csv summary.csv" "csv-overhead overhead.csv" "csv-breakdown breakdown.csv" \
		"table summary.txt"; do
		set -- $f
		timeout 120 "$ANALYZE" --format "$1" --output "$d/$2" "$d"/samples/*.samples 2>>"$d/analyze.err" ||
			why+=" --format $1 failed: $(tail -n 1 "$d/analyze.err");"
	done
	timeout 120 "$ANALYZE" -q --resamples 200 --gnuplot "$d/gnuplot" "$d"/samples/*.samples 2>>"$d/analyze.err" ||
		why+=" --gnuplot failed: $(tail -n 1 "$d/analyze.err");"
	return 0
}

# render DATA OUT [options]: render-plots, no warning; sets why on failure.
render() {
	local data=$1 out=$2 rc
	shift 2
	timeout 300 scripts/render-plots "$@" "$data" "$out" >"$out.log" 2>&1
	rc=$?
	[ $rc = 0 ] || why+=" render-plots exit $rc: $(grep -m 2 -i 'error\|warning' "$out.log" | tr '\n' ' ');"
	grep -qi 'warning' "$out.log" && why+=" gnuplot warned: $(grep -m 1 -i warning "$out.log");"
	return $rc
}

# latex_ok FIGDIR: every tex/*.tex of FIGDIR compiles in one document.
latex_ok() {
	local fd=$1 f doc=$1/all-figures.tex
	[ -n "$have_latex" ] || return 0
	{
		printf '%s\n' '\documentclass{article}' '\usepackage{graphicx,color}' \
			'% characters the fonts lack print as ? (the value is checked in the .tex itself)' \
			'\makeatletter\def\UTFviii@undefined@err#1{?}\makeatother' \
			"\\graphicspath{{$fd/tex/}}" '\begin{document}'
		for f in "$fd"/tex/*.tex; do
			[ -e "$f" ] && printf '\\input{%s}\\par\n' "$f"
		done
		printf '%s\n' '\end{document}'
	} >"$doc"
	if ! (cd "$fd" && timeout 120 pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape \
		all-figures.tex >/dev/null 2>&1); then
		why+=" LaTeX: $(grep -m 1 -A 2 '^!' "$fd/all-figures.log" | tr '\n' ' ');"
	fi
}

canary_check() {
	local c
	c=$(canaries)
	[ -z "$c" ] && return 0
	why+=" CODE RAN: $(echo $c);"
	canaries | while IFS= read -r f; do rm -f -- "$f"; done
	return 1
}

# taken RESULT DIR: analyse DIR; a refusal (with its FILE:LINE) passes RESULT
# and so does nothing more, as does an error (which fails it). 0: taken.
taken() {
	analyse "$2"
	case $? in
	0) return 0 ;;
	1) canary_check; result PASS "$1" "refused: $(head -n 1 "$2/analyze.err" | head -c 160)${why}" ;;
	*) canary_check; result FAIL "$1" "$why" ;;
	esac
	return 1
}
# shows PDF TEX VALUEFILE FORM: the figure and its LaTeX twin show the value.
shows() {
	why+=$($CHECK pdf "$1" "$3" "$4" | sed 's/$/;/')
	why+=$($CHECK tex "$2" "$3" "$4" | sed 's/$/;/')
}
# verdict RESULT WHAT: no code ran and nothing was wrong, else why.
verdict() {
	canary_check
	if [ -z "$why" ]; then
		result PASS "$1" "$2"
	else
		result FAIL "$1" "$why"
	fi
}

# Clean reference sets: emulated (bochs) and measured, for comparisons.
clean_set() { # DIR EMULATED KERNEL
	mkdir -p "$1/samples"
	local h e k
	h=$(plain host refhost) e=$(plain "emu-$2" "$2") k=$(plain "kern-$3" "$3")
	samples "$1/samples/native-cpuid.samples" native cpuid host 1000 host "$h" kernel "$k" emulated "$e"
	samples "$1/samples/kvm-cpuid.samples" kvm cpuid guest 1500 host "$h" kernel "$k" emulated "$e"
	samples "$1/samples/native-pio.samples" native pio host 900 host "$h" kernel "$k" emulated "$e"
	samples "$1/samples/kvm-pio.samples" kvm pio host 18000 host "$h" kernel "$k" emulated "$e"
	why=
	analyse "$1" || { result FAIL setup "the clean set $1 is refused: $why $(cat "$1/analyze.err")"; exit 1; }
}
clean_set "$work/clean/bochs" bochs 6.1.0-clean
clean_set "$work/clean/real" no 6.1.0-clean
clean_set "$work/clean/real2" no 6.12.0-clean

# --- header values -------------------------------------------------------------
# emulated: the value names the emulator; the reader may refuse it (it checks
# emulated), else the EMULATED stamp must show it.
emulated_path() { # NAME
	local n=$1 vf=$work/v/$1 d=$work/e/$1
	why=
	mkdir -p "$d/samples"
	set -- host "$(plain host refhost)" emulated "$vf"
	samples "$d/samples/native-cpuid.samples" native cpuid host 1000 "$@"
	samples "$d/samples/kvm-cpuid.samples" kvm cpuid guest 1500 "$@"
	samples "$d/samples/kvm-irqfd.samples" kvm irqfd cross 6000 "$@"
	taken "$n-emulated" "$d" || return
	why+=$($CHECK analysis "$d" "$vf" emulated | sed 's/$/;/')
	if render "$d/gnuplot" "$d/figures" --formats pdf,tex --only hist,latency; then
		shows "$d/figures/hist-cpuid.pdf" "$d/figures/tex/hist-cpuid.tex" "$vf" header
		shows "$d/figures/latency-irqfd.pdf" "$d/figures/tex/latency-irqfd.tex" "$vf" header
		latex_ok "$d/figures"
	fi
	verdict "$n-emulated" "JSON, CSV, the EMULATED stamp (hist, latency) shows it literally${have_latex:+, LaTeX compiles}"
}

# The free-text keys (host, kernel, cpu_model, microcode, one of no meaning):
# the value is a host's and a kernel's name, in a measured-looking emulated run.
header_path() { # NAME
	local n=$1 vf=$work/v/$1 d=$work/h/$1 k
	why=
	mkdir -p "$d/samples"
	set -- host "$vf" kernel "$vf" emulated "$(plain emu-bochs bochs)" cpu_model "$vf" microcode "$vf" note "$vf"
	samples "$d/samples/native-cpuid.samples" native cpuid host 1000 "$@"
	samples "$d/samples/kvm-cpuid.samples" kvm cpuid guest 1500 "$@"
	samples "$d/samples/native-pio.samples" native pio host 900 "$@"
	samples "$d/samples/kvm-pio.samples" kvm pio host 18000 "$@"
	# an interrupt kind: the report's interrupt section names the host and kernel
	samples "$d/samples/kvm-ipi.samples" kvm ipi guest 4000 "$@"
	taken "$n-header" "$d" || return
	why+=$($CHECK analysis "$d" "$vf" host,kernel | sed 's/$/;/')
	if render "$d/gnuplot" "$d/figures" --formats pdf,tex --only hist,ladder; then
		for k in hist-cpuid hist-pio ladder; do
			grep -qx "$k.pdf" "$d/figures/figures.txt" 2>/dev/null || why+=" no $k.pdf;"
		done
		latex_ok "$d/figures"
	fi
	# A comparison with a clean emulated run: the runs are named by their kernels.
	if render "$d/gnuplot" "$d/compare" --formats pdf,tex --only compare --compare "$work/clean/bochs/gnuplot"; then
		shows "$d/compare/compare.pdf" "$d/compare/tex/compare.tex" "$vf" kernel
		latex_ok "$d/compare"
	fi
	# The report of a run folder holding these statistics.
	printf 'host: %s\ntime: 2026-01-01T02:00:00Z\nkernel: %s\ncpu_model: x\nmicrocode: 0x1\n' \
		"$(head -n 1 "$vf" | tr -d '\000')" "$(head -n 1 "$vf" | tr -d '\000')" >"$d/env.txt"
	printf 'kvm ok: 2 kinds measured\nnative ok: 2 kinds measured\n' >"$d/parts.txt"
	if timeout 60 scripts/lib/report.sh "$d" pdf,tex >"$d/report.md" 2>"$d/report.err"; then
		why+=$($CHECK markdown "$d/report.md" | sed 's/$/;/')
	else
		why+=" report.sh failed: $(tail -n 1 "$d/report.err");"
	fi
	verdict "$n-header" "JSON, CSV, table, figures, comparison (named by the kernel, literally)${have_latex:+, LaTeX compiles}, report"
}

# --- an exit kind of that name ---------------------------------------------------
kind_path() { # NAME
	local n=$1 vf=$work/v/$1 d=$work/k/$1 kf f
	why=
	mkdir -p "$d/samples"
	kf=$(plain kindhost khost)
	{
		printf '# exitlat-samples 1\n# source: kvm\n# exit: '
		cat "$vf"
		printf '\n# unit: cycles\n# domain: host\n# host: khost\n# emulated: no\n# tsc_khz: 2000000\n'
		awk 'BEGIN { srand(3); for (i = 0; i < 300; i++) print 2000 + int(400 * rand()) }'
	} >"$d/samples/kvm-x.samples"
	samples "$d/samples/kvm-cpuid.samples" kvm cpuid guest 1500 host "$kf" emulated "$(plain emno no)"
	taken "$n-kind" "$d" || return
	why+=$($CHECK kind "$d" "$vf" | sed 's/$/;/')
	if render "$d/gnuplot" "$d/figures" --formats pdf,tex --only hist,ladder; then
		f=$(grep -x 'hist-.*\.pdf' "$d/figures/figures.txt" | grep -vx 'hist-cpuid.pdf' | head -n 1)
		if [ -z "$f" ]; then
			why+=" no histogram of the kind;"
		else
			shows "$d/figures/$f" "$d/figures/tex/${f%.pdf}.tex" "$vf" header
		fi
		latex_ok "$d/figures"
	fi
	verdict "$n-kind" "JSON, CSV, figures named and titled safely, kind shown literally${have_latex:+, LaTeX compiles}"
}

# --- a breakdown set ----------------------------------------------------------------
# bd_set DIR SEGMENT_VALUE KEY VALUEFILE...: kvm-pio.samples and its breakdown set
# (trip t0-pio pio-uexit, 300 lines that add up), each file with the KEY VALUE
# pairs; SEGMENT_VALUE (a value file, or empty) replaces t0-pio's name.
bd_set() {
	local dir=$1 segv=$2 seg f
	shift 2
	for seg in trip t0-pio pio-uexit; do
		f=$dir/kvm-pio.breakdown.$seg.samples
		{
			printf '# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: cycles\n# domain: host\n'
			printf '# emulated: bochs\n# breakdown: 1 (docs/breakdown.md)\n'
			# (the value's bytes as they are, a NUL too: never through a shell variable)
			if [ -n "$segv" ] && [ "$seg" = t0-pio ]; then
				printf '# breakdown_segments: trip '
				cat "$segv"
				printf ' pio-uexit\n# breakdown_segment: '
				cat "$segv"
				printf '\n'
			else
				printf '# breakdown_segments: trip t0-pio pio-uexit\n# breakdown_segment: %s\n' "$seg"
			fi
			printf '# breakdown_merged: %s\n' "$([ "$seg" = t0-pio ] && echo yes || echo no)"
			local kv=("$@")
			for ((i = 0; i + 1 < ${#kv[@]}; i += 2)); do
				printf '# %s: ' "${kv[i]}"
				cat "${kv[i + 1]}"
				printf '\n'
			done
			awk -v s="$seg" 'BEGIN { for (i = 0; i < 300; i++) { a = 9000 + i % 53; b = 2000 + i % 7
				print s == "trip" ? a + b : s == "t0-pio" ? a : b } }'
		} >"$f"
	done
	samples "$dir/kvm-pio.samples" kvm pio host 7000 "${@:1:4}" emulated "$(plain emu-bochs bochs)"
	samples "$dir/native-pio.samples" native pio host 900 "${@:1:4}" emulated "$(plain emu-bochs bochs)"
}

breakdown_path() { # NAME
	local n=$1 vf=$work/v/$1 d=$work/b/$1 rc
	why=
	mkdir -p "$d/samples" "$d/seg/samples"
	bd_set "$d/samples" "" host "$vf" kernel "$vf" breakdown_files "$vf" breakdown_covers "$vf" \
		breakdown_from "$vf" breakdown_tracing "$vf"
	# as a segment's name: the reader refuses it, naming the line
	bd_set "$d/seg/samples" "$vf" host "$(plain host refhost)"
	timeout 120 "$ANALYZE" --format json "$d/seg/samples"/*.samples >/dev/null 2>"$d/seg.err"
	rc=$?
	[ $rc = 1 ] && grep -q '\.samples:[0-9][0-9]*: ' "$d/seg.err" ||
		why+=" as a segment's name: exit $rc: $(head -c 200 "$d/seg.err");"
	taken "$n-breakdown" "$d" || return
	why+=$($CHECK analysis "$d" "$vf" host,kernel | sed 's/$/;/')
	why+=$($CHECK breakdown "$d" "$vf" | sed 's/$/;/')
	if render "$d/gnuplot" "$d/figures" --formats pdf,png,tex --only breakdown; then
		grep -qx 'breakdown-pio.pdf' "$d/figures/figures.txt" 2>/dev/null || why+=" no breakdown-pio.pdf;"
		latex_ok "$d/figures"
	fi
	# the report of a run folder holding these statistics and figures, the value a reason too
	printf 'host: %s\ntime: 2026-01-01T02:00:00Z\nkernel: x\ncpu_model: x\nmicrocode: 0x1\n' \
		"$(head -n 1 "$vf" | tr -d '\000')" >"$d/env.txt"
	printf 'kvm ok: 1 kind measured\nkvm-breakdown ok: pio split; not split: cpuid (%s)\n' \
		"$(head -n 1 "$vf" | tr -d '\000')" >"$d/parts.txt"
	if timeout 60 scripts/lib/report.sh "$d" pdf,tex >"$d/report.md" 2>"$d/report.err"; then
		why+=$($CHECK markdown "$d/report.md" | sed 's/$/;/')
		grep -q '^### Where the time goes' "$d/report.md" || why+=" report.md has no 'Where the time goes';"
		grep -q '](figures/breakdown-pio.png)' "$d/report.md" || why+=" report.md does not show breakdown-pio;"
	else
		why+=" report.sh failed: $(tail -n 1 "$d/report.err");"
	fi
	verdict "$n-breakdown" "JSON, CSV, csv-breakdown (covers literally, shares 100 %), stacked figure${have_latex:+, LaTeX compiles}, report; as a segment's name refused"
}

# --- folder and file names --------------------------------------------------------
names_path() { # NAME
	local n=$1 v d s
	why=
	if has_nul "$n"; then
		result SKIP "$n-names" "a file name cannot hold a NUL byte"
		return
	fi
	v=$(as_name "$n")
	d="$work/n/$n/x${v}y"
	s="$d/samples ${v}"
	mkdir -p -- "$s" || { result FAIL "$n-names" "cannot make the folder"; return; }
	cp "$work/clean/real/samples/kvm-cpuid.samples" "$s/kvm-cpuid-${v}.samples"
	cp "$work/clean/real/samples/native-cpuid.samples" "$s/native-cpuid.samples"
	if timeout 120 "$ANALYZE" -f json -o "$d/out ${v}.json" "$s"/*.samples 2>"$work/n/$n.err"; then
		why+=$($CHECK files "$d/out ${v}.json" "$s/kvm-cpuid-${v}.samples" | sed 's/$/;/')
	else
		why+=" exitlat-analyze refused the file: $(head -n 1 "$work/n/$n.err");"
	fi
	timeout 120 "$ANALYZE" -f json --by file -o "$d/by-file.json" "$s"/*.samples 2>>"$work/n/$n.err" &&
		why+=$($CHECK json "$d/by-file.json" | sed 's/$/;/')
	if timeout 120 "$ANALYZE" -q --resamples 100 --gnuplot "$d/gp ${v}" "$s"/*.samples 2>>"$work/n/$n.err"; then
		render "$d/gp ${v}" "$d/fig ${v}" --formats pdf --only hist,ladder &&
			{ grep -qx 'ladder.pdf' "$d/fig ${v}/figures.txt" || why+=" no ladder.pdf;"; }
	else
		why+=" --gnuplot into the folder failed: $(tail -n 1 "$work/n/$n.err");"
	fi
	verdict "$n-names" "folder and file names: analysis (JSON names the file), figures"
}

# --- option values ----------------------------------------------------------------
options_path() { # NAME
	local n=$1 v d=$work/o/$1 rc
	why=
	if has_nul "$n"; then
		result SKIP "$n-options" "an argument cannot hold a NUL byte"
		return
	fi
	v=$(cat "$work/v/$n"; printf x)
	v=${v%x}
	mkdir -p "$d"
	timeout 120 scripts/render-plots --formats pdf --only compare --labels "$v,B" \
		--compare "$work/clean/real2/gnuplot" "$work/clean/real/gnuplot" "$d/labels" >"$d/labels.log" 2>&1
	rc=$?
	if [ $rc = 2 ]; then
		grep -q -- '--labels' "$d/labels.log" || why+=" --labels refused without naming the option;"
	elif [ $rc = 0 ]; then
		why+=$($CHECK pdf "$d/labels/compare.pdf" "$work/v/$n" name | sed 's/$/;/')
	else
		why+=" --labels: exit $rc: $(head -c 200 "$d/labels.log");"
	fi
	timeout 120 scripts/render-plots --formats pdf --only hist --emulated "$v" \
		"$work/clean/real/gnuplot" "$d/emulated" >"$d/emulated.log" 2>&1
	rc=$?
	if [ $rc = 2 ]; then
		grep -q -- '--emulated' "$d/emulated.log" || why+=" --emulated refused without naming the option;"
	elif [ $rc = 0 ]; then
		why+=$($CHECK pdf "$d/emulated/hist-cpuid.pdf" "$work/v/$n" name | sed 's/$/;/')
	else
		why+=" --emulated: exit $rc: $(head -c 200 "$d/emulated.log");"
	fi
	verdict "$n-options" "render-plots --labels and --emulated: refused (exit 2, option named) or shown literally"
}

for n in "${names[@]}"; do
	emulated_path "$n"
	header_path "$n"
	kind_path "$n"
	breakdown_path "$n"
	names_path "$n"
	options_path "$n"
done

# --- the history: hosts so named, summaries holding the value ---------------------
R=$work/results
mkdir -p "$R"
folders=() hosts=()
for n in "${names[@]}"; do
	has_nul "$n" && continue
	[ -s "$work/h/$n/summary.json" ] || continue # the analysis refused it: nothing to import
	h=$(as_name "$n")
	[ "$h" = . ] || [ "$h" = .. ] && continue
	for night in 1 2; do
		f="$R/$h/2026010${night}T020000Z"
		mkdir -p -- "$f"
		# the cpuid series only: 2 trends a host
		"$ANALYZE" -f json -o "$f/summary.json" "$work/h/$n"/samples/*-cpuid.samples 2>/dev/null ||
			cp "$work/h/$n/summary.json" "$f/summary.json"
		cp "$work/h/$n/env.txt" "$f/env.txt"
		sed -i "s/^time: .*/time: 2026-01-0${night}T02:00:00Z/" "$f/env.txt"
		cp "$work/h/$n/parts.txt" "$f/parts.txt"
		folders+=("$f")
	done
	hosts+=("$n")
done
why=
if [ ${#folders[@]} = 0 ]; then
	result SKIP history "the analysis took none of these values: no run folder to import"
	exit $fail
fi
timeout 300 "$HISTORY" -d "$R/history.db" import "${folders[@]}" >"$work/import.log" 2>&1
rc=$?
[ $rc -le 1 ] || why+=" import exit $rc: $(tail -n 2 "$work/import.log");"
for f in json csv; do
	if timeout 120 "$HISTORY" -d "$R/history.db" export -f $f -o "$work/export.$f" 2>"$work/export.err"; then
		why+=$($CHECK $f "$work/export.$f" | sed 's/$/;/')
	else
		why+=" export -f $f failed: $(tail -n 1 "$work/export.err");"
	fi
done
timeout 600 scripts/exitlat-nightly --plots-only --results "$R" --db "$R/history.db" >"$work/nightly.log" 2>&1
rc=$?
[ $rc = 0 ] || why+=" exitlat-nightly --plots-only exit $rc: $(grep -m 2 -i 'error' "$work/nightly.log" | tr '\n' ' ');"
grep -qi 'warning' "$work/nightly.log" && why+=" $(grep -m 1 -i 'warning' "$work/nightly.log");"
# Every trend data file the history writes has its figures.
mkdir -p "$work/trend-data"
"$HISTORY" -d "$R/history.db" trend-data -O "$work/trend-data" >"$work/trend-data.list" 2>&1
ntrend=0
for f in "$work"/trend-data/trend-*.dat; do
	[ -e "$f" ] || continue
	b=${f##*/}
	b=${b%.dat}
	ntrend=$((ntrend + 1))
	[ -n "$(find "$R/trends" -name "$b.pdf" -size +0)" ] || why+=" no figure $b.pdf;"
done
[ "$ntrend" -gt 0 ] || why+=" the history holds no usable night;"
[ -s "$R/trends/fleet-cpuid.pdf" ] || why+=" no fleet-cpuid.pdf;"
# The dashboard: only its own elements, every host shown literally.
dash_hosts=()
for n in "${hosts[@]}"; do
	as_name "$n" >"$work/v/.host-$n"
	dash_hosts+=("$work/v/.host-$n")
done
dash=$($CHECK dashboard "$R" "${dash_hosts[@]}") || why+=" dashboard: $dash;"
canary_check
if [ -z "$why" ]; then
	result PASS history "${#folders[@]} folders of ${#hosts[@]} hostile hosts: import, export JSON/CSV parse, $ntrend trend figures, fleet figures, dashboard ($dash)"
else
	result FAIL history "$why"
fi
# Each host's trend figure shows the host literally in its title; a host whose
# folder import recorded as failed has no trend to draw.
for n in "${hosts[@]}"; do
	as_name "$n" >"$work/v/.host-$n"
	if ! status=$($CHECK history-status "$R/history.db" "$work/v/.host-$n"); then
		result FAIL "$n-history" "$status"
		continue
	fi
	if [[ $status != *ok* && $status != *degraded* ]]; then
		result PASS "$n-history" "import recorded it as a failed night ($status): no trend to draw"
		continue
	fi
	if f=$($CHECK trend-pdf "$work/trend-data" "$R/trends" "$work/v/.host-$n"); then
		result PASS "$n-history" "trend figure $f shows the host literally"
	else
		result FAIL "$n-history" "$f"
	fi
done
exit $fail
