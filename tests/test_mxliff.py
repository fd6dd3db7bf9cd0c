"""Phrase (Memsource) MXLIFF: its tags written as text (`{1}`, `{2>`…`<2}`, `{b>`…`<b}`) are inline codes
of the XLIFF reader, never engine text: each comes back exactly once in the target, pairs around the same
words; a tag an engine dropped or repeated, or one left in the English text, is a QA finding. The rest of
the file comes back byte for byte. The fixture is a hand-written file laid out as Phrase exports them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from translate.document import InlineCode, Segment
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.xliff_in import FORMAT, NS_12
from translate.phrase_tags import find_placeholders, is_placeholder

DATA = Path(__file__).parent / "data" / "xliff_in"
MXLIFF = "phrase-depeche.fr.mxliff"
X = f"{{{NS_12}}}"
M_NS = "http://www.memsource.com/mxlf/2.0"


def read(name: str = MXLIFF, data: bytes | None = None) -> ParsedFile:
    return FORMAT.read(data if data is not None else (DATA / name).read_bytes(), DATA / name)


def targets(data: bytes) -> dict[str, str | None]:
    """trans-unit id → its target's text (placeholders are text: the whole target is its text)."""
    root = etree.fromstring(data)
    out = {}
    for unit in root.iter(X + "trans-unit"):
        target = unit.find(X + "target")
        assert target is None or len(target) == 0, "a Phrase target holds text only"
        out[unit.get("id")] = None if target is None else (target.text or "")
    return out


def phrase_tags(text: str) -> list[str]:
    return [p.text for p in find_placeholders(text)]


# ---------------------------------------------------------------- the recogniser


@pytest.mark.parametrize("text, found", [
    ("{1}", [("{1}", "isolated", "1")]),
    ("{1>", [("{1>", "open", "1")]),
    ("<1}", [("<1}", "close", "1")]),
    ("{b>", [("{b>", "open", "b")]),
    ("<b}", [("<b}", "close", "b")]),
    ("a {12>lien<12} et {sup>2<sup}{3}.", [("{12>", "open", "12"), ("<12}", "close", "12"),
                                           ("{sup>", "open", "sup"), ("<sup}", "close", "sup"),
                                           ("{3}", "isolated", "3")]),
])
def test_recogniser_finds_phrase_tags(text, found):
    assert [(p.text, p.kind, p.name) for p in find_placeholders(text)] == found
    for p in find_placeholders(text):
        assert text[p.start:p.end] == p.text and is_placeholder(p.text)


@pytest.mark.parametrize("text", [
    "{ not a tag }", "{ 1 }", '{"id": 1, "b": [2]}', "{1: 2}", "{a}", "{b}", "{1,2}", "{{", "}}",
    "{{1}}", "{{b>", "<1}}", "{}", "<>", "a < 1 } b", "x{-1}", "{Bold>", "<B}", "{1 >", "< 1}",
    "{abcdefg>", "{123456}",
])
def test_recogniser_ignores_braces_that_are_not_phrase_tags(text):
    assert find_placeholders(text) == []
    assert not is_placeholder(text)


def test_is_placeholder_wants_exactly_one_tag_not_xliff_markup():
    assert not is_placeholder('<x id="1"/>') and not is_placeholder("<g id=\"2\">") and not is_placeholder("</g>")
    assert not is_placeholder("{1}{2}") and not is_placeholder(" {1}")


# ---------------------------------------------------------------- reading and writing


def test_phrase_tags_are_inline_codes_not_text():
    units = read().units
    assert [u.note for u in units] == ["trans-unit q1Ww:0", "trans-unit q1Ww:1", "trans-unit q1Ww:2",
                                       "trans-unit q1Ww:4"]
    assert units[0].text == "Le ministre de l'Économie a présenté le budget lundi."
    assert [(c.id, c.kind, c.data, c.position) for c in units[0].codes] == [
        (1, "open", "{b>", 3), (1, "close", "<b}", 25)]
    assert units[1].text == "Selon le rapport annuel, la dette atteint 3 000 milliards d'euros."
    assert [(c.id, c.kind, c.data) for c in units[1].codes] == [
        (1, "open", "{1>"), (1, "close", "<1}"), (2, "isolated", "{2}")]
    assert units[1].text[units[1].codes[0].position:units[1].codes[1].position] == "le rapport annuel"
    assert [(c.kind, c.data) for c in units[2].codes] == [
        ("isolated", "{3}"), ("open", "{i>"), ("close", "<i}"), ("open", "{4>"), ("close", "<4}")]
    assert units[3].text == "Le texte { sans balise } reste tel quel." and units[3].codes == []


def test_unpaired_halves_are_isolated_codes_and_a_source_of_tags_only_is_no_unit():
    body = ('<trans-unit id="a"><source>{7>Début du lien</source><target/></trans-unit>'
            '<trans-unit id="b"><source>fin du lien&lt;7} et &lt;b} seul {{1}} {"k": 2}</source><target/></trans-unit>'
            '<trans-unit id="c"><source>{5}</source><target/></trans-unit>')
    units = read(data=_phrase_file(body)).units
    assert [(u.note, u.text) for u in units] == [("trans-unit a", "Début du lien"),
                                                  ("trans-unit b", 'fin du lien et  seul {{1}} {"k": 2}')]
    assert [(c.kind, c.data) for c in units[0].codes] == [("isolated", "{7>")]
    assert [(c.kind, c.data) for c in units[1].codes] == [("isolated", "<7}"), ("isolated", "<b}")]


def test_other_cat_tools_keep_braces_as_text():
    """An OmegaT/Okapi XLIFF has its tags as elements: `{1}` in its text is text (a code sample, a template)."""
    data = (f'<xliff xmlns="{NS_12}" version="1.2"><file original="a" source-language="fr" datatype="plaintext">'
            '<body><trans-unit id="1"><source>Écrire {1} puis {b>gras&lt;b}.</source></trans-unit></body></file>'
            '</xliff>').encode()
    (unit,) = FORMAT.read(data, Path("a.xlf")).units
    assert unit.text == "Écrire {1} puis {b>gras<b}." and unit.codes == []


def test_a_phrase_file_is_known_by_its_namespace_or_its_suffix():
    body = '<trans-unit id="1"><source>Voir {1}.</source></trans-unit>'
    without_ns = _phrase_file(body).replace(f' xmlns:m="{M_NS}"'.encode(), b"")
    assert [c.data for c in FORMAT.read(without_ns, Path("projet.fr.mxliff")).units[0].codes] == ["{1}"]
    assert FORMAT.read(without_ns, Path("projet.fr.xlf")).units[0].codes == []
    assert [c.data for c in FORMAT.read(_phrase_file(body), Path("projet.xlf")).units[0].codes] == ["{1}"]


def test_filled_targets_hold_each_tag_once_as_text_around_the_same_words():
    parsed = read()

    def upper(unit: TextUnit) -> UnitTranslation:
        return UnitTranslation(unit.text.upper(), list(unit.codes), origin="apertium")

    out = FORMAT.write(parsed, [upper(u) for u in parsed.units], "en")
    filled = targets(out)
    assert filled["q1Ww:0"] == "LE {b>MINISTRE DE L'ÉCONOMIE<b} A PRÉSENTÉ LE BUDGET LUNDI."
    assert filled["q1Ww:1"] == "SELON {1>LE RAPPORT ANNUEL<1}, LA DETTE ATTEINT 3 000 MILLIARDS D'EUROS{2}."
    assert filled["q1Ww:2"] == "{3}LE GOUVERNEMENT {i>PRÉVOIT<i} UNE HAUSSE DES IMPÔTS {4>EN 2027<4}."
    assert filled["q1Ww:3"] == "{1}Budget 2027"  # locked: as it was
    assert filled["q1Ww:4"] == "LE TEXTE { SANS BALISE } RESTE TEL QUEL."
    english = "In 2027 the government plans a tax rise."
    moved = UnitTranslation(english, [InlineCode(1, "isolated", "{3}", 0), InlineCode(4, "open", "{4>", 0),
                                      InlineCode(4, "close", "<4}", 7), InlineCode(2, "open", "{i>", 23),
                                      InlineCode(2, "close", "<i}", 28)], origin="apertium")
    rest = [upper(u) for u in parsed.units]
    rest[2] = moved
    assert targets(FORMAT.write(parsed, rest, "en"))["q1Ww:2"] == "{3}{4>In 2027<4} the government {i>plans<i} a tax rise."


def _phrase_file(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS_12}" xmlns:m="{M_NS}" version="1.2">'
            f'<file original="a.docx" source-language="fr" datatype="x-undefined"><body>{body}</body></file>'
            '</xliff>\n').encode()
