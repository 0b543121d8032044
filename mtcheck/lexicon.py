"""Everyday words and given names: what a capitalised word is when no gazetteer knows it.

A capitalised word that opens a sentence ("Snow is falling", "Inside the hall") or a title in capitals ("Souvent
Oubliée") looks like a name to the entity check.  Everyday words are told from names by how often they are
written (wordfreq's word lists, shipped in its wheel: no download).  Names travel: "Merkel", "Lyman", "Affleck" are
written in French, German, Spanish and Italian news too, at most a few times less often than in English.  Everyday
words do not travel: "snow", "inside", "crafts" are ten times (or far more) as frequent in English as in any of the
other four languages, "souvent" in French.  So a word is an everyday word of ``lang`` when it is frequent there (at
least once per million words) and at least ten times as frequent as in English, French, German, Spanish and
Italian.  The five full lists take about a second to load, so the two sets this needs (English and French everyday
words, about 20,000 each) are computed once and kept in the cache folder.

Given names come from Faker's person providers: the first names of its 80-odd locales (about 31,000, most in
Latin script), the census and registry lists a test-data generator needs to look real.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import pkgutil
import tempfile
from importlib import metadata
from typing import Callable

from .cache import cache_dir

# The languages compared: French and English, and the three others whose news most often reaches both.
LANGS = ("en", "fr", "de", "es", "it")
# Zipf scale: 3 is once per million words, 4 ten times.  A margin of 1 is ten times more frequent.
MIN_ZIPF = 3.0
MARGIN = 1.0


def _cached_words(name: str, build: Callable[[], dict[str, list[str]]]) -> dict[str, frozenset[str]]:
    """``build()``'s word lists, kept as JSON under ``name`` in the cache folder (rebuilt when it is unreadable)."""
    path = cache_dir() / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = build()
        try:  # a read-only or shared cache folder only costs the rebuild next time
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError:
            pass
    return {k: frozenset(v) for k, v in data.items()}


def _build_everyday() -> dict[str, list[str]]:
    from wordfreq import get_frequency_dict

    # Frequencies compared directly (a Zipf margin of 1 is a ratio of 10), on the lists' own normalised words.
    freqs = {lang: get_frequency_dict(lang) for lang in LANGS}
    floor, ratio = 10 ** (MIN_ZIPF - 9), 10**MARGIN
    out: dict[str, list[str]] = {}
    for lang in ("en", "fr"):
        others = [freqs[o] for o in LANGS if o != lang]
        out[lang] = sorted(
            w for w, f in freqs[lang].items() if f >= floor and all(f >= ratio * o.get(w, 0.0) for o in others))
    return out


@functools.lru_cache(maxsize=1)
def _everyday() -> dict[str, frozenset[str]]:
    return _cached_words(f"everyday-words-wordfreq-{metadata.version('wordfreq')}.json", _build_everyday)


def everyday_word(word: str, lang: str) -> bool:
    """Whether ``word`` is an everyday word of ``lang`` ("en" or "fr") rather than a name: frequent in ``lang`` and
    at least ten times as frequent there as in English, French, German, Spanish or Italian ("snow", "inside",
    "souvent"; not "Merkel", "Lyman", "Valencia", nor "services", written alike in French)."""
    return word.lower() in _everyday().get(lang, frozenset())


def _build_given_names() -> dict[str, list[str]]:
    import faker.providers.person as person

    names: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{info.name}"), "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            value = vars(provider).get(attr) if provider else None
            if isinstance(value, (dict, tuple, list, set, frozenset)):
                names.update(n.lower() for n in value)
    return {"given": sorted(names)}


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    return _cached_words(f"given-names-faker-{metadata.version('faker')}.json", _build_given_names)["given"]


def given_name(word: str) -> bool:
    """Whether ``word`` is a first name in some language ("Peter", "Giuseppe", "Valérie", "Recep")."""
    return word.lower() in _given_names()

