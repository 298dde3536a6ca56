#!/usr/bin/env bash
# Host-side checks of kvm-probe on this machine's own /dev/kvm (run by
# scripts/test-all). With a /dev/kvm: every exit kind, in long and real mode,
# is measured or refused with a one-line reason within a bounded time, and the
# files pass the format reader; Ctrl-C keeps the samples; an unprivileged user
# with access can measure. Without one: the probe's clear error. Either way:
# the no-device and permission errors. Usage: tests/host/kvm-probe.sh
# (B= picks the build folder, default build).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
PROBE=$B/kvm-probe
ANALYZE=$B/exitlat-analyze
# A kind that cannot run is stopped by the watchdog within 2 x this.
WATCHDOG=2
# Host-timed kinds take ~20k cycles per sample even on software KVM: seconds.
LIMIT=60
fail=0

if ! make -s B="$B" "$PROBE" >/dev/null; then
	test_result FAIL host/kvm-probe-build "make B=$B $PROBE failed"
	exit 1
fi
make -s B="$B" "$ANALYZE" >/dev/null 2>&1 || ANALYZE=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvm-probe-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# Runs as nobody below write their files here.
pub=$tmp/pub
mkdir -p "$pub" && chmod 0711 "$tmp" && chmod 1777 "$pub"

result() { # PASS|FAIL NAME WHY
	[ "$1" = FAIL ] && fail=1
	test_result "$@"
}

# Checks a sample file: the format reader accepts it, the header says kvm and
# the count asked for.
check_file() { # FILE SAMPLES -> prints the median; non-zero with a reason on stdout
	local f=$1 n=$2 got
	if [ -n "$ANALYZE" ]; then
		"$ANALYZE" --check "$f" >"$tmp/check.out" 2>&1 || { tail -n 1 "$tmp/check.out"; return 1; }
	fi
	grep -qx '# source: kvm' "$f" || { echo "no '# source: kvm' in $f"; return 1; }
	got=$(grep -cv '^#' "$f")
	[ "$got" = "$n" ] || { echo "$got samples, expected $n"; return 1; }
	grep -v '^#' "$f" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# --- errors that need no KVM --------------------------------------------------
out=$(KVM_PROBE_DEV=$tmp/no-such-kvm "$PROBE" --exit pio -o "$tmp/x.samples" 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q 'KVM is not available here' <<<"$out" && grep -q 'VMX/SVM' <<<"$out" &&
	[ ! -e "$tmp/x.samples" ]; then
	result PASS host/kvm-probe-no-device "exit 1: ${out:0:80}..."
else
	result FAIL host/kvm-probe-no-device "exit $rc: $out"
fi
out=$("$PROBE" --exit nosuchkind 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q "unknown exit kind 'nosuchkind' (valid: .*pio" <<<"$out"; then
	result PASS host/kvm-probe-usage "exit 2, valid kinds listed"
else
	result FAIL host/kvm-probe-usage "exit $rc: $out"
fi

# --- no usable /dev/kvm on this host: the clear error ----------------------
# null-host creates a VM and a vCPU but runs no guest: the cheapest check that
# this user can use this host's KVM at all.
out=$("$PROBE" --exit null-host --samples 10 --warmup 0 -o "$tmp/usable.samples" 2>&1)
rc=$?
if [ $rc != 0 ]; then
	if [ $rc = 1 ] && grep -q '/dev/kvm: .*KVM is not available here' <<<"$out"; then
		result PASS host/kvm-probe-no-kvm "no usable /dev/kvm here: $out"
		test_result SKIP host/kvm-probe-kinds "this host has no usable /dev/kvm"
	elif [ $rc = 1 ] && grep -q "/dev/kvm: Permission denied.*'kvm'" <<<"$out"; then
		result PASS host/kvm-probe-no-access "uid $(id -u) may not open /dev/kvm: told about the kvm group"
		test_result SKIP host/kvm-probe-kinds "uid $(id -u) may not open /dev/kvm here"
	else
		result FAIL host/kvm-probe-usable "exit $rc: $out"
	fi
	exit $fail
fi

# --- permission denied: nobody on a device it may not open -------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	if [ "$(stat -c %a /dev/kvm)" = 666 ]; then
		test_result SKIP host/kvm-probe-permission "/dev/kvm is world-accessible here"
	else
		out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$PROBE" --exit pio -o "$pub/x.samples" 2>&1)
		rc=$?
		if [ $rc = 1 ] && grep -q "Permission denied.*'kvm'" <<<"$out"; then
			result PASS host/kvm-probe-permission "exit 1, names the kvm group"
		else
			result FAIL host/kvm-probe-permission "exit $rc: $out"
		fi
	fi
else
	test_result SKIP host/kvm-probe-permission "needs root and setpriv to switch to nobody"
fi

# --- every kind, both modes: measured or refused, in bounded time ------------
kinds=$("$PROBE" --list | awk '{ print $1 }')
[ -n "$kinds" ] || { result FAIL host/kvm-probe-list "--list printed nothing"; exit 1; }
# Interrupt kinds: fewer samples (kvm_pvm delivers to a running vCPU only at its next exit: ms each).
irq_kinds=$("$PROBE" --list | awk '$3 == "interrupt" { print $1 }')
for mode in long real; do
	for k in $kinds; do
		name=host/kvm-probe-$mode-$k
		f=$tmp/$mode-$k.samples
		n=2000 w=200
		grep -qx -- "$k" <<<"$irq_kinds" && n=300 w=32
		start=$SECONDS
		timeout -k 5 $LIMIT "$PROBE" --exit "$k" --mode $mode --samples $n --warmup $w \
			--watchdog $WATCHDOG -o "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		secs=$((SECONDS - start))
		case $rc in
		0)
			if med=$(check_file "$f" $n); then
				backend=$(sed -n 's/^# kvm_backend: //p' "$f")
				note=$(sed -n 's/^# instrument_overhead: \(large\).*/, instrument overhead large/p' "$f")
				result PASS "$name" "median $med cycles on $backend, dropped $(sed -n 's/^# dropped: //p' "$f")$note, ${secs}s"
			else
				result FAIL "$name" "$med"
			fi
			;;
		3)
			# Refused: exactly one line saying why, naming the kind, and no file.
			if [ "$(grep -c 'not measured' "$tmp/err")" = 1 ] && grep -q "^kvm-probe: $k: " "$tmp/err" &&
				[ ! -e "$f" ]; then
				result PASS "$name" "refused in ${secs}s: $(grep 'not measured' "$tmp/err")"
			else
				result FAIL "$name" "exit 3 without a one-line reason: $(cat "$tmp/err")"
			fi
			;;
		124 | 137)
			result FAIL "$name" "no answer within ${LIMIT}s: the watchdog did not stop it"
			;;
		*)
			result FAIL "$name" "exit $rc: $(tail -n 3 "$tmp/err")"
			;;
		esac
	done
done

# --- interrupt kinds: what their files must say, and their refusals ---------
[ -n "$irq_kinds" ] || result FAIL host/kvm-probe-irq-list "--list names no interrupt kind"
for k in $irq_kinds; do
	f=$tmp/long-$k.samples
	[ -e "$f" ] || continue		# refused above, with its reason
	missing=
	want="apic_mode irq_vector verified"
	[ "$(sed -n 's/^# domain: //p' "$f")" = cross ] && want="$want tsc_offset tsc_offset_method host_cpus"
	[ "$k" = timer ] && want="$want timer_mode timer_distance_ns timer_kvm"
	case $k in ipi*) want="$want tsc_offset tsc_offset_method host_cpus" ;; esac
	for key in $want; do
		grep -q "^# $key: ." "$f" || missing="$missing $key"
	done
	if [ -z "$missing" ] && grep -Eqx '# apic_mode: (x2apic|xapic)' "$f"; then
		result PASS "host/kvm-probe-irq-header-$k" "$(sed -n 's/^# \(apic_mode\|verified\|tsc_offset_method\|timer_mode\): /\1=/p' "$f" | tr '\n' ' ')"
	else
		result FAIL "host/kvm-probe-irq-header-$k" "header lacks:$missing"
	fi
done
# Real mode has no LAPIC page nor 64-bit IDT: refused at once, saying so.
for k in $irq_kinds; do
	out=$("$PROBE" --exit "$k" --mode real -o "$tmp/r.samples" 2>&1)
	rc=$?
	if [ $rc = 3 ] && grep -q "^kvm-probe: $k: not measured in real mode: .*long mode only" <<<"$out"; then
		result PASS "host/kvm-probe-irq-real-$k" "refused: ${out:0:90}..."
	else
		result FAIL "host/kvm-probe-irq-real-$k" "exit $rc: $out"
	fi
done
# One host CPU: the kinds with a second thread (eventfd writer, vCPU 1) are refused.
if command -v taskset >/dev/null; then
	for k in irqfd ipi-halt; do
		out=$(taskset -c 0 "$PROBE" --exit $k -o "$tmp/one.samples" 2>&1)
		rc=$?
		if [ $rc = 3 ] && grep -q "second host CPU" <<<"$out" && [ ! -e "$tmp/one.samples" ]; then
			result PASS "host/kvm-probe-irq-one-cpu-$k" "refused: ${out:0:100}..."
		else
			result FAIL "host/kvm-probe-irq-one-cpu-$k" "exit $rc: $out"
		fi
	done
else
	test_result SKIP host/kvm-probe-irq-one-cpu "no taskset to confine the probe to one CPU"
fi
out=$("$PROBE" --exit irqfd --breakdown -o "$tmp/bd.samples" 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q 'interrupt latency' <<<"$out"; then
	result PASS host/kvm-probe-irq-no-breakdown "usage error: $out"
else
	result FAIL host/kvm-probe-irq-no-breakdown "exit $rc: $out"
fi

# --- pio, the kind every backend serves, for the remaining checks ------------
f=$tmp/verify.samples
if "$PROBE" --exit pio --samples 3000 -o "$f" 2>"$tmp/err"; then
	check=$(sed -n 's/^# stats_check: //p' "$f")
	verify=$(sed -n 's/^# verify: //p' "$f")
	if [ "$verify" = "exits counter" ] && [[ $check == "ok: 3000 kept samples each saw exactly one exit"* ]]; then
		result PASS host/kvm-probe-stats-check "$check"
	elif [[ $verify == unavailable* ]]; then
		test_result SKIP host/kvm-probe-stats-check "$verify"
	else
		result FAIL host/kvm-probe-stats-check "verify '$verify', stats_check '$check'"
	fi
else
	result FAIL host/kvm-probe-stats-check "$(tail -n 1 "$tmp/err")"
fi

f=$tmp/noverify.samples
if "$PROBE" --exit pio --samples 1000 --no-verify -o "$f" 2>"$tmp/err" &&
	grep -qx '# verify: off (--no-verify)' "$f" && ! grep -q '^# stats_check' "$f"; then
	result PASS host/kvm-probe-no-verify "header says off, no stats check"
else
	result FAIL host/kvm-probe-no-verify "$(tail -n 1 "$tmp/err")"
fi

# Ctrl-C: exit 130, the samples so far written and marked.
f=$tmp/int.samples
"$PROBE" --exit pio --samples 50000000 -o "$f" 2>"$tmp/err" &
pid=$!
sleep 2
kill -INT $pid
wait $pid
rc=$?
n=$(grep -cv '^#' "$f" 2>/dev/null)
if [ $rc = 130 ] && grep -qx '# interrupted: yes' "$f" && [ "${n:-0}" -gt 0 ] &&
	[ "$(sed -n 's/^# samples: //p' "$f")" = "$n" ]; then
	result PASS host/kvm-probe-interrupt "exit 130, $n samples kept, interrupted: yes"
else
	result FAIL host/kvm-probe-interrupt "exit $rc, ${n:-no} samples: $(tail -n 2 "$tmp/err")"
fi

# Unprivileged: a private node for the same device, owned by nobody, so the
# host's /dev/kvm keeps its permissions.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	dev=$pub
	if mknod "$dev/kvm" c "$((16#$(stat -c %t /dev/kvm)))" "$((16#$(stat -c %T /dev/kvm)))" 2>/dev/null &&
		chown 65534:65534 "$dev/kvm" && chmod 0600 "$dev/kvm" &&
		KVM_PROBE_DEV=$dev/kvm setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$PROBE" --exit hlt --samples 1000 -o "$dev/user.samples" 2>"$tmp/err"; then
		if med=$(check_file "$dev/user.samples" 1000); then
			result PASS host/kvm-probe-unprivileged "uid 65534 measured hlt, median $med cycles"
		else
			result FAIL host/kvm-probe-unprivileged "$med"
		fi
	elif [ ! -e "$dev/kvm" ]; then
		test_result SKIP host/kvm-probe-unprivileged "cannot create a device node under $tmp (nodev?)"
	else
		result FAIL host/kvm-probe-unprivileged "$(tail -n 2 "$tmp/err")"
	fi
else
	test_result SKIP host/kvm-probe-unprivileged "needs root to give nobody its own device node"
fi
exit $fail
