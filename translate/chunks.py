"""Cutting a text stream into paragraph-aligned chunks, so a long input is translated piece by piece.

A chunk ends only where `segment_document` would end a paragraph anyway (before a line that follows a
blank line, or that does not carry on the previous line's sentence), so segmenting the chunks one by
one gives the same paragraphs and sentences as segmenting the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from translate.errors import UserError
from translate.segment import line_continues

CHUNK_CHARS = 500_000
"""Characters gathered before a chunk is cut at the next paragraph start (a few thousand sentences)."""
MAX_PARAGRAPH_CHARS = 10_000_000
"""A hard-wrapped paragraph longer than this is cut at a line break (its parts become paragraphs)."""
MAX_LINE_CHARS = 10_000_000
"""A line longer than this (no line break at all) is refused: it could not be held in memory safely."""

_NEWLINE = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class ChunkLimits:
    """Sizes that bound the memory one chunk takes."""

    chunk_chars: int = CHUNK_CHARS
    max_paragraph_chars: int = MAX_PARAGRAPH_CHARS
    max_line_chars: int = MAX_LINE_CHARS


def _lines(pieces: Iterable[str], name: str, limits: ChunkLimits) -> Iterator[str]:
    """Whole lines with their line break (the last one may lack it), whatever the pieces' boundaries."""
    pending = ""
    for piece in pieces:
        pending += piece
        start = 0
        for match in _NEWLINE.finditer(pending):
            if match.group() == "\r" and match.end() == len(pending):
                break  # may be the first half of a CRLF cut between pieces
            yield pending[start:match.end()]
            start = match.end()
        pending = pending[start:]
        if len(pending) > limits.max_line_chars:
            raise UserError(f"{name} has a line of more than {limits.max_line_chars:,} characters without a "
                            "line break; break it into paragraphs")
    if pending:
        yield pending


def paragraph_chunks(pieces: Iterable[str], name: str = "input", lang: str = "fr",
                     limits: ChunkLimits = ChunkLimits()) -> Iterator[str]:
    """The text again, in chunks of about `limits.chunk_chars` that each start at a paragraph."""
    chunk: list[str] = []
    size = 0
    since_cut = 0
    previous = ""
    has_text = False
    for line in _lines(pieces, name, limits):
        content = line.strip()
        if content and has_text:
            starts_paragraph = not previous or not line_continues(previous, content, lang)
            if (starts_paragraph and size >= limits.chunk_chars) or since_cut >= limits.max_paragraph_chars:
                yield "".join(chunk)
                chunk, size, since_cut = [], 0, 0
            elif starts_paragraph:
                since_cut = 0
        chunk.append(line)
        size += len(line)
        since_cut += len(line)
        has_text = has_text or bool(content)
        previous = content
    if chunk:
        yield "".join(chunk)
