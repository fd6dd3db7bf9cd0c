"""The fr→en news and geopolitics glossary shipped with the package (glossary/data/news.fr-en.tsv)."""

from __future__ import annotations

from pathlib import Path

from glossary.collection import Glossary
from glossary.tsv import read_tsv

BUILTIN_PATH = Path(__file__).parent / "data" / "news.fr-en.tsv"


def builtin_glossary() -> Glossary:
    """A fresh copy of the built-in glossary (callers cache it if they load it often)."""
    return read_tsv(BUILTIN_PATH)
