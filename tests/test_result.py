"""Result contract: JSON schema, DataFrame, signature, and spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from mtcheck.records import AlignedPair, Article, ArticleScores, Block, Finding, Sentence, Severity, Span
from mtcheck.report import safe_cell, to_csv, to_json
from mtcheck.result import Result, Signature

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "mtcheck" / "schema" / "output.schema.json").read_text())


def _result(fr_text="=HYPERLINK(\"http://x\") a dit lundi.", en_text="He said on Monday.") -> Result:
    fr = Article(text=fr_text, lang="fr", blocks=[Block(0, len(fr_text), fr_text)])
    en = Article(text=en_text, lang="en", blocks=[Block(0, len(en_text), en_text)])
    fs = [Sentence(0, fr_text, 0, len(fr_text))]
    es = [Sentence(0, en_text, 0, len(en_text))]
    pairs = [AlignedPair(0, [0], [0], en_text, fr_text, 0.7, similarity=0.81, length_ratio=1.9)]
    findings = [Finding("figure", Severity.ERROR, "Monday became Tuesday.", 0, Span(0, 5, fr_text[:5]),
                        Span(11, 17, "Monday"), "lundi", "mardi")]
    return Result(fr, en, fs, es, pairs, findings, ArticleScores(0.81, 1.9, 1.0, 1.0),
                  Signature(encoder="use-m3@0.2.1", checks=["figure", "omission"], rates_date="2026-02-26"))


def test_to_dict_validates_against_schema():
    jsonschema.validate(json.loads(to_json(_result())), SCHEMA)


def test_schema_rejects_a_finding_without_severity():
    d = _result().to_dict()
    del d["findings"][0]["severity"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, SCHEMA)


def test_signature_names_what_produced_the_result():
    sig = str(_result().signature)
    assert sig.startswith("mtcheck:")
    for part in ("enc:use-m3@0.2.1", "checks:figure,omission", "conv-tol:2%", "rates:2026-02-26", "mt:none"):
        assert part in sig


def test_dataframe_has_one_row_per_pair_with_findings():
    df = _result().to_dataframe()
    assert list(df["pair"]) == [0]
    assert df.loc[0, "severity"] == "error"
    assert "Monday became Tuesday" in df.loc[0, "findings"]
    assert list(_result().findings_dataframe()["check"]) == ["figure"]


@pytest.mark.parametrize("cell", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Amazon", "1,3 milliard", "« cité »", 3.5, None])
def test_ordinary_cells_are_untouched(cell):
    assert safe_cell(cell) == cell


def test_csv_keeps_accents_quotes_and_cannot_run_formulas():
    rows = list(csv.DictReader(io.StringIO(to_csv(_result(fr_text='=HYPERLINK("x") « é »\nligne')))))
    assert rows[0]["fr_text"] == "'=HYPERLINK(\"x\") « é »\nligne"
    assert rows[0]["en_text"] == "He said on Monday."
