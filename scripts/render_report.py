#!/usr/bin/env python3
"""Render an mtcheck report.html in headless Chromium: a screenshot, and the DOM after its scripts ran.

Usage: python scripts/render_report.py REPORT_HTML [--screenshot OUT.png] [--dom OUT.html] [--chromium PATH]

Prints one JSON line: the page title, whether the page's own script ran (``data-js="ready"`` on
<html>, which also proves the Content-Security-Policy hash matches), and the files written.
Exit 0 when Chromium rendered the page, 1 otherwise. Needs Chromium (``apt-get install -y chromium``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Isolated and offline: a fresh profile, no network services, no GPU; --no-sandbox because CI runs as root.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1400,2000"]


def find_chromium(given: str | None = None) -> str | None:
    """The Chromium binary to use: the one given, /usr/bin/chromium, or one on PATH."""
    for cand in (given, DEFAULT_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser"),
                 shutil.which("google-chrome")):
        if cand and Path(cand).is_file():
            return cand
    return None


def _chromium(binary: str, extra: list[str], url: str, timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="mtcheck-chromium-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def dump_dom(report: Path, chromium: str, timeout: float = 90) -> str:
    """The page's DOM, serialised after load (its inline script has run by then)."""
    proc = _chromium(chromium, ["--dump-dom"], report.resolve().as_uri(), timeout)
    if proc.returncode != 0 or "<html" not in proc.stdout:
        raise RuntimeError(f"chromium --dump-dom failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc.stdout


def screenshot(report: Path, out: Path, chromium: str, timeout: float = 90) -> Path:
    """A PNG of the top of the page."""
    proc = _chromium(chromium, [f"--screenshot={out.resolve()}"], report.resolve().as_uri(), timeout)
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"chromium --screenshot failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return out


def inspect(dom: str) -> dict[str, object]:
    """What the test needs from a dumped DOM: the title and whether the page script ran."""
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    html_tag = re.search(r"<html[^>]*>", dom)
    return {"title": title.group(1) if title else None,
            "script_ran": bool(html_tag and 'data-js="ready"' in html_tag.group(0)),
            "dom_chars": len(dom)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", type=Path)
    ap.add_argument("--screenshot", type=Path, help="write a PNG here")
    ap.add_argument("--dom", type=Path, help="write the dumped DOM here")
    ap.add_argument("--chromium", help=f"Chromium binary (default {DEFAULT_CHROMIUM})")
    ap.add_argument("--timeout", type=float, default=90, help="seconds per Chromium run")
    args = ap.parse_args(argv)
    binary = find_chromium(args.chromium)
    if binary is None:
        print("render_report: no Chromium found (apt-get install -y chromium)", file=sys.stderr)
        return 1
    if not args.report.is_file():
        print(f"render_report: {args.report}: no such file", file=sys.stderr)
        return 1
    try:
        dom = dump_dom(args.report, binary, args.timeout)
        info = inspect(dom)
        if args.dom:
            args.dom.write_text(dom, encoding="utf-8")
            info["dom"] = str(args.dom)
        if args.screenshot:
            info["screenshot"] = str(screenshot(args.report, args.screenshot, binary, args.timeout))
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        print(f"render_report: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
