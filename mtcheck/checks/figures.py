"""Check "figure": every English figure must reach the French unchanged, and no French figure may come from nowhere."""

from __future__ import annotations

import re
from typing import Iterable

from ..figures import Comparison, Conversion, Figure, compare_figures, extract_figures, find_conversions, render_figure
from ..figures.compare import relate
from ..records import Article, Finding, Sentence, Span
from . import CheckContext, register

_NEIGHBOURS = 2  # alignment slips: a figure may sit one or two beads away


def _ticker_spans(article: Article | None, sentence: Sentence) -> tuple[tuple[int, int], ...]:
    if article is None or not article.tickers:
        return ()
    return tuple(
        (t.start - sentence.start, t.end - sentence.start)
        for t in article.tickers
        if t.start < sentence.end and t.end > sentence.start
    )


def sentence_figures(
    article: Article | None, sentence: Sentence, lang: str
) -> tuple[list[Figure], list[Conversion], dict[int, str]]:
    """Figures of one sentence with article offsets, the conversions among them, and each figure's text with its
    qualifier (keyed by ``id``)."""
    local = extract_figures(sentence.text, lang, _ticker_spans(article, sentence))
    convs = find_conversions(sentence.text, local, lang)
    shifted = {id(f): f.shifted(sentence.start) for f in local}
    texts = {id(shifted[id(f)]): sentence.text[f.qstart : f.end] for f in local}
    figs = [shifted[id(f)] for f in local]
    convs = [Conversion(shifted[id(c.primary)], shifted[id(c.converted)], c.marker) for c in convs]
    return figs, convs, texts


def _side(ctx: CheckContext, article, sentences: list[Sentence], indices: list[int], lang: str):
    figs: list[Figure] = []
    convs: list[Conversion] = []
    texts: dict[int, str] = {}
    for i in indices:
        f, c, t = sentence_figures(article, sentences[i], lang)
        figs += f
        convs += c
        texts.update(t)
    return figs, convs, texts


def _finding(pair_index: int, c: Comparison, en_texts: dict[int, str], fr_texts: dict[int, str]) -> Finding:
    en_span = fr_span = None
    if c.en is not None:
        en_span = Span(c.en.qstart, c.en.end, en_texts.get(id(c.en), c.en.text))
    if c.fr is not None:
        fr_span = Span(c.fr.qstart, c.fr.end, fr_texts.get(id(c.fr), c.fr.text))
    return Finding(
        check="figure",
        severity=c.severity,
        message=c.message,
        pair=pair_index,
        en_span=en_span,
        fr_span=fr_span,
        expected=render_figure(c.en) if c.en is not None else None,
        found=fr_span.text if fr_span is not None else None,
    )


@register("figure")
def check_figures(ctx: CheckContext) -> Iterable[Finding]:
    """Figures that differ between the English and the French of an aligned pair: a changed digit, a magnitude slip
    (billion → million), the billion/milliard false friend, a wrong currency, percent ↔ percentage points, a changed
    weekday, month, year, quarter or clock time, a changed qualifier ("up to" → "plus de"), a dropped or added figure.
    Rounding as news copy rounds ("$1.26 billion" → "1,3 milliard de dollars") and correct unit conversions pass;
    tickers, URLs, model names (GPT-4, A320) and phone numbers are not figures.  Currency conversions the
    translator added are left to the "conversion" check."""
    if ctx.en is None:
        return []
    per_pair = []
    for pos, pair in enumerate(ctx.pairs):
        en_figs, en_convs, en_texts = _side(ctx, ctx.en, ctx.en_sentences, pair.en, "en")
        fr_figs, fr_convs, fr_texts = _side(ctx, ctx.fr, ctx.fr_sentences, pair.fr, "fr")
        comps = compare_figures(en_figs, fr_figs, en_conversions=en_convs, fr_conversions=fr_convs) \
            if pair.en and pair.fr else []  # fmt: skip
        per_pair.append((pair, comps, en_figs, fr_figs, en_texts, fr_texts))

    # A figure the alignment put one bead over is moved, not dropped: cancel a drop against an addition (or an
    # unaligned sentence's figure) nearby that says the same thing.
    cancelled: set[int] = set()
    for pos, (pair, comps, *_rest) in enumerate(per_pair):
        for c in comps:
            if c.severity is None or (c.en is None) == (c.fr is None) or id(c) in cancelled:
                continue
            for q in range(max(0, pos - _NEIGHBOURS), min(len(per_pair), pos + _NEIGHBOURS + 1)):
                if q == pos:
                    continue
                other_pair, other_comps, o_en, o_fr, _, _ = per_pair[q]
                one_sided = not (other_pair.en and other_pair.fr)
                if c.fr is None:  # dropped English figure: look for it among French leftovers nearby
                    pool = [(oc, oc.fr) for oc in other_comps if oc.en is None and oc.fr is not None
                            and id(oc) not in cancelled]  # fmt: skip
                    if one_sided:
                        pool += [(None, f) for f in o_fr]
                    hit = next((x for x in pool if relate(c.en, x[1]).level == 0), None)
                else:
                    pool = [(oc, oc.en) for oc in other_comps if oc.fr is None and oc.en is not None
                            and id(oc) not in cancelled]  # fmt: skip
                    if one_sided:
                        pool += [(None, e) for e in o_en]
                    hit = next((x for x in pool if relate(x[1], c.fr).level == 0), None)
                if hit is not None:
                    cancelled.add(id(c))
                    if hit[0] is not None:
                        cancelled.add(id(hit[0]))
                    break

    findings: list[Finding] = []
    for pair, comps, _, _, en_texts, fr_texts in per_pair:
        en_text = " ".join(ctx.en_sentences[i].text for i in pair.en if i < len(ctx.en_sentences))
        for c in comps:
            if c.severity is None or id(c) in cancelled or _number_of_a_name(c, en_text):
                continue
            findings.append(_finding(pair.index, c, en_texts, fr_texts))
    return findings


def _number_of_a_name(c: Comparison, en_text: str) -> bool:
    """Whether an added French count is the number of an English name written in one word: "ACE2" spelt out as
    "l'enzyme de conversion de l'angiotensine 2", "G20" as "G 20"."""
    f = c.fr
    if c.en is not None or f is None or f.kind != "count" or f.spelled or f.value != int(f.value):
        return False
    digits = str(int(f.value))
    return re.search(rf"[^\W\d_]-?{digits}(?!\d)|(?<!\d){digits}-?[^\W\d_]{{2,}}", en_text) is not None
