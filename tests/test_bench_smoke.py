"""Smoke runs of bench/speed.py and bench/startup.py on the tiny synthetic package (no timing asserts)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench import speed, startup


def test_bench_text_is_distinct_deterministic_and_paragraphed():
    first, again = speed.bench_text(500), speed.bench_text(500)
    assert first == again
    assert len(set(first.fr)) == 500 and len(first.en) == 500
    assert first.fr[231].startswith("Selon le ministère, le ")  # opener + small letter after it
    assert first.text.count("\n\n") == max(first.paragraphs)
    with pytest.raises(ValueError):
        speed.bench_text(10**6)


def test_run_child_reports_its_own_peak_rss_not_the_parents():
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"\x01" * len(ballast[::4096])
    child = speed.run_child([sys.executable, "-c", "print('RESULT {\"x\": 1}')"])
    assert child.returncode == 0
    assert child.result() == {"x": 1}
    assert 0 < child.peak_rss_mib < 200
    failed = speed.run_child([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert failed.returncode == 3
    with pytest.raises(RuntimeError):
        failed.result()


def test_cli_ceiling_and_emulated_argos_on_the_tiny_package(synthetic_package: Path, tmp_path: Path):
    text = speed.bench_text(12)
    text_path = tmp_path / "t.fr.txt"
    text_path.write_text(text.text, encoding="utf-8")
    a = speed.measure_cli(text_path, synthetic_package, tmp_path / "out", 12, speed.CliSettings(beam=1))
    assert a.system == "a" and a.out_tokens and a.peak_rss_mib > 0
    assert (tmp_path / "out-cache").is_dir()  # the engine cache went to the bench's own folder

    tokens = tmp_path / "tokens.json"
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(synthetic_package / "sentencepiece.model"))
    tokens.write_text(json.dumps(sp.encode(text.fr, out_type=str)), encoding="utf-8")
    c = speed.measure_ceiling(tokens, synthetic_package / "model", 12, speed.CeilingSettings(1, 2048, "tokens"))
    assert c.out_tokens == speed.count_tokens(synthetic_package, text.fr)  # the copy model decodes its input

    b = speed.measure_argos_emulated(text_path, synthetic_package, 12, 4, "not installed in the test")
    assert b.system == "b'" and "EMULATION" in b.note and b.out_tokens

    r = speed.ratios(a, b, None, c)
    table = speed.system_table([a, b, c])
    assert "(a) translate run" in table and "EMULATION" in table
    assert r.a_over_c > 0 and any("a/c" in line for line in r.lines())


def test_apertium_and_align_workers_answer(tmp_path: Path):
    sentences = tmp_path / "s.json"
    sentences.write_text(json.dumps(speed.bench_text(3).fr), encoding="utf-8")
    apertium = speed.measure_apertium(sentences, 3)
    assert isinstance(apertium, str) or apertium.sentences == 3
    run = speed.measure_align(200, "synthetic")
    assert run.n == 200 and run.m > 150 and run.cells > 0


def test_argos_env_is_isolated_and_offline(tmp_path: Path):
    env = speed._argos_env(tmp_path, 4)
    assert env["ARGOS_CHUNK_TYPE"] == "SPACY" and env["ARGOS_BEAM_SIZE"] == "4"
    assert all(env[k].startswith(str(tmp_path)) for k in ("ARGOS_PACKAGES_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME"))
    assert speed.argos_requirement().startswith("argostranslate")


def test_startup_report_and_importtime_parsing(synthetic_package: Path):
    rows = startup.parse_importtime(
        "import time: self [us] | cumulative | imported package\n"
        "import time:       120 |        120 |   typer.core\n"
        "import time:       300 |       5000 | typer\n"
    )
    assert [(r.module, r.depth, r.cumulative_us) for r in rows] == [("typer.core", 1, 120), ("typer", 0, 5000)]
    report = startup.measure_startup(synthetic_package, runs=1)
    assert report.help_runs and report.run_overhead is not None
    assert any("translate --help" in line for line in report.lines())


def test_ceiling_grid_searches_batch_then_threads_then_compute_type(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The greedy search's order and choices, with a stand-in for the child process each setting costs
    (the real measurement runs once in the test above): 2,048-token batches, two single-thread
    translators and float32 are made the fastest here, so the search must end on that combination."""
    from dataclasses import asdict

    from bench import measure

    def fake(tokens, model, n, settings, label=""):
        rate = 10.0 + (settings.batch_size == 2048) + (settings.inter_threads == 2) + (settings.compute_type == "float32")
        return speed.Measurement("c", label, n, n / rate, "translate call", 1.0, 50.0, settings=asdict(settings))

    monkeypatch.setattr(measure, "measure_ceiling", fake)
    best, grid = speed.ceiling_grid(tmp_path / "tokens.json", tmp_path / "model", 12, beam=1, cores=2, log=lambda _: None)
    assert len(grid) == 9 and [m.settings["batch_size"] for m in grid[:6]] == [1024, 2048, 4096, 8192, 32, 64]
    assert (best.beam, best.batch_size, best.batch_type) == (1, 2048, "tokens")
    assert (best.inter_threads, best.intra_threads, best.compute_type) == (2, 1, "float32")
