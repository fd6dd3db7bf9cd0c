"""Open a glossary file of any supported format, and combine user glossaries with the built-in one."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from glossary.builtin import builtin_glossary
from glossary.collection import Glossary
from glossary.csvfmt import read_csv, write_csv
from glossary.entry import Problems
from glossary.errors import GlossaryError
from glossary.tbx import read_tbx, write_tbx
from glossary.tsv import read_tsv, write_tsv

FORMATS = ("tsv", "csv", "tbx")


def format_of(path: Path, explicit: str | None = None) -> str:
    """Format named explicitly or by the file's extension (.tsv/.txt/.tab, .csv, .tbx/.xml)."""
    if explicit:
        if explicit not in FORMATS:
            raise GlossaryError(f"unknown glossary format {explicit!r}; choose one of {', '.join(FORMATS)}")
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("tsv", "txt", "tab", "utf8"):
        return "tsv"
    if suffix in ("csv", "tbx"):
        return suffix
    if suffix == "xml":
        return "tbx"
    raise GlossaryError(f"{path}: unknown glossary extension {path.suffix!r}; use .tsv, .csv or .tbx")


def read_glossary(path: Path, fmt: str | None = None, problems: Problems | None = None) -> Glossary:
    """A user glossary file; an empty one is an error (most likely the wrong file).

    Bad rows raise at once, or are collected in `problems` when it collects (`glossary check`)."""
    kind = format_of(path, fmt)
    problems = problems or Problems()
    if kind == "tsv":
        glossary = read_tsv(path, problems)
    elif kind == "csv":
        glossary = read_csv(path, problems=problems)
    else:
        glossary = read_tbx(path, problems=problems)
    if not glossary.entries and not problems.found:
        raise GlossaryError(f"{path}: no glossary entries found (expected source<TAB>target lines, a CSV or a TBX)")
    return glossary


def write_glossary(glossary: Glossary, path: Path, fmt: str | None = None, tbx_version: int = 2) -> None:
    """Write `glossary` in the format named or implied by the extension (TBX-Basic v2 unless asked for v3)."""
    kind = format_of(path, fmt)
    try:
        if kind == "tbx":
            write_tbx(glossary, path, version=tbx_version)
        else:
            {"tsv": write_tsv, "csv": write_csv}[kind](glossary, path)
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot write ({exc.strerror})") from None


def load_glossaries(paths: Sequence[Path], use_builtin: bool = True) -> Glossary:
    """User glossaries in the given order (earlier wins), then the built-in news glossary."""
    parts = [read_glossary(p) for p in paths]
    if use_builtin:
        parts.append(builtin_glossary())
    return Glossary.merge(parts, name="+".join(g.name for g in parts))
