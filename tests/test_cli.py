"""The command line: formats, exit codes, and one-line errors on bad input."""

from __future__ import annotations

import hashlib
import json
import shutil

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import DEMO, ROOT
from mtcheck.cli import cli

SCHEMA = json.loads((ROOT / "mtcheck" / "schema" / "output.schema.json").read_text())
CLEAN_FR, CLEAN_EN = DEMO / "02-funding.fr.txt", DEMO / "02-funding.en.txt"
FAULTY_FR, FAULTY_EN = DEMO / "07-japan.fr.txt", DEMO / "07-japan.en.txt"

FRENCH = ("La Banque centrale européenne a abaissé jeudi ses taux directeurs de 25 points de base, "
          "comme l'attendaient les économistes interrogés par Reuters.\n")
ENGLISH = ("The European Central Bank cut its key interest rates by 25 basis points on Thursday, "
           "as expected by economists polled by Reuters.\n")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_help_everywhere():
    assert run("--help").exit_code == 0
    res = run("score", "--help")
    assert res.exit_code == 0 and "--format" in res.output and "Exit codes" not in res.output


def test_json_output_follows_schema_and_keeps_offsets():
    res = run("score", CLEAN_FR, CLEAN_EN, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    jsonschema.validate(data, SCHEMA)
    fr_text = CLEAN_FR.read_text(encoding="utf-8")
    for s in data["fr_sentences"]:
        assert fr_text[s["start"]:s["end"]] == s["text"]
    assert data["signature"].startswith("mtcheck:")


def test_findings_at_error_severity_exit_1():
    res = run("score", FAULTY_FR, FAULTY_EN, "--format", "json")
    assert res.exit_code == 1
    checks = {f["check"] for f in json.loads(res.output)["findings"] if f["severity"] == "error"}
    assert "omission" in checks


def test_fail_on_never_exits_0():
    assert run("score", FAULTY_FR, FAULTY_EN, "--format", "json", "--fail-on", "never").exit_code == 0


def test_text_output_is_plain_when_piped():
    res = run("score", FAULTY_FR, FAULTY_EN, "--show-removed")
    assert "\x1b[" not in res.output
    assert "Aligned pairs" in res.output and "Findings" in res.output and "omission" in res.output
    assert "translation-notice" in res.output
    assert "Signature: mtcheck:" in res.output


def test_csv_output(tmp_path):
    out = tmp_path / "pairs.csv"
    res = run("score", CLEAN_FR, CLEAN_EN, "--format", "csv", "--out", out)
    assert res.exit_code == 0
    import pandas as pd

    df = pd.read_csv(out)
    assert {"pair", "kind", "en_text", "fr_text", "similarity"} <= set(df.columns)


def test_input_files_are_never_modified(tmp_path):
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    shutil.copy(FAULTY_FR, fr)
    shutil.copy(FAULTY_EN, en)
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (fr, en)]
    run("score", fr, en, "--format", "json", "--out", tmp_path / "out.json")
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in (fr, en)] == before


def test_out_refuses_to_overwrite_an_input(tmp_path):
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    fr.write_text(FRENCH, encoding="utf-8")
    en.write_text(ENGLISH, encoding="utf-8")
    res = run("score", fr, en, "--out", fr)
    assert res.exit_code == 2 and fr.read_text(encoding="utf-8") == FRENCH


def _bad_inputs(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text(ENGLISH, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    huge.write_text(FRENCH * (50_000_000 // len(FRENCH) + 1), encoding="utf-8")
    english_as_french = tmp_path / "fr.txt"
    english_as_french.write_text(ENGLISH * 3, encoding="utf-8")
    return {
        "empty": (empty, en),
        "binary": (binary, en),
        "huge": (huge, en),
        "missing": (tmp_path / "nope.txt", en),
        "directory": (tmp_path, en),
        "english-as-french": (english_as_french, en),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "huge", "missing", "directory", "english-as-french"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, case):
    fr, en = _bad_inputs(tmp_path)[case]
    res = CliRunner().invoke(cli, ["score", str(fr), str(en)])
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error:"), res.output
    assert "Traceback" not in res.output


def test_windows_1252_is_decoded_with_a_notice(tmp_path):
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    fr.write_bytes(FRENCH.encode("cp1252"))
    en.write_text(ENGLISH, encoding="utf-8")
    res = run("score", fr, en, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert "européenne" in data["fr_sentences"][0]["text"]
    assert any("1252" in n for n in data["fr"]["notices"])


def test_unknown_check_is_a_usage_error():
    res = CliRunner().invoke(cli, ["score", str(CLEAN_FR), str(CLEAN_EN), "--disable", "nonsense"])
    assert res.exit_code == 2 and "unknown check" in res.output
