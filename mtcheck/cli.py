"""The ``mtcheck`` command line (click): composable commands over the pipeline."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import __version__
from .config import Config
from .errors import MtcheckError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Group(click.Group):
    """A click group that turns errors into one line and a documented exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except MtcheckError as exc:
            click.echo(f"mtcheck: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("mtcheck: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # the reader went away (`mtcheck align ... | head`): not an error of ours. Point stdout at
            # /dev/null so that Python's own flush at exit does not raise again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)  # 128 + SIGPIPE, as a shell reports a command killed by a closed pipe
        except Exception as exc:  # the CI contract: exit 3 on a bug, with a hint, not a traceback
            if os.environ.get("MTCHECK_DEBUG"):
                raise
            click.echo(f"mtcheck: internal error: {type(exc).__name__}: {exc} "
                       "(set MTCHECK_DEBUG=1 for the traceback, and please report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtcheck")
def cli() -> None:
    """Check machine-translated French wire copy against its English original.

    \b
    Exit codes: 0 no problem, 1 findings at or above the failing severity,
    2 bad usage or bad input, 3 internal error.
    """


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@cli.command()
@click.argument("fr_file", type=click.Path(path_type=Path))
@click.argument("en_file", type=click.Path(path_type=Path), required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="Output format: a table for people, JSON (docs/output.md) or CSV for programs.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the output to this file instead of standard output.")
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD",
              help="Publication date of the French article (overrides what ingest reads; drives exchange rates).")
@click.option("--show-removed", is_flag=True, help="Also list the boilerplate removed from each article.")
@click.option("--encoder", default="use-m3", show_default=True,
              help="Sentence encoder: 'use-m3' (offline, bundled) or a local transformers model directory.")
@click.option("--tolerance", type=click.FloatRange(0, 1), default=0.02, show_default=True,
              help="Relative error allowed on a currency conversion.")
@click.option("--rates", "rates_file", type=click.Path(exists=True, dir_okay=False),
              help="ECB rate history (zip or CSV) to use instead of the packaged one.")
@click.option("--disable", multiple=True, metavar="CHECK", help="Skip a check (repeatable).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit 1 when a finding reaches this severity.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: only on a terminal).")
@click.option("--mt-model", metavar="NAME", help="Back-translate with this local MarianMT fr-en model (a name from "
              "`mtcheck models list`, a model directory, or 'auto': opus-mt-fr-en when present). Default: none.")
@click.option("--model-dir", type=click.Path(file_okay=False), help="Folder searched first for models.")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path),
              help="Without EN_FILE: retrieve the original from this folder of English articles (exit 2 if none).")
@click.option("--index", "index", type=click.Path(dir_okay=False, path_type=Path),
              help="With --corpus: the index file (default: CORPUS/.mtcheck-index.sqlite).")
def score(fr_file: Path, en_file: Path | None, fmt: str, out: Path | None, date: dt.date | None,
          show_removed: bool, encoder: str, tolerance: float, rates_file: str | None, disable: tuple[str, ...],
          fail_on: str, color: bool | None, mt_model: str | None = None, model_dir: str | None = None,
          corpus: Path | None = None, index: Path | None = None) -> None:
    """Score the French article FR_FILE against its English original EN_FILE.

    Without EN_FILE, only the checks that need no original run (added conversions, sentences left
    in English). Prints aligned pairs, their scores and the findings.
    """
    from .checks import available_checks
    from .pipeline import score_files
    from .report import render_text, to_csv, to_json

    unknown = sorted(set(disable) - set(available_checks()))
    if unknown:
        raise UsageError(f"unknown check(s) {', '.join(unknown)}; known: {', '.join(sorted(available_checks()))}")
    if out is not None:
        for given in (fr_file, en_file):
            if given is not None and given.exists() and out.exists() and out.resolve() == given.resolve():
                raise UsageError(f"--out {out} is an input file: refusing to overwrite it")
    config = Config(conversion_tolerance=tolerance, disabled=list(disable), rates_file=rates_file,
                    mt_model=mt_model, model_dir=model_dir)
    if corpus is not None:
        from .cli_corpus import score_from_corpus

        result = score_from_corpus(fr_file, en_file, corpus, index, date=date, config=config, encoder=encoder)
    else:
        result = score_files(fr_file, en_file, date=date, config=config, encoder=encoder)

    if fmt == "json":
        text = to_json(result) + "\n"
    elif fmt == "csv":
        text = to_csv(result)
    else:
        text = None
    if out is not None:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            if text is None:
                render_text(result, out=fh, color=False, show_removed=show_removed, width=160)
            else:
                fh.write(text)
    elif text is None:
        render_text(result, color=color, show_removed=show_removed)
    else:
        sys.stdout.write(text)

    worst = result.worst()
    if fail_on != "never" and worst is not None and worst.rank >= {"error": 2, "warning": 1}[fail_on]:
        sys.exit(EXIT_FINDINGS)


@cli.group()
def rates() -> None:
    """ECB reference rates used to check currency conversions."""


@rates.command("update")
@click.option("--dest", type=click.Path(path_type=Path), help="Where to save the history (default: the user cache).")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Network timeout in seconds.")
def rates_update(dest: Path | None, timeout: float) -> None:
    """Download the ECB's current rate history (needs internet)."""
    from .rates import history_end, update_rates

    path = update_rates(str(dest) if dest else None, timeout=timeout)
    click.echo(f"saved {path}; rates up to {history_end(path).isoformat()}")


@rates.command("show")
@click.option("--rates", "rates_file", type=click.Path(exists=True, dir_okay=False), help="A local ECB history.")
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD", help="Show the rates used on this day.")
@click.argument("pairs", nargs=-1, metavar="[BASE/QUOTE]...")
def rates_show(rates_file: str | None, date: dt.date | None, pairs: tuple[str, ...]) -> None:
    """Show which rate history is used, up to which date, and some rates (default EUR/USD, EUR/GBP...)."""
    from .rates import get_rate

    for pair in pairs or ("EUR/USD", "EUR/GBP", "EUR/JPY", "EUR/CHF", "USD/EUR"):
        base, _, quote = pair.upper().partition("/")
        try:
            look = get_rate(base, quote, date, rates_file=rates_file)
        except KeyError as exc:
            raise UsageError(str(exc).strip("'\"")) from None
        note = "" if look.exact or date is None else " (nearest earlier business day)"
        stale = " STALE: past the end of the history" if look.stale else ""
        click.echo(f"{base}/{quote} {look.rate:.6g} on {look.date_used.isoformat()}{note}{stale}")
    click.echo(f"source: {look.source}")


def _register_plugins() -> None:
    # Batch commands (report, check) live in their own module; importing it registers them on `cli`.
    from . import cli_batch, cli_models  # noqa: F401
    from . import cli_corpus  # noqa: F401  (index, retrieve)
    from . import cli_align  # noqa: F401  (align)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="mtcheck")


_register_plugins()

if __name__ == "__main__":  # pragma: no cover
    main()
