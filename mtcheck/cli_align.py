"""``mtcheck align A B``: the sentence alignment alone, as beads (Vecalign-like), with the passages moved.

Importing this module registers the command on ``cli``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from . import __version__
from .cli import cli
from .errors import InputError, UsageError

SEGMENTED = ("fr", "en")  # languages ingest and segment have rules for


@dataclass
class Side:
    """One input file as sentences: ``texts`` as shown, ``prose`` as embedded, and where each came from."""

    path: str
    lang: str
    texts: list[str]
    prose: list[str]
    origin: list[dict]  # per sentence: {"line": n} with --presplit, else {"start": a, "end": b} into the input
    notices: list[str]


def _lang(ctx, param, value: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise click.BadParameter(f"{value!r} is not a language code such as fr, en or de")
    return code


def _read_lines(path: Path, lang: str) -> Side:
    """One sentence per line, as given; blank lines are skipped. Bad input raises a one-line InputError."""
    from .ingest import read_text  # the same size, decoding and binary/empty refusals as every mtcheck input

    name = os.fspath(path)
    text, notices = read_text(name)
    texts, origin = [], []
    # "\n" only: str.splitlines() also breaks at form feeds, U+2028 and the like, and the line numbers
    # reported would no longer be an editor's
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = " ".join(line.split())
        if line:
            texts.append(line)
            origin.append({"line": n})
    return Side(name, lang, texts, list(texts), origin, notices)


def _read_article(path: Path, lang: str, option: str) -> Side:
    """Ingest and segment an article file (French or English only)."""
    from .ingest import read_article
    from .segment import prose
    from .segment import segment

    if lang not in SEGMENTED:
        raise UsageError(f"{option} {lang}: without --presplit, mtcheck reads and splits French and English only; "
                         "give one sentence per line and --presplit to align other languages")
    article = read_article(path, lang=lang)
    sentences = segment(article)
    if not sentences:
        raise InputError(f"{path}: no sentences found")
    return Side(os.fspath(path), article.lang, [s.text for s in sentences], prose(sentences, article),
                [{"start": s.start, "end": s.end} for s in sentences], list(article.notices))


def _signature(encoder: str, params, reorder, presplit: bool) -> str:
    p = params
    ratio = "auto" if p.expected_ratio is None else f"{p.expected_ratio:g}"
    return (f"mtcheck:{__version__}|enc:{encoder}|align:skip={p.skip:g},merge={p.merge_penalty:g},"
            f"cross={p.cross_penalty:g},margin={p.margin:g},anchor={p.anchor_weight:g},length={p.length_weight:g},"
            f"ratio={ratio},side={p.max_side},total={p.max_total}|moved:{reorder.threshold:g}@use-m3"
            f"|split:{'presplit' if presplit else 'mtcheck'}")


def _ids(xs: list[int]) -> str:
    return "[" + ",".join(str(x) for x in xs) + "]"


@cli.command("align")
@click.argument("file_a", type=click.Path(path_type=Path), metavar="A")
@click.argument("file_b", type=click.Path(path_type=Path), metavar="B")
@click.option("--presplit", is_flag=True,
              help="The files hold one sentence per line, taken as given (blank lines skipped); any language.")
@click.option("--lang-a", default="fr", show_default=True, callback=_lang, help="Language of A.")
@click.option("--lang-b", default="en", show_default=True, callback=_lang, help="Language of B.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Beads and sentences for people, or JSON for programs.")
@click.option("--encoder", default="use-m3", show_default=True,
              help="Sentence encoder: 'use-m3' (offline, bundled) or a local transformers model directory.")
def align_cmd(file_a: Path, file_b: Path, presplit: bool, lang_a: str, lang_b: str, fmt: str, encoder: str) -> None:
    """Align the sentences of A and B and print the beads.

    \b
    Each bead lists sentence indices (from 0) of A and of B with its score,
    as Vecalign prints them: [0]:[0,1]:0.83 is sentence 0 of A with sentences
    0 and 1 of B; [3]:[] is a sentence of A with no counterpart in B. The
    score is the aligner's: cosine less the hubness margin, plus the figure
    and name anchors, less the length term (0 for a sentence alone).
    Passages that the translation moved elsewhere are listed as "moved".

    Without --presplit the files go through mtcheck's ingest and sentence
    splitting, which know French and English (--lang-a/--lang-b say which is
    which). With --presplit any language pair can be aligned.
    """
    from .align import AlignParams, align
    from .encoder import DEFAULT_ENCODER, get_encoder
    from .reorder import ReorderParams, find_moves

    if presplit:
        a, b = _read_lines(file_a, lang_a), _read_lines(file_b, lang_b)
    else:
        a, b = _read_article(file_a, lang_a, "--lang-a"), _read_article(file_b, lang_b, "--lang-b")
    for side in (a, b):
        for note in side.notices:
            click.echo(f"mtcheck: {side.path}: {note}", err=True)
        if not side.texts:
            raise InputError(f"{side.path}: no sentences (only blank lines)")

    enc = get_encoder(encoder)
    params, reorder = AlignParams(), ReorderParams()
    # align() takes the original (English) side first; it is symmetric but for tie-breaking, so B, the
    # original as in `mtcheck score FR EN`, goes there unless A is the English one
    a_first = lang_a == "en" and lang_b != "en"
    src, tgt = (a, b) if a_first else (b, a)
    beads = align(src.prose, tgt.prose, enc, params)
    # use-m3 for the moves whatever aligned: their threshold is calibrated on its cosines
    moves = find_moves(beads, src.prose, tgt.prose, get_encoder(DEFAULT_ENCODER), reorder)

    def sides(en: list[int], fr: list[int]) -> tuple[list[int], list[int]]:
        return (en, fr) if a_first else (fr, en)

    rows = []
    for bead in beads:
        ia, ib = sides(bead.en, bead.fr)
        rows.append({"a": ia, "b": ib, "score": round(float(bead.score), 4)})
    moved = []
    for m in moves:
        ia, ib = sides(m.en, m.fr)
        moved.append({"a": ia, "b": ib, "similarity": round(m.similarity, 4)})
    signature = _signature(enc.name, params, reorder, presplit)

    if fmt == "json":
        def side_dict(s: Side) -> dict:
            return {"path": s.path, "lang": s.lang,
                    "sentences": [{"index": k, "text": t, **o} for k, (t, o) in enumerate(zip(s.texts, s.origin))]}

        out = {"signature": signature,
               "params": {"encoder": enc.name, "presplit": presplit, "align": dataclasses.asdict(params),
                          "moved": dataclasses.asdict(reorder)},
               "a": side_dict(a), "b": side_dict(b), "beads": rows, "moved": moved}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return

    click.echo(f"A: {a.path} ({a.lang}, {len(a.texts)} sentences)  B: {b.path} ({b.lang}, {len(b.texts)} sentences)")
    for row in rows:
        click.echo(f"{_ids(row['a'])}:{_ids(row['b'])}:{row['score']:.2f}")
        for name, side, ids in (("A", a, row["a"]), ("B", b, row["b"])):
            for k in ids:
                click.echo(f"    {name}{k}  {side.texts[k]}")
    for m in moved:
        click.echo(f"moved: A {_ids(m['a'])} = B {_ids(m['b'])} (similarity {m['similarity']:.2f}): "
                   "the passage is in both, at another place")
    click.echo(f"signature: {signature}")
