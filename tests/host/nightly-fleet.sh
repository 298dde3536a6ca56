#!/usr/bin/env bash
# The fleet playbook (packaging/ansible/exitlat-fleet.yml) against localhost
# with the local connection: a syntax check of the playbook with the example
# inventory, then a real run where the lab host is this machine, one night
# replayed from a synthetic Bochs run folder (history/testing/fake-run: no
# emulator, no module), the results pulled to a central folder, imported and
# drawn (every host's trends, the fleet comparison). Short: about 20 s.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
name=host/nightly-fleet
fail() { test_result FAIL "$name" "$*"; exit 1; }
if ! command -v ansible-playbook >/dev/null; then
	test_result SKIP "$name" "ansible-playbook is not installed (apt-get install ansible-core; scripts/install-deps)"
	exit 0
fi
play=packaging/ansible/exitlat-fleet.yml
out=$(ANSIBLE_NOCOLOR=1 ansible-playbook --syntax-check -i packaging/ansible/inventory.example.ini "$play" 2>&1) ||
	fail "syntax check: $(tail -n 5 <<<"$out")"
if ! make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" "$B/kvm-probe" "$B/exitlat-native" >/dev/null 2>&1; then
	fail "exitlat-history or exitlat-analyze does not build (make B=$B)"
fi
B=$(cd "$B" && pwd)
work=$(mktemp -d /tmp/exitlat-fleet-test.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export EXITLAT_FAKE_HOST=fleethost
history/testing/fake-run base --analyze "$B/exitlat-analyze" --kernel 6.1 --out "$work/base" \
	>"$work/base.log" 2>&1 || fail "building the base folder: $(tail -n 3 "$work/base.log")"

printf '%s\n' '[exitlat_lab]' \
	'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' \
	'[exitlat_central]' \
	'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' >"$work/inventory.ini"
cat >"$work/vars.json" <<-JSON
	{"exitlat_dir": "$work/install", "exitlat_build_dir": "$B", "exitlat_src_tarball": "$work/src.tar.gz",
	 "exitlat_make_targets": ["$B/exitlat-history"],
	 "exitlat_install_deps": false, "exitlat_install_units": false, "exitlat_become": false,
	 "exitlat_results": "$work/lab-results",
	 "exitlat_run_cmd": "$work/install/history/testing/fake-run replay --base $work/base --time 2026-10-01T02:00:00Z",
	 "exitlat_central_inbox": "$work/inbox", "exitlat_central_results": "$work/fleet",
	 "exitlat_central_dir": "$EXITLAT_TOP", "exitlat_central_build_dir": "$B"}
JSON
if ! ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP=$work/ansible-tmp ANSIBLE_REMOTE_TEMP=$work/ansible-tmp \
	EXITLAT_FAKE_HOST=fleethost ansible-playbook -i "$work/inventory.ini" -e "@$work/vars.json" \
	"$play" >"$work/play.log" 2>&1; then
	fail "the playbook failed: $(grep -m 3 -A 3 'fatal\|FAILED\|ERROR' "$work/play.log" | head -n 8)"
fi
db=$work/fleet/history.db
[ "$(sqlite3 "$db" "SELECT count(*) FROM runs WHERE host = 'fleethost' AND status = 'ok'")" = 1 ] ||
	fail "the central history does not hold the night: $(sqlite3 "$db" 'SELECT host, time, status FROM runs' 2>&1)"
[ -x "$work/install/scripts/exitlat-nightly" ] || fail "exitlat was not installed on the lab host"
for f in trends/fleethost/trend-fleethost--kvm-pio_host_bochs.png trends/fleet-pio.pdf trends/fleet-cpuid.png; do
	[ -s "$work/fleet/$f" ] || fail "no $f in the central folder"
done
test_result PASS "$name" "syntax check; localhost run: installed, one night, pulled, central history, trends and fleet figures"
