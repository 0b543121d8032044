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


def test_word_sets_are_cached_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    from mtcheck import lexicon

    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path))
    lexicon._everyday.cache_clear()
    try:
        assert everyday_word("snow", "en")
        (path,) = tmp_path.glob("everyday-words-*.json")
        path.write_text("{not json", encoding="utf-8")
        lexicon._everyday.cache_clear()
        assert everyday_word("snow", "en") and not everyday_word("Merkel", "en")
        assert path.read_text(encoding="utf-8").startswith("{\"en\"")
    finally:
        lexicon._everyday.cache_clear()


def test_unwritable_cache_folder_still_answers(tmp_path, monkeypatch):
    from mtcheck import lexicon

    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    lexicon._given_names.cache_clear()
    try:
        assert given_name("Valérie") and not given_name("Banque")
        assert not (blocker / "cache").exists()
    finally:
        lexicon._given_names.cache_clear()
