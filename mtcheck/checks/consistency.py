"""Checks that need no English: figures the French article contradicts itself on.

``headline-figures``: a headline figure the body contradicts ("110 milliards de dollars" over a body that says
"110 millions de dollars"), or one the body never gives while it gives others of the same kind.
``repeated-figures``: one amount written twice with a x1000 slip or another currency ("1,2 milliard d'euros", later
"1,2 million d'euros").

Both run with or without the English original; with it, an inconsistency the English has too is the source's,
not the translation's, and is not reported.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from ..figures import Figure, relate, render_figure
from ..figures.extract import _DOLLARS
from ..records import Finding, Sentence, Severity, Span
from . import CheckContext, register
from .figures import sentence_figures

_NUMERIC = ("amount", "count", "percent", "percentage_points", "basis_points", "quantity")
_FINAL = re.compile(r"[.!?…:;»\"”')\]]\s*$")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ]{3,}")
# Words after a figure that say nothing about what it counts.
_FILLER = frozenset(
    "les des une pour par sur dans avec sans plus moins environ près selon contre entre vers cette son ses leur "
    "leurs qui que dont été était sont ont avait avaient année ans mois jour jours fin début total".split()
)


def _headline_indices(sentences: list[Sentence]) -> set[int]:
    """Headline sentences: marked so by ingest, or the first sentence of the first block when it has no final
    punctuation."""
    heads = {s.index for s in sentences if s.kind == "headline"}
    if not heads and sentences:
        first_block = min(s.block for s in sentences)
        first = min((s for s in sentences if s.block == first_block), key=lambda s: s.start)
        if not _FINAL.search(first.text):
            heads.add(first.index)
    return heads


def _usable(f: Figure) -> bool:
    """Figures worth comparing inside the article: numbers with a meaning of their own, not idioms or small words."""
    if f.kind not in _NUMERIC or "weak" in f.flags:
        return False
    return not (f.spelled and f.kind == "count" and abs(f.value) <= 12 and not f.magnitude)


def _mantissa(v: Decimal) -> tuple[tuple[int, ...], int]:
    """Significant digits and exponent: 110e9 -> ((1, 1), 10)."""
    t = abs(v).normalize().as_tuple()
    return t.digits, t.exponent + len(t.digits) - 1


def _noun_after(text: str, f: Figure, offset: int) -> str | None:
    """The first content word after a figure ("3 000 emplois" -> "emplois"), folded to lower case."""
    for m in _WORD.finditer(text, f.end - offset, min(len(text), f.end - offset + 40)):
        w = m.group(0).lower()
        if w not in _FILLER:
            return w
    return None


def _same_thing(a: Figure, b: Figure) -> bool:
    """Same kind, currency and unit: figures that could state one quantity."""
    if a.kind != b.kind or a.unit != b.unit:
        return False
    if a.kind == "amount":
        return a.currency == b.currency
    return True


def _matches(a: Figure, b: Figure) -> bool:
    """``a`` and ``b`` say the same thing, one possibly rounding the other (a headline rounds: 1,96 -> près de 2)."""
    for x, y in ((a, b), (b, a)):
        r = relate(x, y)
        if r.level <= 1 or r.subtype == "Rounding":
            return True
    return False


class _Side:
    """French (or English) figures of an article by sentence, with the text of each figure and its conversions."""

    def __init__(self, article, sentences: list[Sentence], lang: str) -> None:
        self.article = article
        self.sentences = sentences
        self.figs: dict[int, list[Figure]] = {}
        self.texts: dict[int, str] = {}
        self.converted: set[int] = set()  # amounts written as a conversion of the one before them
        for s in sentences:
            figs, convs, texts = sentence_figures(article, s, lang)
            self.figs[s.index] = figs
            self.texts.update(texts)
            self.converted.update(id(c.converted) for c in convs)

    def text_of(self, f: Figure) -> str:
        return self.texts.get(id(f), f.text)


def _pair_of(ctx: CheckContext) -> dict[int, int]:
    """French sentence index -> index of the aligned pair that holds it."""
    out: dict[int, int] = {}
    for p in ctx.pairs:
        for j in p.fr:
            out.setdefault(j, p.index)
    return out


def _en_figures(ctx: CheckContext, en_side: _Side | None, fr_sentence: int) -> list[Figure]:
    """English figures of the sentences aligned with a French sentence."""
    if en_side is None:
        return []
    out: list[Figure] = []
    for p in ctx.pairs:
        if fr_sentence in p.fr:
            for i in p.en:
                out += en_side.figs.get(i, [])
    return out


def _in_english(en_figs: list[Figure], f: Figure) -> bool:
    return any(relate(e, f).level <= 1 for e in en_figs)


def _mirrored(ctx: CheckContext, en_side: _Side | None, a: Figure, sa: int, b: Figure, sb: int) -> bool:
    """Whether the English says both things too: the inconsistency is the source's, faithfully translated."""
    if en_side is None:
        return False
    return _in_english(_en_figures(ctx, en_side, sa), a) and _in_english(_en_figures(ctx, en_side, sb), b)


def _power_slip(h: Figure, b: Figure) -> int | None:
    """The power of ten between two figures written with the same significant digits (3 000 / 300 -> 1)."""
    (dh, eh), (db, eb) = _mantissa(h.value), _mantissa(b.value)
    if dh != db or eh == eb or not h.value or not b.value:
        return None
    return eh - eb


def _contradiction(h: Figure, b: Figure, text_h: str, text_b: str, off_h: int, off_b: int) -> str | None:
    """Why body figure ``b`` contradicts headline figure ``h``, or None when they are not clearly one quantity."""
    r = relate(b, h)
    if r.level == 2 and r.subtype in ("Magnitude slip", "False friend", "Wrong currency"):
        why = r.subtype
    elif _same_thing(h, b) and _power_slip(h, b) is not None:
        why = "Magnitude slip"
    else:
        return None
    # One quantity, not two that share digits: two amounts with two significant digits or more ("110 milliards de
    # dollars" / "110 millions de dollars"), or the same noun after both ("3 000 emplois" / "300 emplois").
    if h.kind == b.kind == "amount" and len(_mantissa(h.value)[0]) >= 2:
        return why
    noun_h = _noun_after(text_h, h, off_h)
    return why if noun_h and noun_h == _noun_after(text_b, b, off_b) else None


@register("headline-figures")
def check_headline_figures(ctx: CheckContext) -> Iterable[Finding]:
    """A figure in the French headline that the body contradicts (same kind and currency, clearly one quantity:
    "110 milliards de dollars" over "110 millions de dollars", "3 000 emplois" over "300 emplois": error), or that
    the body never gives while it gives others of the same kind and currency (warning).  A headline that rounds the
    body ("près de 2 milliards" for "1,96 milliard") passes; so does an inconsistency the English has too."""
    sents = ctx.fr_sentences
    heads = _headline_indices(sents)
    body = [s for s in sents if s.index not in heads]
    if not heads or not body:
        return []
    fr = _Side(ctx.fr, sents, "fr")
    en = _Side(ctx.en, ctx.en_sentences, "en") if ctx.en is not None else None
    pair_of = _pair_of(ctx)
    by_index = {s.index: s for s in sents}
    body_all = [(s, f) for s in body for f in fr.figs[s.index] if _usable(f)]
    body_figs = [(s, f) for s, f in body_all if id(f) not in fr.converted]
    findings: list[Finding] = []
    for hi in sorted(heads):
        hs = by_index[hi]
        for h in fr.figs[hi]:
            if not _usable(h) or id(h) in fr.converted:
                continue
            if any(_matches(h, b) for _, b in body_all):
                continue
            hit = None
            for s, b in body_figs:
                why = _contradiction(h, b, hs.text, s.text, hs.start, s.start)
                if why and not _mirrored(ctx, en, h, hi, b, s.index):
                    hit = (s, b, why)
                    break
            span = Span(h.qstart, h.end, fr.text_of(h))
            if hit:
                s, b, why = hit
                findings.append(Finding(
                    check="headline-figures", severity=Severity.ERROR, pair=pair_of.get(hi), fr_span=span,
                    message=f"Headline contradicts the body ({why.lower()}): the headline says {fr.text_of(h)}, "
                            f"the body says {fr.text_of(b)}.",
                    expected=fr.text_of(b), found=fr.text_of(h),
                ))  # fmt: skip
                continue
            same_kind = [b for _, b in body_figs if _same_thing(h, b) and h.kind in ("amount", "percent")]
            if not same_kind and h.kind in ("count", "quantity"):
                noun = _noun_after(hs.text, h, hs.start)
                same_kind = [b for s, b in body_figs if _same_thing(h, b) and noun
                             and _noun_after(s.text, b, s.start) == noun]  # fmt: skip
            if not same_kind:
                continue
            if en is not None and _in_english(_en_figures(ctx, en, hi), h) and not any(
                _in_english(_en_figures(ctx, en, s.index), h) for s in body
            ):
                continue  # the English headline has it and the English body does not either
            shown = ", ".join(fr.text_of(b) for b in same_kind[:3])
            findings.append(Finding(
                check="headline-figures", severity=Severity.WARNING, pair=pair_of.get(hi), fr_span=span,
                message=f"Headline figure not in the body: {fr.text_of(h)} is nowhere in the body, which gives {shown}.",
                found=fr.text_of(h),
            ))  # fmt: skip
    return findings


def _soft_currency(a: Figure, b: Figure) -> bool:
    # "$" and "dollars canadiens" may be one currency written loosely
    return {a.currency, b.currency} <= _DOLLARS and ("bare_dollar" in a.flags or "bare_dollar" in b.flags)


def _context_words(text: str, f: Figure, offset: int) -> set[str]:
    lo, hi = max(0, f.qstart - offset - 60), min(len(text), f.end - offset + 60)
    return {w.lower() for w in _WORD.findall(text[lo : f.qstart - offset] + " " + text[f.end - offset : hi])
            if len(w) >= 4 and w.lower() not in _FILLER}  # fmt: skip


def _numeral(text: str) -> str:
    """The digits as written, separators normalised ("1,2 milliard" -> "1,2")."""
    m = re.search(r"\d[\d\s\u00a0\u202f.,]*", text)
    return re.sub(r"[\s\u00a0\u202f]", "", m.group(0)).rstrip(".,") if m else ""


def _slip(a: Figure, b: Figure) -> str | None:
    """A x1000 slip or a currency flip between two amounts written with the same numeral; None otherwise."""
    if a.kind != "amount" or b.kind != "amount" or not a.currency or not b.currency:
        return None
    if a.currency != b.currency:
        if a.value == b.value and not _soft_currency(a, b):
            return "currency"
        return None
    if abs(a.scale - b.scale) == 3 and a.scale and b.scale and abs(a.value) != abs(b.value):
        ratio = abs(a.value / b.value) if b.value else Decimal(0)
        if ratio in (Decimal(1000), Decimal("0.001")):
            return "magnitude"
    return None


@register("repeated-figures")
def check_repeated_figures(ctx: CheckContext) -> Iterable[Finding]:
    """One amount stated twice inconsistently in the French article: the same number with a x1000 slip
    ("1,2 milliard d'euros", later "1,2 million d'euros") or in another currency ("1,2 milliard de dollars").
    Conservative: a one-digit number ("5 millions" / "5 milliards") must share its context words to count as one
    amount; conversions ("soit 1,3 milliard de dollars") and an inconsistency the English has too are left alone."""
    sents = ctx.fr_sentences
    fr = _Side(ctx.fr, sents, "fr")
    en = _Side(ctx.en, ctx.en_sentences, "en") if ctx.en is not None else None
    pair_of = _pair_of(ctx)
    heads = _headline_indices(sents)  # headline against body is headline-figures' business
    seq: list[tuple[Sentence, Figure]] = [
        (s, f) for s in sents if s.index not in heads for f in fr.figs[s.index]
        if f.kind == "amount" and f.currency and id(f) not in fr.converted and "range" not in f.flags
    ]  # fmt: skip
    findings: list[Finding] = []
    reported: set[int] = set()
    for j, (sb, b) in enumerate(seq):
        if id(b) in reported:
            continue
        for sa, a in seq[:j]:
            if _numeral(fr.text_of(a)) != _numeral(fr.text_of(b)) or not _numeral(fr.text_of(a)):
                continue
            kind = _slip(a, b)
            if kind is None:
                continue
            if len(_mantissa(a.value)[0]) < 2 and not (
                _context_words(sa.text, a, sa.start) & _context_words(sb.text, b, sb.start)
            ):
                continue
            if _mirrored(ctx, en, a, sa.index, b, sb.index):
                continue
            what = ("1,000 times apart" if kind == "magnitude"
                    else f"in two currencies ({a.currency} / {b.currency})")  # fmt: skip
            findings.append(Finding(
                check="repeated-figures", severity=Severity.ERROR, pair=pair_of.get(sb.index),
                fr_span=Span(b.qstart, b.end, fr.text_of(b)),
                message=f"Inconsistent amount: {fr.text_of(a)} earlier, {fr.text_of(b)} here: the same number "
                        f"{what}; one of them is wrong.",
                expected=render_figure(a), found=fr.text_of(b),
            ))  # fmt: skip
            reported.add(id(b))
            break
    return findings


check_headline_figures.french_only = True
check_repeated_figures.french_only = True
