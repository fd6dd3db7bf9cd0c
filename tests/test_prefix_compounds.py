"""French prefix compounds through Apertium (translate/engines/prefixes.py): fr-es read post- as "puesto"
(put), pré- as "prado" (meadow), contre- as "contra" (against), mi- as "mi" (my), and left compounds it
did not know in Spanish. The prefix now rides on the head and comes back in English in front of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import apertium_english
from translate.engines.prefixes import Compound, compound_stream, place_prefixes

MARK = "\ue010{}\ue011"


def compounds_of(text: str) -> list[tuple[str, str]]:
    found: list[Compound] = []
    compound_stream(text, lambda t: t, found)
    return [(c.english_prefix, c.head) for c in found]


@pytest.mark.parametrize(("french", "expected"), [
    ("un bloc de nations post-soviétiques", [("post", "soviétiques")]),
    ("l’ex-président et l'ex-ministre", [("ex", "président"), ("ex", "ministre")]),
    ("Contre-offensive à la mi-juin", [("counter", "offensive"), ("mid", "juin")]),
    ("la période pré-électorale, la non-prolifération", [("pre", "électorale"), ("non", "prolifération")]),
    ("Aix-en-Provence, c'est-à-dire un sous-marin", []),  # not known prefixes
    ("anti- et pro-", []),  # a prefix alone is left as it is
    ("le non-lieu-dit", []),  # a head followed by another hyphen is a longer compound: left alone
    ("les ex-2 et post-19", []),
])
def test_compounds_are_found_with_their_english_prefix(french: str, expected: list[tuple[str, str]]) -> None:
    assert compounds_of(french) == expected


def test_the_stream_carries_the_prefix_as_a_word_bound_blank_on_its_head() -> None:
    found: list[Compound] = []
    assert compound_stream("des nations post-soviétiques", lambda t: t.upper(), found) == \
        "DES NATIONS [[pfx:0]]SOVIÉTIQUES[[/]]"
    assert compound_stream("des nations post-soviétiques", str, [], hint=False) == "des nations soviétiques"


def test_a_prefix_goes_where_apertium_carried_its_blank_when_the_head_is_there() -> None:
    english = f"The electoral reform and the {MARK.format(0)}electoral offensive"
    assert place_prefixes(english, [Compound("post", "électorale")], {"électorale": "Electoral"}) == \
        "The electoral reform and the post-electoral offensive"


def test_a_blank_moved_to_a_phrase_start_is_not_trusted() -> None:
    # a transfer rule put the blank on the article: the head's own English decides
    english = f"{MARK.format(0)}An electoral offensive"
    assert place_prefixes(english, [Compound("post", "électorale")], {"électorale": "Electoral"}) == \
        "A post-electoral offensive"


def test_a_lost_blank_falls_back_on_the_one_occurrence_of_the_head() -> None:
    english = "The counter-offensive electoral has begun"
    assert place_prefixes(english, [Compound("post", "électorale")], {"électorale": "electoral"}) == \
        "The counter-offensive post-electoral has begun"


def test_without_blanks_two_compounds_of_one_head_take_its_two_places_in_order() -> None:
    english = "The electoral reform and the electoral counter-offensive"  # Apertium without its blank helpers
    compounds = [Compound("post", "électorale"), Compound("post", "électorale")]
    assert place_prefixes(english, compounds, {"électorale": "Electoral"}) == \
        "The post-electoral reform and the post-electoral counter-offensive"
    assert place_prefixes("The electoral reform and the electoral vote", compounds[:1], {"électorale": "electoral"}) \
        == "The electoral reform and the electoral vote"  # two places for one compound: no guess


def test_a_head_whose_english_alone_differs_takes_the_word_at_its_blank() -> None:
    english = f"A {MARK.format(0)}power"  # "pouvoir" alone is the verb "can"
    assert place_prefixes(english, [Compound("counter", "pouvoir")], {"pouvoir": "Can"}) == "A counter-power"


def test_articles_and_capitals_fit_the_prefix() -> None:
    english = f"{MARK.format(0)}Minister, he met a {MARK.format(1)}deputy and an {MARK.format(2)}modern army"
    compounds = [Compound("ex", "ministre"), Compound("ex", "député"), Compound("pro", "moderne")]
    heads = {"ministre": "Minister", "député": "Deputy", "moderne": "Modern"}
    assert place_prefixes(english, compounds, heads) == \
        "Ex-Minister, he met an ex-deputy and a pro-modern army"


@pytest.mark.parametrize("blanks", [True, False])
def test_news_compounds_through_apertium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blanks: bool) -> None:
    if not blanks:  # an Apertium without its word-bound blank helpers: the heads' English alone places prefixes
        import translate.engines.apertium as apertium

        monkeypatch.setattr(apertium, "wordbound_available", lambda: False)
    apertium_english(
        tmp_path,
        "Un bloc de nations post-soviétiques refuse la non-prolifération. La contre-offensive a commencé "
        "à la mi-juin, pendant la période pré-électorale. Les pays ex-soviétiques soutiennent un groupe "
        "pro-russe et une mesure anti-inflation.\n",
        has=("post-Soviet nations", "non-proliferation", "counter-offensive", "mid-June", "pre-electoral period",
             "ex-Soviet countries", "pro-Russian group", "anti-inflation"),
        lacks=("put-", "meadow", "against-", "mi-junio", "my-", "inflación", "countries-Soviet"))
