"""Optional models (MarianMT, sentence encoders): the registry, local directories, pull, verify.

Nothing here downloads at run time: a model is used only from a local directory. ``pull`` fetches
one from the Hugging Face hub on a connected machine; the directory can then be copied anywhere.

Where models live, first match wins:

1. ``--model-dir DIR`` (``Config.model_dir``): ``DIR/<org>__<name>/`` (or ``DIR`` itself when it is a
   model directory);
2. ``$MTCHECK_MODELS/<org>__<name>/``;
3. the user cache, ``${XDG_CACHE_HOME:-~/.cache}/mtcheck/models/<org>__<name>/``.

A model directory holds the transformers files, weights as safetensors only, and
``mtcheck-manifest.json`` (name, hub commit, sha256 of every file) written by ``pull``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import MtcheckError

_CHECKOUT = Path(__file__).resolve().parents[1]  # the repository root, in a source checkout or editable install


def data_file(name: str) -> Path:
    """A file of the repository's top-level ``models/`` folder, wherever mtcheck is installed.

    In a source checkout (or an editable install) that is ``models/NAME`` itself. A wheel has no
    ``models/``: it carries the file as package data, ``mtcheck/data/NAME`` (a git-tracked symlink to
    ``../../models/NAME`` that setuptools copies into the wheel as a plain file).
    """
    repo = _CHECKOUT / "models" / name
    if (_CHECKOUT / "pyproject.toml").is_file() and repo.is_file():
        return repo
    from importlib.resources import files

    packaged = files("mtcheck").joinpath("data", name)
    return packaged if isinstance(packaged, Path) else Path(str(packaged))


REGISTRY_PATH = data_file("registry.json")
MANIFEST = "mtcheck-manifest.json"
ENV_MODELS = "MTCHECK_MODELS"
CANNOT_REACH = ("cannot reach the model hub: pull on a connected machine, then copy the directory, "
                "or pass --model-dir")
PICKLED_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".ckpt")
TOKENIZER_FILES = {
    "marian": ("source.spm", "target.spm", "vocab.json"),  # all three needed
    "encoder": ("tokenizer.json", "vocab.txt", "sentencepiece.bpe.model", "spiece.model"),  # any one
}


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' progress bars, generation notices and the sacremoses hint."""
    from transformers.utils import logging as hf_logging

    enabled = hf_logging.is_progress_bar_enabled()
    verbosity = hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()  # "max_new_tokens and max_length both set": our per-batch limit is meant
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if enabled:
            hf_logging.enable_progress_bar()


@dataclass(frozen=True)
class ModelInfo:
    """One registry entry: what the model is for, its licence, size and the files to fetch."""

    name: str
    kind: str  # "marian" | "encoder"
    task: str
    license: str
    size_mb: float
    files: tuple[str, ...] = ()
    weights: tuple[str, ...] = ("model.safetensors", "pytorch_model.bin")
    sha256: dict[str, str] = field(default_factory=dict)
    revision: str = "main"
    source_lang: str | None = None
    target_lang: str | None = None
    use: str = ""
    homepage: str = ""
    license_note: str = ""


def load_registry(path: Path | None = None) -> dict[str, ModelInfo]:
    """The models mtcheck knows, by hub name, from ``models/registry.json`` (packaged as ``mtcheck/data``)."""
    path = path or REGISTRY_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MtcheckError(f"cannot read the model registry {path}: {exc.strerror or exc}") from None
    out = {}
    for name, entry in data.get("models", {}).items():
        known = {k: v for k, v in entry.items() if k in ModelInfo.__dataclass_fields__}
        for key in ("files", "weights"):
            if key in known:
                known[key] = tuple(known[key])
        out[name] = ModelInfo(name=name, **known)
    return out


def local_name(name: str) -> str:
    """The folder name of a model: ``Helsinki-NLP/opus-mt-fr-en`` → ``Helsinki-NLP__opus-mt-fr-en``."""
    return name.replace("/", "__")


def default_root() -> Path:
    """The per-user model folder: ``${XDG_CACHE_HOME:-~/.cache}/mtcheck/models``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mtcheck" / "models"


def search_roots(model_dir: str | Path | None = None) -> list[Path]:
    """Folders searched for models, in order: ``model_dir``, ``$MTCHECK_MODELS``, the user cache."""
    roots = [Path(model_dir).expanduser()] if model_dir else []
    if os.environ.get(ENV_MODELS):
        roots.append(Path(os.environ[ENV_MODELS]).expanduser())
    roots.append(default_root())
    return roots


def write_root(model_dir: str | Path | None = None) -> Path:
    """Where ``pull`` writes: ``model_dir``, else ``$MTCHECK_MODELS``, else the user cache."""
    return search_roots(model_dir)[0]


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest of a model directory, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file()


def find_model(spec: str, model_dir: str | Path | None = None) -> Path | None:
    """The local directory of ``spec`` (a hub name, or a path to a model directory), or None."""
    given = Path(spec).expanduser()
    if given.is_dir() and _is_model_dir(given):
        return given
    for root in search_roots(model_dir):
        candidate = root / local_name(spec)
        if _is_model_dir(candidate):
            return candidate
        if root == (Path(model_dir).expanduser() if model_dir else None) and _is_model_dir(root):
            manifest = read_manifest(root)
            if manifest is None or manifest.get("name") == spec:
                return root
    return None


def model_path(spec: str, model_dir: str | Path | None = None) -> Path:
    """Like :func:`find_model`, but a missing model is an error that says how to get it."""
    path = find_model(spec, model_dir)
    if path is None:
        where = ", ".join(str(r) for r in search_roots(model_dir))
        raise MtcheckError(f"model {spec} is not available locally (looked in {where}): run `mtcheck models pull "
                           f"{spec}` on a connected machine and copy the directory {local_name(spec)}/ into one "
                           f"of those folders, or pass --model-dir")
    return path


def local_models(model_dir: str | Path | None = None) -> dict[str, Path]:
    """Every model directory found in the search roots, by name (manifest name, else the folder name)."""
    found: dict[str, Path] = {}
    for root in search_roots(model_dir):
        if not root.is_dir():
            continue
        for sub in sorted(root.iterdir()):
            if sub.name.startswith(".") or not _is_model_dir(sub):
                continue
            manifest = read_manifest(sub) or {}
            name = manifest.get("name") or sub.name.replace("__", "/")
            found.setdefault(name, sub)
    return found


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _model_class(kind: str):
    if kind == "marian":
        from transformers import MarianMTModel

        return MarianMTModel
    from transformers import AutoModel

    return AutoModel


def convert_bin_to_safetensors(path: Path, kind: str) -> Path:
    """Turn a PyTorch ``pytorch_model.bin`` into ``model.safetensors`` once, then delete the pickle.

    The checkpoint is read with ``torch.load(weights_only=True)``, which refuses anything but tensors;
    the model is rebuilt from ``config.json`` so that tied weights are saved the way transformers
    expects them.
    """
    import torch
    from transformers import AutoConfig

    source = path / "pytorch_model.bin"
    state = torch.load(source, map_location="cpu", weights_only=True)
    config = AutoConfig.from_pretrained(path, local_files_only=True)
    cls = _model_class(kind)
    model = cls.from_config(config) if hasattr(cls, "from_config") else cls(config)
    missing, unexpected = model.load_state_dict(state, strict=False)
    # Tied or static tensors (shared embeddings, sinusoidal positions) may be absent from a checkpoint;
    # anything else missing means a different architecture.
    real_missing = [k for k in missing if not k.endswith(("embed_tokens.weight", "lm_head.weight",
                                                           "embed_positions.weight", "final_logits_bias"))]
    if real_missing or unexpected:
        raise MtcheckError(f"{source}: does not match config.json (missing {real_missing[:3]}, "
                           f"unexpected {list(unexpected)[:3]})")
    with quiet_transformers():
        model.save_pretrained(path, safe_serialization=True)
    source.unlink()
    return path / "model.safetensors"


def _hub_listing(name: str, revision: str, timeout: float, endpoint: str | None) -> tuple[str, dict[str, str | None]]:
    """The commit and files (with LFS sha256 where known) of a hub model; raises on network trouble."""
    from huggingface_hub import HfApi

    info = HfApi(endpoint=endpoint).model_info(name, revision=revision, timeout=timeout, files_metadata=True)
    files = {}
    for s in info.siblings or []:
        lfs = getattr(s, "lfs", None)
        digest = getattr(lfs, "sha256", None) if lfs is not None else None
        if digest is None and isinstance(lfs, dict):
            digest = lfs.get("sha256")
        files[s.rfilename] = digest
    return info.sha or revision, files


def _download(name: str, commit: str, dest: Path, patterns: list[str], timeout: float, endpoint: str | None) -> None:
    """Fetch the files matching ``patterns`` of one hub commit into ``dest``."""
    from huggingface_hub import snapshot_download

    snapshot_download(name, revision=commit, local_dir=dest, allow_patterns=patterns, etag_timeout=timeout,
                      endpoint=endpoint)


def _network_error(exc: BaseException) -> MtcheckError:
    """One clear line for a failed hub call: unreachable, or the hub said no."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return MtcheckError(f"the model hub answered HTTP {status}: check the model name and revision; "
                            f"if this machine is offline, {CANNOT_REACH.split(': ', 1)[1]}")
    return MtcheckError(CANNOT_REACH)


def _is_network_error(exc: BaseException) -> bool:
    # huggingface_hub raises its own errors, OSError subclasses, or its HTTP client's transport errors
    # (httpx or a vendored copy); all mean the same thing to the user.
    if isinstance(exc, (OSError, TimeoutError, ConnectionError)):
        return True
    module = type(exc).__module__.split(".")[0]
    return module.startswith(("httpx", "requests", "urllib3", "huggingface_hub"))


def pull(name: str, model_dir: str | Path | None = None, timeout: float = 10.0, revision: str | None = None,
         force: bool = False, endpoint: str | None = None) -> Path:
    """Download a registered model from the hub into the model folder; weights end up as safetensors only."""
    registry = load_registry()
    if name not in registry:
        raise MtcheckError(f"unknown model {name!r}; known: {', '.join(sorted(registry))}")
    info = registry[name]
    root = write_root(model_dir)
    target = root / local_name(name)
    if _is_model_dir(target) and read_manifest(target) and not force:
        return target
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None
    rev = revision or info.revision
    try:
        commit, hub_files = _hub_listing(name, rev, timeout, endpoint)
    except Exception as exc:  # noqa: BLE001 - narrowed just below
        if _is_network_error(exc):
            raise _network_error(exc) from None
        raise
    weights = _pick_weights(info, hub_files)
    if weights is None:
        raise MtcheckError(f"{name}@{commit[:12]} has none of the weight files {', '.join(info.weights)}")
    patterns = [f for f in info.files if f in hub_files] + weights
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".partial-{local_name(name)}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        try:
            _download(name, commit, partial, patterns, timeout, endpoint)
        except Exception as exc:  # noqa: BLE001 - narrowed just below
            if _is_network_error(exc):
                raise _network_error(exc) from None
            raise
        shutil.rmtree(partial / ".cache", ignore_errors=True)  # huggingface_hub's bookkeeping
        _check_hub_digests(partial, weights, hub_files, info)
        converted = None
        if "pytorch_model.bin" in weights:
            convert_bin_to_safetensors(partial, info.kind)
            converted = "pytorch_model.bin"
        write_manifest(partial, name, kind=info.kind, revision=rev, commit=commit, converted_from=converted)
        if target.exists():
            shutil.rmtree(target)
        partial.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def _pick_weights(info: ModelInfo, hub_files: dict[str, str | None]) -> list[str] | None:
    """The weight files to fetch: safetensors when published (one file or shards), else the PyTorch pickle."""
    for w in info.weights:
        if w == "model.safetensors" and "model.safetensors.index.json" in hub_files:
            return ["model.safetensors.index.json"] + sorted(
                f for f in hub_files if f.startswith("model-") and f.endswith(".safetensors"))
        if w in hub_files:
            return [w]
    return None


def _check_hub_digests(path: Path, weights: list[str], hub_files: dict[str, str | None], info: ModelInfo) -> None:
    """Compare downloaded files with the registry's pinned sha256, else the hub's LFS sha256."""
    for f in weights + [f for f in info.files if (path / f).is_file()]:
        expected = info.sha256.get(f) or hub_files.get(f)
        if expected and (path / f).is_file() and sha256_file(path / f) != expected:
            raise MtcheckError(f"{info.name}: {f} does not match its published sha256; download again")


def write_manifest(path: Path, name: str, kind: str, revision: str | None = None, commit: str | None = None,
                   converted_from: str | None = None, source: str = "hub") -> dict[str, Any]:
    """Record the sha256 of every file of a model directory in ``mtcheck-manifest.json``."""
    files = {str(p.relative_to(path)): sha256_file(p) for p in sorted(path.rglob("*"))
             if p.is_file() and p.name != MANIFEST and not p.relative_to(path).parts[0].startswith(".")}
    manifest = {
        "name": name,
        "kind": kind,
        "revision": revision,
        "commit": commit,
        "source": source,
        "converted_from": converted_from,
        "written": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "files": files,
    }
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


@dataclass
class Verification:
    """What ``verify`` found in one model directory."""

    name: str
    path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


def guess_kind(path: Path) -> str:
    """``marian`` or ``encoder``, from the manifest or ``config.json``."""
    manifest = read_manifest(path) or {}
    if manifest.get("kind"):
        return manifest["kind"]
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "encoder"
    return "marian" if config.get("model_type") == "marian" else "encoder"


def verify_model(path: Path, name: str | None = None, load: bool = True) -> Verification:
    """Check a model directory: config, tokenizer files, safetensors weights, sha256 manifest, and that it loads."""
    manifest = read_manifest(path)
    name = name or (manifest or {}).get("name") or path.name.replace("__", "/")
    v = Verification(name, path)
    kind = guess_kind(path)
    try:
        json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        v.problems.append(f"config.json missing or not JSON ({exc})")
    tok = TOKENIZER_FILES.get(kind, TOKENIZER_FILES["encoder"])
    present = [f for f in tok if (path / f).is_file()]
    if kind == "marian" and len(present) < len(tok):
        v.problems.append(f"tokenizer files missing: {', '.join(sorted(set(tok) - set(present)))}")
    elif not present:
        v.problems.append(f"no tokenizer file (one of {', '.join(tok)})")
    weights = sorted(p.name for p in path.glob("*.safetensors"))
    if not weights:
        v.problems.append("no .safetensors weights (a PyTorch .bin is never loaded: pull again to convert it)")
    pickles = sorted(p.name for p in path.iterdir() if p.suffix in PICKLED_SUFFIXES)
    if pickles:
        v.notes.append(f"pickled file(s) present and ignored: {', '.join(pickles)}")
    if manifest is None:
        v.problems.append(f"no {MANIFEST} with sha256 (copied by hand? `mtcheck models verify --record` lists them)")
    else:
        listed = manifest.get("files", {})
        for rel, digest in listed.items():
            f = path / rel
            if not f.is_file():
                v.problems.append(f"{rel} is listed in the manifest but missing")
            elif sha256_file(f) != digest:
                v.problems.append(f"{rel} does not match its sha256 in the manifest")
        unlisted = [w for w in weights if w not in listed]
        if unlisted:
            v.problems.append(f"weights not listed in the manifest: {', '.join(unlisted)}")
    if load and not v.problems:
        try:
            _load_check(path, kind)
        except Exception as exc:  # noqa: BLE001 - any failure to load is what verify reports
            v.problems.append(f"does not load: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    return v


def _load_check(path: Path, kind: str) -> None:
    """Load tokenizer and weights the way mtcheck does (safetensors only, local files only)."""
    with quiet_transformers():
        if kind == "marian":
            from transformers import MarianTokenizer

            MarianTokenizer.from_pretrained(path, local_files_only=True)
        else:
            from transformers import AutoTokenizer

            AutoTokenizer.from_pretrained(path, local_files_only=True)
        _model_class(kind).from_pretrained(path, local_files_only=True, use_safetensors=True)
