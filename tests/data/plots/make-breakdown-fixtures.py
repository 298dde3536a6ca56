#!/usr/bin/python3
"""Writes the breakdown fixture sets that tests/host/breakdown-figures.sh
analyses and renders, at test time (not committed; under a second):
    tests/data/plots/make-breakdown-fixtures.py DIR
  DIR/bd-pvm/  kvm-probe --breakdown on a kvm_pvm host (measured, KVM only): pio
               and hlt split at the events that fire there (merged segments),
               cpuid not split
  DIR/bd-emu/  the same in an emulator (qemu) with kvm_amd: native beside KVM,
               pio in four segments, cpuid in two (docs/breakdown.md)
Sample format v1 (docs/sample-format.md), breakdown set version 1: every line
of the segment files adds up to the trip file's line. Python's own random with
fixed seeds (no numpy), so the shapes are the same on every run.
"""
import os
import random
import statistics
import sys

N = 1000

# Segments: name, merged, median-ish cycles.
BREAKDOWNS = {
    "pvm-pio": [("t0-pio", True, 11700), ("pio-uexit", False, 2870), ("uexit-t1", False, 780)],
    "pvm-hlt": [("t0-uexit", True, 14100), ("uexit-t1", False, 800)],
    "amd-pio": [("t0-entry", False, 2900), ("entry-exit", False, 5200),
                ("exit-uexit", False, 2100), ("uexit-t1", False, 1900)],
    "amd-cpuid": [("exit-entry", False, 2600), ("rest", False, 3100)],
}


def draw(rng, base, n=N):
    """A measured-looking body with a 1 % heavy tail."""
    out = []
    for _ in range(n):
        x = rng.gammavariate(20.0, base / 20.0) * 0.15 + base * 0.9
        if rng.random() < 0.01:
            x *= rng.paretovariate(1.5) + 0.5
        out.append(round(x))
    return out


def write(path, lines):
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)


def make_breakdown(out, kind, dom, segs, head, untraced, seed):
    """A breakdown set beside kvm-KIND.samples, as kvm-probe --breakdown writes it."""
    rng = random.Random(seed)
    cols = [[round(rng.gammavariate(30.0, base / 30.0)) for _ in range(N)] for _, _, base in segs]
    for i in range(N):  # a tail in the first segment: an interrupt's worth
        if rng.random() < 0.02:
            cols[0][i] += rng.randrange(5000, 40000)
    trip = [sum(c[i] for c in cols) for i in range(N)]
    names = ["trip"] + [name for name, _, _ in segs]
    base = os.path.join(out, "kvm-%s" % kind)
    keys = ["# breakdown: 1 (docs/breakdown.md)", "# breakdown_segments: " + " ".join(names),
            "# breakdown_files: kvm-%s.breakdown.SEGMENT.samples" % kind,
            "# untraced_median: %d" % statistics.median(untraced),
            "# traced_median: %d" % statistics.median(trip),
            "# breakdown_tracing: taken under tracing: fixture"]
    kind_keys = ["# source: kvm", "# exit: " + kind, "# unit: cycles", "# domain: " + dom]
    for name, col, merged in [("trip", trip, False)] + [(nm, c, m) for (nm, m, _), c in zip(segs, cols)]:
        write("%s.breakdown.%s.samples" % (base, name),
              head + kind_keys + ["# samples: %d" % N, "# dropped: 0"] + keys +
              ["# breakdown_segment: " + name, "# breakdown_merged: " + ("yes" if merged else "no"),
               "# breakdown_covers: fixture " + name] + [str(v) for v in col])
    write(base + ".samples", head + kind_keys + keys[:3] + [str(v) for v in untraced])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-breakdown-fixtures.py DIR")
    rng = random.Random(11)
    pvm = os.path.join(sys.argv[1], "bd-pvm")
    os.makedirs(pvm, exist_ok=True)
    head = ["# exitlat-samples 1", "# host: pvmhost", "# kernel: 6.18.4-pvm",
            "# time: 2026-01-10T07:00:00Z", "# emulated: no", "# tsc_khz: 2445406",
            "# kvm_backend: kvm_pvm"]
    make_breakdown(pvm, "pio", "host", BREAKDOWNS["pvm-pio"], head, draw(rng, 13500), 12)
    make_breakdown(pvm, "hlt", "host", BREAKDOWNS["pvm-hlt"], head, draw(rng, 13900), 13)
    write(os.path.join(pvm, "kvm-cpuid.samples"),
          head + ["# source: kvm", "# exit: cpuid", "# unit: cycles", "# domain: guest"] +
          [str(v) for v in draw(rng, 1290)])
    emu = os.path.join(sys.argv[1], "bd-emu")
    os.makedirs(emu, exist_ok=True)
    head = ["# exitlat-samples 1", "# host: exitlat-guest", "# kernel: 6.12.117-amd64",
            "# time: 2026-01-10T08:00:00Z", "# emulated: qemu", "# tsc_khz: unknown (emulated)",
            "# kvm_backend: kvm_amd"]
    make_breakdown(emu, "pio", "host", BREAKDOWNS["amd-pio"], head, draw(rng, 10500), 14)
    make_breakdown(emu, "cpuid", "guest", BREAKDOWNS["amd-cpuid"], head, draw(rng, 4800), 15)
    for kind, base in (("pio", 4100), ("cpuid", 2900)):
        write(os.path.join(emu, "native-%s.samples" % kind),
              head[:-1] + ["# source: native", "# exit: " + kind, "# unit: cycles",
                           "# domain: host"] + [str(v) for v in draw(rng, base)])


main()
