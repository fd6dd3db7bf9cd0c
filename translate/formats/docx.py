"""Word .docx documents: the text of body paragraphs, table cells, headers, footers, footnotes and endnotes
becomes units, and the translated file keeps every run property, link, field and package member.

A .docx is a ZIP of XML parts. Only the WordprocessingML parts that hold text are parsed (lxml: no DTD,
no entity expansion, no network, no huge trees); every other member is copied unchanged, in its order
and with its compression method. Inside a paragraph, each group of runs with its own properties
(`w:rPr`: bold, italic, underline…) and each run container (`w:hyperlink`, a content control, a smart
tag, a tracked insertion, a simple field) becomes an open/close code pair around its words; a complex
field's instruction and its end, bookmarks and comment ranges become pairs too; what is not text (tabs,
breaks, drawings, footnote references, deleted text) is an isolated code. The writer rebuilds the runs
of each paragraph from the English text and the codes, reusing the original elements of everything kept.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from lxml import etree

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.zipcopy import ZipCopyError, copy_with

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_PART_RANK = {
    _WML + "document.main+xml": 0,
    _WML + "template.main+xml": 0,
    "application/vnd.ms-word.document.macroEnabled.main+xml": 0,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": 0,
    _WML + "header+xml": 1,
    _WML + "footer+xml": 2,
    _WML + "footnotes+xml": 3,
    _WML + "endnotes+xml": 4,
}
"""Content types of the parts whose paragraphs are translated, in the order their units come."""
_COMMENTS = _WML + "comments+xml"
_READABLE_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)

_CONTAINERS = {W + n for n in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "dir", "bdo", "fldSimple", "sdt")}
"""Paragraph children that wrap runs: kept as an open/close pair, their runs' text translated."""
_CONTAINER_PROPS = {W + n for n in ("smartTagPr", "customXmlPr", "fldData", "sdtPr", "sdtEndPr")}
"""Children of a container that are its properties, not its content."""
_DELETED = {W + "del", W + "moveFrom"}
"""Tracked deletions: kept as they are (their text stays French, as deleted text)."""
_RANGE_PAIRS = {W + "bookmarkStart": W + "bookmarkEnd", W + "commentRangeStart": W + "commentRangeEnd"}
"""Zero-width markers paired by `w:id` when both ends are in the same paragraph."""
_DROPPED = {W + "proofErr", W + "lastRenderedPageBreak", W + "softHyphen"}
"""Marks about the French text (spelling errors, page layout, hyphenation points) that the English must not keep."""
_SPACERS = {W + "tab", W + "br", W + "cr", W + "ptab"}
"""Run children that separate words: the unit text gets a space there, so the engine sees two words."""
_NO_BREAK_HYPHEN = "\u2011"
_IGNORED_IN_KEY = {W + "lang", W + "noProof"}
"""Run properties that do not split a formatting group (the language is set to English when written)."""
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS_DECL = re.compile(r' xmlns(:\w+)?="[^"]*"')
_MAX_DATA_CHARS = 200


@dataclass(frozen=True)
class DocxLimits:
    """Bounds on the packages we open (zip bombs, oversized parts)."""

    max_members: int = 10_000
    max_total_bytes: int = 1024**3
    """Sum of the members' declared uncompressed sizes."""
    max_part_bytes: int = 64 * 1024**2
    """Largest XML part we parse (the biggest real document.xml files are a few MB)."""
    max_ratio: float = 200.0
    """Uncompressed/compressed size of one member; repetitive XML reaches ~50x, bombs thousands."""
    ratio_min_bytes: int = 1024**2
    """Members smaller than this skip the ratio check."""


# --- what the reader finds in a paragraph ---------------------------------------------------------------

_Emit = Union[tuple[str, Any], tuple[str, Any, Any]]
"""("elem", element) kept as it is, or ("run", rPr, child): a new `w:r` with a copy of rPr around child."""


@dataclass
class _Text:
    text: str
    key: str
    rpr: Any


@dataclass
class _Keep:
    """Something kept as it was: an isolated code (or one end of a pair once paired)."""

    emits: list[_Emit]
    data: str
    spacer: bool = False


@dataclass
class _Open:
    """The start of a pair whose two ends are insertions (a field's instruction, a bookmark start)."""

    emits: list[_Emit]
    data: str
    closed: bool = False


@dataclass
class _Close:
    opener: _Open
    emits: list[_Emit]
    data: str


@dataclass
class _Box:
    """A container of runs (hyperlink, content control, tracked insertion…) and what it holds."""

    element: Any
    holder: Any
    items: list[Any]


@dataclass
class _Info:
    """What the writer needs for one code id."""

    kind: str
    """"format", "box", "mark" (a pair of insertions) or "keep"."""
    rpr: Any = None
    emits: list[_Emit] = field(default_factory=list)
    close_emits: list[_Emit] = field(default_factory=list)
    element: Any = None
    holder: Any = None
    spacer: bool = False


@dataclass
class _Paragraph:
    """One paragraph read: its unit text and codes, and the code infos the writer uses."""

    element: Any
    key: str
    text: str
    codes: list[InlineCode]
    infos: dict[int, _Info]
    base_rpr: Any


@dataclass
class _Part:
    name: str
    root: Any
    standalone: bool | None
    encoding: str
    paragraphs: list[_Paragraph]


@dataclass
class _Scan:
    parts: list[_Part]
    warnings: list[str]


@dataclass
class _State:
    """What the writer needs: the original package (it is read again, so writing twice gives the same file)."""

    data: bytes
    path: Path


# --- small helpers -------------------------------------------------------------------------------------------


def _markup(element: Any) -> str:
    """Short readable XML of an element for `InlineCode.data` (namespace declarations left out)."""
    text = _NS_DECL.sub("", etree.tostring(element, encoding="unicode", with_tail=False))
    if len(text) <= _MAX_DATA_CHARS:
        return text
    return _start_tag(element)[:-1] + ">…</" + _qname(element) + ">"


def _qname(element: Any) -> str:
    tag = etree.QName(element)
    prefix = element.prefix
    return f"{prefix}:{tag.localname}" if prefix else tag.localname


def _start_tag(element: Any) -> str:
    """`<w:hyperlink r:id="rId4">`: the element's start tag with its attributes."""
    attrs = []
    for name, value in element.attrib.items():
        qname = etree.QName(name)
        prefix = next((p for p, ns in (element.nsmap or {}).items() if ns == qname.namespace and p), None)
        shown = f"{prefix}:{qname.localname}" if prefix else qname.localname
        attrs.append(f' {shown}="{value}"')
    return f"<{_qname(element)}{''.join(attrs)}>"


def _rpr_key(rpr: Any) -> str:
    """Run properties as a comparable string, language and proofing marks left out."""
    if rpr is None:
        return ""
    trimmed = copy.deepcopy(rpr)
    for child in list(trimmed):
        if child.tag in _IGNORED_IN_KEY:
            trimmed.remove(child)
    if len(trimmed) == 0 and not trimmed.attrib:
        return ""
    return etree.tostring(trimmed, method="c14n").decode("utf-8")


def _is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


# --- reading a paragraph -----------------------------------------------------------------------------


class _FrameReader:
    """Turns the children of a paragraph or of a run container into items, following complex fields."""

    def __init__(self, scan_flags: dict[str, bool]) -> None:
        self.flags = scan_flags
        self.items: list[Any] = []
        self.collect: list[_Emit] | None = None
        self.depth = 0
        self.fields: list[_Open] = []
        self.instruction: list[str] = []

    def read(self, children: list[Any]) -> list[Any]:
        for child in children:
            self._child(child)
        if self.collect is not None:  # the instruction goes on into the next paragraph: keep it as it is
            self.items.append(_Keep(self.collect, self._field_data()))
        self._pair_ranges()
        self._join_empty_pairs()
        return self.items

    def _join_empty_pairs(self) -> None:
        """A pair with nothing between its ends (Word's `_GoBack` bookmark, a field with no result) is one
        isolated code: it wraps no words for the engine to carry."""
        joined: list[Any] = []
        for item in self.items:
            if isinstance(item, _Close) and joined and joined[-1] is item.opener:
                joined[-1] = _Keep(item.opener.emits + item.emits, item.opener.data + item.data)
            else:
                joined.append(item)
        self.items = joined

    def _field_data(self) -> str:
        return "<w:instrText>" + "".join(self.instruction).strip() + "</w:instrText>"

    def _child(self, child: Any) -> None:
        if self.collect is not None and (not _is_element(child) or child.tag != W + "r"):
            self.collect.append(("elem", child))
            return
        if not _is_element(child):  # comments and processing instructions
            self.items.append(_Keep([("elem", child)], ""))
            return
        tag = child.tag
        if tag == W + "r":
            self._run(child)
        elif tag in _CONTAINERS:
            holder = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if holder is None:
                self.items.append(_Keep([("elem", child)], _markup(child)))
                return
            if tag in (W + "ins", W + "moveTo"):
                self.flags["tracked"] = True
            content = [c for c in holder if not (_is_element(c) and c.tag in _CONTAINER_PROPS)]
            self.items.append(_Box(child, holder, _FrameReader(self.flags).read(content)))
        elif tag in _DROPPED:
            return
        else:
            if tag in _DELETED:
                self.flags["tracked"] = True
            self.items.append(_Keep([("elem", child)], _markup(child)))

    def _run(self, run: Any) -> None:
        rpr = run.find(W + "rPr")
        key = _rpr_key(rpr)
        for child in run:
            if not _is_element(child):
                continue
            tag = child.tag
            if tag == W + "rPr":
                continue
            if self.collect is not None:
                self._collecting(rpr, child)
            elif tag == W + "t":
                if child.text:
                    self.items.append(_Text(child.text, key, rpr))
            elif tag == W + "noBreakHyphen":
                self.items.append(_Text(_NO_BREAK_HYPHEN, key, rpr))
            elif tag in _DROPPED:
                continue
            elif tag == W + "fldChar":
                self._field_char(rpr, child)
            elif tag in _SPACERS:
                self.items.append(_Keep([("run", rpr, child)], _markup(child), spacer=True))
            else:
                self.items.append(_Keep([("run", rpr, child)], _markup(child)))

    def _field_char(self, rpr: Any, child: Any) -> None:
        kind = child.get(W + "fldCharType")
        if kind == "begin":
            self.collect, self.depth, self.instruction = [("run", rpr, child)], 1, []
        elif kind == "end" and self.fields:
            opener = self.fields.pop()
            opener.closed = True
            self.items.append(_Close(opener, [("run", rpr, child)], _markup(child)))
        else:  # an end or separator whose start is in another paragraph
            self.items.append(_Keep([("run", rpr, child)], _markup(child)))

    def _collecting(self, rpr: Any, child: Any) -> None:
        """Inside a field's instruction (begin … separate): everything is kept as it is."""
        self.collect.append(("run", rpr, child))
        if child.tag == W + "instrText" and self.depth == 1:
            self.instruction.append(child.text or "")
        if child.tag != W + "fldChar":
            return
        kind = child.get(W + "fldCharType")
        if kind == "begin":
            self.depth += 1
        elif kind == "end":
            self.depth -= 1
            if self.depth == 0:  # a field with no result: one isolated code
                self.items.append(_Keep(self.collect, self._field_data()))
                self.collect = None
        elif kind == "separate" and self.depth == 1:
            opener = _Open(self.collect, self._field_data())
            self.items.append(opener)
            self.fields.append(opener)
            self.collect = None

    def _pair_ranges(self) -> None:
        """Bookmark and comment-range starts and ends of this frame become pairs, so their order holds."""
        starts: dict[tuple[str, str | None], int] = {}
        for index, item in enumerate(self.items):
            if not isinstance(item, _Keep) or len(item.emits) != 1 or item.emits[0][0] != "elem":
                continue
            element = item.emits[0][1]
            if not _is_element(element):
                continue
            if element.tag in _RANGE_PAIRS:
                starts[(_RANGE_PAIRS[element.tag], element.get(W + "id"))] = index
            elif (element.tag, element.get(W + "id")) in starts:
                start = starts.pop((element.tag, element.get(W + "id")))
                opener = _Open(self.items[start].emits, self.items[start].data, closed=True)
                self.items[start] = opener
                self.items[index] = _Close(opener, item.emits, item.data)


# --- items to unit text and codes --------------------------------------------------------------------------


class _CodeBuilder:
    """Lays a paragraph's items out as plain text plus codes, one formatting pair per run group."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.codes: list[InlineCode] = []
        self.infos: dict[int, _Info] = {}
        self.pair_ids: dict[int, int] = {}

    def _code(self, kind: str, data: str, info: _Info | None, code_id: int | None = None) -> int:
        if code_id is None:
            code_id = len(self.infos) + 1
            self.infos[code_id] = info
        self.codes.append(InlineCode(code_id, kind, data, self.length))
        return code_id

    def _add_text(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _ends_with_space(self) -> bool:
        last = next((part for part in reversed(self.parts) if part), "")
        return not last or last[-1].isspace()

    def frame(self, items: list[Any]) -> Any:
        """Lay out one frame (paragraph or container); returns the run properties of its ungrouped text."""
        base_key, base_rpr = _base(items)
        open_id: int | None = None
        open_key = base_key
        pending: list[Any] = []
        for item in items:
            key = _item_key(item)
            if key is _TRANSPARENT:
                pending.append(item)
                continue
            target = base_key if key is _BREAK else key
            if target != open_key:
                if open_id is not None:
                    self._code("close", "</w:rPr>", None, open_id)
                    open_id = None
                self._flush(pending)
                open_key = target
                if target != base_key:
                    rpr = item.rpr
                    data = _markup(rpr) if rpr is not None else "<w:rPr/>"
                    open_id = self._code("open", data, _Info("format", rpr=rpr))
            else:
                self._flush(pending)
            self._item(item)
        if open_id is not None:
            self._code("close", "</w:rPr>", None, open_id)
        self._flush(pending)
        return base_rpr

    def _flush(self, pending: list[Any]) -> None:
        for item in pending:
            self._item(item)
        pending.clear()

    def _item(self, item: Any) -> None:
        if isinstance(item, _Text):
            self._add_text(item.text)
        elif isinstance(item, _Keep):
            self._code("isolated", item.data, _Info("keep", emits=item.emits, spacer=item.spacer))
            if item.spacer and not self._ends_with_space():
                self._add_text(" ")
        elif isinstance(item, _Open):
            if item.closed:
                self.pair_ids[id(item)] = self._code("open", item.data, _Info("mark", emits=item.emits))
            else:
                self._code("isolated", item.data, _Info("keep", emits=item.emits))
        elif isinstance(item, _Close):
            code_id = self.pair_ids[id(item.opener)]
            self.infos[code_id].close_emits = item.emits
            self._code("close", item.data, None, code_id)
        elif isinstance(item, _Box):
            info = _Info("box", element=item.element, holder=item.holder)
            code_id = self._code("open", _start_tag(item.element), info)
            info.rpr = self.frame(item.items)
            self._code("close", f"</{_qname(item.element)}>", None, code_id)

    def text(self) -> str:
        return "".join(self.parts)


_TRANSPARENT = object()
_BREAK = object()


def _item_key(item: Any) -> Any:
    """The formatting group an item belongs to: a run key, _BREAK (ends a group) or _TRANSPARENT (kept
    things, which carry their own run properties, and white space: they join the group around them or
    stay between groups)."""
    if isinstance(item, _Text):
        return item.key if item.text.strip() else _TRANSPARENT  # a space's own formatting barely shows
    if isinstance(item, _Box):
        return _BREAK
    return _TRANSPARENT


def _base(items: list[Any]) -> tuple[str, Any]:
    """The run properties covering most of a frame's text: its text outside any formatting pair."""
    sizes: dict[str, int] = {}
    first: dict[str, Any] = {}
    for item in items:
        if isinstance(item, _Text):
            sizes[item.key] = sizes.get(item.key, 0) + len(item.text)
            first.setdefault(item.key, item.rpr)
    if not sizes:
        return "", None
    best = max(sizes.values())
    key = next(k for k in first if sizes[k] == best)
    return key, first[key]


# --- the package -----------------------------------------------------------------------------------------------


def _open_zip(data: bytes, path: Path, limits: DocxLimits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"{path}: not a valid .docx file (damaged ZIP archive: {exc})") from exc
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise UserError(f"{path}: {len(infos)} members in the .docx package, more than the limit of {limits.max_members}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or "\0" in name or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise UserError(f"{path}: member {name!r} of the .docx package has an invalid name: refusing")
        if name.lower() in seen:
            raise UserError(f"{path}: member {name!r} appears twice in the .docx package: refusing")
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise UserError(f"{path}: member {name!r} of the .docx package is encrypted")
        if info.compress_type not in _READABLE_COMPRESSION:
            raise UserError(f"{path}: member {name!r} of the .docx package uses an unsupported compression method")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise UserError(f"{path}: the .docx package unpacks to more than {limits.max_total_bytes // 1024**2} MiB, "
                            "the limit: refusing (possible zip bomb)")
        if info.file_size >= limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UserError(f"{path}: member {name!r} of the .docx package expands "
                            f"{info.file_size / max(info.compress_size, 1):.0f}x: refusing (possible zip bomb)")
    return archive


def _parse_xml(archive: zipfile.ZipFile, name: str, path: Path, limits: DocxLimits) -> Any:
    """One XML part, parsed without DTDs, entities or network access; UserError if it is not well-formed."""
    info = archive.getinfo(name)
    if info.file_size > limits.max_part_bytes:
        raise UserError(f"{path}: {name} is {info.file_size // 1024**2} MiB, more than the "
                        f"{limits.max_part_bytes // 1024**2} MiB we read from one part of a .docx")
    try:
        raw = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # bad CRC, truncated member
        raise UserError(f"{path}: {name} is damaged in the .docx package ({exc})") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{path}: {name} is not well-formed XML ({exc})") from exc
    if root.getroottree().docinfo.doctype:
        raise UserError(f"{path}: {name} has a DOCTYPE, which Word documents never have: refusing")
    return root


def _text_parts(archive: zipfile.ZipFile, path: Path, limits: DocxLimits) -> tuple[list[str], bool]:
    """The package's text parts in unit order (document, headers, footers, footnotes, endnotes), and
    whether it has comments."""
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    if "[content_types].xml" not in names:
        raise UserError(f"{path}: not a Word .docx document (no [Content_Types].xml in the ZIP archive)")
    types = _parse_xml(archive, names["[content_types].xml"], path, limits)
    found: list[tuple[int, str]] = []
    comments = False
    for override in types.iter(_CT + "Override"):
        part = (override.get("PartName") or "").lstrip("/")
        content_type = (override.get("ContentType") or "").strip()
        member = names.get(posixpath.normpath(part).lower()) if part else None
        if member is None:
            continue
        if content_type in _PART_RANK:
            found.append((_PART_RANK[content_type], member))
        elif content_type == _COMMENTS:
            comments = True
    if not any(rank == 0 for rank, _ in found):
        raise UserError(f"{path}: not a Word .docx document (its package has no main document part)")
    ordered = sorted(found, key=lambda item: (item[0], [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", item[1])]))
    return [name for _, name in ordered], comments


def _scan(data: bytes, path: Path, limits: DocxLimits) -> _Scan:
    """Every text part parsed and every paragraph read into text and codes."""
    with _open_zip(data, path, limits) as archive:
        names, comments = _text_parts(archive, path, limits)
        flags = {"tracked": False, "fallback": False}
        parts = []
        for name in names:
            root = _parse_xml(archive, name, path, limits)
            docinfo = root.getroottree().docinfo
            parts.append(_Part(name, root, docinfo.standalone, docinfo.encoding or "UTF-8",
                               _paragraphs(name, root, flags)))
    warnings = []
    if flags["tracked"]:
        warnings.append(f"{path}: tracked changes: inserted text is translated and stays marked as inserted; "
                        "deleted text stays as it was (French)")
    if flags["fallback"]:
        warnings.append(f"{path}: the copies of text boxes kept for old Word versions (mc:Fallback) stay in French")
    if comments:
        warnings.append(f"{path}: comments are not translated")
    return _Scan(parts, warnings)


def _paragraphs(name: str, root: Any, flags: dict[str, bool]) -> list[_Paragraph]:
    found = []
    for number, paragraph in enumerate(root.iter(W + "p"), start=1):
        if any(a.tag == _MC_FALLBACK for a in paragraph.iterancestors()):
            flags["fallback"] = True
            continue
        if any(a.tag in _DELETED for a in paragraph.iterancestors()):  # kept whole with the deletion
            continue
        children = [c for c in paragraph if not (_is_element(c) and c.tag == W + "pPr")]
        items = _FrameReader(flags).read(children)
        builder = _CodeBuilder()
        base_rpr = builder.frame(items)
        text = builder.text()
        if not text.strip():
            continue
        found.append(_Paragraph(paragraph, f"{name}#{number}", text, builder.codes, builder.infos, base_rpr))
    return found


# --- writing a paragraph -----------------------------------------------------------------------------------------


@dataclass
class _Frame:
    parent: Any
    base_rpr: Any
    formats: list[tuple[int, Any]] = field(default_factory=list)
    box_id: int | None = None


class _ParagraphWriter:
    """Rebuilds one paragraph's inline content from the English text and its codes."""

    def __init__(self, paragraph: _Paragraph, lang: str) -> None:
        self.paragraph = paragraph
        self.lang = lang

    def write(self, text: str, codes: list[InlineCode]) -> None:
        text, codes = _drop_spacer_spaces(_INVALID_XML_CHARS.sub(" ", text), codes, self.paragraph.infos)
        element = self.paragraph.element
        for child in list(element):
            if not (_is_element(child) and child.tag == W + "pPr"):
                element.remove(child)
        frames = [_Frame(element, self.paragraph.base_rpr)]
        done = 0
        for code in sorted(codes, key=lambda c: c.position):
            position = min(max(code.position, done), len(text))
            self._text(frames, text[done:position])
            done = position
            self._code(frames, code)
        self._text(frames, text[done:])
        self._missing(frames[:1], {c.id for c in codes})

    def _missing(self, frames: list[_Frame], seen: set[int]) -> None:
        """What a code the English lacks carried (a footnote reference, a drawing, a bookmark) goes at the end
        rather than out of the document; a lost pair of run properties or link only loses its formatting."""
        for code_id, info in self.paragraph.infos.items():
            if code_id in seen or info.kind not in ("keep", "mark"):
                continue
            self._emit(frames, info.emits + info.close_emits)

    def _text(self, frames: list[_Frame], text: str) -> None:
        if not text:
            return
        frame = frames[-1]
        rpr = frame.formats[-1][1] if frame.formats else frame.base_rpr
        run = etree.SubElement(frame.parent, W + "r")
        if rpr is not None:
            run.append(self._rpr(rpr))
        for index, piece in enumerate(text.split(_NO_BREAK_HYPHEN)):
            if index:
                etree.SubElement(run, W + "noBreakHyphen")
            if piece:
                t = etree.SubElement(run, W + "t")
                t.text = piece
                if piece != piece.strip():
                    t.set(_XML_SPACE, "preserve")

    def _rpr(self, rpr: Any) -> Any:
        """A copy of run properties with a French language switched to the target language."""
        rpr = copy.deepcopy(rpr)
        lang = rpr.find(W + "lang")
        if lang is not None and (lang.get(W + "val") or "").lower().startswith("fr"):
            lang.set(W + "val", self.lang)
        return rpr

    def _emit(self, frames: list[_Frame], emits: list[_Emit]) -> None:
        parent = frames[-1].parent
        for emit in emits:
            if emit[0] == "elem":
                parent.append(emit[1])
            else:
                run = etree.SubElement(parent, W + "r")
                if emit[1] is not None:
                    run.append(self._rpr(emit[1]))
                run.append(emit[2])

    def _code(self, frames: list[_Frame], code: InlineCode) -> None:
        info = self.paragraph.infos.get(code.id)
        if info is None:
            return
        if info.kind == "format":
            if code.kind == "open":
                frames[-1].formats.append((code.id, info.rpr))
            else:
                for frame in reversed(frames):
                    frame.formats = [f for f in frame.formats if f[0] != code.id]
        elif info.kind == "box":
            if code.kind == "open":
                for child in list(info.holder):
                    if not (_is_element(child) and child.tag in _CONTAINER_PROPS):
                        info.holder.remove(child)
                frames[-1].parent.append(info.element)
                frames.append(_Frame(info.holder, info.rpr, box_id=code.id))
            elif any(f.box_id == code.id for f in frames[1:]):
                while True:
                    frame = frames.pop()
                    frames[-1].formats.extend(frame.formats)  # a pair left open inside goes on outside
                    if frame.box_id == code.id:
                        break
        elif info.kind == "mark":
            self._emit(frames, info.emits if code.kind == "open" else info.close_emits)
        else:
            self._emit(frames, info.emits)


def _drop_spacer_spaces(text: str, codes: list[InlineCode], infos: dict[int, _Info]) -> tuple[str, list[InlineCode]]:
    """Take out the space the reader put next to each tab or break (the tab itself separates the words)."""
    codes = sorted(codes, key=lambda c: c.position)
    for index, code in enumerate(codes):
        info = infos.get(code.id)
        if info is None or not info.spacer or code.kind != "isolated":
            continue
        position = min(code.position, len(text))
        if position < len(text) and text[position] == " ":
            cut = position
        elif position > 0 and text[position - 1] == " ":
            cut = position - 1
        else:
            continue
        text = text[:cut] + text[cut + 1:]
        codes = [c.at(c.position - 1) if c.position > cut else c for c in codes]
    return text, codes


def _target_lang(locale: str) -> str:
    """Word's language tag for the English runs: `en` alone becomes `en-US`, as Word writes it."""
    locale = (locale or "en").replace("_", "-")
    return "en-US" if locale.lower() == "en" else locale


def _serialise(part: _Part) -> bytes:
    return etree.tostring(part.root.getroottree(), xml_declaration=True, encoding=part.encoding,
                          standalone=part.standalone)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type
    new.comment = info.comment
    new.external_attr = info.external_attr
    new.internal_attr = info.internal_attr
    new.create_system = info.create_system
    return new


def _repack(data: bytes, path: Path, rewritten: dict[str, bytes], limits: DocxLimits) -> bytes:
    """The package with `rewritten` parts replaced; every other member's stored bytes copied as they were,
    in their order (recompressed, same content and method, when the archive's records cannot be copied)."""
    try:
        return copy_with(data, rewritten)
    except ZipCopyError:
        return _recompressed(data, path, rewritten, limits)


def _recompressed(data: bytes, path: Path, rewritten: dict[str, bytes], limits: DocxLimits) -> bytes:
    """The package rebuilt by zipfile: the same members, content, order and compression method."""
    out = io.BytesIO()
    with _open_zip(data, path, limits) as source, zipfile.ZipFile(out, "w") as target:
        target.comment = source.comment
        for info in source.infolist():
            new = _copy_info(info)
            if info.filename in rewritten:
                target.writestr(new, rewritten[info.filename])
            elif info.is_dir():
                target.writestr(new, b"")
            else:
                new.file_size = info.file_size
                try:
                    with source.open(info) as reader, target.open(new, "w") as writer:
                        shutil.copyfileobj(reader, writer, 1024 * 1024)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                    raise UserError(f"{path}: {info.filename} is damaged in the .docx package ({exc})") from exc
    return out.getvalue()


@dataclass
class DocxFormat:
    """Word .docx (Office Open XML WordprocessingML) documents."""

    name: str = "docx"
    suffixes: tuple[str, ...] = (".docx",)
    limits: DocxLimits = field(default_factory=DocxLimits)

    def sniff(self, head: bytes) -> bool:
        """A ZIP archive whose first members include Word's folder (`word/document.xml`)."""
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def read(self, data: bytes, path: Path) -> ParsedFile:
        scan = _scan(data, path, self.limits)
        units = [TextUnit(p.key, p.text, list(p.codes), note=_note(p.key))
                 for part in scan.parts for p in part.paragraphs]
        return ParsedFile(units, _State(data, path), scan.warnings)

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        state: _State = parsed.state
        if len(translations) != len(parsed.units):
            raise ValueError(f"{len(translations)} translations for {len(parsed.units)} units")
        scan = _scan(state.data, state.path, self.limits)  # a fresh tree: writing twice gives the same file
        paragraphs = [p for part in scan.parts for p in part.paragraphs]
        if [p.key for p in paragraphs] != [u.key for u in parsed.units]:
            raise ValueError("the units do not come from this document")
        lang = _target_lang(target_locale)
        for paragraph, translation in zip(paragraphs, translations):
            _ParagraphWriter(paragraph, lang).write(translation.text, translation.codes)
        rewritten = {part.name: _serialise(part) for part in scan.parts if part.paragraphs}
        return _repack(state.data, state.path, rewritten, self.limits)


def _note(key: str) -> str:
    """`word/footer1.xml, paragraph 3`: where a unit is, for messages."""
    part, number = key.rsplit("#", 1)
    return f"{part}, paragraph {number}"


FORMAT = DocxFormat()
