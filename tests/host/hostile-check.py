#!/usr/bin/python3
"""Checks for tests/host/hostile-inputs.sh: what one hostile value must look
like in each output. An independent implementation of the rules in
docs/analysis-outputs.md ("Text in the outputs"), so that the C writers are
checked against something they do not share.

    hostile-check.py COMMAND ARGS...   exit 0 when the check holds, else 1 and why
"""
import csv
import io
import json
import re
import subprocess
import sys
import unicodedata

LABEL_MAX = 24


def fail(why):
    print(why[:600])
    sys.exit(1)


def raw(path):
    with open(path, "rb") as f:
        return f.read()


def header_value(v):
    """What the sample reader keeps of a header value: blanks around it dropped."""
    v = v.lstrip(b" \t")
    return v.rstrip(b" \t\r")


def text(v):
    """Valid UTF-8: invalid bytes as U+FFFD (one per maximal subpart)."""
    return v.decode("utf-8", errors="replace")


def label(v, limit=LABEL_MAX):
    """A figure's text: control characters as U+FFFD, at most limit characters."""
    s = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text(v))
    return s if len(s) <= limit else s[:limit] + "\u2026"


def latex(s):
    """LaTeX text for a label (the same rules as lib/text.c, written apart)."""
    rep = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
           "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}",
           "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
           "|": r"\textbar{}", "\"": r"{\ttfamily\char34}", "'": r"\textquotesingle{}",
           "`": r"\textasciigrave{}", "-": "-{}", "\ufffd": "?"}
    return "".join(rep.get(c, c) for c in s)


def squeeze(s):
    return re.sub(r"\s+", "", s)


def load_json(path):
    try:
        data = raw(path).decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path}: not valid UTF-8: {e}")

    def no_const(c):
        raise ValueError(f"{path}: {c} is not JSON")
    try:
        return json.loads(data, parse_constant=no_const)
    except ValueError as e:
        fail(f"{path}: does not parse: {e}")


def load_csv(path):
    try:
        data = raw(path).decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path}: not valid UTF-8: {e}")
    rows = list(csv.reader(io.StringIO(data, newline=""), strict=True))
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        fail(f"{path}: rows of different lengths")
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def cmd_analysis(d, vfile, keys):
    """The analysis' JSON and CSV of a set whose KEYS (host,kernel,...) are the value."""
    want = text(header_value(raw(vfile)))
    keys = keys.split(",")
    doc = load_json(f"{d}/summary.json")
    envs = doc["environments"]
    if len(envs) != 1:
        fail(f"summary.json: {len(envs)} environments, want 1")
    for k in keys:
        if envs[0][k] != want:
            fail(f"summary.json: {k} is {envs[0][k]!r}, want {want!r}")
    rows = load_csv(f"{d}/summary.csv")
    for r in rows:
        for k in keys:
            if r[k] != want:
                fail(f"summary.csv: {k} is {r[k]!r}, want {want!r}")
    if len(rows) != len(doc["series"]):
        fail(f"summary.csv: {len(rows)} rows, summary.json {len(doc['series'])} series")
    load_csv(f"{d}/overhead.csv")


def cmd_breakdown(d, vfile):
    """The breakdown of a set whose free-text keys are the value: one kind, its
    segments' covers the value, shares adding up to 100 %, csv-breakdown alike."""
    want = text(header_value(raw(vfile)))
    doc = load_json(f"{d}/summary.json")
    bd = doc.get("breakdown", [])
    if len(bd) != 1:
        fail(f"summary.json: {len(bd)} breakdowns, want 1")
    segs = bd[0]["segments"]
    for k in ("share_median", "share_p99"):
        total = sum(g[k] for g in segs)
        if abs(total - 100) > 0.01:
            fail(f"summary.json: {k} adds up to {total}, not 100")
    for g in segs:
        if g["covers"] != want:
            fail(f"summary.json: covers of {g['segment']} is {g['covers']!r}, want {want!r}")
    rows = load_csv(f"{d}/breakdown.csv")
    if len(rows) != len(segs):
        fail(f"breakdown.csv: {len(rows)} rows, summary.json {len(segs)} segments")
    for r in rows:
        if r["covers"] != want:
            fail(f"breakdown.csv: covers is {r['covers']!r}, want {want!r}")


def cmd_kind(d, vfile):
    """The analysis' JSON and CSV of a series whose exit kind is the value."""
    want = text(header_value(raw(vfile)))
    doc = load_json(f"{d}/summary.json")
    exits = sorted(s["exit"] for s in doc["series"])
    if want not in exits:
        fail(f"summary.json: exits {exits!r}, want {want!r} among them")
    rows = load_csv(f"{d}/summary.csv")
    if want not in [r["exit"] for r in rows]:
        fail(f"summary.csv: no exit {want!r}")


def cmd_files(jsonfile, path):
    """summary.json names the input file as it is called (path given as bytes on argv)."""
    want = text(path.encode("utf-8", "surrogateescape"))
    doc = load_json(jsonfile)
    files = [f for s in doc["series"] for f in s["files"]]
    if want not in files:
        fail(f"summary.json: files {files!r}, want {want!r} among them")


def pdf_text(pdf):
    # -raw: no de-hyphenation ("--" at a line's end stays two hyphens)
    out = subprocess.run(["pdftotext", "-q", "-raw", "-nopgbrk", pdf, "-"], capture_output=True)
    return out.stdout.decode("utf-8", errors="replace")


def shown_as(v, form):
    """The value as a figure takes it: a header's (blanks around it dropped), a
    kernel's release (its first word), or a name's (as it is)."""
    if form in ("header", "kernel"):
        v = header_value(v)
    if form == "kernel":
        v = re.split(rb"[ \t]", v, maxsplit=1)[0]
    return v


def cmd_pdf(pdf, vfile, form):
    """The figure shows the value's label literally."""
    v = shown_as(raw(vfile), form)
    want = label(v)
    got = pdf_text(pdf)
    if squeeze(want) not in squeeze(got):
        fail(f"{pdf}: text {got!r} lacks {want!r}")


def cmd_trend_pdf(datadir, trendsdir, hostfile):
    """The kvm-cpuid trend figure of the host (found by its data file's metadata) shows the host."""
    import glob
    import os
    want = label(raw(hostfile), 10**6)
    for path in glob.glob(os.path.join(datadir, "trend-*.dat")):
        meta = {}
        for line in raw(path).decode("utf-8", errors="replace").split("\n"):
            if line.startswith("# ") and ": " in line:
                k, v = line[2:].split(": ", 1)
                meta.setdefault(k, v)
        if meta.get("host") != want or meta.get("source") != "kvm" or meta.get("exit") != "cpuid":
            continue
        base = os.path.basename(path)[:-4] + ".pdf"
        figs = [os.path.join(d, base) for d, _, fs in os.walk(trendsdir) if base in fs]
        if not figs:
            fail(f"{trendsdir}: no {base}")
        cmd_pdf(figs[0], hostfile, "name")
        print(os.path.basename(figs[0]))
        return
    fail(f"{datadir}: no kvm cpuid trend data of host {want!r}")


def cmd_tex(tex, vfile, form):
    """The cairolatex .tex holds the label LaTeX-escaped."""
    v = shown_as(raw(vfile), form)
    want = latex(label(v))
    got = raw(tex).decode("utf-8", errors="strict")
    if want not in got:
        fail(f"{tex}: no {want!r} in it")


def cmd_history_status(db, hostfile):
    """The status import gave the host's runs ("failed: why", "ok", ...), one line."""
    import sqlite3
    host = raw(hostfile)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.text_factory = lambda b: b.decode("utf-8", errors="replace")
    rows = con.execute("SELECT status, reason FROM runs WHERE CAST(host AS BLOB) = ? "
                       "ORDER BY time", (host,)).fetchall()
    if not rows:
        fail(f"{db}: no run of host {text(host)!r}")
    print("; ".join(f"{st}: {why}" if why else st for st, why in rows)[:300])


def cmd_json(path):
    load_json(path)


def cmd_csv(path):
    load_csv(path)


def cmd_markdown(path):
    """Valid UTF-8; every table row has as many cells as its header; no raw HTML tag."""
    try:
        lines = raw(path).decode("utf-8").split("\n")
    except UnicodeDecodeError as e:
        fail(f"{path}: not valid UTF-8: {e}")
    cells = None
    for n, line in enumerate(lines, 1):
        if not line.startswith("|"):
            cells = None
            continue
        k = len(re.findall(r"(?<!\\)\|", line))
        if cells is None:
            cells = k
        elif k != cells:
            fail(f"{path}:{n}: {k - 1} cells, the table's header has {cells - 1}: {line!r}")
    for n, line in enumerate(lines, 1):
        if re.search(r"(?<!\\)<script", line, re.I):
            fail(f"{path}:{n}: raw HTML: {line!r}")


def html_shown(v):
    """HTML text (lib/text.c's rules, written apart): controls but tab and newline as U+FFFD."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" and c not in "\t\n" else c
                   for c in text(v))


# What the dashboard may hold: these elements, these attributes, links as relative paths.
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "nav", "a", "h1", "h2", "h3", "h4",
             "h5", "h6", "p", "table", "thead", "tbody", "tr", "th", "td", "img", "ul", "li",
             "strong", "em", "code", "pre", "hr", "small", "blockquote"}
HTML_ATTRS = {"lang", "charset", "href", "src", "alt", "class", "id"}


def parse_page(path):
    """The page's elements checked; returns [(tag, text)] of its h1 and td elements."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.cells, self.cur, self.tag = [], None, None

        def handle_starttag(self, tag, attrs):
            if tag not in HTML_TAGS:
                fail(f"{path}: a <{tag}> element")
            for k, v in attrs:
                if k not in HTML_ATTRS:
                    fail(f"{path}: <{tag} {k}=...>")
                if k in ("href", "src") and (re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", v or "")
                                             or not re.fullmatch(r"[A-Za-z0-9._~/%-]+", v or "")):
                    fail(f"{path}: <{tag} {k}={v!r}>: not a relative path")
            if tag in ("td", "h1"):
                self.cur, self.tag = "", tag

        def handle_endtag(self, tag):
            if tag == self.tag and self.cur is not None:
                self.cells.append((tag, self.cur))
                self.cur = None

        def handle_data(self, data):
            if self.cur is not None:
                self.cur += data

    try:
        src = raw(path).decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path}: not valid UTF-8: {e}")
    pg = Page()
    pg.feed(src)
    pg.close()
    return pg.cells


def cmd_dashboard(root, *hostfiles):
    """Every page holds only the dashboard's elements; each host shows literally in the
    index and as the title of its page."""
    import glob
    import os
    pages = [os.path.join(root, "index.html")] + sorted(glob.glob(os.path.join(root, "dashboard", "*.html")))
    cells = {p: parse_page(p) for p in pages}
    titles = {t for p in pages[1:] for tag, t in cells[p] if tag == "h1"}
    index = {t for tag, t in cells[pages[0]]}
    for hf in hostfiles:
        want = html_shown(raw(hf))
        if want not in index:
            fail(f"{pages[0]}: host {want!r} is in no cell")
        if want not in titles:
            fail(f"{root}/dashboard: no page titled {want!r}")
    print(f"{len(pages)} pages, {len(hostfiles)} hosts shown literally")


def main():
    cmds = {"dashboard": cmd_dashboard, "trend-pdf": cmd_trend_pdf, "history-status": cmd_history_status, "analysis": cmd_analysis, "breakdown": cmd_breakdown, "kind": cmd_kind, "files": cmd_files, "pdf": cmd_pdf,
            "tex": cmd_tex, "json": cmd_json, "csv": cmd_csv, "markdown": cmd_markdown}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        fail("usage: hostile-check.py " + "|".join(cmds) + " ARGS...")
    cmds[sys.argv[1]](*sys.argv[2:])


main()
