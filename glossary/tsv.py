"""OmegaT-style tab-separated glossaries: source, target, comment, plus our optional flags column.

Variants of one concept go in one source cell separated by `|` (`OTAN|l'OTAN`); rows repeating a
target are merged too. In the target cell `|` separates English synonyms: the first is written, the
others are accepted as correct and exported (`NGO|non-governmental organisation`). Lines starting
with `#` and blank lines are skipped; only LF or CRLF ends a row. The fourth column, ignored by
OmegaT, holds rules such as `case=sensitive;accents=fold;article=none;plural=Taliban`.
"""

from __future__ import annotations

from pathlib import Path

from glossary.collection import Glossary, build_glossary
from glossary.entry import TARGET_SEPARATOR, Problems, Row, parse_flags, split_target
from glossary.errors import GlossaryError
from glossary.sourcefile import read_utf8, split_rows

VARIANT_SEPARATOR = "|"


def parse_tsv(text: str, path: str, problems: Problems | None = None) -> Glossary:
    """Glossary from TSV text; `path` names the file in error messages, bad rows go to `problems`."""
    problems = problems or Problems()
    rows: list[Row] = []
    for number, line in enumerate(split_rows(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not 2 <= len(cells) <= 4:
            problems.add(
                f"{path}:{number}: {len(cells)} column(s); expected source<TAB>target[<TAB>comment[<TAB>flags]]"
            )
            continue
        cells += [""] * (4 - len(cells))
        sources = cells[0].split(VARIANT_SEPARATOR)
        try:
            flags = parse_flags(cells[3], f"{path}:{number}")
        except GlossaryError as exc:
            problems.add(str(exc))
            continue
        target, synonyms = split_target(cells[1])
        rows.append(Row(sources, target, cells[2], number, flags, synonyms))
    return build_glossary(rows, path, problems)


def read_tsv(path: Path, problems: Problems | None = None) -> Glossary:
    return parse_tsv(read_utf8(path), str(path), problems)


def format_tsv(glossary: Glossary) -> str:
    """TSV text OmegaT reads (first three columns) and `read_tsv` reads back losslessly."""
    lines = []
    for entry in glossary:
        cells = [
            VARIANT_SEPARATOR.join(entry.sources),
            TARGET_SEPARATOR.join(entry.targets),
            entry.note.replace("\t", " "),
            entry.flags,
        ]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + ("\n" if lines else "")


def write_tsv(glossary: Glossary, path: Path) -> None:
    path.write_text(format_tsv(glossary), encoding="utf-8")
