#!/usr/bin/python3
"""A strict reader of the OpenMetrics text format (openmetrics.io, 1.0) as
`exitlat-history export --format openmetrics` writes it, written apart from
the C writer so that each checks the other: every line a HELP, TYPE or
sample line, each family's HELP and TYPE before its samples and its samples
together, label values with only the escapes the format has (\\\\ \\" \\n),
valid UTF-8, no sample twice, "# EOF" last.

    openmetrics-check.py parse FILE
        the checks above; prints "N families, M samples"
    openmetrics-check.py history FILE DB
        and every value against the history itself (sqlite3): each host's
        latest usable night, its median and p99 per series, its time, whether
        its latest night failed; the regressed series those the file says
        (printed, one per line: host kind source environment)
    openmetrics-check.py hosts FILE HOSTFILE...
        each HOSTFILE's bytes (as UTF-8 with U+FFFD, a NUL as U+FFFD) are the
        host label of some sample
Exit 0 when every check holds, else 1 and why.
"""
import math
import re
import sqlite3
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def fail(why):
    print(why[:800])
    sys.exit(1)


def labels(s, pos, where):
    """Parses {k="v",...} at s[pos] (after '{'); returns (dict, pos after '}')."""
    out = {}
    while True:
        if s[pos] == "}":
            return out, pos + 1
        m = LABEL.match(s, pos)
        if not m or s[m.end():m.end() + 2] != '="':
            fail(f"{where}: bad label at column {pos + 1}: {s!r}")
        name, pos = m.group(0), m.end() + 2
        val = []
        while True:
            if pos >= len(s):
                fail(f"{where}: label {name} not closed")
            c = s[pos]
            if c == "\\":
                e = s[pos + 1:pos + 2]
                if e not in ("\\", '"', "n"):
                    fail(f"{where}: label {name}: escape \\{e} is not the format's")
                val.append("\n" if e == "n" else e)
                pos += 2
            elif c == '"':
                pos += 1
                break
            elif c == "\n":
                fail(f"{where}: label {name}: a raw newline")
            else:
                val.append(c)
                pos += 1
        if name in out:
            fail(f"{where}: label {name} twice")
        out[name] = "".join(val)
        if s[pos] == ",":
            pos += 1
        elif s[pos] != "}":
            fail(f"{where}: after label {name}: {s[pos]!r}")


def number(v, where):
    if v in ("NaN", "+Inf", "-Inf"):
        return float(v.replace("+", ""))
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", v):
        fail(f"{where}: value {v!r} is not a number")
    return float(v)


def parse(path):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path}: not UTF-8: {e}")
    if not text.endswith("# EOF\n"):
        fail(f"{path}: does not end with '# EOF'")
    lines = text[:-1].split("\n")
    fams, samples, seen, current = {}, [], set(), None
    for i, line in enumerate(lines, 1):
        where = f"{path}:{i}"
        if line == "# EOF":
            if i != len(lines):
                fail(f"{where}: # EOF before the end")
            continue
        m = re.fullmatch(r"# (HELP|TYPE|UNIT) (\S+) (.*)", line)
        if m:
            kind, name, rest = m.groups()
            if not NAME.fullmatch(name):
                fail(f"{where}: bad metric name {name!r}")
            if name != current:
                if name in fams:
                    fail(f"{where}: family {name} comes back after another")
                fams[name] = {}
                current = name
            if fams[name].get("samples"):
                fail(f"{where}: {kind} of {name} after its samples")
            if kind in fams[name]:
                fail(f"{where}: two {kind} lines for {name}")
            if kind == "TYPE" and rest not in ("gauge", "counter", "info", "stateset", "unknown"):
                fail(f"{where}: type {rest!r}")
            fams[name][kind] = rest
            continue
        if line.startswith("#") or not line:
            fail(f"{where}: not a line of the format: {line!r}")
        m = NAME.match(line)
        if not m:
            fail(f"{where}: no metric name: {line!r}")
        name, pos = m.group(0), m.end()
        lab = {}
        if line[pos:pos + 1] == "{":
            lab, pos = labels(line, pos + 1, where)
        if line[pos:pos + 1] != " ":
            fail(f"{where}: no blank before the value: {line!r}")
        parts = line[pos + 1:].split(" ")
        if len(parts) != 1:
            fail(f"{where}: a timestamp or more (node_exporter's textfile collector refuses them)")
        value = number(parts[0], where)
        if name != current:
            fail(f"{where}: sample {name} outside its family ({current})")
        f = fams[name]
        if "TYPE" not in f or "HELP" not in f:
            fail(f"{where}: {name} has no TYPE or HELP before its samples")
        f["samples"] = f.get("samples", 0) + 1
        key = (name, tuple(sorted(lab.items())))
        if key in seen:
            fail(f"{where}: sample {name} {lab} twice")
        seen.add(key)
        samples.append((name, lab, value))
    return fams, samples


def cmd_parse(path):
    fams, samples = parse(path)
    print(f"{len(fams)} families, {len(samples)} samples")


def cmd_history(path, db):
    fams, samples = parse(path)
    got = {}
    for name, lab, v in samples:
        got[(name, tuple(sorted(lab.items())))] = v

    def value(name, **lab):
        k = (name, tuple(sorted(lab.items())))
        if k not in got:
            fail(f"{path}: no {name}{lab}")
        return got[k]

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = 0
    for host, time, status in con.execute(
            "SELECT host, time, status FROM runs r WHERE time = "
            "(SELECT max(time) FROM runs x WHERE x.host = r.host)"):
        if value("exitlat_night_failed", host=host) != (status == "failed"):
            fail(f"{path}: exitlat_night_failed of {host} is not {status == 'failed'}")
    for host, time, track, kind, source, domain, emu, med, p99 in con.execute(
            "SELECT r.host, r.time, s.track, s.exit, s.source, s.domain, s.emulated, s.median, s.p99 "
            "FROM series s JOIN runs r ON r.id = s.run_id WHERE r.time = "
            "(SELECT max(time) FROM runs x WHERE x.host = r.host AND x.status <> 'failed')"):
        env = "measured" if emu == "no" else track.rsplit("/", 1)[1]
        lab = dict(host=host, kind=kind, source=source, domain=domain, environment=env)
        for name, want in (("exitlat_median_cycles", med), ("exitlat_p99_cycles", p99)):
            v = value(name, **lab)
            if not math.isclose(v, want, rel_tol=1e-12):
                fail(f"{path}: {name}{lab} = {v}, the history says {want}")
        states = [s for s in ("ok", "learning", "improved", "regressed")
                  if value("exitlat_state", state=s, **lab) == 1]
        if len(states) != 1:
            fail(f"{path}: exitlat_state{lab}: {len(states)} states at 1")
        if value("exitlat_regression", **lab) != (states[0] == "regressed"):
            fail(f"{path}: exitlat_regression{lab} disagrees with its state {states[0]}")
        if states[0] == "regressed":
            print(host, kind, source, env)
        n += 1
    if not n:
        fail(f"{db}: no series to compare")


def cmd_hosts(path, *hostfiles):
    fams, samples = parse(path)
    hosts = {lab.get("host") for _, lab, _ in samples}
    for hf in hostfiles:
        want = open(hf, "rb").read().decode("utf-8", errors="replace").replace("\0", "\ufffd")
        if want not in hosts:
            fail(f"{path}: no sample of host {want!r}")


def main(argv):
    cmds = {"parse": (cmd_parse, 1), "history": (cmd_history, 2), "hosts": (cmd_hosts, None)}
    if len(argv) < 3 or argv[1] not in cmds:
        fail(__doc__)
    f, n = cmds[argv[1]]
    if n is not None and len(argv) - 2 != n:
        fail(__doc__)
    f(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
