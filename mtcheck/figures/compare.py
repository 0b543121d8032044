"""Match the English figures of an aligned pair to the French ones and say what differs.

:func:`compare_figures` pairs figures that mean the same thing (the same value written differently, or rounded
the way news copy rounds), then figures that are recognisably the same quantity gone wrong (magnitude slip, the
billion/milliard false friend, wrong currency, percent ↔ points, wrong weekday...), then what is left over of the
same kind in order (a changed figure); the rest is dropped (English only) or added (French only).
:func:`find_conversions` finds currency conversions written next to an amount ("(93,21 milliards d'euros)",
", soit 1,3 milliard de dollars").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ..records import Severity
from .extract import _DOLLARS, _TZ, QUALIFIER_GROUPS, UNITS, Figure
from .render import render_figure

__all__ = ["Comparison", "Conversion", "compare_figures", "find_conversions", "relate", "same_figure"]

_PCTS = {"percent", "percentage_points", "basis_points", "ratio"}
_DATES = {"date", "year"}
_ONE = Decimal(1)
_TWO_PCT = Decimal("0.02")
_FIVE_PCT = Decimal("0.05")
_TEN_PCT = Decimal("0.10")


@dataclass
class Comparison:
    """One outcome of comparing an English figure with a French one (either may be None: dropped/added).

    ``severity`` None means nothing to report.  ``subtype`` names the outcome ("same", "rounded", "Magnitude slip",
    "Dropped figure"...); ``message`` is one sentence that starts with it.
    """

    en: Figure | None
    fr: Figure | None
    severity: Severity | None
    subtype: str
    message: str = ""
    level: int = 0


@dataclass(frozen=True)
class Conversion:
    """An amount and its conversion into another currency written next to it."""

    primary: Figure
    converted: Figure
    marker: str  # "(", "soit", "ou", "environ"...

    @property
    def same_currency(self) -> bool:
        return self.primary.currency == self.converted.currency


@dataclass(frozen=True)
class _Rel:
    level: int  # 0 same, 1 same with a remark, 2 same quantity gone wrong, 3 unrelated
    severity: Severity | None = None
    subtype: str = ""
    message: str = ""
    rank: int = 0  # within a level: 0 exact, 1 rounded


_NONE = _Rel(3)


def _fmt_factor(k: int) -> str:
    return f"{10 ** abs(k):,}"


def _closeness(ev: Decimal, fv: Decimal, eulp: Decimal, fulp: Decimal) -> str | None:
    """"exact"; "rounded" (French rounds the English to its own last digit); "bad" (off by under one French
    digit); None."""
    if ev == fv:
        return "exact"
    diff = abs(ev - fv)
    if fulp > eulp:
        if diff * 2 <= fulp:
            return "rounded"
        if diff <= fulp:
            return "bad"
    elif fulp == eulp and eulp < 1 and diff * 2 <= fulp:
        return "rounded"
    return None


def _rel_diff(ev: Decimal, fv: Decimal) -> Decimal:
    if ev == 0:
        return Decimal(0) if fv == 0 else _ONE
    return abs(ev - fv) / abs(ev)


def _rounding_verdict(e: Figure, f: Figure, close: str, ev: Decimal, fv: Decimal) -> _Rel:
    """Whether a rounding is what news copy does (1.26 → 1,3) or a changed figure (3,400 → 3 000)."""
    if close == "exact":
        return _Rel(0, rank=0)
    rel = _rel_diff(ev, fv)
    approx_fr = QUALIFIER_GROUPS.get(f.qualifier or "") == "approx"
    if close == "rounded":
        if f.precision >= 2 or rel <= _TWO_PCT or (approx_fr and rel <= _TEN_PCT):
            return _Rel(0, rank=1)
        sev = Severity.WARNING if (rel <= _FIVE_PCT or approx_fr) else Severity.ERROR
        return _Rel(1 if sev is Severity.WARNING else 2, sev, "Rounding",
                    f"Rounding: {e.text} was rounded to {f.text}, which loses a significant figure.", rank=1)  # fmt: skip
    # "bad": within one French digit but not a correct rounding (1.36 → 1,3)
    if rel > _FIVE_PCT:
        return _Rel(2, Severity.ERROR, "Wrong figure",
                    f"Wrong figure: {e.text} became {f.text} (expected {render_figure(e, with_qualifier=False)}).", rank=2)  # fmt: skip
    proper = (ev / f.ulp).quantize(_ONE, rounding=ROUND_HALF_UP) * f.ulp
    shown = render_figure(replace(e, value=proper, ulp=f.ulp, qualifier=None))
    return _Rel(1, Severity.WARNING, "Rounding", f"Rounding: {e.text} rounds to {shown}, not {f.text}.", rank=2)


# Which side of the figure a qualifier puts the truth: "nearly", "less than" and "up to" all say "not above".
_SIDE = {"about": "approx", "nearly": "below", "less_than": "below", "up_to": "below", "more_than": "above",
         "at_least": "above"}  # fmt: skip
_COMPATIBLE = {frozenset({"approx", "below"})}  # "about" / "près de" is how MT renders "about" too


def _qualifier_remark(e: Figure, f: Figure) -> tuple[Severity, str, str] | None:
    se, sf = _SIDE.get(e.qualifier or ""), _SIDE.get(f.qualifier or "")
    if se == sf or (se and sf and frozenset({se, sf}) in _COMPATIBLE and "nearly" in (e.qualifier, f.qualifier)):
        return None
    if (se is None or sf is None) and ("weak_qualifier" in e.flags or "weak_qualifier" in f.flags):
        return None  # "over 10 years" may be a span of time, not a bound
    ge, gf = QUALIFIER_GROUPS.get(e.qualifier or ""), QUALIFIER_GROUPS.get(f.qualifier or "")
    if se and sf:
        return (Severity.WARNING, "Changed qualifier",
                f"Changed qualifier: '{e.qualifier.replace('_', ' ')}' became '{f.qualifier.replace('_', ' ')}'.")  # fmt: skip
    if ge in ("lower_bound", "upper_bound") and not gf:
        return (Severity.WARNING, "Dropped qualifier",
                f"Dropped qualifier: the English says '{e.qualifier.replace('_', ' ')}', the French gives the figure as exact.")  # fmt: skip
    if gf in ("lower_bound", "upper_bound") and not ge:
        return (Severity.WARNING, "Added qualifier",
                f"Added qualifier: the French says '{f.qualifier.replace('_', ' ')}', the English does not.")  # fmt: skip
    return None  # "about" added or dropped around a rounded figure is normal


def _remarks(e: Figure, f: Figure, base: _Rel) -> _Rel:
    """Add the qualifier / direction / currency remarks to a match that is otherwise fine."""
    if base.level >= 2:
        return base
    found: list[tuple[Severity, str, str]] = []
    if base.severity:
        found.append((base.severity, base.subtype, base.message))
    q = _qualifier_remark(e, f)
    if q:
        found.append(q)
    if e.direction and f.direction and e.direction != f.direction:
        found.append((Severity.WARNING, "Direction",
                      f"Direction: the English says {e.direction}, the French says {f.direction}."))  # fmt: skip
    if e.kind == "amount" and e.currency and not f.currency and f.kind in ("count", "amount"):
        found.append((Severity.INFO, "Missing currency",
                      f"Missing currency: {e.text} lost its currency in the French."))  # fmt: skip
    if e.currency and f.currency and e.currency != f.currency:  # bare dollar vs a named dollar
        found.append((Severity.WARNING, "Dollar unspecified",
                      f"Dollar unspecified: the English says {e.currency}, the French dollar reads as {f.currency}."))  # fmt: skip
    if "ambiguous_separator" in e.flags and "ambiguous_separator" not in f.flags and e.value != f.value:
        found.append((Severity.WARNING, "Ambiguous English figure",
                      f"Ambiguous English figure: {e.text} was read as {f.text}; check the source."))  # fmt: skip
    if not found:
        return base
    found.sort(key=lambda x: -x[0].rank)
    sev, sub, msg = found[0]
    return _Rel(1, sev, sub, msg, rank=base.rank)


def _fr_decimal(v: Decimal) -> str:
    return f"{abs(v).normalize():f}".replace(".", ",")


def _alt_separator(e: Figure, f: Figure, ev: Decimal) -> _Rel | None:
    for alt in f.alt_values:
        if _closeness(ev, abs(alt), e.ulp, e.ulp) == "exact" or abs(alt) == ev:
            if "ambiguous_separator" in f.flags:
                num = re.sub(r"[^\d,.]", "", f.text)
                return _Rel(2, Severity.ERROR, "Separator",
                            f"Separator: {num} keeps the English thousands separator, but in French the comma is the "
                            f"decimal mark (it reads {abs(f.value).normalize():f}); write "
                            f"{render_figure(e, with_qualifier=False)}.")  # fmt: skip
            return _Rel(2, Severity.ERROR, "Separator",
                        f"Separator: {f.text} reads as {f.value.normalize():f} in French, the English means {e.text}.")  # fmt: skip
    return None


# (French magnitude word, English magnitudes, scale factor or None for any, French only, what is wrong)
_FALSE_FRIENDS = (
    ("billion", ("billion", "billions", "bn", "b", "bln"), 3, True,
     "English 'billion' (10^9) was translated as the French 'billion' (10^12): the amount is 1,000 times too large; "
     "French says 'milliard'."),
    ("trillion", ("trillion",), None, True,
     "English 'trillion' (10^12) was translated as the French 'trillion' (10^18): the amount is 1,000,000 times too "
     "large; French says 'billion' or '1 000 milliards'."),
    ("milliard", ("trillion",), None, False,
     "English 'trillion' (10^12) was translated as 'milliard' (10^9): the amount is 1,000 times too small; French says "
     "'billion' or '1 000 milliards'."),
)  # fmt: skip


def _false_friend(e: Figure, f: Figure, em: str, fm: str, k: int) -> str | None:
    """What went wrong when a magnitude slip is the billion/milliard or trillion false friend, else None."""
    for fr_word, en_words, factor, fr_only, what in _FALSE_FRIENDS:
        if fr_only and f.lang != "fr":
            continue
        if fm.startswith(fr_word) and (em in en_words if factor else em.startswith(en_words)) and k == (factor or k):
            return what
    return None


def _magnitude(e: Figure, f: Figure, ev: Decimal, fv: Decimal) -> _Rel | None:
    if ev == 0 or fv == 0:
        return None
    ks = (3, -3, 6, -6, 9, -9, 12, -12)
    if ("subunit" in e.flags) != ("subunit" in f.flags):
        ks = (2, -2) + ks  # "15 cents" → "15 euros"
    for k in ks:
        scaled = ev.scaleb(k)
        if _closeness(scaled, fv, e.ulp.scaleb(k), f.ulp) in ("exact", "rounded") or abs(scaled - fv) <= abs(fv) * Decimal("0.001"):
            em = (e.magnitude or "").lower()
            fm = (f.magnitude or "").lower()
            bigger = "large" if k > 0 else "small"
            friend = _false_friend(e, f, em, fm, k)
            if friend:
                return _Rel(2, Severity.ERROR, "False friend", "False friend: " + friend)
            src = e.magnitude or ("a sub-unit" if "subunit" in e.flags else "the English figure")
            dst = f.magnitude or ("a sub-unit" if "subunit" in f.flags else "no magnitude")
            if abs(k) == 2:
                src, dst = (re.sub(r"^[\d\s.,\u00a0\u202f]+", "", x.text) or x.text for x in (e, f))
            msg = f"Magnitude slip: {src} was translated as {dst}: the amount is {_fmt_factor(k)} times too {bigger}."
            return _Rel(2, Severity.ERROR, "Magnitude slip", msg)
    return None


def _other_reading(e: Figure, f: Figure, fv: Decimal, fulp: Decimal) -> _Rel | None:
    """The French reads an ambiguous English figure the other way ("10.000 million" as ten billion): a warning."""
    for alt in e.alt_values:
        if _closeness(abs(alt), fv, e.ulp, fulp) in ("exact", "rounded"):
            return _Rel(1, Severity.WARNING, "Ambiguous English figure",
                        f"Ambiguous English figure: {e.text} can be read as {alt.normalize():f}; the French "
                        f"reads it so ({f.text}).", rank=1)  # fmt: skip
    return None


def _rel_numeric(e: Figure, f: Figure) -> _Rel:
    ev, fv = abs(e.value), abs(f.value)
    close = _closeness(ev, fv, e.ulp, f.ulp)
    cur_conflict = bool(e.currency and f.currency and e.currency != f.currency)
    soft_dollar = cur_conflict and (
        ({e.currency, f.currency} <= _DOLLARS and ("bare_dollar" in e.flags or "bare_dollar" in f.flags))
        or "bare_cents" in e.flags or "bare_cents" in f.flags  # "83 cents" / "83 centimes d'euro"
    )
    if close and close != "exact" and any(abs(a) == fv for a in e.alt_values):
        close = None  # "10.000 million" / "10.000 millions": the other reading of the English is exact, not rounded
    if close:
        if cur_conflict and not soft_dollar:
            return _Rel(2, Severity.ERROR, "Wrong currency",
                        f"Wrong currency: {e.text} became {f.text} ({e.currency} → {f.currency}).")  # fmt: skip
        if e.kind == "count" and f.kind == "amount" and "currency_inherited" not in f.flags:
            base = _rounding_verdict(e, f, close, ev, fv)
            if base.level < 2:
                return _Rel(1, Severity.INFO, "Added currency",
                            f"Added currency: the French gives {f.text} a currency the English does not state.",
                            rank=base.rank)  # fmt: skip
        return _remarks(e, f, _rounding_verdict(e, f, close, ev, fv))
    amb = _other_reading(e, f, fv, f.ulp)
    if amb:
        return amb
    sep = _alt_separator(e, f, ev)
    if sep:
        return sep
    if not cur_conflict or soft_dollar:
        mag = _magnitude(e, f, ev, fv)
        if mag:
            return mag
    return _NONE


def _pct_value(x: Figure) -> tuple[str, Decimal, Decimal]:
    """(nature, value in percent or percentage points, ulp)."""
    if x.kind == "percent":
        return "pct", abs(x.value), x.ulp
    if x.kind == "ratio":
        return "pct", abs(x.value) * 100, Decimal("0.1")
    if x.kind == "basis_points":
        return "pp", abs(x.value) / 100, x.ulp / 100
    return "pp", abs(x.value), x.ulp


def _rel_pct(e: Figure, f: Figure) -> _Rel:
    ne, ev, eu = _pct_value(e)
    nf, fv, fu = _pct_value(f)
    if "ratio" in (e.kind, f.kind):
        fu = max(fu, Decimal(1)) if f.kind == "percent" else fu
        eu = max(eu, Decimal(1)) if e.kind == "percent" else eu
    close = _closeness(ev, fv, eu, fu)
    if close is None and "ratio" in (e.kind, f.kind) and abs(ev - fv) <= max(eu, fu):
        close = "rounded"  # "two-thirds" → "66 %"
    if ne == nf:
        amb = None if close else _other_reading(e, f, fv, fu)
        if amb:
            return amb
        if close:
            base = _rounding_verdict(e, f, close, ev, fv) if "ratio" not in (e.kind, f.kind) else _Rel(0, rank=1)
            return _remarks(e, f, base)
        alt = _alt_separator(e, f, abs(e.value))
        if alt:
            return alt
        return _NONE
    # percent ↔ points: the same number with the other unit is a wrong figure
    raw_close = _closeness(abs(e.value), abs(f.value), e.ulp, f.ulp)
    if close or raw_close:
        names = {"percent": "percent", "percentage_points": "percentage points", "basis_points": "basis points",
                 "ratio": "a fraction"}  # fmt: skip
        en_name = "points" if e.unit == "points" else names[e.kind]
        fr_name = "points" if f.unit == "points" else names[f.kind]
        return _Rel(2, Severity.ERROR, "Percent vs points",
                    f"Percent vs points: {en_name} became {fr_name} ({e.text} → {f.text}); "
                    f"a change in percentage points is not a change in percent.")  # fmt: skip
    return _NONE


def _parts(x: Figure):
    if x.kind == "year":
        return {"year": int(x.value)}
    d = x.date
    if d is None:
        return {}
    return {k: getattr(d, k) for k in ("year", "month", "day", "weekday") if getattr(d, k) is not None}


_DATE_SUBTYPE = {"weekday": "Wrong weekday", "day": "Wrong day", "month": "Wrong month", "year": "Wrong year"}


def _rel_date(e: Figure, f: Figure) -> _Rel:
    pe, pf = _parts(e), _parts(f)
    common = set(pe) & set(pf)
    if not common:
        return _NONE
    wrong = [k for k in ("weekday", "month", "day", "year") if k in common and pe[k] != pf[k]]
    if not wrong:
        return _Rel(0)
    if e.kind == "year" and f.kind == "year" and ("decade" in e.flags) != ("decade" in f.flags):
        return _NONE
    sub = _DATE_SUBTYPE[wrong[0]]
    if wrong == ["weekday"] and (pf["weekday"] - pe["weekday"]) % 7 == 1 and "night" in e.flags:
        return _Rel(1, Severity.WARNING, sub,
                    f"{sub}: '{e.text} night' became {f.text}; fine only if the French means the night into {f.text}.")  # fmt: skip
    return _Rel(2, Severity.ERROR, sub, f"{sub}: {e.text} became {f.text} (expected {render_figure(e)}).")


def _rel_quarter(e: Figure, f: Figure) -> _Rel:
    if e.unit != f.unit:
        return _NONE
    ye, yf = e.date.year if e.date else None, f.date.year if f.date else None
    if ye and yf and ye != yf:
        return _Rel(2, Severity.ERROR, "Wrong year", f"Wrong year: {e.text} became {f.text}.")
    if e.value != f.value:
        what = "quarter" if e.unit == "quarter" else "half-year"
        return _Rel(2, Severity.ERROR, f"Wrong {what}", f"Wrong {what}: {e.text} became {f.text}.")
    return _Rel(0)


def _rel_time(e: Figure, f: Figure) -> _Rel:
    if e.kind == "time" and f.kind == "quantity" and f.unit == "hour":
        return _Rel(0) if e.value == f.value * 60 else _NONE
    if f.kind == "time" and e.kind == "quantity" and e.unit == "hour":
        return _Rel(0) if f.value == e.value * 60 else _NONE
    if e.kind != "time" or f.kind != "time":
        return _NONE
    ev, fv = int(e.value), int(f.value)
    oe, of = _TZ.get(e.tz or ""), _TZ.get(f.tz or "")
    if oe and of and e.tz != f.tz and set(oe) != set(of):
        if any((ev - a) % 1440 == (fv - b) % 1440 for a in oe for b in of):
            return _Rel(1, Severity.INFO, "Time zone converted",
                        f"Time zone converted: {e.text} was given as {f.text}, which is the same moment.")  # fmt: skip
        if ev == fv:
            return _Rel(2, Severity.ERROR, "Wrong time zone",
                        f"Wrong time zone: {e.text} became {f.text}, which is another moment.")  # fmt: skip
        return _Rel(2, Severity.ERROR, "Wrong time", f"Wrong time: {e.text} became {f.text}.")
    if ev == fv:
        return _Rel(0)
    return _Rel(2, Severity.ERROR, "Wrong time", f"Wrong time: {e.text} became {f.text} (expected {render_figure(e)}).")


def _to_unit(value: Decimal, src: str, dst: str) -> Decimal:
    _, fs, os_ = UNITS[src]
    _, fd, od = UNITS[dst]
    return (value * fs + os_ - od) / fd


def _rel_quantity(e: Figure, f: Figure) -> _Rel:
    if e.unit == f.unit:
        return _rel_numeric(e, f)
    if e.unit not in UNITS or f.unit not in UNITS or UNITS[e.unit][0] != UNITS[f.unit][0]:
        return _NONE
    dim = UNITS[e.unit][0]
    conv = _to_unit(e.value, e.unit, f.unit)
    tol = max(f.ulp / 2, abs(conv) * _TWO_PCT)  # translators truncate as often as they round (2 oz → 56 g)
    if QUALIFIER_GROUPS.get(f.qualifier or "") == "approx" or QUALIFIER_GROUPS.get(e.qualifier or "") == "approx":
        tol = max(tol, abs(conv) * _FIVE_PCT)
    if dim == "temperature":
        tol = max(f.ulp / 2, Decimal("0.6"))
    if dim == "duration":
        tol = max(tol, abs(conv) * _TEN_PCT)  # "two weeks" / "quinze jours"
    if abs(conv - f.value) <= tol:
        if dim in ("duration",):
            return _Rel(0, rank=1)
        return _Rel(1, Severity.INFO, "Unit conversion",
                    f"Unit conversion: {e.text} was converted to {f.text}, which is right.", rank=1)  # fmt: skip
    if abs(e.value) == abs(f.value):
        return _Rel(2, Severity.ERROR, "Unit changed",
                    f"Unit changed: {e.text} became {f.text} without converting the number.")  # fmt: skip
    if dim == "duration":
        return _NONE
    shown = f"{conv.quantize(Decimal(1)) if abs(conv) >= 10 else round(conv, 1)}"
    return _Rel(2, Severity.ERROR, "Wrong unit conversion",
                f"Wrong unit conversion: {e.text} is about {shown} {f.unit}, not {f.text}.")  # fmt: skip


def relate(e: Figure, f: Figure) -> _Rel:
    """How the English figure ``e`` relates to the French figure ``f`` (level 0 same … 3 unrelated)."""
    ek, fk = e.kind, f.kind
    if ek in ("amount", "count") and fk in ("amount", "count"):
        return _rel_numeric(e, f)
    if ek in _PCTS and fk in _PCTS:
        return _rel_pct(e, f)
    if ek in _DATES and fk in _DATES:
        return _rel_date(e, f)
    if ek == "quarter" and fk == "quarter":
        return _rel_quarter(e, f)
    if "time" in (ek, fk):
        return _rel_time(e, f)
    if ek == "quantity" and fk == "quantity":
        return _rel_quantity(e, f)
    if {ek, fk} == {"count", "percentage_points"} and "points" in (e.unit, f.unit) and abs(e.value) == abs(f.value):
        return _Rel(0, rank=1)  # an index level: "closed at 12,078" / "à 12 078 points"
    if {ek, fk} <= {"quantity", "count", "year", "ordinal"}:
        # "aged 45" / "45 ans", "4" / "fourth": the same number without (or with) its unit
        if abs(e.value) == abs(f.value):
            return _Rel(0, rank=1)
        if ek == fk == "ordinal" and e.unit == f.unit == "century":
            return _Rel(2, Severity.ERROR, "Wrong century", f"Wrong century: {e.text} became {f.text}.")
        return _NONE
    if ek == "percent" and fk == "count" and abs(e.value) == abs(f.value) and not f.spelled:
        return _Rel(1, Severity.WARNING, "Missing percent sign",
                    f"Missing percent sign: {e.text} became {f.text}.")  # fmt: skip
    return _NONE


def same_figure(e: Figure, f: Figure) -> bool:
    """True when ``f`` says what ``e`` says (possibly rounded or with a remark), not a wrong figure."""
    return relate(e, f).level <= 1


def _weak(x: Figure) -> bool:
    return "weak" in x.flags


def _small_spelled(x: Figure) -> bool:
    return x.spelled and x.kind == "count" and abs(x.value) <= 12 and not x.magnitude


def _spelled_fraction(x: Figure) -> bool:
    # "half the public" / "la majorité", "halving" / "réduire de moitié": fractions in words come and go in
    # paraphrase; a changed one is still an error (leftovers of one family), a lone one only a warning.
    return x.spelled and x.kind == "ratio"


def _family(x: Figure):
    if x.kind == "amount":
        return ("amount",)
    if x.kind in ("percent", "ratio"):
        return ("pct",)
    if x.kind in ("percentage_points", "basis_points"):
        return ("pp",)
    if x.kind == "quantity":
        return ("qty", UNITS.get(x.unit or "", ("?",))[0])
    if x.kind == "ordinal":
        return None if _weak(x) else ("ordinal", x.unit)
    if x.kind == "count":
        return ("count",)
    return None  # dates, times, quarters: wrong ones are caught as level 2, the rest are dropped/added


def _dateish(x: Figure) -> bool:
    return x.kind in ("date", "year", "quarter", "time")


def compare_figures(
    en: list[Figure],
    fr: list[Figure],
    *,
    en_conversions: list[Conversion] | tuple = (),
    fr_conversions: list[Conversion] | tuple = (),
) -> list[Comparison]:
    """Compare the figures of one aligned pair; returns one :class:`Comparison` per figure (matched or not)."""
    ne, nf = len(en), len(fr)
    rels = [[relate(e, f) for f in fr] for e in en]
    match_e: dict[int, int] = {}
    match_f: dict[int, int] = {}
    out: list[Comparison] = []

    def pos(i: int, n: int) -> float:
        return i / max(1, n - 1) if n > 1 else 0.0

    for level in (0, 1, 2):
        cands = sorted(
            (rels[i][j].rank, abs(pos(i, ne) - pos(j, nf)), i, j)
            for i in range(ne)
            for j in range(nf)
            if rels[i][j].level == level and i not in match_e and j not in match_f
        )
        for _, _, i, j in cands:
            if i in match_e or j in match_f:
                continue
            match_e[i], match_f[j] = j, i
            r = rels[i][j]
            out.append(Comparison(en[i], fr[j], r.severity, r.subtype or "same", r.message, level))
    # leftovers of the same family, in order: a changed figure
    left_e = [i for i in range(ne) if i not in match_e]
    left_f = [j for j in range(nf) if j not in match_f]
    for i in left_e:
        fam = _family(en[i])
        if fam is None:
            continue
        for j in left_f:
            if j in match_f or _family(fr[j]) != fam:
                continue
            e, f = en[i], fr[j]
            if fam == ("amount",) and e.currency and f.currency and e.currency != f.currency:
                continue
            # a repeated figure is not a changed one: leave those to the duplicate rule below
            if any(rels[i2][j].level <= 1 for i2 in range(ne)) or any(rels[i][j2].level <= 1 for j2 in range(nf)):
                continue
            match_e[i], match_f[j] = j, i
            if fam[0] == "ordinal":
                sub = "Wrong century" if e.unit == "century" else "Wrong ordinal"
                msg = f"{sub}: {e.text} became {f.text}."
            else:
                sub = "Wrong figure"
                msg = f"Wrong figure: {e.text} became {f.text} (expected {render_figure(e)})."
            out.append(Comparison(e, f, Severity.ERROR, sub, msg, 3))
            break
    conv_f = {id(c.converted) for c in fr_conversions} | {id(c.primary) for c in fr_conversions}
    conv_en_second = {id(c.converted) for c in en_conversions}
    for i in range(ne):
        if i in match_e:
            continue
        e = en[i]
        if any(rels[i][j].level == 0 for j in range(nf)) or _weak(e):
            continue  # said twice in English, once in French; or "first"/"second" (idioms)
        if id(e) in conv_en_second:
            out.append(Comparison(e, None, Severity.WARNING, "Dropped conversion",
                                  f"Dropped conversion: the English gives {e.text} as a conversion; the French "
                                  "leaves it out.", 4))  # fmt: skip
        else:
            out.append(_unmatched(e, "Dropped", "is not in the French", en=True))
    for j in range(nf):
        if j in match_f:
            continue
        f = fr[j]
        if id(f) in conv_f or _weak(f):
            continue  # a translator's conversion: the conversion check verifies it
        if any(rels[i][j].level == 0 for i in range(ne)):
            continue  # repeated
        out.append(_unmatched(f, "Added", "is not in the English", en=False))
    return out


def _unmatched(x: Figure, verb: str, where: str, *, en: bool) -> Comparison:
    """A figure with no counterpart: "Dropped figure" (English) or "Added figure" (French); info for a small
    spelled number, a warning for a date, an ordinal or a spelled fraction, an error otherwise."""
    if _small_spelled(x):
        sev, sub, shown = Severity.INFO, f"{verb} figure", f"'{x.text}'"
    elif _dateish(x) or x.kind == "ordinal" or _spelled_fraction(x):
        sev, sub, shown = Severity.WARNING, f"{verb} date" if _dateish(x) else f"{verb} figure", f"'{x.text}'"
    else:
        sev, sub, shown = Severity.ERROR, f"{verb} figure", x.text
    msg = f"{sub}: {shown} {where}."
    return Comparison(x, None, sev, sub, msg, 4) if en else Comparison(None, x, sev, sub, msg, 4)


_CONV_GAP_RE = {
    "fr": re.compile(
        r"^[\s\u00a0\u202f,]*(?:\(|\[|—|–|-|\bsoit\b|\bou\b|\bc['’]est-à-dire\b|\bl['’]équivalent de\b|"
        r"\béquivalant à\b)?[\s\u00a0\u202f]*(?:\bsoit\b|\benviron\b|\bquelque\b|\bprès de\b|\bplus de\b|\bl['’]équivalent de\b)?"
        r"[\s\u00a0\u202f]*$",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"^[\s\u00a0\u202f,]*(?:\(|\[|—|–|-|\bor\b|\bi\.e\.|\bequivalent to\b|\bworth\b)?[\s\u00a0\u202f]*"
        r"(?:\babout\b|\baround\b|\broughly\b|\bsome\b|\bnearly\b|\bapproximately\b|\bequivalent to\b)?[\s\u00a0\u202f]*$",
        re.IGNORECASE,
    ),
}


def find_conversions(text: str, figures: list[Figure], lang: str) -> list[Conversion]:
    """Amounts written next to an amount in another currency: "110 milliards de dollars (93,21 milliards d'euros)",
    "1,2 milliard d'euros, soit 1,3 milliard de dollars".  Same-currency pairs joined by "soit" are returned too
    (a likely wrong currency); ``figures`` must be those of ``text``."""
    lang = "fr" if lang.lower().startswith("fr") else "en"
    out: list[Conversion] = []
    amounts = [f for f in figures if f.kind == "amount" and f.currency]
    for a, b in zip(amounts, amounts[1:]):
        if any(a.end <= f.start and f.end <= b.qstart for f in figures if f is not a and f is not b):
            continue
        gap = text[a.end : b.qstart]
        if b.qstart <= a.end or len(gap) > 40 or not _CONV_GAP_RE[lang].match(gap):
            continue
        stripped = gap.strip(" \u00a0\u202f,")
        marker = stripped.split()[0].lower() if stripped.split() else ","
        if a.currency == b.currency:
            if marker in ("soit", "(", "i.e.", "equivalent") and a.value != b.value:
                out.append(Conversion(a, b, marker))
            continue
        if marker in ("-", "–", "—", ",") and "(" not in gap and not b.qualifier:
            continue  # "$5 billion, €3 billion" is a list, not a conversion
        out.append(Conversion(a, b, marker))
    return out
