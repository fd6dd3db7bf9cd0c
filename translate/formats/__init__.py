"""Output formats behind one small interface: a writer renders a whole Document to text.

Writers never touch the disk; `translate.outputs` writes every rendered file atomically so that a run
leaves either all its outputs complete or none. A long input is translated in chunks (one Document
each); writers that can also write a file section by section (`head`, `body` per chunk, `tail`) keep
memory flat, the others get the chunks joined into one Document at the end (see `open_stream`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Protocol

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


class SectionWriter(Writer, Protocol):
    """A writer whose file is a head, a body section per chunk, and a tail: render = head + body + tail."""

    def head(self, document: Document, options: WriteOptions) -> str:
        """What comes before the first chunk's body; `document` is the first chunk."""
        ...

    def body(self, document: Document, options: WriteOptions) -> str:
        """One chunk's part of the file."""
        ...

    def tail(self, options: WriteOptions) -> str:
        """What closes the file."""
        ...


class OutputStream(Protocol):
    """One output file's text, produced chunk by chunk (see `open_stream`)."""

    def chunk(self, document: Document) -> Iterable[str]:
        """Text to append for the next chunk of the document."""
        ...

    def finish(self) -> Iterable[str]:
        """Text that ends the file."""
        ...


class _Sections:
    """Streams a SectionWriter: head with the first chunk, a body per chunk, the tail at the end."""

    def __init__(self, writer: SectionWriter, options: WriteOptions) -> None:
        self.writer, self.options = writer, options
        self.started = False

    def chunk(self, document: Document) -> Iterable[str]:
        if not self.started:
            self.started = True
            yield self.writer.head(document, self.options)
        yield self.writer.body(document, self.options)

    def finish(self) -> Iterable[str]:
        if not self.started:
            yield self.writer.head(Document([]), self.options)
        yield self.writer.tail(self.options)


class _WholeDocument:
    """Holds every chunk and renders them as one Document at the end, for writers of whole documents."""

    def __init__(self, writer: Writer, options: WriteOptions) -> None:
        self.writer, self.options = writer, options
        self.parts: list[Document] = []

    def chunk(self, document: Document) -> Iterable[str]:
        self.parts.append(document)
        return ()

    def finish(self) -> Iterable[str]:
        yield self.writer.render(join_documents(self.parts), self.options)


def open_stream(writer: Writer, options: WriteOptions) -> OutputStream:
    """The writer's own stream (`stream(options)`), else its sections, else a whole-document fallback."""
    make = getattr(writer, "stream", None)
    if make is not None:
        return make(options)
    if all(callable(getattr(writer, m, None)) for m in ("head", "body", "tail")):
        return _Sections(writer, options)  # type: ignore[arg-type]
    return _WholeDocument(writer, options)


def join_documents(parts: list[Document]) -> Document:
    """Chunks of one text as a single Document (meta: first value set wins, cache hits and memory matches add up)."""
    if not parts:
        return Document([])
    first = parts[0]
    joined = Document([p for d in parts for p in d.paragraphs], source_lang=first.source_lang,
                      target_lang=first.target_lang, name=first.name, head=first.head)
    facts = joined.meta
    for part in parts:
        facts.cache_hits += part.meta.cache_hits
        facts.engine = facts.engine or part.meta.engine
        facts.memory_matches += part.meta.memory_matches
        facts.warnings = facts.warnings or list(part.meta.warnings)
        facts.min_score = part.meta.min_score if facts.min_score is None else facts.min_score
    return joined


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
