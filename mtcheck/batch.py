"""Batch inputs (folders of pairs, CSV manifests, single files) and parallel scoring with one row per article.

A bad article never stops a batch: it becomes an :class:`Outcome` with ``status == "error"``.
Nothing heavy is imported here at module level, so worker processes start fast.
"""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import os
import signal
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .errors import InputError, MtcheckError, UsageError

if TYPE_CHECKING:
    from .config import Config
    from .encoder import Encoder
    from .result import Result

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_SKIP_DIRS = {"node_modules", "__pycache__"}


@dataclass
class Job:
    """One article to score: the French file, its English original (or None) and an optional date."""

    index: int
    name: str  # display name: the French file's path from its input root, without ``.fr.<ext>``
    fr_path: Path
    en_path: Path | None
    date: dt.date | None = None
    problem: str | None = None  # a manifest row that cannot be scored (bad date, empty path): an error row

    @property
    def key(self) -> str:
        """The article's file name without language and format suffix, used in baseline fingerprints."""
        return self.name.rsplit("/", 1)[-1]


@dataclass
class Outcome:
    """What happened to one job: a result, or an error message; ``kind`` tells input errors from bugs."""

    job: Job
    result: Result | None = None
    error: str | None = None
    kind: str = "ok"  # "ok" | "input" (bad file, MtcheckError) | "internal" (a bug or a crashed worker)
    seconds: float = 0.0
    retrieval: dict | None = None  # with --corpus, for an article given without its English: what was found

    @property
    def ok(self) -> bool:
        """Whether the article was scored."""
        return self.result is not None


@dataclass(frozen=True)
class CorpusSpec:
    """Where to look for the originals of French articles given alone (``--corpus``): an indexed folder."""

    corpus: Path
    index: Path
    window_days: tuple[int, int] = (7, 1)  # days before and after the French article's date


@dataclass
class BatchRun:
    """The outcomes of a batch in input order, and whether it was cut short by Ctrl-C."""

    outcomes: list[Outcome] = field(default_factory=list)
    total: int = 0
    interrupted: bool = False


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def split_name(path: Path) -> tuple[str, str] | None:
    """``("01-x", "fr")`` for ``01-x.fr.txt``; None for a file that is not ``NAME.<lang>.<ext>``."""
    name = path.name
    for ext in ARTICLE_SUFFIXES:
        if name.lower().endswith(ext):
            stem = name[: -len(ext)]
            base, dot, lang = stem.rpartition(".")
            if dot and base and lang.lower() in ("fr", "en"):
                return base, lang.lower()
    return None


def _english_for(fr_path: Path) -> Path | None:
    parts = split_name(fr_path)
    if parts is None:
        return None
    own = fr_path.name[len(parts[0]) + len(".fr"):]  # ".txt" of "x.fr.txt", as the file spells it
    # The same format first; the original may also be in another one (French HTML, English text).
    for ext in (own, *ARTICLE_SUFFIXES):
        cand = fr_path.with_name(f"{parts[0]}.en{ext}")
        if cand.is_file():
            return cand
    return None


def _display(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    base = split_name(rel) or (rel.stem, "")
    parent = rel.parent.as_posix()
    return base[0] if parent in ("", ".") else f"{parent}/{base[0]}"


def _walk_folder(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden and tool folders (.git, .venv, node_modules) never hold articles worth checking.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        for fn in sorted(filenames):
            yield Path(dirpath) / fn


def jobs_from_folder(folder: Path) -> list[Job]:
    """Every ``NAME.fr.<ext>`` under ``folder`` (recursively), with ``NAME.en.<ext>`` when it exists."""
    jobs = []
    for path in _walk_folder(folder):
        parts = split_name(path)
        if parts and parts[1] == "fr":
            jobs.append(Job(0, _display(path, folder), path, _english_for(path)))
    return jobs


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value.strip())


def jobs_from_manifest(manifest: Path) -> list[Job]:
    """Rows ``fr_path,en_path[,date]`` of a CSV manifest (header optional, paths relative to the manifest)."""
    try:
        with open(manifest, encoding="utf-8-sig", newline="") as fh:
            numbered = [(n, r) for n, r in enumerate(csv.reader(fh), start=1) if any(c.strip() for c in r)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{manifest}: cannot read the manifest ({exc})") from None
    columns = ["fr_path", "en_path", "date"]
    if numbered and [c.strip().lower() for c in numbered[0][1][:2]] == ["fr_path", "en_path"]:
        columns = [c.strip().lower() for c in numbered.pop(0)[1]]
        unknown = set(columns) - {"fr_path", "en_path", "date"}
        if unknown:
            raise InputError(f"{manifest}: unknown manifest column(s) {', '.join(sorted(unknown))}; "
                             "expected fr_path,en_path[,date]")
    rows = [(n, dict(zip(columns, r))) for n, r in numbered]
    root = manifest.parent
    jobs = []
    for line, row in rows:
        fr = (row.get("fr_path") or "").strip()
        en = (row.get("en_path") or "").strip()
        date = (row.get("date") or "").strip()
        problem = None
        when = None
        if not fr:
            problem = f"{manifest.name} row {line}: no fr_path"
        if date:
            try:
                when = _parse_date(date)
            except ValueError:
                problem = f"{manifest.name} row {line}: {date!r} is not a date in the form YYYY-MM-DD"
        fr_path = root / fr if fr else manifest
        jobs.append(Job(0, _display(fr_path, root) if fr else f"{manifest.name}:{line}", fr_path,
                        root / en if en else None, when, problem))
    return jobs


def collect_jobs(inputs: Sequence[Path]) -> list[Job]:
    """Jobs for every input (folder, ``.csv`` manifest or French file), numbered; no article at all is an error."""
    jobs: list[Job] = []
    for given in inputs:
        if given.is_dir():
            found = jobs_from_folder(given)
            if not found:
                raise InputError(f"{given}: no French articles found (expected files named NAME.fr.txt, "
                                 "NAME.fr.md or NAME.fr.html, with NAME.en.* beside them)")
            jobs.extend(found)
        elif given.suffix.lower() == ".csv" and given.is_file():
            found = jobs_from_manifest(given)
            if not found:
                raise InputError(f"{given}: the manifest lists no article")
            jobs.extend(found)
        elif given.is_file():
            parts = split_name(given)
            if parts is None or parts[1] != "fr":
                raise UsageError(f"{given}: not a folder, a .csv manifest or a French article named NAME.fr.<ext>")
            jobs.append(Job(0, _display(given, given.parent), given, _english_for(given)))
        else:
            raise InputError(f"{given}: no such file or folder")
    if not jobs:
        raise InputError("no input files found")
    unique: dict[tuple, Job] = {}
    for job in jobs:  # the same pair named twice (a folder and a manifest) is scored once
        ident = (job.fr_path.resolve(), job.en_path.resolve() if job.en_path else None, job.date, job.problem)
        unique.setdefault(ident, job)
    jobs = list(unique.values())
    for i, job in enumerate(jobs):
        job.index = i
    return jobs


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------

_WORKER: dict[str, object] = {}


def _make_encoder(spec: str) -> Encoder:
    from .encoder import get_encoder

    # The process's shared instance: the checks that need USE-m3 whatever aligned (moved passages) find the same
    # one, not a second copy. It runs on one BLAS thread unless MTCHECK_THREADS says otherwise (for the
    # workers, _blas_threads sets it in their environment).
    return get_encoder(spec)


def _init_worker(encoder_spec: str, config: Config, corpus: CorpusSpec | None = None) -> None:
    # Ctrl-C goes to the whole process group: only the parent decides what to keep.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["config"] = config
    _WORKER["corpus"] = corpus
    try:
        _WORKER["encoder"] = _make_encoder(encoder_spec)
        _WORKER["encoder"].encode(["Chargement."])  # load the weights now, not inside the first article's timing
    except Exception as exc:  # noqa: BLE001 - raised here, it would break the pool and hide the message
        _WORKER["failure"] = exc


_RETRIEVERS: dict[tuple[CorpusSpec, str], object] = {}


def _retriever(spec: CorpusSpec, encoder: Encoder):
    """One retriever per process and corpus (SQLite connections do not cross processes), reading the index only."""
    from .index import Index
    from .retrieve import Retriever

    key = (spec, encoder.name)
    if key not in _RETRIEVERS:
        if not _RETRIEVERS:
            atexit.register(_close_retrievers)
        _RETRIEVERS[key] = Retriever(Index(spec.index, readonly=True), encoder, window_days=spec.window_days)
    return _RETRIEVERS[key]


def _close_retrievers() -> None:
    for retriever in _RETRIEVERS.values():
        retriever.index.close()  # type: ignore[attr-defined]
    _RETRIEVERS.clear()


def _score_from_corpus(job: Job, config: Config, encoder: Encoder, spec: CorpusSpec) -> tuple[Result, dict]:
    """Retrieve the original of a French article given alone, then score it (French-only when none is found)."""
    from .index import load_document
    from .ingest import read_article
    from .pipeline import _apply_date, score_articles

    fr = read_article(job.fr_path, lang="fr")
    if job.date is not None:
        fr.meta.date, fr.meta.date_source = job.date, "user"
    found = _retriever(spec, encoder).retrieve(fr)
    summary = {"found": found.found, "ambiguous": found.ambiguous, "message": found.message,
               "original": found.best.doc_id if found.best else None,
               "confidence": round(found.best.confidence, 3) if found.best else None, "path": None}
    en = None
    if found.best is not None:
        # below the threshold nothing is aligned: a wrong original would make every sentence an omission
        en = load_document(spec.corpus, found.best.row)
        summary["path"] = en.path
    _apply_date(fr, en, job.date)
    return score_articles(fr, en, config=config, encoder=encoder), summary


def score_job(job: Job, config: Config, encoder: Encoder | str, corpus: CorpusSpec | None = None) -> Outcome:
    """Score one job, turning any failure into an error outcome (the batch goes on)."""
    from .pipeline import score_files

    t0 = time.perf_counter()
    if job.problem:
        return Outcome(job, error=job.problem, kind="input")
    retrieval = None
    try:
        if corpus is not None and job.en_path is None:
            from .encoder import get_encoder

            enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
            result, retrieval = _score_from_corpus(job, config, enc, corpus)
        else:
            result = score_files(job.fr_path, job.en_path, date=job.date, config=config, encoder=encoder)
    except MtcheckError as exc:
        return Outcome(job, error=str(exc), kind="input", seconds=time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - one article's bug must not sink the batch
        return Outcome(job, error=f"internal error: {type(exc).__name__}: {exc}", kind="internal",
                       seconds=time.perf_counter() - t0)
    return Outcome(job, result=result, seconds=time.perf_counter() - t0, retrieval=retrieval)


def _worker_score(job: Job) -> Outcome:
    failure = _WORKER.get("failure")
    if failure is not None:  # the encoder could not be loaded: every article says why
        kind = "input" if isinstance(failure, MtcheckError) else "internal"
        msg = str(failure) if kind == "input" else f"internal error: {type(failure).__name__}: {failure}"
        return Outcome(job, error=msg, kind=kind)
    return score_job(job, _WORKER["config"], _WORKER["encoder"], _WORKER.get("corpus"))  # type: ignore[arg-type]


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def run_batch(jobs: Sequence[Job], config: Config, encoder: Encoder | str = "use-m3", n_jobs: int = 1,
              on_done: Callable[[Outcome], None] | None = None, corpus: CorpusSpec | None = None) -> BatchRun:
    """Score every job, in this process (``n_jobs == 1``) or in a process pool; Ctrl-C keeps finished ones.

    With ``corpus``, a French article given without its English is first matched against that indexed corpus.
    """
    run = BatchRun(total=len(jobs))
    done: dict[int, Outcome] = {}

    def finish(outcome: Outcome) -> None:
        done[outcome.job.index] = outcome
        if on_done is not None:
            on_done(outcome)

    try:
        if n_jobs <= 1 or len(jobs) <= 1:
            enc = _make_encoder(encoder) if isinstance(encoder, str) else encoder
            for job in jobs:
                finish(score_job(job, config, enc, corpus))
        else:
            _run_pool(jobs, config, encoder, n_jobs, finish, corpus)
    except KeyboardInterrupt:
        run.interrupted = True
    run.outcomes = [done[j.index] for j in jobs if j.index in done]
    return run


def _run_pool(jobs: Sequence[Job], config: Config, encoder: Encoder | str, n_jobs: int,
              finish: Callable[[Outcome], None], corpus: CorpusSpec | None = None) -> None:
    import multiprocessing

    if not isinstance(encoder, str):
        raise UsageError("parallel runs need an encoder name (e.g. 'use-m3'), not an encoder object")
    workers = min(n_jobs, len(jobs))
    # One BLAS thread per worker: parallelism comes from the processes, and OpenBLAS results depend on
    # its thread count, so a single thread gives the same findings whatever --jobs and the machine's cores.
    threads = 1
    # spawn, not fork: a forked copy of a process with BLAS threads (or a progress thread) can hang.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(encoder, config, corpus))
    futures: dict[Future, Job] = {}
    reported: set[Future] = set()
    try:
        with _blas_threads(threads):  # the workers start while the jobs are submitted, and read it then
            futures = {pool.submit(_worker_score, job): job for job in jobs}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                reported.add(fut)
                finish(_outcome_of(fut, futures[fut]))
    except KeyboardInterrupt:
        # Let the articles already in the workers finish (seconds), drop the queue, keep what is done.
        pool.shutdown(wait=True, cancel_futures=True)
        for fut, job in futures.items():
            if fut not in reported and fut.done() and not fut.cancelled():
                finish(_outcome_of(fut, job))
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# MTCHECK_TORCH_THREADS: the back-translation model (--mt-model) also runs on one thread per worker.
_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MTCHECK_THREADS", "MTCHECK_TORCH_THREADS")


@contextmanager
def _blas_threads(threads: int) -> Iterator[None]:
    """Cap BLAS threads in the environment that spawned workers inherit, then restore it."""
    # Uncapped, each worker's OpenBLAS starts a thread per core; idle ones spin, and with several workers
    # on few cores they burn more CPU than the work itself (measured: 2 workers on 2 busy cores used 66%
    # more CPU than one process). MTCHECK_THREADS is the encoder's own count (mtcheck.threads).
    saved = {k: os.environ.get(k) for k in _BLAS_ENV}
    for k in _BLAS_ENV:
        os.environ[k] = str(threads)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _outcome_of(fut: Future, job: Job) -> Outcome:
    try:
        return fut.result()
    except BrokenProcessPool:
        return Outcome(job, error="internal error: the worker process died (out of memory?)", kind="internal")
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
        return Outcome(job, error=f"internal error: {type(exc).__name__}: {exc}", kind="internal")
