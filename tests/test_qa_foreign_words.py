"""Foreign-word QA check (issue 11.3): pivot Spanish and French left in the English are findings;
names, numbers, URLs, glossary terms, technical tokens and English inflections are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import need, run_cli, term_hit
from translate.engines.apertium import apertium_status
from translate.document import Document, Paragraph, Segment
from translate.leftover import CHECK, DICT_DIR, ForeignWordCheck, WordLists, foreign_words, is_english, load_word_lists


@pytest.fixture(scope="module")
def lists(wordlist_index_dir: Path) -> WordLists:
    loaded, warnings = load_word_lists(index_dir=wordlist_index_dir)  # the lists as a run reads them (tests/test_wordindex.py)
    need(loaded is not None and not warnings, f"Debian word lists wamerican, wbritish, wfrench, wspanish in {DICT_DIR}")
    assert loaded is not None
    return loaded


def flagged(source: str, target: str, lists: WordLists, **fields) -> list[str]:
    return [word for word, _ in foreign_words(Segment(1, 0, source, target=target, origin="apertium", **fields), lists)]


@pytest.mark.parametrize(
    "source, target, words",
    [
        # the words of the issue, as Apertium's relay leaves them
        ("Il a un attachement à la Russie.", "It has an apego to Russia.", ["apego"]),
        ("Le conflit arméno-azerbaïdjanais.", "The conflict arméno-azerbaïdjanaise.", ["arméno-azerbaïdjanaise"]),
        ("Le président kazakh a parlé.", "The president kazakh has spoken.", ["kazakh"]),
        ("Mme Dupont est venue.", "Sra Dupont has come.", ["Sra"]),
        ("Un lieu fréquenté.", "A place frecuentado.", ["frecuentado"]),
        ("Il doit obligatoirement venir.", "He must obligatoriamente come.", ["obligatoriamente"]),
        ("La gouvernance mondiale.", "The global gouvernance.", ["gouvernance"]),
        ("Pour contrer la Russie.", "To contrer Russia.", ["contrer"]),
        ("Un coup dans le ventre mou.", "A stab in the belly mou.", ["mou"]),
        ("Le bloc eurasien.", "The bloc eurasien.", ["eurasien"]),
    ],
)
def test_leftover_words_of_the_issue_are_found(source: str, target: str, words: list[str], lists: WordLists) -> None:
    assert flagged(source, target, lists) == words


@pytest.mark.parametrize(
    "source, target",
    [
        ("M. Karapetian et Sadyr Japarov à Erevan.", "Mr Karapetian and Sadyr Japarov in Erevan."),  # names from the source
        ("Le paquet OpenSSL 1.1.1k, voir https://exemple.fr/a-b ou ecrire@exemple.fr.",
         "The OpenSSL 1.1.1k package, see https://exemple.fr/a-b or ecrire@exemple.fr."),
        ("La commande dpkg --get-selections et apt-get.", "The command dpkg --get-selections and apt-get."),
        ("Les pays ont arrêté les discussions.", "The countries stopped the talks, Biden's aides' planning."),
        ("Un accord pro-OTAN de cessez-le-feu.", "A pro-NATO ceasefire agreement, well-known and long-running."),
        ("Le président Tokaïev s’est rendu à Moscou.", "President Tokayev went to Moscow."),  # a name spelt the English way
        ("L’ONU et la CEDEAO.", "The UN and ECOWAS."),  # acronyms
        ("Il gagne 3,5 % en 2023.", "He gains 3.5% in 2023."),
        ("« Non », a-t-il dit.", "“No,” he said."),
        ("C’est connu.", "It's known; don’t doubt it."),
    ],
)
def test_names_numbers_urls_technical_tokens_and_inflections_are_not_findings(source: str, target: str, lists: WordLists) -> None:
    assert flagged(source, target, lists) == []


def test_glossary_terms_are_not_findings(lists: WordLists) -> None:
    hits = [term_hit("conseil du plork", "plork-wide council")]
    assert flagged("Le conseil du plork.", "The plork-wide council.", lists, glossary_hits=hits) == []
    assert flagged("Le conseil du plork.", "The plork-wide council.", lists) == ["plork-wide"]


def test_a_french_word_opening_the_source_sentence_is_not_a_name(lists: WordLists) -> None:
    assert flagged("Gouvernance : le débat.", "Gouvernance: the debate.", lists) == ["Gouvernance"]


def test_the_engines_unknown_list_is_named_in_the_message(lists: WordLists) -> None:
    segment = Segment(1, 0, "La gouvernance.", target="The gouvernance.", origin="apertium", unknown_words=["*gouvernance"])
    assert foreign_words(segment, lists) == [("gouvernance", "French word; unknown to the engine")]


def test_inflections_hyphens_and_possessives_without_debian_lists() -> None:
    lists = WordLists.build(["stop", "talk", "study", "long", "run", "Biden", "contr", "pro"], ["contrer"])
    for word in ("stopped", "stopping", "talks", "studied", "studies", "long-run", "Biden's", "pro-NATO-free"):
        assert is_english(word.replace("NATO-free", "run"), lists), word
    assert not is_english("contrer", lists)  # no stem shorter than four letters or without a vowel
    assert not is_english("kazakh", WordLists.build(["Kazakh"]))  # English capitalises it
    assert is_english("Kazakh", WordLists.build(["Kazakh"])) and is_english("KAZAKH", WordLists.build(["Kazakh"]))


def test_stage_adds_findings_to_engine_and_memory_targets_not_to_copies(lists: WordLists) -> None:
    segments = [Segment(1, 0, "La gouvernance.", target="The gouvernance.", origin="apertium"),
                Segment(2, 0, "La gouvernance.", target="The gouvernance.", origin="tm"),
                Segment(3, 0, "gouvernance", target="gouvernance", origin="copy", translatable=False)]
    document = Document([Paragraph(0, segments)])
    ForeignWordCheck(lists=lists)(document)
    assert [[f.check for f in s.qa] for s in segments] == [[CHECK], [CHECK], []]
    assert segments[0].qa[0].message == "'gouvernance' left in the English (French word)"


def test_missing_lists_warn_and_turn_the_check_off(tmp_path: Path) -> None:
    document = Document([Paragraph(0, [Segment(1, 0, "La gouvernance.", target="The gouvernance.", origin="apertium")])])
    ForeignWordCheck(directory=tmp_path)(document)
    assert document.segments[0].qa == []
    assert any("wamerican" in w and "check is off" in w for w in document.meta.warnings)



def test_cli_reports_leftovers_in_the_qa_file_and_the_summary_line(tmp_path: Path, lists: WordLists) -> None:
    need(*apertium_status())
    source = tmp_path / "gouv.fr.txt"
    source.write_text("Le gouvernement veut améliorer la gouvernance et contrer la corruption.\n", encoding="utf-8")
    result = run_cli("run", str(source), "--engine", "apertium", "--formats", "txt,qa")
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "gouv.qa.tsv").read_text(encoding="utf-8").splitlines()[1:]
    words = sorted(row.split("\t")[2].split("'")[1] for row in rows if row.split("\t")[1] == CHECK)
    assert words == ["contrer", "gouvernance"]
    assert "2 foreign words" in result.stderr and "2 QA findings" in result.stderr


def test_cli_warns_when_the_word_lists_are_missing(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "gouv.fr.txt"
    source.write_text("Le gouvernement veut améliorer la gouvernance.\n", encoding="utf-8")
    result = run_cli("run", str(source), "--engine", "apertium", "--formats", "txt,qa",
                     env={"TRANSLATE_WORDLIST_DIR": str(tmp_path / "none")})
    assert result.returncode == 0, result.stderr
    assert "warning: no English word list" in result.stderr and "0 foreign words" in result.stderr


@pytest.mark.parametrize(
    "source, target",
    [
        ("Après le coup d’État de juillet.", "After the coup d'état of July."),
        ("Le communiqué final.", "The final communiqué."),
        ("Mme Margot van der Velden et Abdel Fattah al-Burhane.", "Ms Margot van der Velden and Abdel Fattah al-Burhane."),
        ("C’est a priori simple.", "It is a priori simple."),
    ],
)
def test_loan_phrases_accented_english_spellings_and_name_particles_are_not_findings(
        source: str, target: str, lists: WordLists) -> None:
    assert flagged(source, target, lists) == []


def test_rare_english_words_that_are_french_too_count_only_when_not_copied_from_the_source(lists: WordLists) -> None:
    assert flagged("Le programme d’installation a échoué.", "The installer has failed.", lists) == []
    assert flagged("Il faut installer le paquet.", "It is necessary to installer the package.", lists) == ["installer"]


def test_french_titles_and_names_of_peoples_left_in_the_english_are_findings(lists: WordLists) -> None:
    assert flagged("M. Karapetian et Mme Dupont.", "M. Karapetian and Mme Dupont.", lists) == ["M.", "Mme"]
    assert flagged("Des millions de Soudanais et d’Ukrainiens.", "Millions of Soudanais and of Ukrainiens.", lists) == [
        "Soudanais", "Ukrainiens"]
    assert flagged("Les Dupont à Paris.", "The Dupont in Paris.", lists) == []


def test_accent_folding_takes_exact_forms_only(lists: WordLists) -> None:
    assert flagged("Acheter des céréales.", "To buy of the céréales.", lists) == ["céréales"]
