"""TBX termbases: read TBX-Basic (2008, `martif/termEntry/langSet/tig`) and TBX v3 DCA
(`conceptEntry/langSec/termSec`); write TBX-Basic v2 (what translate-toolkit and older CAT tools
read) by default, TBX v3 DCA on request. Entity references are refused, never expanded or fetched.

Within one concept, French acronyms map to the English acronym and full names to the full name
(CPI → ICC, Cour pénale internationale → International Criminal Court); the other English terms
are kept as synonyms."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from glossary.collection import Glossary, build_glossary
from glossary.entry import Problems, Row, is_acronym
from glossary.errors import GlossaryError
from glossary.sourcefile import read_utf8

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
_ENTRY_TAGS = ("termEntry", "conceptEntry")
_LANG_TAGS = ("langSet", "langSec")
_NOTE_TYPES = ("definition", "note", "context", "explanation")

TOO_LARGE = "too large to read safely (a text or attribute over 10 MB, or elements nested over 256 deep)"
"""What libxml2's size limits (lxml without huge_tree) are reported as; translation memories say the same."""


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _lang_matches(element: etree._Element, lang: str) -> bool:
    code = (element.get(XML_LANG) or element.get("lang") or "").lower()
    return code.replace("_", "-").split("-")[0] == lang


def _terms(lang_section: etree._Element) -> list[str]:
    """Terms of one language section, the preferred one (administrativeStatus) first."""
    found: list[tuple[int, str]] = []
    for term in lang_section.iter():
        if _local(term) != "term":
            continue
        text = "".join(term.itertext()).strip()
        group = term.getparent()
        status = " ".join(
            (t.text or "") for t in group.iter() if _local(t) == "termNote" and t.get("type") == "administrativeStatus"
        )
        rank = 0 if "preferred" in status else 2 if ("deprecated" in status or "superseded" in status) else 1
        found.append((rank, text))
    return [t for _, t in sorted(found, key=lambda pair: pair[0])]


def _concept_rows(sources: list[str], targets: list[str], note: str, line: int) -> list[Row]:
    """Rows for one concept: acronyms to the English acronym, names to the first English name."""
    short_targets = [t for t in targets if is_acronym(t)]
    long_targets = [t for t in targets if not is_acronym(t)]
    short_sources = [s for s in sources if is_acronym(s)]
    long_sources = [s for s in sources if not is_acronym(s)]
    if not (short_targets and long_targets and short_sources and long_sources):
        return [Row(sources, targets[0], note, line, synonyms=targets[1:])]
    return [
        Row(long_sources, long_targets[0], note, line, synonyms=long_targets[1:] + short_targets),
        Row(short_sources, short_targets[0], note, line, synonyms=short_targets[1:] + long_targets),
    ]


def _refuse_entities(root: etree._Element, path: str) -> None:
    """A glossary term made of `&name;` references is refused: they are never expanded or fetched."""
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise GlossaryError(
                f"{path}:{node.sourceline}: entity reference {node.text} in the TBX; write the text itself "
                "(glossaries with entities are refused)"
            )


def parse_tbx(
    text: str, path: str, source_lang: str = "fr", target_lang: str = "en", problems: Problems | None = None
) -> Glossary:
    """Glossary from TBX text; malformed XML or an entity raises GlossaryError with the line."""
    problems = problems or Problems()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        message = " ".join(str(exc.msg).split())
        if "XML_PARSE_HUGE" in message:  # libxml2's safety limits; its hint names a C flag no user can set
            raise GlossaryError(f"{path}:{line}: {TOO_LARGE}") from None
        raise GlossaryError(f"{path}:{line}: malformed XML ({message})") from None
    _refuse_entities(root, path)
    rows: list[Row] = []
    for entry in root.iter():
        if _local(entry) not in _ENTRY_TAGS:
            continue
        sources: list[str] = []
        targets: list[str] = []
        notes: list[str] = []
        for child in entry.iter():
            name = _local(child)
            if name in _LANG_TAGS:
                if _lang_matches(child, source_lang):
                    sources += _terms(child)
                elif _lang_matches(child, target_lang):
                    targets += _terms(child)
            elif (name == "descrip" and child.get("type") in _NOTE_TYPES) or name == "note":
                if child.getparent() is entry or _local(child.getparent()) in ("descripGrp",) + _LANG_TAGS:
                    notes.append(" ".join("".join(child.itertext()).split()))
        if not sources and not targets:
            continue
        if not sources or not targets:
            missing = source_lang if not sources else target_lang
            problems.add(f"{path}:{entry.sourceline}: entry has no {missing!r} term")
            continue
        rows += _concept_rows(sources, targets, "; ".join(n for n in notes if n), entry.sourceline)
    return build_glossary(rows, path, problems)


def read_tbx(
    path: Path, source_lang: str = "fr", target_lang: str = "en", problems: Problems | None = None
) -> Glossary:
    return parse_tbx(read_utf8(path), str(path), source_lang, target_lang, problems)


TBX_VERSIONS = (2, 3)
"""2: TBX-Basic 2008 (`<martif>`), the default; 3: ISO 30042:2019 DCA."""


def format_tbx2(glossary: Glossary, source_lang: str = "fr", target_lang: str = "en") -> str:
    """TBX-Basic v2 (`martif/text/body/termEntry/langSet/tig/term`), synonyms as admitted terms."""
    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, target_lang)
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = f"Exported glossary {glossary.name or ''}".strip()
    etree.SubElement(etree.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(glossary, start=1):
        concept = etree.SubElement(body, "termEntry", id=f"c{number}")
        if entry.note:
            etree.SubElement(concept, "descrip", type="definition").text = entry.note
        for lang, terms in ((source_lang, entry.sources), (target_lang, entry.targets)):
            section = etree.SubElement(concept, "langSet")
            section.set(XML_LANG, lang)
            for rank, term in enumerate(terms):
                tig = etree.SubElement(section, "tig")
                etree.SubElement(tig, "term").text = term
                status = "preferredTerm-admn-sts" if rank == 0 else "admittedTerm-admn-sts"
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
    xml = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")
    first, rest = xml.split("\n", 1)
    return f'{first}\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n{rest}'


def format_tbx(glossary: Glossary, source_lang: str = "fr", target_lang: str = "en") -> str:
    """TBX v3 (ISO 30042:2019) DCA style, TBX-Basic dialect, synonyms as admitted terms."""
    root = etree.Element(f"{{{TBX3_NS}}}tbx", nsmap={None: TBX3_NS}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, target_lang)
    header = etree.SubElement(root, f"{{{TBX3_NS}}}tbxHeader")
    desc = etree.SubElement(etree.SubElement(header, f"{{{TBX3_NS}}}fileDesc"), f"{{{TBX3_NS}}}sourceDesc")
    etree.SubElement(desc, f"{{{TBX3_NS}}}p").text = f"Exported glossary {glossary.name or ''}".strip()
    body = etree.SubElement(etree.SubElement(root, f"{{{TBX3_NS}}}text"), f"{{{TBX3_NS}}}body")
    for number, entry in enumerate(glossary, start=1):
        concept = etree.SubElement(body, f"{{{TBX3_NS}}}conceptEntry", id=f"c{number}")
        if entry.note:
            etree.SubElement(concept, f"{{{TBX3_NS}}}descrip", type="definition").text = entry.note
        for lang, terms in ((source_lang, entry.sources), (target_lang, entry.targets)):
            section = etree.SubElement(concept, f"{{{TBX3_NS}}}langSec")
            section.set(XML_LANG, lang)
            for rank, term in enumerate(terms):
                term_sec = etree.SubElement(section, f"{{{TBX3_NS}}}termSec")
                etree.SubElement(term_sec, f"{{{TBX3_NS}}}term").text = term
                status = "preferredTerm-admn-sts" if rank == 0 else "admittedTerm-admn-sts"
                etree.SubElement(term_sec, f"{{{TBX3_NS}}}termNote", type="administrativeStatus").text = status
    xml = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")
    model = '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    first, rest = xml.split("\n", 1)
    return f"{first}\n{model}{rest}"


def write_tbx(
    glossary: Glossary, path: Path, source_lang: str = "fr", target_lang: str = "en", version: int = 2
) -> None:
    """Write TBX-Basic v2 (default) or TBX v3."""
    formatter = format_tbx if version == 3 else format_tbx2
    path.write_text(formatter(glossary, source_lang, target_lang), encoding="utf-8")
