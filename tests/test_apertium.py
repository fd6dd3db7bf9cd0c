"""Apertium engine: English comes out, sentence boundaries never drift, unknown words are recorded."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import translate.engines.apertium as apertium
from translate.engines.apertium import ApertiumEngine, apertium_status, encode, finish, relay, split_chunks
from translate.engines.base import Engine, EngineError

from support import need

need(*apertium_status(), module=True)

NASTY = [
    "Le chat\ndort sur\tle canapé.",
    "« Il a dit : “non” », répond le ministre.",
    "Les crochets [a] {b} <c> restent.",
    "Un antislash \\ et un chemin C:\\dossier\\fichier.",
    "Les symboles ^ $ / @ * # ~ sont au milieu.",
    "Texte avec & et &amp; et <b>gras</b> et </i>.",
    "Un faux marqueur [<s:3>] et [<e>] et \\[<e>] ici.",
    "Un NUL \x00 caché et un retour\r\nWindows.",
    "x@y.fr écrit à #paris avec *emphase* et ~tilde.",
]
SYMBOLS = set("\\^$/@*#~&<>{}[]«»“”")
PUNCTUATION_ONLY = ["\\ ^ $ / @ * # ~", "...", "?!", "« »", "()", "—", "*", "#", "@", "\\", "[ ]"]


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine()


def _numbers(text: str) -> list[str]:
    return re.findall(r"\b\d{5}\b", text)


def test_engine_fits_the_protocol(engine: ApertiumEngine) -> None:
    assert isinstance(engine, Engine)
    assert engine.name == "apertium"


def test_french_news_comes_out_in_english(engine: ApertiumEngine) -> None:
    out = engine.translate([
        "Le président de la République a annoncé mardi une réforme des retraites.",
        "Les syndicats ont appelé à la grève dans toute la France.",
    ])
    assert "president" in out[0].text.lower()
    assert "Tuesday" in out[0].text
    assert "unions" in out[1].text.lower()
    assert "France" in out[1].text


def test_count_and_order_kept_for_2000_sentences_with_nasty_characters(engine: ApertiumEngine) -> None:
    long_sentence = " ".join(["le chat noir mange la souris grise et"] * 300) + " 99999 fin."
    sentences: list[str] = []
    for i in range(2000):
        if i % 50 == 7:
            sentences.append("")
        elif i % 50 == 13:
            sentences.append(PUNCTUATION_ONLY[(i // 50) % len(PUNCTUATION_ONLY)])
        elif i == 1234:
            sentences.append(long_sentence)
        else:
            sentences.append(f"Phrase {10000 + i} : {NASTY[i % len(NASTY)]}")
    out = engine.translate(sentences)
    assert len(out) == len(sentences)
    for i, (source, result) in enumerate(zip(sentences, out)):
        if source == "":
            assert result.text == ""
        elif source in PUNCTUATION_ONLY:
            assert result.text == source
        elif i == 1234:
            assert _numbers(result.text) == ["99999"]
        else:
            assert _numbers(result.text) == [str(10000 + i)], (source, result.text)
            assert SYMBOLS & set(source) <= set(result.text), (source, result.text)


def test_sentences_without_any_word_keep_their_place(engine: ApertiumEngine) -> None:
    sentences = ["\\ ^ $ / @ * # ~", "... 33333", "\\", "^ $", "Le chat dort. 44444", "<>", "{ }", "Fin 55555"]
    out = engine.translate(sentences)
    assert [t.text for t in out[:4]] == sentences[:4]
    assert _numbers(out[1].text) == ["33333"]
    assert _numbers(out[4].text) == ["44444"]
    assert [t.text for t in out[5:7]] == sentences[5:7]
    assert _numbers(out[7].text) == ["55555"]


def test_newlines_inside_a_sentence_do_not_split_it(engine: ApertiumEngine) -> None:
    out = engine.translate(["Un\n\nDeux\nTrois 11111", "Quatre 22222"])
    assert _numbers(out[0].text) == ["11111"]
    assert "\n" not in out[0].text
    assert _numbers(out[1].text) == ["22222"]


def test_unknown_words_recorded_and_marks_stripped(engine: ApertiumEngine) -> None:
    out = engine.translate([
        "Le ministre Zorglub a parlé.",
        "Il vit au Kirghizistan depuis dix ans.",
        "Le prix est 5 * 3 # net @ Paris.",
    ])
    assert "Zorglub" in out[0].unknown_words
    assert "Zorglub" in out[0].text
    assert out[1].unknown_words
    for result in out[:2]:
        assert not set("*#@") & set(result.text), result.text
        for word in result.unknown_words:
            assert word in result.text
    assert all(c in out[2].text for c in "*#@")
    assert not set("*#@") & set("".join(out[2].unknown_words))


def test_whole_batch_runs_in_two_processes(engine: ApertiumEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def counting_run(*args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args[0])
        return real_run(*args, **kwargs)  # type: ignore[call-overload]

    def counting_popen(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        calls.append(args[0])
        return real_popen(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(apertium.subprocess, "run", counting_run)
    monkeypatch.setattr(apertium.subprocess, "Popen", counting_popen)
    out = engine.translate([f"Phrase numéro {i}." for i in range(300)])
    assert len(out) == 300
    assert len(calls) == 2
    calls.clear()
    assert [t.text for t in engine.translate(["", "  \n"])] == ["", ""]
    assert calls == []


def test_empty_input_gives_empty_list(engine: ApertiumEngine) -> None:
    assert engine.translate([]) == []


def test_progress_reports_every_sentence(engine: ApertiumEngine) -> None:
    done: list[int] = []
    engine.translate(["Bonjour.", "", "Merci."], progress=done.append)
    assert sum(done) == 3


def test_construction_spawns_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("process started")

    monkeypatch.setattr(apertium.subprocess, "run", refuse)
    monkeypatch.setattr(apertium.subprocess, "Popen", refuse)
    ApertiumEngine()


def test_version_names_the_three_packages(engine: ApertiumEngine) -> None:
    for package in ("apertium=", "apertium-fr-es=", "apertium-eng-spa="):
        assert package in engine.version


def test_subprocess_failure_becomes_engine_error(tmp_path: Path) -> None:
    modes = tmp_path / "modes"
    modes.mkdir()
    (modes / "fr-es.mode").write_text(f"lt-proc '{tmp_path / 'missing.bin'}'\n", encoding="utf-8")
    with pytest.raises(EngineError, match=r"fr-es failed: .*missing\.bin"):
        ApertiumEngine(data_dir=tmp_path).translate(["Bonjour."])


def test_status_names_the_missing_package(tmp_path: Path) -> None:
    ok, why = apertium_status(tmp_path)
    assert not ok and "apt-get install apertium-fr-es" in why
    (tmp_path / "modes").mkdir()
    (tmp_path / "modes" / "fr-es.mode").write_text("lt-proc x.bin\n", encoding="utf-8")
    ok, why = apertium_status(tmp_path)
    assert not ok and "apt-get install apertium-eng-spa" in why


def test_status_names_the_missing_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    ok, why = apertium_status()
    assert not ok and "apt-get install apertium " in why


def test_status_ready_here() -> None:
    ok, why = apertium_status()
    assert ok and why.startswith("Apertium ready") and "fr-es" in why, why


def test_stream_round_trip_without_apertium() -> None:
    chunk = encode(4, "a*b [c] \\ x")
    assert chunk.startswith("[<s:4>]") and "[\\*]" in chunk and "\\[c\\]" in chunk
    english = finish("[<s:4>]The *Zorglub [\\*] \\[x\\] #foo\\<prn\\> @bar.[<e>].[]")
    assert english.text == "The Zorglub * [x] foo bar."
    assert english.unknown == ["Zorglub", "bar"]


def test_relay_protects_stage_one_unknowns() -> None:
    step = relay("[<s:1>]El *Zorglub habla #decir\\<vblex\\>.[<e>].[]")
    assert step.unknown == ["Zorglub"]
    assert step.text == "[<s:1>]El [Zorglub] habla decir.[<e>].[]"


def test_lost_or_merged_sentences_raise() -> None:
    with pytest.raises(EngineError):
        split_chunks("[<s:0>]a\0[<s:1>]b\0", expected=3)
    with pytest.raises(EngineError):
        split_chunks("[<s:0>]a[<s:1>]b\0", expected=2)
    with pytest.raises(EngineError):
        split_chunks("stray\0[<s:1>]b\0", expected=1)
