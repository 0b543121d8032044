"""Check "conversion": currency conversions the translator added, verified against the ECB rate of the article's date."""

from __future__ import annotations

import datetime as _dt
import importlib
import sys
from decimal import Decimal
from typing import Iterable

from ..figures import Conversion, Figure, relate, render_amount, same_figure
from ..figures.render import currency_name
from ..records import Finding, Severity, Span
from . import CheckContext, register
from .figures import sentence_figures

_COMMON = ("USD", "EUR", "GBP", "JPY", "CHF", "CNY", "CAD")
_GROSS = 0.25  # beyond this a stale rate does not excuse the error


def _rates():
    """The rates module, looked up at call time (tests put a stand-in in ``sys.modules``)."""
    mod = sys.modules.get("mtcheck.rates")
    return mod if mod is not None else importlib.import_module("mtcheck.rates")


def _half_ulp_rel(f: Figure) -> float:
    v = abs(f.value)
    return float(f.ulp / 2 / v) if v else 0.0


def _fmt_rate(r: float) -> str:
    return f"{r:.4g}" if r < 1000 else f"{r:,.0f}"


def _when(on: _dt.date | None, lookup) -> str:
    used = lookup.date_used.isoformat()
    if on is None:
        return f"no article date, so the latest rate ({used}) was used"
    if getattr(lookup, "stale", False):
        return f"stale rate of {used}: the rate history ends before the article date {on.isoformat()}"
    if not getattr(lookup, "exact", True):
        return f"rate of {used}, the last published before the article date {on.isoformat()}"
    return f"rate of {used}"


def _expected(value: float, currency: str, like: Figure) -> str:
    """The right converted amount, rounded to as many significant digits as the translator wrote (at least 2)."""
    v = Decimal(str(value))
    if not v:
        return render_amount(v, currency)
    sig = max(3, like.precision or 3)
    ulp = Decimal(1).scaleb(v.adjusted() - sig + 1)
    rounded = (v / ulp).quantize(Decimal(1)) * ulp
    return render_amount(rounded, currency, None)  # trailing zeros dropped: "1,3 milliard", not "1,30"


def _span(f: Figure, texts: dict[int, str]) -> Span:
    return Span(f.qstart, f.end, texts.get(id(f), f.text))


def _verify(ctx: CheckContext, conv: Conversion, texts: dict[int, str], pair_index: int | None,
            en_figs: list[Figure], dates: set[str]) -> Finding | None:  # fmt: skip
    a, b = conv.primary, conv.converted
    av, bv = abs(a.value), abs(b.value)
    if not av or not bv:
        return None
    rates = _rates()
    on = ctx.fr.meta.date if ctx.fr is not None else None
    rates_file = getattr(ctx.config, "rates_file", None)
    # The translator converts the amount as written; only the converted amount's own rounding adds to the tolerance.
    tol = float(getattr(ctx.config, "conversion_tolerance", 0.02)) + _half_ulp_rel(b)
    implied = float(bv / av)
    en_span = None
    for e in en_figs:
        if e.kind == "amount" and same_figure(e, a):
            en_span = Span(e.qstart, e.end, e.text)
            break

    def lookup(base: str, quote: str):
        return rates.get_rate(base, quote, on, rates_file)

    def finding(sev: Severity, msg: str, expected: str | None) -> Finding:
        return Finding(check="conversion", severity=sev, message=msg, pair=pair_index, fr_span=_span(b, texts),
                       en_span=en_span, expected=expected, found=texts.get(id(b), b.text))  # fmt: skip

    if a.currency == b.currency:
        # "1,2 milliard d'euros, soit 1,3 milliard d'euros": a conversion written in the wrong currency?
        for x in _COMMON:
            if x == a.currency:
                continue
            try:
                lk = lookup(a.currency, x)
            except Exception:
                continue
            if abs(implied / lk.rate - 1) <= tol:
                dates.add(lk.date_used.isoformat())
                return finding(
                    Severity.ERROR,
                    f"Wrong currency: {texts.get(id(b), b.text)} matches {texts.get(id(a), a.text)} converted into "
                    f"{currency_name(x)} ({_when(on, lk)}), but is written in {currency_name(b.currency)}.",
                    _expected(float(av) * lk.rate, x, b),
                )
        return None
    try:
        lk = lookup(a.currency, b.currency)
    except KeyError:
        return finding(Severity.INFO, f"Conversion not verified: no exchange rate for {a.currency}/{b.currency}.", None)
    except Exception as exc:  # a date before the rate history, an unreadable --rates file
        return finding(Severity.WARNING, f"Conversion not verified: {exc}", None)
    dates.add(lk.date_used.isoformat())
    r = lk.rate
    dev = implied / r - 1
    if abs(dev) <= tol:
        return None
    expected = _expected(float(av) * r, b.currency, b)
    when = _when(on, lk)
    a_txt, b_txt = texts.get(id(a), a.text), texts.get(id(b), b.text)
    gross = abs(dev) > _GROSS
    sub = None
    if abs(implied * r - 1) <= tol:
        sub = "Inverted rate"
        msg = (f"Inverted rate: {b_txt} divides {a_txt} by the rate instead of multiplying "
               f"({_fmt_rate(r)} {b.currency} per {a.currency}, {when}); expected {expected}.")  # fmt: skip
    else:
        for k in (3, -3, 6, -6, 9, -9):
            if abs(implied / (r * 10**k) - 1) <= tol:
                sub = "Magnitude slip"
                gross = True
                msg = (f"Magnitude slip: {b_txt} is {10 ** abs(k):,} times too {'large' if k > 0 else 'small'} for "
                       f"{a_txt} ({_fmt_rate(r)} {b.currency} per {a.currency}, {when}); expected {expected}.")  # fmt: skip
                break
    if sub is None:
        # A wrong-currency diagnosis needs a close match: a loosely rounded figure fits too many rates.
        diag_tol = min(tol, 1.5 * float(getattr(ctx.config, "conversion_tolerance", 0.02)))
        for x in _COMMON:
            if x in (a.currency, b.currency):
                continue
            try:
                lx = lookup(a.currency, x)
            except Exception:
                continue
            if abs(implied / lx.rate - 1) <= diag_tol:
                sub = "Wrong currency"
                msg = (f"Wrong currency: {b_txt} matches {a_txt} converted into {currency_name(x)}, not "
                       f"{currency_name(b.currency)} ({when}); expected {expected}.")  # fmt: skip
                break
    if sub is None:
        msg = (f"Wrong rate: {a_txt} is about {expected} at {_fmt_rate(r)} {b.currency} per {a.currency} ({when}), "
               f"not {b_txt}: {abs(dev) * 100:.0f} % off.")  # fmt: skip
    stale = bool(getattr(lk, "stale", False))
    sev = Severity.WARNING if stale and not gross else Severity.ERROR
    return finding(sev, msg, expected)


@register("conversion")
def check_conversion(ctx: CheckContext) -> Iterable[Finding]:
    """A currency conversion added by the translator ("110 milliards de dollars (93,21 milliards d'euros)",
    "1,2 milliard d'euros, soit 1,3 milliard de dollars") that does not match the ECB rate of the article's date
    within ``conversion_tolerance`` (plus the rounding of the figures as written): a wrong rate, an inverted rate,
    a magnitude slip or the wrong currency.  A stale rate history turns small errors into warnings.  Conversions
    already in the English original are left to the "figure" check."""
    findings: list[Finding] = []
    dates: set[str] = set()
    pairs = ctx.pairs or []
    covered: set[int] = set()
    for pair in pairs:
        if not pair.fr:
            continue
        covered.update(pair.fr)
        en_figs: list[Figure] = []
        if ctx.en is not None and pair.en:
            for i in pair.en:
                en_figs += sentence_figures(ctx.en, ctx.en_sentences[i], "en")[0]
        findings += _check_sentences(ctx, pair.fr, pair.index, en_figs, dates)
    rest = [j for j in range(len(ctx.fr_sentences)) if j not in covered]
    if rest:
        findings += _check_sentences(ctx, rest, None, [], dates)
    if dates:
        ctx.notes["rates_date"] = ",".join(sorted(dates))
        if ctx.fr is None or ctx.fr.meta.date is None:
            ctx.notes["rates_basis"] = "latest rate (no article date)"
    return findings


def _in_english(x: Figure, en_figs: list[Figure], same_currency_counts: bool) -> bool:
    """Whether the English has this amount: one in the same currency, or one the figure check links to it."""
    return any(
        (same_currency_counts and e.kind == "amount" and e.currency == x.currency) or relate(e, x).level <= 2
        for e in en_figs
    )


def _check_sentences(ctx: CheckContext, indices: list[int], pair_index: int | None, en_figs: list[Figure],
                     dates: set[str]) -> list[Finding]:  # fmt: skip
    out: list[Finding] = []
    for j in indices:
        figs, convs, texts = sentence_figures(ctx.fr, ctx.fr_sentences[j], "fr")
        for conv in convs:
            # Both amounts in the English too: the figure check compares them.  Only one: the translator added the
            # other, and it is checked here.
            primary_en = _in_english(conv.primary, en_figs, True)
            converted_en = _in_english(conv.converted, en_figs, not conv.same_currency)
            if primary_en and converted_en:
                continue
            if converted_en and not conv.same_currency:
                # "1,5 milliard d'euros (1,3 milliard de dollars)" for "$1.3 billion": the euros are the addition
                conv = Conversion(conv.converted, conv.primary, conv.marker)
            f = _verify(ctx, conv, texts, pair_index, en_figs, dates)
            if f is not None:
                out.append(f)
    return out


check_conversion.french_only = True
