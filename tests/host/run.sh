#!/usr/bin/env bash
# End to end: `scripts/run` (what `make run` calls) in a scratch results folder.
#   1. --quick --no-emu, twice: the run folder's files (env record with its keys,
#      parts, samples that pass the format reader, summaries, report.md with its
#      sections), the figures of every measured exit kind, the comparison with
#      the earlier run (second run), the last line naming the report. Without a
#      usable /dev/kvm (or kvm-probe) nothing is measured here: the report must
#      say so and the figure checks are skipped with the reason. The breakdown
#      (kvm-probe --breakdown): as root, the kinds this KVM can split come with
#      their sets, the stacked figures and the report's "Where the time goes";
#      the others, and without root every kind, are named in the one part line
#      kvm-breakdown with the reason; the second run plays a machine without
#      tracefs (KVM_PROBE_TRACEFS): no kind split, each named with the reason.
#   2. --quick with the emulator rig (QEMU, Linux 6.1 and 6.12; 1-3 minutes):
#      native and KVM inside the guests, EMULATED figures stamped so, the
#      two-kernel comparison, the report's EMULATED section; pio and cpuid
#      split by kvm-probe --breakdown in each guest (kvm_amd), their stacked
#      figures and "Where the time goes" per boot. Skipped (with the
#      reason) without qemu-system-x86_64 or with EXITLAT_TEST_NO_EMU=1.
#   3. --emu bochs, as the README offers it (one Bochs boot, Linux 6.12, few
#      samples; a few minutes): Bochs' native kinds are one value each (a
#      deterministic path), and still every figure is drawn, the run exits 0.
#      Skipped (with the reason) without bochs or with EXITLAT_TEST_NO_EMU=1.
# Usage: tests/host/run.sh (B= picks the build folder, default build).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
. "$(dirname "$0")/../../scripts/lib/envrecord.sh"
cd "$EXITLAT_TOP" || exit 1

export B=${B:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
result() { # PASS|FAIL|SKIP NAME WHY
	test_result "$1" "host/run-$2" "$3"
	[ "$1" = FAIL ] && fail=1
	return 0
}

# run_once NAME ARGS...: runs scripts/run into $tmp/results; sets $rd (run folder).
run_once() {
	local name=$1
	shift
	local t0=$SECONDS
	scripts/run --out "$tmp/results" "$@" >"$tmp/$name.out" 2>&1
	rc=$?
	secs=$((SECONDS - t0))
	rd=$(sed -n 's/^report: \(.*\)\/report\.md$/\1/p' "$tmp/$name.out" | tail -n 1)
}

# The figures of a run folder's figure dir for every series of its gnuplot data.
check_figures() { # FIG_DIR GNUPLOT_DIR EMULATED(0|1) -> prints what is wrong
	local fd=$1 gd=$2 emu=$3 kind f
	for kind in $(grep -v '^#' "$gd/summary.dat" | awk '{ print $3 }' | sort -u); do
		for f in hist cdf tail; do
			[ -s "$fd/$f-$kind.pdf" ] && [ -s "$fd/$f-$kind.png" ] || echo "$f-$kind missing"
		done
	done
	grep -v '^#' "$gd/summary.dat" | awk '{ print $3 }' | grep -qv '^null' &&
		{ [ -s "$fd/ladder.pdf" ] || echo "ladder missing"; }
	for f in "$fd"/*.pdf; do
		[ -e "$f" ] || continue
		if [ "$emu" = 1 ]; then
			pdftotext "$f" - 2>/dev/null | grep -q EMULATED || echo "${f##*/} not stamped EMULATED"
		else
			pdftotext "$f" - 2>/dev/null | grep -q EMULATED && echo "${f##*/} stamped EMULATED"
		fi
	done
}

# --- 1. host only -----------------------------------------------------------
run_once first --quick --no-emu --samples 300
why=
[ -n "$rd" ] && [ -d "$rd" ] || why+=" no 'report: DIR/report.md' line (exit $rc);"
if [ -n "$rd" ] && [ -d "$rd" ]; then
	[ "$(tail -n 1 "$tmp/first.out")" = "report: $rd/report.md" ] || why+=" the last line is not the report's path;"
	[ -s "$rd/report.md" ] || why+=" report.md missing;"
	for k in host time kernel cmdline cpu_model microcode virt_hw dev_kvm kvm_backend governor turbo smt_active isolated_cpus tsc_flags clocksource; do
		grep -q "^$k: ." "$rd/env.txt" || why+=" env.txt lacks $k;"
	done
	# Every warning of env.txt was printed and is in the report.
	while IFS= read -r w; do
		grep -qF "WARNING: $w" "$tmp/first.out" || why+=" warning not printed: $w;"
		# (the report escapes Markdown punctuation: compare the text it shows)
		sed 's/\\\(.\)/\1/g' "$rd/report.md" | grep -qF -- "- $w" || why+=" warning not in report.md: $w;"
	done < <(env_warnings "$rd/env.txt")
	for s in '## What was measured' '## Warnings' '## Measured on this host' '## Caveats' '## Files'; do
		grep -q "^$s" "$rd/report.md" || why+=" report.md lacks '$s';"
	done
	grep -q '^native ' "$rd/parts.txt" && grep -q '^kvm ' "$rd/parts.txt" || why+=" parts.txt lacks native/kvm lines;"
	# Nothing emulated in a --no-emu run.
	[ ! -d "$rd/emulated" ] || why+=" --no-emu made emulated/;"
	ls "$rd"/*.tmp.* "$rd"/.report.md "$rd"/.run.log >/dev/null 2>&1 && why+=" temporary files left behind;"
fi
if [ -z "$why" ]; then
	result PASS host-only "exit $rc in ${secs}s: env record, warnings, report.md, parts; $(grep -c . "$rd/parts.txt") parts"
else
	result FAIL host-only "exit $rc:${why:0:500}"
	sed 's/^/    /' "$tmp/first.out" | tail -n 20
fi

if [ -n "$rd" ] && grep -q '^kvm ok' "$rd/parts.txt" 2>/dev/null; then
	why=
	n=$(ls "$rd"/samples/kvm-*.samples 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || why+=" no kvm samples;"
	[ -x "$B/exitlat-analyze" ] && { "$B/exitlat-analyze" --check "$rd"/samples/*.samples >/dev/null 2>&1 || why+=" a sample file fails the reader;"; }
	grep -q "^# kvm_backend: $(env_get "$rd/env.txt" kvm_backend)" "$rd"/samples/kvm-pio.samples 2>/dev/null ||
		why+=" kvm-pio.samples does not name the backend $(env_get "$rd/env.txt" kvm_backend);"
	for f in summary.txt summary.json summary.csv overhead.csv gnuplot/summary.dat; do
		[ -s "$rd/$f" ] || why+=" $f missing;"
	done
	[ -r "$rd/gnuplot/summary.dat" ] && why+=$(check_figures "$rd/figures" "$rd/gnuplot" 0 | head -n 5 | tr '\n' ';')
	# The report shows the measured ladder and links every kind's figures.
	grep -q '](figures/ladder.png)' "$rd/report.md" || why+=" report.md does not show the ladder;"
	for s in $(ls "$rd"/samples/kvm-*.samples | grep -v '\.breakdown\.' | sed 's/.*kvm-\(.*\)\.samples/\1/'); do
		grep -q "figures/tail-$s.png" "$rd/report.md" || why+=" report.md does not link tail-$s;"
	done
	if [ -z "$why" ]; then
		result PASS host-figures "$n KVM kinds measured (backend $(env_get "$rd/env.txt" kvm_backend)), every figure drawn and in report.md"
	else
		result FAIL host-figures "${why:0:500}"
	fi
	# The breakdown: split where kvm-probe can, the rest said in one line.
	why=
	bdline=$(grep '^kvm-breakdown ' "$rd/parts.txt")
	[ "$(grep -c '^kvm-breakdown ' "$rd/parts.txt")" = 1 ] || why+=" not one kvm-breakdown part line: '$bdline';"
	if [ "$(id -u)" = 0 ] && [ -d /sys/kernel/tracing ]; then
		split=$(sed -n 's/^kvm-breakdown ok: \(.*\) split at .*/\1/p' <<<"$bdline")
		[ -n "$split" ] || why+=" as root, no kind split: '$bdline';"
		for k in $split; do
			segs=$(sed -n 's/^# breakdown_segments: //p' "$rd/samples/kvm-$k.breakdown.trip.samples" 2>/dev/null)
			[ -n "$segs" ] || why+=" $k split but no kvm-$k.breakdown.trip.samples;"
			for s in $segs; do
				[ -s "$rd/samples/kvm-$k.breakdown.$s.samples" ] || why+=" no kvm-$k.breakdown.$s.samples;"
			done
			[ -s "$rd/figures/breakdown-$k.pdf" ] && [ -s "$rd/figures/breakdown-$k.png" ] ||
				why+=" no figures/breakdown-$k;"
			grep -q "](figures/breakdown-$k.png)" "$rd/report.md" || why+=" report.md does not show breakdown-$k;"
			# the report escapes the name as Markdown text (rdmsr-user: rdmsr\-user)
			grep -q "^\*\*${k//-/\\\\-}\*\*, [0-9]* traced round trips: median traced [0-9.]*, untraced [0-9.]*: tracing adds" "$rd/report.md" ||
				why+=" report.md has no tracing cost for $k;"
		done
		grep -q '^### Where the time goes (taken under tracing)' "$rd/report.md" || why+=" report.md lacks 'Where the time goes';"
		[ -s "$rd/breakdown.csv" ] || why+=" no breakdown.csv;"
		# every kind not split is named with a reason, and was measured all the same
		for k in $(sed -n 's/.*not split:\([a-z0-9 -]*\) (.*/\1/p' <<<"$bdline" | tr ';' '\n'); do
			[ -s "$rd/samples/kvm-$k.samples" ] || why+=" $k not split, and not measured either;"
		done
		[ "$(env_get "$rd/env.txt" kvm_backend)" != kvm_pvm ] || { [[ $bdline == *"not split: cpuid "* ]] && [[ $bdline == *"(not split on kvm_pvm: "* ]]; } ||
			why+=" kvm_pvm splits no guest-timed kind, but cpuid is not named: '$bdline';"
		if [ -z "$why" ]; then
			result PASS host-breakdown "split: $split; $(sed 's/^kvm-breakdown //' <<<"$bdline" | cut -c1-200)"
		else
			result FAIL host-breakdown "${why:0:500}"
		fi
	else
		[[ $bdline == "kvm-breakdown skipped: no kind split: not split: "* ]] || why+=" '$bdline';"
		ls "$rd"/samples/*.breakdown.* >/dev/null 2>&1 && why+=" breakdown files without root;"
		if [ -z "$why" ]; then
			result PASS host-breakdown "not root: every kind measured without, said once: $bdline"
		else
			result FAIL host-breakdown "${why:0:500}"
		fi
	fi
	# Second run: compared with the first; without tracefs (KVM_PROBE_TRACEFS names
	# none), so no kind is split: said in the one part line, every kind measured all
	# the same, no set, no "Where the time goes".
	first=$rd
	KVM_PROBE_TRACEFS=$tmp/no-tracefs run_once second --quick --no-emu --samples 300 --kinds null,cpuid,pio
	if [ -n "$rd" ] && [ "$rd" != "$first" ] && [ -s "$rd/figures/compare.pdf" ] && [ -s "$rd/figures/compare.png" ] &&
		grep -q "earlier run .*${first##*/}" "$rd/report.md"; then
		result PASS compare-previous "second run ($rc, ${secs}s) compared with ${first##*/}: compare.pdf/png, named in report.md"
	else
		result FAIL compare-previous "second run exit $rc, folder '${rd##*/}': no comparison with ${first##*/}"
	fi
	if [ -n "$rd" ] && [ "$rd" != "$first" ]; then
		why=
		bdline=$(grep '^kvm-breakdown ' "$rd/parts.txt")
		[[ $bdline == "kvm-breakdown skipped: no kind split: not split: cpuid pio (no tracefs at $tmp/no-tracefs: "* ]] ||
			why+=" part line: '$bdline';"
		for k in null cpuid pio; do [ -s "$rd/samples/kvm-$k.samples" ] || why+=" kvm-$k not measured;"; done
		ls "$rd"/samples/*.breakdown.* >/dev/null 2>&1 && why+=" breakdown files without tracefs;"
		grep -q '^### Where the time goes' "$rd/report.md" && why+=" a 'Where the time goes' section without a split;"
		grep -qF 'not split\: cpuid pio \(no tracefs at' "$rd/report.md" || why+=" the report does not say why;"
		if [ -z "$why" ]; then
			result PASS no-tracefs-breakdown "no tracefs: kinds measured without, said once: $bdline"
		else
			result FAIL no-tracefs-breakdown "${why:0:500}"
		fi
	fi
elif [ -n "$rd" ]; then
	reason=$(grep '^kvm ' "$rd/parts.txt")
	if grep -q 'Nothing was measured on this host\|No overhead table' "$rd/report.md"; then
		result SKIP host-figures "no KVM measured on this machine ($reason); the report says so"
	else
		result FAIL host-figures "nothing measured ($reason) and report.md does not say so"
	fi
fi

# --- a machine without /dev/kvm (played with KVM_PROBE_DEV) -----------------------
KVM_PROBE_DEV=$tmp/no-kvm scripts/run --out "$tmp/nokvm" --quick --no-emu >"$tmp/nokvm.out" 2>&1
rc=$?
nd=$(sed -n 's/^report: \(.*\)\/report\.md$/\1/p' "$tmp/nokvm.out" | tail -n 1)
if [ $rc = 0 ] && [ -s "$nd/report.md" ] && grep -q '^kvm missing: /dev/kvm is absent' "$nd/parts.txt" &&
	grep -q 'Nothing was measured on this host' "$nd/report.md" && ! ls "$nd"/samples/*.samples >/dev/null 2>&1 &&
	grep -q '^dev_kvm: absent' "$nd/env.txt"; then
	result PASS no-kvm "no /dev/kvm, --no-emu: KVM reported missing, nothing faked, report says nothing was measured"
else
	result FAIL no-kvm "exit $rc; parts: $(cat "$nd/parts.txt" 2>/dev/null | tr '\n' ';')"
fi

# --- one list of guest kernels ----------------------------------------------------
# scripts/lib/guest-kernels is the list; no script keeps its own.
own=$(grep -nE '6\.1 *\| *6\.12|\(6\.1 6\.12\)|6\.1\) echo linux|kernels=6\.1' scripts/run scripts/emu-run \
	scripts/test-e2e scripts/fetch-kernels | grep -v '^[^:]*:[0-9]*:[[:space:]]*#')
want=$(awk '!/^#/ && NF { printf "%s%s", s, $1; s = " " }' scripts/lib/guest-kernels)
scripts/run --out "$tmp/bad" --kernels 5.10 >"$tmp/kern.out" 2>&1
rk=$?
if [ -z "$own" ] && [ $rk = 2 ] && grep -qF "is not one of $want" "$tmp/kern.out" &&
	[ "$(scripts/fetch-kernels --print 5.10 abi 2>&1 >/dev/null | grep -c "have: $want")" = 1 ]; then
	result PASS guest-kernels "one list ($want) read by run, emu-run, test-e2e, fetch-kernels"
else
	result FAIL guest-kernels "scripts with their own list: ${own:-none}; run --kernels 5.10: exit $rk $(head -c 200 "$tmp/kern.out")"
fi

# --- bad usage and Ctrl-C ------------------------------------------------------
scripts/run --out "$tmp/bad" --samples many >"$tmp/bad1.out" 2>&1
r1=$?
scripts/run --out "$tmp/bad" --compare "$tmp/nowhere" >"$tmp/bad2.out" 2>&1
r2=$?
scripts/run --out "$tmp/bad" --emu vmware >"$tmp/bad3.out" 2>&1
r3=$?
if [ $r1 = 2 ] && grep -qF -- "--samples: 'many' is not a number" "$tmp/bad1.out" && [ $r2 = 2 ] && grep -q 'not a run folder' "$tmp/bad2.out" &&
	[ $r3 = 2 ] && grep -q "'vmware' is not qemu or bochs" "$tmp/bad3.out" && [ ! -e "$tmp/bad" ] &&
	scripts/run --out "$tmp/bad" --cpu 4096 2>&1 | grep -q 'cpu 4096: no such CPU' && [ ! -e "$tmp/bad" ]; then
	result PASS usage "bad --samples, --compare, --emu, --cpu: exit 2 with the reason, nothing written"
else
	result FAIL usage "exits $r1 $r2 $r3: $(head -c 300 "$tmp"/bad[123].out)"
fi

# Ctrl-C in the middle of a long kind: the kind's samples so far, the analysis,
# the figures and the report are still there; exit 130.
if [ -n "$rd" ] && grep -q '^kvm ok' "$rd/parts.txt" 2>/dev/null; then
	# 3 million pio round trips take about 25 s; the signal comes 3 s in.
	setsid scripts/run --out "$tmp/int" --no-emu --no-compare --kinds pio --samples 3000000 \
		>"$tmp/int.out" 2>&1 &
	pid=$!
	for _ in $(seq 1 1200); do
		grep -q 'KVM on this host' "$tmp/int.out" 2>/dev/null && break
		sleep 0.1
	done
	sleep 3
	kill -INT -- "-$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	rd=$(sed -n 's/^report: \(.*\)\/report\.md$/\1/p' "$tmp/int.out" | tail -n 1)
	n=$(grep -vc '^#' "$rd/samples/kvm-pio.samples" 2>/dev/null)
	if [ $rc = 130 ] && [ -s "$rd/report.md" ] && [ "${n:-0}" -gt 0 ] && [ "${n:-0}" -lt 3000000 ] &&
		grep -q '^kvm interrupted' "$rd/parts.txt" && [ -s "$rd/figures/tail-pio.pdf" ]; then
		result PASS interrupt "Ctrl-C during kvm pio: exit 130, $n samples kept, analysed, drawn, reported"
	else
		result FAIL interrupt "exit $rc, pio samples '${n:-none}', parts: $(cat "$rd/parts.txt" 2>/dev/null | tr '\n' ';')"
		tail -n 8 "$tmp/int.out" | sed 's/^/    /'
	fi
	# SIGTERM to the script alone (how exitlat-nightly stops a run): the same.
	scripts/run --out "$tmp/term" --no-emu --no-compare --kinds pio --samples 3000000 >"$tmp/term.out" 2>&1 &
	pid=$!
	for _ in $(seq 1 1200); do
		grep -q 'KVM on this host' "$tmp/term.out" 2>/dev/null && break
		sleep 0.1
	done
	sleep 3
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	rd=$(sed -n 's/^report: \(.*\)\/report\.md$/\1/p' "$tmp/term.out" | tail -n 1)
	n=$(grep -vc '^#' "$rd/samples/kvm-pio.samples" 2>/dev/null)
	if [ $rc = 130 ] && [ -s "$rd/report.md" ] && [ "${n:-0}" -gt 0 ] && [ "${n:-0}" -lt 3000000 ] &&
		grep -q '^kvm interrupted: .*during pio' "$rd/parts.txt"; then
		result PASS terminate "SIGTERM to the script: exit 130, $n pio samples kept and reported"
	else
		result FAIL terminate "exit $rc, pio samples '${n:-none}', parts: $(cat "$rd/parts.txt" 2>/dev/null | tr '\n' ';')"
	fi
else
	result SKIP interrupt "no KVM was measured on this machine: nothing to interrupt"
fi

# --- 2. with the emulator rig -------------------------------------------------
if [ -n "${EXITLAT_TEST_NO_EMU:-}" ]; then
	result SKIP emulated "EXITLAT_TEST_NO_EMU is set (the emulated run takes 1-3 minutes)"
elif ! command -v qemu-system-x86_64 >/dev/null; then
	result SKIP emulated "qemu-system-x86_64 is not installed (scripts/install-deps)"
else
	msg "emulated end-to-end run: two QEMU boots, 1-3 minutes"
	# ipi needs the second vCPU QEMU boots with for make run
	run_once emu --quick --samples 300 --kinds null,cpuid,pio,hlt,ipi --emu qemu --kernels 6.1,6.12 --no-compare
	why= ipi_ok=
	[ "$rc" = 0 ] || why+=" exit $rc: $(grep -m 3 'failed' "$tmp/emu.out" | tr '\n' ' ');"
	if [ -z "$rd" ] || [ ! -d "$rd" ]; then
		why+=" no report line (exit $rc)"
	else
		grep -q 'EMULATED' "$tmp/emu.out" || why+=" the run did not print EMULATED;"
		for k in 6.1 6.12; do
			d=$rd/emulated/qemu-$k
			if [ ! -r "$d/gnuplot/summary.dat" ]; then
				why+=" qemu-$k: no statistics ($(grep "^emulated-qemu-$k" "$rd/parts.txt"));"
				continue
			fi
			ls "$d"/samples/kvm-*.samples >/dev/null 2>&1 || why+=" qemu-$k: no KVM samples;"
			# kvm_amd fires kvm_entry and kvm_exit: the guest splits pio and cpuid
			for b in pio cpuid; do
				[ -s "$d/samples/kvm-$b.breakdown.trip.samples" ] && [ -s "$d/figures/breakdown-$b.pdf" ] ||
					why+=" qemu-$k: no $b breakdown set or figure ($(grep "^emulated-qemu-$k" "$rd/parts.txt" | grep -o 'kvm-breakdown[^;]*'));"
			done
			grep -q '^# emulated: qemu' "$d"/samples/kvm-pio.samples 2>/dev/null || why+=" qemu-$k: kvm-pio.samples not marked emulated;"
			# ipi: 300 samples, or refused in one line where the vCPUs' clocks disagree
			ipilog=$(tail -n 1 "$d/boot/out/measure/kvm-ipi.log" 2>/dev/null)
			if [ "$(grep -vc '^#' "$d/samples/kvm-ipi.samples" 2>/dev/null)" = 300 ]; then
				ipi_ok+=" $k"
			elif [[ $ipilog != *"not one clock here" ]] || [ -e "$d/samples/kvm-ipi.samples" ]; then
				why+=" qemu-$k: no 300 ipi samples nor a clean refusal ($ipilog);"
			fi
			why+=$(check_figures "$d/figures" "$d/gnuplot" 1 | head -n 5 | sed "s/^/qemu-$k: /" | tr '\n' ';')
		done
		[ -n "$ipi_ok" ] || why+=" no boot measured ipi;"
		[ -s "$rd/emulated/compare-qemu/compare.pdf" ] || why+=" no two-kernel comparison;"
		pdftotext "$rd/emulated/compare-qemu/compare.pdf" - 2>/dev/null | grep -q EMULATED ||
			why+=" the comparison is not stamped EMULATED;"
		grep -q '^## EMULATED: path lengths, not hardware time' "$rd/report.md" || why+=" report.md has no EMULATED section;"
		# one per boot that measured an interrupt kind (ipi is refused where the clocks disagree)
		n_ipi=$(wc -w <<<"$ipi_ok")
		[ "$(grep -c '^#### Interrupt latency (EMULATED)' "$rd/report.md")" = "$n_ipi" ] ||
			why+=" report.md has not one EMULATED 'Interrupt latency' per boot that measured ipi ($n_ipi);"
		[ "$(grep -c '^#### Where the time goes (EMULATED, taken under tracing)' "$rd/report.md")" = 2 ] ||
			why+=" report.md has not one EMULATED 'Where the time goes' per boot;"
		# Measured and emulated stay apart: the measured tables hold no emulated series.
		sed -n '/^## Measured on this host/,/^## EMULATED/p' "$rd/report.md" | grep -q 'emulated/' &&
			why+=" the measured section links emulated figures;"
		[ "$(tail -n 1 "$tmp/emu.out")" = "report: $rd/report.md" ] || why+=" the last line is not the report's path;"
	fi
	if [ -z "$why" ]; then
		native=$(ls "$rd"/emulated/qemu-6.1/samples/native-*.samples 2>/dev/null | wc -l)
		result PASS emulated "exit $rc in ${secs}s: QEMU 6.1 + 6.12 (2 vCPUs: ipi measured in$ipi_ok), EMULATED figures (native kinds: $native), comparison, report"
	else
		result FAIL emulated "${why:0:600}"
		sed 's/^/    /' "$tmp/emu.out" | tail -n 25
	fi
fi
# --- 3. Bochs, as the README offers it -------------------------------------------
if [ -n "${EXITLAT_TEST_NO_EMU:-}" ]; then
	result SKIP bochs "EXITLAT_TEST_NO_EMU is set (the Bochs run takes a few minutes)"
elif ! command -v bochs >/dev/null; then
	result SKIP bochs "bochs is not installed (scripts/install-deps)"
else
	msg "Bochs end-to-end run: one boot, a few minutes"
	run_once bochs --quick --samples 100 --kinds cpuid --emu bochs --kernels 6.12 --no-compare
	why=
	d=$rd/emulated/bochs-6.12
	if [ -z "$rd" ] || [ ! -d "$rd" ]; then
		why+=" no report line (exit $rc)"
	elif [ ! -r "$d/gnuplot/summary.dat" ]; then
		why+=" no statistics ($(grep '^emulated-bochs' "$rd/parts.txt"))"
	else
		[ "$rc" = 0 ] || why+=" exit $rc ($(grep -h 'failed' "$rd/parts.txt" | head -n 2 | tr '\n' ';'));"
		why+=$(check_figures "$d/figures" "$d/gnuplot" 1 | head -n 5 | tr '\n' ';')
		grep -q 'warning' "$rd/logs/render.log" 2>/dev/null && why+=" render-plots warned: $(grep -m 1 warning "$rd/logs/render.log");"
		grep -q 'emulated/bochs-6.12/figures/tail-' "$rd/report.md" || why+=" report.md links no Bochs figure;"
	fi
	if [ -z "$why" ]; then
		one=$(awk '!/^#/ && $2 == "native" && $7 == $8 { n++ } END { print n + 0 }' "$d/gnuplot/summary.dat")
		result PASS bochs "exit 0 in ${secs}s: Bochs 6.12, every figure drawn ($one native series of one value), report"
	else
		result FAIL bochs "${why:0:600}"
		sed 's/^/    /' "$tmp/bochs.out" | tail -n 25
	fi
fi
exit $fail
