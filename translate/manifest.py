"""Files that list inputs: `translate run LIST.manifest` and `translate align --pairs PAIRS.tsv`.

A manifest is for collections that are not one folder (a selection from an archive, the output of
`find`): each line is a file or a folder (taken as a folder argument is). A pairs file has a French
and an English path a line, tab-separated. Paths are relative to the listing file's own folder unless
absolute; blank lines and `#` comments are skipped; every path is checked before any work (and before
Ray starts, under --ray).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from translate.errors import UserError

MANIFEST_SUFFIX = ".manifest"


def is_manifest(path: Path) -> bool:
    return path.suffix.lower() == MANIFEST_SUFFIX and path.is_file()


def _entries(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) for each line of a listing that is neither blank nor a `#` comment."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 may sit in a file name
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if line.strip(" \t") and not line.lstrip(" \t").startswith("#"):
            yield number, line


def read_manifest(path: Path) -> list[Path]:
    """The paths the manifest lists, absolute, in its order; a one-line error for a missing one or none."""
    listed = []
    for number, line in _entries(path):
        found = Path(os.path.abspath(path.parent / line.strip(" \t")))  # `..` folded, links kept
        if not found.exists():
            raise UserError(f"{path}:{number}: no such file or folder: {found}")
        listed.append(found)
    if not listed:
        raise UserError(f"{path} lists no documents")
    return listed


def expand_manifests(paths: list[Path]) -> list[Path]:
    """The inputs with each manifest replaced by what it lists (other inputs kept as given)."""
    expanded: list[Path] = []
    for path in paths:
        expanded.extend(read_manifest(path) if is_manifest(path) else [path])
    return expanded


def read_pairs(path: Path) -> list[tuple[Path, Path]]:
    """`FRENCH<TAB>ENGLISH` per line (paths relative to the TSV's folder); blank lines and `#` comments skipped."""
    pairs = []
    for number, line in _entries(path):
        cells = line.split("\t")
        if len(cells) != 2 or not all(c.strip() for c in cells):
            raise UserError(f"{path}:{number}: expected FRENCH<TAB>ENGLISH file paths")
        fr, en = ((path.parent / c.strip()).absolute() for c in cells)
        for file in (fr, en):
            if not file.is_file():
                raise UserError(f"{path}:{number}: no such file: {file}")
        pairs.append((fr, en))
    if not pairs:
        raise UserError(f"{path} lists no pairs")
    return pairs
