"""XLIFF states and notes on real pipeline output (issue 11.6): machine output is a draft
(needs-review-translation, leveraged-mt), memory matches are exact-match, glossary repairs read as
sentences, and units whose whitespace matters say xml:space="preserve"."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from support import PlaceholderMangler, need, run_cli
from translate.api import PipelineOptions, build_pipeline
from translate.engines.apertium import apertium_status
from translate.document import Document, Paragraph, Segment
from translate.formats import WriteOptions
from translate.formats.xliff import XliffWriter

NS = "{urn:oasis:names:tc:xliff:document:1.2}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def render(document: Document) -> ET.Element:
    return ET.fromstring(XliffWriter().render(document, WriteOptions()).encode("utf-8"))


def test_glossary_repair_notes_on_real_pipeline_output_are_sentences() -> None:
    pipeline = build_pipeline(PlaceholderMangler(), PipelineOptions(typography=False))
    document = pipeline("L’OTAN, l’ONU, la CEI et l’OTSC se réunissent à Bichkek.\n")
    repairs = document.segments[0].glossary_repairs
    assert {r.method for r in repairs} == {"placeholder-fuzzy", "position"}  # the engine really broke them
    notes = [n.text for n in render(document).iter(f"{NS}note") if n.get("from") == "glossary"]
    assert notes == [
        "glossary repair: OTAN → NATO (the engine altered the term's placeholder; the term was put back in its place)",
        "glossary repair: Bichkek → Bishkek (the engine altered the term's placeholder; the term was put back in its place)",
        "glossary repair: CEI → CIS (the engine dropped the term; it was inserted at the same relative position as in the French)",
    ]
    assert not any("{" in note for note in notes)


def test_engine_output_is_a_draft_whatever_its_score() -> None:
    document = build_pipeline(PlaceholderMangler(), PipelineOptions(default_glossary=False))("Bonjour tout le monde.\n")
    target = render(document).find(f".//{NS}target")
    assert (target.get("state"), target.get("state-qualifier")) == ("needs-review-translation", "leveraged-mt")


def test_xml_space_preserve_only_where_whitespace_matters() -> None:
    segments = [Segment(1, 0, "Tapez  dpkg  -l", target="Type  dpkg  -l", origin="apertium"),
                Segment(2, 0, "Une phrase.", target="A sentence.", origin="apertium")]
    units = {u.get("id"): u for u in render(Document([Paragraph(0, segments)])).iter(f"{NS}trans-unit")}
    assert units["1"].get(XML_SPACE) == "preserve" and units["2"].get(XML_SPACE) is None
    assert units["1"].find(f"{NS}target").text == "Type  dpkg  -l"



def test_cli_xliff_states_for_apertium_output_and_memory_matches(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "note.fr.txt"
    source.write_text("Le ministre a parlé mardi.\n\nLa séance est levée.\n", encoding="utf-8")
    memory = tmp_path / "memory.tsv"
    memory.write_text("fr\ten\nLa séance est levée.\tThe meeting is adjourned.\n", encoding="utf-8")
    result = run_cli("run", str(source), "--engine", "apertium", "--formats", "xliff", "--tm", str(memory),
                     "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    root = ET.parse(tmp_path / "out" / "note.fr-en.xlf").getroot()
    states = [(t.get("state"), t.get("state-qualifier")) for t in root.iter(f"{NS}target")]
    assert states == [("needs-review-translation", "leveraged-mt"), ("translated", "exact-match")]


QUALIFIERS = {
    "exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited", "leveraged-mt",
    "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar", "rejected-inaccurate",
    "rejected-length", "rejected-spelling", "tm-suggestion",
}
"""The `state-qualifier` values XLIFF 1.2 defines."""


def test_every_qualifier_is_one_the_spec_defines() -> None:
    segments = [Segment(1, 0, "Un.", target="One.", origin="apertium"), Segment(2, 0, "Deux.", target="Two.", origin="tm"),
                Segment(3, 0, "2024", target="2024", origin="copy", translatable=False), Segment(4, 0, "Rien.")]
    targets = list(render(Document([Paragraph(0, segments)])).iter(f"{NS}target"))
    assert [t.get("state-qualifier") for t in targets] == ["leveraged-mt", "exact-match", None, None]
    assert {t.get("state-qualifier") for t in targets} - {None} <= QUALIFIERS
