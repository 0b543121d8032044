"""False alarms met on the demo corpus, kept fixed: each pair here is a correct translation."""

from __future__ import annotations

import pytest

from mtcheck.entities import extract_entities
from mtcheck.figures import extract_figures


@pytest.mark.parametrize("fr, qualifier", [
    ("un soutien pouvant atteindre 90 millions de livres", "up_to"),
    ("une enveloppe allant jusqu'à 2 milliards d'euros", "up_to"),
    ("ramener son levier sous 2,5 fois son résultat", "less_than"),
    ("un taux en dessous de 2 %", "less_than"),
])
def test_french_qualifiers(fr, qualifier):
    (fig,) = [f for f in extract_figures(fr, "fr") if f.kind != "date"]
    assert fig.qualifier == qualifier


@pytest.mark.parametrize("headline, lang, names", [
    ("GLOBAL MARKETS-Stocks edge higher, dollar steady", "en", []),
    ("UPDATE 2-Amazon to invest $10 bln in OpenAI", "en", ["Amazon", "OpenAI"]),
    ("MARCHÉS MONDIAUX-Le dollar stable avant l'inflation américaine", "fr", []),
])
def test_wire_slug_is_not_a_name(headline, lang, names):
    assert [e.text for e in extract_entities(headline, lang) if e.reportable] == names


def test_a_real_acronym_headline_is_still_a_name():
    assert [e.text for e in extract_entities("IMF says growth slows", "en")] == ["IMF"]
