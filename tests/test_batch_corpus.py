"""`mtcheck report` and `mtcheck check` with --corpus: French articles given alone get their original retrieved."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def folders(tmp_path):
    corpus = tmp_path / "archive"
    shutil.copytree(FIXTURES / "en", corpus)
    french = tmp_path / "french"
    french.mkdir()
    for name in ("acme-first.fr.txt", "airbus.fr.txt", "vendanges.fr.txt"):
        shutil.copy(FIXTURES / "fr" / name, french / name)
    return french, corpus


def _articles(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "articles.csv", encoding="utf-8", newline="") as fh:
        return {row["article"]: row for row in csv.DictReader(fh)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_report_retrieves_each_original(folders, tmp_path, jobs):
    french, corpus = folders
    out = tmp_path / "report"
    res = run("report", french, "--corpus", corpus, "--out", out, "--jobs", jobs, "--quiet")
    assert res.exit_code == 0, res.output
    rows = _articles(out)
    assert rows["acme-first"]["original_id"] == "2024/acme-results.txt"  # the first take, not UPDATE 1
    assert rows["acme-first"]["en_path"].endswith("acme-results.txt")
    assert float(rows["acme-first"]["retrieval_confidence"]) > 0.9
    assert rows["airbus"]["original_id"] == "airbus-2024-07-10"  # a record of a .jsonl archive
    assert rows["airbus"]["en_path"].endswith("archive.jsonl:1")  # the archive and the record's line
    assert int(rows["airbus"]["pairs"]) > 0 and rows["airbus"]["status"] == "ok"
    # true negative: no original in the archive, so no alignment against a wrong one; French-only checks ran
    assert rows["vendanges"]["original_id"] == "" and rows["vendanges"]["status"] == "ok"
    assert rows["vendanges"]["retrieval_note"].startswith("no original found")
    assert rows["vendanges"]["coverage_en"] == "" and rows["vendanges"]["en_path"] == ""
    by_name = {a["article"]: a for a in json.loads((out / "report.json").read_text(encoding="utf-8"))}
    assert by_name["acme-first"]["retrieval"]["original"] == "2024/acme-results.txt"
    assert by_name["vendanges"]["result"]["en"] is None
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "retrieved: original: 2024/acme-results.txt" in page and "none (French-only checks): no original" in page


def test_pairs_keep_their_english_and_index_is_reused(folders, tmp_path):
    french, corpus = folders
    (french / "airbus.en.txt").write_text((FIXTURES / "en" / "2024" / "ecb-rates.txt").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    out = tmp_path / "report"
    res = run("report", french, "--corpus", corpus, "--out", out, "--jobs", "1", "--quiet")
    assert res.exit_code == 0, res.output
    rows = _articles(out)
    assert rows["airbus"]["original_id"] == ""  # given with its English: nothing retrieved
    assert rows["airbus"]["en_path"].endswith("airbus.en.txt")
    assert (corpus / ".mtcheck-index.sqlite").is_file()


def test_check_with_corpus_writes_retrieval_into_json(folders, tmp_path):
    french, corpus = folders
    gate = tmp_path / "gate.json"
    res = run("check", french / "acme-first.fr.txt", "--corpus", corpus, "--json", gate, "--jobs", "1", "--quiet",
              "--fail-on", "never", "--date-window-days", "3")
    assert res.exit_code == 0, res.output
    data = json.loads(gate.read_text(encoding="utf-8"))
    assert data["settings"]["date_window_days"] == 3 and data["settings"]["encoder"] == "use-m3"
    (article,) = data["articles"]
    assert article["retrieval"]["original"] == "2024/acme-results.txt" and article["status"] == "passed"


def test_corpus_errors_are_one_line(folders, tmp_path):
    french, corpus = folders
    res = run("report", french, "--corpus", tmp_path / "nowhere", "--out", tmp_path / "r", "--quiet")
    assert res.exit_code == 2 and "not a directory" in res.output
    res = run("report", french, "--index", tmp_path / "i.sqlite", "--out", tmp_path / "r", "--quiet")
    assert res.exit_code == 2 and "--index goes with --corpus" in res.output
