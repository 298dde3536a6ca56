#!/usr/bin/python3
"""Writes the sample files that tests/host/plots.sh analyses and renders.

Sample format v1 (docs/sample-format.md), drawn with a fixed seed, so the
figures are tested on realistic shapes without measuring anything. Run it
again only when the sets below change:
    tests/data/plots/make-fixtures.py tests/data/plots
Fixture sets (one folder each, one environment each):
  real-a/    measured-looking run: native + kvm, every kind, tsc_khz known
  real-b/    the same kinds on another kernel (for the two-run comparison)
  kvm-only/  kvm kinds alone (a host without VMX/SVM): no ladder CI
  emu/       emulated (bochs): deterministic path lengths, tsc unknown
  emu-const/ emulated, every series a single value (gnuplot must not widen ranges)
  emu-bochs/ emulated as Bochs measures: every native kind one value (10), the
             KVM kinds many (a histogram of one bar beside binned ones)
The breakdown sets (bd-pvm, bd-emu) are written at test time by
make-breakdown-fixtures.py.
"""
import os
import sys

import numpy as np

KINDS = ["null", "cpuid", "hypercall", "pio", "mmio", "hlt", "null-host"]
# (native domain, kvm domain) as in include/exitlat/exit_kinds.h
DOMAINS = {"null": ("host", "guest"), "cpuid": ("host", "guest"),
           "hypercall": ("host", "guest"), "pio": ("host", "host"),
           "mmio": (None, "host"), "hlt": ("host", "host"), "null-host": (None, "host")}
BASE = {  # median-ish cycles (native, kvm)
    "null": (40, 60), "cpuid": (950, 1290), "hypercall": (1000, 1400),
    "pio": (1100, 18500), "mmio": (None, 19000), "hlt": (1050, 18200),
    "null-host": (None, 45)}


def draw(rng, base, n, shape):
    if shape == "const":  # one path, one length (Bochs repeats a path exactly)
        return np.full(n, base, dtype=np.int64)
    if shape == "paths":  # path lengths: a few distinct values
        return rng.choice([base, base + 12, base + 40], size=n, p=[0.9, 0.09, 0.01])
    if shape == "spread":  # many distinct values, no tail
        return base + rng.integers(0, base // 5 + 20, size=n)
    body = rng.gamma(20.0, base / 20.0, size=n) * 0.15 + base * 0.9
    tail = rng.random(n) < 0.01
    body[tail] *= rng.pareto(1.5, tail.sum()) + 1.5
    return np.round(body).astype(np.int64)


def make_set(out, host, kernel, time, emulated, sides, tsc_khz, seed, slow=1.0,
             shape=lambda side: "real"):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    for k in KINDS:
        for si, side in enumerate(("native", "kvm")):
            dom = DOMAINS[k][si]
            if side not in sides or dom is None:
                continue
            n = 2000 if emulated == "no" else 800
            sh = shape(side)
            base = 10 if sh == "const" and emulated == "bochs-native" else BASE[k][si]
            x = draw(rng, int(base * slow), n, sh)
            head = ["# exitlat-samples 1", "# source: " + side, "# exit: " + k,
                    "# unit: cycles", "# domain: " + dom, "# host: " + host,
                    "# kernel: " + kernel, "# time: " + time,
                    "# emulated: " + ("bochs" if emulated.startswith("bochs") else emulated),
                    "# tsc_khz: " + (str(tsc_khz) if tsc_khz else "unknown")]
            path = os.path.join(out, "%s-%s.samples" % (side, k))
            with open(path + ".tmp", "w") as f:
                f.write("\n".join(head + [str(v) for v in x]) + "\n")
            os.replace(path + ".tmp", path)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    make_set(os.path.join(top, "real-a"), "fixhost", "6.1.0-18-amd64 #1 SMP Debian",
             "2026-01-10T02:00:00Z", "no", ("native", "kvm"), 2995200, 1)
    make_set(os.path.join(top, "real-b"), "fixhost", "6.12.9-amd64 #1 SMP Debian",
             "2026-01-11T02:00:00Z", "no", ("native", "kvm"), 2995200, 2, slow=1.08)
    make_set(os.path.join(top, "kvm-only"), "pvmhost", "6.18.4-pvm", "2026-01-10T03:00:00Z",
             "no", ("kvm",), 2596124, 3)
    make_set(os.path.join(top, "emu"), "exitlat-guest", "6.1.0-28-amd64",
             "2026-01-10T04:00:00Z", "bochs", ("native", "kvm"), 0, 4,
             shape=lambda side: "paths")
    make_set(os.path.join(top, "emu-const"), "exitlat-guest", "6.12.117-amd64",
             "2026-01-10T05:00:00Z", "bochs", ("native", "kvm"), 0, 5,
             shape=lambda side: "const")
    make_set(os.path.join(top, "emu-bochs"), "exitlat-guest", "6.12.117-amd64",
             "2026-01-10T06:00:00Z", "bochs-native", ("native", "kvm"), 0, 6,
             shape=lambda side: "const" if side == "native" else "spread")


main()
