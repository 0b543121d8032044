"""The persisted corpus index: one SQLite file with, per English document, what survives translation.

For each document it keeps normalised figure keys (``amount:USD:110000000000``, ``percent:3.5``), name and
ticker keys (folded, lowercased; gazetteer names by their English form, so "Allemagne" meets "Germany"),
the publication date, the paragraph count and length, and a document embedding (the normalised mean of
its sentence embeddings, a float32 BLOB).  The keys are also in an FTS5 table, which finds the documents
sharing rare keys with a query; a ``terms`` table holds document frequencies for weighting.

Indexing is incremental: each file's size, mtime and SHA-256 are stored, so only new or changed files are
read again and removed files are dropped.  A bad file is reported in one line and skipped.  Nothing is
pickled: the file can be opened by any SQLite client.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .corpus import CorpusDoc, CorpusError, file_digest, list_corpus_files, read_corpus_file, read_jsonl_record
from .errors import InputError
from .records import Article, Ticker

__all__ = [
    "DEFAULT_INDEX_NAME",
    "EMBED_SENTENCES",
    "DocFeatures",
    "DocRow",
    "Index",
    "UpdateReport",
    "article_features",
    "default_index_path",
    "features_for",
    "figure_keys",
    "key_token",
    "load_document",
]

SCHEMA_VERSION = "2"
DEFAULT_INDEX_NAME = ".mtcheck-index.sqlite"
# Sentences per document that go into its embedding: the lead carries the story, and capping it keeps
# indexing and each query's encoding bounded on long documents (see docs/benchmarks-retrieval.md).
EMBED_SENTENCES = 12
_NO_DATE = 0


# --------------------------------------------------------------------------------------------
# Features: what a document and its translation share
# --------------------------------------------------------------------------------------------


@dataclass
class DocFeatures:
    """The retrieval view of one article (English document or French query)."""

    figures: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    date: dt.date | None = None
    headline: str | None = None
    n_paragraphs: int = 0
    n_chars: int = 0
    embedding: np.ndarray | None = None  # (d,) float32 unit vector


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


# Ordinals ("first" / "premier") are as often rephrased as kept; a weekday or a bare month says little.
_SKIP_KINDS = frozenset({"ordinal"})


def figure_keys(text: str, lang: str, drop_conversions: bool = True) -> list[str]:
    """Normalised keys of the figures in ``text`` (``amount:USD:110000000000``, ``percent:3.5``, ``count:3000``).

    With ``drop_conversions``, amounts a translator added as conversions ("(93,21 milliards d'euros)")
    are left out: the original does not have them.
    """
    from .figures import extract_figures, find_conversions

    figs = extract_figures(text, lang)
    skip: set[int] = set()
    if drop_conversions:
        skip = {id(c.converted) for c in find_conversions(text, figs, lang) if not c.same_currency}
    keys: list[str] = []
    for f in figs:
        if id(f) in skip or f.kind in _SKIP_KINDS:
            continue
        if f.kind == "date":
            d = f.date
            if d is None or (d.day is None and d.year is None):
                continue
        values = (f.value, *f.alt_values) if f.kind in ("amount", "count") else (f.value,)
        for v in values:
            if f.kind == "amount":
                keys.append(f"amount:{f.currency or '-'}:{_num(v)}")
            elif f.kind == "quantity":
                keys.append(f"quantity:{f.unit or '-'}:{_num(v)}")
            else:
                keys.append(f"{f.kind}:{_num(v)}")
    return keys


def _name_keys(article: Article, sentences, lang: str) -> tuple[list[str], list[str]]:
    from .entities import capitalised_words, extract_entities, fold_key, load_gazetteer, looks_like_headline

    gaz = load_gazetteer()
    known = capitalised_words(s.text for s in sentences)
    names: list[str] = []
    tickers: list[str] = [t.symbol.strip("<>()[] ").lower() for t in article.tickers]
    for s in sentences:
        local = [Ticker(t.symbol, t.start - s.start, t.end - s.start, t.company)
                 for t in article.tickers if s.start <= t.start < s.end]
        ents = extract_entities(s.text, lang, gazetteer=gaz, tickers=local, known=known,
                                headline=looks_like_headline(s.text, s.kind))
        for e in ents:
            if e.kind == "ticker":
                tickers.append(e.text.strip("<>()[] ").lower())
            elif e.rows:
                # Gazetteer names are keyed by concept, language-neutral: "Allemagne" and "Germany" meet.
                if e.groups:
                    names.extend(f"grp:{g.lower()}" for g in e.groups)
                else:
                    names.extend("gaz:" + "_".join(fold_key(gaz.rows[i].en[0]).split()) for i in e.rows
                                 if gaz.rows[i].en)
            elif not e.weak:
                # Word by word: "M. Musk" must meet "Elon Musk".
                names.extend(w for w in fold_key(e.text).replace(".", " ").split() if len(w) > 2 or e.kind == "acronym")
    return names, tickers


def _uniq(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({re.sub(r"\s+", "_", k) for k in keys if k}))


def _prose(article: Article):
    from .segment import prose
    from .segment import segment

    sents = segment(article)
    return sents, prose(sents, article)


def features_for(articles: Sequence[Article], encoder=None, lang: str = "en",
                 embed_sentences: int = EMBED_SENTENCES) -> list[DocFeatures]:
    """Features of several articles, their sentences embedded in one batch (``encoder`` None: no embedding)."""
    out: list[DocFeatures] = []
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for art in articles:
        sents, prose = _prose(art)
        figs = [k for b in art.blocks for k in figure_keys(b.text, lang)]
        names, tickers = _name_keys(art, sents, lang)
        out.append(DocFeatures(
            figures=_uniq(figs), names=_uniq(names), tickers=_uniq(tickers), date=art.meta.date,
            # All blocks, headline included: whether a first line reads as a headline differs between
            # an original and its translation, the number of blocks does not.
            headline=art.meta.headline, n_paragraphs=len(art.blocks), n_chars=sum(len(b.text) for b in art.blocks),
        ))
        lead = [t for t in prose if t][: embed_sentences or None]
        spans.append((len(texts), len(texts) + len(lead)))
        texts.extend(lead)
    if encoder is not None and texts:
        vecs = encoder.encode(texts)
        for feat, (a, b) in zip(out, spans):
            if b > a:
                v = vecs[a:b].mean(axis=0)
                n = float(np.linalg.norm(v))
                feat.embedding = (v / n if n else v).astype(np.float32)
    return out


def article_features(article: Article, encoder=None, lang: str | None = None) -> DocFeatures:
    """Features of one article (the language defaults to the article's)."""
    return features_for([article], encoder, lang or article.lang)[0]


def key_token(key: str, prefix: str) -> str:
    """The FTS5 token of a feature key: one word of letters, digits and underscores, lowercased."""
    return prefix + re.sub(r"[^\w]", "_", key.lower())


def _tokens(feat: DocFeatures) -> list[str]:
    return ([key_token(k, "f_") for k in feat.figures] + [key_token(k, "n_") for k in feat.names]
            + [key_token(k, "t_") for k in feat.tickers])


# --------------------------------------------------------------------------------------------
# The index file
# --------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL,
    n_docs INTEGER NOT NULL DEFAULT 0, errors TEXT);
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, line INTEGER,
    date INTEGER NOT NULL DEFAULT 0, headline TEXT, n_paragraphs INTEGER, n_chars INTEGER,
    figures TEXT NOT NULL DEFAULT '', names TEXT NOT NULL DEFAULT '', tickers TEXT NOT NULL DEFAULT '',
    emb BLOB);
CREATE INDEX IF NOT EXISTS docs_path ON docs(path);
CREATE TABLE IF NOT EXISTS terms(token TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS keys USING fts5(tokens, tokenize="unicode61 tokenchars '_'", detail=none);
"""


@dataclass
class DocRow:
    """One indexed document, as stored."""

    id: int
    doc_id: str
    path: str
    line: int | None
    features: DocFeatures


@dataclass
class UpdateReport:
    """What an index update did."""

    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    docs_added: int = 0
    docs_removed: int = 0
    docs_total: int = 0
    errors: list[CorpusError] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt: str | None = None  # why everything was re-indexed, when it was

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{self.docs_total} document(s) indexed",
                 f"{self.files_indexed} file(s) read", f"{self.files_unchanged} unchanged"]
        if self.files_removed:
            parts.append(f"{self.files_removed} removed")
        if self.errors:
            parts.append(f"{len(self.errors)} problem(s) skipped")
        return ", ".join(parts) + f" ({self.seconds:.1f} s)"


def default_index_path(corpus: str | os.PathLike[str]) -> Path:
    """Where the index of ``corpus`` lives unless told: ``CORPUS/.mtcheck-index.sqlite``."""
    return Path(corpus) / DEFAULT_INDEX_NAME


def _date_int(d: dt.date | None) -> int:
    return d.toordinal() if d else _NO_DATE


def _int_date(n: int | None) -> dt.date | None:
    return dt.date.fromordinal(n) if n else None


class Index:
    """An open index file: update it from a corpus, or read it for retrieval."""

    def __init__(self, path: str | os.PathLike[str], create: bool = True,
                 embed_sentences: int = EMBED_SENTENCES, readonly: bool = False) -> None:
        self.path = Path(path)
        self.embed_sentences = embed_sentences  # for new documents; 0: all sentences
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a directory, not an index file")
        if readonly:  # a batch worker: retrieval only, no write lock taken, a read-only corpus folder works
            create = False
        if not create and not self.path.is_file():
            raise InputError(f"{self.path}: no index there (build it with `mtcheck index CORPUS`)")
        try:
            if readonly:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            else:
                self._open_for_writing()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a usable index ({exc}); delete it to rebuild") from None
        self._matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._count: int | None = None

    def _open_for_writing(self) -> None:
        self.db = sqlite3.connect(self.path)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self.db.commit()
        except sqlite3.DatabaseError:
            self.db.close()
            raise

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- metadata --------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        """A metadata value (schema, encoder, embed_sentences, corpus)."""
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.db.execute("SELECT count(*) FROM docs").fetchone()[0]
        return self._count

    def clear(self) -> None:
        """Drop every document and file record (the schema stays)."""
        with self.db:
            for table in ("docs", "files", "terms", "keys"):
                self.db.execute(f"DELETE FROM {table}")
        self._matrix = self._count = None

    # -- writing ---------------------------------------------------------------------------
    def add(self, doc_id: str, path: str, feat: DocFeatures, line: int | None = None) -> int:
        """Insert one document (in the caller's transaction); raises sqlite3.IntegrityError on a duplicate id."""
        emb = feat.embedding.astype(np.float32).tobytes() if feat.embedding is not None else None
        cur = self.db.execute(
            "INSERT INTO docs(doc_id, path, line, date, headline, n_paragraphs, n_chars, figures, names, tickers, emb)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (doc_id, path, line, _date_int(feat.date), feat.headline, feat.n_paragraphs, feat.n_chars,
             " ".join(feat.figures), " ".join(feat.names), " ".join(feat.tickers), emb),
        )
        rowid = cur.lastrowid
        toks = sorted(set(_tokens(feat)))
        self.db.execute("INSERT INTO keys(rowid, tokens) VALUES (?, ?)", (rowid, " ".join(toks)))
        self.db.executemany("INSERT INTO terms VALUES (?, 1) ON CONFLICT(token) DO UPDATE SET df = df + 1",
                            [(t,) for t in toks])
        self._matrix = self._count = None
        return rowid

    def remove_path(self, path: str) -> int:
        """Delete the documents of one corpus file (in the caller's transaction); returns how many."""
        rows = self.db.execute("SELECT id, figures, names, tickers FROM docs WHERE path=?", (path,)).fetchall()
        for rowid, figs, names, ticks in rows:
            feat = DocFeatures(tuple(figs.split()), tuple(names.split()), tuple(ticks.split()))
            toks = sorted(set(_tokens(feat)))
            self.db.executemany("UPDATE terms SET df = df - 1 WHERE token=?", [(t,) for t in toks])
            self.db.execute("DELETE FROM keys WHERE rowid=?", (rowid,))
        if rows:
            self.db.execute("DELETE FROM terms WHERE df <= 0")
            self.db.execute("DELETE FROM docs WHERE path=?", (path,))
            self._matrix = self._count = None
        return len(rows)

    def update(
        self,
        corpus: str | os.PathLike[str],
        encoder,
        on_error: Callable[[CorpusError], None] | None = None,
        batch_docs: int = 64,
    ) -> UpdateReport:
        """Bring the index in line with the corpus folder: read new and changed files, drop removed ones."""
        t0 = time.perf_counter()
        root = Path(corpus)
        if not root.is_dir():
            raise InputError(f"{root}: not a directory (the corpus is a folder of English articles)")
        rep = UpdateReport()
        wanted = {"schema": SCHEMA_VERSION, "encoder": encoder.name, "embed_sentences": str(self.embed_sentences)}
        stale = [k for k, v in wanted.items() if self.meta(k) not in (None, v)]
        if stale or (self.meta("encoder") is None and len(self)):
            rep.rebuilt = ", ".join(f"{k} {self.meta(k)} -> {wanted[k]}" for k in stale) or "no encoder recorded"
            self.clear()
        with self.db:
            for k, v in wanted.items():
                self._set_meta(k, v)
            self._set_meta("corpus", str(root.resolve()))

        def err(e: CorpusError) -> None:
            rep.errors.append(e)
            if on_error:
                on_error(e)

        own = {os.path.abspath(self.path) + s for s in ("", "-wal", "-shm", "-journal")}
        files = list_corpus_files(root, exclude=tuple(own))
        rep.files_seen = len(files)
        known = {r[0]: r[1:] for r in self.db.execute("SELECT path, size, mtime_ns, sha256, errors FROM files")}
        todo: list[tuple[Path, str, os.stat_result, str]] = []
        seen: set[str] = set()
        for p in files:
            rel = p.relative_to(root).as_posix()
            seen.add(rel)
            try:
                st = p.stat()
                old = known.get(rel)
                if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
                    rep.files_unchanged += 1
                    self._replay_errors(rel, old[3], err)
                    continue
                sha = file_digest(p)
            except OSError as exc:
                # Not recorded: once it is readable again it is picked up, whatever its mtime.
                err(CorpusError(rel, f"cannot read the file ({exc.strerror or exc})"))
                continue
            if old and old[2] == sha:  # touched, not changed
                with self.db:
                    self.db.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                                    (st.st_size, st.st_mtime_ns, rel))
                rep.files_unchanged += 1
                self._replay_errors(rel, old[3], err)
                continue
            todo.append((p, rel, st, sha))

        gone = sorted(set(known) - seen)
        if gone:
            with self.db:
                for rel in gone:
                    rep.docs_removed += self.remove_path(rel)
                    self.db.execute("DELETE FROM files WHERE path=?", (rel,))
            rep.files_removed = len(gone)

        pending: list[tuple[str, os.stat_result, str, list[CorpusDoc], list[CorpusError]]] = []
        n_pending = 0
        for p, rel, st, sha in todo:
            docs, errors = [], []
            for item in read_corpus_file(root, p):
                (docs if isinstance(item, CorpusDoc) else errors).append(item)
            pending.append((rel, st, sha, docs, errors))
            n_pending += len(docs)
            if n_pending >= batch_docs:
                self._commit(pending, encoder, rep, err)
                pending, n_pending = [], 0
        if pending:
            self._commit(pending, encoder, rep, err)
        if rep.docs_added > 1000 and rep.docs_added > len(self) // 10:
            with self.db:  # many new rows: merge the FTS segments once, so queries read fewer
                self.db.execute("INSERT INTO keys(keys) VALUES ('optimize')")
        if rep.files_indexed or rep.files_removed:
            # Fold the write-ahead log back in: the index stays one self-contained file.
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rep.docs_total = len(self)
        rep.seconds = time.perf_counter() - t0
        return rep

    @staticmethod
    def _replay_errors(rel: str, stored: str | None, err: Callable[[CorpusError], None]) -> None:
        # A file that had bad parts still has them while it is unchanged: say so on every run.
        for line in (stored or "").splitlines():
            num, _, msg = line.partition("\t")
            err(CorpusError(rel, msg, int(num) if num else None))

    def _commit(self, pending, encoder, rep: UpdateReport, err: Callable[[CorpusError], None]) -> None:
        docs = [d for *_, ds, _ in pending for d in ds]
        feats = features_for([d.article for d in docs], encoder, "en", self.embed_sentences)
        by_doc = {id(d): f for d, f in zip(docs, feats)}
        with self.db:
            for rel, st, sha, ds, errors in pending:
                rep.docs_removed += self.remove_path(rel)
                n = 0
                for d in ds:
                    try:
                        self.add(d.doc_id, d.path, by_doc[id(d)], d.line)
                        n += 1
                    except sqlite3.IntegrityError:
                        other = self.db.execute("SELECT path, line FROM docs WHERE doc_id=?", (d.doc_id,)).fetchone()
                        where = f"{other[0]}:{other[1]}" if other and other[1] else (other[0] if other else "?")
                        errors.append(CorpusError(rel, f"duplicate id {d.doc_id!r} (already in {where}): skipped",
                                                  d.line))
                for e in errors:
                    err(e)
                stored = "\n".join(f"{e.line or ''}\t{e.message}" for e in errors) or None
                self.db.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                                (rel, st.st_size, st.st_mtime_ns, sha, n, stored))
                rep.docs_added += n
                rep.files_indexed += 1

    # -- reading ---------------------------------------------------------------------------
    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All document embeddings as (ids, dates as ordinals (0 = none), (n, d) float32 matrix), cached."""
        if self._matrix is None:
            rows = self.db.execute("SELECT id, date, emb FROM docs WHERE emb IS NOT NULL ORDER BY id").fetchall()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            dates = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
            if rows:
                mat = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            else:
                mat = np.zeros((0, 1), dtype=np.float32)
            self._matrix = (ids, dates, mat)
        return self._matrix

    def fetch(self, ids: Iterable[int]) -> dict[int, DocRow]:
        """Stored documents by row id."""
        ids = [int(i) for i in ids]
        out: dict[int, DocRow] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            q = ("SELECT id, doc_id, path, line, date, headline, n_paragraphs, n_chars, figures, names, tickers, emb"
                 f" FROM docs WHERE id IN ({','.join('?' * len(part))})")
            for r in self.db.execute(q, part):
                emb = np.frombuffer(r[11], dtype=np.float32) if r[11] is not None else None
                feat = DocFeatures(tuple(r[8].split()), tuple(r[9].split()), tuple(r[10].split()), _int_date(r[4]),
                                   r[5], r[6] or 0, r[7] or 0, emb)
                out[r[0]] = DocRow(r[0], r[1], r[2], r[3], feat)
        return out

    def doc_freq(self, tokens: Iterable[str]) -> dict[str, int]:
        """How many documents hold each token (absent tokens: 0)."""
        toks = list(dict.fromkeys(tokens))
        out = dict.fromkeys(toks, 0)
        for chunk in range(0, len(toks), 500):
            part = toks[chunk : chunk + 500]
            out.update(self.db.execute(f"SELECT token, df FROM terms WHERE token IN ({','.join('?' * len(part))})",
                                       part).fetchall())
        return out

    def search_keys(self, weights: dict[str, float], df: dict[str, int], limit: int = 30,
                    budget: int = 5_000) -> list[int]:
        """Row ids of the documents sharing the most IDF weight of the ``weights`` tokens, best first.

        Tokens are looked up in FTS5 rarest first until ``budget`` postings have been read: a rare key
        (an amount, a surname) finds the original, a common one ("percent:2") only costs time.  FTS5's
        own ``ORDER BY rank`` scores every posting of every token and took 0.8 s a query at 100k documents.
        """
        score: dict[int, float] = {}
        read = 0
        for tok in sorted((t for t in weights if df.get(t, 0) > 0), key=lambda t: (df[t], t)):
            read += df[tok]
            if read > budget:
                break
            w = weights[tok]
            get = score.get
            for (rowid,) in self.db.execute("SELECT rowid FROM keys WHERE keys MATCH ?", (f'"{tok}"',)).fetchall():
                score[rowid] = get(rowid, 0.0) + w
        return [r for r, _ in heapq.nlargest(limit, score.items(), key=lambda rw: (rw[1], -rw[0]))]

    def size_bytes(self) -> int:
        """Size of the index file on disk (with its write-ahead log)."""
        return sum(os.path.getsize(p) for p in (self.path, Path(str(self.path) + "-wal")) if os.path.exists(p))


def load_document(corpus: str | os.PathLike[str], row: DocRow) -> Article:
    """Read an indexed document back from the corpus (the index keeps features, not text)."""
    root = Path(corpus)
    items = [read_jsonl_record(root, row.path, row.line)] if row.line else list(read_corpus_file(root, root / row.path))
    for item in items:
        if isinstance(item, CorpusDoc) and item.doc_id == row.doc_id:
            item.article.path = str(root / row.path) + (f":{row.line}" if row.line else "")
            return item.article
    problem = next((str(i) for i in items if isinstance(i, CorpusError)), None)
    raise InputError(problem or f"{row.doc_id}: no longer in {root / row.path}; re-run `mtcheck index {root}`")
