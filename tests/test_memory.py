"""Translation memories: reading TMX and TSV back, exact matching after normalisation, reuse in the pipeline."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from support import FakeEngine, run_cli
from translate.api import PipelineOptions, build_pipeline
from translate.engines.base import Translation
from translate.errors import UserError
from translate.formats import WriteOptions
from translate.formats.tmx import TmxWriter
from translate.formats.tsv import TsvWriter
from translate.job import FileOptions, document_counts, translate_file
from translate.memory import MemoryStage, TranslationMemory, normalise, read_memory, read_tmx, read_tsv

ARTICLE = (
    " date 2024-03 Le sommet de l’OTAN s’ouvre à Vilnius. Il pleut.\n\n"
    "« Nous ne partirons pas », a-t-il dit. Le budget a augmenté de 3,5 %.\n"
    "Lire aussi : L’UE et l’Asie centrale\n"
    "https://example.org/otan\n"
)
FIXED = WriteOptions(created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))


def CountingEngine() -> FakeEngine:
    """Marks its output so engine text is recognisable; `.sentences` counts every sentence it is sent."""
    return FakeEngine(lambda s: Translation(f"{s} [en]", -0.5))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- normalisation -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        ("L’OTAN se réunit.", "L'OTAN se réunit."),
        ("« Non », dit-il.", '"Non", dit-il.'),
        ("« Non », dit-il.", "“Non”, dit-il."),
        ("10\u00a0000 roubles\u202f!", "10 000 roubles !"),
        ("Il  pleut \t à\nParis. ", "Il pleut à Paris."),
        ("Le de\u0301ficit.", "Le déficit."),
    ],
)
def test_equivalent_typings_normalise_alike(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    "a, b",
    [("Il pleut.", "il pleut."), ("Le deficit.", "Le déficit."), ("Bonjour !", "Bonjour!"), ("Oui…", "Oui...")],
)
def test_case_accents_and_punctuation_stay_significant(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


# --- TMX -----------------------------------------------------------------------------------------

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
          srclang="FR-fr" datatype="plaintext"/>
  <body>
    <tu tuid="a">
      <prop type="x-origin">tm</prop>
      <tuv xml:lang="FR-fr"><seg>Le <bpt i="1">&lt;b&gt;</bpt>sommet<ept i="1">&lt;/b&gt;</ept> de l’OTAN.<ph>&lt;br/&gt;</ph></seg></tuv>
      <tuv xml:lang="en-GB"><seg>The <hi>NATO</hi> summit.</seg></tuv>
    </tu>
    <tu tuid="b">
      <tuv xml:lang="en-US"><seg>It is raining.</seg></tuv>
      <tuv xml:lang="fr-CA"><seg>Il pleut.</seg></tuv>
    </tu>
    <tu tuid="c"><tuv xml:lang="fr"><seg>Sans anglais.</seg></tuv><tuv xml:lang="de"><seg>Ohne.</seg></tuv></tu>
    <tu tuid="d"><tuv xml:lang="fr"><seg>Il pleut.</seg></tuv><tuv xml:lang="en"><seg>Later duplicate.</seg></tuv></tu>
    <tu tuid="e"><tuv xml:lang="fr"><seg>Vide.</seg></tuv><tuv xml:lang="en"><seg> </seg></tuv></tu>
  </body>
</tmx>
"""


def test_tmx_units_flatten_inline_tags_and_match_languages_by_prefix(tmp_path: Path) -> None:
    memory = read_tmx(write(tmp_path / "m.tmx", TMX))
    assert memory.lookup("Le sommet de l'OTAN.").target == "The NATO summit."
    assert memory.lookup("Il pleut.").target == "It is raining."  # either tuv order; the first unit wins
    assert memory.lookup("Il pleut.").where == "m.tmx#b"
    assert memory.lookup("Sans anglais.") is None and memory.lookup("Vide.") is None
    assert (len(memory), memory.skipped) == (2, 2)


def test_tmx_1_1_lang_attribute_and_xml_extension(tmp_path: Path) -> None:
    old = '<tmx version="1.1"><header/><body><tu><tuv lang="FR"><seg>Oui.</seg></tuv>' \
          '<tuv lang="EN"><seg>Yes.</seg></tuv></tu></body></tmx>'
    memory = read_memory(write(tmp_path / "old.xml", old))
    assert memory.lookup("Oui.").target == "Yes."


@pytest.mark.parametrize(
    "content, message",
    [("<tmx><body><tu>", "not valid XML"), ("<xliff><file/></xliff>", "not a TMX file")],
)
def test_broken_tmx_is_one_user_error(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        read_memory(write(tmp_path / "bad.tmx", content))


# --- TSV -----------------------------------------------------------------------------------------

def test_tsv_with_and_without_header(tmp_path: Path) -> None:
    with_header = read_tsv(write(tmp_path / "a.tsv", "\ufefffr-FR\ten-US\nIl pleut.\tIt rains.\n\nseule cellule\n"))
    assert with_header.lookup("Il pleut.").target == "It rains." and with_header.lookup("fr-FR") is None
    assert with_header.skipped == 1
    bare = read_tsv(write(tmp_path / "b.tsv", "Il pleut.\tIt rains.\n"))
    assert bare.lookup("Il  pleut.").target == "It rains."
    swapped = read_tsv(write(tmp_path / "c.tsv", "en\tfr\nIt rains.\tIl pleut.\n"))
    assert swapped.lookup("Il pleut.").target == "It rains."


def test_tsv_problems_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="de→en"):
        read_tsv(write(tmp_path / "de.tsv", "de\ten\nJa\tYes\n"))
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("Café.\tCoffee.\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        read_tsv(latin)
    with pytest.raises(UserError, match="not found"):
        read_memory(tmp_path / "missing.tmx")


def test_our_own_tmx_and_tsv_read_back_pair_for_pair(tmp_path: Path) -> None:
    document = build_pipeline(CountingEngine())(ARTICLE)
    pairs = {s.source: s.target for s in document}
    for writer, name in ((TmxWriter(paragraph_units=True), "o.tmx"), (TsvWriter(), "o.tsv")):
        memory = read_memory(write(tmp_path / name, writer.render(document, FIXED)))
        assert {source: memory.lookup(source).target for source in pairs} == pairs


# --- reuse in the pipeline ------------------------------------------------------------------------

def run_file(tmp_path: Path, out: str, engine: CountingEngine, memories=()) -> dict[str, str]:
    source = tmp_path / "article.fr.txt"
    if not source.exists():
        write(source, ARTICLE)
    pipeline = build_pipeline(engine, PipelineOptions(memories=tuple(memories)))
    options = FileOptions(output_dir=tmp_path / out, write=FIXED, formats=("txt", "tsv", "tmx", "jsonl", "qa"))
    result = translate_file(source, pipeline, options)
    return {p.name: p.read_text(encoding="utf-8") for p in result.outputs}


def jsonl(outputs: dict[str, str]) -> list[dict]:
    return [json.loads(line) for line in outputs["article.fr-en.jsonl"].splitlines()]


def test_second_run_with_its_own_tmx_sends_nothing_to_the_engine(tmp_path: Path) -> None:
    first_engine, second_engine = CountingEngine(), CountingEngine()
    first = run_file(tmp_path, "one", first_engine)
    assert first_engine.sentences > 0
    second = run_file(tmp_path, "two", second_engine, [tmp_path / "one" / "article.fr-en.tmx"])
    assert second_engine.sentences == 0
    for name in ("article.en.txt", "article.fr-en.tsv", "article.qa.tsv"):
        assert second[name] == first[name]
    before, after = jsonl(first), jsonl(second)
    assert [(r["source"], r["target"], r["glossary_hits"], r["qa"]) for r in after] == \
           [(r["source"], r["target"], r["glossary_hits"], r["qa"]) for r in before]
    assert {r["origin"] for r in after if r["translatable"]} == {"tm"}
    assert {r["origin"] for r in after if not r["translatable"]} == {"copy"}
    units = ET.fromstring(second["article.fr-en.tmx"].split("\n", 2)[2]).findall("body/tu")
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in units]
    assert all(p["x-origin"] == "tm" and "x-engine" not in p for p in props if p["x-origin"] != "copy")


def test_tsv_memory_matches_despite_typing_differences(tmp_path: Path) -> None:
    memory = write(tmp_path / "m.tsv", "Il  pleut.\tIt is pouring.\nLe sommet de l'OTAN s'ouvre à Vilnius.\tNATO meets.\n")
    engine = CountingEngine()
    document = build_pipeline(engine, PipelineOptions(memories=(memory,)))(ARTICLE)
    by_source = {s.source: s for s in document}
    assert by_source["Il pleut."].target == "It is pouring."
    assert by_source["Le sommet de l’OTAN s’ouvre à Vilnius."].target == "NATO meets."
    assert engine.sentences == len([s for s in document if s.translatable]) - 2
    assert document_counts(document)["from memory"] == 2


def test_memory_target_is_kept_as_written_but_still_checked(tmp_path: Path) -> None:
    """No glossary rewrite, no typography on a TM target; QA still sees the glossary hit it misses."""
    memory = write(tmp_path / "m.tsv", "Le budget a augmenté de 3,5 %.\tThe budget rose 3,5 %.\n"
                                       "Le sommet de l’OTAN s’ouvre à Vilnius.\tThe Atlantic Alliance meets in Vilnius.\n")
    document = build_pipeline(CountingEngine(), PipelineOptions(memories=(memory,)))(ARTICLE)
    by_source = {s.source: s for s in document}
    summit = by_source["Le sommet de l’OTAN s’ouvre à Vilnius."]
    assert summit.target == "The Atlantic Alliance meets in Vilnius."
    assert summit.engine_input is None and [h.target for h in summit.glossary_hits] == ["NATO"]
    assert not summit.glossary_repairs and [q.check for q in summit.qa] == ["missing-term"]
    assert by_source["Le budget a augmenté de 3,5 %."].target == "The budget rose 3,5 %."
    # engine output in the same document still gets glossary placeholders restored and typography
    engine_made = by_source["« Nous ne partirons pas », a-t-il dit."]
    assert engine_made.origin == "fake" and engine_made.target.startswith("“Nous")


def test_earlier_memory_wins_and_untranslatable_segments_stay_copies(tmp_path: Path) -> None:
    first = TranslationMemory("first")
    first.add("Il pleut.", "First.", "first:1")
    second = TranslationMemory("second")
    second.add("Il pleut.", "Second.", "second:1")
    second.add("date 2024-03", "March 2024", "second:2")
    document = build_pipeline(CountingEngine(), PipelineOptions(memories=(first, second)))(ARTICLE)
    assert {s.source: s.target for s in document}["Il pleut."] == "First."
    copies = [s for s in document if not s.translatable]
    assert len(copies) == 2 and all(s.origin == "copy" and s.target == s.source for s in copies)
    assert document.meta.memory_matches == 1


def test_memory_stage_leaves_filled_segments_alone() -> None:
    memory = TranslationMemory("m")
    memory.add("Il pleut.", "From memory.", "m:1")
    document = build_pipeline(CountingEngine())("Il pleut.")
    MemoryStage((memory,))(document)
    assert document.segments[0].origin == "fake"


# --- end to end through the command -----------------------------------------------------------------

def test_cli_second_run_with_own_tmx_is_all_memory(tmp_path: Path, synthetic_package: Path) -> None:
    article = write(tmp_path / "sommet.fr.txt", ARTICLE)
    model = ["--model", str(synthetic_package)]
    first = run_cli("run", str(article), *model, "-o", str(tmp_path / "one"))
    assert first.returncode == 0, first.stderr
    second = run_cli("run", str(article), *model, "-o", str(tmp_path / "two"), "--no-cache",
                     "--tm", str(tmp_path / "one" / "sommet.fr-en.tmx"), "--tm", str(tmp_path / "one" / "sommet.fr-en.tsv"))
    assert second.returncode == 0, second.stderr
    records = [json.loads(line) for line in (tmp_path / "two" / "sommet.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    translatable = [r for r in records if r["translatable"]]
    assert translatable and all(r["origin"] == "tm" for r in translatable)
    assert f"{len(translatable)} from memory, 0 from cache" in second.stderr
    for name in ("sommet.en.txt", "sommet.fr-en.tsv", "sommet.qa.tsv"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    old = [json.loads(line) for line in (tmp_path / "one" / "sommet.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["target"]) for r in records] == [(r["source"], r["target"]) for r in old]


def test_cli_bad_memory_is_one_line_before_any_engine_loads(tmp_path: Path) -> None:
    article = write(tmp_path / "a.fr.txt", "Il pleut.\n")
    bad = write(tmp_path / "m.tmx", "<tmx><body>")
    result = run_cli("run", str(article), "--model", str(tmp_path / "no-model"), "--tm", str(bad))
    assert result.returncode == 2 and "not valid XML" in result.stderr and result.stderr.count("\n") == 1
