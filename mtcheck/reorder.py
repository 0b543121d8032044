"""Moved passages: English sentences the monotone alignment left out (1-0) that come back elsewhere as French
sentences it could not place (0-1).

Wire stories are re-edited, and a paragraph moved in the French forces the monotone DP of ``align.py`` into
an omission plus an addition. After alignment, every run of up to two omitted English sentences is compared
with every run of up to two added French sentences by cosine similarity, with a bonus for the numbers and
names they share (``align._numbers``, ``align._names``). A pair of runs clearly above the threshold, and not
in place (some aligned bead lies between them, else it is a poor translation rather than a move), is a moved
passage. The threshold is calibrated on WMT newstest 2011-2012 (see ``ReorderParams``). With use-m3, a
paragraph of one or two sentences moved from the middle to the end is found exactly in 82% of the dev
articles (88% on newstest2013) and at least in part in 91% (92%); no move was reported on untouched articles,
nor on a dropped sentence plus an addition from another story, nor (newstest2013) from the same story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .align import _names, _numbers
from .encoder import Encoder


class _Bead(Protocol):
    en: list[int]
    fr: list[int]


@dataclass
class ReorderParams:
    """Thresholds of the moved-passage match; calibrated with use-m3 on WMT newstest 2011-2012 (dev)."""

    # cosine + anchor bonus at or above this is a move. On newstest 2011-2012 a sentence and its translation
    # score 0.80 on median (10th percentile 0.62), a sentence and another one of the same article 0.14 (99th
    # percentile 0.50, 99.9th 0.64): 0.65 keeps 87% of true pairs and lets through 0.08% of same-story
    # impostors, and moves are looked for only among the few sentences the alignment left out. Precision
    # first: a false move turns a real omission (an error) into a warning
    threshold: float = 0.65
    anchor_weight: float = 0.10  # bonus for the share (Jaccard) of numbers and names the two runs have in common
    merge_penalty: float = 0.04  # per extra sentence in a run, so that a run wins only if it matches better
    min_words: int = 3  # shorter lines (datelines, "Reuters") say too little to be matched by meaning
    max_side: int = 2  # most sentences on one side of a matched unit, as in the alignment


@dataclass
class Move:
    """A passage moved in the translation: English sentences ``en`` appear as French sentences ``fr``."""

    en: list[int]
    fr: list[int]
    similarity: float  # cosine of the runs (the mean over the units when a passage joins several)
    score: float  # similarity + anchor bonus - merge penalty; at or above the threshold (the lowest of a passage)


def _keys(text: str) -> set[str]:
    return {"#" + x for x in _numbers(text)} | {"@" + x for x in _names(text)}


def _units(alone: list[int], texts: Sequence[str], k: int, min_words: int) -> list[list[int]]:
    """Runs of 1..k consecutive indices inside ``alone`` (a sorted list), long enough to compare."""
    have = set(alone)
    out = []
    for i in alone:
        for a in range(1, k + 1):
            run = list(range(i, i + a))
            if not have.issuperset(run):
                break
            if len(" ".join(texts[x] for x in run).split()) >= min_words:
                out.append(run)
    return out


def find_moves(beads: Sequence[_Bead], en: Sequence[str], fr: Sequence[str], encoder: Encoder,
               params: ReorderParams | None = None) -> list[Move]:
    """Moved passages among the 1-0 and 0-1 beads of an alignment of ``en`` and ``fr`` (texts by index).

    The threshold is calibrated for use-m3 (``get_encoder("use-m3")``); another encoder's cosines are on
    another scale (multilingual-e5 crowds even unrelated pairs into 0.7-1.0), so callers pass use-m3 whatever aligned.
    """
    p = params or ReorderParams()
    # where each left-out sentence sits in the bead sequence, counted in aligned (both-sided) beads before it
    slot_en: dict[int, int] = {}
    slot_fr: dict[int, int] = {}
    full = 0
    for b in beads:
        if b.en and b.fr:
            full += 1
        elif b.en:
            slot_en.update((i, full) for i in b.en)
        else:
            slot_fr.update((j, full) for j in b.fr)
    if not slot_en or not slot_fr:
        return []
    u_en = _units(sorted(slot_en), en, p.max_side, p.min_words)
    u_fr = _units(sorted(slot_fr), fr, p.max_side, p.min_words)
    if not u_en or not u_fr:
        return []
    t_en = [" ".join(en[i] for i in u) for u in u_en]
    t_fr = [" ".join(fr[j] for j in u) for u in u_fr]
    # joined exactly as align() joins runs, so a caching encoder already holds these vectors
    vecs = np.asarray(encoder.encode(t_en + t_fr), dtype=np.float32)
    sims = vecs[len(t_en):] @ vecs[: len(t_en)].T  # (fr units, en units)

    k_en, k_fr = [_keys(t) for t in t_en], [_keys(t) for t in t_fr]
    cands = []
    for r, uf in enumerate(u_fr):
        for c, ue in enumerate(u_en):
            # in place: no aligned bead between them, so the DP saw this pair and found it a poor translation
            # (a unit's sentences share one slot: an aligned bead between them would need one of their indices)
            if slot_fr[uf[0]] == slot_en[ue[0]]:
                continue
            union = len(k_en[c] | k_fr[r])
            anchor = len(k_en[c] & k_fr[r]) / union if union else 0.0
            score = float(sims[r, c]) + p.anchor_weight * anchor - p.merge_penalty * (len(ue) + len(uf) - 2)
            if score >= p.threshold:
                cands.append((score, float(sims[r, c]), ue, uf))

    # greedy, best first: each sentence joins at most one match
    taken_en: set[int] = set()
    taken_fr: set[int] = set()
    matches = []
    for score, sim, ue, uf in sorted(cands, key=lambda x: -x[0]):
        if taken_en.isdisjoint(ue) and taken_fr.isdisjoint(uf):
            taken_en.update(ue)
            taken_fr.update(uf)
            matches.append(Move(list(ue), list(uf), sim, score))
    return _passages(matches)


def _passages(matches: list[Move]) -> list[Move]:
    """Join matches that continue each other on both sides (a moved paragraph) into one passage."""
    out: list[Move] = []
    parts: list[int] = []
    for m in sorted(matches, key=lambda m: m.en[0]):
        last = out[-1] if out else None
        if last is not None and m.en[0] == last.en[-1] + 1 and m.fr[0] == last.fr[-1] + 1:
            n = parts[-1]
            last.similarity = (last.similarity * n + m.similarity) / (n + 1)
            last.score = min(last.score, m.score)
            last.en += m.en
            last.fr += m.fr
            parts[-1] += 1
        else:
            out.append(Move(list(m.en), list(m.fr), m.similarity, m.score))
            parts.append(1)
    return out
