#!/usr/bin/env bash
# kvm-smoke on the host's own /dev/kvm (hardware KVM, or a software backend
# such as kvm_pvm), and a check that every boot ran the guest-side smoke test.
# Argument: test-e2e's results folder.
set -u
. "$(dirname "$0")/../../../scripts/lib/common.sh"
res=${1:?usage: $0 RESULTS_DIR}
smoke=${B:-build}/static/kvm-smoke
fail=0

backend=$(ls -d /sys/module/kvm_intel /sys/module/kvm_amd /sys/module/kvm_pvm 2>/dev/null |
	sed 's|.*/||' | paste -sd,)
if [ ! -e /dev/kvm ]; then
	test_result SKIP e2e/host/kvm-smoke "this host has no /dev/kvm"
elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	test_result SKIP e2e/host/kvm-smoke "/dev/kvm is not readable and writable by $(id -un)"
elif [ ! -x "$smoke" ]; then
	test_result FAIL e2e/host/kvm-smoke "$smoke not built"
	fail=1
elif out=$("$smoke" 2>&1); then
	test_result PASS e2e/host/kvm-smoke "backend ${backend:-unknown}: $(tail -n 1 <<<"$out")"
else
	test_result FAIL e2e/host/kvm-smoke "backend ${backend:-unknown}: $(tail -n 1 <<<"$out")"
	fail=1
fi

# A boot that ran at all must have said something about kvm-smoke.
for st in "$res"/*/status; do
	[ -f "$st" ] || continue
	boot=$(basename "$(dirname "$st")")
	grep -q '^script 10-kvm-smoke ' "$st" || continue
	if ! grep -Eq '^(PASS|FAIL|SKIP) kvm-smoke(:|$)' "$res/$boot/results"; then
		test_result FAIL "e2e/$boot/kvm-smoke-reported" "10-kvm-smoke.sh ran but printed no kvm-smoke RESULT line"
		fail=1
	fi
done
exit $fail
