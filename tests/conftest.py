"""Shared fixtures: paths to the demo corpus and the optional shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def encoder():
    """The default offline encoder, loaded once for the whole test session."""
    from mtcheck.encoder import get_encoder

    return get_encoder("use-m3")


def build_article(sentences, lang, *, tickers=None, date=None):
    """An Article whose text is ``sentences`` joined by single spaces, and one Sentence per item (article offsets).

    ``tickers`` finds the ticker records in the joined text (a function text -> list of Ticker); ``date`` goes to the
    article's metadata.  Returns (article, sentences).
    """
    from mtcheck.records import Article, ArticleMeta, Block, Sentence

    text, sents = "", []
    for i, s in enumerate(sentences):
        if text:
            text += " "
        sents.append(Sentence(i, s, len(text), len(text) + len(s)))
        text += s
    recs = list(tickers(text)) if tickers else []
    art = Article(text=text, lang=lang, blocks=[Block(0, len(text), text)], meta=ArticleMeta(date=date), tickers=recs)
    return art, sents
