"""Alignment: 1-1, omissions (1-0), additions (0-1), merges, the coarse-to-fine DP and the Vecalign scorer."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from mtcheck.align import AlignParams, _numbers, align, alignment_scores

EN = [
    "Amazon said on Monday it would invest more than 1.2 billion euros in France.",
    "The company will create more than 3,000 permanent jobs in the country.",
    "The French presidency said other companies, including GSK, would announce investments.",
    "The investment will expand cloud infrastructure in Paris.",
    "Amazon shares rose 2% in early trading in New York.",
    "Amazon has invested more than 20 billion euros in France since 2010.",
]
FR = [
    "Amazon a annoncé lundi qu'il investirait plus de 1,2 milliard d'euros en France.",
    "La société créera plus de 3 000 emplois permanents dans le pays.",
    "La présidence française a déclaré que d'autres sociétés, dont GSK, annonceraient des investissements.",
    "L'investissement permettra d'étendre l'infrastructure cloud à Paris.",
    "L'action Amazon a progressé de 2 % en début de séance à New York.",
    "Amazon a investi plus de 20 milliards d'euros en France depuis 2010.",
]


def beads(en, fr, encoder):
    return [(b.en, b.fr) for b in align(en, fr, encoder)]


def test_parallel_articles_align_one_to_one(encoder):
    assert beads(EN, FR, encoder) == [([i], [i]) for i in range(6)]


def test_dropped_sentence_is_an_omission(encoder):
    fr = FR[:4] + FR[5:]
    got = beads(EN, fr, encoder)
    assert ([4], []) in got
    assert ([5], [4]) in got


def test_added_sentence_is_an_addition(encoder):
    fr = FR[:3] + ["Le groupe de Jeff Bezos est aussi présent au Luxembourg depuis longtemps."] + FR[3:]
    got = beads(EN, fr, encoder)
    assert ([], [3]) in got
    assert sum(1 for e, f in got if e and f) == 6


def test_two_sentences_merged_in_french(encoder):
    en = ["Revenue rose 12% to $4.1 billion.", "Net profit doubled to $900 million."] + EN[3:]
    fr = ["Le chiffre d'affaires a augmenté de 12 % à 4,1 milliards de dollars et le bénéfice net a doublé "
          "à 900 millions de dollars."] + FR[3:]
    got = beads(en, fr, encoder)
    assert got[0] == ([0, 1], [0])
    assert got[1:] == [([i + 2], [i + 1]) for i in range(3)]


def test_empty_side():
    assert [(b.en, b.fr) for b in align(["One sentence."], [], encoder=None)] == [([0], [])]


@pytest.mark.parametrize("en, fr", [
    ("1.3 billion", "1,3 milliard"),
    ("3,000 jobs", "3\u00a0000 emplois"),
    ("3,000 jobs", "3\u202f000 emplois"),
    ("2.50%", "2,5 %"),
])
def test_number_anchors_survive_french_formatting(en, fr):
    assert _numbers(en) == _numbers(fr)


def test_number_anchors_differ_when_digits_differ():
    assert _numbers("1.3 billion") != _numbers("1,8 milliard")


# --- a fake encoder: sentence "sK" has a fixed random vector, a run of sentences the normalised sum ---

class FakeEncoder:
    """Deterministic stand-in for a sentence encoder: a translation is the same token on both sides."""

    name = "fake"

    def __init__(self, dim: int = 64, noise: float = 0.35) -> None:
        self.dim, self.noise = dim, noise

    def _vec(self, token: str) -> np.ndarray:
        rng = np.random.default_rng(int(token.strip("sfe.")) * 2 + token.startswith("f"))
        return rng.standard_normal(self.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            # "s12" and "f12" share a base vector (a translation); "f" adds its own noise
            v = sum(self._base(tok) + (self.noise * self._vec(tok) if tok.startswith("f") else 0)
                    for tok in t.split())
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)

    def _base(self, token: str) -> np.ndarray:
        return np.random.default_rng(int(token.strip("sfe.")) * 2 + 7919).standard_normal(self.dim)


def synthetic(n: int, seed: int = 0) -> tuple[list[str], list[str], set[int], set[int]]:
    """English s0..s(n-1); French with some sentences dropped and some unrelated ones (f + 10^6 + k) added."""
    rng = np.random.default_rng(seed)
    en = [f"s{i}" for i in range(n)]
    fr, dropped, added = [], set(), set()
    for i in range(n):
        if i and rng.random() < 0.05:
            added.add(len(fr))
            fr.append(f"f{1_000_000 + i}")
        if i and rng.random() < 0.05:
            dropped.add(i)
            continue
        fr.append(f"f{i}")
    return en, fr, dropped, added


def test_synthetic_omissions_and_additions_are_found():
    en, fr, dropped, added = synthetic(60, seed=3)
    got = align(en, fr, FakeEncoder(), AlignParams(anchor_weight=0.0))
    assert {b.en[0] for b in got if not b.fr} == dropped
    assert {b.fr[0] for b in got if not b.en} == added


def test_coarse_to_fine_matches_exact_dp_on_a_long_document():
    en, fr, dropped, added = synthetic(700, seed=5)
    enc = FakeEncoder()
    exact = align(en, fr, enc, AlignParams(anchor_weight=0.0, exact_cells=10**7))
    banded = align(en, fr, enc, AlignParams(anchor_weight=0.0, exact_cells=20_000))
    assert [(b.en, b.fr) for b in banded] == [(b.en, b.fr) for b in exact]
    assert {b.en[0] for b in banded if not b.fr} == dropped


def test_every_sentence_in_exactly_one_bead_in_order():
    en, fr, _, _ = synthetic(120, seed=9)
    beads = align(en, fr, FakeEncoder(noise=1.5), AlignParams(exact_cells=2_000))
    assert [i for b in beads for i in b.en] == list(range(len(en)))
    assert [j for b in beads for j in b.fr] == list(range(len(fr)))


def test_one_sentence_each_is_a_pair(encoder):
    assert beads(EN[:1], FR[:1], encoder) == [([0], [0])]


# --- the scorer: Vecalign's score.py semantics ---

def test_alignment_scores_count_like_vecalign():
    gold = [[([0], [0]), ([1], []), ([2, 3], [1]), ([], [2])]]
    test = [[([0], [0]), ([1], []), ([2], [1]), ([3], []), ([], [2])]]
    res = alignment_scores(gold, test)
    # precision over all 5 test beads, nulls included: [0]:[0], [1]:[] and []:[2] are right
    assert res["precision_strict"] == pytest.approx(3 / 5)
    # recall over the 2 gold beads with both sides: only [0]:[0] is found
    assert res["recall_strict"] == pytest.approx(1 / 2)
    # lax: [2]:[1] overlaps gold [2, 3]:[1]; [3]:[] has no target, so it stays wrong
    assert res["precision_lax"] == pytest.approx(4 / 5)
    assert res["recall_lax"] == pytest.approx(1.0)


# --- the Text+Berg benchmark (skipped without ../shared/data) ---

TEXTBERG = Path(__file__).resolve().parents[2] / "shared" / "data" / "textberg-align-defr"


@pytest.mark.slow
def test_textberg_smallest_file_strict_f1(encoder):
    if not (TEXTBERG / "test4.defr").is_file():
        pytest.skip("../shared/data/textberg-align-defr is absent")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from eval_align_textberg import DEV_TUNED, parse_params, read_doc

    de, fr, gold = read_doc("test4")
    got = [(b.en, b.fr) for b in align(de, fr, encoder, parse_params(DEV_TUNED["use-m3"]))]
    assert alignment_scores([gold], [got])["f1_strict"] >= 0.75  # 0.784 when benchmarked
