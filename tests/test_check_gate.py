"""`mtcheck check`: exit codes, settings files, JUnit XML, GitHub annotations, JSON, and the baseline."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import DEMO, ROOT
from mtcheck.checks import available_checks
from mtcheck.cli import cli
from mtcheck.gate import _annotation, fingerprint
from mtcheck.records import Finding, Severity, Span
from mtcheck.settings import Settings, find_config, load_settings

FIXTURES = ROOT / "tests" / "fixtures" / "batch"
KEY = json.loads((DEMO / "answer_key.json").read_text(encoding="utf-8"))
PAIRS = {p["id"]: p for p in KEY["pairs"]}
JUNIT = etree.XMLSchema(etree.parse(str(FIXTURES / "junit.xsd")))
SUMMARY = re.compile(r"^mtcheck: (\d+) articles?, (\d+) failed, (\d+) errors?, (\d+) warnings?(, .*)?$", re.M)

try:
    from test_demo import KNOWN_MISSES
except ImportError:  # pragma: no cover
    KNOWN_MISSES = {}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    # Out of the repository, so that a [tool.mtcheck] table added to its pyproject.toml changes no test.
    monkeypatch.chdir(tmp_path)


def summary(output: str) -> tuple[int, int, int, int]:
    m = SUMMARY.search(output)
    assert m, output
    return tuple(int(g) for g in m.groups()[:4])


def copy_pair(pair_id: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for lang in ("fr", "en"):
        shutil.copy(DEMO / f"{pair_id}.{lang}.txt", dest / f"{pair_id}.{lang}.txt")
    return dest


def planted_errors():
    checks = available_checks()
    for p in KEY["pairs"]:
        for e in p["errors"]:
            if e["category"] in checks and (p["id"], e["category"]) not in KNOWN_MISSES:
                yield p, e


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


@pytest.fixture(scope="module")
def demo_gate(tmp_path_factory):
    out = tmp_path_factory.mktemp("gate")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(out)
        res = run("check", DEMO, "--jobs", "1", "--no-baseline", "--junit", out / "junit.xml", "--json",
                  out / "gate.json", "--github")
    return res, out


# ------------------------------------------------------------------------------------------------
# The demo corpus through the gate
# ------------------------------------------------------------------------------------------------


def test_demo_gate_fails_with_one_summary_line(demo_gate):
    res, out = demo_gate
    assert res.exit_code == 1, res.output
    n, failed, errors, _ = summary(res.output)
    assert n == 8 and failed >= 1 and errors >= failed
    assert res.output.rstrip("\n").splitlines()[-1].startswith("mtcheck: 8 articles")
    gate = json.loads((out / "gate.json").read_text(encoding="utf-8"))
    assert gate["summary"]["exit_code"] == 1 and gate["summary"]["failed"] == failed


def gate_finding(article: dict, pair: dict, error: dict) -> dict:
    """The gate JSON finding for a planted error: same check and severity, span on the error's line."""
    side = "fr" if error.get("fr_contains") else "en"
    path = DEMO / pair[side]
    text = path.read_text(encoding="utf-8")
    at = text.index(error[f"{side}_contains"])
    lo, hi = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    for f in article["findings"]:
        span = f[f"{side}_span"]
        if (f["check"] == error["category"] and f["severity"] == error["severity"] and span
                and span["start"] < hi and lo < span["end"]):
            return f
    raise AssertionError(f"{pair['id']}: the gate misses {error['description']}")


def test_junit_is_valid_one_testcase_per_article(demo_gate):
    _, out = demo_gate
    doc = etree.parse(str(out / "junit.xml"))
    assert JUNIT.validate(doc), JUNIT.error_log
    cases = {c.get("name"): c for c in doc.iter("testcase")}
    assert set(cases) == set(PAIRS)
    for pid in ("02-funding", "08-pharma-deal"):  # the clean pairs pass
        assert cases[pid].find("failure") is None and cases[pid].find("error") is None
    gate = {a["article"]: a for a in json.loads((out / "gate.json").read_text(encoding="utf-8"))["articles"]}
    for p, e in planted_errors():
        f = gate_finding(gate[p["id"]], p, e)
        where = cases[p["id"]].find("failure" if e["severity"] == "error" else "system-out")
        assert where is not None and f"{e['severity'].upper()} {e['category']}" in where.text, p["id"]
        assert f["message"] in where.text
        if f["found"]:
            assert f"found:    {f['found']}" in where.text


def test_planted_errors_in_github_annotations_and_json(demo_gate):
    res, out = demo_gate
    gate = {a["article"]: a for a in json.loads((out / "gate.json").read_text(encoding="utf-8"))["articles"]}
    annotations = [line for line in res.output.splitlines() if line.startswith("::")]
    for p, e in planted_errors():
        assert gate_finding(gate[p["id"]], p, e)["failing"] == (e["severity"] == "error")
        level = "error" if e["severity"] == "error" else "warning"
        if e.get("fr_contains"):
            path, line = DEMO / p["fr"], line_of(DEMO / p["fr"], e["fr_contains"])
        else:  # an omission points at the English sentence
            path, line = DEMO / p["en"], line_of(DEMO / p["en"], e["en_contains"])
        hits = [a for a in annotations if a.startswith(f"::{level} ") and f"{path.name},line={line}," in a
                and f"mtcheck {e['category']}" in a]
        assert hits, (p["id"], e["category"], line, [a for a in annotations if path.name in a])


def test_clean_pairs_pass_the_gate(tmp_path):
    res = run("check", DEMO / "02-funding.fr.txt", DEMO / "08-pharma-deal.fr.txt", "--jobs", "1", "--no-baseline")
    assert res.exit_code == 0, res.output
    assert summary(res.output)[:3] == (2, 0, 0)


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------


def test_settings_file_search_and_overrides(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.mtcheck]\nfail_on = ["error", "warning"]\n'
                                             'disabled = ["low-similarity"]\nconversion_tolerance = 0.01\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    s = load_settings(tmp_path / "pyproject.toml")
    assert s.fail_on == ("warning", "error") and s.disabled == ["low-similarity"]
    assert s.to_config().conversion_tolerance == 0.01 and not s.to_config().check_enabled("low-similarity")
    (tmp_path / "a" / "mtcheck.toml").write_text("min_similarity = 0.5\n")
    assert find_config(sub) == tmp_path / "a" / "mtcheck.toml"  # nearer wins
    assert s.override(fail_on=(), min_similarity=None).fail_on == ()


def test_the_config_file_applies_and_the_command_line_wins(tmp_path, monkeypatch):
    copy_pair("02-funding", tmp_path / "tr")
    monkeypatch.chdir(tmp_path)
    assert run("check", "tr", "--jobs", "1").exit_code == 0
    (tmp_path / "mtcheck.toml").write_text("min_similarity = 0.99\n")
    res = run("check", "tr", "--jobs", "1")
    assert res.exit_code == 1 and summary(res.output)[1] == 1
    assert run("check", "tr", "--jobs", "1", "--min-similarity", "0").exit_code == 0


def fake_outcome(name: str, *severities: str, error: str | None = None, kind: str = "input"):
    """An outcome without running the pipeline: an article with one finding per severity given."""
    from mtcheck.batch import Job, Outcome
    from mtcheck.records import Article, ArticleScores
    from mtcheck.result import Result, Signature

    job = Job(0, name, Path(f"{name}.fr.txt"), None)
    if error:
        return Outcome(job, error=error, kind=kind)
    text = "Le chiffre est 12.\nIl est faux.\n"
    findings = [Finding("figure", Severity(s), f"{s} here.", fr_span=Span(15, 17, "12"), found=f"12-{s}")
                for s in severities]
    result = Result(Article(text, "fr", []), None, [], [], [], findings, ArticleScores(), Signature())
    return Outcome(job, result=result)


def test_fail_on_severities_counts_and_exit_codes():
    from mtcheck.gate import Baseline, evaluate

    outcomes = [fake_outcome("a", "warning"), fake_outcome("b", "error", "info"), fake_outcome("c")]
    report = evaluate(outcomes, Settings(), Baseline())
    assert [v.status for v in report.verdicts] == ["passed", "failed", "passed"] and report.exit_code() == 1
    assert report.summary_line() == "mtcheck: 3 articles, 1 failed, 1 error, 1 warning"
    report = evaluate(outcomes, Settings(fail_on=("warning", "error")), Baseline())
    assert [v.status for v in report.verdicts] == ["failed", "failed", "passed"]
    assert evaluate(outcomes, Settings(fail_on=()), Baseline()).exit_code() == 0
    broken = [fake_outcome("x", error="x.fr.txt: no such file"), fake_outcome("y", error="bug", kind="internal")]
    assert evaluate(broken[:1], Settings(), Baseline()).exit_code() == 2
    assert evaluate(broken, Settings(), Baseline()).exit_code() == 3
    mixed = evaluate([fake_outcome("a"), broken[0]], Settings(), Baseline())
    assert mixed.exit_code() == 1 and mixed.summary_line().endswith(", 1 not checked")


def test_similarity_and_risk_thresholds(tmp_path):
    copy_pair("02-funding", tmp_path)
    res = run("check", tmp_path, "--jobs", "1", "--min-similarity", "0.99", "--json", tmp_path / "g.json")
    assert res.exit_code == 1
    reasons = json.loads((tmp_path / "g.json").read_text())["articles"][0]["reasons"]
    assert reasons and "below min_similarity 0.99" in reasons[0]
    res = run("check", tmp_path, "--jobs", "1", "--max-risk", "0.01", "--github")
    assert res.exit_code == 1 and "title=mtcheck%3A threshold::risk" in res.output
    assert run("check", tmp_path, "--jobs", "1", "--max-risk", "1", "--min-similarity", "-1").exit_code == 0


@pytest.mark.parametrize("toml, message", [
    ("max_risk = 0.2\nfial_on = []\n", "unknown key(s) fial_on"),
    ("max_risk = 2\n", "max_risk must be between 0 and 1"),
    ('fail_on = ["fatal"]\n', "unknown severity fatal"),
    ('disabled = ["no-such-check"]\n', "unknown check(s) no-such-check"),
    ("max_risk = \n", "not valid TOML"),
])
def test_bad_settings_are_usage_errors(tmp_path, toml, message):
    (tmp_path / "mtcheck.toml").write_text(toml)
    res = run("check", DEMO / "02-funding.fr.txt", "--config", tmp_path / "mtcheck.toml", "--jobs", "1")
    assert res.exit_code == 2 and message in res.output and "Traceback" not in res.output


def test_pyproject_without_the_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    found = find_config(tmp_path)
    assert found is None or found.parent != tmp_path
    assert Settings().fail_on == ("error",)
    res = run("check", DEMO / "02-funding.fr.txt", "--config", tmp_path / "pyproject.toml", "--jobs", "1")
    assert res.exit_code == 2 and "has no [tool.mtcheck] table" in res.output


# ------------------------------------------------------------------------------------------------
# Errors and exit codes
# ------------------------------------------------------------------------------------------------


def test_one_unreadable_article_is_an_errored_testcase_and_exit_1(tmp_path):
    (tmp_path / "m.csv").write_text(f"fr_path,en_path\n{DEMO / '02-funding.fr.txt'},{DEMO / '02-funding.en.txt'}\n"
                                    "missing.fr.txt,\n")
    res = run("check", tmp_path / "m.csv", "--jobs", "1", "--junit", tmp_path / "j.xml", "--github")
    assert res.exit_code == 1, res.output
    assert "1 not checked" in res.output and "::error file=" in res.output
    doc = etree.parse(str(tmp_path / "j.xml"))
    assert JUNIT.validate(doc), JUNIT.error_log
    errors = doc.findall(".//testcase/error")
    assert len(errors) == 1 and "no such file" in errors[0].get("message")
    assert doc.getroot().get("errors") == "1"


def test_exit_2_when_no_article_could_be_read_and_3_when_all_hit_a_bug(tmp_path, monkeypatch):
    (tmp_path / "m.csv").write_text("fr_path,en_path\nmissing.fr.txt,\ngone.fr.txt,gone.en.txt\n")
    assert run("check", tmp_path / "m.csv", "--jobs", "1").exit_code == 2
    assert run("check", tmp_path / "empty-folder-that-is-not-there", "--jobs", "1").exit_code == 2
    (tmp_path / "empty").mkdir()
    res = run("check", tmp_path / "empty", "--jobs", "1")
    assert res.exit_code == 2 and "no French articles found" in res.output

    import mtcheck.pipeline

    def bug(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(mtcheck.pipeline, "score_files", bug)
    res = run("check", DEMO / "02-funding.fr.txt", "--jobs", "1")
    assert res.exit_code == 3 and "internal error: ZeroDivisionError: oops" in res.output


def test_hostile_text_keeps_junit_valid_and_annotations_on_one_line(tmp_path):
    shutil.copytree(FIXTURES / "inject", tmp_path / "in")
    (tmp_path / "in" / "bell.fr.txt").write_text(
        "date 2025-07-01\nLe port de Sète\x07 agrandit son terminal\n\nSÈTE, 1er juillet (Reuters) - Le port a "
        "annoncé mardi\x1b[2J un investissement de 40 millions d'euros,\n::error::faux 100 %.\n", encoding="utf-8")
    res = run("check", tmp_path / "in", "--jobs", "1", "--junit", tmp_path / "j.xml", "--github",
              "--fail-on", "never")
    assert res.exit_code == 0, res.output
    assert JUNIT.validate(etree.parse(str(tmp_path / "j.xml"))), JUNIT.error_log
    for line in res.output.splitlines():
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line)
        assert line.startswith(("::error ", "::warning ", "::notice ", "mtcheck: ")), line


def test_annotation_escaping():
    line = _annotation("error", Path("a,b:c.fr.txt"), (3, 5, 3, 9), "mtcheck figure", "100 %\nsecond::line\r")
    assert line == ("::error file=a%2Cb%3Ac.fr.txt,line=3,col=5,endColumn=9,title=mtcheck figure"
                    "::100 %25%0Asecond::line%0D")


# ------------------------------------------------------------------------------------------------
# Baseline
# ------------------------------------------------------------------------------------------------


def _finding(start: int, found: str = "Kenji Watanabe") -> Finding:
    return Finding("entity", Severity.ERROR, "Name changed.", pair=3, fr_span=Span(start, start + len(found), found),
                   expected="Hiroshi Nakamura", found=found)


def test_fingerprint_ignores_offsets_and_spacing_but_not_content():
    fp = fingerprint("07-japan", _finding(100))
    assert fp == fingerprint("07-japan", _finding(900))
    rewrapped = Finding("entity", Severity.ERROR, "Other words.", pair=9, fr_span=Span(5, 21, "Kenji\u00a0 Watanabe"),
                        expected="Hiroshi  Nakamura", found="Kenji Watanabe")
    assert fp == fingerprint("07-japan", rewrapped)
    assert fp != fingerprint("07-japan", _finding(100, "Taro Suzuki"))
    assert fp != fingerprint("08-other", _finding(100))


def test_baseline_suppresses_accepted_findings_until_the_text_changes(tmp_path, monkeypatch):
    copy_pair("07-japan", tmp_path / "tr")
    monkeypatch.chdir(tmp_path)
    first = run("check", "tr", "--jobs", "1")
    assert first.exit_code == 1
    res = run("check", "tr", "--jobs", "1", "--update-baseline")
    assert res.exit_code == 0, res.output
    base = json.loads((tmp_path / "mtcheck-baseline.json").read_text(encoding="utf-8"))
    assert base["findings"] and all(e["article"] == "07-japan" for e in base["findings"])
    n = len(base["findings"])
    assert f"{n} suppressed by the baseline" in res.output

    fr = tmp_path / "tr" / "07-japan.fr.txt"
    text = fr.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n\n")
    fr.write_text(head + sep + "\n\n" + rest.replace(" ,", ","), encoding="utf-8")  # offsets move, text stays
    res = run("check", "tr", "--jobs", "1")
    assert res.exit_code == 0 and f"{n} suppressed by the baseline" in res.output, res.output

    if "entity" in available_checks() and "Kenji Watanabe" in text:
        fr.write_text(text.replace("Kenji Watanabe", "Taro Suzuki"), encoding="utf-8")
        res = run("check", "tr", "--jobs", "1", "--json", tmp_path / "g.json")
        assert res.exit_code == 1, res.output
        failing = [f for f in json.loads((tmp_path / "g.json").read_text())["articles"][0]["findings"]
                   if f["failing"]]
        assert failing and {f["found"] for f in failing} == {"Taro Suzuki"}

    assert run("check", "tr", "--jobs", "1", "--no-baseline").exit_code == 1
    res = run("check", "tr", "--jobs", "1", "--baseline", tmp_path / "nope.json")
    assert res.exit_code == 2 and "no such file" in res.output


def test_update_baseline_keeps_entries_of_articles_not_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mtcheck-baseline.json").write_text(json.dumps(
        {"tool": "mtcheck", "version": 1, "findings": [{"fingerprint": "abc", "article": "elsewhere", "check": "x"}]}))
    copy_pair("02-funding", tmp_path / "tr")
    assert run("check", "tr", "--jobs", "1", "--update-baseline").exit_code == 0
    fps = [e["fingerprint"] for e in json.loads((tmp_path / "mtcheck-baseline.json").read_text())["findings"]]
    assert "abc" in fps


# ------------------------------------------------------------------------------------------------
# Back-translation: --mt-model / --model-dir, or mt_model / model_dir in the settings
# ------------------------------------------------------------------------------------------------


def test_mt_model_and_model_dir_settings(tmp_path):
    (tmp_path / "mtcheck.toml").write_text('mt_model = "mtcheck/tiny-marian-fr-en"\nmodel_dir = "models"\n')
    s = load_settings(tmp_path / "mtcheck.toml")
    assert s.mt_model == "mtcheck/tiny-marian-fr-en" and s.model_dir == tmp_path / "models"  # relative to the file
    config = s.to_config()
    assert config.mt_model == "mtcheck/tiny-marian-fr-en" and config.model_dir == str(tmp_path / "models")
    (tmp_path / "opus").mkdir()
    (tmp_path / "mtcheck.toml").write_text('mt_model = "opus"\n')  # a model directory next to the file
    assert load_settings(tmp_path / "mtcheck.toml").mt_model == str(tmp_path / "opus")
    assert Settings(mt_model="none").to_config().mt_model is None
    assert Settings().override(mt_model="auto").to_config().mt_model == "auto"
    (tmp_path / "mtcheck.toml").write_text("mt_model = 3\n")
    with pytest.raises(Exception, match="mt_model must be"):
        load_settings(tmp_path / "mtcheck.toml")


def test_check_back_translates_with_the_settings_model(tmp_path, tmp_path_factory, monkeypatch):
    from test_backtranslate import tiny_marian_dir

    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "cache"))
    shutil.copytree(tiny_marian_dir(tmp_path_factory), tmp_path / "models" / "mtcheck__tiny-marian-fr-en")
    copy_pair("02-funding", tmp_path / "tr")
    (tmp_path / "mtcheck.toml").write_text('mt_model = "mtcheck/tiny-marian-fr-en"\nmodel_dir = "models"\n')
    res = run("check", "tr", "--jobs", "1", "--json", tmp_path / "gate.json", "--fail-on", "never")
    assert res.exit_code == 0, res.output
    item = json.loads((tmp_path / "gate.json").read_text())["articles"][0]
    assert "mt:mtcheck/tiny-marian-fr-en@" in item["signature"]
    res = run("check", "tr", "--jobs", "1", "--json", tmp_path / "gate.json", "--fail-on", "never",
              "--mt-model", "none")  # the command line wins
    assert res.exit_code == 0, res.output
    assert "|mt:none|" in json.loads((tmp_path / "gate.json").read_text())["articles"][0]["signature"]
    res = run("check", "tr", "--mt-model", "absent/model", "--model-dir", tmp_path / "models")
    assert res.exit_code == 2 and "mtcheck models pull absent/model" in res.output
