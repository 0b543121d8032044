"""Back-translation scoring on a tiny MarianMT model built for the session: load, split, translate, cache, score."""

from __future__ import annotations

import importlib.util
import sys
import json
import shutil
from pathlib import Path

import pytest

from conftest import DEMO, ROOT
from mtcheck.backtranslate import BackTranslator, score_back_translation, split_clauses, text_hash
from mtcheck.config import Config
from mtcheck.errors import MtcheckError
from mtcheck.records import AlignedPair

FR = ["La banque a relevé ses taux.", "Les marchés ont reculé lundi.", "Le titre a chuté de 10 %."]
EN = ["The bank raised its rates.", "Markets fell on Monday.", "The shares fell 10%."]
LONG = ("Les marchés ont reculé lundi, tandis que le dollar a gagné du terrain face à l'euro; les analystes "
        "attendaient une hausse des taux, mais la banque centrale a maintenu ses taux et le ministre a démissionné.")


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


def tiny_marian_dir(tmp_path_factory) -> Path:
    """Build the tiny model once per session (other test modules reuse the same directory)."""
    out = tmp_path_factory.getbasetemp() / "tiny-marian-fr-en"
    if not (out / "mtcheck-manifest.json").is_file():
        _load_script("make_tiny_marian").build_tiny_marian(out, steps=60, seed=0)
    return out


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory) -> Path:
    """A tiny MarianMT fr→en directory (safetensors, own sentencepiece vocabulary), built in seconds."""
    return tiny_marian_dir(tmp_path_factory)


@pytest.fixture()
def translator(tiny_marian, tmp_path) -> BackTranslator:
    return BackTranslator(tiny_marian, cache_dir=tmp_path / "cache", threads=1)


def test_tiny_model_files_are_safetensors_only(tiny_marian):
    names = {p.name for p in tiny_marian.iterdir()}
    assert {"config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl"))]


def test_translate_shapes_and_strings(translator):
    out = translator.translate(FR + [""])
    assert len(out) == 4 and all(isinstance(t, str) for t in out)
    assert all(out[:3]) and out[3] == ""
    assert translator.signature.startswith("mtcheck/tiny-marian-fr-en@")


def test_cache_on_disk_is_sqlite_and_skips_the_model(translator, tiny_marian, tmp_path):
    first = translator.translate(FR)
    assert translator.stats["translated"] == 3
    assert translator.translate(FR) == first and translator.stats["cached"] == 3
    db = tmp_path / "cache" / "backtranslate.sqlite"
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    fresh = BackTranslator(tiny_marian, cache_dir=tmp_path / "cache", threads=1)
    assert fresh.translate(FR) == first
    assert fresh._model is None  # every sentence came from the cache: the model was never loaded
    assert text_hash(FR[0]) == text_hash(FR[0]) and len(text_hash(FR[0])) == 64


def test_cache_is_per_model(translator, tiny_marian, tmp_path):
    translator.translate(FR[:1])
    other = tmp_path / "other"
    shutil.copytree(tiny_marian, other)
    manifest = json.loads((other / "mtcheck-manifest.json").read_text())
    manifest["files"]["model.safetensors"] = "0" * 64  # a different model, as far as the cache can tell
    (other / "mtcheck-manifest.json").write_text(json.dumps(manifest))
    bt = BackTranslator(other, cache_dir=tmp_path / "cache", threads=1)
    bt.translate(FR[:1])
    assert bt.stats["cached"] == 0 and bt.stats["translated"] == 1


def words(text: str) -> int:
    return len(text.split())


def test_split_clauses_at_punctuation_packs_and_keeps_every_word():
    parts = split_clauses(LONG, words, 12)
    assert len(parts) > 1 and all(words(p) <= 12 for p in parts)
    assert " ".join(parts).split() == LONG.split()
    assert parts[0].endswith(",") or parts[0].endswith(";")  # cut after clause punctuation first


def test_split_clauses_falls_back_to_words_and_characters():
    text = " ".join(["mot"] * 30)
    parts = split_clauses(text, words, 7)
    assert all(words(p) <= 7 for p in parts) and " ".join(parts) == text
    url = "https://example.com/" + "a" * 300
    parts = split_clauses(url, lambda t: len(t) // 10 + 1, 8)
    assert "".join(parts) == url and all(len(p) // 10 + 1 <= 8 for p in parts)
    assert split_clauses("Court.", words, 5) == ["Court."]


def test_long_sentence_is_split_not_truncated(tiny_marian, monkeypatch):
    bt = BackTranslator(tiny_marian, use_cache=False, max_src_tokens=16, threads=1)
    seen: list[str] = []

    def echo(texts):
        seen.extend(texts)
        return list(texts)

    monkeypatch.setattr(bt, "_generate", echo)
    out = bt.translate([LONG])
    assert bt.stats["split"] == 1 and len(seen) > 1
    assert all(bt.n_tokens(t) <= 16 for t in seen)
    assert out[0].split() == LONG.split()  # every word reached the model


def test_long_sentence_really_translates(tiny_marian):
    bt = BackTranslator(tiny_marian, use_cache=False, max_src_tokens=16, threads=1)
    out = bt.translate([LONG])
    assert bt.stats["split"] == 1 and out[0]


def test_scores_in_range_and_corpus_scores(translator):
    pairs = [AlignedPair(i, [i], [i], e, f) for i, (e, f) in enumerate(zip(EN, FR))]
    pairs.append(AlignedPair(3, [3], [], "An English sentence with no French.", ""))
    extra = score_back_translation(pairs, translator, FR)
    for p in pairs[:3]:
        assert 0 <= p.scores["bt_chrf"] <= 100 and 0 <= p.scores["bt_bleu"] <= 100 and p.scores["bt_ter"] >= 0
    assert "bt_chrf" not in pairs[3].scores
    assert set(extra) == {"bt_chrf", "bt_bleu", "bt_ter"} and 0 <= extra["bt_chrf"] <= 100


def test_pipeline_with_model_says_so(tiny_marian, encoder, tmp_path, monkeypatch):
    from mtcheck.pipeline import score_pair

    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "cache"))
    result = score_pair(" ".join(FR), " ".join(EN), config=Config(mt_model=str(tiny_marian)), encoder=encoder)
    assert result.signature.mt_model.startswith("mtcheck/tiny-marian-fr-en@")
    assert "mt:mtcheck/tiny-marian-fr-en@" in str(result.signature)
    assert {"similarity", "length-ratio", "bt-chrf", "bt-bleu", "bt-ter", "risk"} <= set(result.scorers)
    full = [p for p in result.pairs if p.en and p.fr]
    assert full and all("bt_chrf" in p.scores for p in full)
    assert "bt_chrf" in result.scores.extra


def test_pipeline_without_model_runs_offline_scorers_alone(encoder, tmp_path, monkeypatch):
    from mtcheck.pipeline import score_pair

    monkeypatch.setenv("MTCHECK_MODELS", str(tmp_path / "none"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for spec in (None, "auto"):
        result = score_pair(" ".join(FR), " ".join(EN), config=Config(mt_model=spec), encoder=encoder)
        assert result.scorers == ["similarity", "length-ratio", "risk"]
        assert result.signature.mt_model == "none"
        assert not any(k.startswith("bt_") for p in result.pairs for k in p.scores)
    with pytest.raises(MtcheckError, match="mtcheck models pull Helsinki-NLP/opus-mt-fr-en"):
        score_pair(FR[0], EN[0], config=Config(mt_model="Helsinki-NLP/opus-mt-fr-en"), encoder=encoder)


def test_cli_score_with_mt_model_follows_schema(tiny_marian, tmp_path, monkeypatch):
    import jsonschema
    from click.testing import CliRunner

    from mtcheck.cli import cli

    monkeypatch.setenv("MTCHECK_CACHE", str(tmp_path / "cache"))
    models = tmp_path / "models"
    shutil.copytree(tiny_marian, models / "mtcheck__tiny-marian-fr-en")
    res = CliRunner().invoke(cli, ["score", str(DEMO / "02-funding.fr.txt"), str(DEMO / "02-funding.en.txt"),
                                   "--format", "json", "--fail-on", "never", "--mt-model",
                                   "mtcheck/tiny-marian-fr-en", "--model-dir", str(models)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    jsonschema.validate(data, json.loads((ROOT / "mtcheck" / "schema" / "output.schema.json").read_text()))
    assert data["signature_fields"]["mt_model"].startswith("mtcheck/tiny-marian-fr-en@")
    assert "bt-chrf" in data["scorers"] and "bt_chrf" in data["scores"]["extra"]


def test_not_a_model_directory(tmp_path):
    with pytest.raises(MtcheckError, match="no config.json"):
        BackTranslator(tmp_path)
