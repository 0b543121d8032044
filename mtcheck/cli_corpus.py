"""Corpus commands: ``mtcheck index CORPUS`` and ``mtcheck retrieve FR... --corpus DIR``; and the retrieval
behind ``mtcheck score FR --corpus DIR``.  Importing this module registers the commands on ``cli``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .cli import cli
from .errors import InputError, MtcheckError, UsageError

EXIT_NOT_FOUND, EXIT_INPUT = 1, 2


def _window(ctx, param, value: str | None) -> tuple[int, int]:
    if value is None:
        return (7, 1)
    before, _, after = value.partition(",")
    try:
        b, a = int(before), int(after) if after else 1
    except ValueError:
        raise click.BadParameter(f"{value!r}: want N (days before) or N,M (days before, days after)") from None
    if b < 0 or a < 0:
        raise click.BadParameter("days cannot be negative")
    return (b, a)


def open_index(corpus: Path, index: Path | None, encoder: str, quiet: bool = False):
    """Open (creating it when needed) and update the index of ``corpus``; problems go to stderr, one line each."""
    from .encoder import get_encoder
    from .index import Index, default_index_path

    if not corpus.is_dir():
        raise InputError(f"{corpus}: not a directory (the corpus is a folder of English articles)")
    enc = get_encoder(encoder)
    idx = Index(index or default_index_path(corpus))
    try:
        rep = idx.update(corpus, enc, on_error=lambda e: click.echo(f"mtcheck: skipped {e}", err=True))
    except BaseException:
        idx.close()
        raise
    if rep.rebuilt:
        click.echo(f"mtcheck: index rebuilt ({rep.rebuilt})", err=True)
    if not quiet and (rep.files_indexed or rep.files_removed):
        click.echo(f"mtcheck: index {idx.path}: {rep.summary()}", err=True)
    return idx, enc, rep


@cli.command("index")
@click.argument("corpus", type=click.Path(path_type=Path))
@click.option("--index", "index", type=click.Path(dir_okay=False, path_type=Path),
              help="Index file (default: CORPUS/.mtcheck-index.sqlite).")
@click.option("--encoder", default="use-m3", show_default=True, help="Sentence encoder for the document embeddings.")
def index_cmd(corpus: Path, index: Path | None, encoder: str) -> None:
    """Build or update the retrieval index of CORPUS, a folder of English originals.

    \b
    Reads .txt, .md, .html files (one article each) and .jsonl archives (one JSON
    object per line: id, date, headline, body). Only new or changed files are read
    again; removed files are dropped. A file that cannot be read is reported in one
    line and skipped.
    """
    idx, _, rep = open_index(corpus, index, encoder, quiet=True)
    with idx:
        click.echo(f"{idx.path}: {rep.summary()}, {idx.size_bytes() / 1e6:.1f} MB")


def _print_text(res, top: int) -> None:
    head = res.query
    if res.date:
        head += f"  (date {res.date.isoformat()}, window {res.window[0].isoformat()} .. {res.window[1].isoformat()})"
    else:
        head += "  (no date: no date filter)"
    click.echo(head)
    click.echo(f"  {res.message}")
    for k, c in enumerate(res.candidates[:top], 1):
        click.echo(f"  {k:>2}. {c.doc_id}  score {c.score:.3f}  confidence {c.confidence:.2f}"
                   + (f"  [{c.headline}]" if c.headline else ""))
        click.echo("      " + "; ".join(c.reasons))


@cli.command("retrieve")
@click.argument("fr_files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FR...")
@click.option("--corpus", required=True, type=click.Path(path_type=Path), help="Folder of English originals.")
@click.option("--index", "index", type=click.Path(dir_okay=False, path_type=Path),
              help="Index file (default: CORPUS/.mtcheck-index.sqlite); updated before searching.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--top", type=click.IntRange(1, 100), default=3, show_default=True, help="Candidates shown per article.")
@click.option("--window-days", callback=_window, metavar="N[,M]",
              help="Originals are searched from N days before to M days after the French article's date "
                   "[default: 7,1]; no date, no filter.")
@click.option("--date", "date", metavar="YYYY-MM-DD",
              help="Publication date of the French articles (overrides theirs).")
@click.option("--encoder", default="use-m3", show_default=True, help="Sentence encoder (as used for the index).")
def retrieve_cmd(fr_files: tuple[Path, ...], corpus: Path, index: Path | None, fmt: str, top: int,
                 window_days: tuple[int, int], date: str | None, encoder: str) -> None:
    """Find the English original of each French article FR in the corpus.

    \b
    Shows the best candidates with a score, a confidence in [0, 1] and why (shared
    figures, names, tickers). "No original found" when the best is below the
    threshold; "ambiguous" when two versions of a story are equally close.
    Exit codes: 0 every article has an original, 1 some have none, 2 bad input.
    """
    from .ingest import read_article
    from .retrieve import Retriever

    when = _iso(date)
    idx, enc, _ = open_index(corpus, index, encoder)
    results, bad = [], 0
    with idx:
        r = Retriever(idx, enc, window_days=window_days)
        for path in fr_files:
            try:
                art = read_article(path, lang="fr")
            except MtcheckError as exc:
                click.echo(f"mtcheck: error: {exc}", err=True)
                bad += 1
                continue
            if when:
                art.meta.date, art.meta.date_source = when, "user"
            res = r.retrieve(art, top=top)
            res.query = str(path)
            results.append(res)
            if fmt == "text":
                _print_text(res, top)
    if fmt == "json":
        sys.stdout.write(json.dumps({"corpus": str(corpus), "index": str(idx.path),
                                     "results": [x.to_dict() for x in results]}, ensure_ascii=False, indent=2) + "\n")
    if bad:
        sys.exit(EXIT_INPUT)
    if any(not x.found for x in results):
        sys.exit(EXIT_NOT_FOUND)


def _iso(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date {value!r} is not a date in the form YYYY-MM-DD") from None


def score_from_corpus(fr_file: Path, en_file: Path | None, corpus: Path, index: Path | None, *,
                      date: dt.date | None = None, config=None, encoder: str = "use-m3"):
    """For ``mtcheck score FR --corpus DIR``: retrieve the original, then score against it.

    No original found is bad input (exit 2, one line naming the best candidate): scoring against a wrong
    article would report every sentence as an omission.  Score without --corpus for the French-only checks.
    """
    from .index import load_document
    from .ingest import read_article
    from .pipeline import _apply_date, score_articles
    from .retrieve import Retriever

    if en_file is not None:
        raise UsageError("give EN_FILE or --corpus, not both")
    fr = read_article(fr_file, lang="fr")
    if date is not None:
        fr.meta.date, fr.meta.date_source = date, "user"
    idx, enc, _ = open_index(corpus, index, encoder)
    with idx:
        res = Retriever(idx, enc).retrieve(fr)
    if not res.found:
        raise InputError(f"{fr_file}: {res.message} in {corpus} (score it without --corpus for the French-only checks)")
    best = res.best
    click.echo(f"mtcheck: original {best.doc_id} from {corpus} (confidence {best.confidence:.2f})", err=True)
    if res.ambiguous:
        click.echo(f"mtcheck: warning: {res.message}; scoring against {best.doc_id}", err=True)
    en = load_document(corpus, best.row)
    _apply_date(fr, en, date)
    return score_articles(fr, en, config=config, encoder=encoder)
