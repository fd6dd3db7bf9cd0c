"""English typography on engine output: numbers, percent signs, quotes, spaces before punctuation."""

from __future__ import annotations

import pytest

from translate.localise import english_typography


@pytest.mark.parametrize(
    "target, source, expected",
    [
        ("grew by 3,5 % in a year", "a augmenté de 3,5 % en un an", "grew by 3.5% in a year"),
        ("10 000 000 of roubles", "10 000 000 de roubles", "10,000,000 of roubles"),
        ("4\u00a0200 soldiers", "4\u00a0200 militaires", "4,200 soldiers"),
        ("12\u202f500 votes", "12\u202f500 voix", "12,500 votes"),
        ("10,000 people", "10 000 personnes", "10,000 people"),
        ("3,500 cars", "3 500 voitures", "3,500 cars"),
        ("10 000,5 units", "10 000,5 unités", "10,000.5 units"),
        ("« We leave », he said", "« Nous partons », a-t-il dit", "“We leave”, he said"),
        ("Really ?", "Vraiment ?", "Really?"),
        ("The other will wonder .", "Les autres s’interrogeront.", "The other will wonder."),
        ("in 2021 and 2023", "en 2021 et 2023", "in 2021 and 2023"),
        ("pages 1,2 and 3", "pages 1, 2 et 3", "pages 1,2 and 3"),
        ("wait ...", "attendez...", "wait ..."),
    ],
)
def test_english_typography(target, source, expected):
    assert english_typography(target, source) == expected
