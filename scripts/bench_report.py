#!/usr/bin/env python3
"""Benchmark `mtcheck report` on a generated batch: wall time and peak memory with 1 and 2 jobs.

Usage: python scripts/bench_report.py [--articles 1000] [--jobs 1 2] [--write docs/benchmarks-report.md]

The batch is written to a temporary folder (never into the repository): variants of the demo corpus
and, when ../shared/data/wmt-newstest-enfr/ exists, of its English-original WMT news documents
(English source, French reference). Each variant k tags every paragraph with "(dispatch k)" /
"(dépêche k)", so no sentence repeats across articles and the per-process embedding cache does
not flatter the figures. Each run is a fresh `mtcheck report` process; peak memory is
the sum of each process's high-water mark (parent + workers), read from /proc while it runs.
Prints a Markdown table and, with --write, saves it with the command and date.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
WMT = ROOT.parent / "shared" / "data" / "wmt-newstest-enfr"
WMT_SETS = [("newstest2011-src.en.sgm", "newstest2011-src.fr.sgm"),
            ("newstest2012-src.en.sgm", "newstest2012-src.fr.sgm"),
            ("newstest2013-src.en.sgm", "newstest2013-src.fr.sgm"),
            ("newsdiscussdev2015-enfr-src.en.sgm", "newsdiscussdev2015-enfr-ref.fr.sgm")]

Source = tuple[str, list[str], list[str]]  # name, English paragraphs, French paragraphs


def demo_sources() -> list[Source]:
    """The demo pairs, as paragraphs (the first line, ``date ...``, stays as it is)."""
    out = []
    for fr in sorted(DEMO.glob("*.fr.txt")):
        en = fr.with_name(fr.name.replace(".fr.", ".en."))
        out.append((fr.name.split(".")[0], en.read_text(encoding="utf-8").split("\n\n"),
                    fr.read_text(encoding="utf-8").split("\n\n")))
    return out


def _sgm_docs(path: Path) -> dict[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    docs = {}
    for m in re.finditer(r'<doc ([^>]*)>(.*?)</doc>', text, re.S):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if attrs.get("origlang") != "en":
            continue
        segs = [html.unescape(s).strip() for s in re.findall(r"<seg[^>]*>(.*?)</seg>", m.group(2), re.S)]
        docs[attrs["docid"]] = [s for s in segs if s]
    return docs


def wmt_sources() -> list[Source]:
    """English-original WMT documents with their French translation, one segment per paragraph."""
    out = []
    for en_name, fr_name in WMT_SETS:
        if not (WMT / en_name).is_file() or not (WMT / fr_name).is_file():
            continue
        en_docs, fr_docs = _sgm_docs(WMT / en_name), _sgm_docs(WMT / fr_name)
        for docid in sorted(set(en_docs) & set(fr_docs)):
            if len(en_docs[docid]) == len(fr_docs[docid]) and len(en_docs[docid]) >= 3:
                out.append((f"wmt-{len(out):03d}", en_docs[docid], fr_docs[docid]))
    return out


_SENTENCE_END = re.compile(r'(?<=[a-zà-ÿ0-9%»”")][.!?])\s+')


def _tag(paragraph: str, label: str) -> str:
    # Tag inside every sentence, so no sentence repeats and none is added; date and notice lines stay.
    p = paragraph.rstrip()
    if not p or p.startswith(("date ", "((", "(Re")) or "\n" in p.strip():
        return paragraph
    out = []
    for s in _SENTENCE_END.split(p):
        out.append(f"{s[:-1]} ({label}){s[-1]}" if s[-1] in ".!?" else f"{s} ({label})")
    return " ".join(out)


def generate(dest: Path, n: int) -> dict[str, int]:
    """Write ``n`` article pairs into ``dest``; return how many came from each kind of source."""
    demo, wmt = demo_sources(), wmt_sources()
    sources: list[Source] = []
    for i in range(max(len(demo), len(wmt))):  # alternate short demo stories and longer WMT documents
        sources.append(demo[i % len(demo)])
        if wmt:
            sources.append(wmt[i % len(wmt)])
    kinds = {"demo": 0, "wmt": 0}
    for k in range(n):
        name, en, fr = sources[k % len(sources)]
        kinds["wmt" if name.startswith("wmt-") else "demo"] += 1
        stem = f"{k:04d}-{name}"
        (dest / f"{stem}.en.txt").write_text("\n\n".join(_tag(p, f"dispatch {k}") for p in en) + "\n",
                                             encoding="utf-8")
        (dest / f"{stem}.fr.txt").write_text("\n\n".join(_tag(p, f"dépêche {k}") for p in fr) + "\n",
                                             encoding="utf-8")
    return kinds


def _tree(pid: int) -> set[int]:
    pids, todo = set(), [pid]
    while todo:
        p = todo.pop()
        pids.add(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return pids


def _hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run_report(batch: Path, out: Path, jobs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """One `mtcheck report` run: wall seconds, CPU seconds, peak memory (MiB), articles scored and failed."""
    # Not `python -m mtcheck.cli`: run as __main__, cli.py would register `report` on another copy of itself.
    cmd = [sys.executable, "-c", "from mtcheck.cli import main; main()", "report", str(batch), "--out", str(out),
           "--jobs", str(jobs), "--quiet"]
    peaks: dict[int, int] = {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    while proc.poll() is None:
        for pid in _tree(proc.pid):
            hwm = _hwm_kib(pid)
            if hwm:
                peaks[pid] = max(peaks.get(pid, 0), hwm)
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    stdout, stderr = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers are reaped by the report process: counted
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"mtcheck report failed ({proc.returncode}): {stderr.strip()[-1000:]}")
    with open(out / "articles.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(out / "findings.csv", encoding="utf-8", newline="") as fh:
        n_findings = sum(1 for _ in csv.DictReader(fh))
    return {"wall": wall, "cpu": cpu, "peak_mib": sum(peaks.values()) / 1024,
            "parent_mib": peaks.get(proc.pid, 0) / 1024,
            "articles": len(rows), "errors": sum(r["status"] == "error" for r in rows), "findings": n_findings,
            "html_mib": (out / "report.html").stat().st_size / 2**20, "summary": stdout.strip()}


def bench_writers(n: int) -> dict[str, float]:
    """Write the report of ``n`` articles (demo results reused under distinct names): time and memory of the writers."""
    from mtcheck.batch import Job, Outcome
    from mtcheck.pipeline import score_files
    from mtcheck.report_files import write_report

    scored = [score_files(fr, fr.with_name(fr.name.replace(".fr.", ".en."))) for fr in sorted(DEMO.glob("*.fr.txt"))]
    outcomes = [Outcome(Job(k, f"{k:04d}-demo", Path(f"{k:04d}.fr.txt"), None), result=scored[k % len(scored)])
                for k in range(n)]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tmp = Path(tempfile.mkdtemp(prefix="mtcheck-bench-writers-"))
    try:
        t0 = time.perf_counter()
        paths = write_report(outcomes, tmp)
        wall = time.perf_counter() - t0
        sizes = {name: p.stat().st_size / 2**20 for name, p in paths.items()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"wall": wall, "rss_growth_mib": (rss1 - rss0) / 1024, "peak_mib": rss1 / 1024, **sizes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000, help="articles in the batch (default 1000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to compare (default 1 2)")
    ap.add_argument("--single-blas", action="store_true",
                    help="also run --jobs 1 with OPENBLAS_NUM_THREADS=1 (what each parallel worker uses)")
    ap.add_argument("--write", type=Path, help="also write the results as Markdown to this file")
    ap.add_argument("--writers-only", type=int, metavar="N",
                    help="only time the report writers on N articles (scored demo results reused), no scoring")
    args = ap.parse_args()
    if args.writers_only:
        r = bench_writers(args.writers_only)
        text = (f"Command: `python scripts/bench_report.py --writers-only {args.writers_only}`\n\n"
                "| articles | write time | memory growth while writing | process peak | findings.csv | segments.csv "
                "| report.json | report.html |\n|---|---|---|---|---|---|---|---|\n"
                f"| {args.writers_only} | {r['wall']:.1f} s | {r['rss_growth_mib']:.0f} MiB | {r['peak_mib']:.0f} MiB "
                f"| {r['findings.csv']:.1f} MiB | {r['segments.csv']:.1f} MiB | {r['report.json']:.1f} MiB "
                f"| {r['report.html']:.1f} MiB |")
        print(text)
        return

    tmp = Path(tempfile.mkdtemp(prefix="mtcheck-bench-"))
    try:
        batch = tmp / "batch"
        batch.mkdir()
        kinds = generate(batch, args.articles)
        results = {str(j): run_report(batch, tmp / f"out-{j}", j) for j in args.jobs}
        if args.single_blas:
            results["1, OPENBLAS_NUM_THREADS=1"] = run_report(batch, tmp / "out-1b", 1, {"OPENBLAS_NUM_THREADS": "1"})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines = [
        f"Command: `python scripts/bench_report.py --articles {args.articles} --jobs {' '.join(map(str, args.jobs))}"
        f"{' --single-blas' if args.single_blas else ''}`",
        f"Date: {dt.date.today().isoformat()}; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average at the end {load[0]:.1f} (other work shares the cores:"
        " CPU time is the steadier figure)",
        f"Batch: {args.articles} article pairs ({kinds['demo']} demo variants, {kinds['wmt']} WMT news "
        "variants), every sentence distinct.",
        "",
        "| jobs | wall time | articles/s | CPU time | peak memory (all processes) | parent peak | errors | findings "
        "| report.html |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    base = results[str(args.jobs[0])]["wall"]
    for j, r in results.items():
        speed = f" ({base / r['wall']:.2f}x)" if j != str(args.jobs[0]) else ""
        lines.append(f"| {j} | {r['wall']:.0f} s{speed} | {r['articles'] / r['wall']:.2f} | "
                     f"{r['cpu']:.0f} s | {r['peak_mib']:.0f} MiB | {r['parent_mib']:.0f} MiB | "
                     f"{r['errors']:.0f} | {r['findings']:.0f} | {r['html_mib']:.1f} MiB |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text("# Benchmark: `mtcheck report`\n\n" + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
