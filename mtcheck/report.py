"""Render a :class:`Result` for people (a rich table) and for programs (JSON, CSV)."""

from __future__ import annotations

import io
import json
from typing import TextIO

from .result import Result

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise a spreadsheet cell that would run as a formula (CSV injection), keeping its text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_json(result: Result, indent: int | None = 2) -> str:
    """The result as JSON following ``docs/output.schema.json``."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)


def to_csv(result: Result) -> str:
    """One CSV row per aligned pair, safe to open in a spreadsheet."""
    df = result.to_dataframe().map(safe_cell)
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue()


def render_text(result: Result, out: TextIO | None = None, color: bool | None = None,
                show_removed: bool = False, width: int | None = None) -> None:
    """Print aligned pairs, scores and findings as tables; colour only on a terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, force_terminal=color, no_color=color is False, width=width,
                      highlight=False, soft_wrap=False)
    if width is None and not console.is_terminal:
        console.width = 120  # rich assumes 80 columns when piped: too narrow for two sentences side by side
    fr, en = result.fr, result.en
    date = f"{fr.meta.date.isoformat()} ({fr.meta.date_source})" if fr.meta.date else "unknown"
    console.print(Text.assemble(("mtcheck ", "bold"), f"fr: {fr.path or '<text>'}  ",
                                f"en: {(en.path or '<text>') if en else 'none'}  date: {date}"))
    for notice in fr.notices + (en.notices if en else []):
        console.print(Text(f"note: {notice}", style="dim"))

    flagged: dict[int, str] = {}
    for f in result.findings:
        if f.pair is not None and _rank(f.severity.value) > _rank(flagged.get(f.pair, "")):
            flagged[f.pair] = f.severity.value
    table = Table(title="Aligned pairs", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("bead", no_wrap=True)
    table.add_column("sim", justify="right", no_wrap=True)
    table.add_column("len", justify="right", no_wrap=True)
    table.add_column("English", ratio=1)
    table.add_column("French", ratio=1)
    for p in result.pairs:
        style = _SEVERITY_STYLE.get(flagged.get(p.index, ""), "")
        table.add_row(
            str(p.index),
            p.kind,
            f"{p.similarity:.2f}" if p.similarity is not None else "–",
            f"{p.length_ratio:.2f}" if p.length_ratio is not None else "–",
            Text(p.en_text or "—"),
            Text(p.fr_text or "—"),
            style=style,
        )
    console.print(table)

    if result.findings:
        console.print(Text("Findings", style="bold"))
        for f in result.findings:
            where = "" if f.pair is None else f" pair {f.pair}"
            console.print(Text.assemble((f"{f.severity.value.upper():7}", _SEVERITY_STYLE[f.severity.value]),
                                        (f" {f.check}{where}: ", "bold"), f.message), soft_wrap=True)
            if f.expected is not None:
                console.print(Text.assemble(("    expected: ", "dim"), f.expected), soft_wrap=True)
            if f.found is not None:
                console.print(Text.assemble(("    found:    ", "dim"), f.found), soft_wrap=True)
    else:
        console.print("No findings.")

    if show_removed:
        for label, art in (("French", fr), ("English", en)):
            if art is None:
                continue
            rt = Table(title=f"Removed from the {label} article", show_lines=True, expand=True)
            rt.add_column("kind", no_wrap=True)
            rt.add_column("offsets", no_wrap=True)
            rt.add_column("text")
            for r in art.removed:
                rt.add_row(r.kind, f"{r.start}-{r.end}", Text(r.text))
            for t in art.tickers:
                rt.add_row("ticker (entity)", f"{t.start}-{t.end}", Text(f"{t.symbol} ({t.company or '?'})"))
            console.print(rt)

    s = result.scores
    c = result.counts()

    def fmt(v, pct=False):
        return "–" if v is None else (f"{v:.0%}" if pct else f"{v:.2f}")

    console.print(
        f"Article: similarity {fmt(s.similarity)}, length ratio {fmt(s.length_ratio)}, "
        f"English covered {fmt(s.coverage_en, True)}, French covered {fmt(s.coverage_fr, True)} | "
        f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} info",
        soft_wrap=True,
    )
    console.print(Text(f"Signature: {result.signature}", style="dim"), soft_wrap=True)


def _rank(severity: str) -> int:
    return {"": -1, "info": 0, "warning": 1, "error": 2}[severity]
