"""Shared fixtures: the synthetic Argos copy package (built once per test session)."""

from __future__ import annotations

from pathlib import Path

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
def wordlist_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One word-list index per test session (translate/wordindex.py): built by the first QA run, read by the rest."""
    return tmp_path_factory.mktemp("wordlists")


@pytest.fixture(autouse=True)
def _shared_wordlist_index(wordlist_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.wordindex import INDEX_ENV

    monkeypatch.setenv(INDEX_ENV, str(wordlist_index_dir))
