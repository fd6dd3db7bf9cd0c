"""Glossary enforcement: every matched term comes out as its target, whatever the engine does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

import pytest

from support import need
from glossary.builtin import builtin_glossary
from translate.document import Document, Paragraph, Segment
from translate.terms import protect, term_accuracy, verify

BUILTIN = builtin_glossary()
SENTENCES = (Path(__file__).parent / "data" / "glossary_sentences.fr.txt").read_text(encoding="utf-8").splitlines()


def make_document(lines: Sequence[str]) -> Document:
    return Document([Paragraph(i, [Segment(i + 1, i, line)]) for i, line in enumerate(lines)])


def run(lines: Sequence[str], engine: Callable[[list[str]], list[str]]) -> Document:
    """Segmentation stand-in → protect → engine → verify, as the pipeline does."""
    doc = make_document(lines)
    protect(doc, BUILTIN)
    for segment, text in zip(doc, engine([s.text_for_engine for s in doc])):
        segment.target = text
    verify(doc, BUILTIN)
    return doc


def identity(texts: list[str]) -> list[str]:
    return list(texts)


def mangler(texts: list[str]) -> list[str]:
    """Treats placeholders as an unreliable engine would: keeps, adds a thousands separator, marks, drops."""
    def mangle(m: re.Match[str]) -> str:
        n = int(m.group()) % 4
        return [m.group(), f"{m.group()[0]},{m.group()[1:]}", f"*{m.group()}", ""][n]
    return [re.sub(r"\b9\d{3}\b", mangle, t) for t in texts]


def test_test_set_is_rich_in_terms() -> None:
    doc = make_document(SENTENCES)
    protect(doc, BUILTIN)
    assert len(SENTENCES) >= 100
    assert all(s.glossary_hits for s in doc)
    assert term_accuracy(doc)[1] >= 200


def test_protect_hides_terms_and_records_hits() -> None:
    doc = make_document(["Les pays de l’OTSC et la Maison Blanche."])
    protect(doc, BUILTIN)
    seg = doc.segments[0]
    assert seg.engine_input == "Les pays de 9001 et la 9002."
    assert [(h.source, h.target, h.start, h.end) for h in seg.glossary_hits] == [
        ("OTSC", "CSTO", 14, 18), ("Maison Blanche", "White House", 25, 39)
    ]
    assert seg.glossary_hits[0].entry.startswith("news.fr-en.tsv:")
    protect(doc, BUILTIN)  # a second call leaves the segment alone
    assert seg.engine_input == "Les pays de 9001 et la 9002."


def test_placeholders_avoid_numbers_already_in_the_sentence() -> None:
    doc = make_document(["En 9001 et 9002, l’OTAN comptait 8001 soldats."])
    protect(doc, BUILTIN)
    assert doc.segments[0].engine_input == "En 9001 et 9002, 7001 comptait 8001 soldats."


def test_untranslatable_segments_are_left_alone() -> None:
    doc = make_document(["OTAN"])
    doc.segments[0].translatable = False
    protect(doc, BUILTIN)
    assert doc.segments[0].engine_input is None and not doc.segments[0].glossary_hits


@pytest.mark.parametrize("engine", [identity, mangler], ids=["identity", "mangler"])
def test_term_accuracy_is_total(engine: Callable[[list[str]], list[str]]) -> None:
    doc = run(SENTENCES, engine)
    ok, total = term_accuracy(doc)
    assert ok == total >= 200
    assert not any(re.search(r"\b9[ ,]?0\d\d\b", s.target) for s in doc)


def test_mangled_placeholders_are_repaired_and_recorded() -> None:
    doc = run(["L’OTAN, l’ONU, la CEI et l’OTSC se réunissent à Bichkek."], mangler)
    seg = doc.segments[0]
    methods = [(r.target, r.method) for r in seg.glossary_repairs]
    assert methods == [("NATO", "placeholder-fuzzy"), ("Bishkek", "placeholder-fuzzy"), ("CIS", "position")]
    assert all(term in seg.target for term in ("NATO", "UN", "CIS", "CSTO", "Bishkek"))


def test_engine_ignoring_placeholders_gets_source_terms_replaced() -> None:
    doc = make_document(["Le Kirghizistan a quitté la CEI."])
    protect(doc, BUILTIN)
    seg = doc.segments[0]
    seg.target = "The Kirghizistan has left the CEI."  # an engine that was given the raw source
    verify(doc, BUILTIN)
    assert seg.target == "Kyrgyzstan has left the CIS."
    assert [r.method for r in seg.glossary_repairs] == ["source-replaced", "source-replaced"]


def test_engine_own_translation_is_accepted() -> None:
    doc = make_document(["L’OTAN se réunit."])
    protect(doc, BUILTIN)
    doc.segments[0].target = "NATO is meeting."
    verify(doc, BUILTIN)
    assert doc.segments[0].target == "NATO is meeting."
    assert doc.segments[0].glossary_repairs[0].method == "present"


@pytest.mark.parametrize(
    "french, engine_output, english",
    [
        ("L’OTAN a annoncé.", "The 9001 has announced.", "NATO has announced."),
        ("L’OTAN a annoncé.", "L'9001 a annoncé.", "NATO a annoncé."),
        ("le sommet de l’OTAN", "the summit of the' 9001", "the summit of NATO"),
        ("Le sommet de l’OTAN", "The 9001 summit", "The NATO summit"),
        ("Le Kirghizistan reste", "The 9001 Rest", "Kyrgyzstan rest"),
        ("la dette du Kirghizistan reste", "the debt of the 9001 high", "the debt of Kyrgyzstan high"),
        ("les pays de l’OTSC", "the countries of 9001", "the countries of the CSTO"),
        ("L’ONU a dit", "9001 has said", "The UN has said"),
        ("selon l’ONU", "according to the the 9001", "according to the UN"),
        ("un groupe pro-OTAN", "a group pro-9001", "a group pro-NATO"),
        ("à La Haye", "in the 9001", "in The Hague"),
        ("Le groupe de réflexion", "9001 said", "Think tank said"),
        ("Moscou considère", "9001 Consider", "Moscow consider"),
        ("Moscou considère l’OTSC", "9001 it considers the 9002", "Moscow considers the CSTO"),
        ("Moscou le considère", "9001 it considers", "Moscow it considers"),
        ("Le Kazakhstan est membre", "9001 this member", "Kazakhstan is member"),
        ("Le Kirghizistan a 9 001 soldats", "The 8,001 has 9 001 soldiers", "Kyrgyzstan has 9 001 soldiers"),
    ],
)
def test_english_is_made_grammatical_around_terms(french: str, engine_output: str, english: str) -> None:
    doc = make_document([french])
    protect(doc, BUILTIN)
    doc.segments[0].target = engine_output
    verify(doc, BUILTIN)
    assert doc.segments[0].target == english


def test_placeholders_removed_from_unknown_words() -> None:
    doc = make_document(["Le Kirghizistan reste."])
    protect(doc, BUILTIN)
    doc.segments[0].target, doc.segments[0].unknown_words = "9001 rest.", ["9001", "reste"]
    verify(doc, BUILTIN)
    assert doc.segments[0].unknown_words == ["reste"]


def test_term_accuracy_counts_missing_terms() -> None:
    doc = make_document(["L’OTAN et l’OTSC."])
    protect(doc, BUILTIN)
    doc.segments[0].target = "NATO and the OTSC."
    assert term_accuracy(doc) == (1, 2)


def _apertium_engine():
    try:
        from translate.engines.apertium import ApertiumEngine, apertium_status
    except ImportError:  # pragma: no cover - the engine module ships with the package
        return None
    ready, _ = apertium_status()
    return ApertiumEngine() if ready else None


def test_term_accuracy_with_apertium() -> None:
    engine = _apertium_engine()
    need(engine is not None, "Apertium is not installed")
    try:
        doc = run(SENTENCES, lambda texts: [t.text for t in engine.translate(texts)])
    finally:
        engine.close()
    ok, total = term_accuracy(doc)
    assert ok == total >= 200
    by_source = {s.source: s.target for s in doc}
    assert by_source["L’OTAN a renforcé sa présence en Europe de l’Est."].startswith("NATO ")
    assert "Kyrgyzstan" in by_source["Le Kirghizistan et le Tadjikistan ont signé un accord frontalier."]


def test_attention_places_a_dropped_term() -> None:
    doc = make_document(["Hier, le Kirghizistan a signé."])
    protect(doc, BUILTIN)
    seg = doc.segments[0]
    assert seg.engine_input == "Hier, le 9001 a signé."
    seg.target = "Yesterday, signed the accord."  # the engine dropped the placeholder
    # target tokens × 6 source tokens; "signed" attends most to the placeholder's column (index 2)
    seg.target_tokens = ["▁Yesterday", ",", "▁signed", "▁the", "▁accord", "."]
    seg.attention = [
        [0.9, 0.1, 0.0, 0.0, 0.0, 0.0], [0.1, 0.8, 0.1, 0.0, 0.0, 0.0], [0.0, 0.1, 0.6, 0.3, 0.0, 0.0],
        [0.0, 0.0, 0.2, 0.4, 0.4, 0.0], [0.0, 0.0, 0.1, 0.2, 0.7, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    ]
    verify(doc, BUILTIN)
    assert seg.target == "Yesterday, Kyrgyzstan signed the accord."
    assert seg.glossary_repairs[0].method == "attention"
