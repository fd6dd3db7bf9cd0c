"""Nationality words fr-es does not know (translate/engines/demonyms.py): they stayed French ("the army
ukrainienne") or came out in Spanish ("malí", "surcoreana"); they now go as nationalities Apertium knows
and come back as the right English, in English word order."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import apertium_english
from translate.engines.demonyms import Swap, carry, restore


@pytest.mark.parametrize(("french", "carried"), [
    ("l'armée ukrainienne et les soldats ukrainiens", "l'armée norvégienne et les soldats norvégiens"),
    ("Les Ukrainiens et les Norvégiens", "Les Autrichiens et les Norvégiens"),  # the sentence has the first carrier
    ("les autorités maliennes et tchadiennes", "les autorités norvégiennes et autrichiennes"),
    ("la diplomatie sud-coréenne", "la diplomatie norvégienne"),
    ("un Ouzbek et une Ouzbèke", "un Afghan et une Afghane"),
    ("le président burkinabé", "le président tchèque"),
    ("un groupe pro-ukrainien", "un groupe pro-norvégien"),  # a prefix's head
    ("le conflit russo-ukrainien", "le conflit russo-ukrainien"),  # the end of a compound: left as it is
    ("le mali, la Malienne", "le mali, la Norvégienne"),
])
def test_listed_nationalities_go_as_known_ones(french: str, carried: str) -> None:
    assert carry(french)[0] == carried


def test_three_nationalities_of_one_class_leave_the_third_as_it_was() -> None:
    carried, swaps = carry("les Ukrainiens, les Maliens et les Tchadiens")
    assert carried == "les Norvégiens, les Autrichiens et les Tchadiens"
    assert [s.adjective for s in swaps] == ["Ukrainian", "Malian"]


def test_restore_puts_the_right_english_and_fits_the_article() -> None:
    swaps = [Swap("Norwegian", "Norwegians", "Ukrainian", "Ukrainians"), Swap("Afghan", "Afghans", "Uzbek", "Uzbeks"),
             Swap("Austrian", "Austrians", "Eurasian", "Eurasians")]
    english = "AN Afghan met a Norwegian; the Norwegians and an Afghan army left Norwegiana for an Austrian bloc."
    assert restore(english, swaps) == \
        "An Uzbek met a Ukrainian; the Ukrainians and an Uzbek army left Norwegiana for a Eurasian bloc."


def test_nationalities_through_apertium(tmp_path: Path) -> None:
    apertium_english(
        tmp_path,
        "L'armée ukrainienne a repoussé les soldats russes. Les autorités maliennes et tchadiennes ont "
        "parlé au gouvernement soudanais. La diplomatie sud-coréenne soutient un groupe pro-ukrainien. "
        "Les Ukrainiens ont voté.\n",
        has=("Ukrainian army", "Malian and Chadian authorities", "Sudanese", "South Korean diplomacy",
             "pro-Ukrainian group", "Ukrainians have voted"),
        lacks=("ukrainienne", "malí", "soudanais", "surcoreana", "Norwegian", "Austrian"))
