"""CSV glossaries with a header row, as memoQ and Phrase export them.

Columns are found by header: the source and target columns are named by language code (`fr`,
`fr-FR`, `fr_CA`, `French`…), a note column by `note`, `description`, `comment` or `definition`.
Variants may be separated by `|` or `;` inside the source cell; `|` in the target cell separates
English synonyms (the first is written). Rows end at LF or CRLF only (quoted cells may span lines).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from glossary.collection import Glossary, build_glossary
from glossary.entry import TARGET_SEPARATOR, Problems, Row, split_target
from glossary.errors import GlossaryError
from glossary.sourcefile import read_utf8

_LANG_NAMES = {"fr": ("fr", "french", "français", "francais"), "en": ("en", "english", "anglais")}
_NOTE_NAMES = ("note", "notes", "description", "comment", "comments", "definition", "remark")


def _column(header: list[str], lang: str) -> int | None:
    """Index of the column for `lang` (`fr` matches `fr`, `fr-FR`, `FR_ca`, `French`)."""
    for i, name in enumerate(header):
        base = re.split(r"[-_ (]", name.strip().lower(), maxsplit=1)[0]
        if base in _LANG_NAMES.get(lang, (lang,)):
            return i
    return None


def parse_csv(
    text: str, path: str, source_lang: str = "fr", target_lang: str = "en", problems: Problems | None = None
) -> Glossary:
    """Glossary from CSV text with a header; delimiter `,` `;` or tab is detected from the header."""
    problems = problems or Problems()
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise GlossaryError(f"{path}:1: empty CSV file; expected a header such as {source_lang},{target_lang},note") from None
    src, tgt = _column(header, source_lang), _column(header, target_lang)
    if src is None or tgt is None:
        raise GlossaryError(f"{path}:1: header {header!r} has no {source_lang!r} and {target_lang!r} language columns")
    note = next((i for i, n in enumerate(header) if n.strip().lower() in _NOTE_NAMES), None)
    rows: list[Row] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.add(f"{path}:{number}: {len(cells)} column(s) but the header has {len(header)}")
                continue
            sources = re.split(r"\s*[|;]\s*", cells[src]) if delimiter != ";" else cells[src].split("|")
            target, synonyms = split_target(cells[tgt])
            rows.append(Row(sources, target, cells[note] if note is not None else "", number, synonyms=synonyms))
    except csv.Error as exc:
        problems.add(f"{path}:{reader.line_num}: bad CSV ({exc})")
    return build_glossary(rows, path, problems)


def read_csv(path: Path, source_lang: str = "fr", target_lang: str = "en", problems: Problems | None = None) -> Glossary:
    return parse_csv(read_utf8(path), str(path), source_lang, target_lang, problems)


def format_csv(glossary: Glossary, source_lang: str = "fr", target_lang: str = "en") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([source_lang, target_lang, "note"])
    for entry in glossary:
        writer.writerow(["|".join(entry.sources), TARGET_SEPARATOR.join(entry.targets), entry.note])
    return out.getvalue()


def write_csv(glossary: Glossary, path: Path, source_lang: str = "fr", target_lang: str = "en") -> None:
    path.write_text(format_csv(glossary, source_lang, target_lang), encoding="utf-8")
