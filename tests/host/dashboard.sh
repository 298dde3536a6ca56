#!/usr/bin/env bash
# The static HTML dashboard in a real browser: a synthetic rack
# (history/testing/fake-run fleet: three hosts, the last regressing on its
# last night), `exitlat-nightly --plots-only` writes DIR/index.html and
# DIR/dashboard/; headless Chromium (tests/host/browser-check.py, the DevTools
# protocol on a pipe) loads the index, the regressed host's page and its
# latest run's report (a report.md with a table and a figure) from disk and
# checks: no console error, no failed load, no request off the disk, every
# image decoded, the known regression in the index's first row. The checker
# is shown a broken page first and must refuse it. The screenshot of the index
# is kept: $B/test-results/dashboard/index.png (its path is printed).
# Hostile names through the dashboard: tests/host/hostile-inputs.sh. ~40 s.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
export B
name=host/dashboard
CHECK="python3 tests/host/browser-check.py"
fail() { test_result FAIL "$name" "$*"; exit 1; }
command -v chromium >/dev/null || { test_result SKIP "$name" "chromium is not installed (scripts/install-deps adds it)"; exit 0; }
command -v gnuplot >/dev/null || fail "gnuplot is not installed (scripts/install-deps)"
make -s B="$B" "$B/exitlat-history" "$B/exitlat-analyze" >/dev/null 2>&1 ||
	fail "exitlat-history or exitlat-analyze does not build (make B=$B)"
work=$(mktemp -d /tmp/exitlat-dashboard.XXXXXX) || exit 1
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
R=$work/results
keep=$B/test-results/dashboard
mkdir -p "$keep" || fail "cannot create $keep"
shot=$(cd "$keep" && pwd)/index.png
rm -f "$shot"

history/testing/fake-run fleet --analyze "$B/exitlat-analyze" --hosts 3 --nights 2 --out "$R" \
	>"$work/fake.log" 2>&1 || fail "fake-run fleet: $(tail -n 2 "$work/fake.log")"
last=$(cat "$R/.fleet-regressed")
"$B/exitlat-history" -d "$R/history.db" import "$R"/*/2026* >"$work/import.log" 2>&1 ||
	fail "import: $(tail -n 1 "$work/import.log")"
# the regressed night's report: a table, a figure beside it, text that is markup elsewhere
night=$(ls -d "$R/$last"/2026* | tail -n 1)
mkdir -p "$night/figures"
gnuplot -e "set term pngcairo size 320,200; set output '$night/figures/ladder.png'; plot x" ||
	fail "gnuplot could not draw $night/figures/ladder.png"
cat >"$night/report.md" <<-'MD'
	# exitlat run: the regressed night

	| kind | median |
	|---|---|
	| pio | 6802 |

	![ladder: EMULATED](figures/ladder.png)

	A name <script>console.error("ran")</script> stays text; [outside](https://example.org/x) is not followed.
MD

scripts/exitlat-nightly --plots-only --results "$R" >"$work/nightly.log" 2>&1 ||
	fail "exitlat-nightly --plots-only: exit $?: $(tail -n 3 "$work/nightly.log")"
[ -s "$R/index.html" ] || fail "the nightly wrote no $R/index.html"
hostpage=$R/dashboard/host-$last.html
runpage=$(grep -o 'run-[0-9]*\.html' "$hostpage" 2>/dev/null | head -n 1)
[ -n "$runpage" ] || fail "no run page linked from $hostpage"
grep -q '<img src="../'"$last"'/[^"]*/figures/ladder.png"' "$R/dashboard/$runpage" ||
	fail "$runpage shows no figure of the run's report.md"
! grep -q '<script' "$R/index.html" "$R"/dashboard/*.html || fail "a page holds a <script> element"
! grep -q 'href="https:' "$R/dashboard/$runpage" || fail "$runpage links off the disk"

# the checker refuses what it should: a missing image, a console error, the wrong top row
sed 's|src="trends/fleet-pio.png"|src="trends/no-such.png"|' "$R/index.html" >"$R/broken.html"
printf '<script>console.error("broken")</script>\n' >>"$R/broken.html"
out=$($CHECK --top-regressed "not-$last" "$R/broken.html" 2>&1)
rc=$?
[ $rc = 0 ] && fail "browser-check.py took a page with a missing image and a console error: $out"
[ $rc = 77 ] && { test_result SKIP "$name" "chromium cannot start here: $out"; exit 0; }
for want in "images did not load" "console error" "top row"; do
	grep -q "$want" <<<"$out" || fail "browser-check.py missed '$want' on the broken page: $out"
done
rm -f "$R/broken.html"

out=$($CHECK --screenshot "$shot" --top-regressed "$last" "$R/index.html" "$hostpage" \
	"$R/dashboard/$runpage" 2>&1) || fail "$out"
[ -s "$shot" ] || fail "no screenshot at $shot"
n=$(grep -o '[0-9]* images loaded' <<<"$out" | awk '{ s += $1 } END { print s }')
test_result PASS "$name" "index, $last's page and report in headless Chromium: $n images loaded, no console error, no request off the disk, $last's regression first; screenshot $shot"
