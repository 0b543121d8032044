"""Moved passages: a paragraph the French moved is one `reordered` warning, not an omission plus an addition."""

from __future__ import annotations

from mtcheck.align import Bead
from mtcheck.config import Config
from mtcheck.pipeline import score_pair
from mtcheck.reorder import find_moves

EN_PARAS = [
    "Renault to cut 2,000 jobs in France",
    "PARIS, March 4 (Reuters) - Renault will cut about 2,000 jobs in France over the next three years as it "
    "reorganises its engineering division, the carmaker said on Tuesday.",
    "The cuts will be made through voluntary departures and early retirement, Chief Executive Luca de Meo told "
    "reporters in Boulogne-Billancourt. No plant will close, he added.",
    "Renault shares fell 3.2% to 41.50 euros by midday in Paris, underperforming a flat European autos index.",
    "The French state, which owns 15% of Renault, said it would monitor the plan closely. Unions called for a "
    "strike on March 12 at the Guyancourt technical centre.",
    "The carmaker reported a net profit of 2.3 billion euros for 2024, up 4% from a year earlier, on revenue of "
    "56.2 billion euros.",
    "De Meo said Renault would launch ten new models in Europe by 2026, including an electric Twingo priced "
    "below 20,000 euros.",
    "Analysts at Bernstein said the savings, estimated at 400 million euros a year, would help the group compete "
    "with cheaper Chinese rivals such as BYD.",
]
FR_PARAS = [  # in the English order
    "Renault va supprimer 2 000 emplois en France",
    "PARIS, 4 mars (Reuters) - Renault va supprimer environ 2 000 emplois en France au cours des trois prochaines "
    "années dans le cadre de la réorganisation de sa division ingénierie, a annoncé mardi le constructeur "
    "automobile.",
    "Les suppressions se feront par des départs volontaires et des préretraites, a déclaré le directeur général "
    "Luca de Meo aux journalistes à Boulogne-Billancourt. Aucune usine ne fermera, a-t-il ajouté.",
    "L'action Renault reculait de 3,2 % à 41,50 euros à la mi-journée à Paris, faisant moins bien que l'indice "
    "européen de l'automobile, stable.",
    "L'État français, qui détient 15 % de Renault, a déclaré qu'il suivrait le plan de près. Les syndicats ont "
    "appelé à la grève le 12 mars au technocentre de Guyancourt.",
    "Le constructeur a publié un bénéfice net de 2,3 milliards d'euros pour 2024, en hausse de 4 % sur un an, "
    "pour un chiffre d'affaires de 56,2 milliards d'euros.",
    "Luca de Meo a indiqué que Renault lancerait dix nouveaux modèles en Europe d'ici 2026, dont une Twingo "
    "électrique vendue moins de 20 000 euros.",
    "Les analystes de Bernstein estiment que les économies, évaluées à 400 millions d'euros par an, aideront le "
    "groupe à rivaliser avec des concurrents chinois moins chers comme BYD.",
]
MOVED = 4  # the paragraph (two sentences) on the French state and the strike call


def article(paras: list[str]) -> str:
    return "\n\n".join(paras) + "\n"


EN_ARTICLE = article(EN_PARAS)
# the re-edited French: the state-and-unions paragraph moved from the middle to the end
FR_MOVED_ARTICLE = article(FR_PARAS[:MOVED] + FR_PARAS[MOVED + 1 :] + [FR_PARAS[MOVED]])
# a sentence dropped (the share price) and an unrelated sentence added at the end: no move here
ADDED = "Le groupe, fondé en 1899, emploie environ 105 000 personnes dans le monde, dont près de 40 000 en France."
FR_DROPPED_ARTICLE = article(FR_PARAS[:3] + FR_PARAS[4:] + [ADDED])


def _findings(result, check):
    return [f for f in result.findings if f.check == check]


def test_moved_paragraph_is_one_reordered_warning():
    res = score_pair(FR_MOVED_ARTICLE, EN_ARTICLE)
    moved = _findings(res, "reordered")
    assert len(moved) == 1, [(f.check, f.message) for f in res.findings]
    f = moved[0]
    assert f.severity.value == "warning"
    assert f.en_span.text.startswith("The French state") and f.en_span.text.endswith("technical centre.")
    assert f.fr_span.text.startswith("L'État français") and f.fr_span.text.endswith("technocentre de Guyancourt.")
    # sentences are numbered from 1: the headline is English sentence 1, the moved ones 6-7 and French 9-10
    assert "English sentences 6-7" in f.message and "French sentences 9-10" in f.message and "moved" in f.message
    # they are not missing, nor added
    assert not _findings(res, "omission") and not _findings(res, "addition")
    assert res.worst() is None or res.worst().value != "error"


def test_dropped_sentence_and_unrelated_addition_are_not_a_move():
    res = score_pair(FR_DROPPED_ARTICLE, EN_ARTICLE)
    assert not _findings(res, "reordered")
    omissions = [f for f in _findings(res, "omission") if f.severity.value == "error"]
    assert [f.en_span.text[:14] for f in omissions] == ["Renault shares"]
    additions = [f for f in _findings(res, "addition") if f.severity.value == "warning"]
    assert [f.fr_span.text for f in additions] == [ADDED]


def test_with_reordered_disabled_the_move_is_an_omission_and_an_addition():
    res = score_pair(FR_MOVED_ARTICLE, EN_ARTICLE, config=Config(disabled=["reordered"]))
    assert not _findings(res, "reordered")
    assert len([f for f in _findings(res, "omission") if f.severity.value == "error"]) == 2
    assert len(_findings(res, "addition")) == 2


# --- find_moves on hand-made beads ---

EN = [
    "The central bank kept its main rate at 4.5% on Thursday.",
    "Inflation slowed to 2.1% in May, the statistics office said.",
    "The government will present its budget for 2026 next week.",
    "Unemployment fell to 7.3%, its lowest level since 2008.",
]
FR = [
    "La banque centrale a maintenu jeudi son taux principal à 4,5 %.",
    "L'inflation a ralenti à 2,1 % en mai, selon l'institut de statistique.",
    "Le gouvernement présentera son budget pour 2026 la semaine prochaine.",
    "Le chômage est tombé à 7,3 %, son plus bas niveau depuis 2008.",
]


def test_sentence_left_out_and_found_elsewhere_is_a_move(encoder):
    fr = [FR[0], FR[2], FR[3], FR[1]]  # French sentence 1 moved to the end
    beads = [Bead([0], [0], 0.8), Bead([1], [], 0.0), Bead([2], [1], 0.8), Bead([3], [2], 0.8), Bead([], [3], 0.0)]
    moves = find_moves(beads, EN, fr, encoder)
    assert [(m.en, m.fr) for m in moves] == [([1], [3])]
    assert moves[0].similarity > 0.65


def test_pair_left_in_place_is_no_move(encoder):
    # the DP left both out at the same place: a poor translation, not a passage moved elsewhere
    beads = [Bead([0], [0], 0.8), Bead([1], [], 0.0), Bead([], [1], 0.0), Bead([2], [2], 0.8), Bead([3], [3], 0.8)]
    assert find_moves(beads, EN, FR, encoder) == []


def test_unrelated_sentences_are_no_move(encoder):
    other = "Le club de football de Lyon a changé d'entraîneur pour la troisième fois cette saison."
    fr = [FR[0], FR[2], FR[3], other]
    beads = [Bead([0], [0], 0.8), Bead([1], [], 0.0), Bead([2], [1], 0.8), Bead([3], [2], 0.8), Bead([], [3], 0.0)]
    assert find_moves(beads, EN, fr, encoder) == []


def test_two_moved_sentences_are_one_passage(encoder):
    fr = [FR[0], FR[3], FR[1], FR[2]]  # sentences 1-2 moved after sentence 3
    beads = [Bead([0], [0], 0.8), Bead([1], [], 0.0), Bead([2], [], 0.0), Bead([3], [1], 0.8),
             Bead([], [2], 0.0), Bead([], [3], 0.0)]
    moves = find_moves(beads, EN, fr, encoder)
    assert [(m.en, m.fr) for m in moves] == [([1, 2], [2, 3])]


def test_moved_passage_is_covered_and_not_wrong():
    """A moved paragraph is translated: coverage counts it, and its pairs are scored as the passage and its
    translation (risk of a good pair), not as an omission and an addition (risk "wrong")."""
    moved = score_pair(FR_MOVED_ARTICLE, EN_ARTICLE)
    assert moved.scores.coverage_en == 1.0 and moved.scores.coverage_fr == 1.0
    one_sided = [p for p in moved.pairs if bool(p.en) != bool(p.fr)]
    assert one_sided and all(p.scores["risk"] < 0.5 for p in one_sided)
    # true negative: without the move (check disabled) the same pairs are gaps, and risky
    plain = score_pair(FR_MOVED_ARTICLE, EN_ARTICLE, config=Config(disabled=["reordered"]))
    assert plain.scores.coverage_en < 1.0
    assert max(p.scores["risk"] for p in plain.pairs if bool(p.en) != bool(p.fr)) >= 0.8
    # and a real omission keeps its gap
    dropped = score_pair(FR_DROPPED_ARTICLE, EN_ARTICLE)
    assert dropped.scores.coverage_en < 1.0
    assert max(p.scores["risk"] for p in dropped.pairs if p.en and not p.fr) >= 0.8
