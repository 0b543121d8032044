#!/usr/bin/env python3
"""Benchmark retrieval of the English original (`mtcheck retrieve`) on WMT newstest 2011-2013.

Every French document of newstest2011-2013 is a query; the index holds all their English documents plus
the English side of newsdiscussdev2015 as distractors (337 documents).  Then two edited copies of every
original are added (an "UPDATE 1" with changed figures and a paragraph added, an "UPDATE 2" with changed
figures and a paragraph removed) and the queries run again.  Then synthetic distractors grow the index to
1k, 10k and 100k documents to see how query time grows.

Usage:
    python scripts/bench_retrieval.py [--workdir DIR] [--data DIR] [--tune] [--scale 1000,10000,100000]

Corpora and indexes go to a temporary folder (or --workdir, reused across runs: the index is incremental
and the French features are cached there), never into the repository.  Prints Markdown for
docs/benchmarks-retrieval.md.  Exits with status 2 when the WMT data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wmt-newstest-enfr"
YEARS = ("2011", "2012", "2013")
TUNE_YEARS = ("2011", "2012")  # the weights were chosen on these; 2013 is held out


# ----------------------------------------------------------------------------------------------- data


def read_sgm(path: Path) -> list[dict]:
    """Documents of a WMT SGM file: docid, origlang, headline and paragraphs (lists of segments joined)."""
    text = path.read_text(encoding="utf-8")
    docs = []
    for attrs, body in re.findall(r"<doc ([^>]*)>(.*?)</doc>", text, re.S):
        a = dict(re.findall(r'(\w+)="([^"]*)"', attrs))
        headline, paras = None, []
        for tag, inner in re.findall(r"<(hl|p|h1|h2)>(.*?)</\1>", body, re.S):
            segs = [html.unescape(s).strip() for s in re.findall(r"<seg[^>]*>(.*?)</seg>", inner, re.S)]
            segs = [s for s in segs if s]
            if not segs:
                continue
            if tag == "hl" and headline is None and not paras:
                headline = " ".join(segs)
            else:
                paras.append(" ".join(segs))
        docs.append({"docid": a["docid"], "origlang": a.get("origlang", "?"), "headline": headline, "paras": paras})
    return docs


def as_text(headline: str | None, paras: list[str]) -> str:
    """The article as a plain-text file would hold it."""
    return "\n\n".join(([headline] if headline else []) + paras)


def write_jsonl(path: Path, recs: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------------------- version distractors

_NUM = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


def _bump(m: re.Match, rng: random.Random) -> str:
    s = m.group()
    digits = [i for i, c in enumerate(s) if c.isdigit()]
    # Change one of the leading digits: a different figure, written the same way.
    i = digits[min(len(digits) - 1, rng.randrange(0, 2))]
    d = int(s[i])
    new = str((d + rng.randrange(1, 9)) % 10)
    if i == digits[0] and new == "0" and len(digits) > 1:
        new = str(d % 9 + 1)
    return s[:i] + new + s[i + 1 :]


def change_figures(paras: list[str], rng: random.Random, share: float = 0.5) -> tuple[list[str], int]:
    """About ``share`` of the numbers changed (at least one when there is any); returns the count changed."""
    spots = [(p, m) for p, para in enumerate(paras) for m in _NUM.finditer(para)]
    if not spots:
        return list(paras), 0
    chosen = set(rng.sample(range(len(spots)), max(1, round(len(spots) * share))))
    out = list(paras)
    for k in sorted(chosen, key=lambda k: (spots[k][0], -spots[k][1].start())):
        p, m = spots[k]
        out[p] = out[p][: m.start()] + _bump(m, rng) + out[p][m.end() :]
    return out, len(chosen)


def make_versions(originals: list[dict], rng: random.Random) -> list[dict]:
    """For each original: UPDATE 1 (figures changed, a paragraph added), UPDATE 2 (figures changed, one removed)."""
    recs = []
    for doc in originals:
        others = [d for d in originals if d is not doc and d["paras"]]
        u1, n1 = change_figures(doc["paras"], rng)
        extra = rng.choice(rng.choice(others)["paras"])
        u1.insert(rng.randrange(1, len(u1) + 1) if u1 else 0, extra)
        u2, n2 = change_figures(doc["paras"], rng)
        if len(u2) > 1:
            del u2[rng.randrange(1, len(u2))]
        for tag, paras in (("u1", u1), ("u2", u2)):
            head = f"UPDATE {tag[1]}-{doc['headline']}" if doc["headline"] else None
            recs.append({"id": f"{doc['id']}#{tag}", "date": None, "headline": head, "body": "\n\n".join(paras)})
    return recs


# ------------------------------------------------------------------------------------ query features


def french_features(queries: list[dict], encoder, cache: Path, embed_sentences: int) -> tuple[dict, list[float]]:
    """Features of the French queries, cached in ``cache`` (JSON + .npy); per-query extraction times."""
    from mtcheck.index import SCHEMA_VERSION, DocFeatures, features_for
    from mtcheck.ingest import parse_article

    meta_path, emb_path = cache.with_suffix(".json"), cache.with_suffix(".npy")
    if meta_path.exists() and emb_path.exists():
        meta = json.loads(meta_path.read_text())
        if (meta.get("embed_sentences"), meta.get("encoder"), meta.get("schema")) == (
                embed_sentences, encoder.name, SCHEMA_VERSION):
            embs = np.load(emb_path)
            feats = {}
            for i, q in enumerate(meta["queries"]):
                feats[q["id"]] = DocFeatures(tuple(q["figures"]), tuple(q["names"]), tuple(q["tickers"]), None,
                                             q["headline"], q["n_paragraphs"], q["n_chars"], embs[i])
            return feats, meta["seconds"]
    feats, secs = {}, []
    for q in queries:
        t0 = time.perf_counter()
        art = parse_article(q["text"], lang="fr")
        feats[q["id"]] = features_for([art], encoder, "fr", embed_sentences)[0]
        secs.append(time.perf_counter() - t0)
    ids = list(feats)
    meta = {"embed_sentences": embed_sentences, "encoder": encoder.name, "schema": SCHEMA_VERSION,
            "seconds": secs, "queries": [
        {"id": i, "figures": feats[i].figures, "names": feats[i].names, "tickers": feats[i].tickers,
         "headline": feats[i].headline, "n_paragraphs": feats[i].n_paragraphs, "n_chars": feats[i].n_chars}
        for i in ids]}
    np.save(emb_path, np.stack([feats[i].embedding for i in ids]))
    meta_path.write_text(json.dumps(meta))
    return feats, secs


# -------------------------------------------------------------------------------------------- evaluate


def evaluate(retriever, queries: list[dict], feats: dict, weights, related: dict[str, set[str]] | None = None,
             subset=None) -> dict:
    """Top-1, MRR, found / ambiguous counts, search times; and a hold-out run without the original."""
    from mtcheck.retrieve import rank_matches

    ids_of = {r[1]: r[0] for r in retriever.index.db.execute("SELECT id, doc_id FROM docs")}
    out = {"n": 0, "top1": 0, "rr": 0.0, "found_right": 0, "found_wrong": 0, "not_found": 0, "ambiguous": 0,
           "holdout_found": 0, "times": [], "misses": [], "true_scores": [], "holdout_scores": [],
           "margins": []}
    for q in queries:
        if subset and not subset(q):
            continue
        f = feats[q["id"]]
        t0 = time.perf_counter()
        matches = retriever.matches(f)
        res = rank_matches(matches, weights, top=10)
        out["times"].append(time.perf_counter() - t0)
        out["n"] += 1
        ranked = [c.doc_id for c in res.candidates]
        if q["truth"] in ranked:
            r = ranked.index(q["truth"]) + 1
            out["rr"] += 1 / r
            out["top1"] += r == 1
        else:
            r = None
        if r == 1:
            out["true_scores"].append(res.candidates[0].score)
            if len(res.candidates) > 1:
                out["margins"].append(res.candidates[0].score - res.candidates[1].score)
        if res.found:
            out["found_right" if r == 1 else "found_wrong"] += 1
        else:
            out["not_found"] += 1
        out["ambiguous"] += res.ambiguous
        if r != 1:
            out["misses"].append((q["id"], ranked[:3], [round(c.score, 3) for c in res.candidates[:3]]))
        # Hold-out: the same query with its original (and the original's versions) gone from the index.
        gone = {q["truth"]} | (related or {}).get(q["truth"], set())
        ex = frozenset(ids_of[g] for g in gone if g in ids_of)
        held = rank_matches([m for m in matches if m.row.id not in ex], weights, top=1)
        out["holdout_found"] += held.found
        if held.candidates:
            out["holdout_scores"].append(held.candidates[0].score)
    return out


def fmt_eval(name: str, e: dict) -> str:
    n = e["n"] or 1
    t = sorted(e["times"])
    p95 = t[int(0.95 * (len(t) - 1))] if t else 0
    return (f"| {name} | {e['n']} | {100 * e['top1'] / n:.1f} % | {e['rr'] / n:.3f} | "
            f"{e['found_right']} / {e['found_wrong']} / {e['not_found']} | {e['ambiguous']} | "
            f"{e['holdout_found']} | {1000 * statistics.median(t) if t else 0:.1f} / {1000 * p95:.1f} ms |")


EVAL_HEADER = ("| setting | queries | top-1 | MRR | found right / found wrong / not found | ambiguous | "
               "hold-out: false original | search median / p95 |\n|---|---|---|---|---|---|---|---|")


# ---------------------------------------------------------------------------------------------- tuning


def tune(retriever, queries, feats, base_weights) -> None:
    """Grid search of the feature weights on the TUNE_YEARS queries (index with versions); prints the best."""
    import itertools
    from dataclasses import replace

    from mtcheck.retrieve import FEATURES

    cache = []
    for q in queries:
        ms = retriever.matches(feats[q["id"]])
        X = np.array([[m.features[k] for k in FEATURES] for m in ms])
        y = np.array([m.row.doc_id == q["truth"] for m in ms])
        rel = np.array([m.row.doc_id.startswith(q["truth"]) for m in ms])  # the original or one of its versions
        cache.append((q, X, y, rel))
    grid = {"keys": [0.2, 0.4, 0.6, 0.8, 1.2, 1.6], "structure": [0, 0.05, 0.1, 0.2, 0.4]}
    rows = []
    for combo in itertools.product(*grid.values()):
        w = replace(base_weights, **dict(zip(grid, combo)))
        vec = np.array([getattr(w, k) for k in FEATURES])
        res = {}
        trues, held_out = [], []
        for q, X, y, rel in cache:
            s = X @ vec
            if y.any():
                trues.append(s[y].max())
            if (~rel).any():
                held_out.append(s[~rel].max())
        # The threshold that makes the fewest mistakes: originals left unfound + hold-out queries "found".
        trues, held_out = np.array(trues), np.array(held_out)
        cuts = np.unique(np.concatenate([trues, held_out]))
        errs = [(int((trues < t).sum() + (held_out >= t).sum()), t) for t in cuts]
        best_err, best_t = min(errs)
        for part in ("tune", "held"):
            top1, rr, n, margin = 0, 0.0, 0, []
            for q, X, y, _ in cache:
                if (q["year"] in TUNE_YEARS) != (part == "tune"):
                    continue
                n += 1
                if not len(X) or not y.any():
                    continue
                s = X @ vec
                order = np.argsort(-s, kind="stable")
                r = int(np.nonzero(y[order])[0][0]) + 1
                top1 += r == 1
                rr += 1 / r
                if r == 1 and len(s) > 1:
                    margin.append(s[order[0]] - s[order[1]])
            res[part] = (top1 / max(n, 1), rr / max(n, 1), float(np.median(margin)) if margin else 0.0)
        rows.append((res["tune"], res["held"], combo, best_err, best_t))
    rows.sort(key=lambda r: (-r[0][0], -r[0][1], r[3], -r[0][2]))
    print("\n### Tuning (grid on 2011-2012 queries, index with versions; 2013 held out)\n")
    print("| " + " | ".join(grid) + " | top-1 tune | MRR tune | median margin | top-1 2013 | "
          "found/not-found mistakes at the best threshold (all 522 runs) | that threshold |")
    print("|" + "---|" * (len(grid) + 6))
    for tune_r, held_r, combo, err, t in rows[:12]:
        print("| " + " | ".join(str(c) for c in combo)
              + f" | {100 * tune_r[0]:.1f} % | {tune_r[1]:.3f} | {tune_r[2]:.3f} | {100 * held_r[0]:.1f} % | "
              f"{err} | {t:.3f} |")


# --------------------------------------------------------------------------------------------- scaling


def synthetic(index, n_new: int, rng: np.random.Generator, start: int) -> None:
    """Add ``n_new`` cheap synthetic distractors: perturbed copies of indexed documents' features (no encoder)."""
    from mtcheck.index import DocFeatures

    rows = index.db.execute("SELECT figures, names, tickers, n_paragraphs, n_chars, emb FROM docs "
                            "WHERE doc_id NOT LIKE 'synthetic/%'").fetchall()
    fig_pool = sorted({k for r in rows for k in r[0].split()})
    name_pool = sorted({k for r in rows for k in r[1].split()})
    dim = len(rows[0][5]) // 4
    with index.db:
        for i in range(n_new):
            figs, names, ticks, n_par, n_chars, emb = rows[rng.integers(len(rows))]
            src = np.frombuffer(emb, dtype=np.float32)
            noise = rng.standard_normal(dim).astype(np.float32)
            noise -= (noise @ src) * src
            noise /= np.linalg.norm(noise)
            c = rng.uniform(0.3, 0.85)  # cosine to the source document: a topical neighbour, not a copy
            vec = (c * src + np.sqrt(1 - c * c) * noise).astype(np.float32)
            keep = lambda keys, p: [k for k in keys.split() if rng.random() < p]  # noqa: E731
            f = keep(figs, 0.4) + [fig_pool[j] for j in rng.integers(len(fig_pool), size=rng.integers(0, 8))]
            f += [f"count:{rng.integers(1, 10**6)}" for _ in range(rng.integers(0, 4))]
            nm = keep(names, 0.5) + [name_pool[j] for j in rng.integers(len(name_pool), size=rng.integers(0, 6))]
            feat = DocFeatures(tuple(sorted(set(f))), tuple(sorted(set(nm))), tuple(ticks.split()), None, None,
                               max(1, int(n_par) + int(rng.integers(-2, 3))), int(n_chars * rng.uniform(0.7, 1.3)),
                               vec / np.linalg.norm(vec))
            index.add(f"synthetic/{start + i}", "synthetic.jsonl", feat, start + i + 1)
        if n_new > 1000:
            index.db.execute("INSERT INTO keys(keys) VALUES ('optimize')")
    index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def scaling(index_path: Path, levels: list[int], queries, feats, weights, sample: int = 100) -> list[str]:
    """Query time and top-1 as synthetic distractors grow the index to each level."""
    from mtcheck.index import Index
    from mtcheck.retrieve import PREFILTER_MIN, Retriever, rank_matches

    rng = np.random.default_rng(7)
    qs = random.Random(7).sample(queries, min(sample, len(queries)))
    lines = ["| documents | index size | load (matrix + projection) | search median / p95 | top-1 (sample of "
             f"{len(qs)}) |", "|---|---|---|---|---|"]
    with Index(index_path) as idx:
        for level in levels:
            have = len(idx)
            if level > have:
                t0 = time.perf_counter()
                synthetic(idx, level - have, rng, have)
                print(f"  added {level - have} synthetic documents in {time.perf_counter() - t0:.0f} s",
                      file=sys.stderr)
            idx._matrix = None
            t0 = time.perf_counter()
            idx.matrix()
            load = time.perf_counter() - t0
            r = Retriever(idx, None, weights)
            t0 = time.perf_counter()
            if len(idx) >= PREFILTER_MIN:
                r._projection(idx.matrix()[2])  # built once per process, on the first query
            load += time.perf_counter() - t0
            times, top1 = [], 0
            for q in qs:
                t0 = time.perf_counter()
                res = rank_matches(r.matches(feats[q["id"]]), weights, top=5)
                times.append(time.perf_counter() - t0)
                top1 += bool(res.candidates) and res.candidates[0].doc_id == q["truth"]
            times.sort()
            lines.append(f"| {len(idx):,} | {idx.size_bytes() / 1e6:.1f} MB | {load * 1000:.0f} ms | "
                         f"{1000 * statistics.median(times):.1f} / {1000 * times[int(0.95 * (len(times) - 1))]:.1f} ms"
                         f" | {100 * top1 / len(qs):.0f} % |")
            print(lines[-1], file=sys.stderr)
    return lines


# ------------------------------------------------------------------------------------------------ main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the WMT SGM files")
    ap.add_argument("--workdir", type=Path, help="keep corpora, indexes and caches here (default: a temp folder)")
    ap.add_argument("--tune", action="store_true", help="also grid-search the feature weights")
    ap.add_argument("--scale", default="1000,10000,100000", help="index sizes for the scaling run ('' to skip)")
    ap.add_argument("--embed-sentences", type=int, default=None, help="lead sentences embedded (0: all)")
    args = ap.parse_args()

    src = {y: args.data / f"newstest{y}-src.en.sgm" for y in YEARS}
    fr_src = {y: args.data / f"newstest{y}-src.fr.sgm" for y in YEARS}
    discuss = args.data / "newsdiscussdev2015-enfr-src.en.sgm"
    missing = [p for p in [*src.values(), *fr_src.values(), discuss] if not p.is_file()]
    if missing:
        print(f"bench_retrieval: WMT data not found ({missing[0]}); pass --data DIR", file=sys.stderr)
        sys.exit(2)

    sys.path.insert(0, str(ROOT))
    from mtcheck.encoder import get_encoder
    from mtcheck.index import EMBED_SENTENCES, Index
    from mtcheck.retrieve import DEFAULT_WEIGHTS, Retriever

    embed_sentences = EMBED_SENTENCES if args.embed_sentences is None else args.embed_sentences
    work = args.workdir or Path(tempfile.mkdtemp(prefix="mtcheck-bench-retrieval-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-e{embed_sentences}"
    corpus.mkdir(exist_ok=True)
    index_path = corpus / ".mtcheck-index.sqlite"

    # Corpus: the English documents as JSON lines (no dates: WMT has none).
    originals, queries = [], []
    for y in YEARS:
        en_docs, fr_docs = read_sgm(src[y]), read_sgm(fr_src[y])
        recs = []
        for d in en_docs:
            d["id"] = f"newstest{y}/{d['docid']}"
            recs.append({"id": d["id"], "date": None, "headline": d["headline"], "body": "\n\n".join(d["paras"])})
            originals.append(d)
        write_jsonl(corpus / f"newstest{y}.jsonl", recs)
        for d in fr_docs:
            queries.append({"id": f"fr/{y}/{d['docid']}", "truth": f"newstest{y}/{d['docid']}", "year": y,
                            "origlang": d["origlang"], "text": as_text(d["headline"], d["paras"])})
    (corpus / "versions.jsonl").unlink(missing_ok=True)  # the versions have their own corpus (below)
    dis = read_sgm(discuss)
    write_jsonl(corpus / "newsdiscussdev2015.jsonl", [
        {"id": f"newsdiscussdev2015/{d['docid']}", "date": None, "headline": d["headline"],
         "body": "\n\n".join(d["paras"])} for d in dis])
    enc = get_encoder("use-m3")
    enc.encode(["warm up"])
    def say(line: str) -> None:
        print(line, flush=True)

    say(f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start; encoder {enc.name}; lead sentences embedded: "
        f"{embed_sentences or 'all'}.\n")

    idx = Index(index_path, embed_sentences=embed_sentences)
    rep = idx.update(corpus, enc, on_error=lambda e: print(f"  {e}", file=sys.stderr))
    n_docs = rep.docs_total
    say(f"Index of {n_docs} English documents ({len(originals)} newstest + {len(dis)} newsdiscussdev2015): "
        f"{rep.summary()}; file {idx.size_bytes() / 1e6:.2f} MB.")
    if rep.files_indexed:
        say(f"Build: {rep.seconds / max(n_docs, 1) * 1000:.0f} s and "
            f"{idx.size_bytes() / max(n_docs, 1) * 1000 / 1e6:.1f} MB per 1,000 articles.")
    t0 = time.perf_counter()
    rep2 = idx.update(corpus, enc)
    say(f"Re-run with nothing changed: {time.perf_counter() - t0:.2f} s ({rep2.summary()}).\n")

    feats, fsecs = french_features(queries, enc, work / f"fr-features-e{embed_sentences}", embed_sentences)
    say(f"French query features (ingest, segment, figures, names, {embed_sentences or 'all'} sentences embedded): "
        f"median {1000 * statistics.median(fsecs):.0f} ms, p95 {1000 * sorted(fsecs)[int(0.95 * (len(fsecs) - 1))]:.0f}"
        f" ms per document ({len(fsecs)} documents).\n")

    w = DEFAULT_WEIGHTS
    r = Retriever(idx, enc, w)
    say(EVAL_HEADER)
    plain = evaluate(r, queries, feats, w)
    say(fmt_eval("all 261 queries, 337 documents", plain))
    for y in YEARS:
        say(fmt_eval(f"  newstest{y}", evaluate(r, queries, feats, w, subset=lambda q, y=y: q["year"] == y)))
    say(fmt_eval("  English-original documents only", evaluate(r, queries, feats, w,
                                                                 subset=lambda q: q["origlang"] == "en")))

    # Versions: a second corpus, the same files (same size and mtime) plus two edited copies of each original
    # in one new file; its index starts as a copy of the first, so updating it reads only the new file.
    vcorpus = work / f"corpus-e{embed_sentences}-versions"
    vcorpus.mkdir(exist_ok=True)
    for f in corpus.glob("*.jsonl"):
        shutil.copy2(f, vcorpus / f.name)
    write_jsonl(vcorpus / "versions.jsonl", make_versions(originals, random.Random(13)))
    vindex = vcorpus / ".mtcheck-index.sqlite"
    idx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy must hold everything
    if not vindex.exists():
        shutil.copy2(index_path, vindex)
    idx.close()
    idx = Index(vindex, embed_sentences=embed_sentences)
    t0 = time.perf_counter()
    rep3 = idx.update(vcorpus, enc)
    vtime = time.perf_counter() - t0
    r = Retriever(idx, enc, w)
    related = {d["id"]: {f"{d['id']}#u1", f"{d['id']}#u2"} for d in originals}
    ver = evaluate(r, queries, feats, w, related)
    say(fmt_eval(f"with version distractors, {len(idx)} documents", ver))
    for y in YEARS:
        say(fmt_eval(f"  newstest{y}", evaluate(r, queries, feats, w, related, subset=lambda q, y=y: q["year"] == y)))
    say("")
    say(f"Versions index update: {rep3.summary()}" + (
        f" (the {rep3.docs_added} documents of versions.jsonl; nothing else re-read: {vtime:.0f} s)"
        if rep3.files_indexed else ""))
    for name, e in (("plain", plain), ("versions", ver)):
        ts, hs, ms = e["true_scores"], e["holdout_scores"], e["margins"]
        say(f"Scores ({name}): original at rank 1: min {min(ts):.3f}, 5th pct {np.percentile(ts, 5):.3f}, median "
            f"{np.median(ts):.3f}; best non-original (hold-out): median {np.median(hs):.3f}, 99th pct "
            f"{np.percentile(hs, 99):.3f}, max {max(hs):.3f}; margin to the runner-up: median {np.median(ms):.3f}, "
            f"5th pct {np.percentile(ms, 5):.3f}.")
    for name, e in (("plain", plain), ("versions", ver)):
        if e["misses"]:
            say(f"\nMisses ({name}): " + "; ".join(f"{q} → {top} {sc}" for q, top, sc in e["misses"][:8]))
    if args.tune:
        tune(r, queries, feats, w)
    idx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    idx.close()

    levels = [int(x) for x in args.scale.split(",") if x.strip()]
    if levels:
        scale_path = work / f"scale-e{embed_sentences}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(str(scale_path) + suffix):
                os.unlink(str(scale_path) + suffix)
        shutil.copy(vindex, scale_path)
        print("\n### Scaling (synthetic distractors added to the index with versions)\n")
        print("\n".join(scaling(scale_path, levels, queries, feats, w)))
    print(f"\n(workdir: {work}; date {dt.date.today().isoformat()})")


if __name__ == "__main__":
    main()
