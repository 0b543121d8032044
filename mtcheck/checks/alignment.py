"""Checks on the shape of the alignment: omissions, additions, weak pairs and untranslated sentences."""

from __future__ import annotations

import re
from typing import Iterable

from sacrebleu.metrics import CHRF

from ..records import AlignedPair, Finding, Sentence, Severity, Span
from . import CheckContext, register

_WORD = re.compile(r"[^\W\d_]{2,}")
_chrf = CHRF()


def _span(sentences: list[Sentence], indices: list[int]) -> Span | None:
    if not indices:
        return None
    first, last = sentences[indices[0]], sentences[indices[-1]]
    return Span(first.start, last.end, " ".join(sentences[i].text for i in indices))


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _substantial(text: str, min_chars: int) -> bool:
    return len(text) >= min_chars and len(_WORD.findall(text)) >= 4


@register("omission")
def check_omission(ctx: CheckContext) -> Iterable[Finding]:
    """An English sentence with no French counterpart (a 1-0 bead): content the reader never got."""
    for pair in ctx.pairs:
        if pair.en and not pair.fr:
            span = _span(ctx.en_sentences, pair.en)
            big = _substantial(pair.en_text, ctx.config.omission_min_chars)
            yield Finding(
                check="omission",
                severity=Severity.ERROR if big else Severity.INFO,
                message=f"English sentence {pair.en[0] + 1} has no French translation."
                if big else "A short English line has no French counterpart (often a dateline or credit).",
                pair=pair.index,
                en_span=span,
                expected=pair.en_text,
                found=None,
            )


@register("addition")
def check_addition(ctx: CheckContext) -> Iterable[Finding]:
    """A French sentence with no English counterpart (a 0-1 bead): text the original does not contain."""
    for pair in ctx.pairs:
        if pair.fr and not pair.en:
            big = _substantial(pair.fr_text, ctx.config.omission_min_chars)
            yield Finding(
                check="addition",
                severity=Severity.WARNING if big else Severity.INFO,
                message=f"French sentence {pair.fr[0] + 1} has no counterpart in the English original.",
                pair=pair.index,
                fr_span=_span(ctx.fr_sentences, pair.fr),
                expected=None,
                found=pair.fr_text,
            )


@register("low-similarity")
def check_low_similarity(ctx: CheckContext) -> Iterable[Finding]:
    """An aligned pair whose meanings look far apart (a mistranslation, or a wrong alignment)."""
    for pair in ctx.pairs:
        if pair.similarity is None or pair.similarity >= ctx.config.low_similarity:
            continue
        if not _substantial(pair.en_text, ctx.config.omission_min_chars):
            continue
        yield Finding(
            check="low-similarity",
            severity=Severity.WARNING,
            message=f"The French says something different from the English (similarity {pair.similarity:.2f}).",
            pair=pair.index,
            en_span=_span(ctx.en_sentences, pair.en),
            fr_span=_span(ctx.fr_sentences, pair.fr),
            expected=pair.en_text,
            found=pair.fr_text,
        )


def _copied(pair: AlignedPair) -> bool:
    # Surface overlap with the English original: a French sentence that is a near copy was not translated.
    return bool(pair.en) and _chrf.sentence_score(pair.fr_text, [pair.en_text]).score >= 70.0


def check_untranslated(ctx: CheckContext) -> Iterable[Finding]:
    """A sentence of the French article left in English (copied from the original, or English prose)."""
    from ..langid import is_english

    for pair in ctx.pairs:
        if not pair.fr or not _substantial(pair.fr_text, ctx.config.omission_min_chars):
            continue
        for i in pair.fr:
            sentence = ctx.fr_sentences[i]
            if not _substantial(sentence.text, ctx.config.omission_min_chars):
                continue
            if is_english(sentence.text) or (len(pair.fr) == 1 and _copied(pair)):
                yield Finding(
                    check="untranslated",
                    severity=Severity.ERROR,
                    message=f"French sentence {i + 1} is in English: it was left untranslated.",
                    pair=pair.index,
                    en_span=_span(ctx.en_sentences, pair.en),
                    fr_span=Span(sentence.start, sentence.end, sentence.text),
                    expected="a French translation" + (f" of “{_short(pair.en_text)}”" if pair.en else ""),
                    found=sentence.text,
                )


check_untranslated.french_only = True  # type: ignore[attr-defined]
register("untranslated")(check_untranslated)
