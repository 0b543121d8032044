"""Sentence alignment: monotone dynamic programming over sentence embeddings, with figure and name anchors.

Beads are 1-1, merges and splits of up to ``max_side`` sentences a side and ``max_total`` in all (1-2
and 2-1 by default; up to 1-4, 2-2, 2-3, 3-3 for human translations), 1-0 (an English sentence with
no French: an omission) and 0-1 (a French sentence with no English: an addition). Nothing in it is
specific to English or French: it is benchmarked on German-French too (docs/benchmarks-alignment.md).

As in Vecalign (Thompson & Koehn 2019), every run of up to ``max_side`` sentences is embedded as one
text, and each cosine is corrected for hubness by the two runs' mean similarity to the other document.
Long documents are aligned coarse to fine: a path over averaged pairs of sentences (recursively) bounds a
band, and the exact DP runs inside it, so time grows about linearly with length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .encoder import Encoder, embed_runs

_NUMBER = re.compile(r"\d(?:[\d\u00a0\u202f ,.'’]*\d)?")
_NAME = re.compile(r"(?<![\w])[A-ZÀ-Ý][\w&’'.-]*[\w]|(?<![\w])[A-Z]{2,}\b")


@dataclass
class AlignParams:
    """Weights of the alignment score; defaults tuned on news (scripts/eval_align_news.py, dev split) for
    precise omissions and additions with use-m3; see docs/benchmarks-alignment.md."""

    skip: float = 0.20  # a 1-1 bead whose score is below this is cheaper as an omission plus an addition
    merge_penalty: float = 0.24  # per extra sentence in a merge or split bead
    cross_penalty: float = 0.10  # once more for a bead with two or more sentences on both sides (2-2, 2-3...)
    margin: float = 0.5  # weight of the hubness correction
    anchor_weight: float = 0.05  # bonus for shared numbers and names
    length_weight: float = 0.20  # penalty on an unusual length ratio
    expected_ratio: float | None = None  # target/source length in characters; None: measured on the pair
    # bead sizes: 1-1, 1-2, 2-1 (and nulls) by default; bigger beads helped nothing on news and cost 3x the
    # embedding time (every run of up to max_side sentences is embedded); human translations want 4 and 6
    max_side: int = 2  # most sentences on one side of a bead
    max_total: int = 3  # most sentences in a bead, both sides together (6 allows 3-3, 2-4 and 4-2)
    exact_cells: int = 250_000  # DP grids up to this size are searched whole, larger ones coarse to fine
    band: int = 12  # half-width in sentences of the band kept around the coarse path


@dataclass
class Bead:
    """One link of the alignment: sentence indices on each side and its score."""

    en: list[int]
    fr: list[int]
    score: float


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", m.group()).lstrip("0")
        # "1,3" and "1.3" both become "13"; decimals and thousands lose their separator on both sides alike
        if digits:
            out.add(digits.rstrip("0") or "0")
    return out


def _names(text: str) -> set[str]:
    out = set()
    for m in _NAME.finditer(text):
        if m.start() == 0:
            continue  # sentence-initial capitals say nothing
        word = m.group().strip(".'’").lower()
        if len(word) >= 3:
            out.add(word)
    return out


def _runs(x: np.ndarray, k: int, op: Callable = np.add) -> list[np.ndarray]:
    """``out[a][i]`` combines rows ``i .. i+a-1`` of ``x`` with ``op`` (sum or max), for a = 1..k."""
    out = [x[:0], x]
    for a in range(2, k + 1):
        out.append(op(out[a - 1][: len(x) - a + 1], x[a - 1 :]))
    return out


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def _dp(n: int, m: int, lo: np.ndarray, hi: np.ndarray, types: list[tuple[int, int, float]],
        score: Callable[[int, int, int, slice], np.ndarray], skip: float
        ) -> list[tuple[int, int, int, int, float]]:
    """Best monotone path from (0, 0) to (n, m), row by row within columns ``lo[i] .. hi[i]``.

    ``types`` are the beads (a, b, cost) with a >= 1 (1-0 included); a bead is worth its score times
    (a + b) / 2, less its cost, and a sentence left alone is worth ``skip``; 0-1 moves run along each row.
    Returns (i, j, a, b, score) for each bead, in order.
    """
    best: list[np.ndarray] = []
    back: list[np.ndarray] = []
    bscore: list[np.ndarray] = []
    for i in range(n + 1):
        lo_i, width = lo[i], hi[i] - lo[i] + 1
        cand = np.full(width, -np.inf)
        kind = np.full(width, -1, dtype=np.int16)
        sc = np.zeros(width)
        if i == 0:
            cand[0] = 0.0
        for t, (a, b, cost) in enumerate(types):
            src = i - a
            if src < 0:
                continue
            j0, j1 = max(lo_i, lo[src] + b), min(hi[i], hi[src] + b)
            if j0 > j1:
                continue
            prev = best[src][j0 - b - lo[src] : j1 - b - lo[src] + 1]
            if b == 0:
                s = np.zeros(j1 - j0 + 1)
                value = prev + skip * a
            else:
                s = score(a, b, src, slice(j0 - b, j1 - b + 1))
                value = prev + s * (a + b) / 2 - cost
            seg = slice(j0 - lo_i, j1 - lo_i + 1)
            better = value > cand[seg]
            cand[seg] = np.where(better, value, cand[seg])
            kind[seg] = np.where(better, t, kind[seg])
            sc[seg] = np.where(better, s, sc[seg])
        # 0-1 moves along the row: best[j] = max over k <= j of cand[k] + (j - k) * skip, a running max
        steps = np.arange(width) * skip
        row = np.maximum.accumulate(cand - steps) + steps
        kind[row > cand + 1e-9] = -1
        best.append(np.maximum(row, cand))
        back.append(kind)
        bscore.append(sc)

    path = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - lo[i]])
        a, b = types[t][:2] if t >= 0 else (0, 1)
        path.append((i - a, j - b, a, b, float(bscore[i][j - lo[i]]) if t >= 0 else 0.0))
        i, j = i - a, j - b
    return path[::-1]


def _band(e: np.ndarray, f: np.ndarray, p: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """Columns ``lo[i] .. hi[i]`` of each DP row to search: everything if small, else around a coarse path."""
    n, m = len(e), len(f)
    if (n + 1) * (m + 1) <= p.exact_cells or min(n, m) < 4:
        return np.zeros(n + 1, dtype=int), np.full(n + 1, m)
    # halve both documents by averaging neighbouring sentences, align that recursively, widen the path
    ce = _unit(np.add.reduceat(e, np.arange(0, n, 2), axis=0))
    cf = _unit(np.add.reduceat(f, np.arange(0, m, 2), axis=0))
    e2, f2 = _runs(ce, 2), _runs(cf, 2)
    e2[2], f2[2] = _unit(e2[2]), _unit(f2[2])
    base_e = [x @ cf.mean(axis=0) for x in e2]
    base_f = [x @ ce.mean(axis=0) for x in f2]

    def coarse(a: int, b: int, r: int, js: slice) -> np.ndarray:
        return f2[b][js] @ e2[a][r] - p.margin * (base_e[a][r] + base_f[b][js]) / 2

    clo, chi = _band(ce, cf, p)
    types = [(1, 1, 0.0), (1, 0, 0.0), (1, 2, p.merge_penalty), (2, 1, p.merge_penalty)]
    path = _dp(len(ce), len(cf), clo, chi, types, coarse, p.skip / 2)
    lo, hi = np.full(n + 1, m), np.zeros(n + 1, dtype=int)
    for i0, j0, a, b, _ in path:
        rows = slice(min(2 * i0, n), min(2 * (i0 + a), n) + 1)
        lo[rows] = np.minimum(lo[rows], max(0, 2 * j0 - p.band))
        hi[rows] = np.maximum(hi[rows], min(m, 2 * (j0 + b) + p.band))
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # monotone, so every cell of the band stays reachable
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, m
    return lo, hi


_PRIOR_SIM, _PRIOR_WEIGHT = 0.1, 3.0  # cosine of unrelated sentences with this encoder, and its weight


def _baseline(runs: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Each run's mean cosine with the other side's sentences, leaving out its best match.

    The best match is probably its translation; leaving it in would cancel a lone sentence's similarity
    with itself. A prior keeps the mean sensible for very short articles.
    """
    if len(runs) == 0:
        return np.zeros(0, dtype=np.float32)
    if len(runs) * len(other) > 4_000_000:  # long documents: one left-out match is lost in the mean anyway
        return runs @ other.mean(axis=0)
    sims = runs @ other.T
    rest = sims.sum(axis=1) - sims.max(axis=1)
    return (rest + _PRIOR_SIM * _PRIOR_WEIGHT) / (other.shape[0] - 1 + _PRIOR_WEIGHT)


def align(en: list[str], fr: list[str], encoder: Encoder, params: AlignParams | None = None) -> list[Bead]:
    """Align two lists of sentences monotonically; every sentence appears in exactly one bead."""
    p = params or AlignParams()
    n, m = len(en), len(fr)
    if n == 0 or m == 0:
        return [Bead([i], [], 0.0) for i in range(n)] + [Bead([], [j], 0.0) for j in range(m)]

    k_en, k_fr = min(p.max_side, n), min(p.max_side, m)
    # e[a][i]: the embedding of en[i : i + a] (a = 1..k); likewise f[b][j]
    runs_en, runs_fr = embed_runs(encoder, [en, fr], [k_en, k_fr])
    e = [np.zeros((0, 1), np.float32)] + [np.asarray(x, dtype=np.float32) for x in runs_en]
    f = [np.zeros((0, 1), np.float32)] + [np.asarray(x, dtype=np.float32) for x in runs_fr]
    # hubness margin: a run's mean cosine with the other side's single sentences
    base_e = [_baseline(x, f[1]) for x in e]
    base_f = [_baseline(x, e[1]) for x in f]

    # anchors: numbers and capitalised words, kept only if they occur on both sides (so German nouns,
    # capitalised but never copied into French, do not count); a run's keys are its sentences' union
    keys_en = [{"#" + x for x in _numbers(s)} | {"@" + x for x in _names(s)} for s in en]
    keys_fr = [{"#" + x for x in _numbers(s)} | {"@" + x for x in _names(s)} for s in fr]
    vocab = {k: c for c, k in enumerate(sorted(set().union(*keys_en) & set().union(*keys_fr)))}

    def onehot(keys: list[set[str]]) -> np.ndarray:
        out = np.zeros((len(keys), max(1, len(vocab))), dtype=np.float32)
        for r, ks in enumerate(keys):
            out[r, [vocab[k] for k in ks if k in vocab]] = 1.0
        return out

    ke, kf = _runs(onehot(keys_en), k_en, np.maximum), _runs(onehot(keys_fr), k_fr, np.maximum)
    ne, nf = [x.sum(axis=1) for x in ke], [x.sum(axis=1) for x in kf]
    len_e = _runs(np.array([len(s) + 1.0 for s in en]), k_en)
    len_f = _runs(np.array([len(s) + 1.0 for s in fr]), k_fr)
    ratio = p.expected_ratio or float(np.clip(len_f[1].sum() / len_e[1].sum(), 0.5, 2.0))

    def score(a: int, b: int, r: int, js: slice) -> np.ndarray:
        sim = f[b][js] @ e[a][r] - p.margin * (base_e[a][r] + base_f[b][js]) / 2
        shared = kf[b][js] @ ke[a][r]
        union = ne[a][r] + nf[b][js] - shared
        anchor = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        off = np.abs(np.log((len_f[b][js] + 10) / (len_e[a][r] + 10) / ratio))
        return sim + p.anchor_weight * anchor - p.length_weight * np.minimum(off, 2.0)

    types = [(1, 1, 0.0), (1, 0, 0.0)] + [
        (a, b, p.merge_penalty * (a + b - 2) + p.cross_penalty * (a > 1 and b > 1))
        for a in range(1, k_en + 1) for b in range(1, k_fr + 1) if a + b <= p.max_total and (a, b) != (1, 1)]
    lo, hi = _band(e[1], f[1], p)
    path = _dp(n, m, lo, hi, types, score, p.skip / 2)
    return [Bead(list(range(i, i + a)), list(range(j, j + b)), s) for i, j, a, b, s in path]


def alignment_scores(gold: Sequence[Sequence[tuple[Sequence[int], Sequence[int]]]],
                     test: Sequence[Sequence[tuple[Sequence[int], Sequence[int]]]]) -> dict[str, float]:
    """Strict and lax precision, recall and F1 over beads, pooled over documents, exactly as Vecalign's score.py.

    Precision is over every test bead, 1-0 and 0-1 included (a null bead is right only if gold has it);
    recall is over gold beads with sentences on both sides only. A bead is strictly right if gold has the
    very same bead; laxly right if it shares a source sentence with a gold bead that shares a target one.
    """
    def counts(gold_doc, test_doc) -> np.ndarray:
        test_set = {(tuple(x), tuple(y)) for x, y in test_doc if len(x) or len(y)}
        gold_set = {(tuple(x), tuple(y)) for x, y in gold_doc if len(x) or len(y)}
        targets: dict[int, set[int]] = {}
        for xs, ys in gold_set:
            for x in xs:
                targets.setdefault(x, set()).update(ys)
        out = np.zeros(4, dtype=int)  # strict right, strict wrong, lax right, lax wrong
        for xs, ys in test_set:
            if (xs, ys) in gold_set:
                out += (1, 0, 1, 0)
            elif set(ys) & set().union(*(targets.get(x, set()) for x in xs)):
                out += (0, 1, 1, 0)
            else:
                out += (0, 1, 0, 1)
        return out

    pc, rc = np.zeros(4, dtype=int), np.zeros(4, dtype=int)
    for g, t in zip(gold, test):
        pc += counts(g, t)
        rc += counts([b for b in t if len(b[0]) and len(b[1])], [b for b in g if len(b[0]) and len(b[1])])

    def ratio(x: int, y: int) -> float:
        return x / (x + y) if x + y else 0.0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    res = {"precision_strict": ratio(pc[0], pc[1]), "recall_strict": ratio(rc[0], rc[1]),
           "precision_lax": ratio(pc[2], pc[3]), "recall_lax": ratio(rc[2], rc[3])}
    res["f1_strict"] = f1(res["precision_strict"], res["recall_strict"])
    res["f1_lax"] = f1(res["precision_lax"], res["recall_lax"])
    return res
