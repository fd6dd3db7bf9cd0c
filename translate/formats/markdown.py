"""Markdown (.md, .markdown) as a structured input: the text of paragraphs, headings, list items, block
quotes, table cells, image alt texts and link titles is translated; everything else stays byte for byte.

markdown-it-py (CommonMark, plus GFM tables and strikethrough) finds the blocks and their inline markup;
this module maps each block's inline tokens back onto the source lines, so that the English is spliced
into the original text between the untouched list markers, `>` prefixes, indentation and table pipes.
Emphasis, links, inline code, inline HTML, images and a table cell's escaped pipe (`\\|`) become
`InlineCode`s whose `data` is their original markup. Code blocks, HTML blocks, front matter, link
reference definitions and rules are not units.
A hard-wrapped paragraph is one unit; its English is re-wrapped at the width of the original's longest
line (a one-line paragraph stays on one line), hard line breaks kept where the English puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.codespace import space_after, space_before
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.textio import binary_kind, decode

_NOT_MARKDOWN = re.compile(rb"\s*(?:<\?xml|<!doctype|<html|<xliff|<tmx|<w:document|<tt[\s>]|<svg)", re.IGNORECASE)
"""The start of a file that is not Markdown but an XML or HTML document (binary files: `binary_kind`)."""
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_HAS_WORD = re.compile(r"\w")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")
_BACKTICKS = re.compile(r"`+")
_ATX_TAIL = re.compile(r"(?:\s+#+)?\s*")
_BRACKET_MARK = re.compile(r"(\[\^[^\]\s]+\](?::[ \t]*)?|\[![A-Za-z]+\])")
"""Footnote marks (`[^1]`, `[^1]:` before a note) and GitHub alert marks (`[!NOTE]`): kept as codes."""
_FRONT_MATTER_KEY = {"---": re.compile(r"#|[\w\"'][^:]*:(\s|$)"), "+++": re.compile(r"#|[\w\"'.\[][^=]*=|\[")}
"""The first line of a front matter: a YAML `key:` or a TOML `key =` / `[table]` (or a comment)."""
_PIPE = re.compile(r"(\|)")
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_LINK_TAIL = re.compile(r"\]\([^)\n]*\)")
_CLOSING_QUOTE = {'"': '"', "'": "'", "(": ")"}


class _Mismatch(Exception):
    """The tokens markdown-it produced could not be placed on the source text (the block is kept as it is)."""


@dataclass(frozen=True)
class _Line:
    """One source line: its text and the line ending that followed it ("" for the last)."""

    text: str
    end: str


@dataclass(frozen=True)
class _Span:
    """The part of one source line that holds a block's inline content."""

    line: int
    start: int
    end: int


@dataclass(frozen=True)
class _Slot:
    """A place inside a code's markup filled by another unit's text (an image's alt text, a link title)."""

    key: str
    context: str
    """How its English is escaped: "alt", or "title" followed by the title's opening quote."""


_Part = Union[str, _Slot]


@dataclass
class _Content:
    """One unit-shaped piece of inline markdown: its source, and how to rebuild it from English."""

    key: str
    context: str
    """"para", "heading", "cell", "alt" or 'title"' (the quote): decides the escaping of its English."""
    source: str
    pieces: list[Union[str, tuple[int, str]]] = field(default_factory=list)
    """The source again as literal slices and code ids, to rebuild it with its slots' new text."""
    templates: dict[tuple[int, str], list[_Part]] = field(default_factory=dict)
    """Each code's markup (by id and kind), with slots where sub-units' English goes."""
    table: bool = False
    """It stands in a table row: a `|` in its English must be escaped."""


@dataclass
class _Block:
    """A paragraph, heading or table cell: where its content lies in the source and how wide it was."""

    spans: list[_Span]
    content: _Content
    width: int
    """Re-wrap the English at this many characters; 0 when the original was on one line."""
    pad: int = 0
    """Spaces after a table cell's text, up to its pipe: they are part of the splice."""


@dataclass
class _State:
    """What `write` needs: the source lines, the blocks to splice, every content by unit key."""

    lines: list[_Line]
    blocks: list[_Block]
    contents: dict[str, _Content]
    encoding: str


def _parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough; escapes and entities kept as their own tokens."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable("text_join")


def _split_lines(text: str) -> list[_Line]:
    """The text as lines with their own endings, so that joining them gives the text back."""
    lines = [_Line(m.group(1), m.group(2)) for m in _LINE.finditer(text)]
    if lines and lines[-1] == _Line("", ""):
        lines.pop()
    return lines


def _front_matter_end(lines: list[_Line]) -> int:
    """How many lines a YAML (`---` … `---`/`...`) or TOML (`+++` … `+++`) front matter takes at the top."""
    if not lines or lines[0].text.rstrip() not in ("---", "+++"):
        return 0
    fence = lines[0].text.rstrip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    if len(lines) < 2 or not _FRONT_MATTER_KEY[fence].match(lines[1].text):
        return 0  # a rule `---` opening the text, not metadata
    for index in range(1, len(lines)):
        if lines[index].text.rstrip() in closers:
            return index + 1
    return 0


class _Builder:
    """Turns a block's inline tokens, walked over its source, into a unit's text and codes."""

    def __init__(self, md: MarkdownIt, key: str, context: str, table: bool, subunits: list[tuple[TextUnit, _Content]]):
        self.md = md
        self.key = key
        self.context = context
        self.table = table
        self.subunits = subunits
        self.text: list[str] = []
        self.length = 0
        self.codes: list[InlineCode] = []
        self.pieces: list[Union[str, tuple[int, str]]] = []
        self.templates: dict[tuple[int, str], list[_Part]] = {}
        self.open: list[int] = []
        self.next_id = 1

    def plain(self, text: str, source: str) -> None:
        self.text.append(text)
        self.length += len(text)
        self.pieces.append(source)

    def code(self, kind: str, data: str, template: list[_Part] | None = None) -> None:
        if kind == "close":
            ident = self.open.pop()
        else:
            ident = self.next_id
            self.next_id += 1
            if kind == "open":
                self.open.append(ident)
        self.codes.append(InlineCode(ident, kind, data, self.length))
        self.templates[(ident, kind)] = template if template is not None else [data]
        self.pieces.append((ident, kind))

    def walk(self, tokens: list[Token], src: str, pos: int) -> int:
        """Match the tokens one by one on `src` from `pos`; the position after the last one."""
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "text":
                end = pos
                pieces = self._text_pieces(token.content)
                for n, piece in enumerate(pieces):
                    start, end = end, self._match(src, end, piece)
                    if _BRACKET_MARK.fullmatch(piece) or (self.table and piece == "|"):
                        self.code("isolated", src[start:end])
                        following = "".join(pieces[n + 1:])[:1]
                        if piece == "|" and self.text and self.text[-1][-1:].isalnum() and following.isalnum():
                            self.plain(" ", "")  # `chat\|chien`: the engine must not read one word "chatchien"
                    elif piece:
                        self.plain(piece, src[start:end])
            elif kind == "text_special":
                end = self._expect(src, pos, token.markup)
                self.plain(token.content, src[pos:end])
            elif kind == "softbreak":
                end = self._regex(_SOFT_BREAK, src, pos)
                self.plain(" ", src[pos:end])
            elif kind == "hardbreak":
                end = self._regex(_HARD_BREAK, src, pos)
                self.code("isolated", src[pos:end])
                rest = self._regex(re.compile(r"[ \t]*"), src, end)
                self.plain(" ", src[end:rest])
                end = rest
            elif kind in ("em_open", "strong_open", "s_open"):
                end = self._expect(src, pos, token.markup)
                self.code("open", token.markup)
            elif kind in ("em_close", "strong_close", "s_close"):
                end = self._expect(src, pos, token.markup)
                self.code("close", token.markup)
            elif kind == "code_inline":
                end = self._code_span(src, pos, token.markup)
                self.code("isolated", src[pos:end])
            elif kind == "html_inline":
                end = self._expect(src, pos, token.content)
                self.code("isolated", token.content)
            elif kind == "link_open" and token.markup == "autolink":
                end = self._expect(src, pos, "<")
                close = src.find(">", end)
                if close < 0:
                    raise _Mismatch("autolink")
                end = close + 1
                self.code("isolated", src[pos:end])
                while tokens[index].type != "link_close":
                    index += 1
            elif kind == "link_open":
                end = self._expect(src, pos, "[")
                self.code("open", "[")
            elif kind == "link_close":
                end, template = self._link_tail(src, pos)
                self.code("close", src[pos:end], template)
            elif kind == "image":
                end = self._image(token, src, pos)
            else:
                raise _Mismatch(kind)
            pos = end
            index += 1
        return pos

    def _text_pieces(self, text: str) -> list[str]:
        """A text token cut around footnote and alert marks and, in a table, around each `|` (written `\\|`):
        an escaped pipe is markup of the table, kept as a code so the English cell still holds it."""
        pieces = _BRACKET_MARK.split(text)
        if not self.table:
            return pieces
        return [part for piece in pieces
                for part in ([piece] if _BRACKET_MARK.fullmatch(piece) else _PIPE.split(piece))]

    def _match(self, src: str, pos: int, text: str) -> int:
        """Where literal text ends in the source (a table cell's `\\|` stands for `|`)."""
        for char in text:
            if src.startswith(char, pos):
                pos += 1
            elif self.table and char == "|" and src.startswith("\\|", pos):
                pos += 2
            else:
                raise _Mismatch(text)
        return pos

    @staticmethod
    def _expect(src: str, pos: int, literal: str) -> int:
        if not literal or not src.startswith(literal, pos):
            raise _Mismatch(literal)
        return pos + len(literal)

    @staticmethod
    def _regex(pattern: re.Pattern[str], src: str, pos: int) -> int:
        match = pattern.match(src, pos)
        if match is None:
            raise _Mismatch(pattern.pattern)
        return match.end()

    @staticmethod
    def _code_span(src: str, pos: int, ticks: str) -> int:
        """The end of a code span opened by `ticks` at `pos`: after the next run of as many backticks."""
        start = _Builder._expect(src, pos, ticks)
        for run in _BACKTICKS.finditer(src, start):
            if len(run.group()) == len(ticks):
                return run.end()
        raise _Mismatch(ticks)

    def _link_tail(self, src: str, pos: int) -> tuple[int, list[_Part]]:
        """`](url "title")`, `][ref]`, `][]` or `]` at `pos`: its end and its markup, the title a slot."""
        after = self._expect(src, pos, "]")
        end = len(src)
        if after < end and src[after] == "(":
            cursor = self._skip_space(src, after + 1)
            title: tuple[int, int, str] | None = None
            if cursor < end:
                destination = parseLinkDestination(src, cursor, end)
                if destination.ok:
                    if self.md.validateLink(self.md.normalizeLink(destination.str)):
                        cursor = destination.pos
                    start = cursor
                    cursor = self._skip_space(src, cursor)
                    parsed = parseLinkTitle(src, cursor, end)
                    if cursor < end and start != cursor and parsed.ok:
                        title = (cursor, parsed.pos, parsed.str)
                        cursor = self._skip_space(src, parsed.pos)
                if cursor < end and src[cursor] == ")":
                    return cursor + 1, self._title_template(src, pos, cursor + 1, title)
        if after < end and src[after] == "[":
            close = src.find("]", after + 1)
            if close >= 0:
                return close + 1, [src[pos:close + 1]]
        return after, [src[pos:after]]

    @staticmethod
    def _skip_space(src: str, pos: int) -> int:
        while pos < len(src) and src[pos] in " \t\n":
            pos += 1
        return pos

    def _title_template(self, src: str, pos: int, end: int, title: tuple[int, int, str] | None) -> list[_Part]:
        """The link tail's markup, its title (when it has words) a slot filled by the title's own unit."""
        if title is None or not _HAS_WORD.search(title[2]):
            return [src[pos:end]]
        start, stop, text = title
        quote = src[start]
        key = f"{self.key}@{start}title"
        content = _Content(key, "title" + quote, src[start + 1:stop - 1], [src[start + 1:stop - 1]], table=self.table)
        self.subunits.append((TextUnit(key, " ".join(text.split()), note=f"{self.key_note()} (link title)"),
                              content))
        return [src[pos:start + 1], _Slot(key, content.context), src[stop - 1:end]]

    def key_note(self) -> str:
        return "line " + self.key.split(":")[0]

    def _image(self, token: Token, src: str, pos: int) -> int:
        """`![alt](src "title")`: one isolated code; its alt text and title are units of their own."""
        label = self._expect(src, pos, "![")
        key = f"{self.key}@{pos}alt"
        sub = _Builder(self.md, key, "alt", self.table, self.subunits)
        reserved = len(self.subunits)
        self.subunits.append((TextUnit(key, ""), _Content(key, "alt", "")))
        label_end = sub.walk(token.children or [], src, label)
        alt = _Content(key, "alt", src[label:label_end], sub.pieces, sub.templates, self.table)
        alt_text = "".join(sub.text)
        if _HAS_WORD.search(alt_text):
            self.subunits[reserved] = (TextUnit(key, alt_text, sub.codes, note=f"{self.key_note()} (image text)"), alt)
            head: list[_Part] = ["![", _Slot(key, "alt")]
        else:
            del self.subunits[reserved]
            head = [src[pos:label_end]]
        end, tail = self._link_tail(src, label_end)
        template = head + tail
        self.code("isolated", src[pos:end], template)
        return end

    def content(self, source: str) -> _Content:
        return _Content(self.key, self.context, source, self.pieces, self.templates, self.table)

    def unit(self, note: str) -> TextUnit | None:
        text = "".join(self.text)
        if not _HAS_WORD.search(text):
            return None
        return TextUnit(self.key, text, list(self.codes), note=note)


@dataclass(frozen=True)
class MarkdownFormat:
    """Markdown files: CommonMark with GFM tables and strikethrough, front matter kept."""

    name: str = "md"
    suffixes: tuple[str, ...] = (".md", ".markdown")

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes can be a Markdown file. Plain prose is valid Markdown, so this cannot
        recognise Markdown by its content: it accepts any text and refuses only what is clearly
        something else (binary data, an XML or HTML document); the `.md` suffix is what decides."""
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return True  # UTF-16 with its byte-order mark: text, read by translate.textio
        if b"\x00" in head or binary_kind(head) or _NOT_MARKDOWN.match(head):
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as err:
            if err.start < len(head) - 3:  # not a character cut at the end of the head
                return head.decode("cp1252", errors="replace").count("\ufffd") == 0
        return True

    def read(self, data: bytes, path: Path) -> ParsedFile:
        decoded = decode(data, path.name)
        lines = _split_lines(decoded.text)
        skip = _front_matter_end(lines)
        source = "".join(("" if i < skip else line.text) + "\n" for i, line in enumerate(lines))
        md = _parser()
        tokens = md.parse(source)
        units: list[TextUnit] = []
        blocks: list[_Block] = []
        contents: dict[str, _Content] = {}
        warnings = list(decoded.warnings)
        quotes = 0
        for index, token in enumerate(tokens):
            if token.type == "blockquote_open":
                quotes += 1
            elif token.type == "blockquote_close":
                quotes -= 1
            elif token.type == "tr_open":
                cells = []
                for cell in tokens[index + 1:]:
                    if cell.type == "tr_close":
                        break
                    if cell.type == "inline":
                        cells.append(cell)
                try:
                    spans = _cell_spans(lines, cells, quotes > 0)
                except _Mismatch:
                    warnings.append(f"{path.name}: line {token.map[0] + 1}: table row kept in French "
                                    "(its cells could not be placed)")
                    continue
                for cell, span in zip(cells, spans):
                    if span is not None:
                        self._block(md, lines, cell, [span], "cell", units, blocks, contents, warnings, path)
            elif token.type == "inline" and index > 0 and tokens[index - 1].type in ("paragraph_open", "heading_open"):
                context = "para" if tokens[index - 1].type == "paragraph_open" else "heading"
                try:
                    spans = _block_spans(lines, token, context)
                except _Mismatch:
                    warnings.append(f"{path.name}: line {token.map[0] + 1}: kept in French "
                                    "(its text could not be placed in the source)")
                    continue
                task_item = index > 1 and tokens[index - 2].type == "list_item_open"
                self._block(md, lines, token, spans, context, units, blocks, contents, warnings, path, task_item)
        return ParsedFile(units, _State(lines, blocks, contents, decoded.encoding), warnings)

    @staticmethod
    def _block(md: MarkdownIt, lines: list[_Line], token: Token, spans: list[_Span], context: str,
               units: list[TextUnit], blocks: list[_Block], contents: dict[str, _Content],
               warnings: list[str], path: Path, task_item: bool = False) -> None:
        """Walk one block's inline tokens over its source; record its unit, sub-units and splice place."""
        source = "\n".join(lines[s.line].text[s.start:s.end] for s in spans)
        key = f"{spans[0].line + 1}:{spans[0].start + 1}"
        subunits: list[tuple[TextUnit, _Content]] = []
        builder = _Builder(md, key, context, context == "cell", subunits)
        children = list(token.children or [])
        start = 0
        task = _TASK.match(source) if task_item else None
        if task and children and children[0].type == "text" and children[0].content.startswith(task.group()):
            builder.code("isolated", task.group())
            children[0] = children[0].copy(content=children[0].content[len(task.group()):])
            start = task.end()
        try:
            end = builder.walk(children, source, start)
            if source[end:].strip():
                raise _Mismatch(source[end:])
        except (_Mismatch, IndexError):
            warnings.append(f"{path.name}: line {spans[0].line + 1}: kept in French "
                            "(its inline markup could not be placed in the source)")
            return
        unit = builder.unit(f"line {spans[0].line + 1}")
        if unit is None and not subunits:
            return
        content = builder.content(source)
        if unit is not None:
            units.append(unit)
        contents[key] = content
        for sub, sub_content in subunits:
            units.append(sub)
            contents[sub.key] = sub_content
        width = 0 if len(spans) == 1 else max(_width(lines[s.line].text[:s.end]) for s in spans)
        pad = 0
        if context == "cell":
            line = lines[spans[0].line].text
            pad = len(line[spans[0].end:]) - len(line[spans[0].end:].lstrip(" "))
        blocks.append(_Block(spans, content, width, pad))

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        state: _State = parsed.state
        if len(translations) != len(parsed.units):
            raise ValueError(f"{len(translations)} translations for {len(parsed.units)} units")
        english = {unit.key: (unit, tr) for unit, tr in zip(parsed.units, translations)}
        renderer = _Renderer(state.contents, english)
        text = "".join(line.text + line.end for line in state.lines)
        offsets = [0]
        for line in state.lines:
            offsets.append(offsets[-1] + len(line.text) + len(line.end))
        edits = []
        for block in state.blocks:
            new = renderer.block(block, state.lines)
            first, last = block.spans[0], block.spans[-1]
            edits.append((offsets[first.line] + first.start, offsets[last.line] + last.end + block.pad, new))
        pieces, cursor = [], 0
        for start, end, new in sorted(edits):
            pieces += [text[cursor:start], new]
            cursor = end
        pieces.append(text[cursor:])
        return "".join(pieces).encode(state.encoding, errors="xmlcharrefreplace")


def _width(line: str) -> int:
    """A line's length for re-wrapping, link destinations not counted (a long URL is no sign of width)."""
    return len(line.rstrip()) - sum(len(tail) for tail in _LINK_TAIL.findall(line))


def _block_spans(lines: list[_Line], token: Token, context: str) -> list[_Span]:
    """Where a paragraph's or heading's content lines lie in the source (after prefixes and markers)."""
    if token.map is None:
        raise _Mismatch("no map")
    parts = token.content.split("\n")
    first = token.map[0]
    spans = []
    for offset, part in enumerate(parts):
        number = first + offset
        if number >= len(lines):
            raise _Mismatch("past the end")
        line = lines[number].text
        piece = part.strip(" \t")
        last = offset == len(parts) - 1
        if context == "heading" and len(parts) == 1:
            stripped = line.rstrip(" \t")
            start = stripped.rfind(piece)
            if start < 0 or not piece or not _ATX_TAIL.fullmatch(line, start + len(piece)):
                raise _Mismatch(line)
            spans.append(_Span(number, start, start + len(piece)))
            continue
        stripped = line.rstrip() if last else line.rstrip(" \t")
        if not piece or not stripped.endswith(piece):
            raise _Mismatch(line)
        start = len(stripped) - len(piece)
        spans.append(_Span(number, start, len(stripped) if last else len(line)))
    return spans


def _cell_spans(lines: list[_Line], cells: list[Token], quoted: bool) -> list[_Span | None]:
    """Where each cell of a table row lies in its source line (None for a cell the row lacks)."""
    if not cells or cells[0].map is None:
        raise _Mismatch("no cells")
    number = cells[0].map[0]
    line = lines[number].text
    start = 0
    while start < len(line) and line[start] in (" \t>" if quoted else " \t"):
        start += 1
    stop = len(line.rstrip(" \t"))
    columns: list[tuple[int, int]] = []
    column = start
    escaped = False
    for pos in range(start, stop):
        if line[pos] == "|" and not escaped:
            columns.append((column, pos))
            column = pos + 1
        escaped = line[pos] == "\\"
    columns.append((column, stop))
    if columns and not line[columns[0][0]:columns[0][1]]:
        columns.pop(0)
    if columns and not line[columns[-1][0]:columns[-1][1]]:
        columns.pop()
    spans: list[_Span | None] = []
    for index, cell in enumerate(cells):
        if index >= len(columns):
            if cell.content:
                raise _Mismatch("missing column")
            spans.append(None)
            continue
        begin, end = columns[index]
        raw = line[begin:end]
        lead = len(raw) - len(raw.lstrip(" \t"))
        text = raw.strip(" \t")
        if text.replace("\\|", "|") != cell.content:
            raise _Mismatch(raw)
        spans.append(_Span(number, begin + lead, begin + lead + len(text)) if text else None)
    return spans


class _Renderer:
    """Builds the Markdown of each block from its unit's English (or its source when unchanged)."""

    def __init__(self, contents: dict[str, _Content], english: dict[str, tuple[TextUnit, UnitTranslation]]):
        self.contents = contents
        self.english = english

    def block(self, block: _Block, lines: list[_Line]) -> str:
        """The new text from the block's first content character to its last, prefixes included."""
        atoms = self.atoms(block.content)
        prefixes = [lines[s.line].text[:s.start] for s in block.spans]
        ending = lines[block.spans[0].line].end or "\n"
        rows = _layout(atoms, block.width, prefixes, block.content.context)
        if len(rows) > len(prefixes) and len(prefixes) == 1:
            rows = [" ".join(rows)]
        if block.pad:  # a table cell padded with spaces: its column's pipes stay where they were if they can
            first = block.spans[0]
            rows[0] = rows[0] + " " * max(1, first.end - first.start + block.pad - len(rows[0]))
        out = []
        for index, row in enumerate(rows):
            if index:
                out.append(ending + (prefixes[index] if index < len(prefixes) else prefixes[-1]))
            out.append(row)
        return "".join(out)

    def rewritten(self, key: str) -> UnitTranslation | None:
        """The unit's English when it differs from its source text (and is not empty), else None."""
        pair = self.english.get(key)
        if pair is None:
            return None
        unit, tr = pair
        if not tr.text.strip() or (tr.text == unit.text and _code_view(tr.codes) == _code_view(unit.codes)):
            return None
        return tr

    def changed(self, key: str) -> bool:
        """Whether a content's English differs from its source text, or any of its slots' does."""
        if self.rewritten(key) is not None:
            return True
        content = self.contents.get(key)
        if content is None:
            return False
        return any(isinstance(p, _Slot) and self.changed(p.key) for t in content.templates.values() for p in t)

    def atoms(self, content: _Content) -> list[tuple[str, str]]:
        """The content as layout atoms: ("word"|"space"|"code"|"break", text)."""
        tr = self.rewritten(content.key)
        if tr is not None:
            return self.english_atoms(content, tr)
        if not self.changed(content.key):
            return _source_atoms(content.source)
        rebuilt = "".join(p if isinstance(p, str) else self.template(content, p) for p in content.pieces)
        return _source_atoms(rebuilt)

    def template(self, content: _Content, code: tuple[int, str], data: str = "") -> str:
        parts = content.templates.get(code, [data])
        return "".join(p if isinstance(p, str) else self.slot(p) for p in parts)

    def slot(self, slot: _Slot) -> str:
        """A sub-unit's Markdown (alt text, link title), escaped for where it stands."""
        content = self.contents[slot.key]
        if not self.changed(slot.key):
            return content.source
        atoms = self.atoms(content)
        return "".join(text if kind != "break" else "\n" for kind, text in atoms)

    def english_atoms(self, content: _Content, tr: UnitTranslation) -> list[tuple[str, str]]:
        text = tr.text.replace("\r", " ").replace("\n", " ")
        codes = _tidy_codes(text, tr.codes)
        starred = _starred(text, codes)
        spaced = _spaced(self.english[content.key][0])
        atoms: list[tuple[str, str]] = []
        previous = 0
        space_next = False
        for code in codes:
            chunk = _escape(text, previous, code.position, content.context, content.table)
            if chunk.endswith("!") and code.data.startswith("["):
                chunk = chunk[:-1] + "\\!"
            atoms += _text_atoms(" " + chunk if space_next and space_after(chunk) else chunk)
            before, space_next = spaced.get((code.id, code.kind), (False, False))
            if before and atoms and atoms[-1][0] == "word" and space_before(atoms[-1][1]):
                atoms.append(("space", " "))
            data = self.template(content, (code.id, code.kind), code.data)
            if code.id in starred:
                data = "*" * len(data)
            for index, line in enumerate(data.split("\n")):
                if index:
                    atoms.append(("break", ""))
                if line:
                    atoms.append(("code", line))
            previous = code.position
        chunk = _escape(text, previous, len(text), content.context, content.table)
        atoms += _text_atoms(" " + chunk if space_next and space_after(chunk) else chunk)
        while atoms and atoms[0][0] == "space":
            atoms.pop(0)
        while atoms and atoms[-1][0] == "space":
            atoms.pop()
        return atoms


def _spaced(unit: TextUnit) -> dict[tuple[int, str], tuple[bool, bool]]:
    """For each code standing between words in the French, whether it had a space before and after: the
    English must keep it apart from the words the same way (`sur <url> et`, not `on<url> and`)."""
    text = unit.text
    out = {}
    for code in unit.codes:
        if "\n" in code.data:
            continue
        before = code.kind != "close" and code.position > 0 and text[code.position - 1].isspace()
        after = code.kind != "open" and code.position < len(text) and text[code.position].isspace()
        out[(code.id, code.kind)] = (before, after)
    return out


def _code_view(codes: list[InlineCode]) -> list[tuple[int, str, str, int]]:
    return [(c.id, c.kind, c.data, c.position) for c in codes]


def _tidy_codes(text: str, codes: list[InlineCode]) -> list[InlineCode]:
    """Codes placed so that Markdown reads them: spaces moved outside emphasis and link text (never past
    another code), and an emphasis open and close with nothing between them dropped (it would print `****`)."""
    placed = list(codes)
    for index, code in enumerate(placed):
        if code.kind == "close":
            limit = placed[index - 1].position if index else 0
            position = code.position
            while position > limit and text[position - 1].isspace():
                position -= 1
            placed[index] = code.at(position)
    for index in range(len(placed) - 1, -1, -1):
        code = placed[index]
        if code.kind == "open":
            limit = placed[index + 1].position if index + 1 < len(placed) else len(text)
            position = code.position
            while position < limit and text[position].isspace():
                position += 1
            placed[index] = code.at(position)
    starts = {c.id: c.position for c in placed if c.kind == "open"}
    ends = {c.id: c.position for c in placed if c.kind == "close"}
    empty = {i for i in starts if ends.get(i) == starts[i]}
    return [c for c in placed if c.id not in empty or c.kind == "isolated" or c.data.strip("*_~")]


def _starred(text: str, codes: list[InlineCode]) -> set[int]:
    """Ids of `_`/`__` emphasis that opens or closes inside an English word, where only `*`/`**` work."""
    starred = set()
    for code in codes:
        if code.data not in ("_", "__") or code.kind == "isolated":
            continue
        neighbour = text[code.position - 1:code.position] if code.kind == "open" else text[code.position:code.position + 1]
        if neighbour.isalnum():
            starred.add(code.id)
    return starred


def _escape(text: str, start: int, end: int, context: str, table: bool) -> str:
    """English plain text made literal Markdown where it stands (inline, table cell, alt text, title)."""
    if context.startswith("title"):
        closing = _CLOSING_QUOTE[context[-1]]
        specials = "\\" + closing + ("(" if closing == ")" else "") + ("|" if table else "")
        return "".join("\\" + c if c in specials else c for c in text[start:end])
    out = []
    for index in range(start, end):
        char = text[index]
        before = text[index - 1] if index > 0 else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in "\\`*[]":
            out.append("\\" + char)
        elif char == "_" and not (before.isalnum() and after.isalnum()):
            out.append("\\_")
        elif char == "~" and (before == "~" or after == "~"):
            out.append("\\~")
        elif char == "<" and (after.isalpha() or after in "/!?"):
            out.append("\\<")
        elif char == "&" and re.match(r"&(#\d+|#[xX][0-9a-fA-F]+|\w+);", text[index:end]):
            out.append("\\&")
        elif char == "|" and table:
            out.append("\\|")
        else:
            out.append(char)
    return "".join(out)


def _text_atoms(text: str) -> list[tuple[str, str]]:
    return [("space" if part.isspace() else "word", part) for part in re.split(r"( +)", text) if part]


def _source_atoms(source: str) -> list[tuple[str, str]]:
    """Source text kept as it is: one atom per line, its line breaks forced."""
    atoms: list[tuple[str, str]] = []
    for index, line in enumerate(source.split("\n")):
        if index:
            atoms.append(("break", ""))
        if line:
            atoms.append(("code", line))
    return atoms


_LINE_START = re.compile(r"#{1,6}(?=[ \t]|$)|[>+-](?=[ \t]|$)|>|\d{1,9}(?=[.)](?:[ \t]|$))|=+[ \t]*$|-+[ \t]*$")


def _layout(atoms: list[tuple[str, str]], width: int, prefixes: list[str], context: str) -> list[str]:
    """Atoms laid out as lines: forced breaks kept, and wrapped at `width` (0: no wrapping); a line that
    starts with English text which would read as Markdown block syntax (`# `, `- `, `1. `, `>`) is escaped."""
    rows: list[list[tuple[str, str]]] = [[]]
    length = len(prefixes[0]) if prefixes else 0
    pending: str | None = None
    for kind, text in atoms:
        if kind == "break":
            rows.append([])
            pending = None
            length = len(prefixes[min(len(rows) - 1, len(prefixes) - 1)])
            continue
        if kind == "space":
            if rows[-1]:
                pending = text
            continue
        if pending is not None:
            if width and length + 1 + len(text) > width and rows[-1]:
                rows.append([])
                length = len(prefixes[min(len(rows) - 1, len(prefixes) - 1)])
            else:
                rows[-1].append(("space", pending if not width else " "))
                length += len(rows[-1][-1][1])
            pending = None
        rows[-1].append((kind, text))
        length += _width(text) if kind == "code" and text.startswith("](") else len(text)
    lines = []
    for index, row in enumerate(rows):
        line = "".join(text for _, text in row)
        if row and row[0][0] == "word" and (index or context == "para"):
            match = _LINE_START.match(line)
            if match:
                cut = match.end() if line[match.start()].isdigit() else match.start()
                line = line[:cut] + "\\" + line[cut:]
        lines.append(line)
    return lines


FORMAT = MarkdownFormat()
