"""OmegaT-style tab-separated glossaries: source, target, comment, plus our optional flags column.

Variants of one concept go in one source cell separated by `|` (`OTAN|l'OTAN`); rows repeating a
target are merged too. Lines starting with `#` and blank lines are skipped. The fourth column,
ignored by OmegaT, holds matching rules such as `case=sensitive;accents=fold;article=none`.
"""

from __future__ import annotations

from pathlib import Path

from glossary.entry import Glossary, Row, build_glossary, parse_flags
from glossary.sourcefile import read_utf8
from translate.errors import UserError

VARIANT_SEPARATOR = "|"


def parse_tsv(text: str, path: str) -> Glossary:
    """Glossary from TSV text; `path` names the file in error messages."""
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not 2 <= len(cells) <= 4:
            raise UserError(
                f"{path}:{number}: {len(cells)} column(s); expected source<TAB>target[<TAB>comment[<TAB>flags]]"
            )
        cells += [""] * (4 - len(cells))
        sources = cells[0].split(VARIANT_SEPARATOR)
        flags = parse_flags(cells[3], f"{path}:{number}")
        rows.append(Row(sources, cells[1], cells[2], number, flags))
    return build_glossary(rows, path)


def read_tsv(path: Path) -> Glossary:
    return parse_tsv(read_utf8(path), str(path))


def format_tsv(glossary: Glossary) -> str:
    """TSV text OmegaT reads (first three columns) and `read_tsv` reads back losslessly."""
    lines = []
    for entry in glossary:
        cells = [VARIANT_SEPARATOR.join(entry.sources), entry.target, entry.note.replace("\t", " "), entry.flags]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + ("\n" if lines else "")


def write_tsv(glossary: Glossary, path: Path) -> None:
    path.write_text(format_tsv(glossary), encoding="utf-8")
