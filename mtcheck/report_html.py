"""report.html: one self-contained page for editors, aligned pairs side by side with findings highlighted.

All article text is escaped with :func:`html.escape`; the page loads nothing from outside, and its
Content-Security-Policy allows only its own inline style and script, by hash, so text that slipped
through as markup still could not run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
from typing import TYPE_CHECKING, Sequence

from . import __version__
from .report_files import printable

if TYPE_CHECKING:
    from .batch import Outcome
    from .records import Finding, Sentence
    from .result import Result

SEVERITIES = ("error", "warning", "info")
_RANK = {"info": 0, "warning": 1, "error": 2}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 1.5em 3em;color:#1d1d1f}
h1{font-size:1.5em;margin:.8em 0 .2em}h2{font-size:1.2em;margin:0 0 .3em}
.muted{color:#666}.small{font-size:.85em}
.banner{background:#fff3cd;border:1px solid #e0c36c;padding:.5em .8em;margin:.5em 0}
#filters{position:sticky;top:0;background:#f6f6f8;border-bottom:1px solid #ddd;padding:.5em .8em;z-index:2;
margin:0 -1.5em 1em}
#filters fieldset{display:inline-block;border:0;margin:0 1.5em 0 0;padding:0}
#filters legend{float:left;font-weight:600;margin-right:.5em}
#filters label{margin-right:.8em;white-space:nowrap}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f0f0f3}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.text{white-space:pre-wrap;overflow-wrap:anywhere;width:42%}
section.article{margin:2em 0;padding-top:.5em;border-top:3px solid #ccc}
.status-error{color:#a00;font-weight:600}.status-ok{color:#176f2c}
ul.findings{padding-left:1.2em}
li.finding{margin:.25em 0}
.sev{display:inline-block;min-width:5.5em;font-weight:700;font-size:.8em;text-transform:uppercase}
.sev-error .sev,.sev.error{color:#b00020}.sev-warning .sev,.sev.warning{color:#8a5a00}
.sev-info .sev,.sev.info{color:#555}
.count{font-weight:600}.count.error{color:#b00020}.count.warning{color:#8a5a00}
.ef{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;white-space:pre-wrap}
mark{padding:0 .1em;border-radius:2px}
mark.sev-error{background:#ffc9c9;outline:1px solid #e08080}
mark.sev-warning{background:#ffe8a3}
mark.sev-info{background:#e4e4e4}
mark.off{background:none;outline:0}
tr.pair.flagged td:first-child{border-left:4px solid #e08080}
tr.empty td.text{background:#fafafa}
""".strip()

JS = """
(function () {
  var filters = document.getElementById('filters');
  var only = document.getElementById('only-flagged');
  function apply() {
    var on = {};
    filters.querySelectorAll('input[data-k]').forEach(function (b) {
      if (b.checked) { on[b.getAttribute('data-k') + ':' + b.value] = true; }
    });
    var shown = {};
    document.querySelectorAll('li.finding').forEach(function (li) {
      var ok = on['sev:' + li.getAttribute('data-sev')] && on['check:' + li.getAttribute('data-check')];
      li.hidden = !ok;
      if (ok) { shown[li.id] = true; }
    });
    function any(el) {
      var ids = (el.getAttribute('data-f') || '').split(' ');
      return ids.some(function (id) { return shown[id]; });
    }
    document.querySelectorAll('mark[data-f]').forEach(function (m) { m.classList.toggle('off', !any(m)); });
    document.querySelectorAll('tr.pair').forEach(function (tr) {
      var flagged = any(tr);
      tr.classList.toggle('flagged', flagged);
      tr.hidden = only.checked && !flagged;
    });
  }
  filters.addEventListener('change', apply);
  apply();
  document.documentElement.setAttribute('data-js', 'ready');
})();
""".strip()


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# Hashes, not a nonce: the same batch gives the same bytes, and nothing else inline can ever run.
CSP = (f"default-src 'none'; script-src {_hash(JS)}; style-src {_hash(CSS)}; img-src 'none'; "
       "base-uri 'none'; form-action 'none'")


def esc(text: object) -> str:
    """Text made safe for HTML content and attribute values (control characters shown, not hidden)."""
    return html.escape(printable(str(text)), quote=True)


def _num(v: float | None, pct: bool = False) -> str:
    if v is None:
        return "–"
    return f"{v:.0%}" if pct else f"{v:.2f}"


def highlight(sentence: Sentence, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """A sentence as HTML, with ``<mark>`` on the parts covered by spans (article offsets, finding id, severity)."""
    text, base = sentence.text, sentence.start
    local = []
    cuts = {0, len(text)}
    for start, end, fid, sev in spans:
        a, b = max(start, base) - base, min(end, base + len(text)) - base
        if a < b:
            local.append((a, b, fid, sev))
            cuts.update((a, b))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        piece = esc(text[a:b])
        cover = [s for s in local if s[0] <= a and b <= s[1]]
        if cover:
            worst = max((s[3] for s in cover), key=_RANK.__getitem__)
            ids = " ".join(dict.fromkeys(s[2] for s in cover))
            out.append(f'<mark class="sev-{worst}" data-f="{ids}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _side(sentences: list[Sentence], indices: list[int], spans: list[tuple[int, int, str, str]]) -> str:
    return " ".join(highlight(sentences[i], spans) for i in indices)


def _finding_item(aid: str, fid: str, f: Finding) -> str:
    where = f'<a href="#{aid}-p{f.pair}">pair {f.pair}</a> ' if f.pair is not None else ""
    ef = []
    if f.expected is not None:
        ef.append(f"expected <q>{esc(f.expected)}</q>")
    if f.found is not None:
        ef.append(f"found <q>{esc(f.found)}</q>")
    detail = f' <span class="ef">{"; ".join(ef)}</span>' if ef else ""
    return (f'<li class="finding sev-{f.severity.value}" id="{fid}" data-sev="{f.severity.value}" '
            f'data-check="{esc(f.check)}"><span class="sev">{f.severity.value}</span> {where}'
            f'<b>{esc(f.check)}</b>: {esc(f.message)}{detail}</li>')


def _article_section(i: int, o: Outcome) -> str:
    aid = f"a{i}"
    job = o.job
    if o.retrieval is not None:  # --corpus: say which original was found, and how sure
        english = (f'{esc(o.retrieval["path"])} (retrieved: {esc(o.retrieval["message"])})' if o.retrieval["path"]
                   else f'none (French-only checks): {esc(o.retrieval["message"])}')
    else:
        english = esc(job.en_path) if job.en_path else "none (French-only checks)"
    head = [f'<section class="article" id="{aid}">', f"<h2>{esc(job.name)}</h2>",
            f'<p class="muted small">French: {esc(job.fr_path)}<br>English: {english}</p>']
    if not o.ok:
        head.append(f'<p class="status-error">Not checked: {esc(o.error or "")}</p></section>')
        return "\n".join(head)
    r: Result = o.result
    s = r.scores
    date = f"{r.fr.meta.date.isoformat()} ({esc(r.fr.meta.date_source)})" if r.fr.meta.date else "unknown"
    head.append(f'<p class="small">date {date} · similarity {_num(s.similarity)} · length ratio '
                f'{_num(s.length_ratio)} · English covered {_num(s.coverage_en, True)} · French covered '
                f'{_num(s.coverage_fr, True)} · risk {_num(s.extra.get("risk"))}</p>')
    for note in r.fr.notices + (r.en.notices if r.en else []):
        head.append(f'<p class="muted small">note: {esc(note)}</p>')
    fr_spans: list[tuple[int, int, str, str]] = []
    en_spans: list[tuple[int, int, str, str]] = []
    by_pair: dict[int, list[str]] = {}
    items = []
    for k, f in enumerate(r.findings):
        fid = f"{aid}-f{k}"
        items.append(_finding_item(aid, fid, f))
        if f.fr_span is not None:
            fr_spans.append((f.fr_span.start, f.fr_span.end, fid, f.severity.value))
        if f.en_span is not None:
            en_spans.append((f.en_span.start, f.en_span.end, fid, f.severity.value))
        if f.pair is not None:
            by_pair.setdefault(f.pair, []).append(fid)
    head.append(f'<ul class="findings">{"".join(items)}</ul>' if items else '<p class="muted">No findings.</p>')
    rows = ['<table class="pairs"><thead><tr><th>#</th><th>bead</th><th>sim</th><th>risk</th><th>English</th>'
            '<th>French</th></tr></thead><tbody>']
    for p in r.pairs:
        ids = " ".join(by_pair.get(p.index, []))
        cls = "pair" + (" empty" if not p.en or not p.fr else "")
        rows.append(
            f'<tr class="{cls}" id="{aid}-p{p.index}" data-f="{ids}"><td class="num">{p.index}</td>'
            f'<td>{esc(p.kind)}</td><td class="num">{_num(p.similarity)}</td>'
            f'<td class="num">{_num(p.scores.get("risk"))}</td>'
            f'<td class="text" lang="en">{_side(r.en_sentences, p.en, en_spans) or "—"}</td>'
            f'<td class="text" lang="fr">{_side(r.fr_sentences, p.fr, fr_spans) or "—"}</td></tr>')
    rows.append("</tbody></table></section>")
    return "\n".join(head + rows)


def _summary(outcomes: Sequence[Outcome]) -> str:
    from .gate import article_risk

    rows = ['<table class="summary"><thead><tr><th>article</th><th>status</th><th>similarity</th>'
            '<th>length ratio</th><th>English covered</th><th>risk</th><th>errors</th><th>warnings</th>'
            '<th>info</th></tr></thead><tbody>']
    for i, o in enumerate(outcomes):
        link = f'<a href="#a{i}">{esc(o.job.name)}</a>'
        if not o.ok:
            rows.append(f'<tr><td>{link}</td><td class="status-error" colspan="8">error: {esc(o.error or "")}'
                        '</td></tr>')
            continue
        s, c = o.result.scores, o.result.counts()
        rows.append(f'<tr><td>{link}</td><td class="status-ok">ok</td><td class="num">{_num(s.similarity)}</td>'
                    f'<td class="num">{_num(s.length_ratio)}</td><td class="num">{_num(s.coverage_en, True)}</td>'
                    f'<td class="num">{_num(article_risk(o.result))}</td>'
                    f'<td class="num">{c["error"]}</td><td class="num">{c["warning"]}</td>'
                    f'<td class="num">{c["info"]}</td></tr>')
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _filters(checks: list[str]) -> str:
    sev = "".join(f'<label><input type="checkbox" data-k="sev" value="{s}" checked> {s}</label>' for s in SEVERITIES)
    chk = "".join(f'<label><input type="checkbox" data-k="check" value="{esc(c)}" checked> {esc(c)}</label>'
                  for c in checks) or '<span class="muted">no findings</span>'
    return (f'<div id="filters" role="search"><fieldset><legend>Severity</legend>{sev}</fieldset>'
            f'<fieldset><legend>Check</legend>{chk}</fieldset>'
            '<fieldset><label><input type="checkbox" id="only-flagged"> only pairs with findings</label>'
            '</fieldset></div>')


def render_html(outcomes: Sequence[Outcome], total: int | None = None, interrupted: bool = False,
                title: str = "mtcheck report") -> str:
    """The whole report as one HTML page that needs nothing else to display."""
    ok = [o for o in outcomes if o.ok]
    counts = {s: sum(o.result.counts()[s] for o in ok) for s in SEVERITIES}
    checks = sorted({f.check for o in ok for f in o.result.findings})
    signature = str(ok[0].result.signature) if ok else ""
    banner = ""
    if interrupted:
        banner = (f'<p class="banner">Interrupted: this report covers the {len(outcomes)} article(s) finished '
                  f'out of {total if total is not None else "?"}.</p>')
    n_err = len(outcomes) - len(ok)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p>{len(outcomes)} article(s){f", {n_err} not checked" if n_err else ""}: '
        f'<span class="count error">{counts["error"]} error(s)</span>, '
        f'<span class="count warning">{counts["warning"]} warning(s)</span>, '
        f'<span class="count info">{counts["info"]} info</span></p>',
        f'<p class="muted small">mtcheck {esc(__version__)} · {dt.datetime.now().strftime("%Y-%m-%d %H:%M")}'
        f'{" · " + esc(signature) if signature else ""}</p>',
        banner,
        _filters(checks),
        _summary(outcomes),
        *(_article_section(i, o) for i, o in enumerate(outcomes)),
        f"<script>{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
