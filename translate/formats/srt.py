"""SRT (SubRip) subtitles as a structured input: cue numbers, timecodes and blank lines kept, cue text translated."""

from __future__ import annotations

import re
from pathlib import Path

from translate.errors import UserError
from translate.formats.structured import ParsedFile, UnitTranslation
from translate.formats.subtitles import (SRT_DIALECT, Cue, Decoded, Line, SubtitleFile, decode, head_text, is_blank,
                                         misnamed, parsed_file, raw, split_lines, timestamp_ms, write_file)

_TIMING = re.compile(r"^\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*"
                     r"(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})")
_NUMBER = re.compile(r"^\s*\d+\s*$")
SNIFF_LINES = 12
"""Non-blank lines in which sniffing looks for the first cue."""


def _head(lines: list[Line], i: int) -> int:
    """How many lines start a cue at `i`: 2 (number, timing), 1 (timing alone) or 0."""
    if i + 1 < len(lines) and _NUMBER.match(lines[i].text) and _TIMING.match(lines[i + 1].text):
        return 2
    return 1 if i < len(lines) and _TIMING.match(lines[i].text) else 0


def parse(text: str, path: Path, warnings: list[str], decoded: Decoded) -> SubtitleFile:
    """Cues and the raw text around their text lines."""
    lines = split_lines(text)
    pieces: list[str | int] = []
    cues: list[Cue] = []
    kept: list[Line] = []
    stray: list[int] = []
    i = 0
    while i < len(lines):
        head = _head(lines, i)
        if head:
            timing = lines[i + head - 1]
            kept.extend(lines[i:i + head])
            i += head
            start = i
            while i < len(lines) and not is_blank(lines[i]) and not _head(lines, i):
                i += 1
            m = _TIMING.match(timing.text)
            assert m
            pieces.append(raw(kept))
            kept = []
            pieces.append(len(cues))
            cues.append(Cue(timestamp_ms(*m.groups()[0:4]), timestamp_ms(*m.groups()[4:8]), lines[start:i],
                            timing.text))
        elif is_blank(lines[i]):
            kept.append(lines[i])
            i += 1
        else:
            stray.append(lines[i].number)
            while i < len(lines) and not is_blank(lines[i]) and not _head(lines, i):
                kept.append(lines[i])
                i += 1
    pieces.append(raw(kept))
    if not cues:
        raise UserError(f"{path}: no SRT cue found (a number line, then 'HH:MM:SS,mmm --> HH:MM:SS,mmm')")
    if stray:
        warnings.append(f"{path}: {len(stray)} block(s) of text outside any cue (first at line {stray[0]}) "
                        "kept as they were, untranslated")
    return SubtitleFile(pieces, cues, decoded)


class SrtFormat:
    """SubRip `.srt`: numbered cues; `<i>`, `<b>`, `<u>`, `<font>` and `{\\an8}` kept as markup."""

    name = "srt"
    suffixes = (".srt",)

    def sniff(self, head: bytes) -> bool:
        """A number line then a timing line, within the first lines (a credit line may come first)."""
        lines = [line for line in split_lines(head_text(head)) if not is_blank(line)][:SNIFF_LINES]
        return any(_NUMBER.match(a.text) and _TIMING.match(b.text) for a, b in zip(lines, lines[1:]))

    def read(self, data: bytes, path: Path) -> ParsedFile:
        warnings: list[str] = []
        if path.suffix.lower() == ".vtt":  # `detect` found SRT content in it (READ_BY_CONTENT)
            warnings.append(misnamed(path, "SRT", "WebVTT", ".srt"))
        decoded = decode(data, path, legacy=True, warnings=warnings)
        return parsed_file(parse(decoded.text, path, warnings, decoded), SRT_DIALECT, warnings)

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        return write_file(parsed, translations)


FORMAT = SrtFormat()
