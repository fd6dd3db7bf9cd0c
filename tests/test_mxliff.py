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
