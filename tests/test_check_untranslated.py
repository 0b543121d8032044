"""The `untranslated` check: English prose left in the French, and near copies of the English sentence."""

from __future__ import annotations

from conftest import build_article

from mtcheck.checks import CheckContext
from mtcheck.checks.alignment import _copied, check_untranslated
from mtcheck.config import Config
from mtcheck.records import AlignedPair


def _context(en: list[str], fr: list[str]) -> CheckContext:
    en_art, en_s = build_article(en, "en")
    fr_art, fr_s = build_article(fr, "fr")
    pairs = [AlignedPair(index=i, en=[i], fr=[i], en_text=e, fr_text=f) for i, (e, f) in enumerate(zip(en, fr))]
    return CheckContext(fr=fr_art, en=en_art, fr_sentences=fr_s, en_sentences=en_s, pairs=pairs, config=Config())


EN = [
    "Shares of Toyota Motor Corp rose 2.1% in Tokyo on Tuesday after the carmaker raised its forecast.",
    "Nissan Motor Co, Honda Motor Co, Mazda Motor Corp and Subaru Corp also gained on the Nikkei.",
    "The company now expects an operating profit of 4.3 trillion yen for the year to March.",
]


def test_english_prose_left_in_the_french_is_an_error():
    fr = [
        "L'action Toyota Motor Corp a gagné 2,1\u00a0% mardi à Tokyo après le relèvement des prévisions du constructeur.",
        "Nissan Motor Co, Honda Motor Co, Mazda Motor Corp et Subaru Corp ont également progressé sur le Nikkei.",
        "The company now expects an operating profit of 4.3 trillion yen for the year to March.",
    ]
    found = list(check_untranslated(_context(EN, fr)))
    assert [f.fr_span.text for f in found] == [fr[2]]
    assert found[0].severity.value == "error"


def test_near_copy_of_a_names_list_is_untranslated():
    """No function word to tell the language, but the French is the English line with one word changed."""
    en = ["Nissan Motor Co, Honda Motor Co, Mazda Motor Corp, Subaru Corp and Suzuki Motor Corp all gained."]
    fr = ["Nissan Motor Co, Honda Motor Co, Mazda Motor Corp, Subaru Corp and Suzuki Motor Corp all gained!"]
    assert _copied(_context(en, fr).pairs[0])


def test_translation_sharing_many_names_is_not_a_copy():
    """True negative: the second French sentence keeps every company name, and is translated."""
    fr = [
        "L'action Toyota Motor Corp a gagné 2,1\u00a0% mardi à Tokyo après le relèvement des prévisions du constructeur.",
        "Nissan Motor Co, Honda Motor Co, Mazda Motor Corp et Subaru Corp ont également progressé sur le Nikkei.",
        "Le groupe table désormais sur un bénéfice d'exploitation de 4\u202f300\u00a0milliards de yens sur l'exercice.",
    ]
    ctx = _context(EN, fr)
    assert not any(_copied(p) for p in ctx.pairs)
    assert list(check_untranslated(ctx)) == []
