#!/usr/bin/env python3
"""Benchmark `mtcheck score`: cold wall time (fresh process), warm time (in process), aligned pairs per second.

Usage: python scripts/bench_score.py [--repeat N]
Prints a Markdown table; record it in docs/benchmarks.md with the command and date.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"


def demo_pairs() -> list[tuple[Path, Path]]:
    """Every (fr, en) pair of the demo corpus."""
    return [(fr, fr.with_name(fr.name.replace(".fr.", ".en."))) for fr in sorted(DEMO.glob("*.fr.txt"))]


def long_pair(pairs: list[tuple[Path, Path]], min_sentences: int, out_dir: Path) -> tuple[Path, Path]:
    """A long article made of demo stories end to end (the first keeps its date line), about ``min_sentences`` long."""
    from mtcheck.ingest import read_article
    from mtcheck.segment import segment

    fr_parts, en_parts, n = [], [], 0
    for k, (fr, en) in enumerate(pairs):
        fr_text, en_text = fr.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
        if k:  # one date line per article
            fr_text, en_text = fr_text.split("\n", 1)[1], en_text.split("\n", 1)[1]
        fr_parts.append(fr_text)
        en_parts.append(en_text)
        n += len(segment(read_article(en, lang="en")))
        if n >= min_sentences:
            break
    fr_out, en_out = out_dir / "long.fr.txt", out_dir / "long.en.txt"
    fr_out.write_text("\n\n".join(fr_parts), encoding="utf-8")
    en_out.write_text("\n\n".join(en_parts), encoding="utf-8")
    return fr_out, en_out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3, help="cold runs to take the median of")
    ap.add_argument("--news", type=int, default=100, metavar="N",
                    help="also score N newstest2013 pseudo-articles from ../shared/data (0: skip)")
    args = ap.parse_args()
    pairs = demo_pairs()
    if not pairs:
        sys.exit("no demo pairs in corpora/demo")
    tmp = Path(tempfile.mkdtemp(prefix="mtcheck-bench-"))
    longest = long_pair(pairs, 30, tmp)

    cold = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "mtcheck", "score", str(longest[0]), str(longest[1]),
                               "--format", "json"], capture_output=True, text=True)
        cold.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            sys.exit(f"mtcheck failed: {proc.stderr.strip()}")
    cold.sort()

    from mtcheck.pipeline import score_files

    t = time.perf_counter()
    first = score_files(*longest)
    first_in_process = time.perf_counter() - t
    t = time.perf_counter()
    score_files(*longest)
    warm = time.perf_counter() - t

    # A batch of distinct articles with the encoder's cache emptied first: the long article above is made of
    # the same stories, and its cached embeddings would flatter the figure.
    from mtcheck.encoder import get_encoder

    get_encoder()._cache.clear()
    n_pairs, t, c = 0, time.perf_counter(), time.process_time()
    for fr, en in pairs:
        n_pairs += len(score_files(fr, en).pairs)
    batch, batch_cpu = time.perf_counter() - t, time.process_time() - c
    news = [(j, news_batch(args.news, j)) for j in (1, 2)] if args.news else []

    n_sent = len(first.en_sentences)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| article | {longest[0].name} ({n_sent} English / {len(first.fr_sentences)} French sentences) |")
    print(f"| cold, fresh process (median of {args.repeat}) | {cold[len(cold) // 2]:.2f} s |")
    print(f"| first call in process (loads encoder) | {first_in_process:.2f} s |")
    print(f"| warm, same article again | {warm * 1000:.0f} ms |")
    print(f"| batch: {len(pairs)} demo pairs, {n_pairs} aligned pairs | {batch:.2f} s, {n_pairs / batch:.0f} pairs/s "
          f"(CPU {batch_cpu:.2f} s) |")
    for n_jobs, measured in news:
        if measured:
            n_art, n_pairs, wall, cpu = measured
            print(f"| batch, `--jobs {n_jobs}`: {n_art} newstest pseudo-articles of 10 lines, {n_pairs} aligned "
                  f"pairs | {wall:.2f} s, **{n_pairs / wall:.0f} pairs/s** (CPU {cpu:.2f} s) |")
    import resource

    print(f"| peak memory (this process) | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB |")


def news_batch(n_articles: int, n_jobs: int = 1) -> tuple[int, int, float, float] | None:
    """Score ``n_articles`` pseudo-articles of 10 consecutive newstest lines (../shared/data; None if absent).

    Lines come from newstest2013, then 2012 and 2011 (3,000 lines each) when more than 300 articles are asked for.

    They go through the batch layer of ``mtcheck report`` (``run_batch``: a process pool when ``n_jobs`` > 1,
    workers loading the encoder before they start) from a temporary folder of pairs; the time is the batch's
    wall time, the CPU time is this process's and its workers'.
    """
    data = ROOT.parent / "shared" / "data" / "opus-mt-testsets-eng-fra"
    sets = ("newstest2013", "newstest2012", "newstest2011")
    if not all((data / f"{s}.{lang}").is_file() for s in sets for lang in ("eng", "fra")):
        print(f"(no {data}: skipping the news batch)", file=sys.stderr)
        return None
    from mtcheck.batch import collect_jobs, run_batch
    from mtcheck.config import Config

    en_lines = [ln for s in sets for ln in (data / f"{s}.eng").read_text(encoding="utf-8").splitlines()]
    fr_lines = [ln for s in sets for ln in (data / f"{s}.fra").read_text(encoding="utf-8").splitlines()]
    folder = Path(tempfile.mkdtemp(prefix="mtcheck-news-"))
    for k in range(n_articles):
        for lang, lines in (("en", en_lines), ("fr", fr_lines)):
            text = "date 2013-07-01\n" + "\n\n".join(lines[k * 10 : k * 10 + 10]) + "\n"
            (folder / f"{k:04d}.{lang}.txt").write_text(text, encoding="utf-8")
    jobs = collect_jobs([folder])
    t, c = time.perf_counter(), _cpu()
    run = run_batch(jobs, Config(), "use-m3", n_jobs=n_jobs)
    wall, cpu = time.perf_counter() - t, _cpu() - c
    ok = [o for o in run.outcomes if o.ok]
    return len(ok), sum(len(o.result.pairs) for o in ok), wall, cpu


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

if __name__ == "__main__":
    main()
