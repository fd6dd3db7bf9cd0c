"""A toy structured format for the core's tests, registered through $TRANSLATE_FORMAT_MODULES=toyformat.

A `.toy` file starts with the line `TOY`; every other non-empty line is one unit; `<b>…</b>`, `<i>…</i>`
and `<a href="…">…</a>` are inline pairs, `<x/>` and `<br/>` isolated codes; a line starting with `=`
is one segment already (like an XLIFF `<mrk mtype="seg">`); a line starting with `#` is kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation

_TAG = re.compile(r"<(/?)([a-z]+)((?:\s[^<>]*?)?)(/?)>")


def parse_line(line: str) -> tuple[str, list[InlineCode]]:
    """Plain text and codes of one line of toy markup."""
    text: list[str] = []
    codes: list[InlineCode] = []
    stack: list[tuple[str, int]] = []
    length, cursor, next_id = 0, 0, 1
    for m in _TAG.finditer(line):
        piece = line[cursor:m.start()]
        text.append(piece)
        length += len(piece)
        cursor = m.end()
        closing, name, _, empty = m.groups()
        if empty:
            codes.append(InlineCode(next_id, "isolated", m.group(), length))
            next_id += 1
        elif not closing:
            stack.append((name, next_id))
            codes.append(InlineCode(next_id, "open", m.group(), length))
            next_id += 1
        else:
            if not stack or stack[-1][0] != name:
                raise UserError(f"toy markup: unbalanced </{name}>")
            codes.append(InlineCode(stack.pop()[1], "close", m.group(), length))
    if stack:
        raise UserError(f"toy markup: <{stack[-1][0]}> is never closed")
    text.append(line[cursor:])
    return "".join(text), codes


def render_line(text: str, codes: list[InlineCode]) -> str:
    """Text with the codes put back, in list order at each position."""
    out, cursor = [], 0
    for code in codes:
        out.append(text[cursor:code.position])
        out.append(code.data)
        cursor = code.position
    out.append(text[cursor:])
    return "".join(out)


@dataclass
class ToyFormat:
    name: str = "toy"
    suffixes: tuple[str, ...] = (".toy",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"TOY\n")

    def read(self, data: bytes, path: Path) -> ParsedFile:
        lines = data.decode("utf-8").split("\n")
        units = []
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip() or line.startswith("#"):
                continue
            body = line[1:] if line.startswith("=") else line
            text, codes = parse_line(body)
            units.append(TextUnit(str(number), text, codes, one_segment=line.startswith("="), note=f"line {number}"))
        return ParsedFile(units, state=lines)

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        lines = list(parsed.state)
        for unit, english in zip(parsed.units, translations):
            index = int(unit.key) - 1
            lead = "=" if lines[index].startswith("=") else ""
            lines[index] = lead + render_line(english.text, english.codes)
        return "\n".join(lines).encode("utf-8")


FORMAT = ToyFormat()
