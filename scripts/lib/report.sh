#!/usr/bin/env bash
# Writes report.md of one run folder (scripts/run) on stdout:
#   scripts/lib/report.sh RUN_DIR FORMATS
# It reads only files of the folder: env.txt, parts.txt, gnuplot/*.dat (the
# analysis' documented outputs, columns found by name; figures.dat names the
# figures), figures/figures.txt and the same under emulated/*/. It decides
# nothing the tools have decided (timing domains, the instrument's overhead):
# it shows what they wrote. Measured and EMULATED results stay in separate
# sections; every emulated table and figure says EMULATED. Text from the
# inputs (host names, CPU models, messages) is shown as text, never as markup.
set -u -o pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/envrecord.sh"

dir=${1:?usage: report.sh RUN_DIR FORMATS}
formats=${2:-pdf,png}
[ -r "$dir/env.txt" ] || die "$dir/env.txt missing: not a run folder"
envf=$dir/env.txt
# md TEXT: TEXT as Markdown shows it literally: valid UTF-8, one line, every
# ASCII punctuation character backslash-escaped (CommonMark prints it as is).
md() {
	printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 -c | tr '\000-\037\177' ' ' |
		LC_ALL=C sed 's/[][!"#$%&'"'"'()*+,./:;<=>?@\\^_`{|}~-]/\\&/g'
}
raw() { env_get "$envf" "$1"; }
get() { md "$(raw "$1")"; }

# col FILE: awk program prefix mapping the "# id ..." / "# env ..." line to c[name].
AWK_COLS='/^# (id|env) / { delete c; for (i = 2; i <= NF; i++) c[$i] = i - 1; next } /^#/ { next }'
# A kvm-probe --breakdown set's series (summary.dat's segment column): shown
# in "Where the time goes", not among the kinds' own round trips.
AWK_SETS='("segment" in c) && $c["segment"] != "-" { next }'
# An interrupt kind (summary.dat's kvm_path): a latency, shown in "Interrupt
# latency" (the analysis' interrupts.md), not among the round trips.
AWK_LATENCY='("kvm_path" in c) && $c["kvm_path"] == "interrupt" { next }'

# Number helpers for the tables: trailing zeros dropped ("24128.000" -> "24128"),
# nanoseconds rounded, and none at all for emulated figures (EMU=1); names
# (ids, kinds: blank-free in the analysis' files) escaped like md().
AWK_FMT='
	function num(x) { if (x ~ /^-?[0-9]+\.[0-9]+$/) { sub(/0+$/, "", x); sub(/\.$/, "", x) } return x }
	function txt(name) { x = (name in c) ? $c[name] : ""; gsub(/[][!"#$%&\047()*+,.\/:;<=>?@\\^_`{|}~-]/, "\\\\&", x); return x }
	function v(name) { return (name in c) ? num($c[name]) : "" }
	function ns(name) { x = (name in c) ? $c[name] : ""; return (emu || x == "NaN" || x == "") ? "-" : sprintf("%.0f", x) }'

# Markdown table of the series of a gnuplot folder, with how each one's exits
# were checked (the tools' 'verified' word), and what those words mean.
series_table() { # GNUPLOT_DIR [EMU]
	awk -v emu="${2:-0}" "$AWK_COLS$AWK_FMT$AWK_SETS$AWK_LATENCY"'
	BEGIN {
		print "| series | timed in | exits checked | samples | min | median | p99 | p99.9 | max | median ns | p99 ns |"
		print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	}
	{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", txt("id"), txt("domain"), txt("verified"),
		v("count"), v("min"), v("median"), v("p99"), v("p999"), v("max"), ns("median_ns"), ns("p99_ns") }' "$1/summary.dat"
	echo
	echo "Exits checked: *sample*, KVM's exit counter saw exactly one exit in each kept sample's \`KVM_RUN\`; *buffer*, one exit per timed instruction in every guest buffer (interrupts aside); *several*, more than one exit per instruction; *uncounted*, this KVM counts fewer exits than ran; *exit-reason*, exitlat.ko kept only trips that left with the kind's own exit reason; *off*, not checked; *-*, the files do not say. Where KVM handles each kind: docs/exit-kinds.md in the exitlat sources."
}

# Markdown overhead table (KVM - native) of a gnuplot folder; nothing when empty.
overhead_table() { # GNUPLOT_DIR [EMU]
	awk -v emu="${2:-0}" "$AWK_COLS$AWK_FMT"'
	function ci(a, lo, hi) { return sprintf("%s [%s, %s]", v(a), v(lo), v(hi)) }
	!hdr { hdr = 1
		print "| exit kind | KVM handles it in | native median | KVM median | KVM - native (median) | KVM / native | KVM - native (p99) | KVM - native, ns |"
		print "|---|---|---:|---:|---:|---:|---:|---:|" }
	{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", txt("exit"), txt("step"),
		ci("native_median", "native_median_lo", "native_median_hi"),
		ci("kvm_median", "kvm_median_lo", "kvm_median_hi"),
		ci("diff_median", "diff_median_lo", "diff_median_hi"),
		ci("ratio_median", "ratio_median_lo", "ratio_median_hi"),
		ci("diff_p99", "diff_p99_lo", "diff_p99_hi"), ns("diff_median_ns") }' "$1/ladder.dat"
}

# Figures of a folder: the ladder and comparison shown, the per-kind ones linked,
# as the analysis' figures.dat names them (FIGURE SCRIPT DATA KIND ENV NULL).
figures_md() { # FIG_DIR REL_PREFIX LABEL GNUPLOT_DIR
	local fd=$1 rp=$2 label=$3 gd=$4 f fig script kind null first= rows=()
	[ -r "$fd/figures.txt" ] || { echo "_No figures (see logs/render.log)._"; return; }
	for f in ladder compare; do
		[ -e "$fd/$f.png" ] || continue
		echo "![$label: $f]($rp/$f.png)"
		echo
		echo "[$f.pdf]($rp/$f.pdf)$([ -e "$fd/tex/$f.tex" ] && echo " · [LaTeX: $f.tex]($rp/tex/$f.tex)")"
		echo
	done
	# in the order of the analysis (the exit table's), where drawn; the names
	# are the analysis' own (letters, digits, _ + -), the kinds shown as text
	while IFS=$'\t' read -r fig script _ kind _ null; do
		[ "$script" = hist ] && [[ $fig =~ ^hist-[A-Za-z0-9_+-]+$ ]] || continue
		grep -qx "$fig.pdf" "$fd/figures.txt" || continue
		rows+=("${fig#hist-}	$(md "$kind")")
		[ -n "$first" ] || [ "$null" = 1 ] || first=${rows[-1]}
	done < <(grep -v '^#' "$gd/figures.dat" 2>/dev/null)
	[ ${#rows[@]} -gt 0 ] || return 0
	echo "| exit kind | histogram | CDF | tail |"
	echo "|---|---|---|---|"
	for f in "${rows[@]}"; do
		printf '| %s |' "${f#*	}"
		for script in hist cdf tail; do
			if [ -e "$fd/$script-${f%%	*}.png" ]; then
				printf ' [png](%s) · [pdf](%s) |' "$rp/$script-${f%%	*}.png" "$rp/$script-${f%%	*}.pdf"
			else
				printf ' - |'
			fi
		done
		echo
	done
	echo
	first=${first:-${rows[0]}}
	echo "The tail of ${first#*	}, for a first look:"
	echo
	echo "![$label: tail of ${first#*	}]($rp/tail-${first%%	*}.png)"
}

# Where the time goes: the analysis' breakdown.dat (kvm-probe --breakdown
# sets), per exit kind its segments' medians and p99 and their shares of the
# trips at the median and at p99, with what tracing cost beside them (the
# untraced and traced medians), then the stacked figures figures.dat names.
breakdown_md() { # GNUPLOT_DIR FIG_DIR REL_PREFIX LABEL HEADING [EMU]
	local gd=$1 fd=$2 rp=$3 label=$4 emu=${6:-0} fig script
	grep -qv '^#' "$gd/breakdown.dat" 2>/dev/null || return 0
	echo "$5"
	echo
	echo "kvm-probe --breakdown cut each traced KVM round trip at KVM's own tracepoints (docs/breakdown.md); a"
	echo "merged segment spans a boundary whose event does not fire here. Taken under tracing: the untraced"
	echo "median of the same invocation is beside it. Share at the median: each segment's part of the trips"
	echo "from p45 to p55; at p99: of the trips at or above p99 (docs/analysis.md). Cycles; median and p99 [95 % CI]."
	echo
	awk -v emu="$emu" "$AWK_COLS$AWK_FMT"'
	function ci(a, lo, hi) { return sprintf("%s [%s, %s]", v(a), v(lo), v(hi)) }
	function pct(name) { x = $c[name]; return x == "NaN" ? "-" : sprintf("%.1f %%", x) }
	$c["exit"] != kind {
		if (kind != "") print ""
		kind = $c["exit"]
		printf "**%s**, %s traced round trips: median traced %s", txt("exit"), v("trips"), v("traced_median")
		if ($c["untraced_median"] != "NaN")
			printf ", untraced %s: tracing adds %s cycles (%s)", v("untraced_median"), v("tracing_cost"), pct("tracing_cost_pct")
		else
			printf " (no untraced run: tracing cost unknown)"
		if ($c["native_median"] != "NaN")
			printf "; native median %s, p99 %s", v("native_median"), v("native_p99")
		print "."
		print ""
		print "| segment | median | p99 | share at the median | share at p99 | median ns |"
		print "|---|---:|---:|---:|---:|---:|"
	}
	{ printf "| %s%s | %s | %s | %s | %s | %s |\n", txt("segment"), $c["merged"] == "yes" ? " (merged)" : "",
		ci("median", "median_lo", "median_hi"), ci("p99", "p99_lo", "p99_hi"),
		pct("share_median"), pct("share_p99"), ns("median_ns") }' "$gd/breakdown.dat"
	echo
	while IFS=$'\t' read -r fig script _; do
		[ "$script" = breakdown ] && [[ $fig =~ ^breakdown-[A-Za-z0-9_+-]+$ ]] || continue
		if grep -qx "$fig.png" "$fd/figures.txt" 2>/dev/null; then
			echo "![$label: $fig]($rp/$fig.png)"
			echo
			echo "[$fig.pdf]($rp/$fig.pdf)$([ -e "$fd/tex/$fig.tex" ] && echo " · [LaTeX: $fig.tex]($rp/tex/$fig.tex)")"
		else
			echo "_$fig was not drawn (logs/render.log)._"
		fi
		echo
	done < <(grep -v '^#' "$gd/figures.dat" 2>/dev/null)
}

# Interrupt latency: the section exitlat-analyze built (gnuplot/interrupts.md,
# a Markdown table made in C), then the latency figures figures.dat names and
# the cyclictest histograms beside them. Nothing without interrupt kinds.
interrupts_md() { # GNUPLOT_DIR FIG_DIR REL_PREFIX LABEL HEADING GNUPLOT_REL
	local gd=$1 fd=$2 rp=$3 label=$4 fig script kind
	[ -s "$gd/interrupts.md" ] || return 0
	echo "$5"
	echo
	cat "$gd/interrupts.md"
	while IFS=$'\t' read -r fig script _ kind _; do
		[ "$script" = latency ] && [[ $fig =~ ^latency-[A-Za-z0-9_+-]+$ ]] || continue
		if grep -qx "$fig.png" "$fd/figures.txt" 2>/dev/null; then
			echo "![$label: $fig]($rp/$fig.png)"
			echo
			printf '[%s.pdf](%s/%s.pdf)' "$fig" "$rp" "$fig"
			[ -e "$fd/tex/$fig.tex" ] && printf ' · [LaTeX: %s.tex](%s/tex/%s.tex)' "$fig" "$rp" "$fig"
			[ -e "$gd/cyclictest-${fig#latency-}.dat" ] &&
				printf ' · [cyclictest histogram](%s/cyclictest-%s.dat)' "$6" "${fig#latency-}"
			echo
		else
			echo "_${fig//_/\\_} was not drawn (logs/render.log)._"
		fi
		echo
	done < <(grep -v '^#' "$gd/figures.dat" 2>/dev/null)
}

# Series the measuring tool found dominated by the instrument (kvm-probe's
# instrument_overhead: large), as a list "kvm-cpuid, kvm-hypercall"; the names
# are the analysis' ids, escaped like md().
overhead_large() { # GNUPLOT_DIR
	awk "$AWK_COLS$AWK_FMT$AWK_SETS"' $c["instrument_overhead"] == "large" { printf "%s%s", sep, txt("id"); sep = ", " }' \
		"$1/summary.dat" 2>/dev/null
}
# The kinds one source measured in one timing domain, as the analysis recorded them.
kinds_in() { # DOMAIN SOURCE GNUPLOT_DIR...
	local d=$1 s=$2
	shift 2
	awk "$AWK_COLS$AWK_FMT"' $c["domain"] == d && $c["source"] == s && !seen[$c["exit"]]++ {
		printf "%s%s", sep, txt("exit"); sep = ", " }' d="$d" s="$s" "$@" 2>/dev/null
}

rel=$(md "$(basename "$(dirname "$dir")")/$(basename "$dir")")
host=$(get host)
echo "# exitlat run: $host, $(get time)"
echo
echo "Run folder $rel. Read this first; the files are listed at the end."
echo
echo "## What was measured"
echo
backend=$(raw kvm_backend)
# The backend only matters where this host's /dev/kvm was used.
[ "$(raw dev_kvm)" = usable ] && grep -q '^kvm ok' "$dir/parts.txt" || backend=none
while IFS= read -r line; do
	p=${line%% *} rest=$(md "${line#* }")
	case $p in
	native) echo "- **Native (exitlat.ko on this host)**: $rest" ;;
	kvm) echo "- **KVM on this host**$([ "$backend" != none ] && echo " (/dev/kvm served by $(md "$backend"))"): $rest" ;;
	kvm-breakdown) echo "- **Where the time goes on this host** (kvm-probe --breakdown): $rest" ;;
	emulated-*) echo "- **EMULATED** ($(md "${p#emulated-}")): $rest" ;;
	emulated) echo "- **EMULATED**: $rest" ;;
	*) echo "- $(md "$p"): $rest" ;;
	esac
done <"$dir/parts.txt"
echo
echo "CPU $(get cpu_model) (microcode $(get microcode)), kernel $(get kernel); measured on CPU $(sed -n 's/^measure_cpu: //p' "$dir/.cpu" 2>/dev/null || echo '?'); TSC $(get tsc_khz) kHz."
echo
echo "## Warnings: settings that make latency figures noisy"
echo
if [ -n "$(env_warnings "$envf")" ]; then
	env_warnings "$envf" | while IFS= read -r w; do echo "- $(md "$w")"; done
else
	echo "- none found (turbo off, performance governor, an isolated CPU, SMT off)"
fi
echo

# Measured on this host.
echo "## Measured on this host (hardware time)"
echo
if [ -r "$dir/gnuplot/summary.dat" ]; then
	[ "$backend" = kvm_pvm ] && {
		echo "> The KVM figures come from \`kvm_pvm\`: /dev/kvm without VMX/SVM underneath (PVM, paging-based"
		echo "> isolation). They are real times on this machine, but not those of kvm_intel or kvm_amd."
		echo
	}
	echo "### KVM - native per exit kind"
	echo
	if [ "$(grep -vc '^#' "$dir/gnuplot/ladder.dat")" -gt 0 ]; then
		echo "Cycles; median [95 % CI], bootstrap; differences and ratios KVM over native, same CPU."
		echo
		overhead_table "$dir/gnuplot"
	else
		echo "_No overhead table: native and KVM were not both measured on this host (see What was measured)._"
	fi
	echo
	echo "### Round trips (cycles)"
	echo
	series_table "$dir/gnuplot"
	echo
	echo "Full statistics: [summary.txt](summary.txt), [summary.json](summary.json), [summary.csv](summary.csv), [overhead.csv](overhead.csv)$([ -e "$dir/breakdown.csv" ] && echo ", [breakdown.csv](breakdown.csv)")."
	echo
	breakdown_md "$dir/gnuplot" "$dir/figures" figures measured "### Where the time goes (taken under tracing)"
	interrupts_md "$dir/gnuplot" "$dir/figures" figures measured "### Interrupt latency" gnuplot
	echo "### Figures"
	echo
	[ -r "$dir/.compared" ] && echo "The comparison is with the earlier run $(md "$(cat "$dir/.compared")")." && echo
	figures_md "$dir/figures" figures "measured" "$dir/gnuplot"
elif ls "$dir"/samples/*.samples >/dev/null 2>&1; then
	echo "_No statistics: samples/ holds $(ls "$dir"/samples/*.samples | wc -l) sample files, but the analysis did not run (see What was measured and run.log)._"
else
	echo "_Nothing was measured on this host (see What was measured)._"
fi
echo

# EMULATED.
emudirs=$(find "$dir/emulated" -mindepth 1 -maxdepth 1 -type d -name '*-*' ! -name 'compare-*' 2>/dev/null | sort)
if [ -n "$emudirs" ]; then
	echo "## EMULATED: path lengths, not hardware time"
	echo
	echo "> Everything in this section ran inside an emulator (scripts/emu-run). Its cycle counts are"
	echo "> the emulator's TSC: in Bochs a deterministic path length (instructions), in QEMU (TCG)"
	echo "> emulator time. Neither is hardware latency: compare kinds and kernels, not machines."
	echo
	for d in $emudirs; do
		b=${d##*/}
		echo "### EMULATED: $(md "${b%%-*}"), Linux $(md "${b#*-}") ($(md "$(sed -n 's/^release *//p;s/^kernel_release: //p' "$d/boot/boot.info" 2>/dev/null | head -n 1)"))"
		echo
		if [ ! -r "$d/gnuplot/summary.dat" ]; then
			echo "_No statistics: the boot brought back no sample file the analysis accepted (emulated/$b/emu-run.log)._"
			echo
			continue
		fi
		if [ "$(grep -vc '^#' "$d/gnuplot/ladder.dat")" -gt 0 ]; then
			echo "KVM - native, EMULATED path length (cycles of the emulated TSC):"
			echo
			overhead_table "$d/gnuplot" 1
			echo
		fi
		series_table "$d/gnuplot" 1 | sed '1s/| series |/| series (EMULATED) |/'
		echo
		breakdown_md "$d/gnuplot" "$d/figures" "emulated/$b/figures" "EMULATED $b" \
			"#### Where the time goes (EMULATED, taken under tracing)" 1
		interrupts_md "$d/gnuplot" "$d/figures" "emulated/$b/figures" "EMULATED $b" \
			"#### Interrupt latency (EMULATED)" "emulated/$b/gnuplot"
		figures_md "$d/figures" "emulated/$b/figures" "EMULATED $b" "$d/gnuplot"
		echo
	done
	for d in "$dir"/emulated/compare-*; do
		[ -e "$d/compare.png" ] || continue
		echo "### EMULATED: the two guest kernels compared ($(md "${d##*/compare-}"))"
		echo
		echo "![EMULATED comparison](emulated/${d##*/}/compare.png)"
		echo
		echo "[compare.pdf](emulated/${d##*/}/compare.pdf)"
		echo
	done
fi

# Caveats.
echo "## Caveats"
echo
[ "$(raw under_hypervisor)" = yes ] &&
	echo "- This machine is itself a virtual machine: its own host adds exits, steal time and noise to every figure."
[ "$backend" = kvm_pvm ] &&
	echo "- \`kvm_pvm\` serves /dev/kvm here without VMX/SVM: its \"exits\" are PVM's switches, not VM exits."
gds=()
for g in "$dir/gnuplot" "$dir"/emulated/*/gnuplot; do
	[ -r "$g/summary.dat" ] || continue
	gds+=("$g/summary.dat")
	large=$(overhead_large "$g")
	where=measured
	[[ $g == */emulated/* ]] && where="EMULATED $(md "$(basename "$(dirname "$g")")")"
	[ -z "$large" ] ||
		echo "- **Instrument overhead is large** ($where) for $large: kvm-probe found the same domain's empty timing pair (its null kind) a large part of them (instrument\\_overhead in their sample headers), so they are mostly the instrument. \`exitlat-analyze --subtract-null\` subtracts it; read the other kinds for this machine."
done
guest= hosted= crossed=
[ ${#gds[@]} = 0 ] || guest=$(kinds_in guest kvm "${gds[@]}") hosted=$(kinds_in host kvm "${gds[@]}") crossed=$(kinds_in cross kvm "${gds[@]}")
[ -z "$guest$hosted" ] ||
	echo "- On the KVM side, guest-timed kinds (${guest:-none}) and host-timed ones (${hosted:-none}) are measured in different domains: compare a kind with itself, across sides or runs."
[ -z "$crossed" ] ||
	echo "- ${crossed} run from the host's TSC to the guest's (domain cross): their accuracy is that of the guest's TSC offset removal (the sample headers say how)."
echo "- Every sample is kept: nothing was trimmed. Tails include interrupts, SMIs and the host's scheduling."
echo "- Nanoseconds are cycles over the TSC rate recorded in the samples; emulated figures have no nanoseconds."
echo

echo "## Files"
echo
echo "| file | what |"
echo "|---|---|"
echo "| [env.txt](env.txt) | environment: kernel and command line, CPU, microcode, KVM parameters, governor, turbo, SMT, isolated CPUs, TSC flags; warnings |"
echo "| [parts.txt](parts.txt) | what ran, what is missing and why |"
echo "| samples/ | the measured samples (sample format v1) |"
echo "| summary.txt, summary.json, summary.csv, overhead.csv, breakdown.csv | exitlat-analyze's statistics of samples/ (breakdown.csv: where the time goes) |"
echo "| gnuplot/ | the analysis' data for the figures |"
echo "| figures/ | PDF (vector) and PNG figures$([[ ,$formats, == *,tex,* ]] && echo "; tex/: cairolatex (.tex + .pdf) for the thesis's own fonts") |"
[ -n "$emudirs" ] && echo "| emulated/EMU-KERNEL/ | the same for each emulator boot (EMULATED), with boot/ (console, kernel log) |"
echo "| run.log, logs/ | what the run printed; build, measurement and render logs |"
