"""Back-translation scoring: translate the French back into English with MarianMT, compare with the original.

With ``Helsinki-NLP/opus-mt-fr-en`` (or any MarianMT fr→en directory) present locally, each French
sentence is translated on the CPU, in batches of similar length; translations are cached on disk
(SQLite, keyed by the weights' sha256, the decoding settings and the sentence's sha256), so a
sentence is translated once per model. Each aligned pair gets sacrebleu's sentence-level
``bt_chrf``, ``bt_bleu`` and ``bt_ter`` of its back-translation against the English original
(sacrebleu's 0–100 scale; TER can exceed 100), and the article the corpus-level scores in
``ArticleScores.extra``.

Sentences longer than ``max_src_tokens`` are split at clause punctuation (then between words)
and the parts translated one by one: nothing is ever truncated.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .cache import cache_dir as default_cache_dir  # the parameter `cache_dir` shadows the name
from .errors import MtcheckError
from .models import quiet_transformers as _quiet_transformers
from .records import AlignedPair

BT_SCORES = ("bt_chrf", "bt_bleu", "bt_ter")
DEFAULT_MT_MODEL = "Helsinki-NLP/opus-mt-fr-en"
CACHE_FILE = "backtranslate.sqlite"
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[—–]\s)|(?<=[—–])\s+|\s+(?=\()")


def text_hash(text: str) -> str:
    """The cache key of a sentence: sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TranslationCache:
    """Translations on disk in SQLite (WAL, so parallel batch workers can share it); no pickle."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # a forked worker must not share the parent's handle
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("CREATE TABLE IF NOT EXISTS bt (model TEXT NOT NULL, src TEXT NOT NULL, "
                               "out TEXT NOT NULL, PRIMARY KEY (model, src))")
            self._pid = os.getpid()
        return self._conn

    def get(self, model: str, keys: list[str]) -> dict[str, str]:
        """Cached translations of the sentences with these hashes."""
        out: dict[str, str] = {}
        db = self._db()
        for i in range(0, len(keys), 500):  # SQLite caps the number of bound parameters
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for src, text in db.execute(f"SELECT src, out FROM bt WHERE model=? AND src IN ({marks})", [model, *chunk]):
                out[src] = text
        return out

    def put(self, model: str, items: dict[str, str]) -> None:
        """Store translations by sentence hash."""
        if not items:
            return
        db = self._db()
        with db:
            db.executemany("INSERT OR REPLACE INTO bt (model, src, out) VALUES (?, ?, ?)",
                           [(model, k, v) for k, v in items.items()])

    def close(self) -> None:
        """Close the database handle (reopened on next use)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@contextlib.contextmanager
def _torch_threads(n: int | None) -> Iterator[None]:
    import torch

    if not n:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def split_clauses(text: str, n_tokens, max_tokens: int) -> list[str]:
    """Split ``text`` into parts of at most ``max_tokens`` (by ``n_tokens``): at clause punctuation, then words.

    Parts are packed greedily, so a sentence is cut as little as possible; joining the parts with
    spaces gives back the text (up to whitespace).
    """
    if n_tokens(text) <= max_tokens:
        return [text]
    pieces = [p for p in _CLAUSE.split(text) if p.strip()]
    atoms: list[str] = []
    for piece in pieces:
        if n_tokens(piece) <= max_tokens:
            atoms.append(piece)
        else:
            atoms.extend(_split_words(piece, n_tokens, max_tokens))
    parts: list[str] = []
    for atom in atoms:
        if parts and n_tokens(parts[-1] + " " + atom) <= max_tokens:
            parts[-1] = parts[-1] + " " + atom
        else:
            parts.append(atom)
    return parts


def _split_words(text: str, n_tokens, max_tokens: int) -> list[str]:
    words = text.split()
    out: list[str] = []
    current: list[str] = []
    for w in words:
        if current and n_tokens(" ".join(current + [w])) > max_tokens:
            out.append(" ".join(current))
            current = []
        if n_tokens(w) > max_tokens:  # a "word" longer than the limit (a URL, a table row): cut by characters
            step = max(1, len(w) * max_tokens // max(1, n_tokens(w)))
            out.extend(w[i : i + step] for i in range(0, len(w), step))
            continue
        current.append(w)
    if current:
        out.append(" ".join(current))
    return out


class BackTranslator:
    """A MarianMT French→English model from a local directory, loaded lazily, with an on-disk cache."""

    def __init__(self, model_dir: str | Path, name: str | None = None, cache_dir: str | Path | None = None,
                 use_cache: bool = True, batch_size: int = 16, max_src_tokens: int = 200, num_beams: int = 1,
                 threads: int | None = None) -> None:
        from .models import read_manifest

        self.model_dir = Path(model_dir)
        if not (self.model_dir / "config.json").is_file():
            raise MtcheckError(f"{self.model_dir} is not a transformers model directory (no config.json)")
        manifest = read_manifest(self.model_dir) or {}
        self.name = name or manifest.get("name") or self.model_dir.name.replace("__", "/")
        self.fingerprint = _fingerprint(self.model_dir, manifest)
        self.batch_size = batch_size
        self.max_src_tokens = max_src_tokens
        self.num_beams = num_beams
        self.threads = threads
        # decoding settings change the output, so they are part of the cache key along with the weights
        self._cache_key = f"{self.fingerprint}|beams={num_beams}|split={max_src_tokens}"
        self.cache = TranslationCache(Path(cache_dir or default_cache_dir()) / CACHE_FILE) if use_cache else None
        self.stats = {"cached": 0, "translated": 0, "split": 0}
        self._tok = None
        self._model = None

    @property
    def signature(self) -> str:
        """Model name, weights fingerprint and decoding, for ``Signature.mt_model``."""
        return f"{self.name}@{self.fingerprint[:8]}" + (f"+beam{self.num_beams}" if self.num_beams > 1 else "")

    def _load(self):
        if self._model is None:
            from transformers import MarianMTModel, MarianTokenizer

            with _quiet_transformers():
                self._tok = MarianTokenizer.from_pretrained(self.model_dir, local_files_only=True)
                # safetensors only: a pickled checkpoint is never loaded (pull converts .bin once)
                self._model = MarianMTModel.from_pretrained(self.model_dir, local_files_only=True,
                                                            use_safetensors=True)
            self._model.eval()
            limit = int(getattr(self._model.config, "max_position_embeddings", 512) or 512)
            self.max_src_tokens = max(8, min(self.max_src_tokens, limit - 2))
        return self._tok, self._model

    def n_tokens(self, text: str) -> int:
        """Source tokens of ``text`` (with the end-of-sentence token)."""
        tok, _ = self._load()
        with _quiet_transformers():  # measuring a long sentence is how we avoid "longer than the maximum" trouble
            return len(tok(text, add_special_tokens=True)["input_ids"])

    def translate(self, texts: list[str]) -> list[str]:
        """English translations of French ``texts``, from the cache when possible."""
        keys = [text_hash(t) for t in texts]
        known = self.cache.get(self._cache_key, sorted(set(keys))) if self.cache else {}
        todo = {k: t for k, t in zip(keys, texts) if k not in known and t.strip()}
        self.stats["cached"] += sum(1 for k in keys if k in known)
        if todo:
            fresh = dict(zip(todo, self._translate_uncached(list(todo.values()))))
            self.stats["translated"] += len(fresh)
            if self.cache:
                self.cache.put(self._cache_key, fresh)
            known.update(fresh)
        return [known.get(k, "") for k in keys]

    def _translate_uncached(self, texts: list[str]) -> list[str]:
        """Translate, splitting long sentences into parts and joining the parts' translations."""
        tok, _ = self._load()
        parts_of: list[list[str]] = []
        for t in texts:
            parts = split_clauses(" ".join(t.split()), self.n_tokens, self.max_src_tokens)
            if len(parts) > 1:
                self.stats["split"] += 1
            parts_of.append(parts)
        flat = [p for parts in parts_of for p in parts]
        done = self._generate(flat)
        out, i = [], 0
        for parts in parts_of:
            out.append(" ".join(done[i : i + len(parts)]))
            i += len(parts)
        return out

    def _generate(self, texts: list[str]) -> list[str]:
        """Greedy (or beam) decoding in batches of similar length, so padding stays small."""
        import torch

        tok, model = self._load()
        lengths = [self.n_tokens(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        out: list[str] = [""] * len(texts)
        limit = int(getattr(model.config, "max_position_embeddings", 512) or 512)
        with torch.inference_mode(), _torch_threads(self.threads), _quiet_transformers():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                enc = tok([texts[i] for i in idx], padding=True, truncation=False, return_tensors="pt")
                longest = max(lengths[i] for i in idx)
                gen = model.generate(**enc, num_beams=self.num_beams, do_sample=False,
                                     max_new_tokens=min(limit - 1, 2 * longest + 10))
                for i, text in zip(idx, tok.batch_decode(gen, skip_special_tokens=True)):
                    out[i] = text.strip()
        return out


def _fingerprint(path: Path, manifest: dict) -> str:
    """Identity of the weights, for the cache key and the signature: the manifest's sha256, else size and mtime."""
    files = manifest.get("files") or {}
    digests = [files[f] for f in sorted(files) if f.endswith(".safetensors")]
    if digests:
        return hashlib.sha256("".join(digests).encode()).hexdigest()
    h = hashlib.sha256()
    for f in sorted(path.glob("*.safetensors")):
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


@lru_cache(maxsize=4)
def _cached_translator(path: str, cache_dir: str | None) -> BackTranslator:
    # MTCHECK_TORCH_THREADS=1 suits parallel batch workers and busy machines; unset, torch decides
    threads = int(os.environ["MTCHECK_TORCH_THREADS"]) if os.environ.get("MTCHECK_TORCH_THREADS") else None
    return BackTranslator(path, cache_dir=cache_dir, threads=threads)


def get_back_translator(spec: str | None, model_dir: str | None = None,
                        cache_dir: str | None = None) -> BackTranslator | None:
    """The translator for ``spec`` (a model name, a model directory, or "auto"), built once per process.

    "auto" means opus-mt-fr-en when it is present locally, else None (no back-translation); a named
    model that is absent is an error that says how to get it.
    """
    from .models import find_model, model_path

    if not spec or spec == "none":
        return None
    if spec == "auto":
        path = find_model(DEFAULT_MT_MODEL, model_dir)
        if path is None:
            return None
    else:
        path = model_path(spec, model_dir)
    return _cached_translator(str(path.resolve()), cache_dir)


def _metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return CHRF(), BLEU(effective_order=True), TER()


def score_back_translation(pairs: list[AlignedPair], translator: BackTranslator,
                           fr_sentences: list[str] | None = None) -> dict[str, float]:
    """Back-translate the French of every pair that has both sides; fill ``bt_*`` scores, return corpus scores.

    ``fr_sentences`` (the French sentence texts by index) lets a 1-2 bead be translated sentence by
    sentence, which the cache and the model both prefer; without it, the bead's joined text is used.
    """
    full = [p for p in pairs if p.en and p.fr and p.en_text.strip() and p.fr_text.strip()]
    if not full:
        return {}
    if fr_sentences is not None:
        units = [[fr_sentences[j] for j in p.fr] for p in full]
    else:
        units = [[p.fr_text] for p in full]
    flat = [u for unit in units for u in unit]
    translated = translator.translate(flat)
    chrf, bleu, ter = _metrics()
    hyps, refs, i = [], [], 0
    for p, unit in zip(full, units):
        hyp = " ".join(translated[i : i + len(unit)])
        i += len(unit)
        hyps.append(hyp)
        refs.append(p.en_text)
        p.scores["bt_chrf"] = round(chrf.sentence_score(hyp, [p.en_text]).score, 2)
        p.scores["bt_bleu"] = round(bleu.sentence_score(hyp, [p.en_text]).score, 2)
        p.scores["bt_ter"] = round(ter.sentence_score(hyp, [p.en_text]).score, 2)
    chrf, bleu, ter = _metrics()  # fresh objects: corpus statistics must not mix with the sentence calls
    return {
        "bt_chrf": round(chrf.corpus_score(hyps, [refs]).score, 2),
        "bt_bleu": round(bleu.corpus_score(hyps, [refs]).score, 2),
        "bt_ter": round(ter.corpus_score(hyps, [refs]).score, 2),
    }
