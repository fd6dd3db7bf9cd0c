"""The one object that flows through the pipeline: a document of paragraphs of aligned segments.

Every stage reads and fills fields of the same `Document`; writers only read it. Keeping the
source layout (whitespace between sentences, blank lines between paragraphs) in the document is
what lets the English text come out with the French text's structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class Segment:
    """One source sentence and everything learnt about it on the way through the pipeline."""

    id: int
    """1-based position of the segment in the whole document."""
    paragraph: int
    """0-based index of the paragraph holding the segment."""
    source: str
    """The French sentence exactly as it stands in the input (no surrounding whitespace)."""
    space_after: str = ""
    """Whitespace that followed the sentence inside its paragraph (lossless rebuild)."""
    translatable: bool = True
    """False for material copied verbatim: metadata prefixes, bare URLs, numbers only."""
    engine_input: str | None = None
    """What the engine is asked to translate when a stage rewrote the source (term protection)."""
    target: str = ""
    score: float | None = None
    """Engine's score: mean log-probability per token for neural engines, None when unknown."""
    origin: str = ""
    """Where the target came from: an engine name, "tm" for a memory match, "copy" for verbatim."""
    unknown_words: list[str] = field(default_factory=list)
    glossary_hits: list[dict[str, Any]] = field(default_factory=list)
    glossary_repairs: list[dict[str, Any]] = field(default_factory=list)
    qa: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Stage-private data that writers may show (e.g. protected-term placeholders)."""

    @property
    def text_for_engine(self) -> str:
        return self.source if self.engine_input is None else self.engine_input


@dataclass
class Paragraph:
    """A block of the input: one line of text (or lines joined because they were hard-wrapped)."""

    index: int
    segments: list[Segment]
    lead: str = ""
    """Whitespace before the first segment (indentation) kept as in the input."""
    separator: str = "\n"
    """Exact text between this paragraph and the next one (newlines and blank lines)."""

    @property
    def source(self) -> str:
        return self.lead + "".join(s.source + s.space_after for s in self.segments)


@dataclass
class Document:
    """A whole input text, split into paragraphs and segments, with its translation once done."""

    paragraphs: list[Paragraph]
    source_lang: str = "fr"
    target_lang: str = "en"
    name: str = ""
    """Name of the input (file stem) for writers and messages; empty for text given in code."""
    head: str = ""
    """Text (blank lines) before the first paragraph, kept to rebuild the input exactly."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Run facts writers may record: engine name, model version, timings."""

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.paragraphs for s in p.segments]

    def __iter__(self) -> Iterator[Segment]:
        for p in self.paragraphs:
            yield from p.segments

    def __len__(self) -> int:
        return sum(len(p.segments) for p in self.paragraphs)

    @property
    def source_text(self) -> str:
        """The input rebuilt from the segments: equals the segmented text, character for character."""
        return self.head + "".join(p.source + p.separator for p in self.paragraphs)

    @property
    def target_text(self) -> str:
        """The translation laid out like the input: same paragraphs, same blank lines."""
        parts = [self.head]
        for p in self.paragraphs:
            line = p.lead
            for i, s in enumerate(p.segments):
                line += s.target
                if i < len(p.segments) - 1:
                    line += _target_space(s.space_after)
            parts.append(line.rstrip() + p.separator)
        return "".join(parts)


def _target_space(space: str) -> str:
    """Spacing between two English sentences: a newline where the French had one, else a space."""
    if "\n" in space:
        return "\n"
    return " "
