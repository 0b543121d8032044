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
    news = news_batch(args.news) if args.news else None

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
    if news:
        n_art, n_pairs, wall, cpu = news
        print(f"| batch: {n_art} newstest2013 pseudo-articles of 10 lines, {n_pairs} aligned pairs | {wall:.2f} s, "
              f"{n_pairs / wall:.0f} pairs/s (CPU {cpu:.2f} s, {n_pairs / cpu:.0f} pairs/CPU-s) |")
    import resource

    print(f"| peak memory (this process) | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB |")


def news_batch(n_articles: int) -> tuple[int, int, float, float] | None:
    """Score ``n_articles`` pseudo-articles of 10 consecutive newstest2013 lines (../shared/data; None if absent)."""
    data = ROOT.parent / "shared" / "data" / "opus-mt-testsets-eng-fra"
    en_file, fr_file = data / "newstest2013.eng", data / "newstest2013.fra"
    if not (en_file.is_file() and fr_file.is_file()):
        print(f"(no {data}: skipping the news batch)", file=sys.stderr)
        return None
    from mtcheck.errors import MtcheckError
    from mtcheck.pipeline import score_pair

    en_lines = en_file.read_text(encoding="utf-8").splitlines()
    fr_lines = fr_file.read_text(encoding="utf-8").splitlines()
    n_pairs, done, t, c = 0, 0, time.perf_counter(), time.process_time()
    for k in range(n_articles):
        en, fr = en_lines[k * 10 : k * 10 + 10], fr_lines[k * 10 : k * 10 + 10]
        try:
            n_pairs += len(score_pair("\n\n".join(fr), "\n\n".join(en), date="2013-07-01").pairs)
            done += 1
        except MtcheckError:  # a chunk ingest refuses (say, too short) is not part of the measure
            continue
    return done, n_pairs, time.perf_counter() - t, time.process_time() - c


if __name__ == "__main__":
    main()
