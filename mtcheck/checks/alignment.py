"""Checks on the shape of the alignment: omissions, additions, moved passages, weak pairs and untranslated sentences."""

from __future__ import annotations

import re
from typing import Iterable

from sacrebleu.metrics import CHRF

from ..records import AlignedPair, Finding, Sentence, Severity, Span
from ..reorder import Move, find_moves
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


def moved_passages(ctx: CheckContext) -> list[Move]:
    """English sentences left out by the alignment that reappear elsewhere in the French (computed once per context).

    Empty when the ``reordered`` check is disabled: the omissions and additions are then reported as before.
    """
    if ctx.moved is None:
        ctx.moved = []
        if ctx.en is not None and ctx.config.check_enabled("reordered"):
            from ..encoder import DEFAULT_ENCODER, get_encoder
            from ..segment import prose

            # use-m3 whatever aligned: the threshold is calibrated on its cosines. It is the pipeline's default
            # encoder too, and these are the texts align() embedded, so the vectors come from its cache
            encoder = ctx.encoder
            if encoder is None or not str(getattr(encoder, "name", "")).startswith("use-m3"):
                encoder = get_encoder(DEFAULT_ENCODER)
            ctx.moved = find_moves(ctx.pairs, prose(ctx.en_sentences, ctx.en), prose(ctx.fr_sentences, ctx.fr),
                                   encoder)
    return ctx.moved


def _moved_sides(ctx: CheckContext) -> tuple[set[int], set[int]]:
    moves = moved_passages(ctx)
    return {i for m in moves for i in m.en}, {j for m in moves for j in m.fr}


def _numbered(side: str, indices: list[int]) -> str:
    if len(indices) == 1:
        return f"{side} sentence {indices[0] + 1}"
    return f"{side} sentences {indices[0] + 1}-{indices[-1] + 1}"


@register("omission")
def check_omission(ctx: CheckContext) -> Iterable[Finding]:
    """An English sentence with no French counterpart (a 1-0 bead): content the reader never got."""
    moved_en, _ = _moved_sides(ctx)
    for pair in ctx.pairs:
        if pair.en and not pair.fr and not moved_en.issuperset(pair.en):  # a moved sentence is not missing
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
    _, moved_fr = _moved_sides(ctx)
    for pair in ctx.pairs:
        if pair.fr and not pair.en and not moved_fr.issuperset(pair.fr):  # a moved sentence is not added
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


@register("reordered")
def check_reordered(ctx: CheckContext) -> Iterable[Finding]:
    """An English passage that the French moved elsewhere (a wire story re-edited): not missing, but out of order."""
    by_en = {i: p.index for p in ctx.pairs if p.en and not p.fr for i in p.en}
    for move in moved_passages(ctx):
        one = len(move.en) == 1
        yield Finding(
            check="reordered",
            severity=Severity.WARNING,
            message=f"{_numbered('English', move.en)} {'appears' if one else 'appear'} as "
                    f"{_numbered('French', move.fr)}: moved, not missing "
                    f"(similarity {move.similarity:.2f}).",
            pair=by_en.get(move.en[0]),
            en_span=_span(ctx.en_sentences, move.en),
            fr_span=_span(ctx.fr_sentences, move.fr),
            expected=" ".join(ctx.en_sentences[i].text for i in move.en),
            found=" ".join(ctx.fr_sentences[j].text for j in move.fr),
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


_TOKEN = re.compile(r"\w+")


def _copied(pair: AlignedPair) -> bool:
    """Whether the French sentence is a near copy of its English one (surface overlap, chrF >= 70).

    Names and numbers are copied by any translation: a sentence of company names shares most of its characters
    with the English and is translated all the same ("Nissan Motor Co, Honda Motor Co et Mazda Motor Corp ont
    progressé"). So 80 % of the French words must be English ones, and at least two of them lower-case words of
    three letters or more: prose that was there to translate, left as it was.
    """
    if not pair.en:
        return False
    words = _TOKEN.findall(pair.fr_text)
    english = {w.lower() for w in _TOKEN.findall(pair.en_text)}
    shared = [w for w in words if w.lower() in english]
    if not words or len(shared) < 0.8 * len(words):
        return False  # the cheap test first: chrF is the slow part of the check
    if sum(1 for w in shared if w.islower() and len(w) >= 3 and not w.isdigit()) < 2:
        return False
    return _chrf.sentence_score(pair.fr_text, [pair.en_text]).score >= 70.0


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
