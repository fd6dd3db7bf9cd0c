"""Structured input formats (HTML, XLIFF, DOCX, Markdown, subtitles): the contract between their readers
and writers and the pipeline.

A reader turns a file into `TextUnit`s: the plain text of each translatable block with its inline
markup as `InlineCode`s. The pipeline segments and translates the units (codes follow their words into
the English), and the same format's writer puts each unit's English back into the original file, which
stays otherwise untouched. The aligned TSV/TMX/JSONL are written from the same Document as for text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from translate.document import InlineCode


@dataclass
class TextUnit:
    """One translatable block of a structured file: an HTML paragraph or attribute, an XLIFF segment,
    a DOCX paragraph, a Markdown block, the text of one or more subtitle cues."""

    key: str
    """Where the unit belongs in the file; meaningful to its reader and writer only."""
    text: str
    """The plain text to translate, markup taken out."""
    codes: list[InlineCode] = field(default_factory=list)
    """The markup taken out of `text`, at its positions in `text`."""
    one_segment: bool = False
    """The file already segments this text (XLIFF `<mrk mtype="seg">`, one sentence): do not split it."""
    note: str = ""
    """What the reader knows that a translator may want (e.g. an XLIFF unit id), shown in messages only."""


@dataclass
class UnitTranslation:
    """The English of one unit, as the pipeline made it."""

    text: str
    """The English plain text (the unit's segments' targets joined as the source was)."""
    codes: list[InlineCode] = field(default_factory=list)
    """The unit's codes placed in `text` (every code of the unit, each once)."""
    origin: str = ""
    """Where the English came from, as `Segment.origin`: an engine name, "tm", "copy" (several: the engine's)."""
    score: float | None = None
    """Lowest segment score of the unit, None when unknown."""
    needs_review: bool = False
    """Some segment has QA findings or a term repair: the translator should look at it."""


@dataclass
class ParsedFile:
    """A structured file read by its format: the units to translate and what the writer needs besides."""

    units: list[TextUnit]
    state: Any = None
    """The reader's own parsed form of the file (an lxml tree, a python-docx Document…), for its writer."""
    warnings: list[str] = field(default_factory=list)
    """What the reader could not keep or chose to skip, said once per file."""


class StructuredFormat(Protocol):
    """One structured input format: it reads a file into units and writes the translated file back."""

    name: str
    """Short name used in messages and `--from` (html, xliff, docx, md, srt, vtt)."""
    suffixes: tuple[str, ...]
    """File name endings it claims, lower case, with the dot (".html", ".htm", ".xhtml")."""

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of a file (up to 64 KiB) look like this format."""
        ...

    def read(self, data: bytes, path: Path) -> ParsedFile:
        """Parse the whole file; raise `translate.errors.UserError` (one line) when it is not valid."""
        ...

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        """The translated file: `translations[i]` is the English of `parsed.units[i]`."""
        ...
