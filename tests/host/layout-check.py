#!/usr/bin/python3
"""Measures the text of figures (tests/host/fleet-figures.sh): every word
cairo put into a PDF, with the box poppler's text extraction gives it
(pdftotext -bbox: the glyphs' advance widths, the font's ascent and descent,
rotation included), must lie on the page and overlap no other word; and the
words a figure must show (its host labels, its axis labels) must be there
(poppler drops a word that lies wholly off the page, so a clipped label is
missing).

    layout-check.py words PDF...          every word with its box (debugging)
    layout-check.py page PDF [EXPECT...]  the checks above for one figure;
                                          EXPECT: words it must show
    layout-check.py hosts HOSTS PDF...    every host of the file HOSTS (one a
                                          line) shows its label, as a figure
                                          cuts it, once across PDFs (the pages
                                          of one fleet figure)
Exit 0 when every check holds, else 1 with one line per fault.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

LABEL_MAX = 24      # a figure's label: history/trend.c cuts at 24 characters
SLACK = 0.25        # points: rounding in the boxes, not a visible overlap
# The EMULATED watermark is drawn behind the data on purpose, at three times
# the text size and turned by 20 degrees (plots/style.gp): the one word that
# may lie under others. poppler cuts turned text into pieces ("EM", "ULA").
WATERMARK = "EMULATED"


def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True).stdout.decode("utf-8", "replace")
    # the XHTML has a DOCTYPE ElementTree need not fetch: drop it
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out)
    root = ET.fromstring(out)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = root.findall(".//x:page", ns)
    if len(pages) != 1:
        raise SystemExit(f"{pdf}: {len(pages)} pages, a figure has one")
    page = pages[0]
    size = float(page.get("width")), float(page.get("height"))
    ws = []
    for w in page.findall("x:word", ns):
        box = tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
        ws.append((w.text or "", box))
    return size, ws


def height(box):
    return box[3] - box[1]


def text_height(ws):
    """The usual height of a word's box: the figure's text size."""
    hs = sorted(min(height(b), b[2] - b[0]) for _, b in ws)
    return hs[len(hs) // 2] if hs else 0


def overlap(a, b):
    return (min(a[2], b[2]) - max(a[0], b[0]) > SLACK and
            min(a[3], b[3]) - max(a[1], b[1]) > SLACK)


def check_page(pdf, expect):
    faults = []
    (pw, ph), ws = words(pdf)
    th = text_height(ws)
    marks = [(t, b) for t, b in ws if t and t in WATERMARK and height(b) > 2 * th
             and b[2] - b[0] > th]
    texts = [(t, b) for t, b in ws if (t, b) not in marks]
    for t, b in texts:
        if b[0] < -SLACK or b[1] < -SLACK or b[2] > pw + SLACK or b[3] > ph + SLACK:
            faults.append(f"{pdf}: '{t}' leaves the canvas ({pw:.0f} x {ph:.0f} pt): "
                          f"box {b[0]:.1f},{b[1]:.1f} .. {b[2]:.1f},{b[3]:.1f}")
    # sweep along x: pairs whose x ranges meet
    order = sorted(texts, key=lambda w: w[1][0])
    for i, (t, b) in enumerate(order):
        for u, c in order[i + 1:]:
            if c[0] >= b[2] - SLACK:
                break
            if overlap(b, c):
                faults.append(f"{pdf}: '{t}' and '{u}' overlap: "
                              f"{b[0]:.1f},{b[1]:.1f} .. {b[2]:.1f},{b[3]:.1f} and "
                              f"{c[0]:.1f},{c[1]:.1f} .. {c[2]:.1f},{c[3]:.1f}")
    shown = {t for t, _ in texts}
    for e in expect:
        if e not in shown:
            faults.append(f"{pdf}: '{e}' is not shown (clipped off the page, or missing)")
    return faults, len(texts)


def label(host):
    return host if len(host) <= LABEL_MAX else host[:LABEL_MAX] + "\u2026"


def check_hosts(hosts_file, pdfs):
    with open(hosts_file, encoding="utf-8") as f:
        hosts = [h for h in f.read().split("\n") if h]
    seen = {}
    for pdf in pdfs:
        for t, _ in words(pdf)[1]:
            seen.setdefault(t, []).append(pdf)
    faults = []
    for h in hosts:
        n = len(seen.get(label(h), []))
        if n != 1:
            faults.append(f"host {h}: its label '{label(h)}' is shown {n} times in "
                          f"{len(pdfs)} figure(s), not once")
    return faults


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd = argv[1]
    faults = []
    if cmd == "words":
        for pdf in argv[2:]:
            (pw, ph), ws = words(pdf)
            print(f"{pdf}: {pw:.1f} x {ph:.1f} pt")
            for t, b in ws:
                print(f"  {b[0]:7.1f} {b[1]:7.1f} {b[2]:7.1f} {b[3]:7.1f}  {t}")
        return 0
    if cmd == "page":
        faults, n = check_page(argv[2], argv[3:])
    elif cmd == "hosts":
        faults = check_hosts(argv[2], argv[3:])
    else:
        raise SystemExit(__doc__)
    for f in faults[:40]:
        print(f)
    if len(faults) > 40:
        print(f"... and {len(faults) - 40} more")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
