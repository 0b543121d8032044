"""Run configuration: thresholds, tolerances and enabled checks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Config:
    """Settings shared by every stage; defaults are what a newsroom wants out of the box."""

    conversion_tolerance: float = 0.02  # relative error allowed on a currency conversion
    omission_min_chars: int = 25  # shorter unaligned sentences (datelines, "Reuters") are info only
    low_similarity: float = 0.45  # 1-1 pairs below this similarity get a warning
    enabled: list[str] | None = None  # None: all checks
    disabled: list[str] = field(default_factory=list)
    rates_file: str | None = None
    fail_severity: str = "error"
    mt_model: str | None = None  # back-translation model: a name, a model directory, "auto", or None (off)
    model_dir: str | None = None  # folder searched first for models (then $MTCHECK_MODELS, the user cache)

    def check_enabled(self, name: str) -> bool:
        """Whether the check called ``name`` should run."""
        if name in self.disabled:
            return False
        return self.enabled is None or name in self.enabled
