"""What Apertium silently damaged in a draft is fixed or flagged: quotes that lost their words, codes that
crossed their punctuation, hyphenated letters read as verbs. Each through the real command where it is CLI
behaviour, on the installed Apertium."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from glossary.builtin import builtin_glossary
from translate.document import Document, Paragraph, Segment
from translate.engines import apertium
from translate.engines.apertium import ApertiumEngine, Quote, apertium_status, encode, finish, place_quotes, relay
from translate.engines.base import EngineError
from translate.qa import qa

from support import need, run_cli


def _run(tmp_path: Path, name: str, text: str, formats: str = "txt,qa") -> Path:
    need(*apertium_status())
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", str(source), "--engine", "apertium", "--no-cache", "-o", str(out), "-f", formats)
    assert result.returncode == 0, result.stderr
    return out


def _qa_rows(out: Path) -> list[dict[str, str]]:
    (path,) = out.glob("*.qa.tsv")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# Item 1: quoted words escaped their quotation marks ("under pressure “”").

QUOTED = {
    "Elle vit sous « pression ».": "under “pressure”",
    "Ils sont sous « pression » constante.": "constant “pressure”",
    "Il a répondu « non » au ministre.": "answered “no”",
    "Le pays est sous “pression” depuis des mois.": "under “pressure”",
    'Le pays est sous "pression" depuis des mois.': 'under "pressure"',
    "Le pays est sous ‹ pression › depuis des mois.": "under ‹ pressure ›",
    "Il a parlé d'une « crise » majeure.": "“crisis”",
    "Ils ont voté « contre » la loi.": "voted “against”",
    "Le déficit a atteint « 3,5 % » cette année.": "“3.5%”",  # the sign Apertium passes outside any word
    "Il a dit « oui… » sans conviction.": "“yes …”",
    "Il parle de « 50 % des voix » au moins.": "“50% of the voices”",
    "Elle vit sous « pression » et « stress ».": "under “pressure” and “stress”",
}


def test_quoted_words_keep_their_quotation_marks_through_the_cli(tmp_path: Path) -> None:
    out = _run(tmp_path, "quotes.fr.txt", "\n\n".join(QUOTED) + "\n")
    english = (out / "quotes.en.txt").read_text(encoding="utf-8")
    for french, expected in QUOTED.items():
        assert expected in english, (french, english)
    assert "“”" not in english and '""' not in english
    assert not [r for r in _qa_rows(out) if r["check"] in ("empty-quote", "unpaired-quote")]


def test_a_quotation_whose_word_vanished_is_flagged(tmp_path: Path) -> None:
    """Apertium merges the quoted "non" into the verb ("has not won"): no marks to place, so QA says so."""
    out = _run(tmp_path, "mot.fr.txt", "Le mot « non » a gagné.\n")
    rows = _qa_rows(out)
    assert [r["check"] for r in rows] == ["lost-quote"], rows
    assert "“”" not in (out / "mot.en.txt").read_text(encoding="utf-8")


def test_a_quotation_opening_with_a_dropped_pronoun_opens_before_it() -> None:
    need(*apertium_status())
    (english,) = ApertiumEngine().translate(["« Nous assistons à une crise silencieuse », a déclaré la directrice."])
    assert english.text.startswith("« We witness"), english.text


def _checks(source: str, target: str) -> list[str]:
    glossary = builtin_glossary()
    document = Document([Paragraph(0, [Segment(1, 0, source)])])
    document.segments[0].target = target
    qa(document, glossary)
    return [f.check for f in document.segments[0].qa]


@pytest.mark.parametrize("source, target, checks", [
    ("Il vit sous « pression ».", "He lives under pressure “”.", ["empty-quote"]),
    ("Il vit sous « pression ».", "He lives under pressure « ».", ["empty-quote"]),
    ('Il vit sous "pression".', 'He lives under pressure "".', ["empty-quote"]),
    ("Le mot « non » a gagné.", "The word has not won.", ["lost-quote"]),
    ("Il vit sous « pression ».", "He lives under “pressure”.", []),
    ("Il a dit « » puis rien.", "He said “” then nothing.", []),
])
def test_qa_flags_empty_or_lost_quotations(source: str, target: str, checks: list[str]) -> None:
    assert _checks(source, target) == checks


def test_quotes_travel_as_word_bound_blanks_and_come_back_around_their_words() -> None:
    quotes: list[Quote] = []
    chunk = encode(3, "Il a dit « non » et “oui”, pas « a*b ».", quotes=quotes)
    assert "[[q:0]]non[[/]]" in chunk and "[[q:1]]oui[[/]]" in chunk and "« a[\\*]b »" in chunk
    assert [(q.open, q.close) for q in quotes] == [("« ", " »"), ("“", "”")]
    # stage 2 made one French word two English ones, moved the second quotation, and relayed an unknown word
    step = relay("[<s:3>]Dijo [[q:0; q:0]]no[[/]] y [[q:1]]*Zorg[[/]].[<e>].[]")
    assert step.unknown == ["Zorg"]
    assert step.text == "[<s:3>]Dijo [[q:0; q:0]]no[[/]] y [\\[\\[q:1\\]\\]Zorg\\[\\[/\\]\\]].[<e>].[]"
    english = finish("[<s:3>]He said [[q:0]]not[[/]] [[q:0]]at all[[/]] and [\\[\\[q:1\\]\\]Zorg\\[\\[/\\]\\]].[<e>].[]",
                     quotes=quotes)
    assert english.text == "He said « not at all » and “Zorg”."
    assert place_quotes("nothing \ue0000\ue001\ue002 left", [Quote("« ", " »")]) == "nothing  left"


def test_a_stage_refusing_word_bound_blanks_falls_back_to_plain_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    need(*apertium_status())
    engine = ApertiumEngine()
    real = engine._run

    def refuse(mode: str, stream: str, done=None, wordbound: bool = False) -> str:
        if wordbound:
            raise EngineError("Apertium fr-es failed: ERROR: Wordbound blank isn't immediately followed by the Lexical Unit.")
        return real(mode, stream, done, wordbound)

    monkeypatch.setattr(engine, "_run", refuse)
    (english,) = engine.translate(["Le projet « Horizon » avance."])
    assert "Horizon" in english.text and "«" in english.text


# Item 3: an inline code after punctuation must keep its side of it (and of a title put back after the engine).

PAGE = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>t</title></head><body>\n{}\n'
        '</body></html>\n')
CODE_CASES = {
    "Il s’est réuni en présence de M. <b></b> Zelensky.": "Mr <b></b> Zelensky",
    "Il s’est réuni en présence de M.<br/> Zelensky.": "Mr<br/> Zelensky",
    "Le président ukrainien, M. <img src=\"x.png\"> Volodymyr Zelensky, a parlé.": "Mr <img src=\"x.png\"> Volodymyr",
    "L’ambassadrice britannique, <b></b> Mme Barbara Woodward, a parlé.": ", <b></b> Ms Barbara",
    "« L’organisation n’est dirigée contre aucun pays. <b></b> » Il a parlé.": "country. <b></b>”",
    "Le maire a parlé, <b></b> puis il est parti.": "spoken, <b></b> afterwards",
    "Le maire a parlé,<br/> puis il est parti.": "spoken,<br/> afterwards",
    "Le maire a parlé. <img src=\"x.png\"> Il est parti.": "spoken. <img src=\"x.png\"> It",
    "Il a dit : <img src=\"a.png\"> « Je pars. »": "said: <img src=\"a.png\"> “I",
}


def test_codes_keep_their_side_of_punctuation_and_titles_through_the_cli(tmp_path: Path) -> None:
    body = "\n".join(f"<p>{french}</p>" for french in CODE_CASES)
    out = _run(tmp_path, "page.fr.html", PAGE.format(body), "txt")
    english = (out / "page.en.html").read_text(encoding="utf-8")
    for french, expected in CODE_CASES.items():
        assert expected in english, (french, english)


# Item 2: a letter cut out by a hyphen or a full stop was read as the verb "a" ("m-a a-i" → "m-has has-i").

LETTERS = {
    "Il a épelé m-a a-i.": "m-a a-i",
    "La route A-1 est fermée.": "road A-1",
    "C'est le B.A.-BA du métier.": "B.A.-BA",
    "Le B-a-ba de la politique.": "B-a-ba",
    "Jean-A. Dupont et J.-A. Martin sont venus.": "J.-A. Martin",
    "La norme ISO-A est adoptée.": "ISO-A",
    "Il a vu l'A-380 hier.": "A-380",
    "Le groupe A se qualifie.": "group A",
    "Le taux du livret A baisse.": "A",
}


def test_hyphenated_letters_and_codes_are_not_read_as_the_verb_a(tmp_path: Path) -> None:
    out = _run(tmp_path, "letters.fr.txt", "\n\n".join(LETTERS) + "\n")
    english = (out / "letters.en.txt").read_text(encoding="utf-8")
    for french, expected in LETTERS.items():
        assert expected in english, (french, english)
    assert "Has" not in english and "-has" not in english and "has-" not in english


def test_french_verb_forms_with_those_letters_still_translate() -> None:
    need(*apertium_status())
    sentences = ["Allez-y, a-t-il dit.", "A-t-il compris ?", "C’est-à-dire vis-à-vis.", "Il y a un T-shirt."]
    assert apertium.letter_codes(" ".join(sentences)) == []
    english = [t.text for t in ApertiumEngine().translate(sentences)]
    assert "has" in english[0].lower() and "T-shirt" in english[3]


# Item 4: a capitalised leftover that opens a quotation was taken for a name the engine spelt its own way.

@pytest.fixture(scope="module")
def word_lists(wordlist_index_dir: Path):
    from translate.leftover import DICT_DIR, load_word_lists

    loaded, warnings = load_word_lists(index_dir=wordlist_index_dir)
    need(loaded is not None and not warnings, f"Debian word lists wamerican, wbritish, wfrench, wspanish in {DICT_DIR}")
    return loaded


@pytest.mark.parametrize("source, target, words", [
    ("Voir la section 11.6, « Mandataire HTTP/FTP » pour le proxy.",
     "See section 11.6, “Mandator HTTP/FTP” for the proxy.", ["Mandator"]),
    ('Voir la section 11.6, "Mandataire HTTP/FTP" pour le proxy.',
     'See section 11.6, "Mandator HTTP/FTP" for the proxy.', ["Mandator"]),
    ("Il est arrivé à Erevan hier.", "He arrived in Yerevan yesterday.", []),  # a name spelt the English way
    ("Il cite « Erevan » et le mot « non ».", "He quotes “Erevan” and the word “no”.", []),  # copied: a name
])
def test_a_capitalised_word_opening_a_quotation_is_no_name(source: str, target: str, words: list[str],
                                                          word_lists) -> None:
    from translate.leftover import foreign_words

    segment = Segment(1, 0, source, target=target, origin="apertium")
    assert [w for w, _ in foreign_words(segment, word_lists)] == words
