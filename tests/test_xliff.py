"""XLIFF 1.2 writer: the structure the spec requires (checked element by element, as no XSD ships in any
installable package here), review states a reviser can filter on, notes that say why, and safe text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from translate.document import Document, Paragraph, QaFinding, RunFacts, Segment, TermRepair
from translate.formats import WriteOptions, writers
from translate.formats.xliff import REVIEW_BELOW_SCORE, XliffWriter, review_decision

NS = "{urn:oasis:names:tc:xliff:document:1.2}"
EXTRA = "{urn:translate-fr-en:xliff-extras}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPTIONS = WriteOptions(created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))

STATES = {
    "final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
    "needs-review-translation", "needs-translation", "new", "signed-off", "translated",
}
"""The `state` values XLIFF 1.2 defines (section 'state'); `x-` names are the only other legal ones."""


def make_document() -> Document:
    title = Segment(1, 0, "Titre de l’article", target="Article title", origin="argos", score=-0.2)
    s2 = Segment(2, 1, "Il a dit « non » & <b>oui</b>.", space_after=" ", target='He said "no" & <b>yes</b>.',
                 origin="argos", score=-1.7)
    s3 = Segment(3, 1, "Le traité de l’OTAN.", target="The NATO treaty.", origin="argos", score=-0.3,
                 qa=[QaFinding("numbers", "2022 missing in target")])
    s4 = Segment(4, 2, "https://example.org/a?b=1&c=2", target="https://example.org/a?b=1&c=2",
                 origin="copy", translatable=False)
    s5 = Segment(5, 2, "Contrôle\x07 caractère.", target="Control\x07 character.", origin="apertium",
                 unknown_words=["caractère"])
    s6 = Segment(6, 3, "L’OTSC se réunit.", target="The CSTO meets.", origin="argos", score=-0.4,
                 glossary_repairs=[TermRepair("OTSC", "CSTO", "otsc", "source-replaced")])
    s7 = Segment(7, 3, "Phrase oubliée.", origin="")
    s8 = Segment(8, 4, "Bonjour.", target="Hello.", origin="tm")
    s9 = Segment(9, 4, "Il a 3 ans.", target="He is 4.", origin="tm",
                 qa=[QaFinding("number-mismatch", "numbers differ")])
    return Document(
        [Paragraph(0, [title], separator="\n\n"), Paragraph(1, [s2, s3], separator="\n\n"),
         Paragraph(2, [s4, s5], separator="\n\n"), Paragraph(3, [s6, s7], separator="\n\n"), Paragraph(4, [s8, s9])],
        name="article.fr.txt", meta=RunFacts(engine="argos"),
    )


@pytest.fixture(scope="module")
def root() -> ET.Element:
    return ET.fromstring(XliffWriter().render(make_document(), OPTIONS).encode("utf-8"))


def units(root: ET.Element) -> dict[str, ET.Element]:
    return {u.get("id"): u for u in root.iter(f"{NS}trans-unit")}


def local(element: ET.Element) -> str:
    return element.tag.replace(NS, "")


def test_registered_and_named_like_the_other_outputs():
    writer = writers()["xliff"]
    assert isinstance(writer, XliffWriter)
    assert writer.filename("article", OPTIONS) == "article.fr-en.xlf"
    assert writer.filename("article", WriteOptions(source_locale="fr-FR", target_locale="en-GB")) == "article.fr-en.xlf"


def test_root_and_file_carry_the_required_attributes(root):
    assert root.tag == f"{NS}xliff" and root.get("version") == "1.2"
    files = root.findall(f"{NS}file")
    assert len(files) == 1
    file = files[0]
    assert file.get("original") == "article.fr.txt"
    assert file.get("source-language") == "fr" and file.get("target-language") == "en"
    assert file.get("datatype") == "plaintext"
    assert file.get("date") == "2026-01-02T03:04:05Z"
    assert [local(c) for c in file] == ["header", "body"]
    tool = file.find(f"{NS}header/{NS}tool")
    assert tool.get("tool-id") == file.get("tool-id") and tool.get("tool-name") and tool.get("tool-version") == "0.1.0"


def test_locales_follow_the_options():
    options = WriteOptions(source_locale="fr-FR", target_locale="en-US")
    root = ET.fromstring(XliffWriter().render(make_document(), options))
    file = root.find(f"{NS}file")
    assert (file.get("source-language"), file.get("target-language")) == ("fr-FR", "en-US")
    assert {s.get(XML_LANG) for s in root.iter(f"{NS}source")} == {"fr-FR"}
    assert {t.get(XML_LANG) for t in root.iter(f"{NS}target")} == {"en-US"}


def test_content_model_of_every_element_follows_xliff_12(root):
    """trans-unit: source, target?, note*; group: trans-unit+; ids unique; states from the spec's list."""
    body = root.find(f"{NS}file/{NS}body")
    assert all(local(child) == "group" for child in body)
    ids = []
    for group in body:
        assert group.get("restype") == "x-paragraph" and group.get("id")
        ids.append(group.get("id"))
        assert len(group) and all(local(unit) == "trans-unit" for unit in group)
        for unit in group:
            ids.append(unit.get("id"))
            assert re.fullmatch(r"source(target)?(note)*", "".join(local(c) for c in unit)), unit.get("id")
            assert unit.get("translate") in (None, "yes", "no")
            target = unit.find(f"{NS}target")
            assert target.get("state") in STATES
            for note in unit.findall(f"{NS}note"):
                assert note.get("annotates") in ("source", "target", "general") and note.get("from") and note.text
    assert len(ids) == len(set(ids))


def test_one_unit_per_segment_grouped_by_paragraph(root):
    groups = root.findall(f"{NS}file/{NS}body/{NS}group")
    assert [[u.get("id") for u in g] for g in groups] == [["1"], ["2", "3"], ["4", "5"], ["6", "7"], ["8", "9"]]


def test_review_states_follow_the_origin(root):
    """Machine output is a draft whatever its score; memory matches are exact matches; copies are final."""
    found = {uid: (u.find(f"{NS}target").get("state"), u.find(f"{NS}target").get("state-qualifier"))
             for uid, u in units(root).items()}
    assert found == {
        "1": ("needs-review-translation", "leveraged-mt"),  # good score, still machine output
        "2": ("needs-review-translation", "leveraged-mt"),  # score -1.7 below the threshold: a note says so
        "3": ("needs-review-translation", "leveraged-mt"),
        "4": ("final", None),  # copied verbatim
        "5": ("needs-review-translation", "leveraged-mt"),
        "6": ("needs-review-translation", "leveraged-mt"),
        "7": ("needs-translation", None),  # nothing came out
        "8": ("translated", "exact-match"),  # the translator's own memory
        "9": ("needs-review-translation", "exact-match"),  # a memory match QA flagged
    }
    assert units(root)["4"].get("translate") == "no"
    assert all(u.get("translate") is None for uid, u in units(root).items() if uid != "4")


def test_notes_say_why_a_segment_needs_review(root):
    def notes(uid: str) -> list[str]:
        return [n.text for n in units(root)[uid].findall(f"{NS}note")]

    assert notes("1") == []
    assert notes("2") == [f"low engine confidence: score -1.700 < {REVIEW_BELOW_SCORE:.3f}"]
    assert notes("3") == ["numbers: 2022 missing in target"]
    assert notes("5") == ["unknown words: caractère"]
    assert notes("6") == ["glossary repair: OTSC → CSTO (the engine copied the French term; it was replaced)"]


def test_score_and_origin_travel_as_namespaced_attributes(root):
    unit = units(root)["2"]
    assert unit.get(f"{EXTRA}score") == "-1.7000" and unit.get(f"{EXTRA}origin") == "argos"
    assert units(root)["5"].get(f"{EXTRA}score") is None


def test_text_is_escaped_and_stripped_of_xml_illegal_characters(root):
    unit = units(root)["2"]
    assert unit.find(f"{NS}source").text == "Il a dit « non » & <b>oui</b>."
    assert unit.find(f"{NS}target").text == 'He said "no" & <b>yes</b>.'
    assert units(root)["4"].find(f"{NS}source").text == "https://example.org/a?b=1&c=2"
    assert units(root)["5"].find(f"{NS}source").text == "Contrôle caractère."


def test_output_is_utf8_without_bom_and_declares_it():
    text = XliffWriter().render(make_document(), OPTIONS)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff ')
    assert not text.startswith("\ufeff") and "\r" not in text


def test_threshold_is_configurable_and_a_missing_score_never_gives_a_low_confidence_note():
    def low(decision) -> bool:
        return any(text.startswith("low engine confidence") for _, text in decision.notes)

    segment = Segment(1, 0, "Phrase.", target="Sentence.", origin="argos", score=-0.8)
    assert not low(review_decision(segment))
    assert low(review_decision(segment, review_below=-0.5))
    unscored = Segment(1, 0, "Phrase.", target="Sentence.", origin="apertium", score=None)
    assert not low(review_decision(unscored, review_below=0.0))


def test_findings_without_message_are_kept_whole():
    segment = Segment(1, 0, "Phrase.", target="Sentence.", qa=[QaFinding("length", "")])
    assert review_decision(segment).notes == [("qa", '{"check": "length", "message": ""}')]
