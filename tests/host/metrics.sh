#!/usr/bin/env bash
# Metrics for the monitoring a lab already runs: `exitlat-history export
# --format openmetrics` over a synthetic rack (history/testing/fake-run fleet:
# three hosts, the last regressing on its last night) and the file the
# nightly writes into a node_exporter textfile-collector folder
# (--metrics-dir). Checked by promtool (Debian's prometheus package) and by
# tests/host/openmetrics-check.py, a strict reader of the format written apart
# from the C writer, which also compares every value with the history itself.
# Hostile host names and headers go through it in tests/host/hostile-inputs.sh.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
export B
name=host/metrics
CHECK="python3 tests/host/openmetrics-check.py"
fail() { test_result FAIL "$name" "$*"; exit 1; }
make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" >/dev/null 2>&1 ||
	fail "exitlat-history or exitlat-analyze does not build (make B=$B)"
work=$(mktemp -d /tmp/exitlat-metrics.XXXXXX) || exit 1
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
R=$work/results

# the reader can fail: a bad escape, a family split, no "# EOF"
printf '# HELP a x\n# TYPE a gauge\na{h="\\q"} 1\n# EOF\n' >"$work/bad1"
printf '# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\nb 1\na{x="y"} 1\n# EOF\n' >"$work/bad2"
printf '# HELP a x\n# TYPE a gauge\na 1\n' >"$work/bad3"
for f in bad1 bad2 bad3; do
	! $CHECK parse "$work/$f" >/dev/null || fail "openmetrics-check.py took the broken $f"
done

history/testing/fake-run fleet --analyze "$B/exitlat-analyze" --hosts 3 --nights 2 --out "$R" \
	>"$work/fake.log" 2>&1 || fail "fake-run fleet: $(tail -n 2 "$work/fake.log")"
last=$(cat "$R/.fleet-regressed")
"$B/exitlat-history" -d "$R/history.db" import "$R"/*/2026* >"$work/import.log" 2>&1 ||
	fail "import: $(tail -n 1 "$work/import.log")"

"$B/exitlat-history" -d "$R/history.db" export --format openmetrics -o "$work/exitlat.prom" \
	2>"$work/export.err" || fail "export --format openmetrics: exit $?: $(head -n 2 "$work/export.err")"
out=$($CHECK history "$work/exitlat.prom" "$R/history.db") || fail "$out"
# the regression: the last host's KVM exits to user space, and nothing else
want="$last hlt kvm measured
$last mmio kvm measured
$last pio kvm measured"
[ "$(sort <<<"$out")" = "$want" ] || fail "regressed series: '$out', want '$want'"
parsed=$($CHECK parse "$work/exitlat.prom")

# scripts/install-deps unpacks it into the cache (Debian's package is the server's)
promtool=$(command -v promtool || echo "$EXITLAT_CACHE/tools/promtool")
if [ -x "$promtool" ]; then
	"$promtool" check metrics <"$work/exitlat.prom" >"$work/promtool.log" 2>&1 ||
		fail "promtool check metrics: $(head -n 5 "$work/promtool.log")"
	checked="promtool check metrics and the strict reader"
else
	checked="the strict reader (no promtool: scripts/install-deps unpacks it into $EXITLAT_CACHE/tools)"
fi

# the nightly writes DIR/exitlat.prom when a textfile folder is configured
mkdir -p "$work/textfile"
printf 'METRICS_DIR=%s\n' "$work/textfile" >"$work/nightly.conf"
scripts/exitlat-nightly --config "$work/nightly.conf" --plots-only --results "$R" --host "$last" \
	>"$work/nightly.log" 2>&1 || fail "exitlat-nightly --plots-only with METRICS_DIR: exit $?: $(tail -n 3 "$work/nightly.log")"
[ -s "$work/textfile/exitlat.prom" ] || fail "the nightly wrote no $work/textfile/exitlat.prom"
cmp -s "$work/textfile/exitlat.prom" "$work/exitlat.prom" ||
	fail "the nightly's exitlat.prom is not the export's: $(diff "$work/exitlat.prom" "$work/textfile/exitlat.prom" | head -n 4)"
[ -z "$(find "$work/textfile" -name '*.tmp*')" ] || fail "a temporary file was left in the textfile folder"
test_result PASS "$name" "$parsed, the regressed series of $last exactly, every value the history's; $checked; the nightly's textfile"
