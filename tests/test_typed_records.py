"""Typed segment records: the JSONL keeps the documented schema, stage-private data never reaches a writer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from support import PlaceholderMangler, term_hit
from translate.api import PipelineOptions, build_pipeline
from translate.document import (Document, InlineCode, Origin, Paragraph, QaFinding, Segment, TermHit, TermRepair,
                                Title)
from translate.formats import WriteOptions, writers
from translate.formats.jsonl import segment_record

README = Path(__file__).resolve().parents[1] / "README.md"
TYPES = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "float or null": lambda v: v is None or isinstance(v, (int, float)) and not isinstance(v, bool),
    "list of str": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "list of int": lambda v: isinstance(v, list) and all(isinstance(x, int) for x in v),
    "list of object": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
}


def documented_schema() -> dict[str, str]:
    """field → type, from the table under "### The JSONL record" in the README."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### The JSONL record", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|", section, re.MULTILINE)
    return {name: kind for name, kind in rows}


def flatten(record: dict[str, Any]) -> dict[str, list[Any]]:
    """Every key of a JSONL record, nested list items as `field[].key`, with the values seen."""
    seen: dict[str, list[Any]] = {}
    for key, value in record.items():
        seen.setdefault(key, []).append(value)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    for sub, subvalue in item.items():
                        seen.setdefault(f"{key}[].{sub}", []).append(subvalue)
    return seen


def full_document() -> Document:
    """A translated segment with every optional part, and an aligned bead."""
    translated = Segment(
        1, 0, "Les ministres de l’OTAN.", target="NATO ministers.", score=-0.2, origin="argos:fr_en-1_9",
        unknown_words=["x"], glossary_hits=[term_hit("OTAN", "NATO", synonyms=("N.A.T.O.",))],
        glossary_repairs=[TermRepair("OTAN", "NATO", "test", "position")],
        qa=[QaFinding("foreign-word", "'x' left in the English (French word)", "x")],
        codes=[InlineCode(1, "open", "<b>", 18), InlineCode(1, "close", "</b>", 23)],
        target_codes=[InlineCode(1, "open", "<b>", 0), InlineCode(1, "close", "</b>", 4)])
    bead = Segment(2, 1, "Merci.", target="Thanks.", score=0.9, origin="aligned",
                   extra={"bead": "1-1", "fr_sentences": [2], "en_sentences": [2]})
    return Document([Paragraph(0, [translated]), Paragraph(1, [bead])])


def test_jsonl_schema_equals_the_documented_one() -> None:
    schema = documented_schema()
    seen: dict[str, list[Any]] = {}
    for segment in full_document():
        for key, values in flatten(json.loads(json.dumps(segment_record(segment)))).items():
            seen.setdefault(key, []).extend(values)
    assert set(seen) == set(schema)
    for key, values in seen.items():
        assert all(TYPES[schema[key]](v) for v in values), (key, schema[key], values)


def test_real_pipeline_output_keeps_to_the_documented_schema() -> None:
    schema = documented_schema()
    document = build_pipeline(PlaceholderMangler(), PipelineOptions())(
        "L’OTAN, l’ONU, la CEI et l’OTSC se réunissent à Bichkek, a dit M. Karapetian.\n")
    lines = writers()["jsonl"].render(document, WriteOptions()).splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["glossary_repairs"] and records[0]["glossary_hits"]  # the engine really broke terms
    for record in records:
        for key, values in flatten(record).items():
            assert key in schema, key
            assert all(TYPES[schema[key]](v) for v in values), (key, values)
        assert list(record)[:11] == [k for k in schema if "[]" not in k][:11]


def test_stage_private_data_is_never_written() -> None:
    segment = Segment(1, 0, "M. Dupont et l’OTAN.", target="Mr Dupont and NATO.", origin="mangler",
                      glossary_hits=[term_hit("OTAN", "NATO", placeholder="9001")],
                      placeholders={"9001": "NATO"}, titles=[Title("M.", "Mr", "Dupont")],
                      attention=[[1.0]], target_tokens=["▁Mr"])
    document = Document([Paragraph(0, [segment])])
    text = "".join(w.render(document, WriteOptions()) for w in writers().values())
    assert "9001" not in text and "▁Mr" not in text
    record = segment_record(segment)
    assert set(record).isdisjoint({"placeholders", "glossary_placeholders", "titles", "attention", "target_tokens"})
    assert "placeholder" not in record["glossary_hits"][0]


def test_titles_taken_out_for_the_engine_do_not_leak_into_the_jsonl() -> None:
    document = build_pipeline(PlaceholderMangler(), PipelineOptions(default_glossary=False))("Il a vu M. Karapetian.\n")
    segment = document.segments[0]
    assert segment.target.startswith("Il a vu Mr Karapetian") and segment.titles == []
    assert "titles" not in segment_record(segment)


def test_records_round_trip_through_json() -> None:
    hit = TermHit("OTAN", "NATO", 3, 7, "news:7", "none", "l'", False, "a", False, ("N.A.T.O.",), placeholder="9001")
    assert TermHit.from_json(hit.to_json()) == TermHit("OTAN", "NATO", 3, 7, "news:7", "none", "l'", False, "a",
                                                       False, ("N.A.T.O.",))
    repair = TermRepair("OTAN", "NATO", "news:7", "attention")
    assert TermRepair.from_json(repair.to_json()) == repair
    for finding in (QaFinding("foreign-word", "m", "plork"), QaFinding("title", "m")):
        assert QaFinding.from_json(finding.to_json()) == finding
    assert "word" not in QaFinding("title", "m").to_json()


def test_translated_means_a_target_with_an_origin() -> None:
    assert not Segment(1, 0, "Oui.").translated
    assert not Segment(1, 0, "Oui.", target="Yes.").translated
    assert Segment(1, 0, "Oui.", target="Yes.", origin=Origin.MEMORY).translated
    assert Origin.MEMORY == "tm" and Origin.COPY == "copy" and "apertium" not in Origin.NOT_ENGINES


def test_joined_chunks_add_up_their_run_facts() -> None:
    from translate.document import RunFacts
    from translate.formats import join_documents

    parts = [Document([], meta=RunFacts(cache_hits=2, memory_matches=1, warnings=["w"])),
             Document([], meta=RunFacts(engine="apertium", cache_hits=3, memory_matches=4, warnings=["w"])),
             Document([], meta=RunFacts(engine="other", cache_hits=0))]
    facts = join_documents(parts).meta
    assert (facts.engine, facts.cache_hits, facts.memory_matches, facts.warnings) == ("apertium", 5, 5, ["w"])
