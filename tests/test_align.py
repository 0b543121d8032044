"""Alignment: 1-1, omissions (1-0), additions (0-1) and merges (2-1) on news sentences."""

from __future__ import annotations

import pytest

from mtcheck.align import _numbers, align

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
