"""French titles before a name become English ones (British style: Mr, Ms, Dr, Prof), with any engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from translate.engines.apertium import apertium_status
from translate.document import Document
from translate.segment import segment_document
from translate.titles import find_titles, protect_titles, restore_titles

from support import need

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("french, english, name", [
    ("Pour M. Karapetian, chercheur.", "Mr", "Karapetian"),
    ("Mme Dupont a parlé.", "Ms", "Dupont"),
    ("MM. Dupont et Martin sont là.", "Messrs", "Dupont"),
    ("Mmes Durand et Petit sont là.", "Mses", "Durand"),
    ("Mlle Sarah Ben Ali arrive.", "Miss", "Sarah Ben Ali"),
    ("Me Jean-Pierre Martin plaide.", "Maître", "Jean-Pierre Martin"),
    ("Le Dr Martin opère.", "Dr", "Martin"),
    ("Selon le Pr. Durand, non.", "Prof", "Durand"),
    ("M. de Villepin a dit non.", "Mr", "de Villepin"),
])
def test_titles_found(french: str, english: str, name: str) -> None:
    [(_, title)] = find_titles(french)
    assert (title.english, title.name) == (english, name)


@pytest.mark.parametrize("text", ["J. M. Dupont part.", "Me voici.", "Mme la ministre part.", "M Dupont", "EMME Dupont"])
def test_not_titles(text: str) -> None:
    assert find_titles(text) == []


def _echo(document: Document) -> None:
    for segment in document:
        segment.target, segment.origin = segment.text_for_engine, "echo"


def test_protect_then_restore_around_an_engine() -> None:
    document = segment_document("Le Dr Martin et Mme Dupont ont reçu M. Karapetian.")
    protect_titles(document)
    [segment] = document.segments
    assert segment.engine_input == "Martin et Dupont ont reçu Karapetian."
    _echo(document)
    segment.target = "Martin and Dupont received Karapetian."
    restore_titles(document)
    assert segment.target == "Dr Martin and Ms Dupont received Mr Karapetian."
    assert segment.qa == []


def test_the_same_name_twice_gets_each_its_title() -> None:
    document = segment_document("M. Dupont et Mme Dupont sont arrivés.")
    protect_titles(document)
    [segment] = document.segments
    assert segment.engine_input == "Dupont et Dupont sont arrivés."
    segment.target = "Dupont and Dupont have arrived."
    restore_titles(document)
    assert segment.target == "Mr Dupont and Ms Dupont have arrived."


def test_a_lost_name_is_flagged_not_guessed() -> None:
    document = segment_document("Mme Dupont a parlé.")
    protect_titles(document)
    document.segments[0].target = "She spoke."
    restore_titles(document)
    assert document.segments[0].target == "She spoke."
    assert document.segments[0].qa[0].check == "title"


SOURCE = "Pour M. Karapetian, la question dépasse l’Arménie. Mme Dupont a répondu au Dr Martin.\n"


def _run(tmp_path: Path, *engine: str) -> list[dict]:
    source = tmp_path / "t.fr.txt"
    source.write_text(SOURCE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(source), "-o", str(tmp_path / "out"),
                             "-q", "--no-cache", "--formats", "txt,jsonl", *engine],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in (tmp_path / "out" / "t.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]


def test_apertium_gives_english_titles(tmp_path: Path) -> None:
    need(*apertium_status())
    records = _run(tmp_path, "--engine", "apertium")
    english = " ".join(r["target"] for r in records)
    assert "Mr Karapetian" in english and "Ms Dupont" in english and "Dr Martin" in english, english
    assert "Sra" not in english and "M. " not in english


def test_neural_path_gives_english_titles(tmp_path: Path, synthetic_package: Path) -> None:
    records = _run(tmp_path, "--model", str(synthetic_package))
    english = " ".join(r["target"] for r in records)  # the synthetic model copies its input
    assert "Mr Karapetian" in english and "Ms Dupont" in english and "Dr Martin" in english, english
    assert "M. Karapetian" not in english and "Mme" not in english
