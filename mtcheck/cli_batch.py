"""Batch commands for editors and CI: ``mtcheck report`` and ``mtcheck check`` (registered on the main group)."""

from __future__ import annotations

from .cli import cli  # noqa: F401
