#!/usr/bin/env bash
# Host-side checks of exitlat.ko's boots (tests/e2e/guest.d/30-module.sh):
# in Bochs with one vCPU a native round trip is a deterministic path length
# (min = median for every kind); the path lengths go to module-path-lengths.txt (EMULATED);
# at least two Bochs CPU models with different VMX capabilities ran the module.
#
#   30-module.sh RESULTS_DIR
set -uo pipefail
. "$(dirname "$0")/../../../scripts/lib/common.sh"

res=${1:?usage: 30-module.sh RESULTS_DIR}
[ -d "$res" ] || die "no results folder $res"
table=$res/module-path-lengths.txt
fail=0 bochs_models=()

{
	echo "# exitlat.ko round trips in the emulators: EMULATED path lengths, not hardware time"
	echo "# boot label kind samples median min max dropped"
} >"$table"
for boot in "$res"/*/; do
	boot=${boot%/}
	name=${boot##*/}
	sum=$boot/out/30-module/summary.txt
	[ -f "$sum" ] || continue
	sed "s|^|$name |" "$sum" >>"$table"
	case $name in bochs-*) ;; *) continue ;; esac
	# with two vCPUs Bochs interleaves them and the TSC no longer counts one CPU's path
	case $name in *-smp[2-9]) continue ;; esac
	cpu=$(sed -n 's/^cpu[:= ]*//p' "$boot/boot.info" 2>/dev/null | head -n 1)
	bochs_models+=("${cpu:-default}")
	# label kind n median min max dropped: Bochs' TSC counts instructions
	bad=$(awk '$1 !~ /^busy/ && $4 != $5 { printf "%s/%s median %s min %s; ", $1, $2, $4, $5 }' "$sum")
	if [ -z "$bad" ]; then
		test_result PASS "e2e/$name/module-deterministic" \
			"min = median for every kind: $(awk '$1 == "nokvm" { printf "%s %s, ", $2, $4 }' "$sum")cycles EMULATED"
	else
		test_result FAIL "e2e/$name/module-deterministic" "not a fixed path length: $bad"
		fail=1
	fi
done
models=$(printf '%s\n' "${bochs_models[@]}" | sort -u | wc -l)
if [ ${#bochs_models[@]} -eq 0 ]; then
	test_result SKIP e2e/module-bochs-models "no Bochs boot ran the module checks"
elif [ "$models" -ge 2 ]; then
	test_result PASS e2e/module-bochs-models "$models Bochs CPU models ran exitlat.ko: $(printf '%s ' "${bochs_models[@]}" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
else
	test_result FAIL e2e/module-bochs-models "only one Bochs CPU model (${bochs_models[0]}) ran exitlat.ko; the matrix should hold two with different VMX capabilities"
	fail=1
fi
exit $fail
