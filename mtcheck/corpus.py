"""Read a corpus directory of English originals: articles as ``.txt``, ``.md`` or ``.html`` files (one per
file), and ``.jsonl`` archives (one JSON object per line with ``id``, ``date``, ``headline``, ``body``).

A bad file or a bad line never stops the reading: it becomes a one-line :class:`CorpusError` and the rest
goes on.  Every document gets a corpus id: the file's path relative to the corpus root (``2024/ecb.txt``),
or the ``id`` field of a JSON line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import MtcheckError
from .records import Article

__all__ = [
    "CORPUS_EXTENSIONS",
    "CorpusDoc",
    "CorpusError",
    "file_digest",
    "list_corpus_files",
    "parse_jsonl_record",
    "read_corpus_file",
    "read_jsonl_record",
]

CORPUS_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"})
_MAX_JSONL_BYTES = 2_000_000_000  # archives are streamed line by line; this only stops runaway files
_MAX_LINE_BYTES = 5_000_000  # the same limit ingest puts on one article file


@dataclass
class CorpusDoc:
    """One English document of the corpus, ingested."""

    doc_id: str
    path: str  # relative to the corpus root, with forward slashes
    article: Article
    line: int | None = None  # 1-based line number in a .jsonl archive


@dataclass
class CorpusError:
    """A file or line that could not be read; ``message`` is one line."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def list_corpus_files(root: str | os.PathLike[str], exclude: tuple[str, ...] = ()) -> list[Path]:
    """Corpus files under ``root`` (recursively, sorted), hidden files and folders and ``exclude`` paths skipped."""
    base = Path(root)
    skip = {os.path.abspath(p) for p in exclude}
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(base):
        # Hidden folders hold tool state (.git, the index itself), never articles.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in CORPUS_EXTENSIONS:
                continue
            p = Path(dirpath) / name
            if os.path.abspath(p) in skip:
                continue
            out.append(p)
    return out


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_corpus_file(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Iterator[CorpusDoc | CorpusError]:
    """The documents of one corpus file, and a CorpusError for each part that could not be read."""
    root_p, path_p = Path(root), Path(path)
    rel = _rel(root_p, path_p)
    if path_p.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path_p, rel)
        return
    from .ingest import read_article

    try:
        article = read_article(path_p, lang="en")
    except MtcheckError as exc:
        yield CorpusError(rel, _strip_name(str(exc), str(path_p)))
        return
    except Exception as exc:  # a parser bug on one odd file must not stop the whole corpus
        yield CorpusError(rel, f"cannot read the article ({type(exc).__name__}: {exc})")
        return
    yield CorpusDoc(rel, rel, article)


def _strip_name(message: str, name: str) -> str:
    # InputError messages start with the file name; the caller prints the relative path itself.
    return message[len(name) + 2 :] if message.startswith(name + ": ") else message


def _read_jsonl(path: Path, rel: str) -> Iterator[CorpusDoc | CorpusError]:
    try:
        size = path.stat().st_size
        if size > _MAX_JSONL_BYTES:
            yield CorpusError(rel, f"archive too large ({size:,} bytes)")
            return
        fh = open(path, "rb")
    except OSError as exc:
        yield CorpusError(rel, f"cannot read the file ({exc.strerror or exc})")
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            item = parse_jsonl_record(raw, rel, n)
            if item is not None:
                yield item


def read_jsonl_record(root: str | os.PathLike[str], rel: str, line: int) -> CorpusDoc | CorpusError:
    """The document on line ``line`` of the archive ``rel`` (read again after indexing)."""
    path = Path(root) / rel
    try:
        with open(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                if n == line:
                    return parse_jsonl_record(raw, rel, n) or CorpusError(rel, "blank line", n)
    except OSError as exc:
        return CorpusError(rel, f"cannot read the file ({exc.strerror or exc})")
    return CorpusError(rel, "no such line (the archive changed)", line)


def parse_jsonl_record(raw: bytes, rel: str, n: int) -> CorpusDoc | CorpusError | None:
    """One line of a .jsonl archive as a document, an error, or None for a blank line."""
    from .ingest import parse_article

    if not raw.strip():
        return None
    if len(raw) > _MAX_LINE_BYTES:
        return CorpusError(rel, f"line too long ({len(raw):,} bytes)", n)
    try:
        rec = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return CorpusError(rel, "not UTF-8", n)
    except json.JSONDecodeError as exc:
        return CorpusError(rel, f"invalid JSON ({exc.msg} at column {exc.colno})", n)
    if not isinstance(rec, dict):
        return CorpusError(rel, "not a JSON object", n)
    doc_id, body = rec.get("id"), rec.get("body")
    if doc_id is None or isinstance(doc_id, (dict, list)) or not str(doc_id).strip():
        return CorpusError(rel, "no 'id'", n)
    if not isinstance(body, str) or not body.strip():
        return CorpusError(rel, "no 'body' text", n)
    headline = rec.get("headline")
    headline = headline.strip() if isinstance(headline, str) and headline.strip() else None
    date = None
    if rec.get("date"):
        try:
            # "2024-11-12" or a full ISO timestamp: only the day matters for retrieval.
            date = dt.date.fromisoformat(str(rec["date"])[:10])
        except ValueError:
            return CorpusError(rel, f"bad 'date' {rec['date']!r} (want YYYY-MM-DD)", n)
    text = f"{headline}\n\n{body}" if headline else body
    try:
        article = parse_article(text, lang="en", fmt="text", path=f"{rel}:{n}")
    except MtcheckError as exc:
        return CorpusError(rel, _strip_name(str(exc), f"{rel}:{n}"), n)
    except Exception as exc:  # one odd record must not stop the archive
        return CorpusError(rel, f"cannot read the article ({type(exc).__name__}: {exc})", n)
    if headline:
        article.meta.headline = headline
    if date is not None:
        article.meta.date, article.meta.date_source = date, "corpus"
    return CorpusDoc(str(doc_id).strip(), rel, article, n)
