#!/usr/bin/env bash
# exitlat-analyze's machine-readable outputs parse, hold what
# docs/analysis-outputs.md promises, and agree with numpy where it exists.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
tool=$B/exitlat-analyze
if ! make -s B="$B" "$tool" >/dev/null; then
	test_result FAIL host/analysis-outputs "exitlat-analyze does not build"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Two environments; in the second the native side ran in an emulator.
python3 - "$work" <<'PY'
import random, sys
d = sys.argv[1]
random.seed(7)
def write(name, source, exit, domain, base, host="hostA", emu="no", n=5000):
    with open(f"{d}/{name}.samples", "w") as f:
        f.write("# exitlat-samples 1\n")
        f.write(f"# source: {source}\n# exit: {exit}\n# unit: cycles\n# domain: {domain}\n")
        f.write(f"# tsc_khz: 2000000\n# host: {host}\n# kernel: 6.1.0\n# emulated: {emu}\n")
        f.write("# cpu_model: Test CPU @ 2.00GHz\n")
        for _ in range(n):
            v = base + int(random.expovariate(1 / 15))
            if random.random() < 0.002:
                v *= 40
            f.write(f"{v}\n")
for host, emu in (("hostA", "no"), ("hostB", "qemu-tcg")):
    write(f"{host}-native-null", "native", "null", "host", 30, host, emu)
    write(f"{host}-native-cpuid", "native", "cpuid", "host", 800, host, emu)
    write(f"{host}-kvm-null", "kvm", "null", "guest", 25, host)
    write(f"{host}-kvm-cpuid", "kvm", "cpuid", "guest", 1200, host)
    write(f"{host}-kvm-null-host", "kvm", "null-host", "host", 60, host)
    write(f"{host}-kvm-pio", "kvm", "pio", "host", 6000, host)
    write(f"{host}-native-pio", "native", "pio", "host", 900, host, emu)
PY

fail=0
check() { # NAME COMMAND...
	local name=$1
	shift
	if out=$("$@" 2>&1); then
		test_result PASS "host/analysis-outputs/$name"
	else
		printf '%s\n' "$out" | tail -20 >&2
		test_result FAIL "host/analysis-outputs/$name"
		fail=1
	fi
}

json_ok() {
	"$tool" --subtract-null -f json "$work"/*.samples >"$work/out.json" &&
	python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
need = "source exit count min max mean median p90 p99 p999 p9999".split()
assert len(d["series"]) == 14, len(d["series"])
for s in d["series"]:
    for k in need:
        assert k in s, (k, s["id"])
    assert s["median_ns"] == round(s["median"] * 1e6 / 2000000, 3), s["id"]
# No object but a series holds both count and median.
def walk(o, where):
    if isinstance(o, dict):
        if "count" in o and "median" in o:
            assert where == "series", where
        for k, v in o.items():
            walk(v, k if isinstance(v, list) else where)
    elif isinstance(o, list):
        for v in o:
            walk(v, where)
walk(d, "top")
envs = {e["env"]: e for e in d["environments"]}
# hostB: the emulated native side is an environment of its own.
assert len(envs) == 3, envs
# Pairs only within an environment, and never an emulated native with a real KVM.
for o in d["overhead"]:
    assert envs[o["env"]]["emulated"] == "no", o
    assert o["diff_median_ci"][0] <= o["diff_median"] <= o["diff_median_ci"][1], o
assert sorted(o["exit"] for o in d["overhead"]) == ["cpuid", "pio"], d["overhead"]
for s in d["series"]:
    if s["exit"].startswith("null"):
        assert s["null_subtracted"] == 0
    else:
        assert isinstance(s["null_subtracted"], (int, float)) and s["null_subtracted"] > 0
PY
}

csv_ok() {
	"$tool" -f csv "$work"/*.samples >"$work/out.csv" &&
	"$tool" -f csv-overhead "$work"/*.samples >"$work/ov.csv" &&
	python3 - "$work/out.csv" "$work/ov.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 14
for r in rows:
    assert int(r["count"]) == 5000
    assert r["null_subtracted"] == "no"
    assert int(r["min"]) <= float(r["median"]) <= int(r["max"])
    assert r["host"] in ("hostA", "hostB")
ov = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(ov) == 2, ov
assert all(float(r["ratio_median_lo"]) <= float(r["ratio_median"]) <= float(r["ratio_median_hi"]) for r in ov)
PY
}

numpy_agrees() {
	/usr/bin/python3 -c 'import numpy' 2>/dev/null || { echo "no numpy: skipped part"; return 0; }
	/usr/bin/python3 - "$work" "$tool" <<'PY'
import json, subprocess, sys
import numpy as np
d, tool = sys.argv[1:]
f = f"{d}/hostA-kvm-cpuid.samples"
x = np.loadtxt(f, comments="#", dtype=np.int64)
s = json.loads(subprocess.check_output([tool, "-f", "json", f]))["series"][0]
for key, p in (("median", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("p9999", 99.99)):
    assert abs(s[key] - np.percentile(x, p)) < 1e-6 * max(1, s[key]), (key, s[key], np.percentile(x, p))
assert abs(s["mean"] - x.mean()) < 1e-3 and abs(s["stddev"] - x.std()) < 1e-3
PY
}

gnuplot_ok() {
	rm -rf "$work/g"
	"$tool" -q --subtract-null -g "$work/g" "$work"/hostA-*.samples || return 1
	for f in summary.dat ladder.dat hist-kvm-cpuid.dat cdf-kvm-cpuid.dat hist-native-null.dat; do
		[ -s "$work/g/$f" ] || { echo "missing $f"; return 1; }
	done
	grep -q '^# null_subtracted: ' "$work/g/hist-kvm-cpuid.dat" || return 1
	[ "$(grep -vc '^#' "$work/g/ladder.dat")" = 2 ] || return 1
	command -v gnuplot >/dev/null || { echo "no gnuplot: only files checked"; return 0; }
	gnuplot -e "set table '/dev/null'; plot '$work/g/cdf-kvm-cpuid.dat' using 1:3, \
		'$work/g/hist-kvm-cpuid.dat' using 1:3, '$work/g/ladder.dat' using 3:9, \
		'$work/g/summary.dat' using 6:11" 2>&1 | grep -i 'warn\|error' && return 1
	return 0
}

stdin_ok() {
	"$tool" -f csv - <"$work/hostA-kvm-pio.samples" | grep -q '^kvm-pio,'
}

check json "json_ok"
check csv "csv_ok"
check numpy "numpy_agrees"
check gnuplot "gnuplot_ok"
check stdin "stdin_ok"
exit $fail
