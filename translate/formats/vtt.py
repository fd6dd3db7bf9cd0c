"""WebVTT subtitles as a structured input: header, NOTE/STYLE/REGION blocks, cue identifiers, timings and
cue settings kept, cue text translated."""

from __future__ import annotations

import re
from pathlib import Path

from translate.errors import UserError
from translate.formats.structured import ParsedFile, UnitTranslation
from translate.formats.subtitles import (VTT_DIALECT, Cue, Decoded, Line, SubtitleFile, decode, head_text,
                                         is_blank, misnamed, parsed_file, raw, split_lines, timestamp_ms, write_file)

_HEADER = re.compile(r"^WEBVTT(?:[ \t\r\n]|$)")
_TIMING = re.compile(r"^\s*(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})(?=\s|$)")
_LANGUAGE = re.compile(r"^(Language:[ \t]*)\S+[ \t]*$")
_KEPT_BLOCK = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")


def parse(text: str, path: Path, warnings: list[str], decoded: Decoded) -> SubtitleFile:
    """Cues and the raw text around their text lines (header and comment blocks kept whole)."""
    lines = split_lines(text)
    if not lines or not _HEADER.match(lines[0].text):
        raise UserError(f"{path}: not a WebVTT file (the first line must be WEBVTT)")
    i = 0
    while i < len(lines) and not is_blank(lines[i]):
        i += 1
    kept: list[Line] = list(lines[:i])
    pieces: list[str | int] = []
    cues: list[Cue] = []
    stray: list[int] = []
    while i < len(lines):
        if is_blank(lines[i]):
            kept.append(lines[i])
            i += 1
            continue
        end = i
        while end < len(lines) and not is_blank(lines[end]):
            end += 1
        block = lines[i:end]
        timing = next((n for n in range(min(2, len(block))) if "-->" in block[n].text), None)
        m = _TIMING.match(block[timing].text) if timing is not None else None
        if _KEPT_BLOCK.match(block[0].text) or m is None:
            if not _KEPT_BLOCK.match(block[0].text):
                stray.append(block[0].number)
            kept.extend(block)
        else:
            assert timing is not None
            kept.extend(block[:timing + 1])
            pieces.append(raw(kept))
            kept = []
            pieces.append(len(cues))
            cues.append(Cue(timestamp_ms(*m.groups()[0:4]), timestamp_ms(*m.groups()[4:8]), block[timing + 1:],
                            block[timing].text))
        i = end
    pieces.append(raw(kept))
    if stray:
        warnings.append(f"{path}: {len(stray)} block(s) that are not cues (first at line {stray[0]}) "
                        "kept as they were, untranslated")
    return SubtitleFile(pieces, cues, decoded)


class VttFormat:
    """WebVTT `.vtt`: `<i>`, `<b>`, `<u>`, `<c.x>`, `<v …>`, `<lang>`, `<ruby>` and timestamps kept as markup."""

    name = "vtt"
    suffixes = (".vtt",)

    def sniff(self, head: bytes) -> bool:
        return bool(_HEADER.match(head_text(head)))

    def read(self, data: bytes, path: Path) -> ParsedFile:
        warnings: list[str] = []
        if path.suffix.lower() == ".srt":  # `detect` found WebVTT content in it (READ_BY_CONTENT)
            warnings.append(misnamed(path, "WebVTT", "SRT", ".vtt"))
        decoded = decode(data, path, legacy=False, warnings=warnings)
        return parsed_file(parse(decoded.text, path, warnings, decoded), VTT_DIALECT, warnings)

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        return write_file(parsed, translations, _relabel(parsed.state.file.pieces[0], target_locale))


def _relabel(head: str, locale: str) -> str:
    """The raw text before the first cue with the header's `Language:` metadata set to the English locale."""
    lines = split_lines(head)
    for line in lines:
        if is_blank(line):
            break
        m = _LANGUAGE.match(line.text)
        if m:
            line.text = m.group(1) + locale
    return raw(lines)


FORMAT = VttFormat()
