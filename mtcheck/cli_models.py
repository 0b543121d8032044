"""``mtcheck models``: list, pull, locate and verify the optional models (registered on the main group)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import cli

_MODEL_DIR = click.option("--model-dir", type=click.Path(file_okay=False, path_type=Path),
                          help="Model folder searched first (then $MTCHECK_MODELS, then the user cache).")


@cli.group()
def models() -> None:
    """Optional models: MarianMT for back-translation, sentence encoders.

    \b
    Models are used from local directories only, searched in --model-dir, then $MTCHECK_MODELS,
    then ~/.cache/mtcheck/models; each model sits in a folder named after it with / turned
    into __ (Helsinki-NLP__opus-mt-fr-en). `pull` needs the hub; elsewhere, copy that folder.
    """


@models.command("list")
@_MODEL_DIR
def models_list(model_dir: Path | None) -> None:
    """The registered models, their licence and size, and where each is found locally."""
    from .models import find_model, load_registry, local_models, search_roots

    registry = load_registry()
    for name, info in registry.items():
        path = find_model(name, model_dir)
        where = str(path) if path else "not present"
        click.echo(f"{name:36} {info.kind:8} {info.task:19} {info.license:11} ~{info.size_mb:g} MB  {where}")
    extra = {n: p for n, p in local_models(model_dir).items() if n not in registry}
    for name, path in extra.items():
        click.echo(f"{name:36} {'local':8} {'':19} {'':11} {'':9}  {path}")
    click.echo(f"searched: {', '.join(str(r) for r in search_roots(model_dir))}")


@models.command("pull")
@click.argument("name")
@_MODEL_DIR
@click.option("--revision", help="Hub branch, tag or commit (default: the registry's).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Network timeout in seconds.")
@click.option("--force", is_flag=True, help="Download again even when the model is present.")
def models_pull(name: str, model_dir: Path | None, revision: str | None, timeout: float, force: bool) -> None:
    """Download NAME from the Hugging Face hub (needs internet); weights are kept as safetensors only."""
    from .models import pull

    path = pull(name, model_dir=model_dir, timeout=timeout, revision=revision, force=force)
    click.echo(f"{name}: {path}")


@models.command("path")
@click.argument("name")
@_MODEL_DIR
def models_path(name: str, model_dir: Path | None) -> None:
    """Print the local directory of NAME (exit 2 when it is not present)."""
    from .models import model_path

    click.echo(str(model_path(name, model_dir)))


@models.command("verify")
@click.argument("names", nargs=-1)
@_MODEL_DIR
@click.option("--no-load", is_flag=True, help="Check files and sha256 only; do not load the weights.")
@click.option("--record", is_flag=True, help="Write the sha256 manifest of a model copied by hand that has none.")
def models_verify(names: tuple[str, ...], model_dir: Path | None, no_load: bool, record: bool) -> None:
    """Check every local model (or NAMES): config, tokenizer, safetensors, sha256 manifest, and that it loads.

    Exit 1 when a model fails.
    """
    from .models import guess_kind, local_models, model_path, read_manifest, verify_model, write_manifest

    if names:
        found = {n: model_path(n, model_dir) for n in names}
    else:
        found = local_models(model_dir)
        if not found:
            click.echo("no local models")
            return
    failed = 0
    for name, path in found.items():
        if record and read_manifest(path) is None:
            write_manifest(path, name, kind=guess_kind(path), source="recorded by mtcheck models verify --record")
            click.echo(f"{name}: sha256 recorded in {path}")
        v = verify_model(path, name=None if Path(name).is_dir() else name, load=not no_load)
        name = v.name
        if v.ok:
            click.echo(f"ok      {name}  {path}")
        else:
            failed += 1
            click.echo(f"FAILED  {name}  {path}: {'; '.join(v.problems)}")
        for note in v.notes:
            click.echo(f"        note: {note}")
    if failed:
        sys.exit(1)

