"""Output formats behind one small interface: a writer renders a whole Document to text.

Writers never touch the disk; `translate.outputs` writes every rendered file atomically so that a run
leaves either all its outputs complete or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Protocol

from translate.document import Document


@dataclass(frozen=True)
class WriteOptions:
    """What writers need besides the document: locale codes and provenance."""

    source_locale: str = "fr"
    target_locale: str = "en"
    header: bool = True
    """TSV header row with the locale codes."""
    extra_columns: tuple[str, ...] = ()
    """Segment.extra keys (or "score") added as TSV columns after source and target."""
    paragraph_units: bool = False
    """TMX also gets a unit per multi-sentence paragraph, for CAT tools that segment by paragraph."""
    tool: str = "translate-fr-en"
    tool_version: str = "0.1.0"
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


class Writer(Protocol):
    """One output format."""

    name: str
    """The name users give to --formats (txt, tsv, tmx, jsonl, …)."""

    def filename(self, stem: str, options: WriteOptions) -> str:
        """The output file name for an input whose language-free stem is `stem`."""
        ...

    def render(self, document: Document, options: WriteOptions) -> str:
        """The whole file's content."""
        ...


def writers() -> dict[str, Writer]:
    """Every available output format by name, in the order they are written."""
    from translate.formats.jsonl import JsonlWriter
    from translate.formats.qa import QaWriter
    from translate.formats.review import ReviewWriter  # side-by-side HTML page for people
    from translate.formats.text import TextWriter
    from translate.formats.tmx import TmxWriter
    from translate.formats.tsv import TsvWriter
    from translate.formats.xliff import XliffWriter  # CAT-tool review format (XLIFF 1.2)

    found: list[Writer] = [TextWriter(), TsvWriter(), TmxWriter(), JsonlWriter(), XliffWriter(), QaWriter(),
                          ReviewWriter()]
    return {w.name: w for w in found}


def pair_code(options: WriteOptions) -> str:
    """`fr-en` from the locales `fr-FR`/`en-US`: the language pair used in file names."""
    return f"{options.source_locale.split('-')[0].lower()}-{options.target_locale.split('-')[0].lower()}"
