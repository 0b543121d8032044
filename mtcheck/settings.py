"""Project settings for ``mtcheck report`` and ``mtcheck check``: ``[tool.mtcheck]`` or ``mtcheck.toml``.

The file is searched from the current directory up to the filesystem root; in each directory an
``mtcheck.toml`` wins over a ``pyproject.toml``, and a ``pyproject.toml`` counts only when it has a
``[tool.mtcheck]`` table. Command-line options override the file.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import UsageError

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10 with the tomli backport
    import tomli as tomllib  # type: ignore[no-redef]

SEVERITIES = ("info", "warning", "error")
DEFAULT_BASELINE = "mtcheck-baseline.json"


@dataclass
class Settings:
    """Gate thresholds and check selection; ``None`` means "not set" (the default applies)."""

    max_risk: float | None = None
    min_similarity: float | None = None
    fail_on: tuple[str, ...] = ("error",)
    enabled: list[str] | None = None
    disabled: list[str] = field(default_factory=list)
    conversion_tolerance: float | None = None
    date_window_days: int | None = None  # with --corpus: days before the French article's date to search
    baseline: Path | None = None
    encoder: str | None = None
    mt_model: str | None = None  # back-translation: a model name, a model directory, "auto" or "none"
    model_dir: Path | None = None  # folder searched first for models
    source: Path | None = None  # the file these settings came from

    def override(self, **given: Any) -> Settings:
        """A copy with every option that was given on the command line (not None) replacing the file's."""
        changes = {k: v for k, v in given.items() if v is not None}
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:  # pragma: no cover - a programming error
            raise TypeError(f"unknown setting(s) {sorted(unknown)}")
        out = dataclasses.replace(self, **changes)
        _check_values(out, "the command line")
        return out

    def to_config(self) -> Config:
        """The pipeline configuration these settings ask for."""
        config = Config(enabled=list(self.enabled) if self.enabled is not None else None,
                        disabled=list(self.disabled),
                        mt_model=self.mt_model if self.mt_model not in (None, "none") else None,
                        model_dir=str(self.model_dir) if self.model_dir is not None else None)
        if self.conversion_tolerance is not None:
            config.conversion_tolerance = self.conversion_tolerance
        names = {f.name for f in dataclasses.fields(Config)}
        if self.date_window_days is not None and "date_window_days" in names:
            config.date_window_days = self.date_window_days  # type: ignore[attr-defined]
        return config


# key -> (types accepted, description for error messages)
_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "max_risk": ((int, float), "a number between 0 and 1"),
    "min_similarity": ((int, float), "a number between -1 and 1"),
    "fail_on": ((list, str), "a list of severities (info, warning, error), or [] for never"),
    "enabled": ((list,), "a list of check names"),
    "disabled": ((list,), "a list of check names"),
    "conversion_tolerance": ((int, float), "a number between 0 and 1"),
    "date_window_days": ((int,), "a whole number of days, 0 or more"),
    "baseline": ((str,), "a file path"),
    "encoder": ((str,), "an encoder name or model directory"),
    "mt_model": ((str,), "a MarianMT fr-en model name, a model directory, 'auto' or 'none'"),
    "model_dir": ((str,), "a folder path"),
}


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``mtcheck.toml`` or ``pyproject.toml`` with ``[tool.mtcheck]``, from ``start`` upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "mtcheck.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "mtcheck" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the configuration ({exc.strerror or exc})") from None


def load_settings(path: Path) -> Settings:
    """Settings from one file: ``[tool.mtcheck]`` of a pyproject.toml, else the top level (or ``[tool.mtcheck]``)."""
    data = _read_toml(path)
    table = data.get("tool", {}).get("mtcheck")
    if table is None:
        if path.name == "pyproject.toml":
            raise UsageError(f"{path}: has no [tool.mtcheck] table")
        table = data
    where = f"{path} [tool.mtcheck]" if path.name == "pyproject.toml" or "tool" in data else str(path)
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [tool.mtcheck] must be a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    for key, value in table.items():
        types, what = _KEYS[key]
        if isinstance(value, bool) or not isinstance(value, types):
            raise UsageError(f"{where}: {key} must be {what}, not {value!r}")
    settings = Settings(source=path)
    for key, value in table.items():
        if key == "fail_on":
            value = parse_fail_on(value, where)
        elif key in ("enabled", "disabled"):
            if not all(isinstance(v, str) for v in value):
                raise UsageError(f"{where}: {key} must be {_KEYS[key][1]}")
            value = list(value)
        elif key in ("baseline", "model_dir"):
            value = path.parent / value  # relative to the file that names it, like any project setting
        elif key == "mt_model" and value not in ("auto", "none") and (path.parent / value).is_dir():
            value = str(path.parent / value)  # a model directory next to the settings, not a model name
        elif key in ("max_risk", "min_similarity", "conversion_tolerance"):
            value = float(value)
        setattr(settings, key, value)
    _check_values(settings, where)
    return settings


def parse_fail_on(value: str | list[str], where: str = "--fail-on") -> tuple[str, ...]:
    """Severities that fail the gate: a list, a comma-separated string, or ``never``."""
    items = [v.strip().lower() for v in (value.split(",") if isinstance(value, str) else value)]
    items = [v for v in items if v]
    if items == ["never"]:
        return ()
    bad = [v for v in items if v not in SEVERITIES]
    if bad or not all(isinstance(v, str) for v in items):
        raise UsageError(f"{where}: unknown severity {', '.join(map(str, bad))}; use info, warning, error or never")
    return tuple(s for s in SEVERITIES if s in items)


def _check_values(s: Settings, where: str) -> None:
    def bounded(name: str, lo: float, hi: float) -> None:
        value = getattr(s, name)
        if value is not None and (not math.isfinite(value) or not lo <= value <= hi):
            raise UsageError(f"{where}: {name} must be between {lo:g} and {hi:g}, not {value}")

    bounded("max_risk", 0, 1)
    bounded("min_similarity", -1, 1)
    bounded("conversion_tolerance", 0, 1)
    if s.date_window_days is not None and s.date_window_days < 0:
        raise UsageError(f"{where}: date_window_days must be 0 or more, not {s.date_window_days}")


def check_names(s: Settings) -> None:
    """Refuse enabled/disabled names that no registered check has (a typo would silently skip nothing)."""
    from .checks import available_checks

    known = set(available_checks())
    named = set(s.disabled) | set(s.enabled or [])
    unknown = sorted(named - known)
    if unknown:
        origin = f" (in {s.source})" if s.source else ""
        raise UsageError(f"unknown check(s) {', '.join(unknown)}{origin}; known: {', '.join(sorted(known))}")


def resolve_settings(config_file: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from ``--config FILE`` when given, else the nearest project file, else the defaults."""
    if config_file is not None:
        if not config_file.is_file():
            raise UsageError(f"--config {config_file}: no such file")
        return load_settings(config_file)
    found = find_config(start)
    return load_settings(found) if found else Settings()
