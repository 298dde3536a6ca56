#!/usr/bin/env bash
# scripts/exitlat-nightly when things go wrong, one test per way: an alert
# command that hangs is stopped after --alert-timeout (with what it started);
# a nightly killed with SIGKILL does not leave its lock to the measurement it
# started, so the next night runs and records the killed one as failed; a
# measurement that made no run folder is a failed night in the history; an
# unknown key in the settings file is an error and nothing in it runs as
# code; a results path with a blank works; a figure that could not be drawn
# makes a non-zero exit; options that exclude each other are usage errors.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
export B
make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" "$B/kvm-probe" "$B/exitlat-native" >/dev/null 2>&1 || {
	test_result FAIL host/nightly-robust "exitlat-history or exitlat-analyze does not build (make B=$B)"
	exit 1
}
hist=$B/exitlat-history
fake=history/testing/fake-run
work=$(mktemp -d /tmp/exitlat-robust-test.XXXXXX)
cleanup=()
trap 'for p in "${cleanup[@]}"; do kill -9 -- -"$p" 2>/dev/null; done; rm -rf "$work"' EXIT
export EXITLAT_FAKE_HOST=robusthost
$fake base --analyze "$B/exitlat-analyze" --kernel 6.1 --out "$work/base" >"$work/base.log" 2>&1 || {
	test_result FAIL host/nightly-robust "building the base folder: $(tail -n 3 "$work/base.log")"
	exit 1
}
replay() { echo "$fake replay --base $work/base --time $1"; }
runs() { "$hist" -d "$1/history.db" runs -f csv 2>/dev/null | tail -n +2; }
alive() { [ "${1:-0}" -gt 0 ] && kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; }

# --- a hanging alert command is stopped, with what it started -------------
res=$work/alert
start=$SECONDS
timeout 100 scripts/exitlat-nightly --results "$res" --no-plots --run-cmd false \
	--alert-cmd "echo \$\$ >'$work/alert.pid'; sleep 300; true" --alert-timeout 2 \
	>"$work/out" 2>"$work/err"
rc=$?
took=$((SECONDS - start))
apid=$(cat "$work/alert.pid" 2>/dev/null)
if [ "$rc" = 1 ] && [ "$took" -lt 30 ] && grep -q "alert command did not finish within 2 s" "$work/err" &&
	[ -n "$apid" ] && ! alive "$apid"; then
	test_result PASS host/nightly-alert-timeout "an alert that hangs was stopped after 2 s; the nightly ended in ${took}s (exit 1, failed night)"
else
	test_result FAIL host/nightly-alert-timeout "exit $rc after ${took}s, alert pid ${apid:-none} $(alive "${apid:-0}" && echo alive): $(tail -n 2 "$work/err")"
fi

# --- the lock is not inherited: kill -9 the nightly, not what it started ---
res=$work/kill
setsid scripts/exitlat-nightly --results "$res" --no-plots \
	--run-cmd "$(replay 2026-10-01T02:00:00Z) --die" >"$work/killed.log" 2>&1 &
npid=$!
cleanup+=("$npid")
for _ in $(seq 100); do
	ls "$res"/robusthost/*/.parts >/dev/null 2>&1 && break
	sleep 0.1
done
kill -9 "$npid"
wait "$npid" 2>/dev/null
orphans=$(pgrep -g "$npid" | wc -l)
scripts/exitlat-nightly --results "$res" --no-plots --run-cmd "$(replay 2026-10-02T02:00:00Z)" \
	>"$work/next.log" 2>&1
rc=$?
status=$(runs "$res" | cut -d, -f1,3 | paste -sd' ')
if [ "$orphans" -gt 0 ] && [ "$rc" = 0 ] &&
	[ "$status" = "2026-10-01T02:00:00Z,failed 2026-10-02T02:00:00Z,ok" ]; then
	test_result PASS host/nightly-lock-not-inherited "after kill -9 of the nightly ($orphans of its processes still running) the next night ran: $status"
else
	test_result FAIL host/nightly-lock-not-inherited "next nightly exit $rc with $orphans orphans alive; runs: ${status:-none}; $(tail -n 2 "$work/next.log")"
fi
kill -9 -- -"$npid" 2>/dev/null

# --- a measurement that made no run folder is a failed night --------------
res=$work/nofolder
scripts/exitlat-nightly --results "$res" --no-plots --run-cmd false \
	--alert-cmd "cat >'$work/nofolder.alert'" >"$work/out" 2>"$work/err"
rc=$?
row=$(runs "$res")
folder=${row##*,}
# this host's name (hostname -s): the nightly, not fake-run, made the folder
if [ "$rc" = 1 ] && [[ $row == *",failed,"*"made no run folder (false exited 1)"* ]] &&
	[ -f "$folder/nightly.log" ] && grep -q '^FAILED .*made no run folder' "$work/nofolder.alert"; then
	test_result PASS host/nightly-no-folder-recorded "exit 1, alerted, and in the history: ${row%%,*} failed, its output kept in ${folder#"$res"/}/nightly.log"
else
	test_result FAIL host/nightly-no-folder-recorded "exit $rc, history: '${row:-no run}', alert: $(cat "$work/nofolder.alert" 2>&1)"
fi

# --- the settings file: data, and only known keys -------------------------
res=$work/config
mkdir -p "$res"
cat >"$work/nightly.conf" <<CONF
# a typo below: ALERT_COMAND
RESULTS=$res
CHECK_OPTS="\$(touch $work/pwned)"
ALERT_COMAND='mail -s x lab@example.org'
CONF
scripts/exitlat-nightly --config "$work/nightly.conf" --no-plots --run-cmd false >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 2 ] && grep -q "nightly.conf:4: unknown key 'ALERT_COMAND'" "$work/err" &&
	[ ! -e "$work/pwned" ] && [ -z "$(ls -A "$res")" ]; then
	test_result PASS host/nightly-config-unknown-key "exit 2: $(head -n 1 "$work/err" | sed "s|$work/||"); nothing ran, nothing measured"
else
	test_result FAIL host/nightly-config-unknown-key "exit $rc, pwned: $([ -e "$work/pwned" ] && echo yes || echo no): $(head -n 2 "$work/err")"
fi
printf 'RESULTS="%s"\nCHECK_OPTS="--sigmas 6"\n' "$res" >"$work/good.conf"
if scripts/exitlat-nightly --config "$work/good.conf" --no-plots --run-cmd "$(replay 2026-10-03T02:00:00Z)" \
	>"$work/out" 2>"$work/err" && [ "$(runs "$res" | wc -l)" = 1 ]; then
	test_result PASS host/nightly-config-values "RESULTS and CHECK_OPTS (quoted) taken from the file"
else
	test_result FAIL host/nightly-config-values "$(tail -n 2 "$work/err")"
fi

# --- a results path with a blank (measurement, history, check) ------------
res="$work/with blank/results"
if scripts/exitlat-nightly --results "$res" --no-plots --run-cmd "$(replay 2026-10-04T02:00:00Z)" \
	>"$work/out" 2>"$work/err" && [[ $(runs "$res") == *",ok,"* ]]; then
	test_result PASS host/nightly-blank-path "results under '$(basename "$(dirname "$res")")/': night recorded ok"
else
	test_result FAIL host/nightly-blank-path "$(tail -n 2 "$work/err")"
fi

# --- a figure that could not be drawn is a non-zero exit ------------------
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "gnuplot: cannot draw (a test stand-in)" >&2\nexit 1\n' >"$work/bin/gnuplot"
chmod +x "$work/bin/gnuplot"
res=$work/figures
PATH=$work/bin:$PATH scripts/exitlat-nightly --results "$res" --run-cmd "$(replay 2026-10-05T02:00:00Z)" \
	>"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 5 ] && [[ $(runs "$res") == *",ok,"* ]] && grep -q "some trend figures are missing" "$work/err"; then
	test_result PASS host/nightly-figure-failure-exit "gnuplot failing: the night is recorded, exit 5"
else
	test_result FAIL host/nightly-figure-failure-exit "exit $rc (want 5): $(tail -n 2 "$work/err")"
fi
PATH=$work/bin:$PATH scripts/exitlat-nightly --results "$res" --plots-only >"$work/out" 2>"$work/err"
rc=$?
[ "$rc" = 5 ] && test_result PASS host/nightly-plots-only-failure-exit "--plots-only with failing figures: exit 5" ||
	test_result FAIL host/nightly-plots-only-failure-exit "exit $rc (want 5): $(tail -n 2 "$work/err")"

# --- options that exclude each other, values that are missing -------------
bad=
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086 # the words are the options
	scripts/exitlat-nightly $args >"$work/out" 2>"$work/err"
	rc=$?
	[ "$rc" = 2 ] && grep -q -- "$want" "$work/err" && grep -q "Try 'exitlat-nightly --help'" "$work/err" ||
		bad+="'$args': exit $rc: $(head -n 1 "$work/err"); "
done <<'CASES'
--plots-only --no-plots|--plots-only and --no-plots exclude each other
-p -R true|--plots-only measures nothing
--plots-only -- --quick|--plots-only measures nothing
--results|--results needs a value
--alert-timeout 0|--alert-timeout: 0 is out of range (1 to 86400)
--alert-timeout x|--alert-timeout: 'x' is not a number
CASES
[ -z "$bad" ] && test_result PASS host/nightly-usage-errors "conflicts and missing values: exit 2 naming the option" ||
	test_result FAIL host/nightly-usage-errors "$bad"
[ "$TEST_FAILS" = 0 ]
