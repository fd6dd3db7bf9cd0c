"""The engine-output cache: where it lives, what invalidates it, resuming an interrupted run, failing soft."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pytest

import support
from support import EngineOptions, FakeEngine
from translate.api import PipelineOptions, build_pipeline
from translate.cache import DB_NAME, TranslationCache, default_cache_dir
from translate.engines.base import Translation
from translate.formats import WriteOptions
from translate.job import FileOptions, translate_file

SENTENCES = [f"Le conseil numéro {n} de l’OTAN se réunit à Bruxelles." for n in range(1, 12)]
ARTICLE = " ".join(SENTENCES[:6]) + "\n\n" + " ".join(SENTENCES[6:]) + "\nhttps://example.org/x\n"
FIXED = WriteOptions(created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))


def recorded(sentence: str) -> Translation:
    """The fake engine's output here: a score, and an unknown word so the cache must keep both."""
    return Translation(f"EN {sentence}", -0.25, ["réunit"] if "réunit" in sentence else [])


def RecordingEngine(**settings) -> FakeEngine:
    """The shared fake engine, recording every call's size, that can fail on a chosen call."""
    return FakeEngine(recorded, **settings)


def options(cache: TranslationCache | None, chunk: int = 4, **kwargs) -> PipelineOptions:
    return PipelineOptions(cache=cache, cache_chunk=chunk, **kwargs)


def translatable(document) -> int:
    return sum(1 for s in document if s.translatable)


# --- location and storage ---------------------------------------------------------------------------

def test_cache_directory_precedence(tmp_path: Path) -> None:
    assert default_cache_dir({"TRANSLATE_CACHE_DIR": "/a", "XDG_CACHE_HOME": "/b"}) == Path("/a")
    assert default_cache_dir({"XDG_CACHE_HOME": "/b"}) == Path("/b/translate-fr-en")
    assert default_cache_dir({}) == Path.home() / ".cache" / "translate-fr-en"
    assert default_cache_dir() == tmp_path / "cache"  # the fixture's variable


def test_store_and_lookup_keep_every_field(cache_dir: Path) -> None:
    cache = TranslationCache.in_directory()
    full = Translation("Hello.", -0.1, ["Zut"], attention=[[0.5, 0.5]], tokens=["▁Hello"])
    cache.store("s1", [("Bonjour.", full), ("Oui.", Translation("Yes."))])
    again = TranslationCache.in_directory()
    assert again.lookup("s1", ["Non.", "Bonjour.", "Oui.", "Bonjour."]) == {1: full, 2: Translation("Yes."), 3: full}
    assert again.lookup("other scope", ["Bonjour."]) == {}
    assert (cache_dir / DB_NAME).is_file()


# --- pipeline: chunks, hits, invalidation ---------------------------------------------------------------

def test_chunks_only_when_caching_and_second_run_uses_no_engine(cache_dir: Path) -> None:
    plain = RecordingEngine()
    build_pipeline(plain, options(None))(ARTICLE)
    assert plain.calls == [11]  # without a cache the whole document is one engine call
    first, second = RecordingEngine(), RecordingEngine()
    one = build_pipeline(first, options(TranslationCache.in_directory()))(ARTICLE)
    assert first.calls == [4, 4, 3]
    two = build_pipeline(second, options(TranslationCache.in_directory()))(ARTICLE)
    assert second.calls == [] and two.meta.cache_hits == translatable(two) == 11
    assert [(s.target, s.origin, s.score, s.unknown_words, s.glossary_repairs) for s in two] == \
           [(s.target, s.origin, s.score, s.unknown_words, s.glossary_repairs) for s in one]
    assert one.segments[0].target == "EN Le conseil numéro 1 de NATO se réunit à Brussels."
    assert one.segments[0].unknown_words == ["réunit"]


@pytest.mark.parametrize(
    "change",
    [
        lambda e, o: (RecordingEngine(version="2"), o),
        lambda e, o: (RecordingEngine(name="other"), o),
        lambda e, o: (RecordingEngine(options=EngineOptions(return_attention=True)), o),
        lambda e, o: (e, options(o.cache, default_glossary=False)),
        lambda e, o: (e, options(o.cache, enforce_glossary=False)),
    ],
    ids=["engine-version", "engine-name", "attention", "glossary", "enforcement"],
)
def test_what_changes_the_output_misses_the_cache(tmp_path: Path, change) -> None:
    cache = TranslationCache.in_directory()
    build_pipeline(RecordingEngine(), options(cache))(ARTICLE)
    engine, opts = change(RecordingEngine(), options(cache))
    document = build_pipeline(engine, opts)(ARTICLE)
    assert engine.sentences == 11 and document.meta.cache_hits == 0


def test_a_different_user_glossary_misses_the_cache(tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("Bruxelles\tBrussels\n", encoding="utf-8")
    cache = TranslationCache.in_directory()
    build_pipeline(RecordingEngine(), options(cache))(ARTICLE)
    engine = RecordingEngine()
    build_pipeline(engine, options(cache, glossaries=(glossary,)))(ARTICLE)
    assert engine.sentences == 11
    glossary.write_text("Bruxelles\tBrussels (Belgium)\n", encoding="utf-8")
    engine = RecordingEngine()
    build_pipeline(engine, options(cache, glossaries=(glossary,)))(ARTICLE)
    assert engine.sentences == 11


def test_engine_without_version_is_never_cached() -> None:
    engine = RecordingEngine(version="")
    cache = TranslationCache.in_directory()
    build_pipeline(engine, options(cache))(ARTICLE)
    build_pipeline(engine, options(cache))(ARTICLE)
    assert engine.calls == [11, 11] and cache.stored == 0


# --- resuming an interrupted run -----------------------------------------------------------------------

def run_file(tmp_path: Path, out: str, engine: FakeEngine, cache: TranslationCache | None) -> dict[str, bytes]:
    source = tmp_path / "article.fr.txt"
    if not source.exists():
        source.write_text(ARTICLE, encoding="utf-8")
    file_options = FileOptions(output_dir=tmp_path / out, write=FIXED, formats=("txt", "tsv", "tmx", "jsonl", "qa"))
    result = translate_file(source, build_pipeline(engine, options(cache)), file_options)
    return {p.name: p.read_bytes() for p in result.outputs}


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_interrupted_run_resumes_with_identical_outputs(tmp_path: Path, error: type[BaseException]) -> None:
    reference = run_file(tmp_path, "reference", RecordingEngine(), None)
    cache = TranslationCache.in_directory()
    broken = RecordingEngine(fail_on_call=2, error=error)
    with pytest.raises(error):
        run_file(tmp_path, "out", broken, cache)
    assert broken.calls == [4]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    with sqlite3.connect(cache.path) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 4
    resumed = RecordingEngine()
    outputs = run_file(tmp_path, "out", resumed, TranslationCache.in_directory())
    assert resumed.calls == [4, 3]
    assert outputs == reference


# --- failing soft ----------------------------------------------------------------------------------------

def run_with_warnings(cache_path_dir: Path, timeout: float = 5.0) -> tuple[FakeEngine, list[str], object]:
    warnings: list[str] = []
    cache = TranslationCache.in_directory(cache_path_dir, warn=warnings.append, timeout=timeout)
    engine = RecordingEngine()
    document = build_pipeline(engine, options(cache))(ARTICLE)
    return engine, warnings, document


def test_corrupt_cache_warns_once_and_translates(tmp_path: Path) -> None:
    directory = tmp_path / "corrupt"
    directory.mkdir()
    (directory / DB_NAME).write_bytes(b"this is not an SQLite database" * 100)
    engine, warnings, document = run_with_warnings(directory)
    assert engine.calls == [4, 4, 3] and len(warnings) == 1 and "unusable" in warnings[0]
    assert all(s.target for s in document)


def test_locked_cache_warns_once_and_translates(tmp_path: Path) -> None:
    directory = tmp_path / "locked"
    run_with_warnings(directory)  # creates the database
    holder = sqlite3.connect(directory / DB_NAME)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        engine, warnings, document = run_with_warnings(directory, timeout=0.05)
    finally:
        holder.rollback()
        holder.close()
    assert engine.sentences == 11 and len(warnings) == 1 and "locked" in warnings[0]
    assert all(s.target for s in document)


def test_unwritable_cache_directory_warns_once_and_translates(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    engine, warnings, document = run_with_warnings(blocker / "cache")
    assert engine.sentences == 11 and len(warnings) == 1
    assert all(s.target for s in document)


# --- the command -----------------------------------------------------------------------------------------

run_cli = partial(support.run_cli, "run")
"""`translate run ARGS`."""


def test_cli_repeated_run_comes_from_cache_and_no_cache_writes_nothing(tmp_path: Path, cache_dir: Path,
                                                                       synthetic_package: Path) -> None:
    article = tmp_path / "a.fr.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    model = ["--model", str(synthetic_package), "--formats", "txt,jsonl"]
    skipped = run_cli(str(article), *model, "-o", str(tmp_path / "zero"), "--no-cache")
    assert skipped.returncode == 0, skipped.stderr
    assert not cache_dir.exists()
    first = run_cli(str(article), *model, "-o", str(tmp_path / "one"))
    second = run_cli(str(article), *model, "-o", str(tmp_path / "two"))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "0 from memory, 0 from cache" in first.stderr and "0 from memory, 11 from cache" in second.stderr
    assert (cache_dir / DB_NAME).is_file()
    for name in ("a.en.txt", "a.fr-en.jsonl"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
