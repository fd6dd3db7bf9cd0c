"""Number check of QA (issue 11.5): section and version numbers, times, decimals, thousands and
percentages are read as one token each, so a finding means the numbers really differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.collection import Glossary
from support import need, run_cli
from translate.engines.apertium import apertium_status
from translate.document import Document, Paragraph, Segment
from translate.qa import english_numbers, french_numbers, qa


def number_findings(source: str, target: str) -> list[str]:
    document = Document([Paragraph(0, [Segment(1, 0, source, target=target, origin="apertium")])])
    qa(document, Glossary([], name="none"))
    return [f.message for f in document.segments[0].qa if f.check == "number-mismatch"]


@pytest.mark.parametrize(
    "source, target",
    [
        ("Installez OpenSSL 1.1.1k.", "Install OpenSSL 1.1.1k."),
        ("Exemple 6.4.", "Example 6.4."),
        ("10.8. DHCP", "10.8. DHCP"),
        ("Le noyau 2.6.32-5-amd64 et Python 3.11.", "The kernel 2.6.32-5-amd64 and Python 3.11."),
        ("La séance s’ouvre à 9 h 30 et finit à 21h.", "The session opens at 9:30 and ends at 9 pm."),
        ("Rendez-vous à 9h30, puis à 14 heures.", "Meeting at 9.30 am, then at 2 p.m."),
        ("Le vol dure 9 heures.", "The flight takes 9 hours."),
        ("Il est arrivé à 9:30.", "He arrived at 9.30."),
        ("Une hausse de 3,5 % pour 10 000 personnes.", "A rise of 3.5% for 10,000 people."),
        ("Un budget de 1 000 000,50 euros.", "A budget of 1,000,000.50 euros."),
        ("Une baisse de 12,5 %.", "A fall of 12.5 per cent."),
    ],
)
def test_same_numbers_written_each_language_s_way_are_not_findings(source: str, target: str) -> None:
    assert number_findings(source, target) == []


@pytest.mark.parametrize(
    "source, target, message",
    [
        ("Installez OpenSSL 1.1.1k.", "Install OpenSSL 1.1.1.", "source only [1.1.1k], target only [1.1.1]"),
        ("Exemple 6.4.", "Example 6.5.", "source only [6.4], target only [6.5]"),
        ("La séance s’ouvre à 9 h 30.", "The session opens at 9:45.", "source only [9:30], target only [9:45]"),
        ("Une hausse de 3,5 %.", "A rise of 35%.", "source only [3.5], target only [35]"),
        ("Il a perdu 15 soldats.", "He lost 16 soldiers.", "source only [15], target only [16]"),
        ("Une hausse de 3,5 % pour 10 000 personnes.", "A rise of 3,5 % for 10 000 people.",
         "source only [10000, 3.5], target only [0, 10, 3]"),
    ],
)
def test_numbers_that_really_differ_are_findings(source: str, target: str, message: str) -> None:
    assert number_findings(source, target) == [f"numbers differ: {message}"]


def test_tokens() -> None:
    assert french_numbers("OpenSSL 1.1.1k, section 6.4, 9 h 30, 21h, 3,5 %, 1 000") == {
        "1.1.1k": 1, "6.4": 1, "9:30": 1, "21:00": 1, "3.5": 1, "1000": 1}
    assert english_numbers("OpenSSL 1.1.1k, section 6.4, 9:30 am, 9 p.m., 3.5%, 1,000") == {
        "1.1.1k": 1, "6.4": 1, "9:30": 1, "21:00": 1, "3.5": 1, "1000": 1}


def test_cli_qa_file_has_no_number_finding_for_dotted_numbers_and_times(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "doc.fr.txt"
    source.write_text("Installez OpenSSL 1.1.1k avant la section 6.4.\nExemple 6.4.\n"
                      "La réunion commence à 9 h 30 et la hausse atteint 3,5 % pour 10 000 personnes.\n", encoding="utf-8")
    result = run_cli("run", str(source), "--engine", "apertium", "--formats", "txt,qa", cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "doc.qa.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row for row in rows if "\tnumber-mismatch\t" in row] == []
