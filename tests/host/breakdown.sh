#!/usr/bin/env bash
# kvm-probe --breakdown on this machine (run by scripts/test-all). Without
# tracefs or without root: one line and exit 3, no file. With root and a
# usable /dev/kvm: pio's segments add up to the traced round trip line by
# line, both medians (with and without tracing) are in the headers, the
# events that fired are named, a tiny trace buffer's overrun is counted,
# and SIGINT, SIGTERM, SIGHUP and SIGQUIT leave no tracefs instance behind.
# Usage: tests/host/breakdown.sh (B= picks the build folder, default build).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
PROBE=$B/kvm-probe
ANALYZE=$B/exitlat-analyze
N=3000

if ! make -s B="$B" "$PROBE" >/dev/null; then
	test_result FAIL host/breakdown-build "make B=$B $PROBE failed"
	exit 1
fi
make -s B="$B" "$ANALYZE" >/dev/null 2>&1 || ANALYZE=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/breakdown-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pub=$tmp/pub
mkdir -p "$pub" && chmod 0711 "$tmp" && chmod 1777 "$pub"

key() { sed -n "s/^# $2: //p" "$1"; }

# A refusal: exit 3, exactly one line naming --breakdown and @want, no file.
refusal() { # NAME WANT RC OUT FILE
	local lines
	lines=$(printf '%s\n' "$4" | grep -c .)
	if [ "$3" = 3 ] && [ "$lines" = 1 ] && grep -q "^kvm-probe: --breakdown: .*$2" <<<"$4" &&
		[ ! -e "$5" ]; then
		test_result PASS "$1" "exit 3: $4"
	else
		test_result FAIL "$1" "exit $3, $lines lines: $4"
	fi
}

# --- refusals that need no KVM ------------------------------------------------
out=$(KVM_PROBE_TRACEFS=$tmp/none "$PROBE" --breakdown --exit pio -o "$tmp/x.samples" 2>&1)
refusal host/breakdown-no-tracefs "no tracefs at $tmp/none" $? "$out" "$tmp/x.samples"
out=$(KVM_PROBE_TRACEFS=$tmp "$PROBE" --breakdown --exit pio -o "$tmp/x.samples" 2>&1)
refusal host/breakdown-not-tracefs "$tmp is not a tracefs" $? "$out" "$tmp/x.samples"

if [ "$(id -u)" != 0 ]; then
	out=$("$PROBE" --breakdown --exit pio -o "$tmp/x.samples" 2>&1)
	refusal host/breakdown-no-root "needs root" $? "$out" "$tmp/x.samples"
	test_result SKIP host/breakdown-kvm "needs root for tracefs (uid $(id -u))"
	exit $((TEST_FAILS > 0))
fi
if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$PROBE" --breakdown --exit pio -o "$pub/x.samples" 2>&1)
	refusal host/breakdown-no-root "needs root" $? "$out" "$pub/x.samples"
else
	test_result SKIP host/breakdown-no-root "no setpriv to run as nobody"
fi

# --- with KVM -------------------------------------------------------------------
if ! "$PROBE" --exit null-host --samples 10 --warmup 0 -o "$tmp/usable.samples" >"$tmp/err" 2>&1; then
	test_result SKIP host/breakdown-kvm "no usable /dev/kvm here: $(tail -n 1 "$tmp/err")"
	exit $((TEST_FAILS > 0))
fi

# Checks a breakdown set beside FILE: every segment file has the trip file's
# count, passes the format reader, and the segments add up to the trip on
# every line. Prints "KEPT SEGMENTS"; non-zero with the reason on stdout.
check_set() { # FILE
	local f=$1 base=${1%.samples} trip segs s n bad cols=() i=0
	trip=$base.breakdown.trip.samples
	[ -e "$trip" ] || { echo "no $trip"; return 1; }
	segs=$(key "$trip" breakdown_segments)
	[ "${segs%% *}" = trip ] || { echo "breakdown_segments '$segs' does not start with trip"; return 1; }
	n=$(key "$trip" samples)
	[ "${n:-0}" -gt 0 ] || { echo "no sample kept ($trip says '$n')"; return 1; }
	for s in $segs; do
		f=$base.breakdown.$s.samples
		[ -e "$f" ] || { echo "no $f"; return 1; }
		if [ -n "$ANALYZE" ] && ! "$ANALYZE" --check "$f" >"$tmp/check.out" 2>&1; then
			echo "format check of $f: $(tail -n 1 "$tmp/check.out")"
			return 1
		fi
		[ "$(key "$f" breakdown_segment)" = "$s" ] || { echo "$f: breakdown_segment is not $s"; return 1; }
		[ "$(grep -cv '^#' "$f")" = "$n" ] || { echo "$f: not $n samples"; return 1; }
		grep -v '^#' "$f" >"$tmp/col.$i"
		cols+=("$tmp/col.$i")
		i=$((i + 1))
	done
	bad=$(paste "${cols[@]}" | awk '{ s = 0; for (i = 2; i <= NF; i++) s += $i; if (s != $1) bad++ }
		END { print bad + 0 }')
	[ -n "$bad" ] && [ "$bad" = 0 ] || { echo "$bad of $n samples: segments do not add up to the trip"; return 1; }
	echo "$n ${segs#trip }"
}

f=$tmp/pio.samples
if "$PROBE" --breakdown --exit pio --samples $N --warmup 200 -o "$f" >"$tmp/out" 2>"$tmp/err"; then
	if got=$(check_set "$f"); then
		trip=$tmp/pio.breakdown.trip.samples
		test_result PASS host/breakdown-pio-adds-up "$(key "$f" kvm_backend): ${got%% *} of $N samples, segments ${got#* }, each line adds up"
		fired=$(key "$trip" breakdown_events_fired)
		silent=$(key "$trip" breakdown_events_silent)
		test_result PASS host/breakdown-events "$(key "$f" kvm_backend): fired: $fired; silent: ${silent:-none}"
	else
		test_result FAIL host/breakdown-pio-adds-up "$got"
	fi
	um=$(key "$f" untraced_median) tm=$(key "$f" traced_median)
	if [[ $um =~ ^[0-9]+(\.[0-9]+)?$ && $tm =~ ^[0-9]+(\.[0-9]+)?$ ]] &&
		[ "$(key "$tmp/pio.breakdown.trip.samples" untraced_median)" = "$um" ] &&
		[ "$(key "$tmp/pio.breakdown.trip.samples" traced_median)" = "$tm" ]; then
		test_result PASS host/breakdown-tracing-cost "untraced median $um, traced $tm: $(key "$f" tracing_cost)"
	else
		test_result FAIL host/breakdown-tracing-cost "untraced_median '$um', traced_median '$tm'"
	fi
else
	test_result FAIL host/breakdown-pio-adds-up "exit $?: $(tail -n 2 "$tmp/err")"
fi

# A buffer of a few pages cannot hold a chunk: the lost events are counted
# and their samples dropped as overrun; what is kept still adds up.
f=$tmp/tiny.samples
if "$PROBE" --breakdown --trace-buffer 8 --exit pio --samples $N --warmup 0 -o "$f" \
	>"$tmp/out" 2>"$tmp/err"; then
	trip=$tmp/tiny.breakdown.trip.samples
	over=$(key "$trip" breakdown_dropped_overrun) lost=$(key "$trip" breakdown_lost_events)
	if [ "${over:-0}" -gt 0 ] && [ "${lost:-0}" -gt 0 ] && got=$(check_set "$f"); then
		test_result PASS host/breakdown-overrun "8 KB buffer: $lost events lost, $over samples dropped as overrun, ${got%% *} kept add up"
	else
		test_result FAIL host/breakdown-overrun "overrun '$over', lost '$lost': ${got:-}"
	fi
else
	test_result FAIL host/breakdown-overrun "exit $?: $(tail -n 2 "$tmp/err")"
fi

# Signals: exit 130, the instance gone. Sent while the traced run's events
# are enabled when that shows in time, else whenever the instance exists.
tracefs=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
for sig in INT TERM HUP QUIT; do
	f=$tmp/sig-$sig.samples
	"$PROBE" --breakdown --exit pio --samples 400000 --warmup 0 -o "$f" >/dev/null 2>"$tmp/err" &
	pid=$!
	inst=$tracefs/instances/exitlat-kvm-probe-$pid
	when="before its instance existed"
	for _ in $(seq 600); do
		if [ "$(cat "$inst/events/kvm/kvm_userspace_exit/enable" 2>/dev/null)" = 1 ]; then
			when="during the traced run"
			break
		fi
		[ -d "$inst" ] && when="while the instance existed"
		sleep 0.05
	done
	kill -$sig $pid
	wait $pid
	rc=$?
	if [ $rc = 130 ] && [ ! -e "$inst" ] && [ -n "$tracefs" ]; then
		test_result PASS host/breakdown-sig$sig "exit 130 after SIG$sig $when, $inst removed"
	else
		test_result FAIL host/breakdown-sig$sig "exit $rc after SIG$sig $when; instance $([ -e "$inst" ] && echo left || echo gone): $(tail -n 1 "$tmp/err")"
		rmdir "$inst" 2>/dev/null
	fi
done
exit $((TEST_FAILS > 0))
