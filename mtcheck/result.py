"""The result of scoring one French article against its English original, and its reproducibility signature."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .records import AlignedPair, Article, ArticleScores, Finding, Sentence, Severity, Span

SCHEMA_VERSION = "1.0"


@dataclass
class Signature:
    """What produced a result, in the spirit of sacrebleu's signature: same signature, same numbers."""

    version: str = __version__
    encoder: str = "none"
    mt_model: str = "none"
    checks: list[str] = field(default_factory=list)
    conversion_tolerance: float = 0.02
    rates_date: str | None = None
    schema: str = SCHEMA_VERSION

    def __str__(self) -> str:
        tol = f"{self.conversion_tolerance * 100:g}%"
        return (f"mtcheck:{self.version}|enc:{self.encoder}|mt:{self.mt_model}|checks:{','.join(self.checks)}"
                f"|conv-tol:{tol}|rates:{self.rates_date or 'none'}|schema:{self.schema}")


def _span_dict(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _sentence_dict(s: Sentence) -> dict[str, Any]:
    return {"index": s.index, "text": s.text, "start": s.start, "end": s.end, "block": s.block, "kind": s.kind}


def _article_dict(a: Article) -> dict[str, Any]:
    meta = dataclasses.asdict(a.meta)
    meta["date"] = a.meta.date.isoformat() if a.meta.date else None
    return {
        "path": a.path,
        "lang": a.lang,
        "format": a.format,
        "meta": meta,
        "tickers": [dataclasses.asdict(t) for t in a.tickers],
        "removed": [dataclasses.asdict(r) for r in a.removed],
        "notices": list(a.notices),
    }


@dataclass
class Result:
    """Everything mtcheck found about one article pair; ``.to_dict()`` follows ``docs/output.schema.json``."""

    fr: Article
    en: Article | None
    fr_sentences: list[Sentence]
    en_sentences: list[Sentence]
    pairs: list[AlignedPair]
    findings: list[Finding]
    scores: ArticleScores
    signature: Signature
    scorers: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def worst(self) -> Severity | None:
        """The highest severity among the findings, or None."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON-ready form of the result."""
        return {
            "schema_version": SCHEMA_VERSION,
            "signature": str(self.signature),
            "signature_fields": dataclasses.asdict(self.signature),
            "scorers": list(self.scorers),
            "fr": _article_dict(self.fr),
            "en": _article_dict(self.en) if self.en else None,
            "fr_sentences": [_sentence_dict(s) for s in self.fr_sentences],
            "en_sentences": [_sentence_dict(s) for s in self.en_sentences],
            "pairs": [
                {
                    "index": p.index,
                    "kind": p.kind,
                    "en": list(p.en),
                    "fr": list(p.fr),
                    "en_text": p.en_text,
                    "fr_text": p.fr_text,
                    "align_score": round(p.align_score, 4),
                    "similarity": p.similarity,
                    "length_ratio": p.length_ratio,
                    "scores": dict(p.scores),
                }
                for p in self.pairs
            ],
            "findings": [
                {
                    "check": f.check,
                    "severity": f.severity.value,
                    "pair": f.pair,
                    "fr_span": _span_dict(f.fr_span),
                    "en_span": _span_dict(f.en_span),
                    "expected": f.expected,
                    "found": f.found,
                    "message": f.message,
                }
                for f in self.findings
            ],
            "scores": dataclasses.asdict(self.scores),
            "counts": self.counts(),
        }

    def to_dataframe(self):
        """One row per aligned pair (pandas), with the findings of each pair joined in a column."""
        import pandas as pd

        by_pair: dict[int, list[Finding]] = {}
        for f in self.findings:
            if f.pair is not None:
                by_pair.setdefault(f.pair, []).append(f)
        rows = []
        for p in self.pairs:
            found = by_pair.get(p.index, [])
            rows.append({
                "pair": p.index,
                "kind": p.kind,
                "en_index": ",".join(str(i) for i in p.en),
                "fr_index": ",".join(str(i) for i in p.fr),
                "en_text": p.en_text,
                "fr_text": p.fr_text,
                "similarity": p.similarity,
                "length_ratio": p.length_ratio,
                "align_score": round(p.align_score, 4),
                "severity": max((f.severity for f in found), key=lambda s: s.rank).value if found else "",
                "findings": "; ".join(f"{f.severity.value}:{f.check}: {f.message}" for f in found),
                **p.scores,
            })
        return pd.DataFrame(rows)

    def findings_dataframe(self):
        """One row per finding (pandas)."""
        import pandas as pd

        return pd.DataFrame([
            {
                "pair": f.pair,
                "severity": f.severity.value,
                "check": f.check,
                "fr_text": f.fr_span.text if f.fr_span else "",
                "fr_start": f.fr_span.start if f.fr_span else None,
                "en_text": f.en_span.text if f.en_span else "",
                "en_start": f.en_span.start if f.en_span else None,
                "expected": f.expected or "",
                "found": f.found or "",
                "message": f.message,
            }
            for f in self.findings
        ], columns=["pair", "severity", "check", "fr_text", "fr_start", "en_text", "en_start",
                    "expected", "found", "message"])
