"""Round trip through a real CAT tool: OmegaT (Debian package, console mode, headless) pre-translates the
French article from our TMX in tm/auto and must write exactly our English; it must read our glossary
TSV with its own reader, and it must parse our XLIFF. Skips only when OmegaT is absent outside CI."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from omegat_support import (
    OmegatEntry, OmegatRun, build_project, find_omegat_jar, project_properties, run_console_translate,
)
from support import FakeEngine, need
from translate.engines.apertium import ApertiumEngine, apertium_status
from translate.document import Document
from translate.engines.base import Translation
from translate.formats import WriteOptions
from translate.formats.tmx import paragraph_runs
from translate.formats.xliff import XliffWriter
from translate.pipeline import EngineStage
from translate.segment import segment_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sommet-otsc.fr.txt"
EXTRA_PARAGRAPHS = "\nhttps://example.org/otsc-erevan\n"
"""Appended to the article so that one segment is non-translatable (copied verbatim)."""
OPTIONS = WriteOptions(created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
GLOSSARY = (
    "# glossary for the OTSC article: comment lines are skipped by OmegaT\n"
    "OTSC\tCSTO\tOrganisation du traité de sécurité collective\n"
    "Erevan\tYerevan\n"
    "OTAN|l'OTAN\tNATO\t\tcase=sensitive\n"
)


def LabelEngine() -> FakeEngine:
    """Stand-in when Apertium is missing outside CI: a deterministic, recognisably different 'translation'."""
    return FakeEngine(lambda s: Translation(f"EN[{s}]"), name="label")


pytestmark = pytest.mark.xdist_group("omegat")  # one worker runs the module: its OmegaT runs (a JVM each) happen once

@pytest.fixture(scope="module")
def jar() -> Path:
    found = find_omegat_jar()
    need(found is not None, "OmegaT is not installed (Debian package omegat, installed by ./setup.sh --dev)")
    return found


@pytest.fixture(scope="module")
def document() -> Document:
    text = EXAMPLE.read_text(encoding="utf-8") + EXTRA_PARAGRAPHS
    document = segment_document(text, lang="fr", name="sommet-otsc.fr.txt")
    ready, why = apertium_status()
    if not ready and os.environ.get("CI"):
        pytest.fail(f"CI must provide Apertium: {why}", pytrace=False)
    engine = ApertiumEngine() if ready else LabelEngine()
    try:
        EngineStage(engine)(document)
    finally:
        engine.close()
    assert any(not s.translatable for s in document)
    return document


HEADER_GLOSSARY = "header.utf8"
"""A second glossary file in the same project: a bare `fr<TAB>en` header row, then the same as a comment."""
XLIFF_NAME = "sommet-otsc.fr-en.xlf"
"""Our XLIFF of the article, a second source file in the same project."""


@pytest.fixture(scope="module")
def paragraph_run(jar, document, tmp_path_factory) -> OmegatRun:
    """One OmegaT run (a JVM start, about 2 s) for the checks that need no other project settings: the article
    as text with our TMX and glossary, our XLIFF of it, and a glossary file with a header row. OmegaT works on
    each source file and reads each glossary file on its own; the tests look only at their file's entries."""
    root = tmp_path_factory.mktemp("omegat-paragraphs")
    project = build_project(root, document, OPTIONS, glossary_tsv=GLOSSARY)
    (root / "source" / XLIFF_NAME).write_text(XliffWriter().render(document, OPTIONS), encoding="utf-8")
    (root / "glossary" / HEADER_GLOSSARY).write_text("fr\ten\n#fr\ten\nOTSC\tCSTO\n", encoding="utf-8")
    return run_console_translate(project, jar)


def text_entries(run: OmegatRun) -> list[OmegatEntry]:
    """The entries of the article's text file (not of the XLIFF beside it)."""
    return [e for e in run.entries if e.file == EXAMPLE.name]


def expected_units(document: Document) -> dict[str, str]:
    """Our English for every unit OmegaT can look up: sentences and line-runs of sentences."""
    units = {s.source: s.target for s in document}
    for paragraph in document.paragraphs:
        units.update(paragraph_runs(paragraph))
    return units


def test_project_file_names_languages_and_segmentation():
    root = ET.fromstring(project_properties("fr-FR", "en-US", sentence_segmentation=False))
    project = root.find("project")
    assert project.findtext("source_lang") == "fr-FR" and project.findtext("target_lang") == "en-US"
    assert project.findtext("sentence_seg") == "false"
    assert project.findtext("source_tok").endswith("LuceneFrenchTokenizer")
    assert project.findtext("target_tok").endswith("LuceneEnglishTokenizer")
    assert ET.fromstring(project_properties("de", "en", True)).find("project/sentence_seg").text == "true"


def test_project_layout(tmp_path, document):
    project = build_project(tmp_path, document, OPTIONS, glossary_tsv=GLOSSARY)
    for folder in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        assert (tmp_path / folder).is_dir()
    assert project.source_file.read_text(encoding="utf-8") == document.source_text
    assert project.memory_file.parent == tmp_path / "tm" / "auto"
    assert 'segtype="paragraph"' in project.memory_file.read_text(encoding="utf-8")
    assert project.glossary_file.suffix == ".utf8"
    assert build_project(tmp_path / "b", document, OPTIONS, source_name="notes").source_file.name == "notes.txt"


def test_omegat_writes_exactly_our_english(paragraph_run, document):
    """Every OmegaT segment got our translation from tm/auto, and the target file is our English text."""
    entries = text_entries(paragraph_run)
    assert entries, paragraph_run.log
    units = expected_units(document)
    untranslated = [e.source for e in entries if e.target is None]
    assert untranslated == []
    for entry in entries:
        assert entry.source in units, entry.source
        assert entry.target == units[entry.source]
    assert paragraph_run.target_text == document.target_text


def test_every_segment_of_ours_is_inside_an_omegat_segment(paragraph_run, document):
    seen = " ".join(e.source for e in text_entries(paragraph_run))
    assert all(s.source in seen for s in document if s.translatable)


def test_omegat_reads_our_glossary_tsv(paragraph_run):
    terms = [(t.source, t.target, t.comment) for t in paragraph_run.glossary if t.file == "sommet-otsc.fr.utf8"]
    assert terms == [
        ("OTSC", "CSTO", "Organisation du traité de sécurité collective"),
        ("Erevan", "Yerevan", ""),
        ("OTAN|l'OTAN", "NATO", ""),  # OmegaT knows no variant syntax: the cell is one literal term
    ]


def test_a_bare_header_row_would_become_a_glossary_term(paragraph_run):
    """Why glossary TSVs for OmegaT carry no `fr<TAB>en` header (or only as a `#` comment)."""
    terms = [(t.source, t.target) for t in paragraph_run.glossary if t.file == HEADER_GLOSSARY]
    assert terms == [("fr", "en"), ("OTSC", "CSTO")]


def test_with_omegat_sentence_rules_identical_boundaries_get_our_translation(jar, document, tmp_path):
    """OmegaT's own French SRX rules: wherever they cut like ours, the sentence units match exactly."""
    project = build_project(tmp_path, document, OPTIONS, sentence_segmentation=True)
    run = run_console_translate(project, jar)
    units = expected_units(document)
    same = [e for e in run.entries if e.source in units]
    assert same, run.log
    assert all(e.target == units[e.source] for e in same)
    assert all(e.target is None for e in run.entries if e.source not in units)


def test_omegat_parses_our_xliff(paragraph_run, document):
    """OmegaT 3.6's built-in XLIFF filter reads <target> as the text to work on and skips translate="no"."""
    assert {e.file for e in paragraph_run.entries} == {EXAMPLE.name, XLIFF_NAME}
    entries = [e.source for e in paragraph_run.entries if e.file == XLIFF_NAME]
    assert entries == [s.target for s in document if s.translatable]
    written = paragraph_run.project.root / "target" / XLIFF_NAME
    assert ET.parse(written).getroot().get("version") == "1.2"
