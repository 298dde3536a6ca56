#!/usr/bin/python3
"""Writes the interrupt-kind sample files tests/host/interrupt-figures.sh analyses.

    tests/data/plots/make-interrupt-fixtures.py DIR

Sample format v1 as kvm-probe and exitlat.ko write the kinds of issue 14
(domain cross or guest, unit cycles, tsc_khz, and extra keys the analysis
must accept: timer_mode, tsc_offset). No randomness: every value is built so
that the test knows the figures it must find (docs/plots.md):
  irq-real/  measured, 3 GHz: KVM irqfd (990 x 3 us, 9 x 10 us, 1 x 100 us),
             irqfd-halt, timer (p99 above 20 us: 1 us bins), ipi and ipi-halt
             (halted - running median 19499.5 cycles), self-ipi, eoi (50 to
             59 ns: 2 ns bins), null and cpuid (a null to subtract), and
             native intr-exit beside native null
  irq-emu/   EMULATED (qemu), 2 GHz emulated TSC: ipi 200 to 224 ns,
             ipi-halt, irqfd, irqfd-halt
"""
import os
import sys

EXTRA = "# timer_mode: tsc-deadline\n# tsc_offset: KVM_VCPU_TSC_OFFSET\n"


def write(d, source, exit, domain, values, tsc_khz, emulated, host="rt-box"):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{source}-{exit}.samples"), "w") as f:
        f.write("# exitlat-samples 1\n")
        f.write(f"# source: {source}\n# exit: {exit}\n# unit: cycles\n")
        f.write(f"# domain: {domain}\n# tsc_khz: {tsc_khz}\n# host: {host}\n")
        f.write("# kernel: 6.12.9-amd64\n# time: 2026-11-30T08:00:00Z\n")
        f.write(f"# emulated: {emulated}\n# dropped: 0\n{EXTRA}")
        f.write("".join(f"{v}\n" for v in values))


def main(out):
    real = os.path.join(out, "irq-real")
    t = 3000000
    write(real, "kvm", "irqfd", "cross", [9000] * 990 + [30000] * 9 + [300000], t, "no")
    write(real, "kvm", "irqfd-halt", "cross",
          [15000 + (i * 7919) % 6000 for i in range(1000)], t, "no")
    write(real, "kvm", "timer", "guest",
          [75000 + (i * 7919) % 30000 for i in range(1000)], t, "no")
    write(real, "kvm", "ipi", "guest", [4500] * 500 + [4501] * 500, t, "no")
    write(real, "kvm", "ipi-halt", "guest", [24000] * 1000, t, "no")
    write(real, "kvm", "self-ipi", "guest", [900 + i % 40 for i in range(1000)], t, "no")
    write(real, "kvm", "eoi", "guest", [150 + 3 * (i % 10) for i in range(1000)], t, "no")
    write(real, "kvm", "null", "guest", [60] * 1000, t, "no")
    write(real, "kvm", "cpuid", "guest", [1290 + i % 7 for i in range(1000)], t, "no")
    write(real, "native", "null", "host", [40] * 1000, t, "no")
    write(real, "native", "intr-exit", "host", [2100 + i % 30 for i in range(1000)], t, "no")

    emu = os.path.join(out, "irq-emu")
    t = 2000000
    write(emu, "kvm", "ipi", "guest", [400 + i % 50 for i in range(500)], t, "qemu")
    write(emu, "kvm", "ipi-halt", "guest", [5000 + i % 80 for i in range(500)], t, "qemu")
    write(emu, "kvm", "irqfd", "cross", [2000 + i % 100 for i in range(500)], t, "qemu")
    write(emu, "kvm", "irqfd-halt", "cross", [9000 + i % 300 for i in range(500)], t, "qemu")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-interrupt-fixtures.py DIR")
    main(sys.argv[1])
