#!/usr/bin/env python3
# Loads pages of the static dashboard from disk in headless Chromium, driven
# through the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in,
# fd 4 out, NUL-separated JSON; nothing listens on a port), and checks what a
# reader would see: no console error, no failed load, every request a file://
# one (no network), every image decoded. Used by tests/host/dashboard.sh.
#
#   browser-check.py [--screenshot PNG] [--top-regressed HOST] PAGE...
#
# --top-regressed: the first row of the page's #latest table is HOST's and
# marked regressed. --screenshot: the first PAGE, whole, as PNG.
# Prints one line per page; exit 0 when every check holds, 1 with the reason
# otherwise, 77 when Chromium cannot start (the reason on stderr).
import argparse
import base64
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60


class Browser:
    def __init__(self, binary, profile):
        cmd_r, self.cmd_w = os.pipe()
        self.resp_r, resp_w = os.pipe()

        def fds():
            # through fresh copies: a pipe end may already be 3 or 4 (close-on-exec)
            r, w = os.dup(cmd_r), os.dup(resp_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [binary, "--headless", "--remote-debugging-pipe", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--hide-scrollbars",
                "--user-data-dir=" + profile, "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses root otherwise
        self.log = open(os.path.join(profile, "chromium.log"), "wb")
        # (os.pipe's fds are not inherited: only the dup2'd 3 and 4 reach Chromium)
        self.proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        os.close(cmd_r)
        os.close(resp_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.resp_r], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.resp_r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            msg = self.read(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]
            self.events.append(msg)

    def wait_event(self, method, session):
        deadline = time.monotonic() + TIMEOUT_S
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            msg = self.read(deadline)
            if msg.get("method") == method and msg.get("sessionId") == session:
                return msg
            self.events.append(msg)

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


PROBE = """JSON.stringify({
  images: [...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
  scripts: document.scripts.length,
  top: (r => r ? [r.className, r.cells[0].textContent] : null)(
        document.querySelector('#latest tbody tr')),
  height: document.documentElement.scrollHeight
})"""


def check_page(b, path, args, shot):
    url = pathlib.Path(path).resolve().as_uri()
    target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for m in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
        b.call(m, session=s)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
    b.events.clear()
    nav = b.call("Page.navigate", {"url": url}, session=s)
    if nav.get("errorText"):
        return f"{path}: navigation failed: {nav['errorText']}"
    b.wait_event("Page.loadEventFired", s)
    res = json.loads(b.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                            session=s)["result"]["value"])
    problems = []
    for e in b.events:
        m, p = e.get("method"), e.get("params", {})
        if e.get("sessionId") != s:
            continue
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            problems.append("console error: " + " ".join(str(a.get("value")) for a in p["args"]))
        elif m == "Runtime.exceptionThrown":
            problems.append("exception: " + p["exceptionDetails"].get("text", "?"))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            problems.append("console error: " + p["entry"]["text"] + " " + p["entry"].get("url", ""))
        elif m == "Network.requestWillBeSent" and not p["request"]["url"].startswith("file://"):
            problems.append("a request off the disk: " + p["request"]["url"])
        elif m == "Network.loadingFailed":
            problems.append("a load failed: " + p.get("errorText", "?"))
    broken = [src for src, ok in res["images"] if not ok]
    if broken:
        problems.append(f"{len(broken)} of {len(res['images'])} images did not load: {broken[:3]}")
    if res["scripts"]:
        problems.append(f"{res['scripts']} script elements (the dashboard has none)")
    if args.top_regressed is not None:
        if not res["top"]:
            problems.append("no #latest table row")
        elif res["top"] != ["regressed", args.top_regressed]:
            problems.append(f"top row {res['top']}, want ['regressed', '{args.top_regressed}']")
    if shot:
        b.call("Emulation.setDeviceMetricsOverride",
               {"width": 1280, "height": min(res["height"], 8000), "deviceScaleFactor": 1,
                "mobile": False}, session=s)
        png = b.call("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
        with open(shot, "wb") as f:
            f.write(base64.b64decode(png))
    b.call("Target.closeTarget", {"targetId": target})
    if problems:
        return f"{path}: " + "; ".join(problems)
    print(f"{path}: {len(res['images'])} images loaded, no console error, no network request")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screenshot")
    ap.add_argument("--top-regressed")
    ap.add_argument("pages", nargs="+")
    args = ap.parse_args()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("chromium is not installed (scripts/install-deps adds it)", file=sys.stderr)
        return 77
    with tempfile.TemporaryDirectory(prefix="exitlat-chromium.") as profile:
        b = Browser(binary, profile)
        try:
            try:
                b.call("Browser.getVersion")
            except (TimeoutError, EOFError, BrokenPipeError) as e:
                log = open(os.path.join(profile, "chromium.log"), errors="replace").read()
                print(f"chromium did not start ({e}): {log.strip()[-300:]}", file=sys.stderr)
                return 77
            fails = []
            for i, page in enumerate(args.pages):
                err = check_page(b, page, args if i == 0 else argparse.Namespace(
                    top_regressed=None), args.screenshot if i == 0 else None)
                if err:
                    fails.append(err)
        finally:
            b.close()
    for f in fails:
        print(f, file=sys.stderr)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
