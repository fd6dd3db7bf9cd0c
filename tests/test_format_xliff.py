"""XLIFF 1.2/2.0 from CAT tools (translate/formats/xliff_in.py): the empty targets are filled with the
English and its inline codes, everything else (foreign namespaces, locked, translated, translate="no")
comes back as it was; OmegaT 3.6 reads the filled files. Fixtures in tests/data/xliff_in/ are French
news copy laid out as OmegaT/Okapi, Trados + memoQ and an XLIFF 2.0 tool export them."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Callable

import pytest
from lxml import etree

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.xliff_in import FORMAT, NS_12, NS_20, SDL_NS

DATA = Path(__file__).parent / "data" / "xliff_in"
OMEGAT_FILE, CAT_FILE, V2_FILE = "omegat-article.fr.xlf", "trados-memoq-depeche.fr.xlf", "phrase-communique.fr.xlf"
FIXTURES = (OMEGAT_FILE, CAT_FILE, V2_FILE)
X = f"{{{NS_12}}}"
X2 = f"{{{NS_20}}}"
Translator = Callable[[TextUnit], UnitTranslation]


def identity(unit: TextUnit) -> UnitTranslation:
    return UnitTranslation(unit.text, list(unit.codes), origin="argos")


def upper(unit: TextUnit) -> UnitTranslation:
    """A rewrite that keeps every position: the codes must stay around the same (upper-cased) words."""
    return UnitTranslation(unit.text.upper(), list(unit.codes), origin="apertium")


def read(name: str) -> tuple[bytes, ParsedFile]:
    data = (DATA / name).read_bytes()
    return data, FORMAT.read(data, DATA / name)


def fill(name: str, translator: Translator = identity, locale: str = "en") -> tuple[ParsedFile, bytes]:
    _, parsed = read(name)
    return parsed, FORMAT.write(parsed, [translator(u) for u in parsed.units], locale)


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def inner(element: etree._Element) -> str:
    """An element's content as markup, namespace declarations left out, for readable comparisons."""
    markup = (element.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in element)
    return re.sub(r' xmlns(:\w+)?="[^"]*"', "", markup)


def by_id(root: etree._Element, tag: str) -> dict[str, etree._Element]:
    return {element.get("id"): element for element in root.iter(tag)}


def seg(holder: etree._Element, part: str, mid: str) -> etree._Element:
    return next(m for m in holder.find(X + part).iter(X + "mrk") if m.get("mid") == mid)


# ---------------------------------------------------------------- sniffing and reading


@pytest.mark.parametrize("name", FIXTURES)
def test_sniff_recognises_cat_tool_xliff(name):
    assert FORMAT.sniff((DATA / name).read_bytes()[:65536])


def test_sniff_recognises_bom_utf16_and_prefixed_roots_and_nothing_else():
    v12 = (DATA / OMEGAT_FILE).read_text(encoding="utf-8")
    assert FORMAT.sniff(codecs.BOM_UTF8 + v12.encode("utf-8"))
    assert FORMAT.sniff(v12.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert FORMAT.sniff(b'<!-- x --><!DOCTYPE xliff [<!ELEMENT a ANY>]>\n<x:xliff xmlns:x="%s"/>' % NS_12.encode())
    assert not FORMAT.sniff(b'<?xml version="1.0"?>\n<tmx version="1.4"><header/><body/></tmx>')
    assert not FORMAT.sniff(b"<!DOCTYPE html>\n<html><body><p>xliff</p></body></html>")
    assert not FORMAT.sniff(b'<?xml version="1.0"?><docbook><para>&lt;xliff&gt;</para></docbook>')
    assert not FORMAT.sniff("Le chat <xliff> dort.".encode("utf-8"))


def test_units_are_the_sources_of_empty_or_missing_targets():
    _, parsed = read(OMEGAT_FILE)
    assert [u.note for u in parsed.units] == ["trans-unit 1", "trans-unit 2", "trans-unit 4", "trans-unit 5"]
    assert [u.text for u in parsed.units] == [
        "Sommet de l’OTSC à Erevan",
        "Les dirigeants de six pays se sont réunis lundi dans la capitale arménienne.",
        "Lire aussi : l’OTAN renforce son flanc est",
        "La réunion a duré trois heures, selon l’agence Armenpress.",
    ]
    assert not any(u.one_segment for u in parsed.units)
    assert parsed.warnings == ['omegat-article.fr.xlf: 2 segment(s) kept as they were '
                               '(1 translate="no", 1 already translated)']


def test_inline_codes_carry_their_own_element_markup():
    _, parsed = read(OMEGAT_FILE)
    leaders, see_also, meeting = parsed.units[1], parsed.units[2], parsed.units[3]
    assert leaders.codes == [
        InlineCode(1, "open", '<g id="1" ctype="x-html-strong">', 18),
        InlineCode(1, "close", "</g>", 26),
        InlineCode(2, "isolated", '<x id="2" ctype="x-html-br"/>', 47),
    ]
    assert leaders.text[18:26] == "six pays" and leaders.text[47:] == " dans la capitale arménienne."
    assert see_also.codes == [
        InlineCode(1, "open", '<bpt id="1">&lt;a href=&quot;/otan&quot;&gt;</bpt>', 13),
        InlineCode(1, "close", '<ept id="1">&lt;/a&gt;</ept>', 42),
    ]
    assert [(c.kind, c.position) for c in meeting.codes] == [("isolated", 18), ("isolated", 38)]
    assert meeting.codes[1].data == '<it id="2" pos="open">&lt;i&gt;</it>'


def test_seg_source_mrks_are_one_segment_units_and_locked_segments_are_not_units():
    _, parsed = read(CAT_FILE)
    assert [(u.note, u.one_segment) for u in parsed.units] == [
        ("trans-unit u1", False),  # u2 is memoQ-locked, u3 already translated
        ("trans-unit u4 segment 1", True),
        ("trans-unit u4 segment 2", True),
        ("trans-unit u5 segment 3", True),  # segment 4 is locked in sdl:seg-defs
    ]
    assert parsed.units[1].text == "Les syndicats dénoncent un plan « insuffisant »."
    assert parsed.units[1].codes == [InlineCode(1, "isolated", '<x id="q1"/>', 32)]
    assert parsed.units[2].codes == [InlineCode(1, "open", '<g id="pt1">', 24), InlineCode(1, "close", "</g>", 31)]
    assert parsed.warnings == ["trados-memoq-depeche.fr.xlf: 3 segment(s) kept as they were "
                               "(2 locked, 1 already translated)"]


def test_xliff_2_segments_are_one_segment_units_with_pc_ph_sc_ec_mrk():
    _, parsed = read(V2_FILE)
    assert [(u.note, u.one_segment) for u in parsed.units] == [
        ("unit u1 segment s1", True), ("unit u1 segment s2", True), ("unit u4 segment s4", True)]
    see = parsed.units[2]
    assert see.text == "Voir le rapport sur la dette publique."
    assert see.codes == [
        InlineCode(1, "open", '<sc id="3"/>', 5), InlineCode(1, "close", '<ec startRef="3"/>', 15),
        InlineCode(2, "open", '<mrk id="m1" type="term">', 20), InlineCode(2, "close", "</mrk>", 37),
    ]
    assert parsed.units[0].codes[0].data == '<pc id="1" dataRefStart="d1" dataRefEnd="d2">'


# ---------------------------------------------------------------- writing: what is kept


def _holders(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(X + "trans-unit")) + list(root.iter(X2 + "unit"))


def _foreign_elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).namespace not in (NS_12, NS_20)]


def _foreign_attributes(root: etree._Element) -> list[tuple[str, dict[str, str]]]:
    """(tag, namespaced attributes) of every element outside targets, in document order."""
    kept = []
    for element in root.iter():
        if not isinstance(element.tag, str) or any(etree.QName(a).localname == "target"
                                                   for a in [element, *element.iterancestors()]):
            continue
        attributes = {k: v for k, v in element.attrib.items() if etree.QName(k).namespace}
        if attributes:
            kept.append((element.tag, attributes))
    return kept


@pytest.mark.parametrize("translator", [identity, upper], ids=["identity", "rewrite"])
@pytest.mark.parametrize("name", FIXTURES)
def test_everything_not_filled_is_kept_as_it_was(name, translator):
    data, _ = read(name)
    parsed, out = fill(name, translator)
    before, after = tree(data), tree(out)
    assert after.nsmap == before.nsmap
    filled = {u.note.split()[1] for u in parsed.units}
    untouched = [(a, b) for a, b in zip(_holders(before), _holders(after)) if a.get("id") not in filled]
    assert len(untouched) == len(_holders(before)) - len(filled) >= 2
    for old, new in untouched:  # locked, translated, translate="no": the same serialisation
        assert etree.tostring(new) == etree.tostring(old)
    assert [etree.tostring(e) for e in _foreign_elements(after)] == [etree.tostring(e) for e in _foreign_elements(before)]
    assert _foreign_attributes(after) == _foreign_attributes(before)
    for header in before.iter(X + "header"):
        assert etree.tostring(after.find(f".//{X}header")) == etree.tostring(header)


@pytest.mark.parametrize("name", FIXTURES)
def test_writing_twice_gives_the_same_bytes_and_the_prolog_is_copied(name):
    data, parsed = read(name)
    translations = [upper(u) for u in parsed.units]
    out = FORMAT.write(parsed, translations, "en")
    assert FORMAT.write(parsed, translations, "en") == out
    prolog_end = data.index(b"<xliff")
    assert out[:prolog_end] == data[:prolog_end]  # declaration (same quotes, encoding name), comment, line breaks
    assert out.endswith(b"</xliff>\n")


def test_encodings_and_bom_are_kept():
    text = (DATA / OMEGAT_FILE).read_text(encoding="utf-8")
    for encoding, data in [
        ("utf-8-sig", codecs.BOM_UTF8 + text.encode("utf-8")),
        ("iso-8859-1", text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1", "xmlcharrefreplace")),
        ("utf-16", text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")),
    ]:
        parsed = FORMAT.read(data, Path("a.xlf"))
        out = FORMAT.write(parsed, [upper(u) for u in parsed.units], "en")
        decoded = out.decode(encoding)
        assert decoded.splitlines()[0] == data.decode(encoding).splitlines()[0]
        assert "DIRIGEANTS DE <g id=\"1\" ctype=\"x-html-strong\">SIX PAYS</g>" in decoded
        assert tree(out).find(f".//{X}target").text == "SOMMET DE L’OTSC À EREVAN"


# ---------------------------------------------------------------- writing: the targets


def test_identity_targets_repeat_the_source_markup():
    for name in FIXTURES:
        parsed, out = fill(name)
        root = tree(out)
        for unit in parsed.units:
            holder_id = unit.note.split()[1]
            if name == V2_FILE:
                segment = next(s for s in by_id(root, X2 + "unit")[holder_id].iter(X2 + "segment")
                               if s.get("id") == unit.note.split()[-1])
                assert inner(segment.find(X2 + "target")) == inner(segment.find(X2 + "source"))
            elif unit.one_segment:
                holder, mid = by_id(root, X + "trans-unit")[holder_id], unit.note.split()[-1]
                assert inner(seg(holder, "target", mid)) == inner(seg(holder, "seg-source", mid))
            else:
                holder = by_id(root, X + "trans-unit")[holder_id]
                assert inner(holder.find(X + "target")) == inner(holder.find(X + "source"))


def test_rewritten_english_gets_the_codes_around_the_right_words():
    _, parsed = read(OMEGAT_FILE)
    english = {
        "trans-unit 2": ("The leaders of six countries met on Monday in the Armenian capital.", [(15, 28), 42]),
        "trans-unit 4": ("See also: NATO strengthens its eastern flank", [(10, 44)]),
    }
    translations = []
    for unit in parsed.units:
        if unit.note not in english:
            translations.append(upper(unit))
            continue
        text, spots = english[unit.note]
        positions = [p for spot in spots for p in (spot if isinstance(spot, tuple) else (spot,))]
        translations.append(UnitTranslation(text, [c.at(p) for c, p in zip(unit.codes, positions)], origin="apertium"))
    units = by_id(tree(FORMAT.write(parsed, translations, "en")), X + "trans-unit")
    assert inner(units["2"].find(X + "target")) == (
        'The leaders of <g id="1" ctype="x-html-strong">six countries</g> met on Monday'
        '<x id="2" ctype="x-html-br"/> in the Armenian capital.')
    assert inner(units["4"].find(X + "target")) == (
        'See also: <bpt id="1">&lt;a href="/otan"&gt;</bpt>NATO strengthens its eastern flank<ept id="1">&lt;/a&gt;</ept>')


def test_xliff_2_rewrite_moves_pc_sc_ec_and_mrk_with_their_words():
    _, parsed = read(V2_FILE)
    see = parsed.units[2]  # Voir <sc/>le rapport<ec/> sur <mrk>la dette publique</mrk>.
    text = "See the public debt in the report."
    moved = [see.codes[0].at(23), see.codes[1].at(33), see.codes[2].at(4), see.codes[3].at(19)]
    translations = [upper(parsed.units[0]), upper(parsed.units[1]), UnitTranslation(text, moved, origin="argos")]
    root = tree(FORMAT.write(parsed, translations, "en-US"))
    segment = next(s for s in root.iter(X2 + "segment") if s.get("id") == "s4")
    assert inner(segment.find(X2 + "target")) == (
        'See <mrk id="m1" type="term">the public debt</mrk> in <sc id="3"/>the report<ec startRef="3"/>.')


def test_filled_targets_say_machine_translation_or_exact_match():
    _, parsed = read(CAT_FILE)
    origins = ["apertium", "tm", "tm", "copy"]  # u1, u4 segments 1 and 2, u5 segment 3
    translations = [UnitTranslation(u.text, list(u.codes), origin=o) for u, o in zip(parsed.units, origins)]
    units = by_id(tree(FORMAT.write(parsed, translations, "en")), X + "trans-unit")
    states = {i: (units[i].find(X + "target").get("state"), units[i].find(X + "target").get("state-qualifier"))
              for i in ("u1", "u4", "u5")}
    assert states == {"u1": ("needs-review-translation", "leveraged-mt"),
                      "u4": ("needs-review-translation", "exact-match"),
                      "u5": ("needs-review-translation", None)}
    mixed = FORMAT.write(parsed, [UnitTranslation(u.text, list(u.codes), origin=o) for u, o in
                                  zip(parsed.units, ["tm", "tm", "argos", "tm"])], "en")
    assert by_id(tree(mixed), X + "trans-unit")["u4"].find(X + "target").get("state-qualifier") == "leveraged-mt"


def test_xliff_2_segments_get_initial_state_and_a_machine_translation_substate():
    _, parsed = read(V2_FILE)
    out = FORMAT.write(parsed, [UnitTranslation(u.text, list(u.codes), origin=o)
                                for u, o in zip(parsed.units, ["argos", "tm", "argos"])], "en-US")
    root = tree(out)
    states = {s.get("id"): (s.get("state"), s.get("subState")) for s in root.iter(X2 + "segment")}
    assert states == {
        "s1": ("initial", "translate-fr-en:leveraged-mt"),
        "s2": ("initial", "translate-fr-en:exact-match"),
        None: (None, None),  # translate="no"
        "s3": ("translated", None),
        "s4": ("initial", "translate-fr-en:leveraged-mt"),
    }
    assert root.get("trgLang") == "en-US" and root.get("srcLang") == "fr-FR"


def test_target_language_is_set_where_missing_and_an_english_one_kept():
    _, out = fill(CAT_FILE, locale="en-US")
    assert [f.get("target-language") for f in tree(out).iter(X + "file")] == ["en-US"]
    _, out = fill(OMEGAT_FILE, locale="en-US")
    root = tree(out)
    assert [f.get("target-language") for f in root.iter(X + "file")] == ["en"]  # the file's own code kept
    assert by_id(root, X + "trans-unit")["1"].find(X + "target").get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    text = (DATA / CAT_FILE).read_text(encoding="utf-8").replace('source-language="fr-FR"',
                                                                 'source-language="fr-FR" target-language="en-GB"')
    parsed = FORMAT.read(text.encode("utf-8"), Path("a.xlf"))
    out = FORMAT.write(parsed, [identity(u) for u in parsed.units], "en")
    assert tree(out).find(f"{X}file").get("target-language") == "en-GB"


def test_seg_source_targets_mirror_the_segmentation():
    _, out = fill(CAT_FILE, upper)
    units = by_id(tree(out), X + "trans-unit")
    assert inner(units["u4"].find(X + "target")) == (
        '<mrk mtype="seg" mid="1">LES SYNDICATS DÉNONCENT UN PLAN <x id="q1"/>« INSUFFISANT ».</mrk> '
        '<mrk mtype="seg" mid="2">UNE GRÈVE EST PRÉVUE LE <g id="pt1">12 MARS</g>.</mrk>')
    # u5 had no target: it gets the seg-source's structure; the locked segment 4 stays empty
    assert inner(units["u5"].find(X + "target")) == (
        '<g id="pt1"><mrk mtype="seg" mid="3">SOURCE : MINISTÈRE DE L’ÉCONOMIE.</mrk> <mrk mtype="seg" mid="4"/></g>')
    assert [s.get("locked") for s in units["u5"].iter(f"{{{SDL_NS}}}seg")] == [None, "true"]
    assert [c.tag for c in units["u5"]] == [X + "source", X + "seg-source", X + "target", f"{{{SDL_NS}}}seg-defs"]


def test_a_new_target_follows_the_source_on_its_own_line():
    _, out = fill(OMEGAT_FILE, upper)
    text = out.decode("utf-8")
    assert ('<source xml:lang="fr">Sommet de l’OTSC à Erevan</source>\n'
            '<target xml:lang="en" state="needs-review-translation" state-qualifier="leveraged-mt">'
            'SOMMET DE L’OTSC À EREVAN</target>\n</trans-unit>') in text
    _, out = fill(V2_FILE, upper)
    assert "</source>\n        <target>LE MINISTRE" in out.decode("utf-8")


def test_crossing_pairs_empty_english_and_control_characters_stay_well_formed():
    _, parsed = read(V2_FILE)
    first = parsed.units[2]  # sc/ec pair (standalone elements) and a mrk pair (a container)
    crossing = [first.codes[2].at(0), first.codes[0].at(3), first.codes[3].at(6), first.codes[1].at(9)]
    translations = [UnitTranslation("", [c.at(0) for c in parsed.units[0].codes]),
                    UnitTranslation("A\x01B\x0c", list(parsed.units[1].codes)),
                    UnitTranslation("abc def ghi", crossing)]
    root = tree(FORMAT.write(parsed, translations, "en"))
    targets = {s.get("id"): s.find(X2 + "target") for s in root.iter(X2 + "segment")}
    assert inner(targets["s1"]) == '<pc id="1" dataRefStart="d1" dataRefEnd="d2"/>'
    assert inner(targets["s2"]) == 'AB<ph id="2" dataRef="d3"/>'
    assert inner(targets["s4"]) == '<mrk id="m1" type="term">abc<sc id="3"/> de</mrk>f g<ec startRef="3"/>hi'


def test_source_line_breaks_are_layout_unless_space_is_preserved():
    text = (f'<xliff version="1.2" xmlns="{NS_12}"><file original="a" source-language="fr" datatype="plaintext">'
            '<body><trans-unit id="1"><source>\n    Le chat\n    <g id="1">noir</g>\tdort.\n  </source></trans-unit>'
            '<trans-unit id="2"><source xml:space="preserve">Deux  espaces\n ici.</source></trans-unit>'
            '</body></file></xliff>')
    parsed = FORMAT.read(text.encode("utf-8"), Path("a.xlf"))
    assert [u.text for u in parsed.units] == ["Le chat noir dort.", "Deux  espaces\n ici."]
    assert [c.position for c in parsed.units[0].codes] == [8, 12]


# ---------------------------------------------------------------- refusals


def _refusal(data: bytes) -> str:
    with pytest.raises(UserError) as caught:
        FORMAT.read(data, Path("projet.fr.xlf"))
    message = str(caught.value)
    assert "\n" not in message and caught.value.code == 2
    return message


def test_non_french_or_undeclared_source_language_is_refused():
    text = (DATA / CAT_FILE).read_text(encoding="utf-8")
    assert "source language is 'de-DE'" in _refusal(text.replace('"fr-FR"', '"de-DE"').encode())
    assert "source language is not declared" in _refusal(text.replace(' source-language="fr-FR"', "").encode())
    assert "target language is 'de'" in _refusal(text.replace('source-language="fr-FR"',
                                                              'source-language="fr-FR" target-language="de"').encode())
    v2 = (DATA / V2_FILE).read_text(encoding="utf-8")
    assert "source language is 'en'" in _refusal(v2.replace('srcLang="fr-FR"', 'srcLang="en"').encode())


def test_malformed_xml_entities_and_other_xml_are_refused():
    text = (DATA / OMEGAT_FILE).read_text(encoding="utf-8")
    assert _refusal(text.replace("</trans-unit>", "", 1).encode()).startswith("projet.fr.xlf:")
    laughs = ('<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              f'<xliff version="1.2" xmlns="{NS_12}"><file source-language="fr" original="a" datatype="x">'
              '<body><trans-unit id="1"><source>&b;</source></trans-unit></body></file></xliff>')
    assert "entity reference &b;" in _refusal(laughs.encode())
    external = laughs.replace('<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">', '<!ENTITY b SYSTEM "file:///etc/passwd">')
    assert "entity reference &b;" in _refusal(external.encode())
    assert "not an XLIFF file (root element <tmx>)" in _refusal(b'<tmx version="1.4"><body/></tmx>')
    assert "XLIFF version 3.0" in _refusal(b'<xliff version="3.0" xmlns="urn:example:xliff:3"/>')


def test_crossing_container_pairs_close_together_and_no_code_is_lost():
    text = (f'<xliff version="1.2" xmlns="{NS_12}"><file original="a" source-language="fr" datatype="plaintext">'
            '<body><trans-unit id="1"><source><g id="a">un</g> et <g id="b">deux</g></source></trans-unit>'
            '</body></file></xliff>')
    parsed = FORMAT.read(text.encode("utf-8"), Path("a.xlf"))
    one, two = parsed.units[0].codes[:2], parsed.units[0].codes[2:]
    crossing = [one[0].at(0), two[0].at(2), one[1].at(5), two[1].at(8)]  # a opens, b opens, a closes, b closes
    out = FORMAT.write(parsed, [UnitTranslation("abcdefgh", crossing)], "en")
    assert inner(tree(out).find(f".//{X}target")) == '<g id="a">ab<g id="b">cde</g></g>fgh'


# ---------------------------------------------------------------- a real reader: OmegaT 3.6


_OMEGAT_TAG = re.compile(r"</?[A-Za-z]+\d+/?>")
_NATIVE = ("bpt", "ept", "ph", "it", "x", "bx", "ex", "sub")


def _words(element: etree._Element) -> str:
    """An element's text without the content of native-code elements (what OmegaT shows between its tags)."""
    text = element.text or ""
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname not in _NATIVE:
            text += _words(child)
        text += child.tail or ""
    return text


def _tag_count(element: etree._Element) -> int:
    return sum(2 if etree.QName(e).localname in ("g", "mrk") else 1
               for e in element.iterdescendants() if isinstance(e.tag, str))


def _segments_for_omegat(root: etree._Element) -> list[etree._Element]:
    """The non-empty targets (each non-empty `<mrk mtype="seg">` of a segmented one) in document order."""
    found = []
    for target in root.iter(X + "target"):
        mrks = [m for m in target.iter(X + "mrk") if m.get("mtype") == "seg"]
        found += [m for m in (mrks or [target]) if _words(m).strip()]
    return found


@pytest.fixture(scope="module")
def omegat_filled(tmp_path_factory):
    from omegat_support import OmegatProject, find_omegat_jar, project_properties, run_console_translate
    from support import need

    jar = find_omegat_jar()
    need(jar is not None, "OmegaT is not installed (Debian package omegat, installed by ./setup.sh --dev)")
    root = tmp_path_factory.mktemp("omegat-xliff")
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (root / folder).mkdir(parents=True)
    (root / "omegat.project").write_text(project_properties("fr", "en", sentence_segmentation=False), encoding="utf-8")
    filled = {}
    for name in (OMEGAT_FILE, CAT_FILE):
        filled[name] = fill(name, upper)[1]
        (root / "source" / name).write_bytes(filled[name])
    project = OmegatProject(root, root / "source" / OMEGAT_FILE, root / "target" / OMEGAT_FILE,
                            root / "tm" / "auto" / "none.tmx", None)
    return root, filled, run_console_translate(project, jar)


@pytest.mark.xdist_group("omegat")  # with omegat_filled's one OmegaT run
def test_omegat_works_on_exactly_our_filled_targets_with_our_codes_as_its_tags(omegat_filled):
    """OmegaT 3.6's XLIFF filter takes each `<target>` (each seg `<mrk>` in it) as the text to work on:
    every unit we filled is now there, with our inline elements as OmegaT tags around the same words."""
    _, filled, run = omegat_filled
    for name, data in filled.items():
        entries = [e.source for e in run.entries if e.file == name]
        expected = _segments_for_omegat(tree(data))
        assert len(entries) == 5  # 4 units we filled and 1 translated before; no locked or translate="no" one
        assert [_OMEGAT_TAG.sub("", e) for e in entries] == [_words(t) for t in expected], run.log
        assert [len(_OMEGAT_TAG.findall(e)) for e in entries] == [_tag_count(t) for t in expected]
    assert "LES DIRIGEANTS DE <g0>SIX PAYS</g0> SE SONT RÉUNIS LUNDI<x1/> DANS LA CAPITALE ARMÉNIENNE." in [
        e.source for e in run.entries]


@pytest.mark.xdist_group("omegat")  # with omegat_filled's one OmegaT run
def test_omegat_writes_the_filled_files_back_with_the_same_targets(omegat_filled):
    root, filled, _ = omegat_filled
    for name, data in filled.items():
        written = tree((root / "target" / name).read_bytes())
        ours = tree(data)
        assert [_shape(t) for t in written.iter(X + "target")] == [_shape(t) for t in ours.iter(X + "target")]


def _shape(target: etree._Element) -> list[tuple[str, dict[str, str], str, str]]:
    """Every element of a target with its attributes, text and tail (`<x/>` and `<x></x>` alike)."""
    return [(e.tag, dict(e.attrib), e.text or "", e.tail or "" if e is not target else "") for e in target.iter()]


# ---------------------------------------------------------------- end to end: `translate run projet.fr.xlf`


def _memory(path: Path, pairs: list[tuple[str, str]]) -> Path:
    units = "".join(f'<tu><tuv xml:lang="fr"><seg>{fr}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>'
                    for fr, en in pairs)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" '
                    'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="fr" '
                    f'datatype="plaintext"/><body>{units}</body></tmx>', encoding="utf-8")
    return path


def _copy_fixtures(folder: Path, names: tuple[str, ...] = FIXTURES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        (folder / name).write_bytes((DATA / name).read_bytes())
        paths.append(folder / name)
    return paths


def _check_kept(source: Path, filled: Path) -> tuple[etree._Element, etree._Element]:
    """The filled file parses, and every unit without a unit of ours serialises as in the input."""
    _, parsed = read(source.name)
    before, after = tree(source.read_bytes()), tree(filled.read_bytes())
    mine = {u.note.split()[1] for u in parsed.units}
    for old, new in zip(_holders(before), _holders(after)):
        if old.get("id") not in mine:
            assert etree.tostring(new) == etree.tostring(old)
    assert [etree.tostring(e) for e in _foreign_elements(after)] == [etree.tostring(e) for e in _foreign_elements(before)]
    return before, after


def test_run_fills_cat_tool_xliff_with_codes_around_the_same_words(tmp_path, synthetic_package):
    """The synthetic copy model's English is the French: codes must come back exactly where they were."""
    from support import run_cli

    inputs = _copy_fixtures(tmp_path / "in")
    result = run_cli("run", *map(str, inputs), "--model", str(synthetic_package), "--no-default-glossary",
                     "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} >= {
        "omegat-article.en.xlf", "trados-memoq-depeche.en.xlf", "phrase-communique.en.xlf",
        "omegat-article.fr-en.tsv", "omegat-article.fr-en.tmx", "omegat-article.fr-en.jsonl"}
    assert "2 segment(s) kept as they were (1 translate=\"no\", 1 already translated)" in result.stderr
    _, article = _check_kept(inputs[0], out / "omegat-article.en.xlf")
    units = by_id(article, X + "trans-unit")
    for number in ("1", "2", "5"):  # text the English typography leaves alone: target = source, codes included
        assert inner(units[number].find(X + "target")) == inner(units[number].find(X + "source"))
        assert units[number].find(X + "target").get("state-qualifier") == "leveraged-mt"
    assert "<bpt id=\"1\">" in inner(units["4"].find(X + "target"))
    _, depeche = _check_kept(inputs[1], out / "trados-memoq-depeche.en.xlf")
    depeche_units = by_id(depeche, X + "trans-unit")
    assert inner(depeche_units["u1"].find(X + "target")) == inner(depeche_units["u1"].find(X + "source"))
    assert inner(seg(depeche_units["u4"], "target", "2")) == inner(seg(depeche_units["u4"], "seg-source", "2"))
    assert [f.get("target-language") for f in depeche.iter(X + "file")] == ["en"]
    _, communique = _check_kept(inputs[2], out / "phrase-communique.en.xlf")
    for segment in communique.iter(X2 + "segment"):
        if segment.get("id") in ("s1", "s2", "s4"):
            assert inner(segment.find(X2 + "target")) == inner(segment.find(X2 + "source"))
            assert (segment.get("state"), segment.get("subState")) == ("initial", "translate-fr-en:leveraged-mt")
    records = [__import__("json").loads(line) for line in
               (out / "omegat-article.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    leaders = next(r for r in records if r["source"].startswith("Les dirigeants"))
    assert [c["data"] for c in leaders["codes"]] == ['<g id="1" ctype="x-html-strong">', "</g>",
                                                     '<x id="2" ctype="x-html-br"/>']


def test_run_with_tm_fills_exact_matches_as_exact_match(tmp_path, synthetic_package):
    from support import run_cli

    (source,) = _copy_fixtures(tmp_path, (OMEGAT_FILE,))
    memory = _memory(tmp_path / "memoire.tmx", [
        ("Les dirigeants de six pays se sont réunis lundi dans la capitale arménienne.",
         "The leaders of six countries met on Monday in the Armenian capital."),
        ("Sommet de l’OTSC à Erevan", "CSTO summit in Yerevan"),
    ])
    result = run_cli("run", str(source), "--model", str(synthetic_package), "--no-default-glossary",
                     "--tm", str(memory), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    _, filled = _check_kept(source, tmp_path / "out" / "omegat-article.en.xlf")
    units = by_id(filled, X + "trans-unit")
    targets = {n: units[n].find(X + "target") for n in ("1", "2", "4", "5")}
    assert targets["1"].text == "CSTO summit in Yerevan"
    assert _words(targets["2"]) == "The leaders of six countries met on Monday in the Armenian capital."
    assert [e.tag for e in targets["2"]] == [X + "g", X + "x"]  # every code back, as the same elements
    assert {n: t.get("state-qualifier") for n, t in targets.items()} == {
        "1": "exact-match", "2": "exact-match", "4": "leveraged-mt", "5": "leveraged-mt"}
    assert all(t.get("state") == "needs-review-translation" for t in targets.values())


def test_run_with_apertium_fills_english_keeping_every_code(tmp_path):
    from support import need, run_cli
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    inputs = _copy_fixtures(tmp_path / "in", (OMEGAT_FILE, CAT_FILE))
    result = run_cli("run", *map(str, inputs), "--engine", "apertium", "--no-default-glossary",
                     "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    for source in inputs:
        before, after = _check_kept(source, tmp_path / "out" / source.name.replace(".fr.", ".en."))
        _, parsed = read(source.name)
        for unit in parsed.units:
            holder = by_id(after, X + "trans-unit")[unit.note.split()[1]]
            target = seg(holder, "target", unit.note.split()[-1]) if unit.one_segment else holder.find(X + "target")
            assert _words(target).strip() and _words(target) != unit.text  # English, not the French
            code_tags = [re.sub(r' xmlns(:\w+)?="[^"]*"', "", etree.tostring(e, with_tail=False, encoding="unicode"))
                         for e in target.iterdescendants() if etree.QName(e).localname != "mrk" or e.get("mtype") != "seg"]
            assert len(code_tags) == len([c for c in unit.codes if not c.data.startswith("</")])  # one element each
            assert holder.find(X + "target").get("state-qualifier") == "leveraged-mt"
    article = by_id(tree((tmp_path / "out" / "omegat-article.en.xlf").read_bytes()), X + "trans-unit")
    assert "six" in inner(article["2"].find(X + "target")).split('<g id="1" ctype="x-html-strong">')[1].split("</g>")[0]


def test_run_refuses_a_non_french_or_broken_xliff_in_one_line_and_writes_nothing(tmp_path, synthetic_package):
    from support import run_cli

    text = (DATA / CAT_FILE).read_text(encoding="utf-8")
    german = tmp_path / "projekt.de.xlf"
    german.write_text(text.replace('"fr-FR"', '"de-DE"'), encoding="utf-8")
    broken = tmp_path / "projet.fr.xlf"
    broken.write_text(text.replace("</trans-unit>", "", 1), encoding="utf-8")
    for path, expected in ((german, "source language is 'de-DE'"), (broken, "not well-formed XML")):
        result = run_cli("run", str(path), "--model", str(synthetic_package), "-o", str(tmp_path / "out"))
        assert result.returncode == 2
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_phrase_lock_group_inheritance_and_older_unnamespaced_xliff():
    phrase = (f'<xliff xmlns="{NS_12}" xmlns:m="http://www.memsource.com/mxlf/2.0" version="1.2"><file original="a" '
              'source-language="fr" datatype="x-undefined"><body><group id="0"><trans-unit id="a" m:locked="true">'
              '<source>Bloqué</source><target/></trans-unit><trans-unit id="b" m:locked="false"><source>Libre</source>'
              '<target/></trans-unit></group><group translate="no"><trans-unit id="c"><source>Non</source>'
              '</trans-unit></group></body></file></xliff>')
    assert [u.note for u in FORMAT.read(phrase.encode(), Path("a.mxliff")).units] == ["trans-unit b"]
    v2 = (f'<xliff xmlns="{NS_20}" version="2.1" srcLang="fr"><file id="f"><group id="g" translate="no"><unit id="a">'
          '<segment><source>Non</source></segment></unit><group id="g2" translate="yes"><unit id="b"><segment>'
          '<source>Oui <sm id="m" type="comment"/>là<em startRef="m"/>.</source></segment></unit></group></group>'
          '</file></xliff>')
    (unit,) = FORMAT.read(v2.encode(), Path("a.xlf")).units
    assert (unit.note, [c.kind for c in unit.codes]) == ("unit b segment 1", ["open", "close"])
    old = (b'<?xml version="1.0"?>\n<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" '
           b'"http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">\n<xliff version="1.0"><file original="a" '
           b'source-language="fr-CA" datatype="plaintext"><body><trans-unit id="1"><source>Bonjour <g id="1">monde</g>'
           b'</source></trans-unit></body></file></xliff>')
    parsed = FORMAT.read(old, Path("a.xlf"))
    out = FORMAT.write(parsed, [identity(u) for u in parsed.units], "en")
    assert out.startswith(old[:old.index(b"<xliff")])  # the DOCTYPE is kept (and never fetched)
    assert b'<target state="needs-review-translation" state-qualifier="leveraged-mt">Bonjour <g id="1">monde</g></target>' in out
