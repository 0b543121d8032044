"""mtcheck: a translation-quality checker for machine-translated French wire copy."""

from __future__ import annotations

__version__ = "0.1.0"

from .pipeline import score_pair, score_files  # noqa: E402

__all__ = ["__version__", "score_pair", "score_files"]
