"""System (b): argostranslate itself, from a venv of its own under bench/results, on the same package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from bench.child import REPO, child_env, run_child, worker_command
from bench.inputs import count_tokens
from bench.measure import Measurement
from bench.workers import argos_env

ARGOS_TORCH = "torch==2.13.0"
"""Installed first in the argos venv: a CPU wheel on disk; a bare `torch` would fetch a CUDA build."""


def argos_requirement() -> str:
    """The `argos` optional extra of pyproject.toml: what the comparison venv installs."""
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    return " ".join(extras["argos"])


def ensure_argos_venv(results_dir: Path, log: Callable[[str], None] = print) -> tuple[Path | None, str]:
    """(python of the venv, "") when argostranslate imports there, else (None, why not).

    Installs torch (CPU wheel on disk) first, then our `argos` extra's requirement.
    """
    venv = results_dir / "venv-argos"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import argostranslate.translate, spacy"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python, ""
    log(f"creating {venv} (torch CPU wheel, then {argos_requirement()}) …")
    steps = [[sys.executable, "-m", "venv", str(venv)],
             [str(python), "-m", "pip", "install", "-q", ARGOS_TORCH],
             [str(python), "-m", "pip", "install", "-q", *argos_requirement().split()]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [ln for ln in done.stderr.splitlines() if "WARNING" not in ln]
            return None, f"`{' '.join(step[-2:])}` failed: {' '.join(lines[-2:])}"
    done = subprocess.run(probe, capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"argostranslate does not import: {done.stderr.strip().splitlines()[-1:]}"
    return python, ""


def install_argos_package(python: Path, argosmodel: Path, home: Path) -> Path:
    """Install the package into the isolated ARGOS_PACKAGES_DIR (fresh each time); its folder."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    args = {"argosmodel": str(argosmodel), "name": argosmodel.stem}
    child = run_child(worker_command("argos-install", args, python=str(python)), env=child_env(argos_env(home, 4)))
    return Path(child.result()["package_dir"])


def measure_argos(python: Path, home: Path, text_path: Path, package_dir: Path, n: int, beam: int,
                  out_path: Path) -> Measurement:
    """(b): argostranslate in its venv; the translate call timed, the process total reported."""
    args = {"text": str(text_path), "output": str(out_path)}
    child = run_child(worker_command("argos", args, python=str(python)), env=child_env(argos_env(home, beam)))
    result = child.result()
    out_tokens = count_tokens(package_dir, out_path.read_text(encoding="utf-8").splitlines())
    return Measurement("b", f"argostranslate translate (beam {beam})", n, result["seconds"], "translate call",
                       child.seconds, child.peak_rss_mib, beam=result["beam"], cpu_seconds=child.cpu_seconds, out_tokens=out_tokens,
                       settings={"batch_size": result["batch_size"], "batch_type": "tokens",
                                 "chunk_type": result["chunk_type"]},
                       note=f"{result['sentences_found']} sentences found by its splitter")
