"""HTML and XHTML pages as a structured input format: the text of block elements and a few attributes
is translated, everything else is kept byte for byte.

The page is never re-serialised. A small tokenizer finds every tag, text run, comment and declaration
with its offsets in the decoded source; each translatable stretch (the text of a block, with its
inline elements taken out as `InlineCode`s) becomes a unit, and the writer splices the English back
into the original text, so the doctype, comments, entities, attribute quoting, whitespace between
elements and the encoding declaration come out exactly as they came in. lxml checks that an XHTML
page is well-formed XML before it is read as such.
"""

from __future__ import annotations

import bisect
import codecs
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.codespace import space_after, space_before
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation

INLINE = frozenset(
    "a abbr acronym b bdi bdo big br cite data del dfn em font i img input ins label mark nobr q s small "
    "span strike strong sub sup time u wbr".split()
)
"""Elements that sit inside a sentence: they become inline codes and do not end a unit."""
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
"""Elements without content or end tag in HTML: isolated codes when inline."""
KEEP_INLINE = frozenset("code kbd samp var tt math svg".split())
"""Elements kept verbatim, with all they hold, as one isolated code inside a sentence."""
KEEP_BLOCK = frozenset("script style pre textarea iframe object video audio canvas template".split())
"""Elements kept verbatim, with all they hold, between units."""
RAW_TEXT = frozenset("script style xmp iframe noembed noframes textarea title plaintext".split())
"""Elements whose content is text up to their end tag (no tags inside)."""
TEXT_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label"})
"""Attributes whose value is text for people, translated as their own unit."""
META_TEXT = frozenset(
    {"description", "og:title", "og:description", "og:image:alt", "twitter:title", "twitter:description",
     "twitter:image:alt"}
)
"""`<meta name|property=…>` whose `content` is translated."""
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
"""`<input type=…>` whose `value` is the label people read."""

_SPACE = re.compile(r"[ \t\n\r\f]+")
_LEAD = re.compile(r"[ \t\n\r\f]*")
_TRAIL = re.compile(r"[ \t\n\r\f]*\Z")
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_ATTR_NAME = re.compile(r"[^\s/>][^\s/>=]*")
_UNQUOTED = re.compile(r"[^\s>]*")
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_WHATWG_1252 = frozenset({"ascii", "iso8859-1", "latin-1"})
"""Labels that browsers read as windows-1252 in an HTML (not XML) page."""


@dataclass
class _Attr:
    """One attribute of a start tag, with where its raw value lies in the source."""

    name: str
    value: str
    """Decoded value ('' when the attribute has none)."""
    start: int
    """Offset of the raw value (inside the quotes); where the value would go when it has none."""
    end: int
    quote: str
    """'"', "'" or '' (unquoted or no value)."""


@dataclass
class _Token:
    """One piece of the source: a start or end tag, text, raw element content, comment, declaration."""

    kind: str
    """"start", "end", "text", "raw", "comment", "decl", "pi" or "cdata"."""
    start: int
    end: int
    name: str = ""
    attrs: list[_Attr] = field(default_factory=list)
    self_closing: bool = False


@dataclass
class _Piece:
    """One item of a unit's stretch: text, or markup that becomes a code (its source span)."""

    kind: str
    """"text", "open", "close" or "isolated"."""
    start: int
    end: int
    name: str = ""


@dataclass
class _Markup:
    """The source markup of one code and the space around it in the French."""

    kind: str
    start: int
    end: int
    order: int
    """Its rank among the unit's codes in the source."""
    space_before: bool
    space_after: bool


@dataclass
class _Block:
    """Where a text unit lies and how to rebuild it: its raw edges and its code markup by id."""

    start: int
    end: int
    """The rewritten stretch (leading and trailing whitespace of the block left outside)."""
    markup: dict[int, _Markup]
    """Code key (id × 2, + 1 for a close) → the markup it stands for."""
    spelling: dict[str, str]
    """Characters the French wrote as references (`&nbsp;`, `&eacute;`), to write the English alike."""


@dataclass
class _AttrUnit:
    """Where an attribute unit's value lies."""

    attr: _Attr


@dataclass
class _Page:
    """What the writer needs: the decoded source, how to encode it, where each unit goes."""

    text: str
    codec: str
    """How the page was decoded: its unchanged parts are encoded back with it, byte for byte."""
    new_codec: str
    """How new text is encoded (characters it lacks become `&#N;`): the declared charset taken literally,
    so that browsers and XML readers agree on every new byte."""
    bom: bytes
    xml: bool
    places: list[_Block | _AttrUnit]
    lang_spans: list[tuple[_Attr, str]]
    """Language attributes to switch to the target locale, with how ("lang" or "og")."""


def _decode_refs(raw: str, spelling: dict[str, str] | None = None) -> str:
    """Text with its character references decoded; records how each decoded character was written."""

    def one(m: re.Match[str]) -> str:
        char = html.unescape(m.group(0))
        if spelling is not None and len(char) == 1 and char != m.group(0):
            spelling.setdefault(char, m.group(0))
        return char

    return _REFERENCE.sub(one, raw) if "&" in raw else raw


def _parse_start(text: str, i: int) -> _Token:
    """The start tag at `i` (text[i] == '<', a letter follows) with its attributes."""
    m = _TAG_NAME.match(text, i + 1)
    assert m is not None
    token = _Token("start", i, len(text), m.group(0).lower())
    n, j = len(text), m.end()
    while j < n:
        while j < n and text[j] in " \t\n\r\f":
            j += 1
        if j >= n:
            break
        if text[j] == ">":
            token.end = j + 1
            return token
        if text.startswith("/>", j):
            token.end, token.self_closing = j + 2, True
            return token
        if text[j] == "/":
            j += 1
            continue
        am = _ATTR_NAME.match(text, j)
        assert am is not None
        name, j = am.group(0).lower(), am.end()
        k = j
        while k < n and text[k] in " \t\n\r\f":
            k += 1
        if k < n and text[k] == "=":
            k += 1
            while k < n and text[k] in " \t\n\r\f":
                k += 1
            if k < n and text[k] in "\"'":
                quote = text[k]
                close = text.find(quote, k + 1)
                close = n if close < 0 else close
                token.attrs.append(_Attr(name, _decode_refs(text[k + 1:close]), k + 1, close, quote))
                j = close + 1
            else:
                vm = _UNQUOTED.match(text, k)
                assert vm is not None
                token.attrs.append(_Attr(name, _decode_refs(vm.group(0)), k, vm.end(), ""))
                j = vm.end()
        else:
            token.attrs.append(_Attr(name, "", j, j, ""))
    return token


def tokenize(text: str, xml: bool = False) -> list[_Token]:
    """Every piece of an HTML/XHTML source in order, with offsets; the pieces cover the text exactly."""
    tokens: list[_Token] = []
    n, i, text_start = len(text), 0, 0

    def text_until(end: int) -> None:
        if end > text_start:
            tokens.append(_Token("text", text_start, end))

    while True:
        i = text.find("<", i)
        if i < 0 or i + 1 >= n:
            break
        nxt = text[i + 1]
        if text.startswith("<!--", i):
            close = text.find("-->", i + 4)
            token = _Token("comment", i, n if close < 0 else close + 3)
        elif text.startswith("<![CDATA[", i):
            close = text.find("]]>", i + 9)
            token = _Token("cdata", i, n if close < 0 else close + 3)
        elif nxt == "!":
            close = text.find(">", i)
            token = _Token("decl", i, n if close < 0 else close + 1)
        elif nxt == "?":
            close = text.find("?>" if xml else ">", i)
            token = _Token("pi", i, n if close < 0 else close + (2 if xml else 1))
        elif nxt == "/" and i + 2 < n and text[i + 2].isalpha():
            m = _TAG_NAME.match(text, i + 2)
            assert m is not None
            close = text.find(">", m.end())
            token = _Token("end", i, n if close < 0 else close + 1, m.group(0).lower())
        elif nxt.isalpha():
            token = _parse_start(text, i)
        else:
            i += 1
            continue
        text_until(i)
        tokens.append(token)
        i = text_start = token.end
        if token.kind == "start" and token.name in RAW_TEXT and not token.self_closing:
            end = re.compile(r"</%s[\s/>]" % re.escape(token.name), re.IGNORECASE).search(text, i)
            stop = n if end is None else end.start()
            if stop > i:
                tokens.append(_Token("text" if token.name == "title" else "raw", i, stop, token.name))
            i = text_start = stop
    text_until(n)
    return tokens


def _keeps(token: _Token) -> bool:
    """Whether this start tag opens an element kept verbatim with all it holds."""
    if token.name in KEEP_INLINE or token.name in KEEP_BLOCK:
        return True
    for a in token.attrs:
        if a.name == "translate" and a.value.strip().lower() == "no":
            return True
        if a.name == "class" and "notranslate" in a.value.split():
            return True
    return False


def _extent(tokens: list[_Token], k: int, open_names: list[str]) -> int:
    """Index of the last token of the element started at `k` (its end tag, or what precedes the end
    of an enclosing element when its own end tag is missing)."""
    start = tokens[k]
    if start.self_closing or start.name in VOID:
        return k
    inside: list[str] = [start.name]
    for j in range(k + 1, len(tokens)):
        t = tokens[j]
        if t.kind == "start" and not t.self_closing and t.name not in VOID:
            inside.append(t.name)
        elif t.kind == "end":
            if t.name in inside:
                del inside[len(inside) - 1 - inside[::-1].index(t.name):]
                if not inside:
                    return j
            elif t.name in open_names:
                return j - 1
    return len(tokens) - 1


def _lang_kind(token: _Token, a: _Attr) -> str | None:
    """Whether this attribute names French as the content's language, and how to switch it."""
    value = a.value.strip().lower()
    if a.name in ("lang", "xml:lang") and (value == "fr" or value[:3] in ("fr-", "fr_")):
        return "lang"
    if token.name != "meta" or a.name != "content":
        return None
    attrs = {b.name: b.value.strip().lower() for b in token.attrs}
    if attrs.get("http-equiv") == "content-language" and value[:2] == "fr":
        return "lang"
    if attrs.get("property") == "og:locale" and value[:2] == "fr":
        return "og"
    return None


def _has_words(text: str) -> bool:
    """Whether a text holds anything to translate (a letter or a digit)."""
    return any(c.isalnum() for c in text)


class _Reader:
    """Walks the tokens once, gathering units: block text with inline codes, attributes, language marks."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.units: list[TextUnit] = []
        self.places: list[_Block | _AttrUnit] = []
        self.lang_spans: list[tuple[_Attr, str]] = []
        self.run: list[_Piece] = []
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        """The 1-based line of an offset, for notes."""
        return bisect.bisect_left(self.newlines, offset) + 1

    def read(self) -> None:
        open_names: list[str] = []
        tokens, k = self.tokens, 0
        while k < len(tokens):
            t = tokens[k]
            if t.kind == "text":
                self.run.append(_Piece("text", t.start, t.end))
            elif t.kind == "comment":
                self.run.append(_Piece("isolated", t.start, t.end))
            elif t.kind == "start":
                if _keeps(t):
                    last = _extent(tokens, k, open_names)
                    if t.name in INLINE or t.name in KEEP_INLINE:
                        self.run.append(_Piece("isolated", t.start, tokens[last].end, t.name))
                    else:
                        self.flush()
                    k = last + 1
                    continue
                self.attributes(t)
                empty = t.self_closing or t.name in VOID
                if not empty:
                    open_names.append(t.name)
                if t.name in INLINE:
                    self.run.append(_Piece("isolated" if empty else "open", t.start, t.end, t.name))
                else:
                    self.flush()
            elif t.kind == "end":
                if t.name in open_names:
                    del open_names[len(open_names) - 1 - open_names[::-1].index(t.name):]
                if t.name in INLINE:
                    self.run.append(_Piece("close", t.start, t.end, t.name))
                else:
                    self.flush()
            else:
                self.flush()
            k += 1
        self.flush()

    def attributes(self, t: _Token) -> None:
        """Units for the text attributes of a start tag, and the language marks to switch."""
        names = {a.name: a.value.strip().lower() for a in t.attrs}
        for a in t.attrs:
            kind = _lang_kind(t, a)
            if kind:
                self.lang_spans.append((a, kind))
                continue
            wanted = a.name in TEXT_ATTRIBUTES
            if t.name == "meta" and a.name == "content":
                wanted = names.get("name") in META_TEXT or names.get("property") in META_TEXT
            if t.name == "input" and a.name == "value":
                wanted = names.get("type") in BUTTON_INPUTS
            text = _SPACE.sub(" ", a.value).strip()
            if wanted and _has_words(text):
                note = f"{a.name} of <{t.name}>, line {self.line(a.start)}"
                self.units.append(TextUnit(f"attr:{a.start}", text, note=note))
                self.places.append(_AttrUnit(a))

    def flush(self) -> None:
        """Make a unit of the inline stretch gathered since the last block boundary, if it has words."""
        run, self.run = self.run, []
        texts = [p for p in run if p.kind == "text"]
        if not any(_has_words(self.text[p.start:p.end]) for p in texts):
            return
        start, end = run[0].start, run[-1].end
        if run[0].kind == "text":
            start += _LEAD.match(self.text, start, end).end() - start  # type: ignore[union-attr]
        if run[-1].kind == "text":
            end = max(start, _TRAIL.search(self.text, start, end).start())  # type: ignore[union-attr]
        pieces = [p for p in run if p.end > start and p.start < end]
        ids, kinds = self.pair(pieces)
        spelling: dict[str, str] = {}
        out: list[str] = []
        length = 0
        codes: list[InlineCode] = []
        markup: dict[int, _Markup] = {}
        spaced = False  # the text so far ends with a space and only tags (no content) follow it
        broken = False  # a <br> stands between two words with no space: the engine needs one
        for n, p in enumerate(pieces):
            if p.kind == "text":
                piece = _SPACE.sub(" ", _decode_refs(self.text[max(p.start, start):min(p.end, end)], spelling))
                if piece.startswith(" ") and spaced:
                    piece = piece[1:]
                if broken and piece and not piece.startswith(" "):
                    piece = " " + piece
                broken = False
                if piece:
                    out.append(piece)
                    length += len(piece)
                    spaced = piece.endswith(" ")
                continue
            code_id, kind = ids[n], kinds[n]
            if kind == "isolated":
                spaced = False
                broken = p.name == "br" and bool(out) and not out[-1].endswith(" ")
            codes.append(InlineCode(code_id, kind, self.text[p.start:p.end], length))
            markup[code_id * 2 + (kind == "close")] = _Markup(kind, p.start, p.end, len(markup),
                                                              self.spaced(p.start, -1), self.spaced(p.end, 1))
        unit_text = "".join(out)
        note = f"line {self.line(start)}"
        self.units.append(TextUnit(f"text:{start}", unit_text, codes, note=note))
        self.places.append(_Block(start, end, markup, spelling))

    def spaced(self, at: int, step: int) -> bool:
        """Whether whitespace stands before (step -1) or after (step 1) an offset, across adjacent tags."""
        text = self.text
        i = at - 1 if step < 0 else at
        while 0 <= i < len(text):
            c = text[i]
            if c in " \t\n\r\f":
                return True
            if step < 0 and c == ">":
                i = text.rfind("<", 0, i)
                if i <= 0:
                    return False
                i -= 1
            elif step > 0 and c == "<":
                j = text.find(">", i)
                if j < 0:
                    return False
                i = j + 1
            else:
                return False
        return False

    @staticmethod
    def pair(pieces: list[_Piece]) -> tuple[dict[int, int], dict[int, str]]:
        """Code ids and kinds for the markup pieces: an open and its close share an id; an open or a
        close without its partner in the unit stands alone."""
        partner: dict[int, int] = {}
        stack: list[int] = []
        for n, p in enumerate(pieces):
            if p.kind == "open":
                stack.append(n)
            elif p.kind == "close":
                for s in range(len(stack) - 1, -1, -1):
                    if pieces[stack[s]].name == p.name:
                        partner[stack[s]], partner[n] = n, stack[s]
                        del stack[s]
                        break
        ids: dict[int, int] = {}
        kinds: dict[int, str] = {}
        next_id = 0
        for n, p in enumerate(pieces):
            if p.kind == "text":
                continue
            if p.kind in ("open", "close") and n in partner:
                if p.kind == "close":
                    ids[n], kinds[n] = ids[partner[n]], "close"
                    continue
                kinds[n] = "open"
            else:
                kinds[n] = "isolated"
            next_id += 1
            ids[n] = next_id
        return ids, kinds


def _codecs_for(label: str, xml: bool, path: Path) -> tuple[str, str]:
    """The Python codecs to read a page declaring this charset (windows-1252 for latin-1 labels in HTML,
    as browsers do) and to write new text into it (the label taken literally)."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        raise UserError(f"{path}: unknown character set {label!r} declared in the page") from None
    if not xml and name in _WHATWG_1252:
        return "cp1252", name
    return name, name


def _ascii_head(data: bytes, size: int) -> bytes:
    """The first `size` characters of a page as bytes to sniff: after a BOM, decoded by it (each other
    character a '?'); else the raw bytes. Only the head is decoded, however long the page."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            head = data[len(mark):len(mark) + 4 * size]  # at least `size` characters in any of the BOM encodings
            return head.decode(name, "replace").encode("ascii", "replace")[:size]
    return data[:size]


def _xml_like(data: bytes, path: Path) -> bool:
    """Whether the page is XHTML served as XML: an XML declaration, an XHTML doctype or an .xhtml name."""
    head = _ascii_head(data, 4096).lstrip().lower()
    if head.startswith(b"<?xml") or path.suffix.lower() in (".xhtml", ".xht"):
        return True
    doctype = re.search(rb"<!doctype[^>]*>", head)
    return bool(doctype and b"xhtml" in doctype.group(0))


def _well_formed(data: bytes) -> str | None:
    """lxml's complaint when the page is not well-formed XML, None when it is."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        return str(err)
    return None


def _decode(data: bytes, xml: bool, path: Path, warnings: list[str]) -> tuple[str, str, str, bytes]:
    """The page's text, the codecs to write its old and its new text with, and its byte-order mark."""
    bom = b""
    codec = new_codec = ""
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, codec, new_codec = mark, name, name
            break
    body = data[len(bom):]
    if not codec:
        head = body[:65536]
        m = _XML_DECL.match(head) or _META_CHARSET.search(head)
        if m:
            codec, new_codec = _codecs_for(m.group(1).decode("ascii"), xml, path)
    if not codec:
        try:
            return body.decode("utf-8"), "utf-8", "utf-8", bom
        except UnicodeDecodeError:
            if xml:
                raise UserError(f"{path}: not valid UTF-8 and no character set declared") from None
            warnings.append(f"{path}: no character set declared and not UTF-8; read as windows-1252")
            codec, new_codec = "cp1252", "ascii"
    try:
        return body.decode(codec), codec, new_codec, bom
    except UnicodeDecodeError as err:
        raise UserError(f"{path}: byte {err.start + len(bom)} is not valid {codec}, the page's character set") from None


def _escape(text: str, spelling: dict[str, str], quote: str = "") -> str:
    """English text for element content (or an attribute quoted with `quote`): markup characters
    escaped, non-ASCII characters the French wrote as references (`&nbsp;`) written the same way."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote == '"':
        text = text.replace('"', "&quot;")
    elif quote == "'":
        text = text.replace("'", "&#39;")
    if spelling:
        text = "".join(spelling.get(c, c) if c > "\x7f" else c for c in text)
    return text


def _unchanged(unit: TextUnit, tr: UnitTranslation) -> bool:
    """Whether the English is the French as it was read, codes in the same places (then the source
    bytes are kept as they were)."""
    if tr.text != unit.text:
        return False
    return [(c.id, c.kind, c.position) for c in tr.codes] == [(c.id, c.kind, c.position) for c in unit.codes]


class HtmlFormat:
    """HTML and XHTML pages: block text and text attributes translated, all else kept as it was."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml", ".xht")

    def sniff(self, head: bytes) -> bool:
        """A page whose first markup (after an XML declaration, comments and space) is an HTML doctype
        or an `<html>` element (`<h:html>` too); other XML that merely mentions XHTML is not a page."""
        text = _ascii_head(head, len(head)).decode("latin-1").lower()
        i = 0
        while True:
            while i < len(text) and text[i] in " \t\r\n\f":
                i += 1
            if text.startswith("<!--", i):
                close = text.find("-->", i)
                if close < 0:
                    return False
                i = close + 3
            elif text.startswith("<?", i):
                close = text.find(">", i)
                if close < 0:
                    return False
                i = close + 1
            else:
                break
        return bool(re.match(r"<!doctype\s+html\b|<(?:[a-z][\w.-]*:)?html[\s/>]", text[i:]))

    def read(self, data: bytes, path: Path) -> ParsedFile:
        """Find the units of a page; an XHTML page that is not well-formed XML is read as HTML (said once)."""
        warnings: list[str] = []
        if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise UserError(f"{path}: binary data in an HTML page (NUL bytes)")
        xml = _xml_like(data, path)
        if xml:
            problem = _well_formed(data)
            if problem:
                warnings.append(f"{path}: not well-formed XHTML ({problem}); read as HTML")
                xml = False
        text, codec, new_codec, bom = _decode(data, xml, path, warnings)
        tokens = tokenize(text, xml)
        if not any(t.kind == "start" for t in tokens):
            raise UserError(f"{path}: no HTML element in the page")
        reader = _Reader(text, tokens)
        reader.read()
        page = _Page(text, codec, new_codec, bom, xml, reader.places, reader.lang_spans)
        return ParsedFile(reader.units, page, warnings)

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        """The page with each changed unit's English spliced in and French language marks switched."""
        page: _Page = parsed.state
        text = page.text
        if len(translations) != len(parsed.units):
            raise ValueError(f"{len(translations)} translations for {len(parsed.units)} units")
        small: dict[tuple[int, int], str] = {}
        for a, kind in page.lang_spans:
            locale = target_locale.replace("-", "_") if kind == "og" else target_locale
            small[(a.start, a.end)] = locale
        blocks: list[tuple[_Block, TextUnit, UnitTranslation]] = []
        for unit, tr, place in zip(parsed.units, translations, page.places):
            if isinstance(place, _AttrUnit):
                if tr.text != unit.text:
                    a = place.attr
                    spelling: dict[str, str] = {}
                    _decode_refs(text[a.start:a.end], spelling)
                    value = _escape(tr.text, spelling, a.quote or '"')
                    small[(a.start, a.end)] = value if a.quote else f'"{value}"'
            elif not _unchanged(unit, tr):
                blocks.append((place, unit, tr))

        edits = sorted(small.items())
        edit_starts = [s for (s, _), _ in edits]

        def spliced(start: int, end: int) -> list[tuple[str, bool]]:
            """The source between two offsets with the attribute and language edits inside it applied,
            as (text, is new) pieces."""
            out, at = [], start
            for (s, e), new in edits[bisect.bisect_left(edit_starts, start):]:
                if s >= end:
                    break
                if s >= at and e <= end:
                    out += [(text[at:s], False), (new, True)]
                    at = e
            out.append((text[at:end], False))
            return out

        pieces: list[tuple[str, bool]] = []
        at = 0
        for place, unit, tr in sorted(blocks, key=lambda b: b[0].start):
            pieces += spliced(at, place.start)
            pieces += self.block(place, tr, spliced)
            at = place.end
        pieces += spliced(at, len(text))
        out = bytearray(page.bom)
        for piece, new in pieces:
            out += piece.encode(page.new_codec, "xmlcharrefreplace") if new else piece.encode(page.codec)
        return bytes(out)

    @staticmethod
    def block(place: _Block, tr: UnitTranslation, spliced: Callable[[int, int], list[tuple[str, bool]]]
              ) -> list[tuple[str, bool]]:
        """One unit's English with its markup put back at the codes' places, as (text, is new) pieces.

        Repairs keep the page as the French had it where the pipeline cannot know: at one position,
        after the closes of earlier opens, codes come in their French order (an image that followed an
        empty link stays after it); an open that was glued to an isolated code in the French and is
        now separated from it by spaces only rejoins it (a `<span>` at the start of a link stays in
        it), a close likewise; where the French had a space beside a code and the English glues it to
        a word or sign, the space is put back (`codespace`, as in Markdown)."""
        text = tr.text
        marks = place.markup
        positions: dict[int, int] = {}
        opened_at: dict[int, int] = {}
        for code in tr.codes:
            key = code.id * 2 + (code.kind == "close")
            if key in marks and key not in positions:
                positions[key] = min(max(code.position, 0), len(text))
                if code.kind == "open":
                    opened_at[code.id] = positions[key]
        by_order = {mark.order: key for key, mark in marks.items()}
        for key, mark in marks.items():
            if key not in positions or mark.kind != "isolated":
                continue
            here = positions[key]
            before = by_order.get(mark.order - 1)
            if before is not None and before % 2 == 0 and marks[before].kind == "open" and \
                    marks[before].end == mark.start and before in positions and positions[before] > here and \
                    not text[here:positions[before]].strip():
                positions[before] = opened_at[before // 2] = here
            after = by_order.get(mark.order + 1)
            if after is not None and after % 2 == 1 and mark.end == marks[after].start and \
                    after in positions and positions[after] < here and not text[positions[after]:here].strip() \
                    and opened_at.get(after // 2, here) < positions[after]:
                positions[after] = here
        codes: list[tuple[int, int, int, int]] = []  # position, rank, French order, key
        for key, position in positions.items():
            rank = 0 if key % 2 and opened_at.get(key // 2, position) < position else 1
            codes.append((position, rank, marks[key].order, key))
        codes.sort()
        out: list[tuple[str, bool]] = []
        at = 0
        i = 0
        while i < len(codes):
            position = codes[i][0]
            group = [key for p, _, _, key in codes[i:] if p == position]
            i += len(group)
            out.append((_escape(text[at:position], place.spelling), True))
            run = [marks[k] for k in group]
            if run[0].space_before and space_before(text[max(position - 2, 0):position]):
                out.append((" ", True))
            for mark in run:
                out += spliced(mark.start, mark.end)
            if run[-1].space_after and space_after(text[position:position + 2]):
                out.append((" ", True))
            at = position
        out.append((_escape(text[at:], place.spelling), True))
        for key in sorted(set(marks) - set(positions)):  # markup the English lost: kept, at the end
            out += spliced(marks[key].start, marks[key].end)
        return out


FORMAT = HtmlFormat()
"""The HTML/XHTML structured format, as the registry expects it."""
