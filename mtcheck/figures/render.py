"""Render a figure the way French news copy writes it, for a finding's ``expected``.

"1,3 milliard de dollars", "4,5 %", "3 000", "0,25 point de pourcentage", "mardi 6 mars", "08h15 GMT".
Number formats, currency names and month/day names come from Babel's CLDR data; only what CLDR does not hold
(news-style short currency names, ordinal words, "milliard" scales) is written here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .extract import UNITS, DateParts, Figure

__all__ = ["render_figure", "format_number", "render_amount", "currency_name", "month_name", "weekday_name"]

_QUAL_FR = {
    "about": "environ", "nearly": "près de", "more_than": "plus de", "at_least": "au moins",
    "less_than": "moins de", "up_to": "jusqu'à",
}  # fmt: skip
# CLDR says "dollars des États-Unis", "yens japonais", "yuans renminbi chinois": news copy says this.
_NEWS_CURRENCY = {
    "USD": ("dollar", "dollars"), "JPY": ("yen", "yens"), "CNY": ("yuan", "yuans"),
    "GBP": ("livre sterling", "livres sterling"),
}  # fmt: skip
_ORD_FR = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", 5: "cinquième", 6: "sixième",
           7: "septième", 8: "huitième", 9: "neuvième", 10: "dixième"}  # fmt: skip
_HALF_FR = {1: "premier", 2: "second"}
_FRACTIONS_FR = {
    Decimal(1) / 2: "la moitié", Decimal(1) / 3: "un tiers", Decimal(2) / 3: "deux tiers", Decimal(1) / 4: "un quart",
    Decimal(3) / 4: "trois quarts", Decimal(1) / 5: "un cinquième", Decimal(1) / 10: "un dixième",
}  # fmt: skip
_UNIT_FR = {
    "km": ("km", "km"), "mile": ("mile", "miles"), "m": ("mètre", "mètres"), "ft": ("pied", "pieds"),
    "ha": ("hectare", "hectares"), "acre": ("acre", "acres"), "km2": ("km²", "km²"), "sqmi": ("mile carré", "miles carrés"),
    "m2": ("m²", "m²"), "sqft": ("pied carré", "pieds carrés"), "kg": ("kg", "kg"), "t": ("tonne", "tonnes"),
    "lb": ("livre", "livres"), "C": ("°C", "°C"), "F": ("°F", "°F"), "l": ("litre", "litres"),
    "gal": ("gallon", "gallons"), "bbl": ("baril", "barils"), "bpd": ("baril par jour", "barils par jour"),
    "kmh": ("km/h", "km/h"), "mph": ("mph", "mph"), "kn": ("nœud", "nœuds"), "kW": ("kW", "kW"), "MW": ("MW", "MW"),
    "GW": ("GW", "GW"), "kWh": ("kWh", "kWh"), "MWh": ("MWh", "MWh"), "GWh": ("GWh", "GWh"), "TWh": ("TWh", "TWh"),
    "year": ("an", "ans"), "month": ("mois", "mois"), "week": ("semaine", "semaines"), "day": ("jour", "jours"),
    "hour": ("heure", "heures"), "min": ("minute", "minutes"), "s": ("seconde", "secondes"),
    "points": ("point", "points"),
}  # fmt: skip
_TZ_FR = {"PARIS": "heure de Paris", "NEW YORK": "heure de New York", "LONDON": "heure de Londres",
          "TOKYO": "heure de Tokyo", "TU": "GMT"}  # fmt: skip
_VOWELS = "aeiouyéèêàâîïôûAEIOUYÉ"


@lru_cache(maxsize=1)
def _locale():
    from babel import Locale

    return Locale.parse("fr")


def _decimals_for(ulp: Decimal | None, scale: Decimal = Decimal(1)) -> int:
    if not ulp:
        return 0
    exp = (ulp / scale).normalize().as_tuple().exponent
    return max(0, -int(exp))


@lru_cache(maxsize=2048)
def format_number(value: Decimal, decimals: int = 0) -> str:
    """``value`` in French digits (Babel/CLDR: "3 000" with a narrow no-break space, "1,25"), ``decimals`` kept."""
    from babel.numbers import format_decimal

    q = Decimal(1).scaleb(-decimals)
    v = Decimal(value).quantize(q, rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(v, format=pattern, locale="fr")


@lru_cache(maxsize=256)
def currency_name(code: str, plural: bool = True) -> str:
    """The French name of a currency as news copy writes it ("dollars", "euros", "francs suisses")."""
    if code in _NEWS_CURRENCY:
        return _NEWS_CURRENCY[code][1 if plural else 0]
    try:
        from babel.numbers import get_currency_name

        return get_currency_name(code, count=2 if plural else 1, locale="fr")
    except Exception:  # pragma: no cover
        return code


def month_name(month: int) -> str:
    """French month name from CLDR ("mars")."""
    return _locale().months["format"]["wide"][month]


def weekday_name(weekday: int) -> str:
    """French weekday name from CLDR (0 = "lundi")."""
    return _locale().days["format"]["wide"][weekday]


def _de(name: str) -> str:
    return ("d'" if name[:1] in _VOWELS else "de ") + name


def render_amount(value: Decimal, currency: str | None, ulp: Decimal | None = None) -> str:
    """"1,3 milliard de dollars", "45 milliards d'euros", "3 000 dollars", "2 millions"."""
    a = abs(value)
    if a >= Decimal(10) ** 9:
        scale, word = Decimal(10) ** 9, "milliard"
    elif a >= Decimal(10) ** 6:
        scale, word = Decimal(10) ** 6, "million"
    else:
        scale, word = Decimal(1), None
    num = value / scale
    d = _decimals_for(ulp, scale) if ulp is not None else _decimals_for(num.normalize())
    text = format_number(num, d)
    plural = abs(num) >= 2
    if word:
        text += " " + word + ("s" if plural else "")
        if currency:
            text += " " + _de(currency_name(currency, True))
        return text
    if currency:
        text += " " + currency_name(currency, plural)
    return text


def _percent(value: Decimal, ulp: Decimal | None) -> str:
    from babel.numbers import format_percent

    d = _decimals_for(ulp) if ulp is not None else 0
    return format_percent(Decimal(value) / 100, format=_percent_pattern(d), locale="fr")


@lru_cache(maxsize=8)
def _percent_pattern(decimals: int) -> str:
    """CLDR's French percent pattern ("#,##0\u00a0%") with ``decimals`` fraction digits."""
    base = _locale().percent_formats[None].pattern
    return base.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""), 1)


def _roman(n: int) -> str:
    out = []
    for v, s in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def render_date(parts: DateParts) -> str:
    """"mardi 6 mars 2026", "1er mars", "juillet 2021", "mardi"."""
    bits = []
    if parts.weekday is not None:
        bits.append(weekday_name(parts.weekday))
    if parts.day is not None:
        bits.append("1er" if parts.day == 1 else str(parts.day))
    if parts.month is not None:
        bits.append(month_name(parts.month))
    if parts.year is not None:
        bits.append(str(parts.year))
    return " ".join(bits)


def _ordinal(n: int) -> str:
    return _ORD_FR.get(n, f"{n}e")


def render_figure(fig: Figure, with_qualifier: bool = True) -> str:
    """The figure as French news copy would write it (the English value, in French)."""
    k = fig.kind
    v = fig.value
    if k == "amount":
        body = render_amount(v, fig.currency, fig.ulp)
    elif k == "count":
        body = render_amount(v, None, fig.ulp)
    elif k == "percent":
        body = _percent(v, fig.ulp)
    elif k == "percentage_points":
        d = _decimals_for(fig.ulp)
        word = "point" if abs(v) < 2 else "points"
        body = f"{format_number(v, d)} {word}" + ("" if fig.unit == "points" else " de pourcentage")
    elif k == "basis_points":
        body = f"{format_number(v, _decimals_for(fig.ulp))} {'point' if abs(v) < 2 else 'points'} de base"
    elif k == "ratio":
        body = _FRACTIONS_FR.get(v) or _percent(v * 100, Decimal(1))
    elif k == "date":
        body = render_date(fig.date or DateParts())
    elif k == "year":
        body = ("exercice " if "fiscal" in fig.flags else "") + str(int(v))
    elif k == "quarter":
        n = int(v)
        body = (f"{_ordinal(n)} trimestre" if fig.unit != "half" else f"{_HALF_FR.get(n, _ordinal(n))} semestre")
        if fig.date and fig.date.year:
            body += f" {fig.date.year}"
        if "fiscal" in fig.flags:
            body += " de l'exercice"
    elif k == "time":
        h, m = divmod(int(v), 60)
        body = f"{h:02d}h{m:02d}"
        if fig.tz:
            body += " " + _TZ_FR.get(fig.tz, fig.tz)
    elif k == "quantity":
        names = _UNIT_FR.get(fig.unit or "", (fig.unit or "", fig.unit or ""))
        body = f"{format_number(v, _decimals_for(fig.ulp))} {names[1] if abs(v) >= 2 else names[0]}".strip()
    elif k == "ordinal":
        n = int(v)
        body = f"{_roman(n)}e siècle" if fig.unit == "century" else _ordinal(n)
    else:  # pragma: no cover - every kind is handled above
        body = str(v)
    if with_qualifier and fig.qualifier in _QUAL_FR:
        body = f"{_QUAL_FR[fig.qualifier]} {body}"
    return body


def unit_dimension(unit: str | None) -> str | None:
    """The physical dimension of a unit code ("km" → "length"), None if unknown."""
    return UNITS[unit][0] if unit in UNITS else None
