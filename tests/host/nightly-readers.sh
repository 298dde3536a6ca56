#!/usr/bin/env bash
# Reading the nightly history as a lab admin does it: every command but import
# opens the history read-only, so a user who may only read the root-owned
# file lists it (opening no longer switches on WAL, which needs write access
# beside the file); a read never gives an empty file a schema; a history
# another process holds locked is waited for --wait SEC and then named.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" "$B/kvm-probe" "$B/exitlat-native" >/dev/null 2>&1 || {
	test_result FAIL host/nightly-readers "exitlat-history or exitlat-analyze does not build (make B=$B)"
	exit 1
}
hist=$(cd "$B" && pwd)/exitlat-history
work=$(mktemp -d /tmp/exitlat-readers-test.XXXXXX)
holder=
trap '[ -z "$holder" ] || kill "$holder" 2>/dev/null; rm -rf "$work"' EXIT
export EXITLAT_FAKE_HOST=readhost
history/testing/fake-run base --analyze "$B/exitlat-analyze" --kernel 6.1 --out "$work/base" \
	>"$work/base.log" 2>&1 &&
	history/testing/fake-run replay --base "$work/base" --time 2026-10-01T02:00:00Z \
		--out "$work/results" >/dev/null || {
	test_result FAIL host/nightly-readers "building a run folder: $(tail -n 2 "$work/base.log")"
	exit 1
}
db=$work/results/history.db
"$hist" -d "$db" import "$work"/results/readhost/*/ >/dev/null 2>"$work/err" || {
	test_result FAIL host/nightly-readers "import failed: $(cat "$work/err")"
	exit 1
}

# --- a root-owned history, read by nobody ----------------------------------
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	test_result SKIP host/history-read-as-nobody "needs root and setpriv to make a root-owned history and read it as nobody"
else
	chmod 0755 "$work" "$work/results" && chmod 0644 "$db"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	if ! as_nobody test -x "$hist"; then
		cp "$hist" "$work/exitlat-history" && chmod 0755 "$work/exitlat-history"
		nobody_hist=$work/exitlat-history
	else
		nobody_hist=$hist
	fi
	bad=
	for cmd in "runs" "series --exit pio" "check" "export --format csv"; do
		# shellcheck disable=SC2086 # cmd is a command and its options
		as_nobody "$nobody_hist" -d "$db" $cmd >"$work/out" 2>"$work/err"
		rc=$?
		case $cmd:$rc in check:0 | check:3 | [!c]*:0) ;; *) bad+="'$cmd' exit $rc: $(head -n 1 "$work/err"); " ;; esac
	done
	as_nobody "$nobody_hist" -d "$db" runs -f csv >"$work/out" 2>&1
	if [ -z "$bad" ] && grep -q '^2026-10-01T02:00:00Z,readhost,ok,' "$work/out"; then
		test_result PASS host/history-read-as-nobody "runs, series, check, export as uid 65534 on a root-owned 0644 history in a 0755 folder"
	else
		test_result FAIL host/history-read-as-nobody "${bad:-runs printed: $(head -n 2 "$work/out")}"
	fi
	ls -a "$work/results" | grep -q 'history.db-' &&
		test_result FAIL host/history-read-leaves-nothing "files beside the history: $(ls -a "$work/results")" ||
		test_result PASS host/history-read-leaves-nothing "no -wal/-shm/-journal file beside the history after reading"
fi

# --- an empty file is not a history, and stays empty ------------------------
: >"$work/empty.db"
"$hist" -d "$work/empty.db" runs >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 1 ] && [ ! -s "$work/empty.db" ] && grep -q "empty.db: not an exitlat history" "$work/err"; then
	test_result PASS host/history-empty-file "runs on a 0-byte file: exit 1, $(head -n 1 "$work/err" | sed "s|$work/||"), still 0 bytes"
else
	test_result FAIL host/history-empty-file "exit $rc, $(stat -c %s "$work/empty.db") bytes after: $(head -n 1 "$work/err")"
fi

# --- a locked history: waited for --wait SEC, then named -------------------
if ! command -v sqlite3 >/dev/null; then
	test_result SKIP host/history-locked "sqlite3 (the command) is not installed"
else
	# the sqlite3 shell holds an exclusive lock until its input ends
	mkfifo "$work/hold"
	sqlite3 "$db" <"$work/hold" >/dev/null &
	holder=$!
	exec 7>"$work/hold"
	echo "BEGIN EXCLUSIVE; SELECT 'held';" >&7
	sleep 0.5
	bad=
	for cmd in runs import; do
		dir=
		[ $cmd = import ] && dir=$(echo "$work"/results/readhost/*/)
		start=$(date +%s%N)
		"$hist" -d "$db" --wait 1 $cmd $dir >/dev/null 2>"$work/err"
		rc=$?
		ms=$((($(date +%s%N) - start) / 1000000))
		if [ "$rc" != 1 ] || ! grep -q "history.db: .*locked by another process.*waiting 1 s (--wait SEC)" "$work/err" ||
			[ "$ms" -lt 1000 ] || [ "$ms" -gt 6000 ]; then
			bad+="$cmd: exit $rc after ${ms} ms: $(head -n 1 "$work/err"); "
		fi
	done
	exec 7>&-
	wait "$holder"
	holder=
	"$hist" -d "$db" runs >/dev/null 2>"$work/err" || bad+="after the lock went: $(head -n 1 "$work/err")"
	"$hist" --help | grep -A1 -- "--wait SEC" | grep -q "(default [0-9]*, 0 to [0-9]*)" ||
		bad+="--help does not document the wait and its default"
	if [ -z "$bad" ]; then
		test_result PASS host/history-locked "runs and import wait --wait 1 s, then exit 1 naming the lock; the default wait is in --help"
	else
		test_result FAIL host/history-locked "$bad"
	fi
fi
[ "$TEST_FAILS" = 0 ]
