"""Open a glossary file of any supported format, and combine user glossaries with the built-in one."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from glossary.builtin import builtin_glossary
from glossary.csvfmt import read_csv, write_csv
from glossary.entry import Glossary
from glossary.tbx import read_tbx, write_tbx
from glossary.tsv import read_tsv, write_tsv
from translate.errors import UserError

FORMATS = ("tsv", "csv", "tbx")


def format_of(path: Path, explicit: str | None = None) -> str:
    """Format named explicitly or by the file's extension (.tsv/.txt/.tab, .csv, .tbx/.xml)."""
    if explicit:
        if explicit not in FORMATS:
            raise UserError(f"unknown glossary format {explicit!r}; choose one of {', '.join(FORMATS)}")
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("tsv", "txt", "tab", "utf8"):
        return "tsv"
    if suffix in ("csv", "tbx"):
        return suffix
    if suffix == "xml":
        return "tbx"
    raise UserError(f"{path}: unknown glossary extension {path.suffix!r}; use .tsv, .csv or .tbx")


def read_glossary(path: Path, fmt: str | None = None) -> Glossary:
    """A user glossary file; an empty one is an error (most likely the wrong file)."""
    kind = format_of(path, fmt)
    glossary = {"tsv": read_tsv, "csv": read_csv, "tbx": read_tbx}[kind](path)
    if not glossary.entries:
        raise UserError(f"{path}: no glossary entries found (expected source<TAB>target lines, a CSV or a TBX)")
    return glossary


def write_glossary(glossary: Glossary, path: Path, fmt: str | None = None) -> None:
    kind = format_of(path, fmt)
    try:
        {"tsv": write_tsv, "csv": write_csv, "tbx": write_tbx}[kind](glossary, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot write ({exc.strerror})") from None


def load_glossaries(paths: Sequence[Path], use_builtin: bool = True) -> Glossary:
    """User glossaries in the given order (earlier wins), then the built-in news glossary."""
    parts = [read_glossary(p) for p in paths]
    if use_builtin:
        parts.append(builtin_glossary())
    return Glossary.merge(parts, name="+".join(g.name for g in parts))
