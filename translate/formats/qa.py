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

    def head(self, document: Document, options: WriteOptions) -> str:
        """The column names, as `format_qa_tsv` writes them."""
        from translate.qa import QA_COLUMNS

        return "\t".join(QA_COLUMNS) + "\n"

    def body(self, document: Document, options: WriteOptions) -> str:
        """One chunk's findings, the rows `format_qa_tsv` writes after its header."""
        from translate.qa import qa_rows

        return "".join("\t".join(row) + "\n" for row in qa_rows(document))

    def tail(self, options: WriteOptions) -> str:
        return ""
