#!/usr/bin/env bash
# Thirty nights of the nightly job on one host, without booting anything: two
# base run folders (Bochs, guest Linux 6.1 and 6.12, deterministic samples,
# statistics by the real exitlat-analyze) are replayed with successive dates
# through scripts/exitlat-nightly. The guest kernel changes to 6.12 on night
# 16, where the KVM exits to user space get 4 % longer. Night 10 is killed
# half-way; while it hangs, a second nightly must be refused by the lock.
# Checks: the alert fires on night 16 and on no other, names the kernel
# change and says EMULATED; the killed night is a failed night and nothing
# else changed; re-importing everything changes nothing; the trend figures exist.
# With EXITLAT_NIGHTLY_SAMPLES_6_1 and _6_12 set to folders of real kvm-probe
# files from Bochs boots (tests/e2e/host.d/40-nightly.sh does that), the base
# folders hold those instead: then every exit whose path length really changed
# between the two kernels must alert on night 16, and only there.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
export B
name=${NIGHTLY_TEST_NAME:-host/nightly-30-nights}
real61=${EXITLAT_NIGHTLY_SAMPLES_6_1:-}
real612=${EXITLAT_NIGHTLY_SAMPLES_6_12:-}
fail() { test_result FAIL "$name" "$*"; exit 1; }
if ! make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" "$B/kvm-probe" "$B/exitlat-native" >/dev/null 2>&1; then
	fail "exitlat-history or exitlat-analyze does not build (make B=$B)"
fi
hist=$B/exitlat-history
work=$(mktemp -d /tmp/exitlat-nightly-test.XXXXXX)
bg=
trap '[ -z "$bg" ] || kill -9 -- -"$bg" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
fake=history/testing/fake-run
export EXITLAT_FAKE_HOST=labhost
res=$work/results db=$work/results/history.db

$fake base --analyze "$B/exitlat-analyze" --kernel 6.1 ${real61:+--samples "$real61"} \
	--out "$work/base-6.1" >"$work/base.log" 2>&1 &&
	$fake base --analyze "$B/exitlat-analyze" --kernel 6.12 ${real612:+--samples "$real612"} \
		--out "$work/base-6.12" >>"$work/base.log" 2>&1 ||
	fail "building the base folders: $(tail -n 3 "$work/base.log")"
nseries=$(ls "$work"/base-6.1/emulated/*/samples/*.samples | wc -l)

# night D: its date, and its base (6.12 from night 16 on)
night_time() { date -u -d "2026-10-01 02:00 UTC + $(($1 - 1)) days" +%Y-%m-%dT%H:%M:%SZ; }
night_base() { [ "$1" -lt 16 ] && echo "$work/base-6.1" || echo "$work/base-6.12"; }
nightly() { # D [extra run-cmd words]: runs one night, prints its exit status
	local d=$1 plots=--no-plots
	shift
	[ "$d" = 30 ] && plots=
	scripts/exitlat-nightly --results "$res" $plots --alert-cmd "sed 's/^/night $d: /' >>'$work/alerts'" \
		--run-cmd "$fake replay --base $(night_base "$d") --time $(night_time "$d") $*" \
		>>"$work/nightly.log" 2>&1
	echo $?
}

: >"$work/alerts"
for d in $(seq 1 30); do
	if [ "$d" = 10 ]; then
		# killed half-way; meanwhile a second nightly is refused
		setsid scripts/exitlat-nightly --results "$res" --no-plots \
			--run-cmd "$fake replay --base $(night_base 10) --time $(night_time 10) --die" \
			>>"$work/nightly.log" 2>&1 &
		bg=$!
		for _ in $(seq 100); do
			ls "$res"/labhost/*/.parts >/dev/null 2>&1 && break
			sleep 0.1
		done
		ls "$res"/labhost/*/.parts >/dev/null 2>&1 || fail "night 10 never started"
		rc=$(nightly 10)
		[ "$rc" = 4 ] || fail "a second nightly during night 10 exited $rc, not 4 (lock refused)"
		kill -9 -- -"$bg"
		wait "$bg" 2>/dev/null
		bg=
		continue
	fi
	rc=$(nightly "$d")
	want=0
	[ "$d" = 16 ] && want=3
	[ "$rc" = "$want" ] || fail "night $d: exitlat-nightly exited $rc, expected $want (log: $(tail -n 5 "$work/nightly.log"))"
done

# The alert: night 16 only, kernel change named, EMULATED. Synthetic: exactly
# the KVM exits to user space made longer (kvm-probe --list says which). Real:
# every kind whose median grew by more than the 1 % floor between the two
# kernels' files, pio among them (one that got faster on 6.12, as mmio-kernel
# does, is no regression).
alerts=$(grep -c . "$work/alerts")
if [ -z "$real61" ]; then
	kinds=$("$B/kvm-probe" --list | awk '$3 == "user" { print $1 }')
	want_alerts=$(wc -w <<<"$kinds") kernels="6.1.0-emu -> 6.12.0-emu"
else
	want_alerts=$("$B/exitlat-analyze" --format csv "$work"/base-6.1/emulated/*/samples/*.samples \
		"$work"/base-6.12/emulated/*/samples/*.samples | python3 -c '
import csv, sys
med = {}
for r in csv.DictReader(sys.stdin):
	med.setdefault(r["exit"], []).append(float(r["median"]))
print(sum(1 for v in med.values() if len(v) == 2 and v[1] - v[0] > 0.01 * v[0]))') ||
		fail "cannot compare the two kernels' medians"
	kinds=pio kernels="6.1.* -> 6.12"
fi
[ "$alerts" = "$want_alerts" ] && [ "$alerts" -gt 0 ] ||
	fail "expected $want_alerts alert lines (night 16), got $alerts: $(cat "$work/alerts")"
! grep -qv "^night 16: " "$work/alerts" || fail "alerts outside night 16: $(cat "$work/alerts")"
for k in $kinds; do
	grep -q "^night 16: REGRESSION labhost $(night_time 16) kvm-$k/host/bochs: .*EMULATED (bochs).*kernel changed $kernels" \
		"$work/alerts" || fail "no night-16 alert for kvm-$k naming the kernel change: $(cat "$work/alerts")"
done
every=$("$hist" -d "$db" check --every-night)
[ $? = 3 ] || fail "check --every-night did not exit 3"
[ "$(grep -c '^REGRESSION' <<<"$every")" = "$want_alerts" ] &&
	! grep '^REGRESSION' <<<"$every" | grep -vq "$(night_time 16)" ||
	fail "check --every-night: regressions outside night 16: $every"

# The history: 30 nights, night 10 failed without data, the rest intact.
q() { sqlite3 "$db" "$1"; }
[ "$(q "SELECT count(*) FROM runs")" = 30 ] || fail "expected 30 runs, got $(q 'SELECT count(*) FROM runs')"
[ "$(q "SELECT time FROM runs WHERE status = 'failed'")" = "$(night_time 10)" ] ||
	fail "night 10 is not the one failed night: $(q "SELECT time, status FROM runs WHERE status <> 'ok'")"
[ "$(q "SELECT count(*) FROM series s JOIN runs r ON r.id = s.run_id WHERE r.status = 'failed'")" = 0 ] ||
	fail "the killed night holds series"
[ "$(q "SELECT count(*) FROM series")" = $((29 * nseries)) ] ||
	fail "expected $((29 * nseries)) series, got $(q 'SELECT count(*) FROM series')"
[ "$(q "PRAGMA integrity_check")" = ok ] && [ -z "$(q "PRAGMA foreign_key_check")" ] ||
	fail "the database is not consistent"
[ "$(q "PRAGMA journal_mode")" = delete ] || fail "the history does not use a rollback journal (readers need no write access)"
before=$(q "SELECT group_concat(digest) FROM (SELECT digest FROM runs ORDER BY time)")
"$hist" -d "$db" import --record-failed "$res"/labhost/*/ >"$work/reimport.log" 2>&1 ||
	fail "re-import failed: $(tail -n 3 "$work/reimport.log")"
[ "$(grep -vc '^unchanged:' "$work/reimport.log")" = 0 ] || fail "re-import changed something: $(grep -v '^unchanged:' "$work/reimport.log")"
[ "$(q "SELECT group_concat(digest) FROM (SELECT digest FROM runs ORDER BY time)")" = "$before" ] ||
	fail "re-import changed the runs"

# Trend figures of the last night.
for f in pdf png; do
	[ -s "$res/trends/labhost/trend-labhost--kvm-pio_host_bochs.$f" ] ||
		fail "no trend figure trend-labhost--kvm-pio_host_bochs.$f ($(grep -i 'error\|warning' "$work/nightly.log" | tail -n 2))"
done
# The dashboard of the last night: the index and a page per run, failed ones too.
[ -s "$res/index.html" ] || fail "the nightly wrote no $res/index.html"
pages=$(find "$res/dashboard" -name 'run-*.html' 2>/dev/null | wc -l)
[ "$pages" = "$(q 'SELECT count(*) FROM runs')" ] ||
	fail "$pages run pages in $res/dashboard, the history has $(q 'SELECT count(*) FROM runs') runs"
test_result PASS "$name" "30 nights${real61:+ of real Bochs kvm-probe files}, $alerts alert(s) on night 16 only (kernel change named), killed night 10 recorded failed, lock held, a dashboard page per run"
