"""The pipeline: ingest → segment → align → score → check, returning a :class:`Result`."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from .align import AlignParams, align
from .checks import CheckContext, available_checks, run_checks
from .config import Config
from .encoder import DEFAULT_ENCODER, Encoder, get_encoder
from .records import AlignedPair, Article, Sentence
from .result import Result, Signature
from .score import count_moved, score_article, score_pairs
from .segment import prose
from .threads import blas_threads


def _pairs_from_beads(beads, en: list[Sentence], fr: list[Sentence]) -> list[AlignedPair]:
    return [
        AlignedPair(
            index=k,
            en=b.en,
            fr=b.fr,
            en_text=" ".join(en[i].text for i in b.en),
            fr_text=" ".join(fr[j].text for j in b.fr),
            align_score=b.score,
        )
        for k, b in enumerate(beads)
    ]


def score_articles(
    fr: Article,
    en: Article | None,
    config: Config | None = None,
    encoder: Encoder | str = DEFAULT_ENCODER,
    align_params: AlignParams | None = None,
) -> Result:
    """Score an ingested French article against its English original (or alone, when ``en`` is None)."""
    with blas_threads():
        return _score_articles(fr, en, config, encoder, align_params)


def _score_articles(fr: Article, en: Article | None, config: Config | None, encoder: Encoder | str,
                    align_params: AlignParams | None) -> Result:
    from .segment import segment

    config = config or Config()
    enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    fr_sents = segment(fr)
    en_sents = segment(en) if en is not None else []
    timings["segment"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if en is not None:
        en_prose, fr_prose = prose(en_sents, en), prose(fr_sents, fr)
        beads = align(en_prose, fr_prose, enc, align_params)
    else:
        beads, en_prose, fr_prose = [], [], []
    pairs = _pairs_from_beads(beads, en_sents, fr_sents) if en is not None else [
        AlignedPair(index=j, en=[], fr=[j], en_text="", fr_text=s.text) for j, s in enumerate(fr_sents)
    ]
    timings["align"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    score_pairs(pairs, enc, en_prose, fr_prose)
    scores = score_article(pairs, len(en_sents), len(fr_sents))
    scorers = ["similarity", "length-ratio"] if en is not None else []
    mt_model = "none"
    if en is not None and config.mt_model:
        from .backtranslate import get_back_translator, score_back_translation

        translator = get_back_translator(config.mt_model, config.model_dir)
        if translator is not None:  # None: "auto" and no model present, so the offline scorers run alone
            scores.extra.update(score_back_translation(pairs, translator, [s.text for s in fr_sents]))
            scorers += ["bt-chrf", "bt-bleu", "bt-ter"]
            mt_model = translator.signature
    timings["score"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    ctx = CheckContext(fr=fr, en=en, fr_sentences=fr_sents, en_sentences=en_sents, pairs=pairs, config=config,
                       encoder=enc)
    findings = run_checks(ctx)
    timings["check"] = time.perf_counter() - t0

    if en is not None:
        from .risk import apply_risk

        t0 = time.perf_counter()
        # after the checks: their findings are part of the risk
        apply_risk(pairs, findings, scores, en_sentences=[s.text for s in en_sents],
                   fr_sentences=[s.text for s in fr_sents], moves=ctx.moved)
        count_moved(scores, pairs, ctx.moved, len(en_sents), len(fr_sents))
        scorers.append("risk")
        timings["risk"] = time.perf_counter() - t0

    enabled = sorted(n for n in available_checks() if config.check_enabled(n))
    signature = Signature(
        encoder=enc.name,
        checks=enabled,
        conversion_tolerance=config.conversion_tolerance,
        rates_date=ctx.notes.get("rates_date"),
        mt_model=mt_model,
    )
    return Result(fr, en, fr_sents, en_sents, pairs, findings, scores, signature, scorers, timings)


def score_pair(
    fr_text: str,
    en_text: str | None,
    date: dt.date | str | None = None,
    config: Config | None = None,
    encoder: Encoder | str = DEFAULT_ENCODER,
) -> Result:
    """Score French text against English text (plain text, as from files); ``date`` overrides the article's."""
    from .ingest import parse_article

    return _dated(parse_article, fr_text, en_text, date, config, encoder)


def score_files(
    fr_path: str | Path,
    en_path: str | Path | None,
    date: dt.date | str | None = None,
    config: Config | None = None,
    encoder: Encoder | str = DEFAULT_ENCODER,
) -> Result:
    """Read, check the language of, and score two article files."""
    from .ingest import read_article

    return _dated(read_article, fr_path, en_path, date, config, encoder)


def _dated(load, fr_source, en_source, date, config, encoder) -> Result:
    fr = load(fr_source, lang="fr")
    en = load(en_source, lang="en") if en_source is not None else None
    _apply_date(fr, en, date)
    return score_articles(fr, en, config=config, encoder=encoder)


def _apply_date(fr: Article, en: Article | None, date: dt.date | str | None) -> None:
    # The French article's date drives the exchange rates; fall back to the original's when it has none.
    if date is not None:
        fr.meta.date = dt.date.fromisoformat(date) if isinstance(date, str) else date
        fr.meta.date_source = "user"
    elif fr.meta.date is None and en is not None and en.meta.date is not None:
        fr.meta.date = en.meta.date
        fr.meta.date_source = "original"
