"""Find the English original of a French article in an indexed corpus.

Ranking uses what survives translation (see :mod:`mtcheck.index` for the features):

* ``cosine``: cosine of the document embeddings (mean of the lead's sentence embeddings, multilingual);
* ``keys``: agreement of the normalised figures, names and tickers taken together, an F-measure of the
  IDF-weighted share of the French keys found in the document (recall) and the share of the document's keys
  found in the French (precision).  Between the versions of one story (first take, UPDATE 1, UPDATE 2) the
  names stay and the figures change or are added, so this is where figure agreement tells them apart; pooled
  with the names it is not swung by one coincidental "2" (figures and names scored apart did worse, see
  docs/benchmarks-retrieval.md).  ``figures``, ``names`` and ``tickers`` are also reported on their own;
* ``structure``: paragraph count and length agreement (an UPDATE adds paragraphs, a cut version drops some);
* ``date``: a tie-breaker inside the window; the window itself (7 days before to 1 day after the French
  article, when it has a date) is a filter.

``score = Σ weight × feature`` (weights tuned on WMT newstest 2011-2012, see docs/benchmarks-retrieval.md);
a candidate is an original when its score reaches ``threshold``; the confidence is
``sigmoid(slope × (score − threshold))`` shared (softmax, ``temperature``) among the candidates above the
threshold, so two equally close versions get about 0.5 each and the result is flagged ``ambiguous``.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Hashable, Sequence

import numpy as np

from .index import EMBED_SENTENCES, DocFeatures, DocRow, Index, features_for, key_token
from .records import Article

__all__ = [
    "DEFAULT_WEIGHTS",
    "Candidate",
    "Match",
    "Retrieval",
    "Retriever",
    "Weights",
    "agreement",
    "rank_matches",
]

FEATURES = ("cosine", "keys", "structure", "date")  # the scored ones; figures/names/tickers are shown only
# Above PREFILTER_MIN documents the embedding scan goes through a PREFILTER_DIMS projection first.
PREFILTER_MIN, PREFILTER_DIMS, PREFILTER_KEEP = 20_000, 64, 500
LEN_RATIO = 1.15  # French characters per English character (median over WMT newstest 2013 pairs: 1.149)


@dataclass(frozen=True)
class Weights:
    """How the features combine into a score, and how the score reads as a decision."""

    cosine: float = 1.0
    keys: float = 0.8
    structure: float = 0.2
    date: float = 0.02  # a tie-breaker: the window is the filter
    threshold: float = 1.25  # below it: "no original found" (same story, other outlet: up to ~1.23 on WMT)
    slope: float = 15.0  # confidence 0.5 at the threshold, 0.9 at 1.40 (1st percentile of true originals)
    temperature: float = 0.03  # how sharply the confidence goes to the best of several matches
    ambiguity: float = 0.02  # two matches closer than this are "equally close"

    def score(self, feats: dict[str, float]) -> float:
        """The weighted sum of the features."""
        return sum(getattr(self, k) * feats.get(k, 0.0) for k in FEATURES)


DEFAULT_WEIGHTS = Weights()


@dataclass
class Match:
    """A candidate document with its raw feature values and the keys it shares with the query."""

    row: DocRow
    features: dict[str, float]
    shared_figures: list[str] = field(default_factory=list)
    missing_figures: list[str] = field(default_factory=list)  # in the French, not in this document
    extra_figures: list[str] = field(default_factory=list)  # in this document, not in the French
    shared_names: list[str] = field(default_factory=list)
    shared_tickers: list[str] = field(default_factory=list)
    days_before: int | None = None  # the French date minus this document's date


@dataclass
class Candidate:
    """One ranked candidate original, with its score, confidence and why."""

    doc_id: str
    path: str
    line: int | None
    score: float
    confidence: float
    features: dict[str, float]
    reasons: list[str]
    headline: str | None = None
    date: dt.date | None = None
    shared_figures: list[str] = field(default_factory=list)
    missing_figures: list[str] = field(default_factory=list)
    extra_figures: list[str] = field(default_factory=list)
    shared_names: list[str] = field(default_factory=list)
    shared_tickers: list[str] = field(default_factory=list)
    row: DocRow | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready."""
        d = asdict(self)
        d.pop("row")
        d["date"] = self.date.isoformat() if self.date else None
        d["score"], d["confidence"] = round(self.score, 4), round(self.confidence, 4)
        d["features"] = {k: round(v, 4) for k, v in self.features.items()}
        return d


@dataclass
class Retrieval:
    """The answer for one French article: ranked candidates, and whether an original was found."""

    query: str
    candidates: list[Candidate]
    found: bool
    ambiguous: bool
    message: str
    date: dt.date | None = None
    window: tuple[dt.date, dt.date] | None = None
    seconds: float = 0.0

    @property
    def best(self) -> Candidate | None:
        """The original, when one was found."""
        return self.candidates[0] if self.found and self.candidates else None

    def to_dict(self) -> dict:
        """JSON-ready."""
        return {
            "query": self.query,
            "found": self.found,
            "ambiguous": self.ambiguous,
            "message": self.message,
            "original": self.best.doc_id if self.best else None,
            "date": self.date.isoformat() if self.date else None,
            "window": [d.isoformat() for d in self.window] if self.window else None,
            "seconds": round(self.seconds, 4),
            "candidates": [c.to_dict() for c in self.candidates],
        }


def agreement(query: Sequence[Hashable], doc: Sequence[Hashable], idf: dict) -> tuple[float, list]:
    """F-measure of IDF-weighted recall (French keys found) and plain precision (document keys found), shared keys."""
    if not query or not doc:
        return 0.0, []
    dset = set(doc)
    shared = [k for k in query if k in dset]
    if not shared:
        return 0.0, []
    total = sum(idf.get(k, 1.0) for k in query)
    recall = sum(idf.get(k, 1.0) for k in shared) / total if total else 0.0
    precision = len(shared) / len(dset)
    return 2 * recall * precision / (recall + precision), shared


_SPACES = (("f", "figures"), ("n", "names"), ("t", "tickers"))


def _keys(f: DocFeatures) -> list[tuple[str, str]]:
    # One pool for all keys, namespaced, so that a figure "count:3" and a name "3" never meet.
    return [(ns, k) for ns, attr in _SPACES for k in getattr(f, attr)]


def _structure(q: DocFeatures, d: DocFeatures) -> float:
    if not q.n_chars or not d.n_chars:
        return 0.0
    para = 1.0 / (1.0 + abs(q.n_paragraphs - d.n_paragraphs))
    length = math.exp(-2.0 * abs(math.log(q.n_chars / d.n_chars / LEN_RATIO)))
    return (para + length) / 2


def _date_feature(q: dt.date | None, d: dt.date | None) -> tuple[float, int | None]:
    if q is None or d is None:
        return 0.5, None
    days = (q - d).days
    if 0 <= days <= 1:  # the usual case: translated the same day or the next
        return 1.0, days
    return max(0.0, 1.0 - abs(days) / 8), days


class Retriever:
    """Ranks the documents of an index as candidate originals of French articles."""

    def __init__(self, index: Index, encoder=None, weights: Weights = DEFAULT_WEIGHTS,
                 window_days: tuple[int, int] = (7, 1), pool: int = 30) -> None:
        self.index = index
        self.encoder = encoder
        self.weights = weights
        self.before, self.after = window_days
        self.pool = pool
        self._proj: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        built = index.meta("encoder")
        if encoder is not None and built and built != encoder.name and len(index):
            from .errors import UsageError

            raise UsageError(f"{index.path} was built with encoder {built}, not {encoder.name}: re-run `mtcheck index`")

    def _nearest(self, mat: np.ndarray, qv: np.ndarray, ok: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the ``pool`` nearest embeddings (-2 where ``ok`` is False) and their cosines."""
        if len(mat) < PREFILTER_MIN:
            cand = np.arange(len(mat))
            sims = mat @ qv
        else:
            # Scanning 100k x 512 floats is memory-bound (~50 ms on a busy 2-core machine); a 64-dimension
            # projection finds the nearest 500, whose exact cosines are then computed.
            basis, low = self._projection(mat)
            approx = low @ (qv @ basis)
            if ok is not None:
                approx = np.where(ok, approx, -np.inf)
            keep = min(PREFILTER_KEEP, len(mat))
            cand = np.argpartition(-approx, keep - 1)[:keep]
            sims = mat[cand] @ qv
        if ok is not None:
            sims = np.where(ok[cand], sims, -2.0)
        k = min(self.pool, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        return cand[top], sims[top]

    def _projection(self, mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self._proj is None or self._proj[0] is not mat:
            sample = mat[np.random.default_rng(0).choice(len(mat), size=min(len(mat), 4096), replace=False)]
            # Top eigenvectors of the second-moment matrix (an SVD of the sample took seconds, this 0.1 s).
            _, vecs = np.linalg.eigh((sample.T @ sample).astype(np.float64))
            basis = np.ascontiguousarray(vecs[:, ::-1][:, :PREFILTER_DIMS], dtype=np.float32)
            self._proj = (mat, basis, mat @ basis)
        return self._proj[1], self._proj[2]

    def features(self, article: Article) -> DocFeatures:
        """The French article's features (embedding included when the retriever has an encoder)."""
        n = self.index.meta("embed_sentences")
        return features_for([article], self.encoder, "fr", int(n) if n else EMBED_SENTENCES)[0]

    def window(self, date: dt.date | None) -> tuple[dt.date, dt.date] | None:
        """The dates an original of an article published on ``date`` may have (None: no date, no filter)."""
        if date is None:
            return None
        return date - dt.timedelta(days=self.before), date + dt.timedelta(days=self.after)

    def matches(self, q: DocFeatures, exclude: frozenset[int] = frozenset()) -> list[Match]:
        """The candidate pool (nearest embeddings and best key matches, inside the date window) with raw features."""
        ids, dates, mat = self.index.matrix()
        n_docs = max(len(self.index), 1)
        win = self.window(q.date)
        pool: dict[int, float] = {}
        if q.embedding is not None and len(ids):
            ok = None
            if win is not None:
                # Undated documents stay in: nothing says they are outside the window.
                ok = (dates == 0) | ((dates >= win[0].toordinal()) & (dates <= win[1].toordinal()))
            rows_, sims = self._nearest(mat, q.embedding, ok)
            pool.update((int(ids[i]), float(v)) for i, v in zip(rows_, sims) if v > -2.0)

        qkeys = _keys(q)
        token = {nk: key_token(nk[1], nk[0] + "_") for nk in qkeys}
        df = self.index.doc_freq(token.values())
        idf = {nk: math.log((n_docs + 1) / (df[t] + 0.5)) for nk, t in token.items()}
        by_space = {ns: {k: v for (n, k), v in idf.items() if n == ns} for ns, _ in _SPACES}
        key_hits = self.index.search_keys({token[nk]: v for nk, v in idf.items()}, df, self.pool)
        rows = self.index.fetch(set(pool) | set(key_hits))
        out: list[Match] = []
        for rid, row in rows.items():
            if rid in exclude:
                continue
            d = row.features
            if win is not None and d.date is not None and not (win[0] <= d.date <= win[1]):
                continue
            cos = pool.get(rid)
            if cos is None:
                cos = float(d.embedding @ q.embedding) if d.embedding is not None and q.embedding is not None else 0.0
            keys, _ = agreement(qkeys, _keys(d), idf)
            fig, shared_f = agreement(q.figures, d.figures, by_space["f"])
            nam, shared_n = agreement(q.names, d.names, by_space["n"])
            tic, shared_t = agreement(q.tickers, d.tickers, by_space["t"])
            date_f, days = _date_feature(q.date, d.date)
            feats = {"cosine": cos, "keys": keys, "structure": _structure(q, d), "date": date_f,
                     "figures": fig, "names": nam, "tickers": tic}
            dset = set(shared_f)
            out.append(Match(row, feats, shared_f, [k for k in q.figures if k not in dset],
                             [k for k in d.figures if k not in dset], shared_n, shared_t, days))
        return out

    def search(self, q: DocFeatures, top: int = 5, label: str = "", exclude: frozenset[int] = frozenset()) -> Retrieval:
        """Rank the corpus for the French features ``q``."""
        t0 = time.perf_counter()
        res = rank_matches(self.matches(q, exclude), self.weights, top, label)
        res.date, res.window = q.date, self.window(q.date)
        if not res.candidates and res.window:
            res.message = (f"no original found: no document dated {res.window[0].isoformat()} .. "
                           f"{res.window[1].isoformat()} in the corpus")
        if q.date is None:
            res.message += " (the French article has no date: no date filter)"
        res.seconds = time.perf_counter() - t0
        return res

    def retrieve(self, article: Article, top: int = 5) -> Retrieval:
        """Rank the corpus for a French article."""
        t0 = time.perf_counter()
        res = self.search(self.features(article), top, article.path or "")
        res.seconds = time.perf_counter() - t0
        return res


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def _short(keys: Sequence[str], n: int = 6) -> str:
    return ", ".join(keys[:n]) + (f" (+{len(keys) - n} more)" if len(keys) > n else "")


def _reasons(m: Match) -> list[str]:
    f, d = m.features, m.row.features
    out = [f"embedding cosine {f['cosine']:.2f}"]
    n_fr = len(m.shared_figures) + len(m.missing_figures)
    if m.shared_figures:
        out.append(f"{len(m.shared_figures)} of {n_fr} French figures here: {_short(m.shared_figures)}")
    elif n_fr:
        out.append(f"none of the {n_fr} French figures here")
    if m.missing_figures and m.shared_figures:
        out.append(f"French figures not here: {_short(m.missing_figures, 4)}")
    if m.extra_figures and (m.shared_figures or n_fr):
        out.append(f"{len(m.extra_figures)} figure(s) only here: {_short(m.extra_figures, 4)}")
    if m.shared_names:
        out.append(f"shared names: {_short(m.shared_names, 8)}")
    if m.shared_tickers:
        out.append(f"shared tickers: {_short(m.shared_tickers)}")
    if m.days_before is not None:
        out.append(f"dated {d.date.isoformat()}, {m.days_before} day(s) before the French" if m.days_before >= 0
                   else f"dated {d.date.isoformat()}, {-m.days_before} day(s) after the French")
    out.append(f"{d.n_paragraphs} paragraph(s)")
    return out


def rank_matches(matches: list[Match], weights: Weights = DEFAULT_WEIGHTS, top: int = 5, label: str = "") -> Retrieval:
    """Score, rank and decide: found or not, ambiguous or not, with a confidence per candidate."""
    scored = sorted(((weights.score(m.features), m) for m in matches), key=lambda sm: (-sm[0], sm[1].row.doc_id))
    if not scored:
        return Retrieval(label, [], False, False, "no original found: the corpus has no candidate")
    best = scored[0][0]
    above = [s for s, _ in scored if s >= weights.threshold]
    norm = sum(math.exp((s - best) / weights.temperature) for s in above) or 1.0
    cands: list[Candidate] = []
    for s, m in scored[:top]:
        p = _sigmoid(weights.slope * (s - weights.threshold))
        share = math.exp((s - best) / weights.temperature) / norm if s >= weights.threshold else 1.0
        d = m.row.features
        cands.append(Candidate(m.row.doc_id, m.row.path, m.row.line, s, p * share, dict(m.features), _reasons(m),
                               d.headline, d.date, m.shared_figures, m.missing_figures, m.extra_figures,
                               m.shared_names, m.shared_tickers, m.row))
    found = best >= weights.threshold
    ambiguous = found and len(above) > 1 and best - above[1] < weights.ambiguity
    if not found:
        msg = f"no original found: best candidate {cands[0].doc_id} scores {best:.2f}, below {weights.threshold:.2f}"
    elif ambiguous:
        msg = (f"ambiguous: {cands[0].doc_id} and {scored[1][1].row.doc_id} are equally close "
               f"({best:.3f} vs {above[1]:.3f}); figures do not tell the versions apart")
    else:
        msg = f"original: {cands[0].doc_id} (confidence {cands[0].confidence:.2f})"
        if len(above) > 1:
            msg += f"; {len(above) - 1} other version(s) match less well"
    return Retrieval(label, cands, found, ambiguous, msg)
