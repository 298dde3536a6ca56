#!/usr/bin/env bash
# The interrupt kinds (issue 14) from the analysis to the report, on sample
# files written at test time by tests/data/plots/make-interrupt-fixtures.py,
# whose figures are known by construction (irq-real: measured, 3 GHz; irq-emu:
# EMULATED qemu, 2 GHz):
#   - analysis: the 'cross' domain in summary.dat, JSON and CSV; no null
#     subtracted from an interrupt kind with --subtract-null, while cpuid is;
#     the kinds grouped as 'interrupt' on the ladder, native intr-exit beside;
#   - cyclictest-KIND.dat: cyclictest's -h lines for irqfd, exactly;
#   - latency-KIND figures: drawn without a gnuplot warning in PDF, PNG and
#     cairolatex, the bin on the axis (1 us, 0.1 us, 2 ns, 10 ns), the max
#     marked, EMULATED stamped on the emulated ones only;
#   - report.sh: an "Interrupt latency" section per part with the analysis'
#     rows (count, median, p99, max, ns), halted - running with its interval,
#     the figures shown; the interrupt kinds out of the round-trip table.
# Usage: tests/host/interrupt-figures.sh (B= picks the build folder). ~10 s.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interrupt-figures.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
result() { # PASS|FAIL NAME WHY
	test_result "$1" "host/interrupt-figures-$2" "${3:-}"
	[ "$1" = FAIL ] && fail=1
	return 0
}
# verdict NAME WHY: PASS when WHY is empty
verdict() { if [ -z "$2" ]; then result PASS "$1"; else result FAIL "$1" "$2"; fi; }
has() { grep -qF -- "$2" "$1"; }

if ! python3 tests/data/plots/make-interrupt-fixtures.py "$tmp/fix" >"$tmp/fix.log" 2>&1; then
	result FAIL fixtures "make-interrupt-fixtures.py: $(tail -n 1 "$tmp/fix.log")"
	exit 1
fi
if ! make -s B="$B" "$B/exitlat-analyze" >/dev/null 2>&1; then
	result FAIL build "exitlat-analyze does not build in $B"
	exit 1
fi
for t in gnuplot pdftotext; do
	command -v "$t" >/dev/null || { result FAIL tools "$t is not installed (scripts/install-deps)"; exit 1; }
done
A=$B/exitlat-analyze
mkdir -p "$tmp/real" "$tmp/emu"
real=("$tmp"/fix/irq-real/*.samples) emu=("$tmp"/fix/irq-emu/*.samples)

# --- the analysis -----------------------------------------------------------
why=
"$A" --subtract-null -g "$tmp/real/gp" -o "$tmp/real.txt" "${real[@]}" 2>"$tmp/a.err" ||
	why+=" exitlat-analyze failed: $(tail -n 1 "$tmp/a.err");"
"$A" --subtract-null -f json -o "$tmp/real.json" "${real[@]}" 2>/dev/null || why+=" json failed;"
"$A" --subtract-null -f csv -o "$tmp/real.csv" "${real[@]}" 2>/dev/null || why+=" csv failed;"
has "$tmp/a.err" "no null series" && why+=" a null was looked for: $(grep -m1 'no null' "$tmp/a.err");"
row=$(awk '$1 == "kvm-irqfd"' "$tmp/real/gp/summary.dat")
[[ $row == *" cross "* && $row == *" interrupt" ]] || why+=" summary.dat: kvm-irqfd not cross/interrupt: $row;"
python3 - "$tmp/real.json" >"$tmp/json.out" 2>&1 <<'EOF' || why+=" json: $(cat "$tmp/json.out");"
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["id"]: x for x in d["series"]}
assert s["kvm-irqfd"]["domain"] == "cross", s["kvm-irqfd"]["domain"]
assert s["kvm-timer"]["null_subtracted"] == 0 and s["kvm-timer"]["median"] == 89961, s["kvm-timer"]
assert s["kvm-cpuid"]["null_subtracted"] == 60 and s["kvm-cpuid"]["median"] == 1233, s["kvm-cpuid"]
lad = [(r["exit"], r["kvm_path"], r["measured"]) for r in d["ladder"]]
irq = [r for r in lad if r[1] == "interrupt"]
assert [r[0] for r in irq] == ["irqfd", "irqfd-halt", "timer", "ipi", "ipi-halt", "self-ipi",
                               "eoi", "intr-exit"], irq
assert irq[-1][2] == "native" and lad.index(irq[0]) > lad.index(("cpuid", "kernel", "kvm")), lad
p = {x["halted"]: x for x in d["running_vs_halted"]}
assert sorted(p) == ["kvm-ipi-halt", "kvm-irqfd-halt"], p
ipi = p["kvm-ipi-halt"]
assert ipi["running"] == "kvm-ipi" and ipi["diff_median"] == 19499.5, ipi
assert ipi["diff_median_ci"][0] <= 19499.5 <= ipi["diff_median_ci"][1], ipi
EOF
grep -q '^kvm-irqfd-halt,[^,]*,kvm,irqfd-halt,cross,' "$tmp/real.csv" || why+=" csv: kvm-irqfd-halt not cross;"
has "$tmp/real.txt" "kvm-ipi-halt: a latency (interrupt delivery): no null subtracted" ||
	why+=" table: no latency note;"
verdict analysis "$why"

# --- cyclictest's histogram --------------------------------------------------
why= c=$tmp/real/gp/cyclictest-irqfd.dat
for l in '# Histogram' '000003 000990' '000010 000009' '000100 000001' '# Total: 000001000' \
	'# Min Latencies: 00003' '# Avg Latencies: 00003' '# Max Latencies: 00100' \
	'# Histogram Overflows: 00000' '# Histogram Overflow at cycle number:' '# Thread 0:'; do
	grep -qxF -- "$l" "$c" 2>/dev/null || why+=" no line '$l';"
done
rows=$(grep -c '^[0-9]' "$c" 2>/dev/null)
[ "$rows" = 101 ] || why+=" $rows rows, expected 101 (0 to the max, 100 us);"
[ "$(grep '^[0-9]' "$c" | awk '{ s += $2 } END { print s }')" = 1000 ] || why+=" rows do not add up to 1000;"
has "$tmp/real/gp/cyclictest-timer.dat" '# Min Latencies: 00025' || why+=" timer: min not 25 us;"
verdict cyclictest "$why"

# --- the figures ---------------------------------------------------------------
why=
"$A" -q -g "$tmp/emu/gp" "${emu[@]}" 2>/dev/null || why+=" exitlat-analyze (emulated) failed;"
for s in real emu; do
	scripts/render-plots --formats pdf,png,tex --only latency "$tmp/$s/gp" "$tmp/$s/fig" \
		>"$tmp/render-$s.log" 2>&1 || why+=" render-plots ($s) failed: $(tail -n 2 "$tmp/render-$s.log" | tr '\n' ' ');"
done
has "$tmp/render-real.log" warning && why+=" gnuplot warned;"
txt() { pdftotext -q "$tmp/$1/fig/latency-$2.pdf" - 2>/dev/null | tr '\n' ' '; }
check_fig() { # SET KIND TEXT...
	local s=$1 k=$2 t
	shift 2
	[ -s "$tmp/$s/fig/latency-$k.png" ] && [ -s "$tmp/$s/fig/tex/latency-$k.tex" ] ||
		why+=" latency-$k ($s): PNG or LaTeX missing;"
	t=$(txt "$s" "$k")
	for want in "$@"; do
		[[ $t == *"$want"* ]] || why+=" latency-$k ($s): no '$want' in: $t;"
	done
	if [ "$s" = real ]; then [[ $t != *EMULATED* ]] || why+=" latency-$k stamped EMULATED;"; fi
}
check_fig real irqfd 'bins of 0.1 µs' 'max 100.0 µs' KVM irqfd
check_fig real timer 'bins of 1 µs' 'max 35.0 µs'
check_fig real eoi 'bins of 2 ns' 'max 59 ns'
check_fig real intr-exit native 'max 710 ns'
check_fig emu ipi 'EMULATED (qemu)' 'emulated latency (ns), bins of 10 ns' 'max 224 ns'
# the cairolatex twins compile ($\mu$ in the axis and the max), when LaTeX is installed
if command -v pdflatex >/dev/null; then
	{
		printf '%s\n' '\documentclass{article}' '\usepackage{graphicx,color}' '\begin{document}'
		for f in "$tmp"/real/fig/tex/latency-*.tex "$tmp"/emu/fig/tex/latency-ipi.tex; do
			printf '\\graphicspath{{%s/}}\\input{%s}\\par\n' "${f%/*}" "$f"
		done
		printf '%s\n' '\end{document}'
	} >"$tmp/all.tex"
	(cd "$tmp" && timeout 120 pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape \
		all.tex >/dev/null 2>&1) || why+=" LaTeX: $(grep -m 1 -A 2 '^!' "$tmp/all.log" | tr '\n' ' ');"
fi
n=$(grep -c '^latency-.*\.pdf$' "$tmp/real/fig/figures.txt" 2>/dev/null)
[ "$n" = 8 ] || why+=" $n latency figures (real), expected 8;"
verdict figures "$why"

# --- the report --------------------------------------------------------------
why= rd=$tmp/run
mkdir -p "$rd/emulated/qemu-6.12" "$rd/logs"
cp -r "$tmp/real/gp" "$rd/gnuplot" && cp -r "$tmp/real/fig" "$rd/figures"
cp -r "$tmp/emu/gp" "$rd/emulated/qemu-6.12/gnuplot" && cp -r "$tmp/emu/fig" "$rd/emulated/qemu-6.12/figures"
printf 'host: rt-box\ntime: 2026-11-30T08:00:00Z\nkernel: 6.12.9-amd64\ncpu_model: x\nmicrocode: 0x1\ndev_kvm: usable\nkvm_backend: kvm_intel\n' >"$rd/env.txt"
printf 'kvm ok: 9 kinds measured\nemulated-qemu-6.12 ok: EMULATED\n' >"$rd/parts.txt"
scripts/lib/report.sh "$rd" pdf,png,tex >"$rd/report.md" 2>"$tmp/report.err" ||
	why+=" report.sh failed: $(tail -n 1 "$tmp/report.err");"
section() { sed -n "/^$1/,/^$2/p" "$rd/report.md"; }
irq=$(section '### Interrupt latency' '### Figures')
emu_irq=$(section '#### Interrupt latency (EMULATED)' '## Caveats')
rt=$(section '### Round trips' '### Interrupt latency')
for want in '| irqfd | kvm\-irqfd | cross | 1000 | 9000 | 9210 | 300000 | 3000 | 3070 | 100000 |' \
	'| eoi | kvm\-eoi | guest | 1000 | 163.5 | 177 | 177 | 54 | 59 | 59 |' \
	'| intr\-exit | native\-intr\-exit | host | 1000 |' \
	'| ipi vs ipi\-halt | 4500.5 | 24000 | 19499.5 [19499.0, 19500.0] |' \
	'![measured: latency-irqfd](figures/latency-irqfd.png)' \
	'[cyclictest histogram](gnuplot/cyclictest-irqfd.dat)'; do
	[[ $irq == *"$want"* ]] || why+=" measured section lacks '$want';"
done
for want in '| ipi | kvm\-ipi | guest | 500 | 424.5 | 449 | 449 | - | - | - |' \
	'| irqfd vs irqfd\-halt | 2049.5 | 9124.5 | 7075 [' \
	'(emulated/qemu-6.12/figures/latency-ipi.png)' \
	'[cyclictest histogram](emulated/qemu-6.12/gnuplot/cyclictest-ipi.dat)'; do
	[[ $emu_irq == *"$want"* ]] || why+=" EMULATED section lacks '$want';"
done
[[ $rt == *'kvm\-cpuid'* ]] || why+=" kvm-cpuid missing from the round trips;"
[[ $rt == *'kvm\-irqfd'* ]] && why+=" an interrupt kind among the round trips;"
grep -q 'irqfd, irqfd\\-halt run from the host' "$rd/report.md" || why+=" no caveat on the cross domain;"
verdict report "$why"
exit $fail
