"""Inputs read whole by name (a model archive, a translation memory) that are not files: the one-line error
says what the path is (a device, a folder, a FIFO), not that it does not exist; nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import run_cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sommet-otsc.fr.txt"


def error_line(*args: str) -> str:
    result = run_cli(*args)
    lines = result.stderr.splitlines()
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.tmx"
    os.mkfifo(path)
    return path


def test_models_install_says_what_the_path_is(tmp_path: Path, fifo: Path) -> None:
    assert error_line("models", "install", "/dev/zero") == "error: /dev/zero is a character device, not a .argosmodel file"
    assert error_line("models", "install", str(tmp_path)) == f"error: {tmp_path} is a directory, not a .argosmodel file"
    assert error_line("models", "install", str(fifo)) == f"error: {fifo} is a named pipe (FIFO), not a .argosmodel file"
    assert error_line("models", "install", str(tmp_path / "absent.argosmodel")).endswith("absent.argosmodel: no such file")
    long_name = tmp_path / ("x" * 300 + ".argosmodel")
    assert error_line("models", "install", str(long_name)).endswith(": File name too long")
    assert not (tmp_path / ".user-packages").exists()


def test_a_translation_memory_that_is_not_a_file(tmp_path: Path, fifo: Path, synthetic_package: Path) -> None:
    out = tmp_path / "out"
    run = ("run", str(EXAMPLE), "--model", str(synthetic_package), "-o", str(out), "--tm")
    assert error_line(*run, str(fifo)) == f"error: translation memory {fifo} is a named pipe (FIFO), not a TMX or TSV file"
    assert error_line(*run, "/dev/null") == "error: translation memory /dev/null is a character device, not a TMX or TSV file"
    assert error_line(*run, str(tmp_path)) == f"error: translation memory {tmp_path} is a directory, not a TMX or TSV file"
    assert error_line(*run, str(tmp_path / "absent.tmx")) == f"error: translation memory not found: {tmp_path / 'absent.tmx'}"
    assert not out.exists()
