"""Where outputs go and how they are written: all files of a run land complete, or not at all."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

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
        if not directory.exists():
            try:
                directory.mkdir(parents=True)
            except OSError as err:
                raise UserError(f"cannot create output directory {directory}: {err.strerror}") from None
        if not os.access(directory, os.W_OK):
            raise UserError(f"output directory {directory} is not writable")


def write_all(files: dict[Path, str]) -> None:
    """Write every file to a temporary sibling, then rename them all into place.

    A crash or Ctrl-C before the renames leaves the previous files (or none); temporaries are removed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            staged.append((Path(tmp), path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        staged.clear()
    except OSError as err:
        raise UserError(f"cannot write {err.filename or 'output'}: {err.strerror}", EXIT_FAILURE) from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
