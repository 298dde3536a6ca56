#!/usr/bin/python3
"""Writes the gnuplot data files that tests/host/plots.sh renders.

They follow docs/analysis-outputs.md ("--gnuplot DIR") column for column, from
synthetic samples drawn with a fixed seed, so the figure scripts can be tested
without exitlat-analyze. Run it again only when that format changes:
    tests/data/plots/make-fixtures.py tests/data/plots
Fixture sets (one folder each, one environment each):
  real-a/   measured-looking run: native + kvm, every kind, tsc_khz known
  real-b/   the same kinds on another kernel (for the two-run comparison)
  kvm-only/ kvm kinds alone (a host without VMX/SVM): empty ladder.dat
  emu/      emulated (bochs): deterministic path lengths, tsc unknown
  emu-const/ emulated, every series a single value (gnuplot must not widen ranges)
"""
import os
import sys

import numpy as np

VERSION = "exitlat-analyze 0.1.0"
KINDS = ["null", "cpuid", "hypercall", "pio", "mmio", "hlt", "null-host"]
# (native domain, kvm domain) as in include/exitlat/exit_kinds.h
DOMAINS = {"null": ("host", "guest"), "cpuid": ("host", "guest"),
           "hypercall": ("host", "guest"), "pio": ("host", "host"),
           "mmio": (None, "host"), "hlt": ("host", "host"), "null-host": (None, "host")}
BASE = {  # median-ish cycles (native, kvm)
    "null": (40, 60), "cpuid": (950, 1290), "hypercall": (1000, 1400),
    "pio": (1100, 18500), "mmio": (None, 19000), "hlt": (1050, 18200),
    "null-host": (None, 45)}


def q(x, p):
    return float(np.quantile(x, p))  # numpy linear: the documented definition


def fmt(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "NaN"
    if float(v).is_integer():
        return str(int(v))
    return ("%.4f" % v).rstrip("0").rstrip(".")


def f3(v):
    return "NaN" if v is None else "%.3f" % v


def draw(rng, base, n, emulated, const=False):
    if const:  # one path, one length (Bochs repeats a path exactly)
        return np.full(n, base, dtype=np.int64)
    if emulated:  # path lengths: a few distinct values
        return rng.choice([base, base + 12, base + 40], size=n, p=[0.9, 0.09, 0.01])
    body = rng.gamma(20.0, base / 20.0, size=n) * 0.15 + base * 0.9
    tail = rng.random(n) < 0.01
    body[tail] *= rng.pareto(1.5, tail.sum()) + 1.5
    return np.round(body).astype(np.int64)


def boot_ci(rng, x, p, reps=200):
    idx = rng.integers(0, len(x), size=(reps, len(x)))
    est = np.quantile(x[idx], p, axis=1)
    return float(np.quantile(est, 0.025)), float(np.quantile(est, 0.975))


def write(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def make_set(out, host, kernel, emulated, sides, tsc_khz, seed, slow=1.0, const=False):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    env = "%s_%s_%s" % (host, kernel, emulated)
    series = {}
    for k in KINDS:
        for si, side in enumerate(("native", "kvm")):
            if side not in sides or DOMAINS[k][si] is None:
                continue
            n = 2000 if emulated == "no" else 800
            x = draw(rng, int(BASE[k][si] * slow), n, emulated != "no", const)
            series[(side, k)] = np.sort(x)
    ns = (lambda c: c * 1e6 / tsc_khz) if tsc_khz else (lambda c: None)
    summ = ["# " + VERSION, "# null_subtracted: no", "# trim_fraction: 0",
            "# environments: 1",
            "# id source exit domain env count min max mean stddev median p25 p75 iqr "
            "p90 p99 p999 p9999 min_ns max_ns mean_ns stddev_ns median_ns p25_ns p75_ns "
            "iqr_ns p90_ns p99_ns p999_ns p9999_ns tsc_khz"]
    stats = {}
    for (side, k), x in series.items():
        sid = "%s-%s" % (side, k)
        dom = DOMAINS[k][0 if side == "native" else 1]
        st = dict(count=len(x), min=int(x[0]), max=int(x[-1]), mean=float(x.mean()),
                  stddev=float(x.std()), median=q(x, .5), p25=q(x, .25), p75=q(x, .75),
                  p90=q(x, .9), p99=q(x, .99), p999=q(x, .999), p9999=q(x, .9999))
        st["iqr"] = st["p75"] - st["p25"]
        stats[(side, k)] = st
        keys = ["min", "max", "mean", "stddev", "median", "p25", "p75", "iqr", "p90",
                "p99", "p999", "p9999"]
        row = [sid, side, k, dom, env, str(st["count"])]
        row += [f3(st[c]) if c in ("mean", "stddev") else fmt(st[c]) for c in keys]
        row += [f3(ns(st[c])) for c in keys]
        row.append(str(tsc_khz) if tsc_khz else "NaN")
        summ.append(" ".join(row))
        meta = ["# " + VERSION, None, "# id: " + sid, "# source: " + side, "# exit: " + k,
                "# domain: " + dom, "# unit: cycles",
                "# tsc_khz: " + (str(tsc_khz) if tsc_khz else "unknown"),
                "# host: " + host, "# kernel: " + kernel, "# emulated: " + emulated,
                "# count: %d" % len(x), "# null_subtracted: no", "# trimmed: 0"]
        vals, counts = np.unique(x, return_counts=True)
        exact = len(vals) <= 2000 and x[-1] <= 100 * max(x[0], 1)
        h = meta[:]
        h[1] = "# file: hist"
        if exact:
            h.append("# bins: exact")
            edges = [(int(v), int(v) + 1, int(c)) for v, c in zip(vals, counts)]
        else:
            bpd = 50
            h += ["# bins: log", "# bins_per_decade: %d" % bpd]
            lo_e = np.floor(np.log10(max(x[0], 1)) * bpd)
            hi_e = np.ceil(np.log10(x[-1] + 1) * bpd)
            e = np.unique(np.round(10 ** (np.arange(lo_e, hi_e + 1) / bpd)).astype(np.int64))
            c, _ = np.histogram(x, bins=e)
            nz = np.nonzero(c)[0]
            edges = [(int(e[i]), int(e[i + 1]), int(c[i])) for i in range(nz[0], nz[-1] + 1)]
        h.append("# lo hi count fraction lo_ns hi_ns")
        for lo, hi, c in edges:
            h.append("%d %d %d %s %s %s" % (lo, hi, c, "%.6g" % (c / len(x)), f3(ns(lo)), f3(ns(hi))))
        write(os.path.join(out, "hist-%s.dat" % sid), h)
        cd = meta[:]
        cd[1] = "# file: cdf"
        cd.append("# value cdf ccdf value_ns")
        cum = np.cumsum(counts)
        for v, c, cu in zip(vals, counts, cum):
            cd.append("%d %s %s %s" % (v, "%.9g" % (cu / len(x)), "%.9g" % ((len(x) - cu + c) / len(x)), f3(ns(v))))
        write(os.path.join(out, "cdf-%s.dat" % sid), cd)
    write(os.path.join(out, "summary.dat"), summ)
    lad = ["# " + VERSION, "# null_subtracted: no", "# confidence: 0.95", "# resamples: 200",
           "# seed: %d" % seed,
           "# env exit native_median native_median_lo native_median_hi kvm_median kvm_median_lo "
           "kvm_median_hi diff_median diff_median_lo diff_median_hi ratio_median ratio_median_lo "
           "ratio_median_hi native_p99 native_p99_lo native_p99_hi kvm_p99 kvm_p99_lo kvm_p99_hi "
           "diff_p99 diff_p99_lo diff_p99_hi ratio_p99 ratio_p99_lo ratio_p99_hi native_median_ns "
           "kvm_median_ns diff_median_ns diff_p99_ns kvm_domain step"]
    for k in KINDS:
        if k.startswith("null") or ("native", k) not in series or ("kvm", k) not in series:
            continue
        a, b = series[("native", k)], series[("kvm", k)]
        row = [env, k]
        for p in (0.5, 0.99):
            na, ka = q(a, p), q(b, p)
            nlo, nhi = boot_ci(rng, a, p)
            klo, khi = boot_ci(rng, b, p)
            vals = [na, nlo, nhi, ka, klo, khi, ka - na, klo - nhi, khi - nlo,
                    ka / na, klo / nhi, khi / nlo]
            row += [fmt(v) if i < 9 else "%.6f" % v for i, v in enumerate(vals)]
        # column order: medians block then p99 block (as above)
        med = stats[("native", k)]["median"], stats[("kvm", k)]["median"]
        row += [f3(ns(med[0])), f3(ns(med[1])), f3(ns(med[1] - med[0])),
                f3(ns(stats[("kvm", k)]["p99"] - stats[("native", k)]["p99"]))]
        dom = DOMAINS[k][1]
        row += [dom, "in-kernel" if dom == "guest" else "user-space"]
        lad.append(" ".join(row))
    write(os.path.join(out, "ladder.dat"), lad)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    make_set(os.path.join(top, "real-a"), "fixhost", "6.1.0-18-amd64", "no",
             ("native", "kvm"), 2995200, 1)
    make_set(os.path.join(top, "real-b"), "fixhost", "6.12.9-amd64", "no",
             ("native", "kvm"), 2995200, 2, slow=1.08)
    make_set(os.path.join(top, "kvm-only"), "pvmhost", "6.18.4-pvm", "no",
             ("kvm",), 2596124, 3)
    make_set(os.path.join(top, "emu"), "exitlat-guest", "6.1.0-28-amd64", "bochs",
             ("native", "kvm"), 0, 4)
    make_set(os.path.join(top, "emu-const"), "exitlat-guest", "6.12.117-amd64", "bochs",
             ("native", "kvm"), 0, 5, const=True)


main()
