"""Small CLI defects from the handbook trial (issue 11, item 10), each through the real command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from translate.engines.apertium import apertium_status

from support import need, run_cli, run_cli_on_terminal

ROOT = Path(__file__).resolve().parents[1]
FRENCH = "Le ministre a présenté le budget de la défense devant les députés mardi matin.\n"



def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"translate-fr-en {version('translate-fr-en')}"
    import translate

    assert translate.__version__ == version("translate-fr-en")


@pytest.mark.parametrize("command", [[], ["run"], ["align"], ["engines"]])
def test_help_shows_no_bool_type_on_plain_flags(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0 and "--help" in result.stdout
    assert "<bool>" not in result.stdout and "BOOLEAN" not in result.stdout


def test_engines_and_run_agree_on_an_empty_model_dir(tmp_path: Path) -> None:
    empty = tmp_path / "model"
    empty.mkdir()
    listed = run_cli("engines", "--model", str(empty))
    line = next(line for line in listed.stdout.splitlines() if line.startswith("argos"))
    assert "unavailable" in line and "model.bin missing" in line
    source = tmp_path / "a.fr.txt"
    source.write_text(FRENCH, encoding="utf-8")
    refused = run_cli("run", str(source), "--model", str(empty), "-o", str(tmp_path / "out"))
    assert refused.returncode == 2 and "model.bin missing" in refused.stderr


def test_argos_without_a_model_does_not_ask_to_install_an_installed_apertium(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "a.fr.txt"
    source.write_text(FRENCH, encoding="utf-8")
    result = run_cli("run", str(source), "--engine", "argos", "--packages-dir", str(tmp_path / "none"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "translate models install fr en" in result.stderr
    assert "apt-get install" not in result.stderr and "--engine apertium" in result.stderr


def test_quiet_silences_the_no_model_warning(tmp_path: Path) -> None:
    need(*apertium_status())
    source = tmp_path / "a.fr.txt"
    source.write_text(FRENCH, encoding="utf-8")
    loud = run_cli("run", str(source), "-o", str(tmp_path / "loud"), "--packages-dir", str(tmp_path / "none"))
    assert loud.returncode == 0 and "no neural model installed" in loud.stderr
    quiet = run_cli("run", str(source), "-q", "-o", str(tmp_path / "quiet"), "--packages-dir", str(tmp_path / "none"))
    assert quiet.returncode == 0 and quiet.stderr == ""


def _bar_output(args: list[str]) -> str:
    code, shown = run_cli_on_terminal(*args)
    assert code == 0, shown
    return shown


def test_progress_bar_total_counts_copied_segments(tmp_path: Path) -> None:
    need(*apertium_status())
    lines = []
    for i in range(60):
        lines.append(f"Le conseil a voté la motion numéro {i} après un long débat.")
        if i % 3 == 0:
            lines.append(f"https://example.org/motion/{i}")
    source = tmp_path / "many.txt"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    shown = _bar_output(["run", str(source), "--engine", "apertium", "-o", str(tmp_path / "out"), "--no-cache"])
    assert re.search(r"\d+/80\b", shown), shown
    assert not re.search(r"\d+/60\b", shown), shown


def test_apertium_progress_moves_within_a_batch() -> None:
    need(*apertium_status())
    from translate.engines.apertium import ApertiumEngine

    done: list[int] = []
    ApertiumEngine().translate([f"Le conseil a voté la motion numéro {i}." for i in range(2000)], done.append)
    assert sum(done) == 2000
    assert max(done) <= 1000 and len(done) >= 2  # at least each stage reports its half, not one jump


def test_engine_stage_total_and_progress_count_copies_memory_and_cache(tmp_path: Path) -> None:
    from translate.cache import TranslationCache
    from translate.engines.base import Translation
    from translate.engines.cached import CachedEngine
    from translate.pipeline import EngineStage, Pipeline

    class Echo:
        name = "echo"
        version = "1"

        def translate(self, sentences, progress=None):
            if progress:
                progress(len(sentences))
            return [Translation(text=s.upper()) for s in sentences]

        def close(self) -> None:
            pass

    text = "Une phrase ici.\n\nhttps://example.org/x\n\nUne autre phrase là.\n\n2024\n"
    for attempt in range(2):  # the second run takes both sentences from the cache
        totals: list[int] = []
        done: list[int] = []
        cache = TranslationCache(tmp_path / "cache.sqlite")
        stage = EngineStage(CachedEngine(Echo(), cache, chunk_size=1), progress=done.append, on_total=totals.append)
        Pipeline([stage])(text)
        cache.close()
        assert totals == [4] and sum(done) == 4, (attempt, totals, done)


def test_readme_says_only_the_unknown_word_marks_are_removed() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "unknown words; they are removed from the English" not in readme
    assert "the marks are removed, the words themselves stay in the English" in readme
