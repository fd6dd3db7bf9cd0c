"""Where outputs go and how they are written: all files of a run land complete, or not at all."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Mapping

from translate.errors import EXIT_FAILURE, UserError

_LANG_SUFFIX = re.compile(r"\.(fr|fra|fre|fr[-_][A-Za-z]{2})$", re.IGNORECASE)
_TEXT_EXT = re.compile(r"\.(txt|text)$", re.IGNORECASE)


def output_stem(input_path: Path) -> str:
    """`article.fr.txt` → `article`, `article.txt` → `article`: the name outputs are built on."""
    name = _TEXT_EXT.sub("", input_path.name)
    return _LANG_SUFFIX.sub("", name) or input_path.name


def check_targets(paths: list[Path], inputs: list[Path], overwrite: bool) -> None:
    """Refuse before any work when an output would clobber an input or an existing file."""
    resolved_inputs = {p.resolve() for p in inputs}
    for path in paths:
        if path.resolve() in resolved_inputs:
            raise UserError(f"output {path} would overwrite its own input; use --output-dir")
        if path.exists() and not overwrite:
            raise UserError(f"{path} already exists; use --overwrite to replace it")
    for directory in {p.parent for p in paths}:
        if directory.exists() and not directory.is_dir():
            raise UserError(f"output directory {directory} is a file, not a directory")
        if not directory.exists():
            try:
                directory.mkdir(parents=True)
            except OSError as err:
                raise UserError(f"cannot create output directory {directory}: {err.strerror}") from None
        _probe_writable(directory)


def _probe_writable(directory: Path) -> None:
    """Create and remove a scratch file: `os.access` says yes to root even where writes fail
    (/proc, read-only mounts), and finding out after a long translation would waste it."""
    try:
        fd, scratch = tempfile.mkstemp(prefix=".translate-probe.", suffix=".part", dir=directory)
    except OSError as err:
        raise UserError(f"output directory {directory} is not writable: {err.strerror}") from None
    os.close(fd)
    Path(scratch).unlink(missing_ok=True)


def write_all(files: Mapping[Path, str | Callable[[], str]]) -> None:
    """Write every file to a temporary sibling, then rename them all into place.

    A crash or Ctrl-C before the renames leaves the previous files (or none); temporaries are removed.
    Content may be a function making it, called just before its file is written, so that only one
    rendered output is held in memory at a time (the TMX or JSONL of a long book is each 100 MB or more).
    """
    staged: list[tuple[Path, Path]] = []
    current: Path | None = None
    mode = 0o666 & ~_current_umask()
    try:
        for path, content in files.items():
            current = path
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            staged.append((Path(tmp), path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                os.fchmod(fd, mode)  # mkstemp makes 0600 files; outputs get the usual umask-based mode
                handle.write(content() if callable(content) else content)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
        staged.clear()
    except OSError as err:
        # name the output the user asked for, not the hidden temporary it was being staged in
        raise UserError(f"cannot write {current or err.filename or 'output'}: {err.strerror}", EXIT_FAILURE) from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def _current_umask() -> int:
    """The process umask (reading it means setting it, so it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
