"""Word .docx input (issue 13): units from body, tables, header, footer and footnotes; the writer keeps run
formatting, links, fields, bookmarks and every other package member; python-docx (and LibreOffice when
installed) open the result."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docx_sample import URL, build_article
from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.docx import FORMAT, DocxFormat, DocxLimits
from translate.formats.structured import ParsedFile, UnitTranslation

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml", "word/footnotes.xml")
PATH = Path("article.fr.docx")


@pytest.fixture(scope="module")
def article() -> bytes:
    return build_article()


@pytest.fixture(scope="module")
def parsed(article: bytes) -> ParsedFile:
    return FORMAT.read(article, PATH)


def identity(parsed: ParsedFile) -> list[UnitTranslation]:
    return [UnitTranslation(u.text, list(u.codes)) for u in parsed.units]


def upper(parsed: ParsedFile) -> list[UnitTranslation]:
    """A rewrite that keeps every position: upper-cased text, the same codes."""
    return [UnitTranslation(u.text.upper(), list(u.codes)) for u in parsed.units]


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def unit(parsed: ParsedFile, start: str):
    return next(u for u in parsed.units if u.text.startswith(start))


def spans(u) -> dict[str, str]:
    """The text each open/close pair of a unit wraps, by the pair's open data."""
    opens = {c.id: c for c in u.codes if c.kind == "open"}
    return {opens[c.id].data: u.text[opens[c.id].position:c.position] for c in u.codes if c.kind == "close"}


def _run_key(rpr) -> str:
    if rpr is None:
        return ""
    rpr = etree.fromstring(etree.tostring(rpr))
    for child in list(rpr):
        if child.tag in (W + "lang", W + "noProof"):
            rpr.remove(child)
    return etree.tostring(rpr, method="c14n").decode() if len(rpr) else ""


def flat(xml: bytes, upper_text: bool = False) -> list[list[tuple]]:
    """Each paragraph as a run-split-free sequence: characters with their run properties and containers,
    and every other element (tab, break, field, bookmark, deleted text…) in place. Proofing marks left out."""
    root = etree.fromstring(xml)
    paragraphs = []
    for p in root.iter(W + "p"):
        tokens: list[tuple] = []
        for el in p.iter():
            if el is p or not isinstance(el.tag, str) or el.tag in (W + "r", W + "pPr", W + "rPr", W + "proofErr"):
                continue
            ancestors = list(el.iterancestors())
            if any(a.tag in (W + "pPr", W + "rPr") for a in ancestors):
                continue
            run = next((a for a in ancestors if a.tag == W + "r"), None)
            key = _run_key(run.find(W + "rPr")) if run is not None else None
            context = tuple((a.tag, tuple(sorted(a.attrib.items()))) for a in ancestors[:ancestors.index(p)]
                            if a.tag != W + "r")
            if el.tag == W + "t":
                text = el.text or ""
                tokens.extend(("c", ch.upper() if upper_text else ch, key, context) for ch in text)
            else:
                tokens.append(("e", el.tag, tuple(sorted(el.attrib.items())), el.text or "", key, context))
        paragraphs.append(tokens)
    return paragraphs


# --- reading -------------------------------------------------------------------------------------------------


def test_units_are_the_paragraphs_of_body_table_header_footer_and_footnotes(parsed: ParsedFile):
    assert [u.text for u in parsed.units] == [
        "Le Parlement adopte la réforme des retraites",
        "Le Premier ministre a défendu mardi un texte très contesté devant les députés.",
        "Les syndicats appellent à une nouvelle journée de grève le 23 mars.",
        "Le texte complet est disponible sur le site du gouvernement.",
        "Chiffres clés : Paris 1,2 million de manifestants",
        "La mobilisation reste particulièrement forte en province.",
        "Ville", "Manifestants", "Marseille", "245 000", "Lyon", "38 000",
        "Le vote final aura lieu jeudi.",
        "Photo :  le cortège parisien (AFP).",
        "Le Quotidien — édition du soir",
        "Page 1 sur 2",
        " Selon les chiffres du ministère de l’Intérieur.",
    ]
    assert [u.key.split("#")[0] for u in parsed.units][-4:] == list(TEXT_PARTS)
    assert parsed.units[-1].note == "word/footnotes.xml, paragraph 3"


def test_codes_surround_the_formatted_words(parsed: ParsedFile):
    assert spans(unit(parsed, "Le Premier")) == {"<w:rPr><w:b/></w:rPr>": "Premier ministre",
                                                  "<w:rPr><w:i/></w:rPr>": "très contesté"}
    strike = unit(parsed, "Les syndicats")
    assert spans(strike) == {'<w:bookmarkStart w:id="0" w:name="greve"/>': "journée de grève",
                             '<w:rPr><w:u w:val="single"/></w:rPr>': "23 mars"}
    assert [c.data for c in strike.codes if c.kind == "isolated"] == ['<w:footnoteReference w:id="1"/>']
    link = unit(parsed, "Le texte complet")
    assert spans(link) == {'<w:hyperlink r:id="rId9">': "le site du gouvernement"}
    assert spans(unit(parsed, "Page")) == {r"<w:instrText>PAGE \* arabic</w:instrText>": "1"}
    tracked = unit(parsed, "La mobilisation")
    assert spans(tracked)['<w:ins w:id="12" w:author="Rédaction" w:date="2026-03-14T09:00:00Z">'] == "particulièrement "
    assert any("<w:delText>très </w:delText>" in c.data for c in tracked.codes if c.kind == "isolated")


def test_runs_split_by_edits_proofing_marks_and_language_make_whole_words(parsed: ParsedFile):
    """'Les syndi' (own run, w:lang, then a w:proofErr) + 'cats…' is one word for the engine, with no code."""
    strike = unit(parsed, "Les syndicats")
    assert strike.codes[0].position == len("Les syndicats appellent à une nouvelle ")
    assert all(u.codes == [] for u in parsed.units if u.text in ("Ville", "Manifestants"))  # all bold: no pair


def test_field_instructions_and_deleted_text_are_not_unit_text(parsed: ParsedFile):
    text = " ".join(u.text for u in parsed.units)
    assert "PAGE" not in text and "arabic" not in text
    assert "très forte" not in text
    assert unit(parsed, "La mobilisation").text == "La mobilisation reste particulièrement forte en province."


def test_tabs_and_breaks_are_isolated_codes_with_a_space_for_the_engine(parsed: ParsedFile):
    figures = unit(parsed, "Chiffres")
    assert [(c.data, figures.text[c.position:c.position + 1]) for c in figures.codes] == [("<w:br/>", " "), ("<w:tab/>", " ")]


def test_every_code_is_well_formed_for_the_pipeline(parsed: ParsedFile):
    for u in parsed.units:
        positions = [c.position for c in u.codes]
        assert positions == sorted(positions) and all(0 <= p <= len(u.text) for p in positions)
        opened: set[int] = set()
        for code in u.codes:
            if code.kind == "open":
                opened.add(code.id)
            elif code.kind == "close":
                assert code.id in opened
        assert sorted({c.id for c in u.codes}) == list(range(1, len({c.id for c in u.codes}) + 1))


def test_warnings_name_tracked_changes(parsed: ParsedFile):
    assert parsed.warnings == [f"{PATH}: tracked changes: inserted text is translated and stays marked as "
                               "inserted; deleted text stays as it was (French)"]


# --- writing -------------------------------------------------------------------------------------------------


def test_identity_keeps_every_other_member_byte_for_byte_in_order_and_compression(article: bytes, parsed: ParsedFile):
    out = FORMAT.write(parsed, identity(parsed), "en")
    with zipfile.ZipFile(io.BytesIO(article)) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        before, after = a.infolist(), b.infolist()
        assert [i.filename for i in before] == [i.filename for i in after]
        assert [(i.compress_type, i.date_time, i.external_attr) for i in before] == \
               [(i.compress_type, i.date_time, i.external_attr) for i in after]
    old, new = members(article), members(out)
    changed = sorted(name for name in old if old[name] != new[name])
    assert set(changed) <= set(TEXT_PARTS) and "word/document.xml" in changed  # runs merged, proofing marks gone


def test_identity_rewrites_text_parts_equivalently(article: bytes, parsed: ParsedFile):
    old, new = members(FORMAT.write(parsed, identity(parsed), "en")), members(article)
    for name in TEXT_PARTS:
        assert flat(old[name]) == flat(new[name]), name
    assert b"proofErr" in new["word/document.xml"] and b"proofErr" not in old["word/document.xml"]


def test_rewritten_text_keeps_formatting_on_the_same_characters(article: bytes, parsed: ParsedFile):
    out = members(FORMAT.write(parsed, upper(parsed), "en"))
    original = members(article)
    for name in TEXT_PARTS:
        assert flat(out[name]) == flat(original[name], upper_text=True), name
    footer = out["word/footer1.xml"].decode()
    assert r"<w:instrText xml:space=" in footer and r" PAGE \* arabic " in footer  # the instruction kept as is
    assert "<w:delText>très </w:delText>" in out["word/document.xml"].decode()


def place(text: str, template: list[InlineCode], where: dict[int, str]) -> UnitTranslation:
    """English `text` with each pair of `template` around the substring `where[id]`, other codes at the end."""
    codes = []
    for code in template:
        if code.id in where:
            start = text.index(where[code.id])
            codes.append(code.at(start if code.kind == "open" else start + len(where[code.id])))
        else:
            codes.append(code.at(len(text)))
    return UnitTranslation(text, sorted(codes, key=lambda c: c.position))


def english(parsed: ParsedFile) -> list[UnitTranslation]:
    """A hand translation of the article with the codes moved to the English words, word order changed."""
    out = []
    for u in parsed.units:
        if u.text.startswith("Le Premier"):
            out.append(place("Before the deputies on Tuesday, the Prime Minister defended a highly contested bill.",
                             u.codes, {1: "Prime Minister", 2: "highly contested"}))
        elif u.text.startswith("Le texte complet"):
            out.append(place("The full text is on the government website.", u.codes, {1: "government website"}))
        elif u.text.startswith("Les syndicats"):
            out.append(place("Unions call for a new strike day on March 23.", u.codes, {1: "strike day", 2: "March 23"}))
        elif u.text.startswith("Chiffres"):
            tab, brk = u.codes[1], u.codes[0]
            text = "Key figures: Paris 1.2 million protesters"
            out.append(UnitTranslation(text, [brk.at(text.index(" Paris")), tab.at(text.index(" 1.2"))]))
        else:
            out.append(UnitTranslation(u.text.upper(), list(u.codes)))
    return out


def test_formatting_follows_the_words_when_the_english_reorders_them(parsed: ParsedFile):
    import docx

    document = docx.Document(io.BytesIO(FORMAT.write(parsed, english(parsed), "en-GB")))
    paragraphs = document.paragraphs
    bold = [r.text for r in paragraphs[1].runs if r.bold]
    italic = [r.text for r in paragraphs[1].runs if r.italic]
    assert (bold, italic) == (["Prime Minister"], ["highly contested"])
    assert paragraphs[1].text == "Before the deputies on Tuesday, the Prime Minister defended a highly contested bill."
    assert [r.text for r in paragraphs[2].runs if r.underline] == ["March 23"]
    link = paragraphs[3].hyperlinks[0]
    assert (link.text, link.address) == ("government website", URL)
    assert paragraphs[4].text == "Key figures:\nParis\t1.2 million protesters"  # no space doubled around them


def test_footnote_reference_bookmark_and_language_survive(parsed: ParsedFile):
    xml = members(FORMAT.write(parsed, english(parsed), "en-GB"))["word/document.xml"].decode()
    assert re.search(r'<w:bookmarkStart w:id="0" w:name="greve"/><w:r>(<w:rPr>.*?</w:rPr>)?<w:t>strike day</w:t></w:r>'
                     r'<w:bookmarkEnd w:id="0"/>', xml)
    assert xml.index('<w:footnoteReference w:id="1"/>') > xml.index("March 23")
    assert 'w:val="fr-FR"' not in xml and '<w:lang w:val="en-GB"/>' in xml


def test_inline_picture_is_kept_in_place_with_its_image(article: bytes, parsed: ParsedFile):
    import docx

    photo = unit(parsed, "Photo")
    assert [c.data for c in photo.codes if c.kind == "isolated"] == ["<w:drawing>…</w:drawing>"]
    assert [c.position for c in photo.codes if c.kind == "isolated"] == [len("Photo : ")]
    out = FORMAT.write(parsed, english(parsed), "en")
    assert docx.Document(io.BytesIO(out)).inline_shapes[0].type is not None
    image = next(name for name in members(article) if name.startswith("word/media/"))
    assert members(out)[image] == members(article)[image]
    xml = members(out)["word/document.xml"].decode()
    assert re.search(r"<w:t xml:space=\"preserve\">PHOTO : </w:t></w:r><w:r><w:drawing>.*</w:drawing></w:r>"
                     r"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\"> LE CORTÈGE", xml)


def test_python_docx_opens_the_result_with_the_same_structure(article: bytes, parsed: ParsedFile):
    import docx

    before = docx.Document(io.BytesIO(article))
    after = docx.Document(io.BytesIO(FORMAT.write(parsed, upper(parsed), "en")))
    shape = lambda d: [(type(b).__name__, b.style.name) for b in d.iter_inner_content()]  # noqa: E731
    assert shape(after) == shape(before)
    assert [p.text for p in after.paragraphs] == [p.text.upper() for p in before.paragraphs]
    table_before, table_after = before.tables[0], after.tables[0]
    assert [[c.text for c in row.cells] for row in table_after.rows] == \
           [[c.text.upper() for c in row.cells] for row in table_before.rows]
    assert table_after.style.name == "Table Grid" and table_after.rows[0].cells[0].paragraphs[0].runs[0].bold
    section = after.sections[0]
    assert section.header.paragraphs[0].text == "LE QUOTIDIEN — ÉDITION DU SOIR"
    assert section.footer.paragraphs[0].text == "PAGE 1 SUR 2"


def test_empty_english_with_every_code_at_zero_still_writes_a_valid_document(parsed: ParsedFile):
    import docx

    empty = [UnitTranslation("", [c.at(0) for c in u.codes]) for u in parsed.units]
    out = FORMAT.write(parsed, empty, "en")
    document = docx.Document(io.BytesIO(out))
    assert len(document.paragraphs[3].hyperlinks) == 1
    assert b'<w:footnoteReference w:id="1"/>' in members(out)["word/document.xml"]


def test_writing_twice_gives_the_same_file(parsed: ParsedFile):
    assert FORMAT.write(parsed, english(parsed), "en") == FORMAT.write(parsed, english(parsed), "en")


def test_a_code_missing_from_the_english_does_not_break_the_document(parsed: ParsedFile):
    import docx

    translations = identity(parsed)
    link = next(i for i, u in enumerate(parsed.units) if u.text.startswith("Le texte complet"))
    translations[link] = UnitTranslation("The full text.", [])
    strike = next(i for i, u in enumerate(parsed.units) if u.text.startswith("Les syndicats"))
    translations[strike] = UnitTranslation("Unions call for a strike.", [])
    out = FORMAT.write(parsed, translations, "en")
    document = docx.Document(io.BytesIO(out))
    assert document.paragraphs[3].text == "The full text."
    xml = members(out)["word/document.xml"].decode()  # what the codes carried is kept, at the paragraph's end
    assert re.search(r'<w:t>Unions call for a strike.</w:t></w:r><w:bookmarkStart w:id="0" w:name="greve"/>'
                     r'<w:bookmarkEnd w:id="0"/><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                     r'<w:footnoteReference w:id="1"/></w:r></w:p>', xml)


# --- detection and bad input -------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _with(article: bytes, **replaced: bytes) -> bytes:
    entries = members(article)
    entries.update({k.replace("__", "/").replace("_xml", ".xml"): v for k, v in replaced.items()})
    return _zip(entries)


def test_sniff_knows_a_docx_from_other_zips_and_text(article: bytes):
    assert FORMAT.sniff(article[:65536])
    assert not FORMAT.sniff(_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}))
    assert not FORMAT.sniff(_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}))
    assert not FORMAT.sniff("Le Parlement adopte la réforme.".encode())
    assert FORMAT.suffixes == (".docx",) and FORMAT.name == "docx"


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 not really a zip", "not a valid .docx file"),
    (_zip({"mimetype": b"x"}), "no [Content_Types].xml"),
    (_zip({"[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'}),
     "no main document part"),
    (_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<x/>"}), "not well-formed XML"),
])
def test_what_is_not_a_word_document_is_refused_in_one_line(data: bytes, message: str):
    with pytest.raises(UserError, match=re.escape(message)) as err:
        FORMAT.read(data, PATH)
    assert "\n" not in str(err.value) and str(err.value).startswith(str(PATH))


def test_entities_and_doctypes_are_refused_not_expanded(article: bytes):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            b'<w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(UserError, match="DOCTYPE|not well-formed"):
        FORMAT.read(_with(article, word__document_xml=bomb), PATH)
    external = bomb.replace(b'<!ENTITY a "aaaaaaaaaa">', b'<!ENTITY a SYSTEM "file:///etc/passwd">')
    with pytest.raises(UserError, match="DOCTYPE|not well-formed"):
        FORMAT.read(_with(article, word__document_xml=external), PATH)


def test_zip_bombs_and_path_tricks_are_refused(article: bytes):
    with pytest.raises(UserError, match="expands .*possible zip bomb"):
        FORMAT.read(_with(article, word__media__zeros_bin=bytes(4 * 1024 * 1024)), PATH)
    small = DocxFormat(limits=DocxLimits(max_total_bytes=100_000))
    with pytest.raises(UserError, match="more than 0 MiB|unpacks to more than"):
        small.read(_with(article, word__media__noise_bin=bytes(range(256)) * 400), PATH)
    with pytest.raises(UserError, match="more than the 0 MiB|MiB we read"):
        DocxFormat(limits=DocxLimits(max_part_bytes=1000)).read(article, PATH)
    with pytest.raises(UserError, match="invalid name"):
        FORMAT.read(_with(article, **{"..__evil_xml": b"<x/>"}), PATH)
    with pytest.raises(UserError, match="members in the .docx package"):
        DocxFormat(limits=DocxLimits(max_members=5)).read(article, PATH)


def test_unknown_inline_content_is_kept_untouched(article: bytes):
    """Math and a drawing-like element in a paragraph come back as they were, around the translated text."""
    entries = members(article)
    xml = entries["word/document.xml"].decode()
    math = ('<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>x=2</m:t>'
            '</m:r></m:oMath>')
    xml = xml.replace("<w:t>Le vote final aura lieu jeudi.</w:t></w:r>",
                      f"<w:t xml:space=\"preserve\">Le vote final aura lieu </w:t></w:r>{math}<w:r><w:t>jeudi.</w:t></w:r>")
    entries["word/document.xml"] = xml.encode()
    data = _zip(entries)
    parsed = FORMAT.read(data, PATH)
    vote = unit(parsed, "Le vote")
    assert vote.text == "Le vote final aura lieu jeudi."
    out = members(FORMAT.write(parsed, upper(parsed), "en"))["word/document.xml"].decode()
    assert f'LE VOTE FINAL AURA LIEU </w:t></w:r>{math.replace(" xmlns:m=" + chr(34) + "http://schemas.openxmlformats.org/officeDocument/2006/math" + chr(34), "")}' in out


# --- LibreOffice ---------------------------------------------------------------------------------------------


def test_libreoffice_converts_the_translated_document(parsed: ParsedFile, tmp_path: Path):
    """`soffice --headless --convert-to pdf` (and to text, to see the English it read) on the output."""
    import shutil
    import subprocess

    from support import need

    soffice = shutil.which("soffice")
    need(soffice is not None, "LibreOffice (soffice) is not installed; ./setup.sh --dev installs it")
    out = tmp_path / "article.en.docx"
    out.write_bytes(FORMAT.write(parsed, english(parsed), "en"))
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"  # never the user's (or another run's) profile
    for target in ("pdf", "txt:Text (encoded):UTF8"):
        done = subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(out)],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "article.en.pdf").read_bytes().startswith(b"%PDF-")
    text = (tmp_path / "article.en.txt").read_text(encoding="utf-8-sig").splitlines()
    assert text[:4] == ["LE PARLEMENT ADOPTE LA RÉFORME DES RETRAITES",
                        "Before the deputies on Tuesday, the Prime Minister defended a highly contested bill.",
                        "Unions call for a new strike day on March 23.1",
                        "The full text is on the government website."]


# --- end to end: `translate run article.fr.docx` -------------------------------------------------------------


def _shape(data: bytes) -> list[tuple[str, str]]:
    import docx

    return [(type(b).__name__, b.style.name) for b in docx.Document(io.BytesIO(data)).iter_inner_content()]


def test_run_with_the_copy_model_puts_every_code_back_at_its_exact_position(tmp_path: Path, article: bytes,
                                                                            synthetic_package: Path):
    """The synthetic model's English is the French, so the translated document must read back as the input."""
    import docx
    from support import run_cli

    source = tmp_path / "article.fr.docx"
    source.write_bytes(article)
    result = run_cli("run", str(source), "--model", str(synthetic_package), "--no-default-glossary")
    assert result.returncode == 0, result.stderr
    assert "tracked changes: inserted text is translated" in result.stderr
    out = (tmp_path / "article.en.docx").read_bytes()
    for name in ("article.fr-en.tsv", "article.fr-en.tmx", "article.fr-en.jsonl"):
        assert (tmp_path / name).stat().st_size > 0
    before, after = FORMAT.read(article, source), FORMAT.read(out, source)
    assert len(after.units) == len(before.units) == 17
    same_text = [(a, b) for a, b in zip(before.units, after.units) if a.text == b.text]
    assert len(same_text) >= 14  # typography may rewrite "1,2 million" as "1.2 million"
    for a, b in same_text:
        if not a.text[:1].isspace():  # a code before leading spaces may be put after them
            assert b.codes == a.codes, a.text
    old, new = members(article), members(out)
    assert [n for n in old if old[n] != new[n] and n not in TEXT_PARTS] == []
    document = docx.Document(io.BytesIO(out))
    assert [r.text for r in document.paragraphs[1].runs if r.bold] == ["Premier ministre"]
    link = document.paragraphs[3].hyperlinks[0]
    assert (link.text, link.address) == ("le site du gouvernement", URL)
    assert _shape(out) == _shape(article)
    jsonl = (tmp_path / "article.fr-en.jsonl").read_text(encoding="utf-8")
    assert '"data": "<w:hyperlink r:id=\\"rId9\\">"' in jsonl


def test_run_with_apertium_translates_the_document_and_keeps_its_structure(tmp_path: Path, article: bytes):
    import docx
    from support import need, run_cli

    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    source = tmp_path / "article.fr.docx"
    source.write_bytes(article)
    result = run_cli("run", str(source), "--engine", "apertium", "--no-default-glossary", "-f", "txt,tsv")
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "article.en.docx").read_bytes()
    assert _shape(out) == _shape(article)
    document = docx.Document(io.BytesIO(out))
    assert "Parliament" in document.paragraphs[0].text
    assert "Prime" in " ".join(r.text for r in document.paragraphs[1].runs if r.bold)
    assert document.paragraphs[3].hyperlinks[0].address == URL
    assert [[c.text for c in row.cells][1] for row in document.tables[0].rows][1:] == ["245 000", "38 000"]
    footer = members(out)["word/footer1.xml"].decode()
    assert r" PAGE \* arabic " in footer and "sur" not in footer
    tsv = (tmp_path / "article.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    assert len(tsv) == 1 + 17 and all("\t" in line for line in tsv)


@pytest.mark.parametrize("content, message", [
    ("odt", "named like docx but does not look like it"),
    ("doctype", "has a DOCTYPE"),
])
def test_run_refuses_a_bad_docx_in_one_line_and_writes_nothing(tmp_path: Path, article: bytes, content: str,
                                                              message: str, synthetic_package: Path):
    from support import run_cli

    source = tmp_path / "article.fr.docx"
    if content == "odt":
        source.write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
                                zipfile.ZIP_STORED))
    else:
        source.write_bytes(_with(article, word__document_xml=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'))
    result = run_cli("run", str(source), "--model", str(synthetic_package), "--no-default-glossary")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.fr.docx"]


def test_text_boxes_are_translated_and_their_fallback_copies_kept(article: bytes):
    """A text box inside a run: its paragraph is a unit of its own, rewritten inside the kept drawing; the
    copy Word keeps for old versions (mc:Fallback) stays as it was, with a warning."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = (f'<w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
           '<w:p><w:r><w:t xml:space="preserve">Encadré : </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>les chiffres</w:t>'
           '</w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
           '<w:t>Encadré : les chiffres</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    entries = members(article)
    entries["word/document.xml"] = entries["word/document.xml"].replace(
        "<w:t>Le vote final aura lieu jeudi.</w:t></w:r>".encode(),
        f"<w:t>Le vote final aura lieu jeudi.</w:t></w:r>{box}".encode())
    parsed = FORMAT.read(_zip(entries), PATH)
    texts = [u.text for u in parsed.units]
    assert texts.count("Encadré : les chiffres") == 1
    assert [c.data for c in unit(parsed, "Le vote").codes] == ["<mc:AlternateContent>…</mc:AlternateContent>"]
    assert any("mc:Fallback" in w for w in parsed.warnings)
    xml = members(FORMAT.write(parsed, upper(parsed), "en"))["word/document.xml"].decode()
    assert re.search(r"<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t xml:space=\"preserve\">"
                     r"ENCADRÉ : </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>LES CHIFFRES</w:t></w:r></w:p>", xml)
    assert "<w:t>Encadré : les chiffres</w:t>" in xml and "LE VOTE FINAL AURA LIEU JEUDI." in xml


RARE_MARKUP = [
    # a content control, a smart tag, a simple field, a comment range and its reference, an empty run
    '<w:r><w:t xml:space="preserve">Selon </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val="Source"/></w:sdtPr><w:sdtContent>'
    '<w:r><w:rPr><w:i/></w:rPr><w:t>l’agence</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve">, </w:t></w:r>'
    '<w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>Lille</w:t></w:r></w:smartTag>'
    '<w:r><w:t xml:space="preserve"> compte </w:t></w:r><w:commentRangeStart w:id="5"/>'
    '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>3</w:t></w:r></w:fldSimple><w:commentRangeEnd w:id="5"/>'
    '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="5"/></w:r><w:r><w:rPr><w:b/></w:rPr></w:r>'
    '<w:r><w:t xml:space="preserve"> pages.</w:t></w:r>',
    # a field whose result holds another field, a symbol, a no-break hyphen, an optional hyphen
    '<w:r><w:t xml:space="preserve">Voir </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> HYPERLINK \\l "greve" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t xml:space="preserve">la grève du </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> DATE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>23 mars</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve"> </w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0E0"/><w:t xml:space="preserve"> porte</w:t>'
    '<w:noBreakHyphen/><w:t>parole, gou</w:t><w:softHyphen/><w:t>vernement.</w:t></w:r>',
    # a table of contents field that starts here and ends in the next paragraph
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Sommaire de l’édition</w:t></w:r>',
    '<w:r><w:t>Fin du sommaire</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
]


def test_less_common_inline_markup_comes_back_around_the_same_characters(article: bytes):
    entries = members(article)
    paragraphs = "".join(f"<w:p>{body}</w:p>" for body in RARE_MARKUP)
    entries["word/document.xml"] = entries["word/document.xml"].replace(b"<w:sectPr", paragraphs.encode() + b"<w:sectPr", 1)
    data = _zip(entries)
    parsed = FORMAT.read(data, PATH)
    texts = [u.text for u in parsed.units]
    assert texts[14:18] == ["Selon l’agence, Lille compte 3 pages.",
                            "Voir la grève du 23 mars  porte\u2011parole, gouvernement.",
                            "Sommaire de l’édition", "Fin du sommaire"]
    assert spans(parsed.units[15]) == {r'<w:instrText>HYPERLINK \l "greve"</w:instrText>': "la grève du 23 mars",
                                       "<w:instrText>DATE</w:instrText>": "23 mars"}
    assert "NUMPAGES" not in " ".join(texts) and "TOC" not in " ".join(texts)
    for translate, upper_text in ((identity, False), (upper, True)):
        out = members(FORMAT.write(parsed, translate(parsed), "en"))["word/document.xml"]
        expected = [p for p in flat(entries["word/document.xml"], upper_text)]
        got = flat(out)
        # the optional hyphen and the empty bold run go (they described the French); all else stays in place
        expected = [[t for t in p if t[:2] != ("e", W + "softHyphen")] for p in expected]
        assert got == expected


# --- the package copy: kept members' stored bytes are copied as they are -------------------------------------


def _records(data: bytes) -> dict[str, bytes]:
    """Each member's local header and stored (compressed) bytes, as they lie in the archive."""
    import struct

    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
            out[info.filename] = data[start:start + 30 + name_len + extra_len + info.compress_size]
    return out


def test_kept_members_are_copied_record_for_record(article: bytes, parsed: ParsedFile, monkeypatch):
    import translate.formats.docx as module

    monkeypatch.setattr(module, "_recompressed", None)  # the record copy must not fall back
    out = FORMAT.write(parsed, english(parsed), "en")
    before, after = _records(article), _records(out)
    kept = [name for name in before if name not in TEXT_PARTS]
    assert kept and all(before[name] == after[name] for name in kept)
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert archive.testzip() is None


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors after each member, as Java tools do."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        return len(data)


@pytest.mark.parametrize("layout", ["descriptors", "zip64", "plain"])
def test_copy_keeps_names_comments_methods_and_descriptors(layout: str):
    from translate.formats.zipcopy import copy_with

    stream = _Unseekable() if layout == "descriptors" else io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.comment = b"archive comment"
        for name, method, content in (("word/document.xml", zipfile.ZIP_DEFLATED, b"<old/>" * 50),
                                      ("word/media/image1.png", zipfile.ZIP_STORED, bytes(range(256)) * 8),
                                      ("word/résumé.xml", zipfile.ZIP_DEFLATED, "<é/>".encode() * 30)):
            info = zipfile.ZipInfo(name, (2026, 3, 14, 9, 30, 12))
            info.compress_type, info.comment = method, b"member " + name.encode()
            with archive.open(info, "w", force_zip64=layout == "zip64") as handle:
                handle.write(content)
    data = bytes(stream.buffer) if layout == "descriptors" else stream.getvalue()
    out = copy_with(data, {"word/document.xml": b"<new/>"})
    before, after = _records(data), _records(out)
    assert before["word/media/image1.png"] == after["word/media/image1.png"]
    if layout == "descriptors":  # each copied record keeps the data descriptor that follows it
        for name in ("word/media/image1.png", "word/résumé.xml"):
            end = out.index(after[name]) + len(after[name])
            assert out[end:end + 4] == b"PK\x07\x08" and out[end + 16:end + 18] == b"PK", name
    assert before["word/résumé.xml"] == after["word/résumé.xml"]
    with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        assert b.testzip() is None and b.comment == a.comment
        assert [(i.filename, i.compress_type, i.date_time, i.comment) for i in a.infolist()] == \
               [(i.filename, i.compress_type, i.date_time, i.comment) for i in b.infolist()]
        assert b.read("word/document.xml") == b"<new/>"
        assert [b.read(n) for n in ("word/media/image1.png", "word/résumé.xml")] == \
               [a.read(n) for n in ("word/media/image1.png", "word/résumé.xml")]


def test_run_with_a_formatted_gap_between_two_formatted_names(tmp_path: Path):
    """The realistic case that showed it: a news paragraph whose run groups meet at punctuation."""
    import docx
    from support import need, run_cli

    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    document = docx.Document()
    paragraph = document.add_paragraph("Le conseiller de la ")
    paragraph.add_run("Maison Blanche").bold = True
    paragraph.add_run(", ").italic = True
    paragraph.add_run("Jake Sullivan").bold = True
    paragraph.add_run(", a déclaré que la réunion serait utile.")
    source = tmp_path / "note.fr.docx"
    document.save(source)
    result = run_cli("run", str(source), "--engine", "apertium", "--no-default-glossary", "-f", "txt")
    assert result.returncode == 0, result.stderr
    runs = docx.Document(tmp_path / "note.en.docx").paragraphs[0].runs
    assert [r.text for r in runs if r.bold] == ["White House", "Jake Sullivan"]


def test_spaces_empty_runs_and_empty_bookmarks_make_no_pairs(article: bytes):
    """Word's `_GoBack` bookmark (both ends together) is one isolated code; a plain space between bold words
    and an empty bold run make no pair (a pair around no word would only burden the engine)."""
    body = ('<w:r><w:rPr><w:b/></w:rPr><w:t>Grève</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
            '<w:bookmarkStart w:id="9" w:name="_GoBack"/><w:bookmarkEnd w:id="9"/>'
            '<w:r><w:rPr><w:b/></w:rPr><w:t>générale</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t></w:t></w:r>')
    entries = members(article)
    entries["word/document.xml"] = entries["word/document.xml"].replace(b"<w:sectPr", f"<w:p>{body}</w:p>".encode()
                                                                        + b"<w:sectPr", 1)
    parsed = FORMAT.read(_zip(entries), PATH)
    title = unit(parsed, "Grève")
    assert title.text == "Grève générale"
    assert [(c.kind, c.data, c.position) for c in title.codes] == [
        ("isolated", '<w:bookmarkStart w:id="9" w:name="_GoBack"/><w:bookmarkEnd w:id="9"/>', 6)]
    xml = members(FORMAT.write(parsed, upper(parsed), "en"))["word/document.xml"].decode()
    assert ('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">GRÈVE </w:t></w:r><w:bookmarkStart w:id="9" '
            'w:name="_GoBack"/><w:bookmarkEnd w:id="9"/><w:r><w:rPr><w:b/></w:rPr><w:t>GÉNÉRALE</w:t></w:r></w:p>') in xml
