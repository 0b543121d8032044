#!/usr/bin/env python3
"""Calibrate and evaluate moved-paragraph detection (mtcheck.reorder) on WMT newstest documents.

Usage: python scripts/eval_reorder.py dev|test [THRESHOLDS]   e.g.  python scripts/eval_reorder.py test 0.65
dev = newstest2011+2012 (choose the threshold there), test = newstest2013. Reads ../shared/data at run time
(exits when absent); embeddings are cached as .npy under out/reorder-emb. Results: docs/benchmarks-alignment.md.

A. cosine (+ anchor bonus) of each sentence with its translation vs with the other sentences of its article;
B. end to end per document: a 1-2 sentence paragraph moved from the middle to the end (found exactly / in part),
   a dropped sentence plus an addition from another story, a drop plus an addition from the same story, and the
   untouched article (the last three must give no move).
"""
import random, sys
from pathlib import Path
import numpy as np
ROOT = Path(__file__).resolve().parents[1]; sys.path.insert(0, str(ROOT / "scripts"))
from eval_align_news import DATA, read_set
from mtcheck.encoders_extra import get_extra_encoder, save_caches
from mtcheck.align import align
from mtcheck.reorder import find_moves, ReorderParams, _keys

if not DATA.is_dir():
    sys.exit(f"WMT newstest data not found at {DATA}: this evaluation needs ../shared/data next to the repo")
split = sys.argv[1] if len(sys.argv) > 1 else "dev"
sets = {"dev": ["newstest2011", "newstest2012"], "test": ["newstest2013"]}[split]
docs = [d for s in sets for d in read_set(s) if len(d.en) >= 8]
enc = get_extra_encoder("use-m3", ROOT / "out" / "reorder-emb")
print(len(docs), "docs", sum(len(d.en) for d in docs), "sentences")

# A. cosine (+ anchor bonus) of a sentence and its translation vs another sentence of the same article
pos, neg, negmax = [], [], []
for d in docs:
    idx = [i for i in range(len(d.en)) if len(d.en[i].split()) >= 3 and len(d.fr[i].split()) >= 3]
    e = enc.encode([d.en[i] for i in idx]); f = enc.encode([d.fr[i] for i in idx])
    ke = [_keys(d.en[i]) for i in idx]; kf = [_keys(d.fr[i]) for i in idx]
    S = f @ e.T
    for r in range(len(idx)):
        for c in range(len(idx)):
            u = len(ke[c] | kf[r]); a = len(ke[c] & kf[r]) / u if u else 0.0
            (pos if r == c else neg).append((S[r, c], S[r, c] + 0.1 * a))
        row = [S[r, c] + 0.1 * (len(ke[c] & kf[r]) / max(1, len(ke[c] | kf[r]))) for c in range(len(idx)) if c != r]
        if row: negmax.append(max(row))
save_caches(enc)
pos, neg = np.array(pos), np.array(neg)
for name, col in (("cos", 0), ("cos+0.1*anchor", 1)):
    print(name, "true pairs pct 1/5/10/50:", np.percentile(pos[:, col], [1, 5, 10, 50]).round(3),
          "| same-article others pct 50/95/99/99.9:", np.percentile(neg[:, col], [50, 95, 99, 99.9]).round(3))
    for t in (0.5, 0.55, 0.58, 0.6, 0.62, 0.65, 0.7):
        print(f"   t={t}: recall {np.mean(pos[:, col] >= t):.3f}  impostor rate {np.mean(neg[:, col] >= t):.4f}")
print("best impostor per sentence pct 50/90/99:", np.percentile(negmax, [50, 90, 99]).round(3))

# B. end to end: align, then find moves
def sim(threshold):
    p = ReorderParams(threshold=threshold)
    res = {"move_exact": 0, "move_partial": 0, "moves": 0, "false_on_move": 0, "drop_false": 0, "drops": 0,
           "clean_false": 0, "drop_omission_kept": 0, "move_in_align": 0}
    pool = [s for d in docs for s in d.fr if len(s.split()) >= 6]
    for d in docs:
        rng = random.Random(f"7:{d.docid}")
        n = len(d.en)
        # a paragraph of 1-2 sentences moved from the middle to the end
        L = rng.choice([1, 2]); s0 = rng.randrange(2, n - L - 2)
        order = list(range(s0)) + list(range(s0 + L, n)) + list(range(s0, s0 + L))
        fr = [d.fr[i] for i in order]
        beads = align(d.en, fr, enc)
        moves = find_moves(beads, d.en, fr, enc, p)
        gold_en, gold_fr = set(range(s0, s0 + L)), set(range(n - L, n))
        res["moves"] += 1
        res["move_in_align"] += any(b.en and b.fr and set(b.en) & gold_en for b in beads)
        hit = [m for m in moves if set(m.en) & gold_en and set(m.fr) & gold_fr]
        res["move_exact"] += any(set(m.en) == gold_en and set(m.fr) == gold_fr for m in moves)
        res["move_partial"] += bool(hit)
        res["false_on_move"] += sum(1 for m in moves if m not in hit)
        # a dropped sentence and an unrelated addition from another story, elsewhere
        i = rng.randrange(2, n - 2)
        fr = d.fr[:i] + d.fr[i + 1:]
        own = set(d.fr)
        extra = rng.choice([s for s in pool if s not in own])
        at = rng.choice([1, len(fr)]) if abs(i - 1) > 2 else len(fr)
        fr = fr[:at] + [extra] + fr[at:]
        beads = align(d.en, fr, enc)
        moves = find_moves(beads, d.en, fr, enc, p)
        res["drops"] += 1
        res["drop_false"] += len(moves)
        # hard: English sentence i dropped, English sentence j (far away) not in the source, so French j is an
        # addition from the same story
        i, j = rng.randrange(2, n // 2), rng.randrange(n // 2 + 2, n)
        en2 = d.en[:j] + d.en[j + 1:]
        fr = d.fr[:i] + d.fr[i + 1:]
        beads = align(en2, fr, enc)
        res["hard_false"] = res.get("hard_false", 0) + len(find_moves(beads, en2, fr, enc, p))
        # untouched article
        beads = align(d.en, d.fr, enc)
        res["clean_false"] += len(find_moves(beads, d.en, d.fr, enc, p))
    return res

for t in [float(x) for x in (sys.argv[2].split(",") if len(sys.argv) > 2 else ["0.55", "0.62", "0.7"])]:
    r = sim(t); save_caches(enc)
    print(f"t={t}: {r}")
