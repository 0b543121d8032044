"""Find and normalise figures (amounts, counts, percentages, dates, times...) in French and English news text.

:func:`extract_figures` returns :class:`Figure` records with exact :class:`~decimal.Decimal` values, fully scaled
("1,3 milliard" → 1300000000), with the currency, unit, qualifier ("plus de" → ``more_than``), direction (rise/fall)
and the written precision, so that :mod:`mtcheck.figures.compare` can tell a rounding from a wrong figure.

The scan runs in a fixed order, each step claiming characters so that later steps do not re-read them:
masks (URLs, tickers/RICs, phone numbers, caller-given spans) → dates → quarters, half-years and fiscal years →
clock times → labels that carry digits but are not figures (G7, COVID-19, Airbus A320, CAC 40...) → numerals with
their currency/magnitude/percent/unit → spelled-out numbers, fractions and ordinals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from text_to_num import text2num

__all__ = ["DateParts", "Figure", "extract_figures", "KINDS", "QUALIFIER_GROUPS", "UNITS", "CURRENCY_WORDS"]

KINDS = (
    "amount", "count", "percent", "percentage_points", "basis_points", "ratio",
    "date", "year", "quarter", "time", "quantity", "ordinal",
)  # fmt: skip

# Qualifiers that say the same thing for a reader; a change across groups is worth a warning.
QUALIFIER_GROUPS = {
    "about": "approx", "nearly": "approx",
    "more_than": "lower_bound", "at_least": "lower_bound",
    "less_than": "upper_bound", "up_to": "upper_bound",
}  # fmt: skip


@dataclass(frozen=True)
class DateParts:
    """The parts of a date that the text states; None where it does not. ``weekday``: 0 = Monday."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None


@dataclass(frozen=True)
class Figure:
    """One figure as written, normalised.

    ``start``/``end``/``text``: the span in the string given to :func:`extract_figures` (number, magnitude, currency,
    unit; the qualifier is left out of it and starts at ``qstart``).  ``value`` is exact and fully scaled (a percent
    is 4.5 for "4,5 %"; a fraction is a ratio, 0.5 for "la moitié"; a time is minutes after midnight; a date is
    ``yyyymmdd`` with zeros for missing parts, see ``date``).  ``ulp`` is one unit of the last written digit, scaled
    ("1,3 milliard" → 1e8), ``precision`` the significant digits written.  ``alt_values`` hold other readings of an
    ambiguous separator ("1,250" in French reads 1.25; an English writer meant 1250).
    """

    value: Decimal
    kind: str
    start: int
    end: int
    text: str
    lang: str = ""
    currency: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    direction: str | None = None  # "rise" | "fall"
    precision: int = 0
    ulp: Decimal = Decimal(1)
    qstart: int = -1  # start of the qualifier phrase ("plus de"), == start when none
    magnitude: str | None = None  # the magnitude word as written ("milliards", "bn", "billion")
    scale: int = 0  # the power of ten the magnitude applied ("milliard" → 9)
    spelled: bool = False
    alt_values: tuple[Decimal, ...] = ()
    date: DateParts | None = None
    tz: str | None = None
    flags: frozenset[str] = frozenset()

    @property
    def span(self) -> tuple[int, int, str]:
        """(start, end, text) of the figure."""
        return (self.start, self.end, self.text)

    def shifted(self, offset: int) -> "Figure":
        """The same figure with offsets moved by ``offset`` (sentence → article)."""
        return replace(self, start=self.start + offset, end=self.end + offset, qstart=self.qstart + offset)


# --------------------------------------------------------------------------------------------------------------
# Character classes and small helpers

_SPACES = " \u00a0\u202f\u2009"
_W = "[ \u00a0\u202f\u2009]"  # one space of any kind
_L = "A-Za-zÀ-ÖØ-öø-ÿœŒ"  # Latin letters
_NL = f"(?![{_L}])"  # not followed by a letter
_APOS = "['’]"


def _alt(words) -> str:
    """A regex alternation, longest first, each word escaped, spaces matching any space."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        out.append(re.escape(w).replace(r"\ ", _W + "+"))
    return "|".join(out)


# --------------------------------------------------------------------------------------------------------------
# Currencies: symbols, ISO codes and names (Babel's CLDR names plus the short forms news copy uses)

_ISO = (
    "USD", "EUR", "GBP", "JPY", "CHF", "CNY", "CAD", "AUD", "HKD", "NZD", "SGD", "INR", "KRW", "RUB", "SEK",
    "NOK", "DKK", "BRL", "MXN", "ZAR", "TRY", "PLN", "CZK", "HUF", "ILS", "SAR", "AED",
)  # fmt: skip
_DOLLARS = frozenset({"USD", "CAD", "AUD", "HKD", "NZD", "SGD"})

_SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "$US": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "CN¥": "CNY",
    "C$": "CAD", "CA$": "CAD", "$CA": "CAD", "$C": "CAD", "A$": "AUD", "AU$": "AUD", "$AU": "AUD", "HK$": "HKD",
    "NZ$": "NZD", "S$": "SGD", "R$": "BRL", "MX$": "MXN", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY",
}  # fmt: skip
_BARE = frozenset({"$", "dollar", "dollars"})  # a dollar that does not say which

# Names news copy writes that CLDR does not list (CLDR says "dollars des États-Unis", "yens japonais").
_EXTRA_NAMES = {
    "fr": {
        "USD": ["dollars", "dollar", "dollars américains", "dollar américain", "dollars US", "dollars EU",
                "dollars des États-Unis"],
        "EUR": ["euros", "euro"],
        "GBP": ["livres sterling", "livre sterling", "livres", "livre", "sterling"],
        "JPY": ["yens", "yen"],
        "CNY": ["yuans", "yuan", "renminbis", "renminbi", "yuans chinois"],
        "CHF": ["francs suisses", "franc suisse"],
        "CAD": ["dollars canadiens", "dollar canadien"],
        "AUD": ["dollars australiens", "dollar australien"],
        "INR": ["roupies", "roupie"],
        "KRW": ["wons", "won"],
        "RUB": ["roubles", "rouble"],
        "BRL": ["reais", "réaux"],
    },
    "en": {
        "USD": ["dollars", "dollar", "US dollars", "U.S. dollars", "US dollar", "U.S. dollar"],
        "EUR": ["euros", "euro"],
        "GBP": ["pounds sterling", "pounds", "pound", "sterling"],
        "JPY": ["yen"],
        "CNY": ["yuan", "renminbi"],
        "CHF": ["Swiss francs", "Swiss franc"],
        "CAD": ["Canadian dollars", "Canadian dollar"],
        "AUD": ["Australian dollars", "Australian dollar"],
        "INR": ["rupees", "rupee"],
        "KRW": ["won"],
        "RUB": ["roubles", "rubles"],
    },
}
# Sub-units: value / 100 in the parent currency.
_SUBUNITS = {
    "fr": {"centimes d'euro": "EUR", "centimes d’euro": "EUR", "cents d'euro": "EUR", "cents d’euro": "EUR",
           "centimes": "EUR", "centime": "EUR", "cents": "USD", "pence": "GBP", "penny": "GBP",
           "pennies": "GBP"},
    "en": {"euro cents": "EUR", "euro cent": "EUR", "centimes": "EUR", "cents": "USD", "cent": "USD", "pence": "GBP",
           "penny": "GBP", "pennies": "GBP", "p": "GBP"},
}  # fmt: skip


def _babel_currency_names(lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        from babel.numbers import get_currency_name

        for code in _ISO:
            for count in (1, 2):
                name = get_currency_name(code, count=count, locale=lang)
                if name and name != code:
                    names[name] = code
    except Exception:  # pragma: no cover - Babel missing a locale: the hand list still works
        pass
    return names


def _currency_words(lang: str) -> dict[str, str]:
    words = _babel_currency_names(lang)
    for code, lst in _EXTRA_NAMES[lang].items():
        for w in lst:
            words.setdefault(w, code)
    return words


CURRENCY_WORDS = {lang: _currency_words(lang) for lang in ("fr", "en")}
_CUR_WORD_LOOKUP = {lang: {k.lower(): v for k, v in d.items()} for lang, d in CURRENCY_WORDS.items()}

_SYM_ALT = _alt(_SYMBOLS)
_ISO_ALT = "|".join(_ISO)
_PREFIX_CUR_RE = re.compile(rf"(?:(?P<sym>{_SYM_ALT})|(?<![{_L}])(?P<iso>{_ISO_ALT})|(?<![{_L}])(?P<rs>Rs\.?)){_W}?$")
_SUFFIX_SYM_RE = re.compile(rf"{_W}?(?:(?P<sym>{_SYM_ALT})|(?P<iso>{_ISO_ALT}){_NL})")

# --------------------------------------------------------------------------------------------------------------
# Magnitudes.  French "billion" is 10^12 (= English trillion); English "billion" is the French "milliard".

_MAG = {
    "en": {
        "trillion": 12, "trillions": 12, "tn": 12, "trn": 12, "billion": 9, "billions": 9, "bn": 9, "bln": 9,
        "million": 6, "millions": 6, "mln": 6, "mn": 6, "thousand": 3, "thousands": 3,
    },
    "fr": {
        "trillion": 18, "trillions": 18, "billion": 12, "billions": 12, "milliard": 9, "milliards": 9,
        "mds": 9, "mlds": 9, "mld": 9, "mrd": 9, "mrds": 9, "md": 9, "Md": 9, "Mds": 9, "Mrd": 9, "Mrds": 9,
        "million": 6, "millions": 6, "mln": 6, "mlns": 6, "mio": 6, "mille": 3,
    },
}  # fmt: skip
# Single letters: only glued to the number ("5bn", "$5m", "50k") or, in French, to a currency ("5 M€", "2 G$").
_MAG_LETTER = {"en": {"b": 9, "m": 6, "k": 3, "K": 3}, "fr": {"k": 3, "K": 3}}
_MAG_WORD_RE = {
    lang: re.compile(rf"(?P<sp>\+?{_W}?|-)(?P<mag>{_alt(d)}|(?i:{_alt(w for w in d if len(w) > 4)})){_NL}")
    for lang, d in _MAG.items()
}


def _mag_exp(lang: str, word: str) -> int:
    if word.lower() == "milles":
        return 3
    d = _MAG[lang]
    return d[word] if word in d else d[word.lower()]
_MAG_LETTER_RE = {
    "en": re.compile(rf"(?P<mag>[bmkK]){_NL}(?![\d²])"),
    "fr": re.compile(rf"{_W}?(?P<mag2>[kKMG])(?={_W}?(?:€|\$|£|¥|USD|EUR|CHF|GBP|dollars|euros){_NL}|{_W}?(?:€|\$|£|¥))"
                     rf"|(?P<mag>[kK]){_NL}"),
}

# --------------------------------------------------------------------------------------------------------------
# Percent, points, units

_PCT_RE = {
    "fr": re.compile(rf"{_W}?(?:%|pour(?:{_W}|-)?cent{_NL}|pourcents?{_NL}|pct{_NL})"),
    "en": re.compile(rf"(?:{_W}?|-)(?:%|(?i:per){_W}?(?i:cent){_NL}|pct{_NL}(?!{_W}points?))"),
}
_PP_RE = {
    "fr": re.compile(rf"{_W}?(?:points?{_W}de{_W}pourcentage|pts?{_W}de{_W}%|pp|pts?{_W}de{_W}pourcentage){_NL}"),
    "en": re.compile(rf"{_W}?(?:percentage{_W}points?|pct{_W}points?|percent{_W}points?|pp|ppts?){_NL}"),
}
_BP_RE = {
    "fr": re.compile(rf"{_W}?(?:points?{_W}de{_W}base|pdb|pb|bps|bp){_NL}"),
    "en": re.compile(rf"{_W}?(?:basis{_W}points?|base{_W}points|bps|bp|bpts){_NL}"),
}
_POINTS_RE = re.compile(rf"{_W}?(?:points?|pts?){_NL}")

# unit -> (dimension, factor to the SI-ish base unit, offset); temperatures: base is kelvin.
UNITS: dict[str, tuple[str, Decimal, Decimal]] = {
    "km": ("length", Decimal(1000), Decimal(0)),
    "mile": ("length", Decimal("1609.344"), Decimal(0)),
    "m": ("length", Decimal(1), Decimal(0)),
    "ft": ("length", Decimal("0.3048"), Decimal(0)),
    "ha": ("area", Decimal(10000), Decimal(0)),
    "acre": ("area", Decimal("4046.8564224"), Decimal(0)),
    "km2": ("area", Decimal(1000000), Decimal(0)),
    "sqmi": ("area", Decimal("2589988.110336"), Decimal(0)),
    "m2": ("area", Decimal(1), Decimal(0)),
    "sqft": ("area", Decimal("0.09290304"), Decimal(0)),
    "kg": ("mass", Decimal(1), Decimal(0)),
    "g": ("mass", Decimal("0.001"), Decimal(0)),
    "oz": ("mass", Decimal("0.028349523125"), Decimal(0)),
    "t": ("mass", Decimal(1000), Decimal(0)),
    "lb": ("mass", Decimal("0.45359237"), Decimal(0)),
    "C": ("temperature", Decimal(1), Decimal("273.15")),
    "F": ("temperature", Decimal(5) / Decimal(9), Decimal("255.3722222222222222222222222")),
    "l": ("volume", Decimal("0.001"), Decimal(0)),
    "gal": ("volume", Decimal("0.003785411784"), Decimal(0)),
    "bbl": ("volume", Decimal("0.158987294928"), Decimal(0)),
    "bpd": ("oil_flow", Decimal(1), Decimal(0)),
    "kmh": ("speed", Decimal(1) / Decimal("3.6"), Decimal(0)),
    "mph": ("speed", Decimal("0.44704"), Decimal(0)),
    "kn": ("speed", Decimal("0.5144444444444444444444444444"), Decimal(0)),
    "kW": ("power", Decimal(1000), Decimal(0)),
    "MW": ("power", Decimal(10) ** 6, Decimal(0)),
    "GW": ("power", Decimal(10) ** 9, Decimal(0)),
    "kWh": ("energy", Decimal(1000), Decimal(0)),
    "MWh": ("energy", Decimal(10) ** 6, Decimal(0)),
    "GWh": ("energy", Decimal(10) ** 9, Decimal(0)),
    "TWh": ("energy", Decimal(10) ** 12, Decimal(0)),
    "year": ("duration", Decimal(31557600), Decimal(0)),
    "decade": ("duration", Decimal(315576000), Decimal(0)),
    "month": ("duration", Decimal(2629800), Decimal(0)),
    "week": ("duration", Decimal(604800), Decimal(0)),
    "day": ("duration", Decimal(86400), Decimal(0)),
    "hour": ("duration", Decimal(3600), Decimal(0)),
    "min": ("duration", Decimal(60), Decimal(0)),
    "s": ("duration", Decimal(1), Decimal(0)),
    "century": ("century", Decimal(1), Decimal(0)),
}

_UNIT_WORDS = {
    "fr": {
        "km": ["km", "kilomètres", "kilomètre"], "mile": ["miles", "mile", "milles"], "m": ["m", "mètres", "mètre"],
        "ft": ["pieds", "pied"], "ha": ["hectares", "hectare", "ha"], "acre": ["acres", "acre"],
        "km2": ["km²", "km2", "kilomètres carrés", "kilomètre carré"], "sqmi": ["miles carrés"],
        "m2": ["m²", "m2", "mètres carrés", "mètre carré"], "kg": ["kg", "kilos", "kilo", "kilogrammes", "kilogramme"],
        "g": ["grammes", "gramme"], "oz": ["onces", "once"],
        "t": ["tonnes", "tonne"], "lb": ["lb", "lbs"],
        "C": ["°C", "° C", "degrés Celsius", "degré Celsius", "degrés", "degré", "°"],
        "F": ["°F", "° F", "degrés Fahrenheit", "degré Fahrenheit"],
        "l": ["litres", "litre"], "gal": ["gallons", "gallon"],
        "bpd": ["barils par jour", "barils/jour", "barils/j", "b/j", "bpj"], "bbl": ["barils", "baril"],
        "kmh": ["km/h", "km/heure", "kilomètres à l'heure", "kilomètres par heure", "kilomètres/heure"], "mph": ["miles à l'heure", "miles par heure", "mph"],
        "kn": ["nœuds", "noeuds"],
        "kW": ["kW", "kilowatts", "kilowatt"], "MW": ["MW", "mégawatts", "mégawatt"], "GW": ["GW", "gigawatts", "gigawatt"],
        "kWh": ["kWh"], "MWh": ["MWh"], "GWh": ["GWh"], "TWh": ["TWh", "térawattheures"],
        "year": ["ans", "an", "années", "année"], "decade": ["décennies", "décennie"], "month": ["mois"], "week": ["semaines", "semaine"],
        "day": ["jours", "jour"], "hour": ["heures", "heure"], "min": ["minutes", "minute", "min"],
        "s": ["secondes", "seconde"],
    },
    "en": {
        "km": ["km", "kilometres", "kilometers", "kilometre", "kilometer"], "mile": ["miles", "mile"],
        "m": ["metres", "meters", "metre", "meter", "m"], "ft": ["feet", "foot", "ft"],
        "ha": ["hectares", "hectare", "ha"], "acre": ["acres", "acre"],
        "km2": ["km²", "km2", "sq km", "square kilometres", "square kilometers", "square kilometre", "square kilometer"],
        "sqmi": ["square miles", "square mile", "sq miles", "sq mi"],
        "m2": ["m²", "m2", "square metres", "square meters", "sq m"], "sqft": ["square feet", "sq ft"],
        "kg": ["kg", "kilograms", "kilogram", "kilos", "kilo"],
        "g": ["grams", "gram", "grammes"], "oz": ["ounces", "ounce", "oz"], "t": ["tonnes", "tonne", "metric tons", "tons", "ton"],
        "lb": ["lb", "lbs"],
        "C": ["°C", "° C", "degrees Celsius", "degree Celsius", "degrees C", "C"], "F": ["°F", "° F", "degrees Fahrenheit", "degrees F", "F"],
        "l": ["litres", "liters", "litre", "liter"], "gal": ["gallons", "gallon"],
        "bpd": ["barrels per day", "barrels a day", "bpd", "b/d"], "bbl": ["barrels", "barrel", "bbl"],
        "kmh": ["km/h", "kph", "kilometres per hour", "kilometers per hour"], "mph": ["mph", "miles per hour"],
        "kn": ["knots", "knot"],
        "kW": ["kW", "kilowatts", "kilowatt"], "MW": ["MW", "megawatts", "megawatt"], "GW": ["GW", "gigawatts", "gigawatt"],
        "kWh": ["kWh"], "MWh": ["MWh"], "GWh": ["GWh"], "TWh": ["TWh", "terawatt hours"],
        "year": ["years", "year", "yrs", "yr"], "decade": ["decades", "decade"], "month": ["months", "month"], "week": ["weeks", "week"],
        "day": ["days", "day"], "hour": ["hours", "hour", "hrs", "hr"], "min": ["minutes", "minute", "mins", "min"],
        "s": ["seconds", "second"],
    },
}  # fmt: skip
_UNIT_LOOKUP = {lang: {w.lower(): u for u, ws in d.items() for w in ws} for lang, d in _UNIT_WORDS.items()}
# "C"/"F" alone only after a degree sign (handled by the longer "°C"); keep single capitals out of the generic list.
_UNIT_RE = {
    lang: re.compile(
        rf"(?:{_W}?|-)(?P<unit>{_alt(w for w in _UNIT_LOOKUP[lang] if w not in ('c', 'f'))})(?![{_L}²0-9])",
        re.IGNORECASE,
    )
    for lang in ("fr", "en")
}
# Units whose case matters (MW vs mW does not occur in news; "M" alone is a magnitude): matched case-insensitively
# except these, which must be written as listed.
_CASE_UNITS = {"kW", "MW", "GW", "kWh", "MWh", "GWh", "TWh", "m", "t", "ha", "ft", "min"}

_ORD_SUFFIX_RE = {
    "fr": re.compile(rf"(?P<ord>ème|eme|ère|ere|er|re|nde|nd|e|è){_NL}"),
    "en": re.compile(rf"(?P<ord>st|nd|rd|th){_NL}"),
}
_CENTURY_AFTER_RE = re.compile(rf"{_W}*(?:-{_W}*)?(?:siècles?|century|centuries){_NL}", re.IGNORECASE)

# --------------------------------------------------------------------------------------------------------------
# Qualifiers (the phrase just before the figure) and direction words

_QUALIFIERS = {
    "en": {
        "about": ["about", "around", "roughly", "approximately", "some", "an estimated", "circa", "~", "or so"],
        "nearly": ["nearly", "almost", "close to", "just shy of", "just under", "just below"],
        "more_than": ["more than", "over", "above", "upwards of", "in excess of", "just over", "just above", "north of",
                      "older than", "aged over"],
        "at_least": ["at least", "no less than", "a minimum of"],
        "less_than": ["less than", "fewer than", "under", "below", "shy of", "younger than", "aged under"],
        "up_to": ["up to", "as much as", "as many as", "as high as", "a maximum of", "no more than"],
    },
    "fr": {
        "about": ["environ", "quelque", "autour de", "approximativement", "de l'ordre de", "de l’ordre de",
                  "aux alentours de", "grosso modo", "~"],
        "nearly": ["près de", "près d'", "près d’", "presque", "quasiment", "pratiquement"],
        "more_than": ["plus de", "plus d'", "plus d’", "au-delà de", "supérieur à", "supérieure à",
                      "un peu plus de", "largement plus de"],
        "at_least": ["au moins", "pas moins de", "au minimum", "minimum"],
        "less_than": ["moins de", "moins d'", "moins d’", "inférieur à", "inférieure à", "un peu moins de",
                      "sous", "sous les", "sous la barre des", "sous la barre de", "en dessous de", "en deçà de"],
        "up_to": ["jusqu'à", "jusqu’à", "au maximum", "au plus", "pas plus de", "pouvant atteindre",
                  "pouvant aller jusqu'à", "pouvant aller jusqu’à", "allant jusqu'à", "allant jusqu’à"],
    },
}  # fmt: skip
_QUAL_LOOKUP = {
    lang: {re.sub(r"\s+", " ", w.lower()): q for q, ws in d.items() for w in ws} for lang, d in _QUALIFIERS.items()
}
_QUAL_RE = {
    lang: re.compile(rf"(?<![{_L}])(?P<q>{_alt(_QUAL_LOOKUP[lang])})[{_SPACES}]*$", re.IGNORECASE)
    for lang in ("fr", "en")
}

_DIR_WORDS = {
    "en": {
        "rise": r"rose|rise[sn]?|rising|up(?!\s+to\b)|gain(?:ed|s|ing)?|increas(?:e|ed|es|ing)|climb(?:ed|s|ing)?|"
        r"jump(?:ed|s|ing)?|surg(?:e|ed|es|ing)|soar(?:ed|s|ing)?|gr[eo]w(?:s|n|ing)?|higher|advanc(?:e|ed|es|ing)|"
        r"rebound(?:ed|s|ing)?|rall(?:y|ied|ies|ying)|rais(?:e|ed|es|ing)|hik(?:e|ed|es|ing)|boost(?:ed|s|ing)?|"
        r"add(?:ed|s|ing)|spik(?:e|ed|es|ing)|accelerat(?:e|ed|es|ing)",
        "fall": r"fell|fall(?:s|en|ing)?|down|drop(?:ped|s|ping)?|declin(?:e|ed|es|ing)|decreas(?:e|ed|es|ing)|"
        r"lost|los(?:e|es|ing)|slip(?:ped|s|ping)?|slid(?:e|es|ing)?|slump(?:ed|s|ing)?|plung(?:e|ed|es|ing)|"
        r"plummet(?:ed|s|ing)?|tumbl(?:e|ed|es|ing)|sank|sink(?:s|ing)?|lower|shed(?:s|ding)?|shr[aiu]nk(?:s|ing)?|"
        r"contract(?:ed|s|ing)?|cut(?:s|ting)?|dip(?:ped|s|ping)?|retreat(?:ed|s|ing)?|eas(?:e|ed|es|ing)|"
        r"reduc(?:e|ed|es|ing)|slash(?:ed|es|ing)?|slow(?:ed|s|ing)",
    },
    "fr": {
        "rise": r"hausse|haussé|augment\w*|progress\w*|grimp\w*|bondi\w*|bond|gagn\w*|croissance|cr[ûu]\w*|"
        r"accru\w*|accroiss\w*|apprécié\w*|rebond\w*|relev\w*|envol\w*|avancé\w*|accélér\w*|rehauss\w*",
        "fall": r"baisse|baissé\w*|recul\w*|chut\w*|diminu\w*|perd\w*|perdu\w*|repli\w*|cédé\w*|cède\w*|"
        r"dégringol\w*|déprécié\w*|contract\w*|retrait|lâch\w*|abaiss\w*|rédui\w*|réduction|effondr\w*|"
        r"plong\w*|décroch\w*|tomb\w*|glissé\w*|fléchi\w*|ralenti\w*",
    },
}
_DIR_RE = {
    lang: re.compile(rf"(?<![{_L}])(?:(?P<rise>{d['rise']})|(?P<fall>{d['fall']})){_NL}", re.IGNORECASE)
    for lang, d in _DIR_WORDS.items()
}
_DIR_AFTER_RE = {
    "en": re.compile(rf"^{_W}*(?:(?P<rise>higher|up|rise|increase|gain|jump|climb|advance)|"
                     rf"(?P<fall>lower|down|drop|fall|decline|decrease|loss|slide|cut)){_NL}", re.IGNORECASE),
    "fr": re.compile(rf"^{_W}*(?:de{_W}+|en{_W}+)?(?:(?P<rise>hausse|plus|progression|augmentation)|"
                     rf"(?P<fall>baisse|moins|recul|repli|diminution)){_NL}", re.IGNORECASE),
}

# --------------------------------------------------------------------------------------------------------------
# Masks: text that holds digits but no figure

_MASK_RES = [
    re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    # RICs and tickers with digits: 7203.T, 0700.HK, 005930.KS; symbols with a digit and an exchange suffix
    re.compile(r"(?<![\w.])(?:\d{3,6}|[A-Z][A-Z0-9]{0,5}\d[A-Z0-9]*)\.[A-Z]{1,3}\b(?![.\w])"),
    # phone numbers
    re.compile(r"\+\d{1,3}[ .\-\u00a0](?:\(\d{1,4}\)[ .\-\u00a0]?)?\d{1,4}(?:[ .\-\u00a0]\d{2,4}){2,5}\b"),
    re.compile(r"(?<![\d.,])0\d(?:[ .\u00a0]\d{2}){4}(?![\d])"),
    re.compile(r"\(\d{3}\)[ \u00a0]?\d{3}[-. ]\d{4}\b"),
    re.compile(r"(?<![\d.,])\d{3}[-.]\d{3}[-.]\d{4}(?!\d)"),
    # around the clock
    re.compile(rf"(?<![{_L}])(?:World{_W}War{_W}(?:One|Two|I|II|1|2)|(?:Première|Seconde|Deuxième){_W}Guerre{_W}mondiale|"
               rf"(?:First|Second){_W}World{_W}War)(?![{_L}])", re.IGNORECASE),
    # "se mettre sur son 31": to dress up
    re.compile(rf"(?<![{_L}])sur{_W}+(?:son|leur|mon|ton|notre|votre){_W}+31(?!\d)", re.IGNORECASE),
    re.compile(rf"\b24{_W}?/{_W}?7\b|\b24{_W}?h{_W}?/{_W}?24\b|\b7{_W}?j{_W}?/{_W}?7\b|"
               rf"\b24{_W}heures{_W}sur{_W}24\b|\b7{_W}jours{_W}sur{_W}7\b", re.IGNORECASE),
]
# Words after which a number is a name, not a figure (aircraft, products, indexes, legal articles, wars...).
_LABEL_WORDS = (
    "Boeing", "Airbus", "iPhone", "iPad", "Galaxy", "Pixel", "Windows", "Xbox", "PlayStation", "Model", "Falcon",
    "Apollo", "Artemis", "Soyouz", "Soyuz", "Ariane", "Article", "article", "Articles", "articles", "Section",
    "section", "Chapter", "chapitre", "Chapitre", "Rule", "Form", "Title", "Titre", "Flight", "flight", "vol",
    "No.", "no.", "n°", "N°", "Nº", "n °", "numéro", "Numéro", "number", "Number", "paragraph", "Paragraph",
    "paragraphe", "Paragraphe", "alinéa", "Catch", "Formula", "Formule", "Ligue", "COP", "Vision", "Agenda",
    "Industry", "Industrie", "Bâle", "Basel", "Solvency", "Solvabilité", "Level", "level", "niveau", "Phase", "phase",
    "Stage", "Category", "category", "catégorie", "Catégorie", "Tier", "tier", "Ryzen", "Snapdragon", "GPT", "Llama",
    "Gemini", "Claude", "Grok", "Patriot", "MiG", "Euro",
)  # fmt: skip
_LABEL_RE = re.compile(
    rf"(?<![{_L}])(?:{_alt(_LABEL_WORDS)}){_W}?-?{_W}?(?P<num>\d[\w.\-/]*(?:{_W}(?:MAX|Max|Pro|Ultra|Plus|neo|Neo)\b)?)"
)
# Tokens that glue letters and digits: G7, G20, A320, COVID-19, GPT-4o, F-35, MH370, CO2, H5N1.  At least one
# capital letter, so that "top-10" or "la 5e" stay figures.
_TOKEN_RE = re.compile(rf"(?<![\w])(?=[{_L}]*[A-Z])[{_L}]+[-‑]?\d[\w\-‑]*")
_INDEX_RE = re.compile(
    rf"(?<![{_L}])(?:CAC|S{_W}?&{_W}?P|FTSE(?:{_W}MIB)?|Nikkei|Euro{_W}Stoxx|EURO{_W}STOXX|Stoxx|STOXX|M?DAX|IBEX|Ibex|Russell|"
    rf"Kospi|KOSPI|ASX|S&P/ASX|Nifty|Sensex|AEX|SMI|TSX|SBF|MSCI{_W}World)(?:{_W}Europe)?{_W}?"
    rf"(?P<num>40|500|100|250|225|600|50|30|35|2000|200|20|25|60|120|1000|3000)(?!\d)"
)

# --------------------------------------------------------------------------------------------------------------
# Numerals

_NUM_RE = re.compile(
    r"(?<![\w.,])(?:"
    r"(?P<sp>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+)"
    r"|(?P<ap>\d{1,3}(?:['’]\d{3})+)"
    r"|(?P<grd>\d{1,3}(?:\.\d{3})+)"
    r"|(?P<grc>\d{1,3}(?:,\d{3})+)"
    r"|(?P<pl>\d+)"
    r")(?P<dec>[.,]\d+)?(?![\d])"
)


def _digits_info(int_digits: str, frac_digits: str) -> tuple[Decimal, Decimal, int]:
    """(value, ulp, significant digits) of a numeral written with these integer and fraction digits."""
    value = Decimal(f"{int_digits or '0'}.{frac_digits}" if frac_digits else (int_digits or "0"))
    if frac_digits:
        ulp = Decimal(1).scaleb(-len(frac_digits))
        sig = len((int_digits + frac_digits).lstrip("0")) or 1
    else:
        stripped = int_digits.lstrip("0")
        tz = len(stripped) - len(stripped.rstrip("0")) if stripped else 0
        ulp = Decimal(1).scaleb(tz)
        sig = len(stripped.rstrip("0")) or 1
    return value, ulp, sig


def _parse_numeral(m: re.Match, lang: str) -> tuple[Decimal, Decimal, int, tuple, frozenset]:
    """Read a numeral match by the conventions of ``lang``; returns value, ulp, sig digits, other readings, flags."""
    dec = m.group("dec")
    flags: set[str] = set()
    alts: list[tuple[Decimal, Decimal, int]] = []
    if m.group("sp") or m.group("ap"):
        int_digits = re.sub(r"\D", "", m.group("sp") or m.group("ap"))
    elif m.group("grd") or m.group("grc"):
        raw = m.group("grd") or m.group("grc")
        sep = "." if m.group("grd") else ","
        groups = raw.split(sep)
        thousands_sep = "." if lang == "fr" else ","
        if len(groups) == 2 and not dec and sep != thousands_sep:
            # "1,250" in French is 1.25 (an English writer meant 1250); "1.250" in English is 1.25.
            value, ulp, sig = _digits_info(groups[0], groups[1])
            alts.append(_digits_info("".join(groups), ""))
            flags.add("ambiguous_separator")
            return value, ulp, sig, tuple(a[0] for a in alts), frozenset(flags)
        if sep != thousands_sep:
            flags.add("foreign_thousands")
        int_digits = "".join(groups)
        if len(groups) == 2 and sep == thousands_sep and lang == "fr" and not dec:
            alts.append(_digits_info(groups[0], groups[1]))  # "3.000" could be an English 3.0
    else:
        int_digits = m.group("pl")
    frac = ""
    if dec:
        frac = dec[1:]
        if (dec[0] == "." and lang == "fr") or (dec[0] == "," and lang == "en"):
            flags.add("foreign_decimal")
    value, ulp, sig = _digits_info(int_digits, frac)
    return value, ulp, sig, tuple(a[0] for a in alts), frozenset(flags)


# --------------------------------------------------------------------------------------------------------------
# Spelled-out numbers

_EN_NUM_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion trillion"
).split()
_FR_NUM_WORDS = (
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt vingts "
    "trente quarante cinquante soixante cent cents mille million millions milliard milliards"
).split()
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "cent", "cents", "mille", "million",
                "millions", "milliard", "milliards"}  # fmt: skip
_EN_PLURAL_SCALE_RE = re.compile(r"\b(hundred|thousand|million|billion)s\b", re.IGNORECASE)
_BIG_SCALES = {"million", "millions", "billion", "billions", "trillion", "milliard", "milliards"}
_SPELLED_RE = {
    "en": re.compile(
        rf"(?<![{_L}\-])(?:(?P<art>a|an|one){_W}+(?=(?:hundred|thousand|million|billion|trillion){_NL}))?"
        rf"(?P<words>(?:{_alt(_EN_NUM_WORDS)})(?:(?:{_W}+|-|{_W}+and{_W}+)"
        rf"(?:{_alt(_EN_NUM_WORDS + ['hundreds', 'thousands', 'millions', 'billions'])}))*){_NL}",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        rf"(?<![{_L}\-])(?P<words>(?:{_alt(_FR_NUM_WORDS)})"
        rf"(?:(?:{_W}+|-|(?:{_W}+et{_W}+|-et-)(?=(?:un|une|onze){_NL}))(?:{_alt(_FR_NUM_WORDS)}))*){_NL}",
        re.IGNORECASE,
    ),
}
_FR_APPROX_NOUNS = {
    "dizaine": (10, 10), "douzaine": (12, 1), "quinzaine": (15, 5), "vingtaine": (20, 10), "trentaine": (30, 10),
    "quarantaine": (40, 10), "cinquantaine": (50, 10), "soixantaine": (60, 10), "centaine": (100, 100),
    "millier": (1000, 1000),
}  # fmt: skip
_FR_APPROX_RE = re.compile(
    rf"(?<![{_L}])(?:une?|d{_APOS}une?){_W}+(?P<noun>{'|'.join(_FR_APPROX_NOUNS)})"
    rf"(?:{_W}+de{_W}+(?P<scale>milliers|millions|milliards){_NL})?{_NL}",
    re.IGNORECASE,
)
_EN_DOZEN_RE = re.compile(rf"(?<![{_L}])(?:a|one){_W}+dozen{_NL}", re.IGNORECASE)

_FRACTIONS = {
    "en": re.compile(
        rf"(?<![{_L}\-])(?:(?P<one>a|one)[{_SPACES}\-]+(?P<d1>third|quarter|fourth|fifth|tenth)"
        rf"(?={_W}+(?:of|more|less|fewer|higher|lower|larger|smaller|bigger){_NL}|{_W}*[,.;)]|$)"
        rf"|(?P<n>two|three|four|nine)[{_SPACES}\-]+(?P<d2>thirds|quarters|fourths|fifths|tenths)"
        rf"(?!{_W}+of{_W}+(?:(?:this|the|last|next|its|their){_W}+)?(?:fiscal{_W}+)?(?:year|(?:19|20)\d\d))"
        rf"|(?<!first )(?<!second )(?<!1st )(?<!2nd )(?<!the )(?P<half>half)(?![{_L}\-]|{_W}+(?:a|an|year|time|way|hour)\b))",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        rf"(?<![{_L}\-])(?:(?:un|le|du){_W}+(?P<d1>tiers|quart|cinquième|dixième)"
        rf"(?={_W}+(?:de|des|du|d{_APOS}){_NL}|{_W}*[,.;)]|$)(?!{_W}+de{_W}+finale)"
        rf"|(?P<n>deux|trois|quatre|neuf)[{_SPACES}\-]+(?P<d2>tiers|quarts|cinquièmes|dixièmes)"
        rf"(?!{_W}+de{_W}+finale)"
        rf"|(?<!première )(?<!seconde )(?<!deuxième )(?P<half>moitié){_NL})",
        re.IGNORECASE,
    ),
}
_POINT_FRACTION_RE = {
    "en": re.compile(
        rf"(?<![{_L}])(?:(?:a|one)[{_SPACES}\-]+(?P<q>quarter)|(?:a[{_SPACES}\-]+)?(?P<h>half))"
        rf"(?:[{_SPACES}\-]+of)?(?:[{_SPACES}\-]+a)?[{_SPACES}\-]+(?P<pct>percentage[{_SPACES}\-]+)?points?{_NL}",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        rf"(?<![{_L}])(?:un{_W}+(?P<q>quart){_W}+de{_W}+point|une?{_W}+(?P<h>demi)[{_SPACES}\-]*point)"
        rf"(?P<pct>{_W}+de{_W}+pourcentage)?{_NL}",
        re.IGNORECASE,
    ),
}
_HALF_BEFORE_RE = {
    "en": re.compile(r"\b(?:by|in|than|nearly|almost|about|roughly|some|around|over|under|just|fully|only)\s+$", re.IGNORECASE),
    "fr": re.compile(r"(?:\bla|\bde|\bd['’]une?|\bune|\bquasi|\bpresque)\s+$", re.IGNORECASE),
}
_HALF_AFTER_RE = {
    "en": re.compile(r"\s+(?:of|the|its|their|his|her|our|that|those|these)\b", re.IGNORECASE),
    "fr": re.compile(r"\s+(?:de|des|du|d['’])", re.IGNORECASE),
}
_FRAC_DEN = {"third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
             "tiers": 3, "quart": 4, "quarts": 4, "cinquième": 5, "cinquièmes": 5, "dixième": 10, "dixièmes": 10}  # fmt: skip
_SMALL = {"two": 2, "three": 3, "four": 4, "nine": 9, "deux": 2, "trois": 3, "quatre": 4, "neuf": 9}

_ORDINAL_WORDS = {
    "en": {
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
        "twentieth": 20,
    },
    "fr": {
        "premier": 1, "première": 1, "premiers": 1, "premières": 1, "deuxième": 2, "second": 2, "seconde": 2,
        "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
        "dixième": 10, "onzième": 11, "douzième": 12, "treizième": 13, "quatorzième": 14, "quinzième": 15,
        "seizième": 16, "vingtième": 20,
    },
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
         "soixante-dix": 70, "quatre-vingt": 80, "quatre-vingt-dix": 90}  # fmt: skip
_COMPOUND_ORD_RE = {
    "en": re.compile(
        rf"(?<![{_L}\-])(?P<t>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-"
        rf"(?P<u>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth){_NL}",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        rf"(?<![{_L}\-])(?P<t>vingt|trente|quarante|cinquante|soixante-dix|soixante|quatre-vingt-dix|quatre-vingt)"
        rf"(?:-et-|{_W}+et{_W}+|-)(?P<u>unième|onzième|deuxième|troisième|quatrième|cinquième|sixième|septième|"
        rf"huitième|neuvième|dixième|douzième|treizième|quatorzième|quinzième|seizième){_NL}",
        re.IGNORECASE,
    ),
}
_WEAK_ORDINALS = {"first", "second", "premier", "première", "premiers", "premières", "deuxième", "seconde"}
_ORDINAL_RE = {
    lang: re.compile(rf"(?<![{_L}\-])(?P<w>{'|'.join(sorted(d, key=len, reverse=True))})s?{_NL}"
                     rf"(?![{_SPACES}\-]+(?:part(?:y|ies)|world|monde)\b)", re.IGNORECASE)
    for lang, d in _ORDINAL_WORDS.items()
}

# --------------------------------------------------------------------------------------------------------------
# Dates, periods, times


def _month_day_names():
    """Month and weekday names per language, from Babel's CLDR data, plus the forms news copy uses."""
    months: dict[str, dict[str, int]] = {"fr": {}, "en": {}}
    days: dict[str, dict[str, int]] = {"fr": {}, "en": {}}
    try:
        from babel import Locale

        for lang in ("fr", "en"):
            loc = Locale.parse(lang)
            for ctx in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for i, name in loc.months[ctx][width].items():
                        months[lang][name.rstrip(".")] = i
                for i, name in loc.days[ctx]["wide"].items():
                    days[lang][name] = i
    except Exception:  # pragma: no cover
        pass
    months["en"].update({"Sept": 9, "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                         "Oct": 10, "Nov": 11, "Dec": 12})  # fmt: skip
    months["fr"].update({"janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
                         "déc": 12})  # fmt: skip
    # "Mar" (English) is too short to trust alone; "mar." in French is Tuesday.
    months["en"].pop("Mar", None)
    months["en"].pop("May.", None)
    return months, days


_MONTHS, _WEEKDAYS = _month_day_names()
_MON_ALT = {lang: _alt(d) for lang, d in _MONTHS.items()}
_WD_ALT = {lang: _alt(d) for lang, d in _WEEKDAYS.items()}
_FULL_MONTHS = {"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                       "octobre", "novembre", "décembre", "aout", "fevrier", "decembre"},
                "en": {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december"}}  # fmt: skip
_MONTH_LOOKUP = {lang: {k.lower(): v for k, v in d.items()} for lang, d in _MONTHS.items()}
_WD_LOOKUP = {lang: {k.lower(): v for k, v in d.items()} for lang, d in _WEEKDAYS.items()}
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"

_DATE_RES = {
    "fr": [
        re.compile(
            rf"(?<![{_L}])(?:(?P<wd>{_WD_ALT['fr']}){_W}+)?(?P<day>1er|premier|[12]\d|3[01]|0?[1-9]){_W}+"
            rf"(?P<mon>{_MON_ALT['fr']})\.?(?:{_W}+(?P<year>{_YEAR}))?(?![\w])",
            re.IGNORECASE,
        ),
        re.compile(rf"(?<![{_L}])(?P<mon>{_MON_ALT['fr']})\.?{_W}+(?P<year>{_YEAR})(?!\d)", re.IGNORECASE),
    ],
    "en": [
        re.compile(
            rf"(?<![{_L}])(?:(?P<wd>{_WD_ALT['en']}),?{_W}+)?(?P<mon>{_MON_ALT['en']})\.?{_W}+"
            rf"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,.:]\d)(?:,?{_W}+(?P<year>{_YEAR}))?(?![\w])"
        ),
        re.compile(
            rf"(?<![{_L}])(?:(?P<wd>{_WD_ALT['en']}),?{_W}+)?(?:the{_W}+)?(?P<day>[12]\d|3[01]|0?[1-9])"
            rf"(?:st|nd|rd|th)?{_W}+(?:of{_W}+)?(?P<mon>{_MON_ALT['en']})\.?(?:,?{_W}+(?P<year>{_YEAR}))?(?![\w])"
        ),
        re.compile(rf"(?<![{_L}])(?P<mon>{_MON_ALT['en']})\.?,?{_W}+(?P<year>{_YEAR})(?!\d)"),
    ],
}
_NUMDATE_RE = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})(?P<s>[/.])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?![\d/])")
_ISODATE_RE = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])(?![\d])")
_MONTH_ALONE_RE = {
    "fr": re.compile(rf"(?<![{_L}])(?P<mon>{_MON_ALT['fr']})(?![{_L}])", re.IGNORECASE),
    "en": re.compile(rf"(?<![{_L}])(?P<mon>{_alt(k for k in _MONTHS['en'] if len(k) > 3 or k == 'May')})(?![{_L}])"),
}
_WD_ALONE_RE = {
    "fr": re.compile(rf"(?<![{_L}])(?P<wd>{_WD_ALT['fr']})(?![{_L}])", re.IGNORECASE),
    "en": re.compile(rf"(?<![{_L}])(?P<wd>{_WD_ALT['en']})(?![{_L}])"),
}
_NIGHT_AFTER_RE = re.compile(rf"{_W}*(?:night|nuit)(?![{_L}])", re.IGNORECASE)
_MAY_CONTEXT_RE = re.compile(rf"(?:\b(?:in|since|until|till|by|from|early|late|mid|end of|last|next|this|of|during|before|after|through)[{_SPACES}\-]+)$", re.IGNORECASE)

_ORD_EN = r"first|second|third|fourth|1st|2nd|3rd|4th"
_ORD_FR = r"premier|1er|deuxième|second|2e|2ème|2nd|troisième|3e|3ème|quatrième|4e|4ème"
_ORD_NUM = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "premier": 1,
            "première": 1, "1er": 1, "1re": 1, "deuxième": 2, "second": 2, "seconde": 2, "2e": 2, "2ème": 2,
            "2nd": 2, "2nde": 2, "troisième": 3, "3e": 3, "3ème": 3, "quatrième": 4, "4e": 4, "4ème": 4}  # fmt: skip
_YEAR_AFTER = rf"(?:{_W}*(?:of{_W}+|de{_W}+|d{_APOS}|du{_W}+)?(?:(?:fiscal|l{_APOS}exercice|l{_APOS}année){_W}+)?(?P<year>{_YEAR})(?!\d))?"
# "2011/12", "2011-2012": a season or split year, read as its first year
_YEAR_SPAN_RE = re.compile(rf"(?<![\w/.,-])(?P<span1>{_YEAR})(?:/|-|–)(?P<span2>\d{{2}}|{_YEAR})(?!\w|[/.,-]\d|{_W}?%)")
_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
                 "soixante": 60, "soixante-dix": 70, "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90,
                 "quatre-vingts-dix": 90}  # fmt: skip
_PERIOD_RES = {
    "en": [
        re.compile(rf"(?<![\w])Q(?P<q>[1-4])(?:{_W}?(?:'|’|FY)(?P<yy>\d{{2}})(?!\d)|{_W}*(?P<year>{_YEAR})(?!\d))?(?![\w])"),
        re.compile(r"(?<![\w])(?P<q2>[1-4])Q(?P<yy2>\d{2})?(?![\w])"),
        re.compile(rf"(?<![\w])H(?P<h>[12])(?:{_W}?(?:'|’)(?P<yy>\d{{2}})(?!\d)|{_W}*(?P<year>{_YEAR})(?!\d))?(?![\w])"),
        re.compile(r"(?<![\w'’])(?P<decade>1[89]\d0|20\d0)s(?![\w])"),
        re.compile(r"(?<![\w])['’](?P<decade>[2-9]0)['’]?s(?![\w])|(?<![\w'’])(?P<decade2>[2-9]0)['’]s(?![\w])"),
        re.compile(rf"(?<![{_L}])(?:the{_W}+)?(?:nineteen[{_SPACES}\-]+)?['’]?(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties){_NL}", re.IGNORECASE),
        _YEAR_SPAN_RE,
        re.compile(rf"(?<![{_L}])(?:(?P<fy1>fiscal){_W}+)?(?P<qw>{_ORD_EN})[{_SPACES}\-]+(?:(?P<fy2>fiscal){_W}+)?quarter{_NL}{_YEAR_AFTER}", re.IGNORECASE),
        re.compile(rf"(?<![{_L}])(?P<hw>first|second|1st|2nd)[{_SPACES}\-]+half{_NL}{_YEAR_AFTER}", re.IGNORECASE),
        re.compile(rf"(?<![{_L}])(?:fiscal(?:{_W}+year)?|FY){_W}?(?:'|’)?(?P<fy>{_YEAR}|\d{{2}})(?:/(?P<fy_end>\d{{2,4}}))?(?!\d)", re.IGNORECASE),
        re.compile(rf"(?<![\d])(?P<fyb>{_YEAR}){_W}+fiscal{_W}+year\b", re.IGNORECASE),
    ],
    "fr": [
        re.compile(rf"(?<![\w])T(?P<q>[1-4])(?:{_W}?(?:'|’)(?P<yy>\d{{2}})(?!\d)|{_W}*(?P<year>{_YEAR})(?!\d))?(?![\w])"),
        re.compile(rf"(?<![\w])S(?P<h>[12])(?:{_W}?(?:'|’)(?P<yy>\d{{2}})(?!\d)|{_W}*(?P<year>{_YEAR})(?!\d))?(?![\w])"),
        re.compile(rf"(?<![{_L}])années{_W}+(?P<decade>1[89]\d0|20\d0|[2-9]0)(?!\d)", re.IGNORECASE),
        re.compile(rf"(?<![{_L}])années{_W}+(?P<decw>vingt|trente|quarante|cinquante|soixante[{_SPACES}\-]dix|soixante|quatre-vingts?[{_SPACES}\-]dix|quatre-vingts?){_NL}", re.IGNORECASE),
        _YEAR_SPAN_RE,
        re.compile(rf"(?<![{_L}])(?P<qw>{_ORD_FR}){_W}+trimestre{_NL}(?:{_W}+(?:fiscal|de{_W}+l{_APOS}exercice(?:{_W}+fiscal)?))?{_YEAR_AFTER}", re.IGNORECASE),
        re.compile(rf"(?<![{_L}])(?P<hw>premier|1er|second|deuxième|2e|2nd){_W}+semestre{_NL}{_YEAR_AFTER}", re.IGNORECASE),
        re.compile(rf"(?<![{_L}])(?P<hw2>première|deuxième|seconde){_W}+moitié{_NL}{_YEAR_AFTER}", re.IGNORECASE),
        re.compile(rf"(?<![{_L}])(?:exercice|année{_W}+fiscale|exercice{_W}+fiscal|exercice{_W}+budgétaire){_W}+(?P<fy>{_YEAR})(?:{_W}?[/-]{_W}?(?P<fy_end>\d{{2,4}}))?(?!\d)", re.IGNORECASE),
    ],
}  # fmt: skip

_TZ = {
    "GMT": (0,), "UTC": (0,), "TU": (0,), "BST": (60,), "CET": (60,), "HEC": (60,), "CEST": (120,), "HAEC": (120,),
    "ET": (-300, -240), "EST": (-300,), "EDT": (-240,), "HNE": (-300,), "HAE": (-240,), "PT": (-480, -420),
    "PST": (-480,), "PDT": (-420,), "JST": (540,), "HKT": (480,), "SGT": (480,), "PARIS": (60, 120),
    "NEW YORK": (-300, -240), "LONDON": (0, 60), "TOKYO": (540,),
}  # fmt: skip
_TZ_WORDS = (("paris", "PARIS"), ("française", "PARIS"), ("new york", "NEW YORK"), ("l'est", "NEW YORK"),
             ("l’est", "NEW YORK"), ("londres", "LONDON"), ("london", "LONDON"), ("tokyo", "TOKYO"))
_TZ_RE = re.compile(
    rf"(?:{_W}*\(?{_W}*(?P<tz>GMT|UTC|TU|BST|CEST|CET|HAEC|HEC|EST|EDT|ET|HNE|HAE|PST|PDT|PT|JST|HKT|SGT)(?![{_L}])\)?"
    rf"|{_W}*\(?(?P<tzw>heure{_W}+de{_W}+Paris|heure{_W}+française|heure{_W}+de{_W}+New{_W}+York|heure{_W}+de{_W}+l{_APOS}Est"
    rf"|heure{_W}+de{_W}+Londres|heure{_W}+de{_W}+Tokyo|Paris{_W}+time|New{_W}+York{_W}+time|London{_W}+time|Tokyo{_W}+time"
    rf"|heure{_W}+locale|local{_W}+time)\)?)"
)
_TIME_RES = {
    "en": [
        re.compile(rf"(?<![\w.,:])(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?{_W}?(?P<ap>[apAP])(?:\.{_W}?[mM]\.|{_W}?[mM](?![{_L}])|\.{_W}?[mM](?![{_L}]))"),
        # "17.40 pm": a 24-hour clock with a redundant pm
        re.compile(rf"(?<![\w.,:])(?P<h>1[3-9]|2[0-3])[:.](?P<m>[0-5]\d){_W}?[pP]\.?{_W}?[mM]\.?(?![{_L}])"),
        re.compile(r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])"),
        re.compile(rf"(?<![\w.,:])(?P<hm>(?:[01]\d|2[0-3])[0-5]\d)(?={_W}?(?:GMT|UTC|ET|EST|EDT|BST|CET|CEST|JST|HKT|SGT|PT)\b)"),
        # military style after a preposition of time: "arrived around 1530 hours" (not "1500 hours of work")
        re.compile("(?:" + "|".join(rf"(?<=\b{w} )" for w in ("at", "around", "about", "by", "until", "till", "before",
                                                               "after", "from", "since", "to"))
                   + rf")(?P<hm>(?:[01]\d|2[0-3])[0-5]\d)(?={_W}(?:hours|hrs)\b(?!{_W}+of\b))", re.IGNORECASE),
        re.compile(rf"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d){_W}?(?:hrs|hours|h){_NL}|h(?P<m2>[0-5]\d)(?![\w]))"),
        re.compile(rf"(?<![{_L}])(?P<noon>noon|midnight){_NL}", re.IGNORECASE),
    ],
    "fr": [
        re.compile(rf"(?<![\w.,:])(?P<h>[01]?\d|2[0-3]){_W}?h{_W}?(?P<m>[0-5]\d)?(?![\w])"),
        re.compile(rf"(?<![\w.,:])(?P<h>[01]?\d|2[0-3]){_W}+heures?{_W}+(?P<m>[0-5]\d)(?![\w])"),
        re.compile(r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])"),
        re.compile(rf"(?<![\w.,:])(?P<hm>(?:[01]\d|2[0-3])[0-5]\d)(?={_W}?(?:GMT|UTC|TU|HEC|HAEC)\b)"),
        re.compile(rf"(?<![{_L}])(?P<noon>midi|minuit){_NL}", re.IGNORECASE),
    ],
}
_DURATION_H_RE = re.compile(rf"(?<![\w.,])(?P<h>\d{{2,3}}){_W}?h(?![\w])")  # "48h", "72 h": hours, not a clock time

# The word after a bare magnitude that makes it a count ("2 millions d'utilisateurs", "2 million users").
_FR_NOUN_AFTER_RE = re.compile(rf"{_W}+(?:de|d{_APOS}){_W}*(?!plus\b|moins\b|supplémentaires?\b)[{_L}]")
_EN_NOUN_AFTER_RE = re.compile(
    rf"{_W}+(?!(?:more|additional|extra|in|from|to|and|or|over|by|this|last|each|a|an|per|next|later|of|for|on|at|"
    rf"with|was|were|is|are|will|would|has|had|have|worth|plus|while|as|than|after|before|so|since|the|that|which|"
    rf"apiece|each|respectively|euros?|dollars?|pounds?|yen|yuan)\b)[a-z]"
)
_RANGE_RE = re.compile(rf"^{_W}*(?P<c>-|–|—|to|through|à|au|and|et|or|ou){_W}*$", re.IGNORECASE)
_CONV_BEFORE_RE = re.compile(rf"(?:\(|\bsoit|\bou|\bor|\bi\.e\.|\bequivalent{_W}to){_W}*$", re.IGNORECASE)
_BETWEEN_RE = re.compile(rf"(?<![{_L}])(?:between|entre){_W}+$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------------------------
# The scanner


class _Scan:
    """State of one extraction: the text, which characters are already claimed, and the figures found."""

    def __init__(self, text: str, lang: str, exclude: tuple[tuple[int, int], ...]):
        self.text = text
        self.lang = lang
        self.taken = bytearray(len(text))
        self.figs: list[Figure] = []
        for s, e in exclude:
            self.claim(max(0, s), min(len(text), e))

    def free(self, s: int, e: int) -> bool:
        return self.taken.find(1, s, e) == -1

    def claim(self, s: int, e: int) -> None:
        if e > s:
            self.taken[s:e] = b"\x01" * (e - s)

    def add(self, fig: Figure, claim_from: int | None = None) -> None:
        self.figs.append(fig)
        self.claim(fig.start if claim_from is None else claim_from, fig.end)


def _mk(scan: _Scan, kind: str, value, s: int, e: int, **kw) -> Figure:
    kw.setdefault("qstart", s)
    return Figure(value=Decimal(value), kind=kind, start=s, end=e, text=scan.text[s:e], lang=scan.lang, **kw)


def _two_digit_year(yy: str | None, year: str | None) -> int | None:
    if year:
        return int(year)
    if yy:
        return 2000 + int(yy) if int(yy) < 70 else 1900 + int(yy)
    return None


def _add_date(scan: _Scan, s: int, e: int, parts: DateParts, **kw) -> None:
    """A date figure: its value reads YYYYMMDD, with 0 for the parts not given."""
    scan.add(_mk(scan, "date", _date_value(parts), s, e, date=parts, **kw))


def _date_value(parts: DateParts) -> int:
    return (parts.year or 0) * 10000 + (parts.month or 0) * 100 + (parts.day or 0)


def _scan_masks(scan: _Scan) -> None:
    for rx in _MASK_RES:
        for m in rx.finditer(scan.text):
            scan.claim(m.start(), m.end())


def _scan_dates(scan: _Scan) -> None:
    text, lang = scan.text, scan.lang
    for m in _ISODATE_RE.finditer(text):
        if scan.free(m.start(), m.end()):
            _add_date(scan, m.start(), m.end(), DateParts(int(m["y"]), int(m["m"]), int(m["d"])))
    for m in _NUMDATE_RE.finditer(text):
        if not scan.free(m.start(), m.end()):
            continue
        a, b = int(m["a"]), int(m["b"])
        y = _two_digit_year(m["y"] if len(m["y"]) == 2 else None, m["y"] if len(m["y"]) == 4 else None)
        if lang == "en" and a <= 12:
            mo, d = a, b  # 2/27/2026
        else:
            d, mo = a, b  # 27/02/2026
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        _add_date(scan, m.start(), m.end(), DateParts(y, mo, d))
    for rx in _DATE_RES[lang]:
        for m in rx.finditer(text):
            if not scan.free(m.start(), m.end()):
                continue
            mon_word = m["mon"]
            if mon_word.lower() not in _FULL_MONTHS[lang] and text[m.end("mon") : m.end("mon") + 1] != ".":
                if lang == "fr" or mon_word.lower() in ("mar",):
                    continue  # "6 sept ans": seven, not September; French abbreviations carry their dot
            month = _MONTH_LOOKUP[lang].get(mon_word.lower().rstrip("."))
            if month is None:
                continue
            gd = m.groupdict()
            day = gd.get("day")
            day_n = None
            if day:
                day_n = 1 if day.lower() in ("1er", "premier") else int(day)
            year = int(gd["year"]) if gd.get("year") else None
            wd = _WD_LOOKUP[lang].get(gd["wd"].lower()) if gd.get("wd") else None
            _add_date(scan, m.start(), m.end(), DateParts(year, month, day_n, wd))
    # A month alone ("en juillet", "in March"); English "May" only where it cannot be the verb.
    for m in _MONTH_ALONE_RE[lang].finditer(text):
        if not scan.free(m.start(), m.end()):
            continue
        word = m["mon"]
        low = word.lower()
        has_dot = text[m.end() : m.end() + 1] == "."
        if low not in _FULL_MONTHS[lang] and not has_dot:
            continue  # bare abbreviations ("Jan", "oct", "sept" = seven) only with their dot
        if lang == "en" and word == "May" and not _MAY_CONTEXT_RE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if lang == "fr" and word in ("Mars", "Mai"):
            continue  # the planet, or a name; a month written alone is lower case in French
        month = _MONTH_LOOKUP[lang].get(low)
        if month is None:
            continue
        end = m.end() + (1 if has_dot and low not in _FULL_MONTHS[lang] else 0)
        _add_date(scan, m.start(), end, DateParts(None, month, None, None))
    for m in _WD_ALONE_RE[lang].finditer(text):
        if scan.free(m.start(), m.end()):
            wd = _WD_LOOKUP[lang][m["wd"].lower()]
            night = frozenset({"night"}) if _NIGHT_AFTER_RE.match(text, m.end()) else frozenset()
            # a weekday alone reads as its number (0 Monday ... 6 Sunday), not as a YYYYMMDD value
            scan.add(_mk(scan, "date", wd, m.start(), m.end(), date=DateParts(None, None, None, wd), flags=night))


def _scan_periods(scan: _Scan) -> None:
    text = scan.text
    for rx in _PERIOD_RES[scan.lang]:
        for m in rx.finditer(text):
            if not scan.free(m.start(), m.end()):
                continue
            gd = m.groupdict()
            if gd.get("span1"):
                y1, y2 = int(gd["span1"]), int(gd["span2"])
                if y2 < 100:
                    y2 += y1 // 100 * 100
                if y2 != y1 + 1:
                    continue  # "2024-2026" is two years, read one by one
                scan.add(_mk(scan, "year", y1, m.start(), m.end(), date=DateParts(y1), flags=frozenset({"year_span"})))
                continue
            if gd.get("decw"):
                gd["decade"] = str(_DECADE_WORDS[re.sub(rf"[{_SPACES}]+", "-", gd["decw"].lower())])
            if gd.get("decade2"):
                gd["decade"] = gd["decade2"]
            if gd.get("decade"):
                d = int(gd["decade"])
                d = d if d >= 1000 else 1900 + d
                scan.add(_mk(scan, "year", d, m.start(), m.end(), date=DateParts(d), flags=frozenset({"decade"})))
                continue
            year = _two_digit_year(gd.get("yy") or gd.get("yy2"), gd.get("year"))
            flags = frozenset({"fiscal"}) if (gd.get("fy1") or gd.get("fy2") or "exercice" in m.group(0).lower()
                                              or "fiscal" in m.group(0).lower()) else frozenset()  # fmt: skip
            part = _period_part(gd)
            if part:
                unit, n = part
                fig = _mk(scan, "quarter", n, m.start(), m.end(), unit=unit, date=DateParts(year), flags=flags)
            else:
                fy = gd.get("fy") or gd.get("fyb")
                y = int(fy) if len(fy) == 4 else _two_digit_year(fy, None)
                fig = _mk(scan, "year", y, m.start(), m.end(), date=DateParts(y), flags=frozenset({"fiscal"}))
            scan.add(fig)


def _period_part(gd: dict) -> tuple[str, int] | None:
    """("quarter", 1..4) or ("half", 1..2) from a period match, in digits ("Q3", "H1") or words ("third quarter")."""
    for unit, digits, words in (("quarter", ("q", "q2"), ("qw",)), ("half", ("h",), ("hw", "hw2"))):
        num = next((gd[g] for g in digits if gd.get(g)), None)
        word = next((gd[g] for g in words if gd.get(g)), None)
        if num or word:
            return unit, int(num or _ORD_NUM[word.lower()])
    return None


def _scan_times(scan: _Scan) -> None:
    text = scan.text
    for m in _DURATION_H_RE.finditer(text):
        if int(m["h"]) > 23 and scan.free(m.start(), m.end()):
            scan.add(_mk(scan, "quantity", int(m["h"]), m.start(), m.end(), unit="hour", precision=len(m["h"])))
    for rx in _TIME_RES[scan.lang]:
        for m in rx.finditer(text):
            if not scan.free(m.start(), m.end()):
                continue
            gd = m.groupdict()
            if gd.get("noon"):
                minutes = 720 if gd["noon"].lower() in ("noon", "midi") else 0
            elif gd.get("hm"):
                minutes = int(gd["hm"][:2]) * 60 + int(gd["hm"][2:])
            else:
                h = int(gd["h"])
                if gd.get("ap"):
                    h = h % 12 + (12 if gd["ap"].lower() == "p" else 0)
                minutes = h * 60 + int(gd.get("m") or gd.get("m2") or 0)
            end = m.end()
            tz = None
            t = _TZ_RE.match(text, end)
            if t:
                if t["tz"]:
                    tz = t["tz"].upper()
                else:
                    words = re.sub(r"\s+", " ", t["tzw"]).lower()
                    tz = next((code for key, code in _TZ_WORDS if key in words), None)
                end = t.end()
            scan.add(_mk(scan, "time", minutes, m.start(), end, tz=tz, precision=4))


def _scan_labels(scan: _Scan) -> None:
    for rx in (_LABEL_RE, _INDEX_RE):
        for m in rx.finditer(scan.text):
            scan.claim(m.start("num"), m.end("num"))
    for m in _TOKEN_RE.finditer(scan.text):
        scan.claim(m.start(), m.end())
    # Roman-numeral centuries are figures ("XXe siècle"); other Roman numerals are names (Louis XIV).


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CENTURY_RE = {
    "fr": re.compile(rf"(?<![\w])(?P<r>[IVXLC]+)(?:e|ème|er){_W}+siècles?{_NL}"),
    "en": re.compile(rf"(?<![\w])(?P<n>\d{{1,2}})(?:st|nd|rd|th)[{_SPACES}\-]+century{_NL}"),
}


def _roman(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def _scan_centuries(scan: _Scan) -> None:
    for m in _CENTURY_RE[scan.lang].finditer(scan.text):
        if scan.free(m.start(), m.end()):
            n = _roman(m["r"]) if scan.lang == "fr" else int(m["n"])
            scan.add(_mk(scan, "ordinal", n, m.start(), m.end(), unit="century"))


def _qualifier(scan: _Scan, s: int) -> tuple[str | None, int, str]:
    """The qualifier phrase ending just before ``s``: its meaning, where it starts, the words."""
    m = _QUAL_RE[scan.lang].search(scan.text, max(0, s - 40), s)
    if not m:
        return None, s, ""
    key = re.sub(r"\s+", " ", m["q"].lower().replace("\u00a0", " ").replace("\u202f", " "))
    return _QUAL_LOOKUP[scan.lang].get(key), m.start(), key


def _suffix(scan: _Scan, p: int, *, allow_ordinal: bool) -> dict:
    """What follows a number at ``p``: magnitude, currency, percent/points, unit or ordinal mark."""
    text, lang = scan.text, scan.lang
    out: dict = {"end": p, "exp": 0, "mag": None, "currency": None, "kind": None, "unit": None, "sub": False,
                 "bare_cur": False, "ordinal": False}  # fmt: skip
    i = p
    # magnitude (possibly compound: "thousand million", "mille milliards")
    m = _MAG_LETTER_RE["en"].match(text, i) if lang == "en" else None
    if m and scan.free(m.start(), m.end()):
        out["exp"], out["mag"], i = _MAG_LETTER["en"][m["mag"]], m["mag"], m.end()
    else:
        if lang == "fr":
            o = _AUTRES_RE.match(text, i)
            if o and scan.free(o.start(), o.end()):
                i = o.end()
        m = _MAG_WORD_RE[lang].match(text, i) or (_MILLES_RE.match(text, i) if lang == "fr" else None)
        if m and scan.free(m.start(), m.end()):
            out["exp"], out["mag"], i = _mag_exp(lang, m["mag"]), m["mag"], m.end()
            m2 = _MAG_WORD_RE[lang].match(text, i)
            if m2 and out["exp"] == 3 and _mag_exp(lang, m2["mag"]) >= 6:
                out["exp"] += _mag_exp(lang, m2["mag"])
                out["mag"] = f"{out['mag']} {m2['mag']}"
                i = m2.end()
        elif lang == "fr":
            m = _MAG_LETTER_RE["fr"].match(text, i)
            if m and scan.free(m.start(), m.end()):
                mag = m["mag"] or m["mag2"]
                out["exp"], out["mag"], i = {"k": 3, "K": 3, "M": 6, "G": 9}[mag], mag, m.end()
    # currency
    m = _SUFFIX_SYM_RE.match(text, i)
    if m and (m["sym"] or m["iso"]):
        sym = m["sym"] or m["iso"]
        out["currency"] = _SYMBOLS.get(sym, sym)
        out["bare_cur"] = sym == "$"
        out["kind"], i = "amount", m.end()
    else:
        m = _CUR_WORD_RE[lang].match(text, i)
        if m:
            word = re.sub(r"\s+", " ", m["word"].replace("\u00a0", " ").replace("\u202f", " ")).lower()
            sub = _SUB_LOOKUP[lang].get(word)
            if word == "p" and (m.start("word") != i or m.group("word") != "p"):
                sub = None  # "50p" only, glued
            elif sub and out["exp"] == 0:
                out["currency"], out["sub"], out["kind"], i = sub, True, "amount", m.end()
                out["bare_cur"] = word in ("cents", "cent", "centimes", "centime")
            elif not sub:
                code = _CUR_WORD_LOOKUP[lang].get(word)
                if code:
                    out["currency"], out["bare_cur"], out["kind"], i = code, word in _BARE, "amount", m.end()
                    t = _SUFFIX_SYM_RE.match(text, i)  # "dollars US", "$US" after the word
                    if t and t["iso"] in ("USD",):
                        i = t.end()
    if out["kind"] is None:
        for kind, rx in (("basis_points", _BP_RE[lang]), ("percentage_points", _PP_RE[lang]),
                         ("percent", _PCT_RE[lang])):  # fmt: skip
            m = rx.match(text, i)
            if m:
                out["kind"], i = kind, m.end()
                break
        else:
            m = _POINTS_RE.match(text, i)
            if m and out["exp"] == 0:
                out["kind"], out["unit"], i = "percentage_points", "points", m.end()
    if out["kind"] is None and out["exp"] == 0:
        m = _UNIT_RE[lang].match(text, i)
        if m:
            word = m["unit"]
            unit = _UNIT_LOOKUP[lang].get(word.lower().replace("\u00a0", " ").replace("\u202f", " "))
            if unit is None:
                unit = _UNIT_LOOKUP[lang].get(re.sub(r"\s+", " ", word.lower()))
            if unit and (unit not in _CASE_UNITS or word in _UNIT_WORDS[lang][unit] or len(word) > 3):
                if not (lang == "fr" and unit == "m" and m.group(0).startswith("-")):
                    out["kind"], out["unit"], i = "quantity", unit, m.end()
    if out["kind"] is None and out["exp"] == 0 and allow_ordinal:
        m = _ORD_SUFFIX_RE[lang].match(text, i)
        if m and m.start() == p:
            out["kind"], out["ordinal"], i = "ordinal", True, m.end()
            c = _CENTURY_AFTER_RE.match(text, i)
            if c:
                out["unit"], i = "century", c.end()
    out["end"] = i
    return out


# "mille" never takes an s; "milles" is the mile ("à six milles d'Orlando"), but writers also put an s on the
# thousand ("cent milles malades", "60milles travailleurs"): it is the thousand unless a mile's context follows.
_MILLES_RE = re.compile(
    rf"{_W}?(?P<mag>milles)(?![{_L}])(?!{_W}*(?:d{_APOS}|(?:de|du|des|en|à|au|aux|par|marins?|nautiques?|carrés?|"
    rf"plus|moins|environ|seulement)(?![{_L}])))",
    re.IGNORECASE,
)
_AUTRES_RE = re.compile(rf"{_W}+autres(?={_W}+(?:milliards?|millions?){_NL})", re.IGNORECASE)
_CUR_WORD_RE = {
    lang: re.compile(
        rf"(?:{_W}?|-)(?:(?:de|d{_APOS}|of){_W}*)?(?P<word>{_alt(list(CURRENCY_WORDS[lang]) + list(_SUBUNITS[lang]))})"
        rf"(?![{_L}])",
        re.IGNORECASE,
    )
    for lang in ("fr", "en")
}
_SUB_LOOKUP = {lang: {k.lower(): v for k, v in d.items()} for lang, d in _SUBUNITS.items()}


def _prefix_currency(scan: _Scan, s: int) -> tuple[str | None, int, bool]:
    """A currency symbol or code written just before ``s`` ("$", "US$", "€", "EUR "): code, its start, bare-$."""
    m = _PREFIX_CUR_RE.search(scan.text, max(0, s - 6), s)
    if not m or not scan.free(m.start(), s):
        return None, s, False
    sym = m["sym"] or m["iso"] or m["rs"]
    if m["rs"]:
        return "INR", m.start(), False
    return _SYMBOLS.get(sym, sym), m.start(), sym == "$"


_AND_HALF_RE = re.compile(rf"(?:{_W}+|-)and(?:{_W}+|-)(?:a(?:{_W}+|-))?half(?![{_L}])", re.IGNORECASE)
_FR_SCALE_END_RE = re.compile(r"(?:millions?|milliards?)$", re.IGNORECASE)
_ET_DEMI_RE = re.compile(rf"(?:{_W}+fois)?{_W}+et{_W}+demie?s?(?![{_L}\-])", re.IGNORECASE)  # "deux fois et demie"
_DURATIONS = {"year", "decade", "month", "week", "day", "hour", "min", "s"}


def _finish(scan: _Scan, s: int, e: int, value: Decimal, ulp: Decimal, sig: int, *, spelled: bool = False,
            alts: tuple = (), flags: frozenset = frozenset(), allow_ordinal: bool = True) -> Figure | None:
    """Build the figure for a number at [s, e): currency before/after, magnitude, kind, sign, qualifier."""
    text = scan.text
    half = Decimal(0)
    if scan.lang == "en":
        h = _AND_HALF_RE.match(text, e)
        if h:
            half, e = Decimal("0.5"), h.end()  # "two and a half years"
    suf = _suffix(scan, e, allow_ordinal=allow_ordinal and not spelled)
    if scan.lang == "fr" and not half:
        h = _ET_DEMI_RE.match(text, suf["end"])
        scale_end = _FR_SCALE_END_RE.search(text, s, e) if not suf["exp"] else None
        if h and (suf["exp"] or suf["unit"] or suf["currency"] or scale_end or suf["kind"] is None):
            half = Decimal("0.5")  # "2 millions et demi", "deux ans et demi"
            if scale_end:
                half = half.scaleb(_mag_exp("fr", scale_end.group(0)))  # "deux millions et demi": words hold the scale
            suf["end"] = h.end()
    if half:
        value, ulp = value + half, min(ulp, half)
    cur, cstart, bare = _prefix_currency(scan, s)
    start = cstart if cur else s
    kind = suf["kind"]
    currency = suf["currency"] or cur
    bare_cur = suf["bare_cur"] if suf["currency"] else bare
    if cur and suf["currency"] and cur != suf["currency"]:
        currency = suf["currency"]  # "$5 millions de dollars canadiens": the word is more specific
    if cur and kind is None:
        kind = "amount"
    if cur and kind in ("percent", "percentage_points", "basis_points", "quantity"):
        start, currency = s, None  # "€ 5 %": the symbol belonged to something else
    exp = suf["exp"]
    fl = set(flags)
    if bare_cur:
        fl.add("bare_cents" if suf["sub"] else "bare_dollar")
    if suf["sub"]:
        exp -= 2
        fl.add("subunit")
    if exp:
        value = value.scaleb(exp)
        ulp = ulp.scaleb(exp)
        alts = tuple(a.scaleb(exp) for a in alts)
    end = suf["end"]
    if kind == "percent" and scan.lang == "en" and not alts and re.fullmatch(r"\d{1,3},\d{3}", text[s:e]):
        # "5,829%": 5,829 percent is not a rate anyone reports; a writer used to the decimal comma meant 5.829
        alts = (Decimal(text[s:e].replace(",", ".")),)
        fl.add("ambiguous_separator")
    if kind is None:
        if suf["ordinal"]:
            kind = "ordinal"
        elif not exp and not spelled and not alts and ulp >= 1 and 1800 <= value <= 2100 and value == value.to_integral() \
                and len(text[s:e]) == 4:
            kind = "year"
        else:
            kind = "count"
    # A number glued to letters that were not read as a suffix ("5G", "4K", "3D") is a name.
    if end == e and e < len(text) and text[e].isalpha():
        return None
    if end == e and not spelled and e < len(text) and text[e] in "-‑" and e + 1 < len(text) and text[e + 1].isupper():
        return None  # "10-K"
    # sign
    sign_pos = start - 1
    if sign_pos >= 0 and text[sign_pos] in "-−+" and (sign_pos == 0 or text[sign_pos - 1] in _SPACES + "(["):
        if text[sign_pos] in "-−":
            value, alts = -value, tuple(-a for a in alts)
            fl.add("negative")
        else:
            fl.add("positive")
        start = sign_pos
    qual, qstart, qwords = _qualifier(scan, start)
    if qwords in ("over", "under", "some") and suf["unit"] in _DURATIONS:
        fl.add("weak_qualifier")  # "over 10 years" is a span of time as often as a bound
    if qual and kind in ("year", "date", "ordinal"):
        qual = None
    fig = Figure(
        value=value, kind=kind, start=start, end=end, text=text[start:end], lang=scan.lang, currency=currency,
        unit=suf["unit"], qualifier=qual, qstart=qstart if qual else start, precision=sig, ulp=ulp,
        magnitude=suf["mag"], scale=exp + (2 if suf["sub"] else 0), spelled=spelled, alt_values=alts,
        flags=frozenset(fl),
    )
    if suf["unit"] == "century":
        fig = replace(fig, kind="ordinal")
    return fig


def _scan_numerals(scan: _Scan) -> None:
    text = scan.text
    for m in _NUM_RE.finditer(text):
        s, e = m.start(), m.end()
        if not scan.free(s, e):
            continue
        value, ulp, sig, alts, flags = _parse_numeral(m, scan.lang)
        fig = _finish(scan, s, e, value, ulp, sig, alts=alts, flags=flags)
        if fig is None:
            scan.claim(s, e)
            continue
        if not scan.free(fig.start, fig.end):
            # the suffix ran into something already read (a date, a masked token): keep the number alone
            fig = _finish(scan, s, e, value, ulp, sig, alts=alts, flags=flags, allow_ordinal=False)
            if fig is None or not scan.free(fig.start, fig.end):
                scan.claim(s, e)
                continue
        scan.add(fig)


def _spelled_value(words: str, lang: str) -> int | None:
    w = words.replace("\u00a0", " ").replace("\u202f", " ")
    # text2num stops at billion (en) / milliard (fr): "a trillion", "un billion" are 10^12
    big = re.fullmatch(r"(?:(.*?)[\s-]+)?(trillions?|billions?)", w.strip(), re.IGNORECASE)
    if big and (lang == "en") == big.group(2).lower().startswith("trillion"):
        head = _spelled_value(big.group(1), lang) if big.group(1) else 1
        return head * 10**12 if head else None
    try:
        return int(text2num(w, lang))
    except (ValueError, TypeError, IndexError, AssertionError):
        return None


# "neuf" after "de", "à"... is "new" ("rien de neuf", "remis à neuf") unless it counts something after it: "près de
# neuf pour cent", "à neuf heures", "plus de neuf millions" (a plural noun, a percent, a scale).
_NEUF_COUNTS = re.compile(
    r"\s+(?:pour\s*cent|%|(?!(?:dans|depuis|sous|sans|vers|chez|alors|puis|plus|moins|très|mais|jamais|pas|tous|toutes"
    r"|les|des|ses|ces|mes|tes|nos|vos|leurs|aux|ans?\s+plus\s+tôt)\b)[^\W\d_]{2,}[sx]\b)",
    re.IGNORECASE,
)
_NEUF_BAD_BEFORE = re.compile(r"(?:\b(?:à|du|de|le|tout|toute|flambant|état|comme|remis|remise|refait|neuf)\s*)$", re.IGNORECASE)


_FRACTION_SCALE_RE = {
    "en": re.compile(
        rf"(?<![{_L}])(?:(?:a|one)[{_SPACES}\-]+)?(?P<f>half|quarter)(?:[{_SPACES}\-]+of)?(?:[{_SPACES}\-]+an?)?"
        rf"[{_SPACES}\-]+(?:(?P<scale>million|billion|trillion)|(?P<century>century)){_NL}",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        rf"(?<![{_L}])(?:une?|le|du|d{_APOS}une?){_W}+(?P<f>demi|quart)(?:{_W}+de)?[{_SPACES}\-]+"
        rf"(?:(?P<scale>millions?|milliards?)|(?P<century>siècle)){_NL}",
        re.IGNORECASE,
    ),
}
_AND_BEFORE_RE = re.compile(rf"(?:and|et)(?:{_W}+|-)(?:a(?:{_W}+|-))?$", re.IGNORECASE)


# "les Vingt-Sept", "des Quinze", "the Twelve": a group named by its number still counts it
_COUNTED_GROUP_RE = re.compile(rf"(?<![{_L}])(?:les|des|aux|the){_W}+$", re.IGNORECASE)
_CAP_NEXT_RE = re.compile(rf"[{_SPACES}\-]+[A-ZÀ-ÖØ-Þ]")  # "the Three Mile Island accident": a name goes on


def _sentence_initial(text: str, s: int) -> bool:
    """Whether a word at ``s`` is capitalised by its position: text start, after . ! ? : ; a quote or a dash."""
    before = text[:s].rstrip(_SPACES + "\t\n")
    return not before or before[-1] in ".!?:;\"«“'‘(—–-•*"


def _title_case(text: str) -> bool:
    """Whether three in four longer words after the first are capitalised (a headline in title case)."""
    words = re.findall(rf"[{_L}]{{4,}}", text)[1:]
    return len(words) >= 1 and sum(w[0].isupper() for w in words) * 4 >= len(words) * 3


def _spelled_matches(scan: _Scan):
    """Runs of number words on free text.  A run that starts on a word already read ("900 milliards et un
    billion": "milliards" belongs to 900) is tried again after it, so that "un billion" is not lost."""
    text, rx = scan.text, _SPELLED_RE[scan.lang]
    pos = 0
    while True:
        m = rx.search(text, pos)
        if m is None:
            return
        if scan.free(m.start(), m.end()):
            yield m
            pos = m.end()
            continue
        last = max(i for i in range(m.start(), m.end()) if scan.taken[i])
        pos = max(last + 1, m.start() + 1)


def _add_finished(scan: _Scan, m: re.Match, value: Decimal, ulp: Decimal, sig: int, adjust=None) -> None:
    """A spelled number matched by ``m``, read with what surrounds it (:func:`_finish`), kept when its span is free."""
    fig = _finish(scan, m.start(), m.end(), value, ulp, sig, spelled=True)
    if fig and scan.free(fig.start, fig.end):
        scan.add(adjust(fig) if adjust else fig)


def _add_qualified(scan: _Scan, kind: str, value: Decimal, s: int, e: int, **kw) -> None:
    """A spelled figure at [s, e) with the qualifier written before it ("about half", "près d'un quart")."""
    qual, qstart, _ = _qualifier(scan, s)
    scan.add(_mk(scan, kind, value, s, e, spelled=True, qualifier=qual, qstart=qstart, **kw))


def _scan_spelled(scan: _Scan) -> None:
    text, lang = scan.text, scan.lang
    # approximate nouns: "une dizaine", "un millier", "a dozen"
    if lang == "fr":
        for m in _FR_APPROX_RE.finditer(text):
            if not scan.free(m.start(), m.end()):
                continue
            val, ulp = _FR_APPROX_NOUNS[m["noun"].lower()]
            exp = {"milliers": 3, "millions": 6, "milliards": 9}.get((m["scale"] or "").lower(), 0)
            _add_finished(scan, m, Decimal(val).scaleb(exp), Decimal(ulp).scaleb(exp), 1,
                          lambda fig: replace(fig, qualifier=fig.qualifier or "about"))  # fmt: skip
    else:
        for m in _EN_DOZEN_RE.finditer(text):
            if scan.free(m.start(), m.end()):
                _add_finished(scan, m, Decimal(12), Decimal(1), 2)
    # compound ordinals: "thirty-first", "trente-et-unième", "vingt-deuxième"
    for m in _COMPOUND_ORD_RE[lang].finditer(text):
        if scan.free(m.start(), m.end()):
            unit = m["u"].lower()
            n = _TENS[m["t"].lower().replace(" ", "-")] + (1 if unit == "unième" else _ORDINAL_WORDS[lang][unit])
            scan.add(_mk(scan, "ordinal", n, m.start(), m.end(), spelled=True, precision=len(str(n))))
    # "a quarter point", "un demi-point": fractions of a percentage point
    for m in _POINT_FRACTION_RE[lang].finditer(text):
        if scan.free(m.start(), m.end()):
            val = Decimal("0.25") if m["q"] else Decimal("0.5")
            unit = None if m["pct"] else "points"
            _add_qualified(scan, "percentage_points", val, m.start(), m.end(), unit=unit, precision=2,
                           ulp=Decimal("0.01"))  # fmt: skip
    # "half a million", "un demi-million", "un quart de million", "un demi-siècle"
    for m in _FRACTION_SCALE_RE[lang].finditer(text):
        if not scan.free(m.start(), m.end()) or _AND_BEFORE_RE.search(text, max(0, m.start() - 10), m.start()):
            continue
        frac = Decimal("0.25") if m["f"].lower() in ("quarter", "quart") else Decimal("0.5")
        if m["century"]:
            _add_qualified(scan, "quantity", 100 * frac, m.start(), m.end(), unit="year", precision=2)
            continue
        exp = _MAG_EXP_LANG[lang].get(m["scale"].lower(), 3)
        _add_finished(scan, m, frac.scaleb(exp), frac.scaleb(exp), 2,
                      lambda fig, m=m, exp=exp: replace(fig, magnitude=m["scale"], scale=exp))  # fmt: skip
    # fractions
    for m in _FRACTIONS[lang].finditer(text):
        if not scan.free(m.start(), m.end()):
            continue
        fl = frozenset()
        if m["half"] and _AND_BEFORE_RE.search(text, max(0, m.start() - 10), m.start()):
            continue  # "two and a half million": the half belongs to the number
        if m["half"]:
            val = Decimal("0.5")
            before = text[max(0, m.start() - 12) : m.start()]
            after = text[m.end() : m.end() + 8]
            if not (_HALF_BEFORE_RE[lang].search(before) or _HALF_AFTER_RE[lang].match(after)):
                fl = frozenset({"weak"})  # "my other half", "à moitié vide": idioms, never reported alone
        elif m["d1"]:
            val = Decimal(1) / Decimal(_FRAC_DEN[m["d1"].lower()])
        else:
            val = Decimal(_SMALL[m["n"].lower()]) / Decimal(_FRAC_DEN[m["d2"].lower()])
        _add_qualified(scan, "ratio", val, m.start(), m.end(), precision=3, ulp=Decimal("0.001"), flags=fl)
    # number words
    for m in _spelled_matches(scan):
        s = m.start()
        wstart = m.start("words")
        toks = [(t.group(0).lower(), wstart + t.start(), wstart + t.end())
                for t in re.finditer(r"[^\s\-\u00a0\u202f]+", m["words"])]  # fmt: skip
        # A capitalised number word inside a sentence is part of a name: Three Mile Island, the Illhaeusern
        # Eleven, "un Onze illhousien"; title-case headlines capitalise everything and keep their figures.
        caps = [k for k, t in enumerate(toks) if text[t[1]].isupper()]
        group = _COUNTED_GROUP_RE.search(text, max(0, s - 6), s) and not _CAP_NEXT_RE.match(text, toks[-1][2])
        if caps and not _title_case(text) and not group:
            if caps[0] == 0 and not _sentence_initial(text, s):
                continue
            cut = next((k for k in caps if k > 0), None)
            if cut is not None:
                toks = toks[:cut]
        art = lang == "en" and bool(m["art"])
        first = toks[0][0]
        # "un", "une", "one" alone are articles or pronouns; a scale word alone ("des millions") is vague
        lone_one = len(toks) == 1 and first in ("un", "une", "one") and not art
        if len(toks) == 1 and first in ("zero", "zéro"):
            continue
        if first in _BIG_SCALES and not art:
            continue
        if lang == "en" and len(toks) == 1 and first in ("hundred", "thousand") and not art:
            continue  # "several hundred": vague
        if lang == "fr":
            if first in ("cent", "cents") and re.search(r"pour\s*$", text[max(0, s - 6) : s], re.IGNORECASE):
                continue
            if first == "cents":
                continue
            if len(toks) == 1 and first == "neuf" and (
                _NEUF_BAD_BEFORE.search(text[max(0, s - 12) : s]) or not re.match(rf"{_W}+[\w]", text[m.end() : m.end() + 3])
            ) and not _NEUF_COUNTS.match(text[m.end() :]):
                continue
        if len(toks) > 1 and toks[0][0] in ("un", "une") and _spelled_value(m["words"], lang) is None:
            # "un cinq pour cent": an article before the number, not "un" as part of it
            toks = toks[1:]
            s = wstart = toks[0][1]
            lone_one = False
        value = None
        end = toks[-1][2]
        for k in range(len(toks), 0, -1):
            if toks[k - 1][0] in ("and", "et"):
                continue
            words = text[wstart : toks[k - 1][2]]
            if lang == "en":
                words = _EN_PLURAL_SCALE_RE.sub(lambda x: x.group(1), words)  # "five thousands" (non-native)
            value = _spelled_value(("one " + words) if art else words, lang)
            if value is not None:
                end = toks[k - 1][2]
                if k == 1 and toks[0][0] in ("un", "une", "one") and not art:
                    lone_one = True  # "un Onze": the article is all that is left
                break
        if value is None:
            continue
        _, ulp, sig = _digits_info(str(value), "")
        scale_tok = next((t[0] for t in reversed(toks) if t[2] <= end and t[0] in _SCALE_WORDS), None)
        fig = _finish(scan, s, end, Decimal(value), ulp, sig, spelled=True)
        if fig is None or not scan.free(fig.start, fig.end):
            continue
        if lone_one and not (
            fig.kind in ("percent", "basis_points") or (fig.kind == "percentage_points" and not fig.unit)
            or fig.magnitude or fig.value != 1
        ):
            continue  # "one of", "l'un des", "un an": an article or a pronoun, unless a unit makes it a figure
        if scale_tok and not fig.magnitude:
            fig = replace(fig, magnitude=scale_tok, scale=_MAG_EXP_LANG[lang].get(scale_tok, 0))
        scan.add(fig)
    # ordinals written out ("fourth", "quatrième"); first/second are weak (idioms), never flagged alone
    for m in _ORDINAL_RE[lang].finditer(text):
        if not scan.free(m.start(), m.end()):
            continue
        w = m["w"].lower()
        n = _ORDINAL_WORDS[lang][w]
        end = m.end()
        unit = None
        c = _CENTURY_AFTER_RE.match(text, end)
        if c:
            unit, end = "century", c.end()
        fl = frozenset({"weak"}) if w in _WEAK_ORDINALS else frozenset()
        scan.add(_mk(scan, "ordinal", n, m.start(), end, unit=unit, spelled=True, precision=len(str(n)), flags=fl))


def _post_ranges(scan: _Scan, figs: list[Figure]) -> list[Figure]:
    """"3 à 4 %", "$1-2 billion", "between 20 and 30 million": the first number takes the second's unit."""
    text = scan.text
    out = list(figs)
    for i in range(len(out) - 1, 0, -1):
        a, b = out[i - 1], out[i]
        # "du 16 au 20 novembre", "November 16 to 20": the bare day takes the month
        if {a.kind, b.kind} == {"count", "date"} and _RANGE_RE.match(text[a.end : b.qstart]):
            d, n = (b, a) if a.kind == "count" else (a, b)
            if d.date and d.date.day and d.date.month and n.value == n.value.to_integral() and 1 <= n.value <= 31 \
                    and not n.magnitude and not n.spelled:  # fmt: skip
                parts = DateParts(d.date.year, d.date.month, int(n.value), None)
                out[out.index(n)] = replace(n, kind="date", value=Decimal(_date_value(parts)), date=parts,
                                            flags=n.flags | {"range"})  # fmt: skip
                continue
        # "from 7 to 9 a.m.", "entre 7 et 9h": the bare hour takes the clock of the time after it
        if a.kind == "count" and b.kind == "time" and _RANGE_RE.match(text[a.end : b.qstart]) and not a.magnitude \
                and a.value == a.value.to_integral() and 0 <= a.value <= 23:  # fmt: skip
            h = int(a.value)
            if b.value >= 720 and h < 12 and (h + 12) * 60 <= b.value:
                h += 12
            out[i - 1] = replace(a, kind="time", value=Decimal(h * 60), tz=b.tz, precision=4, flags=a.flags | {"range"})
            continue
        if a.kind not in ("count", "amount") or a.magnitude or a.spelled != b.spelled and not b.magnitude:
            continue
        if b.kind in ("year", "date", "time", "ordinal", "quarter") or (b.kind == "count" and not b.magnitude):
            continue
        gap = text[a.end : b.qstart]
        rm = _RANGE_RE.match(gap)
        if not rm:
            continue
        if rm["c"].lower() in ("and", "et") and not _BETWEEN_RE.search(text, max(0, a.qstart - 12), a.qstart):
            continue  # "over 65 and 20%" is two figures; "between 20 and 30 million" is a range
        if a.kind == "amount":
            # "$1-2 billion": the first takes the magnitude, the second the currency; "$5 and 10%" takes nothing
            if not b.magnitude or b.kind not in ("amount", "count") or (b.currency and b.currency != a.currency):
                continue
            out[i] = replace(b, kind="amount", currency=a.currency, flags=b.flags | (a.flags & {"bare_dollar"}))
            b = out[i]
        val, ulp, alts = a.value, a.ulp, a.alt_values
        if b.scale and not a.scale and abs(a.value) < 1000:
            val, ulp, alts = val.scaleb(b.scale), ulp.scaleb(b.scale), tuple(x.scaleb(b.scale) for x in alts)
        out[i - 1] = replace(a, kind=b.kind, currency=a.currency or b.currency, unit=b.unit, value=val, ulp=ulp,
                             alt_values=alts, magnitude=b.magnitude, scale=b.scale,
                             flags=a.flags | {"range"} | (b.flags & {"bare_dollar"}))  # fmt: skip
    return out


_MAG_EXP_LANG = {lang: {**_MAG[lang], **_MAG_LETTER[lang], "M": 6, "G": 9} for lang in ("fr", "en")}


def _post_inherit_currency(scan: _Scan, figs: list[Figure]) -> list[Figure]:
    """"15 milliards de dollars, suivi de 35 milliards supplémentaires": the second amount is in dollars too."""
    text = scan.text
    out = list(figs)
    last_cur = None
    noun_re = _FR_NOUN_AFTER_RE if scan.lang == "fr" else _EN_NOUN_AFTER_RE
    for i, f in enumerate(out):
        converted = bool(_CONV_BEFORE_RE.search(text, max(0, f.qstart - 12), f.qstart))
        if f.currency:
            if not converted:
                last_cur = f.currency  # a converted amount in brackets does not set the sentence's currency
            continue
        if f.kind == "count" and f.magnitude and last_cur and not converted and not noun_re.match(text, f.end):
            out[i] = replace(f, kind="amount", currency=last_cur, flags=f.flags | {"currency_inherited"})
    return out


def _rise_or_fall(m: re.Match | None) -> str | None:
    return None if m is None else "rise" if m["rise"] else "fall"


def _post_direction(scan: _Scan, figs: list[Figure]) -> list[Figure]:
    """Rise or fall, where the words next to the figure say so ("en hausse de 3 %", "fell 3%", "-1,29 %")."""
    text, lang = scan.text, scan.lang
    out = list(figs)
    prev_end = 0
    for i, f in enumerate(out):
        direction = None
        if "negative" in f.flags:
            direction = "fall"
        elif "positive" in f.flags:
            direction = "rise"
        elif f.kind in ("amount", "count", "percent", "percentage_points", "basis_points", "ratio", "quantity"):
            lo = max(prev_end, f.qstart - 60)
            window = text[lo : f.qstart]
            last = None
            for m in _DIR_RE[lang].finditer(window):
                last = m
            if last is not None:
                between = window[last.end() :]
                if len(re.findall(rf"[{_L}\d]+", between)) <= 4 and not re.search(r"[;:!?]", between):
                    direction = _rise_or_fall(last)
            if direction is None:
                direction = _rise_or_fall(_DIR_AFTER_RE[lang].match(text, f.end))
        if direction:
            out[i] = replace(f, direction=direction)
        prev_end = f.end
    return out


@lru_cache(maxsize=4096)
def _extract_cached(text: str, lang: str, exclude: tuple[tuple[int, int], ...]) -> tuple[Figure, ...]:
    figs = _extract_plain(text, lang, exclude)
    # "$300+ billion": a plus sign between the number and its magnitude means "more than"
    return tuple(replace(f, qualifier="more_than") if f.qualifier is None and _PLUS_MAG.search(f.text) else f
                 for f in figs)  # fmt: skip


_PLUS_MAG = re.compile(r"\d\+[ \u00a0\u202f]?[^\W\d_]")


def _extract_plain(text: str, lang: str, exclude: tuple[tuple[int, int], ...]) -> tuple[Figure, ...]:
    scan = _Scan(text, lang, exclude)
    _scan_masks(scan)
    _scan_dates(scan)
    _scan_periods(scan)
    _scan_times(scan)
    _scan_centuries(scan)
    _scan_labels(scan)
    _scan_numerals(scan)
    _scan_spelled(scan)
    figs = sorted(scan.figs, key=lambda f: f.start)
    figs = _post_ranges(scan, figs)
    figs = _post_inherit_currency(scan, figs)
    figs = _post_direction(scan, figs)
    return tuple(figs)


def extract_figures(text: str, lang: str, exclude=()) -> list[Figure]:
    """All figures in ``text`` (``lang``: "fr" or "en"), in order; ``exclude``: (start, end) spans to skip (tickers).

    Offsets are relative to ``text``.  Results are cached per (text, lang, exclude).
    """
    lang = "fr" if lang.lower().startswith("fr") else "en"
    excl = tuple(sorted((int(s), int(e)) for s, e in exclude))
    return list(_extract_cached(text, lang, excl))
