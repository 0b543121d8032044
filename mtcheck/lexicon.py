"""Everyday words and given names: what a capitalised word is when no gazetteer knows it.

Everyday words are told from names by how often they are written (wordfreq's word lists).

A capitalised word that opens a sentence ("Snow is falling", "Inside the hall") or a title in capitals ("Souvent
Oubliée") looks like a name to the entity check.  Names travel: "Merkel", "Putin", "Peter" are written about as
often in English, French, German, Spanish and Italian text.  Everyday words do not: "snow" is frequent in English
only, "souvent" in French only.  So a word is taken as an everyday word of ``lang`` when it is frequent there and
clearly more frequent there than in any of the other four languages.  wordfreq ships its lists in the wheel (no
download); the "small" lists (words seen at least once per million) load in a few milliseconds each.

Given names come from Faker's person providers: the first names of its 80-odd locales (about 31,000, most in
Latin script), the census and registry lists a test-data generator needs to look real.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

# The languages compared: French and English, and the three others whose news most often reaches both.
LANGS = ("en", "fr", "de", "es", "it")
# Zipf scale: 3 is once per million words, 4 ten times.  A margin of 1 is ten times more frequent.
MIN_ZIPF = 3.0
MARGIN = 1.0


@functools.lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (0 when the word is rarer than once per million)."""
    from wordfreq import zipf_frequency  # loaded on first use: most texts never need it

    return zipf_frequency(word, lang, wordlist="small")


def everyday_word(word: str, lang: str) -> bool:
    """Whether ``word`` is an everyday word of ``lang`` rather than a name: frequent in ``lang`` and at least ten
    times more frequent there than in English, French, German, Spanish or Italian ("snow", "inside", "souvent"; not
    "Merkel", "Peter", "Valencia")."""
    mine = zipf(word.lower(), lang)
    if mine < MIN_ZIPF:
        return False
    return all(mine - zipf(word.lower(), other) >= MARGIN for other in LANGS if other != lang)


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    import faker.providers.person as person  # loaded on first use: about 0.2 s for all locales

    names: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{info.name}"), "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            value = vars(provider).get(attr) if provider else None
            if isinstance(value, (dict, tuple, list, set, frozenset)):
                names.update(n.lower() for n in value)
    return frozenset(names)


def given_name(word: str) -> bool:
    """Whether ``word`` is a first name in some language ("Peter", "Giuseppe", "Valérie", "Recep")."""
    return word.lower() in _given_names()
