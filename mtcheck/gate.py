"""The CI gate: thresholds per article, baseline of accepted findings, JUnit XML and GitHub annotations."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch import Outcome
from .errors import UsageError
from .records import Article, Finding
from .report_files import finding_location, printable
from .settings import Settings

EXIT_PASS, EXIT_FAILED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
BASELINE_VERSION = 1


# --------------------------------------------------------------------------------------------
# Fingerprints and baseline
# --------------------------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    # NFKC folds no-break and thin spaces into spaces; re-wrapping a line must not change a fingerprint.
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def fingerprint(article_key: str, f: Finding) -> str:
    """A stable id for a finding: article file name, check, French text flagged, expected and found; no offsets."""
    where = _norm(f.fr_span.text) if f.fr_span else "en:" + _norm(f.en_span.text if f.en_span else "")
    parts = [article_key, f.check, where, _norm(f.expected), _norm(f.found)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


@dataclass
class Baseline:
    """Findings an editor accepted, by fingerprint, each with enough text for a reviewer to read the diff."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None

    def __contains__(self, fp: str) -> bool:
        return fp in self.entries


def load_baseline(path: Path, required: bool = False) -> Baseline:
    """Read a baseline file; a missing file is an empty baseline unless ``required``."""
    if not path.exists():
        if required:
            raise UsageError(f"--baseline {path}: no such file (create it with --update-baseline)")
        return Baseline(path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {e["fingerprint"]: e for e in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not an mtcheck baseline ({type(exc).__name__}: {exc})") from None
    return Baseline(entries=entries, path=path)


def updated_baseline(old: Baseline, verdicts: list[Verdict]) -> Baseline:
    """Accept every current finding of the articles checked now; keep entries of articles not checked now."""
    checked = {v.outcome.job.key for v in verdicts if v.outcome.ok}
    entries = {fp: e for fp, e in old.entries.items() if e.get("article") not in checked}
    for v in verdicts:
        for fv in v.findings:
            f = fv.finding
            entries[fv.fingerprint] = {
                "fingerprint": fv.fingerprint,
                "article": v.outcome.job.key,
                "check": f.check,
                "severity": f.severity.value,
                "fr_text": printable(f.fr_span.text) if f.fr_span else None,
                "en_text": printable(f.en_span.text) if f.en_span and not f.fr_span else None,
                "expected": f.expected,
                "found": f.found,
                "message": f.message,
            }
    return Baseline(entries=entries, path=old.path)


def write_baseline(baseline: Baseline, path: Path) -> None:
    """Write the baseline sorted by article and check, so that its diffs are readable in review."""
    items = sorted(baseline.entries.values(), key=lambda e: (e.get("article") or "", e.get("check") or "",
                                                             e["fingerprint"]))
    data = {"tool": "mtcheck", "version": BASELINE_VERSION,
            "note": "findings accepted by an editor; `mtcheck check` suppresses them", "findings": items}
    _atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None


# --------------------------------------------------------------------------------------------
# Verdicts
# --------------------------------------------------------------------------------------------


def article_risk(result) -> float | None:
    """Risk in [0, 1]: a risk scorer's value when one ran, else 1 - similarity x English coverage."""
    extra = result.scores.extra or {}
    if "risk" in extra:
        return float(extra["risk"])
    s, cov = result.scores.similarity, result.scores.coverage_en
    if s is None or cov is None:
        return None
    return round(min(1.0, max(0.0, 1.0 - max(0.0, s) * cov)), 4)


@dataclass
class FindingView:
    """A finding as the gate sees it: its fingerprint, whether the baseline hides it, whether it fails."""

    finding: Finding
    fingerprint: str
    suppressed: bool
    failing: bool


@dataclass
class Verdict:
    """One article's gate result: ``passed``, ``failed`` (findings or thresholds) or ``error`` (not checked)."""

    outcome: Outcome
    status: str
    findings: list[FindingView] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # thresholds not met
    risk: float | None = None

    @property
    def failing(self) -> list[FindingView]:
        """Findings that make this article fail."""
        return [fv for fv in self.findings if fv.failing]

    @property
    def visible(self) -> list[FindingView]:
        """Findings not suppressed by the baseline."""
        return [fv for fv in self.findings if not fv.suppressed]


def judge(outcome: Outcome, settings: Settings, baseline: Baseline) -> Verdict:
    """Apply the thresholds and the baseline to one article."""
    if not outcome.ok:
        return Verdict(outcome, "error")
    result = outcome.result
    views = []
    for f in result.findings:
        fp = fingerprint(outcome.job.key, f)
        hidden = fp in baseline
        views.append(FindingView(f, fp, hidden, not hidden and f.severity.value in settings.fail_on))
    reasons = []
    sim = result.scores.similarity
    if settings.min_similarity is not None and sim is not None and sim < settings.min_similarity:
        reasons.append(f"similarity {sim:.2f} is below min_similarity {settings.min_similarity:g}")
    risk = article_risk(result)
    if settings.max_risk is not None and risk is not None and risk > settings.max_risk:
        reasons.append(f"risk {risk:.2f} is above max_risk {settings.max_risk:g}")
    failed = reasons or any(v.failing for v in views)
    return Verdict(outcome, "failed" if failed else "passed", views, reasons, risk)


@dataclass
class GateReport:
    """All verdicts of a run and what they add up to."""

    verdicts: list[Verdict]
    settings: Settings
    total: int = 0

    def counts(self) -> dict[str, int]:
        """Articles, failed, not checked, and findings per severity (baseline-suppressed ones apart)."""
        c = {"articles": len(self.verdicts), "passed": 0, "failed": 0, "not_checked": 0,
             "error": 0, "warning": 0, "info": 0, "suppressed": 0}
        for v in self.verdicts:
            c["not_checked" if v.status == "error" else v.status] += 1
            for fv in v.findings:
                if fv.suppressed:
                    c["suppressed"] += 1
                else:
                    c[fv.finding.severity.value] += 1
        return c

    def exit_code(self) -> int:
        """0 pass; 1 a failure or an article not checked; 2 (3 if a bug) when no article could be checked."""
        if self.verdicts and all(v.status == "error" for v in self.verdicts):
            return EXIT_INTERNAL if any(v.outcome.kind == "internal" for v in self.verdicts) else EXIT_INPUT
        if any(v.status != "passed" for v in self.verdicts):
            return EXIT_FAILED
        return EXIT_PASS

    def summary_line(self) -> str:
        """``mtcheck: 8 articles, 3 failed, 12 errors, 4 warnings`` (+ not checked, suppressed when any)."""
        c = self.counts()
        s = (f"mtcheck: {c['articles']} article{'s' * (c['articles'] != 1)}, {c['failed']} failed, "
             f"{c['error']} error{'s' * (c['error'] != 1)}, {c['warning']} warning{'s' * (c['warning'] != 1)}")
        if c["not_checked"]:
            s += f", {c['not_checked']} not checked"
        if c["suppressed"]:
            s += f", {c['suppressed']} suppressed by the baseline"
        return s


def evaluate(outcomes: list[Outcome], settings: Settings, baseline: Baseline) -> GateReport:
    """Judge every outcome."""
    return GateReport([judge(o, settings, baseline) for o in outcomes], settings, len(outcomes))


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


def _finding_line(fv: FindingView, article: Article | None) -> str:
    f = fv.finding
    loc = finding_location(f, article)
    where = f" (line {loc[0]}, col {loc[1]})" if loc else ""
    parts = [f"{f.severity.value.upper()} {f.check}{where}: {f.message}"]
    if f.expected is not None:
        parts.append(f"  expected: {f.expected}")
    if f.found is not None:
        parts.append(f"  found:    {f.found}")
    if f.fr_span is not None:
        parts.append(f"  French:   {f.fr_span.text}")
    if f.en_span is not None:
        parts.append(f"  English:  {f.en_span.text}")
    return "\n".join(parts)


def _x(text: str) -> str:
    # XML 1.0 cannot hold most control characters, even escaped: show them instead of writing broken XML.
    return printable(text)


def to_junit(report: GateReport) -> bytes:
    """JUnit XML: one testcase per article; findings that fail are a <failure>, an unreadable article an <error>."""
    c = report.counts()
    elapsed = sum(v.outcome.seconds for v in report.verdicts)
    suites = ET.Element("testsuites", name="mtcheck", tests=str(c["articles"]), failures=str(c["failed"]),
                        errors=str(c["not_checked"]), time=f"{elapsed:.3f}")
    suite = ET.SubElement(suites, "testsuite", name="mtcheck", tests=str(c["articles"]), failures=str(c["failed"]),
                          errors=str(c["not_checked"]), skipped="0", time=f"{elapsed:.3f}",
                          timestamp=dt.datetime.now().strftime("%Y-%m-%dT%H:%M:%S"), hostname=socket.gethostname())
    props = ET.SubElement(suite, "properties")
    signature = next((str(v.outcome.result.signature) for v in report.verdicts if v.outcome.ok), None)
    for name, value in (("signature", signature), ("fail_on", ",".join(report.settings.fail_on) or "never"),
                        ("min_similarity", report.settings.min_similarity), ("max_risk", report.settings.max_risk)):
        if value is not None:
            ET.SubElement(props, "property", name=name, value=_x(str(value)))
    for v in report.verdicts:
        job = v.outcome.job
        case = ET.SubElement(suite, "testcase", name=_x(job.name), classname="mtcheck",
                             time=f"{v.outcome.seconds:.3f}", file=_x(display_path(job.fr_path)))
        article = v.outcome.result.fr if v.outcome.ok else None
        if v.status == "error":
            err = ET.SubElement(case, "error", type=f"mtcheck.{v.outcome.kind}", message=_x(v.outcome.error or ""))
            err.text = _x(v.outcome.error or "")
        elif v.status == "failed":
            failing = v.failing
            head = ", ".join(v.reasons + [f"{len(failing)} finding{'s' * (len(failing) != 1)} "
                                          f"({', '.join(sorted({fv.finding.check for fv in failing}))})"]
                             if failing else v.reasons)
            fail = ET.SubElement(case, "failure", type="mtcheck.findings", message=_x(head))
            fail.text = _x("\n\n".join(v.reasons + [_finding_line(fv, article) for fv in failing]))
        others = [fv for fv in v.visible if not fv.failing]
        if others or any(fv.suppressed for fv in v.findings):
            out = ET.SubElement(case, "system-out")
            lines = [_finding_line(fv, article) for fv in others]
            hidden = sum(fv.suppressed for fv in v.findings)
            if hidden:
                lines.append(f"{hidden} finding(s) suppressed by the baseline")
            out.text = _x("\n\n".join(lines))
    ET.SubElement(suite, "system-out").text = report.summary_line()
    ET.SubElement(suite, "system-err")
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"


def display_path(path: Path | None) -> str:
    """A path relative to the repository (``$GITHUB_WORKSPACE``) or current directory, else absolute."""
    if path is None:
        return ""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    full = Path(os.path.abspath(path))
    try:
        return full.relative_to(base).as_posix()
    except ValueError:
        try:
            return full.resolve().relative_to(base).as_posix()
        except ValueError:
            return full.as_posix()


def _gh_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _annotation(level: str, path: Path | None, loc: tuple[int, int, int, int] | None, title: str,
                message: str) -> str:
    props = [f"file={_gh_prop(display_path(path))}"] if path is not None else []
    if loc:
        line, col, end_line, end_col = loc
        props += [f"line={line}", f"col={col}"]
        if end_line == line:  # GitHub ignores columns on annotations that span lines
            props.append(f"endColumn={end_col}")
        else:
            props.append(f"endLine={end_line}")
    props.append(f"title={_gh_prop(title)}")
    return f"::{level} {','.join(props)}::{_gh_data(message)}"


def github_annotations(report: GateReport) -> list[str]:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…::…``), one per visible finding."""
    lines = []
    for v in report.verdicts:
        job = v.outcome.job
        if v.status == "error":
            lines.append(_annotation("error", job.fr_path, None, "mtcheck: not checked", v.outcome.error or ""))
            continue
        result = v.outcome.result
        for reason in v.reasons:
            lines.append(_annotation("error", job.fr_path, None, "mtcheck: threshold", reason))
        for fv in v.visible:
            f = fv.finding
            if f.fr_span is not None or f.en_span is None:
                path, loc = job.fr_path, finding_location(f, result.fr, full=True)
            else:  # an omission: point at the English sentence that has no French
                path, loc = job.en_path, finding_location(f, result.en, side="en", full=True)
            level = "error" if fv.failing else _GH_LEVEL[f.severity.value]
            msg = f.message
            if f.expected is not None or f.found is not None:
                msg += f" Expected: {f.expected if f.expected is not None else '—'}; " \
                       f"found: {f.found if f.found is not None else '—'}."
            lines.append(_annotation(level, path, loc, f"mtcheck {f.check} ({f.severity.value})", msg))
    return lines


def to_gate_json(report: GateReport) -> dict[str, Any]:
    """The gate's verdicts as JSON: summary, settings, and per article its status and findings."""
    s = report.settings
    articles = []
    for v in report.verdicts:
        job, out = v.outcome.job, v.outcome
        item: dict[str, Any] = {
            "article": job.name, "fr_path": str(job.fr_path), "en_path": str(job.en_path) if job.en_path else None,
            "status": v.status, "error": out.error, "error_kind": out.kind if not out.ok else None,
            "reasons": v.reasons, "risk": v.risk, "seconds": round(out.seconds, 3),
            "retrieval": out.retrieval,
        }
        if out.ok:
            r = out.result
            item["signature"] = str(r.signature)
            item["scores"] = {"similarity": r.scores.similarity, "length_ratio": r.scores.length_ratio,
                              "coverage_en": r.scores.coverage_en, "coverage_fr": r.scores.coverage_fr}
            item["findings"] = []
            for fv in v.findings:
                f = fv.finding
                loc = finding_location(f, r.fr)
                item["findings"].append({
                    "fingerprint": fv.fingerprint, "suppressed": fv.suppressed, "failing": fv.failing,
                    "check": f.check, "severity": f.severity.value, "pair": f.pair,
                    "line": loc[0] if loc else None, "col": loc[1] if loc else None,
                    "fr_span": _span(f.fr_span), "en_span": _span(f.en_span),
                    "expected": f.expected, "found": f.found, "message": f.message,
                })
        articles.append(item)
    return {
        "tool": "mtcheck-check", "version": 1,
        "summary": {**report.counts(), "exit_code": report.exit_code(), "line": report.summary_line()},
        "settings": {"fail_on": list(s.fail_on), "min_similarity": s.min_similarity, "max_risk": s.max_risk,
                     "enabled": s.enabled, "disabled": s.disabled, "conversion_tolerance": s.conversion_tolerance,
                     "encoder": s.encoder or "use-m3", "mt_model": s.mt_model,
                     "model_dir": str(s.model_dir) if s.model_dir else None,
                     "date_window_days": s.date_window_days,
                     "config_file": str(s.source) if s.source else None},
        "articles": articles,
    }


def _span(span) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}
