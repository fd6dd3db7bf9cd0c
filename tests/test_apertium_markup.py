"""Apertium carries inline codes itself (light tags through both modes) instead of the word alignment
placing them afterwards: codes land on the right English words, and survive the later stages."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from translate.api import PipelineOptions, build_pipeline
from translate.docjob import build_document, unit_translations
from translate.document import InlineCode, Segment
from translate.engines.apertium import ApertiumEngine, apertium_status
from translate.formats.html import FORMAT
from translate.markup import engine_codes, read_tags

from support import need, run_cli

need(*apertium_status(), module=True)


def _english(body: str, carries: bool = True) -> tuple[str, list[tuple[str, str]]]:
    """A French HTML paragraph through the Apertium pipeline → (English text, [(tag, text inside)])."""
    page = f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head><body><p>{body}</p></body></html>'.encode()
    parsed = FORMAT.read(page, Path("page.fr.html"))
    engine = ApertiumEngine()
    if not carries:
        engine.carries_markup = False  # type: ignore[misc]
    pipeline = build_pipeline(engine, PipelineOptions(qa=False))
    document = build_document(parsed, "page.fr.html")
    pipeline.run_document(document)
    out = FORMAT.write(parsed, unit_translations(parsed, document), "en")
    tree = lxml_html.fromstring(out)
    paragraph = tree.find(".//p")
    spans = [(el.tag, " ".join(el.text_content().split())) for el in paragraph.iter() if el is not paragraph]
    return " ".join(paragraph.text_content().split()), spans


def test_reordered_adjective_and_noun_stay_inside_italic() -> None:
    text, spans = _english("Selon le président de la <i>République française</i>, la réforme est nécessaire.")
    assert "French Republic" in text
    assert spans == [("i", "French Republic")]


def test_link_around_a_multiword_phrase() -> None:
    _, spans = _english('La <a href="u">réforme des retraites</a> est nécessaire.')
    assert spans == [("a", "reform of the retreats")]


def test_bold_on_a_word_whose_english_differs_and_moves() -> None:
    body = "Le Premier ministre a annoncé mardi soir le <strong>report</strong> de la réforme."
    _, spans = _english(body)
    assert spans == [("strong", "postponement")]
    _, before = _english(body, carries=False)
    assert before != spans  # the word alignment alone put it elsewhere (on "afternoon")


def test_isolated_code_keeps_its_place() -> None:
    text, spans = _english("Les négociations reprendront<br>dès lundi.")
    assert spans == [("br", "")]
    page = '<!DOCTYPE html><html lang="fr"><body><p>Les négociations reprendront<br>dès lundi.</p></body></html>'
    parsed = FORMAT.read(page.encode(), Path("p.fr.html"))
    pipeline = build_pipeline(ApertiumEngine(), PipelineOptions(qa=False))
    document = build_document(parsed, "p.fr.html")
    pipeline.run_document(document)
    (unit,) = unit_translations(parsed, document)
    (code,) = unit.codes
    assert unit.text[:code.position].rstrip().endswith("will restart")
    assert unit.text[code.position:].lstrip().startswith("from Monday")


def test_glossary_term_inside_a_code() -> None:
    text, spans = _english("Le sommet de l'<b>OTAN</b> aura lieu à Vilnius.")
    assert "NATO" in text
    assert spans == [("b", "NATO")]


def test_typography_after_the_engine_keeps_codes_on_their_words() -> None:
    text, spans = _english("Il a dit «&nbsp;<em>nous avons entendu</em>&nbsp;» hier.")
    assert "“" in text and "«" not in text
    assert spans == [("em", "we have felt")]


def test_sentence_without_codes_is_unchanged() -> None:
    engine = ApertiumEngine()
    sentence = "Le Premier ministre a annoncé mardi soir le report de la réforme."
    plain = engine.translate([sentence])[0].text
    mixed = engine.translate([sentence, "Le <g1>report</g1> de la réforme."], marked={1})
    assert mixed[0].text == plain
    assert "<g1>postponement</g1>" in mixed[1].text
    assert "<" not in plain


def test_escaped_text_and_broken_tags_fall_back_to_projection() -> None:
    text, tags = read_tags("3 &lt; 4 <g1>and</g1> <x2/>")
    assert text == "3 < 4 and " and tags == [(1, "open", 6), (1, "close", 9), (2, "isolated", 10)]
    segment = Segment(1, 0, "le chat noir", codes=[InlineCode(1, "open", "<b>", 3), InlineCode(1, "close", "</b>", 7)])
    segment.target = segment.engine_target = "the black cat"
    segment.engine_codes = [(1, "open", 4), (1, "open", 10)]  # the engine repeated the open, lost the close
    assert engine_codes(segment) is None  # the projection places the pair instead


def test_cli_html_page_puts_markup_on_the_right_words(tmp_path: Path) -> None:
    page = tmp_path / "page.fr.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Retraites</title></head><body>'
        "<p>Le Premier ministre a annoncé mardi soir le <strong>report</strong> de la réforme.</p>"
        '<p>Selon <b>le président</b> de la <i>République française</i>, la <a href="u">réforme des retraites</a>'
        " est nécessaire.</p>"
        '<p>Le déficit atteindrait 3,5&nbsp;% du <abbr title="produit intérieur brut">PIB</abbr> en 2027.</p>'
        "</body></html>",
        encoding="utf-8",
    )
    result = run_cli("run", str(page), "-e", "apertium", "--no-cache")
    assert result.returncode == 0, result.stderr
    tree = lxml_html.fromstring((tmp_path / "page.en.html").read_bytes())
    found = [(el.tag, " ".join(el.text_content().split())) for el in tree.iter("strong", "b", "i", "a", "abbr")]
    assert found == [("strong", "postponement"), ("b", "the president"), ("i", "French Republic"),
                     ("a", "reform of the retreats"), ("abbr", "GDP")]


def test_a_quote_apertium_left_inside_a_span_is_trimmed() -> None:
    segment = Segment(1, 0, "Il a dit : « nous partons » hier.",
                      codes=[InlineCode(1, "open", "<i>", 13), InlineCode(1, "close", "</i>", 24)])
    segment.target = segment.engine_target = "It has said: « we leave » yesterday."
    segment.engine_codes = [(1, "open", 15), (1, "close", 25)]  # the close came back after the quote
    placed = engine_codes(segment)
    assert placed is not None
    assert segment.target[placed[0].position:placed[1].position] == "we leave"
