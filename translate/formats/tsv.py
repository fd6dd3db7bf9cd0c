"""Sentence-aligned TSV, the bilingual table memoQ, Trados (Glossary Converter) and Phrase import.

UTF-8 without BOM, LF line ends, no quoting: a cell never holds a tab or a line break (they become a
space), so every row is exactly `source<TAB>target`.
"""

from __future__ import annotations

import re

from translate.document import Document, Segment
from translate.formats import WriteOptions, pair_code

_BREAKS = re.compile(r"[\t\r\n\v\f\u0085\u2028\u2029]+")


def clean_cell(text: str) -> str:
    """A cell safe for an unquoted TSV: tabs and line breaks become single spaces."""
    return _BREAKS.sub(" ", text).strip()


class TsvWriter:
    name = "tsv"

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{pair_code(options)}.tsv"

    def render(self, document: Document, options: WriteOptions) -> str:
        return self.head(document, options) + self.body(document, options) + self.tail(options)

    def head(self, document: Document, options: WriteOptions) -> str:
        """The header row naming the locales (and extra columns), unless turned off."""
        if not options.header:
            return ""
        return "\t".join((options.source_locale, options.target_locale, *options.extra_columns)) + "\n"

    def body(self, document: Document, options: WriteOptions) -> str:
        columns = options.extra_columns
        rows = []
        for s in document:
            cells = [clean_cell(s.source), clean_cell(s.target)]
            cells.extend(clean_cell(_column(s, name)) for name in columns)
            rows.append("\t".join(cells))
        return "".join(row + "\n" for row in rows)

    def tail(self, options: WriteOptions) -> str:
        return ""


def _column(segment: Segment, name: str) -> str:
    value = segment.score if name == "score" else segment.extra.get(name, "")
    return "" if value is None else str(value)
