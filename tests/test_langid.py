"""The French check: real French passes, other languages are named, short texts are not judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.langid import looks_french

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text", [
    (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8"),
    "Le président a déclaré que « the summit is not against any country » et que la réunion serait la "
    "première de ce type. Les dirigeants se retrouveront à New York la semaine prochaine.",
    "OTAN, OTSC, CEI",
    "Titre",
])
def test_french_or_too_short_passes(text):
    assert looks_french(text)[0]


@pytest.mark.parametrize("language, text", [
    ("English", (ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8")),
    ("Spanish", "El presidente del gobierno se reunió ayer con los dirigentes de los cinco países de Asia central "
                "para hablar de la seguridad regional y del comercio, según informó la agencia oficial."),
    ("German", "Der Präsident hat sich gestern mit den Führern der fünf Länder Zentralasiens getroffen, um über "
               "die regionale Sicherheit und den Handel zu sprechen, wie die Agentur mitteilte."),
    ("Italian", "Il presidente si è riunito ieri con i leader dei cinque paesi dell'Asia centrale per parlare "
                "della sicurezza regionale e del commercio, secondo quanto riferito dall'agenzia."),
])
def test_other_languages_are_named(language, text):
    ok, guess = looks_french(text)
    assert not ok and guess.language == language
