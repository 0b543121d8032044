"""Scores: cross-lingual similarity and length ratio per aligned pair, and their article-level summary."""

from __future__ import annotations

import numpy as np

from .encoder import Encoder
from .records import AlignedPair, ArticleScores


def score_pairs(pairs: list[AlignedPair], encoder: Encoder) -> None:
    """Fill ``similarity`` and ``length_ratio`` on every pair that has both sides, in one encoder batch."""
    full = [p for p in pairs if p.en and p.fr]
    if not full:
        return
    vecs = encoder.encode([p.en_text for p in full] + [p.fr_text for p in full])
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
