#!/usr/bin/env bash
# The one command-line convention (docs/cli.md) across every program and
# script: --help and --version answer, every "-X, --long" a help shows is the
# table's, a missing value or an out-of-range number or two options that
# exclude each other are usage errors (exit 2) naming the option. Then the
# measuring tools: kvm-probe's summary (its median is the analysis' median of
# the same file) and --quiet, a kind this KVM cannot run refused at once, and
# exitlat-native's output checked before anything else.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
make -s B="$B" "$B/kvm-probe" "$B/exitlat-native" "$B/exitlat-analyze" "$B/exitlat-history" \
	>/dev/null 2>&1 || { test_result FAIL host/cli "the programs do not build (make B=$B)"; exit 1; }
work=$(mktemp -d /tmp/exitlat-cli-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^#define EXITLAT_VERSION "\(.*\)"$/\1/p' include/exitlat/version.h)
programs=("$B/kvm-probe" "$B/exitlat-native" "$B/exitlat-analyze" "$B/exitlat-history")
scripts=(scripts/run scripts/emu-run scripts/render-plots scripts/exitlat-nightly scripts/test-e2e
	scripts/fetch-kernels scripts/install-deps scripts/check-insns scripts/bench-analysis
	scripts/test-all scripts/run-unit-tests)
# the table of docs/cli.md: "-X --long"
table=$(sed -n 's/^| `\(-[A-Za-z]\)` | `\(--[a-z-]*\)` |.*/\1 \2/p' docs/cli.md)
[ "$(wc -l <<<"$table")" -ge 20 ] || { test_result FAIL host/cli-table "docs/cli.md holds no table"; exit 1; }

# --- --help, --version, and the help's letters against the table ----------
for t in "${programs[@]}" "${scripts[@]}"; do
	name=${t##*/}
	bad=
	timeout 20 "$t" --help >"$work/help" 2>"$work/err" </dev/null || bad+="--help exit $?; "
	[ -s "$work/help" ] || bad+="--help printed nothing on stdout; "
	timeout 20 "$t" --version >"$work/version" 2>&1 </dev/null || bad+="--version exit $?; "
	read -r first <"$work/version"
	[[ $first == "$name $version"* ]] || bad+="--version said '$first'; "
	# "-X, --long": the pairs a help lists
	while read -r short long; do
		grep -qx -- "$short ${long%%[= ]*}" <<<"$table" ||
			bad+="'$short, $long' is not the table's ($(grep -- "^$short " <<<"$table" || echo "-${short#-} unused there")); "
	done < <(sed -n 's/^ *\(-[A-Za-z]\), \(--[a-z-]*\).*/\1 \2/p' "$work/help")
	if [ -z "$bad" ]; then
		test_result PASS "host/cli-help-$name" "--help, --version ($first), $(grep -c '^ *-[A-Za-z], --' "$work/help") letters as in docs/cli.md"
	else
		test_result FAIL "host/cli-help-$name" "$bad"
	fi
done

# --- a missing value names its option, exit 2 -----------------------------
for t in "${programs[@]}" "${scripts[@]}"; do
	name=${t##*/}
	bad= n=0
	timeout 20 "$t" --help 2>/dev/null </dev/null |
		sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z-]*\)[ =]\([A-Z][A-Z_,|]*\)\b.*/\2/p' | sort -u >"$work/valued"
	while read -r long; do
		n=$((n + 1))
		timeout 20 "$t" "$long" >/dev/null 2>"$work/err" </dev/null
		rc=$?
		[ "$rc" = 2 ] && grep -q -- "$long" "$work/err" || bad+="'$long' alone: exit $rc: $(head -n 1 "$work/err"); "
	done <"$work/valued"
	if [ "$n" = 0 ]; then
		test_result PASS "host/cli-missing-value-$name" "it takes no option with a value"
	elif [ -z "$bad" ]; then
		test_result PASS "host/cli-missing-value-$name" "$n options without their value: exit 2 naming the option"
	else
		test_result FAIL "host/cli-missing-value-$name" "$bad"
	fi
done

# --- out of range, conflicts: one line naming the option, exit 2 ----------
f=$work/a.samples
printf '# exitlat-samples 1\n# source: kvm\n# exit: pio\n# unit: cycles\n1\n2\n3\n4\n' >"$f"
bad=
while IFS='|' read -r want cmd; do
	# shellcheck disable=SC2086 # the words are the command
	eval "timeout 20 $cmd" >/dev/null 2>"$work/err" </dev/null
	rc=$?
	[ "$rc" = 2 ] && grep -q -- "$want" "$work/err" || bad+="$cmd: exit $rc: $(head -n 1 "$work/err"); "
done <<CASES
--samples: 99999999999999999999 is out of range|$B/kvm-probe -e pio -n 99999999999999999999
--cpu: -1 is out of range|$B/kvm-probe -e pio -c -1
--samples: 0 is out of range|$B/exitlat-native -e cpuid -n 0
--resamples: 0 is out of range|$B/exitlat-analyze --resamples 0 $f
--confidence: 2 is out of range|$B/exitlat-analyze --confidence 2 $f
--window: 0 is out of range|$B/exitlat-history -d $work/h.db check --window 0
--wait: 99999999 is out of range|$B/exitlat-history --wait 99999999 runs
--samples: 0 is out of range|scripts/run --samples 0
--smp: 0 is out of range|scripts/emu-run --emu qemu --kernel 6.1 --smp 0 -- x
--jobs: 10 is out of range|scripts/test-e2e --jobs 10
--quiet and --output exclude each other|$B/exitlat-analyze -q -g $work/g -o $work/x $f
--quiet and --format exclude each other|$B/exitlat-analyze -q -g $work/g -f json $f
--check only validates|$B/exitlat-analyze --check -o $work/x $f
--night and --every-night exclude each other|$B/exitlat-history -d $work/h.db check --night x -a
--info measures nothing|$B/exitlat-native --info -e cpuid
--compare and --no-compare exclude each other|scripts/run --compare $work --no-compare
--plots-only and --no-plots exclude each other|scripts/exitlat-nightly -p -P
--host only goes with --plots-only|scripts/exitlat-nightly -H somehost
--output needs a value ('--quiet' is an option)|$B/exitlat-analyze -o --quiet $f
CASES
if [ -z "$bad" ]; then
	test_result PASS host/cli-usage-errors "out of range, conflicts, a swallowed option: exit 2 naming the option"
else
	test_result FAIL host/cli-usage-errors "$bad"
fi

# --- a matrix row names only scripts that exist -----------------------------
bad=
while IFS='|' read -r want row; do
	printf '%s\n' "$row" >"$work/matrix"
	B=$work/no-build scripts/test-e2e --matrix "$work/matrix" -O "$work/e2e" >/dev/null 2>"$work/err" </dev/null
	rc=$?
	[ "$rc" = 1 ] && grep -q -- "matrix:1: $want" "$work/err" && [ ! -e "$work/no-build" ] ||
		bad+="'$row': exit $rc: $(head -n 1 "$work/err"); "
done <<ROWS
field checks: 'nope' is not a script|qemu 6.1 - 1 10-kvm-smoke,nope
field checks: '../10-kvm-smoke' is not a script|qemu 6.1 - 1 ../10-kvm-smoke
more than 5 fields|qemu 6.1 - 1 all x
ROWS
if [ -z "$bad" ]; then
	test_result PASS host/cli-e2e-matrix "a row naming a missing guest script or too many fields: refused before any build"
else
	test_result FAIL host/cli-e2e-matrix "$bad"
fi

# --- exitlat-native checks its output before anything else ----------------
mkdir -p "$work/outdir"
EXITLAT_NATIVE_DEV=$work/no-such-device "$B/exitlat-native" -e cpuid -o "$work/outdir" >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 1 ] && grep -q "outdir: is a directory" "$work/err" && ! grep -q no-such-device "$work/err"; then
	test_result PASS host/cli-native-output-first "-o DIRECTORY refused before the device is touched: $(sed "s|$work/||" "$work/err")"
else
	test_result FAIL host/cli-native-output-first "exit $rc: $(head -n 2 "$work/err")"
fi
# a device node as output: refused before the device is touched, and left a device
if [ "$(id -u)" = 0 ] && mknod "$work/fakedev" c 1 7 2>/dev/null; then
	EXITLAT_NATIVE_DEV=$work/no-such-device "$B/exitlat-native" -e cpuid -o "$work/fakedev" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" = 1 ] && [ -c "$work/fakedev" ] && grep -q "not a regular file" "$work/err" &&
		! grep -q no-such-device "$work/err"; then
		test_result PASS host/cli-native-output-device "-o DEVICE refused first, the node kept: $(sed "s|$work/||" "$work/err")"
	else
		test_result FAIL host/cli-native-output-device "exit $rc, node $(stat -c %F "$work/fakedev"): $(head -n 2 "$work/err")"
	fi
else
	test_result SKIP host/cli-native-output-device "making a device node needs root (mknod)"
fi

# --- kvm-probe: summary, --quiet, a kind refused at once -------------------
if [ ! -c /dev/kvm ] || [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	test_result SKIP host/cli-probe-summary "no usable /dev/kvm here"
	test_result SKIP host/cli-probe-refused-early "no usable /dev/kvm here"
	[ "$TEST_FAILS" = 0 ]
	exit
fi
p=$work/pio.samples
if timeout 120 "$B/kvm-probe" -e pio -n 2001 -o "$p" >"$work/out" 2>"$work/err"; then
	med=$(sed -n 's/^summary: .* median=\([0-9.]*\) .*/\1/p' "$work/out")
	amed=$("$B/exitlat-analyze" -f csv "$p" | python3 -c 'import csv, sys; print(next(csv.DictReader(sys.stdin))["median"])')
	timeout 120 "$B/kvm-probe" -e pio -n 100 -q -o "$work/q.samples" >"$work/qout" 2>/dev/null
	qrc=$?
	if grep -q "^kvm-probe: pio on .*: 2001 of 2001 samples in $p" "$work/out" &&
		grep -q '^  min  *median  *p99  *max' "$work/out" && grep -q '^  dropped ' "$work/out" &&
		[ -n "$med" ] && [ "$med" = "$amed" ] && [ "$qrc" = 0 ] && [ ! -s "$work/qout" ]; then
		test_result PASS host/cli-probe-summary "$(wc -l <"$work/out") lines on stdout, median $med = the analysis' median; --quiet prints nothing"
	else
		test_result FAIL host/cli-probe-summary "median '$med' vs analysis '$amed', --quiet exit $qrc with $(wc -c <"$work/qout") bytes: $(head -n 3 "$work/out")"
	fi
else
	test_result FAIL host/cli-probe-summary "kvm-probe -e pio failed: $(tail -n 1 "$work/err")"
fi
backend=$(sed -n 's/^# kvm_backend: //p' "$p" 2>/dev/null)
if [ "$backend" != kvm_pvm ]; then
	test_result SKIP host/cli-probe-refused-early "backend ${backend:-unknown}: no kind is known not to run on it"
else
	start=$(date +%s%N)
	timeout 60 "$B/kvm-probe" -e hypercall --watchdog 10 -o "$work/hc.samples" >/dev/null 2>"$work/err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	if [ "$rc" = 3 ] && [ "$ms" -lt 3000 ] && grep -q '^kvm-probe: hypercall: not measured on kvm_pvm' "$work/err"; then
		test_result PASS host/cli-probe-refused-early "hypercall on kvm_pvm refused in $ms ms (the watchdog is 10 s): $(head -n 1 "$work/err")"
	else
		test_result FAIL host/cli-probe-refused-early "exit $rc after $ms ms: $(head -n 1 "$work/err")"
	fi
fi
[ "$TEST_FAILS" = 0 ]
