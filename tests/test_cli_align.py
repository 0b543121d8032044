"""`mtcheck align A B`: beads in text and JSON, moved passages, --presplit for any language, one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.cli import cli
from test_reorder import EN_ARTICLE, FR_MOVED_ARTICLE

BEAD = re.compile(r"^\[(\d+(?:,\d+)*)?\]:\[(\d+(?:,\d+)*)?\]:-?\d+\.\d\d$")


def run(*args):
    return CliRunner().invoke(cli, ["align", *[str(a) for a in args]])


@pytest.fixture
def moved_pair(tmp_path):
    fr, en = tmp_path / "story.fr.txt", tmp_path / "story.en.txt"
    fr.write_text(FR_MOVED_ARTICLE, encoding="utf-8")
    en.write_text(EN_ARTICLE, encoding="utf-8")
    return fr, en


def test_text_output_lists_beads_sentences_and_the_moved_passage(moved_pair):
    res = run(*moved_pair)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    beads = [line for line in lines if BEAD.match(line)]
    assert beads[0].startswith("[0]:[0]:")
    assert "[]:[5]:0.00" in beads and "[8]:[]:0.00" in beads  # the move, as the monotone DP sees it
    assert "    A0  Renault va supprimer 2 000 emplois en France" in lines
    assert "    B0  Renault to cut 2,000 jobs in France" in lines
    assert any(line.startswith("moved: A [8,9] = B [5,6]") for line in lines)
    assert lines[-1].startswith("signature: mtcheck:")


def test_json_output_covers_every_sentence_once_and_lists_moves(moved_pair):
    res = run(*moved_pair, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    n_a, n_b = len(data["a"]["sentences"]), len(data["b"]["sentences"])
    assert (n_a, n_b) == (10, 10)
    assert sorted(i for b in data["beads"] for i in b["a"]) == list(range(n_a))
    assert sorted(i for b in data["beads"] for i in b["b"]) == list(range(n_b))
    assert all(set(b) == {"a", "b", "score"} for b in data["beads"])
    assert [(m["a"], m["b"]) for m in data["moved"]] == [([8, 9], [5, 6])]
    assert data["moved"][0]["similarity"] > 0.65
    fr_text = moved_pair[0].read_text(encoding="utf-8")
    for s in data["a"]["sentences"]:  # offsets into the input, as in `mtcheck score`
        assert fr_text[s["start"] : s["end"]] == s["text"]
    assert data["a"]["lang"] == "fr" and data["b"]["lang"] == "en"
    assert data["signature"].startswith("mtcheck:") and "|enc:use-m3" in data["signature"]
    assert data["params"]["align"]["max_side"] == 2 and data["params"]["moved"]["threshold"] > 0


def test_sides_follow_the_languages_when_a_is_english(moved_pair):
    fr, en = moved_pair
    res = run(en, fr, "--lang-a", "en", "--lang-b", "fr", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["a"]["lang"] == "en" and data["a"]["sentences"][0]["text"].startswith("Renault to cut")
    assert [(m["a"], m["b"]) for m in data["moved"]] == [([5, 6], [8, 9])]


def test_presplit_aligns_any_language_line_by_line(tmp_path):
    de = tmp_path / "de.txt"
    fr = tmp_path / "fr.txt"
    de.write_text("Die Europäische Zentralbank hat am Donnerstag ihre Leitzinsen um 25 Basispunkte gesenkt.\n\n"
                  "Die Inflation im Euroraum fiel im Mai auf 2,1 Prozent.\n"
                  "Präsidentin Christine Lagarde sagte, weitere Schritte hingen von den Daten ab.\n", encoding="utf-8")
    fr.write_text("La Banque centrale européenne a abaissé jeudi ses taux directeurs de 25 points de base.\n"
                  "L'inflation dans la zone euro est tombée à 2,1 % en mai.\n"
                  "La présidente Christine Lagarde a déclaré que la suite dépendrait des données.\n",
                  encoding="utf-8")
    res = run(de, fr, "--presplit", "--lang-a", "de", "--lang-b", "fr", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [(b["a"], b["b"]) for b in data["beads"]] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert [s["line"] for s in data["a"]["sentences"]] == [1, 3, 4]  # blank line skipped
    assert data["moved"] == [] and data["signature"].endswith("split:presplit")


def test_language_without_segmentation_rules_needs_presplit(tmp_path):
    de = tmp_path / "de.txt"
    de.write_text("Die Europäische Zentralbank hat am Donnerstag ihre Leitzinsen gesenkt.\n", encoding="utf-8")
    res = run(de, de, "--lang-a", "de", "--lang-b", "de")
    assert res.exit_code == 2
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error:") and "--presplit" in lines[0]


@pytest.mark.parametrize("presplit", [False, True])
@pytest.mark.parametrize("case", ["missing", "empty", "binary", "directory"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, moved_pair, case, presplit):
    bad = {"missing": tmp_path / "nope.txt", "empty": tmp_path / "empty.txt", "binary": tmp_path / "image.txt",
           "directory": tmp_path}[case]
    (tmp_path / "empty.txt").write_text(" \n\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 40)
    res = run(bad, moved_pair[1], *(["--presplit"] if presplit else []))
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error:"), res.output
    assert "Traceback" not in res.output


def test_help():
    res = run("--help")
    assert res.exit_code == 0 and "--presplit" in res.output and "[0]:[0,1]:0.83" in res.output


def test_presplit_counts_only_newlines(tmp_path):
    """A form feed or U+2028 inside a line is not a line break: line numbers stay an editor's."""
    from mtcheck.cli_align import _read_lines

    f = tmp_path / "a.txt"
    f.write_text("Profit rose\u2028sharply.\r\nSales fell.\x0c\n\nCosts were flat.\n", encoding="utf-8")
    side = _read_lines(f, "en")
    assert len(side.texts) == 3 and [o["line"] for o in side.origin] == [1, 2, 4]


def test_closed_pipe_is_not_an_internal_error():
    """`mtcheck align A B | head -1`: the reader leaves early; mtcheck exits quietly (141), no 'internal error'."""
    import subprocess
    import sys

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    proc = subprocess.Popen([sys.executable, "-m", "mtcheck", "align", str(demo / "01-acquisition.fr.txt"),
                             str(demo / "01-acquisition.en.txt")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before mtcheck writes a line
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert b"internal error" not in err and b"Traceback" not in err
