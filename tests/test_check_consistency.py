"""French-only checks "headline-figures" and "repeated-figures": contradictions inside the French article."""

from __future__ import annotations

import pytest

from conftest import DEMO
from mtcheck.checks import CheckContext, available_checks, run_checks
from mtcheck.checks.consistency import check_headline_figures, check_repeated_figures
from mtcheck.config import Config
from mtcheck.ingest import parse_article
from mtcheck.records import AlignedPair, Article, Block, Sentence, Severity
from mtcheck.segment import segment


def _ctx(fr_text: str, en_text: str | None = None) -> CheckContext:
    """Ingest and segment as the pipeline does; without English, one pair per French sentence; with English, the
    sentences are paired 1-1 in order (the tests write them so)."""
    fr = parse_article(fr_text, lang="fr")
    fs = segment(fr)
    if en_text is None:
        pairs = [AlignedPair(j, [], [j], "", s.text) for j, s in enumerate(fs)]
        return CheckContext(fr=fr, en=None, fr_sentences=fs, en_sentences=[], pairs=pairs, config=Config())
    en = parse_article(en_text, lang="en")
    es = segment(en)
    assert len(es) == len(fs), ([s.text for s in es], [s.text for s in fs])
    pairs = [AlignedPair(k, [k], [k], e.text, f.text) for k, (e, f) in enumerate(zip(es, fs))]
    return CheckContext(fr=fr, en=en, fr_sentences=fs, en_sentences=es, pairs=pairs, config=Config())


def _findings(fn, fr_text: str, en_text: str | None = None):
    return list(fn(_ctx(fr_text, en_text)))


def _errors(fn, fr_text: str, en_text: str | None = None):
    return [f for f in _findings(fn, fr_text, en_text) if f.severity is Severity.ERROR]


# ---------------------------------------------------------------------------------------------- headline-figures

AIRBUS = """Airbus : la Commission approuve un contrat de 110 milliards de dollars

TOULOUSE, 12 mars (Reuters) - La Commission européenne a approuvé mardi le contrat de 110 millions de dollars \
conclu entre Airbus et la compagnie Emirates pour la livraison de 40 A350.

Le constructeur européen a précisé que les premiers appareils seraient livrés en 2027.
"""

JOBS = """Renault va supprimer 3 000 emplois en France

PARIS, 4 juin (Reuters) - Renault a annoncé jeudi la suppression de 300 emplois en France d'ici trois ans, dans \
le cadre d'un plan d'économies de 2 milliards d'euros.

Les syndicats ont appelé à une grève vendredi.
"""


def test_headline_magnitude_slip_is_an_error():
    errs = _errors(check_headline_figures, AIRBUS)
    assert len(errs) == 1
    f = errs[0]
    assert f.check == "headline-figures" and f.fr_span.text == "110 milliards de dollars"
    assert "110 millions de dollars" in f.message
    assert AIRBUS[f.fr_span.start : f.fr_span.end] == f.fr_span.text


def test_headline_count_power_of_ten_with_the_same_noun_is_an_error():
    errs = _errors(check_headline_figures, JOBS)
    assert [f.fr_span.text for f in errs] == ["3 000"]
    assert "the body says 300" in errs[0].message


def test_headline_figure_missing_from_body_is_a_warning():
    text = """Danone : chiffre d'affaires de 7,4 milliards d'euros au premier trimestre

PARIS, 20 avril (Reuters) - Danone a publié mardi un chiffre d'affaires trimestriel de 6,9 milliards d'euros, \
en hausse de 3,1 % en données comparables.

Le groupe a confirmé ses objectifs annuels.
"""
    found = _findings(check_headline_figures, text)
    assert [(f.severity, f.fr_span.text) for f in found] == [(Severity.WARNING, "7,4 milliards d'euros")]


def test_headline_without_headline_block_first_unpunctuated_sentence():
    # A plain-text article whose ingest did not mark a headline: the first sentence without final punctuation is one.
    head = "Nestlé rachète une biotech pour 2,3 milliards de francs suisses"
    body = "Nestlé paiera 2,3 millions de francs suisses, a annoncé le groupe."
    text = head + "\n\n" + body
    b0 = len(head) + 2
    art = Article(text=text, lang="fr", blocks=[Block(0, len(head), head), Block(b0, len(text), body)])
    sents = [Sentence(0, head, 0, len(head), block=0), Sentence(1, body, b0, len(text), block=1)]
    ctx = CheckContext(fr=art, en=None, fr_sentences=sents, en_sentences=[],
                       pairs=[AlignedPair(j, [], [j], "", s.text) for j, s in enumerate(sents)], config=Config())  # fmt: skip
    errs = [f for f in check_headline_figures(ctx) if f.severity is Severity.ERROR]
    assert [f.fr_span.text for f in errs] == ["2,3 milliards de francs suisses"]
    # with final punctuation the first sentence is body text, and nothing is compared
    sents[0].text = head + "."
    assert list(check_headline_figures(ctx)) == []


@pytest.mark.parametrize(
    "text",
    [
        # the headline rounds the body
        """BNP Paribas : bénéfice de près de 2 milliards d'euros

PARIS, 3 mai (Reuters) - BNP Paribas a dégagé un bénéfice net de 1,96 milliard d'euros au premier trimestre.
""",
        # the headline figure is in the body, next to another figure of the same kind
        """Stellantis supprime 3 000 emplois

PARIS, 4 juin (Reuters) - Stellantis va supprimer 3 000 emplois en Europe, dont 300 emplois en France, a-t-on \
appris jeudi.
""",
        # a percentage the body gives more precisely
        """Le CAC 40 recule de 2 % à la clôture

PARIS, 5 août (Reuters) - La Bourse de Paris a fini en baisse de 1,98 % lundi, à 7 148,41 points.
""",
        # a headline count with no like count in the body; the body's other figures are another kind
        """Séisme en Turquie : au moins 40 morts

ANKARA, 6 février (Reuters) - Un séisme de magnitude 7,8 a frappé le sud du pays lundi à 4h17 heure locale.
""",
        # counts with the same digits that count different things
        """Attentat à Kaboul : 120 blessés

KABOUL, 3 mars (Reuters) - L'explosion a fait 12 morts et des dizaines de blessés, selon la police afghane.
""",
        # a conversion in the headline: the converted amount is not a headline claim
        """Vivendi cède Editis pour 600 millions d'euros (650 millions de dollars)

PARIS, 9 juin (Reuters) - Vivendi a accepté de céder Editis pour 600 millions d'euros à CMI.
""",
        # the body gives the headline amount with the translator's conversion after it
        """Lumeo lève 450 millions d'euros

PARIS, 11 juin (Reuters) - Lumeo a annoncé mardi avoir levé 450 millions d'euros (483 millions de dollars) \
lors d'un tour de table mené par Northgate Ventures.
""",
    ],
    ids=["rounded", "in-body", "percent-rounded", "other-kind", "other-noun", "conversion", "body-conversion"],
)
def test_headline_true_negatives(text):
    assert _findings(check_headline_figures, text) == []


def test_headline_slip_copied_from_the_english_is_not_the_translations():
    en = """Airbus: Commission clears $110 billion contract

TOULOUSE, March 12 (Reuters) - The European Commission on Tuesday cleared the $110 million contract between Airbus \
and Emirates for the delivery of 40 A350s.

The European planemaker said the first aircraft would be delivered in 2027.
"""
    assert _findings(check_headline_figures, AIRBUS, en) == []


def test_headline_slip_runs_and_reports_with_a_correct_english():
    en = """Airbus: Commission clears $110 million contract

TOULOUSE, March 12 (Reuters) - The European Commission on Tuesday cleared the $110 million contract between Airbus \
and Emirates for the delivery of 40 A350s.

The European planemaker said the first aircraft would be delivered in 2027.
"""
    errs = _errors(check_headline_figures, AIRBUS, en)
    assert [f.fr_span.text for f in errs] == ["110 milliards de dollars"]


# ---------------------------------------------------------------------------------------------- repeated-figures

SANOFI = """Sanofi rachète une biotech américaine

PARIS, 8 janvier (Reuters) - Sanofi a annoncé lundi le rachat de la biotech américaine Inhibrx pour \
1,2 milliard d'euros, payé en numéraire.

L'opération, d'un montant de 1,2 million d'euros, doit être finalisée au deuxième trimestre.
"""


def test_repeated_magnitude_slip_is_an_error():
    errs = _errors(check_repeated_figures, SANOFI)
    assert len(errs) == 1
    f = errs[0]
    assert f.fr_span.text == "1,2 million d'euros" and "1,2 milliard d'euros" in f.message
    assert SANOFI[f.fr_span.start : f.fr_span.end] == f.fr_span.text
    assert f.pair == 2  # the pair of the second mention


def test_repeated_currency_flip_is_an_error():
    text = """TotalEnergies investit au Brésil

RIO DE JANEIRO, 2 octobre (Reuters) - TotalEnergies va investir 4,5 milliards d'euros dans un champ \
pétrolier au large du Brésil, a annoncé le groupe mardi.

Cet investissement de 4,5 milliards de dollars doit permettre de produire 180 000 barils par jour.
"""
    errs = _errors(check_repeated_figures, text)
    assert [f.fr_span.text for f in errs] == ["4,5 milliards de dollars"]
    assert "EUR / USD" in errs[0].message


def test_repeated_slip_of_an_amount_given_with_its_conversion():
    text = """BP vend des actifs

LONDRES, 14 mai (Reuters) - BP a vendu des actifs pour 1,2 milliard d'euros (1,3 milliard de dollars).

La vente de 1,2 million d'euros doit être finalisée cet été.
"""
    errs = _errors(check_repeated_figures, text)
    assert [f.fr_span.text for f in errs] == ["1,2 million d'euros"]


@pytest.mark.parametrize(
    "text",
    [
        # the same one-digit figure for two different things, with another magnitude
        """Amende pour Google

BRUXELLES, 20 mars (Reuters) - Google devra payer une amende de 5 millions d'euros pour pratiques abusives, a \
décidé mercredi l'autorité belge de la concurrence.

Le chiffre d'affaires du groupe en Belgique dépasse 5 milliards d'euros par an.
""",
        # a conversion written by the translator: two currencies, two numbers
        """Vente d'actifs

LONDRES, 14 mai (Reuters) - BP a vendu des actifs pour 1,2 milliard d'euros (1,3 milliard de dollars).

La vente de 1,2 milliard d'euros doit être finalisée cet été.
""",
        # the same amount said twice, rightly
        """Fusion dans la chimie

FRANCFORT, 3 juillet (Reuters) - BASF va céder sa division pour 7,7 milliards d'euros.

Le prix de 7,7 milliards d'euros inclut la dette.
""",
        # two different amounts with the same digits but not a x1000 ratio
        """Résultats d'Orange

PARIS, 27 juillet (Reuters) - Orange a réalisé un bénéfice de 1,2 milliard d'euros au premier semestre.

Le groupe a investi 12 milliards d'euros en cinq ans.
""",
    ],
    ids=["one-digit-other-context", "conversion", "same-twice", "not-x1000"],
)
def test_repeated_true_negatives(text):
    assert _findings(check_repeated_figures, text) == []


def test_repeated_slip_copied_from_the_english_is_not_the_translations():
    en = """Sanofi buys U.S. biotech

PARIS, Jan 8 (Reuters) - Sanofi on Monday announced the purchase of U.S. biotech Inhibrx for 1.2 billion euros, \
paid in cash.

The 1.2 million euro deal is expected to close in the second quarter.
"""
    assert _findings(check_repeated_figures, SANOFI, en) == []


# ---------------------------------------------------------------------------------------------- registry, demo


def test_registered_as_french_only_and_run_without_english():
    checks = available_checks()
    for name in ("headline-figures", "repeated-figures"):
        assert getattr(checks[name], "french_only", False), name
    found = run_checks(_ctx(AIRBUS))
    assert {f.check for f in found} >= {"headline-figures"}


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.fr.txt")), ids=lambda p: p.name)
def test_demo_articles_alone_raise_no_consistency_error(path):
    text = path.read_text(encoding="utf-8")
    ctx = _ctx(text)
    errs = [f for fn in (check_headline_figures, check_repeated_figures) for f in fn(ctx)
            if f.severity is Severity.ERROR]  # fmt: skip
    assert errs == [], [(f.check, f.message) for f in errs]
