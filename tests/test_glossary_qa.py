"""QA findings: glossary terms, untranslated French terms, numbers, quotes and brackets, empty targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.builtin import builtin_glossary
from translate.document import Document, Paragraph, Segment
from translate.qa import english_numbers, format_qa_tsv, french_numbers, qa, qa_counts, write_qa_tsv
from translate.terms import protect

BUILTIN = builtin_glossary()


def checked(source: str, target: str) -> list[str]:
    doc = Document([Paragraph(0, [Segment(1, 0, source)])])
    protect(doc, BUILTIN)
    doc.segments[0].target = target
    qa(doc, BUILTIN)
    return [f.check for f in doc.segments[0].qa]


def test_number_normalisation() -> None:
    assert french_numbers("3,5 % de 10 000 et 10\u202f000 personnes en 2023") == {"3.5": 1, "10000": 2, "2023": 1}
    assert english_numbers("3.5% of 10,000 and 10,000 people in 2023") == {"3.5": 1, "10000": 2, "2023": 1}
    assert english_numbers("1, 2 and 3") == {"1": 1, "2": 1, "3": 1}


@pytest.mark.parametrize(
    "source, target, checks",
    [
        ("Une hausse de 3,5 % pour 10 000 personnes.", "A rise of 3.5% for 10,000 people.", []),
        ("Une hausse de 3,5 % pour 10 000 personnes.", "A rise of 3,5 % for 10 000 people.", ["number-mismatch"]),
        ("Il a perdu 15 soldats.", "He lost 16 soldiers.", ["number-mismatch"]),
        ("L’OTAN se réunit.", "NATO meets.", []),
        ("L’OTAN se réunit.", "The Alliance meets.", ["missing-term"]),
        ("La CEI se réunit.", "The CEI meets.", ["missing-term", "untranslated-term"]),
        ("Il a dit « non ».", "He said “no.", ["unpaired-quote"]),
        ("Il a dit (enfin).", "He said (finally.", ["unpaired-bracket"]),
        ("« Il a dit non.", "“He said no.", []),
        ("Il a dit non.", "", ["empty-target"]),
        ("Il a dit non.", "Il a dit non.", ["identical-target"]),
        ("Joe Biden.", "Joe Biden.", []),
    ],
)
def test_checks(source: str, target: str, checks: list[str]) -> None:
    assert checked(source, target) == checks


def test_qa_tsv_rows(tmp_path: Path) -> None:
    doc = Document([Paragraph(0, [Segment(1, 0, "La CEI\tse réunit."), Segment(2, 0, "Rien.")])])
    protect(doc, BUILTIN)
    doc.segments[0].target, doc.segments[1].target = "The CEI meets.", "Nothing."
    qa(doc, BUILTIN)
    path = tmp_path / "article.qa.tsv"
    write_qa_tsv(doc, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "segment\tcheck\tmessage\tsource\ttarget"
    assert [line.split("\t")[:2] for line in lines[1:]] == [["1", "missing-term"], ["1", "untranslated-term"]]
    assert all(len(line.split("\t")) == 5 for line in lines)
    assert format_qa_tsv(doc) == path.read_text(encoding="utf-8")
    assert qa_counts(doc) == {"missing-term": 1, "untranslated-term": 1}
