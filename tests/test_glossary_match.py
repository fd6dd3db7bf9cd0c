"""Finding glossary terms in French: boundaries, longest match, case, elision, spaces, hyphens."""

from __future__ import annotations

import pytest

from glossary.builtin import builtin_glossary
from glossary.collection import Glossary
from glossary.entry import TermEntry
from glossary.match import Matcher

BUILTIN = builtin_glossary()


def found(text: str, glossary: Glossary = BUILTIN) -> list[tuple[str, str]]:
    return [(h.text, h.entry.target) for h in glossary.matcher.find(text)]


def test_longest_match_wins() -> None:
    text = "L'Organisation du Traité de sécurité collective et l'Assemblée générale des Nations unies."
    assert found(text) == [
        ("Organisation du Traité de sécurité collective", "Collective Security Treaty Organization"),
        ("Assemblée générale des Nations unies", "UN General Assembly"),
    ]


def test_acronyms_are_case_sensitive_and_whole_words() -> None:
    assert found("L'OTAN et l'OTSC.") == [("OTAN", "NATO"), ("OTSC", "CSTO")]
    assert found("Une otsc, la ceinture, CEIX, UEFA, ue") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("l’OTAN", "OTAN"), ("de l'OTSC", "OTSC"), ("d’OTAN", "OTAN"), ("du Conseil atlantique", "Conseil atlantique"),
        ("des Nations unies", "Nations unies"), ("aux États-Unis", "États-Unis"), ("pro-OTAN", "OTAN"),
        ("anti-OTAN", "OTAN"), ("Conseil\u00a0atlantique", "Conseil\u00a0atlantique"),
        ("conseil  atlantique", "conseil  atlantique"), ("Etats-Unis", "Etats-Unis"), ("États Unis", "États Unis"),
        ("département d’État", "département d’État"), ("la MAISON BLANCHE", None),
    ],
)
def test_contexts(text: str, expected: str | None) -> None:
    hits = found(text)
    assert [h for h, _ in hits] == ([expected] if expected else [])


def test_determiner_and_compound_recorded() -> None:
    hits = BUILTIN.matcher.find("Un think tank pro-OTAN, de l’OTSC, du Kirghizistan, aux États-Unis, d'OTAN.")
    assert [(h.text, h.determiner, h.definite, h.compound) for h in hits] == [
        ("OTAN", "", False, True),
        ("OTSC", "de l'", True, False),
        ("Kirghizistan", "du", True, False),
        ("États-Unis", "aux", True, False),
        ("OTAN", "d'", False, False),
    ]


def test_accent_rule_is_per_entry() -> None:
    strict = Glossary([TermEntry(("Géorgie",), "Georgia")])
    folded = Glossary([TermEntry(("Géorgie",), "Georgia", accents="fold")])
    assert found("Georgie", strict) == [] and found("Georgie", folded) == [("Georgie", "Georgia")]


def test_case_rule_is_configurable() -> None:
    g = Glossary([TermEntry(("Maison Blanche",), "White House", case="sensitive"), TermEntry(("UE",), "EU", case="insensitive")])
    assert found("une maison blanche et la Maison Blanche; ue", g) == [("Maison Blanche", "White House"), ("ue", "EU")]


def test_hits_do_not_overlap_and_are_in_order() -> None:
    hits = BUILTIN.matcher.find("Le Conseil de sécurité de l’ONU et le Conseil de sécurité et l'ONU.")
    assert [h.entry.target for h in hits] == ["UN Security Council", "Security Council", "UN"]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:]))


def test_matcher_handles_many_sentences() -> None:
    line = "Le Kirghizistan, membre de l’OTSC et de la CEI, a reçu le FMI à Bichkek. "
    hits = Matcher(BUILTIN.entries).find(line * 2000)
    assert len(hits) == 5 * 2000
