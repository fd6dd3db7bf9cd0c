"""TMX 1.4b validity: DTD validation against the tmx14.dtd that the Debian `omegat` package ships inside
OmegaT.jar, plus field-by-field checks of what the DTD cannot say (dates, one srclang, no BOM, props)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

import pytest
from lxml import etree

from omegat_support import find_omegat_jar
from support import need, term_hit
from translate.document import Document, Paragraph, QaFinding, RunFacts, Segment
from translate.formats import WriteOptions
from translate.formats.tmx import CAT_SAFE_CHARS, TmxWriter, paragraph_runs

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPTIONS = WriteOptions(created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), tool_version="0.1.0")
TMX_DATE = re.compile(r"\d{8}T\d{6}Z")
SEGTYPES = {"block", "paragraph", "sentence", "phrase"}
HEADER_REQUIRED = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype")
"""Header attributes TMX 1.4b makes mandatory (section 3.1 'header')."""
XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def make_document() -> Document:
    s1 = Segment(1, 0, "Titre de l’article", target="Article title", origin="argos:fr_en-1_9", score=-0.25,
                 glossary_hits=[term_hit("article", "article")])
    s2 = Segment(2, 1, "Il a dit « non » & <b>oui</b>.", space_after=" ", target='He said "no" & <b>yes</b>.',
                 origin="apertium")
    s3 = Segment(3, 1, "Un caractère\x0b interdit.", space_after="\n", target="A forbidden\x0b character.",
                 origin="apertium", qa=[QaFinding("numbers", "numbers differ")])
    s4 = Segment(4, 1, "Ligne suivante.", target="Next line.", origin="apertium")
    s5 = Segment(5, 2, "https://example.org", target="https://example.org", origin="copy", translatable=False)
    long_source = "Une phrase très longue, " * 60 + "fin."
    s6 = Segment(6, 3, long_source, target="A very long sentence, " * 60 + "end.", origin="apertium")
    return Document(
        [Paragraph(0, [s1], separator="\n\n"), Paragraph(1, [s2, s3, s4], separator="\n\n"),
         Paragraph(2, [s5], separator="\n\n"), Paragraph(3, [s6])],
        name="article.fr.txt", meta=RunFacts(engine="apertium"),
    )


def render(paragraph_units: bool = False, options: WriteOptions = OPTIONS) -> str:
    return TmxWriter(paragraph_units=paragraph_units).render(make_document(), options)


def parse(text: str) -> etree._Element:
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    return etree.fromstring(text.encode("utf-8"), parser)


@pytest.fixture(scope="module")
def tmx_dtd() -> etree.DTD:
    """The TMX 1.4b DTD as OmegaT ships it (`schemas/tmx14.dtd` inside OmegaT.jar)."""
    jar = find_omegat_jar()
    need(jar is not None, "OmegaT.jar (Debian package omegat, installed by ./setup.sh --dev) holds tmx14.dtd and is absent")
    with zipfile.ZipFile(jar) as archive:
        return etree.DTD(io.BytesIO(archive.read("schemas/tmx14.dtd")))


@pytest.mark.parametrize("paragraph_units", [False, True])
def test_valid_against_the_tmx14_dtd(tmx_dtd, paragraph_units):
    root = parse(render(paragraph_units))
    assert tmx_dtd.validate(root), tmx_dtd.error_log.filter_from_errors()


def test_the_dtd_check_can_fail(tmx_dtd):
    no_srclang = re.sub(r' srclang="[^"]*"', "", render(), count=1)
    assert not tmx_dtd.validate(parse(no_srclang))
    seg_after_prop = render().replace("<seg>Article title</seg>", "<seg>Article title</seg><prop type='x'>y</prop>")
    assert not tmx_dtd.validate(parse(seg_after_prop))


def test_header_has_every_required_attribute_and_a_tmx_date():
    header = parse(render()).find("header")
    for name in HEADER_REQUIRED:
        assert header.get(name), name
    assert header.get("segtype") in SEGTYPES
    assert header.get("creationtoolversion") == "0.1.0"
    assert header.get("creationdate") == "20260102T030405Z"
    engine = [p.text for p in header.findall("prop") if p.get("type") == "x-engine"]
    assert engine == ["apertium"]


def test_every_tu_has_two_tuvs_with_lang_and_a_seg_and_one_srclang():
    for paragraph_units in (False, True):
        root = parse(render(paragraph_units, WriteOptions(source_locale="fr-FR", target_locale="en-US")))
        srclang = root.find("header").get("srclang")
        assert srclang == "fr-FR"
        for tu in root.iter("tu"):
            tuvs = tu.findall("tuv")
            assert [t.get(XML_LANG) for t in tuvs] == ["fr-FR", "en-US"]
            assert all(len(t.findall("seg")) == 1 for t in tuvs)
            assert TMX_DATE.fullmatch(tu.get("creationdate"))
            assert tu.get("segtype", "sentence") in SEGTYPES
        tuids = [tu.get("tuid") for tu in root.iter("tu")]
        assert len(tuids) == len(set(tuids))


def test_no_bom_utf8_declared_and_only_xml_legal_characters():
    text = render(True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert not text.startswith("\ufeff") and not XML_ILLEGAL.search(text)
    assert parse(text).find(".//tu[@tuid='3']/tuv/seg").text == "Un caractère interdit."


def test_per_unit_properties_name_engine_score_glossary_and_qa():
    def props(tuid: str) -> dict[str, str]:
        return {p.get("type"): p.text for p in parse(render()).find(f".//tu[@tuid='{tuid}']").findall("prop")}

    assert props("1") == {"x-origin": "argos:fr_en-1_9", "x-engine": "argos:fr_en-1_9", "x-score": "-0.2500",
                          "x-glossary": '["article"]'}
    assert props("3") == {"x-origin": "apertium", "x-engine": "apertium", "x-qa": "numbers"}
    assert props("5") == {"x-origin": "copy"}


def test_long_segments_are_kept_whole_with_a_warning_property():
    unit = parse(render()).find(".//tu[@tuid='6']")
    source = make_document().segments[5].source
    assert len(source) > CAT_SAFE_CHARS
    assert unit.find("tuv/seg").text == source  # never truncated
    warnings = [p.text for p in unit.findall("prop") if p.get("type") == "x-warning"]
    assert warnings == [f"long-segment: {len(source)} characters (CAT-safe limit {CAT_SAFE_CHARS})"]
    assert all(p.get("type") != "x-warning" for p in parse(render()).find(".//tu[@tuid='1']").findall("prop"))


def test_paragraph_units_cover_each_line_run_of_two_or_more_sentences():
    document = make_document()
    assert paragraph_runs(document.paragraphs[0]) == []
    assert paragraph_runs(document.paragraphs[1]) == [
        ("Il a dit « non » & <b>oui</b>. Un caractère\x0b interdit.",
         'He said "no" & <b>yes</b>. A forbidden\x0b character.'),
    ]
    root = parse(render(True))
    extra = [tu for tu in root.iter("tu") if tu.get("segtype") == "paragraph"]
    assert [tu.get("tuid") for tu in extra] == ["p2.1"]
    assert [tu.get("tuid") for tu in parse(render()).iter("tu")] == ["1", "2", "3", "4", "5", "6"]
