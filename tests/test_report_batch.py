"""`mtcheck report`: batch inputs, error rows, CSV/JSON/HTML outputs that are safe to open, Ctrl-C, --jobs."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import DEMO, ROOT
from mtcheck.batch import collect_jobs, split_name
from mtcheck.checks import available_checks
from mtcheck.cli import cli

FIXTURES = ROOT / "tests" / "fixtures" / "batch"
SCHEMA = json.loads((ROOT / "mtcheck" / "schema" / "output.schema.json").read_text())
KEY = json.loads((DEMO / "answer_key.json").read_text(encoding="utf-8"))
CHROMIUM = Path("/usr/bin/chromium")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

try:  # the acceptance test's known misses, so this file expects exactly what the pipeline promises
    from test_demo import KNOWN_MISSES
except ImportError:  # pragma: no cover
    KNOWN_MISSES = {}

CONTROL_FR = ("date 2025-07-01\nLe port de Sète\x07 agrandit son terminal\n\n"
              "SÈTE, 1er juillet (Reuters) - Le port de Sète a annoncé mardi\x1b[31m l'agrandissement de son "
              "terminal\x0b à conteneurs pour un coût de 40 millions d'euros.\n\n"
              "Les travaux\x7f commenceront en septembre et dureront deux ans.\n")
CONTROL_EN = ("date 2025-07-01\nPort of Sete to expand its terminal\n\n"
              "SETE, July 1 (Reuters) - The port of Sete said on Tuesday it would expand its container "
              "terminal at a cost of 40 million euros.\n\nWork will start in September and last two years.\n")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    # Out of the repository, so that a [tool.mtcheck] table added to its pyproject.toml changes no test.
    monkeypatch.chdir(tmp_path)


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""
    from html.parser import HTMLParser

    tags: list = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, [(k, v or "") for k, v in attrs]))

    Collect().feed(html)
    return tags


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def expected_errors():
    """Planted errors whose check is registered and that the pipeline is meant to find."""
    checks = available_checks()
    for pair in KEY["pairs"]:
        for e in pair["errors"]:
            if e["category"] in checks and (pair["id"], e["category"]) not in KNOWN_MISSES:
                yield pair, e


def sentence_range(item: dict, side: str, needle: str) -> tuple[int, int]:
    text = Path(item[f"{side}_path"]).read_text(encoding="utf-8")
    at = text.index(needle)
    for s in item["result"][f"{side}_sentences"]:
        if s["start"] <= at < s["end"]:
            return s["start"], s["end"]
    raise AssertionError(f"{needle!r} is in no sentence")


def matches(f: dict, error: dict, item: dict) -> bool:
    """Same rule as tests/test_demo.py, on the JSON form of a finding."""
    def overlaps(span, rng):
        return span is not None and span["start"] < rng[1] and rng[0] < span["end"]

    if f["check"] != error["category"]:
        return False
    ok = True
    if error.get("fr_contains"):
        ok &= overlaps(f["fr_span"], sentence_range(item, "fr", error["fr_contains"]))
    if error.get("en_contains") and (f["en_span"] is not None or not error.get("fr_contains")):
        ok &= overlaps(f["en_span"], sentence_range(item, "en", error["en_contains"]))
    return ok


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-report")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(out)
        res = run("report", DEMO, "--out", out, "--jobs", "1")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("mtcheck: 8 articles,")
    return out


@pytest.fixture(scope="module")
def inject_report(tmp_path_factory) -> Path:
    """The injection fixtures, an article with control characters, one named like a formula, a broken manifest."""
    src = tmp_path_factory.mktemp("inject-src")
    shutil.copytree(FIXTURES / "inject", src / "inject")
    shutil.copy(FIXTURES / "manifest.csv", src / "manifest.csv")
    (src / "inject" / "control.fr.txt").write_text(CONTROL_FR, encoding="utf-8")
    (src / "inject" / "control.en.txt").write_text(CONTROL_EN, encoding="utf-8")
    shutil.copy(src / "inject" / "formula.fr.txt", src / "inject" / "@SUM(1+1).fr.txt")
    out = tmp_path_factory.mktemp("inject-report")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(out)
        res = run("report", src / "manifest.csv", src / "inject", "--out", out, "--jobs", "1")
    assert res.exit_code == 0, res.output
    return out


# ------------------------------------------------------------------------------------------------
# Inputs
# ------------------------------------------------------------------------------------------------


def test_split_name():
    assert split_name(Path("01-x.fr.txt")) == ("01-x", "fr")
    assert split_name(Path("a.b.EN.html")) == ("a.b", "en")
    assert split_name(Path("notes.txt")) is None and split_name(Path("x.de.txt")) is None


def test_folder_pairs_any_format_french_only_and_hidden_folders(tmp_path):
    for name in ("a.fr.txt", "a.en.txt", "b.fr.html", "b.en.md", "c.fr.md", "only.en.txt", "readme.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.fr.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "e.fr.txt").write_text("x", encoding="utf-8")
    jobs = collect_jobs([tmp_path, tmp_path / "a.fr.txt"])  # a.fr.txt twice: scored once
    got = {j.name: (j.fr_path.name, j.en_path.name if j.en_path else None) for j in jobs}
    assert got == {"a": ("a.fr.txt", "a.en.txt"), "b": ("b.fr.html", "b.en.md"), "c": ("c.fr.md", None),
                   "sub/d": ("d.fr.txt", None)}
    assert [j.index for j in jobs] == list(range(len(jobs)))
    assert jobs[-1].key == "d"


def test_manifest_rows(tmp_path):
    (tmp_path / "m.csv").write_text("fr_path,en_path,date\nx/a.fr.txt,x/a.en.txt,2025-01-02\nb.fr.txt,,\n"
                                    "c.fr.txt,,2025-13-01\n", encoding="utf-8")
    jobs = collect_jobs([tmp_path / "m.csv"])
    assert jobs[0].fr_path == tmp_path / "x" / "a.fr.txt" and str(jobs[0].date) == "2025-01-02"
    assert jobs[1].en_path is None and jobs[1].problem is None
    assert "not a date" in jobs[2].problem
    (tmp_path / "n.csv").write_text("a.fr.txt,a.en.txt\n", encoding="utf-8")  # no header
    assert collect_jobs([tmp_path / "n.csv"])[0].en_path == tmp_path / "a.en.txt"


@pytest.mark.parametrize("make, message", [
    (lambda p: p, "no French articles found"),
    (lambda p: p / "missing", "no such file or folder"),
    (lambda p: (p / "x.txt").write_text("x") and p / "x.txt", "not a folder, a .csv manifest"),
])
def test_no_input_is_exit_2(tmp_path, make, message):
    res = run("report", make(tmp_path), "--out", tmp_path / "out", "--jobs", "1")
    assert res.exit_code == 2 and message in res.output and "Traceback" not in res.output


def test_unknown_check_is_a_usage_error(tmp_path):
    res = run("report", DEMO, "--disable", "nope", "--out", tmp_path)
    assert res.exit_code == 2 and "unknown check" in res.output


# ------------------------------------------------------------------------------------------------
# The demo corpus
# ------------------------------------------------------------------------------------------------


def test_demo_report_json_follows_the_schema(demo_report):
    items = json.loads((demo_report / "report.json").read_text(encoding="utf-8"))
    assert [i["article"] for i in items] == [p["id"] for p in KEY["pairs"]]
    for item in items:
        assert item["status"] == "ok" and item["error"] is None
        jsonschema.validate(item["result"], SCHEMA)


def test_planted_errors_are_in_every_report_format(demo_report):
    items = {i["article"]: i for i in json.loads((demo_report / "report.json").read_text(encoding="utf-8"))}
    rows = read_csv(demo_report / "findings.csv")
    html = (demo_report / "report.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section class="article" id="(a\d+)">\s*<h2>([^<]*)</h2>', html))
    by_name = {name: aid for aid, name in sections.items()}
    for pair, error in expected_errors():
        item = items[pair["id"]]
        hits = [f for f in item["result"]["findings"] if matches(f, error, item)]
        assert hits, f"{pair['id']}: report.json misses {error['description']}"
        f = hits[0]
        row = [r for r in rows if r["article"] == pair["id"] and r["check"] == f["check"]
               and r["severity"] == f["severity"]
               and r["fr_start"] == (str(f["fr_span"]["start"]) if f["fr_span"] else "")
               and r["en_start"] == (str(f["en_span"]["start"]) if f["en_span"] else "")]
        assert row, f"{pair['id']}: findings.csv misses {error['description']}"
        aid = by_name[pair["id"]]
        k = item["result"]["findings"].index(f)
        assert re.search(rf'<li class="finding sev-{f["severity"]}" id="{aid}-f{k}" data-sev="{f["severity"]}" '
                         rf'data-check="{f["check"]}">', html), f"{pair['id']}: report.html misses the finding"
        if f["fr_span"] or f["en_span"]:
            assert re.search(rf'<mark class="sev-\w+" data-f="[^"]*\b{aid}-f{k}\b', html), "span not highlighted"


def test_every_finding_is_one_csv_row_and_counts_agree(demo_report):
    items = json.loads((demo_report / "report.json").read_text(encoding="utf-8"))
    rows = read_csv(demo_report / "findings.csv")
    articles = {r["article"]: r for r in read_csv(demo_report / "articles.csv")}
    segments = read_csv(demo_report / "segments.csv")
    for item in items:
        name, res = item["article"], item["result"]
        assert sum(r["article"] == name for r in rows) == len(res["findings"])
        assert sum(r["article"] == name for r in segments) == len(res["pairs"])
        a = articles[name]
        assert a["status"] == "ok" and int(a["errors"]) == res["counts"]["error"]
        assert a["en_path"].endswith(f"{name}.en.txt")


@pytest.mark.parametrize("pair_id", [p["id"] for p in KEY["pairs"] if p["clean"]])
def test_clean_pairs_have_no_errors(demo_report, pair_id):
    a = {r["article"]: r for r in read_csv(demo_report / "articles.csv")}[pair_id]
    assert a["status"] == "ok" and a["errors"] == "0"


def test_csv_keeps_accents_quotes_and_newlines(demo_report):
    text = (demo_report / "segments.csv").read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    rows = read_csv(demo_report / "segments.csv")
    assert any("«" in r["fr_text"] and "é" in r["fr_text"] for r in rows)
    assert any('"' in r["en_text"] for r in rows)


# ------------------------------------------------------------------------------------------------
# Hostile input
# ------------------------------------------------------------------------------------------------


def test_manifest_missing_file_is_an_error_row_and_the_batch_goes_on(inject_report):
    articles = read_csv(inject_report / "articles.csv")
    status = {r["article"]: (r["status"], r["error"]) for r in articles}
    assert status["inject/missing"][0] == "error" and "no such file" in status["inject/missing"][1]
    assert all(s == "ok" for name, (s, _) in status.items() if name != "inject/missing")
    assert {"inject/formula", "inject/script", "control", "'@SUM(1+1)"} <= set(status)  # neutralised name
    items = json.loads((inject_report / "report.json").read_text(encoding="utf-8"))
    missing = next(i for i in items if i["article"] == "inject/missing")
    assert missing["status"] == "error" and missing["result"] is None


def test_no_csv_cell_can_run_as_a_formula(inject_report):
    seen_formula = False
    for name in ("findings.csv", "segments.csv", "articles.csv"):
        with open(inject_report / name, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(FORMULA_START), (name, cell)
                    seen_formula |= cell.startswith("'=HYPERLINK(") or cell.startswith("'@SUM")
    assert seen_formula, "the fixture's formula text should be in the CSV, neutralised"


def test_control_characters_are_shown_not_written(inject_report):
    for name in ("findings.csv", "segments.csv", "articles.csv", "report.html"):
        text = (inject_report / name).read_text(encoding="utf-8")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), name
    segments = (inject_report / "segments.csv").read_text(encoding="utf-8")
    assert "Sète\u2407" in segments and "\u241b[31m" in segments  # ␇ and ␛: visible, offsets unchanged
    json.loads((inject_report / "report.json").read_text(encoding="utf-8"))  # JSON escapes them itself


def test_html_escapes_article_text_and_loads_nothing(inject_report):
    html = (inject_report / "report.html").read_text(encoding="utf-8")
    assert "document.title='pwned'" not in html.replace("&lt;script&gt;document.title=&#x27;pwned&#x27;", "")
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;" in html
    assert len(re.findall(r"<script\b", html)) == 1 and len(re.findall(r"<style\b", html)) == 1
    tags = parse_tags(html)
    assert not {t for t, _ in tags} & {"link", "img", "iframe", "object", "embed", "base", "form"}
    assert all(k != "src" and (k != "href" or v.startswith("#")) for _, attrs in tags for k, v in attrs)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "@import" not in style and "url(" not in style
    for body in (script, style):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium)")
def test_report_renders_in_chromium_and_injected_script_does_not_run(inject_report, tmp_path):
    shot, dom = tmp_path / "report.png", tmp_path / "dom.html"
    script = ROOT / "scripts" / "render_report.py"
    proc = subprocess.run([sys.executable, str(script), str(inject_report / "report.html"), "--screenshot", str(shot),
                           "--dom", str(dom)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["title"] == "mtcheck report"  # the article's <script> would have set it to 'pwned'
    assert info["script_ran"], "the page's own script was blocked: the CSP hash does not match"
    text = dom.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in text and "<img" not in text
    assert 'class="pair flagged"' in text  # the filter script ran over the findings (the class is set by it only)
    assert 'class="pair flagged"' not in (inject_report / "report.html").read_text(encoding="utf-8")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_excel_flag_writes_a_bom(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(FIXTURES / "inject" / "script.fr.txt", tmp_path / "in" / "s.fr.txt")
    res = run("report", tmp_path / "in", "--out", tmp_path / "out", "--jobs", "1", "--excel")
    assert res.exit_code == 0, res.output
    raw = (tmp_path / "out" / "segments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and rows[0]["article"] == "s" and rows[0]["kind"] == "0-1"  # French only


# ------------------------------------------------------------------------------------------------
# Failures and interruptions during a batch
# ------------------------------------------------------------------------------------------------


def test_unexpected_exception_is_an_error_row(tmp_path, monkeypatch):
    import mtcheck.pipeline

    real = mtcheck.pipeline.score_files

    def flaky(fr_path, *args, **kwargs):
        if "script" in str(fr_path):
            raise RuntimeError("boom")
        return real(fr_path, *args, **kwargs)

    monkeypatch.setattr(mtcheck.pipeline, "score_files", flaky)
    res = run("report", FIXTURES / "inject", "--out", tmp_path, "--jobs", "1")
    assert res.exit_code == 0, res.output
    status = {r["article"]: (r["status"], r["error"]) for r in read_csv(tmp_path / "articles.csv")}
    assert status["script"] == ("error", "internal error: RuntimeError: boom")
    assert status["formula"][0] == "ok"


def test_ctrl_c_writes_the_finished_articles_and_exits_130(tmp_path, monkeypatch):
    import mtcheck.batch

    real = mtcheck.batch.score_job

    def interrupted(job, *args, **kwargs):
        if job.index == 1:
            raise KeyboardInterrupt
        return real(job, *args, **kwargs)

    monkeypatch.setattr(mtcheck.batch, "score_job", interrupted)
    res = CliRunner().invoke(cli, ["report", str(FIXTURES / "inject"), "--out", str(tmp_path), "--jobs", "1"])
    assert res.exit_code == 130, res.output
    assert [r["article"] for r in read_csv(tmp_path / "articles.csv")] == ["formula"]
    assert "Interrupted" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_two_jobs_give_the_same_report_as_one(tmp_path):
    args = ["report", FIXTURES / "manifest.csv", "--quiet"]
    assert run(*args, "--out", tmp_path / "one", "--jobs", "1").exit_code == 0
    res = run(*args, "--out", tmp_path / "two", "--jobs", "2")
    assert res.exit_code == 0, res.output
    for name in ("findings.csv", "segments.csv"):
        assert (tmp_path / "one" / name).read_text() == (tmp_path / "two" / name).read_text(), name
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert strip(read_csv(tmp_path / "one" / "articles.csv")) == strip(read_csv(tmp_path / "two" / "articles.csv"))


# ------------------------------------------------------------------------------------------------
# Back-translation in a batch
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> Path:
    """A model folder holding the tiny MarianMT of tests/test_backtranslate.py (built once per session)."""
    from test_backtranslate import tiny_marian_dir

    models = tmp_path_factory.getbasetemp() / "batch-models"
    if not (models / "mtcheck__tiny-marian-fr-en").is_dir():
        shutil.copytree(tiny_marian_dir(tmp_path_factory), models / "mtcheck__tiny-marian-fr-en")
    return models


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_report_passes_the_mt_model_to_every_worker(tmp_path, monkeypatch, tiny_models, jobs):
    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "src"
    src.mkdir()
    for pair_id in ("02-funding", "07-japan"):
        for lang in ("fr", "en"):
            shutil.copy(DEMO / f"{pair_id}.{lang}.txt", src / f"{pair_id}.{lang}.txt")
    res = run("report", src, "--out", tmp_path / "out", "--jobs", jobs, "--quiet",
              "--mt-model", "mtcheck/tiny-marian-fr-en", "--model-dir", tiny_models)
    assert res.exit_code == 0, res.output
    items = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert len(items) == 2
    for item in items:
        result = item["result"]
        jsonschema.validate(result, SCHEMA)
        assert result["signature_fields"]["mt_model"].startswith("mtcheck/tiny-marian-fr-en@")
        assert {"bt-chrf", "risk"} <= set(result["scorers"]) and "bt_chrf" in result["scores"]["extra"]
        full = [p for p in result["pairs"] if p["en"] and p["fr"]]
        assert full and all("bt_chrf" in p["scores"] for p in full)
    signatures = [r["signature"] for r in read_csv(tmp_path / "out" / "articles.csv")]
    assert all("mt:mtcheck/tiny-marian-fr-en@" in s for s in signatures)
    assert (tmp_path / "cache" / "backtranslate.sqlite").is_file()  # the workers' translations were cached


def test_report_with_an_absent_mt_model_stops_before_scoring(tmp_path, monkeypatch):
    import mtcheck.batch

    monkeypatch.setenv("MTCHECK_MODELS", str(tmp_path / "none"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(mtcheck.batch, "run_batch", lambda *a, **k: pytest.fail("scored without the model"))
    res = CliRunner().invoke(cli, ["report", str(DEMO), "--out", str(tmp_path / "out"),
                                   "--mt-model", "Helsinki-NLP/opus-mt-fr-en"])
    assert res.exit_code == 2 and "mtcheck models pull Helsinki-NLP/opus-mt-fr-en" in res.output
