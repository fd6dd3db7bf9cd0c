"""XLIFF 1.2 and 2.0 files exported by CAT tools (OmegaT, memoQ, Trados, Phrase): fill the empty targets.

The agency sends an XLIFF, machine translation pre-fills it, the translator post-edits it in the CAT
tool. A unit is each 1.2 `<trans-unit>` (or each `<mrk mtype="seg">` of its `<seg-source>`) and each
2.0 `<segment>` whose target is missing or empty. Units already translated, locked (memoQ/Phrase
`locked` attributes, Trados `<sdl:seg locked="true">`) or `translate="no"` are not units: the file
keeps them, and every element, attribute and namespace we do not fill, as they were (the tree is
re-serialised by lxml, then every line we did not change is taken from the input as it was spelt; the
prolog before the root element is copied byte for byte).

Inline codes become `InlineCode`s whose `data` is the element's own markup (`<g id="1">` … `</g>`,
`<x id="2"/>`, `<bpt id="3">&lt;b&gt;</bpt>`), so the writer puts the very same elements, same ids,
into the target around the English words. Phrase (Memsource) MXLIFF writes its tags as text in the
source (`{1}`, `{2>`…`<2}`, `{b>`…`<b}`, see translate/phrase_tags.py): in a Phrase file those are
inline codes too, written back as the same text. This is not `formats/xliff.py`, which writes a review
XLIFF made from a text input.
"""

from __future__ import annotations

import codecs
import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from lxml import etree

from translate.document import InlineCode, Origin
from translate.errors import UserError
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.xmltext import strip_non_xml, xml_text
from translate.phrase_tags import find_placeholders, is_placeholder

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
OLDER_1X = ("urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.0")
SDL_NS = "http://sdl.com/FileTypes/SdlXliff/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PHRASE_NS_PREFIX = "http://www.memsource.com/mxlf/"
"""Phrase (Memsource) MXLIFF declares `xmlns:m="http://www.memsource.com/mxlf/2.0"` (the version varies)."""
PHRASE_SUFFIX = ".mxliff"

STATE_12 = "needs-review-translation"
QUALIFIER_MT = "leveraged-mt"
QUALIFIER_TM = "exact-match"
STATE_20 = "initial"
SUBSTATE_PREFIX = "translate-fr-en"
"""Our own `subState` prefix (XLIFF 2.0 wants `prefix:value`): `translate-fr-en:leveraged-mt` etc."""

_LOCKED_VALUES = frozenset({"locked", "true", "yes", "1"})
_TAG_12_CONTAINERS = frozenset({"g", "mrk"})
_TAG_20_CONTAINERS = frozenset({"pc", "mrk"})
_PAIR_STARTS = {"bpt": ("rid", "id"), "bx": ("rid",), "sc": ("id",), "sm": ("id",)}
_PAIR_ENDS = {"ept": ("rid", "id"), "ex": ("rid",), "ec": ("startRef",), "em": ("startRef",)}
_PAIR_OF = {"bpt": "ept", "bx": "ex", "sc": "ec", "sm": "em"}
_PHRASE_PAIR = "{>"
"""The pairing key's first part for Phrase tags (`{b>` waits for `<b}`): no XLIFF element has this name."""
_PROLOG = re.compile(r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.S)
_START_TAG = re.compile(r"\A<([^\s/>!?]+)[^<>]*(?<!/)>\Z", re.S)
_LAYOUT_RUN = re.compile(r"[ \t\r\n]*[\t\r\n][ \t\r\n]*")
_HEAD_ROOT = re.compile(r"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")

TOO_LARGE = "too large to read safely (a text or attribute over 10 MB, or elements nested over 256 deep)"
"""What libxml2's size limits (lxml without huge_tree) are reported as; translation memories say the same."""


def _safe_parser() -> etree.XMLParser:
    """No DTD loaded, no entity expanded, nothing fetched; comments, PIs and CDATA kept for re-serialising."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           strip_cdata=False, remove_blank_text=False)


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _is_lang(value: str | None, lang: str) -> bool:
    return bool(value) and re.split(r"[-_]", value.strip().lower())[0] == lang


@dataclass
class _Slot:
    """Where one unit's English goes: a 1.2 trans-unit's target (or one `<mrk mtype="seg">` in it), a 2.0 segment's."""

    holder: etree._Element
    """The trans-unit (1.2) or segment (2.0) that gets the target and the state."""
    content: etree._Element
    """The element holding the French: `<source>` or a `<seg-source>` `<mrk>`."""
    mid: str | None = None
    """The `mid` of the `<mrk mtype="seg">` this unit is, None for a whole trans-unit or a 2.0 segment."""
    key: str = ""
    note: str = ""
    text: str = ""
    codes: list[InlineCode] = field(default_factory=list)


@dataclass
class _Layout:
    """What the reader learnt of the file: its version and namespace, and what it kept as it was."""

    version: int
    ns: str
    phrase: bool = False
    """A Phrase MXLIFF: its tags are written as text (`{1}`, `{b>`…`<b}`) and read as inline codes."""
    slots: list[_Slot] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}" if self.ns else local

    def keep(self, why: str) -> None:
        self.kept[why] = self.kept.get(why, 0) + 1

    def add(self, slot: _Slot) -> None:
        """A unit to fill, when its source holds words (a source of codes or spaces only is left as it is)."""
        slot.text, slot.codes = _extract(slot.content, self)
        if slot.text.strip():
            self.slots.append(slot)


@dataclass
class _State:
    """What the writer needs: the file's bytes (it re-parses them, so writing twice gives the same file)."""

    data: bytes
    path: Path


# ---------------------------------------------------------------- parsing and checks


def _parse(data: bytes, path: Path) -> etree._ElementTree:
    """The tree, or a one-line UserError for XML that is not well-formed or uses DTD entities."""
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else err.lineno
        message = " ".join(str(err.msg).split())
        if "XML_PARSE_HUGE" in message:  # libxml2's safety limits; its hint names a C flag no user can set
            raise UserError(f"{path}:{line}: {TOO_LARGE}") from None
        raise UserError(f"{path}:{line}: not well-formed XML ({message})") from None
    for node in root.iter(etree.Entity):
        raise UserError(f"{path}:{node.sourceline}: entity reference {node.text} in the XLIFF; "
                        "files with DTD entities are refused (they are never expanded)")
    return root.getroottree()


def _layout(root: etree._Element, path: Path) -> _Layout:
    """XLIFF 1.x or 2.x from the root's namespace and version; anything else refused."""
    if _local(root) != "xliff":
        raise UserError(f"{path}: not an XLIFF file (root element <{_local(root) or root.tag}>)")
    ns = etree.QName(root).namespace or ""
    version = (root.get("version") or "").strip()
    phrase = _is_phrase(root, path)
    if ns == NS_20 or (not ns and version.startswith("2.")):
        return _Layout(2, ns, phrase)
    if ns in (NS_12, *OLDER_1X) or (not ns and version.startswith("1.")):
        return _Layout(1, ns, phrase)
    raise UserError(f"{path}: XLIFF version {version or '?'} in namespace {ns or '(none)'} is not supported "
                    "(XLIFF 1.2 or 2.0)")


def _is_phrase(root: etree._Element, path: Path) -> bool:
    """A Phrase MXLIFF: the root declares Phrase's namespace, or the file is named `.mxliff`.

    Other CAT tools write their tags as XLIFF elements, so braces in their text are text (a template,
    a code sample) and are left to the engine as before."""
    return path.suffix.lower() == PHRASE_SUFFIX or any(
        uri.startswith(PHRASE_NS_PREFIX) for uri in root.nsmap.values())


def _check_languages(root: etree._Element, layout: _Layout, path: Path) -> None:
    """French source and, when one is declared, an English target: anything else is refused."""
    if layout.version == 2:
        declared = [("<xliff>", root.get("srcLang"), root.get("trgLang"))]
    else:
        declared = [(f"<file original=\"{f.get('original', '')}\">", f.get("source-language"), f.get("target-language"))
                    for f in root.iter(layout.q("file"))]
    for where, source, target in declared:
        if not _is_lang(source, "fr"):
            said = f"is {source!r}" if source else "is not declared"
            raise UserError(f"{path}: the XLIFF source language {said} in {where}; only French sources are translated")
        if target and target.strip() and not _is_lang(target, "en"):
            raise UserError(f"{path}: the XLIFF target language is {target!r} in {where}; "
                            "this tool fills English targets only")


def _translate_no(element: etree._Element, stop: str) -> bool:
    """`translate="no"` on the element or its nearest ancestor saying either way (inherited in 1.2 and 2.0)."""
    node: etree._Element | None = element
    while node is not None:
        value = node.get("translate")
        if value is not None:
            return value.strip().lower() == "no"
        if _local(node) == stop:
            return False
        node = node.getparent()
    return False


def _foreign_locked(element: etree._Element) -> bool:
    """memoQ `mq:locked="locked"`, Phrase `m:locked="true"`: any foreign-namespace `locked` attribute."""
    for name, value in element.attrib.items():
        qname = etree.QName(name)
        if qname.namespace and qname.localname == "locked" and value.strip().lower() in _LOCKED_VALUES:
            return True
    return False


def _sdl_locked(unit: etree._Element, mid: str | None) -> bool:
    """Trados: `<sdl:seg id=mid locked="true">` in the unit's `<sdl:seg-defs>` (any segment when mid is None)."""
    for seg in unit.iter(f"{{{SDL_NS}}}seg"):
        if (mid is None or seg.get("id") == mid) and (seg.get("locked") or "").lower() == "true":
            return True
    return False


def _blank(element: etree._Element | None) -> bool:
    """A missing target, or one with neither elements nor text."""
    return element is None or (len(element) == 0 and not (element.text or "").strip())


def _seg_mrks(element: etree._Element, layout: _Layout) -> Iterator[etree._Element]:
    for mrk in element.iter(layout.q("mrk")):
        if mrk.get("mtype") == "seg":
            yield mrk


def _collect(root: etree._Element, layout: _Layout) -> None:
    """The slots of every unit to fill, in document order; what is kept as it is gets counted."""
    if layout.version == 2:
        _collect_20(root, layout)
    else:
        _collect_12(root, layout)


def _unit_kept(unit: etree._Element, layout: _Layout) -> bool:
    """Whether a whole 1.2 trans-unit or 2.0 unit stays as it is (`translate="no"`, a CAT tool's lock), counted."""
    if _translate_no(unit, "file"):
        layout.keep('translate="no"')
        return True
    if _foreign_locked(unit):
        layout.keep("locked")
        return True
    return False


def _collect_12(root: etree._Element, layout: _Layout) -> None:
    for number, unit in enumerate(root.iter(layout.q("trans-unit")), 1):
        name = unit.get("id") or str(number)
        source = unit.find(layout.q("source"))
        if source is None:
            continue
        if _unit_kept(unit, layout):
            continue
        target = unit.find(layout.q("target"))
        seg_source = unit.find(layout.q("seg-source"))
        mrks = list(_seg_mrks(seg_source, layout)) if seg_source is not None else []
        if not mrks:
            if not _blank(target):
                layout.keep("already translated")
            elif _sdl_locked(unit, None):
                layout.keep("locked")
            else:
                layout.add(_Slot(unit, source, None, f"{number}:{name}", f"trans-unit {name}"))
            continue
        for mrk in mrks:
            mid = mrk.get("mid") or ""
            if _sdl_locked(unit, mid):
                layout.keep("locked")
                continue
            if not _blank(target):
                done = [m for m in _seg_mrks(target, layout) if (m.get("mid") or "") == mid]
                if not done or not _blank(done[0]):
                    layout.keep("already translated")
                    continue
            layout.add(_Slot(unit, mrk, mid, f"{number}:{name}#{mid}", f"trans-unit {name} segment {mid}"))


def _collect_20(root: etree._Element, layout: _Layout) -> None:
    for number, unit in enumerate(root.iter(layout.q("unit")), 1):
        name = unit.get("id") or str(number)
        if _unit_kept(unit, layout):
            continue
        for index, segment in enumerate(unit.iterchildren(layout.q("segment")), 1):
            label = segment.get("id") or str(index)
            source = segment.find(layout.q("source"))
            if source is None:
                continue
            if not _blank(segment.find(layout.q("target"))):
                layout.keep("already translated")
            elif (segment.get("state") or "") == "final" or _foreign_locked(segment):
                layout.keep("locked")
            else:
                layout.add(_Slot(segment, source, None, f"{number}:{name}#{label}", f"unit {name} segment {label}"))


# ---------------------------------------------------------------- inline codes


def _prefixed(name: str, nsmap: dict[str | None, str], attribute: bool) -> str:
    """`{ns}local` as the file spells it (`sdl:x`, `xml:lang`, or bare in the default namespace)."""
    qname = etree.QName(name)
    if not qname.namespace:
        return qname.localname
    if qname.namespace == XML_NS:
        return f"xml:{qname.localname}"
    candidates = [p for p, uri in nsmap.items() if uri == qname.namespace and (p or not attribute)]
    if not candidates:
        return qname.localname  # unreachable in a parsed tree: every namespace in use is declared
    prefix = None if None in candidates and not attribute else sorted(p or "" for p in candidates)[0] or None
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _attribute_text(value: str) -> str:
    return xml_text(value).replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def _start_tag(element: etree._Element, context: dict[str | None, str], empty: bool = False) -> str:
    """The element's start tag with the namespace declarations it adds to `context` (none in the usual file)."""
    nsmap = element.nsmap
    parts = [_prefixed(element.tag, nsmap, attribute=False)]
    for prefix, uri in nsmap.items():
        if context.get(prefix) != uri:
            parts.append(f'xmlns:{prefix}="{xml_text(uri)}"' if prefix else f'xmlns="{xml_text(uri)}"')
    for name, value in element.attrib.items():
        parts.append(f'{_prefixed(name, nsmap, attribute=True)}="{_attribute_text(value)}"')
    return "<" + " ".join(parts) + ("/>" if empty else ">")


def _markup(node: etree._Element, context: dict[str | None, str]) -> str:
    """A whole element (or comment, PI) as markup, without its tail."""
    if isinstance(node, etree._Comment):
        return f"<!--{node.text or ''}-->"
    if isinstance(node, etree._ProcessingInstruction):
        return f"<?{node.target} {node.text or ''}?>"
    if len(node) == 0 and not node.text:
        return _start_tag(node, context, empty=True)
    inner = xml_text(node.text or "")
    for child in node:
        inner += _markup(child, node.nsmap) + xml_text(child.tail or "")
    return _start_tag(node, context) + inner + f"</{_prefixed(node.tag, node.nsmap, attribute=False)}>"


@dataclass
class _Piece:
    """A code met while reading, before pairs are matched: its kind is decided once the unit is read."""

    data: str
    position: int
    kind: str
    pair: tuple[str, str] | None = None
    """(end element name, key) a start boundary (bpt, bx, sc, sm) waits for; the end's own (name, key)."""
    partner: int | None = None


def _is_container(node: etree._Element, layout_version: int) -> bool:
    """Whether the element's content is French to translate (g, pc, mrk not protected/translate="no")."""
    local = _local(node)
    if local == "mrk":
        return node.get("mtype") != "protected" and node.get("translate") != "no"
    return local in (_TAG_20_CONTAINERS if layout_version == 2 else _TAG_12_CONTAINERS)


def _pair_key(node: etree._Element, names: tuple[str, ...]) -> str | None:
    for name in names:
        if node.get(name):
            return node.get(name)
    return None


def _extract(content: etree._Element, layout: _Layout) -> tuple[str, list[InlineCode]]:
    """The plain text of a source (or seg mrk) and its inline codes, each code's data its own markup."""
    text: list[str] = []
    pieces: list[_Piece] = []
    length = 0

    def add(value: str | None) -> None:
        nonlocal length
        if not value:
            return
        if layout.phrase:
            cursor = 0
            for tag in find_placeholders(value):
                text.append(value[cursor:tag.start])
                length += tag.start - cursor
                piece = _Piece(tag.text, length, "isolated")
                if tag.kind != "isolated":  # paired with the next half of the same name, like bpt/ept
                    piece.kind = "start" if tag.kind == "open" else "end"
                    piece.pair = (_PHRASE_PAIR, tag.name)
                pieces.append(piece)
                cursor = tag.end
            value = value[cursor:]
        text.append(value)
        length += len(value)

    def walk(owner: etree._Element) -> None:
        add(owner.text)
        for child in owner:
            if isinstance(child.tag, str) and _is_container(child, layout.version):
                pieces.append(_Piece(_start_tag(child, owner.nsmap), length, "open"))
                opened = len(pieces) - 1
                walk(child)
                pieces.append(_Piece(f"</{_prefixed(child.tag, child.nsmap, attribute=False)}>", length, "close",
                                     partner=opened))
                pieces[opened].partner = len(pieces) - 1
            else:
                piece = _Piece(_markup(child, owner.nsmap), length, "isolated")
                local = _local(child)
                if local in _PAIR_STARTS and not (local == "ec" and child.get("isolated") == "yes"):
                    key = _pair_key(child, _PAIR_STARTS[local])
                    piece.pair = (_PAIR_OF[local], key) if key else None
                    piece.kind = "start"
                elif local in _PAIR_ENDS:
                    key = _pair_key(child, _PAIR_ENDS[local])
                    piece.pair = (local, key) if key else None
                    piece.kind = "end"
                pieces.append(piece)
            add(child.tail)

    walk(content)
    _match_boundaries(pieces)
    codes, number = [], 0
    ids: dict[int, int] = {}
    for index, piece in enumerate(pieces):
        if piece.kind == "close" and piece.partner in ids:
            codes.append(InlineCode(ids[piece.partner], "close", piece.data, piece.position))
            continue
        number += 1
        ids[index] = number
        codes.append(InlineCode(number, piece.kind, piece.data, piece.position))
    plain = "".join(text)
    if not _preserves_space(content):
        plain, codes = _fold_space(plain, codes)
    return plain, codes


def _match_boundaries(pieces: list[_Piece]) -> None:
    """bpt/ept, bx/ex, sc/ec, sm/em of the same unit become open/close pairs; the rest isolated codes."""
    waiting: dict[tuple[str, str], int] = {}
    for index, piece in enumerate(pieces):
        if piece.kind == "start":
            piece.kind = "isolated"
            if piece.pair and piece.pair not in waiting:
                waiting[piece.pair] = index
        elif piece.kind == "end":
            piece.kind = "isolated"
            start = waiting.pop(piece.pair, None) if piece.pair else None
            if start is not None:
                pieces[start].kind, piece.kind = "open", "close"
                pieces[start].partner, piece.partner = index, start


def _preserves_space(element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        value = node.get(f"{{{XML_NS}}}space")
        if value is not None:
            return value == "preserve"
        node = node.getparent()
    return False


def _fold_space(text: str, codes: list[InlineCode]) -> tuple[str, list[InlineCode]]:
    """Without xml:space="preserve", line breaks and tabs are layout: each such run becomes a space (none at the ends)."""
    edits = [(m.start(), m.end(), "" if m.start() == 0 or m.end() == len(text) else " ")
             for m in _LAYOUT_RUN.finditer(text)]
    if not edits:
        return text, codes

    def moved(position: int) -> int:
        shift = 0
        for start, end, replacement in edits:
            if position <= start:
                break
            if position < end:
                return position - shift - (position - start) + min(position - start, len(replacement))
            shift += (end - start) - len(replacement)
        return position - shift

    pieces, cursor = [], 0
    for start, end, replacement in edits:
        pieces += [text[cursor:start], replacement]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), [code.at(moved(code.position)) for code in codes]


# ---------------------------------------------------------------- writing


def _fragment(markup: str, nsmap: dict[str | None, str], parser: etree.XMLParser) -> list[etree._Element]:
    """Nodes parsed from code markup in the namespaces of the source it came from."""
    declarations = " ".join(f'xmlns:{p}="{xml_text(u)}"' if p else f'xmlns="{xml_text(u)}"' for p, u in nsmap.items())
    wrapper = etree.fromstring(f"<w {declarations}>{markup}</w>".encode("utf-8"), parser)
    return list(wrapper)


def _append_text(parent: etree._Element, value: str) -> None:
    value = strip_non_xml(value)
    if not value:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + value
    else:
        parent.text = (parent.text or "") + value


def _fill(container: etree._Element, text: str, codes: list[InlineCode], nsmap: dict[str | None, str],
          parser: etree.XMLParser) -> None:
    """Put the English and its codes into an empty target (or target mrk): codes re-emitted as elements.

    An open/close pair of container elements (g, pc, mrk) that the English left crossing another pair
    is closed where the outer pair closes, so that the target stays well-formed."""
    closes = {code.id: code.data for code in codes if code.kind == "close"}
    stack: list[tuple[etree._Element, int | None]] = [(container, None)]
    done = 0
    for code in sorted(codes, key=lambda c: c.position):
        at = min(max(code.position, done), len(text))
        _append_text(stack[-1][0], text[done:at])
        done = at
        if is_placeholder(code.data):  # a Phrase tag is text in the target, as it was in the source
            _append_text(stack[-1][0], code.data)
        elif code.kind == "open" and (start := _START_TAG.match(code.data)):
            name = start.group(1)
            element = _fragment(code.data + closes.get(code.id, f"</{name}>"), nsmap, parser)[0]
            stack[-1][0].append(element)
            stack.append((element, code.id))
        elif code.kind == "close" and code.data.startswith("</"):
            if any(number == code.id for _, number in stack):
                while stack[-1][1] != code.id:
                    stack.pop()
                stack.pop()
        else:
            for node in _fragment(code.data, nsmap, parser):
                stack[-1][0].append(node)
    _append_text(stack[-1][0], text[done:])


def _qualifier(origins: list[str]) -> str | None:
    """`state-qualifier` for a target filled from these origins: exact-match for TM only, none for copies only."""
    if origins and all(o == Origin.MEMORY for o in origins):
        return QUALIFIER_TM
    if origins and all(o == Origin.COPY for o in origins):
        return None
    return QUALIFIER_MT


def _new_target(layout: _Layout, holder: etree._Element, language: str) -> etree._Element:
    """A `<target>` right after `<source>` (after `<seg-source>` in 1.2), on its own line when the source is.

    It gets `xml:lang` (the target language) when the source has one, as OmegaT/Okapi files do."""
    anchor = holder.find(layout.q("seg-source"))
    if anchor is None:
        anchor = holder.find(layout.q("source"))
    source = holder.find(layout.q("source"))
    target = etree.Element(layout.q("target"))
    if source is not None and source.get(f"{{{XML_NS}}}lang"):
        target.set(f"{{{XML_NS}}}lang", language)
    before = anchor.getprevious().tail if anchor.getprevious() is not None else holder.text
    target.tail = anchor.tail
    if anchor.getnext() is None and before and not before.strip():
        anchor.tail = before  # the source was last: the target takes the closing tag's indentation
    anchor.addnext(target)
    return target


def _empty(element: etree._Element) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None


def _skeleton(target: etree._Element, seg_source: etree._Element, layout: _Layout) -> None:
    """An empty 1.2 target gets the seg-source's structure with every seg mrk empty, ready to fill."""
    _empty(target)
    target.text = seg_source.text
    for child in seg_source:
        target.append(deepcopy(child))
    for mrk in _seg_mrks(target, layout):
        _empty(mrk)


def _fill_file(root: etree._Element, layout: _Layout, translations: list[UnitTranslation], locale: str) -> None:
    _set_target_language(root, layout, locale)
    parser = _safe_parser()
    origins: dict[etree._Element, list[str]] = {}
    for slot, english in zip(layout.slots, translations):
        target = slot.holder.find(layout.q("target"))
        if target is None:
            target = _new_target(layout, slot.holder, _target_language(slot.holder, layout, locale))
        container = target
        if slot.mid is not None:
            if _blank(target) and not list(_seg_mrks(target, layout)):
                _skeleton(target, slot.holder.find(layout.q("seg-source")), layout)
            container = next(m for m in _seg_mrks(target, layout) if (m.get("mid") or "") == slot.mid)
        _empty(container)
        _fill(container, english.text, list(english.codes), slot.content.nsmap, parser)
        origins.setdefault(slot.holder, []).append(english.origin)
    for holder, seen in origins.items():
        qualifier = _qualifier(seen)
        if layout.version == 2:
            holder.set("state", STATE_20)
            holder.set("subState", f"{SUBSTATE_PREFIX}:{qualifier or 'copied-source'}")
            continue
        target = holder.find(layout.q("target"))
        target.set("state", STATE_12)
        if qualifier:
            target.set("state-qualifier", qualifier)
        elif "state-qualifier" in target.attrib:
            del target.attrib["state-qualifier"]


def _set_target_language(root: etree._Element, layout: _Layout, locale: str) -> None:
    """`target-language` on each 1.2 `<file>`, `trgLang` on the 2.0 root, where none is declared.

    An English code the file already has (en-GB for a Trados project) is kept: the CAT tool checks it
    against its project when the file is imported back (other languages were refused when reading)."""
    if layout.version == 2:
        if not (root.get("trgLang") or "").strip():
            root.set("trgLang", locale)
        return
    for file in root.iter(layout.q("file")):
        if not (file.get("target-language") or "").strip():
            file.set("target-language", locale)


def _target_language(holder: etree._Element, layout: _Layout, locale: str) -> str:
    """The target language declared for the file holding this unit (set by `_set_target_language`)."""
    for ancestor in holder.iterancestors(layout.q("file"), layout.q("xliff")):
        value = ancestor.get("target-language" if layout.version == 1 else "trgLang")
        if value:
            return value
    return locale


def _serialise(tree: etree._ElementTree, original: bytes, untouched: etree._ElementTree) -> bytes:
    """The tree in the file's encoding, every line we did not change as the original spells it.

    The prolog (declaration, comments, DOCTYPE) is copied byte for byte. lxml spells what it re-serialises
    its own way (`>` in text as `&gt;`, `<target></target>` as `<target/>`, double quotes, characters for
    character references, LF for CRLF): the lines that are the same in `untouched` (the original file as
    lxml spells it) and in the filled tree are taken from the original bytes instead, so a CAT tool's
    file differs only on the lines of the targets we filled."""
    encoding = tree.docinfo.encoding or "UTF-8"
    bom = original.startswith(codecs.BOM_UTF8)
    codec = codecs.lookup(encoding).name
    text = original[len(codecs.BOM_UTF8):].decode(codec) if bom else original.decode(codec)
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        text = text.lstrip("\ufeff")
    filled = _keep_original_lines(text, _rendered(untouched, text), _rendered(tree, text))
    out = filled.encode(codec, errors="xmlcharrefreplace")
    return codecs.BOM_UTF8 + out if bom else out


def _rendered(tree: etree._ElementTree, text: str) -> str:
    """The tree as lxml writes it, between the original prolog and the original trailing whitespace."""
    prolog = _PROLOG.match(text).group(0)  # type: ignore[union-attr]
    root = tree.getroot()
    body = etree.tostring(root, encoding="unicode")
    after = "".join("\n" + etree.tostring(node, encoding="unicode") for node in root.itersiblings())
    trailing = text[len(text.rstrip()):]
    return prolog + body + after + trailing


def _start_tags(line: str) -> int:
    """Start tags, comments, PIs on a line: how lxml spells a line changes everything but their number."""
    return line.count("<") - line.count("</")


def _keep_original_lines(original: str, untouched: str, filled: str) -> str:
    """`filled` with each line it shares with `untouched` taken from `original`, line for line.

    Only when lxml kept the original's lines (same number, same start tags on each line); otherwise
    lxml's spelling of the whole file is used, as it means the same XML. Lines we wrote get the
    original's line ending (CRLF where the original had CRLF)."""
    old, ours, new = original.split("\n"), untouched.split("\n"), filled.split("\n")
    if len(old) != len(ours) or any(_start_tags(a) != _start_tags(b) for a, b in zip(old, ours)):
        return filled
    ending = "\r" if "\r\n" in original else ""
    out: list[str] = []
    i = j = 0
    while j < len(new):
        if i < len(ours) and ours[i] == new[j]:
            out.append(old[i])
            i, j = i + 1, j + 1
            continue
        skip, wrote = _resync(ours, new, i, j)
        out += [line + ending if k < len(new) - 1 else line for k, line in enumerate(new[j:j + wrote], j)]
        i, j = i + skip, j + wrote
    return "\n".join(out)


_RESYNC_WINDOW = 64
"""Lines looked ahead, on each side, for where the filled file meets the original again after a change."""


def _resync(ours: list[str], new: list[str], i: int, j: int) -> tuple[int, int]:
    """(original lines replaced, lines of ours written) at a difference: the nearest place, within the
    window, where the lines agree again; all the rest of ours when they do not (a linear-time diff,
    for changes that are local: a target filled or added)."""
    ahead: dict[str, int] = {}
    for k in range(i, min(len(ours), i + _RESYNC_WINDOW)):
        ahead.setdefault(ours[k], k - i)
    best: tuple[int, int] | None = None
    for wrote in range(0, min(len(new) - j, _RESYNC_WINDOW)):
        skip = ahead.get(new[j + wrote])
        if skip is not None and (best is None or skip + wrote < sum(best)):
            best = (skip, wrote)
        if best is not None and wrote >= sum(best):
            break
    return best if best is not None and best != (0, 0) else (len(ours) - i, len(new) - j)


# ---------------------------------------------------------------- the format


@dataclass(frozen=True)
class XliffInFormat:
    """XLIFF 1.2/2.0 from a CAT tool in, the same file with its empty targets filled out."""

    name: str = "xliff"
    suffixes: tuple[str, ...] = (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff")

    def sniff(self, head: bytes) -> bool:
        """XML whose root element is `<xliff>` (any prefix), in UTF-8 or UTF-16."""
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = head.decode("utf-16", errors="ignore")
        else:
            text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
        match = _PROLOG.match(text)
        rest = text[match.end():] if match else text
        root = _HEAD_ROOT.match(rest)
        return bool(root) and root.group(1) == "xliff"

    def read(self, data: bytes, path: Path) -> ParsedFile:
        """Every empty target's source as a unit; refuses XML errors, entities, non-French sources."""
        tree = _parse(data, path)
        root = tree.getroot()
        layout = _layout(root, path)
        _check_languages(root, layout, path)
        _collect(root, layout)
        units = []
        for slot in layout.slots:
            units.append(TextUnit(slot.key, slot.text, slot.codes, one_segment=slot.mid is not None or layout.version == 2,
                                  note=slot.note))
        warnings = []
        if layout.kept:
            detail = ", ".join(f"{count} {why}" for why, count in layout.kept.items())
            warnings.append(f"{path.name}: {sum(layout.kept.values())} segment(s) kept as they were ({detail})")
        return ParsedFile(units, _State(data, path), warnings)

    def write(self, parsed: ParsedFile, translations: list[UnitTranslation], target_locale: str) -> bytes:
        """The original file with each unit's English in its target, states saying it is MT to review."""
        state: _State = parsed.state
        if len(translations) != len(parsed.units):
            raise ValueError(f"{len(translations)} translations for {len(parsed.units)} XLIFF units")
        tree = _parse(state.data, state.path)
        root = tree.getroot()
        layout = _layout(root, state.path)
        _collect(root, layout)
        if len(layout.slots) != len(parsed.units):
            raise ValueError("the XLIFF units changed between reading and writing")
        _fill_file(root, layout, translations, target_locale)
        return _serialise(tree, state.data, _parse(state.data, state.path))


FORMAT = XliffInFormat()
