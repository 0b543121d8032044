"""Shared fixtures: paths to the demo corpus and the optional shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def encoder():
    """The default offline encoder, loaded once for the whole test session."""
    from mtcheck.encoder import get_encoder

    return get_encoder("use-m3")
