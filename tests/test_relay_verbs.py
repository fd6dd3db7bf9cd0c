"""The fr→es→en relay splits *haber* from a participle only where Apertium glued them ("hadeclarado").

The old rule split every Spanish word starting with ha/he ("hablado" → "ha blado"); these tests run
every such word the installed dictionaries know through the real analyser, and the issue's sentences
through the real engine.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest

from translate.engines.apertium import (HABER_FORMS, ApertiumEngine, apertium_status, glue_candidates, relay,
                                unglue_map)

from support import need

SPA_ENG = Path("/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin")
FR_ES_GEN = Path("/usr/share/apertium/apertium-fr-es/fr-es.autogen.bin")
LEMMAS = ("h*", "H*")
"""Lemmas the walks start from. Every Spanish form beginning with ha/he comes from a lemma beginning with h
(haber → he, hacer → hecho): on the installed dictionary the walk of all lemmas and this one give the same
902 ha/he forms, in a fifth of the time (the whole verb paradigm alone is 150,000 forms)."""
PARTICIPLE_PATTERNS = "".join(f"{lemma}<{pos}><pp><*>\n" for lemma in LEMMAS
                              for pos in ("vblex", "vbhaver", "vbser", "vbmod"))
WORD_PATTERNS = PARTICIPLE_PATTERNS + "".join(f"{lemma}{tags}\n" for lemma in LEMMAS
                                              for tags in ("<n><*>", "<adj><*>", "<adv>", "<vblex><*>"))


pytestmark = pytest.mark.xdist_group("relay-verbs")  # one worker: the dictionary walks are cached per process

def _fake_analyser(known: dict[str, list[str]]):
    def analyse(words: list[str]) -> dict[str, list[str]]:
        return {w: known.get(w, []) for w in words}
    return analyse


def test_only_words_the_analyser_does_not_know_are_split() -> None:
    known = {"hablado": ["hablar<vblex><pp><m><sg>"], "declarado": ["declarar<vblex><pp><m><sg>"],
             "herramienta": ["herramienta<n><f><sg>"], "habilitados": ["habilitar<vblex><pp><m><pl>"],
             "heredado": ["heredar<vblex><pp><m><sg>"], "comido": ["comer<vblex><pp><m><sg>"]}
    text = "El ministro ha hablado; hadeclarado, habrádeclarado, han-declarado, herramienta, habilitados, heredado, hacomido."
    glued = unglue_map(glue_candidates([text]), _fake_analyser(known))
    assert glued == {"hadeclarado": "ha declarado", "habrádeclarado": "habrá declarado",
                     "han-declarado": "han declarado", "hacomido": "ha comido"}
    out = relay(f"[<s:1>]{text}[<e>].[]", glued).text
    assert "ha hablado; ha declarado, habrá declarado, han declarado, herramienta, habilitados, heredado, ha comido." in out


def test_capitalised_words_are_checked_in_lowercase() -> None:
    known = {"comido": ["comer<vblex><pp><m><sg>"], "declarado": ["declarar<vblex><pp><m><sg>"],
             "hadeclarado": ["hadeclarado<n><m><sg>"]}  # pretend the glued form were a real word
    glued = unglue_map(glue_candidates(["Hadeclarado y Hacomido"]), _fake_analyser(known))
    assert glued == {"Hacomido": "Ha comido"}


def test_an_unknown_remainder_is_not_split() -> None:
    """"hablado" unknown as a whole (a stale dictionary) must still not become "ha blado"."""
    glued = unglue_map(glue_candidates(["hablado redado"]), _fake_analyser({}))
    assert glued == {}


@functools.cache  # the participle list serves two tests; each lt-paradigm walk costs seconds
def _paradigm(fst: Path, patterns: str, analyser: bool) -> frozenset[str]:
    result = subprocess.run(["lt-paradigm", *(["-a"] if analyser else []), str(fst)], input=patterns,
                            capture_output=True, text=True, check=True)
    words = {line.rsplit(":", 1)[1] for line in result.stdout.splitlines() if ":" in line}
    return frozenset(w for w in words if w[:2].lower() in ("ha", "he") and w.isalpha())


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    need(*apertium_status())
    need(shutil.which("lt-paradigm") is not None, "lt-paradigm (Debian lttoolbox-dev) lists the dictionaries")
    return ApertiumEngine()


def test_no_spanish_participle_or_word_starting_with_ha_he_is_split(engine: ApertiumEngine) -> None:
    participles = _paradigm(SPA_ENG, PARTICIPLE_PATTERNS, True) | _paradigm(FR_ES_GEN, PARTICIPLE_PATTERNS, False)
    words = _paradigm(SPA_ENG, WORD_PATTERNS, True)
    assert len(participles) >= 40 and {"hablado", "heredado", "habilitados", "hecho"} <= participles
    assert len(words) >= 500 and "herramienta" in words
    everything = sorted(participles | words)
    glued = unglue_map(glue_candidates([" ".join(everything)]), engine.analyse_spanish)
    assert glued == {}, sorted(glued.items())[:20]


def test_every_participle_glued_to_haber_is_split(engine: ApertiumEngine) -> None:
    participles = sorted(_paradigm(SPA_ENG, PARTICIPLE_PATTERNS, True) | {"declarado", "comido", "dicho", "roto", "visto"})
    auxiliaries = ("ha", "han", "habrá", "había", "hemos")
    glued_words = {aux + p for aux in auxiliaries for p in participles}
    glued = unglue_map(glue_candidates([" ".join(sorted(glued_words))]), engine.analyse_spanish)
    assert {aux + p: f"{aux} {p}" for aux in auxiliaries for p in participles}.items() <= glued.items()


ISSUE_SENTENCES = {
    "Le ministre a parlé.": ("has spoken", "blado"),
    "Elle a hérité de la maison.": ("inherited", "redado"),
    "Il faut un outil pour ouvrir la porte.": ("tool", "rramienta"),
    "Les comptes habilités sont actifs.": ("enabled", "bilita"),
    "Le ministre a-t-il déclaré la guerre ?": ("has declared", "hadeclarado"),
    "Aussi aura-t-il déclaré la guerre.": ("will have declared", "declarado"),
    "Aussi ont-ils déclaré la guerre.": ("have declared", "-"),
}


def test_issue_sentences_through_the_real_engine(engine: ApertiumEngine) -> None:
    out = engine.translate(list(ISSUE_SENTENCES))
    for (french, (wanted, unwanted)), result in zip(ISSUE_SENTENCES.items(), out):
        assert wanted in result.text and unwanted not in result.text, (french, result.text)
        assert "has has" not in result.text and " have I have " not in result.text


def test_haber_forms_are_lowercase_words() -> None:
    assert all(form.isalpha() and form.islower() for form in HABER_FORMS)


def test_cached_outputs_of_the_old_relay_are_not_reused(engine: ApertiumEngine) -> None:
    from translate.engines.apertium import RELAY_REVISION

    assert RELAY_REVISION >= 2 and engine.version.endswith(f"relay={RELAY_REVISION}")
