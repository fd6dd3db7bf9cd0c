"""Clock times ("9 h. 30") and numbered headings ("10.8. DHCP", "6.1.") stay one segment, as in OmegaT."""

from __future__ import annotations

import pytest

from translate.segment import break_decisions, split_sentences


@pytest.mark.parametrize("text", [
    "La séance reprend à 9 h. 30 précises.",
    "10.8. DHCP",
    "6.1. Installation du système",
    "6.1.2. Les sources des paquets",
    "6.1.",
])
def test_kept_whole(text: str) -> None:
    assert [s for s, _ in split_sentences(text)] == [text]


def test_named_rules_decide() -> None:
    assert [(n, b) for _, n, b in break_decisions("À 9 h. 30 précises.")] == [("number_abbreviation", False)]
    assert [(n, b) for _, n, b in break_decisions("10.8. DHCP")] == [("list_marker", False)]


@pytest.mark.parametrize("text, parts", [
    ("Il est 9 h. Le train part.", ["Il est 9 h.", "Le train part."]),
    ("Voir la section 6.1. Elle explique tout.", ["Voir la section 6.1.", "Elle explique tout."]),
    ("Il en a vendu 12. Elle en a acheté 3.", ["Il en a vendu 12.", "Elle en a acheté 3."]),
])
def test_real_sentence_ends_still_split(text: str, parts: list[str]) -> None:
    assert [s for s, _ in split_sentences(text)] == parts
