"""Scores: cross-lingual similarity and length ratio per aligned pair, and their article-level summary."""

from __future__ import annotations

import numpy as np

from .encoder import Encoder
from .records import AlignedPair, ArticleScores


def score_pairs(pairs: list[AlignedPair], encoder: Encoder, en_texts: list[str] | None = None,
                fr_texts: list[str] | None = None) -> None:
    """Fill ``similarity`` and ``length_ratio`` on every pair that has both sides, in one encoder batch.

    ``en_texts`` / ``fr_texts``: the sentences as the aligner embedded them (tickers blanked, spaces folded), so
    a pair is measured on the text it was aligned on and its vectors come from the encoder's cache; without
    them, the pairs' own texts.
    """
    full = [p for p in pairs if p.en and p.fr]
    if not full:
        return

    def side(p: AlignedPair, idx: list[int], texts: list[str] | None, own: str) -> str:
        return " ".join(texts[i] for i in idx) if texts else own

    vecs = encoder.encode([side(p, p.en, en_texts, p.en_text) for p in full]
                          + [side(p, p.fr, fr_texts, p.fr_text) for p in full])
    en_vecs, fr_vecs = vecs[: len(full)], vecs[len(full) :]
    sims = np.einsum("ij,ij->i", en_vecs, fr_vecs)
    for p, s in zip(full, sims):
        p.similarity = round(float(s), 4)
        p.length_ratio = round(len(p.fr_text) / max(1, len(p.en_text)), 4)


def score_article(pairs: list[AlignedPair], n_en: int, n_fr: int) -> ArticleScores:
    """Length-weighted mean similarity, overall length ratio and coverage of each side."""
    full = [p for p in pairs if p.en and p.fr and p.similarity is not None]
    weights = np.array([len(p.en_text) for p in full], dtype=float)
    sims = np.array([p.similarity for p in full], dtype=float)
    en_chars = sum(len(p.en_text) for p in pairs if p.en)
    fr_chars = sum(len(p.fr_text) for p in pairs if p.fr)
    return ArticleScores(
        similarity=round(float(np.average(sims, weights=weights)), 4) if full else None,
        length_ratio=round(fr_chars / en_chars, 4) if en_chars else None,
        coverage_en=round(sum(len(p.en) for p in full) / n_en, 4) if n_en else None,
        coverage_fr=round(sum(len(p.fr) for p in full) / n_fr, 4) if n_fr else None,
    )


def count_moved(scores: ArticleScores, pairs: list[AlignedPair], moves, n_en: int, n_fr: int) -> None:
    """Coverage with moved passages (:mod:`mtcheck.reorder`) counted: their sentences are translated, elsewhere."""
    if not moves:
        return
    aligned_en = {i for p in pairs if p.en and p.fr for i in p.en}
    aligned_fr = {j for p in pairs if p.en and p.fr for j in p.fr}
    moved_en = {i for m in moves for i in m.en} - aligned_en
    moved_fr = {j for m in moves for j in m.fr} - aligned_fr
    if n_en:
        scores.coverage_en = round((len(aligned_en) + len(moved_en)) / n_en, 4)
    if n_fr:
        scores.coverage_fr = round((len(aligned_fr) + len(moved_fr)) / n_fr, 4)
