"""The English text, laid out like the French input (paragraphs, blank lines, headings in place)."""

from __future__ import annotations

from translate.document import Document
from translate.formats import WriteOptions


class TextWriter:
    name = "txt"

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{options.target_locale.split('-')[0].lower()}.txt"

    def render(self, document: Document, options: WriteOptions) -> str:
        return document.target_text

    def head(self, document: Document, options: WriteOptions) -> str:
        return ""

    def body(self, document: Document, options: WriteOptions) -> str:
        return document.target_text

    def tail(self, options: WriteOptions) -> str:
        return ""
