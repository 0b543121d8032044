"""Checks: each a small function ``check_x(ctx) -> Iterable[Finding]`` whose docstring says what it catches.

Checks register themselves with :func:`register`; :func:`run_checks` runs the enabled ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..config import Config
from ..records import AlignedPair, Article, Finding, Sentence


@dataclass
class CheckContext:
    """Everything a check may look at: both articles, their sentences, the alignment and the configuration."""

    fr: Article
    en: Article | None
    fr_sentences: list[Sentence]
    en_sentences: list[Sentence]
    pairs: list[AlignedPair]
    config: Config
    notes: dict[str, str] = field(default_factory=dict)  # signature facts a check reports (e.g. rates date)
    encoder: Any = None  # the pipeline's sentence encoder, for checks that compare meanings (moved passages)
    moved: list | None = None  # moved passages, found once for the checks that need them (checks/alignment.py)


CheckFn = Callable[[CheckContext], Iterable[Finding]]
REGISTRY: dict[str, CheckFn] = {}


def register(name: str) -> Callable[[CheckFn], CheckFn]:
    """Decorator: make a check available under ``name``."""

    def deco(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = fn
        return fn

    return deco


def _load_builtin() -> None:
    # Imported for their @register side effect; kept here so the registry is complete wherever it is used.
    from . import alignment, consistency, conversion, entities, figures  # noqa: F401


def available_checks() -> dict[str, CheckFn]:
    """All registered checks by name."""
    _load_builtin()
    return dict(REGISTRY)


def run_checks(ctx: CheckContext) -> list[Finding]:
    """Run every enabled check and return their findings in pair order."""
    checks = available_checks()
    findings: list[Finding] = []
    for name, fn in checks.items():
        if not ctx.config.check_enabled(name):
            continue
        if ctx.en is None and not getattr(fn, "french_only", False):
            continue
        findings.extend(fn(ctx))
    findings.sort(key=lambda f: (f.pair if f.pair is not None else -1, -f.severity.rank))
    return findings
