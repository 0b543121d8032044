"""Regressions found by scripts/eval_figures.py on human news translations (WMT newstest, English/French).

Each case is a false alarm or a miss that the evaluation showed, rewritten as a short sentence of our own: the
figures, conversion and entity checks must read it the way a human reader does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from mtcheck.checks import CheckContext
from mtcheck.checks.entities import check_entity
from mtcheck.checks.figures import check_figures
from mtcheck.config import Config
from mtcheck.figures import extract_figures
from mtcheck.ingest import find_tickers
from mtcheck.records import AlignedPair, Article, Block, Sentence, Severity


def _ctx(en: str, fr: str) -> CheckContext:
    def art(text: str, lang: str) -> Article:
        return Article(text=text, lang=lang, blocks=[Block(0, len(text), text)], tickers=find_tickers(text))

    return CheckContext(
        fr=art(fr, "fr"), en=art(en, "en"), fr_sentences=[Sentence(0, fr, 0, len(fr))],
        en_sentences=[Sentence(0, en, 0, len(en))], pairs=[AlignedPair(0, [0], [0], en, fr)], config=Config(),
    )  # fmt: skip


def _errors(check, en: str, fr: str) -> list[str]:
    return [f.message for f in check(_ctx(en, fr)) if f.severity is Severity.ERROR]


def _figs(text: str, lang: str) -> list[tuple[str, Decimal, str | None]]:
    return [(f.kind, f.value, f.unit) for f in extract_figures(text, lang)]


# ---------------------------------------------------------------------------------------------- extraction

EXTRACT = [
    # capitalised number words inside a sentence are names
    ("en", "Only one accident, at Three Mile Island, was serious.", []),
    ("en", "The home side could not trouble the Illkirch Eleven.", []),
    ("fr", "L'équipe n'a pas inquiété un Onze alsacien très regroupé.", []),
    # ... but a group named by its number still counts it, and title-case headlines keep their figures
    ("fr", "Les dirigeants des Vingt-Sept se réunissent à Bruxelles.", [("count", Decimal(27), None)]),
    ("en", "Work stopped after the Three Mile Island accident.", []),
    ("en", "Carmaker Cuts Three Thousand Jobs", [("count", Decimal(3000), None)]),
    # plural "thousands" after digits (non-native English)
    ("en", "Rents will rise in 450 thousands of flats.", [("count", Decimal(450000), None)]),
    # "milles": the mile in a mile's context, the (misspelt) thousand before a noun
    ("fr", "Le village est à six milles d'Orlando.", [("quantity", Decimal(6), "mile")]),
    ("fr", "Le pays a perdu 50 milles soldats.", [("count", Decimal(50000), None)]),
    # words for percent
    ("fr", "Un pour-cent de la population est touché.", [("percent", Decimal(1), None)]),
    ("en", "Ninety Percent", [("percent", Decimal(90), None)]),
    ("fr", "Le Mexicain a un cinq pour cent d'ascendance africaine.", [("percent", Decimal(5), None)]),
    # clock times
    ("en", "They head home at 10:30 PM.", [("time", Decimal(1350), None)]),
    ("en", "The plane landed at 17.40 pm.", [("time", Decimal(1060), None)]),
    ("en", "The airport will close from 7 to 9 a.m.", [("time", Decimal(420), None), ("time", Decimal(540), None)]),
    # units
    ("fr", "Il roulait entre 150 et 200 km/heure.", [("quantity", Decimal(150), "kmh"), ("quantity", Decimal(200), "kmh")]),
    ("en", "He had two ounces of cannabis.", [("quantity", Decimal(2), "oz")]),
    ("fr", "Il avait 56 grammes de cannabis.", [("quantity", Decimal(56), "g")]),
    ("en", "A space of more than 1,000m2 opened.", [("quantity", Decimal(1000), "m2")]),
    # magnitudes in words
    ("fr", "Le versement de 350 autres milliards de dollars attendra.", [("amount", Decimal("350e9"), None)]),
    ("en", "More than two and half million people fled.", [("count", Decimal("2.5e6"), None)]),
    ("fr", "Plus de deux millions et demi de personnes ont fui.", [("count", Decimal("2.5e6"), None)]),
    ("en", "It found half a million fans.", [("count", Decimal(500000), None)]),
    ("fr", "Elle a trouvé un demi-million de fans.", [("count", Decimal(500000), None)]),
    ("en", "A fake one costs one and a half thousand.", [("count", Decimal(1500), None)]),
    ("en", "The debt will reach a trillion in 2009.", [("count", Decimal("1e12"), None), ("year", Decimal(2009), None)]),
    ("fr", "En un demi-siècle, trois accidents graves.", [("quantity", Decimal(50), "year"), ("count", Decimal(3), None)]),
    ("fr", "Entre deux cent et quatre cent mille.", [("count", Decimal(200), None), ("count", Decimal(400000), None)]),
    ("fr", "Une taille cinq et demi ou six.", [("count", Decimal("5.5"), None), ("count", Decimal(6), None)]),
    # ordinals, decades, quarters of a year
    ("fr", "Le but est tombé à la trente-et-unième minute.", [("ordinal", Decimal(31), None)]),
    ("en", "He scored in the thirty-first minute.", [("ordinal", Decimal(31), None)]),
    ("fr", "Depuis les années quatre-vingt dix, rien.", [("year", Decimal(1990), None)]),
    ("en", "It has done so since the nineteen seventies.", [("year", Decimal(1970), None)]),
    ("en", "Bonuses for the first three quarters of this year.", [("ordinal", Decimal(1), None), ("count", Decimal(3), None)]),
    # numbers that name: "number 1 court", "paragraphe 365", "Catch 22", "sur leur 31"
    ("en", "The case is before court number 1 in Totana.", []),
    ("fr", "Le dossier est au tribunal numéro 1 de Totana, selon le paragraphe 365.", []),
    ("fr", "C'est le Catch 22 pour la BCE.", []),
    ("fr", "Deux agents, mises sur leur 31, déambulaient.", [("count", Decimal(2), None)]),
    # "un kilo": the article is not a figure
    ("fr", "On a trouvé du pain d'un kilo à 139 forints.", [("count", Decimal(139), None)]),
]


@pytest.mark.parametrize("lang, text, expected", EXTRACT, ids=[c[1][:40] for c in EXTRACT])
def test_extraction(lang, text, expected):
    assert _figs(text, lang) == expected


# ---------------------------------------------------------------------------------------------- figure check

QUIET = [
    ("Only one, Three Mile Island, occurred under normal conditions.", "Un seul, Three Mile Island, est survenu dans des conditions normales."),
    ("Rents will rise in 450 thousands of flats.", "Les loyers augmenteront dans 450 mille appartements."),
    ("It is six miles from downtown Orlando.", "C'est à six milles du centre d'Orlando."),
    ("The rate stood at 5,829% on Wednesday.", "Le taux était mercredi de 5,829%."),
    ("They are about 10.000 million in the short term.", "Ils représentent 10.000 millions à court terme."),
    ("They head home again at 10:30 PM.", "Ils rentrent à 22h30."),
    ("The airport will halt work from 7 to 9 a.m.", "L'aéroport sera fermé entre 7h et 9h du matin."),
    ("He had two ounces of cannabis.", "Il avait 56 grammes de cannabis."),
    ("The other payment of 350 billion needs a vote.", "Le versement de 350 autres milliards devra être voté."),
    ("In a space of 50 years there were three accidents.", "En un demi-siècle, il y a eu trois accidents."),
    ("About 1 per cent of people suffer from it.", "Un pour-cent environ de la population en souffre."),
    ("Many doubt that halving it will help.", "Beaucoup doutent qu'une réduction de moitié aide."),  # a spelled fraction alone: a warning at most
    ("The Sunday evening meeting ran late.", "La réunion de dimanche soir a fini tard."),
    ("When others give 1 Euro, France only gives 10 centimes.", "Quand d'autres mettent 1€, la France ne met que 10 centimes."),
    ("Next year the debt should range from 900 billion to a trillion crowns.",
     "L'année prochaine, la dette devrait se situer entre 900 milliards et un billion de couronnes."),
    ("It is two and a half times more than the official test.", "C'est deux fois et demie plus cher que le test officiel."),
]


@pytest.mark.parametrize("en, fr", QUIET, ids=[q[0][:40] for q in QUIET])
def test_figure_check_quiet_on_good_translations(en, fr):
    assert _errors(check_figures, en, fr) == []


def test_evening_is_not_the_night_into_the_next_day():
    # "Saturday night" may become "dimanche" (the night into Sunday); an evening may not.
    errs = _errors(check_figures, "The board met on Sunday evening.", "Le conseil s'est réuni lundi soir.")
    assert errs and errs[0].startswith("Wrong weekday")


def test_changed_figures_still_caught():
    assert _errors(check_figures, "Rents will rise in 450 thousands of flats.", "Les loyers augmenteront dans 450 appartements.")
    assert _errors(check_figures, "They head home at 10:30 PM.", "Ils rentrent à 10h30.")
    assert _errors(check_figures, "It found half a million fans.", "Elle a trouvé un demi-milliard de fans.")


# ---------------------------------------------------------------------------------------------- entity check


def test_first_names_alike_do_not_excuse_a_changed_person():
    errs = _errors(check_entity, "But Cristian Yaccarini has not called back.", "Mais Christine Lagarde n'a pas rappelé.")
    assert errs and "Cristian Yaccarini" in errs[0]


def test_two_institution_nouns_are_not_one_name():
    # Commission/Banque are both institution nouns, but not each other's translation
    en = "Turnout was 58% a few hours before closing, according to the electoral Commission."
    fr = "La participation était de 58 % quelques heures avant la clôture, selon la Banque de réserve d'Australie."
    errs = _errors(check_entity, en, fr)
    assert errs and "Commission" in errs[0]


def test_translated_institution_nouns_still_match():
    en = "The Board of Trustees met on Monday."
    fr = "Le Conseil de surveillance s'est réuni lundi."
    assert _errors(check_entity, en, fr) == []


def test_a_country_rendered_only_by_its_capital_next_to_a_new_place():
    # "Oslo, Norway" / "Oslo en Arctique": Oslo renders Oslo, so Norway became Arctique
    en = "Barack Obama will fly into Oslo, Norway to receive the prize."
    fr = "Barack Obama s'envolera pour Oslo en Arctique pour recevoir le prix."
    errs = _errors(check_entity, en, fr)
    assert errs and "Norway" in errs[0] and "Arctique" in errs[0]
    # and the ordinary case stays quiet: "Oslo" alone for "Oslo, Norway"
    assert _errors(check_entity, en, "Barack Obama s'envolera pour Oslo pour recevoir le prix.") == []


def test_a_demonym_replaced_by_a_place():
    en = "The challenger caused quite a stir in the Swiss capital before the fight."
    fr = "Le challenger avait fait beaucoup de bruit dans la capitale Koweït avant le combat."
    errs = _errors(check_entity, en, fr)
    assert errs and "Koweït" in errs[0]


def test_ticker_owner_captured_loosely_is_the_same_company():
    en = "Militants, boosted by calls from the Saudi-born al-Qaeda <QAED.N> leader, struck again."
    fr = "Les militants, encouragés par les appels du chef d'Al Qaeda <QAED.N>, ont encore frappé."
    assert _errors(check_entity, en, fr) == []
    fr_bad = "Les militants, encouragés par les appels du chef d'Al Qaeda <MSFT.O>, ont encore frappé."
    assert _errors(check_entity, en, fr_bad)


def test_all_capitals_text_gives_warnings_not_errors():
    en, fr = "WALK ON WALLS? The glue could help, adds Liming Dai.", "MARCHER SUR LES MURS? La colle pourrait aider, ajoute Liming Dai."
    found = list(check_entity(_ctx("WALK ON WALLS", "MARCHER SUR LES MURS")))
    assert found and all(f.severity is not Severity.ERROR for f in found)
    # a changed country in a headline in capitals is reported, as a warning (capitals make every word look a name)
    found = list(check_entity(_ctx("IS ITALY RACIST?", "LA FRANCE EST-ELLE RACISTE ?")))
    assert any("ITALY" in f.message for f in found) and all(f.severity is not Severity.ERROR for f in found)
    assert _errors(check_entity, en, fr) == []


def test_number_of_a_one_word_name_is_not_an_added_figure():
    en = "Recombinant human ACE2 is surmised to be a novel therapy for acute lung injury."
    fr = "L'enzyme de conversion de l'angiotensine 2 recombinante humaine serait un traitement nouveau."
    assert _errors(check_figures, en, fr) == []
    # a number the English does not have anywhere is still added
    fr_bad = "L'enzyme de conversion de l'angiotensine 3 recombinante humaine serait un traitement nouveau."
    assert _errors(check_figures, en, fr_bad)
