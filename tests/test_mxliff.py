"""Phrase (Memsource) MXLIFF: its tags written as text (`{1}`, `{2>`…`<2}`, `{b>`…`<b}`) are inline codes
of the XLIFF reader, never engine text: each comes back exactly once in the target, pairs around the same
words; a tag an engine dropped or repeated, or one left in the English text, is a QA finding. The rest of
the file comes back byte for byte. The fixture is a hand-written file laid out as Phrase exports them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from translate.document import InlineCode, Segment
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.xliff_in import FORMAT, NS_12
from translate.phrase_tags import find_placeholders, is_placeholder

DATA = Path(__file__).parent / "data" / "xliff_in"
MXLIFF = "phrase-depeche.fr.mxliff"
X = f"{{{NS_12}}}"
M_NS = "http://www.memsource.com/mxlf/2.0"


def read(name: str = MXLIFF, data: bytes | None = None) -> ParsedFile:
    return FORMAT.read(data if data is not None else (DATA / name).read_bytes(), DATA / name)


def targets(data: bytes) -> dict[str, str | None]:
    """trans-unit id → its target's text (placeholders are text: the whole target is its text)."""
    root = etree.fromstring(data)
    out = {}
    for unit in root.iter(X + "trans-unit"):
        target = unit.find(X + "target")
        assert target is None or len(target) == 0, "a Phrase target holds text only"
        out[unit.get("id")] = None if target is None else (target.text or "")
    return out


def phrase_tags(text: str) -> list[str]:
    return [p.text for p in find_placeholders(text)]


# ---------------------------------------------------------------- the recogniser


@pytest.mark.parametrize("text, found", [
    ("{1}", [("{1}", "isolated", "1")]),
    ("{1>", [("{1>", "open", "1")]),
    ("<1}", [("<1}", "close", "1")]),
    ("{b>", [("{b>", "open", "b")]),
    ("<b}", [("<b}", "close", "b")]),
    ("a {12>lien<12} et {sup>2<sup}{3}.", [("{12>", "open", "12"), ("<12}", "close", "12"),
                                           ("{sup>", "open", "sup"), ("<sup}", "close", "sup"),
                                           ("{3}", "isolated", "3")]),
])
def test_recogniser_finds_phrase_tags(text, found):
    assert [(p.text, p.kind, p.name) for p in find_placeholders(text)] == found
    for p in find_placeholders(text):
        assert text[p.start:p.end] == p.text and is_placeholder(p.text)


@pytest.mark.parametrize("text", [
    "{ not a tag }", "{ 1 }", '{"id": 1, "b": [2]}', "{1: 2}", "{a}", "{b}", "{1,2}", "{{", "}}",
    "{{1}}", "{{b>", "<1}}", "{}", "<>", "a < 1 } b", "x{-1}", "{Bold>", "<B}", "{1 >", "< 1}",
    "{abcdefg>", "{123456}",
])
def test_recogniser_ignores_braces_that_are_not_phrase_tags(text):
    assert find_placeholders(text) == []
    assert not is_placeholder(text)


def test_is_placeholder_wants_exactly_one_tag_not_xliff_markup():
    assert not is_placeholder('<x id="1"/>') and not is_placeholder("<g id=\"2\">") and not is_placeholder("</g>")
    assert not is_placeholder("{1}{2}") and not is_placeholder(" {1}")


# ---------------------------------------------------------------- reading and writing


def test_phrase_tags_are_inline_codes_not_text():
    units = read().units
    assert [u.note for u in units] == ["trans-unit q1Ww:0", "trans-unit q1Ww:1", "trans-unit q1Ww:2",
                                       "trans-unit q1Ww:4"]
    assert units[0].text == "Le ministre de l'Économie a présenté le budget lundi."
    assert [(c.id, c.kind, c.data, c.position) for c in units[0].codes] == [
        (1, "open", "{b>", 3), (1, "close", "<b}", 25)]
    assert units[1].text == "Selon le rapport annuel, la dette atteint 3 000 milliards d'euros."
    assert [(c.id, c.kind, c.data) for c in units[1].codes] == [
        (1, "open", "{1>"), (1, "close", "<1}"), (2, "isolated", "{2}")]
    assert units[1].text[units[1].codes[0].position:units[1].codes[1].position] == "le rapport annuel"
    assert [(c.kind, c.data) for c in units[2].codes] == [
        ("isolated", "{3}"), ("open", "{i>"), ("close", "<i}"), ("open", "{4>"), ("close", "<4}")]
    assert units[3].text == "Le texte { sans balise } reste tel quel." and units[3].codes == []


def test_unpaired_halves_are_isolated_codes_and_a_source_of_tags_only_is_no_unit():
    body = ('<trans-unit id="a"><source>{7>Début du lien</source><target/></trans-unit>'
            '<trans-unit id="b"><source>fin du lien&lt;7} et &lt;b} seul {{1}} {"k": 2}</source><target/></trans-unit>'
            '<trans-unit id="c"><source>{5}</source><target/></trans-unit>')
    units = read(data=_phrase_file(body)).units
    assert [(u.note, u.text) for u in units] == [("trans-unit a", "Début du lien"),
                                                  ("trans-unit b", 'fin du lien et  seul {{1}} {"k": 2}')]
    assert [(c.kind, c.data) for c in units[0].codes] == [("isolated", "{7>")]
    assert [(c.kind, c.data) for c in units[1].codes] == [("isolated", "<7}"), ("isolated", "<b}")]


def test_other_cat_tools_keep_braces_as_text():
    """An OmegaT/Okapi XLIFF has its tags as elements: `{1}` in its text is text (a code sample, a template)."""
    data = (f'<xliff xmlns="{NS_12}" version="1.2"><file original="a" source-language="fr" datatype="plaintext">'
            '<body><trans-unit id="1"><source>Écrire {1} puis {b>gras&lt;b}.</source></trans-unit></body></file>'
            '</xliff>').encode()
    (unit,) = FORMAT.read(data, Path("a.xlf")).units
    assert unit.text == "Écrire {1} puis {b>gras<b}." and unit.codes == []


def test_a_phrase_file_is_known_by_its_namespace_or_its_suffix():
    body = '<trans-unit id="1"><source>Voir {1}.</source></trans-unit>'
    without_ns = _phrase_file(body).replace(f' xmlns:m="{M_NS}"'.encode(), b"")
    assert [c.data for c in FORMAT.read(without_ns, Path("projet.fr.mxliff")).units[0].codes] == ["{1}"]
    assert FORMAT.read(without_ns, Path("projet.fr.xlf")).units[0].codes == []
    assert [c.data for c in FORMAT.read(_phrase_file(body), Path("projet.xlf")).units[0].codes] == ["{1}"]


def test_filled_targets_hold_each_tag_once_as_text_around_the_same_words():
    parsed = read()

    def upper(unit: TextUnit) -> UnitTranslation:
        return UnitTranslation(unit.text.upper(), list(unit.codes), origin="apertium")

    out = FORMAT.write(parsed, [upper(u) for u in parsed.units], "en")
    filled = targets(out)
    assert filled["q1Ww:0"] == "LE {b>MINISTRE DE L'ÉCONOMIE<b} A PRÉSENTÉ LE BUDGET LUNDI."
    assert filled["q1Ww:1"] == "SELON {1>LE RAPPORT ANNUEL<1}, LA DETTE ATTEINT 3 000 MILLIARDS D'EUROS{2}."
    assert filled["q1Ww:2"] == "{3}LE GOUVERNEMENT {i>PRÉVOIT<i} UNE HAUSSE DES IMPÔTS {4>EN 2027<4}."
    assert filled["q1Ww:3"] == "{1}Budget 2027"  # locked: as it was
    assert filled["q1Ww:4"] == "LE TEXTE { SANS BALISE } RESTE TEL QUEL."
    english = "In 2027 the government plans a tax rise."
    moved = UnitTranslation(english, [InlineCode(1, "isolated", "{3}", 0), InlineCode(4, "open", "{4>", 0),
                                      InlineCode(4, "close", "<4}", 7), InlineCode(2, "open", "{i>", 23),
                                      InlineCode(2, "close", "<i}", 28)], origin="apertium")
    rest = [upper(u) for u in parsed.units]
    rest[2] = moved
    assert targets(FORMAT.write(parsed, rest, "en"))["q1Ww:2"] == "{3}{4>In 2027<4} the government {i>plans<i} a tax rise."


def _phrase_file(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS_12}" xmlns:m="{M_NS}" version="1.2">'
            f'<file original="a.docx" source-language="fr" datatype="x-undefined"><body>{body}</body></file>'
            '</xliff>\n').encode()


# ---------------------------------------------------------------- QA of the tags


def _segment(source: str, target: str, codes: list[InlineCode], engine: list[tuple[int, str, int]] | None) -> Segment:
    segment = Segment(id=1, paragraph=0, source=source)
    segment.codes, segment.target = codes, target
    segment.engine_target, segment.engine_codes = (target, engine) if engine is not None else (None, None)
    return segment


def test_a_tag_the_engine_dropped_or_repeated_is_a_finding_and_still_comes_back_once():
    from translate.codes import project_codes
    from translate.document import Document, Paragraph

    source = "Selon le rapport annuel, la dette monte."
    codes = [InlineCode(1, "open", "{1>", 6), InlineCode(1, "close", "<1}", 23), InlineCode(2, "isolated", "{2}", 39)]
    target = "According to the annual report, the debt rises."
    dropped = _segment(source, target, list(codes), [(1, "open", 13), (1, "close", 30)])
    repeated = _segment(source, target, list(codes), [(1, "open", 13), (1, "close", 30), (2, "isolated", 31),
                                                      (2, "isolated", 47)])
    clean = _segment(source, target, list(codes), [(1, "open", 13), (1, "close", 30), (2, "isolated", 47)])
    html = _segment(source, target, [InlineCode(1, "open", "<b>", 6), InlineCode(1, "close", "</b>", 23)],
                    [(1, "open", 13)])
    project_codes(Document([Paragraph(0, [dropped, repeated, clean, html])]))
    assert [(f.check, f.message) for f in dropped.qa] == [
        ("tag-dropped", "the engine dropped the tag {2}; it was put back by word alignment: check where it stands")]
    assert [f.check for f in repeated.qa] == ["tag-repeated"] and "{2} 2 times" in repeated.qa[0].message
    assert clean.qa == [] and html.qa == []  # HTML codes of other formats are not Phrase tags
    for segment in (dropped, repeated, clean):
        assert sorted((c.id, c.kind) for c in segment.target_codes) == [(1, "close"), (1, "open"), (2, "isolated")]
    assert target[clean.target_codes[0].position:clean.target_codes[1].position] == "the annual report"


def test_a_tag_written_in_the_english_text_is_a_finding():
    from translate.codes import project_codes
    from translate.document import Document, Paragraph

    codes = [InlineCode(1, "isolated", "{1}", 4)]
    twice = _segment("Voir {1} la note.", "See {1} the note.", list(codes), None)
    unasked = _segment("Voir la note.", "See {7} the note.", list(codes), None)
    plain = _segment("Le {1} reste.", "The {1} stays.", [], None)  # no Phrase tag: not a Phrase segment
    project_codes(Document([Paragraph(0, [twice, unasked, plain])]))
    assert [(f.check, f.message) for f in twice.qa] == [
        ("tag-in-text", "the tag {1} is written in the English text: the target holds it twice")]
    assert [f.check for f in unasked.qa] == ["tag-in-text"] and "not a tag of this source" in unasked.qa[0].message
    assert plain.qa == []


# ---------------------------------------------------------------- through the command


def _run(tmp_path: Path, *engine: str, extra: tuple[str, ...] = ()) -> tuple[Path, bytes]:
    from support import run_cli

    source = tmp_path / "in" / MXLIFF
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes((DATA / MXLIFF).read_bytes())
    result = run_cli("run", str(source), *engine, "--no-default-glossary", *extra, "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "1 segment(s) kept as they were (1 locked)" in result.stderr
    return tmp_path / "out", (tmp_path / "out" / "phrase-depeche.en.mxliff").read_bytes()


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_run_with_the_copy_model_puts_every_tag_back_around_the_same_words(tmp_path, synthetic_package):
    import json

    out, filled = _run(tmp_path, "--model", str(synthetic_package))
    sources = {u.get("id"): u.find(X + "source").text for u in etree.fromstring(filled).iter(X + "trans-unit")}
    english = targets(filled)
    for unit_id in ("q1Ww:0", "q1Ww:1", "q1Ww:2", "q1Ww:4"):
        assert phrase_tags(english[unit_id]) == phrase_tags(sources[unit_id])
        assert english[unit_id].replace("3,000", "3 000") == sources[unit_id]  # the copy, codes where they were
    records = [json.loads(line) for line in (out / "phrase-depeche.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in records][:2] == ["Le ministre de l'Économie a présenté le budget lundi.",
                                                  "Selon le rapport annuel, la dette atteint 3 000 milliards d'euros."]
    assert [c["data"] for c in records[1]["codes"]] == ["{1>", "<1}", "{2}"]
    assert "{" not in (out / "phrase-depeche.fr-en.tsv").read_text(encoding="utf-8").split("{ sans")[0]


def test_run_with_apertium_keeps_every_tag_once_and_never_translates_it(tmp_path):
    from support import need
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    out, filled = _run(tmp_path, "--engine", "apertium")
    sources = {u.get("id"): u.find(X + "source").text for u in etree.fromstring(filled).iter(X + "trans-unit")}
    english = targets(filled)
    for unit_id in ("q1Ww:0", "q1Ww:1", "q1Ww:2"):
        assert sorted(phrase_tags(english[unit_id])) == sorted(phrase_tags(sources[unit_id])), english[unit_id]
        assert english[unit_id] != sources[unit_id]
        for tag in phrase_tags(sources[unit_id]):
            assert english[unit_id].count(tag) == 1
    assert "minist" in _between(english["q1Ww:0"], "{b>", "<b}").lower()
    assert "report" in _between(english["q1Ww:1"], "{1>", "<1}")
    assert "2027" in _between(english["q1Ww:2"], "{4>", "<4}")
    assert english["q1Ww:1"].endswith("{2}.")
    assert english["q1Ww:2"].startswith("{3}")
    qa = (out / "phrase-depeche.qa.tsv").read_text(encoding="utf-8")
    assert "{1" not in qa and "<b}" not in qa  # the tags never reached the engine or the QA text columns


def test_run_flags_a_tag_a_memory_writes_in_the_english(tmp_path, synthetic_package):
    from xml.sax.saxutils import escape

    english = escape("According to {1>the annual report<1}, debt reaches 3,000 billion euros{2}.")
    memory = tmp_path / "memoire.tmx"
    memory.write_text('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" '
                      'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="fr" '
                      'datatype="plaintext"/><body><tu><tuv xml:lang="fr"><seg>Selon le rapport annuel, la dette '
                      f"atteint 3 000 milliards d'euros.</seg></tuv><tuv xml:lang=\"en\"><seg>{english}</seg></tuv>"
                      "</tu></body></tmx>", encoding="utf-8")
    out, filled = _run(tmp_path, "--model", str(synthetic_package), extra=("--tm", str(memory)))
    rows = [line.split("\t") for line in (out / "phrase-depeche.qa.tsv").read_text(encoding="utf-8").splitlines()]
    flagged = [(row[1], row[2]) for row in rows if row[1] == "tag-in-text"]
    assert flagged == [("tag-in-text", f"the tag {tag} is written in the English text: the target holds it twice")
                       for tag in ("{1>", "<1}", "{2}")]


# ---------------------------------------------------------------- the rest of the file, byte for byte


def _variants() -> dict[str, bytes]:
    """The fixture as Phrase writes it, and spelt as other XML writers would (all the same XML)."""
    data = (DATA / MXLIFF).read_bytes()
    escaped = data.replace(b"{b>", b"{b&gt;").replace(b"{1>", b"{1&gt;").replace(b"{i>", b"{i&gt;")
    spelt = data.replace(b'm:para-id="3"', b"m:para-id='3'").replace(b"l'\xc3\x89conomie", b"l&#8217;\xc3\x89conomie")
    return {"phrase": data, "gt-escaped": escaped, "crlf": data.replace(b"\n", b"\r\n"), "quotes-and-refs": spelt}


@pytest.mark.parametrize("variant", ["phrase", "gt-escaped", "crlf", "quotes-and-refs"])
def test_everything_but_the_filled_targets_comes_back_byte_for_byte(variant):
    data = _variants()[variant]
    parsed = FORMAT.read(data, DATA / MXLIFF)
    out = FORMAT.write(parsed, [UnitTranslation(u.text.upper(), list(u.codes), origin="apertium")
                                for u in parsed.units], "en")
    etree.fromstring(out)  # parses
    before, after = data.split(b"\n"), out.split(b"\n")
    assert len(after) == len(before)
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(changed) == 4, changed
    for old, new in changed:
        assert re.fullmatch(rb"\s*<target ?/?>(</target>)?\r?", old), old
        assert new.lstrip().startswith(b'<target state="needs-review-translation"')
        assert new.endswith(b"\r") == (variant == "crlf")
    assert FORMAT.write(parsed, [UnitTranslation(u.text, list(u.codes)) for u in parsed.units], "en") != out


def test_a_new_target_is_its_own_line_and_the_rest_stays_as_it_was():
    data = (DATA / MXLIFF).read_bytes().replace(b"<target/>\n", b"", 1).replace(b"{2}.</source>\n", b"{2}.</source>")
    data = data.replace(b"{2}.</source>", b"{2}.</source>\n", 1)  # the source line stays, the empty target is gone
    parsed = FORMAT.read(data, DATA / MXLIFF)
    out = FORMAT.write(parsed, [UnitTranslation(u.text, list(u.codes), origin="apertium") for u in parsed.units], "en")
    before, after = data.split(b"\n"), out.split(b"\n")
    assert len(after) == len(before) + 1
    inserted = [line for line in after if line not in before]
    assert len(inserted) == 4 and all(line.lstrip().startswith(b"<target state=") for line in inserted)
    assert [line for line in after if line in before] == [line for line in before if not re.fullmatch(
        rb"\s*<target ?/?>(</target>)?", line)]


def test_a_pair_the_engine_emptied_is_a_finding():
    from translate.codes import project_codes
    from translate.document import Document, Paragraph

    source = "Les résultats sont très mauvais."
    codes = [InlineCode(1, "open", "{6>", 19), InlineCode(1, "close", "<6}", 23),
             InlineCode(2, "open", "{7>", 24), InlineCode(2, "close", "<7}", 31)]
    target = "The results are very bad."  # Apertium gave <g1>very bad</g1> <g2></g2>
    emptied = _segment(source, target, list(codes), [(1, "open", 16), (1, "close", 24), (2, "open", 24),
                                                     (2, "close", 24)])
    kept = _segment(source, target, list(codes), [(1, "open", 16), (1, "close", 20), (2, "open", 21),
                                                  (2, "close", 24)])
    project_codes(Document([Paragraph(0, [emptied, kept])]))
    assert [(f.check, f.message) for f in emptied.qa] == [
        ("tag-emptied", "the engine left no words inside {7>…<7}; it was put around words by word alignment: "
                        "check which")]
    assert kept.qa == []
    assert len(emptied.target_codes) == 4


@pytest.mark.parametrize("name", ["omegat-article.fr.xlf", "trados-memoq-depeche.fr.xlf", "phrase-communique.fr.xlf"])
def test_other_cat_tools_files_change_only_on_the_lines_we_fill(name):
    """The same line-for-line keeping for every CAT tool: only lines with a target, a state or a language
    we set differ, CRLF files included."""
    import difflib

    original = (DATA / name).read_bytes()
    for data in (original, original.replace(b"\n", b"\r\n")):
        parsed = FORMAT.read(data, DATA / name)
        out = FORMAT.write(parsed, [UnitTranslation(u.text.upper(), list(u.codes), origin="apertium")
                                    for u in parsed.units], "en")
        etree.fromstring(out)
        before, after = data.split(b"\n"), out.split(b"\n")
        removed, added = [], []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            removed += before[i1:i2] if tag != "equal" else []
            added += after[j1:j2] if tag != "equal" else []
        assert added and all(line.endswith(b"\r") == data.endswith(b"\r\n") or line is after[-1] for line in added)
        for line in removed + added:
            assert re.search(rb"<target|<file |<xliff |<segment ", line), line
