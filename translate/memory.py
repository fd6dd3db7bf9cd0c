"""Translation memories read back (TMX 1.4, our TSV) and a stage that reuses their exact matches.

A memory maps French sentences to the English a translator (or an earlier run) settled on. The
`MemoryStage` runs before glossary protection: a segment whose French matches a memory unit exactly
(after `normalise`) takes the memory's English, `origin="tm"`, and the engine never sees it.

Matching normalises only what differs between equivalent typings of one sentence (see `normalise`);
case, accents, punctuation and the space before `; : ! ?` stay significant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from lxml import etree

from glossary.entry import straight_apostrophes
from translate.document import Document, Origin
from translate.errors import UserError
from translate.textio import not_a_file

MEMORY_ORIGIN = Origin.MEMORY
"""`Segment.origin` of a segment whose target was taken from a translation memory."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NATIVE_CODE = {"bpt", "ept", "it", "ph", "ut"}
"""TMX inline elements whose content is native markup (e.g. `<b>`), not text: dropped when flattening."""
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})
_GUILLEMET_OPEN = re.compile(r"«\s*")
_GUILLEMET_CLOSE = re.compile(r"\s*»")
_SPACE_RUN = re.compile(r"\s+")
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def normalise(text: str) -> str:
    """The key a sentence is matched on. Exactly these changes, in this order:

    1. Unicode NFC (a decomposed `é` equals the composed one);
    2. `’` (U+2019), `‘` (U+2018), `ʼ` (U+02BC), `` ` `` and `´` (U+00B4) become `'`
       (glossary.entry.APOSTROPHES, the same marks the glossary matches as apostrophes);
    3. `«` and `»` become `"`, dropping any whitespace just inside them (`« oui »` = `"oui"`),
       and `“ ” „ ‟` become `"`;
    4. every run of whitespace, including no-break space U+00A0, narrow no-break space U+202F and
       other Unicode spaces, tabs and line breaks, becomes one space; leading/trailing spaces go.
    Nothing else: case, accents, dashes, ellipses and spacing before punctuation are kept.
    """
    text = straight_apostrophes(unicodedata.normalize("NFC", text))
    text = _GUILLEMET_CLOSE.sub('"', _GUILLEMET_OPEN.sub('"', text)).translate(_QUOTES)
    return _SPACE_RUN.sub(" ", text).strip()


@dataclass(frozen=True)
class MemoryUnit:
    """One French–English pair of a memory and where it was read."""

    source: str
    target: str
    where: str
    """`file:line` (TSV) or `file#tuid` (TMX), for messages."""


@dataclass
class TranslationMemory:
    """Exact-match lookup over one memory file; the first unit for a given French sentence wins."""

    name: str
    units: dict[str, MemoryUnit] = field(default_factory=dict)
    """Normalised French → unit."""
    skipped: int = 0
    """Units or rows left out: no French or no English side, or an empty one."""

    def __len__(self) -> int:
        return len(self.units)

    def add(self, source: str, target: str, where: str) -> None:
        """Keep a pair unless a side is blank or the French is already in the memory."""
        key = normalise(source)
        if not key or not target.strip():
            self.skipped += 1
            return
        self.units.setdefault(key, MemoryUnit(source, target.strip(), where))

    def lookup(self, source: str) -> MemoryUnit | None:
        return self.units.get(normalise(source))


def _is_lang(code: str | None, prefix: str) -> bool:
    return bool(code) and code.strip().lower().startswith(prefix)


def _local(node: Any) -> str:
    """An element's tag without namespace; "" for comments, processing instructions and entities."""
    return node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""


def flatten_seg(seg: Any) -> str:
    """Text of a TMX `<seg>` with inline markup removed: `<hi>` keeps its text, native codes do not."""
    parts = [seg.text or ""]
    for child in seg:
        if isinstance(child, etree._Entity):
            raise _EntityFound(child.text or child.tag, child.sourceline)
        tag = _local(child)
        if tag and tag not in _NATIVE_CODE:
            parts.append(flatten_seg(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _EntityFound(Exception):
    """A `&name;` reference to a DTD entity: its text would silently go missing from the unit."""

    def __init__(self, name: str, line: int | None) -> None:
        super().__init__(name)
        self.name, self.line = name, line


def _tuv_lang(tuv: Any) -> str | None:
    return tuv.get(_XML_LANG) or tuv.get("lang")  # `lang` is the TMX 1.1/1.2 spelling


def _tmx_pairs(path: Path) -> Iterator[tuple[str | None, str | None, str]]:
    """(French, English, place) per `<tu>`, streamed so a large memory is never held as a tree.

    libxml2 (through lxml) parses in linear time and, without `huge_tree`, refuses any text or attribute
    over 10 MB and nesting deeper than 256; DTD entities are neither loaded nor expanded, nothing is
    fetched from the network.
    """
    safe = {"huge_tree": False, "resolve_entities": False, "no_network": True, "load_dtd": False}
    for _, root in etree.iterparse(str(path), events=("start",), **safe):  # the root element only
        if _local(root) != "tmx":
            raise UserError(f"{path}: not a TMX file (root element <{_local(root)}>, expected <tmx>)")
        break
    number = 0
    # only `<tu>` ends reach Python: a Python step per element would cost a fifth more time
    for _, element in etree.iterparse(str(path), events=("end",), tag="{*}tu", remove_comments=True,
                                      remove_pis=True, **safe):
        number += 1
        french = english = None
        for tuv in element.iter("{*}tuv"):
            seg = next(tuv.iterchildren("{*}seg"), None)
            if seg is None:
                continue
            lang = _tuv_lang(tuv)
            if french is None and _is_lang(lang, "fr"):
                french = flatten_seg(seg)
            elif english is None and _is_lang(lang, "en"):
                english = flatten_seg(seg)
        yield french, english, f"{path.name}#{element.get('tuid') or number}"
        element.clear()
        while element.getprevious() is not None:  # lxml keeps cleared siblings unless they are removed
            del element.getparent()[0]


def read_tmx(path: Path) -> TranslationMemory:
    """Every `<tu>` with a French (`fr*`) and an English (`en*`) `<tuv>`, any TMX version, any direction."""
    memory = TranslationMemory(path.name)
    try:
        for french, english, where in _tmx_pairs(path):
            if french is None or english is None:
                memory.skipped += 1
                continue
            memory.add(french, english, where)
    except etree.XMLSyntaxError as err:
        line, problem = _xml_error(err, path)
        raise UserError(f"{path}:{line}: {problem}" if line else f"{path}: {problem}") from None
    except _EntityFound as err:
        raise UserError(f"{path}:{err.line}: entity reference {err.name} in a segment; "
                        "translation memories must not use DTD entities") from None
    except OSError as err:
        raise UserError(f"{path}: cannot read ({err.strerror or err})") from None
    return memory


def _xml_error(err: etree.XMLSyntaxError, path: Path) -> tuple[int, str]:
    """(line or 0, one-line problem) of a parse error, from libxml2's latest fatal error for `path`
    (iterparse may hide it behind 'no element found'; its log also holds earlier files' errors)."""
    ours = (e for e in reversed(err.error_log) if e.level_name == "FATAL" and e.filename == str(path))
    entry = next(ours, None)
    if entry is not None:
        line, message = entry.line, entry.message
    else:
        line, message = (err.position[0] if err.position else err.lineno) or 0, err.msg
    if "XML_PARSE_HUGE" in (message or ""):  # libxml2's safety limits; its hint names a C flag
        return line, "too large to read safely (a text or attribute over 10 MB, or elements nested over 256 deep)"
    return line, f"not valid XML ({_one_line(message)})"


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split()) or "parse error"


def _header_columns(cells: list[str], path: Path) -> tuple[int, int] | None:
    """(French column, English column) when `cells` is a locale header row (`fr<TAB>en`), else None."""
    if len(cells) < 2 or not all(_LOCALE.match(c) for c in cells[:2]):
        return None
    first, second = (c.lower() for c in cells[:2])
    if first.startswith("fr") and second.startswith("en"):
        return 0, 1
    if first.startswith("en") and second.startswith("fr"):
        return 1, 0
    raise UserError(f"{path}: header row says {cells[0]}→{cells[1]}; expected French and English columns")


def _rows(text: str) -> list[str]:
    """TSV rows: split at LF (a CR before it goes too) and nowhere else.

    `str.splitlines()` would also split at U+2028, U+0085, form feed..., which may sit inside a cell.
    """
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    return [row[:-1] if row.endswith("\r") else row for row in rows]


def read_tsv(path: Path) -> TranslationMemory:
    """`French<TAB>English` rows (our TSV output); an optional first row of locale codes may swap them."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; save the memory as UTF-8") from None
    except OSError as err:
        raise UserError(f"{path}: cannot read ({err.strerror})") from None
    memory = TranslationMemory(path.name)
    columns: tuple[int, int] | None = None
    for number, line in enumerate(_rows(text), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        if columns is None:
            columns = _header_columns(cells, path)
            if columns is not None:
                continue
            columns = (0, 1)
        if len(cells) <= max(columns):
            memory.skipped += 1
            continue
        memory.add(cells[columns[0]], cells[columns[1]], f"{path.name}:{number}")
    return memory


def read_memory(path: Path) -> TranslationMemory:
    """A TMX (`.tmx`, or XML content) or TSV memory; UserError when missing or unreadable."""
    path = Path(path)
    try:
        problem = not_a_file(path)
    except OSError as err:  # a name too long for the file system, a loop of links
        raise UserError(f"cannot read translation memory {path}: {err.strerror}") from None
    if problem == "missing":
        raise UserError(f"translation memory not found: {path}")
    if problem:
        raise UserError(f"translation memory {path} is {problem}, not a TMX or TSV file")
    suffix = path.suffix.lower()
    if suffix == ".tmx":
        return read_tmx(path)
    if suffix not in (".tsv", ".tab", ".txt"):
        with path.open("rb") as handle:
            if handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return read_tmx(path)
    return read_tsv(path)


def load_memories(items: Sequence[Path | TranslationMemory]) -> tuple[TranslationMemory, ...]:
    """Memories in the given order (earlier wins); paths are read, loaded memories pass through."""
    return tuple(i if isinstance(i, TranslationMemory) else read_memory(Path(i)) for i in items)


@dataclass
class MemoryStage:
    """Fills translatable, not yet translated segments from the first memory with an exact match."""

    memories: tuple[TranslationMemory, ...]
    name: str = "memory"

    def __call__(self, document: Document) -> None:
        used = 0
        for segment in document:
            if not segment.translatable or segment.translated:
                continue
            unit = next((u for m in self.memories if (u := m.lookup(segment.source)) is not None), None)
            if unit is None:
                continue
            segment.target, segment.origin, segment.score = unit.target, MEMORY_ORIGIN, None
            used += 1
        document.meta.memory_matches = used
