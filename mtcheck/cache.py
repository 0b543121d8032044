"""Where mtcheck keeps what it can rebuild: downloaded rates, back-translations, the encoder's unpacked weights."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$MTCHECK_CACHE_DIR`` (or its older name ``$MTCHECK_CACHE``), else ``${XDG_CACHE_HOME:-~/.cache}/mtcheck``."""
    for var in ("MTCHECK_CACHE_DIR", "MTCHECK_CACHE"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtcheck"
