"""Writers: TSV cells stay one line, TMX is well-formed 1.4b with escaped text, JSONL carries every field."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from translate.document import Document, Paragraph, RunFacts, Segment
from translate.formats import WriteOptions, writers
from translate.formats.tsv import clean_cell

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPTIONS = WriteOptions(created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))


def make_document() -> Document:
    title = Segment(1, 0, "Titre de l’article", target="Article title", origin="fake")
    s2 = Segment(2, 1, "Il a dit « non » & <b>oui</b>.", space_after=" ", target='He said "no" & <b>yes</b>.', origin="fake", score=-0.25)
    s3 = Segment(3, 1, "Deuxième\tphrase\navec retour.", target="Second\tsentence\nwith break.", origin="fake")
    s4 = Segment(4, 2, "Contrôle\x07 caractère.", target="Control\x07 character.", origin="fake")
    return Document(
        [Paragraph(0, [title], separator="\n\n"), Paragraph(1, [s2, s3], separator="\n\n"), Paragraph(2, [s4])],
        meta=RunFacts(engine="fake"),
    )


def test_text_keeps_paragraph_layout():
    text = writers()["txt"].render(make_document(), OPTIONS)
    assert text.split("\n\n")[0] == "Article title"
    assert text.count("\n\n") == 2
    assert text.endswith("\n")


def test_tsv_one_row_per_segment_with_header_and_clean_cells():
    tsv = writers()["tsv"].render(make_document(), OPTIONS)
    rows = tsv.split("\n")
    assert rows[-1] == ""
    rows = rows[:-1]
    assert rows[0] == "fr\ten"
    assert len(rows) == 1 + 4
    assert all(row.count("\t") == 1 for row in rows)
    assert rows[3] == "Deuxième phrase avec retour.\tSecond sentence with break."
    assert "\r" not in tsv and not tsv.startswith("\ufeff")


def test_tsv_without_header_and_custom_locales():
    options = WriteOptions(source_locale="fr-FR", target_locale="en-US", header=False)
    tsv = writers()["tsv"].render(make_document(), options)
    assert tsv.splitlines()[0].startswith("Titre")
    assert writers()["tsv"].filename("a", options) == "a.fr-en.tsv"


def test_clean_cell_removes_every_line_break_kind():
    assert clean_cell("a\u2028b\r\nc\u0085d\te") == "a b c d e"


def test_tmx_is_well_formed_and_complete():
    tmx = writers()["tmx"].render(make_document(), OPTIONS)
    assert tmx.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(tmx.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attribute), attribute
    assert header.get("segtype") == "sentence" and header.get("srclang") == "fr"
    assert header.get("creationdate") == "20260102T030405Z"
    units = root.findall("body/tu")
    assert len(units) == 4
    tuvs = units[1].findall("tuv")
    assert [t.get(XML_LANG) for t in tuvs] == ["fr", "en"]
    assert tuvs[0].find("seg").text == "Il a dit « non » & <b>oui</b>."
    assert tuvs[1].find("seg").text == 'He said "no" & <b>yes</b>.'
    assert units[3].findall("tuv")[0].find("seg").text == "Contrôle caractère."
    props = {p.get("type"): p.text for p in units[1].findall("prop")}
    assert props["x-score"] == "-0.2500" and props["x-origin"] == "fake"


def test_tmx_locales_configurable():
    options = WriteOptions(source_locale="fr-FR", target_locale="en-US")
    root = ET.fromstring(writers()["tmx"].render(make_document(), options).encode())
    assert root.find("header").get("srclang") == "fr-FR"
    assert [t.get(XML_LANG) for t in root.find("body/tu").findall("tuv")] == ["fr-FR", "en-US"]


def test_jsonl_record_per_segment():
    lines = writers()["jsonl"].render(make_document(), OPTIONS).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [1, 2, 3, 4]
    assert records[1]["paragraph"] == 1 and records[1]["score"] == -0.25
    assert {"source", "target", "origin", "glossary_hits", "qa", "unknown_words"} <= records[0].keys()


def test_output_names():
    table = writers()
    names = {n: w.filename("article", OPTIONS) for n, w in table.items()}
    assert names == {"txt": "article.en.txt", "tsv": "article.fr-en.tsv", "tmx": "article.fr-en.tmx", "jsonl": "article.fr-en.jsonl", "xliff": "article.fr-en.xlf", "qa": "article.qa.tsv",
                     "html": "article.fr-en.review.html"}
