"""Batch commands for editors and CI: ``mtcheck report`` and ``mtcheck check`` (registered on the main group)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click

from .cli import cli
from .errors import UsageError

EXIT_INTERRUPTED = 130


def _inputs_and_checks(fn: Callable) -> Callable:
    """Options shared by ``report`` and ``check``: inputs, parallelism, configuration and check selection."""
    opts = [
        click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option("--jobs", "-j", "n_jobs", type=click.IntRange(min=1), metavar="N",
                     help="Articles scored in parallel (default: all cores)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Settings file (default: the nearest mtcheck.toml or pyproject.toml [tool.mtcheck])."),
        click.option("--encoder", default=None,
                     help="Sentence encoder: 'use-m3' (default) or a local model directory."),
        click.option("--tolerance", "conversion_tolerance", type=click.FloatRange(0, 1),
                     help="Relative error allowed on a currency conversion (default 0.02)."),
        click.option("--enable", multiple=True, metavar="CHECK", help="Run only these checks (repeatable)."),
        click.option("--disable", multiple=True, metavar="CHECK", help="Skip a check (repeatable)."),
        click.option("--mt-model", metavar="NAME",
                     help="Back-translate with this local MarianMT fr-en model (a name from `mtcheck models list`, "
                     "a model directory, or 'auto': opus-mt-fr-en when present). Default: none."),
        click.option("--model-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder searched first for models (then $MTCHECK_MODELS, then the user cache)."),
        click.option("--corpus", type=click.Path(path_type=Path),
                     help="Folder of English originals: a French article given without its English is matched "
                     "against it first (indexed on the way; no original found: French-only checks)."),
        click.option("--index", "index_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Index file of --corpus (default: CORPUS/.mtcheck-index.sqlite)."),
        click.option("--date-window-days", type=click.IntRange(min=0), help="With --corpus: days before the "
                     "article's date to look for its original (default 7; one day after)."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _settings(config_file: Path | None, **given):
    from .settings import check_names, resolve_settings

    given["enabled"] = list(given.pop("enable")) or None
    given["disabled"] = list(given.pop("disable")) or None
    settings = resolve_settings(config_file).override(**given)
    check_names(settings)
    _check_mt_model(settings)
    return settings


def _check_mt_model(settings) -> None:
    """Fail once, before scoring, when the MT model is named but absent (not once per article)."""
    if settings.mt_model in (None, "none", "auto"):
        return
    from .backtranslate import get_back_translator

    get_back_translator(settings.mt_model, str(settings.model_dir) if settings.model_dir else None)


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Callable]:
    """A progress bar with ETA on stderr when it is a terminal; a no-op otherwise."""
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield lambda outcome: None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    from .report_files import printable

    columns = (TextColumn("[bold]mtcheck"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[last]}", markup=False))
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("scoring", total=total, last="")

        def advance(outcome) -> None:
            name = printable(outcome.job.name)[-40:]  # a file name is not markup, and must not move the cursor
            bar.update(task, advance=1, last=name if outcome.ok else f"{name} (error)")

        yield advance


def _run(inputs: tuple[Path, ...], settings, n_jobs: int | None, quiet: bool, corpus: Path | None = None,
         index_file: Path | None = None):
    from .batch import CorpusSpec, collect_jobs, default_jobs, run_batch

    if index_file is not None and corpus is None:
        raise UsageError("--index goes with --corpus")
    jobs = collect_jobs(inputs)
    encoder = settings.encoder or "use-m3"
    spec = None
    if corpus is not None and any(job.en_path is None for job in jobs):  # nothing to retrieve: no index work
        from .cli_corpus import open_index

        # indexed once here (new or changed files only); the workers then only read it
        idx, _, _ = open_index(corpus, index_file, encoder, quiet=quiet)
        with idx:
            days = 7 if settings.date_window_days is None else settings.date_window_days
            spec = CorpusSpec(corpus, idx.path, (days, 1))
    with _progress(len(jobs), quiet) as advance:
        return run_batch(jobs, settings.to_config(), encoder, n_jobs or default_jobs(), on_done=advance, corpus=spec)


def _write_output(path: Path, data: bytes, option: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:  # a wrong path is the user's to fix (exit 2), not a bug (exit 3)
        raise UsageError(f"{option} {path}: cannot write ({exc.strerror or exc})") from None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _refuse_inputs(run, *outputs: Path | None) -> None:
    # An output path that is one of the articles would destroy the article: never write it.
    given = set()
    for o in run.outcomes:
        for p in (o.job.fr_path, o.job.en_path):
            if p is not None and p.exists():
                given.add(p.resolve())
    for out in outputs:
        if out is not None and out.exists() and out.resolve() in given:
            raise UsageError(f"{out} is an input file: refusing to overwrite it")


@cli.command(short_help="Score many articles; write CSV, JSON and HTML for editors.")
@_inputs_and_checks
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("mtcheck-report"),
              show_default=True, help="Folder for findings.csv, segments.csv, articles.csv, report.json, report.html.")
@click.option("--excel", is_flag=True, help="Write the CSV files as UTF-8 with a byte-order mark, for Excel.")
def report(inputs: tuple[Path, ...], n_jobs: int | None, quiet: bool, config_file: Path | None, encoder: str | None,
           conversion_tolerance: float | None, enable: tuple[str, ...], disable: tuple[str, ...],
           mt_model: str | None, model_dir: Path | None, corpus: Path | None, index_file: Path | None,
           date_window_days: int | None, out_dir: Path, excel: bool) -> None:
    """Score many articles and write an editor's report (CSV, JSON, HTML) into --out.

    INPUTS are folders of pairs (NAME.fr.txt with NAME.en.txt; .md and .html too; a French file
    without its English is checked French-only), CSV manifests (fr_path,en_path[,date], paths
    relative to the manifest) or French files; with --corpus, each French article given without its
    English is first matched against that folder of originals. An article that cannot be read becomes an error row;
    Ctrl-C writes the report of the articles already done (exit 130).
    """
    from .report_files import REPORT_FILES, write_report

    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir}: exists and is not a folder")
    settings = _settings(config_file, encoder=encoder, conversion_tolerance=conversion_tolerance,
                         enable=enable, disable=disable, mt_model=mt_model, model_dir=model_dir,
                         date_window_days=date_window_days)
    run = _run(inputs, settings, n_jobs, quiet, corpus, index_file)
    _refuse_inputs(run, *(out_dir / name for name in REPORT_FILES))
    try:
        write_report(run.outcomes, out_dir, excel=excel, total=run.total, interrupted=run.interrupted)
    except OSError as exc:
        raise UsageError(f"--out {out_dir}: cannot write the report ({exc.strerror or exc})") from None
    ok = [o for o in run.outcomes if o.ok]
    counts = {s: sum(o.result.counts()[s] for o in ok) for s in ("error", "warning", "info")}
    failed = len(run.outcomes) - len(ok)
    click.echo(f"mtcheck: {_plural(len(run.outcomes), 'article')}{f' ({failed} not checked)' if failed else ''}, "
               f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, {counts['info']} info; "
               f"report in {out_dir / 'report.html'}")
    if run.interrupted:
        click.echo(f"mtcheck: interrupted after {len(run.outcomes)} of {run.total} articles; "
                   "the report covers those", err=True)
        sys.exit(EXIT_INTERRUPTED)


@cli.command(short_help="CI gate: fail on findings; JUnit, GitHub annotations, baseline.")
@_inputs_and_checks
@click.option("--max-risk", type=click.FloatRange(0, 1), help="Fail an article whose risk is above this.")
@click.option("--min-similarity", type=click.FloatRange(-1, 1), help="Fail an article whose similarity is below this.")
@click.option("--fail-on", metavar="SEVERITIES",
              help="Severities that fail the gate, comma-separated (default: error), or 'never'.")
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write JUnit XML: one testcase per article.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the verdicts as JSON.")
@click.option("--github", is_flag=True, help="Print GitHub Actions annotations (::error file=...,line=...::...).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Accepted findings to suppress (default: mtcheck-baseline.json, if it exists).")
@click.option("--update-baseline", is_flag=True, help="Accept every current finding: write them to the baseline.")
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline: report every finding.")
def check(inputs: tuple[Path, ...], n_jobs: int | None, quiet: bool, config_file: Path | None, encoder: str | None,
          conversion_tolerance: float | None, enable: tuple[str, ...], disable: tuple[str, ...],
          mt_model: str | None, model_dir: Path | None, corpus: Path | None, index_file: Path | None,
          date_window_days: int | None, max_risk: float | None, min_similarity: float | None, fail_on: str | None,
          junit_file: Path | None, json_file: Path | None, github: bool, baseline_file: Path | None,
          update_baseline: bool, no_baseline: bool) -> None:
    """Gate translations in CI: exit 1 when an article has findings at a failing severity or misses a threshold.

    Same INPUTS as `report`. Settings come from [tool.mtcheck] in pyproject.toml or mtcheck.toml
    (or --config); options override them. Prints one summary line; --junit, --json and --github
    add machine-readable outputs. Findings listed in the baseline are suppressed.

    \b
    Exit codes: 0 pass, 1 findings over the threshold or an article not checked,
    2 bad usage or input (also when no article at all could be checked), 3 internal error.
    """
    import json

    from .gate import evaluate, github_annotations, load_baseline, to_gate_json, to_junit, updated_baseline, \
        write_baseline
    from .report_files import printable
    from .settings import DEFAULT_BASELINE, parse_fail_on

    if update_baseline and no_baseline:
        raise UsageError("--update-baseline and --no-baseline contradict each other")
    settings = _settings(config_file, encoder=encoder, conversion_tolerance=conversion_tolerance, enable=enable,
                         disable=disable, mt_model=mt_model, model_dir=model_dir, max_risk=max_risk,
                         min_similarity=min_similarity,
                         fail_on=parse_fail_on(fail_on) if fail_on is not None else None,
                         date_window_days=date_window_days)
    for option, path in (("--junit", junit_file), ("--json", json_file)):
        if path is not None and not path.absolute().parent.is_dir():  # fail now, not after scoring everything
            raise UsageError(f"{option} {path}: the folder {path.absolute().parent} does not exist")
    explicit = baseline_file is not None
    if baseline_file is None:
        baseline_file = settings.baseline or ((settings.source.parent if settings.source else Path.cwd())
                                              / DEFAULT_BASELINE)
    if no_baseline:
        from .gate import Baseline

        baseline = Baseline()
    else:
        baseline = load_baseline(baseline_file, required=explicit and not update_baseline)

    run = _run(inputs, settings, n_jobs, quiet, corpus, index_file)
    if run.interrupted:
        click.echo(f"mtcheck: interrupted after {len(run.outcomes)} of {run.total} articles; nothing written",
                   err=True)
        sys.exit(EXIT_INTERRUPTED)
    _refuse_inputs(run, junit_file, json_file, baseline_file if update_baseline else None)

    report = evaluate(run.outcomes, settings, baseline)
    if update_baseline:
        baseline = updated_baseline(baseline, report.verdicts)
        write_baseline(baseline, baseline_file)
        accepted = sum(len(v.findings) for v in report.verdicts)
        click.echo(f"mtcheck: baseline {baseline_file}: {accepted} finding(s) accepted, "
                   f"{len(baseline.entries)} in all", err=True)
        report = evaluate(run.outcomes, settings, baseline)

    if github:
        for line in github_annotations(report):
            click.echo(line)
    if junit_file is not None:
        _write_output(junit_file, to_junit(report), "--junit")
    if json_file is not None:
        _write_output(json_file, (json.dumps(to_gate_json(report), ensure_ascii=False, indent=2) + "\n").encode(),
                      "--json")
    for v in report.verdicts:
        if v.status == "error":
            click.echo(printable(f"mtcheck: {v.outcome.job.name}: not checked: {v.outcome.error}"), err=True)
    click.echo(report.summary_line())
    sys.exit(report.exit_code())
