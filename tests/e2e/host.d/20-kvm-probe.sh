#!/usr/bin/env bash
# Host side of guest.d/20-kvm-probe.sh, over the results folder of all boots:
# a table of every kind's median and dropped count per boot (EMULATED path
# lengths), and in Bochs, where time is counted in retired instructions, the
# same median for two runs of the same kind (pio, cpuid), and an exit KVM
# handles in the kernel well below (under half) the same exit through user
# space: pio-kernel against pio, rdmsr against rdmsr-user.
set -u
. "$(dirname "$0")/../../../scripts/lib/common.sh"

results=${1:?usage: $0 RESULTS_DIR}
fail=0
seen=0
summary=$results/kvm-probe-medians.txt

median() { grep -v '^#' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
key() { sed -n "s/^# $2: //p" "$1"; }

emulated_banner "kvm-probe medians from emulator boots: path lengths, not hardware time" 2>&1 |
	tee "$summary" >&2
printf '%-12s %-24s %-6s %-5s %10s %8s %s\n' boot file domain mode median dropped backend |
	tee -a "$summary"
for dir in "$results"/*/out/20-kvm-probe; do
	[ -d "$dir" ] || continue
	boot=${dir%/out/20-kvm-probe}
	boot=${boot##*/}
	for f in "$dir"/*.samples; do
		[ -f "$f" ] || continue
		seen=1
		printf '%-12s %-24s %-6s %-5s %10s %8s %s\n' "$boot" "${f##*/}" "$(key "$f" domain)" \
			"$(key "$f" mode)" "$(median "$f")" "$(key "$f" dropped)" \
			"$(key "$f" kvm_backend) EMULATED=$(key "$f" emulated)" | tee -a "$summary"
	done
	case $boot in
	bochs*) ;;
	*) continue ;;
	esac
	for pair in pio-kernel:pio rdmsr:rdmsr-user; do
		a=$dir/${pair%:*}.samples b=$dir/${pair#*:}.samples
		if [ ! -f "$a" ] || [ ! -f "$b" ]; then
			test_result FAIL "e2e/$boot/kvm-probe-${pair%:*}-below-user" "missing ${a##*/} or ${b##*/}"
			fail=1
			continue
		fi
		ma=$(median "$a") mb=$(median "$b")
		if [ -n "$ma" ] && [ -n "$mb" ] && [ $((2 * ma)) -lt "$mb" ]; then
			test_result PASS "e2e/$boot/kvm-probe-${pair%:*}-below-user" "EMULATED median ${pair%:*} $ma, ${pair#*:} $mb"
		else
			test_result FAIL "e2e/$boot/kvm-probe-${pair%:*}-below-user" "${pair%:*} $ma is not under half of ${pair#*:} $mb"
			fail=1
		fi
	done
	for k in pio cpuid; do
		a=$dir/$k.samples b=$dir/$k-b.samples
		if [ ! -f "$a" ] || [ ! -f "$b" ]; then
			test_result FAIL "e2e/$boot/kvm-probe-$k-same-median" "missing $k.samples or $k-b.samples"
			fail=1
			continue
		fi
		ma=$(median "$a") mb=$(median "$b")
		if [ -n "$ma" ] && [ "$ma" = "$mb" ]; then
			test_result PASS "e2e/$boot/kvm-probe-$k-same-median" "EMULATED median $ma cycles in both runs"
		else
			test_result FAIL "e2e/$boot/kvm-probe-$k-same-median" "medians differ: $ma vs $mb"
			fail=1
		fi
	done
done
[ $seen = 1 ] || test_result SKIP e2e/kvm-probe-medians "no kvm-probe results in $results"
exit $fail
