"""The cache's chunk size (sentences per engine call, each stored before the next) is settable through
`$TRANSLATE_CACHE_CHUNK`, so that interrupted-run tests need a few hundred sentences, not thousands."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import FakeEngine, run_cli
from translate.api import CHUNK_ENV, PipelineOptions, build_pipeline, default_cache_chunk
from translate.cache import DEFAULT_CHUNK, TranslationCache
from translate.errors import UserError

TEXT = " ".join(f"Le conseil numéro {n} se réunit." for n in range(1, 12))


def test_unset_or_empty_means_the_default() -> None:
    assert default_cache_chunk({}) == default_cache_chunk({CHUNK_ENV: " "}) == DEFAULT_CHUNK
    assert default_cache_chunk({CHUNK_ENV: "50"}) == 50


@pytest.mark.parametrize("value", ["0", "-3", "abc", "2.5", "²"])
def test_a_bad_value_is_a_user_error(value: str) -> None:
    with pytest.raises(UserError, match=CHUNK_ENV):
        default_cache_chunk({CHUNK_ENV: value})


def test_engine_calls_follow_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHUNK_ENV, "4")
    engine = FakeEngine()
    cache = TranslationCache.in_directory(tmp_path)
    build_pipeline(engine, PipelineOptions(cache=cache))(TEXT)
    cache.close()
    assert engine.calls == [4, 4, 3] and cache.stored == 11


def test_the_command_refuses_a_bad_value_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "a.fr.txt"
    source.write_text(TEXT + "\n", encoding="utf-8")
    result = run_cli("run", str(source), "--model", str(tmp_path / "no-model"), "-o", str(tmp_path / "out"),
                     env={CHUNK_ENV: "many"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"error: ${CHUNK_ENV} must be a whole number of sentences ≥ 1, not 'many'\n"
    assert not (tmp_path / "out").exists()
