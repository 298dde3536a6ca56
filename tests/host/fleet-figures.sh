#!/usr/bin/env bash
# The fleet and trend figures of racks of 1, 10, 40 and 200 synthetic hosts
# (history/testing/fake-run fleet: four CPU models, two host kernels, long host
# names, emulated hosts and one measured, whose kvm-pio regresses on its last
# night after a microcode update and a new exitlat commit), drawn by
# `exitlat-nightly --plots-only --host LAST --host LONG` (every fleet figure;
# the trends of the measured host and of an emulated one with a long name),
# then measured, not looked at: tests/host/layout-check.py reads every word's
# box from the PDFs (pdftotext -bbox) and fails on a word that leaves the page
# or overlaps another, an axis label or stamp that is missing, a host label
# missing or shown twice across a kind's pages, and a trend figure that does
# not name the changes and the alert. One result line per rack size.
# Usage: tests/host/fleet-figures.sh [N...] (B= picks the build folder).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
export B
CHECK="python3 tests/host/layout-check.py"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 10 40 200)
for t in gnuplot pdftotext python3; do
	command -v "$t" >/dev/null ||
		{ test_result FAIL host/fleet-figures "$t is not installed (scripts/install-deps)"; exit 1; }
done
make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" >/dev/null 2>&1 ||
	{ test_result FAIL host/fleet-figures "exitlat-history or exitlat-analyze does not build (make B=$B)"; exit 1; }
work=$(mktemp -d /tmp/exitlat-fleet-figures.XXXXXX) || exit 1
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
fail=0

for n in "${sizes[@]}"; do
	name=host/fleet-figures-$n
	res=$work/$n
	why=
	# two nights a host are enough for the fleet (the measured host has its 8)
	if ! history/testing/fake-run fleet --analyze "$B/exitlat-analyze" --hosts "$n" --nights 2 \
		--out "$res" >"$work/fake-$n.log" 2>&1; then
		test_result FAIL "$name" "fake-run fleet: $(tail -n 2 "$work/fake-$n.log")"
		fail=1
		continue
	fi
	last=$(cat "$res/.fleet-regressed")
	find "$res" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | sort >"$work/hosts-$n"
	long=$(grep -m 1 -- '-long-' "$work/hosts-$n")
	"$B/exitlat-history" -d "$res/history.db" import "$res"/*/2026* >"$work/import-$n.log" 2>&1 ||
		why+=" import failed: $(tail -n 1 "$work/import-$n.log");"
	t0=$(date +%s.%N)
	scripts/exitlat-nightly --plots-only --results "$res" --host "$last" ${long:+--host "$long"} \
		>"$work/nightly-$n.log" 2>&1 ||
		why+=" exitlat-nightly --plots-only exit $?: $(grep -m 2 -i 'error' "$work/nightly-$n.log" | tr '\n' ' ');"
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	nfig=0
	# every figure: on the page, no overlap, the axis label shown; the stamp
	# where a host is emulated (all but the measured one), nanoseconds on its trends
	for f in "$res"/trends/fleet-*.pdf "$res/trends/$last"/trend-*.pdf ${long:+"$res/trends/$long"/trend-*.pdf}; do
		[ -e "$f" ] || continue
		nfig=$((nfig + 1))
		# (the axis label: "path length (emulated TSC cycles)" or "cycles (TSC)")
		case $f in
		*/fleet-*)
			set -- cycles
			[ "$n" -gt 1 ] && set -- 'cycles)' EMULATED ;;
		*/"$last"/*) set -- cycles nanoseconds ;;
		*) set -- 'cycles)' EMULATED ;;
		esac
		out=$($CHECK page "$f" "$@") || why+=" $(head -n 3 <<<"$out" | sed "s|$res/trends/||g" | tr '\n' ';')"
	done
	[ "$nfig" -gt 0 ] || why+=" no figure drawn;"
	# each kind's host pages show every host once
	nkinds=0
	for f in "$res"/trends/fleet-*.pdf; do
		[[ $f == *--* ]] && continue
		nkinds=$((nkinds + 1))
		pages=("${f%.pdf}"--page*.pdf)
		[ -e "${pages[0]}" ] || pages=("$f")
		out=$($CHECK hosts "$work/hosts-$n" "${pages[@]}") ||
			why+=" ${f##*/}: $(head -n 3 <<<"$out" | tr '\n' ';')"
	done
	[ "$nkinds" -gt 0 ] || why+=" no fleet figure;"
	# the regressed host's kvm-pio trend names what changed, and the alert
	f=$res/trends/$last/trend-$last--kvm-pio_host_no.pdf
	if [ -e "$f" ]; then
		out=$($CHECK page "$f" 6.12.9-amd64 0xdf 5678def alert) ||
			why+=" $(head -n 4 <<<"$out" | sed "s|$res/trends/||g" | tr '\n' ';')"
	else
		why+=" no trend figure ${f##*/};"
	fi
	if [ -z "$why" ]; then
		test_result PASS "$name" "$n hosts: $nfig figures, $nkinds kinds, every word on the page and apart, every host once; --plots-only ${secs%.*} s"
	else
		test_result FAIL "$name" "$n hosts:$why"
		fail=1
	fi
done
exit $fail
