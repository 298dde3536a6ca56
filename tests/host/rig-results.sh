#!/usr/bin/env bash
# The emulator rig's results, collected and judged (scripts/lib/rig.sh) from
# recorded boots, no emulator run: a kernel message that lands inside or
# before an EXITLAT-RESULT line on the console (as module-cpu-offline's did
# in a Bochs 6.12 run) loses or corrupts no result, because the results disk
# is authoritative; a result the console shows but the disk lacks, or fewer
# results than a script's status line counted, fails the boot; without the
# disk, the console's results are taken wherever the marker sits and the
# boot fails; a clean boot passes.
# Usage: tests/host/rig-results.sh. ~1 s.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
. "$EXITLAT_TOP/scripts/lib/rig.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rig-results.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
result() { # PASS|FAIL NAME WHY
	test_result "$1" "host/rig-results-$2" "$3"
	[ "$1" = FAIL ] && fail=1
	return 0
}

# The guest's results file (guest_result), on the results disk as init writes
# it: /out as a tar stream. The console shows the same four results, the
# second cut by a kernel line, the third after one, the fourth's marker cut.
RESULTS_4='PASS cpu-count: 1 vCPU
SKIP module-cpu-offline: one vCPU: no second CPU to take offline
PASS module-vmfail-host-rsp: exit 1; VMWRITE HOST_RSP failed
PASS module-unload: rmmod exitlat'

# boot DIR DISK_RESULTS STATUS_COUNT [no-disk]: a recorded boot in DIR whose
# console interleaves kernel lines with the result lines.
boot() {
	local d=$1 disk=$2 count=$3 nodisk=${4:-}
	rm -rf "$d"
	mkdir -p "$d/work" "$d/out" "$tmp/guest-out/s1"
	printf 'emu bochs\nkernel 6.12\n' >"$d/boot.info"
	: >"$d/status"
	{
		echo '[    0.000000] Linux version 6.12.117+deb12-amd64'
		echo '[    2.000000] EXITLAT-INIT: guest scripts start'
		echo 'pio: 1 kvm_entry'
	} >"$tmp/guest-out/kernel.log"
	printf '%s\n' "$disk" >"$tmp/guest-out/results"
	tar -cf "$d/work/out.img" -C "$tmp/guest-out" .
	{
		echo 'EXITLAT-BOOT bochs 6.12 6.12.117+deb12-amd64 cpu=corei7_skylake_x smp=1'
		echo 'EXITLAT-SCRIPT-BEGIN s1'
		echo 'EXITLAT-RESULT PASS cpu-count: 1 vCPU'
		echo 'EXITLAT-RESULT SKIP module-cpu-offline: one vCPU: no s[   11.270458] exitlat: VMWRITE HOST_RSP failed: VMfailValid, error 12'
		echo 'econd CPU to take offline'
		echo '[   11.280000] exitlat: cpuid: VM-instruction error 12EXITLAT-RESULT PASS module-vmfail-host-rsp: exit 1; VMWRITE HOST_RSP failed'
		echo 'EXITLAT-RES[   11.290000] exitlat: unloadedULT PASS module-unload: rmmod exitlat'
		echo "EXITLAT-SCRIPT-STATUS s1 0 1.5${count:+ results=$count}"
		[ -n "$nodisk" ] || echo 'EXITLAT-END all 1 scripts finished; results on disk /dev/sda'
	} | sed 's/$/\r/' >"$d/console.log"
	[ -z "$nodisk" ] || rm -f "$d/work/out.img"
}

# judge DIR: collects and judges as emu-run does; sets $verdict and $jrc.
judge() {
	rig_collect "$1" "$1/work" 2>"$1/collect.err"
	verdict=$(rig_judge "$1" 0 600 1)
	jrc=$?
}

# Interleaved console, whole disk: every result, exactly as the guest gave it.
d=$tmp/interleaved
boot "$d" "$RESULTS_4" 4
judge "$d"
if [ "$(cat "$d/results")" = "$RESULTS_4" ]; then
	result PASS interleaved "4 results from the disk, none cut by the kernel lines on the console"
else
	result FAIL interleaved "results: $(paste -sd'|' "$d/results")"
fi
if [ $jrc = 0 ] && [ "$verdict" = "boot ok" ]; then
	result PASS clean-boot "$verdict"
else
	result FAIL clean-boot "exit $jrc: $verdict"
fi

# A result the console shows whole that the disk lacks: the boot fails, says so.
d=$tmp/lost
boot "$d" "$(sed 1d <<<"$RESULTS_4")" 4
judge "$d"
if [ $jrc != 0 ] && [[ $verdict == *"on the console, not in the results file: PASS cpu-count" ]]; then
	result PASS console-result-not-on-disk "exit $jrc: $verdict"
else
	result FAIL console-result-not-on-disk "exit $jrc: $verdict"
fi

# Fewer results on the disk than the script's status line counted, the one
# missing cut on the console where its marker was: the count alone fails the boot.
d=$tmp/short
boot "$d" "$(sed 4d <<<"$RESULTS_4")" 4
judge "$d"
if [ $jrc != 0 ] && [[ $verdict == *"counted 4 results (s1 4), the results file holds 3" ]]; then
	result PASS fewer-than-counted "exit $jrc: $verdict"
else
	result FAIL fewer-than-counted "exit $jrc: $verdict"
fi

# No disk, no end (the guest died): the console's results, the marker found
# after a kernel fragment too; the boot fails.
d=$tmp/nodisk
boot "$d" "$RESULTS_4" 4 no-disk
judge "$d"
if grep -qx 'PASS module-vmfail-host-rsp: exit 1; VMWRITE HOST_RSP failed' "$d/results" &&
	grep -qx 'PASS cpu-count: 1 vCPU' "$d/results" && [ $jrc != 0 ]; then
	result PASS console-fallback "$(grep -c . "$d/results") results from the console; exit $jrc: $verdict"
else
	result FAIL console-fallback "exit $jrc: $verdict; results: $(paste -sd'|' "$d/results")"
fi
exit $fail
