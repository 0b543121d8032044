#!/usr/bin/env python3
"""Alignment on English/French news with synthetic omissions, additions, merges and splits (WMT newstest).

Reads ../shared/data/wmt-newstest-enfr at run time (nothing of it is copied into the repository). In
newstest2011-2013 each document is segment-parallel in English and French, so the gold alignment is
known; this script then edits the French side with a fixed seed:

- omission (1-0): a French sentence is deleted;
- addition (0-1): a sentence from another document of the same year is inserted;
- merge (2-1): two adjacent French sentences become one ("A. B." -> "A ; B.");
- split (1-2): a French sentence is cut at its most central comma into two sentences.

It reports strict F1 (as Vecalign's score.py counts it), precision and recall of the detected omissions
(English sentences left in 1-0 beads) and additions (French sentences left in 0-1 beads), the false
alarms on the untouched documents, and alignment time per document with embeddings already at hand.

Usage: python scripts/eval_align_news.py [--split dev|test] [--origlang en|all] [--seed 13]
       [--encoder use-m3] [--set name=value ...]
--split dev is newstest2011+2012 (tune there); --split test is newstest2013 (report that).
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_align_textberg import make_encoder, parse_params  # noqa: E402

from mtcheck.encoders_extra import save_caches  # noqa: E402

from mtcheck.align import AlignParams, align, alignment_scores  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wmt-newstest-enfr"
SPLITS = {"dev": ["newstest2011", "newstest2012"], "test": ["newstest2013"]}
_DOC = re.compile(r'<doc\s+([^>]*)>(.*?)</doc>', re.S)
_SEG = re.compile(r"<seg[^>]*>(.*?)</seg>", re.S)
Beads = list[tuple[list[int], list[int]]]


@dataclasses.dataclass
class Doc:
    """One news story: its id, original language, English and French segments, and the year's set name."""

    docid: str
    origlang: str
    en: list[str]
    fr: list[str]
    setname: str


def read_sgm(path: Path) -> dict[str, tuple[str, list[str]]]:
    """docid -> (origlang, segments) of one SGM file."""
    out = {}
    for attrs, body in _DOC.findall(path.read_text(encoding="utf-8")):
        docid = re.search(r'docid="([^"]*)"', attrs).group(1)
        lang = re.search(r'origlang="([^"]*)"', attrs)
        segs = [" ".join(html.unescape(s).split()) for s in _SEG.findall(body)]
        out[docid] = (lang.group(1) if lang else "?", segs)
    return out


def read_set(setname: str) -> list[Doc]:
    """The documents of newstest20xx whose English and French sides have the same number of segments."""
    en, fr = (read_sgm(DATA / f"{setname}-src.{lang}.sgm") for lang in ("en", "fr"))
    return [Doc(d, en[d][0], en[d][1], fr[d][1], setname) for d in en
            if d in fr and len(en[d][1]) == len(fr[d][1]) and en[d][1]]


def _split_at_comma(sentence: str) -> list[str] | None:
    """Cut at the comma nearest the middle, if both halves keep four words or more."""
    words_before = [len(sentence[:m.start()].split()) for m in re.finditer(",", sentence)]
    total = len(sentence.split())
    cuts = [(abs(w - total / 2), m.start()) for w, m in zip(words_before, re.finditer(",", sentence))
            if w >= 4 and total - w >= 4]
    if not cuts:
        return None
    cut = min(cuts)[1]
    head, tail = sentence[:cut].rstrip(), sentence[cut + 1 :].strip()
    return [head + ".", tail[:1].upper() + tail[1:]]


def perturb(doc: Doc, others: list[str], rng: random.Random, rates: dict[str, float]) -> tuple[list[str], Beads]:
    """The edited French side of ``doc`` and the gold beads (English index lists, French index lists)."""
    fr: list[str] = []
    gold: Beads = []
    i, n = 0, len(doc.en)
    while i < n:
        if i > 0 and rng.random() < rates["add"]:  # never in front of the headline
            fr.append(rng.choice(others))
            gold.append(([], [len(fr) - 1]))
        r = rng.random()
        if r < rates["omit"] and i > 0:  # the headline stays, as it does on the wire
            gold.append(([i], []))
            i += 1
            continue
        r -= rates["omit"]
        if r < rates["merge"] and i + 1 < n and i > 0:
            fr.append(doc.fr[i].rstrip(" .") + " ; " + doc.fr[i + 1])
            gold.append(([i, i + 1], [len(fr) - 1]))
            i += 2
            continue
        r -= rates["merge"]
        parts = _split_at_comma(doc.fr[i]) if r < rates["split"] else None
        if parts:
            fr.extend(parts)
            gold.append(([i], [len(fr) - 2, len(fr) - 1]))
        else:
            fr.append(doc.fr[i])
            gold.append(([i], [len(fr) - 1]))
        i += 1
    return fr, gold


def null_prf(gold: list[Beads], test: list[Beads], side: int) -> tuple[float, float, int, int]:
    """Precision, recall, #predicted and #gold of sentences left alone (side 0: 1-0 omissions, 1: 0-1)."""
    def alone(beads: Beads) -> set[int]:
        return {x for b in beads if not b[1 - side] for x in b[side]}

    tp = pred = true = 0
    for g, t in zip(gold, test):
        gs, ts = alone(g), alone(t)
        tp, pred, true = tp + len(gs & ts), pred + len(ts), true + len(gs)
    return (tp / pred if pred else 1.0), (tp / true if true else 1.0), pred, true


def evaluate(docs: list[Doc], encoder, params: AlignParams, seed: int, rates: dict[str, float]) -> dict:
    """Scores on the edited documents, false alarms on the untouched ones, and timings."""
    by_set: dict[str, list[str]] = {}
    for d in docs:
        by_set.setdefault(d.setname, []).extend(s for s in d.fr if len(s.split()) >= 5)
    golds, tests, clean_golds, clean_tests, times = [], [], [], [], []
    for d in docs:
        rng = random.Random(f"{seed}:{d.setname}:{d.docid}")
        own = set(d.fr)
        others = [s for s in by_set[d.setname] if s not in own]
        fr, gold = perturb(d, others, rng, rates)
        align(d.en, fr, encoder, params)  # embeds (or reads the cache), so the timing below is the DP alone
        t0 = time.perf_counter()
        beads = [(b.en, b.fr) for b in align(d.en, fr, encoder, params)]
        times.append((len(d.en), time.perf_counter() - t0))
        golds.append(gold)
        tests.append(beads)
        clean_golds.append([([i], [i]) for i in range(len(d.en))])
        clean_tests.append([(b.en, b.fr) for b in align(d.en, d.fr, encoder, params)])
    res = alignment_scores(golds, tests)
    res["omission"] = null_prf(golds, tests, 0)
    res["addition"] = null_prf(golds, tests, 1)
    res["clean_f1"] = alignment_scores(clean_golds, clean_tests)["f1_strict"]
    res["clean_false_nulls"] = sum(len(b[0]) + len(b[1]) for t in clean_tests for b in t if not (b[0] and b[1]))
    res["sentences"] = sum(n for n, _ in times)
    res["gold_kinds"] = _kinds(golds)
    res["times"] = times
    return res


def _kinds(beads: list[Beads]) -> dict[str, int]:
    out: dict[str, int] = {}
    for doc in beads:
        for x, y in doc:
            out[f"{len(x)}-{len(y)}"] = out.get(f"{len(x)}-{len(y)}", 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=list(SPLITS), default="test")
    ap.add_argument("--origlang", choices=["en", "all"], default="all",
                    help="en: only stories first written in English (the mtcheck use case)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--rates", default="omit=0.06,add=0.04,merge=0.05,split=0.05",
                    help="chance per sentence of each edit")
    ap.add_argument("--encoder", default="use-m3")
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE", help="AlignParams overrides")
    ap.add_argument("--cache", default="/tmp/mtcheck-emb", help="embedding cache directory")
    args = ap.parse_args()
    if not (DATA / "newstest2013-src.fr.sgm").is_file():
        sys.exit(f"WMT newstest data not found at {DATA}: this benchmark needs ../shared/data next to the repo")

    rates = {k: float(v) for k, v in (kv.split("=") for kv in args.rates.split(","))}
    params = parse_params(args.set)
    docs = [d for s in SPLITS[args.split] for d in read_set(s) if args.origlang == "all" or d.origlang == "en"]
    encoder = make_encoder(args.encoder, args.cache)
    encoder.encode(["warm-up"])
    res = evaluate(docs, encoder, params, args.seed, rates)
    save_caches(encoder)

    times = res["times"]
    near30 = [t for n, t in times if 20 <= n <= 40]
    print(f"encoder {encoder.name}; params {dataclasses.asdict(params)}")
    print(f"{args.split} = {'+'.join(SPLITS[args.split])}, origlang {args.origlang}: {len(docs)} documents, "
          f"{res['sentences']} English sentences; seed {args.seed}; rates {rates}; "
          f"gold beads {res['gold_kinds']}\n")
    print("| strict P | strict R | strict F1 | omission P | omission R | addition P | addition R "
          "| untouched docs: F1, false 1-0/0-1 sentences |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    (op, orr, opred, otrue), (ap_, ar, apred, atrue) = res["omission"], res["addition"]
    print(f"| {res['precision_strict']:.3f} | {res['recall_strict']:.3f} | **{res['f1_strict']:.3f}** | "
          f"{op:.3f} ({opred}) | {orr:.3f} ({otrue}) | {ap_:.3f} ({apred}) | {ar:.3f} ({atrue}) | "
          f"{res['clean_f1']:.3f}, {res['clean_false_nulls']} of {2 * res['sentences']} |")
    median = statistics.median(t for _, t in times)
    print(f"\nalign time per document (embeddings cached): median {median * 1000:.0f} ms,"
          f" max {max(t for _, t in times) * 1000:.0f} ms (longest {max(n for n, _ in times)} sentences)"
          + (f"; 20-40 sentences: median {statistics.median(near30) * 1000:.0f} ms" if near30 else ""))


if __name__ == "__main__":
    main()
