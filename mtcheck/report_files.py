"""Write a batch's editor report: findings.csv, segments.csv, articles.csv, report.json and report.html.

Every text cell of the CSV files goes through :func:`mtcheck.report.safe_cell`, so no spreadsheet runs
it as a formula; control characters are shown as visible symbols (one character each, so offsets hold).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .report import safe_cell

if TYPE_CHECKING:
    import pandas as pd

    from .batch import Outcome
    from .records import Article, Finding
    from .result import Result

# C0 controls but tab/newline/CR, DEL, C1 controls: invisible, and some break XML or terminals (ESC).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

FINDING_COLUMNS = ["article", "fr_sentence", "en_sentence", "line", "severity", "check", "fr_excerpt",
                   "en_excerpt", "expected", "found", "explanation", "similarity", "length_ratio", "risk", "pair",
                   "fr_start", "fr_end", "en_start", "en_end", "fr_context", "en_context", "fingerprint", "fr_path"]
ARTICLE_COLUMNS = ["article", "status", "error", "errors", "warnings", "infos", "similarity", "length_ratio",
                   "coverage_en", "coverage_fr", "risk", "pairs", "date", "date_source", "fr_path", "en_path",
                   "original_id", "retrieval_confidence", "retrieval_note", "seconds", "signature"]
REPORT_FILES = ("findings.csv", "segments.csv", "articles.csv", "report.json", "report.html")


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # Unicode "control pictures": ␇, ␛...
    return "\u2421" if c == 0x7F else "\ufffd"


def printable(text: str) -> str:
    """The text with control characters (tab, newline, CR excepted) replaced by a visible symbol each."""
    return _CONTROL_RE.sub(_picture, text) if isinstance(text, str) else text


def _clean_cell(value: Any) -> Any:
    return safe_cell(printable(value)) if isinstance(value, str) else value


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def finding_location(f: Finding, article: Article | None, side: str = "fr",
                     full: bool = False) -> tuple[int, ...] | None:
    """Line and column of a finding's span in its file (None for HTML input: offsets are into extracted text)."""
    span = f.fr_span if side == "fr" else f.en_span
    if span is None or article is None or article.format == "html":
        return None
    start = line_col(article.text, span.start)
    if not full:
        return start
    end = line_col(article.text, max(span.start, span.end - 1))
    return (*start, end[0], end[1] + 1)


def _sentence_numbers(indices: Sequence[int]) -> str:
    # 1-based, as an editor counts; "4-5" for a pair made of two sentences.
    if not indices:
        return ""
    lo, hi = min(indices) + 1, max(indices) + 1
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _sentence_of(result: Result, offset: int, side: str) -> str:
    for s in result.fr_sentences if side == "fr" else result.en_sentences:
        if s.start <= offset < s.end:
            return str(s.index + 1)
    return ""


def finding_rows(name: str, key: str, fr_path: Path, result: Result) -> list[dict[str, Any]]:
    """One row per finding of one article, with its sentences, excerpts and pair scores."""
    from .gate import fingerprint

    rows = []
    pairs = {p.index: p for p in result.pairs}
    for f in result.findings:
        p = pairs.get(f.pair) if f.pair is not None else None
        loc = finding_location(f, result.fr)
        fr_sent = _sentence_numbers(p.fr) if p else (_sentence_of(result, f.fr_span.start, "fr") if f.fr_span else "")
        en_sent = _sentence_numbers(p.en) if p else (_sentence_of(result, f.en_span.start, "en") if f.en_span else "")
        rows.append({
            "article": name,
            "fr_sentence": fr_sent,
            "en_sentence": en_sent,
            "line": loc[0] if loc else None,
            "severity": f.severity.value,
            "check": f.check,
            "fr_excerpt": f.fr_span.text if f.fr_span else (p.fr_text if p else ""),
            "en_excerpt": f.en_span.text if f.en_span else (p.en_text if p else ""),
            "expected": f.expected or "",
            "found": f.found or "",
            "explanation": f.message,
            "similarity": p.similarity if p else None,
            "length_ratio": p.length_ratio if p else None,
            "risk": p.scores.get("risk") if p else None,  # when a risk scorer ran
            "pair": f.pair,
            "fr_start": f.fr_span.start if f.fr_span else None,
            "fr_end": f.fr_span.end if f.fr_span else None,
            "en_start": f.en_span.start if f.en_span else None,
            "en_end": f.en_span.end if f.en_span else None,
            "fr_context": p.fr_text if p else "",
            "en_context": p.en_text if p else "",
            "fingerprint": fingerprint(key, f),
            "fr_path": str(fr_path),
        })
    return rows


def findings_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """One row per finding over the whole batch."""
    import pandas as pd

    rows = [r for o in outcomes if o.ok for r in finding_rows(o.job.name, o.job.key, o.job.fr_path, o.result)]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype(
        {c: "Int64" for c in ("line", "pair", "fr_start", "fr_end", "en_start", "en_end")})


def segments_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """One row per aligned pair over the whole batch (``Result.to_dataframe()`` with the article in front)."""
    import pandas as pd

    frames = []
    for o in outcomes:
        if o.ok:
            df = o.result.to_dataframe()
            df.insert(0, "article", o.job.name)
            frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["article", "pair", "kind", "en_index", "fr_index", "en_text", "fr_text",
                                     "similarity", "length_ratio", "align_score", "severity", "findings"])
    return pd.concat(frames, ignore_index=True)


def article_row(o: Outcome) -> dict[str, Any]:
    """One article's summary row: scores and counts, or its error."""
    from .gate import article_risk

    row: dict[str, Any] = {"article": o.job.name, "status": "ok" if o.ok else "error", "error": o.error or "",
                           "fr_path": str(o.job.fr_path), "en_path": str(o.job.en_path) if o.job.en_path else "",
                           "seconds": round(o.seconds, 3)}
    if o.retrieval is not None:  # --corpus: the original found for a French article given alone
        row.update(original_id=o.retrieval["original"] or "", retrieval_confidence=o.retrieval["confidence"],
                   retrieval_note=o.retrieval["message"], en_path=o.retrieval["path"] or "")
    if o.ok:
        r = o.result
        c = r.counts()
        row.update(errors=c["error"], warnings=c["warning"], infos=c["info"], similarity=r.scores.similarity,
                   length_ratio=r.scores.length_ratio, coverage_en=r.scores.coverage_en,
                   coverage_fr=r.scores.coverage_fr, risk=article_risk(r), pairs=len(r.pairs),
                   date=r.fr.meta.date.isoformat() if r.fr.meta.date else "", date_source=r.fr.meta.date_source or "",
                   signature=str(r.signature))
    return row


def articles_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """One row per article, errors included."""
    import pandas as pd

    df = pd.DataFrame([article_row(o) for o in outcomes], columns=ARTICLE_COLUMNS)
    return df.astype({c: "Int64" for c in ("errors", "warnings", "infos", "pairs")})


def report_records(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    """report.json: per article its status and ``Result.to_dict()`` (schema 1.0), or its error."""
    return [{
        "article": o.job.name,
        "status": "ok" if o.ok else "error",
        "error": o.error,
        "fr_path": str(o.job.fr_path),
        "en_path": str(o.job.en_path) if o.job.en_path else None,
        "seconds": round(o.seconds, 3),
        "retrieval": o.retrieval,
        "result": o.result.to_dict() if o.ok else None,
    } for o in outcomes]


def to_csv_text(df: pd.DataFrame, excel: bool = False) -> str:
    """A frame as CSV text with every text cell made safe for spreadsheets (CRLF rows for Excel)."""
    return df.map(_clean_cell).to_csv(index=False, lineterminator="\r\n" if excel else "\n")


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    # Write then rename: an interrupted run never leaves a half-written report behind.
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def write_report(outcomes: Sequence[Outcome], out_dir: Path, excel: bool = False, total: int | None = None,
                 interrupted: bool = False) -> dict[str, Path]:
    """Write the five report files into ``out_dir`` (created if needed); return their paths."""
    from .report_html import render_html

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / name for name in REPORT_FILES}
    enc = "utf-8-sig" if excel else "utf-8"  # Excel reads UTF-8 without a BOM as Windows-1252
    _write(paths["findings.csv"], to_csv_text(findings_frame(outcomes), excel), enc)
    _write(paths["segments.csv"], to_csv_text(segments_frame(outcomes), excel), enc)
    _write(paths["articles.csv"], to_csv_text(articles_frame(outcomes), excel), enc)
    _write(paths["report.json"], json.dumps(report_records(outcomes), ensure_ascii=False, indent=1) + "\n")
    _write(paths["report.html"], render_html(outcomes, total=total, interrupted=interrupted))
    return paths
