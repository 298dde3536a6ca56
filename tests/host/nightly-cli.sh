#!/usr/bin/env bash
# exitlat-history and exitlat-nightly as a lab admin types them: usage errors
# exit 2, short options match long ones, exports parse, a wrong host is an
# error; and the packaging: `make install-nightly install-dkms DESTDIR=...`
# stages units that systemd accepts (when systemd-analyze exists) and a DKMS
# tree whose dkms.conf points at the module's kbuild sources and headers.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
name=host/nightly-cli
fail() { test_result FAIL "$name" "$*"; exit 1; }
make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" "$B/kvm-probe" "$B/exitlat-native" >/dev/null 2>&1 ||
	fail "exitlat-history or exitlat-analyze does not build (make B=$B)"
hist=$B/exitlat-history
work=$(mktemp -d /tmp/exitlat-cli-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export EXITLAT_FAKE_HOST=clihost
history/testing/fake-run base --analyze "$B/exitlat-analyze" --kernel 6.1 --out "$work/base" \
	>"$work/base.log" 2>&1 || fail "building the base folder: $(tail -n 3 "$work/base.log")"
for d in 01 02; do
	history/testing/fake-run replay --base "$work/base" --time "2026-10-${d}T02:00:00Z" \
		--out "$work/results" >/dev/null || fail "replay failed"
done
db=$work/results/history.db
"$hist" -d "$db" import "$work"/results/clihost/*/ >/dev/null || fail "import failed"

expect() { # STATUS COMMAND...: runs it, checks its exit status
	local want=$1 rc
	shift
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	[ "$rc" = "$want" ] || fail "'${*#"$EXITLAT_TOP"/}' exited $rc, expected $want: $(head -n 2 "$work/err")"
}
expect 2 "$hist"
expect 2 "$hist" frobnicate
expect 2 "$hist" -d "$db" runs --bogus
expect 2 "$hist" -d "$db" runs --night x
expect 2 "$hist" -d "$db" series --host clihost
expect 2 "$hist" -d "$db" series --exit vmfunc
expect 2 "$hist" -d "$db" check --window 0
expect 2 "$hist" -d "$db" check --sigmas -1
expect 2 "$hist" -d "$db" check --night x --every-night
expect 2 "$hist" -d "$db" export
expect 2 "$hist" -d "$db" import
expect 0 "$hist" --help
expect 0 "$hist" -V
expect 1 "$hist" -d "$db" check --host nosuchhost
expect 1 "$hist" -d "$work/none.db" runs
[ ! -e "$work/none.db" ] || fail "a read-only command created a history"

a=$("$hist" -d "$db" runs -H clihost -f csv) && b=$("$hist" --db "$db" runs --host clihost --format csv) ||
	fail "runs failed"
[ "$a" = "$b" ] && [ "$(wc -l <<<"$a")" = 3 ] || fail "runs -H/-f and --host/--format differ or miss rows"
a=$("$hist" -d "$db" series -e pio -s kvm -H clihost -f csv) &&
	b=$("$hist" -d "$db" series --exit pio --source kvm --host clihost --format csv) || fail "series failed"
[ "$a" = "$b" ] && [ "$(wc -l <<<"$a")" = 3 ] || fail "series -e/-s and --exit/--source differ or miss rows"
expect 0 "$hist" -d "$db" export --format json --output "$work/all.json"
# two nights of the base folder's series
nseries=$((2 * $(ls "$work"/base/emulated/*/samples/*.samples | wc -l)))
python3 -c 'import json, sys; rows = json.load(open(sys.argv[1])); assert len(rows) == int(sys.argv[2]), len(rows); assert rows[0]["median"] > 0' \
	"$work/all.json" "$nseries" || fail "export --format json does not hold $nseries series"
"$hist" -d "$db" export -f csv -o "$work/all.csv" || fail "export -f csv failed"
head -n 1 "$work/all.csv" | grep -q '^host,time,status,.*,median,.*,p99,' || fail "export csv header: $(head -n 1 "$work/all.csv")"
expect 0 "$hist" -d "$db" check --host clihost --verbose
grep -q '^learning clihost' "$work/out" || fail "check --verbose does not show the learning nights"

# The nightly's own command line.
expect 0 scripts/exitlat-nightly --help
expect 2 scripts/exitlat-nightly --bogus
expect 2 scripts/exitlat-nightly --results
expect 2 scripts/exitlat-nightly --config "$work/nonexistent.conf"
# a measurement that makes no folder: a failed night, alerted, exit 1
expect 1 scripts/exitlat-nightly --results "$work/r2" --no-plots --run-cmd false \
	--alert-cmd "cat >'$work/alert'"
grep -q '^FAILED .*: .*made no run folder' "$work/alert" ||
	fail "a night without a run folder did not alert: $(cat "$work/alert" 2>&1)"

# Packaging, staged.
make -s B="$B" DESTDIR="$work/dest" install-nightly install-dkms >"$work/pkg.log" 2>&1 ||
	fail "make install-nightly install-dkms DESTDIR=...: $(tail -n 3 "$work/pkg.log")"
unit=$(find "$work/dest" -name exitlat-nightly.service)
timer=$(find "$work/dest" -name exitlat-nightly.timer)
[ -n "$unit" ] && [ -n "$timer" ] || fail "the systemd units were not installed"
! grep -q '@[A-Z]*@' "$unit" || fail "unsubstituted @...@ left in $unit"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -x "$exec_start" ] || fail "ExecStart=$exec_start is not executable"
grep -q '^OnCalendar=' "$timer" && grep -q '^WantedBy=timers.target' "$timer" || fail "the timer has no OnCalendar/WantedBy"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify "$unit" "$timer" >"$work/verify.log" 2>&1 ||
		fail "systemd-analyze verify: $(head -n 3 "$work/verify.log")"
fi
dkms=$(find "$work/dest/usr/src" -name dkms.conf)
[ -n "$dkms" ] || fail "no dkms.conf staged"
(
	set -e +u # dkms.conf names DKMS's own variables (kernel_source_dir, ...)
	. "$dkms"
	top=${dkms%/dkms.conf}
	[ "$PACKAGE_NAME" = exitlat ] && [ "$BUILT_MODULE_NAME" = exitlat ]
	[ "$PACKAGE_VERSION" = "$(sed -n 's/.*EXITLAT_VERSION "\(.*\)"/\1/p' include/exitlat/version.h)" ]
	[ -f "$top/$BUILT_MODULE_LOCATION/Kbuild" ]
	# Kbuild includes ../../include from module/kernel
	[ -f "$top/$BUILT_MODULE_LOCATION/../../include/exitlat/exit_kinds.h" ]
	[ "$AUTOINSTALL" = yes ]
) || fail "dkms.conf does not match the staged tree ($dkms)"
test_result PASS "$name" "usage errors, option twins, exports, nightly options, units and DKMS tree staged"
