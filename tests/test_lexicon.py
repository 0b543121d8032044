"""Everyday words told from names by their frequency across languages (``mtcheck.lexicon``)."""

from __future__ import annotations

import pytest

from mtcheck.lexicon import everyday_word, given_name


@pytest.mark.parametrize("word, lang", [
    ("Snow", "en"), ("Inside", "en"), ("Following", "en"), ("Maybe", "en"), ("Country", "en"),
    ("Souvent", "fr"), ("neige", "fr"), ("Bientôt", "fr"), ("Gauche", "fr"),
])  # fmt: skip
def test_everyday_words(word, lang):
    assert everyday_word(word, lang)


@pytest.mark.parametrize("word, lang", [
    # names are written as often in the other languages
    ("Merkel", "en"), ("Putin", "en"), ("Peter", "en"), ("Obama", "en"), ("Valencia", "en"), ("Merkel", "fr"),
    # rare words and words shared with French are not everyday English words for this test
    ("Veres", "en"), ("Services", "en"), ("Cabinet", "en"),
    # an everyday French word is not an everyday English one
    ("souvent", "en"),
])  # fmt: skip
def test_names_and_rare_words_are_not_everyday_words(word, lang):
    assert not everyday_word(word, lang)


@pytest.mark.parametrize("word", ["Peter", "Giuseppe", "Valérie", "Recep", "Taylor", "Igor", "Flor"])
def test_given_names(word):
    assert given_name(word)


@pytest.mark.parametrize("word", ["Guardia", "Vierge", "Banque", "Gauche", "Merkel", "Lautner", "Madame"])
def test_words_that_are_no_given_names(word):
    assert not given_name(word)
