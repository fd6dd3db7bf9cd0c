"""English paragraphs and command lines in a French document are copied (origin "copy") and flagged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from translate.engines.apertium import apertium_status
from translate.langid import english_passage
from translate.passages import QA_CHECK, code_line, copy_foreign_passages
from translate.segment import segment_document

from support import need, run_cli

ROOT = Path(__file__).resolve().parents[1]

DOCUMENT = """\
Sauvegarder la liste des paquets

Pour conserver la liste des paquets installés, on utilise dpkg avec l’option suivante.

$ dpkg --get-selections >liste-pkg

Built on top of the same library, the tool shares its configuration with apt.

La liste peut ensuite être restaurée sur une autre machine.
"""


@pytest.mark.parametrize("line", [
    "$ dpkg --get-selections >liste-pkg",
    "# apt install postfix",
    "apt-get install --no-install-recommends foo",
    "ls -l /etc/apt",
    'echo $PATH | tr : "\\n"',
])
def test_code_lines(line: str) -> None:
    assert code_line(line)


@pytest.mark.parametrize("line", [
    "# Introduction",
    "Lancez la commande --help pour voir la liste.",
    "Le fichier /etc/apt/sources.list contient les sources.",
    "Le sommet de l’OTSC s’ouvre à Erevan",
    "jeux ;",
    "commandes d'administration système ;",
])
def test_french_lines_are_not_code(line: str) -> None:
    assert not code_line(line)


def test_english_paragraphs_short_and_long() -> None:
    assert english_passage("Built on top of the same library")
    assert english_passage((ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8"))
    for french in ("Installation du système", "Le sommet de l’OTSC s’ouvre à Erevan", "Know more",
                   "The Voice : la finale ce soir",
                   "Les médecins généralistes seront en grève vendredi.\tGeneral practitioners will be on strike on Friday."):
        assert not english_passage(french)


def test_no_paragraph_of_the_example_articles_is_copied() -> None:
    for path in [ROOT / "examples" / "sommet-otsc.fr.txt"]:
        document = segment_document(path.read_text(encoding="utf-8"))
        copy_foreign_passages(document)
        assert all(s.translatable or not s.qa for s in document)
        assert not any(f.check == QA_CHECK for s in document for f in s.qa)


def test_copied_through_the_real_command_and_flagged(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "doc.fr.txt"
    source.write_text(DOCUMENT, encoding="utf-8")
    result = run_cli("run", str(source), "-o", str(tmp_path / "out"), "--engine", "apertium", "--no-cache")
    assert result.returncode == 0, result.stderr
    records = {r["source"]: r for r in map(json.loads, (tmp_path / "out" / "doc.fr-en.jsonl").read_text(
        encoding="utf-8").splitlines())}
    for copied in ("$ dpkg --get-selections >liste-pkg",
                   "Built on top of the same library, the tool shares its configuration with apt."):
        record = records[copied]
        assert record["target"] == copied and record["origin"] == "copy"
        assert [f["check"] for f in record["qa"]] == [QA_CHECK]
    french = records["La liste peut ensuite être restaurée sur une autre machine."]
    assert french["origin"] == "apertium" and french["qa"] == []
    english = (tmp_path / "out" / "doc.en.txt").read_text(encoding="utf-8")
    assert "$ dpkg --get-selections >liste-pkg\n" in english
    qa_report = (tmp_path / "out" / "doc.qa.tsv").read_text(encoding="utf-8")
    assert qa_report.count(QA_CHECK) == 2
    # the summary counts the two copies; any other finding is a foreign word Apertium left ("Salvaguardar")
    counts = re.search(r"(\d+) QA findings, (\d+) foreign words", result.stderr)
    assert counts and int(counts[1]) - int(counts[2]) == 2, result.stderr
