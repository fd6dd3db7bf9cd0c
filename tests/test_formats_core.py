"""Structured documents through `translate run` (issue 13, the core): detection and refusal, output names,
units segmented with their inline codes, codes projected into the English, TMX/JSONL carrying the codes.

The format used is the toy one in tests/toyformat.py, registered as a user would register a plug-in
($TRANSLATE_FORMAT_MODULES); the synthetic copy model (English = French) makes code positions exact.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from support import ROOT, need, run_cli, term_hit
from test_tmx_valid import parse, tmx_dtd  # noqa: F401 - the DTD fixture
from toyformat import FORMAT as TOY
from toyformat import parse_line, render_line
from translate.codes import order_codes, project_segment, split_codes, unit_english, unit_paragraph
from translate.docjob import build_document, unit_translations
from translate.document import Document, InlineCode, Paragraph, Segment
from translate.engines.apertium import apertium_status
from translate.errors import UserError
from translate.formats import WriteOptions
from translate.formats import detect as detect_module
from translate.formats.detect import FormatRegistry, detect
from translate.formats.jsonl import segment_record
from translate.formats.tmx import TmxWriter
from translate.job import FileOptions, expand_inputs, output_paths

TOY_ENV = {"TRANSLATE_FORMAT_MODULES": "toyformat", "PYTHONPATH": str(ROOT / "tests")}
PLAIN = ("--no-default-glossary", "--no-cache", "-q")
ARTICLE = (
    "TOY\n"
    "# <b>gardé tel quel</b>\n"
    "Le sommet de l’<a href=\"https://otan.int\">OTAN</a> s’est ouvert <b>mardi à Erevan</b>. "
    "Les <i>ministres</i> ont parlé.<x/>\n"
    "<b>Le président a quitté la salle. Il</b> est revenu <i>plus tard</i>.\n"
    "=Une phrase. Déjà segmentée par le fichier.\n"
)


def toy_run(*args: str) -> subprocess.CompletedProcess:
    return run_cli("run", *args, env=TOY_ENV)


def one_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr.strip()


def code(id_: int, kind: str, position: int, data: str = "") -> InlineCode:
    return InlineCode(id_, kind, data or {"open": "<b>", "close": "</b>", "isolated": "<x/>"}[kind], position)


# --- splitting a unit's codes into sentences -------------------------------------------------------

def test_codes_between_sentences_go_open_right_close_and_isolated_left() -> None:
    text = "Il part. Elle reste."  # sentences [0, 8) and [9, 20)
    codes = [code(1, "open", 9), code(2, "close", 8), code(3, "isolated", 9), code(4, "open", 8)]
    first, second = split_codes(codes, [(0, 8), (9, 20)])
    assert first == [code(2, "close", 8), code(3, "isolated", 8)]
    assert second == [code(1, "open", 0), code(4, "open", 0)]
    assert text[0:8] == "Il part."


def test_a_pair_may_straddle_sentences_and_each_half_stays_with_its_words() -> None:
    text, codes = parse_line("<b>Le président a quitté la salle. Il</b> est revenu.")
    paragraph = unit_paragraph(0, 1, text, codes, one_segment=False)
    assert [s.source for s in paragraph.segments] == ["Le président a quitté la salle.", "Il est revenu."]
    assert paragraph.segments[0].codes == [InlineCode(1, "open", "<b>", 0)]
    assert paragraph.segments[1].codes == [InlineCode(1, "close", "</b>", 2)]
    for segment in paragraph.segments:
        segment.target = segment.source
    english, merged = unit_english(paragraph, text, codes)
    assert render_line(english, merged) == "<b>Le président a quitté la salle. Il</b> est revenu."


def test_one_segment_units_are_not_split_and_whitespace_units_come_back_as_they_were() -> None:
    paragraph = unit_paragraph(0, 1, "  Une phrase. Deux. ", [code(1, "isolated", 0)], one_segment=True)
    assert [s.source for s in paragraph.segments] == ["Une phrase. Deux."]
    assert paragraph.lead == "  " and paragraph.segments[0].space_after == " "
    empty = unit_paragraph(1, 2, "   ", [code(1, "isolated", 1)], one_segment=False)
    assert empty.segments == []
    assert unit_english(empty, "   ", [code(1, "isolated", 1)]) == ("   ", [code(1, "isolated", 1)])


def test_identity_translation_gives_back_every_unit_exactly() -> None:
    parsed = TOY.read(ARTICLE.encode(), Path("a.fr.toy"))
    document = build_document(parsed, "a.fr.toy")
    assert [s.id for s in document] == list(range(1, len(document) + 1))
    for segment in document:
        assert segment.source == segment.source.strip()
        segment.target, segment.origin = segment.source, "copy"
    output = TOY.write(parsed, unit_translations(parsed, document), "en").decode()
    assert output == ARTICLE


# --- projecting codes into the English ------------------------------------------------------------

def projected(source_markup: str, target: str, **fields: object) -> str:
    text, codes = parse_line(source_markup)
    segment = Segment(1, 0, text, target=target, codes=codes, **fields)  # type: ignore[arg-type]
    return render_line(target, project_segment(segment))


def test_a_pair_wraps_the_english_of_a_glossary_term() -> None:
    hit = term_hit("OTAN", "NATO")
    assert projected("Les ministres de l’<a>OTAN</a> se réunissent.", "NATO ministers meet.",
                     glossary_hits=[hit]) == "<a>NATO</a> ministers meet."


def test_pairs_follow_names_when_the_english_reorders_the_sentence() -> None:
    assert projected("Selon <b>Scholz</b>, <i>Macron</i> a raison.", "Macron is right, according to Scholz.") \
        == "<i>Macron</i> is right, according to <b>Scholz</b>."


def test_codes_at_the_sentence_edges_stay_at_the_edges() -> None:
    assert projected("<b>Il est parti.</b><x/>", "He left.") == "<b>He left.</b><x/>"
    assert projected("<x/>Il est parti.", "He has gone.") == "<x/>He has gone."


def test_attention_places_a_code_when_no_word_is_shared() -> None:
    # source words: la(0) voiture(1) rouge(2); English: the(0) red(1) car(2); attention says rouge→red
    attention = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    text = projected("la voiture <b>rouge</b>", "the red car", attention=attention,
                     target_tokens=["▁the", "▁red", "▁car"])
    assert text == "the <b>red</b> car"


def test_projection_keeps_the_promises_made_to_format_writers() -> None:
    """Random markup over random English: every code once, inside the text, sorted, opens before closes,
    pairs nested as in the French."""
    rng = random.Random(13)
    words = "le la un de président ministre OTAN Macron 2024 sommet Erevan rouge".split()
    for _ in range(400):
        source_words = [rng.choice(words) for _ in range(rng.randint(0, 8))]
        markup, depth, next_open = [], [], 0
        for word in source_words:
            if rng.random() < 0.3:
                markup.append("<b>") if not depth else markup.append("<i>")
                depth.append("i" if depth else "b")
            markup.append(word + " ")
            if depth and rng.random() < 0.4:
                markup.append(f"</{depth.pop()}>")
            if rng.random() < 0.1:
                markup.append("<x/>")
        while depth:
            markup.append(f"</{depth.pop()}>")
        text, codes = parse_line("".join(markup).strip())
        target = " ".join(rng.sample(words, rng.randint(0, 6)))
        placed = project_segment(Segment(1, 0, text, target=target, codes=codes))
        assert sorted((c.id, c.kind) for c in placed) == sorted((c.id, c.kind) for c in codes)
        assert [c.position for c in placed] == sorted(c.position for c in placed)
        assert all(0 <= c.position <= len(target) for c in placed)
        stack = []
        for c in placed:  # well nested, as the toy markup was
            if c.kind == "open":
                stack.append(c.id)
            elif c.kind == "close":
                assert stack and stack.pop() == c.id, (text, codes, target, placed)


def test_units_with_pairs_across_sentences_come_back_well_formed() -> None:
    """Random multi-sentence markup (pairs straddling sentences), random English per sentence: each unit's
    codes come back once each, sorted, and nested by id exactly like balanced markup."""
    from translate.docjob import _check_codes

    rng = random.Random(7)
    words = "le la un de président ministre OTAN Macron 2024 sommet Erevan rouge".split()
    for _ in range(400):
        markup, depth = [], []
        for _ in range(rng.randint(0, 14)):
            if rng.random() < 0.3:
                markup.append("<i>" if depth else "<b>")
                depth.append("i" if depth else "b")
            markup.append(rng.choice(words) + (". " if rng.random() < 0.25 else " "))
            if depth and rng.random() < 0.4:
                markup.append(f"</{depth.pop()}>")
            if rng.random() < 0.1:
                markup.append("<x/>")
        markup += [f"</{name}>" for name in reversed(depth)]
        text, codes = parse_line("".join(markup))
        paragraph = unit_paragraph(0, 1, text, codes, rng.random() < 0.2)
        for segment in paragraph.segments:
            segment.target = " ".join(rng.sample(words, rng.randint(0, 6))) if rng.random() < 0.8 else segment.source
            segment.target_codes = project_segment(segment)
        english, merged = unit_english(paragraph, text, codes)
        _check_codes(codes, merged, len(english), "unit")
        stack = []
        for c in merged:
            if c.kind == "open":
                stack.append(c.id)
            elif c.kind == "close":
                assert stack and stack.pop() == c.id, ("".join(markup), render_line(english, merged))
        assert not stack


def test_copied_units_come_back_byte_for_byte_whatever_the_spacing_around_codes() -> None:
    """With English = French (the copy model), markup anywhere (between sentences, in runs of spaces, before
    the first word, after the last) comes back exactly where it was."""
    rng = random.Random(5)
    pieces = ["Il part.", "Elle reste.", "Le sommet de l’OTAN", "s’ouvre", "mardi.", " ", "  ", "\n", "<b>", "</b>",
              "<x/>", "<i>", "</i>"]
    for _ in range(1500):
        markup, depth = [], []
        for _ in range(rng.randint(1, 12)):
            piece = rng.choice(pieces)
            if piece in ("<b>", "<i>"):
                depth.append(piece[1])
            elif piece in ("</b>", "</i>"):
                if not depth:
                    continue
                piece = f"</{depth.pop()}>"
            markup.append(piece)
        markup += [f"</{name}>" for name in reversed(depth)]
        line = "".join(markup)
        text, codes = parse_line(line)
        paragraph = unit_paragraph(0, 1, text, codes, rng.random() < 0.2)
        for segment in paragraph.segments:
            segment.target = segment.source
            segment.target_codes = project_segment(segment)
        english, merged = unit_english(paragraph, text, codes)
        assert render_line(english, merged) == line


def test_order_codes_puts_closes_first_then_empty_pairs_then_opens() -> None:
    codes = [code(2, "open", 4), code(1, "close", 4), code(3, "open", 4, "<a>"), code(3, "close", 4, "</a>"),
             code(1, "open", 0)]
    ordered = order_codes(codes)
    assert [(c.id, c.kind) for c in ordered] == [(1, "open"), (1, "close"), (3, "open"), (3, "close"), (2, "open")]


def test_run_document_translates_a_built_document_in_one_engine_call_and_places_codes() -> None:
    """The pipeline over a Document built from units: the engine sees plain sentences of every unit in
    one call, attention is gone afterwards, codes are in the English."""
    from support import FakeEngine
    from translate.api import PipelineOptions, build_pipeline
    from translate.engines.base import Translation

    seen: list[str] = []

    def reverse(sentence: str) -> Translation:  # "A B C." -> "C B A.": codes must follow the words
        seen.append(sentence)
        words = sentence.rstrip(".").split()
        return Translation(" ".join(reversed(words)) + ".", attention=[[1.0]], tokens=["▁x"])

    engine = FakeEngine(render=reverse)
    pipeline = build_pipeline(engine, PipelineOptions(default_glossary=False, typography=False, qa=False))
    parsed = TOY.read("TOY\nMacron voit <b>Scholz</b>. Merkel <i>part</i>.\nBerlin <x/>attend.\n".encode(),
                      Path("a.fr.toy"))
    document = build_document(parsed, "a.fr.toy")
    assert pipeline.run_document(document) is document
    assert engine.calls == [3] and all("<" not in s for s in seen)
    assert all(s.attention is None and s.target_tokens is None for s in document)
    english = TOY.write(parsed, unit_translations(parsed, document), "en").decode().splitlines()
    assert english[1] == "<b>Scholz</b> voit Macron. <i>part</i> Merkel."
    assert english[2] == "<x/>attend Berlin."  # an isolated code goes with the word it touches


# --- detection, refusal and names -----------------------------------------------------------------

def registry() -> FormatRegistry:
    return FormatRegistry(env={}, extra=(TOY,))


@pytest.mark.parametrize("name, content, words", [
    ("x.fr.pdf", b"%PDF-1.7\n", ["PDF"]),
    ("x.fr.odt", b"PK\x03\x04rest", ["OpenDocument", ".docx"]),
    ("x.fr.rtf", b"{\\rtf1 Bonjour}", ["RTF"]),
    ("x.fr.xml", b"<?xml version='1.0'?>\n<!DOCTYPE article>\n<article><para>Bonjour</para></article>",
     ["<article>", "DocBook"]),
    ("x.fr.toy", b"%PDF-1.4\n", ["named like toy", "PDF"]),
    ("x.fr.txt", b"<!DOCTYPE html>\n<html><body><p>Bonjour</p></body></html>", ["not plain text"]),
    ("x.fr.toy", b"TOY\nLe <b>chat.\n", ["never closed"]),
])
def test_what_is_not_handled_is_refused_in_one_line_and_nothing_is_written(tmp_path: Path, name: str,
                                                                          content: bytes, words: list[str]) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    one_line(toy_run(str(source), "-e", "apertium", *PLAIN), *words)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_format_whose_module_is_missing_is_refused_not_read_as_text(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(detect_module.BUILTIN, "translate.formats.not_installed", (".zzz",))
    source = tmp_path / "x.fr.zzz"
    source.write_text("Bonjour.\n", encoding="utf-8")
    with pytest.raises(UserError, match="not part of this installation"):
        detect(source, FormatRegistry(env={}))


def test_detection_by_suffix_and_content(tmp_path: Path) -> None:
    toy, text = tmp_path / "a.fr.toy", tmp_path / "a.fr.txt"
    toy.write_bytes(b"TOY\nBonjour.\n")
    text.write_text("Bonjour.\n", encoding="utf-8")
    assert detect(toy, registry()).format is TOY
    assert detect(text, registry()).format is None and not detect(text, registry()).suffix


def test_an_xml_file_goes_to_the_format_that_recognises_it(tmp_path: Path, synthetic_package: Path) -> None:
    source = tmp_path / "a.fr.xml"
    source.write_text("TOY\nLe <b>sommet</b> s’est ouvert.\n", encoding="utf-8")
    assert detect(source, registry()).format is TOY
    result = toy_run(str(source), "--model", str(synthetic_package), *PLAIN, "--formats", "doc")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.en.xml").read_bytes() == source.read_bytes()


def test_output_names_of_a_structured_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_FORMAT_MODULES", "toyformat")
    names = {k: p.name for k, p in output_paths(Path("d/x.fr.toy"), FileOptions()).items()}
    assert names == {"doc": "x.en.toy", "tsv": "x.fr-en.tsv", "tmx": "x.fr-en.tmx", "jsonl": "x.fr-en.jsonl",
                     "qa": "x.qa.tsv"}
    assert output_paths(Path("d/x.toy"), FileOptions(formats=("doc", "tsv")))["doc"].name == "x.en.toy"
    assert output_paths(Path("d/x.fr.txt"), FileOptions(formats=("doc", "txt")))["txt"].name == "x.en.txt"
    us = FileOptions(formats=("txt",), write=WriteOptions(target_locale="en-US"))
    assert output_paths(Path("d/x.fr.toy"), us)["doc"].name == "x.en.toy"


def test_a_directory_takes_documents_and_skips_outputs_and_refused_types(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_FORMAT_MODULES", "toyformat")
    for name in ("a.fr.toy", "b.fr.txt", "a.en.toy", "a.fr-en.tsv", "c.pdf", "d.png", "e.fr-ca.txt", "f.fr-en.toy"):
        (tmp_path / name).write_bytes(b"TOY\n")
    said: list[str] = []
    found = expand_inputs([tmp_path], warn=said.append)
    assert [p.name for p in found] == ["a.fr.toy", "b.fr.txt", "e.fr-ca.txt"]  # a French-Canadian input is input
    assert any("skipped 2 file(s)" in m and "*.en.*" in m for m in said), said
    assert any(".pdf" in m for m in said), said


# --- end to end through `translate run` -----------------------------------------------------------

def test_run_with_the_copy_model_gives_back_the_document_and_aligned_outputs(tmp_path: Path,
                                                                             synthetic_package: Path) -> None:
    source = tmp_path / "article.fr.toy"
    source.write_text(ARTICLE, encoding="utf-8")
    result = toy_run(str(source), "--model", str(synthetic_package), *PLAIN, "--no-typography")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "article.en.toy").read_text(encoding="utf-8") == ARTICLE
    assert {p.name for p in tmp_path.iterdir()} == {"article.fr.toy", "article.en.toy", "article.fr-en.tsv",
                                                     "article.fr-en.tmx", "article.fr-en.jsonl", "article.qa.tsv"}
    records = [json.loads(line) for line in (tmp_path / "article.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    with_codes = [r for r in records if "codes" in r]
    assert with_codes and all(r["codes"] == r["target_codes"] for r in with_codes)
    assert any("codes" not in r for r in records)  # a sentence without markup has no code keys
    tsv = (tmp_path / "article.fr-en.tsv").read_text(encoding="utf-8")
    assert "<" not in tsv and "mardi à Erevan" in tsv


def test_run_with_apertium_wraps_the_english_of_the_linked_term(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "article.fr.toy"
    source.write_text(ARTICLE, encoding="utf-8")
    result = toy_run(str(source), "-e", "apertium", "--no-cache", "-q", "--formats", "txt,tmx")
    assert result.returncode == 0, result.stderr
    english = (tmp_path / "article.en.toy").read_text(encoding="utf-8").splitlines()
    assert english[1] == "# <b>gardé tel quel</b>"  # not a unit: kept verbatim
    assert '<a href="https://otan.int">NATO</a>' in english[2]
    assert "<b>" in english[2] and english[2].endswith("<x/>")
    assert english[4].startswith("=")
    tmx = (tmp_path / "article.fr-en.tmx").read_text(encoding="utf-8")
    assert '<bpt i="1" x="1">&lt;a href=&quot;https://otan.int&quot;&gt;</bpt>NATO<ept i="1">&lt;/a&gt;</ept>' in tmx


NEWS = """TOY
Le président <b>Emmanuel Macron</b> a rencontré <a href="/scholz">le chancelier allemand</a> à Berlin mardi.
Selon le <i>Monde</i>, l’inflation a atteint <b>3,5 %</b> en mars, contre 2,9 % en février.
<b>La Commission européenne</b> a proposé un nouveau paquet de sanctions contre la Russie.<x/>
Le sommet de l’OTSC s’est ouvert à <b>Erevan</b>. Les dirigeants ont adopté <i>une déclaration commune</i>.
Il a dit : « <i>Nous ne céderons pas</i> », avant de quitter la salle.
"""


def test_apertium_news_markup_lands_on_the_right_english_words(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "news.fr.toy"
    source.write_text(NEWS, encoding="utf-8")
    result = toy_run(str(source), "-e", "apertium", "--no-cache", "-q", "--formats", "doc")
    assert result.returncode == 0, result.stderr
    english = (tmp_path / "news.en.toy").read_text(encoding="utf-8")
    for placed in ("<b>Emmanuel Macron</b>", '<a href="/scholz">the German chancellor</a>', "<b>3.5%</b>",
                   "<b>The European Commission</b>", "Russia.<x/>", "<b>Yerevan</b>"):
        assert placed in english, english
    assert "<i>" in english.splitlines()[4] and english.count("<i>") == english.count("</i>") == 3
    assert "“<i>we will not yield</i>”" in english  # quotes anchor what they hold


def test_a_failing_writer_leaves_no_output(tmp_path: Path, synthetic_package: Path) -> None:
    source = tmp_path / "a.fr.toy"
    source.write_text(ARTICLE + "#FAIL-WRITE\n", encoding="utf-8")
    one_line(toy_run(str(source), "--model", str(synthetic_package), *PLAIN), "asked to fail")
    assert [p.name for p in tmp_path.iterdir()] == ["a.fr.toy"]


def test_a_document_without_text_is_copied_with_a_warning(tmp_path: Path, synthetic_package: Path) -> None:
    source = tmp_path / "a.fr.toy"
    source.write_text("TOY\n# rien à traduire <b>ici</b>\n", encoding="utf-8")
    result = toy_run(str(source), "--model", str(synthetic_package), "--no-default-glossary", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "holds no text to translate" in result.stderr and "0 sentences" in result.stderr
    assert (tmp_path / "a.en.toy").read_bytes() == source.read_bytes()


def test_ray_refuses_structured_documents(tmp_path: Path) -> None:
    source = tmp_path / "a.fr.toy"
    source.write_text(ARTICLE, encoding="utf-8")
    one_line(toy_run(str(source), "--ray", "-e", "apertium", *PLAIN), "--ray translates plain text only")


# --- TMX and JSONL carry the codes ----------------------------------------------------------------

def coded_document() -> Document:
    text, codes = parse_line('Le <a href="x">sommet</a> de l’<b>OTAN</b> <x/>s’ouvre <i>mardi. Fin</i>.')
    paragraph = unit_paragraph(0, 1, text, codes, one_segment=False)
    for segment, english in zip(paragraph.segments, ["The summit of NATO opens Tuesday.", "End."]):
        segment.target, segment.origin = english, "apertium"
        segment.target_codes = project_segment(segment)
    plain = Segment(3, 1, "Sans balise.", target="Without tags.", origin="apertium")
    return Document([paragraph, Paragraph(1, [plain])])


def test_tmx_with_inline_codes_is_valid_against_the_dtd(tmx_dtd) -> None:  # noqa: F811
    text = TmxWriter().render(coded_document(), WriteOptions())
    root = parse(text)
    assert tmx_dtd.validate(root), tmx_dtd.error_log.filter_from_errors()
    segs = root.findall(".//tu[@tuid='1']/tuv/seg")
    for seg in segs:
        assert [e.tag for e in seg] == ["bpt", "ept", "bpt", "ept", "ph", "it"]
        assert seg.find("bpt").text == '<a href="x">' and seg.find("it").get("pos") == "begin"
    assert "".join(segs[1].itertext()).startswith("The <a")
    assert [e.get("pos") for e in root.find(".//tu[@tuid='2']/tuv/seg")] == ["end"]
    assert len(root.find(".//tu[@tuid='3']/tuv/seg")) == 0


def test_jsonl_records_codes_only_for_segments_that_have_some() -> None:
    records = [segment_record(s) for s in coded_document()]
    assert records[0]["codes"][0] == {"id": 1, "kind": "open", "data": '<a href="x">', "position": 3}
    assert [c["kind"] for c in records[0]["target_codes"]] == ["open", "close", "open", "close", "isolated", "open"]
    assert "codes" not in records[2] and "target_codes" not in records[2]


def test_a_pair_around_no_word_wraps_the_english_between_its_neighbours():
    """An italic ', ' between two bold names (found in a real DOCX): both halves come back, in order,
    around the comma of the English, and the markup stays well nested."""
    from translate.codes import project_segment, well_nested
    from translate.document import InlineCode, Segment

    source = "Le conseiller de la Maison Blanche, Jake Sullivan, a déclaré."
    segment = Segment(1, 0, source, target="The adviser of the White House, Jake Sullivan, has declared.",
                      origin="test")
    b1, e1 = source.index("Maison"), source.index(",")
    b3, e3 = source.index("Jake"), source.index(", a")
    segment.codes = [InlineCode(1, "open", "<b>", b1), InlineCode(1, "close", "</b>", e1),
                     InlineCode(2, "open", "<i>", e1), InlineCode(2, "close", "</i>", b3),
                     InlineCode(3, "open", "<b>", b3), InlineCode(3, "close", "</b>", e3)]
    placed = project_segment(segment)
    assert sorted((c.id, c.kind) for c in placed) == sorted((c.id, c.kind) for c in segment.codes)
    assert well_nested(placed)
    at = {(c.id, c.kind): c.position for c in placed}
    target = segment.target
    assert target[at[2, "open"]:at[2, "close"]] == ", "
    assert target[at[3, "open"]:at[3, "close"]] == "Jake Sullivan"
