"""The QA report: one row per finding (missing term, number mismatch, unpaired quote, …)."""

from __future__ import annotations

from translate.document import Document
from translate.formats import WriteOptions


class QaWriter:
    name = "qa"

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.qa.tsv"

    def render(self, document: Document, options: WriteOptions) -> str:
        from translate.qa import format_qa_tsv

        return format_qa_tsv(document)
