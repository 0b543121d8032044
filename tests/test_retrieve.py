"""Retrieval of the English original: corpus reading, the incremental index, ranking, and the commands."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT
from mtcheck.cli import cli
from mtcheck.corpus import CorpusDoc, CorpusError, list_corpus_files, read_corpus_file
from mtcheck.index import Index, default_index_path, figure_keys, key_token
from mtcheck.retrieve import Weights, agreement

FIXTURES = ROOT / "tests" / "fixtures" / "corpus"
EN, FR = FIXTURES / "en", FIXTURES / "fr"


class FakeEncoder:
    """Hashed bag of words: fast and deterministic, for tests that do not need a multilingual model."""

    name = "fake-bow"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += len(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1
        n = np.linalg.norm(out, axis=1, keepdims=True)
        n[n == 0] = 1
        return out / n


def _copy_corpus(tmp_path):
    dest = tmp_path / "corpus"
    shutil.copytree(EN, dest)
    return dest


# ---------------------------------------------------------------------------------------- keys


def test_figure_keys_meet_across_languages():
    fr = figure_keys("Le chiffre d'affaires a progressé de 3,5 % à 110 milliards de dollars, avec 3 000 emplois.",
                     "fr")
    en = figure_keys("Revenue rose 3.5% to $110 billion, with 3,000 jobs.", "en")
    assert {"amount:USD:110000000000", "percent:3.5", "count:3000"} <= set(fr) & set(en)


def test_translator_conversions_are_not_keys():
    keys = figure_keys("une usine de 800 millions de livres sterling (966 millions d'euros)", "fr")
    assert "amount:GBP:800000000" in keys and not any(k.startswith("amount:EUR") for k in keys)


def test_key_tokens_are_single_fts_words():
    assert key_token("amount:USD:88.4", "f_") == "f_amount_usd_88_4"
    assert key_token("percent:3.5", "f_") != key_token("percent:35", "f_")


def test_agreement_weights_rare_keys_and_penalises_extra_ones():
    idf = {"a": 3.0, "b": 0.1}
    assert agreement(["a", "b"], ["a"], idf)[0] > agreement(["a", "b"], ["b"], idf)[0]
    assert agreement(["a"], ["a"], idf)[0] > agreement(["a"], ["a", "c", "d"], idf)[0]
    assert agreement([], ["a"], idf) == (0.0, [])


# -------------------------------------------------------------------------------------- corpus


def test_corpus_reads_every_format_and_reports_bad_parts(tmp_path):
    corpus = _copy_corpus(tmp_path)
    (corpus / "bad.jsonl").write_text(
        '{"id": "ok-1", "date": "2024-07-01", "headline": "Fine", "body": "Shares of Acme rose 3% on Monday."}\n'
        "{not json\n"
        '{"id": "no-body"}\n'
        '{"id": "bad-date", "date": "yesterday", "body": "Text of the story."}\n', encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (corpus / ".hidden.txt").write_text("skip me", encoding="utf-8")
    (corpus / "notes.csv").write_text("a,b", encoding="utf-8")
    files = [p.relative_to(corpus).as_posix() for p in list_corpus_files(corpus)]
    assert ".hidden.txt" not in files and "notes.csv" not in files and "2024/chipmaker.html" in files
    items = [it for p in list_corpus_files(corpus) for it in read_corpus_file(corpus, p)]
    docs = {d.doc_id: d for d in items if isinstance(d, CorpusDoc)}
    errors = [str(e) for e in items if isinstance(e, CorpusError)]
    assert "ok-1" in docs and docs["ok-1"].article.meta.date.isoformat() == "2024-07-01"
    assert docs["2024/chipmaker.html"].article.meta.headline.startswith("Nordtek")
    assert docs["airbus-2024-07-10"].line == 1
    assert any(e.startswith("bad.jsonl:2: invalid JSON") for e in errors)
    assert any(e.startswith("bad.jsonl:3: no 'body'") for e in errors)
    assert any(e.startswith("bad.jsonl:4: bad 'date'") for e in errors)
    assert any(e.startswith("broken.txt: is a binary file") for e in errors)
    assert all("\n" not in e for e in errors)


# --------------------------------------------------------------------------------------- index


def test_index_is_incremental_and_never_aborts(tmp_path):
    corpus = _copy_corpus(tmp_path)
    enc = FakeEncoder()
    path = default_index_path(corpus)
    with Index(path) as idx:
        rep = idx.update(corpus, enc)
        assert (rep.files_indexed, rep.docs_total, rep.errors) == (6, 10, [])
        calls = enc.calls
        rep = idx.update(corpus, enc)
        assert (rep.files_indexed, rep.files_unchanged, enc.calls) == (0, 6, calls)  # nothing re-read or re-embedded

        # Changed, touched, added, corrupt, duplicate and removed files.
        md = corpus / "2024" / "markets.md"
        md.write_text(md.read_text(encoding="utf-8") + "\nThe euro rose 0.3% to $1.0912.\n", encoding="utf-8")
        os.utime(corpus / "2024" / "ecb-rates.txt")  # newer mtime, same bytes
        (corpus / "2024" / "new.txt").write_text("date 2024-07-30\nGold hits record as dollar slips\n\n"
                                                 "Gold rose 1.2% to $2,450 an ounce on Tuesday.\n", encoding="utf-8")
        (corpus / "2024" / "corrupt.html").write_bytes(b"%PDF-1.4 not html")
        (corpus / "dupe.jsonl").write_text('{"id": "oil-2024-07-24", "body": "Oil fell."}\n', encoding="utf-8")
        (corpus / "2024" / "chipmaker.html").unlink()
        errors = []
        rep = idx.update(corpus, enc, on_error=errors.append)
        assert (rep.files_indexed, rep.files_removed, rep.files_unchanged) == (4, 1, 4)
        assert rep.docs_total == 10  # +1 new, -1 removed; the markdown re-indexed in place
        assert sorted(e.path for e in errors) == ["2024/corrupt.html", "dupe.jsonl"]
        assert "duplicate id 'oil-2024-07-24'" in next(str(e) for e in errors if e.path == "dupe.jsonl")
        rows = dict(idx.db.execute("SELECT doc_id, figures FROM docs"))
        assert "2024/chipmaker.html" not in rows and "2024/new.txt" in rows
        assert "percent:0.3" in rows["2024/markets.md"].split()
        # A problem file is reported again while it is unchanged, so no run hides it.
        errors.clear()
        idx.update(corpus, enc, on_error=errors.append)
        assert sorted(e.path for e in errors) == ["2024/corrupt.html", "dupe.jsonl"]

    # Plain SQLite, embeddings as float32 bytes, keys as text: readable without mtcheck.
    db = sqlite3.connect(path)
    emb, figs, names, tickers, date = db.execute(
        "SELECT emb, figures, names, tickers, date FROM docs WHERE doc_id='2024/acme-results.txt'").fetchone()
    assert len(emb) == 64 * 4 and abs(np.linalg.norm(np.frombuffer(emb, dtype=np.float32)) - 1) < 1e-5
    assert "amount:USD:3100000000" in figs.split() and "acme" in names.split() and tickers == "acmr.o"
    assert db.execute("SELECT count(*) FROM keys WHERE keys MATCH '\"f_amount_usd_412000000\"'").fetchone()[0] == 2
    db.close()


def test_index_rebuilds_when_the_encoder_changes(tmp_path):
    corpus = _copy_corpus(tmp_path)
    other = FakeEncoder()
    other.name = "another"
    with Index(tmp_path / "elsewhere.sqlite") as idx:
        idx.update(corpus, FakeEncoder())
        rep = idx.update(corpus, other)
        assert rep.rebuilt and rep.files_indexed == 6 and rep.docs_total == 10
    assert not (corpus / ".mtcheck-index.sqlite").exists()  # --index PATH puts it there only


def test_a_broken_index_file_is_one_line_of_input_error(tmp_path):
    from mtcheck.errors import InputError

    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="not a usable index"):
        Index(bad)


def test_large_indexes_prefilter_embeddings_without_losing_the_nearest(tmp_path):
    from mtcheck.retrieve import PREFILTER_MIN, Retriever

    rng = np.random.default_rng(1)
    mat = rng.standard_normal((PREFILTER_MIN + 1000, 128)).astype(np.float32)  # projected to 64: lossy
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    with Index(tmp_path / "empty.sqlite") as idx:
        r = Retriever(idx, None, pool=10)
        for row in (5, 777, PREFILTER_MIN + 999):
            q = mat[row] + rng.standard_normal(128).astype(np.float32) / 16
            q /= np.linalg.norm(q)
            rows, sims = r._nearest(mat, q, None)
            assert rows[np.argmax(sims)] == row and sims.max() == pytest.approx(float(mat[row] @ q), abs=1e-5)
        ok = np.ones(len(mat), dtype=bool)
        ok[777] = False  # outside the date window
        rows, sims = r._nearest(mat, mat[777], ok)
        assert 777 not in rows[sims > -2]


# ----------------------------------------------------------------------------- retrieval (model)


@pytest.fixture(scope="module")
def built(tmp_path_factory, encoder):
    """The fixture corpus copied and indexed once with the real encoder."""
    corpus = tmp_path_factory.mktemp("rt") / "corpus"
    shutil.copytree(EN, corpus)
    with Index(default_index_path(corpus)) as idx:
        idx.update(corpus, encoder)
    return corpus


def _retrieve(corpus, encoder, name, **kw):
    from mtcheck.ingest import read_article
    from mtcheck.retrieve import Retriever

    with Index(default_index_path(corpus)) as idx:
        return Retriever(idx, encoder, **kw).retrieve(read_article(FR / name, lang="fr"))


@pytest.mark.parametrize("name, original", [
    ("acme-first.fr.txt", "2024/acme-results.txt"),
    ("acme-update.fr.txt", "2024/acme-results-update1.txt"),
    ("ecb.fr.txt", "2024/ecb-rates.txt"),
    ("airbus.fr.txt", "airbus-2024-07-10"),
])
def test_retrieves_the_original(built, encoder, name, original):
    res = _retrieve(built, encoder, name)
    assert res.found and not res.ambiguous and res.best.doc_id == original
    assert res.best.confidence > 0.9 and all(0 <= c.confidence <= 1 for c in res.candidates)


def test_figures_pick_the_version_the_translation_was_made_from(built, encoder):
    first = _retrieve(built, encoder, "acme-first.fr.txt")
    update = first.candidates[1]
    assert update.doc_id == "2024/acme-results-update1.txt" and update.confidence < 0.1
    assert "amount:USD:3100000000" in update.missing_figures and "amount:USD:3120000000" in update.extra_figures
    assert any("French figures not here" in r for r in update.reasons)
    best = first.best
    assert "amount:USD:412000000" in best.shared_figures and "acmr.o" in best.shared_tickers
    assert "lindqvist" in best.shared_names and "grp:de" in best.shared_names  # Allemagne = Germany


def test_equally_close_versions_are_flagged_ambiguous(built, encoder):
    res = _retrieve(built, encoder, "toyota.fr.txt")
    assert res.found and res.ambiguous
    assert {c.doc_id for c in res.candidates[:2]} == {"toyota-2024-07-23", "toyota-2024-07-23-refile"}
    assert 0.3 < res.candidates[0].confidence < 0.7


def test_no_original_rather_than_a_wrong_one(built, encoder):
    res = _retrieve(built, encoder, "vendanges.fr.txt", window_days=(400, 400))  # everything in the window
    assert not res.found and res.best is None and res.candidates
    assert res.message.startswith("no original found")
    assert res.candidates[0].confidence < 0.5


def test_date_window_filters_and_no_date_means_no_filter(built, encoder):
    from mtcheck.ingest import read_article
    from mtcheck.retrieve import Retriever

    art = read_article(FR / "ecb.fr.txt", lang="fr")
    with Index(default_index_path(built)) as idx:
        r = Retriever(idx, encoder)
        assert r.retrieve(art).best.doc_id == "2024/ecb-rates.txt"
        art.meta.date = art.meta.date.replace(month=9)  # three months later: the original is out of the window
        res = r.retrieve(art)
        assert not res.found and all(c.date is None or c.date.month >= 8 for c in res.candidates)
        art.meta.date = None
        res = r.retrieve(art)
        assert res.best.doc_id == "2024/ecb-rates.txt" and "no date filter" in res.message


def test_weights_are_documented_defaults():
    w = Weights()
    assert w.score({"cosine": 1.0, "keys": 1.0, "structure": 1.0, "date": 1.0}) == pytest.approx(
        w.cosine + w.keys + w.structure + w.date)


# -------------------------------------------------------------------------------------- commands


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_cli_index_and_retrieve(built, encoder):
    res = run("index", built)
    assert res.exit_code == 0 and "10 document(s) indexed" in res.output and "0 file(s) read" in res.output

    res = run("retrieve", FR / "acme-first.fr.txt", FR / "toyota.fr.txt", "--corpus", built, "--top", "2")
    assert res.exit_code == 0, res.output
    assert "original: 2024/acme-results.txt" in res.output and "ambiguous:" in res.output
    assert "French figures here" in res.output and "window 2024-07-18 .. 2024-07-26" in res.output

    res = run("retrieve", FR / "airbus.fr.txt", FR / "vendanges.fr.txt", "--corpus", built, "--format", "json")
    assert res.exit_code == 1  # one article has no original
    data = json.loads(res.stdout)
    assert [r["original"] for r in data["results"]] == ["airbus-2024-07-10", None]
    assert data["results"][0]["candidates"][0]["shared_tickers"] == ["air.pa"]

    res = run("retrieve", FR / "missing.fr.txt", "--corpus", built)
    assert res.exit_code == 2 and "no such file" in res.output


def test_cli_score_with_corpus(built, encoder):
    res = run("score", FR / "ecb.fr.txt", "--corpus", built, "--format", "json", "--fail-on", "never")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["en"]["path"].endswith("ecb-rates.txt")
    assert "original 2024/ecb-rates.txt" in res.stderr

    res = run("score", FR / "vendanges.fr.txt", "--corpus", built)
    assert res.exit_code == 2 and "no original found" in res.stderr and "without --corpus" in res.stderr

    res = run("score", FR / "ecb.fr.txt", EN / "2024" / "ecb-rates.txt", "--corpus", built)
    assert res.exit_code == 2 and "not both" in res.stderr


# ------------------------------------------------------------------------------------ WMT sample


WMT = DATA / "wmt-newstest-enfr"


@pytest.mark.skipif(not (WMT / "newstest2013-src.fr.sgm").is_file(), reason="shared WMT data absent")
def test_wmt_sample(tmp_path, encoder):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_retrieval", ROOT / "scripts" / "bench_retrieval.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from mtcheck.ingest import parse_article
    from mtcheck.retrieve import Retriever

    en = bench.read_sgm(WMT / "newstest2013-src.en.sgm")[:10]
    fr = {d["docid"]: d for d in bench.read_sgm(WMT / "newstest2013-src.fr.sgm")}
    corpus = tmp_path / "wmt"
    corpus.mkdir()
    bench.write_jsonl(corpus / "en.jsonl", [{"id": d["docid"], "headline": d["headline"],
                                            "body": "\n\n".join(d["paras"][:6])} for d in en])
    with Index(default_index_path(corpus)) as idx:
        assert idx.update(corpus, encoder).docs_total == 10
        r = Retriever(idx, encoder)
        for d in en[:3]:
            q = fr[d["docid"]]
            res = r.retrieve(parse_article(bench.as_text(q["headline"], q["paras"][:6]), lang="fr"))
            assert res.found and res.best.doc_id == d["docid"]
