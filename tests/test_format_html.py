"""HTML/XHTML pages (issue 13): what becomes a unit, what stays byte for byte, codes around the right words."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.html import FORMAT
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation

PAGE = Path(__file__).parent / "data" / "html" / "article.fr.html"

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">
<head>
<title>Le budget&nbsp;2027 adopté</title>
<script type="text/javascript">//<![CDATA[
var seuil = 1 < 2 && 3 > 2;
//]]></script>
</head>
<body>
<!-- corps de l'article -->
<h1 class='titre'>Le budget&nbsp;2027 adopté de justesse</h1>
<p>Les députés ont voté le texte <em>par 289 voix</em> contre 270.<br/>Le Sénat l'examinera en <a href="/senat">janvier</a>.</p>
<p><img src="/vote.jpg" alt="L'hémicycle pendant le vote" /> Photo d'archives.</p>
<pre xml:space="preserve">budget --annee 2027</pre>
</body>
</html>
"""


def identity(parsed: ParsedFile) -> list[UnitTranslation]:
    """The French given back as its own English: codes where they were."""
    return [UnitTranslation(u.text, list(u.codes)) for u in parsed.units]


def upper(parsed: ParsedFile) -> list[UnitTranslation]:
    """Every unit upper-cased: same length, so the codes keep their positions."""
    out = []
    for u in parsed.units:
        assert len(u.text.upper()) == len(u.text)
        out.append(UnitTranslation(u.text.upper(), list(u.codes)))
    return out


def read(data: bytes, name: str = "page.fr.html") -> ParsedFile:
    return FORMAT.read(data, Path(name))


def by_text(parsed: ParsedFile) -> dict[str, TextUnit]:
    return {u.text: u for u in parsed.units}


def norm(text: str) -> str:
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip()


TRANSLATED_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "lang", "xml:lang"}


def skeleton(root: lxml.etree._Element) -> list[tuple[str, dict[str, str]]]:
    """The element/tag sequence with attributes (values of translatable attributes left out)."""
    out = []
    for el in root.iter():
        attrs = {k: ("…" if k in TRANSLATED_ATTRIBUTES or el.tag == "meta" and k == "content" else v)
                 for k, v in el.attrib.items()}
        if el.tag == "input" and el.get("type") == "submit":
            attrs["value"] = "…"
        out.append((str(el.tag), attrs))
    return out


# --- what the reader finds ---------------------------------------------------------------------------

def test_sniff_recognises_pages_and_refuses_other_markup() -> None:
    assert FORMAT.sniff(PAGE.read_bytes()[:65536])
    assert FORMAT.sniff(XHTML.encode())
    assert FORMAT.sniff(b"\xef\xbb\xbf<!-- x -->\n<HTML><body>x</body></HTML>")
    assert FORMAT.sniff(b"<!doctype html><title>x</title>")
    assert not FORMAT.sniff(b'<?xml version="1.0"?><xliff version="1.2"><file/></xliff>')
    assert not FORMAT.sniff(b'<?xml version="1.0"?><article xmlns="http://docbook.org/ns/docbook"/>')
    assert not FORMAT.sniff(b"# Titre\n\nUn paragraphe avec <em>emphase</em>.\n")
    assert not FORMAT.sniff(b"Le texte brut parle de <html> sans en \xc3\xaatre.\n")
    assert FORMAT.sniff(b'<?xml version="1.0"?>\n<h:html xmlns:h="http://www.w3.org/1999/xhtml"/>')
    assert not FORMAT.sniff(b'<?xml version="1.0"?>\n<xliff xmlns:html="http://www.w3.org/1999/xhtml"/>')


def test_units_are_blocks_and_text_attributes_and_nothing_kept_verbatim() -> None:
    parsed = read(PAGE.read_bytes())
    texts = [u.text for u in parsed.units]
    for expected in ["Réforme des retraites\xa0: le gouvernement recule | Le Quotidien",  # <title>
                     "Après trois semaines de grève, le Premier ministre annonce le report de la réforme.",  # meta
                     "Retraites : le gouvernement recule",  # og:title
                     "Le Quotidien, retour à l'accueil",  # img alt
                     "Rubriques principales",  # aria-label
                     "Toute l'actualité sociale",  # title attribute, &#39; decoded
                     "Rechercher un article", "Chercher",  # placeholder, submit value
                     "Politique", "Société",  # nav links
                     "Les principales mesures", "Âge légal de départ", "62\xa0ans",  # caption, cells
                     "Des manifestants défilent à Paris, place de la République",
                     "Le cortège parisien, le 14\xa0mars. Photo\xa0: J. Martin",
                     "© 2027 Le Quotidien & associés. Tous droits réservés."]:
        assert expected in texts
    everything = "\n".join(texts)
    for kept in ["dataLayer", "first-letter", "ne pas traduire", "simulateur", "résultat", "viewport",
                 "fr_FR", "bandeau", "pied de page", "stylesheet"]:
        assert kept not in everything
    assert all(u.text == u.text.strip() and "\n" not in u.text for u in parsed.units)


def test_inline_markup_becomes_codes_with_the_original_tags() -> None:
    units = by_text(read(PAGE.read_bytes()))
    chapo = next(u for t, u in units.items() if t.startswith("Le Premier ministre a annoncé"))
    assert "réforme,\n" not in chapo.text and "réforme, une décision" in chapo.text  # one line
    opened, closed = chapo.codes
    assert (opened.kind, opened.data, closed.kind, closed.data) == ("open", "<strong>", "close", "</strong>")
    assert chapo.text[opened.position:closed.position] == "report"
    quote = next(u for t, u in units.items() if t.startswith("«\xa0Nous avons"))
    spans = {c.data: c for c in quote.codes}
    link = spans['<a href="https://www.gouvernement.fr/" hreflang="fr">']
    assert quote.text[link.position:spans["</a>"].position] == "le Premier ministre"
    assert spans["<br>"].kind == "isolated"
    assert [c.id for c in quote.codes if c.kind == "close"] == [c.id for c in quote.codes if c.kind == "open"]
    sample = units["Pour reproduire le calcul, lancez  dans un terminal\xa0:"]  # both spaces: the code is content
    assert [(c.kind, c.data, c.position) for c in sample.codes] == [
        ("isolated", "<code>simulateur --age 64</code>", len("Pour reproduire le calcul, lancez "))]
    see_also = units["Lire aussi\xa0:  explique la position des syndicats"]
    assert [c.kind for c in see_also.codes] == ["open", "isolated", "close"]
    assert see_also.codes[1].data == '<span class="notranslate">Le Quotidien</span>'


# --- byte for byte -------------------------------------------------------------------------------------

def test_identity_translation_gives_the_page_back_byte_for_byte_but_the_language() -> None:
    data = PAGE.read_bytes()
    parsed = read(data)
    out = FORMAT.write(parsed, identity(parsed), "en")
    expected = data.replace(b'<html lang="fr"', b'<html lang="en"').replace(b'content="fr_FR"', b'content="en"')
    assert out == expected


def test_xhtml_identity_is_byte_for_byte_and_both_language_attributes_switch() -> None:
    data = XHTML.encode()
    parsed = read(data, "budget.fr.xhtml")
    assert not parsed.warnings
    out = FORMAT.write(parsed, identity(parsed), "en")
    assert out == data.replace(b'xml:lang="fr" lang="fr"', b'xml:lang="en" lang="en"')


# --- a rewriting translation ---------------------------------------------------------------------------

def test_upper_case_translation_changes_only_translatable_text() -> None:
    data = PAGE.read_bytes()
    parsed = read(data)
    out = FORMAT.write(parsed, upper(parsed), "en")
    before, after = lxml.html.document_fromstring(data), lxml.html.document_fromstring(out)
    assert skeleton(after) == skeleton(before)
    for tag in ("h1", "h2", "li", "td", "th", "caption", "figcaption", "title", "blockquote"):
        for old, new in zip(before.iter(tag), after.iter(tag)):
            assert norm(new.text_content()) == norm(old.text_content()).upper()
    for path in ("//script", "//style", "//pre", "//code", "//div[@class='encadre']", "//span[@class='notranslate']"):
        olds, news = before.xpath(path), after.xpath(path)
        assert olds and [lxml.html.tostring(e, with_tail=False) for e in olds] == \
            [lxml.html.tostring(e, with_tail=False) for e in news]
    assert [c.text for c in before.iter(lxml.etree.Comment)] == [c.text for c in after.iter(lxml.etree.Comment)]
    assert after.get("lang") == "en"
    assert after.xpath("//img[@src='/photos/manif.jpg']")[0].get("alt") == \
        "DES MANIFESTANTS DÉFILENT À PARIS, PLACE DE LA RÉPUBLIQUE"
    assert after.xpath("//meta[@name='description']")[0].get("content").startswith("APRÈS TROIS SEMAINES")
    text = out.decode()
    # codes around the right words, the original markup kept as it was written
    assert "le <strong>REPORT</strong> de la réforme" not in text and " LE <strong>REPORT</strong> DE LA" in text
    assert 'a déclaré <a href="https://www.gouvernement.fr/" hreflang="fr">LE PREMIER MINISTRE</a>' in text.replace(
        "A DÉCLARÉ", "a déclaré")
    assert '<abbr title="INSTITUT NATIONAL DE LA STATISTIQUE ET DES ÉTUDES ÉCONOMIQUES">INSEE</abbr>' in text
    assert "EN 2027.<br> LES <em>NÉGOCIATIONS</em> REPRENDRONT <strong>DÈS LUNDI</strong>.</p>" in text
    assert "LANCEZ <code>simulateur --age 64</code> DANS" in text
    assert '<span class="notranslate">Le Quotidien</span> EXPLIQUE' in text
    assert "<li class=actif><a href=\"/societe/\" title=\"TOUTE L'ACTUALITÉ SOCIALE\">SOCIÉTÉ</a></li>" in text
    # entities the French used are written the same way in the English; markup characters escaped
    assert "RÉFORME DES RETRAITES&nbsp;: LE GOUVERNEMENT RECULE APRÈS" in text
    assert "&copy; 2027 LE QUOTIDIEN &amp; ASSOCIÉS." in text
    assert "width=120" in text and "content='RETRAITES : LE GOUVERNEMENT RECULE'" in text


def test_outside_the_translated_text_no_byte_differs() -> None:
    """With a rewriting translation, every byte of the page that differs lies inside a translated stretch
    (a unit's text or a translated attribute value), but the two language marks."""
    data = PAGE.read_bytes()
    parsed = read(data)
    source = data.decode()
    out = FORMAT.write(parsed, upper(parsed), "en").decode()
    spans = []
    for place in parsed.state.places:
        span = (place.attr.start, place.attr.end) if hasattr(place, "attr") else (place.start, place.end)
        spans.append(span)
    spans += [(a.start, a.end) for a, _ in parsed.state.lang_spans]
    inside = bytearray(len(source))
    for s, e in spans:
        inside[s:e] = b"\x01" * (e - s)
    matcher = difflib.SequenceMatcher(None, source, out, autojunk=False)
    changed = [i for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("replace", "delete") for i in range(i1, i2)]
    assert changed and all(inside[i] for i in changed)
    inserted_at = [i1 for op, i1, i2, _, _ in matcher.get_opcodes() if op == "insert"]
    assert all(inside[i] or inside[i - 1] for i in inserted_at)


def test_codes_follow_their_words_when_the_english_reorders_them() -> None:
    data = b'<!DOCTYPE html>\n<html lang="fr-FR"><body>\n<p>Le <a href="/chat">chat</a> de <em>Marie</em> dort.</p>\n</body></html>\n'
    parsed = read(data)
    (unit,) = parsed.units
    assert unit.text == "Le chat de Marie dort."
    link_open, link_close, em_open, em_close = unit.codes
    english = "Mary's cat sleeps."
    codes = [em_open.at(0), em_close.at(4), link_open.at(7), link_close.at(10)]
    out = FORMAT.write(parsed, [UnitTranslation(english, codes)], "en-GB")
    assert out == (b'<!DOCTYPE html>\n<html lang="en-GB"><body>\n'
                   b'<p><em>Mary</em>\'s <a href="/chat">cat</a> sleeps.</p>\n</body></html>\n')


def test_english_is_escaped_for_its_context() -> None:
    data = ("<html><body><p title=\"Un &quot;titre&quot;\">Fish &amp; frites</p>"
            "<img alt='Le chat' src=x><abbr title=Bonjour>Salut</abbr></body></html>").encode()
    parsed = read(data)
    english = {"Un \"titre\"": 'A "title"', "Fish & frites": "Fish & <chips>", "Le chat": "The cat's",
               "Bonjour": "Hello there", "Salut": "Hi"}
    out = FORMAT.write(parsed, [UnitTranslation(english[u.text], list(u.codes)) for u in parsed.units], "en")
    assert out == ("<html><body><p title=\"A &quot;title&quot;\">Fish &amp; &lt;chips&gt;</p>"
                   "<img alt='The cat&#39;s' src=x><abbr title=\"Hello there\">Hi</abbr></body></html>").encode()
    assert lxml.html.fromstring(out).xpath("//img")[0].get("alt") == "The cat's"


def test_an_empty_english_keeps_all_markup() -> None:
    data = b'<html><body><p>Le <a href="/x">chat</a> <img src="c.png" alt="">.</p></body></html>'
    parsed = read(data)
    (unit,) = parsed.units
    out = FORMAT.write(parsed, [UnitTranslation("", [c.at(0) for c in unit.codes])], "en")
    assert out == b'<html><body><p><a href="/x"></a><img src="c.png" alt=""></p></body></html>'


# --- XHTML -----------------------------------------------------------------------------------------------

def test_xhtml_stays_well_formed_with_self_closing_tags() -> None:
    data = XHTML.encode()
    parsed = read(data, "budget.fr.xhtml")
    units = by_text(parsed)
    assert "var seuil" not in "".join(units) and "budget --annee" not in "".join(units)
    paragraph = units["Les députés ont voté le texte par 289 voix contre 270. Le Sénat l'examinera en janvier."]
    assert [c.data for c in paragraph.codes] == ["<em>", "</em>", "<br/>", '<a href="/senat">', "</a>"]
    photo = units[" Photo d'archives."]  # the space after the image is kept, so the code stays apart
    assert [c.data for c in photo.codes] == ['<img src="/vote.jpg" alt="L\'hémicycle pendant le vote" />']
    out = FORMAT.write(parsed, upper(parsed), "en")
    root = lxml.etree.fromstring(out, lxml.etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))
    before = lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))
    assert [(e.tag, {k: v for k, v in e.attrib.items() if "lang" not in k and k != "alt"}) for e in root.iter()] == \
        [(e.tag, {k: v for k, v in e.attrib.items() if "lang" not in k and k != "alt"}) for e in before.iter()]
    text = out.decode()
    assert "CONTRE 270.<br/> LE SÉNAT" in text and 'alt="L\'HÉMICYCLE PENDANT LE VOTE" />' in text
    assert "<h1 class='titre'>LE BUDGET&nbsp;2027 ADOPTÉ DE JUSTESSE</h1>" in text
    assert "//<![CDATA[\nvar seuil = 1 < 2 && 3 > 2;\n//]]>" in text
    assert '<pre xml:space="preserve">budget --annee 2027</pre>' in text


def test_xhtml_that_is_not_well_formed_is_read_as_html_and_said() -> None:
    data = b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Un<br>deux</p></body></html>'
    parsed = read(data, "casse.fr.xhtml")
    assert len(parsed.warnings) == 1 and "not well-formed" in parsed.warnings[0]
    assert [u.text for u in parsed.units] == ["Un deux"]  # a space stands for the <br> between words


# --- encodings -------------------------------------------------------------------------------------------

LATIN = ('<html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
         "<title>Élections</title></head><body><p>L\u2019été sera chaud.</p><p>Déjà vu</p></body></html>")


def test_a_declared_latin_charset_is_honoured_both_ways() -> None:
    data = LATIN.encode("cp1252")  # as such pages are written: ’ is byte 0x92, which browsers read as cp1252
    parsed = read(data)
    assert [u.text for u in parsed.units] == ["Élections", "L\u2019été sera chaud.", "Déjà vu"]
    assert FORMAT.write(parsed, identity(parsed), "en") == data.replace(b'lang="fr"', b'lang="en"')
    english = ["Elections", "L\u2019été sera chaud.", "“Déjà vu” ✓"]
    out = FORMAT.write(parsed, [UnitTranslation(t) for t in english], "en")
    # unchanged units keep their bytes (0x92); new text uses only bytes every reader agrees on
    assert b"<p>L\x92\xe9t\xe9 sera chaud.</p>" in out
    assert b"<p>&#8220;D\xe9j\xe0 vu&#8221; &#10003;</p>" in out
    assert lxml.html.document_fromstring(out).xpath("//p")[1].text == "“Déjà vu” ✓"


def test_utf8_with_bom_and_xml_latin1_keep_their_encoding() -> None:
    data = b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>Caf\xc3\xa9</p></body></html>"
    parsed = read(data)
    assert FORMAT.write(parsed, [UnitTranslation("Café ’")], "en") == \
        b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>Caf\xc3\xa9 \xe2\x80\x99</p></body></html>"
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Été</p></body></html>'
    parsed = read(xml.encode("latin-1"), "p.fr.xhtml")
    out = FORMAT.write(parsed, [UnitTranslation("“Summer”")], "en")
    assert b"<p>&#8220;Summer&#8221;</p>" in out
    assert lxml.etree.fromstring(out).findtext("{http://www.w3.org/1999/xhtml}body/{http://www.w3.org/1999/xhtml}p") \
        == "“Summer”"


@pytest.mark.parametrize("data, message", [
    (b'<html><head><meta charset="klingon-8"></head><body>x</body></html>', "unknown character set 'klingon-8'"),
    (b'<html><head><meta charset="utf-8"></head><body>caf\xe9</body></html>', "not valid utf-8"),
    (b"juste du texte, sans balise", "no HTML element"),
    (b"\x00\x01<html>\x00", "binary data"),
])
def test_bad_pages_are_refused_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(UserError) as err:
        read(data)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_undeclared_non_utf8_is_read_as_windows_1252_and_said() -> None:
    parsed = read("<p>Été chaud</p>".encode("cp1252"))
    assert [u.text for u in parsed.units] == ["Été chaud"]
    assert len(parsed.warnings) == 1 and "windows-1252" in parsed.warnings[0]
    assert FORMAT.write(parsed, [UnitTranslation("Hot summer, café")], "en") == b"<p>Hot summer, caf&#233;</p>"


def test_inline_code_id_and_positions_contract() -> None:
    """Every unit's codes are numbered from 1, an open before its close, positions inside the text."""
    for data, name in ((PAGE.read_bytes(), "a.fr.html"), (XHTML.encode(), "b.fr.xhtml")):
        for unit in read(data, name).units:
            seen: dict[int, InlineCode] = {}
            for c in unit.codes:
                assert 0 <= c.position <= len(unit.text)
                if c.kind == "close":
                    assert seen[c.id].kind == "open" and seen[c.id].position <= c.position
                else:
                    assert c.id not in seen
                seen[c.id] = c
            assert sorted({c.id for c in unit.codes}) == list(range(1, len({c.id for c in unit.codes}) + 1))
            assert [c.position for c in unit.codes] == sorted(c.position for c in unit.codes)


# --- pages as they are found in the wild --------------------------------------------------------------

ODD_PAGES = {
    "<P>Un paragraphe<P>Un autre <B>gras<I>et italique</B> fin</I>":
        ["Un paragraphe", "Un autre graset italique fin"],
    "<ul><li>un<li>deux <a href=x>lien</ul>": ["un", "deux lien"],
    "<p>3 < 4 et 5 > 2 &amp; AT&T &unknown; &eacute &#x41;</p>": ["3 < 4 et 5 > 2 & AT&T &unknown; é A"],
    "<p>Texte <!-- non terminé": ["Texte "],
    "<p title>Attribut vide <input disabled placeholder=Nom></p>": ["Nom", "Attribut vide "],
    "<div>Texte direct<div>imbriqué</div>suite</div>": ["Texte direct", "imbriqué", "suite"],
    "<a href='/x'><h2>Titre dans un lien</h2> résumé du lien</a>": ["Titre dans un lien", "résumé du lien"],
    "<p>Tapez <kbd>Ctrl</kbd>+<kbd>C</kbd>.</p><p translate=no>Pas ça<p>Mais ceci": ["Tapez +."],
    "<div class='a notranslate b'><p>Non</p><p>Non plus</div><p>Oui": ["Oui"],
    "<body><p>Une <svg viewBox='0 0 1 1'><title>icône</title><path d='M0'/></svg> icône</p>": ["Une  icône"],
    "<p>Bonjour<br/>le monde<br />encore</p>": ["Bonjour le monde encore"],
    "<table><tr><td>un<td>deux</table>": ["un", "deux"],
    "<p>fin de fichier sans fermeture <em>emphase": ["fin de fichier sans fermeture emphase"],
    "<p><span></span></p><p>   </p><p>—</p><p>12</p>": ["12"],
    "<textarea>Ne pas <b>traduire</b></textarea><p>Après</p>": ["Après"],
    "<p>a</p><": ["a"],
    '<p>x <a href="x"\n   title="Un titre\n sur deux lignes">y</a></p>': ["Un titre sur deux lignes", "x y"],
}


@pytest.mark.parametrize("source", list(ODD_PAGES))
def test_odd_pages_keep_their_bytes_and_their_tree(source: str) -> None:
    data = source.encode()
    parsed = read(data)
    assert [u.text for u in parsed.units] == ODD_PAGES[source]
    assert FORMAT.write(parsed, identity(parsed), "en") == data
    out = FORMAT.write(parsed, upper(parsed), "en")
    assert skeleton(lxml.html.fromstring(out)) == skeleton(lxml.html.fromstring(data))


# --- end to end: translate run page.fr.html -----------------------------------------------------------

def _run_page(tmp_path: Path, name: str, data: bytes, *engine: str):
    from tests.support import run_cli

    page = tmp_path / name
    page.write_bytes(data)
    result = run_cli("run", str(page), *engine, "--no-default-glossary", "--no-cache", "-o", str(tmp_path / "out"))
    return result, tmp_path / "out"


def _kept_verbatim(before: lxml.etree._Element, after: lxml.etree._Element) -> None:
    for path in ("//script", "//style", "//pre", "//code", "//div[@class='encadre']", "//span[@class='notranslate']"):
        olds, news = before.xpath(path), after.xpath(path)
        assert olds and [lxml.html.tostring(e, with_tail=False) for e in olds] == \
            [lxml.html.tostring(e, with_tail=False) for e in news], path


def test_run_with_the_copy_model_puts_every_code_around_the_same_words(tmp_path: Path, synthetic_package: Path) -> None:
    """The synthetic model's English is the French (typography made English), so positions are exact."""
    data = PAGE.read_bytes()
    result, out = _run_page(tmp_path, "article.fr.html", data, "--model", str(synthetic_package))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["article.en.html", "article.fr-en.jsonl", "article.fr-en.tmx",
                                                     "article.fr-en.tsv", "article.qa.tsv"]
    english = (out / "article.en.html").read_bytes()
    before, after = lxml.html.document_fromstring(data), lxml.html.document_fromstring(english)
    assert skeleton(after) == skeleton(before)
    _kept_verbatim(before, after)
    text = english.decode()
    for around in ['le <strong>report</strong> de la réforme',
                   'a déclaré <a href="https://www.gouvernement.fr/" hreflang="fr">le Premier ministre</a> devant',
                   "Selon l'<abbr title=\"Institut national de la statistique et des études économiques\">Insee</abbr>,",
                   "en 2027.<br> Les <em>négociations</em> reprendront <strong>dès lundi</strong>.</p>",
                   "C'est une <em>première victoire</em>, pas la fin du combat.",
                   "<small>Photo: J. Martin</small></figcaption>",
                   "lancez <code>simulateur --age 64</code> dans un terminal",
                   '<a href="/politique/2027/03/syndicats.html"><span class="notranslate">Le Quotidien</span>',
                   '<li><a href="/politique/">Politique</a></li>',
                   '<html lang="en" class="no-js">']:
        assert around in text, around
    # outside the units nothing moved: the head and the script block come out as they went in
    assert text[text.index("<style>"):text.index("</head>")] == data.decode()[data.decode().index("<style>"):
                                                                            data.decode().index("</head>")]
    tsv = (out / "article.fr-en.tsv").read_text()
    assert "Le Premier ministre a annoncé mardi soir le report de la réforme," in tsv and "<strong>" not in tsv


XHTML_NAME = "budget.fr.xhtml"


def test_run_on_xhtml_gives_well_formed_xhtml(tmp_path: Path, synthetic_package: Path) -> None:
    result, out = _run_page(tmp_path, XHTML_NAME, XHTML.encode(), "--model", str(synthetic_package))
    assert result.returncode == 0, result.stderr
    english = (out / "budget.en.xhtml").read_bytes()
    root = lxml.etree.fromstring(english, lxml.etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    text = english.decode()
    # this paragraph's English is its French (codes where they were): its bytes are kept as they were
    assert "contre 270.<br/>Le Sénat l'examinera en <a href=\"/senat\">janvier</a>.</p>" in text
    assert "<em>par 289 voix</em>" in text and "//<![CDATA[\nvar seuil = 1 < 2 && 3 > 2;\n//]]>" in text


def test_run_with_apertium_translates_the_page_and_keeps_its_structure(tmp_path: Path) -> None:
    from tests.support import need
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    data = PAGE.read_bytes()
    result, out = _run_page(tmp_path, "article.fr.html", data, "--engine", "apertium")
    assert result.returncode == 0, result.stderr
    english = (out / "article.en.html").read_bytes()
    before, after = lxml.html.document_fromstring(english), lxml.html.document_fromstring(data)
    assert skeleton(after) == skeleton(before)
    _kept_verbatim(after, before)
    text = english.decode()
    assert "Prime minister" in text and "negotiations</em>" in text and "reform" in text
    assert 'alt="Le Quotidien' not in text and "place of the Republic" in text
    assert "launch <code>simulateur --age 64</code> in" in text
    assert '<html lang="en" class="no-js">' in text


def test_run_refuses_a_page_in_an_unknown_charset_and_writes_nothing(tmp_path: Path, synthetic_package: Path) -> None:
    data = b'<html><head><meta charset="klingon-8"></head><body><p>Le gouvernement recule.</p></body></html>'
    result, out = _run_page(tmp_path, "bad.fr.html", data, "--model", str(synthetic_package))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'bad.fr.html'}: unknown character set 'klingon-8' declared in the page"]
    assert not out.exists()


def test_writer_puts_back_spaces_and_nesting_a_word_aligner_cannot_know() -> None:
    """Where an aligner glues a code to the previous word, or pushes a span out of the link it started,
    the page keeps the French spacing and nesting."""
    data = (b'<p>Lancez <code>ls</code> ici.</p>'
            b'<p>Lire : <a href="/x"><span class="notranslate">LQ</span> explique</a></p>')
    parsed = read(data)
    code_unit, link_unit = parsed.units
    assert code_unit.text == "Lancez  ici." and link_unit.text == "Lire :  explique"
    (code,) = code_unit.codes
    link_open, span, link_close = link_unit.codes
    english = [UnitTranslation("Run here.", [code.at(3)]),  # glued to "Run"
               UnitTranslation("Read:  explains", [span.at(5), link_open.at(7), link_close.at(15)])]
    out = FORMAT.write(parsed, english, "en")
    assert out == (b'<p>Run <code>ls</code> here.</p>'
                   b'<p>Read: <a href="/x"><span class="notranslate">LQ</span>  explains</a></p>')
