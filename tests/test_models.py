"""Model registry, local directories, pull (never over the network) and verify."""

from __future__ import annotations

import json
import pickle
import shutil
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck import models as M
from mtcheck.cli import cli
from mtcheck.errors import MtcheckError
from test_backtranslate import tiny_marian_dir

FR_EN = "Helsinki-NLP/opus-mt-fr-en"


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    return tiny_marian_dir(tmp_path_factory)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test sees the user's models, and no test reaches beyond this machine."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MTCHECK_MODELS", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    real_connect = socket.socket.connect

    def local_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise OSError(f"test tried to reach {host}: tests must stay offline")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", local_only)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_registry_lists_the_models_with_licences():
    reg = M.load_registry()
    for name in (FR_EN, "Helsinki-NLP/opus-mt-en-fr"):
        info = reg[name]
        assert info.kind == "marian" and info.task == "translation" and info.license == "CC-BY-4.0"
        assert 100 < info.size_mb < 1000 and "source.spm" in info.files and info.weights[0] == "model.safetensors"
    assert reg[FR_EN].source_lang == "fr" and reg[FR_EN].target_lang == "en"
    assert {"sentence-transformers/LaBSE", "intfloat/multilingual-e5-small"} <= set(reg)
    assert all(i.kind in ("marian", "encoder") for i in reg.values())


def test_local_directories_in_order(tmp_path, monkeypatch, tiny):
    assert M.local_name(FR_EN) == "Helsinki-NLP__opus-mt-fr-en"
    assert M.find_model(FR_EN) is None
    env_root, given = tmp_path / "env", tmp_path / "given"
    shutil.copytree(tiny, env_root / "Helsinki-NLP__opus-mt-fr-en")
    monkeypatch.setenv("MTCHECK_MODELS", str(env_root))
    assert M.find_model(FR_EN) == env_root / "Helsinki-NLP__opus-mt-fr-en"
    shutil.copytree(tiny, given / "Helsinki-NLP__opus-mt-fr-en")
    assert M.find_model(FR_EN, given) == given / "Helsinki-NLP__opus-mt-fr-en"  # --model-dir first
    assert M.find_model(str(tiny)) == tiny  # a path to a model directory is used as is
    assert M.search_roots(given) == [given, env_root, tmp_path / "xdg" / "mtcheck" / "models"]
    assert M.write_root() == env_root


def test_missing_model_says_how_to_get_it():
    with pytest.raises(MtcheckError) as err:
        M.model_path(FR_EN)
    msg = str(err.value)
    assert "mtcheck models pull Helsinki-NLP/opus-mt-fr-en" in msg and "--model-dir" in msg
    assert "Helsinki-NLP__opus-mt-fr-en" in msg
    res = run("models", "path", FR_EN)
    assert res.exit_code == 2 and "not available locally" in res.output


def test_pull_fails_fast_when_the_hub_is_unreachable(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    t = time.perf_counter()
    with pytest.raises(MtcheckError) as err:
        M.pull(FR_EN, model_dir=tmp_path / "m", timeout=2)
    assert time.perf_counter() - t < 10
    assert str(err.value) == ("cannot reach the model hub: pull on a connected machine, then copy the directory, "
                              "or pass --model-dir")
    assert not (tmp_path / "m" / "Helsinki-NLP__opus-mt-fr-en").exists()
    res = run("models", "pull", FR_EN, "--model-dir", tmp_path / "m", "--timeout", "2")
    assert res.exit_code == 2 and "cannot reach the model hub" in res.output and "Traceback" not in res.output


def test_pull_refuses_unknown_names(tmp_path):
    with pytest.raises(MtcheckError, match="unknown model"):
        M.pull("someone/some-model", model_dir=tmp_path)


def fake_hub(monkeypatch, hub: Path, commit: str = "c" * 40):
    """Serve ``hub``'s files as if they were a hub repository, without any network."""
    listed = {p.name: None for p in hub.iterdir()}
    calls = []

    def listing(name, revision, timeout, endpoint):
        return commit, listed

    def download(name, rev, dest, patterns, timeout, endpoint):
        calls.append(sorted(patterns))
        dest.mkdir(parents=True, exist_ok=True)
        (dest / ".cache").mkdir()
        for p in patterns:
            shutil.copy(hub / p, dest / p)

    monkeypatch.setattr(M, "_hub_listing", listing)
    monkeypatch.setattr(M, "_download", download)
    return calls


def bin_checkpoint(tiny: Path, hub: Path) -> None:
    """A copy of the tiny model as a hub would publish an old model: PyTorch pickle, no safetensors."""
    import torch
    from transformers import MarianMTModel

    shutil.copytree(tiny, hub, ignore=shutil.ignore_patterns("*.safetensors", M.MANIFEST))
    model = MarianMTModel.from_pretrained(tiny, use_safetensors=True)
    torch.save(model.state_dict(), hub / "pytorch_model.bin")


def test_pull_converts_a_bin_once_then_loads_safetensors_only(tmp_path, monkeypatch, tiny):
    import torch
    from transformers import MarianMTModel

    hub = tmp_path / "hub"
    bin_checkpoint(tiny, hub)
    calls = fake_hub(monkeypatch, hub)
    path = M.pull(FR_EN, model_dir=tmp_path / "models")
    assert path == tmp_path / "models" / "Helsinki-NLP__opus-mt-fr-en"
    assert "pytorch_model.bin" in calls[0] and "config.json" in calls[0]
    names = {p.name for p in path.iterdir()}
    assert "model.safetensors" in names and "pytorch_model.bin" not in names and ".cache" not in names
    manifest = M.read_manifest(path)
    assert manifest["name"] == FR_EN and manifest["converted_from"] == "pytorch_model.bin"
    assert manifest["commit"] == "c" * 40 and "model.safetensors" in manifest["files"]
    assert M.verify_model(path).ok
    a = MarianMTModel.from_pretrained(tiny, use_safetensors=True)
    b = MarianMTModel.from_pretrained(path, use_safetensors=True)
    for (ka, va), (kb, vb) in zip(sorted(a.state_dict().items()), sorted(b.state_dict().items())):
        assert ka == kb and torch.equal(va, vb)
    assert M.pull(FR_EN, model_dir=tmp_path / "models") == path and len(calls) == 1  # present: no download


def test_pull_prefers_published_safetensors(tmp_path, monkeypatch, tiny):
    hub = tmp_path / "hub"
    shutil.copytree(tiny, hub, ignore=shutil.ignore_patterns(M.MANIFEST))
    (hub / "pytorch_model.bin").write_bytes(b"never fetched")
    calls = fake_hub(monkeypatch, hub)
    path = M.pull(FR_EN, model_dir=tmp_path / "models")
    assert "pytorch_model.bin" not in calls[0] and "model.safetensors" in calls[0]
    assert M.read_manifest(path)["converted_from"] is None


class _Evil:
    ran = False

    def __reduce__(self):
        return (_mark_ran, ())


def _mark_ran():
    _Evil.ran = True
    return {}


def test_conversion_never_runs_pickled_code(tmp_path, tiny):
    path = tmp_path / "model"
    shutil.copytree(tiny, path, ignore=shutil.ignore_patterns("*.safetensors"))
    with open(path / "pytorch_model.bin", "wb") as fh:
        pickle.dump(_Evil(), fh, protocol=2)
    with pytest.raises(pickle.UnpicklingError):
        M.convert_bin_to_safetensors(path, "marian")
    assert not _Evil.ran and not (path / "model.safetensors").exists()


def test_verify_finds_tampering_and_missing_files(tmp_path, tiny):
    good = tmp_path / "good"
    shutil.copytree(tiny, good)
    assert M.verify_model(good, load=False).ok
    with open(good / "vocab.json", "a") as fh:
        fh.write(" ")
    v = M.verify_model(good, load=False)
    assert not v.ok and any("vocab.json does not match" in p for p in v.problems)
    bare = tmp_path / "bare"
    shutil.copytree(tiny, bare, ignore=shutil.ignore_patterns("source.spm", "*.safetensors", M.MANIFEST))
    (bare / "pytorch_model.bin").write_bytes(b"x")
    problems = " | ".join(M.verify_model(bare).problems)
    assert "source.spm" in problems and ".safetensors" in problems and "manifest" in problems
    assert any("pickled" in n for n in M.verify_model(bare).notes)


def test_cli_list_path_verify(tmp_path, tiny):
    root = tmp_path / "models"
    shutil.copytree(tiny, root / "Helsinki-NLP__opus-mt-fr-en", ignore=shutil.ignore_patterns(M.MANIFEST))
    res = run("models", "list", "--model-dir", root)
    assert res.exit_code == 0
    line = next(l for l in res.output.splitlines() if l.startswith(FR_EN))
    assert "CC-BY-4.0" in line and str(root) in line
    assert "opus-mt-en-fr" in res.output and "not present" in res.output
    res = run("models", "path", FR_EN, "--model-dir", root)
    assert res.exit_code == 0 and res.output.strip() == str(root / "Helsinki-NLP__opus-mt-fr-en")
    res = run("models", "verify", "--model-dir", root)
    assert res.exit_code == 1 and "FAILED" in res.output and "manifest" in res.output
    res = run("models", "verify", "--model-dir", root, "--record")
    assert res.exit_code == 0 and "ok      Helsinki-NLP/opus-mt-fr-en" in res.output
    assert json.loads((root / "Helsinki-NLP__opus-mt-fr-en" / M.MANIFEST).read_text())["files"]


# ------------------------------------------------------------------------------------------------
# Package data: models/registry.json and models/risk.safetensors in a wheel
# ------------------------------------------------------------------------------------------------


def test_package_data_links_point_at_models():
    root = Path(M.__file__).resolve().parents[1]
    for name in ("registry.json", "risk.safetensors"):
        link = root / "mtcheck" / "data" / name
        assert link.is_symlink() and link.resolve() == (root / "models" / name).resolve(), name
        assert M.data_file(name) == root / "models" / name  # a checkout reads models/ itself
    assert M.REGISTRY_PATH == root / "models" / "registry.json"


def test_wheel_install_finds_the_registry_and_the_trained_risk_model(tmp_path):
    """A non-editable install has no models/ folder: both files travel as package data and are found."""
    import os
    import subprocess
    import sys
    import zipfile

    pytest.importorskip("setuptools")
    from mtcheck.risk import load_model

    root = Path(M.__file__).resolve().parents[1]
    src = tmp_path / "src"
    shutil.copytree(root / "mtcheck", src / "mtcheck", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, src / name)
    (src / "models").mkdir()
    for name in ("registry.json", "risk.safetensors"):
        shutil.copy(root / "models" / name, src / "models" / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-q", "-w", str(tmp_path / "dist"), str(src)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("mtcheck-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        for name in ("registry.json", "risk.safetensors"):  # copies of models/, not links
            assert z.read(f"mtcheck/data/{name}") == (root / "models" / name).read_bytes(), name
        z.extractall(tmp_path / "site")  # a wheel is a zip: unpacked, it is importable
    code = ("import mtcheck.risk as r, mtcheck.models as m; print(r.MODEL_PATH); print(r.load_model().name); "
            "print(m.REGISTRY_PATH); print(len(m.load_registry()))")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    model_path, name, registry_path, n_models = out.stdout.split("\n")[:4]
    site = str((tmp_path / "site" / "mtcheck" / "data").resolve())
    assert model_path.startswith(site) and registry_path.startswith(site)
    assert name == load_model().name != "hand"  # the trained model, not the hand-set fallback
    assert int(n_models) == len(M.load_registry())
