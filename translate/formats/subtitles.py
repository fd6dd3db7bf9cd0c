"""Subtitles (SRT, WebVTT) as structured input: what the SRT and WebVTT formats share.

A subtitle file is kept as raw text pieces (numbers, timing lines with their settings, identifiers,
the WebVTT header, NOTE/STYLE/REGION blocks, blank lines, each with its own line ending) around the
text lines of its cues; only the cue text is rewritten. Consecutive cues that carry one sentence form
one unit, so the engine sees the whole sentence; the writer shares the English out over the same cues
in proportion to the French cue lengths and wraps each cue in at most two lines (`subtitle_layout`).
Markup (`<i>`, `<b>`, `<font …>`, `{\\an8}`, WebVTT `<c.x>`/`<v …>`/timestamps) becomes inline codes;
a speaker dash at the start of a line becomes an isolated code, so that it starts a line again.
A cue holding several speakers ("- Tu viens ?" / "- Non.") gives one unit per speaker's turn: the engine
never reads two speakers as one sentence (and never moves a word across a dash), and each turn's English
goes back on its own line(s), its dash first.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.subtitle_layout import MAX_LINES, SPEAKER_DASH, Gap, choose_cuts, line_breaks, pieces

MAX_GAP_MS = 2000
"""A pause longer than this between two cues ends a unit even without sentence-final punctuation."""
MAX_UNIT_CUES = 6
"""At most this many cues in one unit: unpunctuated subtitles (song lyrics) must not become one sentence."""
MAX_UNIT_CHARS = 400
"""At most about this many characters of French in one unit, for the same reason."""

_NEWLINE = re.compile(r"\r\n|\n|\r")
_FINAL = re.compile(r"(?:[.!?…]|\.\.\.)[\"'”’»)\]]*$|»$")
_ELLIPSIS_START = re.compile(r"^(?:…|\.\.\.)")
_DASH_START = re.compile(r"^([-‐–—])(\s*)(?=[^\s\d-])")
_ENTITY = re.compile(r"&(?:amp|lt|gt|nbsp|lrm|rlm|#\d+|#[xX][0-9a-fA-F]+);")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f"}


@dataclass
class Line:
    """One line of the file without its ending, the ending itself ("" on a last line without one)."""

    text: str
    ending: str
    number: int


def split_lines(text: str) -> list[Line]:
    """The file's lines, each with its own ending, so that mixed or CR endings come back as they were."""
    lines: list[Line] = []
    start = 0
    for m in _NEWLINE.finditer(text):
        lines.append(Line(text[start:m.start()], m.group(), len(lines) + 1))
        start = m.end()
    if start < len(text):
        lines.append(Line(text[start:], "", len(lines) + 1))
    return lines


def raw(lines: list[Line]) -> str:
    """Lines back to the exact text they came from."""
    return "".join(line.text + line.ending for line in lines)


def is_blank(line: Line) -> bool:
    return not line.text.strip()


@dataclass
class Cue:
    """One cue: its timing and its text lines (the only part of the file that is rewritten)."""

    start_ms: int
    end_ms: int
    lines: list[Line]
    timing: str
    """The timing line as written, for messages."""


@dataclass
class Decoded:
    """How the bytes were decoded, to encode the output the same way."""

    text: str
    encoding: str
    bom: bytes


@dataclass
class SubtitleFile:
    """A parsed subtitle file: raw text kept verbatim, and the index of each cue where its text goes."""

    pieces: list[str | int]
    cues: list[Cue]
    decoded: Decoded


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def head_text(head: bytes) -> str:
    """The first bytes of a file as text for sniffing (BOM taken away, a cut character replaced)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, "replace")
    return head.decode("utf-8", "replace")


def decode(data: bytes, path: Path, legacy: bool, warnings: list[str]) -> Decoded:
    """The file's text: UTF-8 or UTF-16 by BOM, UTF-8, else (SRT only, `legacy`) Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding, bom)
            except UnicodeDecodeError as err:
                raise UserError(f"{path}: not valid {encoding.upper()} at byte {err.start + len(bom)}") from err
    try:
        return Decoded(data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError as err:
        if not legacy:
            raise UserError(f"{path}: not valid UTF-8 at byte {err.start} (WebVTT files must be UTF-8)") from err
    warnings.append(f"{path}: not UTF-8; read as Windows-1252 and written back so "
                    "(as UTF-8 with a BOM if the English needs a character Windows-1252 lacks)")
    return Decoded(data.decode("cp1252", "replace"), "cp1252", b"")


def encode(text: str, decoded: Decoded) -> bytes:
    """The output in the input's encoding and BOM (Windows-1252 that cannot hold it: UTF-8 with a BOM)."""
    try:
        return decoded.bom + text.encode(decoded.encoding)
    except UnicodeEncodeError:
        return codecs.BOM_UTF8 + text.encode("utf-8")


@dataclass(frozen=True)
class Dialect:
    """What markup a subtitle format has inside cue text."""

    tag: re.Pattern[str]
    entities: bool
    """WebVTT escapes & < > as entities in cue text; SRT has no escaping."""

    def unescape(self, text: str) -> str:
        if not self.entities:
            return text
        return _ENTITY.sub(lambda m: _ENTITIES.get(m.group()) or _numeric(m.group()), text)

    def escape(self, text: str) -> str:
        if not self.entities:
            return text
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numeric(entity: str) -> str:
    digits = entity[2:-1]
    value = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    return chr(value) if 0 < value < 0x110000 else entity


SRT_DIALECT = Dialect(re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|\{\\[^{}]*\}"), entities=False)
VTT_DIALECT = Dialect(re.compile(r"<[^<>\r\n]*>|\{\\[^{}]*\}"), entities=True)
"""WebVTT tags; an SRT placement (`{\\an8}`) left by a converter is kept as markup too, never translated."""


@dataclass
class Token:
    """A piece of cue text: "text", a tag ("open", "close", "isolated"), "dash", a line or cue join."""

    kind: str
    data: str
    name: str = ""


def _tag(data: str) -> Token:
    if data.startswith("{"):
        return Token("isolated", data)
    m = re.match(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)", data)
    if not m or data.rstrip(">").rstrip().endswith("/"):
        return Token("isolated", data)
    return Token("close" if m.group(1) else "open", data, m.group(2).lower())


def _line_tokens(text: str, dialect: Dialect) -> list[Token]:
    tokens: list[Token] = []
    start = 0
    for m in dialect.tag.finditer(text):
        if m.start() > start:
            tokens.append(Token("text", dialect.unescape(text[start:m.start()])))
        tokens.append(_tag(m.group()))
        start = m.end()
    if start < len(text):
        tokens.append(Token("text", dialect.unescape(text[start:])))
    for i, token in enumerate(tokens):
        if token.kind == "text" and token.data.strip():
            if not any(t.kind == "text" and t.data.strip() for t in tokens[:i]):
                stripped = token.data.lstrip()
                dash = _DASH_START.match(stripped)
                if dash:
                    tokens[i:i + 1] = [Token("isolated", dash.group(), "dash"), Token("text", stripped[dash.end():])]
            break
    return tokens


@dataclass
class CueText:
    """A cue's text taken apart: markup kept before it (`{\\an8}`, an unclosed `<v …>`), its lines' tokens."""

    prefix: str
    lines: list[list[Token]]
    place: str | None = None
    """For a later speaker turn of a cue (see `split_turns`): the cue's prefix, which the first turn writes."""

    @property
    def placement(self) -> str:
        """The cue's placement and voice markup, which a sentence going on over cues keeps."""
        return (self.prefix if self.place is None else self.place).strip()

    @property
    def visible(self) -> str:
        return " ".join(v for v in (
            "".join(t.data for t in line if t.kind == "text").strip() for line in self.lines) if v)


def cue_text(cue: Cue, dialect: Dialect) -> CueText:
    """Tokens of a cue's lines; leading cue-wide markup (placement, an unclosed voice) set apart as prefix."""
    lines = [_line_tokens(line.text.strip(), dialect) for line in cue.lines]
    prefix = ""
    if lines and lines[0]:
        first = lines[0]
        closes = {t.name for line in lines for t in line if t.kind == "close"}
        while first and ((first[0].kind != "text" and first[0].data.startswith("{\\"))
                         or (first[0].kind == "open" and first[0].name == "v" and "v" not in closes)):
            prefix += first.pop(0).data
        if first and first[0].kind == "text" and not first[0].data.strip():
            prefix += first.pop(0).data
    return CueText(prefix, lines)


def _starts_turn(line: list[Token]) -> bool:
    """A line that starts with a speaker dash (after at most two tags: `<i>`, `<font …>`)."""
    return any(t.name == "dash" for t in line[:3])


def split_turns(text: CueText) -> list[CueText]:
    """A cue's text cut before each line after the first that starts with a speaker dash; a line without
    a dash stays with the turn above it. The cue whole when a part would hold no text."""
    starts = [m for m, line in enumerate(text.lines) if m and _starts_turn(line)]
    if not starts:
        return [text]
    bounds = list(zip([0] + starts, starts + [len(text.lines)]))
    parts = [CueText(text.prefix, text.lines[a:b]) if k == 0 else CueText("", text.lines[a:b], text.prefix)
             for k, (a, b) in enumerate(bounds)]
    return parts if all(part.visible for part in parts) else [text]


@dataclass
class UnitLayout:
    """What the writer needs to put a unit's English back over its cues."""

    cues: list[int]
    prefixes: list[str]
    spans: list[tuple[int, int]]
    """Each cue's [start, end) in the unit's French text."""
    breaks: list[list[int]]
    """Each cue's line breaks: offsets, in its French text, of the spaces that joined its lines."""
    edges: list[set[int]]
    """Ids of the codes standing at each boundary between cue k and k+1 in the French."""
    pairs: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Open and close markup of each code pair, to close and reopen a span at a cue boundary."""
    lines: list[int] = field(default_factory=list)
    """The most lines each cue's English may take (a speaker turn sharing its cue: as many as in French)."""


def _ends_sentence(visible: str) -> bool:
    return bool(_FINAL.search(visible.rstrip()))


def group_cues(cues: list[Cue], texts: list[CueText]) -> list[list[int]]:
    """Consecutive cues carrying one sentence, in order; cues without text belong to no group."""
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i, cue in enumerate(cues):
        visible = texts[i].visible
        if not visible:
            if current:
                groups.append(current)
            current, size = [], 0
            continue
        if current:
            last = current[-1]
            gap = cue.start_ms - cues[last].end_ms
            previous = texts[last].visible
            starts_turn = bool(texts[i].lines and _starts_turn(texts[i].lines[0]))
            continued = _ELLIPSIS_START.match(visible) and re.search(r"(?:…|\.\.\.)$", previous)
            moved = texts[i].placement != texts[last].placement  # another place or voice
            if ((_ends_sentence(previous) and not continued) or gap > MAX_GAP_MS or cue.start_ms < cues[last].start_ms
                    or gap < -500 or starts_turn or moved or len(current) >= MAX_UNIT_CUES
                    or size + len(visible) > MAX_UNIT_CHARS):
                groups.append(current)
                current, size = [], 0
        current.append(i)
        size += len(visible) + 1
    if current:
        groups.append(current)
    return groups


def _pair(tokens: list[Token]) -> dict[int, int]:
    """Index of each close token -> index of the open it closes (same tag name, innermost first)."""
    stacks: dict[str, list[int]] = {}
    closes: dict[int, int] = {}
    for i, token in enumerate(tokens):
        if token.kind == "open":
            stacks.setdefault(token.name, []).append(i)
        elif token.kind == "close" and stacks.get(token.name):
            closes[i] = stacks[token.name].pop()
    return closes


def _merge_across_cues(tokens: list[Token]) -> list[Token]:
    """`</i>` ending a cue (or a line) and the same `<i>` starting the next one are one span of the sentence:
    the engine gets one pair of codes instead of two, and the writer balances the span in each cue again."""
    while True:
        closes = _pair(tokens)
        merged = False
        for b, token in enumerate(tokens):
            if token.kind not in ("cue", "line"):
                continue
            c = b - 1
            o = b + 1
            if c >= 0 and o < len(tokens) and tokens[c].kind == "close" and tokens[o].kind == "open" \
                    and c in closes and tokens[closes[c]].data == tokens[o].data:
                del tokens[o]
                del tokens[c]
                merged = True
                break
        if not merged:
            return tokens


def build_unit(key: str, group: list[int], cues: list[Cue], texts: list[CueText]) -> tuple[TextUnit, UnitLayout]:
    """One unit from a group of cues: lines and cues joined by spaces, markup and dashes as codes."""
    tokens: list[Token] = []
    for n, i in enumerate(group):
        if n:
            tokens.append(Token("cue", ""))
        for m, line in enumerate(texts[i].lines):
            if m:
                tokens.append(Token("line", ""))
            tokens.extend(Token(t.kind, t.data, t.name) for t in line)
    tokens = _merge_across_cues(tokens)
    closes = _pair(tokens)
    opened = set(closes.values())
    text = ""
    codes: list[InlineCode] = []
    ids: dict[int, int] = {}
    layout = UnitLayout(list(group), [texts[i].prefix for i in group], [], [], [])
    cue_start, breaks, pending, started = 0, [], "", True
    for index, token in enumerate(tokens):
        if token.kind == "line":
            pending = pending or "line"
            continue
        if token.kind == "cue":
            layout.spans.append((cue_start, len(text.rstrip())))
            layout.breaks.append(breaks)
            cue_start, breaks, pending, started = 0, [], "cue", False
            continue
        data = token.data
        if token.kind == "text":
            if not text or text.endswith(" ") or pending:
                data = data.lstrip()
            if not data:
                continue
        if token.kind != "close":
            if pending and text:
                if not text.endswith(" "):
                    text += " "
                if pending == "line" and started:
                    breaks.append(len(text) - 1 - cue_start)
            pending = ""
            if not started:
                cue_start, started = len(text), True
        if token.kind == "text":
            text += data
            continue
        if token.kind == "close" and index in closes:
            code_id, kind = ids[closes[index]], "close"
        else:
            code_id = len({v for v in ids.values()}) + 1
            kind = token.kind if (token.kind == "isolated" or index in opened) else "isolated"
        ids[index] = code_id
        codes.append(InlineCode(code_id, kind, data, len(text)))
        if kind == "open":
            close_index = next(c for c, o in closes.items() if o == index)
            layout.pairs[code_id] = (data, tokens[close_index].data)
    layout.spans.append((cue_start, len(text.rstrip())))
    layout.breaks.append(breaks)
    text = text.rstrip()
    codes = [c.at(min(c.position, len(text))) for c in codes]
    layout.edges = [_edge_ids(codes, layout.spans[k][1], layout.spans[k + 1][0]) for k in range(len(group) - 1)]
    cue = cues[group[0]]
    return TextUnit(key, text, codes, note=f"cue at {cue.timing.strip()}"), layout


def _edge_ids(codes: list[InlineCode], end: int, start: int) -> set[int]:
    """Codes at a French cue boundary: closing the cue before it or opening the one after it."""
    return {c.id for c in codes
            if (c.kind == "close" and c.position == end) or (c.kind != "close" and c.position == start)}


def parsed_file(sub: SubtitleFile, dialect: Dialect, warnings: list[str]) -> ParsedFile:
    """The units of a parsed subtitle file, its layout kept as the writer's state.

    Units are made of parts of cues: a whole cue, or one speaker's turn of a cue (`split_turns`)."""
    owners: list[int] = []
    texts: list[CueText] = []
    for index, cue in enumerate(sub.cues):
        for part in split_turns(cue_text(cue, dialect)):
            owners.append(index)
            texts.append(part)
    cues = [sub.cues[owner] for owner in owners]
    units: list[TextUnit] = []
    layouts: list[UnitLayout] = []
    for group in group_cues(cues, texts):
        first, last = owners[group[0]], owners[group[-1]]
        key = f"cues {first + 1}-{last + 1}"
        if owners.count(first) > 1:
            key += f" turn {group[0] - owners.index(first) + 1}"
        unit, layout = build_unit(key, group, cues, texts)
        layout.lines = [len(texts[p].lines) if owners.count(owners[p]) > 1 else MAX_LINES for p in group]
        units.append(unit)
        layouts.append(layout)
    return ParsedFile(units, SubtitleState(sub, dialect, layouts, owners), warnings)


@dataclass
class SubtitleState:
    """The reader's state for the writer: the file, its markup dialect, each unit's layout."""

    file: SubtitleFile
    dialect: Dialect
    layouts: list[UnitLayout]
    owners: list[int]
    """The cue each part of a unit layout belongs to (`UnitLayout.cues` index parts of cues)."""


def _render_line(text: str, codes: list[InlineCode], dialect: Dialect) -> str:
    out: list[str] = []
    start = 0
    for code in sorted(codes, key=lambda c: c.position):
        out.append(dialect.escape(text[start:code.position]))
        out.append(code.data)
        start = code.position
    out.append(dialect.escape(text[start:]))
    return "".join(out)


def _french_breaks(text: str, french: str, breaks: list[int]) -> list[Gap] | None:
    """The French cue's own line breaks when the English of the cue is the French text unchanged."""
    if text != french:
        return None
    return [Gap(b, b + 1) for b in breaks if 0 < b < len(text) and text[b] == " "]


def _dash_at_word_start(text: str, code: InlineCode, first: bool) -> InlineCode:
    """A speaker dash starts a line: one that started the French (`first`, as each speaker's turn is a unit
    of its own) starts the English; another one left at the end of a sentence (where a sentence split may
    put a code standing between two sentences) moves to the start of the next, one inside a word to its start."""
    if code.kind != "isolated" or not SPEAKER_DASH.match(code.data):
        return code
    if first:
        return code.at(0)
    position = min(code.position, len(text))
    if _FINAL.search(text[:position].rstrip()) and text[position:].strip():
        while text[position].isspace():
            position += 1
        return code.at(position)
    while 0 < position and not text[position - 1].isspace():
        position -= 1
    return code.at(position)


def render_unit(unit: TextUnit, layout: UnitLayout, translation: UnitTranslation,
                dialect: Dialect) -> list[list[str]]:
    """The text lines of each cue of a unit, its English shared out over them and wrapped."""
    english = re.sub(r"[\r\n\t\f\v\u2028\u2029\x85]", " ", translation.text)  # a line break would end the cue
    first = {c.id for c in unit.codes if c.position == 0}
    codes = sorted((_dash_at_word_start(english, c, c.id in first) for c in translation.codes),
                   key=lambda c: c.position)
    n = len(layout.cues)
    frenches = [unit.text[a:b] for a, b in layout.spans]
    if english == unit.text:
        cuts = [Gap(layout.spans[k][1], layout.spans[k + 1][0]) for k in range(n - 1)]
    else:
        preferred = [{c.position for c in codes if c.id in edge} for edge in layout.edges]
        cuts = choose_cuts(english, [float(max(len(f), 1)) for f in frenches], preferred)
    parts = pieces(english, codes, cuts)
    while len(parts) < n:
        parts.append(("", []))
    result: list[list[str]] = []
    still_open: list[int] = []
    for k, (text, part_codes) in enumerate(parts):
        reopened = list(still_open)
        for code in part_codes:
            if code.kind == "open":
                still_open.append(code.id)
            elif code.kind == "close" and code.id in still_open:
                still_open.remove(code.id)
        if not text.strip():
            kept = [c.data for c in part_codes if c.kind == "isolated" and not SPEAKER_DASH.match(c.data)]
            result.append([layout.prefixes[k] + "".join(kept)] if kept or layout.prefixes[k] else [])
            continue
        gaps = _french_breaks(text, frenches[k], layout.breaks[k])
        if gaps is None:
            gaps = line_breaks(text, part_codes, max_lines=layout.lines[k] if layout.lines else MAX_LINES)
        lines = pieces(text, part_codes, gaps)
        rendered = [_render_line(t, c, dialect) for t, c in lines]
        rendered[0] = layout.prefixes[k] + "".join(layout.pairs[i][0] for i in reopened) + rendered[0]
        rendered[-1] += "".join(layout.pairs[i][1] for i in reversed(still_open))
        result.append(rendered)
    return result


def write_file(parsed: ParsedFile, translations: list[UnitTranslation], head: str | None = None) -> bytes:
    """The subtitle file with each unit's cues holding its English, everything else as it was (`head`
    replaces the raw text before the first cue: a WebVTT header with its language switched)."""
    state: SubtitleState = parsed.state
    sub = state.file
    replaced: dict[int, list[str]] = {}
    for unit, layout, translation in zip(parsed.units, state.layouts, translations):
        for part, lines in zip(layout.cues, render_unit(unit, layout, translation, state.dialect)):
            replaced.setdefault(state.owners[part], []).extend(lines)  # a cue's turns come in order
    out: list[str] = []
    for n, piece in enumerate(sub.pieces):
        if isinstance(piece, str):
            out.append(head if n == 0 and head is not None else piece)
            continue
        cue = sub.cues[piece]
        if piece not in replaced or not cue.lines:
            out.append(raw(cue.lines))
            continue
        newline = cue.lines[0].ending or "\n"
        lines = replaced[piece]
        out.append("".join(line + (newline if i < len(lines) - 1 else cue.lines[-1].ending)
                           for i, line in enumerate(lines)))
    return encode("".join(out), sub.decoded)


def misnamed(path: Path, real: str, named: str, suffix: str) -> str:
    """The warning for a subtitle file that holds the other subtitle format than its name says."""
    return (f"{path} holds {real}, not {named} as its name says: read as {real}, and the English file is "
            f"{real} too; rename it to {path.with_suffix(suffix).name}")


def timestamp_ms(hours: str | None, minutes: str, seconds: str, fraction: str) -> int:
    """Milliseconds of a timestamp's parts ("5" as a fraction is 500 ms)."""
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int((fraction + "00")[:3])
